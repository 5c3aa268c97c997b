//! Time as a dependency. The domain never reads the system clock; callers
//! pass a [`Clock`], so tests and demos can fix or move time.

use std::sync::{Mutex, PoisonError};

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};

/// A source of the current time.
pub trait Clock: Send + Sync + 'static {
    /// The current instant.
    fn now(&self) -> DateTime<Utc>;

    /// Today's date in UTC. Dutch local dates need a time zone, which is the
    /// web layer's business (chrono-tz is not a domain dependency).
    fn today(&self) -> NaiveDate {
        self.now().date_naive()
    }
}

/// A clock that only moves when told to; for tests and demos.
#[derive(Debug)]
pub struct FixedClock {
    now: Mutex<DateTime<Utc>>,
}

impl FixedClock {
    pub fn new(now: DateTime<Utc>) -> Self {
        Self {
            now: Mutex::new(now),
        }
    }

    /// Midnight UTC at the start of `date`.
    pub fn at_date(date: NaiveDate) -> Self {
        Self::new(date.and_time(chrono::NaiveTime::MIN).and_utc())
    }

    /// Moves the clock to `now`.
    pub fn set(&self, now: DateTime<Utc>) {
        // A panic elsewhere while holding the lock leaves a perfectly valid
        // timestamp behind, so poisoning is ignored.
        *self.now.lock().unwrap_or_else(PoisonError::into_inner) = now;
    }

    /// Moves the clock by `delta`; stays put if that would leave chrono's range.
    pub fn advance(&self, delta: TimeDelta) {
        let mut now = self.now.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(moved) = now.checked_add_signed(delta) {
            *now = moved;
        }
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        *self.now.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn fixed_clock_is_settable() {
        let start = DateTime::parse_from_rfc3339("2024-03-31T23:30:00Z")
            .unwrap()
            .to_utc();
        let clock = FixedClock::new(start);
        assert_eq!(clock.now(), start);
        assert_eq!(clock.today(), NaiveDate::from_ymd_opt(2024, 3, 31).unwrap());
        clock.advance(TimeDelta::minutes(45));
        assert_eq!(clock.today(), NaiveDate::from_ymd_opt(2024, 4, 1).unwrap());
        clock.set(start);
        assert_eq!(clock.now(), start);
        clock.advance(TimeDelta::MAX);
        assert_eq!(clock.now(), start);
    }

    #[test]
    fn usable_as_shared_trait_object() {
        let date = NaiveDate::from_ymd_opt(2025, 1, 2).unwrap();
        let clock: Arc<dyn Clock> = Arc::new(FixedClock::at_date(date));
        assert_eq!(clock.today(), date);
    }
}
