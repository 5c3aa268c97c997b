//! iWmo 3.2 messages in the store: what Waakvlam owes its chain partners and
//! what it has sent, kept with the XML exactly as exchanged.
//!
//! A message is written in the same transaction as the event it tells of
//! (an outbox, like `notifications`): an indication the municipality decides
//! in Waakvlam and its WMO301 commit together or not at all. Transport is not
//! Waakvlam's: `waakvlam iwmo export` hands pending messages over as files
//! (for GGk/VECOZO or an upload), marking them sent in the same step.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use waakvlam_domain::access::AccessAction;
use waakvlam_domain::ids::{
    AgbCode, AllocationNumber, Bsn, MunicipalityCode, ProductCategory, ProductCode,
};
use waakvlam_domain::money::Cents;
use waakvlam_domain::role::Role;
use waakvlam_domain::tariff::{FundingVariant, UnitPeriod};
use waakvlam_iwmo::wmo301::{
    AllocatedProduct, Allocation, ChangeReason, Client, Contact, Extent, Frequency, Gender, Name,
    Unit,
};
use waakvlam_iwmo::{Header, MessageId, MessageKind, Parties};

use crate::entity::{indication, iwmo_message as row, product, provider, resident, tariff};
use crate::{
    Cx, IndicationId, IwmoMessageId, ProviderId, ResidentId, StoreError, StoreResult, Tenant,
    from_millis, millis,
};

/// Which way a message went.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Written by this installation.
    Out,
    /// Read by this installation.
    In,
}

impl Direction {
    const fn as_str(self) -> &'static str {
        match self {
            Self::Out => "out",
            Self::In => "in",
        }
    }
}

/// Where a message stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MessageState {
    /// Written, waiting for the next export.
    Pending,
    /// Handed over by an export.
    Sent,
}

impl MessageState {
    const fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Sent => "sent",
        }
    }

    fn parse(s: &str) -> StoreResult<Self> {
        match s {
            "pending" => Ok(Self::Pending),
            "sent" => Ok(Self::Sent),
            other => Err(StoreError::Internal(format!(
                "iwmo_message: unknown state {other}"
            ))),
        }
    }
}

/// A message as the store keeps it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredMessage {
    pub id: IwmoMessageId,
    pub direction: Direction,
    pub kind: MessageKind,
    /// `BerichtIdentificatie`, unique for the sender.
    pub identification: String,
    pub dated: NaiveDate,
    pub sender: String,
    pub receiver: String,
    pub resident_id: Option<ResidentId>,
    pub state: MessageState,
    pub xml: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub sent_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl StoredMessage {
    /// The file an export writes it to: message type and identification,
    /// `WMO301_WVL000000017.xml`.
    pub fn file_name(&self) -> String {
        let safe: String = self
            .identification
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        format!("{}_{safe}.xml", self.kind.name().to_ascii_uppercase())
    }
}

fn kind_of(name: &str) -> StoreResult<MessageKind> {
    MessageKind::ALL
        .into_iter()
        .find(|k| k.name() == name)
        .ok_or_else(|| StoreError::Internal(format!("iwmo_message: unknown kind {name}")))
}

fn stored(m: row::Model) -> StoreResult<StoredMessage> {
    Ok(StoredMessage {
        id: IwmoMessageId::new(m.id),
        direction: if m.direction == "in" {
            Direction::In
        } else {
            Direction::Out
        },
        kind: kind_of(&m.kind)?,
        identification: m.identification,
        dated: m.dated,
        sender: m.sender,
        receiver: m.receiver,
        resident_id: m.resident_id.map(ResidentId::new),
        state: MessageState::parse(&m.state)?,
        xml: m.xml,
        created_at: from_millis(m.created_at),
        sent_at: m.sent_at.map(from_millis),
    })
}

fn internal(what: impl std::fmt::Display) -> StoreError {
    StoreError::Internal(format!("iWmo: {what}"))
}

/// Whether an indication created by this actor is the municipality's own
/// decision, to be sent to its provider: a consultant decided it in
/// Waakvlam. One imported from another system, seeded, or read from a
/// received WMO301 is already known to the provider.
pub fn decided_here(cx: &Cx<'_>) -> bool {
    cx.actor.role == Some(Role::Consultant)
}

