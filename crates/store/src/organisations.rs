//! Regions, providers and teams.

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};
use waakvlam_domain::ids::{AgbCode, MunicipalityCode};

use crate::entity::{municipality, provider, region, team};
use crate::{Store, StoreError, StoreResult, millis};
use waakvlam_domain::refusal::Reason;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Provider {
    pub id: i64,
    pub agb_code: String,
    pub name: String,
}

impl From<provider::Model> for Provider {
    fn from(m: provider::Model) -> Self {
        Provider {
            id: m.id,
            agb_code: m.agb_code,
            name: m.name,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Team {
    pub id: i64,
    pub name: String,
    pub kind: TeamKind,
    pub municipality_code: Option<String>,
    pub provider_id: Option<i64>,
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
            id: m.id,
            name: m.name,
            kind: if m.kind == "social_team" {
                TeamKind::SocialTeam
            } else {
                TeamKind::ProviderTeam
            },
            municipality_code: m.municipality_code,
            provider_id: m.provider_id,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Municipality {
    pub code: String,
    pub name: String,
    pub province: String,
    pub region_id: Option<i64>,
}

impl From<municipality::Model> for Municipality {
    fn from(m: municipality::Model) -> Self {
        Municipality {
            code: m.code,
            name: m.name,
            province: m.province,
            region_id: m.region_id,
        }
    }
}

/// Creates a region and assigns municipalities to it.
pub async fn create_region<C: ConnectionTrait>(
    conn: &C,
    name: &str,
    municipalities: &[MunicipalityCode],
) -> StoreResult<i64> {
    let r = region::ActiveModel {
        name: Set(name.to_owned()),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    for code in municipalities {
        let m = municipality::Entity::find_by_id(code.as_str().to_owned())
            .one(conn)
            .await?
            .ok_or_else(|| {
                StoreError::refuse_with(
                    "municipality_code",
                    Reason::new("unknown-municipality").with("code", code),
                )
            })?;
        let mut am: municipality::ActiveModel = m.into();
        am.region_id = Set(Some(r.id));
        am.update(conn).await?;
    }
    Ok(r.id)
}

pub async fn region_name<C: ConnectionTrait>(
    conn: &C,
    region_id: i64,
) -> StoreResult<Option<String>> {
    Ok(region::Entity::find_by_id(region_id)
        .one(conn)
        .await?
        .map(|r| r.name))
}

/// All regions, by name: `(id, name)`.
pub async fn regions<C: ConnectionTrait>(conn: &C) -> StoreResult<Vec<(i64, String)>> {
    Ok(region::Entity::find()
        .order_by_asc(region::Column::Name)
        .all(conn)
        .await?
        .into_iter()
        .map(|r| (r.id, r.name))
        .collect())
}

pub async fn region_by_name<C: ConnectionTrait>(conn: &C, name: &str) -> StoreResult<Option<i64>> {
    Ok(region::Entity::find()
        .filter(region::Column::Name.eq(name))
        .one(conn)
        .await?
        .map(|r| r.id))
}

pub async fn municipality<C: ConnectionTrait>(
    conn: &C,
    code: &str,
) -> StoreResult<Option<Municipality>> {
    Ok(municipality::Entity::find_by_id(code.to_owned())
        .one(conn)
        .await?
        .map(Municipality::from))
}

pub async fn municipalities_in_region<C: ConnectionTrait>(
    conn: &C,
    region_id: i64,
) -> StoreResult<Vec<Municipality>> {
    Ok(municipality::Entity::find()
        .filter(municipality::Column::RegionId.eq(region_id))
        .order_by_asc(municipality::Column::Name)
        .all(conn)
        .await?
        .into_iter()
        .map(Municipality::from)
        .collect())
}

pub async fn all_municipalities<C: ConnectionTrait>(conn: &C) -> StoreResult<Vec<Municipality>> {
    Ok(municipality::Entity::find()
        .order_by_asc(municipality::Column::Name)
        .all(conn)
        .await?
        .into_iter()
        .map(Municipality::from)
        .collect())
}

/// Creates the provider, or renames it when the AGB code is known already.
pub async fn upsert_provider<C: ConnectionTrait>(
    conn: &C,
    store: &Store,
    agb: &AgbCode,
    name: &str,
) -> StoreResult<(Provider, bool)> {
    let existing = provider::Entity::find()
        .filter(provider::Column::AgbCode.eq(agb.as_str()))
        .one(conn)
        .await?;
    match existing {
        Some(p) if p.name == name => Ok((p.into(), false)),
        Some(p) => {
            let mut am: provider::ActiveModel = p.into();
            am.name = Set(name.to_owned());
            Ok((am.update(conn).await?.into(), false))
        }
        None => {
            let p = provider::ActiveModel {
                agb_code: Set(agb.as_str().to_owned()),
                name: Set(name.to_owned()),
                created_at: Set(millis(store.now())),
                ..Default::default()
            }
            .insert(conn)
            .await?;
            Ok((p.into(), true))
        }
    }
}

pub async fn provider_by_agb<C: ConnectionTrait>(
    conn: &C,
    agb: &str,
) -> StoreResult<Option<Provider>> {
    Ok(provider::Entity::find()
        .filter(provider::Column::AgbCode.eq(agb))
        .one(conn)
        .await?
        .map(Provider::from))
}

pub async fn provider<C: ConnectionTrait>(conn: &C, id: i64) -> StoreResult<Option<Provider>> {
    Ok(provider::Entity::find_by_id(id)
        .one(conn)
        .await?
        .map(Provider::from))
}

pub async fn providers<C: ConnectionTrait>(conn: &C) -> StoreResult<Vec<Provider>> {
    Ok(provider::Entity::find()
        .order_by_asc(provider::Column::Name)
        .all(conn)
        .await?
        .into_iter()
        .map(Provider::from)
        .collect())
}

pub async fn create_team<C: ConnectionTrait>(
    conn: &C,
    name: &str,
    kind: TeamKind,
    municipality_code: Option<&str>,
    provider_id: Option<i64>,
) -> StoreResult<Team> {
    Ok(team::ActiveModel {
        name: Set(name.to_owned()),
        kind: Set(kind.as_str().to_owned()),
        municipality_code: Set(municipality_code.map(str::to_owned)),
        provider_id: Set(provider_id),
        ..Default::default()
    }
    .insert(conn)
    .await?
    .into())
}

pub async fn team<C: ConnectionTrait>(conn: &C, id: i64) -> StoreResult<Option<Team>> {
    Ok(team::Entity::find_by_id(id)
        .one(conn)
        .await?
        .map(Team::from))
}
