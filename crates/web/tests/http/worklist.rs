//! The consultant's decisions over HTTP: asking a provider to plan the
//! scale-down, approving and rejecting scale requests, and changing and
//! ending indications.

use axum::http::StatusCode;
use waakvlam_domain::role::Role;
use waakvlam_testkit::{Fixtures, TestDb, d, db_test, indication, resident};

use crate::support::{
    BORSELE, Client, ELSEWHERE, KEES, PASSWORD, STRANGER, STRANGER_NAME, assert_out_of_reach,
    email_of, ids_after, owned, seed_care, send,
};

/// The professional (of `email`) asks to scale the resident's indication up
/// to BT; returns the request's id as the resident's consultant sees it.
async fn request_bt(db: &TestDb, email: &str, resident: i64, indication: i64, reason: &str) {
    let mut c = Client::new(&db.store);
    c.login(email, PASSWORD).await.assert_redirect("/");
    let csrf = c.session_csrf(&format!("/clients/{resident}")).await;
    c.post(
        &format!("/clients/{resident}/requests"),
        &[
            ("csrf_token", &csrf),
            ("indication_id", &indication.to_string()),
            ("direction", "up"),
            ("product", "BT"),
            ("start_date", "2026-03-16"),
            ("urgency", "normal"),
            ("reason", reason),
        ],
    )
    .await
    .assert_redirect(&format!("/clients/{resident}?done=request"));
}

/// Kees's request to scale up, as the Goes consultant: the client, the
/// session's CSRF token and the request's id.
async fn kees_asks_for_bt(db: &TestDb, w: &Fixtures) -> (Client, String, i64) {
    let kees = w.resident(KEES);
    request_bt(
        db,
        &email_of(Role::Professional),
        kees,
        w.indications()[0],
        "Schulden lopen op",
    )
    .await;
    let mut consultant = Client::new(&db.store);
    consultant.login_as(Role::Consultant).await;
    let worklist = consultant.get("/worklist").await;
    let ids = ids_after(&worklist.body, "/worklist/requests/");
    assert_eq!(ids.len(), 1, "{}", worklist.body);
    let csrf = worklist.meta_csrf();
    (consultant, csrf, ids[0])
}

// ---------------------------------------------------------------------------
// Approving and rejecting scale requests
// ---------------------------------------------------------------------------

db_test! {
    async fn an_approved_request_creates_the_successor_indication(db) {
        let w = seed_care(&db.store).await;
        let kees = w.resident(KEES);
        let (mut c, csrf, id) = kees_asks_for_bt(db, &w).await;
        let decide = c.get(&format!("/worklist/requests/{id}")).await;
        assert_eq!(decide.status, StatusCode::OK);
        assert!(decide.body.contains("Schulden lopen op"));

        let resp = c
            .post(
                &format!("/worklist/requests/{id}/approve"),
                &[
                    ("csrf_token", &csrf),
                    ("start_date", "2026-03-16"),
                    ("planned_scale_down_date", "2026-09-16"),
                ],
            )
            .await;
        resp.assert_redirect("/worklist?decided=approved");
        let worklist = c.get("/worklist?decided=approved").await;
        assert!(worklist.body.contains("Het verzoek is toegekend."), "{}", worklist.body);
        assert!(ids_after(&worklist.body, "/worklist/requests/").is_empty(), "no longer waiting");

        // The pathway has the successor, and the professional sees it as current.
        let pathway = c.get(&format!("/residents/{kees}")).await;
        assert_eq!(pathway.body.matches("data-indication=").count(), 2, "{}", pathway.body);
        let mut pro = Client::new(&db.store);
        pro.login_as(Role::Professional).await;
        let page = pro.get(&format!("/clients/{kees}")).await;
        assert!(page.body.contains("WVL van 05-01-2026 tot 15-03-2026"), "{}", page.body);
        assert!(page.body.contains("Indicatie BT gestart"), "planned: {}", page.body);
        assert!(page.body.contains("Verzoek Opschalen: toegekend"));
    }
}

