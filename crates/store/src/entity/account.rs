//! The `account` table (see the initial migration for the meaning of its columns).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "account")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: String,
    pub password_hash: String,
    pub municipality_code: Option<String>,
    pub region_id: Option<i64>,
    pub provider_id: Option<i64>,
    pub team_id: Option<i64>,
    pub resident_id: Option<i64>,
    pub phone: Option<String>,
    pub active: bool,
    pub created_at: i64,
    /// The password hash before the last reset with an activation code.
    pub previous_password_hash: Option<String>,
    pub password_reset_at: Option<i64>,
    /// Who made the code of that reset (name and organisation, as then).
    pub password_reset_by: Option<String>,
    /// Hours a week the professional has for their caseload (set by the
    /// team lead on the workload page).
    pub capacity_hours_per_week: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
