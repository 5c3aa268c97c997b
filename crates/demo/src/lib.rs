//! A deterministic synthetic demo region: the Oosterschelderegio's seven
//! municipalities and Hardinxveld-Giessendam's social team, two providers,
//! about 300 residents with realistic pathways from 2019 up to the day it is
//! seeded for.
//!
//! Everything is drawn from one seeded ChaCha generator, and all dates are
//! relative to the day it is seeded for (`today`), so a given `--seed` and
//! day always give the same region, and a fresh demo never looks aged. No real person is in it: names are combined at random and
//! BSNs are generated to pass the 11-check.

mod contracts;
mod declarations;
mod portal;

use std::collections::HashSet;
use std::fmt;

use anyhow::{Context, Result};
use chrono::{DateTime, Datelike, Days, Months, NaiveDate, TimeZone, Utc};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use waakvlam_domain::care::{
    ConsentParty, ContactChannel, Initiator, RequestStatus, ScaleDirection, Urgency,
};
use waakvlam_domain::ids::{AgbCode, Bsn, Email, MunicipalityCode};
use waakvlam_domain::indication::{EndReason, WaakvlamOutcome};
use waakvlam_domain::money::Cents;
use waakvlam_domain::plan::{ResultAssessment, ResultReached};
use waakvlam_domain::role::Role;
use waakvlam_domain::tariff::{FundingVariant, UnitPeriod};
use waakvlam_store::accounts::{self, NewAccount, Organisation};
use waakvlam_store::care_record::{
    self, NewBell, NewConsent, NewContact, NewProgress, PlanItemKind,
};
use waakvlam_store::catalogue::{
    NewContract, NewOwnContribution, NewTariff, ProductRule, RulePlace,
};
use waakvlam_store::indications::{self, NewIndication};
use waakvlam_store::organisations::{self, TeamKind};
use waakvlam_store::residents::{self, NewResident};
use waakvlam_store::scale_request::{self, NewScaleRequest};
use waakvlam_store::{
    AccountId, Actor, Cx, IndicationId, ProductId, ProviderId, ResidentId, Store, StoreError,
    TeamId, catalogue,
};

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "waakvlam-demo";

/// How many residents the region has besides the demo resident.
const RESIDENTS: usize = 300;

/// A demo login, printed at start.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoLogin {
    pub role: Role,
    pub email: String,
    pub name: String,
}

/// The fixed logins: one per role, `<role>@demo.waakvlam.nl`.
pub fn logins() -> Vec<DemoLogin> {
    [
        (Role::Admin, "Bram Verhoeven"),
        (Role::Consultant, "Ilse Dekker"),
        (Role::Professional, "Sanne de Wit"),
        (Role::TeamLead, "Marco Kaya"),
        (Role::Analyst, "Yvonne Jansen"),
        (Role::Resident, "Kees van Dam"),
        (Role::ContractManager, contracts::NAME),
        (Role::TrustedPerson, "Anna van Dam"),
    ]
    .into_iter()
    .map(|(role, name)| DemoLogin {
        role,
        email: format!("{}@demo.waakvlam.nl", role.as_str()),
        name: name.to_owned(),
    })
    .collect()
}

/// What seeding created.
#[derive(Clone, Debug, Default)]
pub struct DemoSummary {
    pub residents: usize,
    pub indications: usize,
    pub contacts: usize,
    pub check_ins: usize,
    pub bells: usize,
    pub logins: Vec<DemoLogin>,
}

impl fmt::Display for DemoSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Demo region ready: {} residents, {} indications, {} contacts, {} check-ins, {} bells.",
            self.residents, self.indications, self.contacts, self.check_ins, self.bells
        )
    }
}

/// Whether the database has no accounts yet (so the demo may fill it).
pub async fn is_empty(store: &Store) -> Result<bool> {
    let system = Actor::system("demo");
    Ok(store
        .read(&system, async |cx| accounts::list(cx).await)
        .await?
        .is_empty())
}

/// The seven municipalities of the Oosterschelderegio with a weight for
/// how many residents live there.
const REGION: &[(&str, &str, u32)] = &[
    ("0654", "Borsele", 23),
    ("0664", "Goes", 40),
    ("0678", "Kapelle", 13),
    ("1695", "Noord-Beveland", 8),
    ("0703", "Reimerswaal", 23),
    ("1676", "Schouwen-Duiveland", 34),
    ("0716", "Tholen", 27),
];
const HARDINXVELD: &str = "0523";
const GOES: &str = "0664";
const THOLEN: &str = "0716";

