//! What residents do themselves: ring the bell (more follows in the portal).

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use waakvlam_domain::access::AccessAction;

use crate::access::{self, AccessEvent};
use crate::entity::bell;
use crate::records::{self, NewBell};
use crate::{Actor, Store, StoreError, StoreResult, Tenant};

/// The resident rings the bell: a call for help their professional sees at
/// the top of the caseload. Only the resident themselves can ring it; a
/// bell already open is not rung twice.
pub async fn ring_bell(store: &Store, actor: &Actor, message: Option<String>) -> StoreResult<i64> {
    let Tenant::Resident { resident_id } = actor.tenant else {
        let event = AccessEvent::new(AccessAction::Create, None, "bell");
        return Err(access::deny(store, actor, &event).await);
    };
    let message = message
        .map(|m| m.trim().to_owned())
        .filter(|m| !m.is_empty());
    if message.as_ref().is_some_and(|m| m.chars().count() > 500) {
        return Err(StoreError::invalid("message", "at most 500 characters"));
    }
    let tx = store.begin_write().await?;
    let open = bell::Entity::find()
        .filter(bell::Column::ResidentId.eq(resident_id))
        .filter(bell::Column::AcknowledgedAt.is_null())
        .one(&*tx)
        .await?;
    if let Some(b) = open {
        return Ok(b.id);
    }
    let id = records::add_bell(
        &*tx,
        store,
        actor,
        &NewBell {
            resident_id,
            rung_at: store.now(),
            message,
            acknowledged: None,
            resolved: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}
