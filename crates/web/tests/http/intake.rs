//! The provider's intake inbox: a new indication reaches the provider's team
//! lead, who gives it to a professional; one for a resident the provider
//! knows goes to the same professional at once.

use axum::http::StatusCode;
use waakvlam_domain::role::Role;
use waakvlam_testkit::{TestDb, db_test, person};

use crate::support::{COLLEAGUE, Client, KEES, email_of, ids_after, seed_care_world};

const NORA: &str = "200000007";

/// A consultant of Goes issues an indication for `resident` at the provider.
async fn issue(db: &TestDb, resident: i64, provider: i64, product: &str) -> StatusCode {
    let mut c = Client::new(&db.store);
    c.login_as(Role::Consultant).await;
    let token = c.session_csrf("/worklist").await;
    let today = db.store.now().date_naive();
    let day = |n: u64| {
        (today + chrono::Days::new(n))
            .format("%Y-%m-%d")
            .to_string()
    };
    let provider = provider.to_string();
    let (start, end, scale_down) = (day(0), day(200), day(120));
    let resp = c
        .post(
            &format!("/residents/{resident}/indications"),
            &[
                ("csrf_token", token.as_str()),
                ("product_code", product),
                ("provider_id", &provider),
                ("issued_on", &day(0)),
                ("start_date", &start),
                ("end_date", &end),
                ("planned_scale_down_date", &scale_down),
                ("agreed_result", "Zelf de administratie bijhouden"),
            ],
        )
        .await;
    resp.status
}