const GIVEN: &[&str] = &[
    "Anna",
    "Bram",
    "Chantal",
    "Daan",
    "Esther",
    "Fatima",
    "Gerrit",
    "Hanna",
    "Ibrahim",
    "Jeroen",
    "Karin",
    "Lars",
    "Mila",
    "Noah",
    "Olga",
    "Pieter",
    "Rik",
    "Sara",
    "Tom",
    "Uriel",
    "Vera",
    "Wim",
    "Yara",
    "Zoë",
    "Ahmed",
    "Bianca",
    "Cor",
    "Dewi",
    "Emre",
    "Fenna",
    "Gijs",
    "Hatice",
    "Iris",
    "Johan",
    "Kevin",
    "Lotte",
    "Mohamed",
    "Nadia",
    "Ruud",
    "Samira",
    "Thijs",
    "Wendy",
    "Jan Willem",
    "Marie-Louise",
    "Koen",
    "Lieke",
    "Dirk",
    "Priya",
    "Mustafa",
    "Elif",
];
const PREFIXES: &[&str] = &[
    "", "", "", "", "de", "van", "van der", "van den", "den", "ter",
];
const FAMILY: &[&str] = &[
    "Jansen",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "Mulder",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "Dekker",
    "Brouwer",
    "Wit",
    "Dijkstra",
    "Kok",
    "Boer",
    "Vermeulen",
    "Berg",
    "Huisman",
    "Sanders",
    "Verhoeven",
    "Koster",
    "Prins",
    "Leeuw",
    "Maas",
    "Schouten",
    "Kaya",
    "Yilmaz",
    "El Idrissi",
    "Boukhari",
    "Nguyen",
    "Pattipeilohy",
    "Wolters",
    "Kramer",
    "Vink",
    "Steenbergen",
    "Goedhart",
    "Westdijk",
    "Minderhoud",
    "Sinke",
    "Kodde",
    "Lindenbergh",
];
const AGREED_RESULT: &str =
    "Situatie stabiel houden; tijdig signaleren van terugval en dan direct opschalen.";
const GOALS: &[&str] = &[
    "Ik houd mijn huis schoon en opgeruimd.",
    "Ik betaal mijn rekeningen op tijd.",
    "Ik heb elke week contact met iemand die ik vertrouw.",
    "Ik ga twee dagen per week naar mijn dagbesteding.",
    "Ik weet wat ik moet doen als het minder goed gaat.",
    "Ik open mijn post en vraag hulp als ik iets niet begrijp.",
    "Ik slaap goed en sta op tijd op.",
];
const AGREEMENTS: &[&str] = &[
    "We bellen één keer per maand.",
    "Als het niet goed gaat, bel ik zelf of druk ik op 'Ik wil hulp'.",
    "Mijn zus mag mijn plan zien.",
    "We kijken samen elke drie maanden naar mijn plan.",
];
const PROGRESS: &[&str] = &[
    "Dit ging goed: de rekeningen zijn betaald.",
    "Hier wil ik hulp bij: een brief van de woningcorporatie.",
    "Het gaat rustig. Geen bijzonderheden.",
    "Was een paar dagen somber, nu weer beter.",
    "Dagbesteding gaat goed, twee dagen per week.",
];
const NOTES: &[&str] = &[
    "Kort gebeld, gaat goed.",
    "Huisbezoek: huis op orde, post bijgehouden.",
    "Samen naar de brief van de gemeente gekeken.",
    "Inwoner belde zelf, wat onrustig door verhuizing buren.",
    "Gaat goed; afgesproken over een maand weer te bellen.",
];

