//! Indexes the caseload needs to stay fast as a provider grows (measured in
//! `benches/caseload.rs`, see docs/PERFORMANCE.md).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // The tenant check of a professional or team is a correlated EXISTS
        // per resident; this index answers it without reading the table.
        m.create_index(
            Index::create()
                .name("ix_indication_resident_provider_professional_team")
                .table("indication")
                .col("resident_id")
                .col("provider_id")
                .col("professional_account_id")
                .col("team_id")
                .to_owned(),
        )
        .await?;
        // Pending requests of a caseload's residents, not of the whole
        // installation.
        m.create_index(
            Index::create()
                .name("ix_scale_request_resident_id_status")
                .table("scale_request")
                .col("resident_id")
                .col("status")
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("ix_scale_request_resident_id_status")
                .table("scale_request")
                .to_owned(),
        )
        .await?;
        m.drop_index(
            Index::drop()
                .name("ix_indication_resident_provider_professional_team")
                .table("indication")
                .to_owned(),
        )
        .await
    }
}
