//! The `plan_proposal` table (see the plans-together migration): a goal a
//! resident proposes, and the professional's answer.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "plan_proposal")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub resident_id: i64,
    #[sea_orm(column_type = "Text")]
    pub text: String,
    pub proposed_by: Option<i64>,
    pub proposed_at: i64,
    pub status: String,
    pub answered_by: Option<i64>,
    pub answered_at: Option<i64>,
    #[sea_orm(column_type = "Text", nullable)]
    pub answer_note: Option<String>,
    pub plan_item_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
