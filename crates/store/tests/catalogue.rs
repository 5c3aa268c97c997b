//! The catalogue, tariffs and own contributions: who may change what, that
//! abolishing an own contribution keeps its history, and that bad input is
//! refused. Each test on SQLite and on PostgreSQL (`db_test!`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use waakvlam_domain::money::Cents;
use waakvlam_domain::role::Role;
use waakvlam_domain::tariff::{FundingVariant, OwnContribution, UnitPeriod, own_contribution_on};
use waakvlam_store::catalogue::{self, NewOwnContribution, NewTariff, ProductInput};
use waakvlam_store::declarations::PeriodKind;
use waakvlam_store::entity::change_record;
use waakvlam_store::read::{self, catalogue::CatalogueOverview};
use waakvlam_store::residents;
use waakvlam_store::{Actor, Cx, ProductId, Store, StoreError, organisations};
use waakvlam_testkit::{Member, World, d, db_test, indication, person};

/// The actors of these tests: a region (Goes and Kapelle) with its contract
/// manager, Borsele's own contract manager, a consultant, a professional and
/// an administrator.
struct People {
    admin: Actor,
    region_manager: Actor,
    borsele_manager: Actor,
    consultant: Actor,
    professional: Actor,
}

async fn people(store: &Store) -> People {
    let w = World::new()
        .region("Oosterschelderegio", &["0664", "0678"])
        .provider("75751001", "Provider A")
        .resident(
            person("111222333")
                .given_names("Jan")
                .family_name(None, "Vries"),
        )
        .account("admin@x.nl", Role::Admin, Member::Nothing)
        .account(
            "cm@region.nl",
            Role::ContractManager,
            Member::region("Oosterschelderegio"),
        )
        .account(
            "cm@borsele.nl",
            Role::ContractManager,
            Member::municipality("0654"),
        )
        .account(
            "wmo@goes.nl",
            Role::Consultant,
            Member::municipality("0664"),
        )
        .account(
            "pro@a.nl",
            Role::Professional,
            Member::provider("Provider A"),
        )
        .create(store)
        .await;
    People {
        admin: w.actor(store, "admin@x.nl").await,
        region_manager: w.actor(store, "cm@region.nl").await,
        borsele_manager: w.actor(store, "cm@borsele.nl").await,
        consultant: w.actor(store, "wmo@goes.nl").await,
        professional: w.actor(store, "pro@a.nl").await,
    }
}

