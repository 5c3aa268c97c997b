//! The read model of the caseload: who is on whose caseload, with the facts
//! the signal engine ranks them by — the start pages of professionals and
//! team leads.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Order, Query, SelectStatement};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, QueryOrder,
    QuerySelect,
};
use waakvlam_domain::care::{RequestStatus, Wellbeing};
use waakvlam_domain::product::IntensityLevel;
use waakvlam_domain::signal::{Attention, BellRing, CheckIn, SignalInput};

use crate::id::{AccountId, IndicationId, ResidentId, TeamId};
use crate::signals::SignalSettings;

use crate::catalogue;
use crate::entity::{
    access_log, account, bell, check_in, contact, indication, plan_progress, plan_proposal,
    portal_message, resident, scale_request,
};
use crate::residents::formal_name;
use crate::{Actor, Cx, StoreResult, from_millis, millis};

/// One resident on a caseload with their current indication.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseloadEntry {
    pub resident_id: ResidentId,
    pub resident_name: String,
    pub indication_id: IndicationId,
    pub product_code: String,
    pub product_name: String,
    pub level: IntensityLevel,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    pub professional_account_id: Option<AccountId>,
    pub professional_name: Option<String>,
}

pub(crate) fn running_on(day: NaiveDate) -> Condition {
    Condition::all()
        .add(indication::Column::StartDate.lte(day))
        .add(
            Condition::any()
                .add(indication::Column::EndDate.is_null())
                .add(indication::Column::EndDate.gte(day)),
        )
}

/// The residents with an indication running on `day` that the actor may
/// see (for a professional: theirs and their team's), sorted by name. Logged
/// as a search over those residents.
pub async fn current(cx: &Cx<'_>, day: NaiveDate) -> StoreResult<Vec<CaseloadEntry>> {
    Ok(facts(cx, Scope::Team, day)
        .await?
        .into_iter()
        .map(|f| f.entry)
        .collect())
}

/// Whose caseload: a professional's own residents, or the whole team's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    Mine,
    Team,
}

/// Everything the signal engine needs about one resident on a caseload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseloadFacts {
    pub entry: CaseloadEntry,
    pub municipality_code: String,
    pub team_id: Option<TeamId>,
    pub planned_scale_down: Option<NaiveDate>,
    pub contact_rhythm_days: Option<u32>,
    pub last_contact: Option<NaiveDate>,
    /// The latest check-ins, oldest first (at most five).
    pub check_ins: Vec<CheckIn>,
    /// Bells not yet resolved.
    pub bells: Vec<BellRing>,
    pub scale_request_pending: bool,
}

impl CaseloadFacts {
    /// The engine's view of this resident on `today`.
    pub fn signal_input(&self, today: NaiveDate, now: DateTime<Utc>) -> SignalInput<'_> {
        SignalInput {
            today,
            now,
            level: self.entry.level,
            start: self.entry.start_date,
            end: self.entry.end_date,
            planned_scale_down: self.planned_scale_down,
            contact_rhythm_days: self.contact_rhythm_days,
            last_contact: self.last_contact,
            check_ins: &self.check_ins,
            bells: &self.bells,
            scale_request_pending: self.scale_request_pending,
        }
    }
}

/// A resident on a ranked caseload.
#[derive(Clone, Debug)]
pub struct RankedResident {
    pub facts: CaseloadFacts,
    pub attention: Attention,
}

