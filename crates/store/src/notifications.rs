//! Notifications (issue 12): the outbox, each person's choice per kind of
//! event, the in-app list, the delivery worker's claim, and the escalation of
//! bells nobody picked up.
//!
//! An event and its notification are written by the same unit of work
//! ([`enqueue`] takes the event's `cx`), so a rolled-back event leaves no
//! notification and a committed one always has it. A row holds only the kind
//! of event and a link into the application (`/clients/17`): e-mail is not a
//! safe channel, so nothing of the resident (name, BSN, what they wrote) is
//! ever put in it.
//!
//! Delivery (`waakvlam notify run`, and a task inside `serve`) claims due
//! rows with [`claim`]: one UPDATE that takes rows nobody holds and leases
//! them to the worker ([`LEASE`]). On PostgreSQL its sub-select locks with
//! `FOR UPDATE SKIP LOCKED`, so concurrent workers on one database take
//! disjoint rows and never send a message twice; on SQLite the statement runs
//! in a write transaction, which SQLite serialises (sea-query leaves the lock
//! clause out there). After sending, [`mark_sent`] / [`mark_failed`] record the
//! outcome, only for rows the worker still holds.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveDateTime, TimeDelta, TimeZone, Utc};
use chrono_tz::Europe::Amsterdam;
use sea_orm::sea_query::{Expr, ExprTrait, LockBehavior, LockType, Query};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use waakvlam_domain::access::AccessAction;
use waakvlam_domain::notification::{self, Delivery, EventKind, MAX_ATTEMPTS};
use waakvlam_domain::role::Role;

use crate::entity::{
    account, bell, indication, notification as row, notification_preference as pref, resident, team,
};
use crate::{
    AccountId, Cx, NotificationId, ProviderId, ResidentId, StoreError, StoreResult, TeamId,
    from_millis, millis, signals,
};

/// How long a worker holds the rows it claimed: long enough to send them,
/// short enough that a crashed worker's rows are retried soon.
pub const LEASE: TimeDelta = TimeDelta::minutes(5);

/// Where a notification stands.
pub mod state {
    /// Waiting to be mailed (now, or at its summary moment).
    pub const PENDING: &str = "pending";
    /// Mailed.
    pub const SENT: &str = "sent";
    /// Given up after [`waakvlam_domain::notification::MAX_ATTEMPTS`].
    pub const FAILED: &str = "failed";
    /// Only in the app, never mailed (the recipient's choice).
    pub const IN_APP: &str = "in_app";
}

fn local(at: DateTime<Utc>) -> NaiveDateTime {
    at.with_timezone(&Amsterdam).naive_local()
}

fn utc(at: NaiveDateTime) -> DateTime<Utc> {
    // A local time skipped by the clock change is taken an hour later.
    Amsterdam
        .from_local_datetime(&at)
        .earliest()
        .or_else(|| {
            Amsterdam
                .from_local_datetime(&(at + TimeDelta::hours(1)))
                .earliest()
        })
        .map_or_else(|| at.and_utc(), |t| t.with_timezone(&Utc))
}

/// The delivery `account` chose for `kind` (at once when they chose nothing;
/// always at once for bells).
async fn delivery_of(cx: &Cx<'_>, account: AccountId, kind: EventKind) -> StoreResult<Delivery> {
    if kind.always_at_once() {
        return Ok(Delivery::AtOnce);
    }
    let chosen = pref::Entity::find()
        .filter(pref::Column::AccountId.eq(account))
        .filter(pref::Column::Kind.eq(kind.as_str()))
        .one(cx.conn())
        .await?;
    Ok(chosen
        .and_then(|p| Delivery::parse(&p.delivery).ok())
        .unwrap_or(Delivery::AtOnce))
}