/// Runs a read as the system (the catalogue holds no personal data).
async fn read<T>(
    store: &Store,
    work: impl AsyncFnOnce(&Cx<'_>) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    store.read(&Actor::system("test"), work).await
}

async fn product_id(store: &Store, code: &str) -> ProductId {
    read(store, async |cx| catalogue::product_by_code(cx, code).await)
        .await
        .unwrap()
        .unwrap()
        .id
}

/// The catalogue page as `actor` sees it.
async fn overview(store: &Store, actor: &Actor) -> Result<CatalogueOverview, StoreError> {
    store
        .read(actor, async |cx| read::catalogue::page(cx).await)
        .await
}

fn tariff(product_id: ProductId, municipality: Option<&str>, year: i32, amount: i64) -> NewTariff {
    NewTariff {
        product_id,
        municipality_code: municipality.map(str::to_owned),
        year,
        variant: FundingVariant::PerUnit(UnitPeriod::Week),
        amount: Cents(amount),
    }
}

async fn set_tariff(store: &Store, actor: &Actor, t: &NewTariff) -> Result<(), StoreError> {
    store
        .write(actor, async |cx| catalogue::set_tariff(cx, t).await)
        .await
}

async fn set_contribution(
    store: &Store,
    actor: &Actor,
    c: &NewOwnContribution,
) -> Result<(), StoreError> {
    store
        .write(actor, async |cx| {
            catalogue::set_own_contribution(cx, c).await
        })
        .await
}

async fn create_product(
    store: &Store,
    actor: &Actor,
    input: &ProductInput,
) -> Result<ProductId, StoreError> {
    store
        .write(actor, async |cx| catalogue::create_product(cx, input).await)
        .await
}

/// The recorded catalogue changes of a product: (field, old, new, account).
async fn changes(
    store: &Store,
    product_id: ProductId,
) -> Vec<(String, Option<String>, Option<String>)> {
    read(store, async |cx| {
        Ok(change_record::Entity::find()
            .filter(change_record::Column::Entity.eq("product"))
            .filter(change_record::Column::EntityId.eq(product_id))
            .order_by_asc(change_record::Column::Id)
            .all(cx.conn())
            .await?)
    })
    .await
    .unwrap()
    .into_iter()
    .map(|c| (c.field, c.old_value, c.new_value))
    .collect()
}

fn denied<T: std::fmt::Debug>(r: Result<T, StoreError>) {
    assert!(
        matches!(r, Err(StoreError::Denied)),
        "expected Denied, got {r:?}"
    );
}

#[track_caller]
fn invalid<T: std::fmt::Debug>(r: Result<T, StoreError>, field: &str) {
    match r {
        Err(StoreError::Invalid(r)) if r[0].field == field => {}
        other => panic!("expected invalid {field}, got {other:?}"),
    }
}

db_test! {
    async fn contract_managers_change_prices_only_within_their_municipality_or_region(db) {
        let store = &db.store;
        let p = people(store).await;
        let bt = product_id(store, "BT").await;

        // The region's contract manager: region-wide and the region's municipalities.
        set_tariff(store, &p.region_manager, &tariff(bt, None, 2027, 11_450)).await.unwrap();
        set_tariff(store, &p.region_manager, &tariff(bt, Some("0678"), 2027, 12_000)).await.unwrap();
        denied(set_tariff(store, &p.region_manager, &tariff(bt, Some("0654"), 2027, 1)).await);

        // Borsele's contract manager: only Borsele.
        set_tariff(store, &p.borsele_manager, &tariff(bt, Some("0654"), 2027, 13_000)).await.unwrap();
        denied(set_tariff(store, &p.borsele_manager, &tariff(bt, None, 2027, 1)).await);
        denied(set_tariff(store, &p.borsele_manager, &tariff(bt, Some("0664"), 2027, 1)).await);
        denied(
            set_contribution(
                store,
                &p.borsele_manager,
                &NewOwnContribution {
                    product_id: bt,
                    municipality_code: None,
                    valid_from: d(2027, 1, 1),
                    monthly: Cents(0),
                },
            )
            .await,
        );

        // Consultants and professionals change nothing, whatever a handler passes.
        denied(set_tariff(store, &p.consultant, &tariff(bt, Some("0664"), 2027, 1)).await);
        denied(set_tariff(store, &p.professional, &tariff(bt, Some("0664"), 2027, 1)).await);
        denied(
            create_product(
                store,
                &p.consultant,
                &ProductInput {
                    code: "X1".into(),
                    category: "02".into(),
                    name: "X".into(),
                    level: "other".into(),
                    active: true,
                    ..Default::default()
                },
            )
            .await,
        );

        // The administrator may do anything; an unknown municipality is refused clearly.
        set_tariff(store, &p.admin, &tariff(bt, Some("0654"), 2028, 1)).await.unwrap();
        invalid(set_tariff(store, &p.admin, &tariff(bt, Some("9999"), 2028, 1)).await, "municipality");

        // Who sees what: the consultant reads Goes and the region-wide ones, not Borsele's.
        let seen = overview(store, &p.consultant).await.unwrap();
        let bt_prices = seen.products.iter().find(|x| x.product.id == bt).unwrap();
        let places: Vec<Option<&str>> = bt_prices
            .tariffs
            .iter()
            .filter(|t| t.tariff.year == 2027)
            .map(|t| t.municipality_code.as_deref())
            .collect();
        assert_eq!(places, [None]);
        assert!(seen.history.iter().all(|h| !h.field.contains("0654")));
        let region = overview(store, &p.region_manager).await.unwrap();
        let codes: Vec<&str> = region.municipalities.iter().map(|m| m.code.as_str()).collect();
        assert_eq!(codes, ["0664", "0678"]);
        let bt_prices = region.products.iter().find(|x| x.product.id == bt).unwrap();
        let places: Vec<Option<&str>> = bt_prices
            .tariffs
            .iter()
            .filter(|t| t.tariff.year == 2027)
            .map(|t| t.municipality_code.as_deref())
            .collect();
        assert_eq!(places, [None, Some("0678")], "region-wide first");
        denied(overview(store, &p.professional).await);

        // A contract manager sees no resident at all.
        let residents = store.read(&p.region_manager, async |cx| residents::search(cx, None, 100).await).await;
        assert!(residents.map(|r| r.is_empty()).unwrap_or(true));
        assert!(!p.region_manager.tenant.sees_residents());
    }
}

db_test! {
    async fn abolishing_an_own_contribution_keeps_its_history(db) {
        let store = &db.store;
        let p = people(store).await;
        let wvl = product_id(store, "WVL").await;
        let contribution = |from: &str, cents: i64| NewOwnContribution {
            product_id: wvl,
            municipality_code: Some("0664".into()),
            valid_from: from.parse().unwrap(),
            monthly: Cents(cents),
        };
        set_contribution(store, &p.region_manager, &contribution("2019-01-01", 1_900)).await.unwrap();
        // Abolish ("eigen bijdrage afschaffen") from 2024: €0 from then on.
        set_contribution(store, &p.region_manager, &contribution("2024-01-01", 0)).await.unwrap();

        let rows = read(store, async |cx| catalogue::own_contributions(cx, wvl).await).await.unwrap();
        let rows: Vec<(Option<&str>, NaiveDate, Cents)> = rows
            .iter()
            .map(|r| (r.municipality_code.as_deref(), r.valid_from, r.monthly))
            .collect();
        assert_eq!(
            rows,
            [
                (Some("0664"), d(2019, 1, 1), Cents(1_900)),
                (Some("0664"), d(2024, 1, 1), Cents(0)),
            ],
            "both rows stay"
        );
        let domain: Vec<OwnContribution> = rows
            .iter()
            .map(|(_, from, monthly)| OwnContribution {
                product: waakvlam_domain::ids::ProductCode::parse("WVL").unwrap(),
                valid_from: *from,
                monthly: *monthly,
            })
            .collect();
        let code = waakvlam_domain::ids::ProductCode::parse("WVL").unwrap();
        assert_eq!(own_contribution_on(&domain, &code, d(2023, 12, 31)), Cents(1_900));
        assert_eq!(own_contribution_on(&domain, &code, d(2024, 1, 1)), Cents::ZERO);

        // Correcting an entry of the same date changes it in place; the old amount is in the history.
        set_contribution(store, &p.region_manager, &contribution("2019-01-01", 2_000)).await.unwrap();
        assert_eq!(read(store, async |cx| catalogue::own_contributions(cx, wvl).await).await.unwrap().len(), 2);
        assert_eq!(
            changes(store, wvl).await,
            [
                ("own_contribution 0664 2019-01-01".into(), None, Some("€ 19,00".into())),
                ("own_contribution 0664 2024-01-01".into(), None, Some("€ 0,00".into())),
                (
                    "own_contribution 0664 2019-01-01".into(),
                    Some("€ 19,00".into()),
                    Some("€ 20,00".into())
                ),
            ]
        );
        let overview = overview(store, &p.region_manager).await.unwrap();
        let newest = &overview.history[0];
        assert_eq!(newest.by.as_deref(), Some("cm"));
        assert_eq!(newest.product_code, "WVL");
        assert_eq!(newest.new.as_deref(), Some("€ 20,00"));

        // Bad input is refused with the field it is about.
        invalid(
            set_contribution(store, &p.region_manager, &contribution("2019-02-01", -1)).await,
            "monthly",
        );
        invalid(
            set_contribution(store, &p.region_manager, &contribution("1899-02-01", 100)).await,
            "valid_from",
        );
    }
}

db_test! {
    async fn a_replaced_tariff_is_kept_in_the_history_and_bad_tariffs_are_refused(db) {
        let store = &db.store;
        let p = people(store).await;
        let wvl = product_id(store, "WVL").await;
        let per_indication = |amount: i64| NewTariff {
            product_id: wvl,
            municipality_code: None,
            year: 2027,
            variant: FundingVariant::PerIndication,
            amount: Cents(amount),
        };
        set_tariff(store, &p.admin, &per_indication(70_569)).await.unwrap();
        set_tariff(store, &p.admin, &per_indication(72_000)).await.unwrap();
        // Saving the same terms again records nothing.
        set_tariff(store, &p.admin, &per_indication(72_000)).await.unwrap();
        let hourly = NewTariff {
            variant: FundingVariant::PerHour {
                budget_ceiling: Cents(1_200_000),
            },
            amount: Cents(7_236),
            municipality_code: Some("0664".into()),
            ..per_indication(0)
        };
        set_tariff(store, &p.region_manager, &hourly).await.unwrap();

        let tariffs = read(store, async |cx| catalogue::tariffs(cx, wvl).await).await.unwrap();
        assert_eq!(tariffs.len(), 2, "one tariff per year and municipality");
        assert_eq!(tariffs[0].tariff.amount, Cents(72_000));
        assert_eq!(tariffs[1].tariff.variant, hourly.variant);
        assert_eq!(
            changes(store, wvl).await,
            [
                ("tariff 2027 region".into(), None, Some("per_indication € 705,69".into())),
                (
                    "tariff 2027 region".into(),
                    Some("per_indication € 705,69".into()),
                    Some("per_indication € 720,00".into())
                ),
                (
                    "tariff 2027 0664".into(),
                    None,
                    Some("per_hour € 72,36 ceiling € 12.000,00".into())
                ),
            ]
        );

        invalid(set_tariff(store, &p.admin, &NewTariff { year: 1999, ..per_indication(1) }).await, "year");
        invalid(set_tariff(store, &p.admin, &per_indication(-1)).await, "amount");
        invalid(
            set_tariff(
                store,
                &p.admin,
                &NewTariff {
                    variant: FundingVariant::PerHour {
                        budget_ceiling: Cents(-1),
                    },
                    ..per_indication(1)
                },
            )
            .await,
            "budget_ceiling",
        );
        invalid(set_tariff(store, &p.admin, &NewTariff { product_id: ProductId::new(999_999), ..per_indication(1) }).await, "product");
    }
}

db_test! {
    async fn products_are_validated_and_their_changes_recorded(db) {
        let store = &db.store;
        let p = people(store).await;
        let input = |code: &str, category: &str, name: &str, level: &str| ProductInput {
            code: code.into(),
            category: category.into(),
            name: name.into(),
            level: level.into(),
            active: true,
            ..Default::default()
        };
        invalid(create_product(store, &p.admin, &input("W-L", "02", "X", "other")).await, "code");
        invalid(create_product(store, &p.admin, &input("TOOLONG", "02", "X", "other")).await, "code");
        invalid(create_product(store, &p.admin, &input("HH", "2", "X", "other")).await, "category");
        invalid(create_product(store, &p.admin, &input("HH", "02", " ", "other")).await, "name");
        invalid(create_product(store, &p.admin, &input("HH", "02", "X", "heavy")).await, "level");
        assert!(matches!(
            create_product(store, &p.admin, &input("wvl", "02", "Again", "waakvlam")).await,
            Err(StoreError::Conflict(_))
        ));
        // Only region-wide managers and admins change the shared catalogue.
        denied(create_product(store, &p.borsele_manager, &input("HH", "01", "Hulp bij het huishouden", "other")).await);
        let hh = create_product(store, &p.region_manager, &input("hh", "01", "Hulp bij het huishouden", "other"))
            .await
            .unwrap();
        let stored = read(store, async |cx| catalogue::product_by_id(cx, hh).await).await.unwrap().unwrap();
        assert_eq!(stored.product.code.as_str(), "HH");

        let update = async |actor: &Actor, input: ProductInput| {
            store.write(actor, async |cx| catalogue::update_product(cx, hh, &input).await).await
        };
        update(&p.admin, ProductInput {
            active: false,
            ..input("HH", "01", "Huishoudelijke hulp", "other")
        })
        .await
        .unwrap();
        invalid(update(&p.admin, input("HX", "01", "X", "other")).await, "code");
        denied(update(&p.consultant, input("HH", "01", "X", "other")).await);
        assert_eq!(
            changes(store, hh).await,
            [
                ("product".into(), None, Some("HH 01 other Hulp bij het huishouden".into())),
                ("name".into(), Some("Hulp bij het huishouden".into()), Some("Huishoudelijke hulp".into())),
                ("active".into(), Some("true".into()), Some("false".into())),
            ]
        );
        let stored = read(store, async |cx| catalogue::product_by_id(cx, hh).await).await.unwrap().unwrap();
        assert_eq!(stored.product.name, "Huishoudelijke hulp");
        assert!(!stored.active);
    }
}

db_test! {
    async fn a_product_offered_in_one_municipality_is_indicated_only_there(db) {
        use waakvlam_store::catalogue::OfferedIn;
        use waakvlam_store::indications;
        let store = &db.store;
        let p = people(store).await;
        let goes_only = ProductInput {
            code: "WVLG".into(),
            category: "02".into(),
            name: "Waakvlam Goes".into(),
            level: "waakvlam".into(),
            active: true,
            offered_in: OfferedIn::Municipality("0664".into()),
            ..Default::default()
        };
        // The region's contract manager keeps to the region: not Tholen, not another region.
        denied(create_product(store, &p.region_manager, &ProductInput {
            offered_in: OfferedIn::Municipality("0716".into()),
            ..goes_only.clone()
        }).await);
        let id = create_product(store, &p.region_manager, &goes_only).await.unwrap();
        invalid(create_product(store, &p.admin, &ProductInput {
            code: "WVLX".into(),
            offered_in: OfferedIn::Municipality("9999".into()),
            ..goes_only.clone()
        }).await, "offered_in");

        let codes = |list: Vec<catalogue::CatalogueProduct>| -> Vec<String> {
            list.into_iter().map(|p| p.product.code.as_str().to_owned()).collect()
        };
        assert!(codes(read(store, async |cx| catalogue::products_offered_in(cx, "0664").await).await.unwrap()).contains(&"WVLG".to_owned()));
        assert_eq!(codes(read(store, async |cx| catalogue::products_offered_in(cx, "0654").await).await.unwrap()), ["BT", "BTS", "WVL"]);

        // An indication elsewhere is refused with the reason.
        let provider = read(store, async |cx| organisations::providers(cx).await).await.unwrap().remove(0);
        let borssele = person("123456782")
            .initials_only("A.")
            .family_name(None, "Borssele")
            .born(d(1970, 1, 1))
            .in_municipality("0654");
        let (resident, _) = store.write(&Actor::system("test"), async |cx| residents::upsert(cx, &borssele.new_resident()).await).await.unwrap();
        let new = |municipality: &str, resident_id: i64| {
            indication(resident_id, "WVLG", municipality, provider.id.get()).new_indication()
        };
        invalid(store.write(&Actor::system("test"), async |cx| indications::create(cx, &new("0654", resident.id.get())).await).await, "product_code");
        // Moving the offer to the whole region is recorded.
        let region = match &p.region_manager.tenant {
            waakvlam_store::Tenant::ContractManager { region_id: Some(r), .. } => *r,
            other => panic!("{other:?}"),
        };
        let moved = ProductInput {
            offered_in: OfferedIn::Region(region),
            ..goes_only.clone()
        };
        store
            .write(&p.region_manager, async |cx| catalogue::update_product(cx, id, &moved).await)
            .await
            .unwrap();
        let history = changes(store, id).await;
        assert!(history.iter().any(|(f, old, new)| f == "offered_in"
            && old.as_deref() == Some("municipality:0664")
            && new.as_deref() == Some(&format!("region:{region}"))), "{history:?}");
        assert!(codes(read(store, async |cx| catalogue::products_offered_in(cx, "0678").await).await.unwrap()).contains(&"WVLG".to_owned()));
    }
}

// --- Product rules and contracts (issue 12) -----------------------------------

async fn set_rule(
    store: &Store,
    actor: &Actor,
    rule: &catalogue::ProductRule,
) -> Result<(), StoreError> {
    store
        .write(actor, async |cx| catalogue::set_rule(cx, rule).await)
        .await
}

fn rule(
    product_id: ProductId,
    place: catalogue::RulePlace,
    months: Option<u32>,
) -> catalogue::ProductRule {
    catalogue::ProductRule {
        product_id,
        place,
        max_duration_months: months,
    }
}

/// A waakvlam for the resident of `municipality` from 5 January 2026,
/// ending on `end` (`None`: as the product's rule says).
async fn waakvlam(
    store: &Store,
    actor: &Actor,
    bsn: &str,
    municipality: &str,
    provider: i64,
    end: Option<NaiveDate>,
) -> Result<waakvlam_store::indications::Indication, StoreError> {
    let resident = store
        .read(&Actor::system("test"), async |cx| {
            residents::id_by_bsn(cx, &waakvlam_domain::ids::Bsn::parse(bsn).unwrap()).await
        })
        .await
        .unwrap()
        .unwrap();
    let mut builder = indication(resident, "WVL", municipality, provider);
    if let Some(end) = end {
        builder = builder.ending(end);
    }
    let new = builder.new_indication();
    store
        .write(actor, async |cx| {
            waakvlam_store::indications::create_for_resident(
                cx,
                &new,
                waakvlam_store::indications::Overlap::Confirmed,
            )
            .await
        })
        .await
}

db_test! {
    async fn the_maximum_duration_is_the_products_rule_per_region_or_municipality(db) {
        let store = &db.store;
        let w = World::new()
            .region("Oosterschelderegio", &["0664", "0678"])
            .provider("75751001", "Provider A")
            .resident(person("111222333"))
            .resident(person("200000007").in_municipality("0678"))
            .resident(person("123456782").in_municipality("0654"))
            .account("admin@x.nl", Role::Admin, Member::Nothing)
            .account("cm@region.nl", Role::ContractManager, Member::region("Oosterschelderegio"))
            .account("cm@borsele.nl", Role::ContractManager, Member::municipality("0654"))
            .create(store)
            .await;
        let region_id = waakvlam_store::RegionId::new(w.region("Oosterschelderegio"));
        let (admin, region_manager, borsele_manager) = (
            w.actor(store, "admin@x.nl").await,
            w.actor(store, "cm@region.nl").await,
            w.actor(store, "cm@borsele.nl").await,
        );
        let provider = w.provider("Provider A");
        let wvl = product_id(store, "WVL").await;
        use catalogue::RulePlace::{Municipality, Region};

        // Nothing set: as long as needed, everywhere; no default end.
        let open = waakvlam(store, &admin, "111222333", "0664", provider, None).await.unwrap();
        assert_eq!(open.end_date, None);

        // The region's contract manager sets 12 months for the region, and
        // Kapelle its own 6; Borsele's manager may not touch the region.
        set_rule(store, &region_manager, &rule(wvl, Region(region_id), Some(12))).await.unwrap();
        set_rule(store, &region_manager, &rule(wvl, Municipality("0678".into()), Some(6))).await.unwrap();
        assert!(matches!(
            set_rule(store, &borsele_manager, &rule(wvl, Region(region_id), None)).await,
            Err(StoreError::Denied)
        ));
        assert!(matches!(
            set_rule(store, &borsele_manager, &rule(wvl, Municipality("0664".into()), None)).await,
            Err(StoreError::Denied)
        ));
        match set_rule(store, &admin, &rule(wvl, Region(region_id), Some(0))).await {
            Err(StoreError::Invalid(r)) => {
                assert_eq!(r[0].field, "max_duration_months");
                assert_eq!(r[0].reason.id, "max-duration-range");
            }
            other => panic!("{other:?}"),
        }
        let max = |code: &'static str| async move {
            store
                .read(&Actor::system("test"), async |cx| {
                    catalogue::max_duration_months(cx.conn(), wvl, code).await
                })
                .await
                .unwrap()
        };
        assert_eq!(max("0664").await, Some(12), "the region's rule");
        assert_eq!(max("0678").await, Some(6), "the municipality's own rule goes first");
        assert_eq!(max("0654").await, None, "outside the region: as long as needed");

        // Enforced when indicating: the refusal names the maximum.
        match waakvlam(store, &admin, "200000007", "0678", provider, Some(d(2026, 12, 31))).await {
            Err(StoreError::Invalid(r)) => {
                assert_eq!(r.len(), 1);
                assert_eq!(r[0].field, "end_date");
                assert_eq!(r[0].reason.id, "max-duration");
                assert_eq!(r[0].reason.args, [("months", "6".to_owned())]);
            }
            other => panic!("{other:?}"),
        }
        // Without an end date it ends at the maximum.
        let kapelle = waakvlam(store, &admin, "200000007", "0678", provider, None).await.unwrap();
        assert_eq!(kapelle.end_date, Some(d(2026, 7, 4)));
        // In Borsele any end date will do.
        let borsele = waakvlam(store, &admin, "123456782", "0654", provider, Some(d(2029, 1, 1))).await;
        assert!(borsele.is_ok(), "{borsele:?}");

        // Extending: at most the maximum at a time.
        let extend = |id, end| {
            let admin = admin.clone();
            async move {
                store
                    .write(&admin, async |cx| {
                        waakvlam_store::indications::extend(cx, id, end, "nog nodig").await
                    })
                    .await
            }
        };
        match extend(kapelle.id, d(2027, 3, 1)).await {
            Err(StoreError::Invalid(r)) => {
                assert_eq!((r[0].field.as_str(), r[0].reason.id), ("end_date", "extend-max"));
                assert_eq!(r[0].reason.args, [("months", "6".to_owned())]);
            }
            other => panic!("{other:?}"),
        }
        extend(kapelle.id, d(2027, 1, 4)).await.unwrap();

        // "As long as needed" for Kapelle: set as an empty rule, which
        // overrides the region's 12 months there; every change in the history.
        set_rule(store, &admin, &rule(wvl, Municipality("0678".into()), None)).await.unwrap();
        assert_eq!(max("0678").await, None);
        let history = overview(store, &admin).await.unwrap().history;
        let changes: Vec<(String, Option<String>, Option<String>)> = history
            .iter()
            .filter(|h| h.field.starts_with("max_duration"))
            .map(|h| (h.field.clone(), h.old.clone(), h.new.clone()))
            .collect();
        assert_eq!(
            changes,
            [
                ("max_duration municipality:0678".to_owned(), Some("6 months".to_owned()), Some("as long as needed".to_owned())),
                ("max_duration municipality:0678".to_owned(), None, Some("6 months".to_owned())),
                (format!("max_duration region:{region_id}"), None, Some("12 months".to_owned())),
            ]
        );
        // The catalogue page shows each manager the rules of their scope.
        let rules_of = |o: CatalogueOverview| {
            o.products
                .into_iter()
                .find(|p| p.product.id == wvl)
                .unwrap()
                .rules
                .into_iter()
                .map(|r| (r.place.form_value(), r.max_duration_months))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            rules_of(overview(store, &region_manager).await.unwrap()),
            [(format!("region:{region_id}"), Some(12)), ("municipality:0678".to_owned(), None)]
        );
        assert!(rules_of(overview(store, &borsele_manager).await.unwrap()).is_empty());
    }
}

