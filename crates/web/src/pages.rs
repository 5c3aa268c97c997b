//! The role-aware start pages and the page chrome (header, navigation,
//! session notice) they share.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Europe::Amsterdam;
use waakvlam_domain::role::Role;
use waakvlam_domain::signal::{SignalKind, count_by_kind};
use waakvlam_store::{accounts, caseload, indications, organisations};

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::i18n::Tr;

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
    pub session_notice: String,
    pub nav: Vec<NavItem>,
}

/// What the layout needs besides the page itself.
pub struct Chrome {
    pub t: Tr,
    pub title: String,
    pub path: String,
    pub user: Option<UserChrome>,
}

/// Today in the Netherlands: days turn over at local midnight, not UTC's.
pub fn today_nl(now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&Amsterdam).date_naive()
}

pub fn date_nl(d: NaiveDate) -> String {
    d.format("%d-%m-%Y").to_string()
}

impl Chrome {
    pub fn anonymous(t: Tr, title: String, path: &str) -> Chrome {
        Chrome {
            t,
            title,
            path: path.to_owned(),
            user: None,
        }
    }

    pub fn for_user(user: &CurrentUser, title: String, state: &AppState) -> Chrome {
        let t = user.t;
        let account = user.account();
        let idle = state.config.session.idle;
        let local_time = |t: DateTime<Utc>| t.with_timezone(&Amsterdam).format("%H:%M").to_string();
        let expires_local = local_time(user.session.idle_expires_at);
        let absolute_local = local_time(user.session.absolute_expires_at);
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
                session_notice: t.with(
                    "session-notice",
                    &[
                        ("minutes", idle.num_minutes().to_string()),
                        ("time", expires_local),
                        ("end", absolute_local),
                    ],
                ),
                nav,
            }),
        }
    }
}

