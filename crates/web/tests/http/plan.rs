//! Plans written together (issue 12) over HTTP: the professional writes,
//! changes and archives goals and agreements on `/clients/{id}` with their
//! history; the resident proposes a goal on `/me/plan` and sees the answer;
//! the agreed result and scale-down moment stand near the product; the plan
//! prints without forms. Refusals stand at their fields, in Dutch.

use axum::http::StatusCode;
use waakvlam_domain::role::Role;
use waakvlam_testkit::{World, db_test};

use crate::support::{
    Client, ELSEWHERE, KEES, PASSWORD, STRANGER, accounts_world, assert_out_of_reach, email_of,
    ids_after,
};

const AGREED: &str = "Kees regelt zijn post zelf en heeft een vaste weekstructuur.";

/// The accounts' world with Kees's waakvlam and its agreed result, and a
/// resident of another provider.
fn world() -> World {
    accounts_world()
        .waakvlam(
            KEES,
            "Team Goes-Kapelle",
            Some(&email_of(Role::Professional)),
        )
        .agreed_result(AGREED)
        .provider("75751002", "Stichting Elders")
        .team("Team Borsele")
        .resident(
            waakvlam_testkit::person(STRANGER)
                .given_names("Greet")
                .in_municipality("0654"),
        )
        .account(
            ELSEWHERE,
            Role::Professional,
            waakvlam_testkit::Member::team("Team Borsele"),
        )
        .named("Elders Professional")
        .waakvlam(STRANGER, "Team Borsele", Some(ELSEWHERE))
}

async fn logged_in(db: &waakvlam_testkit::TestDb, role: Role, page: &str) -> (Client, String) {
    let mut c = Client::new(&db.store);
    c.login_as(role).await;
    let csrf = c.session_csrf(page).await;
    (c, csrf)
}

db_test! {
    async fn a_professional_writes_changes_and_archives_goals_and_each_change_is_kept(db) {
        let w = world().create(&db.store).await;
        let kees = w.resident(KEES);
        let page = format!("/clients/{kees}");
        let (mut c, csrf) = logged_in(db, Role::Professional, &page).await;
        let resp = c
            .post(&format!("{page}/plan/items"), &[("csrf_token", &csrf), ("kind", "goal"), ("text", "Ik doe zelf boodschappen.")])
            .await;
        resp.assert_redirect(&format!("{page}?done=plan"));
        c.post(&format!("{page}/plan/items"), &[("csrf_token", &csrf), ("kind", "agreement"), ("text", "We bellen elke maandag.")])
            .await
            .assert_redirect(&format!("{page}?done=plan"));
        let body = c.get(&format!("{page}?done=plan")).await.body;
        assert!(body.contains("Het plan is bijgewerkt."), "{body}");
        assert!(body.contains("Ik doe zelf boodschappen.") && body.contains("We bellen elke maandag."), "{body}");
        assert!(body.contains("<summary>Geschiedenis</summary>"), "{body}");
        assert!(body.contains("Test professional: geschreven: “Ik doe zelf boodschappen.”"), "{body}");
        let item = ids_after(&body, &format!("action=\"{page}/plan/items/"))[0];

        // The team lead changes the words, with Kees.
        let (mut lead, lead_csrf) = logged_in(db, Role::TeamLead, &page).await;
        lead.post(&format!("{page}/plan/items/{item}"), &[("csrf_token", &lead_csrf), ("text", "Ik doe elke week zelf boodschappen.")])
            .await
            .assert_redirect(&format!("{page}?done=plan"));
        let body = c.get(&page).await.body;
        assert!(body.contains("Test team_lead: gewijzigd van “Ik doe zelf boodschappen.” in “Ik doe elke week zelf boodschappen.”"), "{body}");

        // The resident reads the plan as it stands.
        let (mut kees_client, _) = logged_in(db, Role::Resident, "/me/plan").await;
        assert!(kees_client.get("/me/plan").await.body.contains("Ik doe elke week zelf boodschappen."));

        // Done: off the plan, kept under "Afgerond en vervallen" with its history.
        c.post(&format!("{page}/plan/items/{item}/archive"), &[("csrf_token", &csrf), ("reason", "done")])
            .await
            .assert_redirect(&format!("{page}?done=plan-archived"));
        let body = c.get(&format!("{page}?done=plan-archived")).await.body;
        assert!(body.contains("Afgerond en vervallen"), "{body}");
        assert!(body.contains("(Afgerond op 10-03-2026)"), "{body}");
        assert!(body.contains("Test professional: Afgerond"), "{body}");
        assert!(!body.contains(&format!("action=\"{page}/plan/items/{item}\"")), "no longer changed");
        assert!(!kees_client.get("/me/plan").await.body.contains("Ik doe elke week zelf boodschappen."));
        // Archived once: a second try says so, at the top.
        let again = c.post(&format!("{page}/plan/items/{item}/archive"), &[("csrf_token", &csrf), ("reason", "lapsed")]).await;
        assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(again.body.contains("Dit staat niet meer op het plan."), "{}", again.body);
    }
}

