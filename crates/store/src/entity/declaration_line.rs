//! The `declaration_line` table: one `Prestatie` of a declaration (see its migration).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "declaration_line")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub declaration_id: i64,
    pub indication_id: i64,
    pub resident_id: i64,
    pub reference: String,
    pub previous_reference: Option<String>,
    pub period_start: Date,
    pub period_end: Date,
    pub volume: i64,
    pub unit: String,
    pub tariff_cents: Option<i64>,
    pub amount_cents: i64,
    pub credit: bool,
    pub uncapped_cents: Option<i64>,
    pub state: String,
    pub retour_codes: Option<String>,
    pub created_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