db_test! {
    async fn a_new_allocation_reaches_the_team_lead_who_gives_it_to_a_professional(db) {
        let w = seed_care_world()
            .resident(person(NORA).given_names("Nora").family_name(None, "Bakker").in_municipality("0664"))
            .create(&db.store)
            .await;
        let nora = w.resident(NORA);
        let provider = w.provider("Zeeuwse Zorgcoöperatie");
        assert_eq!(issue(db, nora, provider, "BT").await, StatusCode::SEE_OTHER);

        // The team lead finds it under "Nieuwe toewijzingen", with what was decided.
        let mut lead = Client::new(&db.store);
        lead.login_as(Role::TeamLead).await;
        let start = lead.get("/caseload").await;
        assert!(start.body.contains(r#"href="/intake""#), "linked from the team lead's pages");
        let before = waakvlam_testkit::access_count(&db.store).await;
        let inbox = lead.get("/intake").await;
        assert_eq!(inbox.status, StatusCode::OK);
        assert!(waakvlam_testkit::access_count(&db.store).await > before, "the view is logged");
        for text in ["Bakker", "BT — ", "Zelf de administratie bijhouden", "Gepland afschaalmoment"] {
            assert!(inbox.body.contains(text), "{text}: {}", inbox.body);
        }
        // The choice starts empty and shows each professional's caseload.
        assert!(inbox.body.contains(r#"<option value="" selected>Kies een begeleider</option>"#), "{}", inbox.body);
        assert!(inbox.body.contains("Collega Goes (Team Goes-Kapelle) — 0 inwoners"), "{}", inbox.body);
        assert!(inbox.body.contains("(Team Goes-Kapelle) — 1 inwoners"), "{}", inbox.body);
        let ids = ids_after(&inbox.body, "/intake/");
        assert_eq!(ids.len(), 1, "{}", inbox.body);
        let token = inbox.form_csrf();

        // Nothing chosen: a clear error at the field.
        let resp = lead
            .post(&format!("/intake/{}/assign", ids[0]), &[("csrf_token", &token), ("professional_id", ""), ("resident", "Nora Bakker")])
            .await;
        assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", resp.body);
        assert!(resp.body.contains("Kies een begeleider."), "{}", resp.body);
        assert!(resp.body.contains(r#"aria-invalid="true""#), "{}", resp.body);

        let colleague = w.account(COLLEAGUE).id.to_string();
        let resp = lead
            .post(&format!("/intake/{}/assign", ids[0]), &[("csrf_token", &token), ("professional_id", &colleague), ("resident", "Nora Bakker")])
            .await;
        assert_eq!(resp.status, StatusCode::SEE_OTHER, "{}", resp.body);
        let after = lead.get(resp.location().unwrap()).await;
        assert!(after.body.contains("Nora Bakker staat nu op de caseload"), "{}", after.body);
        assert!(ids_after(&after.body, "/intake/").is_empty(), "taken on: {}", after.body);
        // Taken on once: the same form again is refused.
        let again = lead
            .post(&format!("/intake/{}/assign", ids[0]), &[("csrf_token", &token), ("professional_id", &colleague), ("resident", "Nora Bakker")])
            .await;
        assert_eq!(again.status, StatusCode::NOT_FOUND);

        // On the colleague's caseload.
        let mut colleague_client = Client::new(&db.store);
        colleague_client.login(COLLEAGUE, waakvlam_testkit::PASSWORD).await.assert_redirect("/");
        assert!(colleague_client.get("/caseload").await.body.contains("Bakker"));

        // A professional has no inbox.
        let mut pro = Client::new(&db.store);
        pro.login_as(Role::Professional).await;
        assert_eq!(pro.get("/intake").await.status, StatusCode::FORBIDDEN);
    }
}

db_test! {
    async fn a_new_indication_for_a_resident_the_provider_knows_goes_to_the_same_professional(db) {
        let w = seed_care_world().create(&db.store).await;
        let kees = w.resident(KEES);
        let provider = w.provider("Zeeuwse Zorgcoöperatie");
        assert_eq!(issue(db, kees, provider, "BT").await, StatusCode::SEE_OTHER);
        let mut lead = Client::new(&db.store);
        lead.login_as(Role::TeamLead).await;
        let inbox = lead.get("/intake").await;
        assert!(inbox.body.contains("Er wachten geen nieuwe toewijzingen."), "{}", inbox.body);
        // His professional sees the new BT on his page.
        let mut pro = Client::new(&db.store);
        pro.login(&email_of(Role::Professional), waakvlam_testkit::PASSWORD).await.assert_redirect("/");
        let page = pro.get(&format!("/clients/{kees}")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("BT"), "{}", page.body);
    }
}

db_test! {
    async fn an_allocation_nobody_takes_on_becomes_a_signal_for_the_team_lead_and_the_consultant(db) {
        let w = seed_care_world()
            .resident(person(NORA).given_names("Nora").family_name(None, "Bakker").in_municipality("0664"))
            .create(&db.store)
            .await;
        let nora = w.resident(NORA);
        let provider = w.provider("Zeeuwse Zorgcoöperatie");
        assert_eq!(issue(db, nora, provider, "WVL").await, StatusCode::SEE_OTHER);
        // The same day: waiting, not yet too long.
        let mut lead = Client::new(&db.store);
        lead.login_as(Role::TeamLead).await;
        let start = lead.get("/caseload").await;
        assert!(start.body.contains("Er wacht 1 nieuwe toewijzing op een begeleider."), "{}", start.body);
        assert!(!start.body.contains("wacht te lang"), "{}", start.body);
        let waiting = start.body.find("Er wacht 1 nieuwe toewijzing").unwrap();
        let caseload = start.body.find(r#"id="counts-heading""#).unwrap();
        assert!(waiting < caseload, "residents waiting stand above the caseload");

        // Eight days later (more than three working days): a signal.
        db.clock.set(db.store.now() + chrono::Duration::days(8));
        let mut lead = Client::new(&db.store);
        lead.login_as(Role::TeamLead).await;
        let start = lead.get("/caseload").await;
        assert!(start.body.contains("1 daarvan wacht te lang."), "{}", start.body);
        let inbox = lead.get("/intake").await;
        assert!(inbox.body.contains("Wacht te lang op een begeleider"), "{}", inbox.body);
        assert!(inbox.body.contains(" werkdagen)"), "how long it waited: {}", inbox.body);
        // The consultant sees who is waiting, and at which provider.
        let mut consultant = Client::new(&db.store);
        consultant.login_as(Role::Consultant).await;
        let worklist = consultant.get("/worklist").await;
        assert!(worklist.body.contains("Toewijzingen zonder begeleider (1)"), "{}", worklist.body);
        assert!(worklist.body.contains("WVL bij Zeeuwse Zorgcoöperatie"), "{}", worklist.body);
        assert!(worklist.body.contains(&format!(r#"href="/residents/{nora}""#)), "{}", worklist.body);
        // Borsele's consultant does not see Goes's resident.
        let mut borsele = Client::new(&db.store);
        borsele.login(crate::support::BORSELE, waakvlam_testkit::PASSWORD).await.assert_redirect("/");
        assert!(!borsele.get("/worklist").await.body.contains("Bakker"));
    }
}
