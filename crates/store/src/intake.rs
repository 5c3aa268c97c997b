//! The provider's intake inbox ("Nieuwe toewijzingen", `/intake`): new
//! indications addressed to a provider that no team has taken on yet. However
//! an indication arrives (the consultant's form, a CSV import, an iWmo 301),
//! it is addressed to its provider; one for a resident the provider already
//! knows goes to the same team and professional at once
//! ([`address_to_known_team`]), the others wait here until a team lead of the
//! provider assigns a professional.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use std::collections::HashMap;

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use waakvlam_domain::access::AccessAction;
use waakvlam_domain::role::Role;

use crate::changes::{self, Change};
use crate::entity::{account, indication, product, resident, team};
use crate::indications::Indication;
use crate::tenant::Tenant;
use crate::{
    AccountId, Cx, IndicationId, ProviderId, ResidentId, StoreError, StoreResult, TeamId,
    from_millis, millis,
};

/// A new allocation waiting for a professional.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Allocation {
    pub indication_id: IndicationId,
    pub resident_id: ResidentId,
    pub resident_name: String,
    pub product_code: String,
    pub product_name: String,
    pub allocation_number: String,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    pub planned_scale_down_date: Option<NaiveDate>,
    pub agreed_result: Option<String>,
    pub received_at: DateTime<Utc>,
    /// Working days it has waited since it was received.
    pub waiting_working_days: u32,
    /// Waited longer than the municipality's `unassigned_working_days`.
    pub late: bool,
}

/// A professional of the provider who can take an allocation on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    pub account_id: AccountId,
    pub name: String,
    pub team_name: String,
    /// Running indications they hold now.
    pub caseload: u64,
    /// Hours a week they have for their caseload, when the team lead set it.
    pub capacity_hours_per_week: Option<u32>,
}

/// What `/intake` shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Inbox {
    pub allocations: Vec<Allocation>,
    pub candidates: Vec<Candidate>,
}

/// The provider of the team lead's team; refused (and logged) for anyone
/// else, as only a provider's team leads divide its new allocations.
pub(crate) async fn lead_provider(cx: &Cx<'_>, action: AccessAction) -> StoreResult<ProviderId> {
    let team_id = match &cx.actor.tenant {
        Tenant::Team { team_id } => *team_id,
        _ => return Err(cx.deny(action, None, "intake")),
    };
    team::Entity::find_by_id(team_id.get())
        .one(cx.conn())
        .await?
        .and_then(|t| t.provider_id)
        .map(ProviderId::new)
        .ok_or_else(|| cx.deny(action, None, "intake"))
}

/// Indications of `provider` that no team took on yet and that still run.
fn waiting(provider: ProviderId, today: NaiveDate) -> sea_orm::Condition {
    sea_orm::Condition::all()
        .add(indication::Column::ProviderId.eq(provider))
        .add(indication::Column::TeamId.is_null())
        .add(indication::Column::EndReason.is_null())
        .add(
            sea_orm::Condition::any()
                .add(indication::Column::EndDate.is_null())
                .add(indication::Column::EndDate.gte(today)),
        )
}

