//! Monitoring facts and figures from the database, each test on SQLite and
//! PostgreSQL: scoping per role, filters, and figures known by hand.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::NaiveDate;
use waakvlam_domain::care::{ContactChannel, Initiator};
use waakvlam_domain::money::Cents;
use waakvlam_domain::monitoring::{Assumptions, Monitoring};
use waakvlam_domain::role::Role;
use waakvlam_domain::tariff::{FundingVariant, UnitPeriod};
use waakvlam_store::accounts::Organisation;
use waakvlam_store::care_record::{self, NewBell, NewContact};
use waakvlam_store::indications::{self, NewIndication};
use waakvlam_store::monitoring::{self, Filter, Scope};
use waakvlam_store::{
    Actor, ProviderId, RegionId, ResidentId, Store, StoreError, TeamId, catalogue,
};
use waakvlam_testkit::{self as kit, account, at, d, db_test, member, person};

fn today() -> NaiveDate {
    d(2026, 6, 30)
}

struct World {
    region: i64,
    provider_a: i64,
    team_b: i64,
}

/// Jan Vries, born 1 January 1970.
async fn resident(store: &Store, bsn: &str, municipality: &str) -> i64 {
    person(bsn)
        .given_names("Jan")
        .family_name(None, "Vries")
        .born(d(1970, 1, 1))
        .in_municipality(municipality)
        .create(store)
        .await
}

#[allow(clippy::too_many_arguments)]
fn indication(
    resident_id: i64,
    municipality: &str,
    provider_id: i64,
    team_id: i64,
    product: &str,
    start: NaiveDate,
    end: Option<NaiveDate>,
    planned: Option<NaiveDate>,
    predecessor: Option<i64>,
    end_reason: Option<&str>,
    outcome: Option<&str>,
) -> NewIndication {
    NewIndication {
        end_date: end,
        planned_scale_down_date: planned,
        predecessor_id: predecessor.map(waakvlam_store::IndicationId::new),
        end_reason: end_reason.map(str::to_owned),
        outcome: outcome.map(str::to_owned),
        ..kit::indication(resident_id, product, municipality, provider_id)
            .team(team_id)
            .starting(start)
            .agreed_result("zelfstandig")
            .new_indication()
    }
}

/// Goes (r1, provider A) and Borsele (r2, provider B) in the region;
/// Middelburg (r3, provider A) outside it. The same pathways as the domain's
/// hand-computed example.
async fn world(store: &Store) -> World {
    let sys = Actor::system("test");
    let w = kit::World::new()
        .provider("75751001", "A")
        .team("Team A")
        .provider("75752002", "B")
        .team("Team B")
        .region("Regio", &["0664", "0654"])
        .create(store)
        .await;
    let (pa, pb, ta, tb) = (
        w.provider("A"),
        w.provider("B"),
        w.team("Team A"),
        w.team("Team B"),
    );
    let region = w.region("Regio");
    store
        .write(&Actor::system("test"), async |cx| {
            let products = catalogue::products(cx).await?;
            let id = |code: &str| {
                products
                    .iter()
                    .find(|p| p.product.code.as_str() == code)
                    .unwrap()
                    .id
            };
            catalogue::set_tariff(
                cx,
                &catalogue::NewTariff {
                    product_id: id("BT"),
                    municipality_code: None,
                    year: 2025,
                    variant: FundingVariant::PerUnit(UnitPeriod::Month),
                    amount: Cents(10_000),
                },
            )
            .await?;
            catalogue::set_tariff(
                cx,
                &catalogue::NewTariff {
                    product_id: id("WVL"),
                    municipality_code: None,
                    year: 2025,
                    variant: FundingVariant::PerIndication,
                    amount: Cents(12_000),
                },
            )
            .await?;
            Ok(())
        })
        .await
        .unwrap();

    let r1 = resident(store, "111222333", "0664").await;
    let r2 = resident(store, "999996708", "0654").await;
    let r3 = resident(store, "999996630", "0687").await;
    let pro = account(store, "pro@a.nl", Role::Professional, member::team(pa, ta)).await;
    let sys_ref = &sys;
    let create = |n: NewIndication| async move {
        store
            .write(sys_ref, async |cx| indications::create(cx, &n).await)
            .await
            .unwrap()
            .id
            .get()
    };
    let bt1 = create(indication(
        r1,
        "0664",
        pa,
        ta,
        "BT",
        d(2024, 9, 1),
        Some(d(2025, 2, 28)),
        Some(d(2025, 2, 28)),
        None,
        Some("37"),
        None,
    ))
    .await;
    create(indication(
        r1,
        "0664",
        pa,
        ta,
        "WVL",
        d(2025, 3, 1),
        Some(d(2025, 10, 31)),
        None,
        Some(bt1),
        Some("19"),
        Some("independent"),
    ))
    .await;
    let bt2 = create(indication(
        r2,
        "0654",
        pb,
        tb,
        "BT",
        d(2025, 2, 1),
        Some(d(2025, 5, 31)),
        Some(d(2025, 5, 15)),
        None,
        Some("37"),
        None,
    ))
    .await;
    let wvl2 = create(indication(
        r2,
        "0654",
        pb,
        tb,
        "WVL",
        d(2025, 6, 1),
        Some(d(2025, 8, 31)),
        None,
        Some(bt2),
        Some("37"),
        None,
    ))
    .await;
    create(indication(
        r2,
        "0654",
        pb,
        tb,
        "BT",
        d(2025, 9, 1),
        None,
        Some(d(2026, 9, 10)),
        Some(wvl2),
        None,
        None,
    ))
    .await;
    create(indication(
        r3,
        "0687",
        pa,
        ta,
        "WVL",
        d(2025, 1, 15),
        Some(d(2025, 12, 31)),
        None,
        None,
        Some("31"),
        Some("moved"),
    ))
    .await;
    // Contacts, a bell and a check-in, in a unit of work of their own.
    store
        .write(&sys, async |cx| {
            for (resident_id, day) in [
                (r1, d(2025, 2, 10)),
                (r1, d(2025, 3, 10)),
                (r1, d(2025, 4, 1)),
                (r2, d(2025, 7, 15)),
                (r3, d(2025, 5, 5)),
                // Outside the period.
                (r3, d(2026, 1, 2)),
            ] {
                care_record::add_contact(
                    cx,
                    &NewContact {
                        resident_id: ResidentId::new(resident_id),
                        professional_account_id: None,
                        occurred_at: at(day, 10, 0),
                        channel: ContactChannel::Phone,
                        initiator: Initiator::Professional,
                        duration_minutes: None,
                        wellbeing: None,
                        note: None,
                    },
                )
                .await?;
            }
            care_record::add_bell(
                cx,
                &NewBell {
                    resident_id: ResidentId::new(r1),
                    rung_at: at(d(2025, 5, 1), 10, 0),
                    message: None,
                    acknowledged: Some((at(d(2025, 5, 1), 10, 30), pro.id)),
                    resolved: None,
                },
            )
            .await?;
            care_record::add_check_in(cx, ResidentId::new(r1), at(d(2025, 4, 5), 19, 0), 4, None)
                .await?;
            Ok(())
        })
        .await
        .unwrap();
    World {
        region,
        provider_a: pa,
        team_b: tb,
    }
}

