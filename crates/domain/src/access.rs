//! Vocabulary of the access log required by NEN 7513: who did what to which
//! record, with what result, and why.

use crate::vocab::vocabulary;

vocabulary! {
    /// What was done.
    pub enum AccessAction {
        Read => "read",
        Search => "search",
        Create => "create",
        Update => "update",
        Delete => "delete",
        Export => "export",
        Print => "print",
        Login => "login",
        Logout => "logout",
    }
}

vocabulary! {
    /// Whether it worked.
    pub enum AccessOutcome {
        Success => "success",
        /// Refused by authorisation.
        Denied => "denied",
        /// Allowed, but went wrong.
        Failed => "failed",
    }
}

vocabulary! {
    /// Why the data was accessed; NEN 7513 asks for the purpose, not just the act.
    pub enum Purpose {
        Care => "care",
        Administration => "administration",
        Accountability => "accountability",
        Monitoring => "monitoring",
        ResidentSelfService => "resident_self_service",
        SystemManagement => "system_management",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn machine_names_round_trip() {
        for action in AccessAction::ALL {
            assert_eq!(AccessAction::parse(action.as_str()), Ok(action));
        }
        for outcome in AccessOutcome::ALL {
            assert_eq!(AccessOutcome::parse(outcome.as_str()), Ok(outcome));
        }
        for purpose in Purpose::ALL {
            assert_eq!(Purpose::parse(purpose.as_str()), Ok(purpose));
        }
        assert_eq!(AccessAction::ALL.len(), 9);
        assert_eq!(
            Purpose::ResidentSelfService.as_str(),
            "resident_self_service"
        );
        assert_eq!(Purpose::SystemManagement.as_str(), "system_management");
        assert_eq!(AccessOutcome::Denied.as_str(), "denied");
    }
}
