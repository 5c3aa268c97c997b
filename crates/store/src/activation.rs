//! Activation codes: how a resident (or someone they trust) gets in without
//! an e-mail round trip. A professional makes a code (printed on a letter or
//! read from the resident page); with it the person sets their own password.
//! A forgotten password goes the same way: the professional makes a new code.
//!
//! Codes are random (60 bits), stored only as a SHA-256 hash, expire after
//! [`VALID_DAYS`] days, work once, and a new code cancels older ones. The web
//! layer throttles attempts per client address.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, Utc};
use rand::{Rng, RngCore};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use sha2::{Digest, Sha256};
use waakvlam_domain::access::AccessAction;
use waakvlam_domain::ids::Email;
use waakvlam_domain::password::validate_new_password;
use waakvlam_domain::role::Role;

use crate::accounts::{self, Account, NewAccount, Organisation};
use crate::care_record;
use crate::entity::{account, activation_code, resident};
use crate::{
    AccountId, Actor, Cx, ResidentId, StoreError, StoreResult, Tenant, from_millis, millis,
};
use waakvlam_domain::refusal::Explain;

/// How long a code works.
pub const VALID_DAYS: i64 = 14;

/// No 0/O, 1/I/L: codes are typed over from paper.
const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
const LENGTH: usize = 12;

/// A code just made: shown once, never stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IssuedCode {
    /// Grouped for reading aloud: `ABCD-EFGH-JKMN`.
    pub code: String,
    pub expires_at: DateTime<Utc>,
}

