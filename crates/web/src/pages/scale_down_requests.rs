//! The provider's answers to the municipality's scale-down inventory
//! (`/scale-down-requests`, "Afschaalverzoeken"): per resident a proposed day
//! to scale down to waakvlam, or why not yet. The consultant sees the answers
//! in the inventory on the worklist.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::NaiveDate;
use serde::Deserialize;
use waakvlam_store::PlanningRequestId;
use waakvlam_store::scale_down_planning::{self, Answer, OpenRequest};

use crate::AppState;
use crate::i18n::Tr;
use crate::ui::error::AppError;
use crate::ui::extract::{CsrfForm, Require, TeamLead};
use crate::ui::form::{DoneQuery, FormErrors, Refusal};
use crate::ui::format::{date_nl, today_nl};
use crate::ui::routes::Routes;
use crate::ui::session::CurrentUser;
use crate::ui::{Chrome, Flash, render_form};

pub fn routes() -> Routes {
    Routes::new()
        .route("/scale-down-requests", get(page))
        .route("/scale-down-requests/{id}", post(answer))
}

pub struct RequestView {
    pub id: PlanningRequestId,
    pub resident: String,
    pub facts: Vec<(String, String)>,
    pub prefix: String,
    pub errors: FormErrors,
    pub proposed_date: String,
    pub reason: String,
}

#[derive(Template)]
#[template(path = "scale_down_requests/page.html")]
pub struct RequestsPage {
    pub chrome: Chrome,
    pub csrf: String,
    pub notice: Option<String>,
    pub error: Option<String>,
    pub requests: Vec<RequestView>,
    pub today: String,
}

impl RequestsPage {
    /// A proposed day lies from today on.
    pub fn min_date(&self) -> String {
        format!(" min=\"{}\"", self.today)
    }
}

pub async fn page(
    State(state): State<AppState>,
    user: Require<TeamLead>,
    Query(done): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let notice = done.done.map(|_| user.t.get("sdr-answered"));
    show(&state, &user, Flash::notice(notice), None).await
}

async fn show(
    state: &AppState,
    user: &CurrentUser,
    flash: Flash,
    failed: Option<(PlanningRequestId, AnswerForm, FormErrors)>,
) -> Result<Response, AppError> {
    let t = user.t;
    let open = state
        .store
        .read(&user.actor, async |cx| {
            scale_down_planning::open_for_provider(cx).await
        })
        .await?;
    let failed_form = failed.is_some();
    let mut failed = failed;
    let requests = open
        .into_iter()
        .map(|r| {
            let sent = match &failed {
                Some((id, _, _)) if *id == r.id => failed.take(),
                _ => None,
            };
            view(t, r, sent)
        })
        .collect();
    Ok(render_form(
        &RequestsPage {
            chrome: Chrome::for_user(user, t.get("sdr-title"), state),
            csrf: user.csrf(),
            notice: flash.notice,
            error: flash.error,
            requests,
            today: today_nl(state.store.now()).format("%Y-%m-%d").to_string(),
        },
        failed_form,
    ))
}

fn view(
    t: Tr,
    r: OpenRequest,
    sent: Option<(PlanningRequestId, AnswerForm, FormErrors)>,
) -> RequestView {
    let mut facts = vec![
        (t.get("sdr-product"), r.product_code.clone()),
        (
            t.get("sdr-period"),
            match r.end_date {
                Some(end) => t.with(
                    "intake-period",
                    &[("start", date_nl(r.start_date)), ("end", date_nl(end))],
                ),
                None => t.with("intake-period-open", &[("start", date_nl(r.start_date))]),
            },
        ),
        (
            t.get("sdr-planned"),
            r.planned_scale_down
                .map(date_nl)
                .unwrap_or_else(|| t.get("sdr-planned-none")),
        ),
        (
            t.get("sdr-professional"),
            r.professional_name
                .clone()
                .unwrap_or_else(|| t.get("unassigned")),
        ),
        (t.get("sdr-asked"), date_nl(today_nl(r.requested_at))),
    ];
    if let Some(note) = &r.note {
        facts.push((t.get("sdr-note"), note.clone()));
    }
    let (form, errors) = match sent {
        Some((_, form, errors)) => (form, errors),
        None => (
            AnswerForm {
                proposed_date: r
                    .planned_scale_down
                    .map(|d| d.format("%Y-%m-%d").to_string())
                    .unwrap_or_default(),
                reason: String::new(),
            },
            FormErrors::default(),
        ),
    };
    RequestView {
        id: r.id,
        resident: r.resident_name,
        facts,
        prefix: format!("sdr-{}", r.id),
        errors,
        proposed_date: form.proposed_date,
        reason: form.reason,
    }
}

#[derive(Deserialize, Default, Clone)]
pub struct AnswerForm {
    #[serde(default)]
    proposed_date: String,
    #[serde(default)]
    reason: String,
}

pub async fn answer(
    State(state): State<AppState>,
    Path(id): Path<PlanningRequestId>,
    CsrfForm(user, form): CsrfForm<TeamLead, AnswerForm>,
) -> Result<Response, AppError> {
    let t = user.t;
    let proposed_date = match form.proposed_date.trim() {
        "" => None,
        d => match NaiveDate::parse_from_str(d, "%Y-%m-%d") {
            Ok(d) => Some(d),
            Err(_) => {
                let mut errors = FormErrors::default();
                errors.add("proposed_date", t.get("sdr-date-invalid"));
                let flash = Flash::error(t.get("sdr-date-invalid"));
                return show(&state, &user, flash, Some((id, form, errors))).await;
            }
        },
    };
    let a = Answer {
        proposed_date,
        reason: Some(form.reason.clone()),
    };
    let done = state
        .store
        .write(&user.actor, async |cx| {
            scale_down_planning::answer(cx, id, &a).await
        })
        .await;
    match done {
        Ok(()) => Ok(Redirect::to("/scale-down-requests?done=answered").into_response()),
        Err(e) => {
            let refusal = Refusal::of(e)?;
            let errors = refusal.errors_at(t, &["proposed_date", "reason"], "proposed_date");
            show(
                &state,
                &user,
                Flash::error(refusal.text(t)),
                Some((id, form, errors)),
            )
            .await
        }
    }
}
