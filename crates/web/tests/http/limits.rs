//! Input limits over HTTP (issue 11, point 11): every text field has a
//! maximum length and no control characters, every date a sane range, every
//! amount a maximum, every choice a closed list; each refusal is said in
//! Dutch next to its field, every problem of a form at once, and nothing is
//! stored. The limits themselves are in `waakvlam_domain::limits` (table in
//! docs/SECURITY.md, "Input limits").

use axum::http::StatusCode;
use waakvlam_domain::role::Role;
use waakvlam_testkit::db_test;

use crate::support::{Client, KEES, Resp, ids_after, seed_accounts, seed_care};

/// A logged-in professional of Kees's team, with the session's CSRF token.
async fn professional(db: &waakvlam_testkit::TestDb, kees: i64) -> (Client, String) {
    let mut c = Client::new(&db.store);
    c.login_as(Role::Professional).await;
    let csrf = c.session_csrf(&format!("/clients/{kees}")).await;
    (c, csrf)
}

/// The text of the element with `id` (up to its closing tag).
fn text_of(resp: &Resp, id: &str) -> Option<String> {
    let marker = format!(r#"id="{id}">"#);
    let start = resp.body.find(&marker)? + marker.len();
    let end = resp.body[start..].find('<')?;
    Some(resp.body[start..start + end].trim().to_owned())
}

db_test! {
    async fn a_900_kb_contact_note_is_refused_at_its_field_and_nothing_is_stored(db) {
        let w = seed_care(&db.store).await;
        let kees = w.resident(KEES);
        let (mut c, csrf) = professional(db, kees).await;
        let before = c.get(&format!("/clients/{kees}")).await.body;
        let note = "Lang verhaal. ".repeat(900 * 1024 / 14);
        let resp = c
            .post(
                &format!("/clients/{kees}/contacts"),
                &[("csrf_token", &csrf), ("date", "2026-03-09"), ("channel", "phone"), ("note", &note)],
            )
            .await;
        assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", &resp.body[..500.min(resp.body.len())]);
        assert_eq!(
            text_of(&resp, "contact-note-error").as_deref(),
            Some("Dit is te lang: maximaal 4000 tekens.")
        );
        assert!(resp.body.contains(r#"aria-describedby="contact-note-error""#) || resp.body.contains("contact-note-error"));
        let after = c.get(&format!("/clients/{kees}")).await.body;
        assert_eq!(
            before.matches("Lang verhaal").count(),
            after.matches("Lang verhaal").count(),
            "nothing stored"
        );
        assert!(!after.contains("Lang verhaal"));
        // Exactly at the limit is fine.
        let resp = c
            .post(
                &format!("/clients/{kees}/contacts"),
                &[("csrf_token", &csrf), ("date", "2026-03-09"), ("channel", "phone"), ("note", &"a".repeat(4000))],
            )
            .await;
        resp.assert_redirect(&format!("/clients/{kees}?done=contact"));
    }
}

db_test! {
    async fn a_nul_byte_is_refused_in_dutch(db) {
        let w = seed_care(&db.store).await;
        let kees = w.resident(KEES);
        let (mut c, csrf) = professional(db, kees).await;
        let resp = c
            .post(
                &format!("/clients/{kees}/contacts"),
                &[("csrf_token", &csrf), ("channel", "phone"), ("note", "Nulteken\0erin")],
            )
            .await;
        assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", resp.body);
        let error = text_of(&resp, "contact-note-error").unwrap_or_default();
        assert!(error.starts_with("Hier staan tekens in die niet in een tekst horen"), "{error}");
        assert!(!c.get(&format!("/clients/{kees}")).await.body.contains("Nulteken"), "nothing stored");
        // Line breaks and tabs are fine in a note.
        c.post(
            &format!("/clients/{kees}/contacts"),
            &[("csrf_token", &csrf), ("channel", "phone"), ("note", "regel een\r\n\tregel twee")],
        )
        .await
        .assert_redirect(&format!("/clients/{kees}?done=contact"));
    }
}

db_test! {
    async fn dates_in_year_0_minus_1_and_1900_are_refused(db) {
        let w = seed_care(&db.store).await;
        let kees = w.resident(KEES);
        let ind = w.indications()[0].to_string();
        let (mut c, csrf) = professional(db, kees).await;
        for date in ["0000-01-01", "-0001-01-01", "1900-01-01", "1999-12-31", "9999-12-31"] {
            let resp = c
                .post(
                    &format!("/clients/{kees}/contacts"),
                    &[("csrf_token", &csrf), ("date", date), ("channel", "phone"), ("note", "Datumtest")],
                )
                .await;
            assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY, "contact on {date}: {}", resp.body);
            let error = text_of(&resp, "contact-date-error").unwrap_or_default();
            assert!(
                error == "Kies een datum tussen 01-01-2000 en 10-03-2031."
                    || error.contains("is geen datum"),
                "contact on {date}: {error}"
            );

            let resp = c
                .post(
                    &format!("/clients/{kees}/requests"),
                    &[
                        ("csrf_token", &csrf),
                        ("indication_id", &ind),
                        ("direction", "up"),
                        ("product", "BT"),
                        ("start_date", date),
                        ("urgency", "normal"),
                        ("reason", "Meer hulp nodig"),
                    ],
                )
                .await;
            assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY, "request from {date}: {}", resp.body);
            assert!(text_of(&resp, "scale-start_date-error").is_some(), "request from {date}");
        }
        // Year 1900 and 0 are refused for the range, not just unreadable.
        let resp = c
            .post(
                &format!("/clients/{kees}/contacts"),
                &[("csrf_token", &csrf), ("date", "1900-01-01"), ("channel", "phone")],
            )
            .await;
        assert_eq!(
            text_of(&resp, "contact-date-error").as_deref(),
            Some("Kies een datum tussen 01-01-2000 en 10-03-2031.")
        );
        let page = c.get(&format!("/clients/{kees}")).await;
        assert!(!page.body.contains("Datumtest"), "nothing stored");
        let mut consultant = Client::new(&db.store);
        consultant.login_as(Role::Consultant).await;
        let worklist = consultant.get("/worklist").await;
        assert!(ids_after(&worklist.body, "/worklist/requests/").is_empty(), "no request sent");
    }
}

db_test! {
    async fn a_rhythm_in_years_is_refused_not_read_as_days(db) {
        let w = seed_care(&db.store).await;
        let kees = w.resident(KEES);
        let ind = w.indications()[0].to_string();
        let (mut c, csrf) = professional(db, kees).await;
        for unit in ["years", "", "maanden"] {
            let resp = c
                .post(
                    &format!("/clients/{kees}/rhythm"),
                    &[("csrf_token", &csrf), ("indication_id", &ind), ("every", "2"), ("unit", unit)],
                )
                .await;
            assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY, "unit {unit:?}: {}", resp.body);
            assert_eq!(
                text_of(&resp, "rhythm-unit-error").as_deref(),
                Some("Maak een keuze uit de lijst."),
                "unit {unit:?}"
            );
        }
        let page = c.get(&format!("/clients/{kees}")).await;
        assert!(page.body.contains("elke 28 dagen"), "unchanged: {}", page.body);
        assert!(!page.body.contains("elke 2 dagen"));
    }
}