/// The team lead's inbox: every allocation of their provider without a team,
/// oldest first, and the provider's professionals with their caseload size.
/// Each resident shown is logged.
pub async fn inbox(cx: &Cx<'_>) -> StoreResult<Inbox> {
    let provider = lead_provider(cx, AccessAction::Read).await?;
    let today = cx.today();
    let rows = indication::Entity::find()
        .filter(waiting(provider, today))
        .order_by_asc(indication::Column::CreatedAt)
        .order_by_asc(indication::Column::Id)
        .all(cx.conn())
        .await?;
    // The residents and products of the page in one query each.
    let residents: HashMap<i64, resident::Model> = resident::Entity::find()
        .filter(resident::Column::Id.is_in(rows.iter().map(|r| r.resident_id)))
        .all(cx.conn())
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let products: HashMap<i64, product::Model> = product::Entity::find()
        .filter(product::Column::Id.is_in(rows.iter().map(|r| r.product_id)))
        .all(cx.conn())
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let settings = crate::signals::load(cx).await?;
    let mut allocations = Vec::with_capacity(rows.len());
    for row in rows {
        let (Some(resident), Some(product)) = (
            residents.get(&row.resident_id),
            products.get(&row.product_id),
        ) else {
            return Err(StoreError::NotFound { what: "resident" });
        };
        cx.log(
            AccessAction::Read,
            Some(ResidentId::new(row.resident_id)),
            format!("indication:{}", row.id),
        );
        allocations.push(Allocation {
            indication_id: IndicationId::new(row.id),
            resident_id: ResidentId::new(row.resident_id),
            resident_name: resident.display_name(),
            product_code: product.code.clone(),
            product_name: product.name.clone(),
            allocation_number: row.allocation_number,
            start_date: row.start_date,
            end_date: row.end_date,
            planned_scale_down_date: row.planned_scale_down_date,
            agreed_result: row.agreed_result,
            received_at: from_millis(row.created_at),
            waiting_working_days: waakvlam_domain::calendar::working_days_between(
                crate::local_date(from_millis(row.created_at)),
                today,
            ),
            late: waakvlam_domain::signal::unassigned_too_long(
                crate::local_date(from_millis(row.created_at)),
                today,
                &settings.thresholds(&row.municipality_code, None),
            ),
        });
    }
    let candidates = candidates(cx, provider).await?;
    Ok(Inbox {
        allocations,
        candidates,
    })
}

/// The active professionals of `provider`, team by team, with their caseload
/// sizes (in one grouped count) and capacity: whom a team lead can give an
/// allocation or a hand-over to.
pub(crate) async fn candidates(cx: &Cx<'_>, provider: ProviderId) -> StoreResult<Vec<Candidate>> {
    let today = cx.today();
    // The provider's professionals, team by team, and their caseload sizes
    // in one grouped count.
    let teams = team::Entity::find()
        .filter(team::Column::ProviderId.eq(provider))
        .order_by_asc(team::Column::Name)
        .all(cx.conn())
        .await?;
    let people = account::Entity::find()
        .filter(account::Column::TeamId.is_in(teams.iter().map(|t| t.id)))
        .filter(account::Column::Role.eq(Role::Professional.as_str()))
        .filter(account::Column::Active.eq(true))
        .order_by_asc(account::Column::DisplayName)
        .all(cx.conn())
        .await?;
    let caseloads: HashMap<i64, i64> = indication::Entity::find()
        .select_only()
        .column(indication::Column::ProfessionalAccountId)
        .column_as(Expr::col(indication::Column::Id).count(), "n")
        .filter(indication::Column::ProfessionalAccountId.is_in(people.iter().map(|p| p.id)))
        .filter(indication::Column::EndReason.is_null())
        .filter(indication::Column::StartDate.lte(today))
        .filter(
            sea_orm::Condition::any()
                .add(indication::Column::EndDate.is_null())
                .add(indication::Column::EndDate.gte(today)),
        )
        .group_by(indication::Column::ProfessionalAccountId)
        .into_tuple::<(i64, i64)>()
        .all(cx.conn())
        .await?
        .into_iter()
        .collect();
    Ok(teams
        .iter()
        .flat_map(|t| {
            people
                .iter()
                .filter(move |p| p.team_id == Some(t.id))
                .map(|p| Candidate {
                    account_id: AccountId::new(p.id),
                    name: p.display_name.clone(),
                    team_name: t.name.clone(),
                    caseload: caseloads.get(&p.id).copied().unwrap_or(0).unsigned_abs(),
                    capacity_hours_per_week: p
                        .capacity_hours_per_week
                        .and_then(|h| u32::try_from(h).ok()),
                })
        })
        .collect())
}