db_test! {
    async fn approving_intensive_care_without_a_scale_down_moment_is_refused_in_dutch(db) {
        let w = seed_care(&db.store).await;
        let (mut c, csrf, id) = kees_asks_for_bt(db, &w).await;
        let resp = c
            .post(
                &format!("/worklist/requests/{id}/approve"),
                &[("csrf_token", &csrf), ("start_date", "2026-03-16"), ("planned_scale_down_date", "")],
            )
            .await;
        assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", resp.body);
        assert!(resp.body.contains("Het verzoek is niet goedgekeurd."), "{}", resp.body);
        // At its field, which is marked and described by it.
        assert!(
            resp.body.contains(r#"id="approve-planned_scale_down_date-error">Verplicht bij individuele en intensieve begeleiding"#),
            "{}",
            resp.body
        );
        assert!(resp.body.contains(r#"aria-describedby="approve-planned_scale_down_date-error approve-planned_scale_down_date-hint""#), "{}", resp.body);
        assert!(resp.body.contains(r#"name="start_date" value="2026-03-16""#), "what was typed stays");
        assert!(!resp.body.contains("scale-down-required"));
        let worklist = c.get("/worklist").await;
        assert_eq!(ids_after(&worklist.body, "/worklist/requests/"), vec![id], "still waiting");
    }
}

db_test! {
    async fn a_missing_or_wrong_start_date_is_refused_in_dutch(db) {
        let w = seed_care(&db.store).await;
        let (mut c, csrf, id) = kees_asks_for_bt(db, &w).await;
        for (start, dutch) in [("", "Vul een datum in."), ("16-03-2026", "16-03-2026 is geen datum.")] {
            let resp = c
                .post(
                    &format!("/worklist/requests/{id}/approve"),
                    &[("csrf_token", &csrf), ("start_date", start), ("planned_scale_down_date", "2026-09-01")],
                )
                .await;
            assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", resp.body);
            assert!(resp.body.contains(dutch), "{}", resp.body);
            assert!(!resp.body.contains("start_date:"), "no field names or English");
        }
    }
}

db_test! {
    async fn a_rejection_needs_a_reason_and_the_professional_sees_it(db) {
        let w = seed_care(&db.store).await;
        let kees = w.resident(KEES);
        let (mut c, csrf, id) = kees_asks_for_bt(db, &w).await;
        let resp = c
            .post(&format!("/worklist/requests/{id}/reject"), &[("csrf_token", &csrf), ("reason", "  ")])
            .await;
        assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", resp.body);
        assert!(resp.body.contains("Schrijf op waarom."), "{}", resp.body);
        assert!(!resp.body.contains("say why"));
        assert!(!resp.body.contains("refusal-"));

        let resp = c
            .post(
                &format!("/worklist/requests/{id}/reject"),
                &[("csrf_token", &csrf), ("reason", "Eerst de schuldhulp afwachten")],
            )
            .await;
        resp.assert_redirect("/worklist?decided=rejected");
        let worklist = c.get("/worklist?decided=rejected").await;
        assert!(worklist.body.contains("Het verzoek is afgewezen."));
        assert!(ids_after(&worklist.body, "/worklist/requests/").is_empty());

        let mut pro = Client::new(&db.store);
        pro.login_as(Role::Professional).await;
        let page = pro.get(&format!("/clients/{kees}")).await;
        assert!(page.body.contains("afgewezen"), "{}", page.body);
        assert!(page.body.contains("WVL vanaf 05-01-2026, zonder einddatum"), "the waakvlam runs on");
    }
}

db_test! {
    async fn decisions_are_refused_without_csrf_and_for_other_roles(db) {
        let w = seed_care(&db.store).await;
        let kees = w.resident(KEES);
        let (mut c, _, id) = kees_asks_for_bt(db, &w).await;
        let approve = format!("/worklist/requests/{id}/approve");
        let reject = format!("/worklist/requests/{id}/reject");
        let resp = c.post(&approve, &[("start_date", "2026-03-16"), ("planned_scale_down_date", "2026-09-16")]).await;
        assert_eq!(resp.status, StatusCode::BAD_REQUEST);
        let resp = c.post(&reject, &[("csrf_token", "forged"), ("reason", "Nee")]).await;
        assert_eq!(resp.status, StatusCode::BAD_REQUEST);

        for role in [Role::Professional, Role::TeamLead] {
            let mut other = Client::new(&db.store);
            other.login_as(role).await;
            let token = other.session_csrf(&format!("/clients/{kees}")).await;
            let resp = other
                .post(&approve, &[("csrf_token", &token), ("start_date", "2026-03-16"), ("planned_scale_down_date", "2026-09-16")])
                .await;
            assert_eq!(resp.status, StatusCode::FORBIDDEN, "{role:?}");
            let resp = other.post(&reject, &[("csrf_token", &token), ("reason", "Nee")]).await;
            assert_eq!(resp.status, StatusCode::FORBIDDEN, "{role:?}");
        }
        let worklist = c.get("/worklist").await;
        assert_eq!(ids_after(&worklist.body, "/worklist/requests/"), vec![id], "still waiting");
    }
}

db_test! {
    async fn a_request_of_another_municipality_cannot_be_decided(db) {
        let w = seed_care(&db.store).await;
        let stranger = w.resident(STRANGER);
        request_bt(db, ELSEWHERE, stranger, w.indications()[1], "Verzoek uit Borsele").await;
        let mut borsele = Client::new(&db.store);
        borsele.login(BORSELE, PASSWORD).await.assert_redirect("/");
        let theirs = borsele.get("/worklist").await;
        let ids = ids_after(&theirs.body, "/worklist/requests/");
        assert_eq!(ids.len(), 1, "{}", theirs.body);
        let id = ids[0];

        let mut goes = Client::new(&db.store);
        goes.login_as(Role::Consultant).await;
        let worklist = goes.get("/worklist").await;
        assert!(!worklist.body.contains(STRANGER_NAME));
        let csrf = worklist.meta_csrf();
        assert_out_of_reach(&goes.get(&format!("/worklist/requests/{id}")).await);
        assert_out_of_reach(
            &goes
                .post(
                    &format!("/worklist/requests/{id}/approve"),
                    &[("csrf_token", &csrf), ("start_date", "2026-03-16"), ("planned_scale_down_date", "2026-09-16")],
                )
                .await,
        );
        assert_out_of_reach(
            &goes
                .post(&format!("/worklist/requests/{id}/reject"), &[("csrf_token", &csrf), ("reason", "Nee")])
                .await,
        );
        // Each attempt is in the access log as denied, on the request and its resident.
        let log = waakvlam_testkit::access_latest(&db.store, 3).await;
        assert!(log.iter().all(|e| e.outcome == "denied" && e.objects == format!("scale_request:{id}")), "{log:?}");
        assert_eq!(log[0].resident_id.map(|r| r.get()), Some(stranger));
        let theirs = borsele.get("/worklist").await;
        assert_eq!(ids_after(&theirs.body, "/worklist/requests/"), vec![id], "still waiting in Borsele");
    }
}

// ---------------------------------------------------------------------------
// Asking the provider to plan the scale-down
// ---------------------------------------------------------------------------

/// Piet (Goes) in individual support (BT) with Kees's team, to scale down on
/// 1 June 2026; returns (resident, indication).
async fn piet_in_bt(db: &TestDb, w: &Fixtures) -> (i64, i64) {
    let piet = resident(&db.store, "999996708", "0664").await;
    let id = indication(piet, "BT", "0664", w.provider("Zeeuwse Zorgcoöperatie"))
        .team(w.team("Team Goes-Kapelle"))
        .professional(w.account(&email_of(Role::Professional)).id)
        .ending(d(2026, 12, 31))
        .scale_down_on(d(2026, 6, 1))
        .create(&db.store)
        .await;
    (piet, id)
}

db_test! {
    async fn a_scale_down_moment_that_has_passed_says_so_in_words(db) {
        let w = seed_care(&db.store).await;
        let (_, future) = piet_in_bt(db, &w).await;
        let jan = resident(&db.store, "999996721", "0664").await;
        let past = indication(jan, "BT", "0664", w.provider("Zeeuwse Zorgcoöperatie"))
            .team(w.team("Team Goes-Kapelle"))
            .ending(d(2026, 12, 31))
            .scale_down_on(d(2026, 2, 1))
            .create(&db.store)
            .await;
        let mut c = Client::new(&db.store);
        c.login_as(Role::Consultant).await;
        let worklist = c.get("/worklist").await;
        let row = |ind: i64| {
            let at = worklist.body.find(&format!(r#"href="/indications/{ind}""#)).expect("listed");
            worklist.body[at..].split("</tr>").next().unwrap_or_default().to_owned()
        };
        // Today is 10 March 2026: 1 February passed 37 days ago, 1 June is to come.
        assert!(row(past).contains("01-02-2026 <strong class=\"waakvlam-late\">voorbij, 37 dagen geleden</strong>"), "{}", row(past));
        assert!(row(future).contains("01-06-2026") && !row(future).contains("voorbij"), "{}", row(future));
    }
}

db_test! {
    async fn asking_to_plan_the_scale_down_reaches_the_professional(db) {
        let w = seed_care(&db.store).await;
        let (piet, ind) = piet_in_bt(db, &w).await;
        let mut c = Client::new(&db.store);
        c.login_as(Role::Consultant).await;
        let worklist = c.get("/worklist").await;
        assert!(ids_after(&worklist.body, "/worklist/scale-down/").contains(&ind), "{}", worklist.body);
        let csrf = worklist.meta_csrf();
        c.post(&format!("/worklist/scale-down/{ind}"), &[("csrf_token", &csrf)])
            .await
            .assert_redirect("/worklist?decided=planning#inventory-heading");
        let worklist = c.get("/worklist?decided=planning").await;
        assert!(worklist.body.contains("De aanbieder is gevraagd het afschalen te plannen."));
        assert!(worklist.body.contains("Gevraagd op 10-03-2026"), "{}", worklist.body);

        let mut pro = Client::new(&db.store);
        pro.login_as(Role::Professional).await;
        let page = pro.get(&format!("/clients/{piet}")).await;
        assert!(
            page.body.contains("De gemeente vraagt u het afschalen naar waakvlam te plannen"),
            "{}",
            page.body
        );
    }
}

db_test! {
    async fn asking_to_plan_is_refused_without_csrf_for_other_roles_and_across_tenants(db) {
        let w = seed_care(&db.store).await;
        let (piet, ind) = piet_in_bt(db, &w).await;
        let stranger = w.resident(STRANGER);
        let theirs = indication(stranger, "BT", "0654", w.provider("Stichting Elders"))
            .team(w.team("Team Borsele"))
            .ending(d(2026, 12, 31))
            .scale_down_on(d(2026, 6, 1))
            .create(&db.store)
            .await;
        let mut c = Client::new(&db.store);
        c.login_as(Role::Consultant).await;
        let csrf = c.session_csrf("/worklist").await;
        let resp = c.post(&format!("/worklist/scale-down/{ind}"), &[]).await;
        assert_eq!(resp.status, StatusCode::BAD_REQUEST);
        assert_out_of_reach(&c.post(&format!("/worklist/scale-down/{theirs}"), &[("csrf_token", &csrf)]).await);

        let mut pro = Client::new(&db.store);
        pro.login_as(Role::Professional).await;
        let token = pro.session_csrf(&format!("/clients/{piet}")).await;
        let resp = pro.post(&format!("/worklist/scale-down/{ind}"), &[("csrf_token", &token)]).await;
        assert_eq!(resp.status, StatusCode::FORBIDDEN);

        let worklist = c.get("/worklist").await;
        assert!(!worklist.body.contains("Gevraagd op"), "nobody was asked: {}", worklist.body);
        let mut borsele = Client::new(&db.store);
        borsele.login(BORSELE, PASSWORD).await.assert_redirect("/");
        assert!(!borsele.get("/worklist").await.body.contains("Gevraagd op"));
    }
}

// ---------------------------------------------------------------------------
// Changing and ending an indication
// ---------------------------------------------------------------------------

fn wvl_edit<'a>(
    csrf: &'a str,
    provider: &'a str,
    end: &'a str,
    result: &'a str,
) -> Vec<(String, String)> {
    owned(&[
        ("csrf_token", csrf),
        ("provider_id", provider),
        ("issued_on", "2026-01-01"),
        ("start_date", "2026-01-05"),
        ("end_date", end),
        ("planned_scale_down_date", ""),
        ("agreed_result", result),
    ])
}

db_test! {
    async fn a_consultant_changes_an_indication_and_sees_the_change(db) {
        let w = seed_care(&db.store).await;
        let ind = w.indications()[0];
        let provider = w.provider("Zeeuwse Zorgcoöperatie").to_string();
        let mut c = Client::new(&db.store);
        c.login_as(Role::Consultant).await;
        let form = c.get(&format!("/indications/{ind}/edit")).await;
        assert_eq!(form.status, StatusCode::OK);
        let csrf = form.form_csrf();
        let resp = send(
            &mut c,
            &format!("/indications/{ind}/edit"),
            wvl_edit(&csrf, &provider, "2026-12-31", "Zelfstandig boodschappen doen"),
        )
        .await;
        resp.assert_redirect(&format!("/indications/{ind}?saved=changed"));
        let page = c.get(&format!("/indications/{ind}?saved=changed")).await;
        assert!(page.body.contains("De wijziging is opgeslagen."), "{}", page.body);
        assert!(page.body.contains("Zelfstandig boodschappen doen"));
        assert!(page.body.contains("31-12-2026"), "{}", page.body);
    }
}

db_test! {
    async fn an_end_date_before_the_start_is_refused_in_dutch_with_the_input_kept(db) {
        let w = seed_care(&db.store).await;
        let ind = w.indications()[0];
        let provider = w.provider("Zeeuwse Zorgcoöperatie").to_string();
        let mut c = Client::new(&db.store);
        c.login_as(Role::Consultant).await;
        let csrf = c.get(&format!("/indications/{ind}/edit")).await.form_csrf();
        let resp = send(
            &mut c,
            &format!("/indications/{ind}/edit"),
            wvl_edit(&csrf, &provider, "2026-01-01", "Niet bewaard resultaat"),
        )
        .await;
        assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", resp.body);
        assert!(resp.body.contains("Einddatum: mag niet vóór de startdatum liggen."), "{}", resp.body);
        assert!(resp.body.contains("Niet bewaard resultaat"), "what was typed stays");
        assert!(!resp.body.contains("before-start"));
        let page = c.get(&format!("/indications/{ind}")).await;
        assert!(!page.body.contains("Niet bewaard resultaat"));
    }
}

db_test! {
    async fn changing_an_indication_is_refused_without_csrf_for_other_roles_and_across_tenants(db) {
        let w = seed_care(&db.store).await;
        let (own, theirs) = (w.indications()[0], w.indications()[1]);
        let provider = w.provider("Zeeuwse Zorgcoöperatie").to_string();
        let elders = w.provider("Stichting Elders").to_string();
        let mut c = Client::new(&db.store);
        c.login_as(Role::Consultant).await;
        let csrf = c.session_csrf("/worklist").await;
        let resp = send(&mut c, &format!("/indications/{own}/edit"), wvl_edit("", &provider, "2026-12-31", "Vervalst")).await;
        assert_eq!(resp.status, StatusCode::BAD_REQUEST);
        assert_out_of_reach(&c.get(&format!("/indications/{theirs}/edit")).await);
        assert_out_of_reach(
            &send(&mut c, &format!("/indications/{theirs}/edit"), wvl_edit(&csrf, &elders, "2026-12-31", "Over de grens")).await,
        );

        let mut pro = Client::new(&db.store);
        pro.login_as(Role::Professional).await;
        let token = pro.session_csrf("/caseload").await;
        let resp = send(&mut pro, &format!("/indications/{own}/edit"), wvl_edit(&token, &provider, "2026-12-31", "Door de begeleider")).await;
        assert_eq!(resp.status, StatusCode::FORBIDDEN);

        let page = c.get(&format!("/indications/{own}")).await;
        assert!(!page.body.contains("Vervalst") && !page.body.contains("Door de begeleider"));
        let mut borsele = Client::new(&db.store);
        borsele.login(BORSELE, PASSWORD).await.assert_redirect("/");
        assert!(!borsele.get(&format!("/indications/{theirs}")).await.body.contains("Over de grens"));
    }
}

db_test! {
    async fn a_consultant_ends_an_indication_with_its_outcome(db) {
        let w = seed_care(&db.store).await;
        let ind = w.indications()[0];
        let mut c = Client::new(&db.store);
        c.login_as(Role::Consultant).await;
        let csrf = c.session_csrf(&format!("/indications/{ind}")).await;
        let resp = c
            .post(
                &format!("/indications/{ind}/end"),
                &[("csrf_token", &csrf), ("end_date", "2026-03-31"), ("outcome", "")],
            )
            .await;
        assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", resp.body);
        // Every mistake at once, each at its field, and what was typed stays.
        assert!(resp.body.contains("Uitkomst: maak een keuze."), "{}", resp.body);
        assert!(resp.body.contains("Kies of het afgesproken resultaat is bereikt."), "{}", resp.body);
        assert!(resp.body.contains(r#"id="end-result" name="result" aria-invalid="true""#), "{}", resp.body);
        assert!(resp.body.contains(r#"value="2026-03-31""#), "{}", resp.body);

        c.post(
            &format!("/indications/{ind}/end"),
            &[
                ("csrf_token", &csrf),
                ("end_date", "2026-03-31"),
                ("outcome", "moved"),
                ("result", "partly"),
                ("result_note", "Verhuisd voordat het resultaat helemaal bereikt was."),
            ],
        )
        .await
        .assert_redirect(&format!("/indications/{ind}?saved=ended"));
        let page = c.get(&format!("/indications/{ind}?saved=ended")).await;
        assert!(page.body.contains("De indicatie is beëindigd."), "{}", page.body);
        assert!(page.body.contains("Verhuisd"), "{}", page.body);
        assert!(page.body.contains("Deels bereikt: Verhuisd voordat het resultaat helemaal bereikt was."), "{}", page.body);
        assert!(page.body.contains("31-03-2026"));
    }
}

db_test! {
    async fn ending_an_indication_is_refused_without_csrf_for_other_roles_and_across_tenants(db) {
        let w = seed_care(&db.store).await;
        let (own, theirs) = (w.indications()[0], w.indications()[1]);
        let end = [("end_date", "2026-03-31"), ("outcome", "moved")];
        let mut c = Client::new(&db.store);
        c.login_as(Role::Consultant).await;
        let csrf = c.session_csrf("/worklist").await;
        let before = c.get(&format!("/indications/{own}")).await.body;
        let mut borsele = Client::new(&db.store);
        borsele.login(BORSELE, PASSWORD).await.assert_redirect("/");
        let theirs_before = borsele.get(&format!("/indications/{theirs}")).await.body;
        assert_eq!(c.post(&format!("/indications/{own}/end"), &end).await.status, StatusCode::BAD_REQUEST);
        let with = |token: &str| owned(&[("csrf_token", token), end[0], end[1]]);
        assert_out_of_reach(&send(&mut c, &format!("/indications/{theirs}/end"), with(&csrf)).await);

        let mut pro = Client::new(&db.store);
        pro.login_as(Role::Professional).await;
        let token = pro.session_csrf("/caseload").await;
        let resp = send(&mut pro, &format!("/indications/{own}/end"), with(&token)).await;
        assert_eq!(resp.status, StatusCode::FORBIDDEN);

        assert_eq!(c.get(&format!("/indications/{own}")).await.body, before, "unchanged");
        assert_eq!(borsele.get(&format!("/indications/{theirs}")).await.body, theirs_before, "unchanged");
    }
}
