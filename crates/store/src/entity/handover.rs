//! The `handover` table (see migration `m20261202_300001_handover`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "handover")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub resident_id: i64,
    pub from_account_id: Option<i64>,
    pub to_account_id: i64,
    #[sea_orm(column_type = "Text", nullable)]
    pub note: Option<String>,
    pub created_by: i64,
    pub created_at: i64,
    pub seen_at: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
