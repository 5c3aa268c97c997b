//! What trusted persons see (`/shared`): the plans shared with them. They
//! read the plan, nothing more, as the resident's invitation promises; the
//! message thread is between the resident and their care team.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use serde::Deserialize;
use waakvlam_store::ResidentId;
use waakvlam_store::portal::consent;
use waakvlam_store::read;

use crate::AppState;
use crate::pages::auth;
use crate::pages::portal::plan::{PlanPage, note_views};
use crate::ui::error::AppError;
use crate::ui::extract::{CsrfForm, InvitedParty, Require};
use crate::ui::form::FormErrors;
use crate::ui::form::Refusal;
use crate::ui::format::{date_nl, today_nl};
use crate::ui::routes::Routes;
use crate::ui::session::CurrentUser;
use crate::ui::{Chrome, render};
use axum::http::StatusCode;
use waakvlam_store::throttle;

pub fn routes() -> Routes {
    Routes::new()
        .route("/shared", get(shared))
        .route("/shared/invitations", post(accept_invitation))
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
    pub csrf: String,
    pub rows: Vec<SharedRow>,
    pub error: Option<String>,
    pub code: String,
    pub errors: FormErrors,
}

pub async fn shared(
    State(state): State<AppState>,
    user: Require<InvitedParty>,
) -> Result<Response, AppError> {
    shared_page(
        &state,
        &user,
        StatusCode::OK,
        None,
        String::new(),
        FormErrors::default(),
    )
    .await
}

async fn shared_page(
    state: &AppState,
    user: &CurrentUser,
    status: StatusCode,
    error: Option<String>,
    code: String,
    errors: FormErrors,
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
    let page = render(&SharedPage {
        chrome: Chrome::for_user(user, t.get("portal-shared-title"), state),
        csrf: user.csrf(),
        rows,
        error,
        code,
        errors,
    });
    Ok((status, page).into_response())
}

#[derive(Deserialize)]
pub struct AcceptForm {
    #[serde(default)]
    code: String,
}

/// Someone with an account accepts an invitation with the code the resident
/// gave them; it must be for their own address. Guessing is throttled per
/// account.
pub async fn accept_invitation(
    State(state): State<AppState>,
    CsrfForm(user, form): CsrfForm<InvitedParty, AcceptForm>,
) -> Result<Response, AppError> {
    let t = user.t;
    let store = &state.store;
    let key = throttle::address_key(&format!("invitation:account:{}", user.account().id));
    if let Some(minutes) = auth::code_attempt(&state, &key).await? {
        let text = t.with("login-locked", &[("minutes", minutes.to_string())]);
        return shared_page(
            &state,
            &user,
            StatusCode::TOO_MANY_REQUESTS,
            Some(text),
            form.code,
            FormErrors::default(),
        )
        .await;
    }
    let accepted = store
        .write(&user.actor, async |cx| {
            consent::accept(cx, &form.code).await
        })
        .await;
    match accepted {
        Ok(a) => {
            auth::refund(store, &key).await?;
            Ok(Redirect::to(&format!("/shared/{}", a.resident_id)).into_response())
        }
        Err(e) => {
            let refusal = Refusal::of(e)?;
            let (field, text) = crate::pages::invitation::code_refusal_text(t, &refusal);
            let mut errors = FormErrors::default();
            errors.add(&field, text.clone());
            shared_page(
                &state,
                &user,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(text),
                form.code,
                errors,
            )
            .await
        }
    }
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
        notes: note_views(t, &plan, today_nl(state.store.now())),
        notice: None,
        error: None,
        kinds: Vec::new(),
        text: String::new(),
        errors: FormErrors::default(),
        proposals: Vec::new(),
        proposal: String::new(),
        proposal_errors: FormErrors::default(),
        contact: None,
        printing: false,
    }))
}
