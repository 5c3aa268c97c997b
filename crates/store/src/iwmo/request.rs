//! Requests to change support (WMO317) and the answers (WMO319), both sides.
//!
//! The provider: a professional's request to scale up or down an allocation
//! exchanged as a WMO301 goes to the municipality as a WMO317, in the same
//! transaction, with its reference (`WVLV` and the request's number). The
//! municipality's answer: a rejection as a WMO319; an approval as the new
//! WMO301 that names the reference (`scale_request::approve`).
//!
//! The municipality: a received WMO317 that holds lands in the consultant's
//! worklist as a scale request, to be decided like any other; a received
//! WMO319 rejects the provider's request it names.

use chrono::{Days, NaiveDate};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, Set,
};
use waakvlam_domain::access::AccessAction;
use waakvlam_domain::care::{RequestStatus, ScaleDirection, Urgency};
use waakvlam_domain::ids::{
    AgbCode, AllocationNumber, Bsn, MunicipalityCode, ProductCategory, ProductCode,
};
use waakvlam_domain::product::IntensityLevel;
use waakvlam_iwmo::request::{
    Answer, ChangeRequest, NewProduct, ProductChange, ReceivedAnswer, ReceivedRequest,
    RejectionReason, RequestAnswer, RequestReason,
};
use waakvlam_iwmo::retour::RetourCode;
use waakvlam_iwmo::wmo301::Gender;
use waakvlam_iwmo::wmo315::{
    AllocationRequest, ReceivedAllocationRequest, Referrer, RequestClient, RequestedProduct,
};
use waakvlam_iwmo::{Header, MessageId, MessageKind, Parties};

use super::{
    About, Incoming, MessageState, Receipt, extent_of, insert_outgoing, internal, next_seq,
    record_incoming, reject,
};
use crate::entity::{indication, product, provider, resident, scale_request};
use crate::{Cx, IndicationId, ProviderId, ResidentId, ScaleRequestId, StoreResult, millis};

/// How much support a level is, for telling up from down.
const fn intensity(level: IntensityLevel) -> u8 {
    match level {
        IntensityLevel::Intensive => 3,
        IntensityLevel::Individual => 2,
        IntensityLevel::Waakvlam => 1,
        IntensityLevel::Other => 0,
    }
}

/// The reference of a request sent from here.
fn reference_of(request: i64) -> String {
    format!("WVLV{request:09}")
}

async fn parties(cx: &Cx<'_>, municipality: &str, provider_id: i64) -> StoreResult<Parties> {
    let supplier = provider::Entity::find_by_id(provider_id)
        .one(cx.conn())
        .await?
        .ok_or_else(|| internal(format!("provider {provider_id} not found")))?;
    Ok(Parties {
        municipality: MunicipalityCode::parse(municipality).map_err(internal)?,
        provider: AgbCode::parse(&supplier.agb_code).map_err(internal)?,
    })
}

