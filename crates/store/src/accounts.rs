//! Accounts: who can log in, in which role, on behalf of which organisation.

use std::collections::HashMap;
use std::sync::Arc;

use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};
use waakvlam_domain::access::{AccessAction, Purpose};
use waakvlam_domain::ids::Email;
use waakvlam_domain::password::validate_new_password;
use waakvlam_domain::role::Role;

use crate::changes;
use crate::entity::{account, municipality, provider, region, resident, session, team};
use crate::{
    AccountId, Actor, Cx, ProviderId, RegionId, ResidentId, StoreError, StoreResult, TeamId,
    Tenant, from_millis, millis,
};
use chrono::{DateTime, Utc};
use waakvlam_domain::refusal::Explain;
use waakvlam_domain::refusal::Reason;

/// An account as the rest of the application sees it (never the hash).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    pub id: AccountId,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub municipality_code: Option<String>,
    pub region_id: Option<RegionId>,
    pub provider_id: Option<ProviderId>,
    pub team_id: Option<TeamId>,
    pub resident_id: Option<ResidentId>,
    pub phone: Option<String>,
    pub active: bool,
    /// Hours a week for the caseload (professionals; set by the team lead).
    pub capacity_hours_per_week: Option<u32>,
}

impl TryFrom<account::Model> for Account {
    type Error = StoreError;
    fn try_from(m: account::Model) -> StoreResult<Self> {
        let role = Role::parse(&m.role).map_err(|_| {
            StoreError::Internal(format!("account {} has unknown role {:?}", m.id, m.role))
        })?;
        Ok(Account {
            id: AccountId::new(m.id),
            email: m.email,
            display_name: m.display_name,
            role,
            municipality_code: m.municipality_code,
            region_id: m.region_id.map(RegionId::new),
            provider_id: m.provider_id.map(ProviderId::new),
            team_id: m.team_id.map(TeamId::new),
            resident_id: m.resident_id.map(ResidentId::new),
            phone: m.phone,
            active: m.active,
            capacity_hours_per_week: m
                .capacity_hours_per_week
                .and_then(|h| u32::try_from(h).ok()),
        })
    }
}

impl Account {
    /// The scope this account works in; see [`Tenant`].
    pub fn tenant(&self) -> Tenant {
        match self.role {
            Role::Admin => Tenant::Admin,
            Role::Consultant => match (&self.municipality_code, self.region_id) {
                (Some(code), _) => Tenant::Municipality { code: code.clone() },
                (None, Some(region_id)) => Tenant::Region { region_id },
                // Unreachable through `create`, which requires an organisation.
                (None, None) => Tenant::AggregatesOnly,
            },
            Role::Analyst => Tenant::AggregatesOnly,
            Role::Professional => Tenant::Professional {
                account_id: self.id,
                provider_id: self.provider_id,
                team_id: self.team_id,
            },
            Role::TeamLead => match self.team_id {
                Some(team_id) => Tenant::Team { team_id },
                None => Tenant::AggregatesOnly,
            },
            Role::Resident => match self.resident_id {
                Some(resident_id) => Tenant::Resident { resident_id },
                None => Tenant::AggregatesOnly,
            },
            // A municipality's contract manager keeps to that municipality,
            // even when it lies in a region.
            Role::ContractManager => Tenant::ContractManager {
                municipality_code: self.municipality_code.clone(),
                region_id: self
                    .municipality_code
                    .is_none()
                    .then_some(self.region_id)
                    .flatten(),
            },
            Role::TrustedPerson => Tenant::TrustedPerson {
                account_id: self.id,
            },
        }
    }

    /// The actor for this account's requests.
    pub async fn actor(&self, cx: &Cx<'_>, client_address: Option<String>) -> StoreResult<Actor> {
        let conn = cx.conn();
        Ok(Actor {
            account_id: Some(self.id),
            name: self.display_name.clone(),
            role: Some(self.role),
            organisation: label_on(conn, self).await?,
            tenant: self.tenant(),
            client_address,
            purpose: match self.role {
                Role::Admin => Purpose::SystemManagement,
                Role::Consultant | Role::ContractManager => Purpose::Administration,
                Role::Analyst => Purpose::Monitoring,
                Role::Resident | Role::TrustedPerson => Purpose::ResidentSelfService,
                Role::Professional | Role::TeamLead => Purpose::Care,
            },
        })
    }
}

