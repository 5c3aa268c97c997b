//! The `scale_request` table (see the initial migration for the meaning of its columns).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "scale_request")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub indication_id: i64,
    pub resident_id: i64,
    pub direction: String,
    pub requested_product_id: Option<i64>,
    pub requested_start: Date,
    #[sea_orm(column_type = "Text")]
    pub reason: String,
    pub urgency: String,
    pub status: String,
    pub requested_by: Option<i64>,
    pub requested_at: i64,
    pub decided_by: Option<i64>,
    pub decided_at: Option<i64>,
    #[sea_orm(column_type = "Text", nullable)]
    pub decision_note: Option<String>,
    pub successor_indication_id: Option<i64>,
    pub iwmo_reference: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
