//! The resident's plan as the resident and those they share it with see it,
//! and the notes residents add to it.

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use waakvlam_domain::access::AccessAction;

use super::{Part, allowed, clean_text, own_resident};
use crate::care_record::{self, NewProgress};
use crate::entity::{account, plan_item, plan_progress, resident};
use crate::{Cx, PlanItemId, ProgressId, ResidentId, StoreError, StoreResult, from_millis};

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
    fn heading(self) -> &'static str {
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