/// A professional asked (`scale_request::ask`): for an allocation in the
/// chain whose provider works here, the WMO317 — the allocation changed to
/// end the day before the requested start, the requested product new from
/// then, every other current allocation named unchanged.
pub(crate) async fn asked(
    cx: &Cx<'_>,
    request: ScaleRequestId,
    current: &indication::Model,
    direction: ScaleDirection,
    requested_product: Option<i64>,
    requested_start: NaiveDate,
) -> StoreResult<()> {
    if !current.in_chain || !super::delivery::works_here(cx, current.provider_id).await? {
        return Ok(());
    }
    let conn = cx.conn();
    let reference = reference_of(request.get());
    // The allocation ended before the requested start: there is nothing to
    // change, so the provider asks for a new allocation (WMO315).
    if current.end_date.is_some_and(|e| e < requested_start) {
        let Some(product_id) = requested_product else {
            return Ok(());
        };
        return ask_allocation(cx, request, current, product_id, requested_start, reference).await;
    }
    set_reference(cx, request, &reference).await?;
    let end = requested_start.checked_sub_days(Days::new(1));
    let changed = ProductChange {
        number: AllocationNumber::parse(&current.allocation_number).map_err(internal)?,
        start: current.start_date,
        end,
        extent: extent_of(
            cx,
            current.product_id,
            &current.municipality_code,
            current.start_date,
            end,
        )
        .await?,
    };
    let mut new = Vec::new();
    if let Some(product_id) = requested_product {
        let p = product::Entity::find_by_id(product_id)
            .one(conn)
            .await?
            .ok_or_else(|| internal(format!("product {product_id} not found")))?;
        new.push(NewProduct {
            category: ProductCategory::parse(&p.category).map_err(internal)?,
            code: ProductCode::parse(&p.code).ok(),
            start: requested_start,
            end: None,
            extent: extent_of(
                cx,
                product_id,
                &current.municipality_code,
                requested_start,
                None,
            )
            .await?,
        });
    }
    let today = cx.today();
    let others = indication::Entity::find()
        .filter(indication::Column::ResidentId.eq(current.resident_id))
        .filter(indication::Column::ProviderId.eq(current.provider_id))
        .filter(indication::Column::MunicipalityCode.eq(&current.municipality_code))
        .filter(indication::Column::Id.ne(current.id))
        .filter(
            Condition::any()
                .add(indication::Column::EndDate.is_null())
                .add(indication::Column::EndDate.gte(today)),
        )
        .all(conn)
        .await?;
    let unchanged = others
        .iter()
        .map(|m| AllocationNumber::parse(&m.allocation_number).map_err(internal))
        .collect::<StoreResult<Vec<_>>>()?;
    let person = resident::Entity::find_by_id(current.resident_id)
        .one(conn)
        .await?
        .ok_or_else(|| internal(format!("resident {} not found", current.resident_id)))?;
    let parties = parties(cx, &current.municipality_code, current.provider_id).await?;
    let message = ChangeRequest {
        header: Header {
            kind: MessageKind::Wmo317,
            parties: parties.clone(),
            id: MessageId::new("-", today).map_err(internal)?,
        },
        bsn: Bsn::parse(&person.bsn).map_err(internal)?,
        reference,
        reason: match direction {
            ScaleDirection::Up => RequestReason::ClientSituation,
            _ => RequestReason::CarePlan,
        },
        unchanged,
        changed: vec![changed],
        new,
    };
    let about = About {
        kind: MessageKind::Wmo317,
        parties,
        provider_id: Some(ProviderId::new(current.provider_id)),
        resident_id: Some(ResidentId::new(current.resident_id)),
    };
    let id = insert_outgoing(cx, &about, |identification| {
        let mut m = message.clone();
        m.header.id = MessageId::new(identification, today).map_err(internal)?;
        m.to_xml().map_err(internal)
    })
    .await?;
    cx.log(
        AccessAction::Create,
        Some(ResidentId::new(current.resident_id)),
        format!("iwmo_message:{id}"),
    );
    Ok(())
}

/// The WMO315 of a request for a new allocation after the old one ended:
/// the client as the provider knows them, the product asked from the
/// requested start, referred by the municipality (the earlier allocation
/// was its).
async fn ask_allocation(
    cx: &Cx<'_>,
    request: ScaleRequestId,
    previous: &indication::Model,
    product_id: i64,
    start: NaiveDate,
    reference: String,
) -> StoreResult<()> {
    let conn = cx.conn();
    set_reference(cx, request, &reference).await?;
    let p = product::Entity::find_by_id(product_id)
        .one(conn)
        .await?
        .ok_or_else(|| internal(format!("product {product_id} not found")))?;
    let person = resident::Entity::find_by_id(previous.resident_id)
        .one(conn)
        .await?
        .ok_or_else(|| internal(format!("resident {} not found", previous.resident_id)))?;
    let today = cx.today();
    let parties = parties(cx, &previous.municipality_code, previous.provider_id).await?;
    let message = AllocationRequest {
        header: Header {
            kind: MessageKind::Wmo315,
            parties: parties.clone(),
            id: MessageId::new("-", today).map_err(internal)?,
        },
        client: RequestClient {
            bsn: Bsn::parse(&person.bsn).map_err(internal)?,
            birth_date: person.birth_date,
            gender: Gender::Unknown,
            family_name: person.family_name.clone(),
            prefix: person.name_prefix.clone(),
            given_names: person.given_names.clone(),
            initials: person.initials.clone(),
        },
        products: vec![RequestedProduct {
            reference,
            category: ProductCategory::parse(&p.category).map_err(internal)?,
            code: ProductCode::parse(&p.code).ok(),
            start,
            end: None,
            extent: extent_of(cx, product_id, &previous.municipality_code, start, None).await?,
            referrer: Referrer::Municipality,
            referrer_agb: None,
            comment: None,
        }],
    };
    let about = About {
        kind: MessageKind::Wmo315,
        parties,
        provider_id: Some(ProviderId::new(previous.provider_id)),
        resident_id: Some(ResidentId::new(previous.resident_id)),
    };
    let id = insert_outgoing(cx, &about, |identification| {
        let mut m = message.clone();
        m.header.id = MessageId::new(identification, today).map_err(internal)?;
        m.to_xml().map_err(internal)
    })
    .await?;
    cx.log(
        AccessAction::Create,
        Some(ResidentId::new(previous.resident_id)),
        format!("iwmo_message:{id}"),
    );
    Ok(())
}