/// The organisation an account acts for, in words.
pub async fn organisation_label(cx: &Cx<'_>, a: &Account) -> StoreResult<String> {
    label_on(cx.conn(), a).await
}

async fn label_on<C: ConnectionTrait>(conn: &C, a: &Account) -> StoreResult<String> {
    if let Some(team_id) = a.team_id
        && let Some(t) = team::Entity::find_by_id(team_id).one(conn).await?
    {
        return Ok(t.name);
    }
    if let Some(pid) = a.provider_id
        && let Some(p) = provider::Entity::find_by_id(pid).one(conn).await?
    {
        return Ok(p.name);
    }
    if let Some(code) = &a.municipality_code
        && let Some(m) = municipality::Entity::find_by_id(code.clone())
            .one(conn)
            .await?
    {
        return Ok(format!("Gemeente {}", m.name));
    }
    if let Some(rid) = a.region_id
        && let Some(r) = region::Entity::find_by_id(rid).one(conn).await?
    {
        return Ok(r.name);
    }
    Ok(match a.role {
        Role::Resident => "Inwoner".to_owned(),
        Role::TrustedPerson => "Vertrouwd persoon".to_owned(),
        _ => "Waakvlam".to_owned(),
    })
}

/// Which organisation a new account belongs to.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Organisation {
    pub municipality_code: Option<String>,
    pub region_id: Option<RegionId>,
    pub provider_id: Option<ProviderId>,
    pub team_id: Option<TeamId>,
    pub resident_id: Option<ResidentId>,
}

#[derive(Clone, Debug)]
pub struct NewAccount {
    pub email: Email,
    pub display_name: String,
    pub role: Role,
    pub password: String,
    pub organisation: Organisation,
    pub phone: Option<String>,
}

/// Hashes a password with argon2id and a fresh salt.
pub fn hash_password(password: &str) -> StoreResult<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| StoreError::Internal(format!("cannot hash password: {e}")))
}

