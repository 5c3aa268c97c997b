//! Indications (toewijzingen) and the pathway chains they form: creating,
//! changing, extending and ending them, and assigning a professional.

use chrono::NaiveDate;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use waakvlam_domain::access::AccessAction;
use waakvlam_domain::ids::AllocationNumber;
use waakvlam_domain::indication::WaakvlamOutcome;
use waakvlam_domain::indication::{
    Extension, IndicationDates, RuleViolation, default_end, fields, validate_extension,
    validate_indication,
};
use waakvlam_domain::limits::{self, Refusals, TextClass};
use waakvlam_domain::plan::{ResultAssessment, ResultReached};
use waakvlam_domain::product::IntensityLevel;
use waakvlam_domain::role::Role;

use crate::catalogue::{self, CatalogueProduct};
use crate::changes::{self, Change};
use crate::entity::{
    allocation_counter, indication, indication_extension, municipality, provider, resident,
};
use crate::{
    AccountId, Actor, Cx, IndicationId, ProductId, ProviderId, ResidentId, StoreError, StoreResult,
    TeamId, Tenant, millis,
};
use waakvlam_domain::refusal::{Reason, Refusal};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Indication {
    pub id: IndicationId,
    pub resident_id: ResidentId,
    pub product_id: ProductId,
    pub municipality_code: String,
    pub provider_id: ProviderId,
    pub allocation_number: AllocationNumber,
    pub issued_on: NaiveDate,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    pub planned_scale_down_date: Option<NaiveDate>,
    pub agreed_result: Option<String>,
    pub end_reason: Option<String>,
    pub outcome: Option<String>,
    pub predecessor_id: Option<IndicationId>,
    pub professional_account_id: Option<AccountId>,
    pub team_id: Option<TeamId>,
    pub contact_rhythm_days: Option<i32>,
    /// The assessment of the agreed result, made when it ended.
    pub result: Option<ResultAssessment>,
    /// Exchanged as a WMO301: its start and stop go to the chain too.
    pub in_chain: bool,
    /// The first and last day of delivery, as reported (WMO305, WMO307).
    pub delivery_start: Option<NaiveDate>,
    pub delivery_end: Option<NaiveDate>,
}

impl Indication {
    /// Whether it runs on `day` (end inclusive).
    pub fn active_on(&self, day: NaiveDate) -> bool {
        self.start_date <= day && self.end_date.is_none_or(|end| day <= end)
    }
}

impl TryFrom<indication::Model> for Indication {
    type Error = StoreError;
    fn try_from(m: indication::Model) -> StoreResult<Self> {
        let allocation_number = AllocationNumber::parse(&m.allocation_number).map_err(|e| {
            StoreError::Internal(format!(
                "indication {} has allocation number {:?}: {e}",
                m.id, m.allocation_number
            ))
        })?;
        Ok(Indication {
            id: IndicationId::new(m.id),
            resident_id: ResidentId::new(m.resident_id),
            product_id: ProductId::new(m.product_id),
            municipality_code: m.municipality_code,
            provider_id: ProviderId::new(m.provider_id),
            allocation_number,
            issued_on: m.issued_on,
            start_date: m.start_date,
            end_date: m.end_date,
            planned_scale_down_date: m.planned_scale_down_date,
            agreed_result: m.agreed_result,
            end_reason: m.end_reason,
            outcome: m.outcome,
            predecessor_id: m.predecessor_id.map(IndicationId::new),
            professional_account_id: m.professional_account_id.map(AccountId::new),
            team_id: m.team_id.map(TeamId::new),
            contact_rhythm_days: m.contact_rhythm_days,
            result: match (m.result_reached, m.result_note) {
                (Some(reached), Some(sentence)) => Some(ResultAssessment {
                    reached: ResultReached::parse(&reached).map_err(|e| {
                        StoreError::Internal(format!("indication {} has result {e}", m.id))
                    })?,
                    sentence,
                }),
                _ => None,
            },
            in_chain: m.in_chain,
            delivery_start: m.delivery_start,
            delivery_end: m.delivery_end,
        })
    }
}

#[derive(Clone, Debug)]
pub struct NewIndication {
    pub resident_id: ResidentId,
    pub product_code: String,
    pub municipality_code: String,
    pub provider_id: ProviderId,
    /// Generated from the resident, product and start when not given.
    /// The municipality's number when it comes with one (an iWmo 301);
    /// otherwise the next number of the municipality's counter.
    pub allocation_number: Option<AllocationNumber>,
    pub issued_on: NaiveDate,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    pub planned_scale_down_date: Option<NaiveDate>,
    pub agreed_result: Option<String>,
    pub predecessor_id: Option<IndicationId>,
    pub professional_account_id: Option<AccountId>,
    pub team_id: Option<TeamId>,
    pub contact_rhythm_days: Option<i32>,
    pub end_reason: Option<String>,
    pub outcome: Option<String>,
}

