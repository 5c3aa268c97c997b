//! Declarations (iWmo WMO323/325), the provider's side.
//!
//! `declare` works out, for one provider and one declaration period, what
//! each of its indications is due (`waakvlam_domain::declaration::due`),
//! compares it with what was declared for that period before, and writes
//! what is new: a debit line, or — when what is due changed (an end date
//! moved, a contact's minutes corrected) — a credit line for each earlier
//! debit and a new debit that names the one it replaces. One WMO323 per
//! municipality, written in the same transaction as its lines. Declaring a
//! period again without changes writes nothing.
//!
//! `receive_answer` reads the municipality's WMO325: each line granted or
//! refused with its codes, the declaration's granted total.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, TimeZone};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, Set,
};
use waakvlam_domain::access::AccessAction;
use waakvlam_domain::declaration::{DeclarationPeriod, DeclaredUnit, DueInput, due};
use waakvlam_domain::ids::{
    AgbCode, AllocationNumber, Bsn, MunicipalityCode, ProductCategory, ProductCode,
};
use waakvlam_domain::money::Cents;
use waakvlam_domain::tariff::FundingVariant;
use waakvlam_iwmo::retour::RetourCode;
use waakvlam_iwmo::wmo323::{Declaration, DeclaredClient, Performance, ReceivedAnswer};
use waakvlam_iwmo::{Header, MessageId, MessageKind, Parties};

use crate::entity::{
    contact, declaration, declaration_line as line, indication, iwmo_message, product, provider,
    provider_contract, resident,
};
use crate::iwmo::{About, Incoming, MessageState, Receipt};
use crate::{Cx, IwmoMessageId, ProviderId, ResidentId, StoreError, StoreResult, Tenant, millis};

/// Which declaration period a contract agrees (`provider_contract.declaration_period`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodKind {
    Month,
    FourWeeks,
}

impl PeriodKind {
    pub const ALL: [Self; 2] = [Self::Month, Self::FourWeeks];

    /// The kind as stored and as a form sends it.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Month => "month",
            Self::FourWeeks => "four_weeks",
        }
    }

    /// The kind of a period: a calendar month, else four weeks.
    pub fn of(period: &DeclarationPeriod) -> Self {
        let start = period.start();
        if start.day() == 1
            && DeclarationPeriod::month(start.year(), start.month()) == Some(*period)
        {
            Self::Month
        } else {
            Self::FourWeeks
        }
    }
}

/// One declaration written by [`declare`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declared {
    pub municipality_code: String,
    pub number: String,
    pub message: IwmoMessageId,
    /// Net, in cents: debits minus credits.
    pub total: i64,
    pub debits: usize,
    pub credits: usize,
    /// Lines by the hour that the budget ceiling cut.
    pub capped: usize,
}

/// What [`declare`] did for a provider and period.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DeclareOutcome {
    pub declarations: Vec<Declared>,
    /// Allocation numbers without a tariff in force: nothing can be declared.
    pub without_tariff: Vec<String>,
    /// Allocation numbers whose contract agrees the other kind of period.
    pub other_period: Vec<String>,
}

/// A line about to be written.
struct NewLine {
    indication: indication::Model,
    product: product::Model,
    from: NaiveDate,
    to: NaiveDate,
    volume: i64,
    unit: DeclaredUnit,
    tariff: Option<i64>,
    amount: i64,
    credit: bool,
    /// A credit repeats its debit's reference; a new debit gets its own.
    reference: Option<String>,
    previous_reference: Option<String>,
    uncapped: Option<i64>,
}

fn internal(what: impl std::fmt::Display) -> StoreError {
    StoreError::Internal(format!("declaration: {what}"))
}