db_test! {
    async fn an_unknown_urgency_or_an_over_long_reason_is_refused_with_every_error_at_once(db) {
        let w = seed_care(&db.store).await;
        let kees = w.resident(KEES);
        let ind = w.indications()[0].to_string();
        let (mut c, csrf) = professional(db, kees).await;
        let reason = "Veel te lang. ".repeat(100);
        let resp = c
            .post(
                &format!("/clients/{kees}/requests"),
                &[
                    ("csrf_token", &csrf),
                    ("indication_id", &ind),
                    ("direction", "up"),
                    ("product", "BT"),
                    ("start_date", "1900-01-01"),
                    ("urgency", "yesterday"),
                    ("reason", &reason),
                ],
            )
            .await;
        assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", resp.body);
        assert_eq!(text_of(&resp, "scale-reason-error").as_deref(), Some("Dit is te lang: maximaal 500 tekens."));
        assert_eq!(text_of(&resp, "scale-urgency-error").as_deref(), Some("Maak een keuze uit de lijst."));
        assert_eq!(
            text_of(&resp, "scale-start_date-error").as_deref(),
            Some("Kies een datum tussen 01-01-2000 en 10-03-2031.")
        );
        assert_eq!(resp.body.matches(r#"aria-invalid="true""#).count(), 3, "three fields at once");

        let mut consultant = Client::new(&db.store);
        consultant.login_as(Role::Consultant).await;
        let worklist = consultant.get("/worklist").await;
        assert!(ids_after(&worklist.body, "/worklist/requests/").is_empty(), "nothing sent");
    }
}

db_test! {
    async fn a_contact_form_shows_every_error_at_once(db) {
        let w = seed_care(&db.store).await;
        let kees = w.resident(KEES);
        let (mut c, csrf) = professional(db, kees).await;
        let resp = c
            .post(
                &format!("/clients/{kees}/contacts"),
                &[
                    ("csrf_token", &csrf),
                    ("date", "1900-01-01"),
                    ("channel", "pigeon"),
                    ("wellbeing", "9"),
                    ("note", &"x".repeat(4001)),
                ],
            )
            .await;
        assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", resp.body);
        for field in ["date", "channel", "wellbeing", "note"] {
            assert!(text_of(&resp, &format!("contact-{field}-error")).is_some(), "{field}: {}", resp.body);
        }
        assert_eq!(resp.body.matches(r#"aria-invalid="true""#).count(), 4);
    }
}

db_test! {
    async fn a_tariff_of_92_quadrillion_euro_is_refused(db) {
        seed_accounts(&db.store).await;
        let mut c = Client::new(&db.store);
        c.login_as(Role::ContractManager).await;
        let csrf = c.session_csrf("/catalogue").await;
        for (amount, variant, ceiling, field, message) in [
            ("92.000.000.000.000.000,00", "per_unit", "", "amount", "Dit bedrag is te hoog: maximaal € 10.000,00."),
            ("10.000,01", "per_unit", "", "amount", "Dit bedrag is te hoog: maximaal € 10.000,00."),
            ("72,36", "per_hour", "1.000.000,01", "budget_ceiling", "Dit bedrag is te hoog: maximaal € 1.000.000,00."),
        ] {
            let resp = c
                .post(
                    "/catalogue/tariffs",
                    &[
                        ("csrf_token", &csrf),
                        ("product", "WVL"),
                        ("municipality", "0664"),
                        ("year", "2027"),
                        ("variant", variant),
                        ("unit_period", "week"),
                        ("amount", amount),
                        ("budget_ceiling", ceiling),
                    ],
                )
                .await;
            assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY, "{amount}: {}", resp.body);
            assert_eq!(text_of(&resp, &format!("tariff-{field}-error")).as_deref(), Some(message), "{amount}");
        }
        let page = c.get("/catalogue").await;
        assert!(!page.body.contains("92.000.000"), "nothing stored");
        assert!(!page.body.contains("10.000,01"));
        // The maximum itself is a valid tariff.
        c.post(
            "/catalogue/tariffs",
            &[
                ("csrf_token", &csrf),
                ("product", "WVL"),
                ("municipality", "0664"),
                ("year", "2027"),
                ("variant", "per_unit"),
                ("unit_period", "week"),
                ("amount", "10.000,00"),
                ("budget_ceiling", ""),
            ],
        )
        .await
        .assert_redirect("/catalogue?saved=tariff#tariffs");
    }
}

db_test! {
    async fn an_unknown_bell_action_or_helper_decision_is_refused_not_defaulted(db) {
        let w = seed_care(&db.store).await;
        let kees = w.resident(KEES);
        let mut resident = Client::new(&db.store);
        resident.login_as(Role::Resident).await;
        let token = resident.session_csrf("/me/help").await;
        resident
            .post("/me/help", &[("csrf_token", &token), ("message", "Help")])
            .await
            .assert_redirect("/me?help=1");
        let (mut c, csrf) = professional(db, kees).await;
        let page = c.get(&format!("/clients/{kees}")).await;
        let bell = *ids_after(&page.body, &format!("/clients/{kees}/bells/")).first().expect("a bell");
        let resp = c
            .post(
                &format!("/clients/{kees}/bells/{bell}"),
                &[("csrf_token", &csrf), ("action", "delete"), ("resolution", "")],
            )
            .await;
        assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", resp.body);
        assert!(resp.body.contains("Maak een keuze uit de lijst."), "{}", resp.body);
        // Still rung, not picked up.
        let resp = c
            .post(
                &format!("/clients/{kees}/bells/{bell}"),
                &[("csrf_token", &csrf), ("action", "resolve"), ("resolution", &"x".repeat(501))],
            )
            .await;
        assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", resp.body);
        assert!(resp.body.contains("Dit is te lang: maximaal 500 tekens."), "{}", resp.body);

        let mut lead = Client::new(&db.store);
        lead.login_as(Role::TeamLead).await;
        let csrf = lead.session_csrf("/helper-requests").await;
        let resp = lead.post("/helper-requests/1", &[("csrf_token", &csrf), ("decision", "maybe")]).await;
        assert_eq!(resp.status, StatusCode::BAD_REQUEST, "{}", resp.body);
        assert!(resp.body.contains("Kies bevestigen of afwijzen."), "{}", resp.body);
    }
}