/// The one statement that finds a caseload: running indications, their
/// residents (with both tenant checks) and the professionals' names. Public so
/// the benchmark can time and explain exactly this statement.
pub fn caseload_statement(actor: &Actor, scope: Scope, today: NaiveDate) -> SelectStatement {
    let mut q = Query::select();
    q.columns([
        (indication::Entity, indication::Column::Id),
        (indication::Entity, indication::Column::ResidentId),
        (indication::Entity, indication::Column::ProductId),
        (indication::Entity, indication::Column::StartDate),
        (indication::Entity, indication::Column::EndDate),
        (
            indication::Entity,
            indication::Column::ProfessionalAccountId,
        ),
        (indication::Entity, indication::Column::MunicipalityCode),
        (indication::Entity, indication::Column::TeamId),
        (indication::Entity, indication::Column::PlannedScaleDownDate),
        (indication::Entity, indication::Column::ContactRhythmDays),
    ])
    .columns([
        (resident::Entity, resident::Column::FamilyName),
        (resident::Entity, resident::Column::Initials),
        (resident::Entity, resident::Column::NamePrefix),
    ])
    .expr_as(
        Expr::col((account::Entity, account::Column::DisplayName)),
        "professional_name",
    )
    // The last contact and a waiting request as correlated subqueries on
    // their indexes: fewer statements per caseload (docs/PERFORMANCE.md).
    .expr_as(
        Expr::SubQuery(
            None,
            Box::new(
                Query::select()
                    .expr(Expr::col((contact::Entity, contact::Column::OccurredAt)).max())
                    .from(contact::Entity)
                    .and_where(
                        Expr::col((contact::Entity, contact::Column::ResidentId))
                            .equals((indication::Entity, indication::Column::ResidentId)),
                    )
                    .to_owned()
                    .into(),
            ),
        ),
        "last_contact_at",
    )
    .expr_as(
        Expr::exists(
            Query::select()
                .expr(Expr::val(1))
                .from(scale_request::Entity)
                .and_where(
                    Expr::col((scale_request::Entity, scale_request::Column::ResidentId))
                        .equals((indication::Entity, indication::Column::ResidentId)),
                )
                .and_where(
                    Expr::col((scale_request::Entity, scale_request::Column::Status))
                        .eq(RequestStatus::Pending.as_str()),
                )
                .and_where(
                    Expr::col((scale_request::Entity, scale_request::Column::IndicationId))
                        .equals((indication::Entity, indication::Column::Id)),
                )
                .to_owned(),
        ),
        "scale_request_pending",
    )
    .from(indication::Entity)
    .inner_join(
        resident::Entity,
        Expr::col((resident::Entity, resident::Column::Id))
            .equals((indication::Entity, indication::Column::ResidentId)),
    )
    .left_join(
        account::Entity,
        Expr::col((account::Entity, account::Column::Id)).equals((
            indication::Entity,
            indication::Column::ProfessionalAccountId,
        )),
    )
    .cond_where(actor.tenant.indication_filter())
    .cond_where(actor.tenant.resident_filter())
    .cond_where(running_on(today))
    .order_by((indication::Entity, indication::Column::Id), Order::Asc);
    if scope == Scope::Mine {
        q.and_where(
            Expr::col((
                indication::Entity,
                indication::Column::ProfessionalAccountId,
            ))
            .eq(actor.account_id.map_or(-1, i64::from)),
        );
    }
    q
}

/// A running indication with its resident and professional, as `facts`
/// loads them in one statement.
#[derive(Debug, FromQueryResult)]
struct CaseloadRow {
    id: i64,
    resident_id: i64,
    product_id: i64,
    start_date: NaiveDate,
    end_date: Option<NaiveDate>,
    professional_account_id: Option<i64>,
    municipality_code: String,
    team_id: Option<i64>,
    planned_scale_down_date: Option<NaiveDate>,
    contact_rhythm_days: Option<i32>,
    family_name: String,
    initials: Option<String>,
    name_prefix: Option<String>,
    professional_name: Option<String>,
    last_contact_at: Option<i64>,
    scale_request_pending: bool,
}

/// Loads the caseload with its signal facts in a fixed number of indexed
/// queries (no query per resident), logged as one search.
pub async fn facts(cx: &Cx<'_>, scope: Scope, today: NaiveDate) -> StoreResult<Vec<CaseloadFacts>> {
    let out = load_facts(cx, scope, today, None).await?;
    cx.log_search("caseload", out.iter().map(|f| f.entry.resident_id));
    Ok(out)
}

