//! Start and stop of delivery (WMO305, WMO307), both sides.
//!
//! The provider: delivery of an allocation starts at the professional's
//! first contact after its first day, or on a day the professional
//! confirms; it stops when the allocation ends. Both are recorded on the
//! indication (`delivery_start`, `delivery_end`), and for an allocation
//! exchanged as a WMO301 (`in_chain`) whose provider works here, told to the
//! municipality in the same transaction. A stop is only told after a start:
//! the standard has no stop without one.
//!
//! The municipality: a received start or stop is checked against the
//! standard's rules and the allocation it names, then applied whole or not
//! at all, and answered with its retour (306, 308).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use waakvlam_domain::access::AccessAction;
use waakvlam_domain::ids::ProductCode;
use waakvlam_domain::ids::{AgbCode, AllocationNumber, Bsn, MunicipalityCode, ProductCategory};
use waakvlam_domain::indication::EndReason;
use waakvlam_domain::refusal::Reason;
use waakvlam_iwmo::delivery::{
    AllocationRef, Client, ReceivedDelivery, Start, StartedProduct, Status, Stop, StoppedProduct,
};
use waakvlam_iwmo::retour::RetourCode;
use waakvlam_iwmo::wmo301::Gender;
use waakvlam_iwmo::{Header, MessageId, MessageKind, Parties};

use super::{
    About, Incoming, MessageState, Receipt, insert_outgoing, internal, next_seq, record_incoming,
    reject,
};
use crate::changes::{self, Change};
use crate::entity::{indication, product, provider, resident, team};
use crate::{Cx, IndicationId, ProviderId, ResidentId, StoreError, StoreResult, Tenant, millis};

/// Whether the actor acts for a provider: a professional or a team. Only
/// they start and stop delivery.
fn provider_side(cx: &Cx<'_>) -> bool {
    matches!(
        cx.actor.tenant,
        Tenant::Professional { .. } | Tenant::Team { .. }
    )
}

/// Whether a provider works in this installation (has a team here): it
/// tells its own starts and stops from here. Another provider's come in as
/// messages.
pub(crate) async fn works_here(cx: &Cx<'_>, provider_id: i64) -> StoreResult<bool> {
    Ok(team::Entity::find()
        .filter(team::Column::ProviderId.eq(provider_id))
        .count(cx.conn())
        .await?
        > 0)
}

/// The professional confirms the day delivery of an indication began (the
/// first contact may have been before Waakvlam, or by phone unlogged).
/// Refused: a day before the allocation starts, after it ended, or in the
/// future; an indication whose start was told already.
pub async fn confirm_start(cx: &Cx<'_>, id: IndicationId, start: NaiveDate) -> StoreResult<()> {
    let m = indication::Entity::find_by_id(id.get())
        .filter(cx.actor.tenant.indication_filter())
        .one(cx.conn())
        .await?;
    let Some(m) = m.filter(|_| provider_side(cx)) else {
        return Err(crate::indications::refused(cx, id, AccessAction::Update).await?);
    };
    if m.delivery_start.is_some() {
        return Err(StoreError::conflict("", Reason::new("delivery-started")));
    }
    if start > cx.today() {
        return Err(StoreError::refuse("delivery_start", "delivery-in-future"));
    }
    if start < m.start_date || m.end_date.is_some_and(|end| start > end) {
        return Err(StoreError::refuse(
            "delivery_start",
            "delivery-outside-allocation",
        ));
    }
    record_starts(cx, vec![(m, start)]).await
}

/// A contact was logged on `day`: delivery of the resident's running
/// allocations in the actor's sight that had not started begins that day.
pub(crate) async fn contact_logged(
    cx: &Cx<'_>,
    resident_id: ResidentId,
    day: NaiveDate,
) -> StoreResult<()> {
    if !provider_side(cx) {
        return Ok(());
    }
    let waiting = indication::Entity::find()
        .filter(cx.actor.tenant.indication_filter())
        .filter(indication::Column::ResidentId.eq(resident_id))
        .filter(indication::Column::DeliveryStart.is_null())
        .filter(indication::Column::EndReason.is_null())
        .filter(indication::Column::StartDate.lte(day))
        .order_by_asc(indication::Column::Id)
        .all(cx.conn())
        .await?;
    let started: Vec<_> = waiting
        .into_iter()
        .filter(|m| m.end_date.is_none_or(|end| end >= day))
        .map(|m| (m, day))
        .collect();
    if started.is_empty() {
        return Ok(());
    }
    record_starts(cx, started).await
}