/// The rule violations of a new indication, checked against the catalogue
/// and the product's maximum duration where it is indicated (`max_months`,
/// see [`catalogue::max_duration_months`]): empty when it is valid.
pub fn violations(
    product: &CatalogueProduct,
    new: &NewIndication,
    max_months: Option<u32>,
) -> Vec<RuleViolation> {
    let dates = IndicationDates {
        issued_on: new.issued_on,
        start: new.start_date,
        end: new
            .end_date
            .or_else(|| default_end(max_months, new.start_date)),
        planned_scale_down: new.planned_scale_down_date,
    };
    validate_indication(product.product.level, &dates, false, max_months)
        .err()
        .unwrap_or_default()
}

/// The limits on an indication's input (see `waakvlam_domain::limits`):
/// every date a care date, the agreed result one line. All at once, with
/// the domain rules' violations added for fields not refused already.
fn check_limits(
    today: NaiveDate,
    dates: &IndicationDates,
    agreed_result: Option<&str>,
    violations: &[RuleViolation],
) -> StoreResult<()> {
    let mut refused = Refusals::new();
    let mut date = |field: &str, d: Option<NaiveDate>| {
        if let Some(d) = d {
            refused.check(limits::check_care_date(field, d, today));
        }
    };
    date(fields::ISSUED_ON, Some(dates.issued_on));
    date(fields::START_DATE, Some(dates.start));
    date(fields::END_DATE, dates.end);
    date(fields::PLANNED_SCALE_DOWN_DATE, dates.planned_scale_down);
    if let Some(text) = agreed_result {
        refused.check(limits::check_text(
            "agreed_result",
            text.trim(),
            TextClass::Line,
        ));
    }
    for v in violations {
        if !refused.has(v.field) {
            refused.push(v.refusal());
        }
    }
    Ok(refused.into_result()?)
}

/// The next allocation number of a municipality, from its counter: unique
/// by construction. The counter row is updated before it is read, so a
/// concurrent transaction waits for this one (PostgreSQL row lock; SQLite has
/// one writer), and numbers are never handed out twice.
pub(crate) async fn next_allocation_number(
    cx: &Cx<'_>,
    municipality_code: &str,
) -> StoreResult<AllocationNumber> {
    let conn = cx.conn();
    allocation_counter::Entity::insert(allocation_counter::ActiveModel {
        municipality_code: Set(municipality_code.to_owned()),
        last: Set(0),
    })
    .on_conflict_do_nothing()
    .exec(conn)
    .await?;
    allocation_counter::Entity::update_many()
        .col_expr(
            allocation_counter::Column::Last,
            Expr::col(allocation_counter::Column::Last).add(1),
        )
        .filter(allocation_counter::Column::MunicipalityCode.eq(municipality_code))
        .exec(conn)
        .await?;
    let last = allocation_counter::Entity::find_by_id(municipality_code.to_owned())
        .one(conn)
        .await?
        .map_or(0, |c| c.last);
    let value = u32::try_from(last).ok();
    value
        .and_then(|v| AllocationNumber::new(v).ok())
        .ok_or_else(|| {
            StoreError::Internal(format!(
                "municipality {municipality_code} has used all nine-digit allocation numbers"
            ))
        })
}

/// Whether the actor decides on indications: the municipality's consultant
/// (the tenant keeps them to their municipality or region) and administrators.
pub fn decides_indications(actor: &Actor) -> bool {
    matches!(actor.role, Some(Role::Consultant) | Some(Role::Admin))
        || actor.tenant == Tenant::System
}

fn require_decider(actor: &Actor) -> StoreResult<()> {
    if decides_indications(actor) {
        Ok(())
    } else {
        Err(StoreError::Denied)
    }
}

/// The indication if it is in the actor's tenant; else a refusal of
/// `action`, logged on the indication (see [`refused`]).
async fn in_tenant(
    cx: &Cx<'_>,
    id: IndicationId,
    action: AccessAction,
) -> StoreResult<indication::Model> {
    match indication::Entity::find_by_id(id.get())
        .filter(cx.actor.tenant.indication_filter())
        .one(cx.conn())
        .await?
    {
        Some(m) => Ok(m),
        None => Err(refused(cx, id, action).await?),
    }
}

/// The refusal of `action` on an indication outside the actor's sight:
/// logged as a denied attempt on it (and on its resident, whose own log then
/// shows it), answered as not found.
pub(crate) async fn refused(
    cx: &Cx<'_>,
    id: IndicationId,
    action: AccessAction,
) -> StoreResult<StoreError> {
    let resident = indication::Entity::find_by_id(id.get())
        .one(cx.conn())
        .await?
        .map(|m| ResidentId::new(m.resident_id));
    Ok(cx.not_found(action, resident, format!("indication:{id}"), "indication"))
}

/// Refuses a provider that does not exist or is not contracted for the
/// product in the municipality (see [`catalogue::deliverers`]).
async fn check_provider(
    cx: &Cx<'_>,
    provider_id: ProviderId,
    product: &CatalogueProduct,
    municipality_code: &str,
) -> StoreResult<()> {
    let conn = cx.conn();
    let Some(found) = provider::Entity::find_by_id(provider_id.get())
        .one(conn)
        .await?
    else {
        return Err(StoreError::refuse_with(
            "provider",
            Reason::new("unknown-provider").with("id", provider_id.get()),
        ));
    };
    if !catalogue::deliverers(conn, municipality_code)
        .await?
        .may_deliver(provider_id, product.id)
    {
        return Err(StoreError::refuse_with(
            "provider",
            Reason::new("provider-not-contracted")
                .with("provider", found.name)
                .with("product", product.product.code.as_str()),
        ));
    }
    Ok(())
}

