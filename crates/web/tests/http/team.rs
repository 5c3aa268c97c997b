//! The team lead's team pages: hand-over with a note the new professional
//! reads first and the resident is told about, the workload of each
//! professional, and the team's signal thresholds.

use axum::http::StatusCode;
use waakvlam_domain::role::Role;
use waakvlam_testkit::{db_test, person};

use crate::support::{COLLEAGUE, Client, ELSEWHERE, KEES, email_of, seed_care_world};

const NORA: &str = "200000007";

db_test! {
    async fn a_team_lead_hands_a_resident_over_with_a_note_the_new_professional_reads_first(db) {
        let w = seed_care_world().create(&db.store).await;
        let kees = w.resident(KEES);
        let from = w.account(&email_of(Role::Professional)).id.to_string();
        let to = w.account(COLLEAGUE).id.to_string();

        let mut lead = Client::new(&db.store);
        lead.login_as(Role::TeamLead).await;
        // The workload page links to the hand-over of whoever holds residents.
        let team = lead.get("/team").await;
        assert_eq!(team.status, StatusCode::OK, "{}", team.body);
        assert!(team.body.contains(&format!(r#"href="/team/handover?from={from}""#)), "{}", team.body);
        let form = lead.get(&format!("/team/handover?from={from}")).await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(form.body.contains(&format!(r#"<option value="{kees}">"#)), "his name to choose: {}", form.body);
        // The choice of whom it goes to starts empty.
        assert!(form.body.contains(r#"<option value="" selected>Kies een begeleider</option>"#), "{}", form.body);
        let token = form.form_csrf();

        // Nobody chosen: said at the field, and nothing changed.
        let resp = lead
            .post("/team/handover", &[("csrf_token", token.as_str()), ("from", &from), ("resident", &kees.to_string()), ("to", ""), ("note", "Belt graag op dinsdag.")])
            .await;
        assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", resp.body);
        assert!(resp.body.contains("Kies aan welke begeleider u overdraagt."), "{}", resp.body);
        assert!(resp.body.contains(r#"id="handover-to" name="to" aria-invalid="true""#), "{}", resp.body);
        assert!(resp.body.contains("Belt graag op dinsdag."), "what was typed stays: {}", resp.body);
        // To the same professional: refused at the field.
        let resp = lead
            .post("/team/handover", &[("csrf_token", token.as_str()), ("from", &from), ("resident", ""), ("to", &from), ("note", "")])
            .await;
        assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", resp.body);
        assert!(resp.body.contains("Kies een andere begeleider"), "{}", resp.body);

        let resp = lead
            .post("/team/handover", &[("csrf_token", token.as_str()), ("from", &from), ("resident", &kees.to_string()), ("to", &to), ("note", "Belt graag op dinsdag. Zus is betrokken.")])
            .await;
        assert_eq!(resp.status, StatusCode::SEE_OTHER, "{}", resp.body);
        let done = lead.get(resp.location().unwrap()).await;
        assert!(done.body.contains("Eén inwoner is overgedragen aan Collega Goes."), "{}", done.body);

        // The new professional: flagged on the caseload, the note first on the page.
        let mut colleague = Client::new(&db.store);
        colleague.login(COLLEAGUE, waakvlam_testkit::PASSWORD).await.assert_redirect("/");
        let caseload = colleague.get("/caseload").await;
        assert!(caseload.body.contains("Nieuw bij u: lees de overdracht"), "{}", caseload.body);
        // Told in the same unit of work, without the note or the name.
        let told = colleague.get("/notifications").await;
        assert!(told.body.contains("Een overdracht"), "{}", told.body);
        assert!(!told.body.contains("Zus is betrokken"), "{}", told.body);
        let page = colleague.get(&format!("/clients/{kees}")).await;
        assert_eq!(page.status, StatusCode::OK);
        let note = page.body.find("Belt graag op dinsdag. Zus is betrokken.").expect("the note");
        let now = page.body.find(r#"id="now-heading""#).expect("the page");
        assert!(note < now, "the note comes first");
        assert!(page.body.contains("Test team_lead droeg"), "{}", page.body);
        let token = page.form_csrf();
        let resp = colleague.post(&format!("/clients/{kees}/handover/read"), &[("csrf_token", token.as_str())]).await;
        assert_eq!(resp.status, StatusCode::SEE_OTHER);
        let page = colleague.get(&format!("/clients/{kees}")).await;
        assert!(!page.body.contains("Belt graag op dinsdag."), "read: {}", page.body);
        assert!(!colleague.get("/caseload").await.body.contains("lees de overdracht"));

        // The previous professional no longer has him on their own caseload.
        let mut before = Client::new(&db.store);
        before.login_as(Role::Professional).await;
        assert!(!before.get("/caseload").await.body.contains(&format!("/clients/{kees}\"")));

        // The resident is told, in plain words, who their contact person is now.
        let mut resident = Client::new(&db.store);
        resident.login_as(Role::Resident).await;
        let me = resident.get("/me").await;
        assert!(me.body.contains("Je hebt een nieuwe contactpersoon: Collega Goes."), "{}", me.body);
        assert!(me.body.contains("Test professional is niet meer je contactpersoon."), "{}", me.body);
        assert!(!me.body.contains("Zus is betrokken"), "the note is not the resident's: {}", me.body);
    }
}

db_test! {
    async fn a_whole_caseload_goes_over_when_a_professional_leaves_and_only_within_the_provider(db) {
        let w = seed_care_world()
            .resident(person(NORA).given_names("Nora").family_name(None, "Bakker").in_municipality("0664"))
            .waakvlam(NORA, "Team Goes-Kapelle", Some(&email_of(Role::Professional)))
            .create(&db.store)
            .await;
        let from = w.account(&email_of(Role::Professional)).id.to_string();
        let to = w.account(COLLEAGUE).id.to_string();
        let elsewhere = w.account(ELSEWHERE).id.to_string();
        let mut lead = Client::new(&db.store);
        lead.login_as(Role::TeamLead).await;
        let form = lead.get(&format!("/team/handover?from={from}")).await;
        assert!(form.body.contains("Alle 2 inwoners van Test professional"), "{}", form.body);
        assert!(!form.body.contains("Elders Professional"), "only the provider's professionals: {}", form.body);
        let token = form.form_csrf();
        // A professional of another provider, sent anyway: refused at the field.
        let resp = lead
            .post("/team/handover", &[("csrf_token", token.as_str()), ("from", &from), ("resident", ""), ("to", &elsewhere), ("note", "")])
            .await;
        assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", resp.body);
        assert!(resp.body.contains("werkt niet bij deze aanbieder"), "{}", resp.body);

        let resp = lead
            .post("/team/handover", &[("csrf_token", token.as_str()), ("from", &from), ("resident", ""), ("to", &to), ("note", "Ziek tot februari.")])
            .await;
        assert_eq!(resp.status, StatusCode::SEE_OTHER, "{}", resp.body);
        let done = lead.get(resp.location().unwrap()).await;
        assert!(done.body.contains("2 inwoners zijn overgedragen aan Collega Goes."), "{}", done.body);
        // Nothing left to hand over.
        let resp = lead
            .post("/team/handover", &[("csrf_token", token.as_str()), ("from", &from), ("resident", ""), ("to", &to), ("note", "")])
            .await;
        assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(resp.body.contains("geen inwoners om over te dragen"), "{}", resp.body);

        // The workload shows it: two residents with the colleague.
        let team = lead.get("/team").await;
        let colleague_card = team.body.split(r#"data-professional=""#).find(|c| c.starts_with(&to)).expect("the colleague's card");
        assert!(colleague_card.contains("<dt>Inwoners</dt><dd>2</dd>"), "{colleague_card}");

        // A professional cannot hand over.
        let mut pro = Client::new(&db.store);
        pro.login_as(Role::Professional).await;
        assert_eq!(pro.get("/team/handover").await.status, StatusCode::FORBIDDEN);
    }
}

db_test! {
    async fn the_team_lead_sets_capacity_and_signal_thresholds_with_errors_at_their_fields(db) {
        let w = seed_care_world().create(&db.store).await;
        let colleague = w.account(COLLEAGUE).id;
        let mut lead = Client::new(&db.store);
        lead.login_as(Role::TeamLead).await;
        let team = lead.get("/team").await;
        let token = team.form_csrf();
        let resp = lead.post(&format!("/team/{colleague}/capacity"), &[("csrf_token", token.as_str()), ("capacity", "veel")]).await;
        assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(resp.body.contains("Vul een heel aantal uren in"), "{}", resp.body);
        assert!(resp.body.contains(&format!(r#"id="capacity-{colleague}-capacity" name="capacity" value="veel""#)), "{}", resp.body);
        let resp = lead.post(&format!("/team/{colleague}/capacity"), &[("csrf_token", token.as_str()), ("capacity", "90")]).await;
        assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(resp.body.contains("Vul hoogstens 60 uur per week in."), "{}", resp.body);
        let resp = lead.post(&format!("/team/{colleague}/capacity"), &[("csrf_token", token.as_str()), ("capacity", "24")]).await;
        assert_eq!(resp.status, StatusCode::SEE_OTHER);
        // Whom to give residents to is chosen knowing it, beside the caseload size.
        let from = w.account(&email_of(Role::Professional)).id;
        let form = lead.get(&format!("/team/handover?from={from}")).await;
        assert!(form.body.contains("Collega Goes (Team Goes-Kapelle) — 0 inwoners, 24 uur per week"), "{}", form.body);

        // Thresholds: every mistake at once, at its field; nothing saved.
        let page = lead.get("/team/thresholds").await;
        assert_eq!(page.status, StatusCode::OK);
        let token = page.form_csrf();
        let resp = lead
            .post("/team/thresholds", &[("csrf_token", token.as_str()), ("waakvlam_rhythm_days", "400"), ("contact_grace_days", "drie"), ("unassigned_working_days", "5")])
            .await;
        assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(resp.body.contains("Vul een getal van 0 tot en met 182 in."), "{}", resp.body);
        assert!(resp.body.contains("Vul een heel getal in, of laat het veld leeg."), "{}", resp.body);
        assert!(resp.body.contains(r##"href="#thresholds-waakvlam_rhythm_days""##), "the summary links to the field: {}", resp.body);
        let resp = lead
            .post("/team/thresholds", &[("csrf_token", token.as_str()), ("waakvlam_rhythm_days", "14"), ("unassigned_working_days", "5")])
            .await;
        assert_eq!(resp.status, StatusCode::SEE_OTHER);
        let page = lead.get(resp.location().unwrap()).await;
        assert!(page.body.contains("De drempels zijn bewaard."), "{}", page.body);
        assert!(page.body.contains(r#"name="waakvlam_rhythm_days" value="14""#), "{}", page.body);
        // Emptied again: the default applies.
        let token = page.form_csrf();
        let resp = lead
            .post("/team/thresholds", &[("csrf_token", token.as_str()), ("waakvlam_rhythm_days", ""), ("unassigned_working_days", "5")])
            .await;
        assert_eq!(resp.status, StatusCode::SEE_OTHER);
        let page = lead.get("/team/thresholds").await;
        assert!(page.body.contains(r#"name="waakvlam_rhythm_days" value="""#), "{}", page.body);
        assert!(page.body.contains(r#"name="unassigned_working_days" value="5""#), "{}", page.body);
        // A professional does not set the team's thresholds.
        let mut pro = Client::new(&db.store);
        pro.login_as(Role::Professional).await;
        assert_eq!(pro.get("/team/thresholds").await.status, StatusCode::FORBIDDEN);
    }
}