/// The navigation each role gets; later workspaces add their pages here.
fn nav_for(role: Role) -> &'static [(&'static str, &'static str)] {
    match role {
        Role::Admin => &[
            ("/admin", "nav-admin"),
            ("/catalogue", "cat-nav"),
            ("/monitoring", "nav-monitoring"),
        ],
        Role::Consultant => &[
            ("/worklist", "nav-worklist"),
            ("/residents", "nav-residents"),
            ("/catalogue", "cat-nav"),
            ("/monitoring", "nav-monitoring"),
        ],
        Role::Professional => &[("/caseload", "nav-caseload")],
        Role::TeamLead => &[
            ("/caseload", "nav-caseload"),
            ("/helper-requests", "portal-nav-requests"),
            ("/monitoring", "nav-monitoring"),
        ],
        Role::Analyst => &[("/monitoring", "nav-monitoring")],
        Role::ContractManager => &[("/catalogue", "cat-nav")],
        Role::Resident => crate::portal::RESIDENT_NAV,
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

pub(crate) fn require(user: &CurrentUser, roles: &[Role]) -> Result<(), AppError> {
    if roles.contains(&user.account().role) {
        Ok(())
    } else {
        Err(AppError::Forbidden(user.t))
    }
}

pub async fn home(user: CurrentUser) -> Redirect {
    Redirect::to(start_page(user.account().role))
}

pub async fn healthz(State(state): State<AppState>) -> Response {
    match state.store.ping().await {
        Ok(()) => (StatusCode::OK, "ok").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

pub async fn not_found(headers: axum::http::HeaderMap) -> AppError {
    AppError::NotFound(crate::auth::language(&headers))
}

#[derive(Template)]
#[template(path = "login.html")]
pub struct LoginPage {
    pub chrome: Chrome,
    pub csrf: String,
    pub email: String,
    pub error: Option<String>,
    pub notice: Option<String>,
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub chrome: Chrome,
    pub message: String,
}

pub struct CaseloadRow {
    pub resident_id: i64,
    pub name: String,
    pub product_code: String,
    pub product_name: String,
    pub reasons: Vec<String>,
    pub rhythm: String,
    pub end: String,
    pub professional: String,
}

pub struct SignalCount {
    pub kind: &'static str,
    pub label: String,
    pub count: usize,
    pub selected: bool,
}

pub struct FilterOption {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

pub struct UnassignedRow {
    pub indication_id: i64,
    pub name: String,
    pub product_code: String,
    pub start: String,
}

#[derive(Template)]
#[template(path = "caseload.html")]
pub struct CaseloadPage {
    pub chrome: Chrome,
    pub intro: String,
    pub team: bool,
    pub notice: Option<String>,
    pub counts: Vec<SignalCount>,
    pub products: Vec<FilterOption>,
    pub municipalities: Vec<FilterOption>,
    pub filtered: bool,
    pub showing: String,
    pub entries: Vec<CaseloadRow>,
    pub unassigned: Vec<UnassignedRow>,
    pub professionals: Vec<FilterOption>,
}

#[derive(serde::Deserialize, Default)]
pub struct CaseloadQuery {
    #[serde(default)]
    signal: String,
    #[serde(default)]
    product: String,
    #[serde(default)]
    municipality: String,
    #[serde(default)]
    assigned: Option<String>,
}

pub async fn caseload(
    State(state): State<AppState>,
    user: CurrentUser,
    axum::extract::Query(q): axum::extract::Query<CaseloadQuery>,
) -> Result<Response, AppError> {
    require(&user, &[Role::Professional, Role::TeamLead])?;
    let t = user.t;
    let store = &state.store;
    let team = user.account().role == Role::TeamLead;
    let now = store.now();
    let today = today_nl(now);
    let scope = if team {
        caseload::Scope::Team
    } else {
        caseload::Scope::Mine
    };
    let facts = caseload::facts(store, &user.actor, scope, today)
        .await
        .map_err(|e| AppError::store(e, t))?;
    let municipality_names = organisations::all_municipalities(store.conn())
        .await
        .map_err(|e| AppError::store(e, t))?;
    // Residents waiting for a professional are listed apart for the team lead.
    let (unassigned, facts): (Vec<_>, Vec<_>) = facts
        .into_iter()
        .partition(|f| team && f.entry.professional_account_id.is_none());
    let settings = waakvlam_store::signals::load(store.conn())
        .await
        .map_err(|e| AppError::store(e, t))?;
    let ranked = caseload::rank(facts, today, now, &settings);
    let total = ranked.len();

    let signal = SignalKind::parse(&q.signal).ok();
    let counts = count_by_kind(ranked.iter().map(|r| &r.attention))
        .into_iter()
        .map(|(kind, count)| SignalCount {
            kind: kind.as_str(),
            label: t.get(kind.label_key()),
            count,
            selected: signal == Some(kind),
        })
        .collect();
    let mut products: Vec<FilterOption> = Vec::new();
    let mut municipalities: Vec<FilterOption> = Vec::new();
    for r in &ranked {
        let e = &r.facts.entry;
        if !products.iter().any(|p| p.value == e.product_code) {
            products.push(FilterOption {
                value: e.product_code.clone(),
                label: format!("{} ({})", e.product_name, e.product_code),
                selected: q.product == e.product_code,
            });
        }
        let code = &r.facts.municipality_code;
        if !municipalities.iter().any(|m| &m.value == code) {
            let name = municipality_names
                .iter()
                .find(|m| &m.code == code)
                .map_or(code.clone(), |m| m.name.clone());
            municipalities.push(FilterOption {
                value: code.clone(),
                label: name,
                selected: &q.municipality == code,
            });
        }
    }
    products.sort_by(|a, b| a.label.cmp(&b.label));
    municipalities.sort_by(|a, b| a.label.cmp(&b.label));

    let entries: Vec<CaseloadRow> = ranked
        .iter()
        .filter(|r| signal.is_none_or(|k| r.attention.has(k)))
        .filter(|r| q.product.is_empty() || r.facts.entry.product_code == q.product)
        .filter(|r| q.municipality.is_empty() || r.facts.municipality_code == q.municipality)
        .map(|r| {
            let e = &r.facts.entry;
            CaseloadRow {
                resident_id: e.resident_id,
                name: e.resident_name.clone(),
                product_code: e.product_code.clone(),
                product_name: e.product_name.clone(),
                reasons: r
                    .attention
                    .signals
                    .iter()
                    .map(|s| t.with(s.kind().fluent_key(), &s.args()))
                    .collect(),
                rhythm: r
                    .facts
                    .contact_rhythm_days
                    .map(|d| t.with("rhythm-days", &[("days", d.to_string())]))
                    .unwrap_or_default(),
                end: e.end_date.map(date_nl).unwrap_or_else(|| t.get("no-end")),
                professional: e
                    .professional_name
                    .clone()
                    .unwrap_or_else(|| t.get("unassigned")),
            }
        })
        .collect();
    let professionals = match (team, user.account().team_id) {
        (true, Some(team_id)) => accounts::professionals_of_team(store.conn(), team_id)
            .await
            .map_err(|e| AppError::store(e, t))?
            .into_iter()
            .map(|a| FilterOption {
                value: a.id.to_string(),
                label: a.display_name,
                selected: false,
            })
            .collect(),
        _ => Vec::new(),
    };
    let (title, intro) = if team {
        (t.get("caseload-title-team"), t.get("caseload-intro-team"))
    } else {
        (
            t.get("caseload-title-professional"),
            t.get("caseload-intro"),
        )
    };
    // After an assignment: say who now has whom, from the data on the page.
    let notice = q
        .assigned
        .as_deref()
        .and_then(|id| id.parse::<i64>().ok())
        .and_then(|id| ranked.iter().find(|r| r.facts.entry.indication_id == id))
        .map(|r| {
            t.with(
                "caseload-assigned",
                &[
                    ("name", r.facts.entry.resident_name.clone()),
                    (
                        "professional",
                        r.facts.entry.professional_name.clone().unwrap_or_default(),
                    ),
                ],
            )
        });
    let filtered = signal.is_some() || !q.product.is_empty() || !q.municipality.is_empty();
    Ok(render(&CaseloadPage {
        chrome: Chrome::for_user(&user, title, &state),
        intro,
        team,
        notice,
        counts,
        products,
        municipalities,
        filtered,
        showing: t.with(
            "caseload-showing",
            &[
                ("shown", entries.len().to_string()),
                ("total", total.to_string()),
            ],
        ),
        entries,
        unassigned: unassigned
            .into_iter()
            .map(|f| UnassignedRow {
                indication_id: f.entry.indication_id,
                name: f.entry.resident_name,
                product_code: f.entry.product_code,
                start: date_nl(f.entry.start_date),
            })
            .collect(),
        professionals,
    }))
}

#[derive(serde::Deserialize)]
pub struct AssignForm {
    #[serde(default)]
    csrf_token: String,
    indication_id: i64,
    professional_id: i64,
}

/// The team lead assigns a professional to a resident waiting for one.
pub async fn assign(
    State(state): State<AppState>,
    user: CurrentUser,
    axum::Form(form): axum::Form<AssignForm>,
) -> Result<Response, AppError> {
    user.check_csrf(&form.csrf_token)?;
    require(&user, &[Role::TeamLead])?;
    let t = user.t;
    let store = &state.store;
    let tx = store
        .begin_write()
        .await
        .map_err(|e| AppError::store(e, t))?;
    let updated = indications::assign_professional(
        &*tx,
        store,
        &user.actor,
        form.indication_id,
        form.professional_id,
    )
    .await
    .map_err(crate::error::bad_input(t))?;
    tx.commit().await.map_err(|e| AppError::store(e, t))?;
    Ok(Redirect::to(&format!("/caseload?assigned={}", updated.id)).into_response())
}

pub struct AccountRow {
    pub name: String,
    pub email: String,
    pub role: String,
    pub organisation: String,
    pub active: String,
}

#[derive(Template)]
#[template(path = "admin.html")]
pub struct AdminPage {
    pub chrome: Chrome,
    pub accounts: Vec<AccountRow>,
}

pub async fn admin(State(state): State<AppState>, user: CurrentUser) -> Result<Response, AppError> {
    require(&user, &[Role::Admin])?;
    let t = user.t;
    let conn = state.store.conn();
    let list = accounts::list(conn)
        .await
        .map_err(|e| AppError::store(e, t))?;
    let mut rows = Vec::with_capacity(list.len());
    for a in list {
        rows.push(AccountRow {
            organisation: accounts::organisation_label(conn, &a)
                .await
                .map_err(|e| AppError::store(e, t))?,
            name: a.display_name,
            email: a.email,
            role: t.get(&format!("role-{}", a.role.as_str())),
            active: t.get(if a.active { "yes" } else { "no" }),
        });
    }
    Ok(render(&AdminPage {
        chrome: Chrome::for_user(&user, t.get("admin-title"), &state),
        accounts: rows,
    }))
}
