//! `/catalogue`: who may read and change the catalogue, the forms with CSRF,
//! errors next to their field, and abolishing an own contribution.

use axum::http::StatusCode;
use waakvlam_domain::role::Role;
use waakvlam_testkit::db_test;

use crate::support::{Client, Resp, seed_accounts};

async fn logged_in(db: &waakvlam_testkit::TestDb, role: Role) -> (Client, String) {
    let mut c = Client::new(&db.store);
    c.login_as(role).await;
    let csrf = c.session_csrf("/catalogue").await;
    (c, csrf)
}

/// The text of the element with `id` (up to its closing tag), for error messages.
fn text_of(resp: &Resp, id: &str) -> Option<String> {
    let marker = format!(r#"id="{id}">"#);
    let start = resp.body.find(&marker)? + marker.len();
    let end = resp.body[start..].find('<')?;
    Some(resp.body[start..start + end].trim().to_owned())
}

db_test! {
    async fn a_contract_manager_sets_a_tariff_with_csrf_and_sees_it(db) {
        seed_accounts(&db.store).await;
        let (mut c, csrf) = logged_in(db, Role::ContractManager).await;
        let page = c.get("/catalogue").await;
        assert_eq!(page.h1(), "Catalogus en tarieven");
        assert!(page.body.contains(r#"action="/catalogue/tariffs""#));
        // A municipality's contract manager sets only the municipality's prices.
        assert!(!page.body.contains(r#"<option value="region""#), "no region-wide option");
        assert!(page.body.contains(r#"<option value="0664""#));
        assert!(!page.body.contains("/catalogue/products/new"), "the shared catalogue is not theirs");

        let form = |csrf: &str| {
            vec![
                ("csrf_token", csrf.to_owned()),
                ("product", "WVL".to_owned()),
                ("municipality", "0664".to_owned()),
                ("year", "2027".to_owned()),
                ("variant", "per_unit".to_owned()),
                ("unit_period", "week".to_owned()),
                ("amount", "€ 50,00".to_owned()),
                ("budget_ceiling", String::new()),
            ]
        };
        let post = |fields: &Vec<(&'static str, String)>| {
            fields.iter().map(|(k, v)| (*k, v.clone())).collect::<Vec<_>>()
        };
        // Without the session's CSRF token nothing happens.
        let fields = post(&form("forged"));
        let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_eq!(c.post("/catalogue/tariffs", &refs).await.status, StatusCode::BAD_REQUEST);

        let fields = post(&form(&csrf));
        let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        c.post("/catalogue/tariffs", &refs)
            .await
            .assert_redirect("/catalogue?saved=tariff#tariffs");
        let page = c.get("/catalogue?saved=tariff").await;
        assert!(page.body.contains("Het tarief is opgeslagen."));
        assert!(page.body.contains("€ 50,00 per week"), "{}", page.body);
        assert!(page.body.contains("Tarief 2027, Goes"), "the change is in the history");
        // Its terms in the forms' words, never as stored.
        let history = page.body.split(r#"id="history""#).nth(1).expect("the history");
        assert!(history.contains(">€ 50,00 per week</td>"), "{history}");
        assert!(!history.contains("per_unit"), "{history}");
        assert!(page.body.contains("Test contract_manager"));

        // The contract may pay a per-indication amount again in each extension year.
        let mut fields = post(&form(&csrf));
        fields[4].1 = "per_indication_year".to_owned();
        fields[6].1 = "705,69".to_owned();
        let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        c.post("/catalogue/tariffs", &refs)
            .await
            .assert_redirect("/catalogue?saved=tariff#tariffs");
        let page = c.get("/catalogue").await;
        assert!(page.body.contains("per indicatie, opnieuw in elk (verlengings)jaar"), "{}", page.body);
    }
}

db_test! {
    async fn errors_are_shown_next_to_the_field_and_the_input_is_kept(db) {
        seed_accounts(&db.store).await;
        let (mut c, csrf) = logged_in(db, Role::ContractManager).await;
        let resp = c
            .post(
                "/catalogue/tariffs",
                &[
                    ("csrf_token", &csrf),
                    ("product", "BTS"),
                    ("municipality", "0664"),
                    ("year", "20277"),
                    ("variant", "per_hour"),
                    ("unit_period", ""),
                    ("amount", "72,365"),
                    ("budget_ceiling", ""),
                ],
            )
            .await;
        assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            text_of(&resp, "tariff-year-error").as_deref(),
            Some("Vul een jaar in tussen 2000 en 2100, bijvoorbeeld 2027.")
        );
        assert_eq!(
            text_of(&resp, "tariff-amount-error").as_deref(),
            Some("Dit bedrag is niet eenduidig: schrijf 1234 of 1.234,00.")
        );
        assert_eq!(
            text_of(&resp, "tariff-budget_ceiling-error").as_deref(),
            Some("Bij bekostiging per uur is een budgetplafond verplicht, bijvoorbeeld 12.000,00.")
        );
        assert!(resp.body.contains(r#"name="amount" value="72,365" aria-invalid="true""#), "{}", resp.body);
        assert!(resp.body.contains(r#"value="20277""#));
        assert!(resp.body.contains(r#"<option value="per_hour" selected>"#));

        // Outside their municipality: refused by the store, said next to the field.
        let resp = c
            .post(
                "/catalogue/own-contributions/abolish",
                &[
                    ("csrf_token", &csrf),
                    ("product", "WVL"),
                    ("municipality", "region"),
                    ("valid_from", "2027-01-01"),
                ],
            )
            .await;
        assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            text_of(&resp, "abolish-municipality-error").as_deref(),
            Some("U mag dit alleen wijzigen voor uw eigen gemeente of regio.")
        );
    }
}

db_test! {
    async fn abolishing_the_own_contribution_shows_both_rows(db) {
        seed_accounts(&db.store).await;
        let (mut c, csrf) = logged_in(db, Role::ContractManager).await;
        c.post(
            "/catalogue/own-contributions",
            &[
                ("csrf_token", &csrf),
                ("product", "WVL"),
                ("municipality", "0664"),
                ("valid_from", "2025-01-01"),
                ("monthly", "19"),
            ],
        )
        .await
        .assert_redirect("/catalogue?saved=contribution#contributions");
        c.post(
            "/catalogue/own-contributions/abolish",
            &[
                ("csrf_token", &csrf),
                ("product", "WVL"),
                ("municipality", "0664"),
                ("valid_from", "2026-07-01"),
            ],
        )
        .await
        .assert_redirect("/catalogue?saved=abolished#contributions");
        let page = c.get("/catalogue").await;
        let old = page.body.find("01-01-2025").expect("the old row stays");
        let new = page.body.find("01-07-2026").expect("the €0 row");
        assert!(old < new, "oldest first");
        assert!(page.body.contains("€ 19,00"));
        assert!(page.body.contains("€ 0,00 (afgeschaft)"));
    }
}

db_test! {
    async fn consultants_read_only_and_others_are_refused(db) {
        seed_accounts(&db.store).await;
        let (mut c, csrf) = logged_in(db, Role::Consultant).await;
        let page = c.get("/catalogue").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Alleen beheerders en contractmanagers kunnen hem wijzigen."));
        assert!(!page.body.contains(r#"action="/catalogue/tariffs""#));
        let resp = c
            .post(
                "/catalogue/tariffs",
                &[
                    ("csrf_token", &csrf),
                    ("product", "WVL"),
                    ("municipality", "0664"),
                    ("year", "2027"),
                    ("variant", "per_indication"),
                    ("amount", "1"),
                ],
            )
            .await;
        assert_eq!(resp.status, StatusCode::FORBIDDEN);
        assert_eq!(c.get("/catalogue/products/new").await.status, StatusCode::FORBIDDEN);

        for role in [Role::Professional, Role::TeamLead, Role::Analyst, Role::Resident] {
            let mut c = Client::new(&db.store);
            c.login_as(role).await;
            assert_eq!(c.get("/catalogue").await.status, StatusCode::FORBIDDEN, "{role:?}");
        }
    }
}

db_test! {
    async fn an_admin_adds_and_changes_a_product(db) {
        seed_accounts(&db.store).await;
        let (mut c, csrf) = logged_in(db, Role::Admin).await;
        assert_eq!(c.get("/catalogue/products/new").await.status, StatusCode::OK);
        let resp = c
            .post(
                "/catalogue/products",
                &[
                    ("csrf_token", &csrf),
                    ("code", "hh-1"),
                    ("category", "1"),
                    ("name", "Hulp bij het huishouden"),
                    ("level", "other"),
                    ("active", "on"),
                ],
            )
            .await;
        assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            text_of(&resp, "product-code-error").as_deref(),
            Some("Vul een productcode in van 1 tot 5 letters of cijfers, bijvoorbeeld WVL.")
        );
        assert_eq!(
            text_of(&resp, "product-category-error").as_deref(),
            Some("Vul de iWmo-categorie in als 2 cijfers, bijvoorbeeld 02.")
        );
        assert!(resp.body.contains(r#"value="Hulp bij het huishouden""#));

        let resp = c
            .post(
                "/catalogue/products",
                &[
                    ("csrf_token", &csrf),
                    ("code", "WVL"),
                    ("category", "02"),
                    ("name", "Nog een waakvlam"),
                    ("level", "waakvlam"),
                ],
            )
            .await;
        assert_eq!(
            text_of(&resp, "product-code-error").as_deref(),
            Some("Deze productcode bestaat al. Kies een andere code of wijzig het bestaande product.")
        );

        c.post(
            "/catalogue/products",
            &[
                ("csrf_token", &csrf),
                ("code", "hh"),
                ("category", "01"),
                ("name", "Hulp bij het huishouden"),
                ("level", "other"),
                ("active", "on"),
            ],
        )
        .await
        .assert_redirect("/catalogue?saved=product");
        let page = c.get("/catalogue").await;
        assert!(page.body.contains("HH — Hulp bij het huishouden"));
        let system = waakvlam_store::Actor::system("test");
        let id = (db.store)
            .read(&system, async |cx| waakvlam_store::catalogue::product_by_code(cx, "HH").await)
            .await
            .unwrap()
            .unwrap()
            .id;
        // Unticking "active" retires it; the change is in the history.
        c.post(
            &format!("/catalogue/products/{id}"),
            &[
                ("csrf_token", &csrf),
                ("code", "HH"),
                ("category", "01"),
                ("name", "Hulp bij het huishouden"),
                ("level", "other"),
            ],
        )
        .await
        .assert_redirect("/catalogue?saved=product");
        let stored = (db.store)
            .read(&system, async |cx| waakvlam_store::catalogue::product_by_id(cx, id).await)
            .await
            .unwrap()
            .unwrap();
        assert!(!stored.active);
        let page = c.get("/catalogue").await;
        assert!(page.body.contains("Product toegevoegd"));
        assert!(page.body.contains("<td class=\"utrecht-table__cell\">Actief</td>"), "{}", page.body);
        let history = page.body.split(r#"id="history""#).nth(1).expect("the history");
        assert!(history.contains(">ja</td>") && history.contains(">nee</td>"), "{history}");
        assert!(history.contains(">HH — Hulp bij het huishouden (Overig)</td>"), "{history}");
    }
}
