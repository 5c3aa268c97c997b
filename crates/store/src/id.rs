//! Typed row ids. A function that takes a [`ResidentId`] cannot be handed an
//! indication's id by mistake, and a URL segment becomes one only by parsing.
//!
//! Ids leave the store typed; the entities inside it keep plain `i64`
//! columns, and [`sea_orm::Value`] conversion lets a typed id be used in a
//! filter directly (`resident::Column::Id.eq(id)`).

use std::fmt;

macro_rules! row_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize,
            serde::Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(i64);

        impl $name {
            /// The id of the stored row `raw`.
            pub const fn new(raw: i64) -> Self {
                Self(raw)
            }

            /// The number as stored.
            pub const fn get(self) -> i64 {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse().map(Self)
            }
        }

        impl From<$name> for sea_orm::Value {
            fn from(id: $name) -> Self {
                sea_orm::Value::BigInt(Some(id.0))
            }
        }

        // A row's key column is `i64`: `find_by_id(id)` and `Set(id.into())`.
        impl From<$name> for i64 {
            fn from(id: $name) -> Self {
                id.0
            }
        }

        impl PartialEq<i64> for $name {
            fn eq(&self, other: &i64) -> bool {
                self.0 == *other
            }
        }
    };
}

row_id!(
    /// A resident (inwoner).
    ResidentId
);
row_id!(
    /// An indication (a decision to provide a product to a resident).
    IndicationId
);
row_id!(
    /// A user account (professional, consultant, resident, …).
    AccountId
);
row_id!(
    /// A product of the catalogue.
    ProductId
);
row_id!(
    /// A care provider (aanbieder).
    ProviderId
);
row_id!(
    /// A team of a care provider.
    TeamId
);
row_id!(
    /// A region of municipalities that contract together.
    RegionId
);
row_id!(
    /// A request to scale support up or down.
    ScaleRequestId
);
row_id!(
    /// A resident's call for help ("de bel").
    BellId
);
row_id!(
    /// A goal or agreement in a resident's plan.
    PlanItemId
);
row_id!(
    /// A goal a resident proposes for their plan.
    ProposalId
);
row_id!(
    /// A resident's request for another helper.
    HelperRequestId
);
row_id!(
    /// A tariff of a product.
    TariffId
);
row_id!(
    /// A provider's contract for a product in a region or municipality.
    ContractId
);
row_id!(
    /// A contact moment with a resident.
    ContactId
);
row_id!(
    /// A resident's check-in ("hoe gaat het?").
    CheckInId
);
row_id!(
    /// A progress note in a resident's plan.
    ProgressId
);
row_id!(
    /// A party the resident lets see their plan.
    ConsentId
);
row_id!(
    /// An invitation to see a resident's plan, waiting to be accepted.
    InvitationId
);

row_id!(
    /// A message in a resident's portal thread.
    MessageId
);
row_id!(
    /// A product's own contribution (eigen bijdrage) from a date on.
    OwnContributionId
);
row_id!(
    /// One resident handed over from one professional to another.
    HandoverId
);
row_id!(
    /// A municipality's request to a provider to plan a scale-down.
    PlanningRequestId
);
row_id!(
    /// A notification in the outbox.
    NotificationId
);
row_id!(
    /// An iWmo message written or read.
    IwmoMessageId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_from_a_url_segment_and_says_itself_as_the_number() {
        let id: ResidentId = "42".parse().unwrap();
        assert_eq!(id, ResidentId::new(42));
        assert_eq!(id.to_string(), "42");
        assert!("4x".parse::<ResidentId>().is_err());
        let json: IndicationId = serde_json::from_str("7").unwrap();
        assert_eq!(json.get(), 7);
    }
}
