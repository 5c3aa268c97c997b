//! Notifications: which events tell someone, how each person wants to hear
//! of them, and the time arithmetic of delivery (working hours for a bell's
//! escalation, the backoff of retries, the moment of the daily summary).
//!
//! Times here are local wall-clock times (Europe/Amsterdam, converted by the
//! store): working hours and "every morning" are about the people's day.

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Weekday};

use crate::vocab::{fluent_keys, vocabulary};

vocabulary! {
    /// What happened. A notification names only this, never whose case it is.
    pub enum EventKind {
        /// A resident rang the bell ("Ik wil hulp").
        BellRung => "bell_rung",
        /// A bell was not picked up within the working hours allowed.
        BellEscalated => "bell_escalated",
        /// A resident wrote a message.
        ResidentMessage => "resident_message",
        /// The municipality decided a scale request.
        RequestDecided => "request_decided",
        /// The municipality asks to plan a scale-down.
        ScaleDownPlanning => "scale_down_planning",
        /// A new indication arrived for the provider or a professional.
        NewAllocation => "new_allocation",
        /// A resident was handed over to another professional.
        HandOver => "hand_over",
        /// For the resident: they have a new contact person (after a hand-over).
        NewContactPerson => "new_contact_person",
    }
}

fluent_keys!(EventKind {
    BellRung => "notify-kind-bell_rung",
    BellEscalated => "notify-kind-bell_escalated",
    ResidentMessage => "notify-kind-resident_message",
    RequestDecided => "notify-kind-request_decided",
    ScaleDownPlanning => "notify-kind-scale_down_planning",
    NewAllocation => "notify-kind-new_allocation",
    HandOver => "notify-kind-hand_over",
    NewContactPerson => "notify-kind-new_contact_person",
});

impl EventKind {
    /// The kinds staff hear of (and choose for): all but the resident's own.
    pub fn for_staff() -> impl Iterator<Item = EventKind> {
        Self::ALL
            .into_iter()
            .filter(|k| *k != EventKind::NewContactPerson)
    }

    /// A call for help (and its escalation) is always sent at once: nobody
    /// can choose to hear of it tomorrow or only when they open the app.
    pub const fn always_at_once(self) -> bool {
        matches!(self, EventKind::BellRung | EventKind::BellEscalated)
    }
}

vocabulary! {
    /// How a person wants to hear of one kind of event.
    pub enum Delivery {
        /// An e-mail straight away.
        AtOnce => "at_once",
        /// One e-mail a day that counts what happened, per kind.
        DailySummary => "daily_summary",
        /// No e-mail; the notification waits in the app.
        InAppOnly => "in_app_only",
    }
}

fluent_keys!(Delivery {
    AtOnce => "notify-delivery-at_once",
    DailySummary => "notify-delivery-daily_summary",
    InAppOnly => "notify-delivery-in_app_only",
});

/// Whether `delivery` may be chosen for `kind` (bells: only at once).
pub fn allowed(kind: EventKind, delivery: Delivery) -> bool {
    !kind.always_at_once() || delivery == Delivery::AtOnce
}

/// The working day: 09:00 to 17:00, Monday to Friday. Public holidays are
/// not taken into account (as in [`crate::calendar::working_days_between`]).
pub const WORKDAY_START_HOUR: u32 = 9;
/// See [`WORKDAY_START_HOUR`].
pub const WORKDAY_END_HOUR: u32 = 17;

fn is_workday(day: NaiveDate) -> bool {
    !matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
}

fn at_hour(day: NaiveDate, hour: u32) -> NaiveDateTime {
    day.and_time(NaiveTime::from_hms_opt(hour, 0, 0).unwrap_or(NaiveTime::MIN))
}

/// The first moment at or after `t` that lies within working hours.
fn next_working_moment(t: NaiveDateTime) -> NaiveDateTime {
    let mut day = t.date();
    let mut t = t;
    loop {
        if is_workday(day) {
            let start = at_hour(day, WORKDAY_START_HOUR);
            let end = at_hour(day, WORKDAY_END_HOUR);
            if t < start {
                return start;
            }
            if t < end {
                return t;
            }
        }
        let Some(next) = day.succ_opt() else {
            return t;
        };
        day = next;
        t = at_hour(day, 0);
    }
}

