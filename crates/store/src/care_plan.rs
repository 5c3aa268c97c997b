//! The plan a professional writes together with the resident (issue 12):
//! goals and agreements in the resident's words, changed and archived
//! ("afgerond", "vervalt"), and the answer to a goal the resident proposed
//! (`portal::plan::propose`).
//!
//! Only the resident's care team writes, and only while the resident has
//! not taken the plan away from them: [`crate::portal::allowed`] with
//! `Part::Plan`, the one check behind every page that shows the plan. Each
//! change is kept in `change_record` (entity `plan_item`) with who and when;
//! [`history`] reads it back for the page.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
};
use waakvlam_domain::access::AccessAction;
use waakvlam_domain::limits::{self, TextClass};
use waakvlam_domain::plan::{ArchiveReason, PlanItemKind, ProposalStatus, check_item_text};
use waakvlam_domain::refusal::Reason;

use crate::care_record;
use crate::changes::{self, Change};
use crate::entity::{change_record, plan_item, plan_proposal};
use crate::portal::{Part, Viewer, allowed};
use crate::{Cx, PlanItemId, ProposalId, ResidentId, StoreError, StoreResult, from_millis, millis};

/// The change-record entity of plan items.
const ENTITY: &str = "plan_item";

/// The actor may write `resident_id`'s plan: their care team, unless the
/// resident took the plan away from them. Anyone else is refused and logged.
async fn may_write(
    cx: &Cx<'_>,
    resident_id: ResidentId,
    action: AccessAction,
    objects: &str,
) -> StoreResult<()> {
    match allowed(cx, resident_id, Part::Plan, action, objects).await? {
        Viewer::Care => Ok(()),
        // The resident proposes (`portal::plan::propose`); someone the
        // resident shares the plan with reads it, nothing more.
        Viewer::Resident | Viewer::Consent => Err(cx.deny(action, Some(resident_id), objects)),
    }
}

/// The item text, trimmed; refused when empty or too long.
fn clean(field: &str, text: &str) -> StoreResult<String> {
    let text = text.trim();
    check_item_text(field, text)?;
    Ok(text.to_owned())
}

/// A live (not archived) item of this resident, or a logged refusal.
async fn live_item(
    cx: &Cx<'_>,
    resident_id: ResidentId,
    item_id: PlanItemId,
    action: AccessAction,
) -> StoreResult<plan_item::Model> {
    let Some(item) = plan_item::Entity::find_by_id(item_id.get())
        .filter(plan_item::Column::ResidentId.eq(resident_id))
        .one(cx.conn())
        .await?
    else {
        return Err(cx.not_found(
            action,
            Some(resident_id),
            format!("plan_item:{item_id}"),
            "plan item",
        ));
    };
    if item.archived_at.is_some() {
        return Err(StoreError::conflict("", Reason::new("plan-item-archived")));
    }
    Ok(item)
}

/// Writes a new goal or agreement, in the resident's words.
pub async fn add_item(
    cx: &Cx<'_>,
    resident_id: ResidentId,
    kind: PlanItemKind,
    text: &str,
) -> StoreResult<PlanItemId> {
    let text = clean("text", text)?;
    may_write(
        cx,
        resident_id,
        AccessAction::Create,
        &format!("resident:{resident_id}:plan"),
    )
    .await?;
    let id = care_record::add_plan_item(cx, resident_id, kind, &text, cx.now).await?;
    record(cx, id, "text", None, Some(text)).await?;
    Ok(id)
}

/// Changes the text of a goal or agreement; the old words stay in its history.
pub async fn change_text(
    cx: &Cx<'_>,
    resident_id: ResidentId,
    item_id: PlanItemId,
    text: &str,
) -> StoreResult<()> {
    let text = clean("text", text)?;
    may_write(
        cx,
        resident_id,
        AccessAction::Update,
        &format!("plan_item:{item_id}"),
    )
    .await?;
    let item = live_item(cx, resident_id, item_id, AccessAction::Update).await?;
    if item.text == text {
        return Ok(());
    }
    record(
        cx,
        item_id,
        "text",
        Some(item.text.clone()),
        Some(text.clone()),
    )
    .await?;
    let mut am: plan_item::ActiveModel = item.into();
    am.text = Set(text);
    am.updated_at = Set(millis(cx.now));
    am.update(cx.conn()).await?;
    cx.log(
        AccessAction::Update,
        Some(resident_id),
        format!("plan_item:{item_id}"),
    );
    Ok(())
}

/// Takes a goal or agreement off the plan: done ("afgerond") or lapsed
/// ("vervalt"). It is kept, with its history, under the plan.
pub async fn archive(
    cx: &Cx<'_>,
    resident_id: ResidentId,
    item_id: PlanItemId,
    reason: ArchiveReason,
) -> StoreResult<()> {
    may_write(
        cx,
        resident_id,
        AccessAction::Update,
        &format!("plan_item:{item_id}"),
    )
    .await?;
    let item = live_item(cx, resident_id, item_id, AccessAction::Update).await?;
    record(
        cx,
        item_id,
        "archived",
        None,
        Some(reason.as_str().to_owned()),
    )
    .await?;
    let now = millis(cx.now);
    let mut am: plan_item::ActiveModel = item.into();
    am.archived_at = Set(Some(now));
    am.archive_reason = Set(Some(reason.as_str().to_owned()));
    am.updated_at = Set(now);
    am.update(cx.conn()).await?;
    cx.log(
        AccessAction::Update,
        Some(resident_id),
        format!("plan_item:{item_id}"),
    );
    Ok(())
}

