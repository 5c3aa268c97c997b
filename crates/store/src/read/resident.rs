//! The read model of a resident's page as professionals work with it: what
//! matters now, the plan, one timeline, the signals of this one resident.
//! Every function checks the actor's tenant first and notes what it reads;
//! the actions on the page are in `care_record`.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use waakvlam_domain::access::AccessAction;
use waakvlam_domain::care::{ContactChannel, Initiator, RequestStatus, ScaleDirection, Urgency};
use waakvlam_domain::product::IntensityLevel;
use waakvlam_domain::signal::Attention;

use waakvlam_domain::refusal::Reason;

use crate::care_plan::ItemChange;
use crate::care_record::plan_withheld;
use crate::entity::{
    account, bell, check_in, contact, indication, plan_item, plan_progress, scale_request,
};
use crate::id::{BellId, PlanItemId, ResidentId, ScaleRequestId};
use crate::indications::Indication;
use crate::portal::plan::Proposal;
use crate::residents::Resident;
use crate::residents::visible;
use crate::{Cx, StoreError, StoreResult, catalogue, from_millis};
use waakvlam_domain::plan::{ArchiveReason, PlanItemKind};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanEntry {
    pub id: PlanItemId,
    pub kind: PlanItemKind,
    pub text: String,
    /// Who changed what when, oldest first.
    pub history: Vec<ItemChange>,
    /// Why and when it left the plan (archived entries only).
    pub archived: Option<(ArchiveReason, DateTime<Utc>)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProgressEntry {
    pub at: DateTime<Utc>,
    pub author: Option<String>,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenBell {
    pub id: BellId,
    pub rung_at: DateTime<Utc>,
    pub message: Option<String>,
    pub acknowledged_at: Option<DateTime<Utc>>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingRequest {
    pub id: ScaleRequestId,
    pub direction: ScaleDirection,
    pub product_code: Option<String>,
    pub requested_start: NaiveDate,
    pub requested_at: DateTime<Utc>,
    pub urgency: Urgency,
    pub reason: String,
}

/// What a professional sees at the top of a resident's page.
#[derive(Clone, Debug)]
pub struct ResidentFile {
    pub resident: Resident,
    /// The indications of the pathway, oldest first.
    pub indications: Vec<(Indication, String)>,
    /// The indication running today, with its product code.
    pub current: Option<(Indication, String)>,
    pub contact_person: Option<String>,
    pub last_contact: Option<DateTime<Utc>>,
    pub plan: Vec<PlanEntry>,
    /// Goals and agreements that left the plan (done or lapsed), newest first.
    pub archived: Vec<PlanEntry>,
    /// Goals the resident proposed that are not goals yet, newest first.
    pub proposals: Vec<Proposal>,
    /// The resident no longer shares their plan with this actor: `plan` and
    /// `progress` are empty, whatever the plan holds.
    pub plan_withheld: bool,
    pub progress: Vec<ProgressEntry>,
    pub open_bells: Vec<OpenBell>,
    pub pending_requests: Vec<PendingRequest>,
    /// The municipality asked the provider to plan scaling down the current
    /// indication.
    pub planning_request: Option<crate::scale_down_planning::PlanningRequest>,
}

/// Loads a resident's file (logged as one read).
pub async fn file(
    cx: &Cx<'_>,
    resident_id: ResidentId,
    today: NaiveDate,
) -> StoreResult<ResidentFile> {
    let products = catalogue::products(cx).await?;
    let file = load_file(cx, resident_id.get(), today, &products).await?;
    cx.log(
        AccessAction::Read,
        Some(resident_id),
        format!("resident:{resident_id}:file"),
    );
    Ok(file)
}

/// The plan of a resident's file, for printing (logged as a read of the plan).
pub async fn plan(
    cx: &Cx<'_>,
    resident_id: ResidentId,
    today: NaiveDate,
) -> StoreResult<ResidentFile> {
    let products = catalogue::products(cx).await?;
    let file = load_file(cx, resident_id.get(), today, &products).await?;
    cx.log(
        AccessAction::Read,
        Some(resident_id),
        format!("resident:{resident_id}:plan"),
    );
    Ok(file)
}

/// A resident's file inside a unit of work (not logged: the caller logs
/// what the page shows).
async fn load_file(
    cx: &Cx<'_>,
    resident_id: i64,
    today: NaiveDate,
    products: &[catalogue::CatalogueProduct],
) -> StoreResult<ResidentFile> {
    let actor = cx.actor;
    let tx = cx.conn();
    let resident = visible(cx, ResidentId::new(resident_id), AccessAction::Read).await?;
    let code_of = |id: i64| {
        products
            .iter()
            .find(|p| p.id == id)
            .map(|p| p.product.code.as_str().to_owned())
            .unwrap_or_default()
    };
    let indications: Vec<(Indication, String)> = indication::Entity::find()
        .filter(indication::Column::ResidentId.eq(resident_id))
        .filter(actor.tenant.indication_filter())
        .order_by_asc(indication::Column::StartDate)
        .all(tx)
        .await?
        .into_iter()
        .map(|m| {
            let code = code_of(m.product_id);
            Ok((Indication::try_from(m)?, code))
        })
        .collect::<StoreResult<_>>()?;
    let current = indications
        .iter()
        .rev()
        .find(|(i, _)| i.active_on(today))
        .cloned();
    let contact_person = match current
        .as_ref()
        .and_then(|(i, _)| i.professional_account_id)
    {
        Some(id) => account::Entity::find_by_id(id.get())
            .one(tx)
            .await?
            .map(|a| a.display_name),
        None => None,
    };
    let last_contact = contact::Entity::find()
        .filter(contact::Column::ResidentId.eq(resident_id))
        .order_by_desc(contact::Column::OccurredAt)
        .one(tx)
        .await?
        .map(|c| from_millis(c.occurred_at));
    let plan_withheld = plan_withheld(cx, ResidentId::new(resident_id)).await?;
    // Nothing of the plan is read when the resident took it away.
    let items = if plan_withheld {
        Vec::new()
    } else {
        plan_item::Entity::find()
            .filter(plan_item::Column::ResidentId.eq(resident_id))
            .order_by_asc(plan_item::Column::Position)
            .all(tx)
            .await?
    };
    let ids: Vec<i64> = items.iter().map(|p| p.id).collect();
    let mut history = crate::care_plan::history(cx, &ids).await?;
    let (mut plan, mut archived) = (Vec::new(), Vec::new());
    for p in items {
        let entry = PlanEntry {
            id: PlanItemId::new(p.id),
            kind: PlanItemKind::parse(&p.kind).unwrap_or(PlanItemKind::Goal),
            text: p.text,
            history: history.remove(&p.id).unwrap_or_default(),
            archived: p.archived_at.map(|at| {
                let reason = p
                    .archive_reason
                    .as_deref()
                    .and_then(|r| ArchiveReason::parse(r).ok())
                    .unwrap_or(ArchiveReason::Done);
                (reason, from_millis(at))
            }),
        };
        if entry.archived.is_some() {
            archived.push(entry);
        } else {
            plan.push(entry);
        }
    }
    archived.sort_by_key(|e| std::cmp::Reverse(e.archived.map(|(_, at)| at)));
    let proposals = if plan_withheld {
        Vec::new()
    } else {
        crate::portal::plan::proposals(cx, ResidentId::new(resident_id), true).await?
    };
    let progress_rows = plan_progress::Entity::find()
        .filter(plan_progress::Column::ResidentId.eq(resident_id))
        .order_by_desc(plan_progress::Column::CreatedAt)
        .limit(5)
        .all(tx)
        .await?;
    let mut progress = Vec::new();
    for p in progress_rows.into_iter().filter(|_| !plan_withheld) {
        let author = match p.author_account_id {
            Some(id) => account::Entity::find_by_id(id)
                .one(tx)
                .await?
                .map(|a| a.display_name),
            None => None,
        };
        progress.push(ProgressEntry {
            at: from_millis(p.created_at),
            author,
            text: p.text,
        });
    }
    let open_bells = bell::Entity::find()
        .filter(bell::Column::ResidentId.eq(resident_id))
        .filter(bell::Column::ResolvedAt.is_null())
        .order_by_asc(bell::Column::RungAt)
        .all(tx)
        .await?
        .into_iter()
        .map(|b| OpenBell {
            id: BellId::new(b.id),
            rung_at: from_millis(b.rung_at),
            message: b.message,
            acknowledged_at: b.acknowledged_at.map(from_millis),
        })
        .collect();
    let pending_requests = scale_request::Entity::find()
        .filter(scale_request::Column::ResidentId.eq(resident_id))
        .filter(scale_request::Column::Status.eq(RequestStatus::Pending.as_str()))
        .order_by_asc(scale_request::Column::RequestedAt)
        .all(tx)
        .await?
        .into_iter()
        .map(|r| PendingRequest {
            id: ScaleRequestId::new(r.id),
            direction: ScaleDirection::parse(&r.direction).unwrap_or(ScaleDirection::Up),
            product_code: r.requested_product_id.map(code_of),
            requested_start: r.requested_start,
            requested_at: from_millis(r.requested_at),
            urgency: Urgency::parse(&r.urgency).unwrap_or(Urgency::Normal),
            reason: r.reason,
        })
        .collect();
    let planning_request = crate::scale_down_planning::latest_for(cx, ResidentId::new(resident_id))
        .await?
        .filter(|p| {
            current
                .as_ref()
                .is_some_and(|(i, _)| i.id == p.indication_id)
        });
    Ok(ResidentFile {
        resident,
        indications,
        current,
        contact_person,
        last_contact,
        plan,
        archived,
        proposals,
        plan_withheld,
        progress,
        open_bells,
        pending_requests,
        planning_request,
    })
}

/// One event in a resident's timeline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TimelineEvent {
    Contact {
        channel: ContactChannel,
        initiator: Initiator,
        by: Option<String>,
        duration_minutes: Option<i32>,
        wellbeing: Option<i16>,
        note: Option<String>,
    },
    CheckIn {
        wellbeing: i16,
        note: Option<String>,
    },
    BellRung {
        message: Option<String>,
    },
    BellAcknowledged {
        by: Option<String>,
        minutes_to_acknowledge: i64,
    },
    BellResolved {
        by: Option<String>,
        resolution: Option<String>,
    },
    IndicationStarted {
        product_code: String,
        end: Option<NaiveDate>,
    },
    IndicationEnded {
        product_code: String,
    },
    Request {
        direction: ScaleDirection,
        status: RequestStatus,
        reason: String,
    },
    PlanChanged {
        text: String,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimelineItem {
    pub at: DateTime<Utc>,
    pub event: TimelineEvent,
}

/// A page of a resident's timeline: what happened, newest first, apart from
/// what is planned (dated after now, e.g. a successor indication that starts
/// next month), soonest first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Timeline {
    /// What is planned; only on the first page.
    pub planned: Vec<TimelineItem>,
    /// What happened, newest first.
    pub happened: Vec<TimelineItem>,
    /// Whether an older page exists.
    pub more: bool,
}

/// A page of the timeline: `page` counts from 0. Logged as a read.
pub async fn timeline(
    cx: &Cx<'_>,
    resident_id: ResidentId,
    page: u64,
    per_page: u64,
) -> StoreResult<Timeline> {
    visible(cx, resident_id, AccessAction::Read).await?;
    let products = catalogue::products(cx).await?;
    let timeline = load_timeline(cx, resident_id.get(), page, per_page, &products).await?;
    cx.log(
        AccessAction::Read,
        Some(resident_id),
        format!("resident:{resident_id}:timeline:{page}"),
    );
    Ok(timeline)
}

/// The last timeline page that can be asked for (counting from 0), and the
/// most events on one page.
pub const MAX_TIMELINE_PAGE: u64 = 499;
pub const MAX_PER_PAGE: u64 = 100;

/// A page of the timeline inside a unit of work that checked the resident
/// is visible (not logged).
async fn load_timeline(
    cx: &Cx<'_>,
    resident_id: i64,
    page: u64,
    per_page: u64,
    products: &[catalogue::CatalogueProduct],
) -> StoreResult<Timeline> {
    // Deeper pages cost more (each source reads up to the page asked for):
    // a bound keeps every page cheap and the arithmetic below in range.
    if page > MAX_TIMELINE_PAGE || !(1..=MAX_PER_PAGE).contains(&per_page) {
        return Err(StoreError::refuse_with(
            "page",
            Reason::new("page-range").with("max", MAX_TIMELINE_PAGE + 1),
        ));
    }
    let actor = cx.actor;
    let tx = cx.conn();
    // Each source contributes at most what the requested page could show.
    let need = (page + 1) * per_page + 1;
    let contacts = contact::Entity::find()
        .filter(contact::Column::ResidentId.eq(resident_id))
        .order_by_desc(contact::Column::OccurredAt)
        .limit(need)
        .all(tx)
        .await?;
    let bells = bell::Entity::find()
        .filter(bell::Column::ResidentId.eq(resident_id))
        .order_by_desc(bell::Column::RungAt)
        .limit(need)
        .all(tx)
        .await?;
    // Only the names these rows mention, not every account.
    let ids = contacts
        .iter()
        .filter_map(|c| c.professional_account_id)
        .chain(
            bells
                .iter()
                .flat_map(|b| [b.acknowledged_by, b.resolved_by])
                .flatten(),
        )
        .collect();
    let names = crate::accounts::display_names(cx, ids).await?;
    let name = |id: Option<i64>| id.and_then(|id| names.get(&id).cloned());
    let mut items = Vec::new();
    for c in contacts {
        items.push(TimelineItem {
            at: from_millis(c.occurred_at),
            event: TimelineEvent::Contact {
                channel: ContactChannel::parse(&c.channel).unwrap_or(ContactChannel::Phone),
                initiator: Initiator::parse(&c.initiator).unwrap_or(Initiator::Professional),
                by: name(c.professional_account_id),
                duration_minutes: c.duration_minutes,
                wellbeing: c.wellbeing,
                note: c.note,
            },
        });
    }
    for c in check_in::Entity::find()
        .filter(check_in::Column::ResidentId.eq(resident_id))
        .order_by_desc(check_in::Column::SubmittedAt)
        .limit(need)
        .all(tx)
        .await?
    {
        items.push(TimelineItem {
            at: from_millis(c.submitted_at),
            event: TimelineEvent::CheckIn {
                wellbeing: c.wellbeing,
                note: c.note,
            },
        });
    }
    for b in bells {
        items.push(TimelineItem {
            at: from_millis(b.rung_at),
            event: TimelineEvent::BellRung {
                message: b.message.clone(),
            },
        });
        if let Some(at) = b.acknowledged_at {
            items.push(TimelineItem {
                at: from_millis(at),
                event: TimelineEvent::BellAcknowledged {
                    by: name(b.acknowledged_by),
                    minutes_to_acknowledge: (at - b.rung_at) / 60_000,
                },
            });
        }
        if let Some(at) = b.resolved_at {
            items.push(TimelineItem {
                at: from_millis(at),
                event: TimelineEvent::BellResolved {
                    by: name(b.resolved_by),
                    resolution: b.resolution.clone(),
                },
            });
        }
    }
    let code_of = |id: i64| {
        products
            .iter()
            .find(|p| p.id == id)
            .map(|p| p.product.code.as_str().to_owned())
            .unwrap_or_default()
    };
    let midnight = |d: NaiveDate| {
        chrono::TimeZone::from_utc_datetime(&Utc, &d.and_hms_opt(0, 0, 0).unwrap_or_default())
    };
    for i in indication::Entity::find()
        .filter(indication::Column::ResidentId.eq(resident_id))
        .filter(actor.tenant.indication_filter())
        .all(tx)
        .await?
    {
        items.push(TimelineItem {
            at: midnight(i.start_date),
            event: TimelineEvent::IndicationStarted {
                product_code: code_of(i.product_id),
                end: i.end_date,
            },
        });
        if let (Some(end), Some(_)) = (i.end_date, i.end_reason.as_ref()) {
            items.push(TimelineItem {
                at: midnight(end),
                event: TimelineEvent::IndicationEnded {
                    product_code: code_of(i.product_id),
                },
            });
        }
    }
    for r in scale_request::Entity::find()
        .filter(scale_request::Column::ResidentId.eq(resident_id))
        .order_by_desc(scale_request::Column::RequestedAt)
        .limit(need)
        .all(tx)
        .await?
    {
        items.push(TimelineItem {
            at: from_millis(r.requested_at),
            event: TimelineEvent::Request {
                direction: ScaleDirection::parse(&r.direction).unwrap_or(ScaleDirection::Up),
                status: RequestStatus::parse(&r.status).unwrap_or(RequestStatus::Pending),
                reason: r.reason,
            },
        });
    }
    let withheld = plan_withheld(cx, ResidentId::new(resident_id)).await?;
    for p in plan_item::Entity::find()
        .filter(plan_item::Column::ResidentId.eq(resident_id))
        .order_by_desc(plan_item::Column::UpdatedAt)
        .limit(need)
        .all(tx)
        .await?
    {
        if !withheld {
            items.push(TimelineItem {
                at: from_millis(p.updated_at),
                event: TimelineEvent::PlanChanged { text: p.text },
            });
        }
    }
    let now = cx.now;
    let (mut planned, mut items): (Vec<_>, Vec<_>) = items.into_iter().partition(|i| i.at > now);
    planned.sort_by_key(|i| i.at);
    if page > 0 {
        planned.clear();
    }
    items.sort_by_key(|i| std::cmp::Reverse(i.at));
    let start = usize::try_from(page * per_page).unwrap_or(usize::MAX);
    let end = usize::try_from((page + 1) * per_page).unwrap_or(usize::MAX);
    let more = items.len() > end;
    let happened = items
        .into_iter()
        .skip(start)
        .take(end.saturating_sub(start))
        .collect();
    Ok(Timeline {
        planned,
        happened,
        more,
    })
}

/// Everything a professional's page of one resident shows, read in one
/// transaction and logged as one access-log entry.
#[derive(Clone, Debug)]
pub struct ResidentPage {
    pub file: ResidentFile,
    pub timeline: Timeline,
    /// The current indication's product level (as the catalogue has it).
    pub current_level: Option<IntensityLevel>,
    /// The signals of the current indication, judged by the thresholds of
    /// its municipality and team (the caseload's engine, for this one
    /// resident); `None` without a running indication on a caseload.
    pub attention: Option<Attention>,
    /// The contact rhythm contact is checked against when none was agreed.
    pub default_rhythm_days: Option<u32>,
    /// The products of the catalogue, for the scale-up or -down form.
    pub products: Vec<catalogue::CatalogueProduct>,
    /// The resident's message thread, oldest first.
    pub messages: Vec<crate::portal::Message>,
    /// Until when a portal activation code for the resident is waiting.
    pub activation_code_waiting: Option<DateTime<Utc>>,
    /// Hand-over notes to the acting professional not yet marked read:
    /// shown first on the page.
    pub handover_notes: Vec<crate::handover::Note>,
}

/// The resident's page for the actor: one read, one access-log entry.
pub async fn page(
    cx: &Cx<'_>,
    resident: ResidentId,
    today: NaiveDate,
    page: u64,
    per_page: u64,
) -> StoreResult<ResidentPage> {
    let resident_id = resident.get();
    // The catalogue once, for the file, the timeline and the scale form.
    let products = catalogue::products(cx).await?;
    let file = load_file(cx, resident_id, today, &products).await?;
    let timeline = load_timeline(cx, resident_id, page, per_page, &products).await?;
    let settings = crate::signals::load(cx).await?;
    let (mut current_level, mut default_rhythm_days, mut attention) = (None, None, None);
    if let Some((current, _)) = &file.current {
        let product = products
            .iter()
            .find(|p| current.product_id == p.id)
            .ok_or(StoreError::NotFound { what: "product" })?;
        let thresholds = settings.thresholds(&current.municipality_code, current.team_id);
        current_level = Some(product.product.level);
        default_rhythm_days = thresholds
            .rhythm(product.product.level, None)
            .map(|r| r.days);
        attention = crate::read::caseload::facts_of_resident(cx, resident, today)
            .await?
            .iter()
            .find(|f| f.entry.indication_id == current.id)
            .map(|f| Attention::of(&f.signal_input(today, cx.now), &thresholds));
    }
    let messages = crate::portal::message::thread(cx, resident).await?;
    let activation_code_waiting = crate::activation::waiting_for_resident(cx, resident).await?;
    let handover_notes = crate::handover::unread(cx, resident).await?;
    cx.log(
        AccessAction::Read,
        Some(resident),
        format!("resident:{resident_id}:page:{page}"),
    );
    Ok(ResidentPage {
        file,
        timeline,
        current_level,
        attention,
        default_rhythm_days,
        products,
        messages,
        activation_code_waiting,
        handover_notes,
    })
}