async fn figures(store: &Store, scope: &Scope, filter: &Filter) -> Monitoring {
    (store.read(&Actor::system("test"), async |cx| {
        monitoring::dashboard(cx, scope, filter, today(), Assumptions::default()).await
    }))
    .await
    .unwrap()
}

fn year() -> Filter {
    Filter::year(2025).unwrap()
}

db_test! {
    async fn figures_for_everything(db) {
        world(&db.store).await;
        let m = figures(&db.store, &Scope::All, &year()).await;
        assert_eq!(m.issued.total, 5);
        assert_eq!(m.issued.products, ["BT", "BTS", "WVL"]);
        let f = &m.flows;
        assert_eq!((f.heavy_ended, f.scaled_down_from_individual), (2, 2));
        assert_eq!(f.waakvlam_ended, 3);
        assert_eq!((f.ended_independent, f.scaled_up, f.ended_other), (1, 1, 1));
        assert_eq!(f.median_days_in_waakvlam, Some(245));
        assert_eq!(f.median_days_to_reescalation, Some(92));
        assert_eq!(m.pulse.residents, 3);
        assert_eq!(m.pulse.contacts, 4, "contacts in waakvlam within 2025 only");
        assert_eq!((m.pulse.bells, m.pulse.median_minutes_to_acknowledge), (1, Some(30)));
        assert_eq!(m.pulse.check_ins, 1);
        assert_eq!(m.planning.inventory.iter().map(|(_, n)| n).sum::<u64>(), 1);
        let costs: Vec<(&str, &str, u64, i64)> = m
            .costs
            .rows
            .iter()
            .map(|r| (r.product.as_str(), r.funding_variant.as_str(), r.indications, r.spend.0))
            .collect();
        assert_eq!(
            costs,
            // The three waakvlams start in 2025: each costs the one-off amount in full.
            [("BT", "per_unit", 3, 100_000), ("WVL", "per_indication", 3, 3 * 12_000)]
        );
        // Two scale-downs: 6 months, and 3 until the re-escalation.
        assert_eq!(m.costs.avoided.months, 9);
        assert_eq!(m.costs.avoided.gross, Cents(90_000));
    }
}

