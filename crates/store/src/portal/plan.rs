//! The resident's plan as the resident and those they share it with see it,
//! and the notes residents add to it.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use waakvlam_domain::access::AccessAction;
use waakvlam_domain::plan::{ProposalStatus, check_item_text};

use super::{Part, allowed, clean_text, own_resident};
use crate::care_record::{self, NewProgress};
use crate::entity::{account, plan_item, plan_progress, plan_proposal, resident};
use crate::{
    Cx, PlanItemId, ProgressId, ProposalId, ResidentId, StoreError, StoreResult, from_millis,
    millis,
};

/// One entry of the plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanLine {
    pub id: PlanItemId,
    pub text: String,
}

/// A progress note, newest first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProgressLine {
    pub at: DateTime<Utc>,
    pub author: String,
    /// Written by the resident themselves.
    pub by_resident: bool,
    pub text: String,
}

/// A resident's plan as the resident and those they share it with see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SharedPlan {
    pub resident_name: String,
    pub goals: Vec<PlanLine>,
    pub agreements: Vec<PlanLine>,
    pub progress: Vec<ProgressLine>,
}

/// The plan of `resident_id`, for the resident, their care team, and the
/// parties the resident shares it with, checked at this moment. A refusal
/// is noted on `cx`; a success is logged by the page that shows it.
pub(crate) async fn shared_plan(cx: &Cx<'_>, resident_id: ResidentId) -> StoreResult<SharedPlan> {
    let objects = format!("resident:{resident_id}:plan");
    allowed(cx, resident_id, Part::Plan, AccessAction::Read, &objects).await?;
    let tx = cx.conn();
    let res = resident::Entity::find_by_id(resident_id.get())
        .one(tx)
        .await?
        .ok_or(StoreError::NotFound { what: "resident" })?;
    let resident_account = account::Entity::find()
        .filter(account::Column::ResidentId.eq(resident_id))
        .one(tx)
        .await?
        .map(|a| a.id);
    let items = plan_item::Entity::find()
        .filter(plan_item::Column::ResidentId.eq(resident_id))
        .filter(plan_item::Column::ArchivedAt.is_null())
        .order_by_asc(plan_item::Column::Position)
        .all(tx)
        .await?;
    let (mut goals, mut agreements) = (Vec::new(), Vec::new());
    for i in items {
        let line = PlanLine {
            id: PlanItemId::new(i.id),
            text: i.text,
        };
        if i.kind == care_record::PlanItemKind::Goal.as_str() {
            goals.push(line);
        } else {
            agreements.push(line);
        }
    }
    let rows = plan_progress::Entity::find()
        .filter(plan_progress::Column::ResidentId.eq(resident_id))
        .order_by_desc(plan_progress::Column::CreatedAt)
        .order_by_desc(plan_progress::Column::Id)
        .limit(20)
        .all(tx)
        .await?;
    let authors = rows.iter().filter_map(|p| p.author_account_id).collect();
    let names = crate::accounts::display_names(cx, authors).await?;
    let progress = rows
        .into_iter()
        .map(|p| ProgressLine {
            at: from_millis(p.created_at),
            author: p
                .author_account_id
                .and_then(|id| names.get(&id).cloned())
                .unwrap_or_default(),
            by_resident: p.author_account_id.is_some() && p.author_account_id == resident_account,
            text: p.text,
        })
        .collect();
    Ok(SharedPlan {
        resident_name: res.display_name(),
        goals,
        agreements,
        progress,
    })
}

/// What a resident's progress note is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoteKind {
    /// "Dit ging goed".
    WentWell,
    /// "Hier wil ik hulp bij".
    WantHelp,
}

impl NoteKind {
    pub fn parse(s: &str) -> Option<NoteKind> {
        match s {
            "went_well" => Some(NoteKind::WentWell),
            "want_help" => Some(NoteKind::WantHelp),
            _ => None,
        }
    }

    /// The note is stored with its heading, so the professional reads it as
    /// the resident meant it.
    pub(crate) fn heading(self) -> &'static str {
        match self {
            NoteKind::WentWell => "Dit ging goed",
            NoteKind::WantHelp => "Hier wil ik hulp bij",
        }
    }
}

/// The resident adds a progress note to their own plan.
pub async fn add_note(cx: &Cx<'_>, kind: NoteKind, text: String) -> StoreResult<ProgressId> {
    let resident_id = own_resident(cx, AccessAction::Create, "plan_progress")?;
    let text = clean_text("text", Some(text), true)?.unwrap_or_default();
    let note = NewProgress {
        resident_id,
        plan_item_id: None,
        author_account_id: cx.actor.account_id,
        text: format!("{}: {text}", kind.heading()),
        at: cx.now,
    };
    care_record::add_progress(cx, &note).await
}

/// A goal the resident proposed, and where it stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Proposal {
    pub id: ProposalId,
    pub text: String,
    pub proposed_at: DateTime<Utc>,
    pub status: ProposalStatus,
    /// What the professional wants to talk about (when discussing).
    pub answer_note: Option<String>,
    pub answered_at: Option<DateTime<Utc>>,
}

/// The resident proposes a goal for their own plan; their professional
/// accepts it (it becomes a goal) or wants to discuss it first. Only the
/// resident themselves: anyone else is refused and logged.
pub async fn propose(cx: &Cx<'_>, text: &str) -> StoreResult<ProposalId> {
    let resident_id = own_resident(cx, AccessAction::Create, "plan_proposal")?;
    let text = text.trim();
    check_item_text("text", text)?;
    let m = plan_proposal::ActiveModel {
        resident_id: Set(resident_id.get()),
        text: Set(text.to_owned()),
        proposed_by: Set(cx.actor.account_id.map(i64::from)),
        proposed_at: Set(millis(cx.now)),
        status: Set(ProposalStatus::Open.as_str().to_owned()),
        answered_by: Set(None),
        answered_at: Set(None),
        answer_note: Set(None),
        plan_item_id: Set(None),
        ..Default::default()
    }
    .insert(cx.conn())
    .await?;
    cx.log(
        AccessAction::Create,
        Some(resident_id),
        format!("plan_proposal:{}", m.id),
    );
    Ok(ProposalId::new(m.id))
}

/// The resident's proposals, newest first; `open_only` leaves out those that
/// became goals. Not logged: the page that shows them logs the plan.
pub(crate) async fn proposals(
    cx: &Cx<'_>,
    resident_id: ResidentId,
    open_only: bool,
) -> StoreResult<Vec<Proposal>> {
    let mut q =
        plan_proposal::Entity::find().filter(plan_proposal::Column::ResidentId.eq(resident_id));
    if open_only {
        q = q.filter(plan_proposal::Column::Status.ne(ProposalStatus::Accepted.as_str()));
    }
    let rows = q
        .order_by_desc(plan_proposal::Column::ProposedAt)
        .order_by_desc(plan_proposal::Column::Id)
        .limit(50)
        .all(cx.conn())
        .await?;
    Ok(rows
        .into_iter()
        .map(|p| Proposal {
            id: ProposalId::new(p.id),
            text: p.text,
            proposed_at: from_millis(p.proposed_at),
            status: ProposalStatus::parse(&p.status).unwrap_or(ProposalStatus::Open),
            answer_note: p.answer_note,
            answered_at: p.answered_at.map(from_millis),
        })
        .collect())
}