/// Writes a WMO301 from the municipality to `provider`, with every
/// allocation of the resident with that provider in that municipality that
/// is current today or changed now (`changed`, with why), as the standard
/// asks: the provider's view of the client is replaced by the message.
pub async fn send_allocation(
    cx: &Cx<'_>,
    resident_id: ResidentId,
    provider_id: ProviderId,
    municipality_code: &str,
    changed: &[(IndicationId, ChangeReason)],
) -> StoreResult<IwmoMessageId> {
    let conn = cx.conn();
    let person = resident::Entity::find_by_id(resident_id.get())
        .one(conn)
        .await?
        .ok_or_else(|| internal(format!("resident {resident_id} not found")))?;
    let supplier = provider::Entity::find_by_id(provider_id.get())
        .one(conn)
        .await?
        .ok_or_else(|| internal(format!("provider {provider_id} not found")))?;
    let today = cx.today();
    let changed: BTreeMap<i64, ChangeReason> =
        changed.iter().map(|(id, why)| (id.get(), *why)).collect();
    let rows = indication::Entity::find()
        .filter(indication::Column::ResidentId.eq(resident_id))
        .filter(indication::Column::ProviderId.eq(provider_id))
        .filter(indication::Column::MunicipalityCode.eq(municipality_code))
        .order_by_asc(indication::Column::StartDate)
        .order_by_asc(indication::Column::Id)
        .all(conn)
        .await?;
    let mut products = Vec::new();
    for m in rows {
        let current = m.end_date.is_none_or(|end| end >= today);
        let change = changed.get(&m.id).copied();
        if !current && change.is_none() {
            continue;
        }
        products.push(allocated_product(cx, &m, change).await?);
    }
    let municipality = MunicipalityCode::parse(municipality_code).map_err(internal)?;
    let agb = AgbCode::parse(&supplier.agb_code).map_err(internal)?;
    let message = Allocation {
        header: Header {
            kind: MessageKind::Wmo301,
            parties: Parties {
                municipality: municipality.clone(),
                provider: agb.clone(),
            },
            // Replaced by the row's own identification below.
            id: MessageId::new("-", today).map_err(internal)?,
        },
        client: Client {
            bsn: Bsn::parse(&person.bsn).map_err(internal)?,
            birth_date: person.birth_date,
            gender: Gender::Unknown,
            name: Name {
                family_name: person.family_name.clone(),
                prefix: person.name_prefix.clone(),
                given_names: person.given_names.clone(),
                initials: person.initials.clone(),
            },
            contact: Contact {
                phone: person.phone.clone(),
                email: person.email.clone(),
            },
        },
        products,
    };
    let about = About {
        kind: MessageKind::Wmo301,
        parties: Parties {
            municipality,
            provider: agb,
        },
        provider_id,
        resident_id: Some(resident_id),
    };
    let id = insert_outgoing(cx, &about, |identification| {
        let mut m = message.clone();
        m.header.id = MessageId::new(identification, today).map_err(internal)?;
        m.to_xml().map_err(internal)
    })
    .await?;
    cx.log(
        AccessAction::Create,
        Some(resident_id),
        format!("iwmo_message:{id}"),
    );
    Ok(id)
}

/// What a message is and whom it concerns, for its row.
struct About {
    kind: MessageKind,
    parties: Parties,
    provider_id: ProviderId,
    resident_id: Option<ResidentId>,
}