/// How many allocations wait in the team lead's provider's inbox, and how
/// many of them waited longer than their municipality's threshold: the
/// team lead's start page shows both without listing anyone.
pub async fn waiting_count(
    cx: &Cx<'_>,
    settings: &crate::signals::SignalSettings,
) -> StoreResult<(u64, u64)> {
    let provider = lead_provider(cx, AccessAction::Read).await?;
    let today = cx.today();
    let rows = indication::Entity::find()
        .select_only()
        .columns([
            indication::Column::MunicipalityCode,
            indication::Column::CreatedAt,
        ])
        .filter(waiting(provider, today))
        .into_tuple::<(String, i64)>()
        .all(cx.conn())
        .await?;
    let late = rows
        .iter()
        .filter(|(code, created_at)| {
            waakvlam_domain::signal::unassigned_too_long(
                crate::local_date(from_millis(*created_at)),
                today,
                &settings.thresholds(code, None),
            )
        })
        .count();
    Ok((rows.len() as u64, late as u64))
}

/// The team lead gives a new allocation to a professional of the provider:
/// it goes to the professional's team and onto their caseload. An
/// allocation of another provider, or one already taken on, is refused as not
/// found (and logged).
pub async fn assign(
    cx: &Cx<'_>,
    id: IndicationId,
    professional: AccountId,
) -> StoreResult<Indication> {
    let provider = lead_provider(cx, AccessAction::Update).await?;
    let object = format!("indication:{id}");
    let Some(row) = indication::Entity::find_by_id(id.get())
        .filter(waiting(provider, cx.today()))
        .one(cx.conn())
        .await?
    else {
        let resident = indication::Entity::find_by_id(id.get())
            .one(cx.conn())
            .await?
            .map(|r| ResidentId::new(r.resident_id));
        return Err(cx.not_found(AccessAction::Update, resident, object, "allocation"));
    };
    let person = account::Entity::find_by_id(professional.get())
        .one(cx.conn())
        .await?
        .filter(|a| a.active && a.role == Role::Professional.as_str());
    let team = match person.as_ref().and_then(|p| p.team_id) {
        Some(team_id) => team::Entity::find_by_id(team_id).one(cx.conn()).await?,
        None => None,
    };
    let Some(team) = team.filter(|t| t.provider_id == Some(provider.get())) else {
        return Err(StoreError::refuse(
            "professional_id",
            "professional-other-provider",
        ));
    };
    let now = millis(cx.now);
    for (field, new) in [
        ("team_id", team.id.to_string()),
        ("professional_account_id", professional.to_string()),
    ] {
        changes::record(
            cx.conn(),
            cx.actor,
            now,
            Change {
                entity: "indication",
                id: row.id,
                field,
                old: None,
                new: Some(new),
            },
        )
        .await?;
    }
    let resident = ResidentId::new(row.resident_id);
    let mut am: indication::ActiveModel = row.into();
    am.team_id = Set(Some(team.id));
    am.professional_account_id = Set(Some(professional.get()));
    am.updated_at = Set(now);
    let updated = am.update(cx.conn()).await?;
    cx.log(AccessAction::Update, Some(resident), object);
    updated.try_into()
}

/// The team and professional of the resident's latest indication at
/// `provider` that has them, when that professional still works in that
/// team: a new indication for a resident the provider knows goes there,
/// without waiting in the inbox (the team lead can still reassign it).
pub(crate) async fn address_to_known_team(
    cx: &Cx<'_>,
    resident_id: ResidentId,
    provider: ProviderId,
) -> StoreResult<Option<(TeamId, Option<AccountId>)>> {
    let Some(latest) = indication::Entity::find()
        .filter(indication::Column::ResidentId.eq(resident_id))
        .filter(indication::Column::ProviderId.eq(provider))
        .filter(indication::Column::TeamId.is_not_null())
        .order_by_desc(indication::Column::StartDate)
        .order_by_desc(indication::Column::Id)
        .one(cx.conn())
        .await?
    else {
        return Ok(None);
    };
    let Some(team_id) = latest.team_id else {
        return Ok(None);
    };
    let professional = match latest.professional_account_id {
        Some(p) => account::Entity::find_by_id(p)
            .filter(account::Column::Active.eq(true))
            .filter(account::Column::TeamId.eq(team_id))
            .filter(Expr::col(account::Column::Role).eq(Role::Professional.as_str()))
            .one(cx.conn())
            .await?
            .map(|a| AccountId::new(a.id)),
        None => None,
    };
    Ok(Some((TeamId::new(team_id), professional)))
}
