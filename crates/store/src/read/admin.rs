//! The administrator's page: every account with the organisation it acts for.

use crate::accounts::{self, Account};
use crate::{Cx, StoreError, StoreResult, Tenant};

/// One account as the administrator's page lists it.
#[derive(Clone, Debug)]
pub struct AccountRow {
    pub account: Account,
    /// The organisation in words (team, provider, municipality, region).
    pub organisation: String,
}

/// What `/admin` shows: the accounts, by role and e-mail address. Accounts
/// are no residents' data, so reading them is not logged.
pub async fn page(cx: &Cx<'_>) -> StoreResult<Vec<AccountRow>> {
    if !matches!(cx.actor.tenant, Tenant::Admin | Tenant::System) {
        return Err(StoreError::Denied);
    }
    let mut rows = Vec::new();
    for account in accounts::list(cx).await? {
        rows.push(AccountRow {
            organisation: accounts::organisation_label(cx, &account).await?,
            account,
        });
    }
    Ok(rows)
}
