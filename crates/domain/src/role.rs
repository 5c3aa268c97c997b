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
    TrustedPerson => "role-trusted_person",
});

impl Role {
    /// Whether this role may see data about individual residents.
    /// Analysts only get aggregates, which keeps their access proportional (AVG).
    pub const fn sees_individual_residents(self) -> bool {
        !matches!(self, Self::Analyst)
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
    fn only_analysts_are_kept_from_individuals() {
        for role in Role::ALL {
            assert_eq!(role.sees_individual_residents(), role != Role::Analyst);
        }
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
