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
            .split("data-message=\"")
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
        assert!(!line.body.contains(&format!("href=\"/iwmo/{href}\"")), "no link to the XML");
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

/// A WMO301 from Goes to `agb` for a new client (BSN 999996708).
fn allocation_for(agb: &str, identification: &str) -> String {
    use chrono::NaiveTime;
    use waakvlam_domain::ids::{
        AgbCode, AllocationNumber, Bsn, MunicipalityCode, ProductCategory, ProductCode,
    };
    use waakvlam_iwmo::wmo301::{
        AllocatedProduct, Allocation, Client, Contact, Extent, Frequency, Gender, Name, Unit,
    };
    use waakvlam_iwmo::{Header, MessageId, MessageKind, Parties};
    let day = |m, d| chrono::NaiveDate::from_ymd_opt(2026, m, d).unwrap();
    Allocation {
        header: Header {
            kind: MessageKind::Wmo301,
            parties: Parties {
                municipality: MunicipalityCode::parse("0664").unwrap(),
                provider: AgbCode::parse(agb).unwrap(),
            },
            id: MessageId::new(identification, day(3, 9)).unwrap(),
        },
        client: Client {
            bsn: Bsn::parse("999996708").unwrap(),
            birth_date: day(1, 2),
            gender: Gender::Unknown,
            name: Name {
                family_name: "Visser".into(),
                prefix: None,
                given_names: Some("Anna".into()),
                initials: None,
            },
            contact: Contact::default(),
        },
        products: vec![AllocatedProduct {
            reference: None,
            number: AllocationNumber::new(4711).unwrap(),
            category: ProductCategory::parse("02").unwrap(),
            code: Some(ProductCode::parse("WVL").unwrap()),
            allocated_on: day(3, 9),
            allocated_at: NaiveTime::from_hms_opt(10, 0, 0).unwrap(),
            start: day(3, 9),
            end: Some(day(12, 31)),
            extent: Extent::Volume {
                volume: 1,
                unit: Unit::PieceEffort,
                per: Frequency::PerWeek,
            },
            change: None,
            comment: None,
        }],
    }
    .to_xml()
    .unwrap()
}

db_test! {
    async fn a_team_lead_without_a_connection_uploads_received_messages_and_marks_the_retour_sent_by_hand(db) {
        seed_care_world().create(&db.store).await;
        let mut lead = Client::new(&db.store);
        lead.login_as(Role::TeamLead).await;
        let page = lead.get("/iwmo/upload").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("enctype=\"multipart/form-data\""));
        let token = page.form_csrf();

        // Nothing chosen: the error at the file field, nothing read.
        let none = lead.post_files("/iwmo/upload", &[("csrf_token", &token)], &[("files", "", b"")]).await;
        assert_eq!(none.status, StatusCode::OK);
        assert!(none.body.contains("Kies een of meer berichtbestanden"), "{}", none.body);
        assert!(none.body.contains("aria-invalid=\"true\""));

        // A wrong token reads nothing.
        let ours = allocation_for("75751001", "GEM-301-1");
        let forged = lead.post_files("/iwmo/upload", &[("csrf_token", "forged")], &[("files", "a.xml", ours.as_bytes())]).await;
        assert_ne!(forged.status, StatusCode::OK);

        // Three files: one for this provider, one for another provider, one that is no message.
        let theirs = allocation_for("75751002", "GEM-301-2");
        let resp = lead
            .post_files(
                "/iwmo/upload",
                &[("csrf_token", &token)],
                &[
                    ("files", "toewijzing.xml", ours.as_bytes()),
                    ("files", "elders.xml", theirs.as_bytes()),
                    ("files", "notitie.txt", b"geen bericht"),
                ],
            )
            .await;
        assert_eq!(resp.status, StatusCode::OK);
        let body = &resp.body;
        assert!(body.contains("toewijzing.xml</strong>: WMO301 toewijzing GEM-301-1 van 0664"), "{body}");
        assert!(body.contains("Verwerkt. Het retourbericht staat klaar"), "{body}");
        assert!(body.contains("gericht aan 75751002, niet aan uw gemeente of organisatie"), "{body}");
        assert!(body.contains("notitie.txt</strong>"));
        assert!(body.contains("geen iWmo 3.2-bericht"), "{body}");
        // The allocation is in the intake inbox; the other provider's message was not recorded.
        let intake = lead.get("/intake").await;
        assert!(intake.body.contains("Visser"), "{}", intake.body);
        let log = lead.get("/iwmo").await;
        assert!(!log.body.contains("GEM-301-2"), "nothing recorded of a message for another provider");
        // The same file again changes nothing.
        let again = lead.post_files("/iwmo/upload", &[("csrf_token", &token)], &[("files", "toewijzing.xml", ours.as_bytes())]).await;
        assert!(again.body.contains("al ingelezen"), "{}", again.body);

        // The retour WMO302 waits; downloaded and sent by hand, it is marked sent.
        let log = lead.get("/iwmo").await;
        assert!(log.body.contains("WMO302 retour toewijzing"), "{}", log.body);
        let id = log
            .body
            .split("data-message=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap()
            .to_owned();
        let detail = lead.get(&format!("/iwmo/{id}")).await;
        assert!(detail.body.contains("Ik heb dit bericht verstuurd"), "{}", detail.body);
        let sent = lead.post(&format!("/iwmo/{id}/sent"), &[("csrf_token", &token)]).await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER);
        let detail = lead.get(&format!("/iwmo/{id}")).await;
        assert!(detail.body.contains("Verstuurd op"), "{}", detail.body);
        assert!(!detail.body.contains("Ik heb dit bericht verstuurd"));
        let twice = lead.post(&format!("/iwmo/{id}/sent"), &[("csrf_token", &token)]).await;
        assert_ne!(twice.status, StatusCode::SEE_OTHER, "sent once");

        // The contract manager may not upload.
        let mut manager = Client::new(&db.store);
        manager.login_as(Role::ContractManager).await;
        let token = manager.session_csrf("/iwmo").await;
        let refused = manager.post_files("/iwmo/upload", &[("csrf_token", &token)], &[("files", "a.xml", ours.as_bytes())]).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
    }
}
