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

/// The first date written in digits ("07-11-2026") in a text, if any.
fn digit_date(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    chars.windows(10).find_map(|w| {
        let digits = |r: std::ops::Range<usize>| w[r].iter().all(char::is_ascii_digit);
        (digits(0..2) && w[2] == '-' && digits(3..5) && w[5] == '-' && digits(6..10))
            .then(|| w.iter().collect())
    })
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
                assert_eq!(digit_date(&text), None, "{path} ({lang}): a date in digits, not in words");
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
        // Three looks on one day are one line, the day in words (the test
        // clock's Tuesday 10 March 2026, this year: no year).
        assert_eq!(page.body.matches("Keek 3 keer naar je gegevens").count(), 1, "{}", page.body);
        assert_eq!(page.body.matches("<strong>Test professional").count(), 1, "one line for one person: {}", page.body);
        assert!(page.body.contains("dinsdag 10 maart<"), "{}", page.body);
        assert!(page.body.contains("/me/log/download"));

        let file = c.get("/me/log/download").await;
        assert_eq!(file.status, StatusCode::OK);
        assert_eq!(file.header("content-type"), Some("text/plain; charset=utf-8"));
        assert!(file.header("content-disposition").unwrap_or_default().starts_with("attachment"));
        assert!(file.body.starts_with("Wie keek naar mijn gegevens?"), "{}", file.body);
        let line = file.body.lines().find(|l| l.contains("Keek 3 keer naar je gegevens")).unwrap_or_else(|| panic!("{}", file.body));
        assert!(line.starts_with("dinsdag 10 maart — Test professional"), "{line}");
        // Only the resident's own.
        let mut other = Client::new(&db.store);
        other.login_as(Role::Professional).await;
        assert_eq!(other.get("/me/log/download").await.status, StatusCode::FORBIDDEN);
    }
}

