//! Signal thresholds per municipality and per team. A team's values win over
//! its municipality's, which win over the defaults (`Thresholds::default`).

use std::collections::HashMap;

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};
use waakvlam_domain::signal::{ThresholdOverrides, Thresholds};

use crate::entity::signal_settings;
use crate::{Cx, StoreError, StoreResult, TeamId, millis, organisations};
use waakvlam_domain::access::AccessAction;
use waakvlam_domain::refusal::Reason;
use waakvlam_domain::role::Role;

use crate::tenant::Tenant;

/// Whose thresholds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SettingsScope {
    Municipality(String),
    Team(TeamId),
}

/// All settings, loaded once per caseload.
#[derive(Clone, Debug, Default)]
pub struct SignalSettings {
    municipalities: HashMap<String, ThresholdOverrides>,
    teams: HashMap<TeamId, ThresholdOverrides>,
}

impl SignalSettings {
    /// The thresholds for a resident of `municipality` on `team`'s caseload.
    pub fn thresholds(&self, municipality: &str, team: Option<TeamId>) -> Thresholds {
        let mut t = Thresholds::default();
        if let Some(o) = self.municipalities.get(municipality) {
            t = t.merge(o);
        }
        if let Some(o) = team.and_then(|id| self.teams.get(&id)) {
            t = t.merge(o);
        }
        t
    }
}

fn parse(row: &signal_settings::Model) -> StoreResult<ThresholdOverrides> {
    serde_json::from_str(&row.overrides)
        .map_err(|e| StoreError::Internal(format!("signal settings {} are not valid: {e}", row.id)))
}

pub async fn load(cx: &Cx<'_>) -> StoreResult<SignalSettings> {
    let mut s = SignalSettings::default();
    for row in signal_settings::Entity::find().all(cx.conn()).await? {
        let o = parse(&row)?;
        match (&row.municipality_code, row.team_id) {
            (Some(code), _) => {
                s.municipalities.insert(code.clone(), o);
            }
            (None, Some(team)) => {
                s.teams.insert(TeamId::new(team), o);
            }
            (None, None) => {}
        }
    }
    Ok(s)
}

async fn find<C: ConnectionTrait>(
    conn: &C,
    scope: &SettingsScope,
) -> StoreResult<Option<signal_settings::Model>> {
    let q = signal_settings::Entity::find();
    let q = match scope {
        SettingsScope::Municipality(code) => {
            q.filter(signal_settings::Column::MunicipalityCode.eq(code.as_str()))
        }
        SettingsScope::Team(id) => q.filter(signal_settings::Column::TeamId.eq(*id)),
    };
    Ok(q.one(conn).await?)
}

/// The overrides set for one municipality or team.
pub async fn overrides(cx: &Cx<'_>, scope: &SettingsScope) -> StoreResult<ThresholdOverrides> {
    match find(cx.conn(), scope).await? {
        Some(row) => parse(&row),
        None => Ok(ThresholdOverrides::default()),
    }
}

/// Replaces the overrides of one municipality or team, as set by the acting
/// account (none for the command line).
pub async fn set(
    cx: &Cx<'_>,
    scope: &SettingsScope,
    overrides: &ThresholdOverrides,
) -> StoreResult<()> {
    // A team's thresholds are its team lead's to set; a municipality's
    // apply to every team in it, so only an administrator (or the command
    // line) sets those.
    let allowed = match (&cx.actor.tenant, scope) {
        (Tenant::System | Tenant::Admin, _) => true,
        (Tenant::Team { team_id }, SettingsScope::Team(id)) => {
            team_id == id && cx.actor.role == Some(Role::TeamLead)
        }
        _ => false,
    };
    if !allowed {
        let object = match scope {
            SettingsScope::Municipality(code) => format!("signal_settings:municipality:{code}"),
            SettingsScope::Team(id) => format!("signal_settings:team:{id}"),
        };
        return Err(cx.deny(AccessAction::Update, None, object));
    }
    let tx = cx.conn();
    let by = cx.actor.account_id.map(i64::from);
    match scope {
        SettingsScope::Municipality(code) => {
            if organisations::municipality(cx, code).await?.is_none() {
                return Err(StoreError::refuse_with(
                    "municipality",
                    Reason::new("unknown-municipality").with("code", code),
                ));
            }
        }
        SettingsScope::Team(id) => {
            if organisations::team(cx, *id).await?.is_none() {
                return Err(StoreError::refuse_with(
                    "team",
                    Reason::new("unknown-team").with("id", id),
                ));
            }
        }
    }
    let json = serde_json::to_string(overrides).map_err(|e| StoreError::Internal(e.to_string()))?;
    let now = millis(cx.now);
    match find(tx, scope).await? {
        Some(row) => {
            let mut am: signal_settings::ActiveModel = row.into();
            am.overrides = Set(json);
            am.updated_by = Set(by);
            am.updated_at = Set(now);
            am.update(tx).await?;
        }
        None => {
            let (municipality_code, team_id) = match scope {
                SettingsScope::Municipality(code) => (Some(code.clone()), None),
                SettingsScope::Team(id) => (None, Some(id.get())),
            };
            signal_settings::ActiveModel {
                municipality_code: Set(municipality_code),
                team_id: Set(team_id),
                overrides: Set(json),
                updated_by: Set(by),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(tx)
            .await?;
        }
    }
    Ok(())
}
