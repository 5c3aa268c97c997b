//! The provider's answer to a request to plan a scale-down (issue 12,
//! "Product rules that the seeds need"): per resident a proposed date, or a
//! reason why not yet. The consultant sees the answers in the inventory.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds one column per ALTER TABLE.
        for col in [
            big_integer_null("answered_at"),
            big_integer_null("answered_by"),
            date_null("proposed_date"),
            text_null("answer_reason"),
        ] {
            m.alter_table(
                Table::alter()
                    .table("scale_down_planning")
                    .add_column(col)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for col in [
            "answer_reason",
            "proposed_date",
            "answered_by",
            "answered_at",
        ] {
            m.alter_table(
                Table::alter()
                    .table("scale_down_planning")
                    .drop_column(col)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