/// The signal facts of one resident's running indications, as the caseload
/// has them (not logged: the resident's page logs what it shows).
pub(crate) async fn facts_of_resident(
    cx: &Cx<'_>,
    resident_id: ResidentId,
    today: NaiveDate,
) -> StoreResult<Vec<CaseloadFacts>> {
    load_facts(cx, Scope::Team, today, Some(resident_id.get())).await
}

pub(crate) async fn load_facts(
    cx: &Cx<'_>,
    scope: Scope,
    today: NaiveDate,
    resident: Option<i64>,
) -> StoreResult<Vec<CaseloadFacts>> {
    let tx = cx.conn();
    let mut q = caseload_statement(cx.actor, scope, today);
    if let Some(id) = resident {
        q.and_where(Expr::col((indication::Entity, indication::Column::ResidentId)).eq(id));
    }
    let rows = CaseloadRow::find_by_statement(tx.get_database_backend().build(&q))
        .all(tx)
        .await?;
    let ids: Vec<i64> = rows
        .iter()
        .map(|r| r.resident_id)
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let products = catalogue::products(cx).await?;

    // Recent check-ins: the window covers far more than five monthly ones.
    let since = millis(cx.now) - 400 * 24 * 3600 * 1000;
    let mut check_ins: HashMap<i64, Vec<CheckIn>> = HashMap::new();
    for (resident_id, submitted_at, wellbeing) in check_in::Entity::find()
        .select_only()
        .columns([
            check_in::Column::ResidentId,
            check_in::Column::SubmittedAt,
            check_in::Column::Wellbeing,
        ])
        .filter(check_in::Column::ResidentId.is_in(ids.iter().copied()))
        .filter(check_in::Column::SubmittedAt.gte(since))
        // The index's own order: no sort step in the database.
        .order_by_asc(check_in::Column::ResidentId)
        .order_by_asc(check_in::Column::SubmittedAt)
        .into_tuple::<(i64, i64, i16)>()
        .all(tx)
        .await?
    {
        if let Ok(w) = Wellbeing::new(u8::try_from(wellbeing).unwrap_or(0)) {
            check_ins.entry(resident_id).or_default().push(CheckIn {
                on: from_millis(submitted_at).date_naive(),
                wellbeing: w,
            });
        }
    }
    let mut bells: HashMap<i64, Vec<BellRing>> = HashMap::new();
    for (resident_id, rung_at, acknowledged_at) in bell::Entity::find()
        .select_only()
        .columns([
            bell::Column::ResidentId,
            bell::Column::RungAt,
            bell::Column::AcknowledgedAt,
        ])
        .filter(bell::Column::ResidentId.is_in(ids.iter().copied()))
        .filter(bell::Column::ResolvedAt.is_null())
        .into_tuple::<(i64, i64, Option<i64>)>()
        .all(tx)
        .await?
    {
        bells.entry(resident_id).or_default().push(BellRing {
            rung_at: from_millis(rung_at),
            acknowledged_at: acknowledged_at.map(from_millis),
        });
    }
    let mut out = Vec::with_capacity(rows.len());
    for i in rows {
        let Some(p) = products.iter().find(|p| p.id == i.product_id) else {
            continue;
        };
        let mut recent = check_ins.remove(&i.resident_id).unwrap_or_default();
        if recent.len() > 5 {
            recent.drain(..recent.len() - 5);
        }
        out.push(CaseloadFacts {
            entry: CaseloadEntry {
                resident_id: ResidentId::new(i.resident_id),
                resident_name: formal_name(
                    &i.family_name,
                    i.initials.as_deref(),
                    i.name_prefix.as_deref(),
                ),
                indication_id: IndicationId::new(i.id),
                product_code: p.product.code.as_str().to_owned(),
                product_name: p.product.name.clone(),
                level: p.product.level,
                start_date: i.start_date,
                end_date: i.end_date,
                professional_account_id: i.professional_account_id.map(AccountId::new),
                professional_name: i.professional_name,
            },
            municipality_code: i.municipality_code,
            team_id: i.team_id.map(TeamId::new),
            planned_scale_down: i.planned_scale_down_date,
            contact_rhythm_days: i.contact_rhythm_days.and_then(|d| u32::try_from(d).ok()),
            last_contact: i.last_contact_at.map(|ms| from_millis(ms).date_naive()),
            check_ins: recent,
            bells: bells.remove(&i.resident_id).unwrap_or_default(),
            scale_request_pending: i.scale_request_pending,
        });
    }
    out.sort_by(|a, b| {
        a.entry
            .resident_name
            .to_lowercase()
            .cmp(&b.entry.resident_name.to_lowercase())
    });
    Ok(out)
}

