//! Periodic jobs shared by several `serve` processes on one database
//! (`Store::exclusively`): when each job last ran, so that a process whose
//! tick comes just after another's skips that round.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("periodic_job")
                // `retention`, `escalation` (`store::jobs::Job::name`).
                .col(string_len("name", 40).primary_key())
                // When the last successful run started (epoch ms).
                .col(big_integer("last_run_at"))
                // How many runs succeeded, in all processes together.
                .col(big_integer("runs"))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("periodic_job").to_owned())
            .await
    }
}
