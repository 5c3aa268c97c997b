//! Who sees my plan: the resident's consents, inviting someone they trust,
//! withdrawing a consent, and the plans shared with the actor.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
};
use waakvlam_domain::access::AccessAction;
use waakvlam_domain::care::ConsentParty;
use waakvlam_domain::ids::Email;
use waakvlam_domain::limits::{self, TextClass};
use waakvlam_domain::refusal::Explain;
use waakvlam_domain::role::Role;

use super::own_resident;
use crate::accounts::{self, NewAccount, Organisation};
use crate::care_record::{self, NewConsent};
use crate::entity::{consent, indication, resident};
use crate::read::caseload::running_on;
use crate::{ConsentId, Cx, ResidentId, StoreError, StoreResult, from_millis, millis};

/// A party that can see the resident's plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Share {
    pub consent_id: ConsentId,
    pub party: ConsentParty,
    /// The name the resident gave (trusted persons), or the account's name.
    pub name: String,
    pub granted_at: DateTime<Utc>,
    /// Recorded for the support itself (the organisations, the professional
    /// who helps now): they see the plan through the care they give, so
    /// withdrawing here would not stop it and the resident is told so.
    pub needed_for_care: bool,
}

/// The parties `resident_id` shares their plan with now (the caller has
/// checked that the actor is the resident, and logs the page).
pub(crate) async fn shares(cx: &Cx<'_>, resident_id: ResidentId) -> StoreResult<Vec<Share>> {
    let tx = cx.conn();
    let rows = consent::Entity::find()
        .filter(consent::Column::ResidentId.eq(resident_id))
        .filter(consent::Column::RevokedAt.is_null())
        .order_by_asc(consent::Column::GrantedAt)
        .order_by_asc(consent::Column::Id)
        .all(tx)
        .await?;
    let today = cx.now.date_naive();
    let carers: Vec<i64> = indication::Entity::find()
        .filter(indication::Column::ResidentId.eq(resident_id))
        .filter(running_on(today))
        .all(tx)
        .await?
        .into_iter()
        .filter_map(|i| i.professional_account_id)
        .collect();
    let named: Vec<i64> = rows
        .iter()
        .filter(|c| c.party_kind != ConsentParty::TrustedPerson.as_str())
        .filter_map(|c| c.party_account_id)
        .collect();
    let names = crate::accounts::display_names(cx, named).await?;
    Ok(rows
        .into_iter()
        .map(|c| {
            let party = ConsentParty::parse(&c.party_kind).unwrap_or(ConsentParty::TrustedPerson);
            let needed_for_care = match party {
                ConsentParty::Provider | ConsentParty::Municipality => true,
                ConsentParty::Professional => {
                    c.party_account_id.is_some_and(|id| carers.contains(&id))
                }
                ConsentParty::TrustedPerson => false,
            };
            let name = match (party, c.party_account_id) {
                (ConsentParty::TrustedPerson, _) | (_, None) => c.party_name,
                (_, Some(id)) => names.get(&id).cloned().unwrap_or_default(),
            };
            Share {
                consent_id: ConsentId::new(c.id),
                party,
                name,
                granted_at: from_millis(c.granted_at),
                needed_for_care,
            }
        })
        .collect())
}

/// Who the resident invites.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Relation {
    Family,
    InformalCarer,
    Professional,
}

