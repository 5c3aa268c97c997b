//! The resident portal (`/me/...`), what trusted persons see (`/shared`),
//! activation codes (`/activate`), the team lead's helper requests and the
//! messages section of the professional's resident page.
//!
//! Every page is a plain form that works without JavaScript; texts are B1
//! Dutch (see `locales/nl/portal.ftl`). Who may see what is decided in
//! `waakvlam_store::portal`, never here.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use chrono_tz::Europe::Amsterdam;
use serde::Deserialize;
use waakvlam_domain::care::{ConsentParty, Wellbeing};
use waakvlam_domain::refusal::Refusal;
use waakvlam_domain::role::Role;
use waakvlam_store::access::AccessLogEntry;
use waakvlam_store::portal::{self, HelperRequestStatus, Invitation, Invited, NoteKind, Relation};
use waakvlam_store::{StoreError, activation, caseload};

use crate::AppState;
use crate::auth::{self, ConnectInfoOpt, Credentials, CurrentUser};
use crate::error::AppError;
use crate::i18n::Tr;
use crate::pages::{Chrome, date_nl, render, today_nl};

/// The resident's navigation: one page per task.
pub const RESIDENT_NAV: &[(&str, &str)] = &[
    ("/me", "nav-me"),
    ("/me/plan", "portal-nav-plan"),
    ("/me/messages", "portal-nav-messages"),
    ("/me/sharing", "portal-nav-sharing"),
    ("/me/log", "portal-nav-log"),
    ("/me/helper", "portal-nav-helper"),
];

fn when_nl(t: DateTime<Utc>) -> String {
    t.with_timezone(&Amsterdam)
        .format("%d-%m-%Y %H:%M")
        .to_string()
}

fn require(user: &CurrentUser, roles: &[Role]) -> Result<(), AppError> {
    if roles.contains(&user.account().role) {
        Ok(())
    } else {
        Err(AppError::Forbidden(user.t))
    }
}

fn csrf(user: &CurrentUser) -> String {
    user.session.csrf_token.clone()
}

/// A store error on a form: input problems become a message on the page.
fn form_error(e: StoreError, t: Tr) -> Result<String, AppError> {
    match e {
        StoreError::Invalid(refusals) => Ok(refusals
            .first()
            .map(|r| t.get(&format!("portal-error-{}", resident_wording(r))))
            .unwrap_or_default()),
        other => Err(AppError::store(other, t)),
    }
}

/// The resident's (B1) wording of a refusal: fewer, plainer messages than
/// the professionals' (one for every way an e-mail address can be wrong).
fn resident_wording(r: &Refusal) -> &'static str {
    match (r.field.as_str(), r.reason.id) {
        (_, "email-no-professional") => "no-professional",
        (_, "email-taken") => "email-taken",
        ("email", _) => "email",
        ("name", _) => "name",
        ("password", _) => "password",
        ("code", _) => "code",
        (_, "helper-current") => "helper-current",
        ("professional", _) => "helper",
        (_, "text-length") => "too-long",
        _ => "empty",
    }
}

/// The five faces of the check-in, saddest first.
pub struct Face {
    pub value: u8,
    pub label: String,
    /// SVG path of the mouth: from a frown to a big smile.
    pub mouth: &'static str,
    pub checked: bool,
}

fn faces(t: Tr, checked: Option<u8>) -> Vec<Face> {
    const MOUTHS: [&str; 5] = [
        "M14 34 Q24 24 34 34",
        "M15 32 Q24 27 33 32",
        "M15 30 L33 30",
        "M15 29 Q24 35 33 29",
        "M13 27 Q24 40 35 27",
    ];
    (1u8..=5)
        .map(|v| Face {
            value: v,
            label: t.get(&format!("portal-face-{v}")),
            mouth: MOUTHS[usize::from(v - 1)],
            checked: checked == Some(v),
        })
        .collect()
}

// --- Home ------------------------------------------------------------------------

pub struct ContactView {
    pub name: String,
    pub phone: Option<String>,
    /// The number for a `tel:` link: digits and a leading plus only.
    pub tel: String,
    pub last: Option<String>,
}

#[derive(Template)]
#[template(path = "me.html")]
pub struct MePage {
    pub chrome: Chrome,
    pub contact: Option<ContactView>,
    /// After ringing the bell: who will call, and by when.
    pub help_sent: Option<String>,
    pub notice: Option<String>,
    pub error: Option<String>,
    pub faces: Vec<Face>,
    pub note: String,
    pub last_check_in: Option<String>,
}

#[derive(Template)]
#[template(path = "me_help.html")]
pub struct MeHelpPage {
    pub chrome: Chrome,
}

#[derive(Deserialize, Default)]
pub struct MeQuery {
    #[serde(default)]
    help: Option<String>,
    #[serde(default)]
    done: Option<String>,
}

