//! The page itself and what its forms share.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use serde::Deserialize;
use waakvlam_domain::care::{ContactChannel, RequestStatus, ScaleDirection};
use waakvlam_domain::indication::WaakvlamOutcome;
use waakvlam_store::read::resident::{self, TimelineEvent};
use waakvlam_store::{BellId, IndicationId, ResidentId, StoreError};

use crate::AppState;
use crate::i18n::Tr;
use crate::ui::error::AppError;
use crate::ui::extract::{Care, Require};
use crate::ui::form::{Choice, Refusal};
use crate::ui::format::{date_nl, today_nl, when_nl};
use crate::ui::session::CurrentUser;
use crate::ui::{Chrome, Flash, render};

const PER_PAGE: u64 = 20;

pub struct BellView {
    pub id: BellId,
    pub rung: String,
    pub message: String,
    pub acknowledged: Option<String>,
}

pub struct TimelineRow {
    pub when: String,
    pub text: String,
    pub detail: Option<String>,
}

/// What the contact form shows (after an error, what was typed).
#[derive(Default, Deserialize)]
pub struct ContactForm {
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub channel: String,
    #[serde(default)]
    pub duration_minutes: String,
    #[serde(default)]
    pub wellbeing: String,
    #[serde(default)]
    pub note: String,
}

#[derive(Template)]
#[template(path = "clients/page.html")]
pub struct ClientPage {
    pub chrome: Chrome,
    /// The running waakvlam indication, which the professional can end.
    pub waakvlam_indication_id: Option<IndicationId>,
    pub outcomes: Vec<Choice>,
    pub resident_id: ResidentId,
    pub born: String,
    pub notice: Option<String>,
    pub error: Option<String>,
    pub signals: Vec<String>,
    pub current: Option<String>,
    pub current_indication_id: Option<IndicationId>,
    pub rhythm: String,
    pub rhythm_days: String,
    pub contact_person: String,
    pub last_contact: String,
    pub bells: Vec<BellView>,
    pub pending: Vec<String>,
    /// "The municipality asks you to plan the scale-down."
    pub planning: Option<String>,
    /// The resident no longer shares the plan with this professional.
    pub plan_withheld: bool,
    pub goals: Vec<String>,
    pub agreements: Vec<String>,
    pub progress: Vec<String>,
    pub today: String,
    pub channels: Vec<Choice>,
    pub form: ContactForm,
    pub products: Vec<Choice>,
    /// Planned events (dated after now), soonest first.
    pub planned: Vec<TimelineRow>,
    pub timeline: Vec<TimelineRow>,
    pub page: u64,
    pub more: bool,
    /// Messages with the resident and their activation code (portal).
    pub portal: super::messages::ClientPortal,
}

#[derive(Deserialize, Default)]
pub struct ClientQuery {
    #[serde(default)]
    page: u64,
    #[serde(default)]
    done: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    user: Require<Care>,
    Path(id): Path<ResidentId>,
    Query(q): Query<ClientQuery>,
) -> Result<Response, AppError> {
    let notice = q.done.as_deref().and_then(|k| match k {
        "contact" => Some("client-contact-saved"),
        "rhythm" => Some("client-rhythm-saved"),
        "bell" => Some("client-bell-saved"),
        "request" => Some("client-scale-sent"),
        "ended" => Some("client-end-saved"),
        "message" => Some("portal-client-message-sent"),
        _ => None,
    });
    let notice = notice.map(|k| user.t.get(k));
    build(
        &state,
        &user,
        id,
        q.page,
        Flash::notice(notice),
        ContactForm::default(),
    )
    .await
}

