//! Regions, providers and teams.

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, EntityTrait, QueryFilter,
    QueryOrder,
};
use waakvlam_domain::ids::{AgbCode, MunicipalityCode};

use crate::entity::{municipality, provider, region, team};
use crate::{Cx, ProviderId, RegionId, StoreError, StoreResult, TeamId, millis};
use waakvlam_domain::refusal::Reason;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Provider {
    pub id: ProviderId,
    pub agb_code: String,
    pub name: String,
}

impl From<provider::Model> for Provider {
    fn from(m: provider::Model) -> Self {
        Provider {
            id: ProviderId::new(m.id),
            agb_code: m.agb_code,
            name: m.name,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Team {
    pub id: TeamId,
    pub name: String,
    pub kind: TeamKind,
    pub municipality_code: Option<String>,
    pub provider_id: Option<ProviderId>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TeamKind {
    /// A municipality's social team (sociaal wijkteam).
    SocialTeam,
    /// A team within a provider.
    ProviderTeam,
}

impl TeamKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TeamKind::SocialTeam => "social_team",
            TeamKind::ProviderTeam => "provider_team",
        }
    }
}

impl From<team::Model> for Team {
    fn from(m: team::Model) -> Self {
        Team {
            id: TeamId::new(m.id),
            name: m.name,
            kind: if m.kind == "social_team" {
                TeamKind::SocialTeam
            } else {
                TeamKind::ProviderTeam
            },
            municipality_code: m.municipality_code,
            provider_id: m.provider_id.map(ProviderId::new),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Municipality {
    pub code: String,
    pub name: String,
    pub province: String,
    pub region_id: Option<RegionId>,
}

impl From<municipality::Model> for Municipality {
    fn from(m: municipality::Model) -> Self {
        Municipality {
            code: m.code,
            name: m.name,
            province: m.province,
            region_id: m.region_id.map(RegionId::new),
        }
    }
}

/// Creates a region and assigns municipalities to it.
pub async fn create_region(
    cx: &Cx<'_>,
    name: &str,
    municipalities: &[MunicipalityCode],
) -> StoreResult<RegionId> {
    let r = region::ActiveModel {
        name: Set(name.to_owned()),
        ..Default::default()
    }
    .insert(cx.conn())
    .await?;
    for code in municipalities {
        let m = municipality::Entity::find_by_id(code.as_str().to_owned())
            .one(cx.conn())
            .await?
            .ok_or_else(|| {
                StoreError::refuse_with(
                    "municipality_code",
                    Reason::new("unknown-municipality").with("code", code),
                )
            })?;
        let mut am: municipality::ActiveModel = m.into();
        am.region_id = Set(Some(r.id));
        am.update(cx.conn()).await?;
    }
    Ok(RegionId::new(r.id))
}

pub async fn region_name(cx: &Cx<'_>, region_id: RegionId) -> StoreResult<Option<String>> {
    Ok(region::Entity::find_by_id(region_id.get())
        .one(cx.conn())
        .await?
        .map(|r| r.name))
}

/// All regions, by name: `(id, name)`.
pub async fn regions(cx: &Cx<'_>) -> StoreResult<Vec<(RegionId, String)>> {
    Ok(region::Entity::find()
        .order_by_asc(region::Column::Name)
        .all(cx.conn())
        .await?
        .into_iter()
        .map(|r| (RegionId::new(r.id), r.name))
        .collect())
}

pub async fn region_by_name(cx: &Cx<'_>, name: &str) -> StoreResult<Option<RegionId>> {
    Ok(region::Entity::find()
        .filter(region::Column::Name.eq(name))
        .one(cx.conn())
        .await?
        .map(|r| RegionId::new(r.id)))
}

pub async fn municipality(cx: &Cx<'_>, code: &str) -> StoreResult<Option<Municipality>> {
    Ok(municipality::Entity::find_by_id(code.to_owned())
        .one(cx.conn())
        .await?
        .map(Municipality::from))
}

pub async fn municipalities_in_region(
    cx: &Cx<'_>,
    region_id: RegionId,
) -> StoreResult<Vec<Municipality>> {
    by_name(cx, municipality::Column::RegionId.eq(region_id).into()).await
}

pub async fn all_municipalities(cx: &Cx<'_>) -> StoreResult<Vec<Municipality>> {
    by_name(cx, Condition::all()).await
}

/// The municipalities with these codes, by name.
pub async fn municipalities_named(
    cx: &Cx<'_>,
    codes: impl IntoIterator<Item = String>,
) -> StoreResult<Vec<Municipality>> {
    let codes: Vec<String> = codes.into_iter().collect();
    if codes.is_empty() {
        return Ok(Vec::new());
    }
    by_name(cx, municipality::Column::Code.is_in(codes).into()).await
}

/// The municipalities that meet `which`, ordered by name.
async fn by_name(cx: &Cx<'_>, which: Condition) -> StoreResult<Vec<Municipality>> {
    Ok(municipality::Entity::find()
        .filter(which)
        .order_by_asc(municipality::Column::Name)
        .all(cx.conn())
        .await?
        .into_iter()
        .map(Municipality::from)
        .collect())
}

/// Creates the provider, or renames it when the AGB code is known already.
pub async fn upsert_provider(
    cx: &Cx<'_>,
    agb: &AgbCode,
    name: &str,
) -> StoreResult<(Provider, bool)> {
    let existing = provider::Entity::find()
        .filter(provider::Column::AgbCode.eq(agb.as_str()))
        .one(cx.conn())
        .await?;
    match existing {
        Some(p) if p.name == name => Ok((p.into(), false)),
        Some(p) => {
            let mut am: provider::ActiveModel = p.into();
            am.name = Set(name.to_owned());
            Ok((am.update(cx.conn()).await?.into(), false))
        }
        None => {
            let p = provider::ActiveModel {
                agb_code: Set(agb.as_str().to_owned()),
                name: Set(name.to_owned()),
                created_at: Set(millis(cx.now)),
                ..Default::default()
            }
            .insert(cx.conn())
            .await?;
            Ok((p.into(), true))
        }
    }
}

pub async fn provider_by_agb(cx: &Cx<'_>, agb: &str) -> StoreResult<Option<Provider>> {
    Ok(provider::Entity::find()
        .filter(provider::Column::AgbCode.eq(agb))
        .one(cx.conn())
        .await?
        .map(Provider::from))
}

pub async fn provider(cx: &Cx<'_>, id: ProviderId) -> StoreResult<Option<Provider>> {
    Ok(provider::Entity::find_by_id(id.get())
        .one(cx.conn())
        .await?
        .map(Provider::from))
}

pub async fn providers(cx: &Cx<'_>) -> StoreResult<Vec<Provider>> {
    Ok(provider::Entity::find()
        .order_by_asc(provider::Column::Name)
        .all(cx.conn())
        .await?
        .into_iter()
        .map(Provider::from)
        .collect())
}

pub async fn create_team(
    cx: &Cx<'_>,
    name: &str,
    kind: TeamKind,
    municipality_code: Option<&str>,
    provider_id: Option<ProviderId>,
) -> StoreResult<Team> {
    Ok(team::ActiveModel {
        name: Set(name.to_owned()),
        kind: Set(kind.as_str().to_owned()),
        municipality_code: Set(municipality_code.map(str::to_owned)),
        provider_id: Set(provider_id.map(ProviderId::get)),
        ..Default::default()
    }
    .insert(cx.conn())
    .await?
    .into())
}

pub async fn team(cx: &Cx<'_>, id: TeamId) -> StoreResult<Option<Team>> {
    Ok(team::Entity::find_by_id(id.get())
        .one(cx.conn())
        .await?
        .map(Team::from))
}

/// The providers that work in this installation (have a team here), by
/// name, or the one with this AGB code if it does: whose declarations and
/// start and stop messages are written here.
pub async fn providers_working_here(
    cx: &Cx<'_>,
    agb: Option<&str>,
) -> StoreResult<Vec<(ProviderId, String)>> {
    let mut found = provider::Entity::find().order_by_asc(provider::Column::Name);
    if let Some(agb) = agb {
        found = found.filter(provider::Column::AgbCode.eq(agb.trim()));
    }
    let mut out = Vec::new();
    for p in found.all(cx.conn()).await? {
        let teams = team::Entity::find()
            .filter(team::Column::ProviderId.eq(p.id))
            .one(cx.conn())
            .await?;
        if teams.is_some() {
            out.push((ProviderId::new(p.id), p.name));
        }
    }
    Ok(out)
}
