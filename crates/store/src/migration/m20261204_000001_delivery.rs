//! Start and stop of delivery (iWmo WMO305/307): whether an allocation was
//! exchanged as a WMO301 (only then do its start and stop go to the chain),
//! and the first and last day of delivery as reported, sent or received.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one at a time.
        m.alter_table(
            Table::alter()
                .table("indication")
                // Sent or read as a WMO301.
                .add_column(boolean("in_chain").default(false))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("indication")
                // Begindatum of the WMO305, sent or received.
                .add_column(date_null("delivery_start"))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("indication")
                // Einddatum of the WMO307, sent or received.
                .add_column(date_null("delivery_end"))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for column in ["delivery_end", "delivery_start", "in_chain"] {
            m.alter_table(
                Table::alter()
                    .table("indication")
                    .drop_column(column)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
