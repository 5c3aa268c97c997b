//! The resident's plan (`/me/plan`), their notes on it, the goals they
//! propose to their professional (`/me/plan/proposals`), and the plan on
//! paper (`/me/plan/print`).

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use waakvlam_domain::plan::ProposalStatus;
use waakvlam_store::portal::plan::{self as store_plan, NoteKind, Proposal, SharedPlan};
use waakvlam_store::read;

use super::refused;
use crate::AppState;
use crate::i18n::Tr;
use crate::ui::error::AppError;
use crate::ui::extract::{CsrfForm, Require, Resident};
use crate::ui::form::DoneQuery;
use crate::ui::form::{Choice, FormErrors};
use crate::ui::format::{day_in_words, today_nl};
use crate::ui::session::CurrentUser;
use crate::ui::{Chrome, Flash, render_form};
use chrono::NaiveDate;

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
    /// The goals the resident proposed, and where each stands.
    pub proposals: Vec<ProposalLine>,
    /// What was typed as a proposal, when it was refused.
    pub proposal: String,
    pub proposal_errors: FormErrors,
    /// Who helps the resident (on the printed plan).
    pub contact: Option<String>,
    /// The print-friendly view: no forms.
    pub printing: bool,
}

/// A proposed goal: its words and where it stands, in B1.
pub struct ProposalLine {
    pub text: String,
    pub state: String,
}

fn proposal_lines(t: Tr, proposals: &[Proposal], today: NaiveDate) -> Vec<ProposalLine> {
    proposals
        .iter()
        .map(|p| {
            let date = day_in_words(t, today_nl(p.proposed_at), today);
            let state = match p.status {
                ProposalStatus::Open => t.with("portal-proposal-open", &[("date", date)]),
                ProposalStatus::Discuss => match &p.answer_note {
                    Some(note) => t.with(
                        "portal-proposal-discuss-note",
                        &[("date", date), ("note", note.clone())],
                    ),
                    None => t.with("portal-proposal-discuss", &[("date", date)]),
                },
                ProposalStatus::Accepted => t.with("portal-proposal-accepted", &[("date", date)]),
            };
            ProposalLine {
                text: p.text.clone(),
                state,
            }
        })
        .collect()
}

/// What the resident typed in one of the page's forms, refused.
#[derive(Default)]
struct Typed {
    kind: String,
    text: String,
    errors: FormErrors,
    proposal: String,
    proposal_errors: FormErrors,
}

pub(crate) fn note_views(t: Tr, plan: &SharedPlan, today: NaiveDate) -> Vec<NoteView> {
    plan.progress
        .iter()
        .map(|p| NoteView {
            when: day_in_words(t, today_nl(p.at), today),
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
    let notice = q.done.as_deref().map(|d| {
        user.t.get(match d {
            "proposal" => "portal-plan-proposal-saved",
            _ => "portal-plan-note-saved",
        })
    });
    plan_page(
        &state,
        &user,
        Flash::notice(notice),
        Typed::default(),
        false,
    )
    .await
}

/// `GET /me/plan/print`: the plan without forms, for paper.
pub async fn print(
    State(state): State<AppState>,
    user: Require<Resident>,
) -> Result<Response, AppError> {
    plan_page(&state, &user, Flash::default(), Typed::default(), true).await
}

async fn plan_page(
    state: &AppState,
    user: &CurrentUser,
    flash: Flash,
    typed: Typed,
    printing: bool,
) -> Result<Response, AppError> {
    let t = user.t;
    let own = state
        .store
        .read(&user.actor, async |cx| read::portal_plan::page(cx).await)
        .await?;
    let plan = &own.plan;
    let today = today_nl(state.store.now());
    let failed = flash.error.is_some();
    let title = if printing {
        t.with(
            "portal-plan-print-title",
            &[("name", plan.resident_name.clone())],
        )
    } else {
        t.get("portal-plan-title")
    };
    Ok(render_form(
        &PlanPage {
            chrome: Chrome::for_user(user, title, state),
            csrf: user.csrf(),
            whose: None,
            own: true,
            goals: plan.goals.iter().map(|g| g.text.clone()).collect(),
            agreements: plan.agreements.iter().map(|g| g.text.clone()).collect(),
            notes: note_views(t, plan, today),
            notice: flash.notice,
            error: flash.error,
            kinds: note_kinds(
                t,
                if typed.kind.is_empty() {
                    "went_well"
                } else {
                    &typed.kind
                },
            ),
            text: typed.text,
            errors: typed.errors,
            proposals: proposal_lines(t, &own.proposals, today),
            proposal: typed.proposal,
            proposal_errors: typed.proposal_errors,
            contact: own.contact_person.as_ref().map(|c| match &c.phone {
                Some(phone) => format!("{} ({phone})", c.name),
                None => c.name.clone(),
            }),
            printing,
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
        let typed = Typed {
            kind: form.kind,
            text: form.text,
            errors,
            ..Typed::default()
        };
        return plan_page(&state, &user, Flash::error(error), typed, false).await;
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
            let typed = Typed {
                kind: form.kind,
                text: form.text,
                errors,
                ..Typed::default()
            };
            plan_page(&state, &user, flash, typed, false).await
        }
    }
}

#[derive(Deserialize, Default)]
pub struct ProposalForm {
    #[serde(default)]
    text: String,
}

/// `POST /me/plan/proposals`: the resident proposes a goal; their
/// professional answers it on the resident page.
pub async fn propose(
    State(state): State<AppState>,
    CsrfForm(user, form): CsrfForm<Resident, ProposalForm>,
) -> Result<Response, AppError> {
    let saved = state
        .store
        .write(&user.actor, async |cx| {
            store_plan::propose(cx, &form.text).await
        })
        .await;
    match saved {
        Ok(_) => Ok(Redirect::to("/me/plan?done=proposal").into_response()),
        Err(e) => {
            let (flash, errors) = refused(user.t, e, &["text"])?;
            let typed = Typed {
                proposal: form.text,
                proposal_errors: errors,
                ..Typed::default()
            };
            plan_page(&state, &user, flash, typed, false).await
        }
    }
}
