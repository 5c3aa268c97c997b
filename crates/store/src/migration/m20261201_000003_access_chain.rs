//! A hash chain over the access log (NEN 7513: the log must show that nobody
//! changed it): each entry carries the hash of its content and of the entry
//! before it, and a one-row head holds the newest hash. Entries written
//! before this migration are sealed into the chain at start-up
//! (`access::seal_unchained`, which hashes in Rust: SQL has no portable
//! SHA-256).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("access_log")
                .add_column(text_null("prev_hash"))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("access_log")
                .add_column(text_null("hash"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("access_chain_head")
                .col(integer("id").primary_key())
                .col(big_integer("last_id"))
                .col(big_integer("entries"))
                .col(text("hash"))
                .to_owned(),
        )
        .await?;
        m.get_connection()
            .execute_unprepared(
                "INSERT INTO access_chain_head (id, last_id, entries, hash) VALUES (1, 0, 0, '')",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("access_chain_head").to_owned())
            .await?;
        for column in ["hash", "prev_hash"] {
            m.alter_table(
                Table::alter()
                    .table("access_log")
                    .drop_column(column)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
