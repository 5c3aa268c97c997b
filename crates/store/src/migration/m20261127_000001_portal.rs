//! The resident portal: messages between a resident and their helpers,
//! professionals' profiles (to choose a helper), requests for a helper, and
//! activation codes that let a resident (or a trusted person) set a password.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn fk(
    from_table: &'static str,
    from_col: &'static str,
    to_table: &'static str,
    to_col: &'static str,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{from_table}_{from_col}"))
        .from(from_table, from_col)
        .to(to_table, to_col)
        .on_delete(ForeignKeyAction::Restrict)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("portal_message")
                .col(big_pk_auto("id"))
                .col(big_integer("resident_id"))
                .col(big_integer_null("author_account_id"))
                .col(text("body"))
                .col(big_integer("sent_at"))
                .foreign_key(&mut fk("portal_message", "resident_id", "resident", "id"))
                .foreign_key(&mut fk(
                    "portal_message",
                    "author_account_id",
                    "account",
                    "id",
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_portal_message_resident_id_sent_at")
                .table("portal_message")
                .col("resident_id")
                .col("sent_at")
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("professional_profile")
                .col(big_integer("account_id").primary_key())
                // Where they work: residents of this municipality can choose them.
                .col(string_len("municipality_code", 4))
                .col(string("area"))
                .col(string("specialisation"))
                // Languages and background, in the professional's own words.
                .col(string("languages"))
                .col(text("introduction"))
                .col(boolean("available"))
                .foreign_key(&mut fk(
                    "professional_profile",
                    "account_id",
                    "account",
                    "id",
                ))
                .foreign_key(&mut fk(
                    "professional_profile",
                    "municipality_code",
                    "municipality",
                    "code",
                ))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("helper_request")
                .col(big_pk_auto("id"))
                .col(big_integer("resident_id"))
                .col(big_integer("professional_account_id"))
                // The indication the chosen professional is to take over.
                .col(big_integer("indication_id"))
                .col(big_integer("requested_at"))
                // `pending`, `confirmed`, `declined` or `withdrawn`.
                .col(string("status"))
                .col(big_integer_null("decided_by"))
                .col(big_integer_null("decided_at"))
                .foreign_key(&mut fk("helper_request", "resident_id", "resident", "id"))
                .foreign_key(&mut fk(
                    "helper_request",
                    "professional_account_id",
                    "account",
                    "id",
                ))
                .foreign_key(&mut fk(
                    "helper_request",
                    "indication_id",
                    "indication",
                    "id",
                ))
                .foreign_key(&mut fk("helper_request", "decided_by", "account", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_helper_request_status_resident_id")
                .table("helper_request")
                .col("status")
                .col("resident_id")
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("activation_code")
                .col(big_pk_auto("id"))
                .col(big_integer("account_id"))
                // SHA-256 of the normalised code: the database never holds a usable code.
                .col(string_uniq("code_hash"))
                .col(big_integer_null("created_by"))
                .col(big_integer("created_at"))
                .col(big_integer("expires_at"))
                .col(big_integer_null("used_at"))
                .foreign_key(&mut fk("activation_code", "account_id", "account", "id"))
                .foreign_key(&mut fk("activation_code", "created_by", "account", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_activation_code_account_id")
                .table("activation_code")
                .col("account_id")
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "activation_code",
            "helper_request",
            "professional_profile",
            "portal_message",
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
