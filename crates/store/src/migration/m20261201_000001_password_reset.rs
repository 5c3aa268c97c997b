//! What a password reset with an activation code leaves behind, so that the
//! account's holder is told at their next login: the hash of the password
//! before the reset, when it was reset, and who made the code.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

const COLUMNS: [&str; 3] = [
    "previous_password_hash",
    "password_reset_at",
    "password_reset_by",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one column at a time.
        m.alter_table(
            Table::alter()
                .table("account")
                .add_column(text_null("previous_password_hash"))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("account")
                .add_column(big_integer_null("password_reset_at"))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("account")
                .add_column(text_null("password_reset_by"))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for column in COLUMNS {
            m.alter_table(
                Table::alter()
                    .table("account")
                    .drop_column(column)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
