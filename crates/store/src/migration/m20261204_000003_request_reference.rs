//! Requests exchanged as iWmo (WMO317/319): the provider's reference
//! (`ReferentieAanbieder`) of a scale request sent or read as a WMO317, which
//! the municipality's answer and new allocation repeat.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("scale_request")
                .add_column(string_len_null("iwmo_reference", 36))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("scale_request")
                .drop_column("iwmo_reference")
                .to_owned(),
        )
        .await
    }
}