/// Ranks loaded facts by need of attention with the domain's signal engine
/// (highest first; ties keep the name order of `facts`). Each resident is
/// judged by the thresholds of their municipality and team.
pub fn rank(
    facts: Vec<CaseloadFacts>,
    today: NaiveDate,
    now: DateTime<Utc>,
    settings: &SignalSettings,
) -> Vec<RankedResident> {
    let mut ranked: Vec<RankedResident> = facts
        .into_iter()
        .map(|f| {
            let thresholds = settings.thresholds(&f.municipality_code, f.team_id);
            let attention = Attention::of(&f.signal_input(today, now), &thresholds);
            RankedResident {
                facts: f,
                attention,
            }
        })
        .collect();
    ranked.sort_by(|a, b| a.attention.priority(&b.attention));
    ranked
}

/// Everything the caseload start page shows, read in one transaction and
/// logged as one search.
#[derive(Clone, Debug)]
pub struct CaseloadPage {
    /// Ranked by need of attention (highest first).
    pub ranked: Vec<RankedResident>,
    /// For a team lead: running indications without a professional, apart
    /// from the ranked list.
    pub unassigned: Vec<CaseloadFacts>,
    /// Every municipality, for the filter's names.
    pub municipalities: Vec<crate::organisations::Municipality>,
    /// For a team lead: the team's professionals to assign.
    pub professionals: Vec<crate::accounts::Account>,
    /// For a team lead: the day each unassigned indication was issued, and
    /// whether it has waited longer than its threshold.
    pub waiting: HashMap<IndicationId, (NaiveDate, bool)>,
    /// For a team lead: new allocations of the provider in the intake inbox
    /// (how many, and how many of them waited too long).
    pub inbox: (u64, u64),
    /// For a professional: residents handed over to them whose hand-over
    /// note they have not read yet.
    pub handed_over: std::collections::BTreeSet<ResidentId>,
    /// What residents did that the actor has not seen yet (only residents
    /// with something new).
    pub new_activity: HashMap<ResidentId, NewActivity>,
}

/// How far back resident activity counts as new when the actor never looked
/// at the resident (or not within the access log's retention).
pub const NEW_ACTIVITY_DAYS: i64 = 30;

/// What a resident did that the actor has not seen yet: done after the
/// actor's last look at the resident's pages (their last successful read of
/// `resident:…` in the access log) and within [`NEW_ACTIVITY_DAYS`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NewActivity {
    /// A message the resident wrote.
    pub message: bool,
    /// A "Hier wil ik hulp bij" note on their plan.
    pub help: bool,
    /// A goal they proposed that is still open.
    pub proposal: bool,
}

impl NewActivity {
    pub fn any(&self) -> bool {
        self.message || self.help || self.proposal
    }
}

#[derive(Debug, FromQueryResult)]
struct ActivityRow {
    id: i64,
    seen_at: Option<i64>,
    message_at: Option<i64>,
    help_at: Option<i64>,
    proposal_at: Option<i64>,
}

