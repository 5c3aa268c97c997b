//! Notifications in the app (`/notifications`) and the choice of how to get
//! them (`/account/notifications`); the start page says when e-mail is off.

use axum::http::StatusCode;
use waakvlam_domain::role::Role;
use waakvlam_testkit::db_test;
use waakvlam_web::WebConfig;

use crate::support::{Client, KEES, seed_care};

db_test! {
    async fn a_rung_bell_is_in_the_professionals_notifications_without_the_residents_name(db) {
        let world = seed_care(&db.store).await;
        let kees = world.resident(KEES);
        let mut resident = Client::new(&db.store);
        resident.login_as(Role::Resident).await;
        let csrf = resident.session_csrf("/me/help").await;
        resident
            .post("/me/help", &[("csrf_token", &csrf), ("message", "Mijn geheime zorg")])
            .await
            .assert_redirect("/me?help=1");

        let mut pro = Client::new(&db.store);
        pro.login_as(Role::Professional).await;
        // Without SMTP the start page says plainly that e-mail is not sent.
        let start = pro.get("/caseload").await;
        assert!(start.body.contains("E-mail wordt niet verstuurd"), "{}", start.body);
        let page = pro.get("/notifications").await;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(page.h1(), "Meldingen");
        assert!(page.body.contains("Nieuw:</strong> Een inwoner vraagt om hulp"), "{}", page.body);
        assert!(!page.body.contains("Kees") && !page.body.contains("geheime"), "{}", page.body);
        // Opening it marks it read and goes to the resident's page.
        let id = crate::support::ids_after(&page.body, r#"data-notification=""#)[0];
        let csrf = page.form_csrf();
        pro.post("/notifications/read", &[("csrf_token", &csrf), ("id", &id.to_string())])
            .await
            .assert_redirect(&format!("/clients/{kees}"));
        let page = pro.get("/notifications").await;
        assert!(!page.body.contains("Nieuw:</strong> Een inwoner vraagt om hulp"), "{}", page.body);
        assert!(page.body.contains("Een inwoner vraagt om hulp"));
        // Another's notification is not found.
        let mut colleague = Client::new(&db.store);
        colleague.login(crate::support::COLLEAGUE, crate::support::PASSWORD).await;
        let csrf = colleague.session_csrf("/notifications").await;
        let resp = colleague.post("/notifications/read", &[("csrf_token", &csrf), ("id", &id.to_string())]).await;
        assert_eq!(resp.status, StatusCode::NOT_FOUND);

        // With SMTP configured the notice is gone.
        let config = WebConfig { mail_configured: true, ..WebConfig::default() };
        let mut mailed = Client::with_config(&db.store, config);
        mailed.login_as(Role::Professional).await;
        let start = mailed.get("/caseload").await;
        assert!(!start.body.contains("E-mail wordt niet verstuurd"));
    }
}

db_test! {
    async fn each_kind_has_its_choice_but_bells_stay_at_once(db) {
        seed_care(&db.store).await;
        let mut pro = Client::new(&db.store);
        pro.login_as(Role::TeamLead).await;
        let page = pro.get("/account/notifications").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("krijgt u altijd direct"), "{}", page.body);
        // A bell offers only "at once".
        assert!(!page.body.contains(r#"id="notify-bell_rung-daily_summary""#));
        assert!(page.body.contains(r#"id="notify-resident_message-daily_summary""#));
        let csrf = page.form_csrf();
        let mut form = [
            ("csrf_token", csrf.clone()),
            ("bell_rung", "daily_summary".to_owned()),
            ("bell_escalated", "at_once".to_owned()),
            ("resident_message", "in_app_only".to_owned()),
            ("request_decided", "at_once".to_owned()),
            ("scale_down_planning", "daily_summary".to_owned()),
            ("new_allocation", "daily_summary".to_owned()),
            ("hand_over", "at_once".to_owned()),
        ];
        let sent: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let refused = pro.post("/account/notifications", &sent).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
        assert!(refused.body.contains("Een hulpvraag krijgt u altijd direct; dat kunt u niet uitstellen."), "{}", refused.body);
        assert!(refused.body.contains(r#"id="notify-bell_rung-error""#), "{}", refused.body);

        form[1].1 = "at_once".to_owned();
        let sent: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        pro.post("/account/notifications", &sent)
            .await
            .assert_redirect("/account/notifications?done=saved");
        let page = pro.get("/account/notifications?done=saved").await;
        assert!(page.body.contains("Je keuzes zijn opgeslagen."));
        assert!(page.body.contains(r#"id="notify-resident_message-in_app_only" name="resident_message" value="in_app_only" checked"#), "{}", page.body);
        assert!(page.body.contains(r#"id="notify-new_allocation-daily_summary" name="new_allocation" value="daily_summary" checked"#));

        // A missing choice is asked for at its field.
        let resp = pro.post("/account/notifications", &[("csrf_token", &csrf), ("bell_rung", "at_once")]).await;
        assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(resp.body.contains(r#"id="notify-hand_over-error""#), "{}", resp.body);
    }
}

db_test! {
    async fn the_resident_sees_when_their_bell_was_seen(db) {
        let world = seed_care(&db.store).await;
        let kees = world.resident(KEES);
        let mut resident = Client::new(&db.store);
        resident.login_as(Role::Resident).await;
        let csrf = resident.session_csrf("/me/help").await;
        resident.post("/me/help", &[("csrf_token", &csrf), ("message", "")]).await;
        let me = resident.get("/me").await;
        assert!(me.body.contains("heeft je vraag nog niet gezien"), "{}", me.body);

        let mut pro = Client::new(&db.store);
        pro.login_as(Role::Professional).await;
        let page = pro.get(&format!("/clients/{kees}")).await;
        let bell = crate::support::ids_after(&page.body, &format!("/clients/{kees}/bells/"))[0];
        let csrf = page.form_csrf();
        let resp = pro
            .post(&format!("/clients/{kees}/bells/{bell}"), &[("csrf_token", &csrf), ("action", "acknowledge")])
            .await;
        assert!(resp.status.is_redirection(), "{}", resp.body);
        let me = resident.get("/me").await;
        // 10 March 2026 is a Tuesday; the test clock stands at 10:00 in Amsterdam (this year: no year).
        assert!(me.body.contains("Je hulpverlener heeft je vraag gezien op dinsdag 10 maart om 10:00."), "{}", me.body);
    }
}
