//! Declarations (iWmo WMO323/325): what a provider declared per declaration
//! period and municipality, line by line, and what the municipality granted.
//! A line is never changed in amount: a correction is a credit line with the
//! same reference and a new debit that names the one it replaces.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn fk(
    table: &'static str,
    from_col: &'static str,
    to_table: &'static str,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_{from_col}"))
        .from(table, from_col)
        .to(to_table, "id")
        .on_delete(ForeignKeyAction::Restrict)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("declaration")
                .col(big_pk_auto("id"))
                .col(big_integer("provider_id"))
                .col(string_len("municipality_code", 4))
                // DeclaratieNummer: letters and digits, unique per provider.
                .col(string_len("number", 12))
                .col(date("period_start"))
                .col(date("period_end"))
                // Net: debits minus credits, in cents.
                .col(big_integer("total_cents"))
                // The WMO323 that carries it (sent from here, or read here).
                .col(big_integer("iwmo_message_id"))
                // The WMO325 that answers it (read here, or written here).
                .col(big_integer_null("answer_message_id"))
                // submitted, answered.
                .col(string_len("state", 10))
                // TotaalToegekendBedrag of the WMO325, net, in cents.
                .col(big_integer_null("granted_cents"))
                .col(big_integer("created_at"))
                .col(big_integer_null("answered_at"))
                .foreign_key(&mut fk("declaration", "provider_id", "provider"))
                .foreign_key(&mut fk("declaration", "iwmo_message_id", "iwmo_message"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_declaration_provider_number")
                .table("declaration")
                .col("provider_id")
                .col("number")
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("declaration_line")
                .col(big_pk_auto("id"))
                .col(big_integer("declaration_id"))
                .col(big_integer("indication_id"))
                .col(big_integer("resident_id"))
                // ReferentieNummer: a debit's own; a credit repeats the debit's.
                .col(string_len("reference", 20))
                // VorigReferentieNummer: the debit a new debit replaces.
                .col(string_len_null("previous_reference", 20))
                // The product period: the indication's days within the declaration period.
                .col(date("period_start"))
                .col(date("period_end"))
                .col(big_integer("volume"))
                // Eenheid: 01 minutes, 82 pieces of output, 84 pieces of effort.
                .col(string_len("unit", 2))
                .col(big_integer_null("tariff_cents"))
                // Never negative; `credit` says which way.
                .col(big_integer("amount_cents"))
                .col(boolean("credit"))
                // By the hour: what the minutes would have cost without the budget ceiling.
                .col(big_integer_null("uncapped_cents"))
                // submitted, granted, refused.
                .col(string_len("state", 10))
                .col(string_len_null("retour_codes", 200))
                .col(big_integer("created_at"))
                .foreign_key(&mut fk("declaration_line", "declaration_id", "declaration"))
                .foreign_key(&mut fk("declaration_line", "indication_id", "indication"))
                .foreign_key(&mut fk("declaration_line", "resident_id", "resident"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_declaration_line_indication")
                .table("declaration_line")
                .col("indication_id")
                .col("period_start")
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_declaration_line_declaration")
                .table("declaration_line")
                .col("declaration_id")
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("provider_contract")
                // month or four_weeks: the declaration period the contract agrees.
                .add_column(string_len("declaration_period", 10).default("month"))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("provider_contract")
                .drop_column("declaration_period")
                .to_owned(),
        )
        .await?;
        m.drop_table(Table::drop().table("declaration_line").to_owned())
            .await?;
        m.drop_table(Table::drop().table("declaration").to_owned())
            .await
    }
}
