//! The municipality's request to a provider to plan a scale-down
//! (the "one click" on the scale-down inventory).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("scale_down_planning")
                .col(big_pk_auto("id"))
                .col(big_integer("indication_id"))
                .col(big_integer("resident_id"))
                .col(big_integer("provider_id"))
                .col(big_integer_null("requested_by"))
                .col(big_integer("requested_at"))
                .col(text_null("note"))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_scale_down_planning_indication_id")
                        .from("scale_down_planning", "indication_id")
                        .to("indication", "id"),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_scale_down_planning_indication_id")
                .table("scale_down_planning")
                .col("indication_id")
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("scale_down_planning").to_owned())
            .await
    }
}
