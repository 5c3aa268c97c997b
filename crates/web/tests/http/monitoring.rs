//! `/monitoring` and its CSV exports: who may see what, filters, and the
//! figures of a small hand-built data set.

use axum::http::StatusCode;
use waakvlam_domain::role::Role;
use waakvlam_store::{Store, accounts};
use waakvlam_testkit::{World, d, db_test, indication, person};

use crate::support::{Client, email_of, seed_accounts};

/// Goes: Anna Visser, BT then waakvlam, ended independent in 2025 (team of
/// the test team lead). Borsele: Piet Bakker, waakvlam ended in 2025 with
/// another provider.
async fn pathways(store: &Store) {
    seed_accounts(store).await;
    let lead = store
        .read(&waakvlam_store::Actor::system("test"), async |cx| {
            accounts::by_email(cx, &email_of(Role::TeamLead)).await
        })
        .await
        .unwrap()
        .unwrap();
    let born = d(1970, 1, 1);
    let w = World::new()
        .provider("75752002", "Stichting Scheldekracht")
        .team("Team Borsele")
        .resident(
            person("999996708")
                .given_names("Anna")
                .family_name(None, "Visser")
                .born(born),
        )
        .resident(
            person("999996630")
                .given_names("Piet")
                .family_name(None, "Bakker")
                .born(born)
                .in_municipality("0654"),
        )
        .create(store)
        .await;
    let (anna, piet) = (w.resident("999996708"), w.resident("999996630"));
    let provider = lead.provider_id.unwrap();
    let team = lead.team_id.unwrap();
    let bt = indication(anna, "BT", "0664", provider)
        .team(team)
        .starting(d(2025, 1, 6))
        .ending(d(2025, 4, 30))
        .scale_down_on(d(2025, 4, 30))
        .ended_because("37", None)
        .agreed_result("zelfstandig")
        .create(store)
        .await;
    indication(anna, "WVL", "0664", provider)
        .team(team)
        .starting(d(2025, 5, 1))
        .ending(d(2025, 12, 31))
        .after(bt)
        .ended_because("19", Some("independent"))
        .agreed_result("zelfstandig")
        .create(store)
        .await;
    indication(piet, "WVL", "0654", w.provider("Stichting Scheldekracht"))
        .team(w.team("Team Borsele"))
        .starting(d(2025, 2, 1))
        .ending(d(2025, 9, 30))
        .ended_because("23", Some("other"))
        .agreed_result("zelfstandig")
        .create(store)
        .await;
}

