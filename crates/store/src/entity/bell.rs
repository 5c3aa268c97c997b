//! The `bell` table (see the initial migration for the meaning of its columns).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "bell")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub resident_id: i64,
    pub rung_at: i64,
    #[sea_orm(column_type = "Text", nullable)]
    pub message: Option<String>,
    pub acknowledged_at: Option<i64>,
    pub acknowledged_by: Option<i64>,
    pub resolved_at: Option<i64>,
    pub resolved_by: Option<i64>,
    #[sea_orm(column_type = "Text", nullable)]
    pub resolution: Option<String>,
    /// When the team leads were told that the bell was not picked up in time.
    pub escalated_at: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
