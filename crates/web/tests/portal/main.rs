//! The resident portal over HTTP, without a browser and without JavaScript,
//! on SQLite and PostgreSQL: every resident page answers in plain words (no
//! jargon), forms work as plain posts, and roles stay on their own side.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../http/support.rs"]
#[allow(dead_code)]
mod support;

use axum::http::StatusCode;
use waakvlam_domain::role::Role;
use waakvlam_testkit::db_test;

use support::{Client, seed_accounts};

const RESIDENT_PAGES: &[&str] = &[
    "/me",
    "/me/help",
    "/me/plan",
    "/me/messages",
    "/me/sharing",
    "/me/log",
    "/me/helper",
];

/// Words of the trade a resident should never meet.
const BANNED: &[&str] = &[
    "indicatie",
    "wmo",
    "escalat",
    "consulent",
    "caseload",
    "beschikking",
    "signaal",
    "zorgaanbieder",
    "traject",
];

/// The text of a page as read: tags removed, lower case.
fn text_of(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.to_lowercase()
}

db_test! {
    async fn resident_pages_use_no_jargon_in_either_language(db) {
        seed_accounts(&db.store).await;
        let mut c = Client::new(&db.store);
        c.login_as(Role::Resident).await;
        for lang in ["nl", "en"] {
            c.set_cookie(support::LANG_COOKIE, lang);
            for path in RESIDENT_PAGES {
                let page = c.get(path).await;
                assert_eq!(page.status, StatusCode::OK, "{path}: {}", page.body);
                let text = text_of(&page.body);
                for word in BANNED {
                    assert!(!text.contains(word), "{path} ({lang}) uses {word:?}");
                }
            }
        }
    }
}

