//! Allocation numbers as iWmo `ToewijzingNummer`: an integer of at most nine
//! digits, unique within the municipality, handed out by a counter per
//! municipality (so they are unique by construction, also under concurrent
//! writers). Numbers generated before (date + product + resident, which could
//! collide and were not valid iWmo numbers) become the indication's id; none
//! had been exchanged yet.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        // Portable SQL: the same statements on SQLite and PostgreSQL.
        db.execute_unprepared("UPDATE indication SET allocation_number = CAST(id AS TEXT)")
            .await?;
        m.drop_index(
            Index::drop()
                .name("ix_indication_allocation_number")
                .table("indication")
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_indication_municipality_code_allocation_number")
                .table("indication")
                .col("municipality_code")
                .col("allocation_number")
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("allocation_counter")
                .col(string_len("municipality_code", 4).primary_key())
                .col(big_integer("last"))
                .to_owned(),
        )
        .await?;
        db.execute_unprepared(
            "INSERT INTO allocation_counter (municipality_code, last) \
             SELECT municipality_code, MAX(id) FROM indication GROUP BY municipality_code",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("allocation_counter").to_owned())
            .await?;
        m.drop_index(
            Index::drop()
                .name("ix_indication_municipality_code_allocation_number")
                .table("indication")
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_indication_allocation_number")
                .table("indication")
                .col("allocation_number")
                .unique()
                .to_owned(),
        )
        .await
    }
}