fn generate() -> String {
    let mut rng = rand::rng();
    let chars: Vec<char> = (0..LENGTH)
        .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
        .collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// The code as typed, without spaces and dashes, in capitals.
pub fn normalise(input: &str) -> String {
    input
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

fn hash(code: &str) -> String {
    hex::encode(Sha256::digest(normalise(code).as_bytes()))
}

/// The stored form of a typed code (invitations use the same codes).
pub(crate) fn code_hash(code: &str) -> String {
    hash(code)
}

/// A fresh code and its stored hash.
pub(crate) fn new_code() -> (String, String) {
    let code = generate();
    let hashed = hash(&code);
    (code, hashed)
}

/// A password nobody knows, for accounts that are activated with a code.
pub fn unguessable_password() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Makes a code for `account_id` inside the unit of work; older unused
/// codes of the account stop working.
pub(crate) async fn issue_in(cx: &Cx<'_>, account_id: AccountId) -> StoreResult<IssuedCode> {
    let (conn, now) = (cx.conn(), cx.now);
    let old = activation_code::Entity::find()
        .filter(activation_code::Column::AccountId.eq(account_id))
        .filter(activation_code::Column::UsedAt.is_null())
        .all(conn)
        .await?;
    for c in old {
        let mut am: activation_code::ActiveModel = c.into();
        am.used_at = Set(Some(millis(now)));
        am.update(conn).await?;
    }
    let code = generate();
    let expires_at = now + Duration::days(VALID_DAYS);
    activation_code::ActiveModel {
        account_id: Set(account_id.into()),
        code_hash: Set(hash(&code)),
        created_by: Set(cx.actor.account_id.map(i64::from)),
        created_at: Set(millis(now)),
        expires_at: Set(millis(expires_at)),
        used_at: Set(None),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(IssuedCode { code, expires_at })
}

/// A code for a resident, made by a professional who works with them. When
/// the resident has no account yet, one is made; `login` is the name to log
/// in with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResidentCode {
    pub code: IssuedCode,
    pub login: String,
    /// The resident's name, for the letter.
    pub resident_name: String,
}

/// Refused (and logged) for a professional the resident took the plan away
/// from: with a code they could log in as the resident and read it there.
pub async fn issue_for_resident(cx: &Cx<'_>, resident_id: ResidentId) -> StoreResult<ResidentCode> {
    let objects = format!("resident:{resident_id}:activation_code");
    let conn = cx.conn();
    let visible = if matches!(
        cx.actor.tenant,
        Tenant::Professional { .. } | Tenant::Team { .. }
    ) {
        resident::Entity::find_by_id(resident_id.get())
            .filter(cx.actor.tenant.resident_filter())
            .one(conn)
            .await?
    } else {
        None
    };
    let Some(r) = visible else {
        return Err(cx.deny(AccessAction::Create, Some(resident_id), objects));
    };
    if care_record::plan_withheld(cx, resident_id).await? {
        return Err(cx.deny(AccessAction::Create, Some(resident_id), objects));
    }
    let existing = account::Entity::find()
        .filter(account::Column::ResidentId.eq(resident_id))
        .filter(account::Column::Role.eq(Role::Resident.as_str()))
        .one(conn)
        .await?;
    let account: Account = match existing {
        Some(a) => a.try_into()?,
        None => {
            let taken = match &r.email {
                Some(e) => accounts::by_email(cx, e).await?.is_some(),
                None => true,
            };
            // Residents without an e-mail address of their own get a login
            // name that cannot receive mail.
            let login = match (&r.email, taken) {
                (Some(e), false) => e.clone(),
                _ => format!("inwoner-{resident_id}@waakvlam.invalid"),
            };
            accounts::create(
                cx,
                NewAccount {
                    email: Email::parse(&login).map_err(|e| StoreError::from(e.refuse("email")))?,
                    display_name: r.display_name(),
                    role: Role::Resident,
                    password: unguessable_password(),
                    organisation: Organisation {
                        resident_id: Some(resident_id),
                        ..Default::default()
                    },
                    phone: None,
                },
            )
            .await?
        }
    };
    let code = issue_in(cx, account.id).await?;
    cx.log(AccessAction::Create, Some(resident_id), objects);
    Ok(ResidentCode {
        code,
        login: account.email,
        resident_name: r.display_name(),
    })
}

/// The active account a code that still works is for, and the code's row.
async fn usable(cx: &Cx<'_>, code: &str) -> StoreResult<(activation_code::Model, Account)> {
    let found = activation_code::Entity::find()
        .filter(activation_code::Column::CodeHash.eq(hash(code)))
        .filter(activation_code::Column::UsedAt.is_null())
        .filter(activation_code::Column::ExpiresAt.gt(millis(cx.now)))
        .one(cx.conn())
        .await?;
    let Some(row) = found else {
        return Err(StoreError::refuse("code", "activation-code"));
    };
    let Some(account) = accounts::by_id(cx, crate::AccountId::new(row.account_id))
        .await?
        .filter(|a| a.active)
    else {
        return Err(StoreError::refuse("code", "activation-code"));
    };
    Ok((row, account))
}

/// Who a code is for, as they act when they redeem it. Nobody is logged in
/// when a code is typed: look it up as the system, then redeem it in a unit
/// of work of this actor, so the change is logged as the account's own.
pub async fn holder(cx: &Cx<'_>, code: &str, client_address: Option<String>) -> StoreResult<Actor> {
    let (_, account) = usable(cx, code).await?;
    account.actor(cx, client_address).await
}

/// Sets a new password with a code, as its [`holder`]. The code is checked
/// again here (it may have been used since) and used up; the account is
/// returned so the caller can start a session.
pub async fn redeem(cx: &Cx<'_>, code: &str, new_password: &str) -> StoreResult<Account> {
    validate_new_password(new_password).map_err(|e| StoreError::from(e.refuse("password")))?;
    let (row, account) = usable(cx, code).await?;
    if cx.actor.account_id != Some(account.id) {
        return Err(cx.deny(
            AccessAction::Update,
            account.resident_id,
            format!("account:{}:password", account.id),
        ));
    }
    // Whoever logs in with the password this replaces is told who made the
    // code and when it was used (`accounts::reset_behind`).
    let code_by = match row.created_by {
        Some(by) => match accounts::by_id(cx, AccountId::new(by)).await? {
            Some(maker) => {
                let organisation = maker.actor(cx, None).await?.organisation;
                format!("{} ({organisation})", maker.display_name)
            }
            None => String::new(),
        },
        None => String::new(),
    };
    accounts::note_reset(cx, account.id, code_by).await?;
    accounts::set_password(cx, account.id, new_password).await?;
    let code_id = row.id;
    let mut am: activation_code::ActiveModel = row.into();
    am.used_at = Set(Some(millis(cx.now)));
    am.update(cx.conn()).await?;
    cx.log(
        AccessAction::Update,
        account.resident_id,
        format!("account:{}:password:activation_code:{code_id}", account.id),
    );
    Ok(account)
}

/// When the waiting code of a resident's account stops working (for the
/// professional's page, which has checked access): `None` when none waits.
pub async fn waiting_for_resident(
    cx: &Cx<'_>,
    resident_id: ResidentId,
) -> StoreResult<Option<DateTime<Utc>>> {
    let Some(account) = account::Entity::find()
        .filter(account::Column::ResidentId.eq(resident_id))
        .filter(account::Column::Role.eq(Role::Resident.as_str()))
        .one(cx.conn())
        .await?
    else {
        return Ok(None);
    };
    Ok(activation_code::Entity::find()
        .filter(activation_code::Column::AccountId.eq(account.id))
        .filter(activation_code::Column::UsedAt.is_null())
        .filter(activation_code::Column::ExpiresAt.gt(millis(cx.now)))
        .one(cx.conn())
        .await?
        .map(|c| from_millis(c.expires_at)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_grouped_unambiguous_and_differ() {
        let a = generate();
        let b = generate();
        assert_ne!(a, b);
        assert_eq!(a.len(), 14);
        assert_eq!(a.matches('-').count(), 2);
        assert!(normalise(&a).bytes().all(|c| ALPHABET.contains(&c)));
    }

    #[test]
    fn typing_variations_give_the_same_hash() {
        assert_eq!(hash("abcd efgh-jkmn"), hash("ABCD-EFGH-JKMN"));
        assert_ne!(hash("ABCD-EFGH-JKMN"), hash("ABCD-EFGH-JKMP"));
    }
}
