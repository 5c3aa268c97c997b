//! The scale-down inventory as a round trip: the consultant sends it to every
//! provider in one action, the provider's team lead answers per resident with
//! a proposed date or a reason, and the consultant sees the answers.

use axum::http::StatusCode;
use waakvlam_domain::role::Role;
use waakvlam_testkit::{d, db_test, indication, person};

use crate::support::{BORSELE, Client, email_of, ids_after, seed_care_world};

const NORA: &str = "200000007";

db_test! {
    async fn the_inventory_goes_to_all_providers_at_once_and_their_answers_come_back(db) {
        let w = seed_care_world()
            .resident(person(NORA).given_names("Nora").family_name(None, "Bakker").in_municipality("0664"))
            .create(&db.store)
            .await;
        let nora = w.resident(NORA);
        let provider = w.provider("Zeeuwse Zorgcoöperatie");
        let team = w.team("Team Goes-Kapelle");
        // Individual support (BT) that should scale down within the year.
        indication(nora, "BT", "0664", provider)
            .team(team)
            .professional(w.account(&email_of(Role::Professional)).id)
            .starting(d(2026, 1, 5))
            .ending(d(2026, 12, 31))
            .scale_down_on(d(2026, 6, 1))
            .create(&db.store)
            .await;

        let mut consultant = Client::new(&db.store);
        consultant.login_as(Role::Consultant).await;
        let worklist = consultant.get("/worklist").await;
        assert!(worklist.body.contains("Stuur de inventarisatie naar alle aanbieders"), "{}", worklist.body);
        let token = worklist.form_csrf();
        let resp = consultant.post("/worklist/scale-down", &[("csrf_token", token.as_str())]).await;
        assert_eq!(resp.status, StatusCode::SEE_OTHER);
        let after = consultant.get(resp.location().unwrap()).await;
        assert!(after.body.contains("1 verzoek om het afschalen te plannen is gestuurd, aan 1 aanbieder(s)."), "{}", after.body);
        // Sending again asks nothing twice.
        let resp = consultant.post("/worklist/scale-down", &[("csrf_token", token.as_str())]).await;
        let again = consultant.get(resp.location().unwrap()).await;
        assert!(again.body.contains("Alle aanbieders hadden deze inwoners al gekregen"), "{}", again.body);

        // The provider's team lead answers.
        let mut lead = Client::new(&db.store);
        lead.login_as(Role::TeamLead).await;
        let page = lead.get("/scale-down-requests").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Bakker"), "{}", page.body);
        let ids = ids_after(&page.body, "/scale-down-requests/");
        assert_eq!(ids.len(), 1, "{}", page.body);
        let token = page.form_csrf();
        let url = format!("/scale-down-requests/{}", ids[0]);
        // Neither a date nor a reason: said at the field.
        let resp = lead.post(&url, &[("csrf_token", token.as_str()), ("proposed_date", ""), ("reason", "")]).await;
        assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(resp.body.contains("Vul een datum in, of schrijf waarom het afschalen nog niet kan."), "{}", resp.body);
        assert!(resp.body.contains(r#"aria-invalid="true""#), "{}", resp.body);
        // A day in the past, or after the end: refused.
        let resp = lead.post(&url, &[("csrf_token", token.as_str()), ("proposed_date", "2026-02-01"), ("reason", "")]).await;
        assert!(resp.body.contains("Kies een datum vanaf vandaag."), "{}", resp.body);
        let resp = lead.post(&url, &[("csrf_token", token.as_str()), ("proposed_date", "2027-02-01"), ("reason", "")]).await;
        assert!(resp.body.contains("tot en met het einde van de indicatie"), "{}", resp.body);
        let resp = lead.post(&url, &[("csrf_token", token.as_str()), ("proposed_date", "2026-07-01"), ("reason", "Na de zomer rustiger.")]).await;
        assert_eq!(resp.status, StatusCode::SEE_OTHER, "{}", resp.body);
        let page = lead.get(resp.location().unwrap()).await;
        assert!(page.body.contains("Uw antwoord is naar de gemeente gestuurd."), "{}", page.body);
        assert!(page.body.contains("Er wachten geen afschaalverzoeken"), "{}", page.body);
        // Answered once: the same form again is not found.
        let resp = lead.post(&url, &[("csrf_token", token.as_str()), ("proposed_date", "2026-07-01"), ("reason", "")]).await;
        assert_eq!(resp.status, StatusCode::NOT_FOUND);

        // The consultant sees the answer in the inventory.
        let worklist = consultant.get("/worklist").await;
        assert!(worklist.body.contains("Aanbieder stelt 01-07-2026 voor: Na de zomer rustiger."), "{}", worklist.body);
        // Another municipality's consultant sends nothing of Goes.
        let mut borsele = Client::new(&db.store);
        borsele.login(BORSELE, waakvlam_testkit::PASSWORD).await.assert_redirect("/");
        let page = borsele.get("/worklist").await;
        assert!(!page.body.contains("Bakker"));
    }
}
