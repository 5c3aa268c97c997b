//! Driving the router in-process: a client with a hand-kept cookie jar, the
//! accounts the tests log in with, and small HTML helpers.

use std::collections::BTreeMap;
use std::net::SocketAddr;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use chrono::TimeDelta;
use tower::ServiceExt;
use waakvlam_domain::role::Role;
use waakvlam_store::Store;
use waakvlam_testkit::{Fixtures, Member, TestDb, World, d, person};
use waakvlam_web::{AppState, WebConfig};

/// The password of every test account.
pub use waakvlam_testkit::PASSWORD;

/// `__Host-` names: the tests run with `Secure` cookies, as production does.
pub const SESSION_COOKIE: &str = "__Host-waakvlam_session";
pub const LOGIN_CSRF_COOKIE: &str = "__Host-waakvlam_login_csrf";
pub const LANG_COOKIE: &str = "waakvlam_lang";

/// The address each role's test account logs in with.
pub fn email_of(role: Role) -> String {
    format!("{}@test.waakvlam.nl", role.as_str())
}

/// The start page and its `<h1>` per role.
pub fn start_of(role: Role) -> (&'static str, &'static str) {
    match role {
        Role::Admin => ("/admin", "Beheer"),
        Role::Consultant => ("/worklist", "Werkvoorraad"),
        Role::Professional => ("/caseload", "Mijn caseload"),
        Role::TeamLead => ("/caseload", "Caseload van het team"),
        Role::Analyst => ("/monitoring", "Monitoring"),
        Role::Resident => ("/me", "Hoe gaat het met je?"),
        Role::ContractManager => ("/catalogue", "Catalogus en tarieven"),
        Role::TrustedPerson => ("/shared", "Gedeeld met jou"),
    }
}

/// Creates one account per role, with the organisations each role needs: a
/// provider with a team (professional, team lead), Goes (consultant) and a
/// resident in Goes (resident).
pub async fn seed_accounts(store: &Store) {
    accounts_world().create(store).await;
}

/// The world of [`seed_accounts`], to add to.
pub fn accounts_world() -> World {
    let mut world = World::new()
        .provider("75751001", "Zeeuwse Zorgcoöperatie")
        .team("Team Goes-Kapelle")
        .resident(
            person("111222333")
                .given_names("Kees")
                .family_name(Some("van"), "Dam")
                .born(d(1979, 6, 14)),
        );
    for role in Role::ALL {
        let member = match role {
            Role::Admin | Role::Analyst | Role::TrustedPerson => Member::Nothing,
            Role::Consultant => Member::municipality("0664"),
            Role::Professional | Role::TeamLead => Member::team("Team Goes-Kapelle"),
            Role::Resident => Member::resident("111222333"),
            // A municipality's contract manager: Goes, like the consultant.
            Role::ContractManager => Member::municipality("0664"),
        };
        world = world
            .account(&email_of(role), role, member)
            .named(&format!("Test {}", role.as_str()));
    }
    world
}

/// Kees van Dam (Goes): the resident of the test accounts' team.
pub const KEES: &str = "111222333";
/// A second professional in Kees's team.
pub const COLLEAGUE: &str = "collega@test.waakvlam.nl";
/// A resident of another provider in another municipality (Borsele): outside
/// the tenant of every test account.
pub const STRANGER: &str = "123456782";
/// The stranger's family name, which must never show up for the test accounts.
pub const STRANGER_NAME: &str = "Verborgenhuis";
/// The stranger's professional, at the other provider.
pub const ELSEWHERE: &str = "elders@test.waakvlam.nl";
/// The consultant of Borsele, the stranger's municipality.
pub const BORSELE: &str = "borsele@test.waakvlam.nl";

/// [`seed_accounts`], plus: a running waakvlam for Kees with the test
/// professional as contact person, a colleague in the same team, and a
/// resident of another provider in Borsele with a waakvlam of their own,
/// and Borsele's consultant.
pub async fn seed_care(store: &Store) -> Fixtures {
    seed_care_world().create(store).await
}

/// The world of [`seed_care`], to add to.
pub fn seed_care_world() -> World {
    accounts_world()
        .account(
            COLLEAGUE,
            Role::Professional,
            Member::team("Team Goes-Kapelle"),
        )
        .named("Collega Goes")
        .waakvlam(
            KEES,
            "Team Goes-Kapelle",
            Some(&email_of(Role::Professional)),
        )
        .provider("75751002", "Stichting Elders")
        .team("Team Borsele")
        .resident(
            person(STRANGER)
                .given_names("Greet")
                .family_name(None, STRANGER_NAME)
                .in_municipality("0654"),
        )
        .account(ELSEWHERE, Role::Professional, Member::team("Team Borsele"))
        .named("Elders Professional")
        .waakvlam(STRANGER, "Team Borsele", Some(ELSEWHERE))
        .account(BORSELE, Role::Consultant, Member::municipality("0654"))
        .named("Consulent Borsele")
}

