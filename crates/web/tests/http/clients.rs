//! The resident page of professionals (`/clients/{id}`) and its actions over
//! HTTP: logging a contact, the contact rhythm, the bell, scale requests,
//! ending a waakvlam, messages and activation codes.

use axum::http::StatusCode;
use waakvlam_domain::role::Role;
use waakvlam_testkit::db_test;

use crate::support::{
    COLLEAGUE, Client, ELSEWHERE, KEES, PASSWORD, STRANGER, STRANGER_NAME, assert_out_of_reach,
    email_of, ids_after, seed_care, send,
};

/// A logged-in professional of Kees's team, with the session's CSRF token.
async fn professional(db: &waakvlam_testkit::TestDb, kees: i64) -> (Client, String) {
    let mut c = Client::new(&db.store);
    c.login_as(Role::Professional).await;
    let csrf = c.session_csrf(&format!("/clients/{kees}")).await;
    (c, csrf)
}

/// Kees rings the bell in the portal with this message.
async fn kees_rings(db: &waakvlam_testkit::TestDb, message: &str) {
    let mut resident = Client::new(&db.store);
    resident.login_as(Role::Resident).await;
    let csrf = resident.session_csrf("/me/help").await;
    resident
        .post("/me/help", &[("csrf_token", &csrf), ("message", message)])
        .await
        .assert_redirect("/me?help=1");
}

// ---------------------------------------------------------------------------
// Viewing the page
// ---------------------------------------------------------------------------

db_test! {
    async fn each_view_of_a_residents_page_adds_exactly_one_access_log_entry(db) {
        let w = seed_care(&db.store).await;
        let kees = w.resident(KEES);
        let mut c = Client::new(&db.store);
        c.login_as(Role::Professional).await;
        for _ in 0..2 {
            let before = waakvlam_testkit::access_count(&db.store).await;
            let page = c.get(&format!("/clients/{kees}")).await;
            assert_eq!(page.status, StatusCode::OK, "{}", page.body);
            assert_eq!(waakvlam_testkit::access_count(&db.store).await, before + 1);
        }
    }
}

db_test! {
    async fn a_timeline_page_out_of_range_is_a_clear_refusal_not_a_crash(db) {
        let w = seed_care(&db.store).await;
        let kees = w.resident(KEES);
        let (mut c, _) = professional(db, kees).await;
        for page in ["500", "461168601842738790", &u64::MAX.to_string()] {
            let resp = c.get(&format!("/clients/{kees}?page={page}")).await;
            assert_eq!(resp.status, StatusCode::BAD_REQUEST, "page {page}: {}", resp.body);
            assert!(resp.body.contains("Deze pagina bestaat niet."), "page {page}: {}", resp.body);
        }
        assert_eq!(c.get(&format!("/clients/{kees}?page=499")).await.status, StatusCode::OK);
        assert_eq!(c.get(&format!("/clients/{kees}?page=-1")).await.status, StatusCode::BAD_REQUEST);
    }
}

db_test! {
    async fn a_resident_of_another_provider_is_not_reachable_from_the_residents_page(db) {
        let w = seed_care(&db.store).await;
        let stranger = w.resident(STRANGER);
        let mut c = Client::new(&db.store);
        c.login_as(Role::Professional).await;
        assert_out_of_reach(&c.get(&format!("/clients/{stranger}")).await);

        // Their own professional does see them.
        let mut elders = Client::new(&db.store);
        elders.login(ELSEWHERE, PASSWORD).await.assert_redirect("/");
        let page = elders.get(&format!("/clients/{stranger}")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains(STRANGER_NAME));
    }
}

// ---------------------------------------------------------------------------
// Logging a contact
// ---------------------------------------------------------------------------