/// Writes a notification for `recipient` into the outbox, in the unit of
/// work of the event it tells of (the caller's `cx`). `link` is a path in
/// the application (`/clients/17`); it must not carry care content. An
/// inactive account, or the actor themselves, is not notified (`None`).
///
/// This is the function to call for kinds without their own hook, such as
/// [`EventKind::HandOver`]: `enqueue(cx, new_professional, EventKind::HandOver,
/// &format!("/clients/{resident}"))`.
pub async fn enqueue(
    cx: &Cx<'_>,
    recipient: AccountId,
    kind: EventKind,
    link: &str,
) -> StoreResult<Option<NotificationId>> {
    let Some(row) = prepare(cx, recipient, kind, link).await? else {
        return Ok(None);
    };
    let m = row.insert(cx.conn()).await?;
    Ok(Some(NotificationId::new(m.id)))
}

/// The outbox row [`enqueue`] writes, not yet written (so that many can be
/// written at once: `iwmo::bulk`); `None` when nobody is to be told.
pub(crate) async fn prepare(
    cx: &Cx<'_>,
    recipient: AccountId,
    kind: EventKind,
    link: &str,
) -> StoreResult<Option<row::ActiveModel>> {
    if cx.actor.account_id == Some(recipient) {
        return Ok(None);
    }
    if !link.starts_with('/') || link.len() > 200 {
        return Err(StoreError::Internal(format!(
            "a notification links to a path in the application, not {link:?}"
        )));
    }
    let active = account::Entity::find_by_id(recipient.get())
        .filter(account::Column::Active.eq(true))
        .one(cx.conn())
        .await?
        .is_some();
    if !active {
        return Ok(None);
    }
    let delivery = delivery_of(cx, recipient, kind).await?;
    let (state, next) = match delivery {
        Delivery::AtOnce => {
            cx.wake_outbox_after_commit();
            (state::PENDING, cx.now)
        }
        Delivery::DailySummary => (
            state::PENDING,
            utc(notification::summary_moment(local(cx.now))),
        ),
        Delivery::InAppOnly => (state::IN_APP, cx.now),
    };
    Ok(Some(row::ActiveModel {
        account_id: Set(recipient.get()),
        kind: Set(kind.as_str().to_owned()),
        link: Set(link.to_owned()),
        delivery: Set(delivery.as_str().to_owned()),
        state: Set(state.to_owned()),
        attempts: Set(0),
        next_attempt_at: Set(millis(next)),
        created_at: Set(millis(cx.now)),
        ..Default::default()
    }))
}

/// [`enqueue`] for each of `recipients`.
pub async fn enqueue_all(
    cx: &Cx<'_>,
    recipients: &[AccountId],
    kind: EventKind,
    link: &str,
) -> StoreResult<()> {
    for r in recipients {
        enqueue(cx, *r, kind, link).await?;
    }
    Ok(())
}

/// Active team leads of `teams`.
async fn leads_of_teams(cx: &Cx<'_>, teams: &BTreeSet<i64>) -> StoreResult<Vec<AccountId>> {
    if teams.is_empty() {
        return Ok(Vec::new());
    }
    Ok(account::Entity::find()
        .filter(account::Column::Active.eq(true))
        .filter(account::Column::Role.eq(Role::TeamLead.as_str()))
        .filter(account::Column::TeamId.is_in(teams.iter().copied()))
        .order_by_asc(account::Column::Id)
        .all(cx.conn())
        .await?
        .into_iter()
        .map(|a| AccountId::new(a.id))
        .collect())
}

/// Active team leads of any team of `provider`: who divides its intake inbox.
pub async fn provider_leads(cx: &Cx<'_>, provider: ProviderId) -> StoreResult<Vec<AccountId>> {
    let teams = team::Entity::find()
        .filter(team::Column::ProviderId.eq(provider))
        .all(cx.conn())
        .await?
        .into_iter()
        .map(|t| t.id)
        .collect();
    leads_of_teams(cx, &teams).await
}

/// The resident's indications that still run, newest first.
async fn running(cx: &Cx<'_>, resident: ResidentId) -> StoreResult<Vec<indication::Model>> {
    Ok(indication::Entity::find()
        .filter(indication::Column::ResidentId.eq(resident))
        .filter(indication::Column::EndReason.is_null())
        .filter(
            sea_orm::Condition::any()
                .add(indication::Column::EndDate.is_null())
                .add(indication::Column::EndDate.gte(cx.today())),
        )
        .order_by_desc(indication::Column::StartDate)
        .order_by_desc(indication::Column::Id)
        .all(cx.conn())
        .await?)
}