/// Creates an indication after checking the domain rules. Without an end
/// date it gets its product's maximum duration in the municipality, if that
/// has one. (The storage
/// step of imports, the seed and an approved request; the consultant's
/// form goes through [`create_for_resident`].)
pub async fn create(cx: &Cx<'_>, new: &NewIndication) -> StoreResult<Indication> {
    insert(cx, new, Origin::Here).await
}

/// Creates an indication the municipality decided elsewhere and sent as a
/// WMO301: its dates are the municipality's decision, so the rules of
/// deciding here (a scale-down moment for individual support, the product's
/// maximum duration) are not asked again; date limits, the catalogue and the
/// provider's contract are.
pub(crate) async fn create_received(cx: &Cx<'_>, new: &NewIndication) -> StoreResult<Indication> {
    insert(cx, new, Origin::Received).await
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Origin {
    Here,
    Received,
}

/// The rule violations that count for an indication of this origin: one
/// received was decided elsewhere, so the rules of deciding here (a
/// scale-down moment, the product's maximum duration) are not asked again.
fn violations_of(
    product: &CatalogueProduct,
    new: &NewIndication,
    max_months: Option<u32>,
    origin: Origin,
) -> Vec<RuleViolation> {
    let mut broken = violations(product, new, max_months);
    if origin == Origin::Received {
        broken.retain(|v| v.field != fields::PLANNED_SCALE_DOWN_DATE && v.months.is_none());
    }
    broken
}

/// Whether a received allocation keeps every rule [`create_received`]
/// checks before it writes, judged on what the caller looked up already:
/// its product, the product's maximum duration in the municipality, the
/// municipality's region and who may deliver what there. `false` sends it
/// the one-by-one way, which says why (`iwmo::bulk`).
pub(crate) fn received_holds(
    today: NaiveDate,
    product: &CatalogueProduct,
    new: &NewIndication,
    max_months: Option<u32>,
    region: Option<crate::RegionId>,
    deliverers: &catalogue::Deliverers,
) -> bool {
    let dates = IndicationDates {
        issued_on: new.issued_on,
        start: new.start_date,
        end: new.end_date,
        planned_scale_down: new.planned_scale_down_date,
    };
    let broken = violations_of(product, new, max_months, Origin::Received);
    check_limits(today, &dates, new.agreed_result.as_deref(), &broken).is_ok()
        && product.offered_in.includes(&new.municipality_code, region)
        && deliverers.may_deliver(new.provider_id, product.id)
}

/// The row of a new indication as [`insert`] writes it (also for many at
/// once: `iwmo::bulk`): `addressed` is its team and professional.
pub(crate) fn new_row(
    new: &NewIndication,
    product: &CatalogueProduct,
    allocation: AllocationNumber,
    end: Option<NaiveDate>,
    addressed: (Option<TeamId>, Option<AccountId>),
    now: i64,
) -> indication::ActiveModel {
    let (team_id, professional_account_id) = addressed;
    indication::ActiveModel {
        resident_id: Set(new.resident_id.get()),
        product_id: Set(product.id.get()),
        municipality_code: Set(new.municipality_code.clone()),
        provider_id: Set(new.provider_id.get()),
        allocation_number: Set(allocation.to_string()),
        issued_on: Set(new.issued_on),
        start_date: Set(new.start_date),
        end_date: Set(end),
        planned_scale_down_date: Set(new.planned_scale_down_date),
        agreed_result: Set(new.agreed_result.clone()),
        end_reason: Set(new.end_reason.clone()),
        outcome: Set(new.outcome.clone()),
        predecessor_id: Set(new.predecessor_id.map(IndicationId::get)),
        professional_account_id: Set(professional_account_id.map(AccountId::get)),
        team_id: Set(team_id.map(TeamId::get)),
        contact_rhythm_days: Set(new.contact_rhythm_days),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
}

async fn insert(cx: &Cx<'_>, new: &NewIndication, origin: Origin) -> StoreResult<Indication> {
    let conn = cx.conn();
    let product = catalogue::product_by_code(cx, &new.product_code)
        .await?
        .ok_or_else(|| {
            StoreError::refuse_with(
                "product_code",
                Reason::new("unknown-product").with("code", &new.product_code),
            )
        })?;
    let dates = IndicationDates {
        issued_on: new.issued_on,
        start: new.start_date,
        end: new.end_date,
        planned_scale_down: new.planned_scale_down_date,
    };
    let max_months =
        catalogue::max_duration_months(conn, product.id, &new.municipality_code).await?;
    let broken = violations_of(&product, new, max_months, origin);
    check_limits(cx.today(), &dates, new.agreed_result.as_deref(), &broken)?;
    let Some(place) = municipality::Entity::find_by_id(new.municipality_code.clone())
        .one(conn)
        .await?
    else {
        return Err(StoreError::refuse_with(
            "municipality_code",
            Reason::new("unknown-municipality").with("code", &new.municipality_code),
        ));
    };
    // Each municipality or region indicates from its own catalogue.
    if !product.offered_in.includes(
        &new.municipality_code,
        place.region_id.map(crate::RegionId::new),
    ) {
        return Err(StoreError::refuse_with(
            "product_code",
            Reason::new("product-not-offered")
                .with("code", product.product.code.as_str())
                .with("municipality", &new.municipality_code),
        ));
    }
    check_provider(cx, new.provider_id, &product, &new.municipality_code).await?;
    let end = match origin {
        Origin::Here => new
            .end_date
            .or_else(|| default_end(max_months, new.start_date)),
        Origin::Received => new.end_date,
    };
    // The same indication twice (resident, product, start) is a mistake, not
    // a second allocation.
    let duplicate = indication::Entity::find()
        .filter(indication::Column::ResidentId.eq(new.resident_id))
        .filter(indication::Column::ProductId.eq(product.id))
        .filter(indication::Column::StartDate.eq(new.start_date))
        .one(conn)
        .await?;
    if let Some(d) = duplicate {
        return Err(StoreError::conflict(
            "start_date",
            Reason::new("indication-duplicate")
                .with("product", product.product.code.as_str())
                .with("start", d.start_date.format("%d-%m-%Y"))
                .with("number", &d.allocation_number),
        ));
    }
    let allocation = match new.allocation_number {
        Some(number) => {
            let taken = indication::Entity::find()
                .filter(indication::Column::MunicipalityCode.eq(&new.municipality_code))
                .filter(indication::Column::AllocationNumber.eq(number.to_string()))
                .one(conn)
                .await?
                .is_some();
            if taken {
                return Err(StoreError::conflict(
                    "allocation_number",
                    Reason::new("allocation-number-taken")
                        .with("number", number)
                        .with("municipality", &new.municipality_code),
                ));
            }
            number
        }
        None => next_allocation_number(cx, &new.municipality_code).await?,
    };
    // Addressed to its provider: to the team (and professional) that knows
    // the resident, or else to the provider's intake inbox (`intake`).
    let (team_id, professional_account_id) = match (new.team_id, new.professional_account_id) {
        (None, None) => {
            match crate::intake::address_to_known_team(cx, new.resident_id, new.provider_id).await?
            {
                Some((team, professional)) => (Some(team), professional),
                None => (None, None),
            }
        }
        given => given,
    };
    let m = new_row(
        new,
        &product,
        allocation,
        end,
        (team_id, professional_account_id),
        millis(cx.now),
    )
    .insert(conn)
    .await?;
    tell_new_allocation(cx, &m).await?;
    // The municipality's own decision goes to the provider as a WMO301 in
    // the same transaction; a successor goes with its predecessor's change
    // (`scale_request::approve`), and history is not news.
    if crate::iwmo::decided_here(cx)
        && m.predecessor_id.is_none()
        && m.end_reason.is_none()
        && m.end_date.is_none_or(|end| end >= cx.today())
    {
        crate::iwmo::send_allocation(
            cx,
            ResidentId::new(m.resident_id),
            ProviderId::new(m.provider_id),
            &m.municipality_code,
            &[],
            &[],
        )
        .await?;
    }
    cx.log(
        AccessAction::Create,
        Some(ResidentId::new(m.resident_id)),
        format!("indication:{}", m.id),
    );
    m.try_into()
}

/// A new allocation is news for whoever takes it on: its professional, else
/// its team's leads, else the provider's team leads (at the intake inbox).
/// A successor of a decided request (the request's decision tells of it) and
/// an indication entered as already ended (history) are not.
async fn tell_new_allocation(cx: &Cx<'_>, m: &indication::Model) -> StoreResult<()> {
    use crate::notifications;
    use waakvlam_domain::notification::EventKind;
    if !is_news(m, cx.today()) {
        return Ok(());
    }
    let client = format!("/clients/{}", m.resident_id);
    match (m.professional_account_id, m.team_id) {
        (Some(p), _) => {
            notifications::enqueue(cx, AccountId::new(p), EventKind::NewAllocation, &client)
                .await?;
        }
        (None, Some(_)) => {
            let leads = notifications::resident_leads(cx, ResidentId::new(m.resident_id)).await?;
            notifications::enqueue_all(cx, &leads, EventKind::NewAllocation, &client).await?;
        }
        (None, None) => {
            let leads =
                notifications::provider_leads(cx, crate::ProviderId::new(m.provider_id)).await?;
            notifications::enqueue_all(cx, &leads, EventKind::NewAllocation, "/intake").await?;
        }
    }
    Ok(())
}

/// Whether a new allocation is news for whoever takes it on (see
/// [`tell_new_allocation`]): not a successor, not entered as already ended.
pub(crate) fn is_news(m: &indication::Model, today: NaiveDate) -> bool {
    m.predecessor_id.is_none()
        && m.end_reason.is_none()
        && m.end_date.is_none_or(|end| end >= today)
}

/// What to do when the resident already has an indication of the same kind
/// (the product's level) running in the new one's period.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Overlap {
    /// Refuse with a warning that names the running indication, so the
    /// consultant checks before two allocations pay for the same support.
    Warn,
    /// The consultant saw the warning and saves anyway (e.g. a second
    /// provider for a while during a hand-over).
    Confirmed,
}

/// Creates an indication for a resident the consultant may see, in the
/// resident's municipality. Checked against the domain rules (a scale-down
/// moment for individual and intensive support; the product's maximum
/// duration in the municipality),
/// and against running indications of the same kind (see [`Overlap`]).
pub async fn create_for_resident(
    cx: &Cx<'_>,
    new: &NewIndication,
    overlap: Overlap,
) -> StoreResult<Indication> {
    require_decider(cx.actor)?;
    let Some(r) = resident::Entity::find_by_id(new.resident_id.get())
        .filter(cx.actor.tenant.resident_filter())
        .one(cx.conn())
        .await?
    else {
        let objects = format!("resident:{}:indication", new.resident_id);
        return Err(cx.not_found(
            AccessAction::Create,
            Some(new.resident_id),
            objects,
            "resident",
        ));
    };
    let new = NewIndication {
        municipality_code: r.municipality_code.clone(),
        ..new.clone()
    };
    if overlap == Overlap::Warn
        && let Some(running) = overlapping(cx, &new).await?
    {
        // The warning comes with the form's other errors, so they are all
        // fixed in one go (not the dates on the next submit).
        let mut refused: Vec<Refusal> = match catalogue::product_by_code(cx, &new.product_code)
            .await?
        {
            Some(product) => {
                let max_months =
                    catalogue::max_duration_months(cx.conn(), product.id, &new.municipality_code)
                        .await?;
                violations(&product, &new, max_months)
                    .iter()
                    .map(RuleViolation::refusal)
                    .collect()
            }
            None => Vec::new(),
        };
        refused.push(overlap_refusal(&running));
        return Err(StoreError::Invalid(refused));
    }
    let created = create(cx, &new).await?;
    changes::record(
        cx.conn(),
        cx.actor,
        millis(cx.now),
        Change {
            entity: "indication",
            id: created.id.get(),
            field: "created",
            old: None,
            new: Some(format!(
                "{} {}",
                new.product_code.to_uppercase(),
                created.start_date
            )),
        },
    )
    .await?;
    Ok(created)
}

/// The warning that the resident already has an indication of this kind
/// (product and row of [`overlapping`]) in the new one's period.
fn overlap_refusal(running: &(String, indication::Model)) -> Refusal {
    let reason = Reason::new("indication-overlap")
        .with("product", &running.0)
        .with("start", running.1.start_date.format("%d-%m-%Y"))
        .with("number", &running.1.allocation_number);
    Refusal::new(
        "overlap",
        match running.1.end_date {
            Some(end) => reason.with("end", end.format("%d-%m-%Y")),
            None => Reason {
                id: "indication-overlap-open",
                ..reason
            },
        },
    )
}

/// The overlap warning for a form that failed its other checks (no
/// provider, a missing date): what is filled in (product, start, end) may
/// already show an indication of the same kind in that period, and the
/// consultant should see that with the other errors, not on the next
/// submit. `None` without an overlap, or for a resident the actor may not
/// see (the page that shows the form refuses that itself). Not logged: the
/// form's page logs the resident.
pub async fn overlap_warning(
    cx: &Cx<'_>,
    resident_id: ResidentId,
    product_code: &str,
    start_date: NaiveDate,
    end_date: Option<NaiveDate>,
) -> StoreResult<Option<Refusal>> {
    let Some(r) = resident::Entity::find_by_id(resident_id.get())
        .filter(cx.actor.tenant.resident_filter())
        .one(cx.conn())
        .await?
    else {
        return Ok(None);
    };
    let probe = NewIndication {
        resident_id,
        product_code: product_code.to_owned(),
        municipality_code: r.municipality_code,
        provider_id: ProviderId::new(0),
        allocation_number: None,
        issued_on: start_date,
        start_date,
        end_date,
        planned_scale_down_date: None,
        agreed_result: None,
        predecessor_id: None,
        professional_account_id: None,
        team_id: None,
        contact_rhythm_days: None,
        end_reason: None,
        outcome: None,
    };
    Ok(overlapping(cx, &probe).await?.as_ref().map(overlap_refusal))
}

/// A running indication of the resident of the same kind (product level) as
/// `new` whose period meets the new one's: its product code and row. A true
/// duplicate (same product and start) is refused by [`create`] itself.
async fn overlapping(
    cx: &Cx<'_>,
    new: &NewIndication,
) -> StoreResult<Option<(String, indication::Model)>> {
    let Some(product) = catalogue::product_by_code(cx, &new.product_code).await? else {
        return Ok(None);
    };
    let max_months =
        catalogue::max_duration_months(cx.conn(), product.id, &new.municipality_code).await?;
    let new_end = new
        .end_date
        .or_else(|| default_end(max_months, new.start_date));
    let rows = indication::Entity::find()
        .filter(indication::Column::ResidentId.eq(new.resident_id))
        .all(cx.conn())
        .await?;
    for row in rows {
        if row.product_id == product.id.get() && row.start_date == new.start_date {
            continue;
        }
        let Some(other) =
            catalogue::product_by_id(cx, crate::ProductId::new(row.product_id)).await?
        else {
            continue;
        };
        if other.product.level != product.product.level {
            continue;
        }
        // Periods [start, end] meet; an open end runs on.
        let starts_before_new_ends = new_end.is_none_or(|e| row.start_date <= e);
        let ends_after_new_starts = row.end_date.is_none_or(|e| e >= new.start_date);
        if starts_before_new_ends && ends_after_new_starts {
            return Ok(Some((other.product.code.as_str().to_owned(), row)));
        }
    }
    Ok(None)
}

/// Whether this resident already has an indication for the product starting
/// on that day (imports use it to stay idempotent).
pub async fn exists(
    cx: &Cx<'_>,
    resident_id: ResidentId,
    product_id: ProductId,
    start: NaiveDate,
) -> StoreResult<bool> {
    Ok(indication::Entity::find()
        .filter(indication::Column::ResidentId.eq(resident_id))
        .filter(indication::Column::ProductId.eq(product_id))
        .filter(indication::Column::StartDate.eq(start))
        .one(cx.conn())
        .await?
        .is_some())
}

/// A resident's indications the actor may see, oldest first. Logged.
pub async fn for_resident(cx: &Cx<'_>, resident_id: ResidentId) -> StoreResult<Vec<Indication>> {
    use sea_orm::QueryOrder;
    let rows = indication::Entity::find()
        .filter(indication::Column::ResidentId.eq(resident_id))
        .filter(cx.actor.tenant.indication_filter())
        .order_by_asc(indication::Column::StartDate)
        .order_by_asc(indication::Column::Id)
        .all(cx.conn())
        .await?;
    let ids = rows
        .iter()
        .map(|r| r.id.to_string())
        .collect::<Vec<_>>()
        .join(",");
    cx.log(
        AccessAction::Read,
        Some(resident_id),
        format!("indication:{ids}"),
    );
    rows.into_iter().map(Indication::try_from).collect()
}

/// Counts the indications running on `day` that the actor may see, per
/// intensity level (start-page summaries; no personal data, not logged).
pub async fn active_count(cx: &Cx<'_>, day: NaiveDate) -> StoreResult<Vec<(IntensityLevel, u64)>> {
    let rows = indication::Entity::find()
        .filter(cx.actor.tenant.indication_filter())
        .filter(indication::Column::StartDate.lte(day))
        .filter(
            sea_orm::Condition::any()
                .add(indication::Column::EndDate.is_null())
                .add(indication::Column::EndDate.gte(day)),
        )
        .all(cx.conn())
        .await?;
    let products = catalogue::products(cx).await?;
    let mut counts: Vec<(IntensityLevel, u64)> = Vec::new();
    for r in rows {
        let Some(p) = products.iter().find(|p| p.id == r.product_id) else {
            continue;
        };
        match counts.iter_mut().find(|(l, _)| *l == p.product.level) {
            Some((_, n)) => *n += 1,
            None => counts.push((p.product.level, 1)),
        }
    }
    Ok(counts)
}

/// What a consultant may change on an indication.
#[derive(Clone, Debug)]
pub struct IndicationEdit {
    pub provider_id: ProviderId,
    pub issued_on: NaiveDate,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    pub planned_scale_down_date: Option<NaiveDate>,
    pub agreed_result: Option<String>,
}

/// The consultant changes an indication, checked against the same rules as
/// a new one; every changed field is recorded (who, when, old → new). An
/// indication may only run past its product's maximum duration through
/// "Verlengen".
pub async fn update(
    cx: &Cx<'_>,
    id: IndicationId,
    edit: &IndicationEdit,
) -> StoreResult<Indication> {
    require_decider(cx.actor)?;
    let (conn, actor) = (cx.conn(), cx.actor);
    let m = in_tenant(cx, id, AccessAction::Update).await?;
    let product = catalogue::product_by_id(cx, ProductId::new(m.product_id))
        .await?
        .ok_or(StoreError::NotFound { what: "product" })?;
    let extended = indication_extension::Entity::find()
        .filter(indication_extension::Column::IndicationId.eq(id))
        .one(conn)
        .await?
        .is_some();
    let dates = IndicationDates {
        issued_on: edit.issued_on,
        start: edit.start_date,
        end: edit.end_date,
        planned_scale_down: edit.planned_scale_down_date,
    };
    let max_months = catalogue::max_duration_months(conn, product.id, &m.municipality_code).await?;
    let violations = validate_indication(product.product.level, &dates, extended, max_months)
        .err()
        .unwrap_or_default();
    check_limits(
        cx.today(),
        &dates,
        edit.agreed_result.as_deref(),
        &violations,
    )?;
    if edit.provider_id.get() != m.provider_id {
        check_provider(cx, edit.provider_id, &product, &m.municipality_code).await?;
    }
    let agreed = edit
        .agreed_result
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned);
    let at = millis(cx.now);
    let date = |d: Option<NaiveDate>| d.map(|d| d.to_string());
    let fields: [(&str, Option<String>, Option<String>); 6] = [
        (
            "provider_id",
            Some(m.provider_id.to_string()),
            Some(edit.provider_id.to_string()),
        ),
        (
            "issued_on",
            date(Some(m.issued_on)),
            date(Some(edit.issued_on)),
        ),
        (
            "start_date",
            date(Some(m.start_date)),
            date(Some(edit.start_date)),
        ),
        ("end_date", date(m.end_date), date(edit.end_date)),
        (
            "planned_scale_down_date",
            date(m.planned_scale_down_date),
            date(edit.planned_scale_down_date),
        ),
        ("agreed_result", m.agreed_result.clone(), agreed.clone()),
    ];
    for (field, old, new) in fields {
        if old != new {
            changes::record(
                conn,
                actor,
                at,
                Change {
                    entity: "indication",
                    id: id.get(),
                    field,
                    old,
                    new,
                },
            )
            .await?;
        }
    }
    let resident_id = ResidentId::new(m.resident_id);
    let mut am: indication::ActiveModel = m.into();
    am.provider_id = Set(edit.provider_id.get());
    am.issued_on = Set(edit.issued_on);
    am.start_date = Set(edit.start_date);
    am.end_date = Set(edit.end_date);
    am.planned_scale_down_date = Set(edit.planned_scale_down_date);
    am.agreed_result = Set(agreed);
    am.updated_at = Set(at);
    let updated = am.update(conn).await?;
    cx.log(
        AccessAction::Update,
        Some(resident_id),
        format!("indication:{id}"),
    );
    updated.try_into()
}

