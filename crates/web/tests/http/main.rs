//! HTTP behaviour of the web layer, driven in-process through the router on
//! SQLite and PostgreSQL (`<test>::sqlite`, `<test>::postgres`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod assets;
mod caseload;
mod catalogue;
mod clients;
mod intake;
mod iwmo;
mod limits;
mod matrix;
mod monitoring;
mod municipal;
mod notifications;
mod plan;
mod portal_actions;
mod registration;
mod scale_down;
mod support;
mod team;
mod worklist;

use axum::http::{Method, StatusCode};
use waakvlam_domain::role::Role;
use waakvlam_testkit::db_test;

use support::{
    Client, LANG_COOKIE, LOGIN_CSRF_COOKIE, PASSWORD, SESSION_COOKIE, advance, email_of,
    seed_accounts, start_of,
};

// ---------------------------------------------------------------------------
// The login page and response headers
// ---------------------------------------------------------------------------

db_test! {
    async fn login_page_has_the_form_and_a_strict_csrf_cookie(db) {
        let mut c = Client::new(&db.store);
        let resp = c.get("/login").await;
        assert_eq!(resp.status, StatusCode::OK);
        assert!(resp.body.contains(r#"<html lang="nl""#), "{}", resp.body);
        assert!(resp.body.contains("Inloggen"));
        assert!(resp.body.contains(r#"name="email""#));
        assert!(resp.body.contains(r#"name="password""#));
        assert!(resp.body.contains(r#"type="hidden" name="csrf_token""#));
        let token = resp.form_csrf();
        assert!(token.len() >= 32, "CSRF token too short: {token:?}");

        let cookie = resp.set_cookie(LOGIN_CSRF_COOKIE).expect("login CSRF cookie");
        assert_eq!(cookie.value, token, "double-submit cookie carries the form's token");
        assert!(cookie.has("HttpOnly"), "{cookie:?}");
        assert!(cookie.has("SameSite=Strict"), "{cookie:?}");
        assert!(cookie.has("Secure"), "{cookie:?}");
        assert!(!resp.sets_session(), "no session before logging in");

        // Every form gets a fresh token.
        let again = c.get("/login").await;
        assert_ne!(again.form_csrf(), token);
    }
}

db_test! {
    async fn pages_carry_security_headers_and_are_not_cached(db) {
        seed_accounts(&db.store).await;
        let mut c = Client::new(&db.store);
        let mut pages = vec![c.get("/login").await, c.get("/does-not-exist").await];
        c.login_as(Role::Admin).await;
        pages.push(c.get("/admin").await);
        for resp in &pages {
            let csp = resp.header("content-security-policy").expect("CSP");
            assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
            assert!(csp.contains("default-src 'self'"), "{csp}");
            assert_eq!(resp.header("x-content-type-options"), Some("nosniff"));
            assert!(resp.header("referrer-policy").is_some());
            assert_eq!(resp.header("cache-control"), Some("no-store"));
        }

        let css = c.get("/assets/app.css").await;
        assert_eq!(css.status, StatusCode::OK);
        assert!(
            css.header("content-type").is_some_and(|t| t.starts_with("text/css")),
            "{:?}",
            css.header("content-type")
        );
        assert!(!css.body.is_empty());
        let cache = css.header("cache-control").unwrap_or_default();
        assert!(!cache.contains("no-store"), "assets may be cached: {cache}");
        assert_eq!(css.header("x-content-type-options"), Some("nosniff"));

        assert_eq!(c.get("/assets/no-such-file.css").await.status, StatusCode::NOT_FOUND);
    }
}

// ---------------------------------------------------------------------------
// Logging in
// ---------------------------------------------------------------------------

db_test! {
    async fn every_role_logs_in_and_lands_on_its_start_page(db) {
        seed_accounts(&db.store).await;
        for role in Role::ALL {
            let mut c = Client::new(&db.store);
            let resp = c.login(&email_of(role), PASSWORD).await;
            assert_eq!(resp.status, StatusCode::SEE_OTHER, "{role:?}: {}", resp.body);
            assert_eq!(resp.location(), Some("/"));
            let session = resp.set_cookie(SESSION_COOKIE).expect("session cookie");
            assert!(!session.value.is_empty());
            assert!(session.has("HttpOnly"), "{session:?}");
            assert!(session.has("Secure"), "{session:?}");
            assert!(session.has("SameSite=Lax"), "{session:?}");
            // `__Host-`: only this host, over HTTPS, for the whole site.
            assert!(session.name.starts_with("__Host-") && session.has("Path=/"), "{session:?}");
            assert!(!session.attributes.iter().any(|a| a.starts_with("Domain")), "{session:?}");
            // The login form's CSRF cookie has done its job.
            assert!(c.cookie(LOGIN_CSRF_COOKIE).is_none(), "{role:?}");

            let (start, title) = start_of(role);
            c.get("/").await.assert_redirect(start);
            let page = c.get(start).await;
            assert_eq!(page.status, StatusCode::OK, "{role:?}: {}", page.body);
            assert_eq!(page.h1(), title, "{role:?}");
            assert!(page.body.contains(&format!("Test {}", role.as_str())), "shows who is logged in");
            assert!(page.body.contains(r#"action="/logout""#));

            // Logged in, the login page sends you on.
            c.get("/login").await.assert_redirect("/");
        }
    }
}

db_test! {
    async fn e_mail_addresses_are_matched_case_insensitively(db) {
        seed_accounts(&db.store).await;
        let mut c = Client::new(&db.store);
        let resp = c.login("  CONSULTANT@Test.Waakvlam.nl ", PASSWORD).await;
        resp.assert_redirect("/");
        assert!(resp.sets_session());
    }
}

db_test! {
    async fn every_login_gets_a_fresh_session_token(db) {
        seed_accounts(&db.store).await;
        let mut first = Client::new(&db.store);
        first.login_as(Role::Consultant).await;
        let mut second = Client::new(&db.store);
        second.login_as(Role::Consultant).await;
        let (a, b) = (first.cookie(SESSION_COOKIE).unwrap(), second.cookie(SESSION_COOKIE).unwrap());
        assert_ne!(a, b);
        // Both sessions are live side by side.
        assert_eq!(first.get("/worklist").await.status, StatusCode::OK);
        assert_eq!(second.get("/worklist").await.status, StatusCode::OK);

        // A token planted before login (session fixation) is replaced.
        let mut victim = Client::new(&db.store);
        victim.set_cookie(SESSION_COOKIE, "planted-by-an-attacker");
        victim.login_as(Role::Consultant).await;
        let issued = victim.cookie(SESSION_COOKIE).unwrap();
        assert_ne!(issued, "planted-by-an-attacker");
        assert_ne!(issued, a);
        assert_ne!(issued, b);
    }
}

db_test! {
    async fn a_wrong_password_is_refused_without_a_session(db) {
        seed_accounts(&db.store).await;
        let mut c = Client::new(&db.store);
        let resp = c.login(&email_of(Role::Admin), "not the password").await;
        assert_eq!(resp.status, StatusCode::UNAUTHORIZED);
        assert!(resp.body.contains("klopt niet"), "{}", resp.body);
        assert!(!resp.sets_session());
        assert!(c.cookie(SESSION_COOKIE).is_none());
        // The address stays in the form; the password does not come back.
        assert!(resp.body.contains(r#"value="admin@test.waakvlam.nl""#));
        assert!(!resp.body.contains("not the password"));
        // A fresh form token for the next try.
        assert!(resp.set_cookie(LOGIN_CSRF_COOKIE).is_some());
        c.get("/admin").await.assert_redirect("/login");

        // An unknown address gets the same answer.
        let unknown = c.login("nobody@test.waakvlam.nl", PASSWORD).await;
        assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
        assert!(unknown.body.contains("klopt niet"));
        assert!(!unknown.sets_session());
    }
}

db_test! {
    async fn a_login_without_the_right_csrf_token_is_refused(db) {
        seed_accounts(&db.store).await;
        let email = email_of(Role::Admin);

        // No token at all.
        let mut c = Client::new(&db.store);
        c.get("/login").await;
        let resp = c.post("/login", &[("email", &email), ("password", PASSWORD)]).await;
        assert_eq!(resp.status, StatusCode::BAD_REQUEST);
        assert!(!resp.sets_session());

        // A token that is not the cookie's.
        let mut c = Client::new(&db.store);
        c.get("/login").await;
        let resp = c
            .post(
                "/login",
                &[("email", &email), ("password", PASSWORD), ("csrf_token", "forged-token")],
            )
            .await;
        assert_eq!(resp.status, StatusCode::BAD_REQUEST);
        assert!(!resp.sets_session());
        assert!(c.cookie(SESSION_COOKIE).is_none());

        // The form's token, but the cookie is missing (cross-site post).
        let mut c = Client::new(&db.store);
        let token = c.get("/login").await.form_csrf();
        c.remove_cookie(LOGIN_CSRF_COOKIE);
        let resp = c
            .post(
                "/login",
                &[("email", &email), ("password", PASSWORD), ("csrf_token", &token)],
            )
            .await;
        assert_eq!(resp.status, StatusCode::BAD_REQUEST);
        assert!(!resp.sets_session());

        // Empty token and empty cookie do not match each other either.
        let mut c = Client::new(&db.store);
        c.set_cookie(LOGIN_CSRF_COOKIE, "");
        let resp = c
            .post("/login", &[("email", &email), ("password", PASSWORD), ("csrf_token", "")])
            .await;
        assert_eq!(resp.status, StatusCode::BAD_REQUEST);
        assert!(!resp.sets_session());
    }
}

db_test! {
    async fn repeated_wrong_passwords_lock_the_address_for_a_while(db) {
        seed_accounts(&db.store).await;
        let email = email_of(Role::Professional);
        let mut c = Client::new(&db.store);
        for attempt in 1..=5 {
            let resp = c.login(&email, &format!("wrong password {attempt}")).await;
            assert_eq!(resp.status, StatusCode::UNAUTHORIZED, "attempt {attempt}");
            assert!(!resp.sets_session());
        }
        // The right password is refused now, with the lockout message.
        let resp = c.login(&email, PASSWORD).await;
        assert_eq!(resp.status, StatusCode::TOO_MANY_REQUESTS, "{}", resp.body);
        assert!(resp.body.contains("Te veel mislukte pogingen"), "{}", resp.body);
        assert!(resp.body.contains("15 minuten"), "{}", resp.body);
        assert!(!resp.sets_session());
        // Whatever the spelling of the address.
        let resp = c.login(&email.to_uppercase(), PASSWORD).await;
        assert_eq!(resp.status, StatusCode::TOO_MANY_REQUESTS);

        // Other accounts are not affected.
        let mut other = Client::new(&db.store);
        other.login_as(Role::Consultant).await;

        // Still locked a little before the end.
        advance(db, 14);
        assert_eq!(c.login(&email, PASSWORD).await.status, StatusCode::TOO_MANY_REQUESTS);

        advance(db, 2);
        let resp = c.login(&email, PASSWORD).await;
        resp.assert_redirect("/");
        assert!(resp.sets_session());
        assert_eq!(c.get("/caseload").await.status, StatusCode::OK);
    }
}

db_test! {
    async fn a_successful_login_resets_the_failure_count(db) {
        seed_accounts(&db.store).await;
        let email = email_of(Role::Analyst);
        let mut c = Client::new(&db.store);
        for _ in 0..4 {
            assert_eq!(c.login(&email, "wrong").await.status, StatusCode::UNAUTHORIZED);
        }
        c.login_as(Role::Analyst).await;
        let mut c = Client::new(&db.store);
        for _ in 0..4 {
            assert_eq!(c.login(&email, "wrong").await.status, StatusCode::UNAUTHORIZED);
        }
        c.login_as(Role::Analyst).await;
    }
}

db_test! {
    async fn logins_and_failed_logins_are_in_the_access_log(db) {
        seed_accounts(&db.store).await;
        let mut c = Client::new(&db.store);
        c.login_as(Role::Consultant).await;
        let latest = waakvlam_testkit::access_latest(&db.store, 5).await;
        let entry = latest.first().expect("an access-log entry");
        assert_eq!(entry.action, "login");
        assert_eq!(entry.outcome, "success");
        assert!(entry.account_id.is_some());
        assert_eq!(entry.actor_role.as_deref(), Some("consultant"));

        let mut c = Client::new(&db.store);
        c.login(&email_of(Role::Admin), "wrong password").await;
        let latest = waakvlam_testkit::access_latest(&db.store, 5).await;
        let entry = latest.first().expect("an access-log entry");
        assert_eq!(entry.action, "login");
        assert_eq!(entry.outcome, "denied");
        assert_eq!(entry.account_id, None);
        assert_eq!(entry.actor_name.as_deref(), Some("admin@test.waakvlam.nl"));

        // A refused attempt during a lockout is logged too.
        for _ in 0..5 {
            c.login(&email_of(Role::Admin), "wrong password").await;
        }
        let before = waakvlam_testkit::access_count(&db.store).await;
        assert_eq!(c.login(&email_of(Role::Admin), PASSWORD).await.status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(waakvlam_testkit::access_count(&db.store).await, before + 1);
        let latest = waakvlam_testkit::access_latest(&db.store, 1).await;
        assert_eq!((latest[0].action.as_str(), latest[0].outcome.as_str()), ("login", "denied"));
    }
}

// ---------------------------------------------------------------------------
// Sessions
// ---------------------------------------------------------------------------

db_test! {
    async fn an_idle_session_expires_after_thirty_minutes(db) {
        seed_accounts(&db.store).await;
        let mut c = Client::new(&db.store);
        c.login_as(Role::Professional).await;
        assert_eq!(c.get("/caseload").await.status, StatusCode::OK);

        advance(db, 31);
        let resp = c.get("/caseload").await;
        assert!(resp.status.is_redirection(), "{}", resp.status);
        assert!(resp.location().unwrap().starts_with("/login"), "{:?}", resp.location());
        // And it stays gone.
        let resp = c.get("/caseload").await;
        assert!(resp.location().unwrap().starts_with("/login"));
        let login = c.get("/login").await;
        assert_eq!(login.status, StatusCode::OK);
    }
}

db_test! {
    async fn activity_keeps_a_session_alive_but_not_beyond_twenty_one_hours(db) {
        seed_accounts(&db.store).await;
        let mut c = Client::new(&db.store);
        c.login_as(Role::TeamLead).await;
        // A request every 25 minutes for 20 h 50 min.
        for step in 1..=50 {
            advance(db, 25);
            let resp = c.get("/caseload").await;
            assert_eq!(resp.status, StatusCode::OK, "after {} minutes", step * 25);
        }
        // 21 h 15 min after login, only 25 minutes after the last request.
        advance(db, 25);
        let resp = c.get("/caseload").await;
        assert!(resp.status.is_redirection(), "{}", resp.status);
        assert!(resp.location().unwrap().starts_with("/login"), "{:?}", resp.location());
    }
}

db_test! {
    async fn extending_the_session_needs_its_csrf_token(db) {
        seed_accounts(&db.store).await;
        let mut c = Client::new(&db.store);
        c.login_as(Role::Consultant).await;
        let token = c.session_csrf("/worklist").await;
        // The token in the page is the one the logout form carries.
        assert_eq!(c.get("/worklist").await.form_csrf(), token);

        // 20 minutes later the script asks to stay logged in...
        advance(db, 20);
        let resp = c.post("/session/extend", &[("csrf_token", &token)]).await;
        assert_eq!(resp.status, StatusCode::NO_CONTENT, "{}", resp.body);
        // ...so 40 minutes after login (20 after the extension) it is still alive.
        advance(db, 20);
        assert_eq!(c.get("/worklist").await.status, StatusCode::OK);

        // A wrong token is refused.
        let resp = c.post("/session/extend", &[("csrf_token", "forged")]).await;
        assert_eq!(resp.status, StatusCode::BAD_REQUEST);
        let resp = c.post("/session/extend", &[]).await;
        assert_eq!(resp.status, StatusCode::BAD_REQUEST);

        // Without scripts the form is sent back to the page, never elsewhere.
        let resp = c
            .post("/session/extend", &[("csrf_token", &token), ("next", "/worklist")])
            .await;
        resp.assert_redirect("/worklist");
        let resp = c
            .post("/session/extend", &[("csrf_token", &token), ("next", "//evil.example/x")])
            .await;
        resp.assert_redirect("/");

        // Without a session a script is told plainly.
        let mut anonymous = Client::new(&db.store);
        let resp = anonymous.post("/session/extend", &[("csrf_token", &token)]).await;
        assert_eq!(resp.status, StatusCode::UNAUTHORIZED);
        // An expired session, too.
        advance(db, 31);
        let resp = c.post("/session/extend", &[("csrf_token", &token)]).await;
        assert_eq!(resp.status, StatusCode::UNAUTHORIZED);
    }
}

db_test! {
    async fn the_idle_timer_of_the_page_ends_the_session_on_the_server(db) {
        seed_accounts(&db.store).await;
        let mut c = Client::new(&db.store);
        c.login_as(Role::Admin).await;
        let token = c.cookie(SESSION_COOKIE).unwrap();
        // A link from another site cannot log anyone out: the session stays.
        let resp = c
            .request(Method::GET, "/login?expired=1", None, &[("sec-fetch-site", "cross-site")])
            .await;
        assert_eq!(resp.location(), Some("/"));
        assert_eq!(c.get("/admin").await.status, StatusCode::OK);
        // The app's own page (session.js) does end it.
        let resp = c
            .request(Method::GET, "/login?expired=1", None, &[("sec-fetch-site", "same-origin")])
            .await;
        assert_eq!(resp.status, StatusCode::OK);
        assert!(resp.body.contains("niets hebt gedaan"), "{}", resp.body);
        // The cookie the browser still holds no longer works.
        c.set_cookie(SESSION_COOKIE, &token);
        let resp = c.get("/admin").await;
        assert!(resp.location().unwrap().starts_with("/login"), "{:?}", resp.location());
    }
}

// ---------------------------------------------------------------------------
// Logging out
// ---------------------------------------------------------------------------

db_test! {
    async fn logging_out_ends_the_session_on_the_server(db) {
        seed_accounts(&db.store).await;
        let mut c = Client::new(&db.store);
        c.login_as(Role::Analyst).await;
        let old = c.cookie(SESSION_COOKIE).unwrap();
        let token = c.session_csrf("/monitoring").await;

        let resp = c.post("/logout", &[("csrf_token", &token)]).await;
        assert_eq!(resp.status, StatusCode::SEE_OTHER);
        assert_eq!(resp.location(), Some("/login?logged_out=1"));
        let cleared = resp.set_cookie(SESSION_COOKIE).expect("session cookie cleared");
        assert!(cleared.value.is_empty() && cleared.has("Max-Age=0"), "{cleared:?}");
        assert!(c.cookie(SESSION_COOKIE).is_none());

        let page = c.get("/login?logged_out=1").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Je bent uitgelogd"), "{}", page.body);

        // A copy of the old cookie is worthless now.
        c.set_cookie(SESSION_COOKIE, &old);
        let resp = c.get("/monitoring").await;
        assert!(resp.status.is_redirection(), "{}", resp.status);
        assert!(resp.location().unwrap().starts_with("/login"), "{:?}", resp.location());

        let latest = waakvlam_testkit::access_latest(&db.store, 5).await;
        assert!(latest.iter().any(|e| e.action == "logout" && e.outcome == "success"));
    }
}

db_test! {
    async fn logging_out_without_the_csrf_token_is_refused(db) {
        seed_accounts(&db.store).await;
        let mut c = Client::new(&db.store);
        c.login_as(Role::Analyst).await;
        let session = c.cookie(SESSION_COOKIE).unwrap();

        let resp = c.post("/logout", &[("csrf_token", "forged")]).await;
        assert_eq!(resp.status, StatusCode::BAD_REQUEST);
        let resp = c.post("/logout", &[]).await;
        assert_eq!(resp.status, StatusCode::BAD_REQUEST);
        assert_eq!(c.cookie(SESSION_COOKIE).as_deref(), Some(session.as_str()));
        assert_eq!(c.get("/monitoring").await.status, StatusCode::OK);

        // Another session's token does not log this one out either.
        let mut other = Client::new(&db.store);
        other.login_as(Role::Analyst).await;
        let foreign = other.session_csrf("/monitoring").await;
        assert_eq!(c.post("/logout", &[("csrf_token", &foreign)]).await.status, StatusCode::BAD_REQUEST);
        assert_eq!(c.get("/monitoring").await.status, StatusCode::OK);

        // Logging out without a session just leads to the login page.
        let mut anonymous = Client::new(&db.store);
        let resp = anonymous.post("/logout", &[("csrf_token", "x")]).await;
        assert!(resp.location().unwrap().starts_with("/login"), "{:?}", resp.location());
    }
}

// ---------------------------------------------------------------------------
// Roles
// ---------------------------------------------------------------------------

db_test! {
    async fn pages_are_refused_to_roles_they_are_not_for(db) {
        seed_accounts(&db.store).await;
        let mut professional = Client::new(&db.store);
        professional.login_as(Role::Professional).await;
        let resp = professional.get("/admin").await;
        assert_eq!(resp.status, StatusCode::FORBIDDEN);
        assert!(resp.body.contains("Je hebt geen toegang"), "{}", resp.body);
        assert_eq!(professional.get("/monitoring").await.status, StatusCode::FORBIDDEN);
        assert_eq!(professional.get("/me").await.status, StatusCode::FORBIDDEN);

        let mut analyst = Client::new(&db.store);
        analyst.login_as(Role::Analyst).await;
        assert_eq!(analyst.get("/caseload").await.status, StatusCode::FORBIDDEN);
        assert_eq!(analyst.get("/worklist").await.status, StatusCode::FORBIDDEN);
        assert_eq!(analyst.get("/admin").await.status, StatusCode::FORBIDDEN);

        let mut resident = Client::new(&db.store);
        resident.login_as(Role::Resident).await;
        for page in ["/admin", "/caseload", "/worklist", "/monitoring"] {
            assert_eq!(resident.get(page).await.status, StatusCode::FORBIDDEN, "{page}");
        }

        let mut anonymous = Client::new(&db.store);
        for page in ["/", "/admin", "/caseload", "/worklist", "/monitoring", "/me"] {
            anonymous.get(page).await.assert_redirect("/login");
        }
    }
}

// ---------------------------------------------------------------------------
// Language, health, unknown pages
// ---------------------------------------------------------------------------

db_test! {
    async fn the_language_can_be_switched_to_english(db) {
        let mut c = Client::new(&db.store);
        let resp = c.get("/lang/en?next=/login").await;
        resp.assert_redirect("/login");
        let cookie = resp.set_cookie(LANG_COOKIE).expect("language cookie");
        assert_eq!(cookie.value, "en");
        assert_eq!(c.cookie(LANG_COOKIE).as_deref(), Some("en"));

        let page = c.get("/login").await;
        assert!(page.body.contains(r#"<html lang="en""#), "{}", page.body);
        assert!(page.body.contains("Log in"));
        assert!(!page.body.contains("Inloggen"));
        // The switch back to Dutch is offered.
        assert!(page.body.contains(r#"href="/lang/nl?next="#), "{}", page.body);

        // Errors in English too.
        seed_accounts(&db.store).await;
        let resp = c.login(&email_of(Role::Admin), "wrong").await;
        assert!(resp.body.contains("is not correct"), "{}", resp.body);

        // Back to Dutch; unknown languages fall back to Dutch.
        c.get("/lang/nl?next=/login").await.assert_redirect("/login");
        assert!(c.get("/login").await.body.contains(r#"<html lang="nl""#));
        c.get("/lang/xx").await;
        assert_eq!(c.cookie(LANG_COOKIE).as_deref(), Some("nl"));
    }
}

db_test! {
    async fn the_language_switch_only_redirects_within_the_site(db) {
        let mut c = Client::new(&db.store);
        for next in ["https://evil.example", "//evil.example", "/\\evil.example", "evil"] {
            let path = format!("/lang/en?next={}", support::encode(next));
            c.get(&path).await.assert_redirect("/");
        }
        c.get("/lang/en").await.assert_redirect("/");
        c.get("/lang/en?next=%2Fmonitoring").await.assert_redirect("/monitoring");
    }
}

db_test! {
    async fn health_check_and_unknown_pages(db) {
        let mut c = Client::new(&db.store);
        let resp = c.get("/healthz").await;
        assert_eq!(resp.status, StatusCode::OK);
        assert_eq!(resp.body, format!("ok waakvlam {}", env!("CARGO_PKG_VERSION")));
        let resp = c.get("/readyz").await;
        assert_eq!(resp.status, StatusCode::OK);
        assert_eq!(resp.body, "ready");
        // /metrics is never on the public router.
        let resp = c.get("/metrics").await;
        assert_eq!(resp.status, StatusCode::NOT_FOUND);

        let resp = c.get("/no/such/page").await;
        assert_eq!(resp.status, StatusCode::NOT_FOUND);
        assert!(resp.body.contains(r#"<html lang="nl""#));
        assert!(resp.body.contains("Deze pagina bestaat niet"), "{}", resp.body);

        // Forms only take POST: a GET of a form's URL (a reload after a
        // refused form) goes to the page the form is on, other methods are
        // not allowed.
        let resp = c.request(Method::GET, "/logout", None, &[]).await;
        assert_eq!(resp.status, StatusCode::SEE_OTHER);
        assert_eq!(resp.location(), Some("/"));
        assert_eq!(resp.header("allow"), Some("POST"));
        let resp = c.request(Method::GET, "/clients/17/plan/items/3/archive", None, &[]).await;
        assert_eq!(resp.location(), Some("/clients/17/plan/items/3"));
        let resp = c.request(Method::GET, "/clients/17/plan/items", None, &[]).await;
        assert_eq!(resp.location(), Some("/clients/17"), "past a path that is no route");
        let resp = c.request(Method::GET, "/catalogue/tariffs", None, &[]).await;
        assert_eq!(resp.location(), Some("/catalogue"));
        let resp = c.request(Method::PUT, "/logout", None, &[]).await;
        assert_eq!(resp.status, StatusCode::METHOD_NOT_ALLOWED);
    }
}

// ---------------------------------------------------------------------------
// Abuse: password spraying, forged client addresses, odd input
// ---------------------------------------------------------------------------

db_test! {
    async fn a_stranger_cannot_lock_a_user_out_with_wrong_passwords(db) {
        seed_accounts(&db.store).await;
        let email = email_of(Role::Professional);
        let mut stranger = Client::from_address(&db.store, "203.0.113.66");
        for attempt in 1..=8 {
            stranger.login(&email, &format!("raden {attempt}")).await;
        }
        assert_eq!(stranger.login(&email, PASSWORD).await.status, StatusCode::TOO_MANY_REQUESTS, "the stranger is stopped");
        // The user, at their own address, logs in with the right password at once.
        let mut user = Client::from_address(&db.store, "10.0.0.5");
        user.login(&email, PASSWORD).await.assert_redirect("/");
        // Only many tries from many places close the account itself for a while.
        for place in 0..10 {
            let mut c = Client::from_address(&db.store, &format!("198.51.100.{place}"));
            for attempt in 0..5 {
                c.login(&email, &format!("botnet {attempt}")).await;
            }
        }
        let mut user = Client::from_address(&db.store, "10.0.0.5");
        assert_eq!(user.login(&email, PASSWORD).await.status, StatusCode::TOO_MANY_REQUESTS);
    }
}

db_test! {
    async fn password_spraying_from_one_address_is_locked(db) {
        seed_accounts(&db.store).await;
        // The address ceiling is high (an office behind one address must work);
        // here it is 5, to see it act.
        let mut limits = waakvlam_store::throttle::LoginLimits::default();
        limits.address.max_failures = 5;
        let config = waakvlam_web::WebConfig { throttle: limits, ..Default::default() };
        let mut c = Client::with_config(&db.store, config.clone());
        c.peer = Some("10.0.0.1:50000".parse().unwrap());
        for i in 0..5 {
            let resp = c.login(&format!("guess{i}@test.waakvlam.nl"), "Welkom01").await;
            assert_eq!(resp.status, StatusCode::UNAUTHORIZED);
        }
        let resp = c.login(&email_of(Role::Admin), PASSWORD).await;
        assert_eq!(resp.status, StatusCode::TOO_MANY_REQUESTS, "{}", resp.body);
        assert!(!resp.sets_session());

        // Claiming another address in X-Forwarded-For does not help: it is not trusted by default.
        let token = c.get("/login").await.form_csrf();
        let email = email_of(Role::Admin);
        let resp = c
            .request(
                Method::POST,
                "/login",
                Some(&[("email", &email), ("password", PASSWORD), ("csrf_token", &token)]),
                &[("x-forwarded-for", "192.0.2.77")],
            )
            .await;
        assert_eq!(resp.status, StatusCode::TOO_MANY_REQUESTS);

        // The access log has the address of the attempts.
        let latest = waakvlam_testkit::access_latest(&db.store, 1).await;
        assert_eq!(latest[0].client_address.as_deref(), Some("10.0.0.1"));

        // Someone at another address logs in as usual.
        let mut other = Client::with_config(&db.store, config);
        other.peer = Some("10.0.0.2:50000".parse().unwrap());
        other.login_as(Role::Admin).await;
        let latest = waakvlam_testkit::access_latest(&db.store, 1).await;
        assert_eq!(latest[0].outcome, "success");
        assert_eq!(latest[0].client_address.as_deref(), Some("10.0.0.2"));

        advance(db, 16);
        c.login_as(Role::Admin).await;
    }
}

db_test! {
    async fn behind_a_proxy_the_address_the_proxy_added_counts_not_what_the_client_claims(db) {
        seed_accounts(&db.store).await;
        // One trusted proxy at 10.0.0.254: it appends the address it saw.
        let config = waakvlam_web::WebConfig { trusted_proxies: 1, ..Default::default() };
        let mut c = Client::with_config(&db.store, config.clone());
        c.peer = Some("10.0.0.254:443".parse().unwrap());
        // A client rotating made-up addresses at the left of the header, all from 198.51.100.7.
        let email = email_of(Role::Admin);
        let mut last = None;
        for i in 0..6 {
            let token = c.get("/login").await.form_csrf();
            let forwarded = format!("192.0.2.{i}, 198.51.100.7");
            last = Some(
                c.request(
                    Method::POST,
                    "/login",
                    Some(&[("email", "guess@test.waakvlam.nl"), ("password", "Welkom01"), ("csrf_token", &token)]),
                    &[("x-forwarded-for", &forwarded)],
                )
                .await,
            );
        }
        assert_eq!(last.unwrap().status, StatusCode::TOO_MANY_REQUESTS, "the rotating values did not escape the limit");
        let latest = waakvlam_testkit::access_latest(&db.store, 1).await;
        assert_eq!(latest[0].client_address.as_deref(), Some("198.51.100.7"));
        // Another client behind the same proxy logs in as usual.
        let token = c.get("/login").await.form_csrf();
        let resp = c
            .request(
                Method::POST,
                "/login",
                Some(&[("email", &email), ("password", PASSWORD), ("csrf_token", &token)]),
                &[("x-forwarded-for", "198.51.100.8")],
            )
            .await;
        assert_eq!(resp.status, StatusCode::SEE_OTHER, "{}", resp.body);
    }
}

db_test! {
    async fn hsts_is_sent_only_when_a_trusted_proxy_says_https(db) {
        let hsts = |resp: &support::Resp| resp.headers.get("strict-transport-security").map(|v| v.to_str().unwrap().to_owned());
        let mut direct = Client::new(&db.store);
        let resp = direct.request(Method::GET, "/login", None, &[("x-forwarded-proto", "https")]).await;
        assert_eq!(hsts(&resp), None, "a client's own header is not believed");
        let config = waakvlam_web::WebConfig { trusted_proxies: 1, ..Default::default() };
        let mut proxied = Client::with_config(&db.store, config);
        let resp = proxied.request(Method::GET, "/login", None, &[("x-forwarded-proto", "https")]).await;
        assert_eq!(hsts(&resp).as_deref(), Some("max-age=31536000; includeSubDomains"));
        let resp = proxied.request(Method::GET, "/login", None, &[("x-forwarded-proto", "http")]).await;
        assert_eq!(hsts(&resp), None);
    }
}

db_test! {
    async fn what_was_typed_is_escaped_in_the_login_form(db) {
        let mut c = Client::new(&db.store);
        let typed = r#""><script>alert(1)</script>"#;
        let resp = c.login(typed, "whatever-password").await;
        assert_eq!(resp.status, StatusCode::UNAUTHORIZED);
        assert!(!resp.body.contains("<script>alert(1)"), "{}", resp.body);
        assert!(!resp.body.contains(r#""><script"#));
    }
}

db_test! {
    async fn redirects_stay_on_the_site_whatever_the_whitespace(db) {
        seed_accounts(&db.store).await;
        let mut c = Client::new(&db.store);
        c.login_as(Role::Consultant).await;
        let token = c.session_csrf("/worklist").await;
        let mut wrong = Vec::new();
        for next in ["/\t/evil.example", "/\n/evil.example", "/\r\n/evil.example", "\t//evil.example"] {
            let via_lang = c.get(&format!("/lang/nl?next={}", support::encode(next))).await;
            let via_extend = c
                .post("/session/extend", &[("csrf_token", &token), ("next", next)])
                .await;
            for (route, resp) in [("/lang", via_lang), ("/session/extend", via_extend)] {
                // Browsers drop tabs and newlines from URLs before resolving them.
                let target: String = resp
                    .location()
                    .unwrap_or_default()
                    .chars()
                    .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
                    .collect();
                if resp.status != StatusCode::SEE_OTHER
                    || !target.starts_with('/')
                    || target.starts_with("//")
                {
                    wrong.push(format!(
                        "{route} next={next:?}: {} to {:?} {}",
                        resp.status,
                        resp.location(),
                        if resp.location().is_none() { resp.body.as_str() } else { "" }
                    ));
                }
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }
}

db_test! {
    async fn parallel_guesses_do_not_get_past_the_attempt_limit(db) {
        seed_accounts(&db.store).await;
        let email = email_of(Role::Consultant);
        let mut attempts = tokio::task::JoinSet::new();
        for i in 0..12 {
            let mut c = Client::new(&db.store);
            let token = c.get("/login").await.form_csrf();
            let email = email.clone();
            attempts.spawn(async move {
                let password = format!("guess number {i}");
                c.post(
                    "/login",
                    &[("email", &email), ("password", &password), ("csrf_token", &token)],
                )
                .await
                .status
            });
        }
        let statuses = attempts.join_all().await;
        let checked = statuses.iter().filter(|s| **s == StatusCode::UNAUTHORIZED).count();
        let refused = statuses.iter().filter(|s| **s == StatusCode::TOO_MANY_REQUESTS).count();
        assert_eq!(checked + refused, statuses.len(), "only 401 and 429: {statuses:?}");
        assert!(
            checked <= 5,
            "{checked} of 12 parallel guesses were checked against the password; the limit is 5"
        );
    }
}

db_test! {
    async fn a_very_long_e_mail_address_is_just_a_wrong_login(db) {
        // Pseudo-random letters, so the database cannot compress them away.
        let mut x: u32 = 2_463_534_242;
        let local: String = (0..10_000)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                char::from(b'a' + (x % 26) as u8)
            })
            .collect();
        let email = format!("{local}@test.waakvlam.nl");
        let mut c = Client::new(&db.store);
        let resp = c.login(&email, "whatever-password").await;
        assert_eq!(resp.status, StatusCode::UNAUTHORIZED, "{}", resp.body);
        assert!(resp.body.contains("klopt niet"));
        assert!(!resp.sets_session());
    }
}

db_test! {
    async fn the_lockout_message_does_not_promise_too_little(db) {
        seed_accounts(&db.store).await;
        let email = email_of(Role::Admin);
        let mut c = Client::new(&db.store);
        for _ in 0..5 {
            c.login(&email, "wrong password").await;
        }
        // 14 min 30 s left: waiting 14 minutes would not be enough.
        db.clock.advance(chrono::TimeDelta::seconds(30));
        let resp = c.login(&email, PASSWORD).await;
        assert_eq!(resp.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(resp.body.contains("Wacht 15 minuten"), "{}", resp.body);
        // 30 s left.
        db.clock.advance(chrono::TimeDelta::minutes(14));
        let resp = c.login(&email, PASSWORD).await;
        assert_eq!(resp.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(resp.body.contains("Wacht 1 minuut "), "{}", resp.body);
    }
}
