//! The `iwmo_message` table: iWmo messages written and read (see its migration).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "iwmo_message")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub direction: String,
    pub kind: String,
    pub identification: String,
    pub seq: i32,
    pub dated: Date,
    pub sender: String,
    pub receiver: String,
    pub municipality_code: String,
    pub provider_id: Option<i64>,
    pub resident_id: Option<i64>,
    pub state: String,
    pub retour_codes: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub note: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub xml: String,
    pub created_at: i64,
    pub sent_at: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
