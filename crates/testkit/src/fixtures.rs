//! The single fixtures tests build from: dates, accounts, residents and
//! indications, each with the defaults most tests want.

use chrono::{DateTime, NaiveDate, Utc};
use waakvlam_domain::ids::{Bsn, Email, MunicipalityCode};
use waakvlam_domain::role::Role;
use waakvlam_store::accounts::{self, Account, NewAccount, Organisation};
use waakvlam_store::indications::{self, NewIndication};
use waakvlam_store::residents::{self, NewResident};
use waakvlam_store::{AccountId, Actor, IndicationId, ProviderId, ResidentId, Store, TeamId};

/// The password of every test account.
pub const PASSWORD: &str = "correct horse battery";

/// A calendar day.
pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or_else(|| panic!("no such day: {y}-{m}-{day}"))
}

/// A moment on `day`, in UTC.
pub fn at(day: NaiveDate, hour: u32, minute: u32) -> DateTime<Utc> {
    day.and_hms_opt(hour, minute, 0)
        .unwrap_or_else(|| panic!("no such time: {hour}:{minute}"))
        .and_utc()
}

/// The actor fixtures are created by.
pub fn system() -> Actor {
    Actor::system("test")
}

/// How many access-log entries there are (read without logging).
pub async fn access_count(store: &Store) -> u64 {
    store
        .read(&system(), async |cx| {
            waakvlam_store::access::count(cx).await
        })
        .await
        .expect("count the access log")
}

/// The newest `limit` access-log entries (read without logging).
pub async fn access_latest(
    store: &Store,
    limit: u64,
) -> Vec<waakvlam_store::access::AccessLogEntry> {
    store
        .read(&system(), async |cx| {
            waakvlam_store::access::latest(cx, limit).await
        })
        .await
        .expect("read the access log")
}

/// Creates an account with [`PASSWORD`], named after its e-mail address's
/// local part.
pub async fn account(store: &Store, email: &str, role: Role, org: Organisation) -> Account {
    let display_name = email.split('@').next().unwrap_or(email);
    named_account(store, email, display_name, role, org).await
}

/// Creates an account with [`PASSWORD`] and the given display name.
pub(crate) async fn named_account(
    store: &Store,
    email: &str,
    display_name: &str,
    role: Role,
    org: Organisation,
) -> Account {
    let new = NewAccount {
        email: Email::parse(email).unwrap(),
        display_name: display_name.to_owned(),
        role,
        password: PASSWORD.to_owned(),
        organisation: org,
        phone: None,
    };
    store
        .write(&system(), async |cx| accounts::create(cx, new).await)
        .await
        .unwrap()
}

/// What an account belongs to, for [`account`].
///
/// Tests name rows by the raw numbers that appear in URLs; the typed ids of
/// the store are made here.
pub mod member {
    use waakvlam_store::accounts::Organisation;
    use waakvlam_store::{ProviderId, RegionId, ResidentId, TeamId};

    /// A professional or team lead in a provider's team.
    pub fn team(provider_id: i64, team_id: i64) -> Organisation {
        Organisation {
            provider_id: Some(ProviderId::new(provider_id)),
            team_id: Some(TeamId::new(team_id)),
            ..Default::default()
        }
    }

    /// Someone at a provider, in no team.
    pub fn provider(provider_id: i64) -> Organisation {
        Organisation {
            provider_id: Some(ProviderId::new(provider_id)),
            ..Default::default()
        }
    }

    /// A consultant or contract manager of one municipality.
    pub fn municipality(code: &str) -> Organisation {
        Organisation {
            municipality_code: Some(code.to_owned()),
            ..Default::default()
        }
    }

    /// An analyst or contract manager of a region.
    pub fn region(region_id: i64) -> Organisation {
        Organisation {
            region_id: Some(RegionId::new(region_id)),
            ..Default::default()
        }
    }

    /// A resident's own account.
    pub fn resident(resident_id: i64) -> Organisation {
        Organisation {
            resident_id: Some(ResidentId::new(resident_id)),
            ..Default::default()
        }
    }
}

/// A resident to create: Jan Pieter de Vries, born 1 May 1980, living in
/// Goes (0664), unless told otherwise.
#[derive(Clone, Debug)]
#[must_use]
pub struct Person {
    new: NewResident,
}

/// A resident with this BSN (which must be valid); see [`Person`].
pub fn person(bsn: &str) -> Person {
    Person {
        new: NewResident {
            bsn: Bsn::parse(bsn).unwrap_or_else(|e| panic!("BSN {bsn}: {e}")),
            birth_date: d(1980, 5, 1),
            family_name: "Vries".into(),
            name_prefix: Some("de".into()),
            given_names: Some("Jan Pieter".into()),
            initials: None,
            municipality_code: MunicipalityCode::parse("0664").unwrap(),
            phone: None,
            email: None,
            address: None,
        },
    }
}

