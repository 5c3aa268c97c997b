//! Hand-over ("overdracht"): a team lead gives one resident, or a
//! professional's whole caseload (they leave, or fall ill), to another
//! professional of the provider, with a note the new professional reads
//! first. The indications keep their history (`change_record`); each resident
//! handed over gets a `handover` row, which is also how the resident is told
//! who their new contact person is.

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, EntityTrait, QueryFilter,
    QueryOrder,
};
use waakvlam_domain::access::AccessAction;
use waakvlam_domain::limits::TextClass;
use waakvlam_domain::notification::EventKind;
use waakvlam_domain::role::Role;

use crate::changes::{self, Change};
use crate::entity::{account, handover, indication, team};
use crate::intake::lead_provider;
use crate::portal::clean_text_in;
use crate::tenant::Tenant;
use crate::{
    AccountId, Cx, HandoverId, ResidentId, StoreError, StoreResult, TeamId, from_millis, millis,
};

/// What the team lead hands over.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HandOver {
    /// The professional who had the residents.
    pub from: AccountId,
    /// The professional who takes them on.
    pub to: AccountId,
    /// One resident, or `None` for the whole caseload.
    pub resident: Option<ResidentId>,
    /// For the new professional: what they should know first.
    pub note: Option<String>,
}

/// The outcome: who went to whom.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HandedOver {
    pub residents: Vec<ResidentId>,
    pub to_name: String,
}

/// A hand-over as the new professional reads it on the resident's page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    pub id: HandoverId,
    pub from_name: Option<String>,
    pub by_name: String,
    pub at: DateTime<Utc>,
    pub note: Option<String>,
}

/// A hand-over as the resident is told about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewContactPerson {
    pub name: String,
    pub previous_name: Option<String>,
    pub at: DateTime<Utc>,
}

/// How long `/me` says that the contact person changed.
pub const TOLD_FOR_DAYS: i64 = 30;

/// The team lead's team; anyone else is refused (and logged).
fn lead_team(cx: &Cx<'_>, action: AccessAction) -> StoreResult<TeamId> {
    match (&cx.actor.tenant, cx.actor.role) {
        (Tenant::Team { team_id }, Some(Role::TeamLead)) => Ok(*team_id),
        _ => Err(cx.deny(action, None, "handover")),
    }
}

/// Running (or future) indications `from` holds in `team`, optionally of one
/// resident: what a hand-over moves.
fn held_by(from: AccountId, team: TeamId, today: chrono::NaiveDate) -> Condition {
    Condition::all()
        .add(indication::Column::ProfessionalAccountId.eq(from))
        .add(indication::Column::TeamId.eq(team))
        .add(indication::Column::EndReason.is_null())
        .add(
            Condition::any()
                .add(indication::Column::EndDate.is_null())
                .add(indication::Column::EndDate.gte(today)),
        )
}