/// Notes the iWmo reference on a request, which the answer will name.
async fn set_reference(cx: &Cx<'_>, request: ScaleRequestId, reference: &str) -> StoreResult<()> {
    let mut am: scale_request::ActiveModel = scale_request::Entity::find_by_id(request.get())
        .one(cx.conn())
        .await?
        .ok_or_else(|| internal(format!("scale request {request} not found")))?
        .into();
    am.iwmo_reference = Set(Some(reference.chars().take(36).collect()));
    am.update(cx.conn()).await?;
    Ok(())
}

/// The consultant rejected a request that came or went as a WMO317: the
/// provider is told with a WMO319 (on the content of the care, 7; the
/// consultant's words stay in Waakvlam).
pub(crate) async fn rejected(
    cx: &Cx<'_>,
    r: &scale_request::Model,
    current: &indication::Model,
) -> StoreResult<()> {
    let Some(reference) = r.iwmo_reference.clone() else {
        return Ok(());
    };
    let today = cx.today();
    let parties = parties(cx, &current.municipality_code, current.provider_id).await?;
    let message = Answer {
        header: Header {
            kind: MessageKind::Wmo319,
            parties: parties.clone(),
            id: MessageId::new("-", today).map_err(internal)?,
        },
        reference,
        answer: RequestAnswer::Rejected(RejectionReason::CareContent),
    };
    let about = About {
        kind: MessageKind::Wmo319,
        parties,
        provider_id: Some(ProviderId::new(current.provider_id)),
        resident_id: Some(ResidentId::new(current.resident_id)),
    };
    insert_outgoing(cx, &about, |identification| {
        let mut m = message.clone();
        m.header.id = MessageId::new(identification, today).map_err(internal)?;
        m.to_xml().map_err(internal)
    })
    .await?;
    Ok(())
}

/// The checks every request a municipality reads starts with: the sender a
/// provider known here, the receiver a municipality in CBS's list
/// ([`super::sender_and_receiver`]), the client known by BSN. What fails is
/// added to `findings` and `why`.
async fn parties_and_client(
    cx: &Cx<'_>,
    header: &waakvlam_iwmo::read::ReceivedHeader,
    bsn: &str,
    findings: &mut waakvlam_iwmo::retour::Findings,
    why: &mut Vec<String>,
) -> StoreResult<(Option<provider::Model>, Option<resident::Model>)> {
    let supplier = super::sender_and_receiver(cx, header, findings, why).await?;
    let person = super::client_by_bsn(cx, bsn).await?;
    if person.is_none() && Bsn::parse(bsn).is_ok() {
        findings.add("Client", 0, RetourCode::TECHNICAL);
        why.push("Bsn: no client with this BSN is known here".into());
    }
    Ok((supplier, person))
}

