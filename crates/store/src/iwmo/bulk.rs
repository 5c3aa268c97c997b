//! The fast way in for what most received files hold: a run of WMO301s
//! that each allocate to a client new to this installation. Read one by one
//! ([`super::receive_allocation`]) a message costs some thirty statements;
//! here a whole run is checked against what a few queries look up for all
//! of it, and written with one multi-row insert per table.
//!
//! Only messages whose outcome is certain before anything is written go
//! this way: each keeps every rule, and shares no identification, client
//! or allocation number with an earlier message of the run. The others are
//! left to the one-by-one reader, which then gives them the same outcome it
//! always would (they share nothing with what was written here, so the
//! order between the two ways changes nothing), and says why where it
//! refuses. The whole run is written under one savepoint: should the
//! database refuse any of it, none of it stays and every message goes the
//! one-by-one way.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use sea_orm::sea_query::CaseStatement;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect, Set};
use waakvlam_domain::access::AccessAction;
use waakvlam_domain::ids::{AllocationNumber, Bsn, MunicipalityCode};
use waakvlam_domain::notification::EventKind;
use waakvlam_iwmo::retour::Findings;
use waakvlam_iwmo::wmo301::ReceivedAllocation;

use super::{Direction, Incoming, MessageState, Receipt, cut, row};
use crate::catalogue::{self, CatalogueProduct, Deliverers};
use crate::entity::{
    indication, municipality, notification, product, product_rule, provider, resident,
};
use crate::indications::{self, NewIndication};
use crate::residents::{self, NewResident};
use crate::{Cx, IndicationId, IwmoMessageId, ProviderId, ResidentId, StoreResult, Tenant, millis};

/// One received WMO301 of a run: its place in the batch, its text, its
/// content.
pub(crate) type Received<'a> = (usize, &'a str, &'a ReceivedAllocation);