/// The team leads of the teams that carry the resident's running
/// indications, else of their providers.
pub async fn resident_leads(cx: &Cx<'_>, resident: ResidentId) -> StoreResult<Vec<AccountId>> {
    let running = running(cx, resident).await?;
    let teams = running.iter().filter_map(|i| i.team_id).collect();
    let leads = leads_of_teams(cx, &teams).await?;
    if !leads.is_empty() {
        return Ok(leads);
    }
    let mut all = Vec::new();
    let providers: BTreeSet<i64> = running.iter().map(|i| i.provider_id).collect();
    for p in providers {
        for a in provider_leads(cx, ProviderId::new(p)).await? {
            if !all.contains(&a) {
                all.push(a);
            }
        }
    }
    Ok(all)
}

/// Who hears of something the resident did: their professional(s), or,
/// when nobody is assigned yet, the team leads ([`resident_leads`]).
pub async fn care_recipients(cx: &Cx<'_>, resident: ResidentId) -> StoreResult<Vec<AccountId>> {
    let running = running(cx, resident).await?;
    let professionals: BTreeSet<i64> = running
        .iter()
        .filter_map(|i| i.professional_account_id)
        .collect();
    let active: Vec<AccountId> = if professionals.is_empty() {
        Vec::new()
    } else {
        account::Entity::find()
            .filter(account::Column::Active.eq(true))
            .filter(account::Column::Id.is_in(professionals))
            .order_by_asc(account::Column::Id)
            .all(cx.conn())
            .await?
            .into_iter()
            .map(|a| AccountId::new(a.id))
            .collect()
    };
    if !active.is_empty() {
        return Ok(active);
    }
    resident_leads(cx, resident).await
}

/// Notifies whoever cares for `resident` of `kind`, linking to their file.
pub(crate) async fn tell_care_team(
    cx: &Cx<'_>,
    resident: ResidentId,
    kind: EventKind,
) -> StoreResult<()> {
    let recipients = care_recipients(cx, resident).await?;
    enqueue_all(cx, &recipients, kind, &format!("/clients/{resident}")).await
}

// ---------------------------------------------------------------------------
// Preferences
// ---------------------------------------------------------------------------

fn own_account(cx: &Cx<'_>, action: AccessAction) -> StoreResult<AccountId> {
    cx.actor
        .account_id
        .ok_or_else(|| cx.deny(action, None, "notification_preference"))
}

/// The acting account's choice for every kind of event staff hear of, in
/// the order of [`EventKind::ALL`].
pub async fn preferences(cx: &Cx<'_>) -> StoreResult<Vec<(EventKind, Delivery)>> {
    let me = own_account(cx, AccessAction::Read)?;
    let mut out = Vec::new();
    for kind in EventKind::for_staff() {
        out.push((kind, delivery_of(cx, me, kind).await?));
    }
    Ok(out)
}

/// Saves the acting account's choices. A bell (or its escalation) cannot be
/// put off: anything but "at once" is refused at its field (the kind's name).
pub async fn set_preferences(cx: &Cx<'_>, choices: &[(EventKind, Delivery)]) -> StoreResult<()> {
    let me = own_account(cx, AccessAction::Update)?;
    let refused: Vec<_> = choices
        .iter()
        .filter(|(k, d)| !notification::allowed(*k, *d))
        .map(|(k, _)| waakvlam_domain::refusal::Refusal::because(k.as_str(), "notify-bell-at-once"))
        .collect();
    if !refused.is_empty() {
        return Err(StoreError::Invalid(refused));
    }
    let now = millis(cx.now);
    for (kind, delivery) in choices {
        let existing = pref::Entity::find()
            .filter(pref::Column::AccountId.eq(me))
            .filter(pref::Column::Kind.eq(kind.as_str()))
            .one(cx.conn())
            .await?;
        match existing {
            Some(p) if p.delivery == delivery.as_str() => {}
            Some(p) => {
                let mut am: pref::ActiveModel = p.into();
                am.delivery = Set(delivery.as_str().to_owned());
                am.updated_at = Set(now);
                am.update(cx.conn()).await?;
            }
            None => {
                pref::ActiveModel {
                    account_id: Set(me.get()),
                    kind: Set(kind.as_str().to_owned()),
                    delivery: Set(delivery.as_str().to_owned()),
                    updated_at: Set(now),
                    ..Default::default()
                }
                .insert(cx.conn())
                .await?;
            }
        }
    }
    cx.log(
        AccessAction::Update,
        None,
        format!("notification_preference:account:{me}"),
    );
    Ok(())
}

