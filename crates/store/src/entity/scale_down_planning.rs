//! The `scale_down_planning` table: a municipality asks the provider to plan
//! the scale-down of an indication.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "scale_down_planning")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub indication_id: i64,
    pub resident_id: i64,
    pub provider_id: i64,
    pub requested_by: Option<i64>,
    pub requested_at: i64,
    #[sea_orm(column_type = "Text", nullable)]
    pub note: Option<String>,
    /// The provider's answer: a proposed date, or a reason why not yet.
    pub answered_at: Option<i64>,
    pub answered_by: Option<i64>,
    pub proposed_date: Option<Date>,
    #[sea_orm(column_type = "Text", nullable)]
    pub answer_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