/// Records each start, and writes one WMO305 per provider and municipality
/// for those in the chain whose provider works here.
async fn record_starts(
    cx: &Cx<'_>,
    started: Vec<(indication::Model, NaiveDate)>,
) -> StoreResult<()> {
    let now = millis(cx.now);
    let mut tell: BTreeMap<(i64, String, i64), Vec<StartedProduct>> = BTreeMap::new();
    for (m, start) in started {
        changes::record(
            cx.conn(),
            cx.actor,
            now,
            Change {
                entity: "indication",
                id: m.id,
                field: "delivery_start",
                old: None,
                new: Some(start.to_string()),
            },
        )
        .await?;
        if m.in_chain && works_here(cx, m.provider_id).await? {
            tell.entry((m.resident_id, m.municipality_code.clone(), m.provider_id))
                .or_default()
                .push(StartedProduct {
                    allocation: allocation_ref(cx, &m).await?,
                    start,
                    status: Status::First,
                });
        }
        let resident_id = ResidentId::new(m.resident_id);
        let id = m.id;
        let mut am: indication::ActiveModel = m.into();
        am.delivery_start = Set(Some(start));
        am.updated_at = Set(now);
        am.update(cx.conn()).await?;
        cx.log(
            AccessAction::Update,
            Some(resident_id),
            format!("indication:{id}:delivery_start"),
        );
    }
    for ((resident_id, municipality, provider_id), products) in tell {
        let (about, client, header) = message_parts(
            cx,
            MessageKind::Wmo305,
            resident_id,
            &municipality,
            provider_id,
        )
        .await?;
        let message = Start {
            header,
            client,
            products,
        };
        let today = cx.today();
        let id = insert_outgoing(cx, &about, |identification| {
            let mut m = message.clone();
            m.header.id = MessageId::new(identification, today).map_err(internal)?;
            m.to_xml().map_err(internal)
        })
        .await?;
        cx.log(
            AccessAction::Create,
            Some(ResidentId::new(resident_id)),
            format!("iwmo_message:{id}"),
        );
    }
    Ok(())
}

/// An indication ended (`m` as it is now, with its end date and reason):
/// delivery that had started stops on that day, and a provider that works
/// here tells the municipality with a WMO307 when the allocation is in the
/// chain. Nothing is told of an allocation whose start never was.
pub(crate) async fn ended(cx: &Cx<'_>, m: indication::Model) -> StoreResult<()> {
    let (Some(start), None, Some(end), Some(reason)) = (
        m.delivery_start,
        m.delivery_end,
        m.end_date,
        m.end_reason.as_deref(),
    ) else {
        return Ok(());
    };
    let reason = EndReason::parse(reason).map_err(internal)?;
    let end = end.max(start);
    changes::record(
        cx.conn(),
        cx.actor,
        millis(cx.now),
        Change {
            entity: "indication",
            id: m.id,
            field: "delivery_end",
            old: None,
            new: Some(end.to_string()),
        },
    )
    .await?;
    let tell = m.in_chain && works_here(cx, m.provider_id).await?;
    let stopped = if tell {
        Some(StoppedProduct {
            allocation: allocation_ref(cx, &m).await?,
            start,
            end,
            reason,
            status: Status::First,
        })
    } else {
        None
    };
    let (resident_id, municipality, provider_id) =
        (m.resident_id, m.municipality_code.clone(), m.provider_id);
    let mut am: indication::ActiveModel = m.into();
    am.delivery_end = Set(Some(end));
    am.updated_at = Set(millis(cx.now));
    am.update(cx.conn()).await?;
    let Some(stopped) = stopped else {
        return Ok(());
    };
    let (about, client, header) = message_parts(
        cx,
        MessageKind::Wmo307,
        resident_id,
        &municipality,
        provider_id,
    )
    .await?;
    let message = Stop {
        header,
        client,
        products: vec![stopped],
    };
    let today = cx.today();
    let id = insert_outgoing(cx, &about, |identification| {
        let mut m = message.clone();
        m.header.id = MessageId::new(identification, today).map_err(internal)?;
        m.to_xml().map_err(internal)
    })
    .await?;
    cx.log(
        AccessAction::Create,
        Some(ResidentId::new(resident_id)),
        format!("iwmo_message:{id}"),
    );
    Ok(())
}

