//! When a professional last looked at a resident (issue 14, "flags new
//! resident activity"): the caseload reads it from the access log, per actor
//! and resident, so that look-up gets an index of its own.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const NAME: &str = "ix_access_log_account_id_resident_id_occurred_at";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(
            Index::create()
                .name(NAME)
                .table("access_log")
                .col("account_id")
                .col("resident_id")
                .col("occurred_at")
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name(NAME).table("access_log").to_owned())
            .await
    }
}