struct Region {
    /// (team id, provider id, municipalities it covers, its professionals)
    teams: Vec<(i64, i64, Vec<&'static str>, Vec<i64>)>,
    demo_resident_bsn: Bsn,
}

/// Fills an empty database with the demo region in one transaction, dated
/// relative to `today` (the pathways run up to it; a few plans lie after it).
pub async fn seed(store: &Store, seed: u64, today: NaiveDate) -> Result<DemoSummary> {
    let actor = Actor::system("demo seed");
    let summary = store
        .write(&actor, async |cx| {
            let summary = seed_region(cx, seed, today)
                .await
                .map_err(|e| StoreError::Internal(format!("demo seed: {e:#}")))?;
            // Last month declared and answered, for the contract manager's view.
            declarations::seed(cx, today)
                .await
                .map_err(|e| StoreError::Internal(format!("demo declarations: {e:#}")))?;
            // The seeded history is not news: nobody is mailed about it.
            waakvlam_store::notifications::forget_seeded(cx).await?;
            Ok(summary)
        })
        .await?;
    professional_looks_at_kees(store, today).await?;
    tracing::info!(
        residents = summary.residents,
        indications = summary.indications,
        "demo region seeded"
    );
    Ok(summary)
}

/// The demo professional opens Kees's page once, as a real page view, so
/// "Wie keek naar mijn gegevens?" shows a visit, logged as hers by the
/// store's one access-log path.
async fn professional_looks_at_kees(store: &Store, today: NaiveDate) -> Result<()> {
    let system = Actor::system("demo seed");
    let found = store
        .read(&system, async |cx| {
            let Some(sanne) = accounts::by_email(cx, "professional@demo.waakvlam.nl").await? else {
                return Ok(None);
            };
            let Some(kees) = accounts::by_email(cx, "resident@demo.waakvlam.nl").await? else {
                return Ok(None);
            };
            let actor = sanne.actor(cx, None).await?;
            Ok(kees.resident_id.map(|kees| (actor, kees)))
        })
        .await?;
    if let Some((sanne, kees)) = found {
        store
            .read(&sanne, async |cx| {
                waakvlam_store::read::resident::page(cx, kees, today, 0, 20).await
            })
            .await?;
    }
    Ok(())
}

async fn seed_region(cx: &Cx<'_>, seed: u64, today: NaiveDate) -> Result<DemoSummary> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);

    // Organisations.
    let codes: Vec<MunicipalityCode> = REGION
        .iter()
        .filter_map(|(code, _, _)| MunicipalityCode::parse(code).ok())
        .collect();
    let region_id = organisations::create_region(cx, "Oosterschelderegio", &codes)
        .await?
        .get();
    let (provider_a, _) =
        organisations::upsert_provider(cx, &agb("75751001")?, "Zeeuwse Zorgcoöperatie").await?;
    let (provider_b, _) =
        organisations::upsert_provider(cx, &agb("75752002")?, "Stichting Scheldekracht").await?;
    /// (name, kind, municipality of a social team, provider, municipalities covered)
    type TeamDef<'a> = (&'a str, TeamKind, Option<&'a str>, i64, &'a [&'static str]);
    let team_defs: &[TeamDef] = &[
        (
            "Team Goes-Kapelle",
            TeamKind::ProviderTeam,
            None,
            provider_a.id.get(),
            &["0664", "0678"],
        ),
        (
            "Team Schouwen-Duiveland",
            TeamKind::ProviderTeam,
            None,
            provider_a.id.get(),
            &["1676"],
        ),
        (
            "Team Oosterschelde-Oost",
            TeamKind::ProviderTeam,
            None,
            provider_b.id.get(),
            &["0703", "0716"],
        ),
        (
            "Team Borsele-Noord-Beveland",
            TeamKind::ProviderTeam,
            None,
            provider_b.id.get(),
            &["0654", "1695"],
        ),
        (
            "Sociaal team Hardinxveld-Giessendam",
            TeamKind::SocialTeam,
            Some(HARDINXVELD),
            provider_a.id.get(),
            &[HARDINXVELD],
        ),
    ];
    let mut teams = Vec::new();
    for (i, (name, kind, municipality, provider, covers)) in team_defs.iter().enumerate() {
        let provider_id = (*kind == TeamKind::ProviderTeam).then_some(*provider);
        let team = organisations::create_team(
            cx,
            name,
            *kind,
            *municipality,
            provider_id.map(waakvlam_store::ProviderId::new),
        )
        .await?;
        let mut professionals = Vec::new();
        for j in 0..3 {
            let given = GIVEN[(i * 7 + j * 3 + 5) % GIVEN.len()];
            let family = FAMILY[(i * 5 + j * 11 + 3) % FAMILY.len()];
            let name = format!("{given} {family}");
            let slug: String = name
                .to_lowercase()
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '.' })
                .collect();
            let account = create_account(
                cx,
                &format!("{slug}@team{}.demo.waakvlam.nl", i + 1),
                &name,
                Role::Professional,
                Organisation {
                    provider_id: provider_id.map(ProviderId::new),
                    team_id: Some(team.id),
                    municipality_code: municipality.map(str::to_owned),
                    ..Default::default()
                },
                Some(format!("0113-{:06}", 200_000 + i * 10 + j)),
            )
            .await?;
            // Part-time and full-time, as in practice: the workload page
            // weighs caseloads against these hours.
            accounts::set_capacity(
                cx,
                waakvlam_store::AccountId::new(account),
                Some([24, 32, 28][j % 3]),
            )
            .await?;
            professionals.push(account);
        }
        teams.push((team.id.get(), *provider, covers.to_vec(), professionals));
    }
    let first_team = teams.first().map(|t| t.0).context("no teams")?;

    // The fixed logins, connected to each other's data.
    let demo = logins();
    let name_of = |role: Role| {
        demo.iter()
            .find(|l| l.role == role)
            .map(|l| l.name.clone())
            .unwrap_or_default()
    };
    create_account(
        cx,
        "admin@demo.waakvlam.nl",
        &name_of(Role::Admin),
        Role::Admin,
        Organisation::default(),
        None,
    )
    .await?;
    create_account(
        cx,
        "consultant@demo.waakvlam.nl",
        &name_of(Role::Consultant),
        Role::Consultant,
        Organisation {
            municipality_code: Some(GOES.to_owned()),
            ..Default::default()
        },
        None,
    )
    .await?;
    let demo_professional = create_account(
        cx,
        "professional@demo.waakvlam.nl",
        &name_of(Role::Professional),
        Role::Professional,
        Organisation {
            provider_id: Some(provider_a.id),
            team_id: Some(TeamId::new(first_team)),
            ..Default::default()
        },
        Some("0113-123456".to_owned()),
    )
    .await?;
    accounts::set_capacity(
        cx,
        waakvlam_store::AccountId::new(demo_professional),
        Some(32),
    )
    .await?;
    if let Some(t) = teams.first_mut() {
        // The demo professional carries the largest share of the team's caseload.
        t.3.insert(0, demo_professional);
        t.3.insert(0, demo_professional);
    }
    create_account(
        cx,
        "team_lead@demo.waakvlam.nl",
        &name_of(Role::TeamLead),
        Role::TeamLead,
        Organisation {
            provider_id: Some(provider_a.id),
            team_id: Some(TeamId::new(first_team)),
            ..Default::default()
        },
        None,
    )
    .await?;
    create_account(
        cx,
        "analyst@demo.waakvlam.nl",
        &name_of(Role::Analyst),
        Role::Analyst,
        Organisation {
            region_id: Some(waakvlam_store::RegionId::new(region_id)),
            ..Default::default()
        },
        None,
    )
    .await?;