/// The row description, client and header of a start or stop from a
/// provider to a municipality about one resident.
async fn message_parts(
    cx: &Cx<'_>,
    kind: MessageKind,
    resident_id: i64,
    municipality: &str,
    provider_id: i64,
) -> StoreResult<(About, Client, Header)> {
    let person = resident::Entity::find_by_id(resident_id)
        .one(cx.conn())
        .await?
        .ok_or_else(|| internal(format!("resident {resident_id} not found")))?;
    let supplier = provider::Entity::find_by_id(provider_id)
        .one(cx.conn())
        .await?
        .ok_or_else(|| internal(format!("provider {provider_id} not found")))?;
    let parties = Parties {
        municipality: MunicipalityCode::parse(municipality).map_err(internal)?,
        provider: AgbCode::parse(&supplier.agb_code).map_err(internal)?,
    };
    let client = Client {
        bsn: Bsn::parse(&person.bsn).map_err(internal)?,
        birth_date: person.birth_date,
        gender: Gender::Unknown,
        family_name: person.family_name,
        prefix: person.name_prefix,
        given_names: person.given_names,
        initials: person.initials,
    };
    let header = Header {
        kind,
        parties: parties.clone(),
        // Replaced by the row's own identification.
        id: MessageId::new("-", cx.today()).map_err(internal)?,
    };
    let about = About {
        kind,
        parties,
        provider_id: Some(ProviderId::new(provider_id)),
        resident_id: Some(ResidentId::new(resident_id)),
    };
    Ok((about, client, header))
}

async fn allocation_ref(cx: &Cx<'_>, m: &indication::Model) -> StoreResult<AllocationRef> {
    let p = product::Entity::find_by_id(m.product_id)
        .one(cx.conn())
        .await?
        .ok_or_else(|| internal(format!("product {} not found", m.product_id)))?;
    Ok(AllocationRef {
        number: AllocationNumber::parse(&m.allocation_number).map_err(internal)?,
        category: ProductCategory::parse(&p.category).map_err(internal)?,
        code: ProductCode::parse(&p.code).ok(),
        allocation_start: m.start_date,
    })
}

/// What a received start or stop does to one allocation.
enum Apply {
    /// Delivery began on this day (`None`: a start withdrawn).
    Start(Option<NaiveDate>),
    /// Delivery stopped on this day for this reason (`None`: withdrawn).
    Stop(Option<(NaiveDate, EndReason)>),
    /// Told before exactly so: nothing to change.
    Nothing,
}

