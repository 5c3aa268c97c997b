//! Who someone is in the application; decides what they may see and do.

use crate::vocab::{fluent_keys, vocabulary};

vocabulary! {
    /// A user's role.
    pub enum Role {
        /// Manages users, catalogue and tariffs.
        Admin => "admin",
        /// Municipal Wmo consultant: issues indications and decides on scaling requests.
        Consultant => "consultant",
        /// Care provider's professional who keeps the waakvlam contact.
        Professional => "professional",
        /// Leads a team of professionals at a care provider.
        TeamLead => "team_lead",
        /// Policy analyst: works with aggregated figures only.
        Analyst => "analyst",
        /// The resident receiving support.
        Resident => "resident",
        /// A municipality's or region's contract manager: keeps the catalogue,
        /// tariffs and own contributions; never sees a resident.
        ContractManager => "contract_manager",
        /// Someone a resident trusts (family, informal carer): sees only what
        /// the resident shared with them, for as long as they share it.
        TrustedPerson => "trusted_person",
    }
}

fluent_keys!(Role {
    Admin => "role-admin",
    Consultant => "role-consultant",
    Professional => "role-professional",
    TeamLead => "role-team_lead",
    Analyst => "role-analyst",
    Resident => "role-resident",
    ContractManager => "role-contract_manager",
    TrustedPerson => "role-trusted_person",
});

impl Role {
    /// Whether this role may see data about individual residents.
    /// Analysts only get aggregates, which keeps their access proportional (AVG);
    /// contract managers work on the catalogue and need no resident at all.
    pub const fn sees_individual_residents(self) -> bool {
        !matches!(self, Self::Analyst | Self::ContractManager)
    }

    /// Whether this role may change the catalogue, tariffs and own contributions
    /// (within its own scope; the store checks which municipalities).
    pub const fn manages_catalogue(self) -> bool {
        matches!(self, Self::Admin | Self::ContractManager)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn machine_names_round_trip() {
        let names: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
        assert_eq!(
            names,
            [
                "admin",
                "consultant",
                "professional",
                "team_lead",
                "analyst",
                "resident",
                "contract_manager",
                "trusted_person"
            ]
        );
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Ok(role));
            assert_eq!(role.to_string(), role.as_str());
        }
        assert_eq!(Role::parse("Team_Lead"), Ok(Role::TeamLead));
        assert!(Role::parse("superuser").is_err());
    }

    #[test]
    fn analysts_and_contract_managers_are_kept_from_individuals() {
        for role in Role::ALL {
            assert_eq!(
                role.sees_individual_residents(),
                !matches!(role, Role::Analyst | Role::ContractManager)
            );
        }
        assert_eq!(Role::parse("contract_manager"), Ok(Role::ContractManager));
    }

    #[test]
    fn only_admins_and_contract_managers_manage_the_catalogue() {
        let managers: Vec<Role> = Role::ALL
            .into_iter()
            .filter(|r| r.manages_catalogue())
            .collect();
        assert_eq!(managers, [Role::Admin, Role::ContractManager]);
    }

    #[test]
    fn fluent_keys() {
        assert_eq!(Role::Admin.fluent_key(), "role-admin");
        assert_eq!(Role::TeamLead.fluent_key(), "role-team_lead");
        for role in Role::ALL {
            assert_eq!(role.fluent_key(), format!("role-{}", role.as_str()));
        }
    }
}
