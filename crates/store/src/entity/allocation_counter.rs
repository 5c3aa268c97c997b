use sea_orm::entity::prelude::*;

/// The last allocation number handed out per municipality.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "allocation_counter")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub municipality_code: String,
    pub last: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
