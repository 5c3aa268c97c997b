//! Professionals' introductions, and the helpers a resident can choose from.

use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
};
use waakvlam_domain::limits::{self, Refusals, TextClass};
use waakvlam_domain::role::Role;

use crate::accounts;
use crate::entity::{account, indication, professional_profile, resident};
use crate::read::caseload::running_on;
use crate::{AccountId, Cx, ResidentId, StoreError, StoreResult};

/// A professional's introduction, as residents choose from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Profile {
    pub account_id: AccountId,
    pub municipality_code: String,
    pub area: String,
    pub specialisation: String,
    pub languages: String,
    pub introduction: String,
    pub available: bool,
}

/// A professional the resident can choose.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Helper {
    pub account_id: AccountId,
    pub name: String,
    pub area: String,
    pub specialisation: String,
    pub languages: String,
    pub introduction: String,
    /// The resident's contact person now.
    pub current: bool,
}

/// Sets (or replaces) a professional's profile.
pub async fn set_profile(cx: &Cx<'_>, p: &Profile) -> StoreResult<()> {
    let conn = cx.conn();
    let professional = accounts::by_id(cx, p.account_id)
        .await?
        .filter(|a| a.role == Role::Professional)
        .ok_or_else(|| StoreError::refuse("account", "not-a-professional"))?;
    let mut refused = Refusals::new();
    refused.check(limits::check_text("area", p.area.trim(), TextClass::Line));
    refused.check(limits::check_text(
        "specialisation",
        p.specialisation.trim(),
        TextClass::Line,
    ));
    refused.check(limits::check_text(
        "languages",
        p.languages.trim(),
        TextClass::Line,
    ));
    refused.check(limits::check_text(
        "introduction",
        p.introduction.trim(),
        TextClass::Message,
    ));
    refused.into_result()?;
    let am = professional_profile::ActiveModel {
        account_id: Set(professional.id.into()),
        municipality_code: Set(p.municipality_code.clone()),
        area: Set(p.area.trim().to_owned()),
        specialisation: Set(p.specialisation.trim().to_owned()),
        languages: Set(p.languages.trim().to_owned()),
        introduction: Set(p.introduction.trim().to_owned()),
        available: Set(p.available),
    };
    if professional_profile::Entity::find_by_id(professional.id)
        .one(conn)
        .await?
        .is_some()
    {
        am.update(conn).await?;
    } else {
        am.insert(conn).await?;
    }
    Ok(())
}

/// The resident's running indication that has a team (the one a chosen
/// helper takes over).
pub(crate) async fn current_indication(
    cx: &Cx<'_>,
    resident_id: ResidentId,
    today: NaiveDate,
) -> StoreResult<Option<indication::Model>> {
    Ok(indication::Entity::find()
        .filter(indication::Column::ResidentId.eq(resident_id))
        .filter(running_on(today))
        .filter(indication::Column::TeamId.is_not_null())
        .order_by_desc(indication::Column::StartDate)
        .one(cx.conn())
        .await?)
}

/// The professionals `resident_id` can choose: available, working in the
/// resident's municipality, in the team that supports them now; by name
/// (the caller has checked that the actor is the resident).
pub(crate) async fn helpers(
    cx: &Cx<'_>,
    resident_id: ResidentId,
    today: NaiveDate,
) -> StoreResult<Vec<Helper>> {
    let tx = cx.conn();
    let res = resident::Entity::find_by_id(resident_id.get())
        .one(tx)
        .await?
        .ok_or(StoreError::NotFound { what: "resident" })?;
    let Some(ind) = current_indication(cx, resident_id, today).await? else {
        return Ok(Vec::new());
    };
    let profiles = professional_profile::Entity::find()
        .filter(professional_profile::Column::MunicipalityCode.eq(res.municipality_code))
        .filter(professional_profile::Column::Available.eq(true))
        .all(tx)
        .await?;
    let accounts = account::Entity::find()
        .filter(account::Column::Id.is_in(profiles.iter().map(|p| p.account_id)))
        .filter(account::Column::Active.eq(true))
        .all(tx)
        .await?;
    let mut out: Vec<Helper> = profiles
        .into_iter()
        .filter_map(|p| {
            let a = accounts.iter().find(|a| a.id == p.account_id)?;
            (a.team_id == ind.team_id).then(|| Helper {
                account_id: AccountId::new(a.id),
                name: a.display_name.clone(),
                area: p.area,
                specialisation: p.specialisation,
                languages: p.languages,
                introduction: p.introduction,
                current: ind.professional_account_id == Some(p.account_id),
            })
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// Residents with an open-ended indication running today for a professional,
/// by id, with their display names and municipality codes (for seeding
/// portal logins; not logged, as only system tools call it).
pub async fn open_residents_of(
    cx: &Cx<'_>,
    professional: AccountId,
    today: NaiveDate,
) -> StoreResult<Vec<(ResidentId, String, String)>> {
    let rows = indication::Entity::find()
        .filter(indication::Column::ProfessionalAccountId.eq(professional))
        .filter(indication::Column::StartDate.lte(today))
        .filter(indication::Column::EndDate.is_null())
        .order_by_asc(indication::Column::ResidentId)
        .all(cx.conn())
        .await?;
    let mut ids: Vec<i64> = rows.iter().map(|i| i.resident_id).collect();
    ids.dedup();
    let residents = resident::Entity::find()
        .filter(resident::Column::Id.is_in(ids.clone()))
        .all(cx.conn())
        .await?;
    Ok(ids
        .into_iter()
        .filter_map(|id| {
            let r = residents.iter().find(|r| r.id == id)?;
            Some((
                ResidentId::new(id),
                r.display_name(),
                r.municipality_code.clone(),
            ))
        })
        .collect())
}
