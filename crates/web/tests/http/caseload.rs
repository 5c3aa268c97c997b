//! The team lead's caseload over HTTP: assigning a resident without a
//! professional to one of the team.

use axum::http::StatusCode;
use waakvlam_domain::role::Role;
use waakvlam_testkit::{Fixtures, TestDb, db_test, indication, resident};

use crate::support::{
    COLLEAGUE, Client, ELSEWHERE, PASSWORD, STRANGER, STRANGER_NAME, assert_out_of_reach, seed_care,
};

/// Piet (Goes), with a waakvlam in Kees's team but no professional yet;
/// returns the indication.
async fn piet_unassigned(db: &TestDb, w: &Fixtures) -> i64 {
    let piet = resident(&db.store, "999996708", "0664").await;
    indication(piet, "WVL", "0664", w.provider("Zeeuwse Zorgcoöperatie"))
        .team(w.team("Team Goes-Kapelle"))
        .create(&db.store)
        .await
}

db_test! {
    async fn a_team_lead_assigns_an_unassigned_resident_to_a_professional(db) {
        let w = seed_care(&db.store).await;
        let ind = piet_unassigned(db, &w).await;
        let colleague = w.account(COLLEAGUE).id.to_string();
        let mut lead = Client::new(&db.store);
        lead.login_as(Role::TeamLead).await;
        let caseload = lead.get("/caseload").await;
        assert!(caseload.body.contains(&format!(r#"name="indication_id" value="{ind}""#)), "{}", caseload.body);
        let csrf = caseload.meta_csrf();
        // The control starts empty and says how many residents each has.
        let select = caseload.body.split(&format!(r#"id="assign-{ind}-professional_id""#)).nth(1).expect("the control");
        let select = select.split("</select>").next().unwrap_or_default();
        assert!(select.contains(r#"<option value="" selected>Kies een begeleider</option>"#), "{select}");
        assert!(select.contains(">Collega Goes — 0 inwoners</option>"), "{select}");
        assert!(select.matches(" inwoner").count() >= 2, "{select}");

        // Sent without a choice: back at the form, which says so at the field.
        let resp = lead
            .post("/caseload/assign", &[("csrf_token", &csrf), ("indication_id", &ind.to_string()), ("professional_id", "")])
            .await;
        resp.assert_redirect(&format!("/caseload?choose={ind}#assign-{ind}-error-summary"));
        let refused = lead.get(&format!("/caseload?choose={ind}")).await;
        assert!(refused.body.contains(&format!(r#"id="assign-{ind}-error-summary" tabindex="-1" autofocus"#)), "{}", refused.body);
        assert!(refused.body.contains(&format!(r#"<p class="utrecht-form-field-error-message" id="assign-{ind}-professional_id-error">Kies een begeleider.</p>"#)));

        let resp = lead
            .post(
                "/caseload/assign",
                &[("csrf_token", &csrf), ("indication_id", &ind.to_string()), ("professional_id", &colleague)],
            )
            .await;
        resp.assert_redirect(&format!("/caseload?assigned={ind}"));
        let caseload = lead.get(&format!("/caseload?assigned={ind}")).await;
        assert!(caseload.body.contains("is toegewezen aan Collega Goes"), "{}", caseload.body);
        assert!(caseload.body.contains("Alle inwoners van het team hebben een begeleider."));

        let mut c = Client::new(&db.store);
        c.login(COLLEAGUE, PASSWORD).await.assert_redirect("/");
        let theirs = c.get("/caseload").await;
        assert!(theirs.body.contains("Vries"), "Piet is on the colleague's caseload: {}", theirs.body);
    }
}

db_test! {
    async fn assigning_is_refused_without_csrf_and_for_professionals(db) {
        let w = seed_care(&db.store).await;
        let ind = piet_unassigned(db, &w).await.to_string();
        let colleague = w.account(COLLEAGUE).id.to_string();
        let mut lead = Client::new(&db.store);
        lead.login_as(Role::TeamLead).await;
        for token in ["", "forged"] {
            let resp = lead
                .post("/caseload/assign", &[("csrf_token", token), ("indication_id", &ind), ("professional_id", &colleague)])
                .await;
            assert_eq!(resp.status, StatusCode::BAD_REQUEST, "{token:?}");
        }
        let mut pro = Client::new(&db.store);
        pro.login_as(Role::Professional).await;
        let csrf = pro.session_csrf("/caseload").await;
        let resp = pro
            .post("/caseload/assign", &[("csrf_token", &csrf), ("indication_id", &ind), ("professional_id", &colleague)])
            .await;
        assert_eq!(resp.status, StatusCode::FORBIDDEN);
        // The refusal by role is in the access log, as the store's own refusals are.
        let latest = waakvlam_testkit::access_latest(&db.store, 1).await;
        assert_eq!(
            (latest[0].action.as_str(), latest[0].outcome.as_str(), latest[0].objects.as_str()),
            ("update", "denied", "route:/caseload/assign")
        );
        assert_eq!(latest[0].actor_role.as_deref(), Some("professional"));
        let resp = pro.get("/worklist").await;
        assert_eq!(resp.status, StatusCode::FORBIDDEN);
        let latest = waakvlam_testkit::access_latest(&db.store, 1).await;
        assert_eq!(
            (latest[0].action.as_str(), latest[0].outcome.as_str(), latest[0].objects.as_str()),
            ("read", "denied", "route:/worklist")
        );

        let caseload = lead.get("/caseload").await;
        assert!(caseload.body.contains(&format!(r#"name="indication_id" value="{ind}""#)), "still unassigned");
    }
}

db_test! {
    async fn a_team_lead_cannot_assign_across_teams(db) {
        let w = seed_care(&db.store).await;
        let ind = piet_unassigned(db, &w).await.to_string();
        let theirs = w.indications()[1].to_string();
        let colleague = w.account(COLLEAGUE).id.to_string();
        let elsewhere = w.account(ELSEWHERE).id.to_string();
        let mut lead = Client::new(&db.store);
        lead.login_as(Role::TeamLead).await;
        let csrf = lead.session_csrf("/caseload").await;

        // The other provider's resident, to someone of this team.
        let resp = lead
            .post("/caseload/assign", &[("csrf_token", &csrf), ("indication_id", &theirs), ("professional_id", &colleague)])
            .await;
        assert!(!resp.status.is_success() && !resp.status.is_redirection(), "{}: {}", resp.status, resp.body);
        assert!(!resp.body.contains(STRANGER_NAME));
        assert_out_of_reach(&resp);

        // This team's resident, to a professional of another provider.
        let resp = lead
            .post("/caseload/assign", &[("csrf_token", &csrf), ("indication_id", &ind), ("professional_id", &elsewhere)])
            .await;
        assert!(!resp.status.is_success() && !resp.status.is_redirection(), "{}: {}", resp.status, resp.body);
        assert!(!resp.body.contains("Elders Professional"));

        let caseload = lead.get("/caseload").await;
        assert!(caseload.body.contains(&format!(r#"name="indication_id" value="{ind}""#)), "still unassigned");
        let mut elders = Client::new(&db.store);
        elders.login(ELSEWHERE, PASSWORD).await.assert_redirect("/");
        let page = elders.get(&format!("/clients/{}", w.resident(STRANGER))).await;
        assert!(page.body.contains("Elders Professional"), "the stranger keeps their professional: {}", page.body);
        assert!(!elders.get("/caseload").await.body.contains("Vries"));
    }
}

db_test! {
    async fn each_view_of_a_caseload_adds_exactly_one_access_log_entry(db) {
        let w = seed_care(&db.store).await;
        piet_unassigned(db, &w).await;
        for role in [Role::Professional, Role::TeamLead] {
            let mut c = Client::new(&db.store);
            c.login_as(role).await;
            let before = waakvlam_testkit::access_count(&db.store).await;
            let page = c.get("/caseload").await;
            assert_eq!(page.status, StatusCode::OK, "{}", page.body);
            assert_eq!(waakvlam_testkit::access_count(&db.store).await, before + 1, "{role:?}");
        }
    }
}
