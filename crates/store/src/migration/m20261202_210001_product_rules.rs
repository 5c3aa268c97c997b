//! Product rules per municipality or region (issue 12): the maximum duration
//! of an indication of the product, a property of the product where it is
//! indicated (12 months in one region, "as long as needed" in another),
//! rather than a constant in code. A row for a municipality overrides one
//! for its region; no row means no maximum.
//!
//! A product gets a description and its criteria ("when is it waakvlam and
//! when light support?"), shown where indications are made.
//!
//! And the contracts: which provider delivers which product in a region or
//! municipality, so the consultant chooses among those only.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one column at a time.
        m.alter_table(
            Table::alter()
                .table("product")
                .add_column(text_null("description"))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("product")
                .add_column(text_null("criteria"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("product_rule")
                .col(big_pk_auto("id"))
                .col(big_integer("product_id"))
                // Exactly one of the two is set: the rule's place.
                .col(big_integer_null("region_id"))
                .col(string_len_null("municipality_code", 4))
                // NULL: as long as needed.
                .col(integer_null("max_duration_months"))
                .col(big_integer("updated_at"))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_product_rule_product_id")
                        .from("product_rule", "product_id")
                        .to("product", "id")
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_product_rule_region_id")
                        .from("product_rule", "region_id")
                        .to("region", "id")
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_product_rule_municipality_code")
                        .from("product_rule", "municipality_code")
                        .to("municipality", "code")
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_product_rule_product_id")
                .table("product_rule")
                .col("product_id")
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("provider_contract")
                .col(big_pk_auto("id"))
                .col(big_integer("provider_id"))
                .col(big_integer("product_id"))
                // Exactly one of the two is set: where the contract holds.
                .col(big_integer_null("region_id"))
                .col(string_len_null("municipality_code", 4))
                .col(big_integer("created_at"))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_provider_contract_provider_id")
                        .from("provider_contract", "provider_id")
                        .to("provider", "id")
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_provider_contract_product_id")
                        .from("provider_contract", "product_id")
                        .to("product", "id")
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_provider_contract_region_id")
                        .from("provider_contract", "region_id")
                        .to("region", "id")
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_provider_contract_municipality_code")
                        .from("provider_contract", "municipality_code")
                        .to("municipality", "code")
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_provider_contract_product_id")
                .table("provider_contract")
                .col("product_id")
                .to_owned(),
        )
        .await?;
        // Until now every waakvlam ended after at most 12 months: keep that
        // for the regions an existing installation already has, so upgrading
        // changes no rule; contract managers change it on /catalogue.
        let db = m.get_connection();
        db.execute_unprepared(
            "INSERT INTO product_rule (product_id, region_id, municipality_code, \
             max_duration_months, updated_at) \
             SELECT product.id, region.id, NULL, 12, 0 FROM product, region \
             WHERE product.level = 'waakvlam'",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("provider_contract").to_owned())
            .await?;
        m.drop_table(Table::drop().table("product_rule").to_owned())
            .await?;
        m.alter_table(
            Table::alter()
                .table("product")
                .drop_column("criteria")
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("product")
                .drop_column("description")
                .to_owned(),
        )
        .await
    }
}
