//! The bottom of the HTTP layer, shared by every page: the page frame
//! ([`Chrome`]), rendering, formatting, form types, errors and the
//! extractors that check the session, CSRF token and role. Nothing here
//! imports `pages`.

pub mod cookie;
pub mod error;
pub mod extract;
pub mod form;
pub mod format;
pub mod layers;
pub mod routes;
pub mod session;

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use waakvlam_domain::role::Role;

use crate::AppState;
use crate::i18n::Tr;
use crate::ui::format::{day_in_words, time_nl, today_nl};
use crate::ui::session::CurrentUser;
use chrono::{DateTime, NaiveDate, Utc};

/// Renders a template; a template error is a bug, logged and shown as 500.
pub fn render<T: Template>(t: &T) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
        }
    }
}

/// Renders a page with a form: 422 when it shows errors to fix, else 200.
pub fn render_form<T: Template>(page: &T, has_errors: bool) -> Response {
    let status = if has_errors {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    (status, render(page)).into_response()
}

/// The messages above a page: what just happened, or what went wrong.
#[derive(Default)]
pub struct Flash {
    pub notice: Option<String>,
    pub error: Option<String>,
}

impl Flash {
    pub fn notice(notice: Option<String>) -> Flash {
        Flash {
            notice,
            error: None,
        }
    }

    pub fn error(error: String) -> Flash {
        Flash {
            notice: None,
            error: Some(error),
        }
    }
}

pub struct NavItem {
    pub href: &'static str,
    pub label: String,
    pub current: bool,
}

pub struct UserChrome {
    pub name: String,
    pub role_label: String,
    pub csrf: String,
    pub idle_seconds: i64,
    /// The line about when the session ends: always for staff, with the
    /// form to stay logged in; for residents and trusted persons one plain
    /// sentence, and only when the session ends soon whatever they do.
    pub session_notice: Option<String>,
    /// Whether the "Ingelogd blijven" form goes with the notice (staff).
    pub session_extend: bool,
    /// A resident or trusted person: the compact header and menu on phones.
    pub portal: bool,
    pub nav: Vec<NavItem>,
    /// On a staff start page without SMTP: "e-mail is not being sent".
    pub mail_notice: Option<String>,
}

/// What the layout needs besides the page itself.
pub struct Chrome {
    pub t: Tr,
    pub title: String,
    pub path: String,
    pub user: Option<UserChrome>,
    /// Whether the page enhances a form with htmx: only then is it loaded
    /// (52 KB a resident's phone need not fetch).
    pub htmx: bool,
}

impl Chrome {
    pub fn anonymous(t: Tr, title: String, path: &str) -> Chrome {
        Chrome {
            t,
            title,
            path: path.to_owned(),
            user: None,
            htmx: false,
        }
    }

    /// The fingerprinted URL of an embedded asset (`crate::assets::url`).
    pub fn asset(&self, path: &str) -> String {
        crate::assets::url(path)
    }

    pub fn for_user(user: &CurrentUser, title: String, state: &AppState) -> Chrome {
        let t = user.t;
        let account = user.account();
        let idle = state.config.session.idle;
        let nav = nav_for(account.role)
            .iter()
            .map(|(href, key)| NavItem {
                href,
                label: t.get(key),
                current: user.path == *href,
            })
            .collect();
        Chrome {
            t,
            title,
            path: user.path.clone(),
            user: Some(UserChrome {
                name: account.display_name.clone(),
                role_label: t.get(&format!("role-{}", account.role.as_str())),
                csrf: user.session.csrf_token.clone(),
                idle_seconds: idle.num_seconds(),
                session_notice: session_notice(t, user, account.role, state),
                session_extend: !portal_role(account.role),
                portal: portal_role(account.role),
                nav,
                mail_notice: (!state.config.mail_configured
                    && !matches!(account.role, Role::Resident | Role::TrustedPerson)
                    && user.path == start_page(account.role))
                .then(|| t.get("notify-mail-off")),
            }),
            htmx: false,
        }
    }
}

/// Residents and trusted persons: the plain-words side of the app.
fn portal_role(role: Role) -> bool {
    matches!(role, Role::Resident | Role::TrustedPerson)
}

/// A moment as "om 21:27" today, or "op woensdag 2 december om 00:57".
fn at_in_words(t: Tr, at: DateTime<Utc>, today: NaiveDate) -> String {
    let day = today_nl(at);
    if day == today {
        t.with("session-at-time", &[("time", time_nl(at))])
    } else {
        t.with(
            "session-at-day-time",
            &[("day", day_in_words(t, day, today)), ("time", time_nl(at))],
        )
    }
}

/// The session notice of a page. Staff always read when they are logged out
/// without activity and when at the latest. Residents and trusted persons
/// read one sentence, and only when it matters: when the session's absolute
/// end comes before the idle timeout would, so that nothing they do keeps
/// them logged in past it.
fn session_notice(t: Tr, user: &CurrentUser, role: Role, state: &AppState) -> Option<String> {
    let now = state.store.now();
    let today = today_nl(now);
    let idle_end = user.session.idle_expires_at;
    let end = user.session.absolute_expires_at;
    if portal_role(role) {
        return (end <= now + state.config.session.idle).then(|| {
            t.with(
                "session-resident-end",
                &[("at", at_in_words(t, end.max(now), today))],
            )
        });
    }
    Some(t.with(
        "session-notice",
        &[
            (
                "minutes",
                state.config.session.idle.num_minutes().to_string(),
            ),
            ("time", at_in_words(t, idle_end, today)),
            ("end", at_in_words(t, end, today)),
        ],
    ))
}

/// The resident's navigation: one page per task.
const RESIDENT_NAV: &[(&str, &str)] = &[
    ("/me", "nav-me"),
    ("/me/plan", "portal-nav-plan"),
    ("/me/messages", "portal-nav-messages"),
    ("/me/sharing", "portal-nav-sharing"),
    ("/me/log", "portal-nav-log"),
    ("/me/helper", "portal-nav-helper"),
];

/// The navigation each role gets; later workspaces add their pages here.
fn nav_for(role: Role) -> &'static [(&'static str, &'static str)] {
    match role {
        Role::Admin => &[
            ("/admin", "nav-admin"),
            ("/catalogue", "cat-nav"),
            ("/monitoring", "nav-monitoring"),
            ("/iwmo", "nav-iwmo"),
            ("/declarations", "nav-declarations"),
        ],
        Role::Consultant => &[
            ("/worklist", "nav-worklist"),
            ("/residents", "nav-residents"),
            ("/catalogue", "cat-nav"),
            ("/monitoring", "nav-monitoring"),
            ("/iwmo", "nav-iwmo"),
            ("/notifications", "nav-notifications"),
        ],
        Role::Professional => &[
            ("/caseload", "nav-caseload"),
            ("/notifications", "nav-notifications"),
        ],
        Role::TeamLead => &[
            ("/caseload", "nav-caseload"),
            ("/intake", "nav-intake"),
            ("/iwmo", "nav-iwmo"),
            ("/declarations", "nav-declarations"),
            ("/team", "nav-team"),
            ("/scale-down-requests", "nav-scale-down"),
            ("/helper-requests", "portal-nav-requests"),
            ("/monitoring", "nav-monitoring"),
            ("/notifications", "nav-notifications"),
        ],
        Role::Analyst => &[("/monitoring", "nav-monitoring")],
        Role::ContractManager => &[
            ("/catalogue", "cat-nav"),
            ("/iwmo", "nav-iwmo"),
            ("/declarations", "nav-declarations"),
        ],
        Role::Resident => RESIDENT_NAV,
        Role::TrustedPerson => &[("/shared", "portal-nav-shared")],
    }
}

/// The start page of each role.
pub fn start_page(role: Role) -> &'static str {
    match role {
        Role::Admin => "/admin",
        Role::Consultant => "/worklist",
        Role::Professional | Role::TeamLead => "/caseload",
        Role::Analyst => "/monitoring",
        Role::Resident => "/me",
        Role::ContractManager => "/catalogue",
        Role::TrustedPerson => "/shared",
    }
}
