//! The `plan_item` table (see the initial migration for the meaning of its columns).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "plan_item")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub resident_id: i64,
    pub kind: String,
    #[sea_orm(column_type = "Text")]
    pub text: String,
    pub position: i32,
    pub created_at: i64,
    pub updated_at: i64,
    pub archived_at: Option<i64>,
    pub archive_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