db_test! {
    async fn refused_plan_forms_say_why_at_their_fields(db) {
        let w = world().create(&db.store).await;
        let (kees, greet) = (w.resident(KEES), w.resident(STRANGER));
        let page = format!("/clients/{kees}");
        let (mut c, csrf) = logged_in(db, Role::Professional, &page).await;
        let resp = c.post(&format!("{page}/plan/items"), &[("csrf_token", &csrf), ("kind", "wens"), ("text", "Iets")]).await;
        assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(resp.body.contains(r#"id="plan-kind-error">Kies of het een doel of een afspraak is."#), "{}", resp.body);
        assert!(resp.body.contains("Het plan is niet aangepast."), "{}", resp.body);
        let resp = c.post(&format!("{page}/plan/items"), &[("csrf_token", &csrf), ("kind", "goal"), ("text", "   ")]).await;
        assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(resp.body.contains(r#"id="plan-text-error">Vul dit in."#), "{}", resp.body);
        let long = "x".repeat(501);
        let resp = c.post(&format!("{page}/plan/items"), &[("csrf_token", &csrf), ("kind", "goal"), ("text", &long)]).await;
        assert!(resp.body.contains(r#"id="plan-text-error">Dit is te lang: maximaal 500 tekens."#), "{}", resp.body);
        assert!(resp.body.contains(&long), "what was typed comes back");

        c.post(&format!("{page}/plan/items"), &[("csrf_token", &csrf), ("kind", "goal"), ("text", "Ik kook zelf.")])
            .await
            .assert_redirect(&format!("{page}?done=plan"));
        let item = ids_after(&c.get(&page).await.body, &format!("action=\"{page}/plan/items/"))[0];
        let resp = c.post(&format!("{page}/plan/items/{item}"), &[("csrf_token", &csrf), ("text", "")]).await;
        assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(resp.body.contains(&format!(r#"id="plan-{item}-text-error">Vul dit in."#)), "{}", resp.body);
        assert!(resp.body.contains(&format!(r##"href="#plan-{item}-text""##)), "the summary links to the field");
        let resp = c.post(&format!("{page}/plan/items/{item}/archive"), &[("csrf_token", &csrf), ("reason", "weg")]).await;
        assert!(resp.body.contains(&format!(r#"id="plan-{item}-reason-error">Kies of het is afgerond of vervalt."#)), "{}", resp.body);

        // Without the token, across tenants, and for roles outside care: refused.
        let resp = c.post(&format!("{page}/plan/items"), &[("kind", "goal"), ("text", "Zonder token")]).await;
        assert_eq!(resp.status, StatusCode::BAD_REQUEST);
        assert_out_of_reach(&c.post(&format!("/clients/{greet}/plan/items"), &[("csrf_token", &csrf), ("kind", "goal"), ("text", "Niet van mij")]).await);
        let mut elders = Client::new(&db.store);
        elders.login(ELSEWHERE, PASSWORD).await.assert_redirect("/");
        let token = elders.session_csrf(&format!("/clients/{greet}")).await;
        assert_out_of_reach(&elders.post(&format!("{page}/plan/items/{item}"), &[("csrf_token", &token), ("text", "Gekaapt")]).await);
        let (mut consultant, token) = logged_in(db, Role::Consultant, "/worklist").await;
        let resp = consultant.post(&format!("{page}/plan/items"), &[("csrf_token", &token), ("kind", "goal"), ("text", "Ook niet")]).await;
        assert_eq!(resp.status, StatusCode::FORBIDDEN);
        let body = c.get(&page).await.body;
        assert!(!body.contains("Gekaapt") && !body.contains("Ook niet") && !body.contains("Niet van mij"));
    }
}

db_test! {
    async fn the_resident_proposes_a_goal_and_sees_what_became_of_it(db) {
        let w = world().create(&db.store).await;
        let kees = w.resident(KEES);
        let (mut resident, csrf) = logged_in(db, Role::Resident, "/me/plan").await;
        let plan = resident.get("/me/plan").await.body;
        assert!(plan.contains("Een doel voorstellen"), "{plan}");
        let resp = resident.post("/me/plan/proposals", &[("csrf_token", &csrf), ("text", "  ")]).await;
        assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(resp.body.contains(r#"id="proposal-text-error">Je hebt nog niets geschreven."#), "{}", resp.body);
        resident
            .post("/me/plan/proposals", &[("csrf_token", &csrf), ("text", "Ik wil zelf mijn post openen.")])
            .await
            .assert_redirect("/me/plan?done=proposal");
        let plan = resident.get("/me/plan?done=proposal").await.body;
        assert!(plan.contains("Je voorstel is verstuurd."), "{plan}");
        assert!(plan.contains("Je hulpverlener heeft nog niet gereageerd."), "{plan}");

        // The professional sees it on Kees's page and first wants to talk about it.
        let page = format!("/clients/{kees}");
        let (mut c, pro_csrf) = logged_in(db, Role::Professional, &page).await;
        let body = c.get(&page).await.body;
        assert!(body.contains("Voorstellen van de inwoner") && body.contains("“Ik wil zelf mijn post openen.”"), "{body}");
        let proposal = ids_after(&body, &format!("action=\"{page}/plan/proposals/"))[0];
        c.post(&format!("{page}/plan/proposals/{proposal}"), &[("csrf_token", &pro_csrf), ("action", "discuss"), ("note", "Welke post bedoel je?")])
            .await
            .assert_redirect(&format!("{page}?done=proposal-discuss"));
        let plan = resident.get("/me/plan").await.body;
        assert!(plan.contains("Je hulpverlener wil er eerst met je over praten: “Welke post bedoel je?”"), "{plan}");

        // Accepting it needs words for the goal.
        let resp = c.post(&format!("{page}/plan/proposals/{proposal}"), &[("csrf_token", &pro_csrf), ("action", "accept"), ("text", "")]).await;
        assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(resp.body.contains(&format!(r#"id="proposal-{proposal}-text-error">Vul dit in."#)), "{}", resp.body);
        c.post(&format!("{page}/plan/proposals/{proposal}"), &[("csrf_token", &pro_csrf), ("action", "accept"), ("text", "Ik open elke dag zelf mijn post.")])
            .await
            .assert_redirect(&format!("{page}?done=proposal-accepted"));
        let body = c.get(&format!("{page}?done=proposal-accepted")).await.body;
        assert!(body.contains("Het voorstel is een doel geworden."), "{body}");
        assert!(body.contains("Test resident: voorgesteld: “Ik wil zelf mijn post openen.”"), "{body}");
        let plan = resident.get("/me/plan").await.body;
        assert!(plan.contains("Het is nu een doel in je plan."), "{plan}");
        assert!(plan.contains("<li>Ik open elke dag zelf mijn post.</li>"), "{plan}");

        // Only the resident proposes: a professional cannot, on /me/plan.
        let resp = c.post("/me/plan/proposals", &[("csrf_token", &pro_csrf), ("text", "Namens Kees")]).await;
        assert_eq!(resp.status, StatusCode::FORBIDDEN);
    }
}

db_test! {
    async fn the_agreed_result_and_scale_down_moment_stand_near_the_product(db) {
        let w = world().create(&db.store).await;
        let kees = w.resident(KEES);
        let page = format!("/clients/{kees}");
        let (mut c, _) = logged_in(db, Role::Professional, &page).await;
        let body = c.get(&page).await.body;
        assert!(body.contains("<dt>Afgesproken resultaat</dt>"), "{body}");
        assert!(body.contains(AGREED), "{body}");
        assert!(body.contains("<dt>Afschaalmoment</dt>\n    <dd>Niet gepland</dd>"), "{body}");
    }
}

db_test! {
    async fn the_plan_prints_without_forms(db) {
        let w = world().create(&db.store).await;
        let kees = w.resident(KEES);
        let page = format!("/clients/{kees}");
        let (mut c, csrf) = logged_in(db, Role::Professional, &page).await;
        c.post(&format!("{page}/plan/items"), &[("csrf_token", &csrf), ("kind", "goal"), ("text", "Ik kook zelf.")])
            .await
            .assert_redirect(&format!("{page}?done=plan"));
        assert!(c.get(&page).await.body.contains(&format!(r#"href="{page}/plan/print">Plan afdrukken</a>"#)));
        let print = c.get(&format!("{page}/plan/print")).await;
        assert_eq!(print.status, StatusCode::OK);
        assert_eq!(print.h1(), "Plan van Kees van Dam");
        assert!(print.body.contains("Ik kook zelf.") && print.body.contains(AGREED), "{}", print.body);
        assert!(print.body.contains("Test professional"), "the contact person");
        assert!(!print.body.contains(&format!("action=\"{page}")), "no forms: {}", print.body);
        assert!(print.body.contains("data-print hidden"), "the print button waits for JavaScript");

        let (mut resident, _) = logged_in(db, Role::Resident, "/me/plan").await;
        assert!(resident.get("/me/plan").await.body.contains(r#"href="/me/plan/print">Plan afdrukken</a>"#));
        let print = resident.get("/me/plan/print").await;
        assert_eq!(print.status, StatusCode::OK);
        assert!(print.body.contains("Ik kook zelf.") && print.body.contains("Je hulpverlener is Test professional"), "{}", print.body);
        assert!(!print.body.contains("action=\"/me/plan"), "no forms: {}", print.body);

        let css = c.get("/assets/app.css").await.body;
        assert!(css.contains("@media print") && css.contains(".waakvlam-plan-change"), "a print stylesheet");
    }
}