db_test! {
    async fn the_analyst_sees_charts_tables_and_exports_but_no_resident(db) {
        pathways(&db.store).await;
        let mut c = Client::new(&db.store);
        c.login_as(Role::Analyst).await;
        let resp = c.get("/monitoring?year=2025").await;
        assert_eq!(resp.status, StatusCode::OK, "{}", resp.body);
        let body = &resp.body;
        for name in ["Anna", "Visser", "Piet", "Bakker", "Kees", "/clients/"] {
            assert!(!body.contains(name), "{name} on the analyst's page");
        }
        assert!(body.contains(r#"id="chart-flows" role="img" aria-labelledby="tbl-flows chart-flows-desc""#), "{body}");
        // One name per table, its heading: no caption saying it again.
        assert!(body.contains(r#"<table class="utrecht-table" id="table-flows" aria-labelledby="tbl-flows">"#), "{body}");
        assert!(!body.contains("<caption"), "{body}");
        assert!(body.contains("Borsele") && body.contains("Goes"));
        assert!(body.contains(r#"href="/monitoring/export/flows.csv?year=2025""#), "{body}");
        assert!(body.contains(r#"href="/monitoring/export/flows.csv?year=2025&#38;mask=1""#), "{body}");
        assert!(body.contains(r#"href="/monitoring/export/flows.csv?year=2025&#38;format=nl""#), "{body}");
        assert!(body.contains("als CSV voor Excel (Nederlands)"), "{body}");
        assert!(body.contains("Zelfstandig verder"));
        // A past year is whole; a period that cuts a quarter or month says so.
        assert!(!body.contains("(nog niet compleet)") && !body.contains("(deels in de gekozen periode)"));
        let part = c.get("/monitoring?from=2025-02-01&to=2025-05-31").await;
        assert!(
            part.body.contains(r#"2025-Q1 <span class="waakvlam-chart__marker">(deels in de gekozen periode)</span>"#),
            "{}",
            part.body
        );
        assert!(part.body.contains("de gekozen periode bevat maar een deel van die periode."));

        let csv = c.get("/monitoring/export/issued.csv?year=2025").await;
        assert_eq!(csv.status, StatusCode::OK);
        assert_eq!(csv.header("content-type"), Some("text/csv; charset=utf-8"));
        assert_eq!(
            csv.header("content-disposition"),
            Some(r#"attachment; filename="waakvlam-issued-2025-01-01-2025-12-31.csv""#)
        );
        assert_eq!(
            csv.body,
            "year,municipality_code,municipality,BT,BTS,WVL,total\n\
             2025,0654,Borsele,0,0,1,1\n\
             2025,0664,Goes,1,0,1,2\n\
             2025,,total,1,0,2,3\n"
        );
        let flows = c.get("/monitoring/export/flows.csv?year=2025").await;
        assert!(flows.body.contains("heavy_ended,1,\n"), "{}", flows.body);
        assert!(flows.body.contains("scaled_down_from_individual,1,100.0\n"), "{}", flows.body);
        assert!(flows.body.contains("waakvlam_ended,2,\n"), "{}", flows.body);
        assert!(flows.body.contains("ended_independent,1,50.0\n"), "{}", flows.body);
        let masked = c.get("/monitoring/export/flows.csv?year=2025&mask=1").await;
        assert!(masked.body.contains("waakvlam_ended,<5,\n"), "{}", masked.body);
        assert!(masked.body.contains("ended_independent,<5,x\n"), "{}", masked.body);
        assert!(masked.header("content-disposition").unwrap().contains("-masked.csv"));

        // Filters narrow the figures, in the page and the export alike.
        let goes = c.get("/monitoring/export/issued.csv?year=2025&municipality=0664").await;
        assert!(!goes.body.contains("Borsele"), "{}", goes.body);
        let period = c.get("/monitoring/export/issued.csv?from=2025-02-01&to=2025-03-31").await;
        assert!(period.body.ends_with("2025,,total,0,0,1,1\n"), "{}", period.body);

        // For Dutch spreadsheets: a BOM, `;`, Dutch headers and labels, decimal commas.
        let nl = c.get("/monitoring/export/flows.csv?year=2025&format=nl").await;
        assert_eq!(nl.status, StatusCode::OK);
        assert_eq!(nl.header("content-type"), Some("text/csv; charset=utf-8"));
        assert_eq!(
            nl.header("content-disposition"),
            Some(r#"attachment; filename="waakvlam-flows-2025-01-01-2025-12-31-nl.csv""#)
        );
        assert!(nl.body.as_bytes().starts_with(b"\xEF\xBB\xBFStroom;Aantal;Aandeel\r\n"), "{:?}", nl.body);
        assert!(nl.body.contains("\r\nZelfstandig verder;1;50,0\r\n"), "{}", nl.body);
        assert!(nl.body.contains("\r\nAfgeschaald vanuit individuele begeleiding;1;100,0\r\n"), "{}", nl.body);
        let nl_issued = c.get("/monitoring/export/issued.csv?year=2025&format=nl").await;
        assert_eq!(
            nl_issued.body,
            "\u{FEFF}Jaar;Gemeentecode;Gemeente;BT;BTS;WVL;Totaal\r\n\
             2025;0654;Borsele;0;0;1;1\r\n\
             2025;0664;Goes;1;0;1;2\r\n\
             2025;;Totaal;1;0;2;3\r\n"
        );
        let nl_masked = c.get("/monitoring/export/flows.csv?year=2025&format=nl&mask=1").await;
        assert!(nl_masked.body.contains("\r\nZelfstandig verder;<5;x\r\n"), "{}", nl_masked.body);
        assert!(nl_masked.header("content-disposition").unwrap().contains("-masked-nl.csv"));
        assert_eq!(
            c.get("/monitoring/export/flows.csv?year=2025&format=xlsx").await.status,
            StatusCode::BAD_REQUEST
        );

        assert_eq!(c.get("/monitoring/export/nope.csv").await.status, StatusCode::NOT_FOUND);
        assert_eq!(c.get("/monitoring/export/flows.txt").await.status, StatusCode::NOT_FOUND);
        assert_eq!(
            c.get("/monitoring/export/flows.csv?year=abc").await.status,
            StatusCode::BAD_REQUEST
        );
        // A bad filter on the page is reported, not a failure.
        let bad = c.get("/monitoring?year=abc&product=XYZ").await;
        assert_eq!(bad.status, StatusCode::OK);
        assert!(bad.body.contains(r#"role="alert""#), "{}", bad.body);
        assert!(bad.body.contains("&quot;XYZ&quot; is geen geldige waarde") || bad.body.contains("\"XYZ\" is geen geldige waarde") || bad.body.contains("&#34;XYZ&#34;"), "{}", bad.body);
    }
}

db_test! {
    async fn consultants_and_team_leads_see_only_their_own(db) {
        pathways(&db.store).await;
        let mut consultant = Client::new(&db.store);
        consultant.login_as(Role::Consultant).await;
        let csv = consultant.get("/monitoring/export/issued.csv?year=2025").await;
        assert_eq!(csv.status, StatusCode::OK);
        assert!(!csv.body.contains("Borsele"), "{}", csv.body);
        assert!(csv.body.ends_with("2025,,total,1,0,1,2\n"), "{}", csv.body);
        // Asking for another municipality gives nothing, never its figures.
        let other = consultant.get("/monitoring/export/issued.csv?year=2025&municipality=0654").await;
        assert!(other.body.ends_with("year,municipality_code,municipality,BT,BTS,WVL,total\n"), "{}", other.body);
        let page = consultant.get("/monitoring?year=2025").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("U ziet uw gemeente."));
        assert!(!page.body.contains(r#"id="mon-region""#), "no region choice for a consultant");

        let mut lead = Client::new(&db.store);
        lead.login_as(Role::TeamLead).await;
        let flows = lead.get("/monitoring/export/flows.csv?year=2025").await;
        assert!(flows.body.contains("waakvlam_ended,1,\n"), "{}", flows.body);
        assert!(flows.body.contains("ended_independent,1,100.0\n"), "{}", flows.body);

        let mut admin = Client::new(&db.store);
        admin.login_as(Role::Admin).await;
        let all = admin.get("/monitoring/export/issued.csv?year=2025").await;
        assert!(all.body.ends_with("2025,,total,1,0,2,3\n"), "{}", all.body);

        for role in [Role::Professional, Role::Resident] {
            let mut c = Client::new(&db.store);
            c.login_as(role).await;
            assert_eq!(c.get("/monitoring").await.status, StatusCode::FORBIDDEN);
            assert_eq!(
                c.get("/monitoring/export/issued.csv?year=2025").await.status,
                StatusCode::FORBIDDEN
            );
        }
        let mut anonymous = Client::new(&db.store);
        let resp = anonymous.get("/monitoring/export/issued.csv").await;
        assert_eq!(resp.status, StatusCode::SEE_OTHER);
    }
}

db_test! {
    async fn a_masked_total_gives_no_small_count_away_on_the_page_or_in_the_csv(db) {
        // Six waakvlam residents in Goes, one in Borsele: with only the 1
        // masked, the total 7 − 6 would give it away.
        seed_accounts(&db.store).await;
        let goes = ["999990007", "999990019", "999990020", "999990032", "999990044", "999990056"];
        let mut w = World::new().provider("75752002", "Stichting Scheldekracht");
        for bsn in goes {
            w = w.resident(person(bsn).born(d(1960, 1, 1)));
        }
        let w = w
            .resident(person("999990068").born(d(1960, 1, 1)).in_municipality("0654"))
            .create(&db.store)
            .await;
        let provider = w.provider("Stichting Scheldekracht");
        for (i, bsn) in goes.iter().enumerate() {
            indication(w.resident(bsn), "WVL", "0664", provider)
                .starting(d(2025, 1, 6 + i as u32))
                .create(&db.store)
                .await;
        }
        indication(w.resident("999990068"), "WVL", "0654", provider)
            .starting(d(2025, 2, 3))
            .create(&db.store)
            .await;
        let mut c = Client::new(&db.store);
        c.login_as(Role::Analyst).await;

        let plain = c.get("/monitoring/export/issued.csv?year=2025").await;
        assert_eq!(
            plain.body,
            "year,municipality_code,municipality,BT,BTS,WVL,total\n\
             2025,0654,Borsele,0,0,1,1\n\
             2025,0664,Goes,0,0,6,6\n\
             2025,,total,0,0,7,7\n"
        );
        let masked = c.get("/monitoring/export/issued.csv?year=2025&mask=1").await;
        assert_eq!(masked.status, StatusCode::OK);
        assert_eq!(
            masked.body,
            "year,municipality_code,municipality,BT,BTS,WVL,total\n\
             2025,0654,Borsele,0,0,<5,<5\n\
             2025,0664,Goes,0,0,x,x\n\
             2025,,total,0,0,7,7\n",
            "Goes's 6 goes too, or 7 − 6 gives Borsele's 1 away"
        );

        let page = c.get("/monitoring?year=2025&mask=1").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let body = &page.body;
        let between = |from: &str, to: &str| {
            let start = body.find(from).unwrap_or_else(|| panic!("{from} not in {body}"));
            let end = start + body[start..].find(to).unwrap();
            body[start..end].to_owned()
        };
        let table = between(r#"id="table-issued""#, "</table>");
        assert!(table.contains("&lt;5") || table.contains("&#60;5"), "{table}");
        assert!(table.contains("gemaskeerd"), "{table}");
        assert!(!table.contains(">6<") && !table.contains(">1<"), "{table}");
        // The chart gives no length or number away either.
        let chart = between(r#"id="chart-issued""#, "</ol>");
        assert!(!chart.contains(">6<") && !chart.contains(">1<"), "{chart}");
        let bars: Vec<&str> = chart.split(r#"<rect x="0" y="0""#).skip(1).collect();
        assert!(!bars.is_empty(), "{chart}");
        for bar in bars {
            assert!(bar.starts_with(r#" width="0.0%""#), "no length for a hidden figure: {bar}");
        }
        // Under the table: what the marks mean.
        let after = between(r#"id="table-issued""#, r#"id="tbl-quarters""#);
        assert!(after.contains("Kleine aantallen (minder dan 5)"), "{after}");

        // Unmasked, the page shows the figures.
        let open = c.get("/monitoring?year=2025").await;
        assert!(!open.body.contains("Kleine aantallen (minder dan 5)"));
    }
}