// ---------------------------------------------------------------------------
// In the app
// ---------------------------------------------------------------------------

/// A notification as its recipient sees it in the app.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notification {
    pub id: NotificationId,
    pub kind: EventKind,
    pub link: String,
    pub created_at: DateTime<Utc>,
    pub read: bool,
    /// Mailed at (none: not mailed, or not yet).
    pub sent_at: Option<DateTime<Utc>>,
    pub state: String,
}

fn to_notification(m: row::Model) -> Option<Notification> {
    Some(Notification {
        id: NotificationId::new(m.id),
        kind: EventKind::parse(&m.kind).ok()?,
        link: m.link,
        created_at: from_millis(m.created_at),
        read: m.read_at.is_some(),
        sent_at: m.sent_at.map(from_millis),
        state: m.state,
    })
}

/// The acting account's latest 100 notifications, newest first.
pub async fn list(cx: &Cx<'_>) -> StoreResult<Vec<Notification>> {
    let me = own_account(cx, AccessAction::Read)?;
    let rows = row::Entity::find()
        .filter(row::Column::AccountId.eq(me))
        .order_by_desc(row::Column::CreatedAt)
        .order_by_desc(row::Column::Id)
        .limit(100)
        .all(cx.conn())
        .await?;
    cx.log(
        AccessAction::Read,
        None,
        format!("notification:account:{me}"),
    );
    Ok(rows.into_iter().filter_map(to_notification).collect())
}

/// How many of the acting account's notifications are unread (0 for an
/// actor without an account).
pub async fn unread_count(cx: &Cx<'_>) -> StoreResult<u64> {
    let Some(me) = cx.actor.account_id else {
        return Ok(0);
    };
    use sea_orm::PaginatorTrait;
    Ok(row::Entity::find()
        .filter(row::Column::AccountId.eq(me))
        .filter(row::Column::ReadAt.is_null())
        .count(cx.conn())
        .await?)
}

/// Marks one of the acting account's notifications read and gives its link;
/// another's is not found.
pub async fn mark_read(cx: &Cx<'_>, id: NotificationId) -> StoreResult<String> {
    let me = own_account(cx, AccessAction::Update)?;
    let found = row::Entity::find_by_id(id.get())
        .filter(row::Column::AccountId.eq(me))
        .one(cx.conn())
        .await?;
    let Some(found) = found else {
        return Err(cx.not_found(
            AccessAction::Update,
            None,
            format!("notification:{id}"),
            "notification",
        ));
    };
    let link = found.link.clone();
    if found.read_at.is_none() {
        let mut am: row::ActiveModel = found.into();
        am.read_at = Set(Some(millis(cx.now)));
        am.update(cx.conn()).await?;
    }
    Ok(link)
}

/// Marks all of the acting account's notifications read.
pub async fn mark_all_read(cx: &Cx<'_>) -> StoreResult<u64> {
    let me = own_account(cx, AccessAction::Update)?;
    let res = row::Entity::update_many()
        .col_expr(row::Column::ReadAt, Expr::value(millis(cx.now)))
        .filter(row::Column::AccountId.eq(me))
        .filter(row::Column::ReadAt.is_null())
        .exec(cx.conn())
        .await?;
    Ok(res.rows_affected)
}

// ---------------------------------------------------------------------------
// Delivery
// ---------------------------------------------------------------------------

/// A row the worker holds, with what it needs to send it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Claimed {
    pub id: NotificationId,
    pub account_id: AccountId,
    /// The recipient's e-mail address.
    pub email: String,
    pub kind: EventKind,
    pub link: String,
    pub delivery: Delivery,
    /// Attempts before this one.
    pub attempts: u32,
}