/// Reads a received WMO315 as the municipality: a provider asks for a new
/// allocation. Beyond the checks of every request (sender, receiver, the
/// client known by BSN) and the standard's content rules: one product at a
/// time, from the catalogue. A client this provider supported before in
/// this municipality — the waakvlam case: support that ended is needed
/// again — lands in the consultant's worklist as a request on the latest
/// allocation, decided like any other; its approval is the new WMO301 that
/// names the reference. A client the provider never supported here goes
/// through the municipality's own intake: the message is kept and answered
/// with a WMO319 "in onderzoek". The retour is owed either way; the same
/// message read again changes nothing.
pub async fn receive_allocation_request(
    cx: &Cx<'_>,
    xml: &str,
    r: &ReceivedAllocationRequest,
) -> StoreResult<Receipt> {
    let conn = cx.conn();
    let (mut findings, mut why) = r.findings();
    let seen = match super::start_reading(cx, &r.header, xml, &mut findings, &mut why).await? {
        Ok(seen) => seen,
        Err(again) => return Ok(again),
    };
    let (supplier, person) =
        parties_and_client(cx, &r.header, &r.bsn, &mut findings, &mut why).await?;
    if r.products.len() != 1 {
        findings.add("AangevraagdProduct", 1, RetourCode::TECHNICAL);
        why.push(
            "Waakvlam decides one product at a time: one AangevraagdProduct per message".into(),
        );
    }
    let mut requested = None;
    if let Some(p) = r.products.first() {
        let found = match p.code.as_deref() {
            Some(code) => crate::catalogue::product_by_code(cx, code).await?,
            None => None,
        };
        match found {
            Some(product) => requested = Some((product, p.clone())),
            None => {
                findings.add("AangevraagdProduct", 0, RetourCode::TECHNICAL);
                why.push(format!(
                    "AangevraagdProduct {}: not a product in the catalogue",
                    p.code.as_deref().unwrap_or("(zonder code)")
                ));
            }
        }
    }
    let (Some(supplier), Some(person), Some((product, asked)), false) =
        (supplier, person, requested, findings.rejected())
    else {
        return reject(cx, &r.header, xml, &findings, why, true, &seen).await;
    };
    let previous = indication::Entity::find()
        .filter(indication::Column::MunicipalityCode.eq(&r.header.receiver))
        .filter(indication::Column::ProviderId.eq(supplier.id))
        .filter(indication::Column::ResidentId.eq(person.id))
        .order_by_desc(indication::Column::StartDate)
        .order_by_desc(indication::Column::Id)
        .one(conn)
        .await?;
    let reference: String = asked.reference.chars().take(36).collect();
    let (note, indications) = match &previous {
        Some(previous) if asked.start > previous.start_date => {
            let id = crate::scale_request::add(
                cx,
                &crate::scale_request::NewScaleRequest {
                    indication_id: IndicationId::new(previous.id),
                    resident_id: ResidentId::new(person.id),
                    direction: ScaleDirection::Up,
                    requested_product_id: Some(product.id),
                    requested_start: asked.start,
                    reason: format!(
                        "Aanvraag toewijzing van {} (iWmo WMO315, referentie {reference})",
                        supplier.name
                    ),
                    urgency: Urgency::Normal,
                    status: RequestStatus::Pending,
                    requested_by: None,
                    requested_at: cx.now,
                    decided: None,
                    successor_indication_id: None,
                },
            )
            .await?;
            set_reference(cx, id, &reference).await?;
            (Vec::new(), vec![IndicationId::new(previous.id)])
        }
        _ => {
            let parties = Parties {
                municipality: MunicipalityCode::parse(&r.header.receiver).map_err(internal)?,
                provider: AgbCode::parse(&supplier.agb_code).map_err(internal)?,
            };
            let today = cx.today();
            let answer = Answer {
                header: Header {
                    kind: MessageKind::Wmo319,
                    parties: parties.clone(),
                    id: MessageId::new("-", today).map_err(internal)?,
                },
                reference,
                answer: RequestAnswer::UnderInvestigation,
            };
            let about = About {
                kind: MessageKind::Wmo319,
                parties,
                provider_id: Some(ProviderId::new(supplier.id)),
                resident_id: Some(ResidentId::new(person.id)),
            };
            insert_outgoing(cx, &about, |identification| {
                let mut m = answer.clone();
                m.header.id = MessageId::new(identification, today).map_err(internal)?;
                m.to_xml().map_err(internal)
            })
            .await?;
            (
                vec![format!(
                    "No earlier allocation of {} for this client here: to the municipality's intake; answered with a WMO319 (in onderzoek)",
                    supplier.name
                )],
                Vec::new(),
            )
        }
    };
    let message = record_incoming(
        cx,
        &Incoming {
            header: &r.header,
            xml,
            state: MessageState::Applied,
            findings: &findings,
            why: &note,
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

/// Reads a received WMO317 as the municipality: the standard's content
/// rules, the sender a provider known here, the receiver a municipality in
/// CBS's list, the client known by BSN, the product to change one of the
/// client's current allocations from that provider (9351), every unchanged
/// one too (9350), the new product in the catalogue. Waakvlam decides one
/// change at a time: one product to change and at most one new product. If
/// all holds, the request lands in the consultant's worklist; the retour is
/// owed either way. The same message read again changes nothing.
pub async fn receive_request(cx: &Cx<'_>, xml: &str, r: &ReceivedRequest) -> StoreResult<Receipt> {
    let conn = cx.conn();
    let (mut findings, mut why) = r.findings();
    let seen = match super::start_reading(cx, &r.header, xml, &mut findings, &mut why).await? {
        Ok(seen) => seen,
        Err(again) => return Ok(again),
    };
    let (supplier, person) =
        parties_and_client(cx, &r.header, &r.bsn, &mut findings, &mut why).await?;
    let today = cx.today();
    let current_allocation = async |number: &str| -> StoreResult<Option<indication::Model>> {
        let (Some(person), Some(supplier)) = (&person, &supplier) else {
            return Ok(None);
        };
        Ok(indication::Entity::find()
            .filter(indication::Column::MunicipalityCode.eq(&r.header.receiver))
            .filter(indication::Column::ProviderId.eq(supplier.id))
            .filter(indication::Column::ResidentId.eq(person.id))
            .filter(indication::Column::AllocationNumber.eq(number.trim()))
            .filter(indication::Column::EndReason.is_null())
            .one(conn)
            .await?
            .filter(|m| m.end_date.is_none_or(|e| e >= today)))
    };
    for (i, n) in r.unchanged.iter().enumerate() {
        if current_allocation(n).await?.is_none() {
            findings.add("OngewijzigdProduct", i, RetourCode::UNCHANGED_NOT_CURRENT);
            why.push(format!(
                "OngewijzigdProduct {n}: not a current allocation of this client"
            ));
        }
    }
    let mut current = None;
    for (i, c) in r.changed.iter().enumerate() {
        match current_allocation(&c.number).await? {
            Some(m) => current = Some((m, c.clone())),
            None => {
                findings.add("TeWijzigenProduct", i, RetourCode::CHANGE_NOT_CURRENT);
                why.push(format!(
                    "TeWijzigenProduct {}: not a current allocation of this client",
                    c.number
                ));
            }
        }
    }
    if r.changed.len() != 1 || r.new.len() > 1 {
        findings.add("Verzoek", 0, RetourCode::TECHNICAL);
        why.push("Waakvlam decides one change at a time: one product to change and at most one new product".into());
    }
    let mut requested = None;
    for (i, n) in r.new.iter().enumerate() {
        let found = match n.code.as_deref() {
            Some(code) => crate::catalogue::product_by_code(cx, code).await?,
            None => None,
        };
        match found {
            Some(p) => requested = Some((p, n.start)),
            None => {
                findings.add("NieuwProduct", i, RetourCode::TECHNICAL);
                why.push(format!(
                    "NieuwProduct {}: not a product in the catalogue",
                    n.code.as_deref().unwrap_or("(zonder code)")
                ));
            }
        }
    }
    let (Some(supplier), Some(person), Some((current, change)), false) =
        (supplier, person, current, findings.rejected())
    else {
        return reject(cx, &r.header, xml, &findings, why, true, &seen).await;
    };
    // Up or down by the products' intensity; no new product: ending.
    let old_level = crate::catalogue::product_by_id(cx, crate::ProductId::new(current.product_id))
        .await?
        .map(|p| p.product.level);
    let (direction, product_id, start) = match &requested {
        Some((p, start)) => (
            if old_level.is_some_and(|old| intensity(p.product.level) > intensity(old)) {
                ScaleDirection::Up
            } else {
                ScaleDirection::Down
            },
            Some(p.id),
            *start,
        ),
        None => (
            ScaleDirection::Down,
            None,
            change
                .end
                .and_then(|e| e.checked_add_days(Days::new(1)))
                .unwrap_or(today),
        ),
    };
    let id = crate::scale_request::add(
        cx,
        &crate::scale_request::NewScaleRequest {
            indication_id: IndicationId::new(current.id),
            resident_id: ResidentId::new(person.id),
            direction,
            requested_product_id: product_id,
            requested_start: start,
            reason: format!(
                "Verzoek om wijziging van {} (iWmo WMO317, referentie {})",
                supplier.name, r.reference
            ),
            urgency: Urgency::Normal,
            status: RequestStatus::Pending,
            requested_by: None,
            requested_at: cx.now,
            decided: None,
            successor_indication_id: None,
        },
    )
    .await?;
    set_reference(cx, id, &r.reference).await?;
    let message = record_incoming(
        cx,
        &Incoming {
            header: &r.header,
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
        indications: vec![IndicationId::new(current.id)],
    })
}

/// Reads a received WMO319 as the provider: a rejection rejects the request
/// sent from here that it names, with the municipality's reason; "under
/// investigation" is noted on the request, which keeps waiting. An answer
/// to no request sent from here is refused; the retour is owed either way.
pub async fn receive_answer(cx: &Cx<'_>, xml: &str, a: &ReceivedAnswer) -> StoreResult<Receipt> {
    let conn = cx.conn();
    let mut findings = waakvlam_iwmo::retour::Findings::default();
    let mut why = Vec::new();
    let seen = match super::start_reading(cx, &a.header, xml, &mut findings, &mut why).await? {
        Ok(seen) => seen,
        Err(again) => return Ok(again),
    };
    let request = scale_request::Entity::find()
        .filter(scale_request::Column::IwmoReference.eq(&a.reference))
        .one(conn)
        .await?;
    // A reference never sent from here has a code of its own (9355); one
    // whose request was decided before is refused as such (0001).
    let code = if request.is_none() {
        RetourCode::UNKNOWN_REQUEST
    } else {
        RetourCode::TECHNICAL
    };
    let pending = request.filter(|r| r.status == RequestStatus::Pending.as_str());
    if pending.is_none() {
        findings.add("Antwoord", 0, code);
        why.push(format!(
            "ReferentieAanbieder {}: no waiting request sent from here",
            a.reference
        ));
    }
    let (Some(r), false) = (pending, findings.rejected()) else {
        return reject(cx, &a.header, xml, &findings, why, true, &seen).await;
    };
    let resident = ResidentId::new(r.resident_id);
    let indication = IndicationId::new(r.indication_id);
    let provider_id = indication::Entity::find_by_id(r.indication_id)
        .one(conn)
        .await?
        .map(|m| ProviderId::new(m.provider_id));
    let why_words = match a.reason.as_deref() {
        Some("1") => "geen wijziging, maar een nieuwe aanvraag",
        Some("2") => "past niet binnen het budget",
        Some("3") => "geen contract",
        Some("4") => "past niet binnen het contract",
        Some("5") => "andere gemeente",
        Some("6") => "stapeling",
        Some("7") => "zorginhoudelijke afwijzing",
        Some("8") => "woonplaatsbeginsel",
        Some("9") => "de leeftijdsgrens is bereikt",
        _ => "geen reden gegeven",
    };
    let mut am: scale_request::ActiveModel = r.into();
    if a.answer == "1" {
        am.status = Set(RequestStatus::Rejected.as_str().to_owned());
        am.decided_at = Set(Some(millis(cx.now)));
        am.decision_note = Set(Some(format!(
            "Afgewezen door de gemeente (iWmo WMO319): {why_words}"
        )));
    } else {
        am.decision_note = Set(Some(
            "De gemeente onderzoekt het verzoek (iWmo WMO319).".into(),
        ));
    }
    am.update(conn).await?;
    cx.log(
        AccessAction::Update,
        Some(resident),
        format!("scale_request,indication:{indication}"),
    );
    let message = record_incoming(
        cx,
        &Incoming {
            header: &a.header,
            xml,
            state: MessageState::Applied,
            findings: &findings,
            why: &[],
            provider_id,
            resident_id: Some(resident),
            body: true,
            seq: next_seq(&seen),
        },
    )
    .await?;
    Ok(Receipt::Applied {
        message,
        resident,
        indications: vec![indication],
    })
}

/// A received WMO301 names a request sent from here: the request is
/// approved, with the allocation as its successor (when it is a new one).
pub(crate) async fn granted(
    cx: &Cx<'_>,
    reference: &str,
    allocation: IndicationId,
) -> StoreResult<()> {
    let Some(r) = scale_request::Entity::find()
        .filter(scale_request::Column::IwmoReference.eq(reference))
        .filter(scale_request::Column::Status.eq(RequestStatus::Pending.as_str()))
        .one(cx.conn())
        .await?
    else {
        return Ok(());
    };
    let resident = ResidentId::new(r.resident_id);
    let successor = (r.indication_id != allocation.get()).then_some(allocation.get());
    let mut am: scale_request::ActiveModel = r.into();
    am.status = Set(RequestStatus::Approved.as_str().to_owned());
    am.decided_at = Set(Some(millis(cx.now)));
    am.decision_note = Set(Some("Toegewezen door de gemeente (iWmo WMO301).".into()));
    am.successor_indication_id = Set(successor);
    am.update(cx.conn()).await?;
    cx.log(
        AccessAction::Update,
        Some(resident),
        format!("scale_request,indication:{allocation}"),
    );
    Ok(())
}