db_test! {
    async fn only_contracted_providers_deliver_a_product(db) {
        let store = &db.store;
        let w = World::new()
            .region("Oosterschelderegio", &["0664", "0678"])
            .provider("75751001", "Provider A")
            .provider("75752002", "Provider B")
            .resident(person("111222333"))
            .resident(person("123456782").in_municipality("0654"))
            .account("admin@x.nl", Role::Admin, Member::Nothing)
            .account("cm@region.nl", Role::ContractManager, Member::region("Oosterschelderegio"))
            .account("cm@borsele.nl", Role::ContractManager, Member::municipality("0654"))
            .account("wmo@goes.nl", Role::Consultant, Member::municipality("0664"))
            .create(store)
            .await;
        let region_id = waakvlam_store::RegionId::new(w.region("Oosterschelderegio"));
        let (admin, region_manager, borsele_manager, consultant) = (
            w.actor(store, "admin@x.nl").await,
            w.actor(store, "cm@region.nl").await,
            w.actor(store, "cm@borsele.nl").await,
            w.actor(store, "wmo@goes.nl").await,
        );
        let (a, b) = (w.provider("Provider A"), w.provider("Provider B"));
        let wvl = product_id(store, "WVL").await;
        let kees = w.resident("111222333");
        let form = |actor: &Actor| {
            let actor = actor.clone();
            async move {
                store
                    .read(&actor, async |cx| {
                        read::indication_form::page(
                            cx,
                            read::indication_form::Target::New(waakvlam_store::ResidentId::new(kees)),
                        )
                        .await
                    })
                    .await
                    .unwrap()
                    .providers
                    .into_iter()
                    .map(|(p, codes)| (p.name, codes))
                    .collect::<Vec<_>>()
            }
        };
        // No contracts kept: every provider may deliver everything.
        let all = form(&consultant).await;
        assert_eq!(all.len(), 2);
        assert!(all.iter().all(|(_, codes)| codes.contains(&"WVL".to_owned()) && codes.contains(&"BT".to_owned())));

        // A is contracted for WVL in the region, B for WVL in Borsele only.
        let contract = |provider: i64, product, place| catalogue::NewContract {
            provider_id: waakvlam_store::ProviderId::new(provider),
            product_id: product,
            place,
            declaration_period: PeriodKind::Month,
        };
        let add = |actor: &Actor, c: catalogue::NewContract| {
            let actor = actor.clone();
            async move { store.write(&actor, async |cx| catalogue::add_contract(cx, &c).await).await }
        };
        let a_wvl = add(&region_manager, contract(a, wvl, catalogue::RulePlace::Region(region_id))).await.unwrap();
        add(&borsele_manager, contract(b, wvl, catalogue::RulePlace::Municipality("0654".into()))).await.unwrap();
        // Twice is once; outside one's scope is refused.
        assert_eq!(add(&region_manager, contract(a, wvl, catalogue::RulePlace::Region(region_id))).await.unwrap(), a_wvl);
        // A declares per four weeks from now on: the same contract, its period changed, in the history.
        let four_weeks = catalogue::NewContract {
            declaration_period: PeriodKind::FourWeeks,
            ..contract(a, wvl, catalogue::RulePlace::Region(region_id))
        };
        assert_eq!(add(&region_manager, four_weeks).await.unwrap(), a_wvl);
        let listed = store.read(&region_manager, async |cx| catalogue::contracts(cx, wvl).await).await.unwrap();
        assert_eq!(listed.iter().find(|c| c.id == a_wvl).unwrap().declaration_period, PeriodKind::FourWeeks);
        let b_listed = store.read(&admin, async |cx| catalogue::contracts(cx, wvl).await).await.unwrap();
        assert!(b_listed.iter().filter(|c| c.id != a_wvl).all(|c| c.declaration_period == PeriodKind::Month));
        assert!(matches!(
            add(&borsele_manager, contract(b, wvl, catalogue::RulePlace::Region(region_id))).await,
            Err(StoreError::Denied)
        ));
        assert!(matches!(
            add(&consultant, contract(b, wvl, catalogue::RulePlace::Municipality("0664".into()))).await,
            Err(StoreError::Denied)
        ));

        // Goes's form: A delivers everything offered, B everything but WVL
        // (the other products have no contracts, so they stay open).
        let offered = all[0].1.clone();
        assert!(offered.contains(&"BT".to_owned()));
        assert_eq!(
            form(&consultant).await,
            [
                ("Provider A".to_owned(), offered.clone()),
                (
                    "Provider B".to_owned(),
                    offered.iter().filter(|c| *c != "WVL").cloned().collect::<Vec<_>>()
                ),
            ]
        );
        // Creating: B is refused for WVL in Goes, at the provider field.
        match waakvlam(store, &consultant, "111222333", "0664", b, Some(d(2026, 6, 30))).await {
            Err(StoreError::Invalid(r)) => {
                assert_eq!((r[0].field.as_str(), r[0].reason.id), ("provider", "provider-not-contracted"));
            }
            other => panic!("{other:?}"),
        }
        let created = waakvlam(store, &consultant, "111222333", "0664", a, Some(d(2026, 6, 30))).await.unwrap();
        // It lands in A's intake inbox: no team knows Kees at A yet.
        assert_eq!(created.team_id, None);
        assert_eq!(created.provider_id, waakvlam_store::ProviderId::new(a));
        // In Borsele, B is the one for WVL.
        assert!(waakvlam(store, &admin, "123456782", "0654", b, Some(d(2026, 6, 30))).await.is_ok());
        assert!(waakvlam(store, &admin, "123456782", "0654", a, Some(d(2026, 6, 29))).await.is_err());

        // Ending A's contract: running indications stay, new ones go elsewhere.
        assert!(matches!(
            store.write(&borsele_manager, async |cx| catalogue::remove_contract(cx, a_wvl).await).await,
            Err(StoreError::Denied)
        ));
        store.write(&region_manager, async |cx| catalogue::remove_contract(cx, a_wvl).await).await.unwrap();
        // Ending it again changes nothing.
        store.write(&region_manager, async |cx| catalogue::remove_contract(cx, a_wvl).await).await.unwrap();
        let goes = form(&consultant).await;
        assert!(goes.iter().all(|(_, codes)| !codes.contains(&"WVL".to_owned())), "{goes:?}");
        let history: Vec<String> = overview(store, &admin)
            .await
            .unwrap()
            .history
            .into_iter()
            .filter(|h| h.field.starts_with("contract"))
            .map(|h| format!("{} {:?} {:?}", h.field, h.old, h.new))
            .collect();
        assert_eq!(
            history,
            [
                format!("contract region:{region_id} Some(\"Provider A\") None"),
                format!("contract region:{region_id} Provider A declaration period Some(\"month\") Some(\"four_weeks\")"),
                "contract municipality:0654 None Some(\"Provider B\")".to_owned(),
                format!("contract region:{region_id} None Some(\"Provider A\")"),
            ]
        );
    }
}
