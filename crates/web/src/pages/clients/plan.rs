//! The plan written together with the resident (`/clients/{id}/plan/…`):
//! a new goal or agreement, changing its words, taking it off the plan
//! ("afgerond", "vervalt"), answering the resident's proposals, and a
//! print-friendly plan. The store decides who may write (the care team,
//! unless the resident took the plan away) and keeps every change with who
//! and when; the resident page shows that history per item.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use serde::Deserialize;
use waakvlam_domain::plan::{ArchiveReason, PlanItemKind, ProposalStatus};
use waakvlam_domain::refusal::Reason;
use waakvlam_store::care_plan::{self, Answer, ItemChange, ItemEvent};
use waakvlam_store::read::resident::{self, PlanEntry, ResidentFile};
use waakvlam_store::{PlanItemId, ProposalId, ResidentId};

use super::page::{Sent, refuse, respond};
use crate::AppState;
use crate::i18n::Tr;
use crate::ui::error::AppError;
use crate::ui::extract::{Care, CsrfForm, Require};
use crate::ui::form::{Choice, FormErrors};
use crate::ui::format::{date_nl, today_nl, when_nl};
use crate::ui::{Chrome, render};

/// A goal or agreement as the resident page shows it.
pub struct PlanItemView {
    pub id: PlanItemId,
    /// The ids of its forms' fields start with this (`plan-7`).
    pub prefix: String,
    pub text: String,
    /// What the change form shows (what was typed, after a refusal).
    pub shown: String,
    /// "Afgerond op 02-12-2026" for an archived item.
    pub archived: Option<String>,
    /// Who changed what when, oldest first.
    pub history: Vec<String>,
    pub reasons: Vec<Choice>,
    pub errors: FormErrors,
}

/// A goal the resident proposed.
pub struct ProposalView {
    pub id: ProposalId,
    pub prefix: String,
    pub text: String,
    /// "Voorgesteld op …; je wilde het eerst bespreken."
    pub state: String,
    pub shown_text: String,
    pub shown_note: String,
    pub errors: FormErrors,
}

/// The plan section of the resident page.
#[derive(Default)]
pub struct PlanViews {
    pub goals: Vec<PlanItemView>,
    pub agreements: Vec<PlanItemView>,
    pub archived: Vec<PlanItemView>,
    pub proposals: Vec<ProposalView>,
}

impl PlanViews {
    pub fn is_empty(&self) -> bool {
        self.goals.is_empty() && self.agreements.is_empty()
    }

