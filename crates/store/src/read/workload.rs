//! The read model of the team lead's workload page (`/team`): per
//! professional of the team their caseload, how many of their residents need
//! attention, contacts this month next to what the rhythms ask for, and their
//! capacity. Counts only: no resident is listed, so the page logs one entry
//! for the team, not a search.

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use waakvlam_domain::access::AccessAction;
use waakvlam_domain::role::Role;
use waakvlam_domain::signal::SignalKind;
use waakvlam_domain::workload::{expected_contacts, month_of};

use crate::entity::{account, contact, team};
use crate::read::caseload::{Scope, load_facts, rank};
use crate::tenant::Tenant;
use crate::{AccountId, Cx, StoreResult, TeamId, millis};

/// One professional's load.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProfessionalLoad {
    pub account_id: AccountId,
    pub name: String,
    /// Still working (an account that left may still hold residents until
    /// they are handed over).
    pub active: bool,
    pub capacity_hours_per_week: Option<u32>,
    /// Residents with a running indication they hold.
    pub caseload: u32,
    /// Of those, residents with at least one signal.
    pub needing_attention: u32,
    /// Of those, residents with an open bell.
    pub open_bells: u32,
    /// Contacts they logged this month.
    pub contacts_this_month: u32,
    /// Contacts the rhythms of their residents ask for this month.
    pub expected_this_month: u32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkloadPage {
    pub team_id: TeamId,
    pub team_name: String,
    /// The month the contacts are counted in.
    pub month: (NaiveDate, NaiveDate),
    pub professionals: Vec<ProfessionalLoad>,
    /// Residents of the team without a professional.
    pub unassigned: u32,
}

pub async fn page(cx: &Cx<'_>) -> StoreResult<WorkloadPage> {
    let team_id = match (&cx.actor.tenant, cx.actor.role) {
        (Tenant::Team { team_id }, Some(Role::TeamLead)) => *team_id,
        _ => return Err(cx.deny(AccessAction::Read, None, "workload")),
    };
    let team_name = team::Entity::find_by_id(team_id.get())
        .one(cx.conn())
        .await?
        .map(|t| t.name)
        .unwrap_or_default();
    let today = cx.today();
    let month = month_of(today);
    let people = account::Entity::find()
        .filter(account::Column::TeamId.eq(team_id))
        .filter(account::Column::Role.eq(Role::Professional.as_str()))
        .order_by_asc(account::Column::DisplayName)
        .all(cx.conn())
        .await?;
    let settings = crate::signals::load(cx).await?;
    let facts = load_facts(cx, Scope::Team, today, None).await?;
    let ranked = rank(facts, today, cx.now, &settings);
    let month_start = crate::time::start_of_local_day(month.0);
    let contacts: HashMap<i64, i64> = contact::Entity::find()
        .select_only()
        .column(contact::Column::ProfessionalAccountId)
        .column_as(Expr::col(contact::Column::Id).count(), "n")
        .filter(contact::Column::ProfessionalAccountId.is_in(people.iter().map(|p| p.id)))
        .filter(contact::Column::OccurredAt.gte(millis(month_start)))
        .group_by(contact::Column::ProfessionalAccountId)
        .into_tuple::<(i64, i64)>()
        .all(cx.conn())
        .await?
        .into_iter()
        .collect();
    let mut unassigned = 0;
    let mut load: HashMap<i64, ProfessionalLoad> = people
        .iter()
        .map(|p| {
            (
                p.id,
                ProfessionalLoad {
                    account_id: AccountId::new(p.id),
                    name: p.display_name.clone(),
                    active: p.active,
                    capacity_hours_per_week: p
                        .capacity_hours_per_week
                        .and_then(|h| u32::try_from(h).ok()),
                    caseload: 0,
                    needing_attention: 0,
                    open_bells: 0,
                    contacts_this_month: contacts
                        .get(&p.id)
                        .and_then(|n| u32::try_from(*n).ok())
                        .unwrap_or(0),
                    expected_this_month: 0,
                },
            )
        })
        .collect();
    for r in &ranked {
        let e = &r.facts.entry;
        let Some(l) = e
            .professional_account_id
            .and_then(|id| load.get_mut(&id.get()))
        else {
            if e.professional_account_id.is_none() {
                unassigned += 1;
            }
            continue;
        };
        l.caseload += 1;
        if !r.attention.is_quiet() {
            l.needing_attention += 1;
        }
        if r.attention.has(SignalKind::BellOpen) {
            l.open_bells += 1;
        }
        let thresholds = settings.thresholds(&r.facts.municipality_code, r.facts.team_id);
        if let Some(rhythm) = thresholds.rhythm(e.level, r.facts.contact_rhythm_days) {
            l.expected_this_month +=
                expected_contacts(month, e.start_date, e.end_date, rhythm.days);
        }
    }
    // Everyone still working, and whoever left but still holds residents.
    let professionals = people
        .iter()
        .filter_map(|p| load.remove(&p.id))
        .filter(|l| l.active || l.caseload > 0)
        .collect();
    cx.log(AccessAction::Read, None, format!("workload:team:{team_id}"));
    Ok(WorkloadPage {
        team_id,
        team_name,
        month,
        professionals,
        unassigned,
    })
}
