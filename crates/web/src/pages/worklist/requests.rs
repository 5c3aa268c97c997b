//! The consultant decides on a professional's scale request:
//! `/worklist/requests/{id}`.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Months, NaiveDate};
use serde::Deserialize;
use waakvlam_domain::care::ScaleDirection;
use waakvlam_store::scale_request::{self, Approval};
use waakvlam_store::{ScaleRequestId, StoreError, read};

use waakvlam_domain::refusal::Reason;

use crate::AppState;
use crate::i18n::Tr;
use crate::ui::error::AppError;
use crate::ui::extract::{Consultant, CsrfForm, Require};
use crate::ui::form::{FailedForm, FormErrors, Refusal};
use crate::ui::format::date_nl;
use crate::ui::session::CurrentUser;
use crate::ui::{Chrome, render};

#[derive(Template)]
#[template(path = "worklist/request.html")]
pub struct DecidePage {
    pub chrome: Chrome,
    pub id: ScaleRequestId,
    pub summary: String,
    pub reason: String,
    pub start: String,
    pub needs_scale_down: bool,
    pub scale_down: String,
    pub reject_reason: String,
    /// The refused form (`approve` or `reject`) and its errors.
    pub failed: FailedForm,
    pub failed_title: String,
}

/// A decision sent and refused, with what was typed.
enum Sent {
    Approve(ApproveForm),
    Reject(RejectForm),
}

async fn page(
    state: &AppState,
    user: &CurrentUser,
    id: ScaleRequestId,
    refused: Option<(Sent, FormErrors)>,
) -> Result<Response, AppError> {
    let t = user.t;
    let read::scale_request::DecidePage {
        request: r,
        requested_level: level,
    } = state
        .store
        .read(&user.actor, async |cx| {
            read::scale_request::page(cx, id).await
        })
        .await?;
    let direction = t.get(match r.direction {
        ScaleDirection::Up => "request-up",
        ScaleDirection::Down => "request-down",
    });
    let what = r
        .product_code
        .clone()
        .unwrap_or_else(|| t.get("request-end-support"));
    let default_scale_down = r
        .requested_start
        .checked_add_months(Months::new(6))
        .unwrap_or(r.requested_start);
    let (failed, errors, sent) = match refused {
        Some((sent, errors)) => {
            let form = match sent {
                Sent::Approve(_) => "approve",
                Sent::Reject(_) => "reject",
            };
            (form, errors, Some(sent))
        }
        None => ("", FormErrors::default(), None),
    };
    let mut start = r.requested_start.format("%Y-%m-%d").to_string();
    let mut scale_down = default_scale_down.format("%Y-%m-%d").to_string();
    let mut reject_reason = String::new();
    match sent {
        Some(Sent::Approve(f)) => {
            start = f.start_date;
            scale_down = f.planned_scale_down_date;
        }
        Some(Sent::Reject(f)) => reject_reason = f.reason,
        None => {}
    }
    let view = DecidePage {
        chrome: Chrome::for_user(user, t.get("decide-title"), state),
        id,
        summary: t.with(
            "decide-summary",
            &[
                ("direction", direction),
                ("name", r.resident_name.clone()),
                ("what", what),
                ("start", date_nl(r.requested_start)),
            ],
        ),
        reason: r.reason.clone(),
        start,
        needs_scale_down: level.is_some_and(|l| l.requires_scale_down_moment()),
        scale_down,
        reject_reason,
        failed_title: match failed {
            "" => String::new(),
            form => t.get(&format!("decide-refused-{form}")),
        },
        failed: FailedForm::new(failed, errors),
    };
    let status = if view.failed.is_failed() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, render(&view)).into_response())
}

pub async fn show(
    State(state): State<AppState>,
    user: Require<Consultant>,
    Path(id): Path<ScaleRequestId>,
) -> Result<Response, AppError> {
    page(&state, &user, id, None).await
}

#[derive(Deserialize)]
pub struct ApproveForm {
    #[serde(default)]
    start_date: String,
    #[serde(default)]
    planned_scale_down_date: String,
}

/// A date from a form field (`None` when left empty), or why it is not one
/// at its field.
fn parse_date(t: Tr, errors: &mut FormErrors, field: &str, v: &str) -> Option<NaiveDate> {
    let v = v.trim();
    if v.is_empty() {
        return None;
    }
    let date = NaiveDate::parse_from_str(v, "%Y-%m-%d").ok();
    if date.is_none() {
        errors.add(
            field,
            t.refusal(&Reason::new("date-invalid").with("value", v), None),
        );
    }
    date
}

/// What the store refused about the decision, each at its field; `Err`
/// when the error is not about the input.
fn store_problem(t: Tr, e: StoreError) -> Result<FormErrors, StoreError> {
    let refusal = Refusal::of(e)?;
    let mut errors = FormErrors::default();
    for r in &refusal.0 {
        errors.add(&r.field, t.refusal(&r.reason, None));
    }
    Ok(errors)
}

pub async fn approve(
    State(state): State<AppState>,
    Path(id): Path<ScaleRequestId>,
    CsrfForm(user, form): CsrfForm<Consultant, ApproveForm>,
) -> Result<Response, AppError> {
    let t = user.t;
    let mut errors = FormErrors::default();
    let start = parse_date(t, &mut errors, "start_date", &form.start_date);
    if start.is_none() && errors.is_empty() {
        errors.add("start_date", t.refusal(&Reason::new("date-required"), None));
    }
    let planned_scale_down = parse_date(
        t,
        &mut errors,
        "planned_scale_down_date",
        &form.planned_scale_down_date,
    );
    let (Some(start), true) = (start, errors.is_empty()) else {
        return page(&state, &user, id, Some((Sent::Approve(form), errors))).await;
    };
    let approval = Approval {
        start,
        planned_scale_down,
    };
    let approved = state
        .store
        .write(&user.actor, async |cx| {
            scale_request::approve(cx, id, &approval).await
        })
        .await;
    match approved {
        Ok(_) => Ok(Redirect::to("/worklist?decided=approved").into_response()),
        Err(e) => {
            let errors = store_problem(t, e)?;
            page(&state, &user, id, Some((Sent::Approve(form), errors))).await
        }
    }
}

#[derive(Deserialize)]
pub struct RejectForm {
    #[serde(default)]
    reason: String,
}

pub async fn reject(
    State(state): State<AppState>,
    Path(id): Path<ScaleRequestId>,
    CsrfForm(user, form): CsrfForm<Consultant, RejectForm>,
) -> Result<Response, AppError> {
    let t = user.t;
    let rejected = state
        .store
        .write(&user.actor, async |cx| {
            scale_request::reject(cx, id, &form.reason).await
        })
        .await;
    match rejected {
        Ok(()) => Ok(Redirect::to("/worklist?decided=rejected").into_response()),
        Err(e) => {
            let errors = store_problem(t, e)?;
            page(&state, &user, id, Some((Sent::Reject(form), errors))).await
        }
    }
}
