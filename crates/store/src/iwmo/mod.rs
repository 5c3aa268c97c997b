//! iWmo 3.2 messages in the store: what Waakvlam owes its chain partners and
//! what it has sent, kept with the XML exactly as exchanged.
//!
//! A message is written in the same transaction as the event it tells of
//! (an outbox, like `notifications`): an indication the municipality decides
//! in Waakvlam and its WMO301 commit together or not at all. Transport is not
//! Waakvlam's: `waakvlam iwmo export` hands pending messages over as files
//! (for GGk/VECOZO or an upload), marking them sent in the same step.

mod bulk;
pub mod delivery;
pub mod inbox;
pub mod request;

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use waakvlam_domain::access::AccessAction;
use waakvlam_domain::ids::{
    AgbCode, AllocationNumber, Bsn, MunicipalityCode, ProductCategory, ProductCode,
};
use waakvlam_domain::money::Cents;
use waakvlam_domain::refusal::Reason;
use waakvlam_domain::role::Role;
use waakvlam_domain::tariff::{FundingVariant, UnitPeriod};
use waakvlam_iwmo::read::ReceivedHeader;
use waakvlam_iwmo::retour::{Findings, RetourCode};
use waakvlam_iwmo::wmo301::{
    AllocatedProduct, Allocation, ChangeReason, Client, Contact, Extent, Frequency, Gender, Name,
    ReceivedAllocation, ReceivedProduct, Unit,
};
use waakvlam_iwmo::{Header, MessageId, MessageKind, Parties};

use crate::entity::{indication, iwmo_message as row, product, provider, resident};
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
    /// Answered by its receiver's retour: every part accepted (0200).
    Accepted,
    /// Answered by its receiver's retour: refused, with its codes.
    Refused,
    /// Received and applied.
    Applied,
    /// Received and not applied (its retour says why).
    Rejected,
}

impl MessageState {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Sent => "sent",
            Self::Accepted => "accepted",
            Self::Refused => "refused",
            Self::Applied => "applied",
            Self::Rejected => "rejected",
        }
    }

    fn parse(s: &str) -> StoreResult<Self> {
        match s {
            "pending" => Ok(Self::Pending),
            "sent" => Ok(Self::Sent),
            "accepted" => Ok(Self::Accepted),
            "refused" => Ok(Self::Refused),
            "applied" => Ok(Self::Applied),
            "rejected" => Ok(Self::Rejected),
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
        file_name(self.kind, &self.identification)
    }
}