    /// The goals and the agreements, each under its heading (a message id).
    pub fn lists(&self) -> [(&'static str, &[PlanItemView]); 2] {
        [
            ("client-goals", self.goals.as_slice()),
            ("client-agreements", self.agreements.as_slice()),
        ]
    }

    /// Every live item and proposal, for the error summaries at the top.
    pub fn failed(&self) -> Vec<(&str, &FormErrors)> {
        self.goals
            .iter()
            .chain(&self.agreements)
            .map(|i| (i.prefix.as_str(), &i.errors))
            .chain(
                self.proposals
                    .iter()
                    .map(|p| (p.prefix.as_str(), &p.errors)),
            )
            .filter(|(_, e)| !e.is_empty())
            .collect()
    }
}

/// One line of an item's history: "02-12-2026 14:05 — Anna: changed …".
pub fn history_line(t: Tr, c: &ItemChange) -> String {
    let what = match &c.event {
        ItemEvent::Proposed { text } => t.with("plan-history-proposed", &[("text", text.clone())]),
        ItemEvent::Written { text } => t.with("plan-history-written", &[("text", text.clone())]),
        ItemEvent::Changed { from, to } => t.with(
            "plan-history-changed",
            &[("from", from.clone()), ("to", to.clone())],
        ),
        ItemEvent::Archived { reason } => t.get(reason.fluent_key()),
    };
    let who = c.by.clone().unwrap_or_else(|| t.get("plan-history-system"));
    format!("{} — {who}: {what}", when_nl(c.at))
}

fn reasons(t: Tr, chosen: &str) -> Vec<Choice> {
    ArchiveReason::ALL
        .iter()
        .map(|r| Choice::new(r.as_str(), t.get(r.fluent_key()), r.as_str() == chosen))
        .collect()
}

/// The views of the plan; the errors of a refused item or proposal go to
/// its own form. What belongs to none (it left the plan meanwhile) is given
/// back for the top of the page.
pub fn plan_views(
    t: Tr,
    file: &ResidentFile,
    item: Option<(PlanItemId, String, String)>,
    proposal: Option<(ProposalId, String, String)>,
    mut errors: FormErrors,
) -> (PlanViews, FormErrors) {
    // Only an item still on the plan has forms to show errors at.
    let mut view = |e: &PlanEntry| {
        let refused = item
            .as_ref()
            .filter(|(id, _, _)| *id == e.id && e.archived.is_none());
        PlanItemView {
            id: e.id,
            prefix: format!("plan-{}", e.id),
            text: e.text.clone(),
            shown: refused.map_or_else(|| e.text.clone(), |(_, text, _)| text.clone()),
            archived: e.archived.map(|(reason, at)| {
                t.with(
                    "plan-archived-on",
                    &[
                        ("reason", t.get(reason.fluent_key())),
                        ("date", date_nl(today_nl(at))),
                    ],
                )
            }),
            history: e.history.iter().map(|c| history_line(t, c)).collect(),
            reasons: reasons(t, refused.map_or("done", |(_, _, r)| r.as_str())),
            errors: if refused.is_some() {
                std::mem::take(&mut errors)
            } else {
                FormErrors::default()
            },
        }
    };
    let goals = file
        .plan
        .iter()
        .filter(|e| e.kind == PlanItemKind::Goal)
        .map(&mut view)
        .collect();
    let agreements = file
        .plan
        .iter()
        .filter(|e| e.kind == PlanItemKind::Agreement)
        .map(&mut view)
        .collect();
    let archived = file.archived.iter().map(&mut view).collect();
    let proposals = file
        .proposals
        .iter()
        .map(|p| {
            let refused = proposal.as_ref().filter(|(id, _, _)| *id == p.id);
            let mut state = t.with(
                "plan-proposal-state",
                &[("date", date_nl(today_nl(p.proposed_at)))],
            );
            if p.status == ProposalStatus::Discuss {
                state.push(' ');
                state.push_str(&t.get("plan-proposal-discussing"));
                if let Some(note) = &p.answer_note {
                    state.push_str(&format!(" “{note}”"));
                }
            }
            ProposalView {
                id: p.id,
                prefix: format!("proposal-{}", p.id),
                text: p.text.clone(),
                state,
                shown_text: refused.map_or_else(|| p.text.clone(), |(_, text, _)| text.clone()),
                shown_note: refused.map(|(_, _, note)| note.clone()).unwrap_or_default(),
                errors: if refused.is_some() {
                    std::mem::take(&mut errors)
                } else {
                    FormErrors::default()
                },
            }
        })
        .collect();
    (
        PlanViews {
            goals,
            agreements,
            archived,
            proposals,
        },
        errors,
    )
}

#[derive(Deserialize)]
pub struct AddForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    text: String,
}

/// `POST /clients/{id}/plan/items`: a new goal or agreement.
pub async fn add_item(
    State(state): State<AppState>,
    Path(id): Path<ResidentId>,
    CsrfForm(user, form): CsrfForm<Care, AddForm>,
) -> Result<Response, AppError> {
    let sent = Sent::PlanAdd {
        kind: form.kind.clone(),
        text: form.text.clone(),
    };
    let Ok(kind) = PlanItemKind::parse(&form.kind) else {
        let mut errors = FormErrors::default();
        errors.add(
            "kind",
            user.t.refusal(&Reason::new("plan-kind-choose"), None),
        );
        return refuse(&state, &user, id, sent, errors).await;
    };
    let result = state
        .store
        .write(&user.actor, async |cx| {
            care_plan::add_item(cx, id, kind, &form.text).await
        })
        .await;
    respond(&state, &user, id, result, "plan", sent, &[]).await
}

#[derive(Deserialize)]
pub struct ChangeForm {
    #[serde(default)]
    text: String,
}

/// `POST /clients/{id}/plan/items/{item_id}`: new words for an item.
pub async fn change_item(
    State(state): State<AppState>,
    Path((id, item_id)): Path<(ResidentId, PlanItemId)>,
    CsrfForm(user, form): CsrfForm<Care, ChangeForm>,
) -> Result<Response, AppError> {
    let result = state
        .store
        .write(&user.actor, async |cx| {
            care_plan::change_text(cx, id, item_id, &form.text).await
        })
        .await;
    let sent = Sent::PlanItem {
        id: item_id,
        text: form.text,
        reason: String::new(),
    };
    respond(&state, &user, id, result, "plan", sent, &[]).await
}