/// The ids in `{prefix}{id}` links or form actions, in order of appearance.
pub fn ids_after(html: &str, prefix: &str) -> Vec<i64> {
    let mut ids: Vec<i64> = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(prefix) {
        rest = &rest[i + prefix.len()..];
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        match digits.parse() {
            Ok(id) if !ids.contains(&id) => ids.push(id),
            _ => {}
        }
    }
    ids
}

/// A `Set-Cookie` header, taken apart.
#[derive(Clone, Debug)]
pub struct SetCookie {
    pub name: String,
    pub value: String,
    /// The attributes as sent (`HttpOnly`, `SameSite=Strict`, `Max-Age=0`, …).
    pub attributes: Vec<String>,
}

impl SetCookie {
    fn parse(raw: &str) -> Option<SetCookie> {
        let mut parts = raw.split(';').map(str::trim);
        let (name, value) = parts.next()?.split_once('=')?;
        Some(SetCookie {
            name: name.to_owned(),
            value: value.to_owned(),
            attributes: parts.map(str::to_owned).collect(),
        })
    }

    /// Whether the attribute is present (case-insensitive, e.g. `httponly`, `samesite=lax`).
    pub fn has(&self, attribute: &str) -> bool {
        self.attributes
            .iter()
            .any(|a| a.eq_ignore_ascii_case(attribute))
    }

    fn removes(&self) -> bool {
        self.value.is_empty() || self.has("Max-Age=0")
    }
}

/// A response with its body read.
#[derive(Debug)]
pub struct Resp {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn location(&self) -> Option<&str> {
        self.header("location")
    }

