//! Notifications (issue 12): an outbox written in the same transaction as the
//! event it tells of, each person's choice per kind of event, and the moment a
//! bell was escalated to the team leads (so it is escalated once).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn fk(table: &str, from_col: &'static str, to_table: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_{from_col}"))
        .from(table.to_owned(), from_col)
        .to(to_table, "id")
        .on_delete(ForeignKeyAction::Restrict)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("notification")
                .col(big_pk_auto("id"))
                // Who is told.
                .col(big_integer("account_id"))
                // domain::notification::EventKind.
                .col(string_len("kind", 30))
                // A path in the application (`/clients/17`): never care content.
                .col(string_len("link", 200))
                // domain::notification::Delivery, as the recipient chose when it was made.
                .col(string_len("delivery", 20))
                // pending, sent, failed, or in_app (never mailed).
                .col(string_len("state", 10))
                .col(integer("attempts").default(0))
                .col(big_integer("next_attempt_at"))
                // The worker that holds the row, until when (a lease).
                .col(string_len_null("claimed_by", 100))
                .col(big_integer_null("claimed_until"))
                .col(big_integer_null("sent_at"))
                .col(text_null("last_error"))
                .col(big_integer_null("read_at"))
                .col(big_integer("created_at"))
                .foreign_key(&mut fk("notification", "account_id", "account"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_notification_due")
                .table("notification")
                .col("state")
                .col("next_attempt_at")
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_notification_account")
                .table("notification")
                .col("account_id")
                .col("created_at")
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("notification_preference")
                .col(big_pk_auto("id"))
                .col(big_integer("account_id"))
                .col(string_len("kind", 30))
                .col(string_len("delivery", 20))
                .col(big_integer("updated_at"))
                .foreign_key(&mut fk("notification_preference", "account_id", "account"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_notification_preference")
                .table("notification_preference")
                .col("account_id")
                .col("kind")
                .unique()
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("bell")
                .add_column(big_integer_null("escalated_at"))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("bell")
                .drop_column("escalated_at")
                .to_owned(),
        )
        .await?;
        m.drop_table(Table::drop().table("notification_preference").to_owned())
            .await?;
        m.drop_table(Table::drop().table("notification").to_owned())
            .await
    }
}