/// Claims up to `limit` due notifications for `worker` (leased for
/// [`LEASE`]), oldest first. Run it in a unit of work of its own and send
/// after it committed: the lease, not an open transaction, keeps other
/// workers off the rows while the mail is on its way.
pub async fn claim(cx: &Cx<'_>, worker: &str, limit: u64) -> StoreResult<Vec<Claimed>> {
    let now = millis(cx.now);
    let due = Query::select()
        .column(row::Column::Id)
        .from(row::Entity)
        .and_where(row::Column::State.eq(state::PENDING))
        .and_where(row::Column::NextAttemptAt.lte(now))
        .and_where(
            row::Column::ClaimedUntil
                .is_null()
                .or(row::Column::ClaimedUntil.lte(now)),
        )
        .order_by(row::Column::NextAttemptAt, sea_orm::Order::Asc)
        .order_by(row::Column::Id, sea_orm::Order::Asc)
        .limit(limit)
        // PostgreSQL: rows another worker is claiming are skipped, not
        // waited for; SQLite has no row locks and serialises writers.
        .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
        .to_owned();
    let update = Query::update()
        .table(row::Entity)
        .value(row::Column::ClaimedBy, worker)
        .value(row::Column::ClaimedUntil, millis(cx.now + LEASE))
        .and_where(row::Column::Id.in_subquery(due))
        .returning_col(row::Column::Id)
        .to_owned();
    let mut ids = Vec::new();
    for r in cx.conn().query_all(&update).await? {
        ids.push(r.try_get::<i64>("", "id")?);
    }
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows = row::Entity::find()
        .filter(row::Column::Id.is_in(ids))
        .order_by_asc(row::Column::NextAttemptAt)
        .order_by_asc(row::Column::Id)
        .all(cx.conn())
        .await?;
    let accounts: BTreeSet<i64> = rows.iter().map(|r| r.account_id).collect();
    let emails: BTreeMap<i64, String> = account::Entity::find()
        .filter(account::Column::Id.is_in(accounts))
        .all(cx.conn())
        .await?
        .into_iter()
        .map(|a| (a.id, a.email))
        .collect();
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(Claimed {
                id: NotificationId::new(r.id),
                account_id: AccountId::new(r.account_id),
                email: emails.get(&r.account_id)?.clone(),
                kind: EventKind::parse(&r.kind).ok()?,
                link: r.link,
                delivery: Delivery::parse(&r.delivery).unwrap_or(Delivery::AtOnce),
                attempts: u32::try_from(r.attempts).unwrap_or(0),
            })
        })
        .collect())
}

/// Records that `worker` sent these notifications.
pub async fn mark_sent(cx: &Cx<'_>, worker: &str, ids: &[NotificationId]) -> StoreResult<u64> {
    let res = row::Entity::update_many()
        .col_expr(row::Column::State, Expr::value(state::SENT))
        .col_expr(row::Column::SentAt, Expr::value(millis(cx.now)))
        .col_expr(
            row::Column::Attempts,
            Expr::col(row::Column::Attempts).add(1),
        )
        .col_expr(row::Column::ClaimedBy, Expr::value(None::<String>))
        .col_expr(row::Column::ClaimedUntil, Expr::value(None::<i64>))
        .col_expr(row::Column::LastError, Expr::value(None::<String>))
        .filter(row::Column::Id.is_in(ids.iter().map(|i| i.get())))
        .filter(row::Column::ClaimedBy.eq(worker))
        .filter(row::Column::State.eq(state::PENDING))
        .exec(cx.conn())
        .await?;
    Ok(res.rows_affected)
}