/// The file name of a message: `WMO301_WVL000000017.xml` (anything but
/// letters and digits in the identification becomes `_`).
pub fn file_name(kind: MessageKind, identification: &str) -> String {
    let safe: String = identification
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    format!("{}_{safe}.xml", kind.name().to_ascii_uppercase())
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
    references: &[(IndicationId, String)],
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
    let mut in_chain = Vec::new();
    for m in rows {
        let current = m.end_date.is_none_or(|end| end >= today);
        let change = changed.get(&m.id).copied();
        if !current && change.is_none() {
            continue;
        }
        let reference = references
            .iter()
            .find(|(id, _)| id.get() == m.id)
            .map(|(_, r)| r.clone());
        products.push(allocated_product(cx, &m, change, reference).await?);
        in_chain.push(m);
    }
    mark_in_chain(cx, in_chain).await?;
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
        provider_id: Some(provider_id),
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

/// These allocations were exchanged as a WMO301: from now on their start
/// and stop go to the chain too (`delivery`).
async fn mark_in_chain(cx: &Cx<'_>, rows: Vec<indication::Model>) -> StoreResult<()> {
    for m in rows.into_iter().filter(|m| !m.in_chain) {
        let mut am: indication::ActiveModel = m.into();
        am.in_chain = Set(true);
        am.update(cx.conn()).await?;
    }
    Ok(())
}

/// A temporary identification, replaced in the same transaction: never
/// `WVL…`, and different for every call in this process.
fn placeholder() -> String {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!("tmp{}-{}", std::process::id() % 10_000, n % 10_000)
}

/// What a message is and whom it concerns, for its row.
pub(crate) struct About {
    pub(crate) kind: MessageKind,
    pub(crate) parties: Parties,
    pub(crate) provider_id: Option<ProviderId>,
    pub(crate) resident_id: Option<ResidentId>,
}

/// The row of a message to send, as [`insert_outgoing`] first writes it:
/// pending, with a placeholder identification and no XML until its id is
/// known.
pub(crate) fn outgoing_row(cx: &Cx<'_>, about: &About) -> row::ActiveModel {
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
    row::ActiveModel {
        direction: Set(Direction::Out.as_str().into()),
        kind: Set(about.kind.name().into()),
        // A placeholder until the id is known: unique within the process, so
        // that one unit of work (one `now`) can write several messages.
        identification: Set(placeholder()),
        seq: Set(0),
        dated: Set(today),
        sender: Set(sender.into()),
        receiver: Set(receiver.into()),
        municipality_code: Set(municipality.into()),
        provider_id: Set(about.provider_id.map(ProviderId::get)),
        resident_id: Set(about.resident_id.map(ResidentId::get)),
        state: Set(MessageState::Pending.as_str().into()),
        retour_codes: Set(None),
        note: Set(None),
        xml: Set(String::new()),
        created_at: Set(now),
        sent_at: Set(None),
        ..Default::default()
    }
}

/// The `BerichtIdentificatie` of the message sent from here with row `id`.
pub(crate) fn identification_of(id: i64) -> String {
    format!("WVL{:09}", id % 1_000_000_000)
}

/// Inserts an outgoing message: the row first, for its id, which makes the
/// identification (`WVL` and nine digits, unique for every sender of this
/// installation), then the XML written with it.
pub(crate) async fn insert_outgoing(
    cx: &Cx<'_>,
    about: &About,
    write: impl FnOnce(&str) -> StoreResult<String>,
) -> StoreResult<IwmoMessageId> {
    let conn = cx.conn();
    let inserted = outgoing_row(cx, about).insert(conn).await?;
    let identification = identification_of(inserted.id);
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
    reference: Option<String>,
) -> StoreResult<AllocatedProduct> {
    let conn = cx.conn();
    let p = product::Entity::find_by_id(m.product_id)
        .one(conn)
        .await?
        .ok_or_else(|| internal(format!("product {} not found", m.product_id)))?;
    let allocated = from_millis(m.created_at).with_timezone(&chrono_tz::Europe::Amsterdam);
    Ok(AllocatedProduct {
        number: AllocationNumber::parse(&m.allocation_number).map_err(internal)?,
        reference,
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

/// Writes the XML of an outgoing message inserted before with an empty one
/// (a declaration needs the ids of its lines first), with its
/// identification.
pub(crate) async fn complete_outgoing(
    cx: &Cx<'_>,
    id: IwmoMessageId,
    write: impl FnOnce(&str) -> StoreResult<String>,
) -> StoreResult<()> {
    let m = row::Entity::find_by_id(id.get())
        .one(cx.conn())
        .await?
        .ok_or_else(|| internal(format!("message {id} not found")))?;
    let xml = write(&m.identification)?;
    let mut update: row::ActiveModel = m.into();
    update.xml = Set(xml);
    update.update(cx.conn()).await?;
    Ok(())
}

/// What the allocation's tariff says about its extent (the standard wants
/// one for every product with a code): output per indication, and a product
/// without a tariff, is one piece of output for the whole allocation; per
/// week or month one piece per period; per hour the budget ceiling, which
/// the standard allows only with an end date — without one, the ceiling in
/// whole hours for the whole allocation.
async fn extent(cx: &Cx<'_>, m: &indication::Model) -> StoreResult<Extent> {
    extent_of(
        cx,
        m.product_id,
        &m.municipality_code,
        m.start_date,
        m.end_date,
    )
    .await
}

/// [`extent`] of a product allocated (or asked for) in a municipality from
/// `start`, until `end`.
pub(crate) async fn extent_of(
    cx: &Cx<'_>,
    product_id: i64,
    municipality_code: &str,
    start: NaiveDate,
    end: Option<NaiveDate>,
) -> StoreResult<Extent> {
    let one_result = Extent::Volume {
        volume: 1,
        unit: Unit::PieceOutput,
        per: Frequency::WholeAllocation,
    };
    let Some((variant, amount)) =
        crate::catalogue::tariff_in_force(cx.conn(), product_id, municipality_code, start.year())
            .await?
    else {
        return Ok(one_result);
    };
    Ok(match variant {
        FundingVariant::PerIndication | FundingVariant::PerIndicationYear => one_result,
        FundingVariant::PerUnit(period) => Extent::Volume {
            volume: 1,
            unit: Unit::PieceEffort,
            per: match period {
                UnitPeriod::Week => Frequency::PerWeek,
                UnitPeriod::Month => Frequency::PerMonth,
            },
        },
        FundingVariant::PerHour { budget_ceiling } if end.is_some() => {
            Extent::Budget(Cents(budget_ceiling.as_i64()))
        }
        FundingVariant::PerHour { budget_ceiling } => {
            let hours = budget_ceiling
                .as_i64()
                .checked_div(amount.as_i64())
                .and_then(|h| u32::try_from(h).ok())
                .unwrap_or(0);
            Extent::Volume {
                volume: hours,
                unit: Unit::Hour,
                per: Frequency::WholeAllocation,
            }
        }
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
        // A declaration names many residents: each export is logged on each.
        let residents = match m.resident_id {
            Some(r) => vec![r],
            None => crate::declarations::residents_of_message(cx, m.id).await?,
        };
        if residents.is_empty() {
            cx.log(AccessAction::Export, None, format!("iwmo_message:{}", m.id));
        }
        for r in residents {
            cx.log(
                AccessAction::Export,
                Some(r),
                format!("iwmo_message:{}", m.id),
            );
        }
    }
    Ok(())
}

/// A message waiting to be sent was sent by hand (downloaded from `/iwmo`
/// and uploaded at the chain partner, for those without a transport
/// connection): marked sent as the export would, logged the same way. Only
/// an outgoing message still waiting, in the reader's scope.
pub async fn sent_by_hand(cx: &Cx<'_>, id: IwmoMessageId) -> StoreResult<()> {
    let (m, _, _) = message(cx, id).await?;
    if m.direction != Direction::Out || m.state != MessageState::Pending.as_str() {
        return Err(StoreError::conflict("", Reason::new("iwmo-not-pending")));
    }
    let stored = row::Entity::find_by_id(id.get())
        .one(cx.conn())
        .await?
        .ok_or(StoreError::NotFound { what: "message" })?;
    let now = millis(cx.now);
    let resident = stored.resident_id.map(ResidentId::new);
    let mut update: row::ActiveModel = stored.into();
    update.state = Set(MessageState::Sent.as_str().into());
    update.sent_at = Set(Some(now));
    update.update(cx.conn()).await?;
    let residents = match resident {
        Some(r) => vec![r],
        None => crate::declarations::residents_of_message(cx, id).await?,
    };
    if residents.is_empty() {
        cx.log(AccessAction::Export, None, format!("iwmo_message:{id}"));
    }
    for r in residents {
        cx.log(AccessAction::Export, Some(r), format!("iwmo_message:{id}"));
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

/// What reading one received message did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Receipt {
    /// Applied; its retour (every class 0200) waits for the next export.
    Applied {
        message: IwmoMessageId,
        resident: ResidentId,
        indications: Vec<IndicationId>,
    },
    /// Not applied; its retour with the codes waits for the next export.
    Rejected {
        message: IwmoMessageId,
        codes: Vec<RetourCode>,
        why: Vec<String>,
    },
    /// The same message was read before: nothing changed, nothing is owed.
    AlreadyRead { message: IwmoMessageId },
    /// A declaration read and answered at once (WMO325): so many lines
    /// granted, so many refused.
    Declared {
        message: IwmoMessageId,
        answer: IwmoMessageId,
        granted: usize,
        refused: usize,
    },
    /// A retour read: the message sent from here that it answers is now
    /// accepted or refused, with these codes.
    Answered {
        message: IwmoMessageId,
        answers: IwmoMessageId,
        accepted: bool,
        codes: Vec<RetourCode>,
    },
}

/// A value cut to a column's width (a header that failed the XSD may hold
/// anything).
fn cut(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

/// The earlier readings of a message with this sender and identification.
pub(crate) async fn earlier(cx: &Cx<'_>, header: &ReceivedHeader) -> StoreResult<Vec<row::Model>> {
    Ok(row::Entity::find()
        .filter(row::Column::Direction.eq(Direction::In.as_str()))
        .filter(row::Column::Sender.eq(cut(&header.sender, 8)))
        .filter(row::Column::Identification.eq(cut(&header.identification, 12)))
        .order_by_asc(row::Column::Seq)
        .all(cx.conn())
        .await?)
}

/// What every reader of a received message starts with: only the system
/// reads (the import, or the system on an uploader's behalf); the same
/// message read again is answered as read before (`Err`, nothing owed); an
/// identification the sender used before for another message is a finding
/// (9056). Otherwise the earlier readings of its identification (for
/// [`next_seq`] and [`reject`]).
pub(crate) async fn start_reading(
    cx: &Cx<'_>,
    header: &ReceivedHeader,
    xml: &str,
    findings: &mut Findings,
    why: &mut Vec<String>,
) -> StoreResult<Result<Vec<row::Model>, Receipt>> {
    if cx.actor.tenant != Tenant::System {
        return Err(cx.deny(AccessAction::Create, None, "iwmo_message"));
    }
    let seen = earlier(cx, header).await?;
    if let Some(same) = seen.iter().find(|m| m.xml == xml) {
        return Ok(Err(Receipt::AlreadyRead {
            message: IwmoMessageId::new(same.id),
        }));
    }
    if !seen.is_empty() {
        findings.header.push(RetourCode::IDENTIFICATION_NOT_UNIQUE);
        why.push(format!(
            "BerichtIdentificatie {} was used before by {} for another message",
            header.identification, header.sender
        ));
    }
    Ok(Ok(seen))
}

/// A message from a provider to a municipality: the sender a provider known
/// here, the receiver a municipality in CBS's list (S300). What fails is
/// added to `findings` and `why`; the provider, if known.
pub(crate) async fn sender_and_receiver(
    cx: &Cx<'_>,
    header: &ReceivedHeader,
    findings: &mut Findings,
    why: &mut Vec<String>,
) -> StoreResult<Option<provider::Model>> {
    let supplier = provider::Entity::find()
        .filter(provider::Column::AgbCode.eq(&header.sender))
        .one(cx.conn())
        .await?;
    if supplier.is_none() {
        findings.header.push(RetourCode::TECHNICAL);
        why.push(format!(
            "Afzender {}: not a provider known to this installation",
            header.sender
        ));
    }
    let known_municipality =
        crate::entity::municipality::Entity::find_by_id(header.receiver.clone())
            .one(cx.conn())
            .await?
            .is_some();
    if !known_municipality {
        findings.header.push(RetourCode::UNKNOWN_MUNICIPALITY);
        why.push(format!(
            "Ontvanger {}: not a municipality in CBS's list",
            header.receiver
        ));
    }
    Ok(supplier)
}

/// The resident with this BSN, if it passes the 11-check and is known here.
pub(crate) async fn client_by_bsn(cx: &Cx<'_>, bsn: &str) -> StoreResult<Option<resident::Model>> {
    match Bsn::parse(bsn) {
        Ok(b) => Ok(resident::Entity::find()
            .filter(resident::Column::Bsn.eq(b.as_str()))
            .one(cx.conn())
            .await?),
        Err(_) => Ok(None),
    }
}

/// Records a received message and owes its retour. `seq` counts readings of
/// a reused identification.
pub(crate) struct Incoming<'h> {
    pub(crate) header: &'h ReceivedHeader,
    pub(crate) xml: &'h str,
    pub(crate) state: MessageState,
    pub(crate) findings: &'h Findings,
    pub(crate) why: &'h [String],
    pub(crate) provider_id: Option<ProviderId>,
    pub(crate) resident_id: Option<ResidentId>,
    /// Whether the retour repeats the message's classes (else only its header).
    pub(crate) body: bool,
    /// 0, or one more than the last earlier reading of this identification.
    pub(crate) seq: i32,
}

/// The `seq` of a new reading after `seen` (see [`earlier`]).
pub(crate) fn next_seq(seen: &[row::Model]) -> i32 {
    seen.last().map_or(0, |m| m.seq + 1)
}

/// The row of a received message, as [`record_incoming`] writes it.
pub(crate) fn incoming_row(cx: &Cx<'_>, i: &Incoming<'_>) -> row::ActiveModel {
    let codes = i.findings.codes();
    let municipality = if i.header.kind.sent_by_municipality() {
        &i.header.sender
    } else {
        &i.header.receiver
    };
    row::ActiveModel {
        direction: Set(Direction::In.as_str().into()),
        kind: Set(i.header.kind.name().into()),
        identification: Set(cut(&i.header.identification, 12)),
        seq: Set(i.seq),
        dated: Set(i.header.dated),
        sender: Set(cut(&i.header.sender, 8)),
        receiver: Set(cut(&i.header.receiver, 8)),
        municipality_code: Set(cut(municipality, 4)),
        provider_id: Set(i.provider_id.map(ProviderId::get)),
        resident_id: Set(i.resident_id.map(ResidentId::get)),
        state: Set(i.state.as_str().into()),
        retour_codes: Set((!codes.is_empty())
            .then(|| codes.iter().map(|c| c.code()).collect::<Vec<_>>().join(" "))),
        note: Set((!i.why.is_empty()).then(|| i.why.join("\n"))),
        xml: Set(i.xml.to_owned()),
        created_at: Set(millis(cx.now)),
        sent_at: Set(None),
        ..Default::default()
    }
}

pub(crate) async fn record_incoming(cx: &Cx<'_>, i: &Incoming<'_>) -> StoreResult<IwmoMessageId> {
    let m = incoming_row(cx, i).insert(cx.conn()).await?;
    let id = IwmoMessageId::new(m.id);
    if i.resident_id.is_some() {
        cx.log(
            AccessAction::Create,
            i.resident_id,
            format!("iwmo_message:{id}"),
        );
    }
    owe_retour(cx, i).await?;
    Ok(id)
}

/// What the retour a received message is owed is about (its kind and the
/// parties, the original's own); `None` when it is owed none or its parties
/// cannot be written.
pub(crate) fn retour_about(i: &Incoming<'_>) -> Option<About> {
    let (retour, _) = waakvlam_iwmo::retour::retour_of(i.header.kind)?;
    let (Ok(municipality), Ok(provider)) = (
        MunicipalityCode::parse(if i.header.kind.sent_by_municipality() {
            &i.header.sender
        } else {
            &i.header.receiver
        }),
        AgbCode::parse(if i.header.kind.sent_by_municipality() {
            &i.header.receiver
        } else {
            &i.header.sender
        }),
    ) else {
        // Parties that cannot be written cannot be answered.
        return None;
    };
    Some(About {
        kind: retour,
        parties: Parties {
            municipality,
            provider,
        },
        provider_id: i.provider_id,
        resident_id: i.resident_id,
    })
}

/// Writes the retour of a received message, addressed back to its sender
/// (the retour keeps the original's header parties, as the standard asks).
async fn owe_retour(cx: &Cx<'_>, i: &Incoming<'_>) -> StoreResult<()> {
    let Some(about) = retour_about(i) else {
        return Ok(());
    };
    let today = cx.today();
    insert_outgoing(cx, &about, |identification| {
        waakvlam_iwmo::retour::write(i.xml, identification, today, i.findings, i.body)
            .map_err(internal)
    })
    .await?;
    Ok(())
}

/// Records a received message that is refused as a whole before its
/// content is read (it failed the XSD, or its kind is not read here), and
/// owes a retour with only its header and code 0001 where one can be
/// written.
pub async fn receive_refused(
    cx: &Cx<'_>,
    xml: &str,
    header: &ReceivedHeader,
    why: &[String],
) -> StoreResult<Receipt> {
    if cx.actor.tenant != Tenant::System {
        return Err(cx.deny(AccessAction::Create, None, "iwmo_message"));
    }
    // The same refused message read again: recorded and answered once.
    let seen = earlier(cx, header).await?;
    if let Some(same) = seen.iter().find(|m| m.xml == xml) {
        return Ok(Receipt::AlreadyRead {
            message: IwmoMessageId::new(same.id),
        });
    }
    let findings = Findings {
        header: vec![RetourCode::TECHNICAL],
        ..Findings::default()
    };
    reject(cx, header, xml, &findings, why.to_vec(), false, &seen).await
}

/// Records a received message that is not applied, owes its retour with
/// the codes found (the whole message back when `body`, else its header),
/// and says so: what every reader answers when a rule fails. `seen`: the
/// earlier readings of its identification ([`earlier`]).
pub(crate) async fn reject(
    cx: &Cx<'_>,
    header: &ReceivedHeader,
    xml: &str,
    findings: &Findings,
    why: Vec<String>,
    body: bool,
    seen: &[row::Model],
) -> StoreResult<Receipt> {
    let message = record_incoming(
        cx,
        &Incoming {
            header,
            xml,
            state: MessageState::Rejected,
            findings,
            why: &why,
            provider_id: None,
            resident_id: None,
            body,
            seq: next_seq(seen),
        },
    )
    .await?;
    Ok(Receipt::Rejected {
        message,
        codes: findings.codes(),
        why,
    })
}

/// Reads a received WMO301 that passed the XSD: checks the standard's
/// content rules and this installation's own (the sender a known
/// municipality, the receiver a provider here, every product in the
/// catalogue, every allocation number the resident's own), then, if all
/// hold, registers or updates the resident and creates or updates each
/// allocation — new ones land in the provider's intake inbox. All of it or
/// nothing; the retour is owed either way. The same message read again
/// changes nothing.
pub async fn receive_allocation(
    cx: &Cx<'_>,
    xml: &str,
    a: &ReceivedAllocation,
) -> StoreResult<Receipt> {
    let conn = cx.conn();
    let (mut findings, mut why) = a.findings();
    let seen = match start_reading(cx, &a.header, xml, &mut findings, &mut why).await? {
        Ok(seen) => seen,
        Err(again) => return Ok(again),
    };
    let known_municipality =
        crate::entity::municipality::Entity::find_by_id(a.header.sender.clone())
            .one(conn)
            .await?
            .is_some();
    if !known_municipality {
        findings.header.push(RetourCode::UNKNOWN_MUNICIPALITY);
        why.push(format!(
            "Afzender {}: not a municipality in CBS's list",
            a.header.sender
        ));
    }
    let supplier = provider::Entity::find()
        .filter(provider::Column::AgbCode.eq(&a.header.receiver))
        .one(conn)
        .await?;
    if supplier.is_none() {
        findings.header.push(RetourCode::TECHNICAL);
        why.push(format!(
            "Ontvanger {}: not a provider of this installation",
            a.header.receiver
        ));
    }
    let bsn = Bsn::parse(&a.bsn).ok();
    let known_resident = match &bsn {
        Some(b) => resident::Entity::find()
            .filter(resident::Column::Bsn.eq(b.as_str()))
            .one(conn)
            .await?
            .map(|r| r.id),
        None => None,
    };
    let mut products = Vec::new();
    for (i, p) in a.products.iter().enumerate() {
        let mut refuse = |code, text: String| {
            findings.add("ToegewezenProduct", i, code);
            why.push(format!("ToewijzingNummer {}: {text}", p.number));
        };
        let found = match p.code.as_deref() {
            Some(code) => crate::catalogue::product_by_code(cx, code).await?,
            None => None,
        };
        match (&p.code, &found) {
            (None, _) => refuse(
                RetourCode::TECHNICAL,
                "no product code: Waakvlam allocates per product".into(),
            ),
            (Some(code), None) => refuse(
                RetourCode::TECHNICAL,
                format!("product code {code} is not in the catalogue"),
            ),
            _ => {}
        }
        let existing = indication::Entity::find()
            .filter(indication::Column::MunicipalityCode.eq(&a.header.sender))
            .filter(indication::Column::AllocationNumber.eq(p.number.trim()))
            .one(conn)
            .await?;
        if let Some(e) = &existing
            && Some(e.resident_id) != known_resident
        {
            refuse(
                RetourCode::ALLOCATION_NUMBER_NOT_UNIQUE,
                "the number belongs to an allocation of another client".into(),
            );
        }
        products.push((p, found, existing));
    }
    let (Some(supplier), Some(bsn), false) = (supplier, bsn, findings.rejected()) else {
        return reject(cx, &a.header, xml, &findings, why, true, &seen).await;
    };

    // Everything holds: apply.
    let municipality = MunicipalityCode::parse(&a.header.sender).map_err(internal)?;
    let birth_date = a
        .birth_date
        .ok_or_else(|| internal("Geboortedatum is required by the XSD"))?;
    let (person, _) = crate::residents::upsert(
        cx,
        &crate::residents::NewResident {
            bsn,
            birth_date,
            family_name: a.name.family_name.clone(),
            name_prefix: a.name.prefix.clone(),
            given_names: a.name.given_names.clone(),
            initials: a.name.initials.clone(),
            municipality_code: municipality,
            phone: a.contact.phone.clone(),
            email: a.contact.email.clone(),
            address: None,
        },
    )
    .await?;
    let provider_id = ProviderId::new(supplier.id);
    let mut indications = Vec::new();
    for (p, product, existing) in products {
        let number = AllocationNumber::parse(&p.number).map_err(internal)?;
        let id = match existing {
            Some(e) => update_received(cx, e, p).await?,
            None => {
                let Some(product) = product else {
                    return Err(internal("a product checked above is gone"));
                };
                let new = received_indication(a, p, &product, person.id, provider_id, number);
                crate::indications::create_received(cx, &new).await?.id
            }
        };
        indications.push(id);
    }
    let received = indication::Entity::find()
        .filter(indication::Column::Id.is_in(indications.iter().map(|i| i.get())))
        .all(conn)
        .await?;
    mark_in_chain(cx, received).await?;
    // An allocation that names a request sent from here grants it.
    for (p, id) in a.products.iter().zip(&indications) {
        if let Some(reference) = &p.reference {
            request::granted(cx, reference, *id).await?;
        }
    }
    let message = record_incoming(
        cx,
        &Incoming {
            header: &a.header,
            xml,
            state: MessageState::Applied,
            findings: &Findings::default(),
            why: &[],
            provider_id: Some(provider_id),
            resident_id: Some(person.id),
            body: true,
            seq: next_seq(&seen),
        },
    )
    .await?;
    Ok(Receipt::Applied {
        message,
        resident: person.id,
        indications,
    })
}

/// The indication a received `ToegewezenProduct` of `a` creates here: the
/// municipality's number and dates, its comment as the agreed result, and
/// a waakvlam's default contact rhythm (also for many at once:
/// [`bulk`]).
fn received_indication(
    a: &ReceivedAllocation,
    p: &ReceivedProduct,
    product: &crate::catalogue::CatalogueProduct,
    resident_id: ResidentId,
    provider_id: ProviderId,
    number: AllocationNumber,
) -> crate::indications::NewIndication {
    crate::indications::NewIndication {
        resident_id,
        product_code: product.product.code.as_str().to_owned(),
        municipality_code: a.header.sender.clone(),
        provider_id,
        allocation_number: Some(number),
        issued_on: p.allocated_on,
        start_date: p.start,
        end_date: p.end,
        planned_scale_down_date: None,
        agreed_result: p.comment.clone(),
        predecessor_id: None,
        professional_account_id: None,
        team_id: None,
        contact_rhythm_days: (product.product.level
            == waakvlam_domain::product::IntensityLevel::Waakvlam)
            .then_some(28),
        end_reason: None,
        outcome: None,
    }
}

/// Reads a received retour (302, 306, 308) of a message sent from here: the
/// sent message is marked accepted (every code 0200) or refused, with the
/// codes, in the message log. A retour that answers no message sent from
/// here is recorded as rejected, with why; a retour is never answered. The
/// same retour read again changes nothing.
pub async fn receive_retour(
    cx: &Cx<'_>,
    xml: &str,
    r: &waakvlam_iwmo::retour::ReceivedRetour,
) -> StoreResult<Receipt> {
    if cx.actor.tenant != Tenant::System {
        return Err(cx.deny(AccessAction::Create, None, "iwmo_message"));
    }
    let header = r.header();
    let seen = earlier(cx, &header).await?;
    if let Some(same) = seen.iter().find(|m| m.xml == xml) {
        return Ok(Receipt::AlreadyRead {
            message: IwmoMessageId::new(same.id),
        });
    }
    let sent = row::Entity::find()
        .filter(row::Column::Direction.eq(Direction::Out.as_str()))
        .filter(row::Column::Kind.eq(r.original.kind.name()))
        .filter(row::Column::Sender.eq(cut(&r.original.sender, 8)))
        .filter(row::Column::Identification.eq(cut(&r.original.identification, 12)))
        .one(cx.conn())
        .await?;
    let codes: Vec<RetourCode> = r
        .codes
        .iter()
        .filter_map(|c| RetourCode::parse(c))
        .collect();
    let Some(sent) = sent.filter(|_| seen.is_empty()) else {
        let why = vec![if seen.is_empty() {
            format!(
                "answers {} {} from {}, which was not sent from here",
                r.original.kind.name().to_ascii_uppercase(),
                r.original.identification,
                r.original.sender
            )
        } else {
            format!(
                "IdentificatieRetour {} was used before by {} for another retour",
                r.identification, header.sender
            )
        }];
        return reject(cx, &header, xml, &Findings::default(), why, false, &seen).await;
    };
    let (state, shown) = if r.accepted() {
        (MessageState::Accepted, vec![RetourCode::ACCEPTED])
    } else {
        let mut refused: Vec<RetourCode> = codes
            .into_iter()
            .filter(|c| *c != RetourCode::ACCEPTED && *c != RetourCode::NOT_ASSESSED)
            .collect();
        refused.sort();
        refused.dedup();
        (MessageState::Refused, refused)
    };
    let answers = IwmoMessageId::new(sent.id);
    let resident_id = sent.resident_id.map(ResidentId::new);
    let provider_id = sent.provider_id.map(ProviderId::new);
    // Codes this release does not list are kept in words: nothing is lost.
    let unknown: Vec<&String> = r
        .codes
        .iter()
        .filter(|c| RetourCode::parse(c).is_none())
        .collect();
    let mut update: row::ActiveModel = sent.into();
    update.state = Set(state.as_str().into());
    update.retour_codes = Set(Some(
        shown.iter().map(|c| c.code()).collect::<Vec<_>>().join(" "),
    ));
    update.note = Set((!unknown.is_empty()).then(|| {
        format!(
            "retour codes not in this release's list: {}",
            unknown
                .iter()
                .map(|c| c.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        )
    }));
    update.update(cx.conn()).await?;
    let message = record_incoming(
        cx,
        &Incoming {
            header: &header,
            xml,
            state: MessageState::Applied,
            findings: &Findings::default(),
            why: &[],
            provider_id,
            resident_id,
            body: false,
            seq: next_seq(&seen),
        },
    )
    .await?;
    Ok(Receipt::Answered {
        message,
        answers,
        accepted: state == MessageState::Accepted,
        codes: shown,
    })
}

/// A received allocation that Waakvlam already has: its dates and agreed
/// result as the municipality now sends them, each change recorded.
async fn update_received(
    cx: &Cx<'_>,
    e: indication::Model,
    p: &ReceivedProduct,
) -> StoreResult<IndicationId> {
    use crate::changes::{self, Change};
    let id = e.id;
    let mut record = Vec::new();
    if e.start_date != p.start {
        record.push((
            "start_date",
            Some(e.start_date.to_string()),
            Some(p.start.to_string()),
        ));
    }
    if e.end_date != p.end {
        record.push((
            "end_date",
            e.end_date.map(|d| d.to_string()),
            p.end.map(|d| d.to_string()),
        ));
    }
    // A changed end with a reason that ends the allocation early ends the
    // indication here too: delivery stops then (and is told with a WMO307).
    use waakvlam_domain::indication::EndReason;
    let ended_by = match p.change.as_deref() {
        Some("02") => Some(EndReason::Deceased),
        Some("05") => Some(EndReason::InitiatedByMunicipality),
        Some("07") => Some(EndReason::MovedToOtherMunicipality),
        Some("09") => Some(EndReason::SwitchedProvider),
        Some("12") => Some(EndReason::ChangeRequest),
        _ => None,
    }
    .filter(|_| p.end.is_some() && e.end_reason.is_none());
    if record.is_empty() && ended_by.is_none() {
        return Ok(IndicationId::new(id));
    }
    if let Some(reason) = ended_by {
        record.push(("end_reason", None, Some(reason.code().to_owned())));
    }
    for (field, old, new) in record {
        changes::record(
            cx.conn(),
            cx.actor,
            millis(cx.now),
            Change {
                entity: "indication",
                id,
                field,
                old,
                new,
            },
        )
        .await?;
    }
    let mut am: indication::ActiveModel = e.into();
    am.start_date = Set(p.start);
    am.end_date = Set(p.end);
    if let Some(reason) = ended_by {
        am.end_reason = Set(Some(reason.code().to_owned()));
    }
    am.updated_at = Set(millis(cx.now));
    let m = am.update(cx.conn()).await?;
    cx.log(
        AccessAction::Update,
        Some(ResidentId::new(m.resident_id)),
        format!("indication:{id}"),
    );
    if ended_by.is_some() {
        delivery::ended(cx, m).await?;
    }
    Ok(IndicationId::new(id))
}

/// The municipalities or provider whose messages an actor sees in the
/// message log: a municipality's or region's consultants and contract
/// managers their municipalities' messages, a team lead their provider's,
/// administrators and the system all. `None`: everything.
pub(crate) enum LogScope {
    All,
    Municipalities(Vec<String>),
    Provider(i64),
}

pub(crate) async fn log_scope(cx: &Cx<'_>) -> StoreResult<LogScope> {
    let region_codes = async |region: crate::RegionId| -> StoreResult<Vec<String>> {
        Ok(crate::entity::municipality::Entity::find()
            .filter(crate::entity::municipality::Column::RegionId.eq(region.get()))
            .all(cx.conn())
            .await?
            .into_iter()
            .map(|m| m.code)
            .collect())
    };
    match &cx.actor.tenant {
        Tenant::System | Tenant::Admin => Ok(LogScope::All),
        Tenant::Municipality { code } => Ok(LogScope::Municipalities(vec![code.clone()])),
        Tenant::Region { region_id } => {
            Ok(LogScope::Municipalities(region_codes(*region_id).await?))
        }
        Tenant::ContractManager {
            municipality_code: Some(code),
            ..
        } => Ok(LogScope::Municipalities(vec![code.clone()])),
        Tenant::ContractManager {
            region_id: Some(region),
            ..
        } => Ok(LogScope::Municipalities(region_codes(*region).await?)),
        Tenant::Team { .. } => {
            let provider = crate::intake::lead_provider(cx, AccessAction::Read).await?;
            Ok(LogScope::Provider(provider.get()))
        }
        _ => Err(cx.deny(AccessAction::Read, None, "iwmo_message")),
    }
}

/// Whether a received message addressed to `receiver` (a CBS or AGB code)
/// is for the reader: their municipalities, or their provider. Who uploads
/// a message may only bring in what was sent to their own organisation.
pub async fn addressed_to_reader(cx: &Cx<'_>, receiver: &str) -> StoreResult<bool> {
    Ok(match log_scope(cx).await? {
        LogScope::All => true,
        LogScope::Municipalities(codes) => codes.iter().any(|c| c == receiver),
        LogScope::Provider(id) => provider::Entity::find_by_id(id)
            .one(cx.conn())
            .await?
            .is_some_and(|p| p.agb_code == receiver),
    })
}

fn in_scope(scope: &LogScope) -> sea_orm::Condition {
    match scope {
        LogScope::All => sea_orm::Condition::all(),
        LogScope::Municipalities(codes) => {
            sea_orm::Condition::all().add(row::Column::MunicipalityCode.is_in(codes.clone()))
        }
        LogScope::Provider(id) => sea_orm::Condition::all().add(row::Column::ProviderId.eq(*id)),
    }
}

/// One line of the message log: what went where and how it stands, without
/// personal data (the XML, with its BSN and name, only through [`message`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoggedMessage {
    pub id: IwmoMessageId,
    pub direction: Direction,
    pub kind: MessageKind,
    pub identification: String,
    pub dated: NaiveDate,
    pub sender: String,
    pub receiver: String,
    /// pending, sent, applied or rejected.
    pub state: String,
    pub retour_codes: Vec<RetourCode>,
    /// Why a received message was refused, in words.
    pub note: Option<String>,
    pub at: chrono::DateTime<chrono::Utc>,
    pub sent_at: Option<chrono::DateTime<chrono::Utc>>,
}

fn logged(m: row::Model) -> StoreResult<LoggedMessage> {
    Ok(LoggedMessage {
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
        state: m.state,
        retour_codes: m
            .retour_codes
            .as_deref()
            .unwrap_or_default()
            .split_whitespace()
            .filter_map(RetourCode::parse)
            .collect(),
        note: m.note,
        at: from_millis(m.created_at),
        sent_at: m.sent_at.map(from_millis),
    })
}

/// The newest `limit` messages the actor may see, newest first.
pub async fn log(cx: &Cx<'_>, limit: u64) -> StoreResult<Vec<LoggedMessage>> {
    use sea_orm::QuerySelect;
    let scope = log_scope(cx).await?;
    let rows = row::Entity::find()
        .filter(in_scope(&scope))
        .order_by_desc(row::Column::Id)
        .limit(limit)
        .all(cx.conn())
        .await?;
    rows.into_iter().map(logged).collect()
}

/// One message with its XML, for those who may see the resident it names:
/// the log line's reader in their scope, and not a contract manager (who
/// never sees a resident). The read is logged on the resident.
pub async fn message(
    cx: &Cx<'_>,
    id: IwmoMessageId,
) -> StoreResult<(LoggedMessage, String, Option<ResidentId>)> {
    if matches!(cx.actor.tenant, Tenant::ContractManager { .. }) {
        return Err(cx.deny(AccessAction::Read, None, format!("iwmo_message:{id}")));
    }
    let scope = log_scope(cx).await?;
    let Some(m) = row::Entity::find_by_id(id.get())
        .filter(in_scope(&scope))
        .one(cx.conn())
        .await?
    else {
        let exists = row::Entity::find_by_id(id.get()).one(cx.conn()).await?;
        return Err(match exists {
            Some(other) => cx.not_found(
                AccessAction::Read,
                other.resident_id.map(ResidentId::new),
                format!("iwmo_message:{id}"),
                "message",
            ),
            None => StoreError::NotFound { what: "message" },
        });
    };
    let resident = m.resident_id.map(ResidentId::new);
    let xml = m.xml.clone();
    cx.log(AccessAction::Read, resident, format!("iwmo_message:{id}"));
    Ok((logged(m)?, xml, resident))
}