/// The residents' activity the actor has not seen yet, for a whole caseload
/// in one statement (correlated look-ups on indexes, no query per resident).
pub async fn new_activity(
    cx: &Cx<'_>,
    residents: &[ResidentId],
) -> StoreResult<HashMap<ResidentId, NewActivity>> {
    let mut out = HashMap::new();
    if residents.is_empty() {
        return Ok(out);
    }
    let me = cx.actor.account_id.map_or(-1, i64::from);
    let rid = || Expr::col((resident::Entity, resident::Column::Id));
    // Written by the resident themselves (their own account).
    let by_resident = |author: Expr, of: Expr| {
        Expr::exists(
            Query::select()
                .expr(Expr::val(1))
                .from(account::Entity)
                .and_where(Expr::col((account::Entity, account::Column::Id)).eq(author))
                .and_where(Expr::col((account::Entity, account::Column::ResidentId)).eq(of))
                .to_owned(),
        )
    };
    let latest = |col: Expr, from: SelectStatement| {
        let mut q = from;
        q.expr(col.max());
        Expr::SubQuery(None, Box::new(q.into()))
    };
    let mut seen = Query::select();
    seen.from(access_log::Entity)
        .and_where(Expr::col((access_log::Entity, access_log::Column::AccountId)).eq(me))
        .and_where(
            Expr::col((access_log::Entity, access_log::Column::ResidentId))
                .equals((resident::Entity, resident::Column::Id)),
        )
        .and_where(
            Expr::col((access_log::Entity, access_log::Column::Action))
                .eq(waakvlam_domain::access::AccessAction::Read.as_str()),
        )
        .and_where(
            Expr::col((access_log::Entity, access_log::Column::Outcome))
                .eq(waakvlam_domain::access::AccessOutcome::Success.as_str()),
        )
        .and_where(Expr::col((access_log::Entity, access_log::Column::Objects)).like("resident:%"));
    let mut message = Query::select();
    message
        .from(portal_message::Entity)
        .and_where(
            Expr::col((portal_message::Entity, portal_message::Column::ResidentId))
                .equals((resident::Entity, resident::Column::Id)),
        )
        .and_where(by_resident(
            Expr::col((
                portal_message::Entity,
                portal_message::Column::AuthorAccountId,
            )),
            Expr::col((portal_message::Entity, portal_message::Column::ResidentId)),
        ));
    let mut help = Query::select();
    help.from(plan_progress::Entity)
        .and_where(
            Expr::col((plan_progress::Entity, plan_progress::Column::ResidentId))
                .equals((resident::Entity, resident::Column::Id)),
        )
        .and_where(
            Expr::col((plan_progress::Entity, plan_progress::Column::Text)).like(format!(
                "{}:%",
                crate::portal::plan::NoteKind::WantHelp.heading()
            )),
        )
        .and_where(by_resident(
            Expr::col((
                plan_progress::Entity,
                plan_progress::Column::AuthorAccountId,
            )),
            Expr::col((plan_progress::Entity, plan_progress::Column::ResidentId)),
        ));
    let mut proposal = Query::select();
    proposal
        .from(plan_proposal::Entity)
        .and_where(
            Expr::col((plan_proposal::Entity, plan_proposal::Column::ResidentId))
                .equals((resident::Entity, resident::Column::Id)),
        )
        .and_where(
            Expr::col((plan_proposal::Entity, plan_proposal::Column::Status))
                .eq(waakvlam_domain::plan::ProposalStatus::Open.as_str()),
        );
    let q = Query::select()
        .expr_as(rid(), "id")
        .expr_as(
            latest(
                Expr::col((access_log::Entity, access_log::Column::OccurredAt)),
                seen,
            ),
            "seen_at",
        )
        .expr_as(
            latest(
                Expr::col((portal_message::Entity, portal_message::Column::SentAt)),
                message,
            ),
            "message_at",
        )
        .expr_as(
            latest(
                Expr::col((plan_progress::Entity, plan_progress::Column::CreatedAt)),
                help,
            ),
            "help_at",
        )
        .expr_as(
            latest(
                Expr::col((plan_proposal::Entity, plan_proposal::Column::ProposedAt)),
                proposal,
            ),
            "proposal_at",
        )
        .from(resident::Entity)
        .and_where(rid().is_in(residents.iter().map(|r| r.get())))
        .to_owned();
    let tx = cx.conn();
    let rows = ActivityRow::find_by_statement(tx.get_database_backend().build(&q))
        .all(tx)
        .await?;
    let floor = millis(cx.now) - NEW_ACTIVITY_DAYS * 24 * 3600 * 1000;
    for r in rows {
        let after = Ord::max(r.seen_at.unwrap_or(floor), floor);
        let new = |at: Option<i64>| at.is_some_and(|at| at > after);
        let activity = NewActivity {
            message: new(r.message_at),
            help: new(r.help_at),
            proposal: new(r.proposal_at),
        };
        if activity.any() {
            out.insert(ResidentId::new(r.id), activity);
        }
    }
    Ok(out)
}

