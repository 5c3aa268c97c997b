//! The `indication` table (see the initial migration for the meaning of its columns).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "indication")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub resident_id: i64,
    pub product_id: i64,
    pub municipality_code: String,
    pub provider_id: i64,
    pub allocation_number: String,
    pub issued_on: Date,
    pub start_date: Date,
    pub end_date: Option<Date>,
    pub planned_scale_down_date: Option<Date>,
    #[sea_orm(column_type = "Text", nullable)]
    pub agreed_result: Option<String>,
    pub end_reason: Option<String>,
    pub outcome: Option<String>,
    pub predecessor_id: Option<i64>,
    pub professional_account_id: Option<i64>,
    pub team_id: Option<i64>,
    pub contact_rhythm_days: Option<i32>,
    pub result_reached: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub result_note: Option<String>,
    pub in_chain: bool,
    pub delivery_start: Option<Date>,
    pub delivery_end: Option<Date>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