/// Applies every message of `run` that can go the fast way (see the
/// module) and answers its receipt, by its place in the batch; the rest is
/// left to the caller, to be read one by one after these.
pub(crate) async fn receive_new_allocations(
    cx: &Cx<'_>,
    run: &[Received<'_>],
) -> StoreResult<Vec<(usize, Receipt)>> {
    if cx.actor.tenant != Tenant::System || run.len() < 2 {
        return Ok(Vec::new());
    }
    let known = Known::look_up(cx, run).await?;
    let planned = plan(cx, run, &known);
    if planned.is_empty() {
        return Ok(Vec::new());
    }
    match cx
        .savepoint(async |cx| write(cx, &planned, &known).await)
        .await
    {
        Ok(receipts) => Ok(receipts),
        Err(e) => {
            // Something this module did not foresee: the one-by-one way
            // reads each message and says what it is.
            tracing::warn!(error = %e, "a run of WMO301s goes the one-by-one way");
            Ok(Vec::new())
        }
    }
}

/// What the run's messages refer to, looked up for all of them at once.
struct Known {
    /// Identifications read before, by sender.
    read_before: HashSet<(String, String)>,
    /// Clients known here, by BSN.
    clients: HashSet<String>,
    /// Allocation numbers known here, by municipality.
    allocations: HashSet<(String, String)>,
    /// Municipalities in CBS's list, with their region.
    municipalities: HashMap<String, Option<i64>>,
    providers: HashMap<String, ProviderId>,
    products: HashMap<String, CatalogueProduct>,
    rules: HashMap<i64, Vec<product_rule::Model>>,
    /// Who may deliver what, per municipality.
    deliverers: HashMap<String, Deliverers>,
    /// The rows that tell a provider's team leads of a new allocation at
    /// its intake inbox.
    news: HashMap<ProviderId, Vec<notification::ActiveModel>>,
}

impl Known {
    async fn look_up(cx: &Cx<'_>, run: &[Received<'_>]) -> StoreResult<Self> {
        let conn = cx.conn();
        let set = |f: &dyn Fn(&ReceivedAllocation) -> Vec<String>| -> BTreeSet<String> {
            run.iter().flat_map(|(_, _, a)| f(a)).collect()
        };
        // Each query names the leading columns of its index.
        let identifications = set(&|a| vec![cut(&a.header.identification, 12)]);
        let senders = set(&|a| vec![a.header.sender.clone()]);
        let read_before = row::Entity::find()
            .select_only()
            .column(row::Column::Sender)
            .column(row::Column::Identification)
            .filter(row::Column::Direction.eq(Direction::In.as_str()))
            .filter(row::Column::Sender.is_in(senders.iter().map(|s| cut(s, 8))))
            .filter(row::Column::Identification.is_in(identifications))
            .into_tuple::<(String, String)>()
            .all(conn)
            .await?
            .into_iter()
            .collect();
        let bsns = set(&|a| {
            Bsn::parse(&a.bsn)
                .map(|b| b.as_str().to_owned())
                .into_iter()
                .collect()
        });
        let clients = resident::Entity::find()
            .select_only()
            .column(resident::Column::Bsn)
            .filter(resident::Column::Bsn.is_in(bsns))
            .into_tuple::<String>()
            .all(conn)
            .await?
            .into_iter()
            .collect();
        let numbers = set(&|a| {
            a.products
                .iter()
                .map(|p| p.number.trim().to_owned())
                .collect()
        });
        let allocations = indication::Entity::find()
            .select_only()
            .column(indication::Column::MunicipalityCode)
            .column(indication::Column::AllocationNumber)
            .filter(indication::Column::MunicipalityCode.is_in(senders.iter().cloned()))
            .filter(indication::Column::AllocationNumber.is_in(numbers))
            .into_tuple::<(String, String)>()
            .all(conn)
            .await?
            .into_iter()
            .collect();
        let municipalities: HashMap<String, Option<i64>> = municipality::Entity::find()
            .filter(municipality::Column::Code.is_in(senders))
            .all(conn)
            .await?
            .into_iter()
            .map(|m| (m.code, m.region_id))
            .collect();
        let receivers = set(&|a| vec![a.header.receiver.clone()]);
        let providers: HashMap<String, ProviderId> = provider::Entity::find()
            .filter(provider::Column::AgbCode.is_in(receivers))
            .all(conn)
            .await?
            .into_iter()
            .map(|p| (p.agb_code, ProviderId::new(p.id)))
            .collect();
        let codes = set(&|a| {
            a.products
                .iter()
                .filter_map(|p| p.code.as_ref().map(|c| c.to_uppercase()))
                .collect()
        });
        let products: HashMap<String, CatalogueProduct> = product::Entity::find()
            .filter(product::Column::Code.is_in(codes))
            .all(conn)
            .await?
            .into_iter()
            .map(|m| catalogue::to_product(m).map(|p| (p.product.code.as_str().to_owned(), p)))
            .collect::<StoreResult<_>>()?;
        let mut rules: HashMap<i64, Vec<product_rule::Model>> = HashMap::new();
        for r in product_rule::Entity::find()
            .filter(product_rule::Column::ProductId.is_in(products.values().map(|p| p.id.get())))
            .all(conn)
            .await?
        {
            rules.entry(r.product_id).or_default().push(r);
        }
        let mut deliverers = HashMap::new();
        for code in municipalities.keys() {
            deliverers.insert(code.clone(), catalogue::deliverers(conn, code).await?);
        }
        let mut news = HashMap::new();
        for id in providers.values() {
            let mut rows = Vec::new();
            for lead in crate::notifications::provider_leads(cx, *id).await? {
                if let Some(row) =
                    crate::notifications::prepare(cx, lead, EventKind::NewAllocation, "/intake")
                        .await?
                {
                    rows.push(row);
                }
            }
            news.insert(*id, rows);
        }
        Ok(Self {
            read_before,
            clients,
            allocations,
            municipalities,
            providers,
            products,
            rules,
            deliverers,
            news,
        })
    }
}

/// A message of the run that goes the fast way: the client and the
/// allocations to write.
struct Planned<'a> {
    index: usize,
    xml: &'a str,
    a: &'a ReceivedAllocation,
    provider: ProviderId,
    client: NewResident,
    /// Each allocation with its product and number (`resident_id` is set
    /// once the client has its row).
    allocations: Vec<(NewIndication, &'a CatalogueProduct, AllocationNumber)>,
}

/// The messages of the run that go the fast way, in their order.
fn plan<'a>(cx: &Cx<'_>, run: &[Received<'a>], known: &'a Known) -> Vec<Planned<'a>> {
    let today = cx.today();
    // What earlier messages of the run name: a later one naming it too
    // depends on their outcome, so it is read one by one.
    let mut named: HashSet<String> = HashSet::new();
    let mut planned = Vec::new();
    for &(index, xml, a) in run {
        let sender = &a.header.sender;
        let keys: Vec<String> = [
            format!("id {sender} {}", cut(&a.header.identification, 12)),
            format!(
                "bsn {}",
                Bsn::parse(&a.bsn)
                    .map_or_else(|_| a.bsn.trim().to_owned(), |b| b.as_str().to_owned())
            ),
        ]
        .into_iter()
        .chain(
            a.products
                .iter()
                .map(|p| format!("nr {sender} {}", p.number.trim())),
        )
        .collect();
        let fresh = keys.iter().all(|k| !named.contains(k));
        let distinct = keys.iter().collect::<HashSet<_>>().len() == keys.len();
        named.extend(keys);
        if !(fresh && distinct) {
            continue;
        }
        planned.extend(fast(today, (index, xml, a), known));
    }
    planned
}

