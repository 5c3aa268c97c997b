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
use waakvlam_store::{StoreError, catalogue};

use waakvlam_domain::refusal::Reason;

use crate::AppState;
use crate::i18n::Tr;
use crate::ui::error::AppError;
use crate::ui::extract::{Consultant, CsrfForm, Require};
use crate::ui::form::Refusal;
use crate::ui::format::date_nl;
use crate::ui::session::CurrentUser;
use crate::ui::{Chrome, render};

#[derive(Template)]
#[template(path = "worklist/request.html")]
pub struct DecidePage {
    pub chrome: Chrome,
    pub id: i64,
    pub summary: String,
    pub reason: String,
    pub start: String,
    pub needs_scale_down: bool,
    pub scale_down: String,
    pub error: Option<String>,
}

async fn page(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    error: Option<String>,
) -> Result<Response, AppError> {
    let t = user.t;
    let store = &state.store;
    let waiting = scale_request::waiting(store, &user.actor).await?;
    let Some(r) = waiting.into_iter().find(|r| r.id == id) else {
        return Err(AppError::NotFound);
    };
    let level = match &r.product_code {
        Some(code) => (store.read(&user.actor, async |cx| {
            catalogue::product_by_code(cx, code).await
        }))
        .await?
        .map(|p| p.product.level),
        None => None,
    };
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
        start: r.requested_start.format("%Y-%m-%d").to_string(),
        needs_scale_down: level.is_some_and(|l| l.requires_scale_down_moment()),
        scale_down: default_scale_down.format("%Y-%m-%d").to_string(),
        error: error.clone(),
    };
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, render(&view)).into_response())
}

pub async fn show(
    State(state): State<AppState>,
    user: Require<Consultant>,
    Path(id): Path<i64>,
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

/// A date from a form field, or why it is not one in the user's language.
fn parse_date(t: Tr, v: &str) -> Result<Option<NaiveDate>, String> {
    let v = v.trim();
    if v.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(v, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| t.refusal(&Reason::new("date-invalid").with("value", v), None))
}

/// What the store refused about the decision, to show on the page; `Err`
/// when the error is not about the input.
fn store_problem(t: Tr, e: StoreError) -> Result<String, StoreError> {
    match Refusal::of(e) {
        Ok(refusal) => Ok(refusal.text(t)),
        Err(other) => Err(other),
    }
}

pub async fn approve(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(user, form): CsrfForm<Consultant, ApproveForm>,
) -> Result<Response, AppError> {
    let t = user.t;
    let error = |msg: String| Some(t.with("decide-error", &[("error", msg)]));
    let start = match parse_date(t, &form.start_date) {
        Ok(Some(d)) => d,
        Ok(None) => {
            let required = t.refusal(&Reason::new("date-required"), None);
            return page(&state, &user, id, error(required)).await;
        }
        Err(msg) => return page(&state, &user, id, error(msg)).await,
    };
    let planned_scale_down = match parse_date(t, &form.planned_scale_down_date) {
        Ok(d) => d,
        Err(msg) => return page(&state, &user, id, error(msg)).await,
    };
    match scale_request::approve(
        &state.store,
        &user.actor,
        id,
        &Approval {
            start,
            planned_scale_down,
        },
    )
    .await
    {
        Ok(_) => Ok(Redirect::to("/worklist?decided=approved").into_response()),
        Err(e) => page(&state, &user, id, error(store_problem(t, e)?)).await,
    }
}

#[derive(Deserialize)]
pub struct RejectForm {
    #[serde(default)]
    reason: String,
}

pub async fn reject(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(user, form): CsrfForm<Consultant, RejectForm>,
) -> Result<Response, AppError> {
    let t = user.t;
    match scale_request::reject(&state.store, &user.actor, id, &form.reason).await {
        Ok(()) => Ok(Redirect::to("/worklist?decided=rejected").into_response()),
        Err(e) => {
            let error = t.with("decide-error", &[("error", store_problem(t, e)?)]);
            page(&state, &user, id, Some(error)).await
        }
    }
}
