//! What trusted persons see (`/shared`): the plans shared with them. They
//! read the plan, nothing more, as the resident's invitation promises; the
//! message thread is between the resident and their care team.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use waakvlam_store::ResidentId;
use waakvlam_store::read;

use crate::AppState;
use crate::pages::portal::plan::{PlanPage, note_views};
use crate::ui::error::AppError;
use crate::ui::extract::{InvitedParty, Require, TrustedPerson};
use crate::ui::form::FormErrors;
use crate::ui::format::{date_nl, today_nl};
use crate::ui::{Chrome, render};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/shared", get(shared))
        .route("/shared/{id}", get(shared_plan))
}

pub struct SharedRow {
    pub resident_id: ResidentId,
    pub name: String,
    pub since: String,
}

#[derive(Template)]
#[template(path = "shared/page.html")]
pub struct SharedPage {
    pub chrome: Chrome,
    pub rows: Vec<SharedRow>,
}

pub async fn shared(
    State(state): State<AppState>,
    user: Require<TrustedPerson>,
) -> Result<Response, AppError> {
    let t = user.t;
    let rows = state
        .store
        .read(&user.actor, async |cx| read::shared::page(cx).await)
        .await?
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

/// A shared plan, for a trusted person (or a professional the resident
/// invited). The store refuses when the resident no longer shares it.
pub async fn shared_plan(
    State(state): State<AppState>,
    user: Require<InvitedParty>,
    Path(resident_id): Path<ResidentId>,
) -> Result<Response, AppError> {
    let t = user.t;
    let plan = state
        .store
        .read(&user.actor, async |cx| {
            read::shared_plan::page(cx, resident_id).await
        })
        .await?;
    Ok(render(&PlanPage {
        chrome: Chrome::for_user(
            &user,
            t.with(
                "portal-shared-plan-title",
                &[("name", plan.resident_name.clone())],
            ),
            &state,
        ),
        csrf: user.csrf(),
        whose: Some(plan.resident_name.clone()),
        own: false,
        goals: plan.goals.iter().map(|g| g.text.clone()).collect(),
        agreements: plan.agreements.iter().map(|g| g.text.clone()).collect(),
        notes: note_views(t, &plan),
        notice: None,
        error: None,
        kinds: Vec::new(),
        text: String::new(),
        errors: FormErrors::default(),
    }))
}
