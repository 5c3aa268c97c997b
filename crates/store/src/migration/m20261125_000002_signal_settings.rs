//! Signal thresholds a municipality or a team sets for its caseloads.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("signal_settings")
                .col(big_pk_auto("id"))
                // Exactly one of the two is set.
                .col(string_len_null("municipality_code", 4))
                .col(big_integer_null("team_id"))
                // `ThresholdOverrides` as JSON: only the values that differ.
                .col(text("overrides"))
                .col(big_integer_null("updated_by"))
                .col(big_integer("updated_at"))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_signal_settings_municipality_code")
                        .from("signal_settings", "municipality_code")
                        .to("municipality", "code"),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_signal_settings_team_id")
                        .from("signal_settings", "team_id")
                        .to("team", "id"),
                )
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("signal_settings").to_owned())
            .await
    }
}