/// The next working day after `day`: when the professional calls back at the latest.
fn next_working_day(day: NaiveDate) -> NaiveDate {
    let mut d = day.succ_opt().unwrap_or(day);
    while d.weekday().number_from_monday() > 5 {
        d = d.succ_opt().unwrap_or(d);
    }
    d
}

pub async fn me_help_page(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, AppError> {
    require(&user, &[Role::Resident])?;
    Ok(render(&MeHelpPage {
        chrome: Chrome::for_user(&user, user.t.get("me-help-title"), &state),
    }))
}

#[derive(Deserialize)]
pub struct HelpForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    message: String,
}

/// "Ik wil hulp": rings the bell after the one confirmation.
pub async fn me_help(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<HelpForm>,
) -> Result<Response, AppError> {
    user.check_csrf(&form.csrf_token)?;
    require(&user, &[Role::Resident])?;
    let t = user.t;
    portal::ring_bell(&state.store, &user.actor, Some(form.message))
        .await
        .map_err(crate::error::bad_input(t))?;
    Ok(Redirect::to("/me?help=1").into_response())
}

pub async fn me(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<MeQuery>,
) -> Result<Response, AppError> {
    let notice = match q.done.as_deref() {
        Some("check-in") => Some(user.t.get("portal-checkin-saved")),
        _ => None,
    };
    me_page(
        &state,
        &user,
        q.help.is_some(),
        notice,
        None,
        None,
        String::new(),
    )
    .await
}

async fn me_page(
    state: &AppState,
    user: &CurrentUser,
    help: bool,
    notice: Option<String>,
    error: Option<String>,
    checked: Option<u8>,
    note: String,
) -> Result<Response, AppError> {
    require(user, &[Role::Resident])?;
    let t = user.t;
    let Some(resident_id) = user.account().resident_id else {
        return Err(AppError::Forbidden(t));
    };
    let store = &state.store;
    let today = today_nl(store.now());
    let contact = caseload::contact_person(store, &user.actor, resident_id, today)
        .await
        .map_err(|e| AppError::store(e, t))?
        .map(|c| ContactView {
            name: c.name,
            tel: c
                .phone
                .as_deref()
                .unwrap_or_default()
                .chars()
                .filter(|ch| ch.is_ascii_digit() || *ch == '+')
                .collect(),
            phone: c.phone,
            last: c
                .last_contact_on
                .map(|d| t.with("me-last-contact", &[("date", date_nl(d))])),
        });
    let help_sent = help.then(|| {
        let when = match next_working_day(today).weekday().number_from_monday() {
            1 => t.get("weekday-monday"),
            2 => t.get("weekday-tuesday"),
            3 => t.get("weekday-wednesday"),
            4 => t.get("weekday-thursday"),
            _ => t.get("weekday-friday"),
        };
        let when = format!("{when} {}", date_nl(next_working_day(today)));
        match &contact {
            Some(c) => t.with("me-help-who", &[("name", c.name.clone()), ("when", when)]),
            None => t.with("me-help-who-team", &[("when", when)]),
        }
    });
    let last_check_in = portal::last_check_in(store, &user.actor)
        .await
        .map_err(|e| AppError::store(e, t))?
        .map(|c| {
            t.with(
                "portal-checkin-last",
                &[
                    ("face", t.get(&format!("portal-face-{}", c.wellbeing))),
                    ("date", date_nl(today_nl(c.at))),
                ],
            )
        });
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        render(&MePage {
            chrome: Chrome::for_user(user, t.get("me-title"), state),
            contact,
            help_sent,
            notice,
            error,
            faces: faces(t, checked),
            note,
            last_check_in,
        }),
    )
        .into_response())
}

#[derive(Deserialize)]
pub struct CheckInForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    wellbeing: String,
    #[serde(default)]
    note: String,
}

/// "Hoe gaat het met je?": one face and an optional sentence.
pub async fn check_in(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<CheckInForm>,
) -> Result<Response, AppError> {
    user.check_csrf(&form.csrf_token)?;
    require(&user, &[Role::Resident])?;
    let t = user.t;
    let Ok(wellbeing) = Wellbeing::parse(&form.wellbeing) else {
        let error = Some(t.get("portal-checkin-choose"));
        return me_page(&state, &user, false, None, error, None, form.note).await;
    };
    let note = Some(form.note.clone());
    match portal::check_in(&state.store, &user.actor, wellbeing, note).await {
        Ok(_) => Ok(Redirect::to("/me?done=check-in").into_response()),
        Err(e) => {
            let error = Some(form_error(e, t)?);
            me_page(
                &state,
                &user,
                false,
                None,
                error,
                Some(wellbeing.value()),
                form.note,
            )
            .await
        }
    }
}

// --- My plan ---------------------------------------------------------------------