/// The minutes logged with a resident on the days `from..=to` (Dutch days).
async fn minutes_logged(
    cx: &Cx<'_>,
    resident_id: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> StoreResult<u32> {
    let local = |day: NaiveDate| {
        chrono_tz::Europe::Amsterdam
            .from_local_datetime(&day.and_hms_opt(0, 0, 0).unwrap_or_default())
            .earliest()
            .map(|t| millis(t.with_timezone(&chrono::Utc)))
            .unwrap_or_default()
    };
    let until = to.succ_opt().unwrap_or(to);
    let rows = contact::Entity::find()
        .filter(contact::Column::ResidentId.eq(resident_id))
        .filter(contact::Column::OccurredAt.gte(local(from)))
        .filter(contact::Column::OccurredAt.lt(local(until)))
        .all(cx.conn())
        .await?;
    let total: i64 = rows
        .iter()
        .filter_map(|c| c.duration_minutes)
        .map(i64::from)
        .sum();
    Ok(u32::try_from(total.max(0)).unwrap_or(u32::MAX))
}

/// The debits of an indication that stand: not refused, not credited.
fn standing(lines: &[line::Model]) -> Vec<&line::Model> {
    lines
        .iter()
        .filter(|l| !l.credit && l.state != "refused")
        .filter(|d| {
            !lines
                .iter()
                .any(|c| c.credit && c.reference == d.reference && c.state != "refused")
        })
        .collect()
}

/// Declares one period for one provider (see the module). Only the system
/// (the command line) declares.
pub async fn declare(
    cx: &Cx<'_>,
    provider_id: ProviderId,
    period: DeclarationPeriod,
) -> StoreResult<DeclareOutcome> {
    if cx.actor.tenant != Tenant::System {
        return Err(cx.deny(AccessAction::Create, None, "declaration"));
    }
    // What was delivered in a period is known once it is over.
    if period.end() >= cx.today() {
        return Err(StoreError::refuse_with(
            "period",
            waakvlam_domain::refusal::Reason::new("period-not-over")
                .with("end", period.end().format("%d-%m-%Y")),
        ));
    }
    let conn = cx.conn();
    let supplier = provider::Entity::find_by_id(provider_id.get())
        .one(conn)
        .await?
        .ok_or(StoreError::NotFound { what: "provider" })?;
    let kind = PeriodKind::of(&period);
    let running = indication::Entity::find()
        .filter(indication::Column::ProviderId.eq(provider_id))
        .filter(indication::Column::StartDate.lte(period.end()))
        .filter(
            Condition::any()
                .add(indication::Column::EndDate.is_null())
                .add(indication::Column::EndDate.gte(period.start())),
        )
        .order_by_asc(indication::Column::MunicipalityCode)
        .order_by_asc(indication::Column::ResidentId)
        .order_by_asc(indication::Column::Id)
        .all(conn)
        .await?;
    let mut outcome = DeclareOutcome::default();
    let mut new_lines: BTreeMap<String, Vec<NewLine>> = BTreeMap::new();
    for m in running {
        let p = product::Entity::find_by_id(m.product_id)
            .one(conn)
            .await?
            .ok_or_else(|| internal(format!("product {} not found", m.product_id)))?;
        if contract_period(cx, &m).await? != kind {
            outcome.other_period.push(m.allocation_number.clone());
            continue;
        }
        let Some((variant, tariff)) = crate::catalogue::tariff_in_force(
            conn,
            m.product_id,
            &m.municipality_code,
            period.start().max(m.start_date).year(),
        )
        .await?
        else {
            outcome.without_tariff.push(m.allocation_number.clone());
            continue;
        };
        let earlier = line::Entity::find()
            .filter(line::Column::IndicationId.eq(m.id))
            .order_by_asc(line::Column::Id)
            .all(conn)
            .await?;
        // Lines of earlier periods count against a budget ceiling; lines of
        // this period are what is compared with what is due now.
        let before: Vec<line::Model> = earlier
            .iter()
            .filter(|l| l.period_end < period.start())
            .cloned()
            .collect();
        let within: Vec<line::Model> = earlier
            .into_iter()
            .filter(|l| l.period_start >= period.start() && l.period_end <= period.end())
            .collect();
        let declared_before: i64 = match variant {
            FundingVariant::PerHour { .. } => {
                standing(&before).iter().map(|l| l.amount_cents).sum()
            }
            _ => 0,
        };
        let end = m.end_date.unwrap_or(period.end());
        let (from, to) = (m.start_date.max(period.start()), end.min(period.end()));
        let minutes = match variant {
            FundingVariant::PerHour { .. } if from <= to => {
                minutes_logged(cx, m.resident_id, from, to).await?
            }
            _ => 0,
        };
        let now_due = due(&DueInput {
            variant,
            tariff,
            indication_start: m.start_date,
            indication_end: m.end_date,
            period,
            minutes,
            declared_before: Cents(declared_before),
        })
        .filter(|d| d.amount.0 > 0);
        let stands = standing(&within);
        let same = match (&now_due, stands.as_slice()) {
            (None, []) => true,
            (Some(d), [one]) => {
                one.amount_cents == d.amount.0
                    && one.volume == i64::from(d.volume)
                    && one.period_start == d.from
                    && one.period_end == d.to
            }
            _ => false,
        };
        if same {
            continue;
        }
        let lines = new_lines.entry(m.municipality_code.clone()).or_default();
        for old in &stands {
            lines.push(NewLine {
                indication: m.clone(),
                product: p.clone(),
                from: old.period_start,
                to: old.period_end,
                volume: old.volume,
                unit: DeclaredUnit::parse(&old.unit)
                    .ok_or_else(|| internal(format!("unit {}", old.unit)))?,
                tariff: old.tariff_cents,
                amount: old.amount_cents,
                credit: true,
                reference: Some(old.reference.clone()),
                previous_reference: None,
                uncapped: None,
            });
        }
        if let Some(d) = now_due {
            lines.push(NewLine {
                indication: m.clone(),
                product: p.clone(),
                from: d.from,
                to: d.to,
                volume: i64::from(d.volume),
                unit: d.unit,
                tariff: d.tariff.map(|t| t.0),
                amount: d.amount.0,
                credit: false,
                reference: None,
                previous_reference: stands.last().map(|l| l.reference.clone()),
                uncapped: d.uncapped.map(|c| c.0),
            });
        }
    }
    for (municipality, lines) in new_lines {
        if lines.is_empty() {
            continue;
        }
        outcome
            .declarations
            .push(write_declaration(cx, &supplier, &municipality, period, lines).await?);
    }
    Ok(outcome)
}

/// The period kind of the contract under which an indication is delivered:
/// the provider's contract for the product in the municipality, else in its
/// region; a month when there is none.
async fn contract_period(cx: &Cx<'_>, m: &indication::Model) -> StoreResult<PeriodKind> {
    let region = crate::entity::municipality::Entity::find_by_id(m.municipality_code.clone())
        .one(cx.conn())
        .await?
        .and_then(|x| x.region_id);
    let contracts = provider_contract::Entity::find()
        .filter(provider_contract::Column::ProviderId.eq(m.provider_id))
        .filter(provider_contract::Column::ProductId.eq(m.product_id))
        .all(cx.conn())
        .await?;
    let own = contracts
        .iter()
        .find(|c| c.municipality_code.as_deref() == Some(m.municipality_code.as_str()))
        .or_else(|| {
            contracts
                .iter()
                .find(|c| c.region_id.is_some() && c.region_id == region)
        });
    Ok(match own.map(|c| c.declaration_period.as_str()) {
        Some("four_weeks") => PeriodKind::FourWeeks,
        _ => PeriodKind::Month,
    })
}

async fn write_declaration(
    cx: &Cx<'_>,
    supplier: &provider::Model,
    municipality: &str,
    period: DeclarationPeriod,
    lines: Vec<NewLine>,
) -> StoreResult<Declared> {
    let conn = cx.conn();
    let now = millis(cx.now);
    let total: i64 = lines
        .iter()
        .map(|l| if l.credit { -l.amount } else { l.amount })
        .sum();
    let parties = Parties {
        municipality: MunicipalityCode::parse(municipality).map_err(internal)?,
        provider: AgbCode::parse(&supplier.agb_code).map_err(internal)?,
    };
    // The message first (its row id makes the identification), written
    // below once the lines have their references.
    let about = About {
        kind: MessageKind::Wmo323,
        parties: parties.clone(),
        provider_id: Some(ProviderId::new(supplier.id)),
        resident_id: None,
    };
    let placeholder = crate::iwmo::insert_outgoing(cx, &about, |_| Ok(String::new())).await?;
    let head = declaration::ActiveModel {
        provider_id: Set(supplier.id),
        municipality_code: Set(municipality.to_owned()),
        number: Set(format!("T{}", placeholder.get())),
        period_start: Set(period.start()),
        period_end: Set(period.end()),
        total_cents: Set(total),
        iwmo_message_id: Set(placeholder.get()),
        answer_message_id: Set(None),
        state: Set("submitted".into()),
        granted_cents: Set(None),
        created_at: Set(now),
        answered_at: Set(None),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    let number = format!("D{:011}", head.id % 100_000_000_000);
    let mut am: declaration::ActiveModel = head.clone().into();
    am.number = Set(number.clone());
    am.update(conn).await?;

    let mut clients: Vec<DeclaredClient> = Vec::new();
    let (mut debits, mut credits, mut capped) = (0, 0, 0);
    let mut residents = Vec::new();
    for l in lines {
        let inserted = line::ActiveModel {
            declaration_id: Set(head.id),
            indication_id: Set(l.indication.id),
            resident_id: Set(l.indication.resident_id),
            reference: Set(l.reference.clone().unwrap_or_default()),
            previous_reference: Set(l.previous_reference.clone()),
            period_start: Set(l.from),
            period_end: Set(l.to),
            volume: Set(l.volume),
            unit: Set(l.unit.code().to_owned()),
            tariff_cents: Set(l.tariff),
            amount_cents: Set(l.amount),
            credit: Set(l.credit),
            uncapped_cents: Set(l.uncapped),
            state: Set("submitted".into()),
            retour_codes: Set(None),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(conn)
        .await?;
        let reference = match l.reference {
            Some(r) => r,
            None => {
                let r = format!("WVL{:017}", inserted.id);
                let mut am: line::ActiveModel = inserted.into();
                am.reference = Set(r.clone());
                am.update(conn).await?;
                r
            }
        };
        if l.credit {
            credits += 1;
        } else {
            debits += 1;
        }
        if l.uncapped.is_some() {
            capped += 1;
        }
        let person = resident::Entity::find_by_id(l.indication.resident_id)
            .one(conn)
            .await?
            .ok_or_else(|| internal(format!("resident {} not found", l.indication.resident_id)))?;
        let bsn = Bsn::parse(&person.bsn).map_err(internal)?;
        let performance = Performance {
            reference,
            previous_reference: l.previous_reference,
            number: AllocationNumber::parse(&l.indication.allocation_number).map_err(internal)?,
            category: ProductCategory::parse(&l.product.category).map_err(internal)?,
            code: ProductCode::parse(&l.product.code).map_err(internal)?,
            from: l.from,
            to: l.to,
            volume: u32::try_from(l.volume).map_err(internal)?,
            unit: l.unit,
            tariff: l.tariff.map(Cents),
            amount: Cents(l.amount),
            credit: l.credit,
        };
        match clients.iter_mut().find(|c| c.bsn == bsn) {
            Some(c) => c.lines.push(performance),
            None => clients.push(DeclaredClient {
                bsn,
                lines: vec![performance],
            }),
        }
        if !residents.contains(&person.id) {
            residents.push(person.id);
        }
    }
    let today = cx.today();
    let message = Declaration {
        header: Header {
            kind: MessageKind::Wmo323,
            parties,
            id: MessageId::new("-", today).map_err(internal)?,
        },
        number: number.clone(),
        period_start: period.start(),
        period_end: period.end(),
        dated: today,
        clients,
    };
    crate::iwmo::complete_outgoing(cx, placeholder, |identification| {
        let mut m = message.clone();
        m.header.id = MessageId::new(identification, today).map_err(internal)?;
        m.to_xml().map_err(internal)
    })
    .await?;
    // A declaration names residents by BSN: each is logged.
    for r in residents {
        cx.log(
            AccessAction::Create,
            Some(ResidentId::new(r)),
            format!("declaration:{},iwmo_message:{placeholder}", head.id),
        );
    }
    Ok(Declared {
        municipality_code: municipality.to_owned(),
        number,
        message: placeholder,
        total,
        debits,
        credits,
        capped,
    })
}

/// The residents a declaration's message names, for the export's log.
pub(crate) async fn residents_of_message(
    cx: &Cx<'_>,
    message: IwmoMessageId,
) -> StoreResult<Vec<ResidentId>> {
    let Some(d) = declaration::Entity::find()
        .filter(
            Condition::any()
                .add(declaration::Column::IwmoMessageId.eq(message.get()))
                .add(declaration::Column::AnswerMessageId.eq(message.get())),
        )
        .one(cx.conn())
        .await?
    else {
        return Ok(Vec::new());
    };
    let mut ids: Vec<i64> = line::Entity::find()
        .filter(line::Column::DeclarationId.eq(d.id))
        .all(cx.conn())
        .await?
        .into_iter()
        .map(|l| l.resident_id)
        .collect();
    ids.sort_unstable();
    ids.dedup();
    Ok(ids.into_iter().map(ResidentId::new).collect())
}

/// Reads the municipality's WMO325 answer to a declaration sent from here:
/// each line granted (0200 only) or refused with its codes, the granted
/// total, and the WMO323 marked accepted or refused in the message log. An
/// answer to a declaration not sent from here is recorded as rejected. Read
/// again, nothing changes; an answer is never answered.
pub async fn receive_answer(cx: &Cx<'_>, xml: &str, a: &ReceivedAnswer) -> StoreResult<Receipt> {
    if cx.actor.tenant != Tenant::System {
        return Err(cx.deny(AccessAction::Create, None, "iwmo_message"));
    }
    let conn = cx.conn();
    let seen = crate::iwmo::earlier(cx, &a.header).await?;
    if let Some(same) = seen.iter().find(|m| m.xml == xml) {
        return Ok(Receipt::AlreadyRead {
            message: IwmoMessageId::new(same.id),
        });
    }
    let sent = iwmo_message::Entity::find()
        .filter(iwmo_message::Column::Direction.eq("out"))
        .filter(iwmo_message::Column::Kind.eq(MessageKind::Wmo323.name()))
        .filter(iwmo_message::Column::Sender.eq(&a.header.receiver))
        .filter(iwmo_message::Column::Identification.eq(&a.declaration_identification))
        .one(conn)
        .await?;
    let found = match &sent {
        Some(s) => {
            declaration::Entity::find()
                .filter(declaration::Column::IwmoMessageId.eq(s.id))
                .one(conn)
                .await?
        }
        None => None,
    };
    let (Some(sent), Some(found), true) = (sent, found, seen.is_empty()) else {
        let why = vec![if seen.is_empty() {
            format!(
                "answers declaration {} of {}, which was not sent from here",
                a.declaration_identification, a.header.receiver
            )
        } else {
            format!(
                "BerichtIdentificatie {} was used before by {} for another message",
                a.header.identification, a.header.sender
            )
        }];
        return crate::iwmo::reject(
            cx,
            &a.header,
            xml,
            &waakvlam_iwmo::retour::Findings::default(),
            why,
            false,
            &seen,
        )
        .await;
    };
    let lines = line::Entity::find()
        .filter(line::Column::DeclarationId.eq(found.id))
        .all(conn)
        .await?;
    let mut refused_codes: Vec<RetourCode> = Vec::new();
    // 8001 at the header: granted in full, the lines left out of the answer
    // too (the standard lets a WMO325 say so with its header alone).
    let fully_granted = a
        .header_codes
        .iter()
        .any(|c| c == RetourCode::FULLY_GRANTED.code());
    let header_refused = a
        .header_codes
        .iter()
        .any(|c| c != RetourCode::ACCEPTED.code() && c != RetourCode::FULLY_GRANTED.code());
    for l in lines {
        let answer = a
            .lines
            .iter()
            .find(|x| x.reference == l.reference && x.credit == l.credit);
        // A line the answer leaves out, or a message refused as a whole, is not granted.
        let (granted, codes) = match answer {
            Some(x) if !header_refused => (x.granted(), x.codes.clone()),
            Some(x) => (false, x.codes.clone()),
            None if fully_granted && !header_refused => (true, a.header_codes.clone()),
            None => (false, a.header_codes.clone()),
        };
        if !granted {
            refused_codes.extend(
                codes
                    .iter()
                    .filter_map(|c| RetourCode::parse(c))
                    .filter(|c| *c != RetourCode::ACCEPTED && *c != RetourCode::NOT_ASSESSED),
            );
        }
        let mut am: line::ActiveModel = l.into();
        am.state = Set(if granted { "granted" } else { "refused" }.into());
        am.retour_codes = Set(Some(codes.join(" ")));
        am.update(conn).await?;
    }
    refused_codes.sort();
    refused_codes.dedup();
    let granted_total = a.granted.unwrap_or(if fully_granted && !header_refused {
        found.total_cents
    } else {
        0
    });
    let all_granted = refused_codes.is_empty() && !header_refused;
    let mut am: declaration::ActiveModel = found.clone().into();
    am.state = Set("answered".into());
    am.granted_cents = Set(Some(granted_total));
    am.answered_at = Set(Some(millis(cx.now)));
    am.update(conn).await?;
    let answers = IwmoMessageId::new(sent.id);
    let mut m: iwmo_message::ActiveModel = sent.into();
    m.state = Set(if all_granted {
        MessageState::Accepted
    } else {
        MessageState::Refused
    }
    .as_str()
    .into());
    m.retour_codes = Set(Some(if all_granted {
        RetourCode::ACCEPTED.code().to_owned()
    } else {
        refused_codes
            .iter()
            .map(|c| c.code())
            .collect::<Vec<_>>()
            .join(" ")
    }));
    m.update(conn).await?;
    let message = crate::iwmo::record_incoming(
        cx,
        &Incoming {
            header: &a.header,
            xml,
            state: MessageState::Applied,
            findings: &waakvlam_iwmo::retour::Findings::default(),
            why: &[],
            provider_id: Some(ProviderId::new(found.provider_id)),
            resident_id: None,
            body: false,
            seq: crate::iwmo::next_seq(&seen),
        },
    )
    .await?;
    Ok(Receipt::Answered {
        message,
        answers,
        accepted: all_granted,
        codes: refused_codes,
    })
}

/// One provider and municipality in the declarations overview (cents).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverviewRow {
    pub provider: String,
    pub municipality_code: String,
    pub municipality: String,
    pub declarations: usize,
    /// Net submitted: debits minus credits.
    pub declared: i64,
    /// Net granted, refused and not answered yet.
    pub granted: i64,
    pub refused: i64,
    pub waiting: i64,
    /// By the hour: what stands declared against the budget ceilings of
    /// those indications, and how many lines the ceiling cut.
    pub budget_used: i64,
    pub budget_ceilings: i64,
    pub capped_lines: usize,
}

/// A line the municipality refused, with why (no personal data: the line's
/// own reference, not the resident).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefusedLine {
    pub provider: String,
    pub municipality_code: String,
    pub declaration: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub reference: String,
    pub product_code: String,
    pub amount: i64,
    pub credit: bool,
    pub codes: Vec<RetourCode>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Overview {
    pub rows: Vec<OverviewRow>,
    pub refused: Vec<RefusedLine>,
}

/// What was declared, granted and refused per provider and municipality,
/// and the budget used against the ceilings, in the reader's scope: a
/// contract manager's municipality or region, a team lead's provider,
/// everything for an administrator. Figures only: nobody is named.
pub async fn overview(cx: &Cx<'_>) -> StoreResult<Overview> {
    use crate::iwmo::LogScope;
    let conn = cx.conn();
    let mut q = declaration::Entity::find()
        .order_by_asc(declaration::Column::ProviderId)
        .order_by_asc(declaration::Column::MunicipalityCode)
        .order_by_asc(declaration::Column::Id);
    q = match crate::iwmo::log_scope(cx).await? {
        LogScope::All => q,
        LogScope::Municipalities(codes) => {
            q.filter(declaration::Column::MunicipalityCode.is_in(codes))
        }
        LogScope::Provider(id) => q.filter(declaration::Column::ProviderId.eq(id)),
    };
    let heads = q.all(conn).await?;
    let mut out = Overview::default();
    let mut names: BTreeMap<i64, String> = BTreeMap::new();
    let mut places: BTreeMap<String, String> = BTreeMap::new();
    let mut rows: BTreeMap<(i64, String), OverviewRow> = BTreeMap::new();
    // Per indication by the hour: what stands declared, and its ceiling.
    let mut by_hour: BTreeMap<(i64, String), BTreeMap<i64, i64>> = BTreeMap::new();
    for h in heads {
        if let std::collections::btree_map::Entry::Vacant(e) = names.entry(h.provider_id) {
            let name = provider::Entity::find_by_id(h.provider_id)
                .one(conn)
                .await?
                .map(|p| p.name)
                .unwrap_or_default();
            e.insert(name);
        }
        if let std::collections::btree_map::Entry::Vacant(e) =
            places.entry(h.municipality_code.clone())
        {
            let name = crate::entity::municipality::Entity::find_by_id(h.municipality_code.clone())
                .one(conn)
                .await?
                .map(|m| m.name)
                .unwrap_or_default();
            e.insert(name);
        }
        let provider_name = names.get(&h.provider_id).cloned().unwrap_or_default();
        let key = (h.provider_id, h.municipality_code.clone());
        let row = rows.entry(key.clone()).or_insert_with(|| OverviewRow {
            provider: provider_name.clone(),
            municipality_code: h.municipality_code.clone(),
            municipality: places
                .get(&h.municipality_code)
                .cloned()
                .unwrap_or_default(),
            declarations: 0,
            declared: 0,
            granted: 0,
            refused: 0,
            waiting: 0,
            budget_used: 0,
            budget_ceilings: 0,
            capped_lines: 0,
        });
        row.declarations += 1;
        row.declared += h.total_cents;
        let lines = line::Entity::find()
            .filter(line::Column::DeclarationId.eq(h.id))
            .order_by_asc(line::Column::Id)
            .all(conn)
            .await?;
        for l in &lines {
            let signed = if l.credit {
                -l.amount_cents
            } else {
                l.amount_cents
            };
            match l.state.as_str() {
                "granted" => row.granted += signed,
                "refused" => row.refused += signed,
                _ => row.waiting += signed,
            }
            if l.uncapped_cents.is_some() {
                row.capped_lines += 1;
            }
            if l.unit == DeclaredUnit::Minute.code() && l.state != "refused" {
                *by_hour
                    .entry(key.clone())
                    .or_default()
                    .entry(l.indication_id)
                    .or_default() += signed;
            }
            if l.state == "refused" {
                let product_code = match indication::Entity::find_by_id(l.indication_id)
                    .one(conn)
                    .await?
                {
                    Some(i) => product::Entity::find_by_id(i.product_id)
                        .one(conn)
                        .await?
                        .map(|p| p.code)
                        .unwrap_or_default(),
                    None => String::new(),
                };
                out.refused.push(RefusedLine {
                    provider: provider_name.clone(),
                    municipality_code: h.municipality_code.clone(),
                    declaration: h.number.clone(),
                    period_start: h.period_start,
                    period_end: h.period_end,
                    reference: l.reference.clone(),
                    product_code,
                    amount: l.amount_cents,
                    credit: l.credit,
                    codes: l
                        .retour_codes
                        .as_deref()
                        .unwrap_or_default()
                        .split_whitespace()
                        .filter_map(RetourCode::parse)
                        .collect(),
                });
            }
        }
    }
    for (key, indications) in by_hour {
        let Some(row) = rows.get_mut(&key) else {
            continue;
        };
        for (indication_id, used) in indications {
            row.budget_used += used;
            let Some(i) = indication::Entity::find_by_id(indication_id)
                .one(conn)
                .await?
            else {
                continue;
            };
            if let Some((FundingVariant::PerHour { budget_ceiling }, _)) =
                crate::catalogue::tariff_in_force(
                    conn,
                    i.product_id,
                    &i.municipality_code,
                    i.start_date.year(),
                )
                .await?
            {
                row.budget_ceilings += budget_ceiling.0;
            }
        }
    }
    out.rows = rows.into_values().collect();
    Ok(out)
}

/// Reads a received WMO323 as the municipality and answers it at once with
/// a WMO325. The message as a whole: the sender a provider known here, the
/// receiver a municipality in CBS's list, the identification and the
/// declaration number not used before by that provider. Each line: the
/// client known by BSN, one of their allocations from that provider by
/// `ToewijzingNummer` (9338) with the same product (9340), its product
/// period within the declaration period (9319) and within the allocation
/// (9307, 9308), a debit's reference new (8021), a credit's debit declared
/// before (8017). A line that holds is granted; the others are refused with
/// their codes. The lines linked to an allocation are kept, so the
/// declarations page shows them; the rest are in the message. Read again,
/// nothing changes.
pub async fn receive_declaration(
    cx: &Cx<'_>,
    xml: &str,
    d: &waakvlam_iwmo::wmo323::ReceivedDeclaration,
) -> StoreResult<Receipt> {
    use waakvlam_iwmo::wmo323::{Answer, LineAnswer};
    if cx.actor.tenant != Tenant::System {
        return Err(cx.deny(AccessAction::Create, None, "iwmo_message"));
    }
    let conn = cx.conn();
    let seen = crate::iwmo::earlier(cx, &d.header).await?;
    if let Some(same) = seen.iter().find(|m| m.xml == xml) {
        return Ok(Receipt::AlreadyRead {
            message: IwmoMessageId::new(same.id),
        });
    }
    let mut header_codes = Vec::new();
    let mut why = Vec::new();
    if !seen.is_empty() {
        header_codes.push(RetourCode::IDENTIFICATION_NOT_UNIQUE);
        why.push(format!(
            "BerichtIdentificatie {} was used before by {} for another message",
            d.header.identification, d.header.sender
        ));
    }
    let supplier = provider::Entity::find()
        .filter(provider::Column::AgbCode.eq(&d.header.sender))
        .one(conn)
        .await?;
    if supplier.is_none() {
        header_codes.push(RetourCode::TECHNICAL);
        why.push(format!(
            "Afzender {}: not a provider known to this installation",
            d.header.sender
        ));
    }
    if crate::entity::municipality::Entity::find_by_id(d.header.receiver.clone())
        .one(conn)
        .await?
        .is_none()
    {
        header_codes.push(RetourCode::UNKNOWN_MUNICIPALITY);
        why.push(format!(
            "Ontvanger {}: not a municipality in CBS's list",
            d.header.receiver
        ));
    }
    if let Some(s) = &supplier
        && declaration::Entity::find()
            .filter(declaration::Column::ProviderId.eq(s.id))
            .filter(declaration::Column::Number.eq(&d.number))
            .one(conn)
            .await?
            .is_some()
    {
        header_codes.push(RetourCode::DECLARATION_NUMBER_NOT_UNIQUE);
        why.push(format!(
            "DeclaratieNummer {} was used before by this provider",
            d.number
        ));
    }
    let whole = !header_codes.is_empty();
    // Each line: its codes, and the allocation it belongs to.
    let mut answers = Vec::new();
    let mut kept = Vec::new();
    for c in &d.clients {
        let person = match Bsn::parse(&c.bsn) {
            Ok(b) => {
                resident::Entity::find()
                    .filter(resident::Column::Bsn.eq(b.as_str()))
                    .one(conn)
                    .await?
            }
            Err(_) => None,
        };
        for l in &c.lines {
            let mut codes = Vec::new();
            let found = match (&person, &supplier) {
                (Some(p), Some(s)) => {
                    indication::Entity::find()
                        .filter(indication::Column::MunicipalityCode.eq(&d.header.receiver))
                        .filter(indication::Column::ProviderId.eq(s.id))
                        .filter(indication::Column::ResidentId.eq(p.id))
                        .filter(indication::Column::AllocationNumber.eq(l.number.trim()))
                        .one(conn)
                        .await?
                }
                _ => None,
            };
            match &found {
                None => codes.push(RetourCode::NOT_ALLOCATED),
                Some(m) => {
                    let code = product::Entity::find_by_id(m.product_id)
                        .one(conn)
                        .await?
                        .map(|p| p.code)
                        .unwrap_or_default();
                    if code != l.code {
                        codes.push(RetourCode::OTHER_PRODUCT);
                    }
                    if l.from < m.start_date || m.end_date.is_some_and(|e| l.from > e) {
                        codes.push(RetourCode::START_OUTSIDE_ALLOCATION);
                    }
                    if l.to < m.start_date || m.end_date.is_some_and(|e| l.to > e) {
                        codes.push(RetourCode::END_OUTSIDE_ALLOCATION);
                    }
                }
            }
            if l.from < d.period_start || l.to > d.period_end {
                codes.push(RetourCode::OUTSIDE_PERIOD);
            }
            if let Some(s) = &supplier {
                let earlier_lines = line::Entity::find()
                    .filter(line::Column::Reference.eq(&l.reference))
                    .filter(
                        line::Column::DeclarationId.in_subquery(
                            sea_orm::sea_query::Query::select()
                                .column(declaration::Column::Id)
                                .from(declaration::Entity)
                                .and_where(declaration::Column::ProviderId.eq(s.id))
                                .to_owned(),
                        ),
                    )
                    .all(conn)
                    .await?;
                let debit_before = earlier_lines
                    .iter()
                    .any(|x| !x.credit && x.state == "granted");
                if l.credit && !debit_before {
                    codes.push(RetourCode::CREDIT_WITHOUT_DEBIT);
                }
                if !l.credit && earlier_lines.iter().any(|x| !x.credit) {
                    codes.push(RetourCode::REFERENCE_USED);
                }
            }
            if whole {
                codes = vec![RetourCode::NOT_ASSESSED];
            }
            if !codes.is_empty() {
                why.push(format!(
                    "{} {}: {}",
                    l.reference,
                    l.number,
                    codes.iter().map(|c| c.code()).collect::<Vec<_>>().join(" ")
                ));
            }
            if let (Some(m), false) = (&found, whole) {
                kept.push((m.clone(), l.clone(), codes.clone()));
            }
            answers.push(LineAnswer {
                reference: l.reference.clone(),
                codes,
            });
        }
    }
    let granted: i64 = kept
        .iter()
        .filter(|(_, _, codes)| codes.is_empty())
        .map(|(_, l, _)| if l.credit { -l.amount } else { l.amount })
        .sum();
    let refused = answers.iter().filter(|a| !a.codes.is_empty()).count();
    let message = crate::iwmo::record_incoming(
        cx,
        &Incoming {
            header: &d.header,
            xml,
            state: if whole {
                MessageState::Rejected
            } else {
                MessageState::Applied
            },
            findings: &waakvlam_iwmo::retour::Findings::default(),
            why: &why,
            provider_id: supplier.as_ref().map(|s| ProviderId::new(s.id)),
            resident_id: None,
            body: false,
            seq: crate::iwmo::next_seq(&seen),
        },
    )
    .await?;
    // The answer: to a sender that can be written.
    let (Ok(municipality), Ok(provider)) = (
        MunicipalityCode::parse(&d.header.receiver),
        AgbCode::parse(&d.header.sender),
    ) else {
        return Ok(Receipt::Rejected {
            message,
            codes: header_codes,
            why,
        });
    };
    let parties = Parties {
        municipality,
        provider,
    };
    let today = cx.today();
    let about = About {
        kind: MessageKind::Wmo325,
        parties: parties.clone(),
        provider_id: supplier.as_ref().map(|s| ProviderId::new(s.id)),
        resident_id: None,
    };
    let answer = Answer {
        header: Header {
            kind: MessageKind::Wmo325,
            parties,
            id: MessageId::new("-", today).map_err(internal)?,
        },
        declaration: d.clone(),
        header_codes: header_codes.clone(),
        lines: answers,
    };
    let answer_id = crate::iwmo::insert_outgoing(cx, &about, |identification| {
        let mut a = answer.clone();
        a.header.id = MessageId::new(identification, today).map_err(internal)?;
        Ok(a.to_xml())
    })
    .await?;
    if whole {
        return Ok(Receipt::Rejected {
            message,
            codes: header_codes,
            why,
        });
    }
    let Some(supplier) = supplier else {
        return Err(internal("a declaration applied without its provider"));
    };
    let now = millis(cx.now);
    let head = declaration::ActiveModel {
        provider_id: Set(supplier.id),
        municipality_code: Set(d.header.receiver.clone()),
        number: Set(d.number.chars().take(12).collect()),
        period_start: Set(d.period_start),
        period_end: Set(d.period_end),
        total_cents: Set(d.total),
        iwmo_message_id: Set(message.get()),
        answer_message_id: Set(Some(answer_id.get())),
        state: Set("answered".into()),
        granted_cents: Set(Some(granted)),
        created_at: Set(now),
        answered_at: Set(Some(now)),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    let mut residents = Vec::new();
    for (m, l, codes) in kept {
        line::ActiveModel {
            declaration_id: Set(head.id),
            indication_id: Set(m.id),
            resident_id: Set(m.resident_id),
            reference: Set(l.reference.chars().take(20).collect()),
            previous_reference: Set(l.previous_reference.clone()),
            period_start: Set(l.from),
            period_end: Set(l.to),
            volume: Set(i64::try_from(l.volume).unwrap_or(i64::MAX)),
            unit: Set(l.unit.chars().take(2).collect()),
            tariff_cents: Set(l.tariff),
            amount_cents: Set(l.amount),
            credit: Set(l.credit),
            uncapped_cents: Set(None),
            state: Set(if codes.is_empty() {
                "granted"
            } else {
                "refused"
            }
            .into()),
            retour_codes: Set(Some(if codes.is_empty() {
                RetourCode::ACCEPTED.code().to_owned()
            } else {
                codes.iter().map(|c| c.code()).collect::<Vec<_>>().join(" ")
            })),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(conn)
        .await?;
        if !residents.contains(&m.resident_id) {
            residents.push(m.resident_id);
        }
    }
    for r in residents {
        cx.log(
            AccessAction::Create,
            Some(ResidentId::new(r)),
            format!("declaration:{},iwmo_message:{message}", head.id),
        );
    }
    Ok(Receipt::Declared {
        message,
        answer: answer_id,
        granted: d.clients.iter().map(|c| c.lines.len()).sum::<usize>() - refused,
        refused,
    })
}
