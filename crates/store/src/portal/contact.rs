//! The resident's contact person: the professional of their running support.

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::caseload::{ContactPerson, running_on};
use crate::entity::{account, contact, indication};
use crate::{Cx, ResidentId, StoreResult, from_millis};

/// Who helps `resident_id` on `day`, as far as the actor's tenant sees
/// (not logged: the page that shows it logs what it shows).
pub(crate) async fn contact_person(
    cx: &Cx<'_>,
    resident_id: ResidentId,
    day: NaiveDate,
) -> StoreResult<Option<ContactPerson>> {
    let tx = cx.conn();
    let current = indication::Entity::find()
        .filter(indication::Column::ResidentId.eq(resident_id))
        .filter(cx.actor.tenant.indication_filter())
        .filter(running_on(day))
        .filter(indication::Column::ProfessionalAccountId.is_not_null())
        .order_by_desc(indication::Column::StartDate)
        .one(tx)
        .await?;
    let Some(professional_id) = current.and_then(|i| i.professional_account_id) else {
        return Ok(None);
    };
    let Some(professional) = account::Entity::find_by_id(professional_id).one(tx).await? else {
        return Ok(None);
    };
    let last = contact::Entity::find()
        .filter(contact::Column::ResidentId.eq(resident_id))
        .order_by_desc(contact::Column::OccurredAt)
        .one(tx)
        .await?;
    Ok(Some(ContactPerson {
        name: professional.display_name,
        phone: professional.phone,
        last_contact_on: last.map(|c| from_millis(c.occurred_at).date_naive()),
    }))
}