pub struct NoteView {
    pub when: String,
    pub who: String,
    pub text: String,
}

#[derive(Template)]
#[template(path = "portal_plan.html")]
pub struct PlanPage {
    pub chrome: Chrome,
    pub csrf: String,
    /// Whose plan (a trusted person's view); `None` for the resident's own.
    pub whose: Option<String>,
    pub own: bool,
    pub goals: Vec<String>,
    pub agreements: Vec<String>,
    pub notes: Vec<NoteView>,
    pub notice: Option<String>,
    pub error: Option<String>,
    pub kind: String,
    pub text: String,
    /// For a party the resident chose: the thread, and where to post in it.
    pub messages: Vec<MessageView>,
    pub message_action: Option<String>,
}

fn note_views(t: Tr, plan: &portal::SharedPlan) -> Vec<NoteView> {
    plan.progress
        .iter()
        .map(|p| NoteView {
            when: date_nl(today_nl(p.at)),
            who: if p.by_resident {
                t.get("portal-plan-by-you")
            } else {
                p.author.clone()
            },
            text: p.text.clone(),
        })
        .collect()
}

#[derive(Deserialize, Default)]
pub struct DoneQuery {
    #[serde(default)]
    done: Option<String>,
}

pub async fn plan(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let notice = q
        .done
        .is_some()
        .then(|| user.t.get("portal-plan-note-saved"));
    plan_page(&state, &user, notice, None, String::new(), String::new()).await
}

async fn plan_page(
    state: &AppState,
    user: &CurrentUser,
    notice: Option<String>,
    error: Option<String>,
    kind: String,
    text: String,
) -> Result<Response, AppError> {
    require(user, &[Role::Resident])?;
    let t = user.t;
    let Some(resident_id) = user.account().resident_id else {
        return Err(AppError::Forbidden(t));
    };
    let plan = portal::plan(&state.store, &user.actor, resident_id)
        .await
        .map_err(|e| AppError::store(e, t))?;
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        render(&PlanPage {
            chrome: Chrome::for_user(user, t.get("portal-plan-title"), state),
            csrf: csrf(user),
            whose: None,
            own: true,
            goals: plan.goals.iter().map(|g| g.text.clone()).collect(),
            agreements: plan.agreements.iter().map(|g| g.text.clone()).collect(),
            notes: note_views(t, &plan),
            notice,
            error,
            kind: if kind.is_empty() {
                "went_well".into()
            } else {
                kind
            },
            text,
            messages: Vec::new(),
            message_action: None,
        }),
    )
        .into_response())
}

#[derive(Deserialize)]
pub struct NoteForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    text: String,
}

pub async fn add_note(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<NoteForm>,
) -> Result<Response, AppError> {
    user.check_csrf(&form.csrf_token)?;
    require(&user, &[Role::Resident])?;
    let t = user.t;
    let Some(kind) = NoteKind::parse(&form.kind) else {
        let error = Some(t.get("portal-plan-choose"));
        return plan_page(&state, &user, None, error, form.kind, form.text).await;
    };
    match portal::add_note(&state.store, &user.actor, kind, form.text.clone()).await {
        Ok(_) => Ok(Redirect::to("/me/plan?done=1").into_response()),
        Err(e) => {
            let error = Some(form_error(e, t)?);
            plan_page(&state, &user, None, error, form.kind, form.text).await
        }
    }
}

// --- Messages --------------------------------------------------------------------

pub struct MessageView {
    pub when: String,
    pub who: String,
    pub mine: bool,
    pub body: String,
}

fn message_views(t: Tr, own_account: i64, thread: &[portal::Message]) -> Vec<MessageView> {
    thread
        .iter()
        .map(|m| {
            let mine = m.author_account_id == Some(own_account);
            MessageView {
                when: when_nl(m.at),
                who: if mine {
                    t.get("portal-messages-you")
                } else {
                    m.author.clone()
                },
                mine,
                body: m.body.clone(),
            }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "portal_messages.html")]
pub struct MessagesPage {
    pub chrome: Chrome,
    pub csrf: String,
    pub action: String,
    pub intro: String,
    pub messages: Vec<MessageView>,
    pub notice: Option<String>,
    pub error: Option<String>,
    pub body: String,
}

pub async fn messages(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let notice = q.done.is_some().then(|| user.t.get("portal-messages-sent"));
    messages_page(&state, &user, notice, None, String::new()).await
}

async fn messages_page(
    state: &AppState,
    user: &CurrentUser,
    notice: Option<String>,
    error: Option<String>,
    body: String,
) -> Result<Response, AppError> {
    require(user, &[Role::Resident])?;
    let t = user.t;
    let Some(resident_id) = user.account().resident_id else {
        return Err(AppError::Forbidden(t));
    };
    let store = &state.store;
    let thread = portal::thread(store, &user.actor, resident_id)
        .await
        .map_err(|e| AppError::store(e, t))?;
    let contact = caseload::contact_person(store, &user.actor, resident_id, today_nl(store.now()))
        .await
        .map_err(|e| AppError::store(e, t))?;
    let intro = match contact {
        Some(c) => t.with("portal-messages-intro", &[("name", c.name)]),
        None => t.get("portal-messages-intro-team"),
    };
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        render(&MessagesPage {
            chrome: Chrome::for_user(user, t.get("portal-messages-title"), state),
            csrf: csrf(user),
            action: "/me/messages".into(),
            intro,
            messages: message_views(t, user.account().id, &thread),
            notice,
            error,
            body,
        }),
    )
        .into_response())
}

