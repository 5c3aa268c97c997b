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
use waakvlam_domain::refusal::{Explain, Reason, Refusal};
use waakvlam_domain::role::Role;

use super::own_resident;
use crate::accounts::{self, NewAccount, Organisation};
use crate::care_record::{self, NewConsent};
use crate::entity::{consent, indication, invitation, resident};
use crate::read::caseload::running_on;
use crate::{
    ConsentId, Cx, InvitationId, ResidentId, StoreError, StoreResult, from_millis, millis,
};

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

impl Relation {
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::Family => "family",
            Relation::InformalCarer => "informal_carer",
            Relation::Professional => "professional",
        }
    }

    /// The kind of party the accepted invitation records.
    fn party(self) -> ConsentParty {
        match self {
            Relation::Professional => ConsentParty::Professional,
            Relation::Family | Relation::InformalCarer => ConsentParty::TrustedPerson,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Invitation {
    pub name: String,
    pub email: String,
    pub relation: Relation,
}

/// What inviting produced: the same answer for every address, whether it
/// has an account or not, so that inviting tells nobody who uses Waakvlam.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invited {
    pub name: String,
    pub email: String,
    /// The resident hands the code to the person, who accepts with it.
    pub code: crate::activation::IssuedCode,
}

/// An invitation that waits to be accepted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pending {
    pub id: InvitationId,
    pub name: String,
    pub email: String,
    pub relation: Relation,
    pub expires_at: DateTime<Utc>,
}

/// The resident invites someone to see their plan. Nothing is looked up and
/// no account is made: the invitation waits until the person accepts it with
/// the code ([`accept`], [`accept_with_new_account`]); only then is the plan
/// shared. A new invitation for the same address replaces a waiting one.
pub async fn invite(cx: &Cx<'_>, inv: Invitation) -> StoreResult<Invited> {
    let resident_id = own_resident(cx, AccessAction::Create, "invitation")?;
    let name = inv.name.trim().to_owned();
    let email = Email::parse(inv.email.trim().to_lowercase().as_str());
    let mut refusals = Vec::new();
    if name.is_empty() {
        refusals.push(Refusal::new("name", Reason::new("name-required")));
    } else if let Err(r) = limits::check_text("name", &name, TextClass::Name) {
        refusals.push(r);
    }
    let email = match email {
        Ok(e) => Some(e),
        Err(e) => {
            refusals.push(e.refuse("email"));
            None
        }
    };
    let Some(email) = email.filter(|_| refusals.is_empty()) else {
        return Err(StoreError::Invalid(refusals));
    };
    let now = millis(cx.now);
    let waiting = invitation::Entity::find()
        .filter(invitation::Column::ResidentId.eq(resident_id))
        .filter(invitation::Column::Email.eq(email.as_str()))
        .filter(invitation::Column::AcceptedAt.is_null())
        .filter(invitation::Column::WithdrawnAt.is_null())
        .all(cx.conn())
        .await?;
    for w in waiting {
        let mut am: invitation::ActiveModel = w.into();
        am.withdrawn_at = Set(Some(now));
        am.update(cx.conn()).await?;
    }
    let (code, code_hash) = crate::activation::new_code();
    let expires_at = cx.now + chrono::Duration::days(crate::activation::VALID_DAYS);
    let row = invitation::ActiveModel {
        resident_id: Set(resident_id.get()),
        party_name: Set(name.clone()),
        email: Set(email.as_str().to_owned()),
        relation: Set(inv.relation.as_str().to_owned()),
        code_hash: Set(code_hash),
        created_by: Set(cx.actor.account_id.map(i64::from)),
        created_at: Set(now),
        expires_at: Set(millis(expires_at)),
        accepted_at: Set(None),
        accepted_by: Set(None),
        consent_id: Set(None),
        withdrawn_at: Set(None),
        ..Default::default()
    }
    .insert(cx.conn())
    .await?;
    cx.log(
        AccessAction::Create,
        Some(resident_id),
        format!("invitation:{}", row.id),
    );
    Ok(Invited {
        name,
        email: email.as_str().to_owned(),
        code: crate::activation::IssuedCode { code, expires_at },
    })
}

/// The resident's invitations that wait to be accepted (the caller has
/// checked that the actor is the resident, and logs the page).
pub(crate) async fn pending(cx: &Cx<'_>, resident_id: ResidentId) -> StoreResult<Vec<Pending>> {
    Ok(invitation::Entity::find()
        .filter(invitation::Column::ResidentId.eq(resident_id))
        .filter(invitation::Column::AcceptedAt.is_null())
        .filter(invitation::Column::WithdrawnAt.is_null())
        .filter(invitation::Column::ExpiresAt.gt(millis(cx.now)))
        .order_by_asc(invitation::Column::CreatedAt)
        .order_by_asc(invitation::Column::Id)
        .all(cx.conn())
        .await?
        .into_iter()
        .map(|i| Pending {
            id: InvitationId::new(i.id),
            name: i.party_name,
            email: i.email,
            relation: Relation::parse(&i.relation).unwrap_or(Relation::Family),
            expires_at: from_millis(i.expires_at),
        })
        .collect())
}

/// The resident withdraws an invitation that was not accepted yet: its code
/// stops working.
pub async fn withdraw(cx: &Cx<'_>, id: InvitationId) -> StoreResult<()> {
    let resident_id = own_resident(cx, AccessAction::Update, "invitation")?;
    let object = format!("invitation:{id}");
    let Some(row) = invitation::Entity::find_by_id(id.get())
        .filter(invitation::Column::ResidentId.eq(resident_id))
        .one(cx.conn())
        .await?
    else {
        return Err(cx.not_found(
            AccessAction::Update,
            Some(resident_id),
            object,
            "invitation",
        ));
    };
    if row.accepted_at.is_none() && row.withdrawn_at.is_none() {
        let mut am: invitation::ActiveModel = row.into();
        am.withdrawn_at = Set(Some(millis(cx.now)));
        am.update(cx.conn()).await?;
        cx.log(AccessAction::Update, Some(resident_id), object);
    }
    Ok(())
}