/// Reads a received WMO305 or WMO307 that passed the XSD, as the
/// municipality: the standard's content rules, the sender a provider known
/// here, the receiver a municipality known here, and every product linked
/// to one of the client's allocations from that provider (9019); a stop
/// needs the start it ends (9069) and is told once (9415). If all hold,
/// each allocation gets its start or stop (a stop also ends an allocation
/// still running, for the reason given); all of it or nothing, and the
/// retour is owed either way. The same message read again changes nothing.
pub async fn receive_delivery(
    cx: &Cx<'_>,
    xml: &str,
    d: &ReceivedDelivery,
) -> StoreResult<Receipt> {
    let conn = cx.conn();
    let (mut findings, mut why) = d.findings();
    let seen = match super::start_reading(cx, &d.header, xml, &mut findings, &mut why).await? {
        Ok(seen) => seen,
        Err(again) => return Ok(again),
    };
    let supplier = super::sender_and_receiver(cx, &d.header, &mut findings, &mut why).await?;
    // An unknown client shows at each product: no allocation to link (9019).
    let person = super::client_by_bsn(cx, &d.bsn).await?;
    let class = d.class();
    let stop = d.header.kind == MessageKind::Wmo307;
    let mut changes = Vec::new();
    for (i, p) in d.products.iter().enumerate() {
        let label = p.number.as_deref().unwrap_or("-");
        let mut refuse = |code, text: String| {
            findings.add(class, i, code);
            why.push(format!("{class} {label}: {text}"));
        };
        let found = match (&person, &supplier, p.number.as_deref()) {
            (Some(person), Some(supplier), Some(number)) => {
                indication::Entity::find()
                    .filter(indication::Column::MunicipalityCode.eq(&d.header.receiver))
                    .filter(indication::Column::ProviderId.eq(supplier.id))
                    .filter(indication::Column::ResidentId.eq(person.id))
                    .filter(indication::Column::AllocationNumber.eq(number.trim()))
                    .one(conn)
                    .await?
            }
            _ => None,
        };
        let Some(m) = found else {
            if p.number.is_some() {
                refuse(
                    RetourCode::NOT_LINKED,
                    "no allocation with this number for this client from this provider".into(),
                );
            }
            continue;
        };
        let status = Status::parse(&p.status);
        let apply = match (stop, status) {
            (_, None) => continue, // refused by the content rules
            (false, Some(Status::First)) => match m.delivery_start {
                Some(s) if s == p.start => Apply::Nothing,
                Some(s) => {
                    refuse(
                        RetourCode::TECHNICAL,
                        format!(
                            "a start on {s} was told before; correct it with StatusAanlevering 2"
                        ),
                    );
                    continue;
                }
                None if p.start < m.start_date || m.end_date.is_some_and(|end| p.start > end) => {
                    refuse(
                        RetourCode::TECHNICAL,
                        "Begindatum lies outside the allocation's period".into(),
                    );
                    continue;
                }
                None => Apply::Start(Some(p.start)),
            },
            (false, Some(Status::Changed)) => Apply::Start(Some(p.start)),
            (false, Some(Status::Withdrawn)) if m.delivery_end.is_some() => {
                refuse(
                    RetourCode::START_NOT_WITHDRAWABLE,
                    "the start cannot be withdrawn: delivery has stopped".into(),
                );
                continue;
            }
            (false, Some(Status::Withdrawn)) => Apply::Start(None),
            (true, Some(status)) => {
                if m.delivery_start != Some(p.start) {
                    refuse(
                        RetourCode::NO_START,
                        "no start with this Begindatum was told for this allocation".into(),
                    );
                    continue;
                }
                let (Some(end), Some(reason)) = (
                    p.end,
                    p.reason.as_deref().and_then(|r| EndReason::parse(r).ok()),
                ) else {
                    continue; // refused by the content rules
                };
                match (status, m.delivery_end) {
                    (Status::First, Some(e)) if e == end => Apply::Nothing,
                    (Status::First, Some(_)) => {
                        refuse(
                            RetourCode::ALREADY_STOPPED,
                            "this delivery was stopped before".into(),
                        );
                        continue;
                    }
                    (Status::Withdrawn, _) => Apply::Stop(None),
                    _ => Apply::Stop(Some((end, reason))),
                }
            }
        };
        changes.push((m, apply));
    }
    let (Some(supplier), Some(person), false) = (supplier, person, findings.rejected()) else {
        return reject(cx, &d.header, xml, &findings, why, true, &seen).await;
    };
    let mut indications = Vec::new();
    for (m, apply) in changes {
        indications.push(IndicationId::new(m.id));
        apply_received(cx, m, apply).await?;
    }
    let message = record_incoming(
        cx,
        &Incoming {
            header: &d.header,
            xml,
            state: MessageState::Applied,
            findings: &findings,
            why: &[],
            provider_id: Some(ProviderId::new(supplier.id)),
            resident_id: Some(ResidentId::new(person.id)),
            body: true,
            seq: next_seq(&seen),
        },
    )
    .await?;
    Ok(Receipt::Applied {
        message,
        resident: ResidentId::new(person.id),
        indications,
    })
}

/// Applies a received start or stop to its allocation, each change kept.
async fn apply_received(cx: &Cx<'_>, m: indication::Model, apply: Apply) -> StoreResult<()> {
    let now = millis(cx.now);
    let mut record: Vec<(&str, Option<String>, Option<String>)> = Vec::new();
    let mut am: indication::ActiveModel = m.clone().into();
    match apply {
        Apply::Nothing => return Ok(()),
        Apply::Start(start) => {
            record.push((
                "delivery_start",
                m.delivery_start.map(|d| d.to_string()),
                start.map(|d| d.to_string()),
            ));
            am.delivery_start = Set(start);
        }
        Apply::Stop(None) => {
            record.push(("delivery_end", m.delivery_end.map(|d| d.to_string()), None));
            am.delivery_end = Set(None);
        }
        Apply::Stop(Some((end, reason))) => {
            record.push((
                "delivery_end",
                m.delivery_end.map(|d| d.to_string()),
                Some(end.to_string()),
            ));
            am.delivery_end = Set(Some(end));
            // Support that stopped ends the allocation still running.
            if m.end_reason.is_none() {
                if m.end_date.is_none_or(|e| e > end) {
                    record.push((
                        "end_date",
                        m.end_date.map(|d| d.to_string()),
                        Some(end.to_string()),
                    ));
                    am.end_date = Set(Some(end));
                }
                record.push(("end_reason", None, Some(reason.code().to_owned())));
                am.end_reason = Set(Some(reason.code().to_owned()));
            }
        }
    }
    for (field, old, new) in record {
        changes::record(
            cx.conn(),
            cx.actor,
            now,
            Change {
                entity: "indication",
                id: m.id,
                field,
                old,
                new,
            },
        )
        .await?;
    }
    am.updated_at = Set(now);
    am.update(cx.conn()).await?;
    cx.log(
        AccessAction::Update,
        Some(ResidentId::new(m.resident_id)),
        format!("indication:{}", m.id),
    );
    Ok(())
}
