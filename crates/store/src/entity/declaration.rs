//! The `declaration` table: one WMO323 of a provider to a municipality (see its migration).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "declaration")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub provider_id: i64,
    pub municipality_code: String,
    pub number: String,
    pub period_start: Date,
    pub period_end: Date,
    pub total_cents: i64,
    pub iwmo_message_id: i64,
    pub answer_message_id: Option<i64>,
    pub state: String,
    pub granted_cents: Option<i64>,
    pub created_at: i64,
    pub answered_at: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