/// Records a failed attempt of `worker`: retried after
/// [`notification::retry_delay`], given up after [`MAX_ATTEMPTS`]. Returns
/// whether a notification was given up.
pub async fn mark_failed(
    cx: &Cx<'_>,
    worker: &str,
    id: NotificationId,
    error: &str,
) -> StoreResult<bool> {
    let Some(found) = row::Entity::find_by_id(id.get())
        .filter(row::Column::ClaimedBy.eq(worker))
        .filter(row::Column::State.eq(state::PENDING))
        .one(cx.conn())
        .await?
    else {
        return Ok(false);
    };
    let attempts = u32::try_from(found.attempts).unwrap_or(0) + 1;
    let given_up = attempts >= MAX_ATTEMPTS;
    let mut am: row::ActiveModel = found.into();
    am.attempts = Set(i32::try_from(attempts).unwrap_or(i32::MAX));
    am.claimed_by = Set(None);
    am.claimed_until = Set(None);
    // An SMTP answer can be long; the start says what went wrong.
    am.last_error = Set(Some(error.chars().take(500).collect()));
    if given_up {
        am.state = Set(state::FAILED.to_owned());
    } else {
        am.next_attempt_at = Set(millis(cx.now + notification::retry_delay(attempts)));
    }
    am.update(cx.conn()).await?;
    Ok(given_up)
}

/// The outbox at a glance (for `notify run` and the start page).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Outbox {
    /// Waiting to be mailed and due now.
    pub due: u64,
    /// Given up.
    pub failed: u64,
}

pub async fn outbox(cx: &Cx<'_>) -> StoreResult<Outbox> {
    use sea_orm::PaginatorTrait;
    let due = row::Entity::find()
        .filter(row::Column::State.eq(state::PENDING))
        .filter(row::Column::NextAttemptAt.lte(millis(cx.now)))
        .count(cx.conn())
        .await?;
    let failed = row::Entity::find()
        .filter(row::Column::State.eq(state::FAILED))
        .count(cx.conn())
        .await?;
    Ok(Outbox { due, failed })
}

// ---------------------------------------------------------------------------
// Escalation
// ---------------------------------------------------------------------------

/// Escalates every open bell that nobody picked up within its team's
/// `bell_escalation_working_hours` (working hours, Monday to Friday): its
/// team leads are told as well. Each bell is escalated once, also with
/// several workers at a time (the bell is marked in the same statement that
/// decides it). Returns how many bells were escalated.
pub async fn escalate_due(cx: &Cx<'_>) -> StoreResult<usize> {
    let open = bell::Entity::find()
        .filter(bell::Column::AcknowledgedAt.is_null())
        .filter(bell::Column::ResolvedAt.is_null())
        .filter(bell::Column::EscalatedAt.is_null())
        .order_by_asc(bell::Column::RungAt)
        .all(cx.conn())
        .await?;
    if open.is_empty() {
        return Ok(0);
    }
    let settings = signals::load(cx).await?;
    let now = cx.now;
    let mut escalated = 0;
    for b in open {
        let resident_id = ResidentId::new(b.resident_id);
        let Some(r) = resident::Entity::find_by_id(b.resident_id)
            .one(cx.conn())
            .await?
        else {
            continue;
        };
        let team = running(cx, resident_id)
            .await?
            .iter()
            .find_map(|i| i.team_id)
            .map(TeamId::new);
        let hours = settings
            .thresholds(&r.municipality_code, team)
            .bell_escalation_working_hours;
        let due = utc(notification::add_working_hours(
            local(from_millis(b.rung_at)),
            hours,
        ));
        if now < due {
            continue;
        }
        let res = bell::Entity::update_many()
            .col_expr(bell::Column::EscalatedAt, Expr::value(millis(now)))
            .filter(bell::Column::Id.eq(b.id))
            .filter(bell::Column::EscalatedAt.is_null())
            .filter(bell::Column::AcknowledgedAt.is_null())
            .exec(cx.conn())
            .await?;
        if res.rows_affected != 1 {
            continue;
        }
        let leads = resident_leads(cx, resident_id).await?;
        enqueue_all(
            cx,
            &leads,
            EventKind::BellEscalated,
            &format!("/clients/{resident_id}"),
        )
        .await?;
        escalated += 1;
    }
    Ok(escalated)
}

/// Deletes every notification: what a seeded history produced is not news
/// for anyone (the demo seed calls it; only the system may).
pub async fn forget_seeded(cx: &Cx<'_>) -> StoreResult<u64> {
    if cx.actor.tenant != crate::Tenant::System {
        return Err(cx.deny(AccessAction::Delete, None, "notification"));
    }
    Ok(row::Entity::delete_many()
        .exec(cx.conn())
        .await?
        .rows_affected)
}