/// Extends an indication ("Verlengen"): moves its end date, keeps the
/// previous end in the extension history and records the change. (The
/// storage step; the consultant's form goes through [`decide_extension`].)
pub async fn extend(
    cx: &Cx<'_>,
    id: IndicationId,
    new_end: NaiveDate,
    reason: &str,
) -> StoreResult<Indication> {
    let (conn, actor) = (cx.conn(), cx.actor);
    let m = in_tenant(cx, id, AccessAction::Update).await?;
    let Some(previous_end) = m.end_date else {
        return Err(StoreError::refuse("end_date", "extension-open-ended"));
    };
    let extension = Extension {
        previous_end,
        new_end,
        reason: reason.trim().to_owned(),
    };
    let mut refused = Refusals::new();
    refused.check(limits::check_care_date(
        fields::END_DATE,
        new_end,
        cx.today(),
    ));
    refused.check(limits::check_text(
        fields::REASON,
        &extension.reason,
        TextClass::Short,
    ));
    let max_months =
        catalogue::max_duration_months(conn, ProductId::new(m.product_id), &m.municipality_code)
            .await?;
    for v in validate_extension(&extension, max_months)
        .err()
        .unwrap_or_default()
    {
        if !refused.has(v.field) {
            refused.push(v.refusal());
        }
    }
    refused.into_result()?;
    let now = cx.now;
    indication_extension::ActiveModel {
        indication_id: Set(m.id),
        previous_end: Set(previous_end),
        new_end: Set(new_end),
        reason: Set(extension.reason.clone()),
        account_id: Set(actor.account_id.map(i64::from)),
        created_at: Set(millis(now)),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    changes::record(
        conn,
        actor,
        millis(now),
        Change {
            entity: "indication",
            id: m.id,
            field: "end_date",
            old: Some(previous_end.to_string()),
            new: Some(new_end.to_string()),
        },
    )
    .await?;
    let resident_id = ResidentId::new(m.resident_id);
    let mut am: indication::ActiveModel = m.into();
    am.end_date = Set(Some(new_end));
    am.updated_at = Set(millis(now));
    let updated = am.update(conn).await?;
    cx.log(
        AccessAction::Update,
        Some(resident_id),
        format!("indication:{id}"),
    );
    updated.try_into()
}

/// "Verlengen" as the consultant decides it: extends an indication by a
/// chosen period with a reason (the extension history keeps the previous end).
pub async fn decide_extension(
    cx: &Cx<'_>,
    id: IndicationId,
    new_end: NaiveDate,
    reason: &str,
) -> StoreResult<Indication> {
    require_decider(cx.actor)?;
    extend(cx, id, new_end, reason).await
}

/// Assigns a professional of the actor's team to an indication (team leads).
/// The professional must belong to the team that holds the indication.
pub async fn assign_professional(
    cx: &Cx<'_>,
    id: IndicationId,
    professional: AccountId,
) -> StoreResult<Indication> {
    let updated = assign(cx, id, professional).await?;
    cx.log(
        AccessAction::Update,
        Some(updated.resident_id),
        format!("indication:{id}"),
    );
    Ok(updated)
}

async fn assign(cx: &Cx<'_>, id: IndicationId, professional: AccountId) -> StoreResult<Indication> {
    let (conn, actor, now) = (cx.conn(), cx.actor, cx.now);
    let m = in_tenant(cx, id, AccessAction::Update).await?;
    let professional = crate::accounts::by_id(cx, professional)
        .await?
        .filter(|a| a.role == Role::Professional && a.active)
        .ok_or_else(|| StoreError::refuse("professional", "not-a-professional"))?;
    if m.team_id.is_none() || professional.team_id.map(i64::from) != m.team_id {
        return Err(StoreError::refuse(
            "professional",
            "professional-other-team",
        ));
    }
    changes::record(
        conn,
        actor,
        millis(now),
        Change {
            entity: "indication",
            id: m.id,
            field: "professional_account_id",
            old: m.professional_account_id.map(|id| id.to_string()),
            new: Some(professional.id.to_string()),
        },
    )
    .await?;
    let mut am: indication::ActiveModel = m.into();
    am.professional_account_id = Set(Some(professional.id.into()));
    am.updated_at = Set(millis(now));
    am.update(conn).await?.try_into()
}

/// Records the assessment of the agreed result of an indication that has
/// ended without one (an import of past care, the demo seed). Refused when it
/// has not ended or was assessed already: an assessment is made once.
pub async fn assess_result(
    cx: &Cx<'_>,
    id: IndicationId,
    result: &ResultAssessment,
) -> StoreResult<()> {
    let (conn, actor) = (cx.conn(), cx.actor);
    let m = in_tenant(cx, id, AccessAction::Update).await?;
    if m.end_reason.is_none() {
        return Err(StoreError::conflict("", Reason::new("indication-running")));
    }
    if m.result_reached.is_some() {
        return Err(StoreError::conflict("", Reason::new("result-assessed")));
    }
    limits::check_required_text("result_note", &result.sentence, limits::TextClass::Line)?;
    changes::record(
        conn,
        actor,
        millis(cx.now),
        Change {
            entity: "indication",
            id: m.id,
            field: "result",
            old: None,
            new: Some(format!("{}: {}", result.reached.as_str(), result.sentence)),
        },
    )
    .await?;
    let resident_id = ResidentId::new(m.resident_id);
    let mut am: indication::ActiveModel = m.into();
    am.result_reached = Set(Some(result.reached.as_str().to_owned()));
    am.result_note = Set(Some(result.sentence.clone()));
    am.updated_at = Set(millis(cx.now));
    am.update(conn).await?;
    cx.log(
        AccessAction::Update,
        Some(resident_id),
        format!("indication:{id}:result"),
    );
    Ok(())
}

/// Ends a waakvlam indication with its outcome: the consultant's end on the
/// indication page, and the last step of [`crate::care_record::end_waakvlam`],
/// which first checks that the professional holds it and requires the
/// assessment of the agreed result (`result`; the consultant's end may go
/// without, and monitoring counts it as not assessed).
pub async fn end_with_outcome(
    cx: &Cx<'_>,
    id: IndicationId,
    end: NaiveDate,
    outcome: WaakvlamOutcome,
    result: Option<&ResultAssessment>,
) -> StoreResult<Indication> {
    let (conn, actor) = (cx.conn(), cx.actor);
    let m = in_tenant(cx, id, AccessAction::Update).await?;
    if m.end_reason.is_some() {
        return Err(StoreError::conflict("", Reason::new("indication-ended")));
    }
    limits::check_care_date(fields::END_DATE, end, cx.today())?;
    if end < m.start_date || m.end_date.is_some_and(|e| end > e) {
        return Err(StoreError::refuse("end_date", "within"));
    }
    let now = millis(cx.now);
    changes::record(
        conn,
        actor,
        now,
        Change {
            entity: "indication",
            id: m.id,
            field: "end_date",
            old: m.end_date.map(|d| d.to_string()),
            new: Some(end.to_string()),
        },
    )
    .await?;
    changes::record(
        conn,
        actor,
        now,
        Change {
            entity: "indication",
            id: m.id,
            field: "outcome",
            old: None,
            new: Some(outcome.as_str().to_owned()),
        },
    )
    .await?;
    if let Some(r) = result {
        changes::record(
            conn,
            actor,
            now,
            Change {
                entity: "indication",
                id: m.id,
                field: "result",
                old: None,
                new: Some(format!("{}: {}", r.reached.as_str(), r.sentence)),
            },
        )
        .await?;
    }
    let resident_id = ResidentId::new(m.resident_id);
    let ended_early = m.end_date.is_none_or(|planned| end < planned);
    let mut am: indication::ActiveModel = m.into();
    am.end_date = Set(Some(end));
    am.end_reason = Set(Some(outcome.end_reason().code().to_owned()));
    am.outcome = Set(Some(outcome.as_str().to_owned()));
    am.result_reached = Set(result.map(|r| r.reached.as_str().to_owned()));
    am.result_note = Set(result.map(|r| r.sentence.clone()));
    am.updated_at = Set(now);
    let updated = am.update(conn).await?;
    // The municipality's end of an allocation it exchanged goes to the
    // provider as a changed WMO301 (shortened); a provider's end of
    // delivery that started goes to the municipality as a WMO307.
    if crate::iwmo::decided_here(cx) && updated.in_chain && ended_early {
        crate::iwmo::send_allocation(
            cx,
            resident_id,
            ProviderId::new(updated.provider_id),
            &updated.municipality_code,
            &[(id, waakvlam_iwmo::wmo301::ChangeReason::Shortened)],
            &[],
        )
        .await?;
    }
    crate::iwmo::delivery::ended(cx, updated.clone()).await?;
    cx.log(
        AccessAction::Update,
        Some(resident_id),
        format!("indication:{id}"),
    );
    updated.try_into()
}
