//! The plan a professional writes together with the resident: goals and
//! agreements in the resident's words, how an item leaves the plan, the
//! resident's proposals, and the assessment of the agreed result when an
//! indication ends.

use crate::limits::{Refusals, TextClass, check_required_text};
use crate::refusal::{Reason, Refusal};
use crate::vocab::{fluent_keys, vocabulary};

/// The longest goal or agreement: one or two plain sentences.
pub const ITEM_TEXT: TextClass = TextClass::Short;

/// Checks the text of a goal or agreement (trimmed by the caller): required,
/// within [`ITEM_TEXT`].
pub fn check_item_text(field: &str, text: &str) -> Result<(), Refusal> {
    check_required_text(field, text, ITEM_TEXT)
}

vocabulary! {
    /// What a plan entry is.
    pub enum PlanItemKind {
        Goal => "goal",
        Agreement => "agreement",
    }
}

fluent_keys!(PlanItemKind {
    Goal => "plan-kind-goal",
    Agreement => "plan-kind-agreement",
});

vocabulary! {
    /// Why a goal or agreement left the plan. It stays, with its history.
    pub enum ArchiveReason {
        /// "Afgerond": reached or done.
        Done => "done",
        /// "Vervalt": no longer what the resident wants or needs.
        Lapsed => "lapsed",
    }
}

fluent_keys!(ArchiveReason {
    Done => "plan-archive-done",
    Lapsed => "plan-archive-lapsed",
});

vocabulary! {
    /// Where a resident's proposed goal stands.
    pub enum ProposalStatus {
        /// Waiting for the professional.
        Open => "open",
        /// The professional wants to talk it through with the resident first.
        Discuss => "discuss",
        /// It became a goal (possibly in other words, agreed together).
        Accepted => "accepted",
    }
}

fluent_keys!(ProposalStatus {
    Open => "plan-proposal-open",
    Discuss => "plan-proposal-discuss",
    Accepted => "plan-proposal-accepted",
});

vocabulary! {
    /// Whether the agreed result of an indication was reached.
    pub enum ResultReached {
        Reached => "reached",
        Partly => "partly",
        NotReached => "not_reached",
    }
}

fluent_keys!(ResultReached {
    Reached => "result-reached",
    Partly => "result-partly",
    NotReached => "result-not_reached",
});

/// The assessment of the agreed result at the end of an indication: reached,
/// partly or not, and one sentence that says why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResultAssessment {
    pub reached: ResultReached,
    pub sentence: String,
}

impl ResultAssessment {
    /// The form fields: `result` (a [`ResultReached`]) and `result_note`
    /// (required, one line). Every refusal at once, each at its field.
    pub fn parse(reached: &str, sentence: &str) -> Result<ResultAssessment, Vec<Refusal>> {
        let mut refused = Refusals::new();
        let reached = ResultReached::parse(reached)
            .map_err(|_| Refusal::new("result", Reason::new("result-choose")));
        let reached = refused.take(reached);
        let sentence = sentence.trim();
        refused.check(check_required_text(
            "result_note",
            sentence,
            TextClass::Line,
        ));
        refused.into_result()?;
        match reached {
            Some(reached) => Ok(ResultAssessment {
                reached,
                sentence: sentence.to_owned(),
            }),
            None => Err(vec![Refusal::new("result", Reason::new("result-choose"))]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_assessment_needs_a_result_and_a_sentence() {
        let ok =
            ResultAssessment::parse("partly", "  Gaat weer naar de club, geldzaken nog niet. ")
                .unwrap();
        assert_eq!(ok.reached, ResultReached::Partly);
        assert_eq!(ok.sentence, "Gaat weer naar de club, geldzaken nog niet.");

        let refused = ResultAssessment::parse("", " ").unwrap_err();
        let fields: Vec<_> = refused.iter().map(|r| r.field.as_str()).collect();
        assert_eq!(fields, ["result", "result_note"]);
        assert_eq!(refused[0].reason.id, "result-choose");
        assert_eq!(refused[1].reason.id, "text-required");

        let long = "x".repeat(201);
        let refused = ResultAssessment::parse("reached", &long).unwrap_err();
        assert_eq!(refused[0].reason.id, "text-length");
        assert!(ResultAssessment::parse("reached", "Twee regels\nkan niet").is_err());
    }

    #[test]
    fn item_texts_are_required_and_limited() {
        assert!(check_item_text("text", "Ik doe elke week zelf boodschappen.").is_ok());
        assert_eq!(
            check_item_text("text", "").unwrap_err().reason.id,
            "text-required"
        );
        assert_eq!(
            check_item_text("text", &"a".repeat(501))
                .unwrap_err()
                .reason
                .id,
            "text-length"
        );
    }

    #[test]
    fn vocabularies_read_back() {
        for r in ArchiveReason::ALL {
            assert_eq!(ArchiveReason::parse(r.as_str()), Ok(r));
        }
        for s in ProposalStatus::ALL {
            assert_eq!(ProposalStatus::parse(s.as_str()), Ok(s));
        }
        assert!(PlanItemKind::parse("wish").is_err());
    }
}