#[derive(Deserialize)]
pub struct MessageForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    body: String,
}

pub async fn send_message(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<MessageForm>,
) -> Result<Response, AppError> {
    user.check_csrf(&form.csrf_token)?;
    require(&user, &[Role::Resident])?;
    let t = user.t;
    let Some(resident_id) = user.account().resident_id else {
        return Err(AppError::Forbidden(t));
    };
    match portal::send_message(&state.store, &user.actor, resident_id, form.body.clone()).await {
        Ok(_) => Ok(Redirect::to("/me/messages?done=1").into_response()),
        Err(e) => {
            let error = Some(form_error(e, t)?);
            messages_page(&state, &user, None, error, form.body).await
        }
    }
}

// --- Who sees my plan --------------------------------------------------------------

pub struct ShareView {
    pub consent_id: i64,
    pub needed: bool,
    pub who: String,
    pub since: String,
}

pub struct NewCodeView {
    pub email: String,
    pub code: String,
    pub until: String,
}

#[derive(Template)]
#[template(path = "portal_sharing.html")]
pub struct SharingPage {
    pub chrome: Chrome,
    pub csrf: String,
    pub contact: Option<String>,
    pub shares: Vec<ShareView>,
    pub notice: Option<String>,
    pub new_code: Option<NewCodeView>,
    pub error: Option<String>,
    pub name: String,
    pub email: String,
    pub relation: String,
}

#[derive(Deserialize, Default)]
pub struct SharingQuery {
    #[serde(default)]
    removed: Option<String>,
    #[serde(default)]
    added: Option<String>,
}

pub async fn sharing(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<SharingQuery>,
) -> Result<Response, AppError> {
    let t = user.t;
    let notice = if let Some(name) = q.removed {
        Some(t.with("portal-sharing-removed", &[("name", name)]))
    } else {
        q.added
            .map(|name| t.with("portal-sharing-added", &[("name", name)]))
    };
    sharing_page(&state, &user, notice, None, None, SharingForm::default()).await
}

async fn sharing_page(
    state: &AppState,
    user: &CurrentUser,
    notice: Option<String>,
    new_code: Option<NewCodeView>,
    error: Option<String>,
    form: SharingForm,
) -> Result<Response, AppError> {
    require(user, &[Role::Resident])?;
    let t = user.t;
    let Some(resident_id) = user.account().resident_id else {
        return Err(AppError::Forbidden(t));
    };
    let store = &state.store;
    let contact = caseload::contact_person(store, &user.actor, resident_id, today_nl(store.now()))
        .await
        .map_err(|e| AppError::store(e, t))?
        .map(|c| t.with("portal-sharing-contact", &[("name", c.name)]));
    let shares = portal::shares(store, &user.actor)
        .await
        .map_err(|e| AppError::store(e, t))?
        .into_iter()
        .map(|s| ShareView {
            consent_id: s.consent_id,
            needed: s.needed_for_care,
            // Parties the system recorded are named in plain words; the
            // names residents typed are theirs.
            who: match s.party {
                ConsentParty::TrustedPerson => s.name,
                ConsentParty::Professional => {
                    t.with("portal-sharing-party-professional", &[("name", s.name)])
                }
                ConsentParty::Provider => t.get("portal-sharing-party-provider"),
                ConsentParty::Municipality => t.get("portal-sharing-party-municipality"),
            },
            since: t.with(
                "portal-sharing-since",
                &[("date", date_nl(today_nl(s.granted_at)))],
            ),
        })
        .collect();
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        render(&SharingPage {
            chrome: Chrome::for_user(user, t.get("portal-sharing-title"), state),
            csrf: csrf(user),
            contact,
            shares,
            notice,
            new_code,
            error,
            name: form.name,
            email: form.email,
            relation: if form.relation.is_empty() {
                "family".into()
            } else {
                form.relation
            },
        }),
    )
        .into_response())
}

#[derive(Deserialize, Default)]
pub struct SharingForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    relation: String,
}