/// Hands residents over. Every indication `from` holds in the lead's team
/// (of the one resident, or all) goes to `to` and `to`'s team; `to` must be
/// an active professional of the same provider. All or nothing.
pub async fn hand_over(cx: &Cx<'_>, h: &HandOver) -> StoreResult<HandedOver> {
    let team_id = lead_team(cx, AccessAction::Update)?;
    let provider = lead_provider(cx, AccessAction::Update).await?;
    let note = clean_text_in("note", h.note.clone(), false, TextClass::Note)?;
    let from = account::Entity::find_by_id(h.from.get())
        .one(cx.conn())
        .await?
        .filter(|a| a.team_id == Some(team_id.get()) && a.role == Role::Professional.as_str());
    let Some(from) = from else {
        return Err(cx.not_found(
            AccessAction::Update,
            None,
            format!("account:{}", h.from),
            "professional",
        ));
    };
    let mut refusals = Vec::new();
    let to = account::Entity::find_by_id(h.to.get())
        .one(cx.conn())
        .await?
        .filter(|a| a.active && a.role == Role::Professional.as_str());
    let to_team = match to.as_ref().and_then(|a| a.team_id) {
        Some(id) => team::Entity::find_by_id(id)
            .one(cx.conn())
            .await?
            .filter(|t| t.provider_id == Some(provider.get())),
        None => None,
    };
    let target = match (to, to_team) {
        (Some(to), Some(t)) if to.id != from.id => Some((to, t)),
        (Some(to), Some(_)) if to.id == from.id => {
            refusals.push(waakvlam_domain::Refusal::because(
                "to",
                "handover-same-professional",
            ));
            None
        }
        _ => {
            refusals.push(waakvlam_domain::Refusal::because(
                "to",
                "professional-other-provider",
            ));
            None
        }
    };
    let today = cx.today();
    let mut which = indication::Entity::find().filter(held_by(h.from, team_id, today));
    if let Some(resident) = h.resident {
        which = which.filter(indication::Column::ResidentId.eq(resident));
    }
    let rows = which
        .order_by_asc(indication::Column::Id)
        .all(cx.conn())
        .await?;
    if rows.is_empty() {
        if let Some(resident) = h.resident {
            return Err(cx.not_found(
                AccessAction::Update,
                Some(resident),
                format!("handover:resident:{resident}"),
                "resident",
            ));
        }
        refusals.push(waakvlam_domain::Refusal::because(
            "from",
            "handover-nothing",
        ));
    }
    let Some((to, to_team)) = target.filter(|_| refusals.is_empty()) else {
        return Err(StoreError::Invalid(refusals));
    };
    let now = millis(cx.now);
    let by = cx
        .actor
        .account_id
        .ok_or_else(|| cx.deny(AccessAction::Update, None, "handover"))?;
    let mut residents = BTreeSet::new();
    for row in rows {
        for (field, old, new) in [
            ("team_id", row.team_id, to_team.id),
            (
                "professional_account_id",
                row.professional_account_id,
                to.id,
            ),
        ] {
            if old == Some(new) {
                continue;
            }
            changes::record(
                cx.conn(),
                cx.actor,
                now,
                Change {
                    entity: "indication",
                    id: row.id,
                    field,
                    old: old.map(|v| v.to_string()),
                    new: Some(new.to_string()),
                },
            )
            .await?;
        }
        residents.insert(row.resident_id);
        let mut am: indication::ActiveModel = row.into();
        am.team_id = Set(Some(to_team.id));
        am.professional_account_id = Set(Some(to.id));
        am.updated_at = Set(now);
        am.update(cx.conn()).await?;
    }
    for &resident in &residents {
        let row = handover::ActiveModel {
            resident_id: Set(resident),
            from_account_id: Set(Some(from.id)),
            to_account_id: Set(to.id),
            note: Set(note.clone()),
            created_by: Set(by.get()),
            created_at: Set(now),
            seen_at: Set(None),
            ..Default::default()
        }
        .insert(cx.conn())
        .await?;
        cx.log(
            AccessAction::Update,
            Some(ResidentId::new(resident)),
            format!("handover:{}", row.id),
        );
        // In the same unit of work: the new professional hears of it, and so
        // does the resident (the mail says only that there is news).
        crate::notifications::enqueue(
            cx,
            AccountId::new(to.id),
            EventKind::HandOver,
            &format!("/clients/{resident}"),
        )
        .await?;
        let residents_accounts: Vec<AccountId> = account::Entity::find()
            .filter(account::Column::ResidentId.eq(resident))
            .filter(account::Column::Active.eq(true))
            .all(cx.conn())
            .await?
            .into_iter()
            .map(|a| AccountId::new(a.id))
            .collect();
        crate::notifications::enqueue_all(
            cx,
            &residents_accounts,
            EventKind::NewContactPerson,
            "/me",
        )
        .await?;
    }
    Ok(HandedOver {
        residents: residents.into_iter().map(ResidentId::new).collect(),
        to_name: to.display_name,
    })
}

/// Hand-overs of `resident` to the acting professional that they have not
/// marked read, newest first: the first thing on the resident's page. The
/// caller has already checked that the actor may see the resident.
pub async fn unread(cx: &Cx<'_>, resident: ResidentId) -> StoreResult<Vec<Note>> {
    let Some(me) = cx.actor.account_id else {
        return Ok(Vec::new());
    };
    let rows = handover::Entity::find()
        .filter(handover::Column::ResidentId.eq(resident))
        .filter(handover::Column::ToAccountId.eq(me))
        .filter(handover::Column::SeenAt.is_null())
        .order_by_desc(handover::Column::CreatedAt)
        .all(cx.conn())
        .await?;
    let mut ids: Vec<i64> = rows.iter().filter_map(|r| r.from_account_id).collect();
    ids.extend(rows.iter().map(|r| r.created_by));
    let names = crate::accounts::display_names(cx, ids).await?;
    Ok(rows
        .into_iter()
        .map(|r| Note {
            id: HandoverId::new(r.id),
            from_name: r.from_account_id.and_then(|id| names.get(&id).cloned()),
            by_name: names.get(&r.created_by).cloned().unwrap_or_default(),
            at: from_millis(r.created_at),
            note: r.note,
        })
        .collect())
}

/// The new professional marks the hand-over notes of `resident` read (a
/// second time changes nothing). A resident outside their sight is refused.
pub async fn mark_read(cx: &Cx<'_>, resident: ResidentId) -> StoreResult<()> {
    crate::residents::visible(cx, resident, AccessAction::Update).await?;
    let me = cx
        .actor
        .account_id
        .ok_or_else(|| cx.deny(AccessAction::Update, Some(resident), "handover"))?;
    let rows = handover::Entity::find()
        .filter(handover::Column::ResidentId.eq(resident))
        .filter(handover::Column::ToAccountId.eq(me))
        .filter(handover::Column::SeenAt.is_null())
        .all(cx.conn())
        .await?;
    for row in rows {
        let id = row.id;
        let mut am: handover::ActiveModel = row.into();
        am.seen_at = Set(Some(millis(cx.now)));
        am.update(cx.conn()).await?;
        cx.log(
            AccessAction::Update,
            Some(resident),
            format!("handover:{id}"),
        );
    }
    Ok(())
}

