//! The iWmo message log: the consultant's decision shows as a WMO301 ready to
//! send, for the consultant and the provider's team lead, with its XML for
//! them alone; the contract manager follows the log without the XML; another
//! municipality's consultant sees none of it.

use axum::http::StatusCode;
use waakvlam_domain::role::Role;
use waakvlam_testkit::{db_test, person};

use crate::support::{BORSELE, Client, PASSWORD, seed_care_world};

const NORA: &str = "200000007";

db_test! {
    async fn a_consultants_decision_is_in_the_message_log_with_its_xml_for_those_who_may_see_it(db) {
        let w = seed_care_world()
            .resident(person(NORA).given_names("Nora").family_name(None, "Bakker").in_municipality("0664"))
            .create(&db.store)
            .await;
        let nora = w.resident(NORA);
        let provider = w.provider("Zeeuwse Zorgcoöperatie");
        let mut consultant = Client::new(&db.store);
        consultant.login_as(Role::Consultant).await;
        let token = consultant.session_csrf("/worklist").await;
        let today = db.store.now().date_naive();
        let day = |n: u64| (today + chrono::Days::new(n)).format("%Y-%m-%d").to_string();
        let provider_id = provider.to_string();
        let resp = consultant
            .post(
                &format!("/residents/{nora}/indications"),
                &[
                    ("csrf_token", token.as_str()),
                    ("product_code", "WVL"),
                    ("provider_id", &provider_id),
                    ("issued_on", &day(0)),
                    ("start_date", &day(0)),
                    ("end_date", &day(200)),
                    ("agreed_result", "Zelf de administratie bijhouden"),
                ],
            )
            .await;
        assert_eq!(resp.status, StatusCode::SEE_OTHER);

        // The consultant's log: the WMO301, ready to send, to the provider; no BSN in the list.
        let log = consultant.get("/iwmo").await;
        assert_eq!(log.status, StatusCode::OK);
        assert!(log.body.contains("WMO301 toewijzing"), "{}", log.body);
        assert!(log.body.contains("Klaar om te versturen"));
        assert!(log.body.contains("van 0664 naar "), "from the municipality to the provider: {}", log.body);
        assert!(!log.body.contains(NORA), "the list shows no BSN");
        let href = log
            .body
            .split("href=\"/iwmo/")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("a link to the message")
            .to_owned();
        // Opening it shows the XML (escaped), after an access-log entry on Nora.
        let before = waakvlam_testkit::access_count(&db.store).await;
        let detail = consultant.get(&format!("/iwmo/{href}")).await;
        assert_eq!(detail.status, StatusCode::OK);
        assert!(detail.body.contains(&format!("&#60;Bsn&#62;{NORA}&#60;/Bsn&#62;")), "{}", detail.body);
        assert_eq!(waakvlam_testkit::access_count(&db.store).await, before + 1);
        let entry = waakvlam_testkit::access_latest(&db.store, 1).await.remove(0);
        assert_eq!(entry.resident_id.map(|r| r.get()), Some(nora));
        // As a file: the XML exactly as it goes out, named by kind and identification, after its own log entry.
        assert!(detail.body.contains(&format!("href=\"/iwmo/{href}/download\"")));
        let file = consultant.get(&format!("/iwmo/{href}/download")).await;
        assert_eq!(file.status, StatusCode::OK);
        assert!(file.body.starts_with("<?xml"), "{}", file.body);
        assert!(file.body.contains(&format!("<Bsn>{NORA}</Bsn>")));
        assert_eq!(waakvlam_testkit::access_count(&db.store).await, before + 2);

        // The provider's team lead sees it too; the contract manager only the line; Borsele nothing.
        let mut lead = Client::new(&db.store);
        lead.login_as(Role::TeamLead).await;
        assert!(lead.get("/iwmo").await.body.contains("WMO301 toewijzing"));
        assert_eq!(lead.get(&format!("/iwmo/{href}")).await.status, StatusCode::OK);
        let mut manager = Client::new(&db.store);
        manager.login_as(Role::ContractManager).await;
        let line = manager.get("/iwmo").await;
        assert!(line.body.contains("WMO301 toewijzing"), "{}", line.body);
        assert!(!line.body.contains("href=\"/iwmo/"), "no link to the XML");
        assert_ne!(manager.get(&format!("/iwmo/{href}")).await.status, StatusCode::OK);
        let mut borsele = Client::new(&db.store);
        borsele.login(BORSELE, PASSWORD).await;
        assert!(!borsele.get("/iwmo").await.body.contains("WMO301"), "another municipality's log");
        assert_ne!(borsele.get(&format!("/iwmo/{href}")).await.status, StatusCode::OK);
    }
}

db_test! {
    async fn the_contract_manager_sees_what_was_declared_granted_and_waiting_without_residents(db) {
        use waakvlam_domain::declaration::DeclarationPeriod;
        use waakvlam_domain::money::Cents;
        use waakvlam_domain::tariff::{FundingVariant, UnitPeriod};
        use waakvlam_store::{Actor, ProviderId, catalogue, declarations};
        let w = seed_care_world().create(&db.store).await;
        let provider = ProviderId::new(w.provider("Zeeuwse Zorgcoöperatie"));
        let system = Actor::system("test");
        let outcome = db
            .store
            .write(&system, async |cx| {
                let wvl = catalogue::product_by_code(cx, "WVL").await?.unwrap();
                catalogue::set_tariff(cx, &catalogue::NewTariff {
                    product_id: wvl.id,
                    municipality_code: None,
                    year: 2026,
                    variant: FundingVariant::PerUnit(UnitPeriod::Week),
                    amount: Cents(5_000),
                })
                .await?;
                declarations::declare(cx, provider, DeclarationPeriod::parse("2026-02").unwrap()).await
            })
            .await
            .unwrap();
        assert_eq!(outcome.declarations.len(), 1, "{outcome:?}");

        let mut manager = Client::new(&db.store);
        manager.login_as(Role::ContractManager).await;
        let page = manager.get("/declarations").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains("Zeeuwse Zorgcoöperatie"), "{}", page.body);
        // Four weeks of waakvlam begin in February: 4 × € 50, waiting for the municipality's answer.
        assert!(page.body.contains("data-declared>€ 200,00<"), "{}", page.body);
        assert!(page.body.contains("data-waiting>€ 200,00<"), "{}", page.body);
        assert!(page.body.contains("Geen afgewezen regels."));
        assert!(!page.body.contains("111222333") && !page.body.contains("Kees"), "nobody is named");
        assert!(page.body.contains(r#"href="/declarations""#), "in the contract manager's navigation");
        // The provider's team lead sees its own declarations.
        let mut lead = Client::new(&db.store);
        lead.login_as(Role::TeamLead).await;
        assert!(lead.get("/declarations").await.body.contains("data-declared>€ 200,00<"));
        // Borsele's consultant does not follow declarations.
        let mut borsele = Client::new(&db.store);
        borsele.login(BORSELE, PASSWORD).await;
        assert_ne!(borsele.get("/declarations").await.status, StatusCode::OK);
    }
}
