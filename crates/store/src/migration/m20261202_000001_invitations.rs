//! Invitations to see a resident's plan. Inviting someone no longer looks up
//! or creates an account: the invitation waits, with a code the resident
//! hands over, until the person accepts it (logged in with their own account,
//! or by making one). Only then is a consent recorded. So the resident's
//! answer never says whether an address has an account (issue 11, point 6).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn fk(from_col: &'static str, to_table: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_invitation_{from_col}"))
        .from("invitation", from_col)
        .to(to_table, "id")
        .on_delete(ForeignKeyAction::Restrict)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("invitation")
                .col(big_pk_auto("id"))
                .col(big_integer("resident_id"))
                // The name the resident gave; the address they typed (lower case).
                .col(string_len("party_name", 100))
                .col(string_len("email", 254))
                // family, informal_carer or professional.
                .col(string_len("relation", 20))
                // SHA-256 of the normalised code.
                .col(string_uniq("code_hash"))
                .col(big_integer_null("created_by"))
                .col(big_integer("created_at"))
                .col(big_integer("expires_at"))
                .col(big_integer_null("accepted_at"))
                .col(big_integer_null("accepted_by"))
                .col(big_integer_null("consent_id"))
                .col(big_integer_null("withdrawn_at"))
                .foreign_key(&mut fk("resident_id", "resident"))
                .foreign_key(&mut fk("created_by", "account"))
                .foreign_key(&mut fk("accepted_by", "account"))
                .foreign_key(&mut fk("consent_id", "consent"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_invitation_resident_id")
                .table("invitation")
                .col("resident_id")
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("invitation").to_owned())
            .await
    }
}