/// Inserts an outgoing message: the row first, for its id, which makes the
/// identification (`WVL` and nine digits, unique for every sender of this
/// installation), then the XML written with it.
async fn insert_outgoing(
    cx: &Cx<'_>,
    about: &About,
    write: impl FnOnce(&str) -> StoreResult<String>,
) -> StoreResult<IwmoMessageId> {
    let conn = cx.conn();
    let now = millis(cx.now);
    let today = cx.today();
    let (municipality, provider) = (
        about.parties.municipality.as_str(),
        about.parties.provider.as_str(),
    );
    let (sender, receiver) = if about.kind.sent_by_municipality() {
        (municipality, provider)
    } else {
        (provider, municipality)
    };
    let inserted = row::ActiveModel {
        direction: Set(Direction::Out.as_str().into()),
        kind: Set(about.kind.name().into()),
        // A placeholder unique to this transaction until the id is known.
        identification: Set(format!("new{}", now % 1_000_000_000)),
        dated: Set(today),
        sender: Set(sender.into()),
        receiver: Set(receiver.into()),
        municipality_code: Set(municipality.into()),
        provider_id: Set(Some(about.provider_id.get())),
        resident_id: Set(about.resident_id.map(ResidentId::get)),
        state: Set(MessageState::Pending.as_str().into()),
        retour_codes: Set(None),
        xml: Set(String::new()),
        created_at: Set(now),
        sent_at: Set(None),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    let identification = format!("WVL{:09}", inserted.id % 1_000_000_000);
    let xml = write(&identification)?;
    let mut update: row::ActiveModel = inserted.into();
    update.identification = Set(identification);
    update.xml = Set(xml);
    let saved = update.update(conn).await?;
    Ok(IwmoMessageId::new(saved.id))
}

/// One `ToegewezenProduct` from an indication: its number, product, dates
/// and the extent its tariff implies.
async fn allocated_product(
    cx: &Cx<'_>,
    m: &indication::Model,
    change: Option<ChangeReason>,
) -> StoreResult<AllocatedProduct> {
    let conn = cx.conn();
    let p = product::Entity::find_by_id(m.product_id)
        .one(conn)
        .await?
        .ok_or_else(|| internal(format!("product {} not found", m.product_id)))?;
    let allocated = from_millis(m.created_at).with_timezone(&chrono_tz::Europe::Amsterdam);
    Ok(AllocatedProduct {
        number: AllocationNumber::parse(&m.allocation_number).map_err(internal)?,
        category: ProductCategory::parse(&p.category).map_err(internal)?,
        code: ProductCode::parse(&p.code).ok(),
        allocated_on: m.issued_on,
        allocated_at: allocated.time(),
        start: m.start_date,
        end: m.end_date,
        extent: extent(cx, m).await?,
        change,
        comment: m.agreed_result.clone(),
    })
}

/// What the allocation's tariff says about its extent: output per
/// indication is one piece for the whole allocation; per week or month one
/// piece per period; per hour the budget ceiling (which the standard allows
/// only with an end date). Without a tariff, no extent.
async fn extent(cx: &Cx<'_>, m: &indication::Model) -> StoreResult<Extent> {
    let rows = tariff::Entity::find()
        .filter(tariff::Column::ProductId.eq(m.product_id))
        .filter(tariff::Column::Year.lte(m.start_date.year()))
        .all(cx.conn())
        .await?;
    // The newest year; the municipality's own tariff before the region's.
    let best = rows
        .into_iter()
        .filter(|t| {
            t.municipality_code
                .as_deref()
                .is_none_or(|c| c == m.municipality_code)
        })
        .max_by_key(|t| (t.year, t.municipality_code.is_some()));
    let Some(t) = best else {
        return Ok(Extent::None);
    };
    let variant = FundingVariant::from_parts(
        &t.funding_variant,
        t.unit_period.as_deref(),
        t.budget_ceiling_cents,
    )
    .map_err(|e| internal(format!("tariff {}: {e}", t.id)))?;
    Ok(match variant {
        FundingVariant::PerIndication | FundingVariant::PerIndicationYear => Extent::Volume {
            volume: 1,
            unit: Unit::PieceOutput,
            per: Frequency::WholeAllocation,
        },
        FundingVariant::PerUnit(period) => Extent::Volume {
            volume: 1,
            unit: Unit::PieceEffort,
            per: match period {
                UnitPeriod::Week => Frequency::PerWeek,
                UnitPeriod::Month => Frequency::PerMonth,
            },
        },
        FundingVariant::PerHour { budget_ceiling } if m.end_date.is_some() => {
            Extent::Budget(Cents(budget_ceiling.as_i64()))
        }
        FundingVariant::PerHour { .. } => Extent::None,
    })
}

/// Every outgoing message waiting for an export, oldest first. Only the
/// system (the command line) hands messages over.
pub async fn pending(cx: &Cx<'_>) -> StoreResult<Vec<StoredMessage>> {
    if cx.actor.tenant != Tenant::System {
        return Err(cx.deny(AccessAction::Export, None, "iwmo_message"));
    }
    let rows = row::Entity::find()
        .filter(row::Column::Direction.eq(Direction::Out.as_str()))
        .filter(row::Column::State.eq(MessageState::Pending.as_str()))
        .order_by_asc(row::Column::Id)
        .all(cx.conn())
        .await?;
    rows.into_iter().map(stored).collect()
}

/// Marks exported messages sent, and logs the export of each resident's
/// data (a WMO301 carries a BSN and a name).
pub async fn mark_sent(cx: &Cx<'_>, messages: &[StoredMessage]) -> StoreResult<()> {
    if cx.actor.tenant != Tenant::System {
        return Err(cx.deny(AccessAction::Export, None, "iwmo_message"));
    }
    let now = millis(cx.now);
    for m in messages {
        let Some(found) = row::Entity::find_by_id(m.id.get()).one(cx.conn()).await? else {
            continue;
        };
        let mut update: row::ActiveModel = found.into();
        update.state = Set(MessageState::Sent.as_str().into());
        update.sent_at = Set(Some(now));
        update.update(cx.conn()).await?;
        cx.log(
            AccessAction::Export,
            m.resident_id,
            format!("iwmo_message:{}", m.id),
        );
    }
    Ok(())
}

/// The messages about one resident, newest first, for whoever may see the
/// resident (the tenant check of `residents::visible`).
pub async fn for_resident(cx: &Cx<'_>, resident_id: ResidentId) -> StoreResult<Vec<StoredMessage>> {
    crate::residents::visible(cx, resident_id, AccessAction::Read).await?;
    let rows = row::Entity::find()
        .filter(row::Column::ResidentId.eq(resident_id))
        .order_by_desc(row::Column::Id)
        .all(cx.conn())
        .await?;
    cx.log(
        AccessAction::Read,
        Some(resident_id),
        "iwmo_message".to_owned(),
    );
    rows.into_iter().map(stored).collect()
}