/// The caseload page for the actor: their own residents, or for a team lead
/// (`team`) the whole team with the residents waiting for a professional apart.
pub async fn page(
    cx: &Cx<'_>,
    team: Option<TeamId>,
    today: NaiveDate,
) -> StoreResult<CaseloadPage> {
    let scope = if team.is_some() {
        Scope::Team
    } else {
        Scope::Mine
    };
    let facts = load_facts(cx, scope, today, None).await?;
    cx.log_search("caseload", facts.iter().map(|f| f.entry.resident_id));
    let (unassigned, facts): (Vec<_>, Vec<_>) = facts
        .into_iter()
        .partition(|f| team.is_some() && f.entry.professional_account_id.is_none());
    let settings = crate::signals::load(cx).await?;
    let professionals = match team {
        Some(team_id) => crate::accounts::professionals_of_team(cx, team_id).await?,
        None => Vec::new(),
    };
    let mut waiting = HashMap::new();
    // A professional's own caseload has nobody waiting: no statement then.
    let waiting_rows = if unassigned.is_empty() {
        Vec::new()
    } else {
        indication::Entity::find()
            .select_only()
            .columns([
                indication::Column::Id,
                indication::Column::MunicipalityCode,
                indication::Column::CreatedAt,
            ])
            .filter(indication::Column::Id.is_in(unassigned.iter().map(|f| f.entry.indication_id)))
            .into_tuple::<(i64, String, i64)>()
            .all(cx.conn())
            .await?
    };
    for (id, municipality, created_at) in waiting_rows {
        let issued = crate::time::local_date(from_millis(created_at));
        let late = waakvlam_domain::signal::unassigned_too_long(
            issued,
            today,
            &settings.thresholds(&municipality, team),
        );
        waiting.insert(IndicationId::new(id), (issued, late));
    }
    let inbox = match team {
        Some(_) => crate::intake::waiting_count(cx, &settings).await?,
        None => (0, 0),
    };
    let handed_over = match team {
        Some(_) => std::collections::BTreeSet::new(),
        None => crate::handover::unread_residents(cx).await?,
    };
    let shown: Vec<ResidentId> = facts
        .iter()
        .map(|f| f.entry.resident_id)
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let new_activity = new_activity(cx, &shown).await?;
    let municipalities = crate::organisations::municipalities_named(
        cx,
        facts
            .iter()
            .chain(&unassigned)
            .map(|f| f.municipality_code.clone())
            .collect::<HashSet<_>>(),
    )
    .await?;
    Ok(CaseloadPage {
        ranked: rank(facts, today, cx.now, &settings),
        unassigned,
        municipalities,
        professionals,
        waiting,
        inbox,
        handed_over,
        new_activity,
    })
}