pub async fn invite(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<SharingForm>,
) -> Result<Response, AppError> {
    user.check_csrf(&form.csrf_token)?;
    require(&user, &[Role::Resident])?;
    let t = user.t;
    let Some(relation) = Relation::parse(&form.relation) else {
        let error = Some(t.get("portal-error-relation"));
        return sharing_page(&state, &user, None, None, error, form).await;
    };
    let invitation = Invitation {
        name: form.name.clone(),
        email: form.email.clone(),
        relation,
    };
    match portal::invite(&state.store, &user.actor, invitation).await {
        Ok(Invited::Existing { name }) => {
            let to = format!("/me/sharing?added={}", urlencoding(&name));
            Ok(Redirect::to(&to).into_response())
        }
        // The code is shown once, now: it is not stored anywhere readable.
        Ok(Invited::NewAccount { name, email, code }) => {
            let view = NewCodeView {
                email,
                code: code.code,
                until: date_nl(today_nl(code.expires_at)),
            };
            let notice = Some(t.with("portal-sharing-added", &[("name", name)]));
            sharing_page(
                &state,
                &user,
                notice,
                Some(view),
                None,
                SharingForm::default(),
            )
            .await
        }
        Err(e) => {
            let error = Some(form_error(e, t)?);
            sharing_page(&state, &user, None, None, error, form).await
        }
    }
}

fn urlencoding(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[derive(Deserialize)]
pub struct CsrfOnly {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    name: String,
}

pub async fn remove_share(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, AppError> {
    user.check_csrf(&form.csrf_token)?;
    require(&user, &[Role::Resident])?;
    portal::revoke(&state.store, &user.actor, id)
        .await
        .map_err(|e| AppError::store(e, user.t))?;
    let to = format!("/me/sharing?removed={}", urlencoding(&form.name));
    Ok(Redirect::to(&to).into_response())
}

// --- Who looked at my data -----------------------------------------------------------

pub struct LogView {
    pub when: String,
    pub who: String,
    pub what: String,
    pub denied: bool,
}

#[derive(Template)]
#[template(path = "portal_log.html")]
pub struct LogPage {
    pub chrome: Chrome,
    pub entries: Vec<LogView>,
}

/// What an access-log entry touched, in plain words.
fn log_what(t: Tr, e: &AccessLogEntry) -> String {
    let o = e.objects.as_str();
    let thing = if o.contains("plan") {
        "plan"
    } else if o.contains("message") {
        "messages"
    } else if o.contains("check_in") {
        "check-in"
    } else if o.contains("bell") {
        "bell"
    } else if o.contains("consent") {
        "sharing"
    } else if o.contains("access_log") {
        "log"
    } else if o.contains("activation_code") || o.contains("password") {
        "code"
    } else if o.contains("helper") {
        "helper"
    } else if o.split(',').any(|part| part.starts_with("contact:")) {
        "contact"
    } else {
        "data"
    };
    let did = match e.action.as_str() {
        "create" => "create",
        "update" | "delete" => "update",
        _ => "read",
    };
    let what = t.get(&format!("portal-log-thing-{thing}"));
    if e.outcome == "denied" {
        t.with("portal-log-denied", &[("what", what)])
    } else {
        t.with(&format!("portal-log-did-{did}"), &[("what", what)])
    }
}

pub async fn log(State(state): State<AppState>, user: CurrentUser) -> Result<Response, AppError> {
    require(&user, &[Role::Resident])?;
    let t = user.t;
    let Some(resident_id) = user.account().resident_id else {
        return Err(AppError::Forbidden(t));
    };
    let own = user.account().id;
    let entries =
        waakvlam_store::access::entries_for_resident(&state.store, &user.actor, resident_id, 300)
            .await
            .map_err(|e| AppError::store(e, t))?
            .into_iter()
            // People, not the resident themselves and not the system's own work.
            .filter(|e| e.account_id.is_some() && e.account_id != Some(own))
            .take(50)
            .map(|e| LogView {
                when: when_nl(e.occurred_at),
                who: match (&e.actor_name, &e.organisation) {
                    (Some(n), Some(o)) => {
                        t.with("portal-log-who", &[("name", n.clone()), ("org", o.clone())])
                    }
                    (Some(n), None) => n.clone(),
                    _ => t.get("portal-log-someone"),
                },
                what: log_what(t, &e),
                denied: e.outcome == "denied",
            })
            .collect();
    Ok(render(&LogPage {
        chrome: Chrome::for_user(&user, t.get("portal-log-title"), &state),
        entries,
    }))
}

// --- Choose my helper ----------------------------------------------------------------

pub struct HelperView {
    pub account_id: i64,
    pub name: String,
    pub area: String,
    pub specialisation: String,
    pub languages: String,
    pub introduction: String,
    pub current: bool,
}

pub struct Choice {
    pub value: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "portal_helper.html")]
pub struct HelperPage {
    pub chrome: Chrome,
    pub csrf: String,
    pub areas: Vec<Choice>,
    pub specialisations: Vec<Choice>,
    pub languages: Vec<Choice>,
    pub helpers: Vec<HelperView>,
    pub total: usize,
    pub request: Option<String>,
    pub notice: Option<String>,
    pub error: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct HelperQuery {
    #[serde(default)]
    area: String,
    #[serde(default)]
    specialisation: String,
    #[serde(default)]
    language: String,
    #[serde(default)]
    done: Option<String>,
}

fn choices(values: impl Iterator<Item = String>, selected: &str) -> Vec<Choice> {
    let mut all: Vec<String> = values.filter(|v| !v.is_empty()).collect();
    all.sort();
    all.dedup();
    all.into_iter()
        .map(|v| Choice {
            selected: v == selected,
            value: v,
        })
        .collect()
}

fn split_list(s: &str) -> impl Iterator<Item = String> + '_ {
    s.split(',').map(|x| x.trim().to_owned())
}

pub async fn helper(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<HelperQuery>,
) -> Result<Response, AppError> {
    let notice = q.done.is_some().then(|| user.t.get("portal-helper-sent"));
    helper_page(&state, &user, &q, notice, None).await
}

async fn helper_page(
    state: &AppState,
    user: &CurrentUser,
    q: &HelperQuery,
    notice: Option<String>,
    error: Option<String>,
) -> Result<Response, AppError> {
    require(user, &[Role::Resident])?;
    let t = user.t;
    let store = &state.store;
    let all = portal::helpers(store, &user.actor, today_nl(store.now()))
        .await
        .map_err(|e| AppError::store(e, t))?;
    let request = portal::my_helper_request(store, &user.actor)
        .await
        .map_err(|e| AppError::store(e, t))?
        .map(|r| {
            let key = match r.status {
                HelperRequestStatus::Pending => "portal-helper-request-pending",
                HelperRequestStatus::Confirmed => "portal-helper-request-confirmed",
                HelperRequestStatus::Declined | HelperRequestStatus::Withdrawn => {
                    "portal-helper-request-declined"
                }
            };
            t.with(key, &[("name", r.professional_name)])
        });
    let areas = choices(all.iter().map(|h| h.area.clone()), &q.area);
    let specialisations = choices(
        all.iter().flat_map(|h| split_list(&h.specialisation)),
        &q.specialisation,
    );
    let languages = choices(
        all.iter().flat_map(|h| split_list(&h.languages)),
        &q.language,
    );
    let total = all.len();
    let helpers = all
        .into_iter()
        .filter(|h| q.area.is_empty() || h.area == q.area)
        .filter(|h| {
            q.specialisation.is_empty()
                || split_list(&h.specialisation).any(|s| s == q.specialisation)
        })
        .filter(|h| q.language.is_empty() || split_list(&h.languages).any(|s| s == q.language))
        .map(|h| HelperView {
            account_id: h.account_id,
            name: h.name,
            area: h.area,
            specialisation: h.specialisation,
            languages: h.languages,
            introduction: h.introduction,
            current: h.current,
        })
        .collect();
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        render(&HelperPage {
            chrome: Chrome::for_user(user, t.get("portal-helper-title"), state),
            csrf: csrf(user),
            areas,
            specialisations,
            languages,
            helpers,
            total,
            request,
            notice,
            error,
        }),
    )
        .into_response())
}