/// The residents on the acting professional's caseload with a hand-over
/// note they have not read: flagged on the caseload.
pub async fn unread_residents(cx: &Cx<'_>) -> StoreResult<BTreeSet<ResidentId>> {
    let Some(me) = cx.actor.account_id else {
        return Ok(BTreeSet::new());
    };
    Ok(handover::Entity::find()
        .filter(handover::Column::ToAccountId.eq(me))
        .filter(handover::Column::SeenAt.is_null())
        .all(cx.conn())
        .await?
        .into_iter()
        .map(|r| ResidentId::new(r.resident_id))
        .collect())
}

/// The resident's latest hand-over within [`TOLD_FOR_DAYS`]: `/me` tells them
/// who their new contact person is. The caller has checked that the actor is
/// the resident.
pub(crate) async fn told_to_resident(
    cx: &Cx<'_>,
    resident: ResidentId,
) -> StoreResult<Option<NewContactPerson>> {
    let since = millis(cx.now - Duration::days(TOLD_FOR_DAYS));
    let Some(row) = handover::Entity::find()
        .filter(handover::Column::ResidentId.eq(resident))
        .filter(handover::Column::CreatedAt.gte(since))
        .order_by_desc(handover::Column::CreatedAt)
        .order_by_desc(handover::Column::Id)
        .one(cx.conn())
        .await?
    else {
        return Ok(None);
    };
    let mut ids = vec![row.to_account_id];
    ids.extend(row.from_account_id);
    let names = crate::accounts::display_names(cx, ids).await?;
    Ok(names.get(&row.to_account_id).map(|name| NewContactPerson {
        name: name.clone(),
        previous_name: row.from_account_id.and_then(|id| names.get(&id).cloned()),
        at: from_millis(row.created_at),
    }))
}

/// What the hand-over form offers: the team's professionals with their
/// caseload sizes, the residents of the chosen one, and whom they can go to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Form {
    /// The team's professionals who hold residents (and those still
    /// working), with how many.
    pub from: Vec<(AccountId, String, u32)>,
    /// The residents the chosen professional holds in the team, by name.
    pub residents: Vec<(ResidentId, String)>,
    /// The provider's active professionals.
    pub to: Vec<crate::intake::Candidate>,
}

/// The hand-over form for the team lead; the residents listed are logged as
/// a search.
pub async fn form(cx: &Cx<'_>, from: Option<AccountId>) -> StoreResult<Form> {
    let team_id = lead_team(cx, AccessAction::Read)?;
    let provider = lead_provider(cx, AccessAction::Read).await?;
    let today = cx.today();
    let people = account::Entity::find()
        .filter(account::Column::TeamId.eq(team_id))
        .filter(account::Column::Role.eq(Role::Professional.as_str()))
        .order_by_asc(account::Column::DisplayName)
        .all(cx.conn())
        .await?;
    let held = indication::Entity::find()
        .filter(
            Condition::all()
                .add(indication::Column::TeamId.eq(team_id))
                .add(indication::Column::ProfessionalAccountId.is_not_null())
                .add(indication::Column::EndReason.is_null())
                .add(
                    Condition::any()
                        .add(indication::Column::EndDate.is_null())
                        .add(indication::Column::EndDate.gte(today)),
                ),
        )
        .all(cx.conn())
        .await?;
    let count = |id: i64| {
        let residents: BTreeSet<i64> = held
            .iter()
            .filter(|i| i.professional_account_id == Some(id))
            .map(|i| i.resident_id)
            .collect();
        u32::try_from(residents.len()).unwrap_or(u32::MAX)
    };
    let from_list = people
        .iter()
        .map(|p| (AccountId::new(p.id), p.display_name.clone(), count(p.id)))
        .filter(|(id, _, n)| *n > 0 || people.iter().any(|p| p.id == id.get() && p.active))
        .collect();
    let mut residents = Vec::new();
    if let Some(from) = from.filter(|f| people.iter().any(|p| p.id == f.get())) {
        let ids: BTreeSet<i64> = held
            .iter()
            .filter(|i| i.professional_account_id == Some(from.get()))
            .map(|i| i.resident_id)
            .collect();
        for r in crate::entity::resident::Entity::find()
            .filter(crate::entity::resident::Column::Id.is_in(ids))
            .all(cx.conn())
            .await?
        {
            residents.push((ResidentId::new(r.id), r.display_name()));
        }
        residents.sort_by_key(|r| r.1.to_lowercase());
        cx.log_search("handover", residents.iter().map(|(id, _)| *id));
    } else {
        cx.log(AccessAction::Read, None, format!("handover:team:{team_id}"));
    }
    Ok(Form {
        from: from_list,
        residents,
        to: crate::intake::candidates(cx, provider).await?,
    })
}