/// The professional's answer to a goal the resident proposed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    /// It becomes a goal, in these words (agreed with the resident).
    Accept { text: String },
    /// Talk it through first; the note says what about (may be empty).
    Discuss { note: String },
}

/// Answers a proposal of the resident. An accepted proposal becomes a goal
/// whose history starts with the resident's own words.
pub async fn answer_proposal(
    cx: &Cx<'_>,
    resident_id: ResidentId,
    proposal_id: ProposalId,
    answer: &Answer,
) -> StoreResult<Option<PlanItemId>> {
    let objects = format!("plan_proposal:{proposal_id}");
    let answer = match answer {
        Answer::Accept { text } => Answer::Accept {
            text: clean("text", text)?,
        },
        Answer::Discuss { note } => {
            let note = note.trim().to_owned();
            limits::check_text("note", &note, TextClass::Short)?;
            Answer::Discuss { note }
        }
    };
    may_write(cx, resident_id, AccessAction::Update, &objects).await?;
    let Some(p) = plan_proposal::Entity::find_by_id(proposal_id.get())
        .filter(plan_proposal::Column::ResidentId.eq(resident_id))
        .one(cx.conn())
        .await?
    else {
        return Err(cx.not_found(AccessAction::Update, Some(resident_id), objects, "proposal"));
    };
    if p.status == ProposalStatus::Accepted.as_str() {
        return Err(StoreError::conflict("", Reason::new("proposal-answered")));
    }
    let now = millis(cx.now);
    let mut am: plan_proposal::ActiveModel = p.clone().into();
    am.answered_by = Set(cx.actor.account_id.map(i64::from));
    am.answered_at = Set(Some(now));
    let item = match answer {
        Answer::Accept { text } => {
            let id = care_record::add_plan_item(cx, resident_id, PlanItemKind::Goal, &text, cx.now)
                .await?;
            // The history starts with the resident's words, by the resident.
            change_record::ActiveModel {
                entity: Set(ENTITY.to_owned()),
                entity_id: Set(id.get()),
                field: Set("proposed".to_owned()),
                old_value: Set(None),
                new_value: Set(Some(p.text.clone())),
                account_id: Set(p.proposed_by),
                changed_at: Set(p.proposed_at),
                ..Default::default()
            }
            .insert(cx.conn())
            .await?;
            record(cx, id, "text", None, Some(text)).await?;
            am.status = Set(ProposalStatus::Accepted.as_str().to_owned());
            am.plan_item_id = Set(Some(id.get()));
            Some(id)
        }
        Answer::Discuss { note } => {
            am.status = Set(ProposalStatus::Discuss.as_str().to_owned());
            am.answer_note = Set(Some(note).filter(|n| !n.is_empty()));
            None
        }
    };
    am.update(cx.conn()).await?;
    cx.log(AccessAction::Update, Some(resident_id), objects);
    Ok(item)
}

async fn record(
    cx: &Cx<'_>,
    item_id: PlanItemId,
    field: &str,
    old: Option<String>,
    new: Option<String>,
) -> StoreResult<()> {
    changes::record(
        cx.conn(),
        cx.actor,
        millis(cx.now),
        Change {
            entity: ENTITY,
            id: item_id.get(),
            field,
            old,
            new,
        },
    )
    .await
}

/// What happened to a plan item, oldest first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ItemEvent {
    /// The resident proposed it, in these words.
    Proposed {
        text: String,
    },
    /// Written in these words.
    Written {
        text: String,
    },
    /// The words changed.
    Changed {
        from: String,
        to: String,
    },
    Archived {
        reason: ArchiveReason,
    },
}

/// One change of a plan item: who and when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemChange {
    pub at: DateTime<Utc>,
    /// The display name of who made it; `None` for the system (the demo seed).
    pub by: Option<String>,
    pub event: ItemEvent,
}

/// The history of these plan items, by item (not logged: the page that
/// shows it logs what it shows, after checking the plan may be read).
pub(crate) async fn history(
    cx: &Cx<'_>,
    items: &[i64],
) -> StoreResult<HashMap<i64, Vec<ItemChange>>> {
    if items.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = change_record::Entity::find()
        .filter(change_record::Column::Entity.eq(ENTITY))
        .filter(change_record::Column::EntityId.is_in(items.iter().copied()))
        .order_by_asc(change_record::Column::ChangedAt)
        .order_by_asc(change_record::Column::Id)
        .all(cx.conn())
        .await?;
    let names =
        crate::accounts::display_names(cx, rows.iter().filter_map(|r| r.account_id).collect())
            .await?;
    let mut out: HashMap<i64, Vec<ItemChange>> = HashMap::new();
    for r in rows {
        let event = match (r.field.as_str(), r.old_value, r.new_value) {
            ("proposed", _, Some(text)) => ItemEvent::Proposed { text },
            ("text", None, Some(text)) => ItemEvent::Written { text },
            ("text", Some(from), Some(to)) => ItemEvent::Changed { from, to },
            ("archived", _, Some(reason)) => match ArchiveReason::parse(&reason) {
                Ok(reason) => ItemEvent::Archived { reason },
                Err(_) => continue,
            },
            _ => continue,
        };
        out.entry(r.entity_id).or_default().push(ItemChange {
            at: from_millis(r.changed_at),
            by: r.account_id.and_then(|id| names.get(&id).cloned()),
            event,
        });
    }
    Ok(out)
}