#[derive(Deserialize)]
pub struct ChooseForm {
    #[serde(default)]
    csrf_token: String,
    professional_id: i64,
}

pub async fn choose_helper(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<ChooseForm>,
) -> Result<Response, AppError> {
    user.check_csrf(&form.csrf_token)?;
    require(&user, &[Role::Resident])?;
    let t = user.t;
    let store = &state.store;
    match portal::choose_helper(
        store,
        &user.actor,
        form.professional_id,
        today_nl(store.now()),
    )
    .await
    {
        Ok(_) => Ok(Redirect::to("/me/helper?done=1").into_response()),
        Err(e) => {
            let error = Some(form_error(e, t)?);
            helper_page(&state, &user, &HelperQuery::default(), None, error).await
        }
    }
}

// --- Team lead: requests for a helper ------------------------------------------------

pub struct RequestView {
    pub id: i64,
    pub resident_id: i64,
    pub resident: String,
    pub text: String,
}

#[derive(Template)]
#[template(path = "portal_requests.html")]
pub struct RequestsPage {
    pub chrome: Chrome,
    pub csrf: String,
    pub requests: Vec<RequestView>,
    pub notice: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct DecidedQuery {
    #[serde(default)]
    decided: Option<String>,
}

pub async fn helper_requests(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<DecidedQuery>,
) -> Result<Response, AppError> {
    require(&user, &[Role::TeamLead])?;
    let t = user.t;
    let requests = portal::waiting_helper_requests(&state.store, &user.actor)
        .await
        .map_err(|e| AppError::store(e, t))?
        .into_iter()
        .map(|r| RequestView {
            id: r.id,
            resident_id: r.resident_id,
            text: t.with(
                "portal-requests-line",
                &[
                    ("chosen", r.professional_name),
                    (
                        "current",
                        r.current_professional
                            .unwrap_or_else(|| t.get("unassigned")),
                    ),
                    ("when", when_nl(r.requested_at)),
                ],
            ),
            resident: r.resident_name,
        })
        .collect();
    let notice = match q.decided.as_deref() {
        Some("confirmed") => Some(t.get("portal-requests-confirmed")),
        Some("declined") => Some(t.get("portal-requests-declined")),
        _ => None,
    };
    Ok(render(&RequestsPage {
        chrome: Chrome::for_user(&user, t.get("portal-requests-title"), &state),
        csrf: csrf(&user),
        requests,
        notice,
    }))
}

#[derive(Deserialize)]
pub struct DecideForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    decision: String,
}

