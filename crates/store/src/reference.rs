//! Reference data every database starts with: the 342 municipalities of the
//! CBS division of 1 January 2025 and the default product catalogue.

use sea_orm::{ActiveValue::Set, EntityTrait, PaginatorTrait};
use waakvlam_domain::product::default_catalogue;

use crate::entity::{municipality, product};
use crate::{Store, StoreError, StoreResult};

/// The CBS list shipped inside the binary (see `data/PROVENANCE.md`).
pub const MUNICIPALITIES_CSV: &str = include_str!("../../../data/cbs-gemeenten-2025.csv");

/// A municipality as the CBS list has it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MunicipalityRecord {
    pub code: String,
    pub name: String,
    pub province: String,
}

/// Parses the embedded CBS list.
pub fn municipalities() -> StoreResult<Vec<MunicipalityRecord>> {
    let mut reader = csv::Reader::from_reader(MUNICIPALITIES_CSV.as_bytes());
    let mut out = Vec::new();
    for (i, row) in reader.records().enumerate() {
        let row = row
            .map_err(|e| StoreError::Internal(format!("municipality list line {}: {e}", i + 2)))?;
        let field = |n: usize| row.get(n).unwrap_or_default().trim().to_owned();
        out.push(MunicipalityRecord {
            code: field(0),
            name: field(1),
            province: field(2),
        });
    }
    Ok(out)
}

/// Loads what is missing; safe to run at every start.
pub async fn ensure_reference_data(store: &Store) -> StoreResult<()> {
    let tx = store.begin_write().await?;
    if municipality::Entity::find().count(&*tx).await? == 0 {
        let rows = municipalities()?
            .into_iter()
            .map(|m| municipality::ActiveModel {
                code: Set(m.code),
                name: Set(m.name),
                province: Set(m.province),
                region_id: Set(None),
            });
        municipality::Entity::insert_many(rows).exec(&*tx).await?;
    }
    if product::Entity::find().count(&*tx).await? == 0 {
        let rows = default_catalogue()
            .into_iter()
            .map(|p| product::ActiveModel {
                code: Set(p.code.as_str().to_owned()),
                category: Set(p.category.as_str().to_owned()),
                name: Set(p.name),
                level: Set(p.level.as_str().to_owned()),
                active: Set(true),
                ..Default::default()
            });
        product::Entity::insert_many(rows).exec(&*tx).await?;
    }
    tx.commit().await
}

#[cfg(test)]
mod tests {
    #[test]
    fn ships_all_342_municipalities_with_four_digit_codes() {
        let list = super::municipalities().unwrap();
        assert_eq!(list.len(), 342);
        assert!(
            list.iter()
                .all(|m| m.code.len() == 4 && m.code.chars().all(|c| c.is_ascii_digit()))
        );
        assert!(list.iter().any(|m| m.code == "0654" && m.name == "Borsele"));
    }
}