/// The invitation a typed code is for, while it can still be accepted.
async fn usable(cx: &Cx<'_>, code: &str) -> StoreResult<invitation::Model> {
    invitation::Entity::find()
        .filter(invitation::Column::CodeHash.eq(crate::activation::code_hash(code)))
        .filter(invitation::Column::AcceptedAt.is_null())
        .filter(invitation::Column::WithdrawnAt.is_null())
        .filter(invitation::Column::ExpiresAt.gt(millis(cx.now)))
        .one(cx.conn())
        .await?
        .ok_or_else(|| StoreError::refuse("code", "invitation-code"))
}

/// The resident whose plan an accepted invitation shares.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Accepted {
    pub resident_id: ResidentId,
    pub resident_name: String,
}

/// Records the share an invitation asked for, for `account`, and marks the
/// invitation accepted. A live share for the account is kept, not doubled.
async fn record(
    cx: &Cx<'_>,
    row: invitation::Model,
    account: Option<&crate::accounts::Account>,
) -> StoreResult<ResidentId> {
    let resident_id = ResidentId::new(row.resident_id);
    let relation = Relation::parse(&row.relation).unwrap_or(Relation::Family);
    let mut consent_id = None;
    if let Some(account) = account {
        let live = consent::Entity::find()
            .filter(consent::Column::ResidentId.eq(resident_id))
            .filter(consent::Column::PartyAccountId.eq(account.id))
            .filter(consent::Column::RevokedAt.is_null())
            .one(cx.conn())
            .await?;
        consent_id = Some(match live {
            Some(c) => ConsentId::new(c.id),
            None => {
                care_record::add_consent(
                    cx,
                    &NewConsent {
                        resident_id,
                        party: relation.party(),
                        party_account_id: Some(account.id),
                        party_name: row.party_name.clone(),
                        granted_at: cx.now,
                    },
                )
                .await?
            }
        });
    }
    let object = format!("invitation:{}", row.id);
    let mut am: invitation::ActiveModel = row.into();
    am.accepted_at = Set(Some(millis(cx.now)));
    am.accepted_by = Set(account.map(|a| i64::from(a.id)));
    am.consent_id = Set(consent_id.map(i64::from));
    am.update(cx.conn()).await?;
    cx.log(AccessAction::Update, Some(resident_id), object);
    Ok(resident_id)
}

/// A logged-in person accepts an invitation with its code. It must be for
/// their own address, and for their kind of account: an invitation as
/// professional for a professional's account, otherwise for someone the
/// resident trusts.
pub async fn accept(cx: &Cx<'_>, code: &str) -> StoreResult<Accepted> {
    let Some(account_id) = cx.actor.account_id else {
        return Err(StoreError::refuse("code", "invitation-code"));
    };
    let row = usable(cx, code).await?;
    let Some(account) = accounts::by_id(cx, account_id).await?.filter(|a| a.active) else {
        return Err(StoreError::refuse("code", "invitation-code"));
    };
    if !account.email.eq_ignore_ascii_case(&row.email) {
        return Err(StoreError::refuse("code", "invitation-other-address"));
    }
    let relation = Relation::parse(&row.relation).unwrap_or(Relation::Family);
    let fits = match relation {
        Relation::Professional => matches!(account.role, Role::Professional | Role::TeamLead),
        Relation::Family | Relation::InformalCarer => account.role == Role::TrustedPerson,
    };
    if !fits {
        return Err(StoreError::refuse("code", "invitation-other-kind"));
    }
    let resident_id = record(cx, row, Some(&account)).await?;
    let resident_name = resident::Entity::find_by_id(resident_id.get())
        .one(cx.conn())
        .await?
        .map(|r| r.display_name())
        .unwrap_or_default();
    Ok(Accepted {
        resident_id,
        resident_name,
    })
}

/// Someone not logged in accepts an invitation with its code and chooses a
/// password: they get an account for someone the resident trusts, with the
/// address the resident typed. The answer is the same whether that address
/// already had an account: then the share is recorded for that account and
/// its password stays as it was (the code is no way into an account). An
/// invitation as professional needs the professional's own login.
pub async fn accept_with_new_account(
    cx: &Cx<'_>,
    code: &str,
    password: &str,
) -> StoreResult<String> {
    let row = usable(cx, code).await?;
    if row.relation == Relation::Professional.as_str() {
        return Err(StoreError::refuse("code", "invitation-log-in"));
    }
    waakvlam_domain::password::validate_new_password(password)
        .map_err(|e| StoreError::from(e.refuse("password")))?;
    let email = row.email.clone();
    let account = match accounts::by_email(cx, &email).await? {
        None => Some(
            accounts::create(
                cx,
                NewAccount {
                    email: Email::parse(&email).map_err(|e| StoreError::from(e.refuse("code")))?,
                    display_name: row.party_name.clone(),
                    role: Role::TrustedPerson,
                    password: password.to_owned(),
                    organisation: Organisation::default(),
                    phone: None,
                },
            )
            .await?,
        ),
        // Invitations that reach this point are for someone the resident
        // trusts, so only such an account gets the share.
        Some(a) if a.active && a.role == Role::TrustedPerson => Some(a),
        // A resident's, a professional's or an office account: no share,
        // and the same answer.
        Some(_) => None,
    };
    record(cx, row, account.as_ref()).await?;
    Ok(email)
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
