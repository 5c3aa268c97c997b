//! Registering a new resident and the product rules over HTTP (issue 12):
//! the consultant's form at `/residents/new`, the duplicate check by BSN
//! without a BSN in any address, and the maximum duration and contracts
//! on `/catalogue` as the consultant then meets them.

use axum::http::StatusCode;
use waakvlam_domain::role::Role;
use waakvlam_testkit::db_test;

use crate::support::{Client, KEES, Resp, STRANGER, STRANGER_NAME, seed_care};

/// A BSN that passes the 11-check and belongs to nobody yet.
const NEW_BSN: &str = "200000007";

/// No address the answer points to carries a BSN.
#[track_caller]
fn no_bsn_in_location(resp: &Resp) {
    if let Some(location) = resp.location() {
        for bsn in [NEW_BSN, KEES, STRANGER] {
            assert!(!location.contains(bsn), "a BSN in {location}");
        }
    }
}

db_test! {
    async fn a_consultant_registers_a_resident_and_the_bsn_never_leaves_the_form(db) {
        seed_care(&db.store).await;
        let mut c = Client::new(&db.store);
        c.login_as(Role::Consultant).await;
        // Linked from the start page and from the residents.
        for page in ["/worklist", "/residents"] {
            let body = c.get(page).await.body;
            assert!(body.contains(r#"href="/residents/new""#), "{page}: {body}");
        }
        let form = c.get("/residents/new").await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(form.body.contains("Nieuwe inwoner inschrijven"));
        // Goes's consultant registers in Goes only: it is chosen already.
        assert!(form.body.contains(r#"<option value="0664" selected>Goes</option>"#), "{}", form.body);
        assert!(!form.body.contains(r#"value="0654""#), "not Borsele");
        let token = form.form_csrf();

        // Everything wrong at once, each at its field, what was typed kept.
        let refused = c.post("/residents", &[
            ("csrf_token", &token),
            ("bsn", "123456789"),
            ("family_name", ""),
            ("given_names", "Nina"),
            ("birth_date", "14-02-1948"),
            ("municipality_code", "0664"),
            ("email", "nina-zonder-apenstaartje"),
        ]).await;
        no_bsn_in_location(&refused);
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        for text in [
            "BSN: Dit BSN bestaat niet: controleer de cijfers (elfproef).",
            "Achternaam: ",
            "Geboortedatum: 14-02-1948 is geen datum.",
            "E-mailadres: ",
        ] {
            assert!(refused.body.contains(text), "{text}: {}", refused.body);
        }
        assert!(refused.body.contains(r#"id="field-bsn-error""#));
        assert!(refused.body.contains(r#"id="field-family_name-error""#));
        assert!(refused.body.contains(r#"id="field-birth_date-error""#));
        assert!(refused.body.contains(r#"id="field-email-error""#));
        assert!(refused.body.contains(r#"value="Nina""#), "what was typed stays");

        // Right: the resident is made and the consultant lands on the pathway.
        let fields = [
            ("csrf_token", token.as_str()),
            ("bsn", NEW_BSN),
            ("given_names", "Nina Maria"),
            ("name_prefix", "de"),
            ("family_name", "Boer"),
            ("birth_date", "1948-02-14"),
            ("municipality_code", "0664"),
            ("phone", "0113 123 456"),
            ("email", "nina@example.nl"),
            ("address", "Markt 1, 4461 AB Goes"),
        ];
        let created = c.post("/residents", &fields).await;
        no_bsn_in_location(&created);
        assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
        let location = created.location().unwrap().to_owned();
        assert!(location.starts_with("/residents/") && location.ends_with("?done=registered"), "{location}");
        let pathway = c.get(&location).await;
        assert_eq!(pathway.status, StatusCode::OK);
        assert!(pathway.body.contains("Traject van Nina de Boer"), "{}", pathway.body);
        assert!(pathway.body.contains("De inwoner is ingeschreven."));
        let path = location.split('?').next().unwrap().to_owned();
        assert!(pathway.body.contains(&format!(r#"href="{path}/indications/new""#)));

        // Again: no second Nina, a link to the one there is.
        let again = c.post("/residents", &fields).await;
        no_bsn_in_location(&again);
        assert_eq!(again.status, StatusCode::OK);
        assert!(again.body.contains("Deze inwoner staat al in Waakvlam: Boer, N.M. de."), "{}", again.body);
        assert!(again.body.contains(&format!(r#"href="{path}""#)), "{}", again.body);
        let list = c.get("/residents?q=Boer").await;
        assert_eq!(list.body.matches(r#"href="/residents/"#).count() - 1, 1, "one Nina (and the link to register): {}", list.body);

        // Kees, whom Goes knows, is found the same way.
        let kees = c.post("/residents", &[
            ("csrf_token", &token), ("bsn", KEES), ("family_name", "Dam"),
            ("birth_date", "1979-06-14"), ("municipality_code", "0664"),
        ]).await;
        no_bsn_in_location(&kees);
        assert!(kees.body.contains("Deze inwoner staat al in Waakvlam: Dam, K. van."), "{}", kees.body);

        // Greet lives in Borsele: refused, nothing about her, and logged.
        let greet = c.post("/residents", &[
            ("csrf_token", &token), ("bsn", STRANGER), ("family_name", "Iemand"),
            ("birth_date", "1960-01-01"), ("municipality_code", "0664"),
        ]).await;
        no_bsn_in_location(&greet);
        assert_eq!(greet.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(greet.body.contains("inschrijven is niet mogelijk. Deze inwoner is bekend bij een andere gemeente."), "{}", greet.body);
        assert!(!greet.body.contains(STRANGER_NAME) && !greet.body.contains("Borsele"), "{}", greet.body);
        let log = waakvlam_testkit::access_latest(&db.store, 1).await;
        assert_eq!(log[0].outcome, "denied");
        assert!(!log[0].objects.contains(STRANGER));

        // A municipality outside the consultant's scope is refused at its field.
        let borsele = c.post("/residents", &[
            ("csrf_token", &token), ("bsn", "200000015"), ("family_name", "Ander"),
            ("birth_date", "1960-01-01"), ("municipality_code", "0654"),
        ]).await;
        assert_eq!(borsele.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(borsele.body.contains("Gemeente: kies een gemeente waar u voor werkt."), "{}", borsele.body);
    }
}

db_test! {
    async fn only_consultants_and_administrators_register(db) {
        seed_care(&db.store).await;
        for role in [Role::Professional, Role::TeamLead, Role::ContractManager, Role::Analyst] {
            let mut c = Client::new(&db.store);
            c.login_as(role).await;
            let resp = c.get("/residents/new").await;
            assert!(matches!(resp.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND), "{role:?}: {}", resp.status);
        }
        // An administrator chooses among every municipality.
        let mut c = Client::new(&db.store);
        c.login_as(Role::Admin).await;
        let form = c.get("/residents/new").await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(form.body.contains(r#"value="0654""#) && form.body.contains(r#"value="0664""#));
    }
}

db_test! {
    async fn the_maximum_duration_and_the_contracts_are_set_on_the_catalogue_and_hold_in_the_form(db) {
        let w = seed_care(&db.store).await;
        let mut manager = Client::new(&db.store);
        manager.login_as(Role::ContractManager).await;
        let page = manager.get("/catalogue").await;
        assert!(page.body.contains("Maximale duur instellen"), "{}", page.body);
        let token = page.meta_csrf();

        // Goes's contract manager may set Goes's rule; wrong months are
        // refused at the field.
        let wrong = manager.post("/catalogue/rules", &[
            ("csrf_token", &token), ("product", "WVL"), ("place", "municipality:0664"), ("months", "twaalf"),
        ]).await;
        assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(wrong.body.contains(r#"id="rule-months-error""#), "{}", wrong.body);
        assert!(wrong.body.contains("Vul een heel aantal maanden in van 1 tot en met 120"), "{}", wrong.body);
        assert!(wrong.body.contains(r#"value="twaalf""#));
        let saved = manager.post("/catalogue/rules", &[
            ("csrf_token", &token), ("product", "WVL"), ("place", "municipality:0664"), ("months", "12"),
        ]).await;
        assert_eq!(saved.location(), Some("/catalogue?saved=rule#rules"));
        let page = manager.get("/catalogue?saved=rule").await;
        assert!(page.body.contains("De maximale duur is opgeslagen."));
        assert!(page.body.contains("<dt>Goes</dt><dd>12 maanden</dd>"), "{}", page.body);
        assert!(page.body.contains("Maximale duur (Goes)"), "in the history: {}", page.body);
        // Not Borsele's: that is not Goes's manager's to set.
        let elsewhere = manager.post("/catalogue/rules", &[
            ("csrf_token", &token), ("product", "WVL"), ("place", "municipality:0654"), ("months", "6"),
        ]).await;
        assert_eq!(elsewhere.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(elsewhere.body.contains("U mag dit alleen wijzigen voor uw eigen gemeente of regio."));

        // Stichting Elders is contracted for WVL in Goes; Zeeuwse is not.
        let elders = w.provider("Stichting Elders");
        let zeeuwse = w.provider("Zeeuwse Zorgcoöperatie");
        let contracted = manager.post("/catalogue/contracts", &[
            ("csrf_token", &token), ("product", "WVL"), ("provider", &elders.to_string()), ("place", "municipality:0664"),
        ]).await;
        assert_eq!(contracted.location(), Some("/catalogue?saved=contract#contracts"));
        let page = manager.get("/catalogue").await;
        assert!(page.body.contains("Stichting Elders — Goes, declareert per kalendermaand"), "{}", page.body);
        // Declared per four weeks instead; a period that is neither is refused at its field.
        let bad = manager.post("/catalogue/contracts", &[
            ("csrf_token", &token), ("product", "WVL"), ("provider", &elders.to_string()), ("place", "municipality:0664"),
            ("declaration_period", "quarter"),
        ]).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains(r#"id="contract-declaration_period-error">Kies of de aanbieder per kalendermaand of per vier weken declareert."#), "{}", bad.body);
        let four = manager.post("/catalogue/contracts", &[
            ("csrf_token", &token), ("product", "WVL"), ("provider", &elders.to_string()), ("place", "municipality:0664"),
            ("declaration_period", "four_weeks"),
        ]).await;
        assert_eq!(four.location(), Some("/catalogue?saved=contract#contracts"));
        let page = manager.get("/catalogue").await;
        assert!(page.body.contains("Stichting Elders — Goes, declareert per vier weken"), "{}", page.body);

        // The consultant meets both in the indication form.
        let mut c = Client::new(&db.store);
        c.login_as(Role::Consultant).await;
        let kees = w.resident(KEES);
        let form = c.get(&format!("/residents/{kees}/indications/new")).await;
        assert!(form.body.contains("WVL — Waakvlam"), "{}", form.body);
        assert!(form.body.contains("hoogstens 12 maanden"), "{}", form.body);
        assert!(form.body.contains(&format!(r#"<option value="{elders}">Stichting Elders ("#)), "{}", form.body);
        let t = form.form_csrf();
        let (zeeuwse, elders) = (zeeuwse.to_string(), elders.to_string());
        let refused = c.post(&format!("/residents/{kees}/indications"), &[
            ("csrf_token", &t), ("product_code", "WVL"), ("provider_id", &zeeuwse),
            ("issued_on", "2026-03-10"), ("start_date", "2026-03-16"), ("end_date", "2026-12-31"),
            ("overlap_confirmed", "on"),
        ]).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.body.contains("Aanbieder: Zeeuwse Zorgcoöperatie heeft hier geen contract voor WVL."), "{}", refused.body);
        let too_long = c.post(&format!("/residents/{kees}/indications"), &[
            ("csrf_token", &t), ("product_code", "WVL"), ("provider_id", &elders),
            ("issued_on", "2026-03-10"), ("start_date", "2026-03-16"), ("end_date", "2027-06-01"),
            ("overlap_confirmed", "on"),
        ]).await;
        assert_eq!(too_long.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(too_long.body.contains("Einddatum: dit product duurt hier hoogstens 12 maanden."), "{}", too_long.body);
        let created = c.post(&format!("/residents/{kees}/indications"), &[
            ("csrf_token", &t), ("product_code", "WVL"), ("provider_id", &elders),
            ("issued_on", "2026-03-10"), ("start_date", "2026-03-16"), ("end_date", ""),
            ("overlap_confirmed", "on"),
        ]).await;
        assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
        let page = c.get(created.location().unwrap()).await;
        assert!(page.body.contains("15-03-2027"), "ends at the maximum: {}", page.body);
    }
}