pub(super) async fn build(
    state: &AppState,
    user: &CurrentUser,
    id: ResidentId,
    page: u64,
    flash: Flash,
    form: ContactForm,
) -> Result<Response, AppError> {
    let t = user.t;
    let store = &state.store;
    let now = store.now();
    let today = today_nl(now);
    let resident::ResidentPage {
        file,
        timeline,
        current_level,
        attention,
        default_rhythm_days,
        products,
        messages,
        activation_code_waiting,
    } = store
        .read(&user.actor, async |cx| {
            resident::page(cx, id, today, page, PER_PAGE).await
        })
        .await?;
    // The same signals as on the caseload, from the same engine.
    let signals = attention
        .map(|a| {
            a.signals
                .iter()
                .map(|s| t.with(s.kind().fluent_key(), &s.args()))
                .collect()
        })
        .unwrap_or_default();
    let products = products
        .into_iter()
        .filter(|p| p.active)
        .map(|p| Choice {
            value: p.product.code.as_str().to_owned(),
            label: format!("{} ({})", p.product.name, p.product.code.as_str()),
            selected: false,
        })
        .collect();
    let (current, current_id, rhythm, rhythm_days) = match &file.current {
        Some((i, code)) => {
            let end = i.end_date.map(date_nl).unwrap_or_else(|| t.get("no-end"));
            let default_days = default_rhythm_days.unwrap_or(28);
            let rhythm = match i.contact_rhythm_days {
                Some(d) => t.with("rhythm-days", &[("days", d.to_string())]),
                None => t.with("client-rhythm-none", &[("days", default_days.to_string())]),
            };
            (
                Some(t.with(
                    "client-indication",
                    &[
                        ("product", code.clone()),
                        ("start", date_nl(i.start_date)),
                        ("end", end),
                    ],
                )),
                Some(i.id),
                rhythm,
                i.contact_rhythm_days
                    .unwrap_or(i32::try_from(default_days).unwrap_or(28))
                    .to_string(),
            )
        }
        None => (None, None, String::new(), "28".to_owned()),
    };
    let selected_channel = if form.channel.is_empty() {
        "phone".to_owned()
    } else {
        form.channel.clone()
    };
    let waakvlam_indication_id = file
        .current
        .as_ref()
        .filter(|_| current_level == Some(waakvlam_domain::product::IntensityLevel::Waakvlam))
        .map(|(i, _)| i.id);
    let page_view = ClientPage {
        chrome: Chrome::for_user(user, file.resident.display_name(), state),
        waakvlam_indication_id,
        outcomes: WaakvlamOutcome::ALL
            .iter()
            .map(|o| Choice {
                value: o.as_str().to_owned(),
                label: t.get(o.fluent_key()),
                selected: false,
            })
            .collect(),
        resident_id: id,
        born: t.with(
            "client-born",
            &[("date", date_nl(file.resident.birth_date))],
        ),
        notice: flash.notice,
        error: flash.error,
        signals,
        current,
        current_indication_id: current_id,
        rhythm,
        rhythm_days,
        contact_person: file
            .contact_person
            .clone()
            .unwrap_or_else(|| t.get("unassigned")),
        last_contact: file
            .last_contact
            .map(when_nl)
            .unwrap_or_else(|| t.get("client-never")),
        bells: file
            .open_bells
            .iter()
            .map(|b| BellView {
                id: b.id,
                rung: t.with("client-bell-rung", &[("when", when_nl(b.rung_at))]),
                message: b.message.clone().unwrap_or_default(),
                acknowledged: b
                    .acknowledged_at
                    .map(|a| t.with("client-bell-acknowledged", &[("when", when_nl(a))])),
            })
            .collect(),
        planning: file.planning_request.as_ref().map(|p| {
            t.with(
                "client-planning-request",
                &[("date", date_nl(today_nl(p.requested_at)))],
            )
        }),
        pending: file
            .pending_requests
            .iter()
            .map(|r| {
                t.with(
                    "request-pending-line",
                    &[
                        ("direction", t.get(direction_key(r.direction))),
                        ("product", r.product_code.clone().unwrap_or_default()),
                        ("start", date_nl(r.requested_start)),
                        ("when", when_nl(r.requested_at)),
                    ],
                )
            })
            .collect(),
        plan_withheld: file.plan_withheld,
        goals: file
            .plan
            .iter()
            .filter(|p| p.kind == "goal")
            .map(|p| p.text.clone())
            .collect(),
        agreements: file
            .plan
            .iter()
            .filter(|p| p.kind == "agreement")
            .map(|p| p.text.clone())
            .collect(),
        progress: file
            .progress
            .iter()
            .map(|p| {
                format!(
                    "{} — {}{}",
                    date_nl(p.at.date_naive()),
                    p.text,
                    p.author
                        .as_ref()
                        .map(|a| format!(" ({a})"))
                        .unwrap_or_default()
                )
            })
            .collect(),
        today: today.format("%Y-%m-%d").to_string(),
        channels: ContactChannel::ALL
            .iter()
            .map(|c| Choice {
                value: c.as_str().to_owned(),
                label: t.get(c.fluent_key()),
                selected: c.as_str() == selected_channel,
            })
            .collect(),
        form,
        products,
        planned: timeline
            .planned
            .iter()
            .map(|e| timeline_row(t, e))
            .collect(),
        timeline: timeline
            .happened
            .iter()
            .map(|e| timeline_row(t, e))
            .collect(),
        page,
        more: timeline.more,
        portal: super::messages::client_section(user, &messages, activation_code_waiting),
    };
    let status = if page_view.error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, render(&page_view)).into_response())
}

