//! Who is asking, and what they may see.
//!
//! Scoping lives here, in the storage API, rather than in handlers: every
//! query for residents and their records is filtered by
//! [`Tenant::resident_filter`], so a handler cannot forget it.

use sea_orm::sea_query::{Expr, ExprTrait, Query, SimpleExpr};
use sea_orm::{ColumnTrait, Condition};
use waakvlam_domain::access::Purpose;
use waakvlam_domain::role::Role;

use crate::entity::{indication, municipality, resident};
use crate::id::{AccountId, ProviderId, RegionId, ResidentId, TeamId};

/// The organisation scope an actor works in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Tenant {
    /// Command-line tools and seeding: everything.
    System,
    /// Administrators manage the installation and see every tenant.
    Admin,
    /// A municipality's consultant: residents living in the municipality.
    Municipality { code: String },
    /// A region's consultant or analyst: the region's municipalities.
    Region { region_id: RegionId },
    /// A professional: residents whose indication is assigned to them or to
    /// their team, within their own provider when they work for one.
    Professional {
        account_id: AccountId,
        provider_id: Option<ProviderId>,
        team_id: Option<TeamId>,
    },
    /// A team lead: residents whose indication belongs to the team.
    Team { team_id: TeamId },
    /// Analysts work with aggregates only; they never see a resident.
    AggregatesOnly,
    /// A resident: their own record.
    Resident { resident_id: ResidentId },
    /// A contract manager: the catalogue and tariffs of a municipality
    /// (`municipality_code`) or a region (`region_id`); never a resident.
    ContractManager {
        municipality_code: Option<String>,
        region_id: Option<RegionId>,
    },
    /// Someone a resident trusts: nothing through these filters. What a
    /// resident shared with them is read only through `portal`, which checks
    /// the resident's consent at the moment of reading.
    TrustedPerson { account_id: AccountId },
}

/// The caller of a store function, as the access log records them.
#[derive(Clone, Debug)]
pub struct Actor {
    pub account_id: Option<AccountId>,
    pub name: String,
    pub role: Option<Role>,
    /// Human-readable name of the organisation they act for.
    pub organisation: String,
    pub tenant: Tenant,
    pub client_address: Option<String>,
    pub purpose: Purpose,
}

impl Actor {
    /// A command-line tool acting on the operator's behalf.
    pub fn system(name: &str) -> Actor {
        Actor {
            account_id: None,
            name: name.to_owned(),
            role: None,
            organisation: "Waakvlam".to_owned(),
            tenant: Tenant::System,
            client_address: None,
            purpose: Purpose::SystemManagement,
        }
    }

    /// The system acting on a person's behalf (received iWmo messages they
    /// uploaded, applied by the same rules as `waakvlam iwmo import`): in the
    /// access log under their account, with what it does in the name.
    pub fn system_for(person: &Actor, what: &str) -> Actor {
        Actor {
            account_id: person.account_id,
            name: format!("{} ({what})", person.name),
            role: None,
            organisation: person.organisation.clone(),
            tenant: Tenant::System,
            client_address: person.client_address.clone(),
            purpose: Purpose::SystemManagement,
        }
    }

    pub fn with_purpose(mut self, purpose: Purpose) -> Actor {
        self.purpose = purpose;
        self
    }
}

impl Tenant {
    /// A condition on `resident` rows that keeps only those this tenant may see.
    pub fn resident_filter(&self) -> Condition {
        match self {
            Tenant::System | Tenant::Admin => Condition::all(),
            Tenant::Municipality { code } => {
                Condition::all().add(resident::Column::MunicipalityCode.eq(code.clone()))
            }
            Tenant::Region { region_id } => Condition::all().add(
                resident::Column::MunicipalityCode.in_subquery(
                    Query::select()
                        .column(municipality::Column::Code)
                        .from(municipality::Entity)
                        .and_where(municipality::Column::RegionId.eq(*region_id))
                        .to_owned(),
                ),
            ),
            // A correlated EXISTS, answered per resident by an index on
            // `indication (resident_id, provider_id, professional_account_id,
            // team_id)`: its cost grows with the residents asked for, not
            // with the size of the provider (docs/PERFORMANCE.md).
            Tenant::Professional { .. } | Tenant::Team { .. } => {
                Condition::all().add(Expr::exists(
                    Query::select()
                        .expr(Expr::val(1))
                        .from(indication::Entity)
                        .and_where(
                            Expr::col((indication::Entity, indication::Column::ResidentId))
                                .equals((resident::Entity, resident::Column::Id)),
                        )
                        .cond_where(self.indication_filter())
                        .to_owned(),
                ))
            }
            Tenant::AggregatesOnly
            | Tenant::ContractManager { .. }
            | Tenant::TrustedPerson { .. } => Condition::all().add(nothing()),
            Tenant::Resident { resident_id } => {
                Condition::all().add(resident::Column::Id.eq(*resident_id))
            }
        }
    }

    /// A condition on `indication` rows this tenant may see.
    pub fn indication_filter(&self) -> Condition {
        match self {
            Tenant::System | Tenant::Admin => Condition::all(),
            Tenant::Municipality { code } => {
                Condition::all().add(indication::Column::MunicipalityCode.eq(code.clone()))
            }
            Tenant::Region { region_id } => Condition::all().add(
                indication::Column::MunicipalityCode.in_subquery(
                    Query::select()
                        .column(municipality::Column::Code)
                        .from(municipality::Entity)
                        .and_where(municipality::Column::RegionId.eq(*region_id))
                        .to_owned(),
                ),
            ),
            Tenant::Professional {
                account_id,
                provider_id,
                team_id,
            } => {
                let mut mine =
                    Condition::any().add(indication::Column::ProfessionalAccountId.eq(*account_id));
                if let Some(team) = team_id {
                    mine = mine.add(indication::Column::TeamId.eq(*team));
                }
                let mut cond = Condition::all().add(mine);
                if let Some(provider) = provider_id {
                    cond = cond.add(indication::Column::ProviderId.eq(*provider));
                }
                cond
            }
            Tenant::Team { team_id } => {
                Condition::all().add(indication::Column::TeamId.eq(*team_id))
            }
            Tenant::AggregatesOnly
            | Tenant::ContractManager { .. }
            | Tenant::TrustedPerson { .. } => Condition::all().add(nothing()),
            Tenant::Resident { resident_id } => {
                Condition::all().add(indication::Column::ResidentId.eq(*resident_id))
            }
        }
    }

    /// Whether this tenant may see individual residents at all.
    pub fn sees_residents(&self) -> bool {
        !matches!(
            self,
            Tenant::AggregatesOnly | Tenant::ContractManager { .. } | Tenant::TrustedPerson { .. }
        )
    }
}

/// A condition that is never true, portable across backends.
fn nothing() -> SimpleExpr {
    Expr::val(1).eq(0)
}
