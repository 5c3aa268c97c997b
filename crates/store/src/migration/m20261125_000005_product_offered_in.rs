//! Where a product is offered: everywhere (both empty), in one region, or in
//! one municipality. Municipalities and regions keep their own catalogues in
//! one installation.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one column at a time.
        m.alter_table(
            Table::alter()
                .table("product")
                .add_column(string_len_null("offered_in_municipality", 4))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("product")
                .add_column(big_integer_null("offered_in_region"))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("product")
                .drop_column("offered_in_region")
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("product")
                .drop_column("offered_in_municipality")
                .to_owned(),
        )
        .await
    }
}
