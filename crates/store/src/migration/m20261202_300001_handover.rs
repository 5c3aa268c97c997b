//! Hand-overs and capacity (issue 12, "Hand-over and team work"). A team lead
//! gives one resident or a whole caseload to another professional with a
//! note; each resident handed over gets a row, which the new professional
//! sees first and the resident is told about. The indications keep their
//! history in `change_record`. A professional's capacity (hours a week for
//! their caseload) lets the team lead weigh workload.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn fk(from_col: &'static str, to_table: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_handover_{from_col}"))
        .from("handover", from_col)
        .to(to_table, "id")
        .on_delete(ForeignKeyAction::Restrict)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("handover")
                .col(big_pk_auto("id"))
                .col(big_integer("resident_id"))
                // The professional who had the resident (none: waiting).
                .col(big_integer_null("from_account_id"))
                .col(big_integer("to_account_id"))
                // For the new professional; care content, so never in mail.
                .col(text_null("note"))
                .col(big_integer("created_by"))
                .col(big_integer("created_at"))
                // When the new professional marked the note read.
                .col(big_integer_null("seen_at"))
                .foreign_key(&mut fk("resident_id", "resident"))
                .foreign_key(&mut fk("from_account_id", "account"))
                .foreign_key(&mut fk("to_account_id", "account"))
                .foreign_key(&mut fk("created_by", "account"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_handover_resident_id")
                .table("handover")
                .col("resident_id")
                .col("created_at")
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("account")
                .add_column(integer_null("capacity_hours_per_week"))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("account")
                .drop_column("capacity_hours_per_week")
                .to_owned(),
        )
        .await?;
        m.drop_table(Table::drop().table("handover").to_owned())
            .await
    }
}