fn verify_password(password: &str, hash: &str) -> bool {
    match PasswordHash::new(hash) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// Checks a password against a hash. argon2 takes tens of milliseconds of
/// CPU: keep it off the async workers.
async fn check_password(password: &str, hash: Arc<String>) -> StoreResult<bool> {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .map_err(|e| StoreError::Internal(format!("password check failed: {e}")))
}

/// A hash to verify against when the e-mail address is unknown, so that a
/// failed login takes as long whether or not the account exists.
fn dummy_hash() -> Arc<String> {
    static DUMMY: std::sync::OnceLock<Arc<String>> = std::sync::OnceLock::new();
    DUMMY
        .get_or_init(|| Arc::new(hash_password("waakvlam-timing-equaliser").unwrap_or_default()))
        .clone()
}

/// Creates an account after checking the password policy and that the role
/// has the organisation it needs.
pub async fn create(cx: &Cx<'_>, new: NewAccount) -> StoreResult<Account> {
    let conn = cx.conn();
    validate_new_password(&new.password).map_err(|e| StoreError::from(e.refuse("password")))?;
    let name = new.display_name.trim();
    if name.is_empty() {
        return Err(StoreError::refuse("name", "name-required"));
    }
    waakvlam_domain::limits::check_text("name", name, waakvlam_domain::limits::TextClass::Name)?;
    let o = &new.organisation;
    let needs = match new.role {
        Role::Consultant if o.municipality_code.is_none() && o.region_id.is_none() => {
            Some("organisation-consultant")
        }
        Role::Professional if o.provider_id.is_none() && o.team_id.is_none() => {
            Some("organisation-professional")
        }
        Role::TeamLead if o.team_id.is_none() => Some("organisation-team-lead"),
        Role::ContractManager if o.municipality_code.is_none() && o.region_id.is_none() => {
            Some("organisation-contract-manager")
        }
        Role::Resident if o.resident_id.is_none() => Some("organisation-resident"),
        _ => None,
    };
    if let Some(id) = needs {
        return Err(StoreError::refuse("organisation", id));
    }
    if let Some(rid) = o.resident_id
        && resident::Entity::find_by_id(rid).one(conn).await?.is_none()
    {
        return Err(StoreError::refuse_with(
            "organisation",
            Reason::new("unknown-resident").with("id", rid),
        ));
    }
    if account::Entity::find()
        .filter(account::Column::Email.eq(new.email.as_str()))
        .one(conn)
        .await?
        .is_some()
    {
        return Err(StoreError::conflict(
            "email",
            Reason::new("account-exists").with("email", new.email.as_str()),
        ));
    }
    let hash = hash_password(&new.password)?;
    let m = account::ActiveModel {
        email: Set(new.email.as_str().to_owned()),
        display_name: Set(name.to_owned()),
        role: Set(new.role.as_str().to_owned()),
        password_hash: Set(hash),
        municipality_code: Set(o.municipality_code.clone()),
        region_id: Set(o.region_id.map(i64::from)),
        provider_id: Set(o.provider_id.map(i64::from)),
        team_id: Set(o.team_id.map(i64::from)),
        resident_id: Set(o.resident_id.map(i64::from)),
        phone: Set(new.phone.clone()),
        active: Set(true),
        created_at: Set(millis(cx.now)),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    m.try_into()
}

/// Checks an e-mail address and password; `None` when either is wrong or the
/// account is inactive (the caller cannot tell which, on purpose).
pub async fn authenticate(
    cx: &Cx<'_>,
    email: &str,
    password: &str,
) -> StoreResult<Option<Account>> {
    let email = email.trim().to_lowercase();
    let found = account::Entity::find()
        .filter(account::Column::Email.eq(email))
        .one(cx.conn())
        .await?;
    let (hash, model) = match found {
        Some(m) => (Arc::new(m.password_hash.clone()), Some(m)),
        None => (dummy_hash(), None),
    };
    let ok = check_password(password, hash).await?;
    match model {
        Some(m) if ok && m.active => Ok(Some(m.try_into()?)),
        _ => Ok(None),
    }
}

pub async fn by_id(cx: &Cx<'_>, id: AccountId) -> StoreResult<Option<Account>> {
    account::Entity::find_by_id(id.get())
        .one(cx.conn())
        .await?
        .map(Account::try_from)
        .transpose()
}

pub async fn by_email(cx: &Cx<'_>, email: &str) -> StoreResult<Option<Account>> {
    account::Entity::find()
        .filter(account::Column::Email.eq(email.trim().to_lowercase()))
        .one(cx.conn())
        .await?
        .map(Account::try_from)
        .transpose()
}

/// All accounts, for administrators.
pub async fn list(cx: &Cx<'_>) -> StoreResult<Vec<Account>> {
    account::Entity::find()
        .order_by_asc(account::Column::Role)
        .order_by_asc(account::Column::Email)
        .all(cx.conn())
        .await?
        .into_iter()
        .map(Account::try_from)
        .collect()
}

/// Professionals of a team or provider (for assigning caseloads).
pub async fn professionals_of_team(cx: &Cx<'_>, team_id: TeamId) -> StoreResult<Vec<Account>> {
    account::Entity::find()
        .filter(account::Column::TeamId.eq(team_id))
        .filter(account::Column::Role.eq(Role::Professional.as_str()))
        .order_by_asc(account::Column::DisplayName)
        .all(cx.conn())
        .await?
        .into_iter()
        .map(Account::try_from)
        .collect()
}

/// The most hours a week a capacity can be: a full-time week with overtime.
pub const MAX_CAPACITY_HOURS: u32 = 60;

/// The team lead sets how many hours a week a professional of their team
/// has for their caseload (`None`: not set). Anyone else, or a professional
/// of another team, is refused (and logged).
pub async fn set_capacity(
    cx: &Cx<'_>,
    professional: AccountId,
    hours: Option<u32>,
) -> StoreResult<()> {
    let object = format!("account:{professional}:capacity");
    // The team lead of the professional's team; seeding and the command
    // line (the system) for any professional.
    let team = match (&cx.actor.tenant, cx.actor.role) {
        (Tenant::Team { team_id }, Some(Role::TeamLead)) => Some(*team_id),
        (Tenant::System, _) => None,
        _ => return Err(cx.deny(AccessAction::Update, None, object)),
    };
    let Some(m) = account::Entity::find_by_id(professional.get())
        .one(cx.conn())
        .await?
        .filter(|a| {
            a.role == Role::Professional.as_str() && team.is_none_or(|t| a.team_id == Some(t.get()))
        })
    else {
        return Err(cx.not_found(AccessAction::Update, None, object, "professional"));
    };
    if hours.is_some_and(|h| h > MAX_CAPACITY_HOURS) {
        return Err(StoreError::refuse_with(
            "capacity",
            Reason::new("capacity-out-of-range").with("max", MAX_CAPACITY_HOURS),
        ));
    }
    let old = m.capacity_hours_per_week;
    let new = hours.map(|h| i32::try_from(h).unwrap_or(i32::MAX));
    if old == new {
        return Ok(());
    }
    changes::record(
        cx.conn(),
        cx.actor,
        millis(cx.now),
        changes::Change {
            entity: "account",
            id: m.id,
            field: "capacity_hours_per_week",
            old: old.map(|h| h.to_string()),
            new: new.map(|h| h.to_string()),
        },
    )
    .await?;
    let mut am: account::ActiveModel = m.into();
    am.capacity_hours_per_week = Set(new);
    am.update(cx.conn()).await?;
    cx.log(AccessAction::Update, None, object);
    Ok(())
}

/// Replaces a password after checking the policy, and ends every session
/// of the account: whoever was logged in with the old password is logged
/// out (the caller starts a new session for the one who chose it).
pub async fn set_password(cx: &Cx<'_>, account_id: AccountId, password: &str) -> StoreResult<()> {
    let conn = cx.conn();
    validate_new_password(password).map_err(|e| StoreError::from(e.refuse("password")))?;
    let m = account::Entity::find_by_id(account_id.get())
        .one(conn)
        .await?
        .ok_or(StoreError::NotFound { what: "account" })?;
    let mut am: account::ActiveModel = m.into();
    am.password_hash = Set(hash_password(password)?);
    am.update(conn).await?;
    session::Entity::delete_many()
        .filter(session::Column::AccountId.eq(account_id))
        .exec(conn)
        .await?;
    Ok(())
}

/// A reset of the password with an activation code, as the account's holder
/// is told about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PasswordReset {
    pub at: DateTime<Utc>,
    /// Who made the code (name and organisation, as they were then).
    pub code_by: String,
}

/// Remembers, before a reset with a code, the password it replaces and who
/// made the code, so that someone who logs in with the old password is told
/// (see [`reset_behind`]).
pub(crate) async fn note_reset(
    cx: &Cx<'_>,
    account_id: AccountId,
    code_by: String,
) -> StoreResult<()> {
    let conn = cx.conn();
    let m = account::Entity::find_by_id(account_id.get())
        .one(conn)
        .await?
        .ok_or(StoreError::NotFound { what: "account" })?;
    let previous = m.password_hash.clone();
    let mut am: account::ActiveModel = m.into();
    am.previous_password_hash = Set(Some(previous));
    am.password_reset_at = Set(Some(millis(cx.now)));
    am.password_reset_by = Set(Some(code_by));
    am.update(conn).await?;
    Ok(())
}

/// After a failed login: the reset that replaced this password, when the
/// password typed is the one from before a reset with a code. Only someone
/// who knew the old password learns of the reset, so it tells a stranger
/// nothing; the check takes as long whether or not there was a reset.
pub async fn reset_behind(
    cx: &Cx<'_>,
    email: &str,
    password: &str,
) -> StoreResult<Option<PasswordReset>> {
    let found = account::Entity::find()
        .filter(account::Column::Email.eq(email.trim().to_lowercase()))
        .one(cx.conn())
        .await?;
    let previous = found
        .as_ref()
        .and_then(|m| m.previous_password_hash.clone())
        .map(Arc::new);
    let hash = previous.clone().unwrap_or_else(dummy_hash);
    let matches = check_password(password, hash).await?;
    Ok(match found {
        Some(m) if matches && previous.is_some() => {
            match (m.password_reset_at, m.password_reset_by) {
                (Some(at), Some(code_by)) => Some(PasswordReset {
                    at: from_millis(at),
                    code_by,
                }),
                _ => None,
            }
        }
        _ => None,
    })
}

/// The display names of these accounts, in one query (crate-internal: the
/// ids come straight from the rows that mention the accounts).
pub(crate) async fn display_names(
    cx: &Cx<'_>,
    mut ids: Vec<i64>,
) -> StoreResult<HashMap<i64, String>> {
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(account::Entity::find()
        .filter(account::Column::Id.is_in(ids))
        .all(cx.conn())
        .await?
        .into_iter()
        .map(|a| (a.id, a.display_name))
        .collect())
}