/// The client and allocations of `a` when it keeps every rule the
/// one-by-one reader checks and needs nothing else of it: not read before,
/// from a municipality in CBS's list to a provider here, a client new here,
/// only new allocations of products in the catalogue that the provider may
/// deliver there, and no request of the provider's it answers.
fn fast<'a>(
    today: chrono::NaiveDate,
    (index, xml, a): Received<'a>,
    known: &'a Known,
) -> Option<Planned<'a>> {
    let (findings, _) = a.findings();
    if findings.rejected()
        || known
            .read_before
            .contains(&(cut(&a.header.sender, 8), cut(&a.header.identification, 12)))
    {
        return None;
    }
    let region = *known.municipalities.get(&a.header.sender)?;
    let provider = *known.providers.get(&a.header.receiver)?;
    let bsn = Bsn::parse(&a.bsn).ok()?;
    if known.clients.contains(bsn.as_str()) || a.products.is_empty() {
        return None;
    }
    let client = NewResident {
        bsn,
        birth_date: a.birth_date?,
        family_name: a.name.family_name.clone(),
        name_prefix: a.name.prefix.clone(),
        given_names: a.name.given_names.clone(),
        initials: a.name.initials.clone(),
        municipality_code: MunicipalityCode::parse(&a.header.sender).ok()?,
        phone: a.contact.phone.clone(),
        email: a.contact.email.clone(),
        address: None,
    };
    residents::check_new(&client, today).ok()?;
    let deliverers = known.deliverers.get(&a.header.sender)?;
    let mut allocations: Vec<(NewIndication, &CatalogueProduct, AllocationNumber)> = Vec::new();
    for p in &a.products {
        let number = AllocationNumber::parse(&p.number).ok()?;
        let product = known.products.get(&p.code.as_ref()?.to_uppercase())?;
        let new_here = number.to_string() == p.number.trim()
            && !known
                .allocations
                .contains(&(a.header.sender.clone(), number.to_string()));
        // The same product from the same day twice is refused as a duplicate.
        let twice = allocations
            .iter()
            .any(|(n, q, _)| q.id == product.id && n.start_date == p.start);
        if !new_here || twice || p.reference.is_some() {
            return None;
        }
        // The client's row id is set once it is written.
        let new = super::received_indication(a, p, product, ResidentId::new(0), provider, number);
        let max_months = catalogue::max_months_in(
            known
                .rules
                .get(&product.id.get())
                .map_or(&[], Vec::as_slice),
            &a.header.sender,
            region,
        );
        if !indications::received_holds(
            today,
            product,
            &new,
            max_months,
            region.map(crate::RegionId::new),
            deliverers,
        ) {
            return None;
        }
        allocations.push((new, product, number));
    }
    Some(Planned {
        index,
        xml,
        a,
        provider,
        client,
        allocations,
    })
}