/// The moment `hours` working hours after `start`: a bell rung on Friday at
/// 16:00 with 4 hours allowed is due on Monday at 12:00, not on Saturday.
/// Time outside working hours does not count; 0 hours is `start` itself.
pub fn add_working_hours(start: NaiveDateTime, hours: u32) -> NaiveDateTime {
    if hours == 0 {
        return start;
    }
    let mut remaining = TimeDelta::hours(i64::from(hours));
    let mut t = next_working_moment(start);
    loop {
        let end = at_hour(t.date(), WORKDAY_END_HOUR);
        let available = end - t;
        if remaining <= available {
            return t + remaining;
        }
        remaining -= available;
        let Some(next_day) = t.date().succ_opt() else {
            return t;
        };
        t = next_working_moment(at_hour(next_day, 0));
    }
}

/// Attempts after which a notification is given up (state failed).
pub const MAX_ATTEMPTS: u32 = 8;

/// How long to wait after the `failures`-th failed attempt (1-based): one
/// minute, doubling each time, at most six hours — an SMTP server that is
/// down for an afternoon is retried, a wrong address is not hammered.
pub fn retry_delay(failures: u32) -> TimeDelta {
    let cap = TimeDelta::hours(6);
    let exp = failures.saturating_sub(1).min(20);
    let delay = TimeDelta::minutes(1 << exp);
    delay.min(cap)
}

/// The hour of the daily summary (local time).
pub const SUMMARY_HOUR: u32 = 8;

/// When a notification for the daily summary, made at `made` (local), is
/// sent: at the next 08:00 after it, so a day's events go out together.
pub fn summary_moment(made: NaiveDateTime) -> NaiveDateTime {
    let today = at_hour(made.date(), SUMMARY_HOUR);
    if made < today {
        today
    } else {
        made.date()
            .succ_opt()
            .map_or(today, |d| at_hour(d, SUMMARY_HOUR))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|d| d.and_hms_opt(h, min, 0))
            .unwrap_or_default()
    }

    #[test]
    fn friday_afternoon_escalates_on_monday_not_over_the_weekend() {
        // 4 December 2026 is a Friday.
        let rung = at(2026, 12, 4, 16, 0);
        assert_eq!(add_working_hours(rung, 4), at(2026, 12, 7, 12, 0));
        assert_eq!(add_working_hours(rung, 1), at(2026, 12, 4, 17, 0));
        // The end of the working day counts as that day: nine hours end on Monday at 17:00.
        assert_eq!(add_working_hours(rung, 9), at(2026, 12, 7, 17, 0));
        assert_eq!(add_working_hours(rung, 10), at(2026, 12, 8, 10, 0));
    }

    #[test]
    fn time_outside_working_hours_starts_at_the_next_working_morning() {
        // Saturday evening and Tuesday 07:30.
        assert_eq!(
            add_working_hours(at(2026, 12, 5, 20, 0), 2),
            at(2026, 12, 7, 11, 0)
        );
        assert_eq!(
            add_working_hours(at(2026, 12, 8, 7, 30), 2),
            at(2026, 12, 8, 11, 0)
        );
        // After 17:00 counts from the next morning.
        assert_eq!(
            add_working_hours(at(2026, 12, 8, 18, 0), 3),
            at(2026, 12, 9, 12, 0)
        );
    }

    #[test]
    fn a_week_of_working_hours_is_a_calendar_week() {
        let rung = at(2026, 12, 2, 10, 15);
        assert_eq!(add_working_hours(rung, 40), at(2026, 12, 9, 10, 15));
        assert_eq!(add_working_hours(rung, 0), rung);
    }

    #[test]
    fn retries_back_off_and_stop_growing() {
        assert_eq!(retry_delay(1), TimeDelta::minutes(1));
        assert_eq!(retry_delay(2), TimeDelta::minutes(2));
        assert_eq!(retry_delay(4), TimeDelta::minutes(8));
        assert_eq!(retry_delay(30), TimeDelta::hours(6));
        assert!(retry_delay(0) >= TimeDelta::minutes(1));
    }

    #[test]
    fn the_summary_goes_out_the_next_morning() {
        assert_eq!(
            summary_moment(at(2026, 12, 2, 14, 0)),
            at(2026, 12, 3, 8, 0)
        );
        assert_eq!(summary_moment(at(2026, 12, 2, 6, 0)), at(2026, 12, 2, 8, 0));
    }

    #[test]
    fn bells_are_always_at_once() {
        assert!(!allowed(EventKind::BellRung, Delivery::DailySummary));
        assert!(!allowed(EventKind::BellEscalated, Delivery::InAppOnly));
        assert!(allowed(EventKind::BellRung, Delivery::AtOnce));
        assert!(allowed(EventKind::ResidentMessage, Delivery::InAppOnly));
    }
}