    pub fn set_cookies(&self) -> Vec<SetCookie> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .filter_map(SetCookie::parse)
            .collect()
    }

    /// The (last) `Set-Cookie` for `name`.
    pub fn set_cookie(&self, name: &str) -> Option<SetCookie> {
        self.set_cookies().into_iter().rfind(|c| c.name == name)
    }

    /// Whether the response hands out a (non-empty) session cookie.
    pub fn sets_session(&self) -> bool {
        self.set_cookie(SESSION_COOKIE)
            .is_some_and(|c| !c.removes())
    }

    /// The value of the hidden `csrf_token` field of the first form.
    pub fn form_csrf(&self) -> String {
        attribute_after(&self.body, r#"name="csrf_token" value=""#)
            .unwrap_or_else(|| panic!("no csrf_token field in:\n{}", self.body))
    }

    /// The token in `<meta name="csrf-token" content="…">`.
    pub fn meta_csrf(&self) -> String {
        attribute_after(&self.body, r#"<meta name="csrf-token" content=""#)
            .unwrap_or_else(|| panic!("no csrf-token meta tag in:\n{}", self.body))
    }

    /// The text of the first `<h1>`.
    pub fn h1(&self) -> String {
        let start = self
            .body
            .find("<h1")
            .unwrap_or_else(|| panic!("no <h1> in:\n{}", self.body));
        let rest = &self.body[start..];
        let open_end = rest.find('>').unwrap() + 1;
        let close = rest.find("</h1>").unwrap();
        rest[open_end..close].trim().to_owned()
    }

    /// Asserts a redirect to `to`.
    #[track_caller]
    pub fn assert_redirect(&self, to: &str) {
        assert!(
            self.status.is_redirection(),
            "expected a redirect to {to}, got {} with {:?}",
            self.status,
            self.body
        );
        assert_eq!(self.location(), Some(to), "redirect target");
    }
}

fn attribute_after(html: &str, marker: &str) -> Option<String> {
    let start = html.find(marker)? + marker.len();
    let end = html[start..].find('"')?;
    Some(html[start..start + end].to_owned())
}

/// Percent-encodes a form value (`application/x-www-form-urlencoded`).
pub fn encode(value: &str) -> String {
    let mut out = String::new();
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char);
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// A browser without JavaScript: keeps cookies between requests.
pub struct Client {
    app: Router,
    jar: BTreeMap<String, String>,
    /// The peer address the server sees (as `serve` provides it), if any.
    pub peer: Option<SocketAddr>,
    /// The next request's multipart body (content type and bytes).
    multipart: Option<(String, Vec<u8>)>,
}

impl Client {
    pub fn new(store: &Store) -> Client {
        Client {
            app: waakvlam_web::router(AppState {
                store: store.clone(),
                config: WebConfig::default(),
            }),
            jar: BTreeMap::new(),
            peer: None,
            multipart: None,
        }
    }

    /// A client of a server with these settings.
    pub fn with_config(store: &Store, config: WebConfig) -> Client {
        Client {
            app: waakvlam_web::router(AppState {
                store: store.clone(),
                config,
            }),
            jar: BTreeMap::new(),
            peer: None,
            multipart: None,
        }
    }

    /// A client the server sees connecting from `ip`.
    pub fn from_address(store: &Store, ip: &str) -> Client {
        let mut c = Client::new(store);
        c.peer = Some(SocketAddr::new(ip.parse().unwrap(), 50_000));
        c
    }

    pub fn cookie(&self, name: &str) -> Option<String> {
        self.jar.get(name).cloned()
    }

    pub fn set_cookie(&mut self, name: &str, value: &str) {
        self.jar.insert(name.to_owned(), value.to_owned());
    }

    pub fn remove_cookie(&mut self, name: &str) {
        self.jar.remove(name);
    }

    pub async fn request(
        &mut self,
        method: Method,
        path: &str,
        form: Option<&[(&str, &str)]>,
        extra: &[(&str, &str)],
    ) -> Resp {
        let mut req = Request::builder().method(method).uri(path);
        if !self.jar.is_empty() {
            let cookies = self
                .jar
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("; ");
            req = req.header(header::COOKIE, cookies);
        }
        for (k, v) in extra {
            req = req.header(*k, *v);
        }
        let body = match form {
            Some(fields) => {
                req = req.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
                Body::from(
                    fields
                        .iter()
                        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
                        .collect::<Vec<_>>()
                        .join("&"),
                )
            }
            None => match self.multipart.take() {
                Some((content_type, bytes)) => {
                    req = req.header(header::CONTENT_TYPE, content_type);
                    Body::from(bytes)
                }
                None => Body::empty(),
            },
        };
        let mut req = req.body(body).unwrap();
        if let Some(peer) = self.peer {
            req.extensions_mut().insert(ConnectInfo(peer));
        }
        let resp = self.app.clone().oneshot(req).await.unwrap();
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
            .await
            .unwrap();
        let resp = Resp {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        };
        for c in resp.set_cookies() {
            if c.removes() {
                self.jar.remove(&c.name);
            } else {
                self.jar.insert(c.name.clone(), c.value.clone());
            }
        }
        resp
    }

    pub async fn get(&mut self, path: &str) -> Resp {
        self.request(Method::GET, path, None, &[]).await
    }

    pub async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Resp {
        self.request(Method::POST, path, Some(form), &[]).await
    }

    /// Posts a `multipart/form-data` form as a browser sends a file input:
    /// text fields, then files as (field, file name, contents).
    pub async fn post_files(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &str, &[u8])],
    ) -> Resp {
        const BOUNDARY: &str = "----waakvlam-test-boundary-7d1f";
        let mut body = Vec::new();
        for (name, value) in fields {
            body.extend_from_slice(
                format!(
                    "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
                )
                .as_bytes(),
            );
        }
        for (name, file, bytes) in files {
            body.extend_from_slice(
                format!(
                    "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\nContent-Type: application/xml\r\n\r\n"
                )
                .as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
        self.multipart = Some((format!("multipart/form-data; boundary={BOUNDARY}"), body));
        self.request(Method::POST, path, None, &[]).await
    }

    /// Opens `/activate` and sends a code with a new password (twice), with
    /// the form's token, as a browser does.
    pub async fn activate(&mut self, code: &str, password: &str) -> Resp {
        let page = self.get("/activate").await;
        assert_eq!(page.status, StatusCode::OK, "activate page: {}", page.body);
        let token = page.form_csrf();
        self.post(
            "/activate",
            &[
                ("csrf_token", &token),
                ("code", code),
                ("password", password),
                ("password_again", password),
            ],
        )
        .await
    }

    /// Opens the login page and submits the form with its CSRF token.
    pub async fn login(&mut self, email: &str, password: &str) -> Resp {
        let page = self.get("/login").await;
        assert_eq!(page.status, StatusCode::OK, "login page: {}", page.body);
        let csrf = page.form_csrf();
        self.post(
            "/login",
            &[
                ("email", email),
                ("password", password),
                ("csrf_token", &csrf),
            ],
        )
        .await
    }

    /// Logs in as the test account of `role` and checks it worked.
    pub async fn login_as(&mut self, role: Role) -> Resp {
        let resp = self.login(&email_of(role), PASSWORD).await;
        resp.assert_redirect("/");
        assert!(resp.sets_session(), "no session cookie after login");
        resp
    }

    /// The session's CSRF token, read from a page the user can open.
    pub async fn session_csrf(&mut self, page: &str) -> String {
        let resp = self.get(page).await;
        assert_eq!(resp.status, StatusCode::OK, "{page}: {}", resp.body);
        resp.meta_csrf()
    }
}

/// Moves the test database's clock.
pub fn advance(db: &TestDb, minutes: i64) {
    db.clock.advance(TimeDelta::minutes(minutes));
}

/// Refused as out of reach: forbidden or not found, and nothing of the
/// stranger in the answer.
#[track_caller]
pub fn assert_out_of_reach(resp: &Resp) {
    assert!(
        matches!(resp.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
        "expected 403 or 404, got {}: {}",
        resp.status,
        resp.body
    );
    assert!(!resp.body.contains(STRANGER_NAME), "{}", resp.body);
}

/// Posts a form of owned fields.
pub async fn send(c: &mut Client, path: &str, fields: Vec<(String, String)>) -> Resp {
    let fields: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    c.post(path, &fields).await
}

/// Form fields as owned strings, for [`send`].
pub fn owned(fields: &[(&str, &str)]) -> Vec<(String, String)> {
    fields
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}
