//! Products in the municipality's catalogue and how intensive they are.

use serde::{Deserialize, Serialize};

use crate::ids::{ProductCategory, ProductCode};
use crate::vocab::{fluent_keys, vocabulary};

vocabulary! {
    /// How intensive a product's support is; drives the indication rules.
    pub enum IntensityLevel {
        /// Intensive individual support (e.g. BTS).
        Intensive => "intensive",
        /// Individual support (e.g. BT).
        Individual => "individual",
        /// Low-frequency pilot-light contact after individual support.
        Waakvlam => "waakvlam",
        /// Anything else in the catalogue; no waakvlam rules apply.
        Other => "other",
    }
}

fluent_keys!(IntensityLevel {
    Intensive => "level-intensive",
    Individual => "level-individual",
    Waakvlam => "level-waakvlam",
    Other => "level-other",
});

impl IntensityLevel {
    /// Intensive and individual support must name the moment they are
    /// expected to scale down, so nobody stays in heavy support by default.
    pub const fn requires_scale_down_moment(self) -> bool {
        matches!(self, Self::Intensive | Self::Individual)
    }
}

/// A product in the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Product {
    pub code: ProductCode,
    pub category: ProductCategory,
    pub name: String,
    pub level: IntensityLevel,
}

/// The catalogue a new installation starts with: the three steps of the
/// waakvlam pathway, all in iWmo category 02 (Begeleiding).
pub fn default_catalogue() -> Vec<Product> {
    [
        (
            "BTS",
            "Begeleiding individueel intensief",
            IntensityLevel::Intensive,
        ),
        ("BT", "Begeleiding individueel", IntensityLevel::Individual),
        ("WVL", "Waakvlam", IntensityLevel::Waakvlam),
    ]
    .into_iter()
    .filter_map(|(code, name, level)| {
        Some(Product {
            code: ProductCode::parse(code).ok()?,
            category: ProductCategory::parse("02").ok()?,
            name: name.to_owned(),
            level,
        })
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels() {
        assert!(IntensityLevel::Intensive.requires_scale_down_moment());
        assert!(IntensityLevel::Individual.requires_scale_down_moment());
        assert!(!IntensityLevel::Waakvlam.requires_scale_down_moment());
        assert!(!IntensityLevel::Other.requires_scale_down_moment());
        assert_eq!(
            IntensityLevel::parse("waakvlam"),
            Ok(IntensityLevel::Waakvlam)
        );
        assert_eq!(IntensityLevel::Individual.as_str(), "individual");
    }

    #[test]
    fn default_catalogue_has_the_pathway() {
        let catalogue = default_catalogue();
        let summary: Vec<(&str, &str, &str, IntensityLevel)> = catalogue
            .iter()
            .map(|p| {
                (
                    p.code.as_str(),
                    p.category.as_str(),
                    p.name.as_str(),
                    p.level,
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                (
                    "BTS",
                    "02",
                    "Begeleiding individueel intensief",
                    IntensityLevel::Intensive
                ),
                (
                    "BT",
                    "02",
                    "Begeleiding individueel",
                    IntensityLevel::Individual
                ),
                ("WVL", "02", "Waakvlam", IntensityLevel::Waakvlam),
            ]
        );
    }
}