db_test! {
    async fn scopes_and_filters_narrow_the_figures(db) {
        let w = world(&db.store).await;
        let region = figures(&db.store, &Scope::Region(RegionId::new(w.region)), &year()).await;
        assert_eq!(region.issued.total, 4);
        assert_eq!(region.flows.waakvlam_ended, 2);
        assert_eq!(region.pulse.contacts, 3);
        assert!(region.issued.rows.iter().all(|r| r.municipality_code != "0687"));

        let goes = figures(&db.store, &Scope::Municipality("0664".into()), &year()).await;
        assert_eq!((goes.flows.waakvlam_ended, goes.flows.ended_independent), (1, 1));
        assert_eq!(goes.pulse.contacts, 2);
        assert_eq!(goes.pulse.bells, 1);

        let team = figures(&db.store, &Scope::Team(TeamId::new(w.team_b)), &year()).await;
        assert_eq!((team.flows.waakvlam_ended, team.flows.scaled_up), (1, 1));
        assert_eq!(team.pulse.bells, 0);

        // A filter narrows the scope and never widens it.
        let mut other = year();
        other.municipality = Some("0654".into());
        let none = figures(&db.store, &Scope::Municipality("0664".into()), &other).await;
        assert_eq!(none.issued.total, 0);
        assert_eq!(none.pulse.residents, 0);

        let mut provider = year();
        provider.provider = Some(ProviderId::new(w.provider_a));
        let a = figures(&db.store, &Scope::All, &provider).await;
        assert_eq!(a.flows.waakvlam_ended, 2);

        let mut region_filter = year();
        region_filter.region = Some(RegionId::new(w.region));
        let r = figures(&db.store, &Scope::All, &region_filter).await;
        assert_eq!(r.issued.total, 4);

        let mut product = year();
        product.product = Some("WVL".into());
        let p = figures(&db.store, &Scope::All, &product).await;
        assert_eq!(p.issued.total, 3);
        assert_eq!(p.flows.heavy_ended, 0);
        assert_eq!(p.flows.waakvlam_ended, 3);

        let nothing = figures(&db.store, &Scope::Nothing, &year()).await;
        assert_eq!(nothing.issued.total, 0);
        assert_eq!(nothing.flows.waakvlam_ended, 0);

        let mut bad = year();
        bad.product = Some("XYZ".into());
        let err = db.store.read(&Actor::system("test"), async |cx| monitoring::dashboard(cx, &Scope::All, &bad, today(), Assumptions::default()).await)
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Invalid(_)), "{err:?}");
    }
}

db_test! {
    async fn each_role_gets_its_own_scope_and_choices(db) {
        let w = world(&db.store).await;
        let analyst = account(&db.store, "a@regio.nl", Role::Analyst, Organisation {
            region_id: Some(RegionId::new(w.region)),
            ..Default::default()
        }).await;
        assert_eq!(Scope::of(&analyst), Scope::Region(RegionId::new(w.region)));
        let consultant = account(&db.store, "c@goes.nl", Role::Consultant, Organisation {
            municipality_code: Some("0664".into()),
            ..Default::default()
        }).await;
        assert_eq!(Scope::of(&consultant), Scope::Municipality("0664".into()));
        let lead = account(&db.store, "l@b.nl", Role::TeamLead, Organisation {
            team_id: Some(TeamId::new(w.team_b)),
            ..Default::default()
        }).await;
        assert_eq!(Scope::of(&lead), Scope::Team(TeamId::new(w.team_b)));
        let admin = account(&db.store, "admin@x.nl", Role::Admin, Organisation::default()).await;
        assert_eq!(Scope::of(&admin), Scope::All);

        let choices = db.store.read(&Actor::system("test"), async |cx| monitoring::choices(cx, &Scope::of(&analyst)).await).await.unwrap();
        let names: Vec<&str> = choices.municipalities.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(names, ["Borsele", "Goes"]);
        assert_eq!(choices.regions.len(), 1);
        assert_eq!(choices.providers.len(), 2);
        let goes = db.store.read(&Actor::system("test"), async |cx| monitoring::choices(cx, &Scope::of(&consultant)).await).await.unwrap();
        assert_eq!(goes.municipalities.len(), 1);
        assert!(goes.regions.is_empty());
        assert_eq!(goes.providers.len(), 1);
    }
}

db_test! {
    async fn a_long_waakvlam_keeps_its_real_start(db) {
        let w = world(&db.store).await;
        let r = resident(&db.store, "612890053", "0664").await;
        let sys = Actor::system("test");
        let mut previous = None;
        for (year, last) in [(2022, false), (2023, false), (2024, false), (2025, true)] {
            let end = if last { d(2025, 6, 30) } else { d(year, 12, 31) };
            let new = indication(
                r, "0664", w.provider_a, w.team_b, "WVL", d(year, 1, 1), Some(end), None, previous,
                Some(if last { "19" } else { "38" }), last.then_some("independent"),
            );
            previous = Some(db.store.write(&sys, async |cx| indications::create(cx, &new).await).await.unwrap().id.get());
        }
        let m = figures(&db.store, &Scope::Municipality("0664".into()), &year()).await;
        // Goes: resident 1 (245 days) and this one, from 2022-01-01 to 2025-06-30.
        assert_eq!(m.flows.waakvlam_ended, 2);
        assert_eq!(m.flows.ended_independent, 2);
        let days = (d(2025, 6, 30) - d(2022, 1, 1)).num_days() + 1;
        assert_eq!(m.flows.median_days_in_waakvlam, Some((245 + days) / 2));
    }
}
