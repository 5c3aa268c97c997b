//! The `signal_settings` table (see its migration).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "signal_settings")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub municipality_code: Option<String>,
    pub team_id: Option<i64>,
    #[sea_orm(column_type = "Text")]
    pub overrides: String,
    pub updated_by: Option<i64>,
    pub updated_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
