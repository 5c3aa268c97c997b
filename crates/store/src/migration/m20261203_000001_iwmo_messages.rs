//! iWmo messages (issue 13): every message written or read, with its XML as
//! exchanged, so the message log shows what went where and a received
//! message read twice is recognised by its sender and identification.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("iwmo_message")
                .col(big_pk_auto("id"))
                // out: written here; in: read here.
                .col(string_len("direction", 3))
                // wmo301, wmo302, …
                .col(string_len("kind", 6))
                // Header: BerichtIdentificatie (unique per sender) and its Dagtekening.
                .col(string_len("identification", 12))
                // 0 for the first message with this sender and identification; a later one that
                // reuses them (refused with retour code 9056) counts on.
                .col(integer("seq").default(0))
                .col(date("dated"))
                // CBS code (4 digits) or AGB code (8 digits).
                .col(string_len("sender", 8))
                .col(string_len("receiver", 8))
                .col(string_len("municipality_code", 4))
                .col(big_integer_null("provider_id"))
                .col(big_integer_null("resident_id"))
                // out: pending (to export), sent; in: applied, rejected.
                .col(string_len("state", 10))
                // Retour codes of the standard, space-separated, for a rejected or answered message.
                .col(string_len_null("retour_codes", 200))
                // Why a received message was refused, in words, for the message log.
                .col(text_null("note"))
                .col(text("xml"))
                .col(big_integer("created_at"))
                .col(big_integer_null("sent_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_iwmo_message_identity")
                .table("iwmo_message")
                .col("direction")
                .col("sender")
                .col("identification")
                .col("seq")
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_iwmo_message_state")
                .table("iwmo_message")
                .col("direction")
                .col("state")
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_iwmo_message_resident")
                .table("iwmo_message")
                .col("resident_id")
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("iwmo_message").to_owned())
            .await
    }
}
