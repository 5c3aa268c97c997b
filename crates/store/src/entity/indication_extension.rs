//! The `indication_extension` table (see the initial migration for the meaning of its columns).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "indication_extension")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub indication_id: i64,
    pub previous_end: Date,
    pub new_end: Date,
    #[sea_orm(column_type = "Text")]
    pub reason: String,
    pub account_id: Option<i64>,
    pub created_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