/// The five face pictures of `/me`, in order.
fn faces_of(body: &str) -> Vec<String> {
    body.split(r#"<svg class="portal-face__icon"#)
        .skip(1)
        .map(|rest| rest.split("</svg>").next().unwrap_or_default().to_owned())
        .collect()
}

db_test! {
    async fn the_bell_comes_first_and_the_five_faces_each_look_different(db) {
        seed_accounts(&db.store).await;
        let mut c = Client::new(&db.store);
        c.login_as(Role::Resident).await;
        let page = c.get("/me").await;
        // The bell: its own control, before the check-in, described in words.
        let bell = page.body.find(r#"<a class="portal-bell__button" id="bell" href="/me/help""#).unwrap_or_else(|| panic!("{}", page.body));
        let check_in = page.body.find(r#"action="/me/check-in""#).unwrap();
        assert!(bell < check_in, "the bell comes before the check-in");
        assert!(page.body.contains(r#"aria-describedby="bell-explain""#));
        // Not the send button's style.
        assert!(!page.body[bell..check_in].contains("utrecht-button"), "the bell is not an ordinary button");
        // On phones the six pages fold into a "Menu" that opens without script.
        assert!(page.body.contains(r#"<details class="portal-nav__menu">"#), "{}", page.body);
        assert!(page.body.contains(r#"<summary class="portal-nav__toggle">"#));

        // Five pictures, no two alike; each keeps its label.
        let faces = faces_of(&page.body);
        assert_eq!(faces.len(), 5, "{}", page.body);
        for (i, a) in faces.iter().enumerate() {
            for b in &faces[i + 1..] {
                assert_ne!(a, b, "two faces look the same");
            }
        }
        // More than the mouth tells the neighbours apart: 1 has eyebrows and a
        // tear that 2 lacks, and 5 laughs with smiling eyes where 4 has dots.
        let shapes = |f: &str| f.matches("<path").count() + f.matches("<circle").count();
        assert!(shapes(&faces[0]) > shapes(&faces[1]), "{} / {}", faces[0], faces[1]);
        assert!(!faces[4].contains(r#"<circle cx="17""#) && faces[3].contains(r#"<circle cx="17""#));
        for label in ["Heel slecht", "Slecht", "Gaat wel", "Goed", "Heel goed"] {
            assert!(page.body.contains(&format!(r#"<span class="portal-face__label">{label}</span>"#)));
        }
    }
}

db_test! {
    async fn removing_a_share_asks_first_and_says_what_stops_and_what_stays(db) {
        let w = support::seed_care(&db.store).await;
        let kees = w.resident(support::KEES);
        for (party, account) in [
            (waakvlam_domain::care::ConsentParty::Professional, Some(w.account(&support::email_of(Role::Professional)).id)),
            (waakvlam_domain::care::ConsentParty::Municipality, None),
        ] {
            let consent = waakvlam_store::care_record::NewConsent {
                resident_id: waakvlam_store::ResidentId::new(kees),
                party,
                party_account_id: account,
                party_name: "Contactpersoon".into(),
                granted_at: db.store.now(),
            };
            db.store
                .write(&waakvlam_store::Actor::system("test"), async |cx| {
                    waakvlam_store::care_record::add_consent(cx, &consent).await
                })
                .await
                .unwrap();
        }
        let mut c = Client::new(&db.store);
        c.login_as(Role::Resident).await;
        let csrf = c.session_csrf("/me").await;
        let page = c.get("/me/sharing").await;
        // No "you need it" beside "remove", and the municipality is not "the help you have".
        assert!(!page.body.contains("want dat is nodig"), "{}", page.body);
        assert!(!page.body.contains("Die hulp heb je nu"), "{}", page.body);
        assert!(page.body.contains("Haal je ze weg? Dan kunnen ze je plan niet meer lezen. Je krijgt wel gewoon hulp."), "{}", page.body);
        assert!(page.body.contains("Sinds dinsdag 10 maart"), "the day in words: {}", page.body);
        let shares = support::ids_after(&page.body, "/me/sharing/");
        assert_eq!(shares.len(), 2, "{}", page.body);

        // The first post only asks: what stops, what stays, yes or back.
        let ask = c.post(&format!("/me/sharing/{}/remove", shares[0]), &[("csrf_token", &csrf)]).await;
        assert_eq!(ask.status, StatusCode::OK, "{}", ask.body);
        assert_eq!(ask.h1(), "Weet je het zeker?");
        assert!(ask.body.contains("Je wilt dit weghalen: Hulpverlener Test professional."), "{}", ask.body);
        assert!(ask.body.contains("Wat stopt") && ask.body.contains("Hulpverlener Test professional kan je plan niet meer lezen. Dat gaat meteen."), "{}", ask.body);
        assert!(ask.body.contains("Wat blijft") && ask.body.contains("Je krijgt gewoon hulp."), "{}", ask.body);
        assert!(ask.body.contains(r#"<input type="hidden" name="confirm" value="yes">"#), "{}", ask.body);
        assert!(ask.body.contains("Ja, weghalen") && ask.body.contains(r#"href="/me/sharing">Nee, terug"#), "{}", ask.body);
        assert_eq!(support::ids_after(&c.get("/me/sharing").await.body, "/me/sharing/"), shares, "nothing removed yet");

        // The second, confirmed, removes.
        let done = c.post(&format!("/me/sharing/{}/remove", shares[0]), &[("csrf_token", &csrf), ("confirm", "yes")]).await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
        let to = done.location().unwrap().to_owned();
        assert!(to.starts_with("/me/sharing?removed="), "{to}");
        let page = c.get(&to).await;
        assert!(page.body.contains("Hulpverlener Test professional kan je plan nu niet meer zien."), "{}", page.body);
        assert_eq!(support::ids_after(&page.body, "/me/sharing/"), vec![shares[1]]);

        // Asking about a share that is not (or no longer) the resident's is not found, and logged as refused.
        let gone = c.post(&format!("/me/sharing/{}/remove", shares[0]), &[("csrf_token", &csrf)]).await;
        assert_eq!(gone.status, StatusCode::NOT_FOUND, "{}", gone.body);
        let log = waakvlam_testkit::access_latest(&db.store, 1).await;
        assert_eq!(log[0].outcome, "denied", "{log:?}");
    }
}

/// A server whose sessions end an hour after login (30 minutes idle).
fn short_sessions(db: &waakvlam_testkit::TestDb) -> Client {
    let mut config = waakvlam_web::WebConfig::default();
    config.session.idle = chrono::TimeDelta::minutes(30);
    config.session.absolute = chrono::TimeDelta::hours(1);
    Client::with_config(&db.store, config)
}

db_test! {
    async fn residents_read_one_plain_sentence_only_when_their_session_ends_soon(db) {
        seed_accounts(&db.store).await;
        let at = |rfc: &str| chrono::DateTime::parse_from_rfc3339(rfc).unwrap().with_timezone(&chrono::Utc);
        // Logged in at 10:00 in Goes (09:00 UTC): the session ends at 11:00.
        db.clock.set(at("2026-03-10T09:00:00Z"));
        let mut c = short_sessions(db);
        c.login_as(Role::Resident).await;
        for _ in 0..2 {
            let page = c.get("/me").await;
            assert!(!page.body.contains("uitgelogd"), "nothing to say yet: {}", page.body);
            assert!(!page.body.contains("/session/extend"), "no form to extend for residents");
            support::advance(db, 20);
        }
        // 10:40: twenty minutes left, and activity cannot keep them in.
        let page = c.get("/me/plan").await;
        assert!(page.body.contains(r#"<p class="session-notice__portal" id="session-end">Je wordt om 11:00 uitgelogd. Daarna log je opnieuw in.</p>"#), "{}", page.body);

        // Logged in at 23:10 on Tuesday: the end, ten past midnight, is on another day, and says so.
        db.clock.set(at("2026-03-10T22:10:00Z"));
        let mut late = short_sessions(db);
        late.login_as(Role::Resident).await;
        support::advance(db, 25);
        assert!(!late.get("/me").await.body.contains("uitgelogd"), "35 minutes left: more than the idle timeout");
        support::advance(db, 10);
        let page = late.get("/me").await;
        assert!(page.body.contains("Je wordt op woensdag 11 maart om 00:10 uitgelogd."), "{}", page.body);

        // Staff keep their notice, with the day where it is not today, and "Ingelogd blijven".
        let mut pro = short_sessions(db);
        pro.login_as(Role::Professional).await;
        let page = pro.get("/caseload").await;
        assert!(page.body.contains("Zonder activiteit wordt u na 30 minuten uitgelogd (op woensdag 11 maart om 00:15). Uiterlijk op woensdag 11 maart om 00:45 logt u opnieuw in."), "{}", page.body);
        assert!(page.body.contains(r#"action="/session/extend""#) && page.body.contains("Ingelogd blijven"));
    }
}