    contracts::seed(cx, region_id).await?;

    // Catalogue: 2021 tariffs for every year of the demo and the next one;
    // Tholen pays WVL per week.
    let products = catalogue::products(cx).await?;
    let product_id = |code: &str| {
        products
            .iter()
            .find(|p| p.product.code.as_str() == code)
            .map(|p| p.id)
            .context("product")
    };
    let (bts, bt, wvl) = (product_id("BTS")?, product_id("BT")?, product_id("WVL")?);
    // In the Oosterschelderegio a waakvlam lasts at most 12 months (longer
    // only by extension); elsewhere it runs as long as needed.
    catalogue::set_rule(
        cx,
        &ProductRule {
            product_id: wvl,
            place: RulePlace::Region(waakvlam_store::RegionId::new(region_id)),
            max_duration_months: Some(12),
        },
    )
    .await?;
    // Both providers are contracted region-wide for the three products, and
    // the first also by Hardinxveld-Giessendam, outside the region.
    let places = [
        (
            provider_a.id,
            RulePlace::Region(waakvlam_store::RegionId::new(region_id)),
        ),
        (
            provider_b.id,
            RulePlace::Region(waakvlam_store::RegionId::new(region_id)),
        ),
        (
            provider_a.id,
            RulePlace::Municipality(HARDINXVELD.to_owned()),
        ),
    ];
    for (provider, place) in places {
        for product in [bts, bt, wvl] {
            catalogue::add_contract(
                cx,
                &NewContract {
                    provider_id: provider,
                    product_id: product,
                    place: place.clone(),
                    declaration_period: waakvlam_store::declarations::PeriodKind::Month,
                },
            )
            .await?;
        }
    }
    for year in 2019..=today.year() + 1 {
        catalogue::set_tariff(
            cx,
            &NewTariff {
                product_id: wvl,
                municipality_code: None,
                year,
                variant: FundingVariant::PerIndication,
                amount: Cents(70_569),
            },
        )
        .await?;
        catalogue::set_tariff(
            cx,
            &NewTariff {
                product_id: wvl,
                municipality_code: Some(THOLEN.to_owned()),
                year,
                variant: FundingVariant::PerUnit(UnitPeriod::Week),
                amount: Cents(5_000),
            },
        )
        .await?;
        catalogue::set_tariff(
            cx,
            &NewTariff {
                product_id: bt,
                municipality_code: None,
                year,
                variant: FundingVariant::PerUnit(UnitPeriod::Week),
                amount: Cents(11_450),
            },
        )
        .await?;
        catalogue::set_tariff(
            cx,
            &NewTariff {
                product_id: bts,
                municipality_code: None,
                year,
                variant: FundingVariant::PerHour {
                    budget_ceiling: Cents(1_200_000),
                },
                amount: Cents(7_236),
            },
        )
        .await?;
    }
    let jan_2019 = date(2019, 1, 1);
    for p in [bts, bt, wvl] {
        catalogue::set_own_contribution(
            cx,
            &NewOwnContribution {
                product_id: p,
                municipality_code: None,
                valid_from: jan_2019,
                monthly: Cents(1_900),
            },
        )
        .await?;
    }
    // Goes abolished the own contribution for waakvlam from 2024.
    catalogue::set_own_contribution(
        cx,
        &NewOwnContribution {
            product_id: wvl,
            municipality_code: Some(GOES.to_owned()),
            valid_from: date(2024, 1, 1),
            monthly: Cents(0),
        },
    )
    .await?;

    let region = Region {
        teams,
        demo_resident_bsn: make_bsn(&mut rng, &mut HashSet::new())?,
    };

    let mut summary = DemoSummary {
        logins: demo.clone(),
        ..Default::default()
    };
    let mut used_bsns = HashSet::from([region.demo_resident_bsn.as_str().to_owned()]);

    // The demo resident: Goes, on the demo professional's caseload, in waakvlam after BT.
    let kees = NewResident {
        bsn: region.demo_resident_bsn.clone(),
        birth_date: date(1979, 6, 14),
        family_name: "Dam".to_owned(),
        name_prefix: Some("van".to_owned()),
        given_names: Some("Kees".to_owned()),
        initials: None,
        municipality_code: MunicipalityCode::parse(GOES)?,
        phone: Some("06-12345678".to_owned()),
        email: Some("resident@demo.waakvlam.nl".to_owned()),
        address: Some("Kerkstraat 12, 4461 AB Goes".to_owned()),
    };
    let (kees_row, _) = residents::upsert(cx, &kees).await?;
    let plan = Plan {
        steps: vec![(Step::Bt, 10), (Step::Wvl, 0)],
        // Ten months of BT, then two years of waakvlam up to today.
        start: today - Days::new(813),
        municipality: GOES,
        team: region.teams.first().map(|t| (t.0, t.1)).context("team")?,
        professional: Some(demo_professional),
    };
    build_pathway(
        cx,
        &mut rng,
        &mut summary,
        kees_row.id.get(),
        &plan,
        today,
        (bts.get(), bt.get(), wvl.get()),
        true,
    )
    .await?;
    create_account(
        cx,
        "resident@demo.waakvlam.nl",
        &name_of(Role::Resident),
        Role::Resident,
        Organisation {
            resident_id: Some(kees_row.id),
            ..Default::default()
        },
        None,
    )
    .await?;
    summary.residents += 1;