pub async fn decide_helper_request(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(form): Form<DecideForm>,
) -> Result<Response, AppError> {
    user.check_csrf(&form.csrf_token)?;
    require(&user, &[Role::TeamLead])?;
    let confirm = form.decision == "confirm";
    portal::decide_helper_request(&state.store, &user.actor, id, confirm)
        .await
        .map_err(crate::error::bad_input(user.t))?;
    let decided = if confirm { "confirmed" } else { "declined" };
    Ok(Redirect::to(&format!("/helper-requests?decided={decided}")).into_response())
}

// --- Trusted persons ------------------------------------------------------------------

pub struct SharedRow {
    pub resident_id: i64,
    pub name: String,
    pub since: String,
}

#[derive(Template)]
#[template(path = "portal_shared.html")]
pub struct SharedPage {
    pub chrome: Chrome,
    pub rows: Vec<SharedRow>,
}

pub async fn shared(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, AppError> {
    require(&user, &[Role::TrustedPerson])?;
    let t = user.t;
    let rows = portal::shared_with_me(&state.store, &user.actor)
        .await
        .map_err(|e| AppError::store(e, t))?
        .into_iter()
        .map(|s| SharedRow {
            resident_id: s.resident_id,
            name: s.name,
            since: t.with(
                "portal-sharing-since",
                &[("date", date_nl(today_nl(s.since)))],
            ),
        })
        .collect();
    Ok(render(&SharedPage {
        chrome: Chrome::for_user(&user, t.get("portal-shared-title"), &state),
        rows,
    }))
}

/// A shared plan and the message thread, for a trusted person (or a
/// professional the resident invited). The store refuses when the resident no
/// longer shares it.
pub async fn shared_plan(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(resident_id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, AppError> {
    require(
        &user,
        &[Role::TrustedPerson, Role::Professional, Role::TeamLead],
    )?;
    let t = user.t;
    let plan = portal::plan(&state.store, &user.actor, resident_id)
        .await
        .map_err(|e| AppError::store(e, t))?;
    let thread = portal::thread(&state.store, &user.actor, resident_id)
        .await
        .map_err(|e| AppError::store(e, t))?;
    Ok(render(&PlanPage {
        chrome: Chrome::for_user(
            &user,
            t.with(
                "portal-shared-plan-title",
                &[("name", plan.resident_name.clone())],
            ),
            &state,
        ),
        csrf: csrf(&user),
        whose: Some(plan.resident_name.clone()),
        own: false,
        goals: plan.goals.iter().map(|g| g.text.clone()).collect(),
        agreements: plan.agreements.iter().map(|g| g.text.clone()).collect(),
        notes: note_views(t, &plan),
        notice: q.done.is_some().then(|| t.get("portal-messages-sent")),
        error: None,
        kind: String::new(),
        text: String::new(),
        messages: message_views(t, user.account().id, &thread),
        message_action: Some(format!("/shared/{resident_id}/messages")),
    }))
}

/// A party the resident chose writes in the resident's thread.
pub async fn shared_message(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(resident_id): Path<i64>,
    Form(form): Form<MessageForm>,
) -> Result<Response, AppError> {
    user.check_csrf(&form.csrf_token)?;
    require(
        &user,
        &[Role::TrustedPerson, Role::Professional, Role::TeamLead],
    )?;
    send(&state, &user, resident_id, form.body).await?;
    Ok(Redirect::to(&format!("/shared/{resident_id}?done=1#shared-messages")).into_response())
}

/// A message in a resident's thread from someone other than the resident
/// (the store checks who may write there).
async fn send(
    state: &AppState,
    user: &CurrentUser,
    resident_id: i64,
    body: String,
) -> Result<(), AppError> {
    portal::send_message(&state.store, &user.actor, resident_id, body)
        .await
        .map(|_| ())
        .map_err(crate::error::bad_input(user.t))
}

// --- Activation -----------------------------------------------------------------------

#[derive(Template)]
#[template(path = "portal_activate.html")]
pub struct ActivatePage {
    pub chrome: Chrome,
    pub error: Option<String>,
    pub code: String,
}

pub async fn activate_page(headers: HeaderMap) -> Response {
    let t = auth::language(&headers);
    render(&ActivatePage {
        chrome: Chrome::anonymous(t, t.get("portal-activate-title"), "/activate"),
        error: None,
        code: String::new(),
    })
}

#[derive(Deserialize)]
pub struct ActivateForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_again: String,
}

/// Sets a password with an activation code and logs in. No CSRF token is
/// needed: the code itself is the secret a forged request would lack.
pub async fn activate(
    State(state): State<AppState>,
    ConnectInfoOpt(addr): ConnectInfoOpt,
    headers: HeaderMap,
    Form(form): Form<ActivateForm>,
) -> Response {
    let t = auth::language(&headers);
    let again = |error: String| {
        let page = render(&ActivatePage {
            chrome: Chrome::anonymous(t, t.get("portal-activate-title"), "/activate"),
            error: Some(error),
            code: form.code.clone(),
        });
        (StatusCode::UNPROCESSABLE_ENTITY, page).into_response()
    };
    if form.password != form.password_again {
        return again(t.get("portal-activate-mismatch"));
    }
    let client = auth::client_from(&state, &headers, addr);
    let credentials = Credentials::ActivationCode {
        code: form.code.clone(),
        new_password: form.password.clone(),
    };
    match auth::authenticate(&state, &credentials, client.as_deref()).await {
        Ok(account) => auth::start_session(&state, account, client, t).await,
        Err(auth::LoginFailure::Locked(minutes)) => {
            again(t.with("login-locked", &[("minutes", minutes.to_string())]))
        }
        Err(auth::LoginFailure::Invalid(e)) => match form_error(e, t) {
            Ok(msg) => again(msg),
            Err(e) => e.into_response(),
        },
        Err(auth::LoginFailure::Wrong) => again(t.get("portal-error-code")),
        Err(auth::LoginFailure::Store(e)) => AppError::store(e, t).into_response(),
    }
}

// --- The professional's resident page: messages and activation codes -------------

/// The portal's part of `/clients/{id}`.
pub struct ClientPortal {
    pub messages: Vec<MessageView>,
    pub code_waiting: Option<String>,
}

pub fn client_section(
    user: &CurrentUser,
    thread: &[portal::Message],
    code_waiting_until: Option<DateTime<Utc>>,
) -> ClientPortal {
    let t = user.t;
    let messages = message_views(t, user.account().id, thread)
        .into_iter()
        .rev()
        .take(10)
        .rev()
        .collect();
    let code_waiting = code_waiting_until.map(|until| {
        t.with(
            "portal-client-code-waiting",
            &[("date", date_nl(today_nl(until)))],
        )
    });
    ClientPortal {
        messages,
        code_waiting,
    }
}

fn require_care(user: &CurrentUser) -> Result<(), AppError> {
    require(user, &[Role::Professional, Role::TeamLead])
}

pub async fn client_message(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(form): Form<MessageForm>,
) -> Result<Response, AppError> {
    user.check_csrf(&form.csrf_token)?;
    require_care(&user)?;
    send(&state, &user, id, form.body).await?;
    Ok(Redirect::to(&format!("/clients/{id}?done=message#portal-messages")).into_response())
}

#[derive(Template)]
#[template(path = "portal_letter.html")]
pub struct LetterPage {
    pub chrome: Chrome,
    pub resident_id: i64,
    pub resident: String,
    pub login: String,
    pub code: String,
    pub until: String,
}

/// The professional makes a new activation code (first login, or a
/// forgotten password) and gets a letter to print or read out.
pub async fn client_activation_code(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, AppError> {
    user.check_csrf(&form.csrf_token)?;
    require_care(&user)?;
    let t = user.t;
    let store = &state.store;
    let issued = activation::issue_for_resident(store, &user.actor, id)
        .await
        .map_err(|e| AppError::store(e, t))?;
    let resident = waakvlam_store::residents::get(store, &user.actor, id)
        .await
        .map_err(|e| AppError::store(e, t))?;
    Ok(render(&LetterPage {
        chrome: Chrome::for_user(&user, t.get("portal-letter-title"), &state),
        resident_id: id,
        resident: resident.display_name(),
        login: issued.login,
        code: issued.code.code,
        until: date_nl(today_nl(issued.code.expires_at)),
    }))
}
