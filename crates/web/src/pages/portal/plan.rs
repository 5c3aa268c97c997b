//! The resident's plan (`/me/plan`) and their notes on it.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use waakvlam_store::portal::plan::{self as store_plan, NoteKind, SharedPlan};
use waakvlam_store::read;

use super::refused;
use crate::AppState;
use crate::i18n::Tr;
use crate::ui::error::AppError;
use crate::ui::extract::{CsrfForm, Require, Resident};
use crate::ui::form::DoneQuery;
use crate::ui::form::{Choice, FormErrors};
use crate::ui::format::{date_nl, today_nl};
use crate::ui::session::CurrentUser;
use crate::ui::{Chrome, Flash, render_form};

pub struct NoteView {
    pub when: String,
    pub who: String,
    pub text: String,
}

#[derive(Template)]
#[template(path = "portal/plan.html")]
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
    /// "Went well" or "want help" for a new note.
    pub kinds: Vec<Choice>,
    pub text: String,
    /// For a party the resident chose: the thread, and where to post in it.
    pub errors: FormErrors,
}

pub(crate) fn note_views(t: Tr, plan: &SharedPlan) -> Vec<NoteView> {
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

pub async fn plan(
    State(state): State<AppState>,
    user: Require<Resident>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let notice = q
        .done
        .is_some()
        .then(|| user.t.get("portal-plan-note-saved"));
    plan_page(
        &state,
        &user,
        Flash::notice(notice),
        FormErrors::default(),
        String::new(),
        String::new(),
    )
    .await
}

async fn plan_page(
    state: &AppState,
    user: &CurrentUser,
    flash: Flash,
    errors: FormErrors,
    kind: String,
    text: String,
) -> Result<Response, AppError> {
    let t = user.t;
    let plan = state
        .store
        .read(&user.actor, async |cx| read::portal_plan::page(cx).await)
        .await?;
    let failed = flash.error.is_some();
    Ok(render_form(
        &PlanPage {
            chrome: Chrome::for_user(user, t.get("portal-plan-title"), state),
            csrf: user.csrf(),
            whose: None,
            own: true,
            goals: plan.goals.iter().map(|g| g.text.clone()).collect(),
            agreements: plan.agreements.iter().map(|g| g.text.clone()).collect(),
            notes: note_views(t, &plan),
            notice: flash.notice,
            error: flash.error,
            kinds: note_kinds(t, if kind.is_empty() { "went_well" } else { &kind }),
            text,
            errors,
        },
        failed,
    ))
}

/// The kinds of note a resident writes, `chosen` checked.
pub fn note_kinds(t: Tr, chosen: &str) -> Vec<Choice> {
    [
        ("went_well", "portal-plan-went-well"),
        ("want_help", "portal-plan-want-help"),
    ]
    .into_iter()
    .map(|(value, key)| Choice::new(value, t.get(key), value == chosen))
    .collect()
}

#[derive(Deserialize, Default)]
pub struct NoteForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    text: String,
}

pub async fn add_note(
    State(state): State<AppState>,
    CsrfForm(user, form): CsrfForm<Resident, NoteForm>,
) -> Result<Response, AppError> {
    let t = user.t;
    let Some(kind) = NoteKind::parse(&form.kind) else {
        let error = t.get("portal-plan-choose");
        let mut errors = FormErrors::default();
        errors.add("kind", error.clone());
        return plan_page(
            &state,
            &user,
            Flash::error(error),
            errors,
            form.kind,
            form.text,
        )
        .await;
    };
    let text = form.text.clone();
    let saved = state
        .store
        .write(&user.actor, async move |cx| {
            store_plan::add_note(cx, kind, text).await
        })
        .await;
    match saved {
        Ok(_) => Ok(Redirect::to("/me/plan?done=1").into_response()),
        Err(e) => {
            let (flash, errors) = refused(t, e, &["text"])?;
            plan_page(&state, &user, flash, errors, form.kind, form.text).await
        }
    }
}