    // The other residents.
    let weights: Vec<(&'static str, u32)> = REGION
        .iter()
        .map(|(c, _, w)| (*c, *w))
        .chain(std::iter::once((HARDINXVELD, 18)))
        .collect();
    let total_weight: u32 = weights.iter().map(|(_, w)| w).sum();
    let mut ending_soon_placed = false;
    for _ in 0..RESIDENTS {
        let mut pick = rng.random_range(0..total_weight);
        let mut municipality = GOES;
        for (code, w) in &weights {
            if pick < *w {
                municipality = code;
                break;
            }
            pick -= w;
        }
        let team = region
            .teams
            .iter()
            .find(|t| t.2.contains(&municipality))
            .context("every municipality has a team")?;
        // A few new residents wait for the team lead to assign a professional.
        let professional = if rng.random_range(0..100) < 4 {
            None
        } else {
            Some(*team.3.choose(&mut rng).context("team has professionals")?)
        };
        let given = *GIVEN.choose(&mut rng).context("names")?;
        let prefix = *PREFIXES.choose(&mut rng).context("names")?;
        let family = *FAMILY.choose(&mut rng).context("names")?;
        let birth = date(
            rng.random_range(1948..2006),
            rng.random_range(1..=12),
            rng.random_range(1..=28),
        );
        let new = NewResident {
            bsn: make_bsn(&mut rng, &mut used_bsns)?,
            birth_date: birth,
            family_name: family.to_owned(),
            name_prefix: (!prefix.is_empty()).then(|| prefix.to_owned()),
            given_names: Some(given.to_owned()),
            initials: None,
            municipality_code: MunicipalityCode::parse(municipality)?,
            phone: Some(format!(
                "06-{:08}",
                rng.random_range(10_000_000..99_999_999)
            )),
            email: None,
            address: None,
        };
        let (row, _) = residents::upsert(cx, &new).await?;
        let mut plan = random_plan(
            &mut rng,
            municipality,
            (team.0, team.1),
            professional,
            today,
        );
        // The consultant's "Waakvlam loopt af binnen 60 dagen" is never empty
        // in the demo, whatever the day: the first Goes resident with a
        // professional has a waakvlam that started ten and a half months ago.
        if !ending_soon_placed && municipality == GOES && professional.is_some() {
            ending_soon_placed = true;
            plan.steps = vec![(Step::Bt, 6), (Step::Wvl, 0)];
            plan.start = today.checked_sub_months(Months::new(16)).unwrap_or(today) - Days::new(15);
        }
        build_pathway(
            cx,
            &mut rng,
            &mut summary,
            row.id.get(),
            &plan,
            today,
            (bts.get(), bt.get(), wvl.get()),
            false,
        )
        .await?;
        summary.residents += 1;
    }
    portal::seed(cx, today, kees_row.id.get(), demo_professional, first_team).await?;
    Ok(summary)
}

fn agb(code: &str) -> Result<AgbCode> {
    AgbCode::parse(code).map_err(|e| anyhow::anyhow!("demo AGB code {code}: {e}"))
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

fn at(day: NaiveDate, hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.from_utc_datetime(&day.and_hms_opt(hour, minute, 0).unwrap_or_default())
}

async fn create_account(
    cx: &Cx<'_>,
    email: &str,
    name: &str,
    role: Role,
    organisation: Organisation,
    phone: Option<String>,
) -> Result<i64> {
    let account = accounts::create(
        cx,
        NewAccount {
            email: Email::parse(email).map_err(|e| anyhow::anyhow!("demo e-mail {email}: {e}"))?,
            display_name: name.to_owned(),
            role,
            password: DEMO_PASSWORD.to_owned(),
            organisation,
            phone,
        },
    )
    .await?;
    Ok(account.id.get())
}

/// A random valid BSN not used before.
fn make_bsn(rng: &mut ChaCha8Rng, used: &mut HashSet<String>) -> Result<Bsn> {
    loop {
        let mut digits: Vec<u32> = (0..8).map(|_| rng.random_range(0..10)).collect();
        if digits[0] == 0 {
            digits[0] = 1;
        }
        let sum: u32 = digits.iter().zip((2..=9).rev()).map(|(d, w)| d * w).sum();
        let check = sum % 11;
        if check == 10 {
            continue;
        }
        digits.push(check);
        let s: String = digits
            .iter()
            .map(|d| char::from_digit(*d, 10).unwrap_or('0'))
            .collect();
        if used.insert(s.clone())
            && let Ok(bsn) = Bsn::parse(&s)
        {
            return Ok(bsn);
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Step {
    Bts,
    Bt,
    Wvl,
}

/// A resident's pathway: steps with their length in months (0: up to today).
struct Plan {
    steps: Vec<(Step, u32)>,
    start: NaiveDate,
    municipality: &'static str,
    /// (team id, provider id)
    team: (i64, i64),
    professional: Option<i64>,
}

fn random_plan(
    rng: &mut ChaCha8Rng,
    municipality: &'static str,
    team: (i64, i64),
    professional: Option<i64>,
    today: NaiveDate,
) -> Plan {
    let shape = rng.random_range(0..100);
    let steps = match shape {
        // Heavy to light, then ended independently.
        0..=24 => vec![
            (Step::Bts, rng.random_range(3..8)),
            (Step::Bt, rng.random_range(5..13)),
            (Step::Wvl, rng.random_range(6..13)),
        ],
        // Individual support scaled down to waakvlam, still running.
        25..=54 => vec![(Step::Bt, rng.random_range(4..14)), (Step::Wvl, 0)],
        // Re-escalation: waakvlam scaled up again, later down again.
        55..=69 => vec![
            (Step::Bt, rng.random_range(6..12)),
            (Step::Wvl, rng.random_range(3..9)),
            (Step::Bt, rng.random_range(2..5)),
            (Step::Wvl, 0),
        ],
        // Still in individual support with a planned scale-down moment.
        70..=84 => vec![(Step::Bt, 0)],
        // Intensive support, still running.
        85..=91 => vec![(Step::Bts, 0)],
        // Waakvlam straight away.
        _ => vec![(Step::Wvl, 0)],
    };
    // Date the pathway backwards from today: a running last step started a
    // few months ago (a waakvlam sometimes over a year ago, so it was extended);
    // finished pathways lie anywhere from 2019 on.
    let months: u32 = steps.iter().map(|(_, m)| m).sum();
    let running_tail = match steps.last() {
        Some((Step::Wvl, 0)) => Some(rng.random_range(1..17)),
        Some((_, 0)) => Some(rng.random_range(1..10)),
        _ => None,
    };
    let start = match running_tail {
        Some(tail) => {
            today
                .checked_sub_months(Months::new(months + tail))
                .unwrap_or(today)
                - Days::new(rng.random_range(0..28))
        }
        None => {
            let latest = today
                .checked_sub_months(Months::new(months + 1))
                .unwrap_or(today);
            let span = (latest - date(2019, 1, 7)).num_days().max(1) as u64;
            date(2019, 1, 7) + Days::new(rng.random_range(0..span))
        }
    };
    Plan {
        steps,
        start,
        municipality,
        team,
        professional,
    }
}

/// Creates the chain of indications of a plan with the contacts, check-ins,
/// bells, requests and plan around it.
#[allow(clippy::too_many_arguments)]
async fn build_pathway(
    cx: &Cx<'_>,
    rng: &mut ChaCha8Rng,
    summary: &mut DemoSummary,
    resident_id: i64,
    plan: &Plan,
    today: NaiveDate,
    (bts, bt, wvl): (i64, i64, i64),
    is_demo_resident: bool,
) -> Result<()> {
    let mut start = plan.start;
    let mut predecessor: Option<(IndicationId, Step)> = None;
    let rhythm = *[14, 28, 28, 28, 42].choose(rng).unwrap_or(&28);
    for (i, (step, months)) in plan.steps.iter().enumerate() {
        if start > today {
            break;
        }
        let last = i + 1 == plan.steps.len();
        let code = match step {
            Step::Bts => "BTS",
            Step::Bt => "BT",
            Step::Wvl => "WVL",
        };
        let planned_end = if *months == 0 {
            None
        } else {
            start.checked_add_months(Months::new(*months))
        };
        // Ends before today: a finished step; otherwise it is still running.
        let actual_end = planned_end
            .filter(|e| *e <= today)
            .map(|e| e - Days::new(1));
        let running = actual_end.is_none();
        let (end_date, scale_down) = match step {
            Step::Wvl => {
                let max = start
                    .checked_add_months(Months::new(12))
                    .map(|d| d - Days::new(1));
                (actual_end.or(max), None)
            }
            _ => {
                // The moment planned at the start; realised scale-downs come a little
                // earlier or later, so planned and actual differ as in practice.
                let planned_months = if *months == 0 {
                    rng.random_range(4..12)
                } else {
                    (*months).saturating_sub(rng.random_range(0..3)).max(1)
                };
                let planned = start.checked_add_months(Months::new(planned_months));
                let planned = match (planned, actual_end) {
                    (Some(p), Some(end)) => Some(p.min(end)),
                    (p, _) => p,
                };
                (actual_end, planned)
            }
        };
        let (end_reason, outcome) = if running {
            (None, None)
        } else if last {
            let o = if rng.random_range(0..10) < 8 {
                WaakvlamOutcome::Independent
            } else {
                WaakvlamOutcome::Moved
            };
            (
                Some(o.end_reason().code().to_owned()),
                Some(o.as_str().to_owned()),
            )
        } else {
            (Some(EndReason::ChangeRequest.code().to_owned()), None)
        };
        let new = NewIndication {
            resident_id: ResidentId::new(resident_id),
            product_code: code.to_owned(),
            municipality_code: plan.municipality.to_owned(),
            provider_id: ProviderId::new(plan.team.1),
            allocation_number: None,
            issued_on: start - Days::new(rng.random_range(3..25)),
            start_date: start,
            end_date: if *step == Step::Wvl && running { end_date } else { actual_end },
            planned_scale_down_date: scale_down,
            agreed_result: Some(match step {
                Step::Wvl => AGREED_RESULT.to_owned(),
                _ => "Zelfstandig wonen met een stabiele dagstructuur; daarna afschalen naar waakvlam.".to_owned(),
            }),
            predecessor_id: predecessor.map(|p| p.0),
            professional_account_id: plan.professional.map(AccountId::new),
            // A new resident without a professional waits in the provider's
            // intake inbox ("Nieuwe toewijzingen"); one the provider knew
            // stays with its team, waiting for a professional.
            team_id: (plan.professional.is_some() || predecessor.is_some())
                .then(|| TeamId::new(plan.team.0)),
            contact_rhythm_days: (*step == Step::Wvl).then_some(rhythm),
            end_reason,
            outcome,
        };
        let indication = indications::create(cx, &new).await?;
        summary.indications += 1;
        // The professional assessed the agreed result when the waakvlam ended
        // (without the random source, so the rest of the region stays as it was).
        if *step == Step::Wvl && last && !running {
            let moved = new.outcome.as_deref() == Some(WaakvlamOutcome::Moved.as_str());
            indications::assess_result(cx, indication.id, &demo_result(resident_id, moved)).await?;
        }
        // A long-running waakvlam was extended at its 12-month end.
        if *step == Step::Wvl
            && running
            && let Some(end) = indication.end_date
            && end < today + Days::new(20)
        {
            let new_end = end.checked_add_months(Months::new(12)).unwrap_or(end);
            indications::extend(
                cx,
                indication.id,
                new_end,
                "Nog steeds kwetsbaar; waakvlam voorkomt terugval.",
            )
            .await?;
        }
        if let Some((prev_id, prev_step)) = predecessor {
            let direction = if *step == Step::Bt && prev_step == Step::Wvl {
                ScaleDirection::Up
            } else {
                ScaleDirection::Down
            };
            let product = match step {
                Step::Bts => bts,
                Step::Bt => bt,
                Step::Wvl => wvl,
            };
            scale_request::add(
                cx,
                &NewScaleRequest {
                    indication_id: prev_id,
                    resident_id: ResidentId::new(resident_id),
                    direction,
                    requested_product_id: Some(ProductId::new(product)),
                    requested_start: start,
                    reason: match direction {
                        ScaleDirection::Up => {
                            "Terugval: schulden lopen op en inwoner slaapt slecht.".to_owned()
                        }
                        ScaleDirection::Down => {
                            "Doelen bereikt; afschalen naar lichtere ondersteuning.".to_owned()
                        }
                    },
                    urgency: if direction == ScaleDirection::Up {
                        Urgency::Urgent
                    } else {
                        Urgency::Normal
                    },
                    status: RequestStatus::Approved,
                    requested_by: plan.professional.map(AccountId::new),
                    requested_at: at(start - Days::new(10), 10, 15),
                    decided: None,
                    successor_indication_id: Some(indication.id),
                },
            )
            .await?;
        }
        // Contact: weekly-ish in heavy support, low-frequency in waakvlam.
        let until = actual_end.unwrap_or(today);
        let mut day = start + Days::new(rng.random_range(1..7));
        while day <= until {
            let wvl_step = *step == Step::Wvl;
            care_record::add_contact(
                cx,
                &NewContact {
                    resident_id: ResidentId::new(resident_id),
                    professional_account_id: plan.professional.map(AccountId::new),
                    occurred_at: at(day, rng.random_range(8..17), 0),
                    channel: *[
                        ContactChannel::Visit,
                        ContactChannel::Phone,
                        ContactChannel::Phone,
                        ContactChannel::Message,
                        ContactChannel::Video,
                    ]
                    .choose(rng)
                    .unwrap_or(&ContactChannel::Phone),
                    initiator: if rng.random_range(0..5) == 0 {
                        Initiator::Resident
                    } else {
                        Initiator::Professional
                    },
                    duration_minutes: (!wvl_step).then(|| rng.random_range(3..10) * 10),
                    wellbeing: wvl_step.then(|| rng.random_range(2..=5)),
                    note: wvl_step
                        .then(|| NOTES.choose(rng).map(|s| (*s).to_owned()))
                        .flatten(),
                },
            )
            .await?;
            summary.contacts += 1;
            let gap = if wvl_step {
                rng.random_range(rhythm as u64 - 7..rhythm as u64 + 14)
            } else {
                rng.random_range(6..15)
            };
            day = day + Days::new(gap);
        }
        // Check-ins in waakvlam: roughly monthly, wellbeing drifting.
        if *step == Step::Wvl {
            let mut day = start + Days::new(rng.random_range(10..30));
            let mut wellbeing: u8 = rng.random_range(3..=5);
            while day <= until {
                care_record::add_check_in(
                    cx,
                    ResidentId::new(resident_id),
                    at(day, 19, 30),
                    wellbeing,
                    None,
                )
                .await?;
                summary.check_ins += 1;
                wellbeing = (i16::from(wellbeing) + rng.random_range(-1..=1)).clamp(1, 5) as u8;
                day = day + Days::new(rng.random_range(25..40));
            }
            // Some residents rang the bell; a few recent ones are not yet picked up.
            if (rng.random_range(0..100) < 18 || is_demo_resident)
                && let Some(pro) = plan.professional
            {
                let rung_day = until
                    - Days::new(
                        rng.random_range(0..60.min((until - start).num_days().max(1) as u64)),
                    );
                let open = running && rung_day > today - Days::new(4) && !is_demo_resident;
                let rung_at = at(rung_day, 21, 5);
                let picked_up = rung_at + chrono::Duration::hours(rng.random_range(1..20));
                care_record::add_bell(
                    cx,
                    &NewBell {
                        resident_id: ResidentId::new(resident_id),
                        rung_at,
                        message: Some("Het gaat niet goed, kunt u bellen?".to_owned()),
                        acknowledged: (!open).then_some((picked_up, AccountId::new(pro))),
                        resolved: (!open).then(|| {
                            (
                                picked_up + chrono::Duration::hours(2),
                                AccountId::new(pro),
                                "Gebeld en afspraak gemaakt voor huisbezoek.".to_owned(),
                            )
                        }),
                    },
                )
                .await?;
                summary.bells += 1;
            }
        }
        // A waiting scale-down request for some who reached their moment.
        if running
            && *step != Step::Wvl
            && scale_down.is_some_and(|d| d <= today)
            && rng.random_range(0..3) == 0
        {
            scale_request::add(
                cx,
                &NewScaleRequest {
                    indication_id: indication.id,
                    resident_id: ResidentId::new(resident_id),
                    direction: ScaleDirection::Down,
                    requested_product_id: Some(ProductId::new(wvl)),
                    requested_start: today + Days::new(14),
                    reason: "Afschaalmoment bereikt; doelen grotendeels behaald.".to_owned(),
                    urgency: Urgency::Normal,
                    status: RequestStatus::Pending,
                    requested_by: plan.professional.map(AccountId::new),
                    requested_at: at(today - Days::new(rng.random_range(1..12)), 11, 0),
                    decided: None,
                    successor_indication_id: None,
                },
            )
            .await?;
        }
        predecessor = Some((indication.id, *step));
        match actual_end {
            Some(end) => start = end + Days::new(1),
            None => break,
        }
    }
    // The plan, owned by the resident.
    let goal_count = rng.random_range(2..=3);
    for g in GOALS.choose_multiple(rng, goal_count) {
        care_record::add_plan_item(
            cx,
            ResidentId::new(resident_id),
            PlanItemKind::Goal,
            g,
            at(plan.start, 10, 0),
        )
        .await?;
    }
    for a in AGREEMENTS.choose_multiple(rng, 2) {
        care_record::add_plan_item(
            cx,
            ResidentId::new(resident_id),
            PlanItemKind::Agreement,
            a,
            at(plan.start, 10, 5),
        )
        .await?;
    }
    for p in PROGRESS.choose_multiple(rng, 2) {
        let day = today - Days::new(rng.random_range(5..120));
        care_record::add_progress(
            cx,
            &NewProgress {
                resident_id: ResidentId::new(resident_id),
                plan_item_id: None,
                author_account_id: plan.professional.map(AccountId::new),
                text: (*p).to_owned(),
                at: at(day, 14, 0),
            },
        )
        .await?;
    }
    for (party, account, name) in [
        (
            ConsentParty::Professional,
            plan.professional,
            "Contactpersoon",
        ),
        (ConsentParty::Municipality, None, "Wmo-consulent gemeente"),
    ] {
        care_record::add_consent(
            cx,
            &NewConsent {
                resident_id: ResidentId::new(resident_id),
                party,
                party_account_id: account.map(AccountId::new),
                party_name: name.to_owned(),
                granted_at: at(plan.start, 10, 0),
            },
        )
        .await?;
    }
    Ok(())
}

/// The assessment of an ended waakvlam in the demo, chosen by the resident's
/// number: mostly reached, some partly, a few not.
fn demo_result(resident_id: i64, moved: bool) -> ResultAssessment {
    let (reached, sentence) = match (moved, resident_id.rem_euclid(10)) {
        (true, _) => (
            ResultReached::Partly,
            "Verhuisd; de dagstructuur hield stand, de administratie nog niet helemaal.",
        ),
        (false, 0) => (
            ResultReached::NotReached,
            "Stopt zelf met de begeleiding; de schulden zijn nog niet geregeld.",
        ),
        (false, 1..=3) => (
            ResultReached::Partly,
            "Woont zelfstandig, maar vraagt nog hulp bij de post.",
        ),
        (false, _) => (
            ResultReached::Reached,
            "Woont zelfstandig met een vaste weekstructuur en regelt de post zelf.",
        ),
    };
    ResultAssessment {
        reached,
        sentence: sentence.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn there_is_one_login_per_role_with_the_fixed_address() {
        let l = logins();
        assert_eq!(l.len(), Role::ALL.len());
        assert!(l.iter().any(|l| l.email == "team_lead@demo.waakvlam.nl"));
    }

    #[test]
    fn generated_bsns_pass_the_eleven_check_and_are_unique() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let mut used = HashSet::new();
        for _ in 0..500 {
            make_bsn(&mut rng, &mut used).unwrap();
        }
        assert_eq!(used.len(), 500);
    }
}
