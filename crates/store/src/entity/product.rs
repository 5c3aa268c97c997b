//! The `product` table (see the initial migration for the meaning of its columns).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "product")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub code: String,
    pub category: String,
    pub name: String,
    pub level: String,
    pub active: bool,
    /// Offered only in this municipality (CBS code), when set.
    pub offered_in_municipality: Option<String>,
    /// Offered only in this region, when set.
    pub offered_in_region: Option<i64>,
    /// What the product is, in a few sentences.
    pub description: Option<String>,
    /// When it is the right product (and when another one is).
    pub criteria: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