impl Person {
    /// Lives in the municipality with this CBS code.
    pub fn in_municipality(mut self, code: &str) -> Person {
        self.new.municipality_code = MunicipalityCode::parse(code).unwrap();
        self
    }

    pub fn given_names(mut self, given: &str) -> Person {
        self.new.given_names = Some(given.to_owned());
        self
    }

    /// The family name and its prefix ("de", "van"), if any.
    pub fn family_name(mut self, prefix: Option<&str>, family: &str) -> Person {
        self.new.name_prefix = prefix.map(str::to_owned);
        self.new.family_name = family.to_owned();
        self
    }

    /// Known only by initials, as some municipal records have it.
    pub fn initials_only(mut self, initials: &str) -> Person {
        self.new.given_names = None;
        self.new.initials = Some(initials.to_owned());
        self
    }

    pub fn born(mut self, day: NaiveDate) -> Person {
        self.new.birth_date = day;
        self
    }

    pub fn bsn(&self) -> &str {
        self.new.bsn.as_str()
    }

    /// What [`residents::upsert`] receives.
    pub fn new_resident(&self) -> NewResident {
        self.new.clone()
    }

    /// Creates the resident and returns its id; the BSN must be new, since a
    /// fixture that silently updated someone else would hide mistakes.
    pub async fn create(&self, store: &Store) -> i64 {
        let (r, created) = store
            .write(&system(), async |cx| residents::upsert(cx, &self.new).await)
            .await
            .unwrap();
        assert!(created, "resident {} exists already", self.bsn());
        r.id.get()
    }
}

/// Creates the default [`Person`] with this BSN in this municipality.
pub async fn resident(store: &Store, bsn: &str, municipality: &str) -> i64 {
    person(bsn)
        .in_municipality(municipality)
        .create(store)
        .await
}

/// An indication to create: issued 1 January 2026 and running from
/// 5 January 2026 without an end, with a contact rhythm of 28 days for a
/// waakvlam (WVL), unless told otherwise.
#[derive(Clone, Debug)]
#[must_use]
pub struct Indication {
    new: NewIndication,
}

/// An indication of `product` for a resident of `municipality`, delivered by
/// `provider_id`; see [`Indication`]. Ids are the store's typed ids or the
/// raw numbers tests read from URLs.
pub fn indication(
    resident_id: impl Into<i64>,
    product: &str,
    municipality: &str,
    provider_id: impl Into<i64>,
) -> Indication {
    Indication {
        new: NewIndication {
            resident_id: ResidentId::new(resident_id.into()),
            product_code: product.into(),
            municipality_code: municipality.into(),
            provider_id: ProviderId::new(provider_id.into()),
            allocation_number: None,
            issued_on: d(2026, 1, 1),
            start_date: d(2026, 1, 5),
            end_date: None,
            planned_scale_down_date: None,
            agreed_result: None,
            predecessor_id: None,
            professional_account_id: None,
            team_id: None,
            contact_rhythm_days: (product == "WVL").then_some(28),
            end_reason: None,
            outcome: None,
        },
    }
}

impl Indication {
    pub fn team(mut self, team_id: impl Into<i64>) -> Indication {
        self.new.team_id = Some(TeamId::new(team_id.into()));
        self
    }

    pub fn professional(mut self, account_id: AccountId) -> Indication {
        self.new.professional_account_id = Some(account_id);
        self
    }

    /// Issued and starting on `day`.
    pub fn starting(mut self, day: NaiveDate) -> Indication {
        self.new.issued_on = day;
        self.new.start_date = day;
        self
    }

    pub fn ending(mut self, day: NaiveDate) -> Indication {
        self.new.end_date = Some(day);
        self
    }

    pub fn scale_down_on(mut self, day: NaiveDate) -> Indication {
        self.new.planned_scale_down_date = Some(day);
        self
    }

    /// The next step of a pathway, after `predecessor_id`.
    pub fn after(mut self, predecessor_id: i64) -> Indication {
        self.new.predecessor_id = Some(IndicationId::new(predecessor_id));
        self
    }

    /// Ended with this iWmo reason code and, if known, outcome.
    pub fn ended_because(mut self, reason: &str, outcome: Option<&str>) -> Indication {
        self.new.end_reason = Some(reason.to_owned());
        self.new.outcome = outcome.map(str::to_owned);
        self
    }

    pub fn agreed_result(mut self, result: &str) -> Indication {
        self.new.agreed_result = Some(result.to_owned());
        self
    }

    /// What [`indications::create`] receives, to change further or to create
    /// in a transaction of the test's own.
    pub fn new_indication(self) -> NewIndication {
        self.new
    }

    /// Creates the indication as the system and returns its id.
    pub async fn create(&self, store: &Store) -> i64 {
        let created = store
            .write(&system(), async |cx| {
                indications::create(cx, &self.new).await
            })
            .await
            .unwrap();
        created.id.get()
    }
}