/// Writes what `planned` holds, a table at a time, and notes each
/// message's access-log entries as the one-by-one reader would.
async fn write(
    cx: &Cx<'_>,
    planned: &[Planned<'_>],
    known: &Known,
) -> StoreResult<Vec<(usize, Receipt)>> {
    let conn = cx.conn();
    let now = millis(cx.now);
    let today = cx.today();
    // The clients, then their allocations (a new client has no team yet:
    // the allocation lands in the provider's intake inbox).
    let clients: HashMap<String, ResidentId> =
        resident::Entity::insert_many(planned.iter().map(|p| residents::new_row(&p.client, now)))
            .exec_with_returning(conn)
            .await?
            .into_iter()
            .map(|m| (m.bsn, ResidentId::new(m.id)))
            .collect();
    let client_of = |p: &Planned<'_>| {
        clients
            .get(p.client.bsn.as_str())
            .copied()
            .ok_or_else(|| super::internal("a client written is not returned"))
    };
    let mut rows = Vec::new();
    for p in planned {
        let resident_id = client_of(p)?;
        for (new, product, number) in &p.allocations {
            let new = NewIndication {
                resident_id,
                ..new.clone()
            };
            let mut row =
                indications::new_row(&new, product, *number, new.end_date, (None, None), now);
            // Exchanged as a WMO301: its start and stop go to the chain too.
            row.in_chain = Set(true);
            rows.push(row);
        }
    }
    let written: BTreeMap<(String, String), indication::Model> =
        indication::Entity::insert_many(rows)
            .exec_with_returning(conn)
            .await?
            .into_iter()
            .map(|m| {
                (
                    (m.municipality_code.clone(), m.allocation_number.clone()),
                    m,
                )
            })
            .collect();
    let allocations_of = |p: &Planned<'_>| -> StoreResult<Vec<&indication::Model>> {
        p.allocations
            .iter()
            .map(|(_, _, number)| {
                written
                    .get(&(p.a.header.sender.clone(), number.to_string()))
                    .ok_or_else(|| super::internal("an allocation written is not returned"))
            })
            .collect()
    };
    // News for the provider's team leads at the intake inbox.
    let mut news = Vec::new();
    for p in planned {
        for m in allocations_of(p)? {
            if indications::is_news(m, today) {
                news.extend(known.news.get(&p.provider).into_iter().flatten().cloned());
            }
        }
    }
    if !news.is_empty() {
        notification::Entity::insert_many(news)
            .exec_without_returning(conn)
            .await?;
    }
    // The messages as read, and their retours owed.
    let findings = Findings::default();
    let incoming: Vec<Incoming<'_>> = planned
        .iter()
        .map(|p| {
            Ok(Incoming {
                header: &p.a.header,
                xml: p.xml,
                state: MessageState::Applied,
                findings: &findings,
                why: &[],
                provider_id: Some(p.provider),
                resident_id: Some(client_of(p)?),
                body: true,
                seq: 0,
            })
        })
        .collect::<StoreResult<_>>()?;
    let read: HashMap<(String, String), IwmoMessageId> =
        row::Entity::insert_many(incoming.iter().map(|i| super::incoming_row(cx, i)))
            .exec_with_returning(conn)
            .await?
            .into_iter()
            .map(|m| ((m.sender, m.identification), IwmoMessageId::new(m.id)))
            .collect();
    // The retours, written with a placeholder for their identification,
    // which their row's id then makes (as `insert_outgoing` does).
    let mut owed: HashMap<String, &Incoming<'_>> = HashMap::new();
    let mut retours = Vec::new();
    for i in &incoming {
        if let Some(about) = super::retour_about(i) {
            let row = super::outgoing_row(cx, &about);
            let sea_orm::ActiveValue::Set(placeholder) = &row.identification else {
                return Err(super::internal("a retour without its placeholder"));
            };
            owed.insert(placeholder.clone(), i);
            retours.push(row);
        }
    }
    if !retours.is_empty() {
        let mut identification = CaseStatement::new();
        let mut text = CaseStatement::new();
        let mut ids = Vec::with_capacity(retours.len());
        for m in row::Entity::insert_many(retours)
            .exec_with_returning(conn)
            .await?
        {
            let i = owed
                .get(&m.identification)
                .ok_or_else(|| super::internal("a retour written is not returned"))?;
            let ident = super::identification_of(m.id);
            let xml = waakvlam_iwmo::retour::write(i.xml, &ident, today, i.findings, i.body)
                .map_err(super::internal)?;
            identification = identification.case(row::Column::Id.eq(m.id), ident);
            text = text.case(row::Column::Id.eq(m.id), xml);
            ids.push(m.id);
        }
        row::Entity::update_many()
            .col_expr(row::Column::Identification, identification.into())
            .col_expr(row::Column::Xml, text.into())
            .filter(row::Column::Id.is_in(ids))
            .exec(conn)
            .await?;
    }
    // Each message's entries, in the order the one-by-one reader notes them.
    let mut receipts = Vec::with_capacity(planned.len());
    for p in planned {
        let resident = client_of(p)?;
        cx.log(
            AccessAction::Create,
            Some(resident),
            format!("resident:{resident}"),
        );
        let mut indications = Vec::new();
        for m in allocations_of(p)? {
            cx.log(
                AccessAction::Create,
                Some(resident),
                format!("indication:{}", m.id),
            );
            indications.push(IndicationId::new(m.id));
        }
        let message = *read
            .get(&(
                cut(&p.a.header.sender, 8),
                cut(&p.a.header.identification, 12),
            ))
            .ok_or_else(|| super::internal("a message written is not returned"))?;
        cx.log(
            AccessAction::Create,
            Some(resident),
            format!("iwmo_message:{message}"),
        );
        receipts.push((
            p.index,
            Receipt::Applied {
                message,
                resident,
                indications,
            },
        ));
    }
    Ok(receipts)
}
