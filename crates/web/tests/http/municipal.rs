//! The municipality workspace over HTTP: indications, extensions, the
//! pathway and the worklists, as a consultant without JavaScript uses them.

use axum::http::StatusCode;
use waakvlam_domain::role::Role;
use waakvlam_store::{Actor, catalogue, organisations, residents};
use waakvlam_testkit::db_test;

use crate::support::{Client, seed_accounts};

async fn kees_and_provider(store: &waakvlam_store::Store) -> (i64, String) {
    let found = store
        .read(&Actor::system("test"), async |cx| {
            residents::search(cx, Some("Dam"), 10).await
        })
        .await
        .unwrap();
    let provider = store
        .read(&Actor::system("test"), async |cx| {
            organisations::providers(cx).await
        })
        .await
        .unwrap()
        .remove(0);
    (found[0].id.get(), provider.id.to_string())
}

/// The id at the end of a `/indications/{id}?saved=…` redirect.
fn indication_id(location: Option<&str>) -> i64 {
    let l = location.unwrap_or_else(|| panic!("no redirect"));
    let rest = l
        .strip_prefix("/indications/")
        .unwrap_or_else(|| panic!("{l}"));
    rest.split('?').next().unwrap().parse().unwrap()
}

db_test! {
    async fn a_bts_without_scale_down_moment_is_refused_with_the_reason_and_the_input_kept(db) {
        seed_accounts(&db.store).await;
        let (kees, provider) = kees_and_provider(&db.store).await;
        let mut c = Client::new(&db.store);
        c.login_as(Role::Consultant).await;
        let form_page = c.get(&format!("/residents/{kees}/indications/new")).await;
        assert_eq!(form_page.status, StatusCode::OK);
        // The form says why the moment is needed before anyone gets it wrong.
        assert!(form_page.body.contains("Verplicht bij individuele begeleiding (BT) en intensieve begeleiding (BTS)"));
        let token = form_page.form_csrf();
        let fields = [
            ("csrf_token", token.as_str()),
            ("product_code", "BTS"),
            ("provider_id", provider.as_str()),
            ("issued_on", "2026-03-10"),
            ("start_date", "2026-03-16"),
            ("end_date", "2027-03-15"),
            ("planned_scale_down_date", ""),
            ("agreed_result", "weer zelfstandig wonen"),
        ];
        let refused = c.post(&format!("/residents/{kees}/indications"), &fields).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            refused.body.contains("Gepland afschaalmoment: verplicht bij individuele en intensieve begeleiding"),
            "{}",
            refused.body
        );
        assert!(refused.body.contains(r#"aria-invalid="true""#));
        assert!(refused.body.contains("weer zelfstandig wonen"), "what was typed stays");
        let mut fields = fields;
        fields[6] = ("planned_scale_down_date", "2026-09-01");
        let created = c.post(&format!("/residents/{kees}/indications"), &fields).await;
        assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
        let id = indication_id(created.location());
        let page = c.get(&format!("/indications/{id}?saved=created")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("De indicatie is aangemaakt."));
        assert!(page.body.contains("01-09-2026"), "the planned moment is shown");
        assert!(page.body.contains("Aangemaakt: — → BTS 2026-03-16"), "{}", page.body);
        // Nothing was written for the refused form.
        let pathway = c.get(&format!("/residents/{kees}")).await;
        assert_eq!(pathway.body.matches("data-indication=").count(), 1, "{}", pathway.body);
        // Its allocation number is a valid iWmo ToewijzingNummer (an integer of at most nine digits).
        let number = page.body.split("Toewijzingsnummer</dt>").nth(1).and_then(|r| r.split("<dd>").nth(1)).and_then(|r| r.split('<').next()).unwrap_or_default();
        assert!(!number.is_empty() && number.len() <= 9 && number.bytes().all(|b| b.is_ascii_digit()), "{number:?}");

        // The same indication again is a clear refusal at its field, not a server error.
        let again = c.post(&format!("/residents/{kees}/indications"), &fields).await;
        assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", again.body);
        assert!(again.body.contains("Deze indicatie bestaat al: BTS vanaf 16-03-2026"), "{}", again.body);
        assert!(again.body.contains(&format!("toewijzingsnummer {number}")), "{}", again.body);
        let pathway = c.get(&format!("/residents/{kees}")).await;
        assert_eq!(pathway.body.matches("data-indication=").count(), 1, "still one");

        // Another BTS while this one runs: a warning that names it, and a
        // box to tick to save anyway.
        let mut overlapping = fields;
        overlapping[4] = ("start_date", "2026-06-01");
        let warned = c.post(&format!("/residents/{kees}/indications"), &overlapping).await;
        assert_eq!(warned.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", warned.body);
        assert!(
            warned.body.contains("Deze inwoner heeft al een indicatie van dezelfde soort in die periode: BTS van 16-03-2026 tot en met 15-03-2027"),
            "{}",
            warned.body
        );
        assert!(warned.body.contains(r#"name="overlap_confirmed""#), "{}", warned.body);
        assert_eq!(c.get(&format!("/residents/{kees}")).await.body.matches("data-indication=").count(), 1, "nothing saved yet");
        let mut confirmed = overlapping.to_vec();
        confirmed.push(("overlap_confirmed", "on"));
        let saved = c.post(&format!("/residents/{kees}/indications"), &confirmed).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        assert_eq!(c.get(&format!("/residents/{kees}")).await.body.matches("data-indication=").count(), 2);
    }
}

db_test! {
    async fn a_waakvlam_ending_soon_is_on_the_worklist_and_is_extended_with_a_reason(db) {
        seed_accounts(&db.store).await;
        let (kees, provider) = kees_and_provider(&db.store).await;
        // In Goes a waakvlam lasts at most 12 months (the product's rule there).
        db.store
            .write(&Actor::system("test"), async |cx| {
                let wvl = catalogue::product_by_code(cx, "WVL").await?.expect("WVL");
                catalogue::set_rule(cx, &catalogue::ProductRule {
                    product_id: wvl.id,
                    place: catalogue::RulePlace::Municipality("0664".into()),
                    max_duration_months: Some(12),
                })
                .await
            })
            .await
            .unwrap();
        let mut c = Client::new(&db.store);
        c.login_as(Role::Consultant).await;
        let token = c.session_csrf("/worklist").await;
        // A waakvlam of more than 12 months is refused; 2026-04-30 is within 60 days of 10 March.
        let too_long = c.post(&format!("/residents/{kees}/indications"), &[
            ("csrf_token", &token), ("product_code", "WVL"), ("provider_id", &provider),
            ("issued_on", "2025-05-01"), ("start_date", "2025-05-01"), ("end_date", "2026-06-01"),
        ]).await;
        assert_eq!(too_long.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(too_long.body.contains("Einddatum: dit product duurt hier hoogstens 12 maanden."), "{}", too_long.body);
        let created = c.post(&format!("/residents/{kees}/indications"), &[
            ("csrf_token", &token), ("product_code", "WVL"), ("provider_id", &provider),
            ("issued_on", "2025-05-01"), ("start_date", "2025-05-01"), ("end_date", "2026-04-30"),
        ]).await;
        let id = indication_id(created.location());
        let worklist = c.get("/worklist").await;
        assert!(worklist.body.contains(&format!("/indications/{id}#extend-heading")), "{}", worklist.body);
        assert!(worklist.body.contains("30-04-2026"));

        // An extension needs a reason.
        let no_reason = c.post(&format!("/indications/{id}/extend"), &[
            ("csrf_token", &token), ("end_date", "2026-10-31"), ("reason", ""),
        ]).await;
        assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(no_reason.body.contains("Reden: schrijf op waarom."), "{}", no_reason.body);
        let extended = c.post(&format!("/indications/{id}/extend"), &[
            ("csrf_token", &token), ("end_date", "2026-10-31"), ("reason", "nog kwetsbaar na verhuizing"),
        ]).await;
        extended.assert_redirect(&format!("/indications/{id}?saved=extended"));
        let page = c.get(&format!("/indications/{id}")).await;
        assert!(page.body.contains("verlengd van 30-04-2026 tot 31-10-2026: nog kwetsbaar na verhuizing"), "{}", page.body);
        assert!(page.body.contains("Einddatum: 2026-04-30 → 2026-10-31"), "{}", page.body);
        // No longer ending within 60 days.
        let worklist = c.get("/worklist").await;
        assert!(!worklist.body.contains(&format!("/indications/{id}#extend-heading")));
    }
}

db_test! {
    async fn only_consultants_reach_the_indication_pages(db) {
        seed_accounts(&db.store).await;
        let (kees, _) = kees_and_provider(&db.store).await;
        for role in [Role::Professional, Role::TeamLead, Role::Analyst, Role::Resident] {
            let mut c = Client::new(&db.store);
            c.login_as(role).await;
            for page in ["/residents".to_owned(), format!("/residents/{kees}"), format!("/residents/{kees}/indications/new")] {
                assert_eq!(c.get(&page).await.status, StatusCode::FORBIDDEN, "{role:?} {page}");
            }
        }
        let mut c = Client::new(&db.store);
        c.login_as(Role::Consultant).await;
        let list = c.get("/residents?q=Dam").await;
        assert!(list.body.contains(&format!("/residents/{kees}")), "{}", list.body);
        assert_eq!(c.get("/indications/999999").await.status, StatusCode::NOT_FOUND);
    }
}

db_test! {
    async fn the_new_indication_form_offers_the_municipalitys_own_catalogue(db) {
        use waakvlam_store::catalogue::{self, OfferedIn, ProductInput};
        seed_accounts(&db.store).await;
        let (kees, _) = kees_and_provider(&db.store).await;
        for (code, place) in [("WVLG", "0664"), ("WVLB", "0654")] {
            let input = ProductInput {
                code: code.into(),
                category: "02".into(),
                name: format!("Waakvlam {place}"),
                level: "waakvlam".into(),
                active: true,
                offered_in: OfferedIn::Municipality(place.into()),
                ..Default::default()
            };
            db.store
                .write(&Actor::system("test"), async |cx| catalogue::create_product(cx, &input).await)
                .await
                .unwrap();
        }
        let mut c = Client::new(&db.store);
        c.login_as(Role::Consultant).await;
        let form = c.get(&format!("/residents/{kees}/indications/new")).await;
        assert!(form.body.contains(r#"<option value="WVLG""#), "Goes's own product");
        assert!(!form.body.contains(r#"<option value="WVLB""#), "not Borsele's");
        assert!(form.body.contains(r#"<option value="WVL""#), "and the shared ones");
    }
}
