//! Plans written together (issue 12): why a goal or agreement left the plan,
//! the goals residents propose, and the assessment of an indication's agreed
//! result at its end. Who changed a plan item when is kept in
//! `change_record` (entity `plan_item`), like the other histories.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn fk(from_col: &'static str, to_table: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_plan_proposal_{from_col}"))
        .from("plan_proposal", from_col)
        .to(to_table, "id")
        .on_delete(ForeignKeyAction::Restrict)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one at a time.
        m.alter_table(
            Table::alter()
                .table("plan_item")
                // done or lapsed, set with archived_at.
                .add_column(string_len_null("archive_reason", 20))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("indication")
                // reached, partly or not_reached.
                .add_column(string_len_null("result_reached", 20))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("indication")
                // The one sentence that says why.
                .add_column(text_null("result_note"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("plan_proposal")
                .col(big_pk_auto("id"))
                .col(big_integer("resident_id"))
                .col(text("text"))
                .col(big_integer_null("proposed_by"))
                .col(big_integer("proposed_at"))
                // open, discuss or accepted.
                .col(string_len("status", 20))
                .col(big_integer_null("answered_by"))
                .col(big_integer_null("answered_at"))
                // What the professional wants to talk about (discuss).
                .col(text_null("answer_note"))
                // The goal it became (accepted).
                .col(big_integer_null("plan_item_id"))
                .foreign_key(&mut fk("resident_id", "resident"))
                .foreign_key(&mut fk("proposed_by", "account"))
                .foreign_key(&mut fk("answered_by", "account"))
                .foreign_key(&mut fk("plan_item_id", "plan_item"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_plan_proposal_resident_id")
                .table("plan_proposal")
                .col("resident_id")
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("plan_proposal").to_owned())
            .await?;
        for (table, column) in [
            ("indication", "result_note"),
            ("indication", "result_reached"),
            ("plan_item", "archive_reason"),
        ] {
            m.alter_table(Table::alter().table(table).drop_column(column).to_owned())
                .await?;
        }
        Ok(())
    }
}
