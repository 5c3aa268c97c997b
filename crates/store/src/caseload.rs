//! Who is on whose caseload: the start pages of professionals and team leads,
//! and a resident's contact person.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder};
use waakvlam_domain::access::{AccessAction, AccessOutcome};
use waakvlam_domain::product::IntensityLevel;

use crate::access::{self, AccessEvent};
use crate::catalogue;
use crate::entity::{account, contact, indication, resident};
use crate::residents::Resident;
use crate::{Actor, Store, StoreResult, from_millis};

/// One resident on a caseload with their current indication.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseloadEntry {
    pub resident_id: i64,
    pub resident_name: String,
    pub indication_id: i64,
    pub product_code: String,
    pub product_name: String,
    pub level: IntensityLevel,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    pub professional_account_id: Option<i64>,
    pub professional_name: Option<String>,
}

fn running_on(day: NaiveDate) -> Condition {
    Condition::all()
        .add(indication::Column::StartDate.lte(day))
        .add(
            Condition::any()
                .add(indication::Column::EndDate.is_null())
                .add(indication::Column::EndDate.gte(day)),
        )
}

/// The residents with an indication running on `day` that the actor may
/// see, sorted by name. Logged as a search over those residents.
pub async fn current(
    store: &Store,
    actor: &Actor,
    day: NaiveDate,
) -> StoreResult<Vec<CaseloadEntry>> {
    let tx = store.begin_read().await?;
    let indications = indication::Entity::find()
        .filter(actor.tenant.indication_filter())
        .filter(running_on(day))
        .order_by_asc(indication::Column::Id)
        .all(&*tx)
        .await?;
    let resident_ids: HashSet<i64> = indications.iter().map(|i| i.resident_id).collect();
    let residents: HashMap<i64, Resident> = resident::Entity::find()
        .filter(resident::Column::Id.is_in(resident_ids.iter().copied()))
        .filter(actor.tenant.resident_filter())
        .all(&*tx)
        .await?
        .into_iter()
        .map(|r| (r.id, Resident::from(r)))
        .collect();
    let professional_ids: HashSet<i64> = indications
        .iter()
        .filter_map(|i| i.professional_account_id)
        .collect();
    let professionals: HashMap<i64, String> = account::Entity::find()
        .filter(account::Column::Id.is_in(professional_ids))
        .all(&*tx)
        .await?
        .into_iter()
        .map(|a| (a.id, a.display_name))
        .collect();
    let products = catalogue::products(&*tx).await?;
    let mut entries = Vec::new();
    for i in indications {
        let (Some(r), Some(p)) = (
            residents.get(&i.resident_id),
            products.iter().find(|p| p.id == i.product_id),
        ) else {
            continue;
        };
        entries.push(CaseloadEntry {
            resident_id: r.id,
            resident_name: r.formal_name(),
            indication_id: i.id,
            product_code: p.product.code.as_str().to_owned(),
            product_name: p.product.name.clone(),
            level: p.product.level,
            start_date: i.start_date,
            end_date: i.end_date,
            professional_account_id: i.professional_account_id,
            professional_name: i
                .professional_account_id
                .and_then(|id| professionals.get(&id).cloned()),
        });
    }
    entries.sort_by(|a, b| {
        a.resident_name
            .to_lowercase()
            .cmp(&b.resident_name.to_lowercase())
    });
    let ids = entries
        .iter()
        .map(|e| e.resident_id.to_string())
        .collect::<Vec<_>>()
        .join(",");
    let objects = format!("caseload:resident:{ids}");
    access::append(
        &*tx,
        actor,
        store.now(),
        &AccessEvent::new(AccessAction::Search, None, &objects),
        AccessOutcome::Success,
    )
    .await?;
    tx.commit().await?;
    Ok(entries)
}

/// A resident's contact person: the professional of their current
/// indication, and when they last had contact.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContactPerson {
    pub name: String,
    pub phone: Option<String>,
    pub last_contact_on: Option<NaiveDate>,
}

/// The contact person of the resident the actor is (residents only see
/// their own). Logged as a read of the resident's record.
pub async fn contact_person(
    store: &Store,
    actor: &Actor,
    resident_id: i64,
    day: NaiveDate,
) -> StoreResult<Option<ContactPerson>> {
    let tx = store.begin_read().await?;
    let current = indication::Entity::find()
        .filter(indication::Column::ResidentId.eq(resident_id))
        .filter(actor.tenant.indication_filter())
        .filter(running_on(day))
        .filter(indication::Column::ProfessionalAccountId.is_not_null())
        .order_by_desc(indication::Column::StartDate)
        .one(&*tx)
        .await?;
    let objects = format!("resident:{resident_id}:contact_person");
    access::append(
        &*tx,
        actor,
        store.now(),
        &AccessEvent::new(AccessAction::Read, Some(resident_id), &objects),
        AccessOutcome::Success,
    )
    .await?;
    let Some(professional_id) = current.and_then(|i| i.professional_account_id) else {
        tx.commit().await?;
        return Ok(None);
    };
    let professional = account::Entity::find_by_id(professional_id)
        .one(&*tx)
        .await?;
    let last = contact::Entity::find()
        .filter(contact::Column::ResidentId.eq(resident_id))
        .order_by_desc(contact::Column::OccurredAt)
        .one(&*tx)
        .await?;
    tx.commit().await?;
    Ok(professional.map(|p| ContactPerson {
        name: p.display_name,
        phone: p.phone,
        last_contact_on: last.map(|c| from_millis(c.occurred_at).date_naive()),
    }))
}
