//! The team lead's requests for a helper (`/helper-requests`).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use waakvlam_store::portal::helper_request;
use waakvlam_store::read;
use waakvlam_store::{HelperRequestId, ResidentId};

use crate::AppState;
use crate::ui::error::AppError;
use crate::ui::extract::{CsrfForm, Require, TeamLead};
use crate::ui::format::when_nl;
use crate::ui::routes::Routes;
use crate::ui::{Chrome, render};

pub fn routes() -> Routes {
    Routes::new()
        .route("/helper-requests", get(helper_requests))
        .route("/helper-requests/{id}", post(decide_helper_request))
}

pub struct RequestView {
    pub id: HelperRequestId,
    pub resident_id: ResidentId,
    pub resident: String,
    pub text: String,
}

#[derive(Template)]
#[template(path = "helper_requests/page.html")]
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
    user: Require<TeamLead>,
    Query(q): Query<DecidedQuery>,
) -> Result<Response, AppError> {
    let t = user.t;
    let requests = state
        .store
        .read(&user.actor, async |cx| {
            read::helper_requests::page(cx).await
        })
        .await?
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
        csrf: user.csrf(),
        requests,
        notice,
    }))
}

#[derive(Deserialize)]
pub struct DecideForm {
    #[serde(default)]
    decision: String,
}

pub async fn decide_helper_request(
    State(state): State<AppState>,
    Path(id): Path<HelperRequestId>,
    CsrfForm(user, form): CsrfForm<TeamLead, DecideForm>,
) -> Result<Response, AppError> {
    // Only the page's two buttons: anything else is refused, never a "no".
    let confirm = match form.decision.as_str() {
        "confirm" => true,
        "decline" => false,
        _ => return Err(AppError::BadRequest(user.t.get("error-choose-decision"))),
    };
    state
        .store
        .write(&user.actor, async |cx| {
            helper_request::decide(cx, id, confirm).await
        })
        .await?;
    let decided = if confirm { "confirmed" } else { "declined" };
    Ok(Redirect::to(&format!("/helper-requests?decided={decided}")).into_response())
}