db_test! {
    async fn check_in_works_as_a_plain_form_and_says_what_is_missing(db) {
        seed_accounts(&db.store).await;
        let mut c = Client::new(&db.store);
        c.login_as(Role::Resident).await;
        let csrf = c.session_csrf("/me").await;
        let page = c.get("/me").await;
        // Five faces, each a radio button with a text label, in one fieldset.
        assert_eq!(page.body.matches(r#"type="radio" id="checkin-wellbeing-"#).count(), 5);
        assert!(page.body.contains("<fieldset"), "{}", page.body);
        for label in ["Heel slecht", "Slecht", "Gaat wel", "Goed", "Heel goed"] {
            assert!(page.body.contains(&format!(r#"<span class="portal-face__label">{label}</span>"#)));
        }

        let resp = c.post("/me/check-in", &[("csrf_token", &csrf), ("note", "Zomaar")]).await;
        assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(resp.body.contains("Kies eerst een gezicht."));
        assert!(resp.body.contains(">Zomaar</textarea>"), "what was typed stays");

        let resp = c
            .post("/me/check-in", &[("csrf_token", &csrf), ("wellbeing", "4"), ("note", "Prima dag")])
            .await;
        resp.assert_redirect("/me?done=check-in");
        let page = c.get("/me?done=check-in").await;
        assert!(page.body.contains("Je laatste antwoord: Goed"), "{}", page.body);

        // Without the session's CSRF token nothing is stored.
        let resp = c.post("/me/check-in", &[("wellbeing", "1")]).await;
        assert_eq!(resp.status, StatusCode::BAD_REQUEST);
    }
}

db_test! {
    async fn each_role_stays_on_its_own_side_of_the_portal(db) {
        seed_accounts(&db.store).await;
        let mut pro = Client::new(&db.store);
        pro.login_as(Role::Professional).await;
        for path in RESIDENT_PAGES {
            assert_eq!(pro.get(path).await.status, StatusCode::FORBIDDEN, "{path}");
        }
        assert_eq!(pro.get("/helper-requests").await.status, StatusCode::FORBIDDEN);

        let mut trusted = Client::new(&db.store);
        trusted.login_as(Role::TrustedPerson).await;
        let shared = trusted.get("/shared").await;
        assert_eq!(shared.status, StatusCode::OK);
        assert!(shared.body.contains("Niemand deelt nu een plan met jou."));
        for path in ["/me", "/me/plan", "/caseload", "/shared/1"] {
            assert_eq!(trusted.get(path).await.status, StatusCode::FORBIDDEN, "{path}");
        }

        let mut lead = Client::new(&db.store);
        lead.login_as(Role::TeamLead).await;
        let page = lead.get("/helper-requests").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Er wachten geen keuzes."));
    }
}

db_test! {
    async fn an_unknown_activation_code_is_refused_and_attempts_are_throttled(db) {
        let mut c = Client::from_address(&db.store, "192.0.2.77");
        // Without the form's token nothing is tried.
        let resp = c
            .post("/activate", &[("code", "AAAA-BBBB-CCCC"), ("password", "een lang wachtwoord"), ("password_again", "een lang wachtwoord")])
            .await;
        assert_eq!(resp.status, StatusCode::BAD_REQUEST, "{}", resp.body);
        assert!(resp.body.contains("Het formulier was verlopen."), "{}", resp.body);
        for _ in 0..5 {
            let resp = c.activate("AAAA-BBBB-CCCC", "een lang wachtwoord").await;
            assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY);
            assert!(resp.body.contains("Deze code werkt niet."), "{}", resp.body);
        }
        let resp = c.activate("AAAA-BBBB-CCCC", "een lang wachtwoord").await;
        assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(resp.body.contains("minuten"), "locked out: {}", resp.body);
        assert!(!resp.sets_session());
    }
}

db_test! {
    async fn each_portal_page_view_adds_exactly_one_access_log_entry(db) {
        seed_accounts(&db.store).await;
        let count = async || waakvlam_testkit::access_count(&db.store).await;
        let mut c = Client::new(&db.store);
        c.login_as(Role::Resident).await;
        for path in RESIDENT_PAGES.iter().filter(|p| **p != "/me/help") {
            let before = count().await;
            let page = c.get(path).await;
            assert_eq!(page.status, StatusCode::OK, "{path}: {}", page.body);
            assert_eq!(count().await, before + 1, "{path}");
        }
        for (role, path) in [(Role::TrustedPerson, "/shared"), (Role::TeamLead, "/helper-requests")] {
            let mut c = Client::new(&db.store);
            c.login_as(role).await;
            let before = count().await;
            let page = c.get(path).await;
            assert_eq!(page.status, StatusCode::OK, "{path}: {}", page.body);
            assert_eq!(count().await, before + 1, "{path}");
        }
    }
}

db_test! {
    async fn the_resident_reads_and_downloads_their_access_log_grouped_in_plain_words(db) {
        let w = support::seed_care(&db.store).await;
        let kees = w.resident(support::KEES);
        let mut pro = Client::new(&db.store);
        pro.login_as(Role::Professional).await;
        for _ in 0..3 {
            assert_eq!(pro.get(&format!("/clients/{kees}")).await.status, StatusCode::OK);
        }
        let mut c = Client::new(&db.store);
        c.login_as(Role::Resident).await;
        let page = c.get("/me/log").await;
        assert_eq!(page.status, StatusCode::OK);
        // Three looks on one day are one line.
        assert_eq!(page.body.matches("Dat gebeurde 3 keer.").count(), 1, "{}", page.body);
        assert!(page.body.contains("/me/log/download"));

        let file = c.get("/me/log/download").await;
        assert_eq!(file.status, StatusCode::OK);
        assert_eq!(file.header("content-type"), Some("text/plain; charset=utf-8"));
        assert!(file.header("content-disposition").unwrap_or_default().starts_with("attachment"));
        assert!(file.body.starts_with("Wie keek naar mijn gegevens?"), "{}", file.body);
        let line = file.body.lines().find(|l| l.contains("Dat gebeurde 3 keer.")).unwrap_or_else(|| panic!("{}", file.body));
        assert!(line.contains("Test professional") && line.contains("Bekeek je gegevens."), "{line}");
        // Only the resident's own.
        let mut other = Client::new(&db.store);
        other.login_as(Role::Professional).await;
        assert_eq!(other.get("/me/log/download").await.status, StatusCode::FORBIDDEN);
    }
}
