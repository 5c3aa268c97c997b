//! The change history of records (who, when, old value → new value), shown
//! on the indication.

use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait};

use crate::entity::change_record;
use crate::{Actor, StoreResult};

/// One field's change.
pub struct Change<'a> {
    pub entity: &'a str,
    pub id: i64,
    pub field: &'a str,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// Records a change in the operation's transaction; `at` is epoch millis.
pub(crate) async fn record<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    at: i64,
    c: Change<'_>,
) -> StoreResult<()> {
    change_record::ActiveModel {
        entity: Set(c.entity.to_owned()),
        entity_id: Set(c.id),
        field: Set(c.field.to_owned()),
        old_value: Set(c.old),
        new_value: Set(c.new),
        account_id: Set(actor.account_id.map(i64::from)),
        changed_at: Set(at),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(())
}