#[derive(Deserialize)]
pub struct ArchiveForm {
    #[serde(default)]
    reason: String,
}

/// `POST /clients/{id}/plan/items/{item_id}/archive`: done or lapsed.
pub async fn archive_item(
    State(state): State<AppState>,
    Path((id, item_id)): Path<(ResidentId, PlanItemId)>,
    CsrfForm(user, form): CsrfForm<Care, ArchiveForm>,
) -> Result<Response, AppError> {
    let sent = || Sent::PlanItem {
        id: item_id,
        text: String::new(),
        reason: form.reason.clone(),
    };
    let Ok(reason) = ArchiveReason::parse(&form.reason) else {
        let mut errors = FormErrors::default();
        errors.add(
            "reason",
            user.t.refusal(&Reason::new("plan-archive-choose"), None),
        );
        return refuse(&state, &user, id, sent(), errors).await;
    };
    let result = state
        .store
        .write(&user.actor, async |cx| {
            care_plan::archive(cx, id, item_id, reason).await
        })
        .await;
    respond(&state, &user, id, result, "plan-archived", sent(), &[]).await
}

#[derive(Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    action: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    note: String,
}

/// `POST /clients/{id}/plan/proposals/{proposal_id}`: accept the resident's
/// proposal as a goal (in words agreed together), or discuss it first.
pub async fn answer_proposal(
    State(state): State<AppState>,
    Path((id, proposal_id)): Path<(ResidentId, ProposalId)>,
    CsrfForm(user, form): CsrfForm<Care, AnswerForm>,
) -> Result<Response, AppError> {
    let sent = || Sent::Proposal {
        id: proposal_id,
        text: form.text.clone(),
        note: form.note.clone(),
    };
    let (answer, done) = match form.action.as_str() {
        "accept" => (
            Answer::Accept {
                text: form.text.clone(),
            },
            "proposal-accepted",
        ),
        "discuss" => (
            Answer::Discuss {
                note: form.note.clone(),
            },
            "proposal-discuss",
        ),
        other => {
            // Only the page's two buttons send an action.
            let mut errors = FormErrors::default();
            errors.add(
                "text",
                user.t
                    .refusal(&Reason::new("choose").with("value", other), None),
            );
            return refuse(&state, &user, id, sent(), errors).await;
        }
    };
    let result = state
        .store
        .write(&user.actor, async |cx| {
            care_plan::answer_proposal(cx, id, proposal_id, &answer).await
        })
        .await;
    respond(&state, &user, id, result, done, sent(), &[]).await
}

/// The plan on paper: goals, agreements, recent progress, the agreed result
/// and the contact person; no forms. The print stylesheet does the rest.
#[derive(Template)]
#[template(path = "clients/plan_print.html")]
pub struct PrintPage {
    pub chrome: Chrome,
    pub resident_id: ResidentId,
    pub withheld: bool,
    pub goals: Vec<String>,
    pub agreements: Vec<String>,
    pub progress: Vec<String>,
    pub agreed_result: Option<String>,
    pub contact_person: String,
    pub printed: String,
}

/// `GET /clients/{id}/plan/print`.
pub async fn print(
    State(state): State<AppState>,
    user: Require<Care>,
    Path(id): Path<ResidentId>,
) -> Result<Response, AppError> {
    let t = user.t;
    let today = today_nl(state.store.now());
    let file = state
        .store
        .read(&user.actor, async |cx| resident::plan(cx, id, today).await)
        .await?;
    let texts = |kind: PlanItemKind| {
        file.plan
            .iter()
            .filter(|e| e.kind == kind)
            .map(|e| e.text.clone())
            .collect()
    };
    let page = PrintPage {
        chrome: Chrome::for_user(
            &user,
            t.with(
                "plan-print-title",
                &[("name", file.resident.display_name())],
            ),
            &state,
        ),
        resident_id: id,
        withheld: file.plan_withheld,
        goals: texts(PlanItemKind::Goal),
        agreements: texts(PlanItemKind::Agreement),
        progress: file
            .progress
            .iter()
            .map(|p| format!("{} — {}", date_nl(today_nl(p.at)), p.text))
            .collect(),
        agreed_result: file
            .current
            .as_ref()
            .and_then(|(i, _)| i.agreed_result.clone()),
        contact_person: file
            .contact_person
            .clone()
            .unwrap_or_else(|| t.get("unassigned")),
        printed: t.with("plan-print-date", &[("date", date_nl(today))]),
    };
    Ok(render(&page))
}