impl Relation {
    pub fn parse(s: &str) -> Option<Relation> {
        match s {
            "family" => Some(Relation::Family),
            "informal_carer" => Some(Relation::InformalCarer),
            "professional" => Some(Relation::Professional),
            _ => None,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Invitation {
    pub name: String,
    pub email: String,
    pub relation: Relation,
}

/// What inviting produced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Invited {
    /// The person already has an account; they see the plan at once.
    Existing { name: String },
    /// A new account: the resident hands the code to the person, who sets
    /// their own password with it.
    NewAccount {
        name: String,
        email: String,
        code: crate::activation::IssuedCode,
    },
}

/// The resident lets someone they trust see their plan.
pub async fn invite(cx: &Cx<'_>, inv: Invitation) -> StoreResult<Invited> {
    let resident_id = own_resident(cx, AccessAction::Create, "consent")?;
    let name = inv.name.trim().to_owned();
    if name.is_empty() {
        return Err(StoreError::refuse("name", "name-required"));
    }
    limits::check_text("name", &name, TextClass::Name)?;
    let email = Email::parse(inv.email.trim().to_lowercase().as_str())
        .map_err(|e| StoreError::from(e.refuse("email")))?;
    let existing = accounts::by_email(cx, email.as_str()).await?;
    let (party, account, code) = match (inv.relation, existing) {
        (Relation::Professional, Some(a))
            if matches!(a.role, Role::Professional | Role::TeamLead) && a.active =>
        {
            (ConsentParty::Professional, a, None)
        }
        (Relation::Professional, _) => {
            return Err(StoreError::refuse("email", "email-no-professional"));
        }
        (_, Some(a)) if a.role == Role::TrustedPerson && a.active => {
            (ConsentParty::TrustedPerson, a, None)
        }
        (_, Some(_)) => {
            return Err(StoreError::refuse("email", "email-other-kind"));
        }
        (_, None) => {
            let a = accounts::create(
                cx,
                NewAccount {
                    email: email.clone(),
                    display_name: name.clone(),
                    role: Role::TrustedPerson,
                    // Nobody knows this password: the person sets their own
                    // with the activation code.
                    password: crate::activation::unguessable_password(),
                    organisation: Organisation::default(),
                    phone: None,
                },
            )
            .await?;
            let code = crate::activation::issue_in(cx, a.id).await?;
            (ConsentParty::TrustedPerson, a, Some(code))
        }
    };
    let already = consent::Entity::find()
        .filter(consent::Column::ResidentId.eq(resident_id))
        .filter(consent::Column::PartyAccountId.eq(account.id))
        .filter(consent::Column::RevokedAt.is_null())
        .one(cx.conn())
        .await?
        .is_some();
    if !already {
        care_record::add_consent(
            cx,
            &NewConsent {
                resident_id,
                party,
                party_account_id: Some(account.id),
                party_name: name.clone(),
                granted_at: cx.now,
            },
        )
        .await?;
    }
    Ok(match code {
        Some(code) => Invited::NewAccount {
            name,
            email: account.email,
            code,
        },
        None => Invited::Existing {
            name: account.display_name,
        },
    })
}

/// The resident stops sharing with a party. From this moment on every read
/// by that party is refused.
pub async fn revoke(cx: &Cx<'_>, consent_id: ConsentId) -> StoreResult<()> {
    let resident_id = own_resident(cx, AccessAction::Create, "consent")?;
    let Some(c) = consent::Entity::find_by_id(consent_id.get())
        .filter(consent::Column::ResidentId.eq(resident_id))
        .one(cx.conn())
        .await?
    else {
        return Err(cx.not_found(
            AccessAction::Update,
            Some(resident_id),
            format!("consent:{consent_id}"),
            "consent",
        ));
    };
    if c.revoked_at.is_none() {
        let mut am: consent::ActiveModel = c.into();
        am.revoked_at = Set(Some(millis(cx.now)));
        am.update(cx.conn()).await?;
        cx.log(
            AccessAction::Update,
            Some(resident_id),
            format!("consent:{consent_id}"),
        );
    }
    Ok(())
}

/// A resident who shares their plan with the actor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SharedWithMe {
    pub resident_id: ResidentId,
    pub name: String,
    pub since: DateTime<Utc>,
}

/// The residents who share their plan with the actor now, in two queries
/// (the consents, then their residents by id); the page logs the search.
pub(crate) async fn shared_with_me(cx: &Cx<'_>) -> StoreResult<Vec<SharedWithMe>> {
    let Some(account_id) = cx.actor.account_id else {
        return Ok(Vec::new());
    };
    let rows = consent::Entity::find()
        .filter(consent::Column::PartyAccountId.eq(account_id))
        .filter(consent::Column::RevokedAt.is_null())
        .order_by_asc(consent::Column::GrantedAt)
        .all(cx.conn())
        .await?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let mut ids: Vec<i64> = rows.iter().map(|c| c.resident_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let residents: HashMap<i64, resident::Model> = resident::Entity::find()
        .filter(resident::Column::Id.is_in(ids))
        .all(cx.conn())
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    Ok(rows
        .into_iter()
        .filter_map(|c| {
            residents.get(&c.resident_id).map(|r| SharedWithMe {
                resident_id: ResidentId::new(c.resident_id),
                name: r.display_name(),
                since: from_millis(c.granted_at),
            })
        })
        .collect())
}