fn direction_key(d: ScaleDirection) -> &'static str {
    match d {
        ScaleDirection::Up => "request-up",
        ScaleDirection::Down => "request-down",
    }
}

fn timeline_row(t: Tr, item: &resident::TimelineItem) -> TimelineRow {
    let by = |name: &Option<String>| name.as_ref().map(|n| format!(", {n}")).unwrap_or_default();
    let (text, detail) = match &item.event {
        TimelineEvent::Contact {
            channel,
            initiator: _,
            by: who,
            duration_minutes,
            wellbeing,
            note,
        } => {
            let mut parts = Vec::new();
            if let Some(w) = wellbeing {
                parts.push(t.with("tl-wellbeing", &[("wellbeing", w.to_string())]));
            }
            if let Some(m) = duration_minutes {
                parts.push(t.with("tl-minutes", &[("minutes", m.to_string())]));
            }
            if let Some(n) = note {
                parts.push(n.clone());
            }
            (
                t.with(
                    "tl-contact",
                    &[("channel", t.get(channel.fluent_key())), ("by", by(who))],
                ),
                (!parts.is_empty()).then(|| parts.join(" · ")),
            )
        }
        TimelineEvent::CheckIn { wellbeing, note } => (
            t.with("tl-check-in", &[("wellbeing", wellbeing.to_string())]),
            note.clone(),
        ),
        TimelineEvent::BellRung { message } => (t.get("tl-bell-rung"), message.clone()),
        TimelineEvent::BellAcknowledged {
            by: who,
            minutes_to_acknowledge,
        } => (
            t.with(
                "tl-bell-acknowledged",
                &[
                    ("by", by(who)),
                    ("minutes", minutes_to_acknowledge.to_string()),
                ],
            ),
            None,
        ),
        TimelineEvent::BellResolved {
            by: who,
            resolution,
        } => (
            t.with("tl-bell-resolved", &[("by", by(who))]),
            resolution.clone(),
        ),
        TimelineEvent::IndicationStarted { product_code, end } => (
            t.with(
                "tl-indication-started",
                &[("product", product_code.clone())],
            ),
            end.map(|e| format!("→ {}", date_nl(e))),
        ),
        TimelineEvent::IndicationEnded { product_code } => (
            t.with("tl-indication-ended", &[("product", product_code.clone())]),
            None,
        ),
        TimelineEvent::Request {
            direction,
            status,
            reason,
        } => (
            t.with(
                "tl-request",
                &[
                    ("direction", t.get(direction_key(*direction))),
                    (
                        "status",
                        t.get(match status {
                            RequestStatus::Pending => "request-status-pending",
                            RequestStatus::Approved => "request-status-approved",
                            RequestStatus::Rejected => "request-status-rejected",
                        }),
                    ),
                ],
            ),
            Some(reason.clone()),
        ),
        TimelineEvent::PlanChanged { text } => (t.with("tl-plan", &[("text", text.clone())]), None),
    };
    TimelineRow {
        when: when_nl(item.at),
        text,
        detail,
    }
}

/// A store refusal of form input becomes a message on the re-shown page;
/// `Err` when the error is not about the input.
pub(super) fn form_error(t: Tr, e: StoreError) -> Result<String, StoreError> {
    let text = match Refusal::of(e) {
        Ok(refusal) => refusal.text(t),
        Err(other) => return Err(other),
    };
    Ok(t.with("client-form-error", &[("error", text)]))
}

/// The answer to a form post: on success back to the page with a notice; a
/// refusal the user can fix re-shows the page with the message.
pub(super) async fn respond<T>(
    state: &AppState,
    user: &CurrentUser,
    id: ResidentId,
    result: Result<T, StoreError>,
    notice: &str,
) -> Result<Response, AppError> {
    match result {
        Ok(_) => Ok(done(id, notice)),
        Err(e) => {
            let error = form_error(user.t, e)?;
            build(
                state,
                user,
                id,
                0,
                Flash::error(error),
                ContactForm::default(),
            )
            .await
        }
    }
}

pub(super) fn done(id: ResidentId, what: &str) -> Response {
    Redirect::to(&format!("/clients/{id}?done={what}")).into_response()
}
