//! The `access_log` table (see the initial migration for the meaning of its columns).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "access_log")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub occurred_at: i64,
    pub action: String,
    pub outcome: String,
    pub account_id: Option<i64>,
    pub actor_name: Option<String>,
    pub actor_role: Option<String>,
    pub organisation: Option<String>,
    pub resident_id: Option<i64>,
    #[sea_orm(column_type = "Text")]
    pub objects: String,
    pub client_address: Option<String>,
    pub purpose: String,
    /// The hash of the entry before this one in the chain.
    pub prev_hash: Option<String>,
    /// SHA-256 over `prev_hash` and this entry's content (see `access::link`).
    pub hash: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