db_test! {
    async fn a_logged_contact_appears_on_the_residents_page(db) {
        let w = seed_care(&db.store).await;
        let kees = w.resident(KEES);
        let (mut c, csrf) = professional(db, kees).await;
        let before = c.get(&format!("/clients/{kees}")).await;
        assert!(before.body.contains("nog nooit"), "no contact yet");

        let resp = c
            .post(
                &format!("/clients/{kees}/contacts"),
                &[
                    ("csrf_token", &csrf),
                    ("date", "2026-03-10"),
                    ("channel", "visit"),
                    ("duration_minutes", "45"),
                    ("wellbeing", "4"),
                    ("note", "Rustig gesprek over de buren"),
                ],
            )
            .await;
        resp.assert_redirect(&format!("/clients/{kees}?done=contact"));
        let page = c.get(&format!("/clients/{kees}?done=contact")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Contact vastgelegd."), "{}", page.body);
        assert!(page.body.contains("Rustig gesprek over de buren"));
        assert!(page.body.contains("welbevinden 4"), "{}", page.body);
        assert!(page.body.contains("45 min"));
        assert!(!page.body.contains("nog nooit"), "the last contact is known now");
    }
}

db_test! {
    async fn a_contact_without_a_valid_csrf_token_is_refused_and_not_stored(db) {
        let w = seed_care(&db.store).await;
        let kees = w.resident(KEES);
        let (mut c, _) = professional(db, kees).await;
        for token in [None, Some(""), Some("forged-token")] {
            let mut form = vec![("channel", "phone"), ("note", "Vervalst contact")];
            if let Some(t) = token {
                form.push(("csrf_token", t));
            }
            let resp = c.post(&format!("/clients/{kees}/contacts"), &form).await;
            assert_eq!(resp.status, StatusCode::BAD_REQUEST, "token {token:?}");
        }
        let page = c.get(&format!("/clients/{kees}")).await;
        assert!(!page.body.contains("Vervalst contact"));
    }
}

db_test! {
    async fn only_professionals_and_team_leads_log_contacts(db) {
        let w = seed_care(&db.store).await;
        let kees = w.resident(KEES);
        let mut consultant = Client::new(&db.store);
        consultant.login_as(Role::Consultant).await;
        let csrf = consultant.session_csrf("/worklist").await;
        let resp = consultant
            .post(
                &format!("/clients/{kees}/contacts"),
                &[("csrf_token", &csrf), ("channel", "phone"), ("note", "Door de consulent")],
            )
            .await;
        assert_eq!(resp.status, StatusCode::FORBIDDEN);

        let mut lead = Client::new(&db.store);
        lead.login_as(Role::TeamLead).await;
        let csrf = lead.session_csrf(&format!("/clients/{kees}")).await;
        lead.post(
            &format!("/clients/{kees}/contacts"),
            &[("csrf_token", &csrf), ("channel", "phone"), ("note", "Door de teamleider")],
        )
        .await
        .assert_redirect(&format!("/clients/{kees}?done=contact"));

        let (mut c, _) = professional(db, kees).await;
        let page = c.get(&format!("/clients/{kees}")).await;
        assert!(!page.body.contains("Door de consulent"));
        assert!(page.body.contains("Door de teamleider"));
    }
}

db_test! {
    async fn a_contact_for_a_resident_of_another_provider_is_refused(db) {
        let w = seed_care(&db.store).await;
        let (kees, stranger) = (w.resident(KEES), w.resident(STRANGER));
        let (mut c, csrf) = professional(db, kees).await;
        let resp = c
            .post(
                &format!("/clients/{stranger}/contacts"),
                &[("csrf_token", &csrf), ("channel", "phone"), ("note", "Over de grens")],
            )
            .await;
        assert_out_of_reach(&resp);

        let mut elders = Client::new(&db.store);
        elders.login(ELSEWHERE, PASSWORD).await.assert_redirect("/");
        let page = elders.get(&format!("/clients/{stranger}")).await;
        assert!(!page.body.contains("Over de grens"));
        assert!(page.body.contains("nog nooit"));
    }
}

db_test! {
    async fn a_contact_in_the_future_is_refused_in_dutch_with_the_input_kept(db) {
        let w = seed_care(&db.store).await;
        let kees = w.resident(KEES);
        let (mut c, csrf) = professional(db, kees).await;
        let resp = c
            .post(
                &format!("/clients/{kees}/contacts"),
                &[
                    ("csrf_token", &csrf),
                    ("date", "2026-03-20"),
                    ("channel", "phone"),
                    ("note", "Nog niet gebeurd"),
                ],
            )
            .await;
        assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", resp.body);
        assert!(resp.body.contains("Het contact is niet opgeslagen."), "{}", resp.body);
        // At its field, tied to it, and linked from the summary at the top.
        assert!(resp.body.contains(r#"<p class="utrecht-form-field-error-message" id="contact-date-error">Een contact kan niet in de toekomst liggen.</p>"#), "{}", resp.body);
        assert!(resp.body.contains(r#"id="contact-date" name="date" value="2026-03-20""#), "{}", resp.body);
        assert!(resp.body.contains(r#"aria-invalid="true" aria-describedby="contact-date-error""#), "{}", resp.body);
        assert!(resp.body.contains(r##"href="#contact-date">Datum: Een contact kan niet in de toekomst liggen."##), "{}", resp.body);
        assert_eq!(resp.body.matches(r#"aria-invalid="true""#).count(), 1, "only the date is marked");
        assert!(resp.body.contains(">Nog niet gebeurd</textarea>"), "what was typed stays");
        assert!(!resp.body.contains("contact-in-future"), "no rule ids");
        let page = c.get(&format!("/clients/{kees}")).await;
        assert!(page.body.contains("nog nooit"), "nothing stored");
    }
}

db_test! {
    async fn every_error_of_the_contact_form_shows_at_once_in_its_order_with_the_focus_on_the_summary(db) {
        let w = seed_care(&db.store).await;
        let kees = w.resident(KEES);
        let (mut c, csrf) = professional(db, kees).await;
        // A day in the future (the store's rule) and a wellbeing of 9 (the
        // form's): both in one answer, not the date on the next submit.
        let resp = c
            .post(
                &format!("/clients/{kees}/contacts"),
                &[
                    ("csrf_token", &csrf),
                    ("date", "2026-03-20"),
                    ("channel", "phone"),
                    ("wellbeing", "9"),
                ],
            )
            .await;
        assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", resp.body);
        let summary = resp.body.split(r#"id="contact-error-summary" tabindex="-1" autofocus"#).nth(1).expect("the summary takes the focus");
        let date = summary.find(r##"href="#contact-date">Datum: Een contact kan niet in de toekomst liggen."##).expect("the date, named");
        let wellbeing = summary.find(r##"href="#contact-wellbeing">Welbevinden 1–5 (niet verplicht): Kies een welbevinden van 1 tot en met 5."##).expect("the wellbeing, named");
        assert!(date < wellbeing, "in the form's order");
        assert_eq!(resp.body.matches(r#"aria-invalid="true""#).count(), 2);
        assert!(resp.body.contains(r#"aria-invalid="true" aria-describedby="contact-wellbeing-error""#));
    }
}

db_test! {
    async fn the_end_form_chooses_no_outcome_and_a_reload_of_a_refused_form_finds_the_page(db) {
        let w = seed_care(&db.store).await;
        let kees = w.resident(KEES);
        let (mut c, csrf) = professional(db, kees).await;
        let page = c.get(&format!("/clients/{kees}")).await;
        let end_form = page.body.split(r#"id="end-outcome""#).nth(1).expect("the end form");
        let options = end_form.split("</select>").next().unwrap_or_default();
        assert!(options.contains(r#"<option value="">Kies…</option>"#), "{options}");
        assert!(!options.contains("selected"), "no outcome chosen: {options}");

        let resp = c
            .post(
                &format!("/clients/{kees}/rhythm"),
                &[("csrf_token", &csrf), ("indication_id", "1"), ("every", "0"), ("unit", "weeks")],
            )
            .await;
        assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY);
        let again = c.get(&format!("/clients/{kees}/rhythm")).await;
        assert_eq!(again.status, StatusCode::SEE_OTHER);
        assert_eq!(again.location(), Some(format!("/clients/{kees}").as_str()));
    }
}

db_test! {
    async fn every_wrong_field_of_the_contact_form_is_said_in_dutch(db) {
        let w = seed_care(&db.store).await;
        let kees = w.resident(KEES);
        let (mut c, csrf) = professional(db, kees).await;
        let cases: [(&str, &str, &str, &str); 3] = [
            ("wellbeing", "9", "Kies een welbevinden van 1 tot en met 5.", "must be 1 to 5"),
            ("duration_minutes", "abc", "abc is geen heel getal.", "whole number"),
            ("channel", "fax", "Maak een keuze uit de lijst.", "is not one of"),
        ];
        for (field, value, dutch, english) in cases {
            let mut form = vec![("csrf_token", csrf.as_str()), ("channel", "phone")];
            form.retain(|(k, _)| *k != field);
            form.push((field, value));
            let resp = c.post(&format!("/clients/{kees}/contacts"), &form).await;
            assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {}", resp.body);
            assert!(resp.body.contains(dutch), "{field}: {}", resp.body);
            assert!(!resp.body.contains(english), "{field}: no English rule text");
            assert!(resp.body.contains(&format!(r#"id="contact-{field}-error">{dutch}"#)), "{field}: at its field");
        }
        // Every wrong field at once, in the order of the form.
        let resp = c
            .post(
                &format!("/clients/{kees}/contacts"),
                &[("csrf_token", &csrf), ("channel", "fax"), ("duration_minutes", "abc"), ("wellbeing", "9")],
            )
            .await;
        assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", resp.body);
        let at = |id: &str| resp.body.find(&format!(r##"href="#contact-{id}""##)).unwrap_or_else(|| panic!("{id} in the summary: {}", resp.body));
        assert!(at("channel") < at("duration_minutes") && at("duration_minutes") < at("wellbeing"));
        assert_eq!(resp.body.matches(r#"aria-invalid="true""#).count(), 3);
        let resp = c
            .post(
                &format!("/clients/{kees}/rhythm"),
                &[("csrf_token", &csrf), ("indication_id", &w.indications()[0].to_string()), ("every", "0"), ("unit", "days")],
            )
            .await;
        assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", resp.body);
        assert!(resp.body.contains("Kies een ritme van 1 tot en met 365 dagen."), "{}", resp.body);
        assert!(!resp.body.contains("a whole number of days"));
    }
}

// ---------------------------------------------------------------------------
// The contact rhythm
// ---------------------------------------------------------------------------

db_test! {
    async fn the_contact_rhythm_can_be_set_in_weeks(db) {
        let w = seed_care(&db.store).await;
        let kees = w.resident(KEES);
        let ind = w.indications()[0];
        let (mut c, csrf) = professional(db, kees).await;
        assert!(c.get(&format!("/clients/{kees}")).await.body.contains("elke 28 dagen"));
        let resp = c
            .post(
                &format!("/clients/{kees}/rhythm"),
                &[
                    ("csrf_token", &csrf),
                    ("indication_id", &ind.to_string()),
                    ("every", "2"),
                    ("unit", "weeks"),
                ],
            )
            .await;
        resp.assert_redirect(&format!("/clients/{kees}?done=rhythm"));
        let page = c.get(&format!("/clients/{kees}?done=rhythm")).await;
        assert!(page.body.contains("Contactritme opgeslagen."));
        assert!(page.body.contains("elke 14 dagen"), "{}", page.body);
    }
}

db_test! {
    async fn the_start_of_support_is_confirmed_once_on_a_day_within_the_allocation(db) {
        let w = seed_care(&db.store).await;
        let kees = w.resident(KEES);
        let ind = w.indications()[0].to_string();
        let (mut c, csrf) = professional(db, kees).await;
        let page = c.get(&format!("/clients/{kees}")).await;
        assert!(page.body.contains("Nog niet gemeld. Het eerste contact telt als start."), "{}", page.body);
        assert!(page.body.contains(&format!(r#"action="/clients/{kees}/delivery-start""#)));
        let confirm = async |c: &mut Client, day: &str| {
            c.post(
                &format!("/clients/{kees}/delivery-start"),
                &[("csrf_token", csrf.as_str()), ("indication_id", ind.as_str()), ("delivery_start", day)],
            )
            .await
        };
        // A day in the future, and one before the allocation: refused at the field, in Dutch.
        let resp = confirm(&mut c, "2026-03-11").await;
        assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", resp.body);
        assert!(resp.body.contains(r#"id="delivery-delivery_start-error">De hulp is dan nog niet begonnen."#), "{}", resp.body);
        assert!(resp.body.contains(r#"value="2026-03-11""#), "what was typed stays");
        let resp = confirm(&mut c, "2025-12-01").await;
        assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", resp.body);
        assert!(resp.body.contains("Die dag valt buiten de toewijzing."), "{}", resp.body);
        let resp = confirm(&mut c, "maandag").await;
        assert!(resp.body.contains("maandag is geen datum."), "{}", resp.body);
        // A day that fits: recorded, shown, and the form is gone.
        confirm(&mut c, "2026-03-02").await.assert_redirect(&format!("/clients/{kees}?done=delivery-start"));
        let page = c.get(&format!("/clients/{kees}?done=delivery-start")).await;
        assert!(page.body.contains("Start van de hulp vastgelegd."));
        assert!(page.body.contains("<dt>Start van de hulp</dt>\n    <dd>02-03-2026</dd>"), "{}", page.body);
        assert!(!page.body.contains(&format!(r#"action="/clients/{kees}/delivery-start""#)));
        // Told once.
        let resp = confirm(&mut c, "2026-03-03").await;
        assert!(resp.body.contains("De start van de hulp is al gemeld."), "{}", resp.body);
    }
}

db_test! {
    async fn a_rhythm_longer_than_a_year_is_refused_in_dutch(db) {
        let w = seed_care(&db.store).await;
        let kees = w.resident(KEES);
        let ind = w.indications()[0];
        let (mut c, csrf) = professional(db, kees).await;
        let resp = c
            .post(
                &format!("/clients/{kees}/rhythm"),
                &[
                    ("csrf_token", &csrf),
                    ("indication_id", &ind.to_string()),
                    ("every", "60"),
                    ("unit", "weeks"),
                ],
            )
            .await;
        assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", resp.body);
        assert!(resp.body.contains(r#"id="rhythm-every-error">Kies een ritme van 1 tot en met 365 dagen."#), "{}", resp.body);
        assert!(resp.body.contains(r#"name="every" value="60""#), "what was typed stays");
        assert!(resp.body.contains(r#"<option value="weeks" selected>"#), "the unit chosen stays");
        assert!(!resp.body.contains("rhythm-range"));
        assert!(resp.body.contains("elke 28 dagen"), "the rhythm is unchanged");
    }
}

db_test! {
    async fn the_rhythm_is_refused_without_csrf_for_other_roles_and_across_tenants(db) {
        let w = seed_care(&db.store).await;
        let (kees, stranger) = (w.resident(KEES), w.resident(STRANGER));
        let (own, theirs) = (w.indications()[0].to_string(), w.indications()[1].to_string());
        let (mut c, csrf) = professional(db, kees).await;
        let rhythm = |token: &str, ind: &str| -> Vec<(String, String)> {
            [("csrf_token", token), ("indication_id", ind), ("every", "7"), ("unit", "days")]
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect()
        };
        let resp = send(&mut c, &format!("/clients/{kees}/rhythm"), rhythm("forged", &own)).await;
        assert_eq!(resp.status, StatusCode::BAD_REQUEST);

        // Another resident's indication through Kees's page, and the stranger's page.
        assert_out_of_reach(&send(&mut c, &format!("/clients/{kees}/rhythm"), rhythm(&csrf, &theirs)).await);
        // The attempt is in the access log, on the indication it targeted and its resident.
        let log = waakvlam_testkit::access_latest(&db.store, 1).await;
        assert_eq!(log[0].outcome, "denied", "{log:?}");
        assert_eq!(log[0].objects, format!("indication:{theirs}"));
        assert_eq!(log[0].resident_id.map(|r| r.get()), Some(stranger));
        assert_out_of_reach(&send(&mut c, &format!("/clients/{stranger}/rhythm"), rhythm(&csrf, &theirs)).await);
        assert_eq!(waakvlam_testkit::access_latest(&db.store, 1).await[0].outcome, "denied");

        let mut consultant = Client::new(&db.store);
        consultant.login_as(Role::Consultant).await;
        let token = consultant.session_csrf("/worklist").await;
        let resp = send(&mut consultant, &format!("/clients/{kees}/rhythm"), rhythm(&token, &own)).await;
        assert_eq!(resp.status, StatusCode::FORBIDDEN);

        assert!(c.get(&format!("/clients/{kees}")).await.body.contains("elke 28 dagen"));
        let mut elders = Client::new(&db.store);
        elders.login(ELSEWHERE, PASSWORD).await.assert_redirect("/");
        assert!(elders.get(&format!("/clients/{stranger}")).await.body.contains("elke 28 dagen"));
    }
}

// ---------------------------------------------------------------------------
// The bell
// ---------------------------------------------------------------------------

db_test! {
    async fn a_bell_is_acknowledged_then_resolved_and_leaves_the_open_list(db) {
        let w = seed_care(&db.store).await;
        let kees = w.resident(KEES);
        kees_rings(db, "Ik kan de huur niet betalen").await;
        let (mut c, csrf) = professional(db, kees).await;
        let page = c.get(&format!("/clients/{kees}")).await;
        assert!(page.body.contains("Ik kan de huur niet betalen"), "{}", page.body);
        let bells = ids_after(&page.body, &format!("/clients/{kees}/bells/"));
        assert_eq!(bells.len(), 1, "one open bell");
        let bell = bells[0];
        let path = format!("/clients/{kees}/bells/{bell}");

        c.post(&path, &[("csrf_token", &csrf), ("action", "acknowledge")])
            .await
            .assert_redirect(&format!("/clients/{kees}?done=bell"));
        let page = c.get(&format!("/clients/{kees}?done=bell")).await;
        assert!(page.body.contains("Hulpvraag bijgewerkt."));
        assert!(page.body.contains("Opgepakt op"), "{}", page.body);
        assert!(page.body.contains("Hulpvraag opgepakt"), "on the timeline");
        assert_eq!(ids_after(&page.body, &format!("/clients/{kees}/bells/")), vec![bell], "still open");

        c.post(
            &path,
            &[("csrf_token", &csrf), ("action", "resolve"), ("resolution", "Budgetcoach ingeschakeld")],
        )
        .await
        .assert_redirect(&format!("/clients/{kees}?done=bell"));
        let page = c.get(&format!("/clients/{kees}")).await;
        assert!(ids_after(&page.body, &format!("/clients/{kees}/bells/")).is_empty(), "no open bell");
        assert!(page.body.contains("Hulpvraag afgerond"), "{}", page.body);
        assert!(page.body.contains("Budgetcoach ingeschakeld"));
    }
}

db_test! {
    async fn resolving_a_bell_without_saying_what_was_done_is_refused_in_dutch(db) {
        let w = seed_care(&db.store).await;
        let kees = w.resident(KEES);
        kees_rings(db, "Help").await;
        let (mut c, csrf) = professional(db, kees).await;
        let page = c.get(&format!("/clients/{kees}")).await;
        let bell = ids_after(&page.body, &format!("/clients/{kees}/bells/"))[0];
        let resp = c
            .post(
                &format!("/clients/{kees}/bells/{bell}"),
                &[("csrf_token", &csrf), ("action", "resolve"), ("resolution", "  ")],
            )
            .await;
        assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", resp.body);
        assert!(resp.body.contains(&format!(r#"id="bell-{bell}-resolution-error">Schrijf op wat er is gedaan."#)), "{}", resp.body);
        assert!(resp.body.contains(&format!(r#"aria-describedby="bell-{bell}-resolution-error""#)), "{}", resp.body);
        assert!(!resp.body.contains("resolution-required"));
        assert_eq!(ids_after(&resp.body, &format!("/clients/{kees}/bells/")), vec![bell], "still open");
    }
}

db_test! {
    async fn a_bell_is_not_touched_without_csrf_by_other_roles_or_through_another_resident(db) {
        let w = seed_care(&db.store).await;
        let (kees, stranger) = (w.resident(KEES), w.resident(STRANGER));
        kees_rings(db, "Help").await;
        let (mut c, csrf) = professional(db, kees).await;
        let page = c.get(&format!("/clients/{kees}")).await;
        let bell = ids_after(&page.body, &format!("/clients/{kees}/bells/"))[0];

        let resp = c
            .post(&format!("/clients/{kees}/bells/{bell}"), &[("action", "acknowledge")])
            .await;
        assert_eq!(resp.status, StatusCode::BAD_REQUEST);

        // The bell through the stranger's page.
        let resp = c
            .post(
                &format!("/clients/{stranger}/bells/{bell}"),
                &[("csrf_token", &csrf), ("action", "resolve"), ("resolution", "Weg")],
            )
            .await;
        assert_out_of_reach(&resp);

        // Kees's bell, by the other provider's professional.
        let mut elders = Client::new(&db.store);
        elders.login(ELSEWHERE, PASSWORD).await.assert_redirect("/");
        let token = elders.session_csrf(&format!("/clients/{stranger}")).await;
        let resp = elders
            .post(
                &format!("/clients/{kees}/bells/{bell}"),
                &[("csrf_token", &token), ("action", "acknowledge")],
            )
            .await;
        assert!(
            matches!(resp.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
            "{}: {}",
            resp.status,
            resp.body
        );
        assert!(!resp.body.contains("Dam"), "nothing of Kees: {}", resp.body);

        let mut consultant = Client::new(&db.store);
        consultant.login_as(Role::Consultant).await;
        let token = consultant.session_csrf("/worklist").await;
        let resp = consultant
            .post(
                &format!("/clients/{kees}/bells/{bell}"),
                &[("csrf_token", &token), ("action", "acknowledge")],
            )
            .await;
        assert_eq!(resp.status, StatusCode::FORBIDDEN);

        let page = c.get(&format!("/clients/{kees}")).await;
        assert!(!page.body.contains("Opgepakt op"), "the bell is untouched");
        assert_eq!(ids_after(&page.body, &format!("/clients/{kees}/bells/")), vec![bell]);
    }
}

// ---------------------------------------------------------------------------
// Scale requests
// ---------------------------------------------------------------------------

db_test! {
    async fn a_scale_up_request_reaches_the_consultants_worklist(db) {
        let w = seed_care(&db.store).await;
        let kees = w.resident(KEES);
        let ind = w.indications()[0].to_string();
        let (mut c, csrf) = professional(db, kees).await;
        let resp = c
            .post(
                &format!("/clients/{kees}/requests"),
                &[
                    ("csrf_token", &csrf),
                    ("indication_id", &ind),
                    ("direction", "up"),
                    ("product", "BT"),
                    ("start_date", "2026-03-16"),
                    ("urgency", "urgent"),
                    ("reason", "Schulden lopen op, wekelijkse begeleiding nodig"),
                ],
            )
            .await;
        resp.assert_redirect(&format!("/clients/{kees}?done=request"));
        let page = c.get(&format!("/clients/{kees}?done=request")).await;
        assert!(page.body.contains("Verzoek verstuurd naar de gemeente."));
        assert!(page.body.contains("Verzoeken die wachten op de gemeente"), "{}", page.body);

        let mut consultant = Client::new(&db.store);
        consultant.login_as(Role::Consultant).await;
        let worklist = consultant.get("/worklist").await;
        assert!(worklist.body.contains("Schulden lopen op, wekelijkse begeleiding nodig"), "{}", worklist.body);
        assert!(worklist.body.contains("Dam"));
        assert!(worklist.body.contains("BT"));
        assert_eq!(ids_after(&worklist.body, "/worklist/requests/").len(), 1);
    }
}

db_test! {
    async fn a_scale_request_without_a_reason_is_refused_in_dutch(db) {
        let w = seed_care(&db.store).await;
        let kees = w.resident(KEES);
        let ind = w.indications()[0].to_string();
        let (mut c, csrf) = professional(db, kees).await;
        let resp = c
            .post(
                &format!("/clients/{kees}/requests"),
                &[
                    ("csrf_token", &csrf),
                    ("indication_id", &ind),
                    ("direction", "up"),
                    ("product", "BT"),
                    ("start_date", "2026-03-16"),
                    ("urgency", "normal"),
                    ("reason", " "),
                ],
            )
            .await;
        assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", resp.body);
        assert!(resp.body.contains(r#"id="scale-reason-error">Schrijf op waarom."#), "{}", resp.body);
        assert!(resp.body.contains("Het verzoek is niet verstuurd."), "{}", resp.body);
        assert!(resp.body.contains(r#"<option value="BT" selected>"#), "the product chosen stays");
        assert!(resp.body.contains(r#"name="start_date" value="2026-03-16""#), "the date typed stays");
        assert!(!resp.body.contains("say why"));

        let mut consultant = Client::new(&db.store);
        consultant.login_as(Role::Consultant).await;
        let worklist = consultant.get("/worklist").await;
        assert!(ids_after(&worklist.body, "/worklist/requests/").is_empty(), "nothing sent");
    }
}

db_test! {
    async fn a_scale_request_is_refused_without_csrf_for_other_roles_and_across_tenants(db) {
        let w = seed_care(&db.store).await;
        let (kees, stranger) = (w.resident(KEES), w.resident(STRANGER));
        let (own, theirs) = (w.indications()[0].to_string(), w.indications()[1].to_string());
        let (mut c, csrf) = professional(db, kees).await;
        let fields = |token: &str, ind: &str| -> Vec<(String, String)> {
            [
                ("csrf_token", token),
                ("indication_id", ind),
                ("direction", "up"),
                ("product", "BT"),
                ("start_date", "2026-03-16"),
                ("urgency", "normal"),
                ("reason", "Niet toegestaan"),
            ]
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
        };
        let resp = send(&mut c, &format!("/clients/{kees}/requests"), fields("", &own)).await;
        assert_eq!(resp.status, StatusCode::BAD_REQUEST);
        assert_out_of_reach(&send(&mut c, &format!("/clients/{stranger}/requests"), fields(&csrf, &theirs)).await);
        let across = send(&mut c, &format!("/clients/{kees}/requests"), fields(&csrf, &theirs)).await;
        assert!(
            matches!(across.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND | StatusCode::UNPROCESSABLE_ENTITY),
            "{}: {}",
            across.status,
            across.body
        );
        assert!(!across.body.contains(STRANGER_NAME));

        let mut consultant = Client::new(&db.store);
        consultant.login_as(Role::Consultant).await;
        let token = consultant.session_csrf("/worklist").await;
        let resp = send(&mut consultant, &format!("/clients/{kees}/requests"), fields(&token, &own)).await;
        assert_eq!(resp.status, StatusCode::FORBIDDEN);
        let worklist = consultant.get("/worklist").await;
        assert!(!worklist.body.contains("Niet toegestaan"), "{}", worklist.body);
    }
}

// ---------------------------------------------------------------------------
// Ending a waakvlam
// ---------------------------------------------------------------------------

db_test! {
    async fn ending_a_waakvlam_without_a_date_or_an_outcome_says_both_at_their_fields(db) {
        let w = seed_care(&db.store).await;
        let kees = w.resident(KEES);
        let ind = w.indications()[0].to_string();
        let (mut c, csrf) = professional(db, kees).await;
        let resp = c
            .post(
                &format!("/clients/{kees}/end"),
                &[("csrf_token", &csrf), ("indication_id", &ind), ("end_date", "gisteren"), ("outcome", "")],
            )
            .await;
        assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", resp.body);
        assert!(resp.body.contains("De waakvlam is niet beëindigd."), "{}", resp.body);
        assert!(resp.body.contains(r#"id="end-end_date-error">gisteren is geen datum."#), "{}", resp.body);
        assert!(resp.body.contains(r#"id="end-outcome-error">Kies hoe de waakvlam afloopt."#), "{}", resp.body);
        // The agreed result is assessed at the end: reached or not, and why.
        assert!(resp.body.contains(r#"id="end-result-error">Kies of het afgesproken resultaat is bereikt."#), "{}", resp.body);
        assert!(resp.body.contains(r#"id="end-result_note-error">"#), "{}", resp.body);
        let page = c.get(&format!("/clients/{kees}")).await;
        assert!(page.body.contains(&format!("action=\"/clients/{kees}/end\"")), "still running");
    }
}

db_test! {
    async fn a_professional_ends_the_waakvlam_with_its_outcome(db) {
        let w = seed_care(&db.store).await;
        let kees = w.resident(KEES);
        let ind = w.indications()[0].to_string();
        let (mut c, csrf) = professional(db, kees).await;
        let page = c.get(&format!("/clients/{kees}")).await;
        assert!(page.body.contains(&format!("action=\"/clients/{kees}/end\"")));
        let form = [
            ("csrf_token", csrf.as_str()),
            ("indication_id", &ind),
            ("end_date", "2026-03-10"),
            ("outcome", "independent"),
            ("result", "partly"),
            ("result_note", "Woont zelfstandig, de post lukt nog niet alleen."),
        ];
        // First a confirmation, which changes nothing.
        let confirm = c.post(&format!("/clients/{kees}/end"), &form).await;
        assert_eq!(confirm.status, StatusCode::OK, "{}", confirm.body);
        assert!(confirm.body.contains("Waakvlam beëindigen?"), "{}", confirm.body);
        assert!(confirm.body.contains("10-03-2026") && confirm.body.contains("Zelfstandig verder"), "{}", confirm.body);
        assert!(confirm.body.contains(r#"name="confirm" value="yes""#));
        assert!(confirm.body.contains("Deels bereikt: Woont zelfstandig, de post lukt nog niet alleen."), "{}", confirm.body);
        let still = c.get(&format!("/clients/{kees}")).await;
        assert!(still.body.contains(&format!("action=\"/clients/{kees}/end\"")), "not ended yet");
        let mut confirmed = form.to_vec();
        confirmed.push(("confirm", "yes"));
        let resp = c.post(&format!("/clients/{kees}/end"), &confirmed).await;
        resp.assert_redirect(&format!("/clients/{kees}?done=ended"));
        let page = c.get(&format!("/clients/{kees}?done=ended")).await;
        assert!(page.body.contains("De waakvlam is beëindigd."), "{}", page.body);
        assert!(page.body.contains("10-03-2026"), "the last day is shown");
        assert!(page.body.contains("WVL tot 10-03-2026: Deels bereikt. Woont zelfstandig, de post lukt nog niet alleen."), "{}", page.body);

        // The consultant sees the end on the indication.
        let mut consultant = Client::new(&db.store);
        consultant.login_as(Role::Consultant).await;
        let indication = consultant.get(&format!("/indications/{ind}")).await;
        assert_eq!(indication.status, StatusCode::OK);
        assert!(indication.body.contains("Zelfstandig verder"), "{}", indication.body);
    }
}

db_test! {
    async fn a_waakvlam_ends_only_from_the_last_contact_to_today_and_only_by_who_holds_it(db) {
        let w = seed_care(&db.store).await;
        let kees = w.resident(KEES);
        let ind = w.indications()[0].to_string();
        let (mut c, csrf) = professional(db, kees).await;
        let end = |date: &'static str| {
            [("csrf_token", csrf.clone()), ("indication_id", ind.clone()), ("end_date", date.to_owned()), ("outcome", "independent".to_owned()), ("result", "reached".to_owned()), ("result_note", "Redt het zelf.".to_owned()), ("confirm", "yes".to_owned())]
        };
        let post = async |c: &mut Client, form: [(&'static str, String); 7]| {
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            c.post(&format!("/clients/{kees}/end"), &form).await
        };
        // A contact on 2026-03-05 (the test clock's today is 2026-03-10).
        c.post(&format!("/clients/{kees}/contacts"), &[("csrf_token", &csrf), ("date", "2026-03-05"), ("channel", "phone")])
            .await
            .assert_redirect(&format!("/clients/{kees}?done=contact"));
        let resp = post(&mut c, end("2026-03-04")).await;
        assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", resp.body);
        assert!(resp.body.contains(r#"id="end-end_date-error">Het laatste contact was op 05-03-2026."#), "{}", resp.body);
        let resp = post(&mut c, end("2026-03-11")).await;
        assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", resp.body);
        assert!(resp.body.contains("niet in de toekomst"), "{}", resp.body);

        // A colleague in the same team does not hold Kees's waakvlam: refused and logged.
        let mut colleague = Client::new(&db.store);
        colleague.login(COLLEAGUE, PASSWORD).await.assert_redirect("/");
        let token = colleague.session_csrf(&format!("/clients/{kees}")).await;
        let form = [("csrf_token", token.as_str()), ("indication_id", &ind), ("end_date", "2026-03-05"), ("outcome", "moved"), ("result", "partly"), ("result_note", "Verhuisd."), ("confirm", "yes")];
        assert_out_of_reach(&colleague.post(&format!("/clients/{kees}/end"), &form).await);
        let log = waakvlam_testkit::access_latest(&db.store, 1).await;
        assert_eq!((log[0].outcome.as_str(), log[0].objects.as_str()), ("denied", format!("indication:{ind}").as_str()));

        let page = c.get(&format!("/clients/{kees}")).await;
        assert!(page.body.contains(&format!("action=\"/clients/{kees}/end\"")), "still running");
        post(&mut c, end("2026-03-05")).await.assert_redirect(&format!("/clients/{kees}?done=ended"));
    }
}

db_test! {
    async fn ending_a_waakvlam_is_refused_without_csrf_for_other_roles_and_across_tenants(db) {
        let w = seed_care(&db.store).await;
        let (kees, stranger) = (w.resident(KEES), w.resident(STRANGER));
        let (own, theirs) = (w.indications()[0].to_string(), w.indications()[1].to_string());
        let (mut c, csrf) = professional(db, kees).await;
        let end = |token: &str, ind: &str| -> Vec<(String, String)> {
            [("csrf_token", token), ("indication_id", ind), ("end_date", "2026-03-10"), ("outcome", "moved"), ("result", "partly"), ("result_note", "Verhuisd."), ("confirm", "yes")]
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect()
        };
        let resp = send(&mut c, &format!("/clients/{kees}/end"), end("forged", &own)).await;
        assert_eq!(resp.status, StatusCode::BAD_REQUEST);
        assert_out_of_reach(&send(&mut c, &format!("/clients/{kees}/end"), end(&csrf, &theirs)).await);
        assert_out_of_reach(&send(&mut c, &format!("/clients/{stranger}/end"), end(&csrf, &theirs)).await);

        let mut consultant = Client::new(&db.store);
        consultant.login_as(Role::Consultant).await;
        let token = consultant.session_csrf("/worklist").await;
        let resp = send(&mut consultant, &format!("/clients/{kees}/end"), end(&token, &own)).await;
        assert_eq!(resp.status, StatusCode::FORBIDDEN);

        let page = c.get(&format!("/clients/{kees}")).await;
        assert!(page.body.contains("WVL vanaf 05-01-2026, zonder einddatum"), "still running: {}", page.body);
        let mut elders = Client::new(&db.store);
        elders.login(ELSEWHERE, PASSWORD).await.assert_redirect("/");
        let theirs_page = elders.get(&format!("/clients/{stranger}")).await;
        assert!(theirs_page.body.contains("WVL vanaf 05-01-2026, zonder einddatum"), "{}", theirs_page.body);
    }
}

// ---------------------------------------------------------------------------
// Messages and activation codes
// ---------------------------------------------------------------------------

db_test! {
    async fn a_professionals_message_reaches_the_residents_portal(db) {
        let w = seed_care(&db.store).await;
        let kees = w.resident(KEES);
        let (mut c, csrf) = professional(db, kees).await;
        let resp = c
            .post(
                &format!("/clients/{kees}/messages"),
                &[("csrf_token", &csrf), ("body", "Ik bel je donderdag even.")],
            )
            .await;
        resp.assert_redirect(&format!("/clients/{kees}?done=message#portal-messages"));
        let page = c.get(&format!("/clients/{kees}?done=message")).await;
        assert!(page.body.contains("Bericht verstuurd."));
        assert!(page.body.contains("Ik bel je donderdag even."));

        let mut resident = Client::new(&db.store);
        resident.login_as(Role::Resident).await;
        let thread = resident.get("/me/messages").await;
        assert!(thread.body.contains("Ik bel je donderdag even."), "{}", thread.body);
    }
}

db_test! {
    async fn a_message_is_refused_without_csrf_for_other_roles_and_across_tenants(db) {
        let w = seed_care(&db.store).await;
        let (kees, stranger) = (w.resident(KEES), w.resident(STRANGER));
        let (mut c, csrf) = professional(db, kees).await;
        let resp = c.post(&format!("/clients/{kees}/messages"), &[("body", "Zonder token")]).await;
        assert_eq!(resp.status, StatusCode::BAD_REQUEST);
        let resp = c
            .post(
                &format!("/clients/{stranger}/messages"),
                &[("csrf_token", &csrf), ("body", "Naar een vreemde")],
            )
            .await;
        assert_out_of_reach(&resp);

        let mut consultant = Client::new(&db.store);
        consultant.login_as(Role::Consultant).await;
        let token = consultant.session_csrf("/worklist").await;
        let resp = consultant
            .post(&format!("/clients/{kees}/messages"), &[("csrf_token", &token), ("body", "Van de consulent")])
            .await;
        assert_eq!(resp.status, StatusCode::FORBIDDEN);

        let mut resident = Client::new(&db.store);
        resident.login_as(Role::Resident).await;
        let thread = resident.get("/me/messages").await;
        assert!(thread.body.contains("Er zijn nog geen berichten."), "{}", thread.body);
        let mut elders = Client::new(&db.store);
        elders.login(ELSEWHERE, PASSWORD).await.assert_redirect("/");
        assert!(!elders.get(&format!("/clients/{stranger}")).await.body.contains("Naar een vreemde"));
    }
}

db_test! {
    async fn a_professional_makes_an_activation_code_letter_for_the_resident(db) {
        let w = seed_care(&db.store).await;
        let kees = w.resident(KEES);
        let (mut c, csrf) = professional(db, kees).await;
        let letter = c
            .post(&format!("/clients/{kees}/activation-code"), &[("csrf_token", &csrf)])
            .await;
        assert_eq!(letter.status, StatusCode::OK, "{}", letter.body);
        assert!(letter.body.contains("Je code voor Waakvlam"), "{}", letter.body);
        assert!(letter.body.contains("Kees"), "the letter names the resident");
        assert!(letter.body.contains(&email_of(Role::Resident)), "the login to use");
        let page = c.get(&format!("/clients/{kees}")).await;
        assert!(page.body.contains("Er is een ongebruikte code, geldig tot en met"), "{}", page.body);
    }
}

db_test! {
    async fn an_activation_code_is_refused_without_csrf_for_other_roles_and_across_tenants(db) {
        let w = seed_care(&db.store).await;
        let (kees, stranger) = (w.resident(KEES), w.resident(STRANGER));
        let (mut c, csrf) = professional(db, kees).await;
        let resp = c.post(&format!("/clients/{kees}/activation-code"), &[]).await;
        assert_eq!(resp.status, StatusCode::BAD_REQUEST);
        assert_out_of_reach(
            &c.post(&format!("/clients/{stranger}/activation-code"), &[("csrf_token", &csrf)])
                .await,
        );

        let mut consultant = Client::new(&db.store);
        consultant.login_as(Role::Consultant).await;
        let token = consultant.session_csrf("/worklist").await;
        let resp = consultant
            .post(&format!("/clients/{kees}/activation-code"), &[("csrf_token", &token)])
            .await;
        assert_eq!(resp.status, StatusCode::FORBIDDEN);

        let page = c.get(&format!("/clients/{kees}")).await;
        assert!(!page.body.contains("Er is een ongebruikte code"), "no code was made");
        let mut elders = Client::new(&db.store);
        elders.login(ELSEWHERE, PASSWORD).await.assert_redirect("/");
        let theirs = elders.get(&format!("/clients/{stranger}")).await;
        assert!(!theirs.body.contains("Er is een ongebruikte code"));
    }
}

/// The text right after `marker` up to the next `<`.
fn text_after<'a>(body: &'a str, marker: &str) -> &'a str {
    let start = body
        .find(marker)
        .unwrap_or_else(|| panic!("{marker} in {body}"))
        + marker.len();
    let rest = &body[start..];
    &rest[..rest.find('<').unwrap_or(rest.len())]
}

db_test! {
    async fn a_login_code_cannot_take_over_a_residents_account_unnoticed(db) {
        let w = seed_care(&db.store).await;
        let kees = w.resident(KEES);
        let pro_name = w.account(&email_of(Role::Professional)).display_name.clone();
        // Kees is logged in with the password he chose.
        let mut own = Client::new(&db.store);
        own.login_as(Role::Resident).await;
        assert_eq!(own.get("/me").await.status, StatusCode::OK);

        // His professional makes a code and uses it herself.
        let (mut c, csrf) = professional(db, kees).await;
        let letter = c.post(&format!("/clients/{kees}/activation-code"), &[("csrf_token", &csrf)]).await;
        let code = text_after(&letter.body, r#"id="activation-code">"#).to_owned();
        let mut taker = Client::new(&db.store);
        let password = "een overgenomen wachtwoord";
        let resp = taker.activate(&code, password).await;
        assert_eq!(resp.status, StatusCode::SEE_OTHER, "{}", resp.body);

        // Every other session of the account has ended.
        let resp = own.get("/me").await;
        assert_ne!(resp.status, StatusCode::OK, "Kees's old session is gone: {}", resp.body);

        // Kees's log says who made the code and that it was used, in plain words.
        let log = taker.get("/me/log").await;
        assert!(log.body.contains("Maakte een inlogcode voor je."), "{}", log.body);
        assert!(log.body.contains(&pro_name), "{}", log.body);
        assert!(log.body.contains("Met je inlogcode"), "{}", log.body);

        // At his next login with his own password, Kees is told what happened;
        // someone guessing hears nothing of it.
        let mut again = Client::new(&db.store);
        let resp = again.login(&email_of(Role::Resident), PASSWORD).await;
        assert_eq!(resp.status, StatusCode::UNAUTHORIZED, "{}", resp.body);
        assert!(resp.body.contains("Dit wachtwoord werkt niet meer."), "{}", resp.body);
        assert!(resp.body.contains(&format!("met een inlogcode van {pro_name}")), "{}", resp.body);
        let resp = Client::new(&db.store).login(&email_of(Role::Resident), "zomaar een gok hoor").await;
        assert_eq!(resp.status, StatusCode::UNAUTHORIZED);
        assert!(!resp.body.contains("werkt niet meer"), "{}", resp.body);
        assert!(resp.body.contains("klopt niet"), "{}", resp.body);
    }
}

db_test! {
    async fn no_login_code_from_a_professional_the_resident_took_the_plan_from(db) {
        let w = seed_care(&db.store).await;
        let kees = w.resident(KEES);
        let consent = waakvlam_store::care_record::NewConsent {
            resident_id: waakvlam_store::ResidentId::new(kees),
            party: waakvlam_domain::care::ConsentParty::Professional,
            party_account_id: Some(w.account(&email_of(Role::Professional)).id),
            party_name: "Contactpersoon".into(),
            granted_at: db.store.now(),
        };
        db.store
            .write(&waakvlam_store::Actor::system("test"), async |cx| {
                waakvlam_store::care_record::add_consent(cx, &consent).await
            })
            .await
            .unwrap();
        let mut resident = Client::new(&db.store);
        resident.login_as(Role::Resident).await;
        let token = resident.session_csrf("/me/sharing").await;
        let share = ids_after(&resident.get("/me/sharing").await.body, "/me/sharing/")[0];
        resident
            .post(&format!("/me/sharing/{share}/remove"), &[("csrf_token", &token), ("confirm", "yes")])
            .await;

        let (mut c, csrf) = professional(db, kees).await;
        let page = c.get(&format!("/clients/{kees}")).await;
        assert!(!page.body.contains(&format!("/clients/{kees}/activation-code")), "no button");
        assert!(page.body.contains("Daarom kunt u geen inlogcode maken"), "{}", page.body);
        let resp = c.post(&format!("/clients/{kees}/activation-code"), &[("csrf_token", &csrf)]).await;
        assert_out_of_reach(&resp);
        let log = waakvlam_testkit::access_latest(&db.store, 1).await;
        assert_eq!(log[0].outcome, "denied");
        assert!(log[0].objects.ends_with(":activation_code"), "{:?}", log[0]);
    }
}

db_test! {
    async fn after_the_waakvlam_ended_the_professional_asks_for_support_again_without_a_new_intake(db) {
        let w = seed_care(&db.store).await;
        let kees = w.resident(KEES);
        let ind = w.indications()[0].to_string();
        let (mut c, csrf) = professional(db, kees).await;
        let page = c.get(&format!("/clients/{kees}")).await;
        assert!(!page.body.contains("Hulp opnieuw aanvragen"), "support runs: scale it instead");
        c.post(
            &format!("/clients/{kees}/end"),
            &[
                ("csrf_token", csrf.as_str()),
                ("indication_id", &ind),
                ("end_date", "2026-03-09"),
                ("outcome", "independent"),
                ("result", "reached"),
                ("result_note", "Redt het zelf."),
                ("confirm", "yes"),
            ],
        )
        .await
        .assert_redirect(&format!("/clients/{kees}?done=ended"));

        // The support ended: the page offers to ask for it again, a product and no "end".
        let page = c.get(&format!("/clients/{kees}")).await;
        assert!(page.body.contains("Hulp opnieuw aanvragen"), "{}", page.body);
        assert!(!page.body.contains("value=\"end\""), "nothing left to end");
        let ask = |product: &'static str| {
            vec![
                ("csrf_token", csrf.clone()),
                ("indication_id", ind.clone()),
                ("direction", "up".to_owned()),
                ("product", product.to_owned()),
                ("start_date", "2026-03-16".to_owned()),
                ("urgency", "urgent".to_owned()),
                ("reason", "De bel ging: het gaat weer mis met de post.".to_owned()),
            ]
        };
        let form = ask("");
        let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let refused = c.post(&format!("/clients/{kees}/requests"), &fields).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
        assert!(refused.body.contains("id=\"scale-product-error\""), "{}", refused.body);
        let form = ask("BT");
        let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        c.post(&format!("/clients/{kees}/requests"), &fields)
            .await
            .assert_redirect(&format!("/clients/{kees}?done=request"));

        // The consultant decides it like any other request.
        let mut consultant = Client::new(&db.store);
        consultant.login_as(Role::Consultant).await;
        let worklist = consultant.get("/worklist").await;
        assert!(worklist.body.contains("De bel ging: het gaat weer mis met de post."), "{}", worklist.body);
    }
}
