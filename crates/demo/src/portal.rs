//! Demo data for the resident portal: professionals' introductions (so
//! residents can choose a helper), a message thread and a trusted person for
//! Kees van Dam, and a second resident login for trying the portal without
//! touching Kees. Runs after the region is built and draws no random numbers,
//! so the rest of the demo stays exactly as it was.

use anyhow::{Context, Result};
use chrono::{DateTime, Days, NaiveDate, TimeZone, Utc};
use waakvlam_domain::care::ConsentParty;
use waakvlam_domain::ids::Email;
use waakvlam_domain::role::Role;
use waakvlam_store::accounts::{self, NewAccount, Organisation};
use waakvlam_store::care_record::{self, NewConsent};
use waakvlam_store::portal::helper::{self, Profile};
use waakvlam_store::portal::message;
use waakvlam_store::{AccountId, Cx, ResidentId};

use crate::DEMO_PASSWORD;

/// The second resident's login (on Sanne de Wit's caseload, not Kees).
pub const SECOND_RESIDENT_EMAIL: &str = "inwoner2@demo.waakvlam.nl";
/// Kees's sister, who may read his plan.
pub const TRUSTED_EMAIL: &str = "trusted_person@demo.waakvlam.nl";

/// (area, specialisation, languages and background, introduction)
const PROFILES: &[(&str, &str, &str, &str)] = &[
    (
        "Goes-Centrum",
        "Geldzaken, Wonen",
        "Nederlands, Engels",
        "Ik ben Sanne. Ik help je met post, geld en je huis. Ik kom graag bij je thuis.",
    ),
    (
        "Goes-Oost",
        "Werk en dagbesteding, Contact met anderen",
        "Nederlands, Turks",
        "Ik help je een plek te vinden waar je je goed voelt. Ik spreek ook Turks.",
    ),
    (
        "Goes-Zuid",
        "Geldzaken, Gezondheid",
        "Nederlands, Arabisch",
        "Ik luister eerst. Daarna kijken we samen wat je nodig hebt. Ik spreek ook Arabisch.",
    ),
    (
        "Kapelle",
        "Wonen, Contact met anderen",
        "Nederlands, Pools",
        "Ik woon zelf in Kapelle. Ik help je met je huis en met mensen om je heen.",
    ),
];

fn at(day: NaiveDate, hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.from_utc_datetime(&day.and_hms_opt(hour, minute, 0).unwrap_or_default())
}

pub async fn seed(
    cx: &Cx<'_>,
    today: NaiveDate,
    kees: i64,
    professional: i64,
    team_id: i64,
) -> Result<()> {
    // Introductions of the Goes team, so Kees can choose among them.
    let team = accounts::professionals_of_team(cx, waakvlam_store::TeamId::new(team_id)).await?;
    let mut ordered: Vec<_> = team.iter().filter(|a| a.id == professional).collect();
    ordered.extend(team.iter().filter(|a| a.id != professional));
    for (account, (area, spec, langs, intro)) in ordered.iter().zip(PROFILES) {
        helper::set_profile(
            cx,
            &Profile {
                account_id: account.id,
                municipality_code: "0664".to_owned(),
                area: (*area).to_owned(),
                specialisation: (*spec).to_owned(),
                languages: (*langs).to_owned(),
                introduction: (*intro).to_owned(),
                available: true,
            },
        )
        .await?;
    }

    // A short thread between Kees and Sanne.
    for (days_ago, hour, from_kees, text) in [
        (
            6,
            10,
            true,
            "Hoi Sanne, ik heb een brief van de woningbouw. Ik snap hem niet.",
        ),
        (
            6,
            14,
            false,
            "Hoi Kees, maak er een foto van of neem hem donderdag mee. Dan lezen we hem samen.",
        ),
        (2, 9, true, "Donderdag is goed. Tot dan!"),
    ] {
        let author = if from_kees {
            accounts::by_email(cx, "resident@demo.waakvlam.nl")
                .await?
                .map(|a| a.id.get())
        } else {
            Some(professional)
        };
        message::add(
            cx,
            ResidentId::new(kees),
            author.map(AccountId::new),
            text,
            at(today - Days::new(days_ago), hour, 15),
        )
        .await?;
    }

    // Kees's sister may read his plan.
    let anna = accounts::create(
        cx,
        NewAccount {
            email: Email::parse(TRUSTED_EMAIL).map_err(|e| anyhow::anyhow!("{e}"))?,
            display_name: "Anna van Dam".to_owned(),
            role: Role::TrustedPerson,
            password: DEMO_PASSWORD.to_owned(),
            organisation: Organisation::default(),
            phone: None,
        },
    )
    .await?;
    care_record::add_consent(
        cx,
        &NewConsent {
            resident_id: ResidentId::new(kees),
            party: ConsentParty::TrustedPerson,
            party_account_id: Some(anna.id),
            party_name: "Anna van Dam (zus)".to_owned(),
            granted_at: at(today - Days::new(40), 11, 0),
        },
    )
    .await?;

    // A second resident login: the first other resident on Sanne's caseload
    // in Goes (where the introductions above apply).
    let (second, name, _) = helper::open_residents_of(cx, AccountId::new(professional), today)
        .await?
        .into_iter()
        .find(|(id, _, code)| *id != kees && code == "0664")
        .context("the demo professional has another resident")?;
    accounts::create(
        cx,
        NewAccount {
            email: Email::parse(SECOND_RESIDENT_EMAIL).map_err(|e| anyhow::anyhow!("{e}"))?,
            display_name: name,
            role: Role::Resident,
            password: DEMO_PASSWORD.to_owned(),
            organisation: Organisation {
                resident_id: Some(second),
                ..Default::default()
            },
            phone: None,
        },
    )
    .await?;
    Ok(())
}
