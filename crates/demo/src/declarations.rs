//! The demo's declarations: last month declared by each provider that works
//! in the region, and answered by the municipalities — every line granted
//! but, in each declaration with hours, the first line by the hour refused
//! (the municipality's record of that allocation ended earlier, 9308) — so
//! the contract manager's view shows every state.

use anyhow::{Context, Result};
use chrono::{Datelike, Months, NaiveDate};
use waakvlam_domain::declaration::DeclarationPeriod;
use waakvlam_domain::ids::{AgbCode, MunicipalityCode};
use waakvlam_iwmo::retour::RetourCode;
use waakvlam_iwmo::wmo323::{Answer, LineAnswer, ReceivedAnswer, ReceivedDeclaration};
use waakvlam_iwmo::{Header, MessageId, MessageKind, Parties, read};
use waakvlam_store::declarations::{self, Declared};
use waakvlam_store::{Cx, iwmo, organisations};

pub(crate) async fn seed(cx: &Cx<'_>, today: NaiveDate) -> Result<()> {
    let Some(last_month) = today
        .with_day(1)
        .and_then(|first| first.checked_sub_months(Months::new(1)))
    else {
        return Ok(());
    };
    let Some(period) = DeclarationPeriod::month(last_month.year(), last_month.month()) else {
        return Ok(());
    };
    // A demo dated ahead of the clock (`--today`) has no month behind it yet.
    if period.end() >= cx.today() {
        return Ok(());
    }
    let mut answered = 0;
    for (provider, _) in organisations::providers_working_here(cx, None).await? {
        let outcome = declarations::declare(cx, provider, period).await?;
        let agb = organisations::provider(cx, provider)
            .await?
            .context("a provider that declared")?
            .agb_code;
        for d in &outcome.declarations {
            answered += 1;
            answer(cx, d, &agb, answered).await?;
        }
    }
    Ok(())
}

/// The municipality's WMO325 to one declaration, read as the provider reads
/// it; the declaration was handed over first.
async fn answer(cx: &Cx<'_>, d: &Declared, agb: &str, n: usize) -> Result<()> {
    let sent: Vec<_> = iwmo::pending(cx)
        .await?
        .into_iter()
        .filter(|m| m.id == d.message)
        .collect();
    iwmo::mark_sent(cx, &sent).await?;
    let message = sent.first().context("the declaration's message")?;
    let received = ReceivedDeclaration::read(&read::parse(&message.xml)?)?;
    let refused = received
        .clients
        .iter()
        .flat_map(|c| &c.lines)
        .find(|l| l.unit == "01" && !l.credit)
        .map(|l| LineAnswer {
            reference: l.reference.clone(),
            codes: vec![RetourCode::END_OUTSIDE_ALLOCATION],
        });
    let xml = Answer {
        header: Header {
            kind: MessageKind::Wmo325,
            parties: Parties {
                municipality: MunicipalityCode::parse(&d.municipality_code)?,
                provider: AgbCode::parse(agb)?,
            },
            id: MessageId::new(&format!("DEMO325-{n:03}"), cx.today())?,
        },
        declaration: received,
        header_codes: Vec::new(),
        lines: refused.into_iter().collect(),
    }
    .to_xml();
    let answer = ReceivedAnswer::read(&read::parse(&xml)?)?;
    declarations::receive_answer(cx, &xml, &answer).await?;
    Ok(())
}
