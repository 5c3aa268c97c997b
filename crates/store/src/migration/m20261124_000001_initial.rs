//! The initial schema: reference data, organisations, accounts and sessions,
//! residents and their indications, the care plan and contact records, and the
//! append-only access log.
//!
//! Conventions: ids are 64-bit integers; moments are UTC epoch milliseconds in
//! `*_at` bigint columns (they compare numerically on every backend); calendar
//! dates are SQL `date`; money is integer cents in `*_cents` columns.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn fk(
    from_table: &'static str,
    from_col: &'static str,
    to_table: &'static str,
    to_col: &'static str,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{from_table}_{from_col}"))
        .from(from_table, from_col)
        .to(to_table, to_col)
        .on_delete(ForeignKeyAction::Restrict)
        .to_owned()
}

fn index(table: &'static str, cols: &[&'static str], unique: bool) -> IndexCreateStatement {
    let mut stmt = Index::create();
    stmt.name(format!("ix_{table}_{}", cols.join("_")))
        .table(table);
    for c in cols {
        stmt.col(*c);
    }
    if unique {
        stmt.unique();
    }
    stmt.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // --- Reference data -------------------------------------------------
        m.create_table(
            Table::create()
                .table("region")
                .col(big_pk_auto("id"))
                .col(string_uniq("name"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("municipality")
                .col(string_len("code", 4).primary_key())
                .col(string("name"))
                .col(string("province"))
                .col(big_integer_null("region_id"))
                .foreign_key(&mut fk("municipality", "region_id", "region", "id"))
                .to_owned(),
        )
        .await?;

        // --- Organisations ---------------------------------------------------
        m.create_table(
            Table::create()
                .table("provider")
                .col(big_pk_auto("id"))
                .col(string_len_uniq("agb_code", 8))
                .col(string("name"))
                .col(big_integer("created_at"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("team")
                .col(big_pk_auto("id"))
                .col(string("name"))
                // `social_team` (a municipality's) or `provider_team`.
                .col(string("kind"))
                .col(string_len_null("municipality_code", 4))
                .col(big_integer_null("provider_id"))
                .foreign_key(&mut fk("team", "municipality_code", "municipality", "code"))
                .foreign_key(&mut fk("team", "provider_id", "provider", "id"))
                .to_owned(),
        )
        .await?;

        // --- Residents -------------------------------------------------------
        m.create_table(
            Table::create()
                .table("resident")
                .col(big_pk_auto("id"))
                .col(string_len_uniq("bsn", 9))
                .col(date("birth_date"))
                .col(string("family_name"))
                .col(string_null("name_prefix"))
                .col(string_null("given_names"))
                .col(string_null("initials"))
                .col(string_null("phone"))
                .col(string_null("email"))
                .col(string_null("address"))
                .col(string_len("municipality_code", 4))
                .col(big_integer("created_at"))
                .col(big_integer("updated_at"))
                .foreign_key(&mut fk(
                    "resident",
                    "municipality_code",
                    "municipality",
                    "code",
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("resident", &["municipality_code"], false))
            .await?;

        // --- Accounts and sessions -------------------------------------------
        m.create_table(
            Table::create()
                .table("account")
                .col(big_pk_auto("id"))
                .col(string_uniq("email"))
                .col(string("display_name"))
                .col(string("role"))
                .col(string("password_hash"))
                // The organisation on whose behalf the account acts; which of
                // these is set depends on the role (see `Tenant`).
                .col(string_len_null("municipality_code", 4))
                .col(big_integer_null("region_id"))
                .col(big_integer_null("provider_id"))
                .col(big_integer_null("team_id"))
                .col(big_integer_null("resident_id"))
                .col(string_null("phone"))
                .col(boolean("active"))
                .col(big_integer("created_at"))
                .foreign_key(&mut fk(
                    "account",
                    "municipality_code",
                    "municipality",
                    "code",
                ))
                .foreign_key(&mut fk("account", "region_id", "region", "id"))
                .foreign_key(&mut fk("account", "provider_id", "provider", "id"))
                .foreign_key(&mut fk("account", "team_id", "team", "id"))
                .foreign_key(&mut fk("account", "resident_id", "resident", "id"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("session")
                // SHA-256 of the cookie token: a stolen database gives no live sessions.
                .col(string("token_hash").primary_key())
                .col(big_integer("account_id"))
                .col(string("csrf_token"))
                .col(big_integer("created_at"))
                .col(big_integer("last_seen_at"))
                .col(big_integer("absolute_expires_at"))
                .col(string_null("client_address"))
                .foreign_key(
                    &mut fk("session", "account_id", "account", "id")
                        .on_delete(ForeignKeyAction::Cascade)
                        .to_owned(),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(index("session", &["account_id"], false))
            .await?;
        m.create_table(
            Table::create()
                .table("login_throttle")
                // `email:<address>` or `ip:<address>`.
                .col(string("key").primary_key())
                .col(integer("failures"))
                .col(big_integer("window_started_at"))
                .col(big_integer_null("locked_until"))
                .to_owned(),
        )
        .await?;

        // --- Catalogue -------------------------------------------------------
        m.create_table(
            Table::create()
                .table("product")
                .col(big_pk_auto("id"))
                .col(string_len_uniq("code", 5))
                .col(string_len("category", 2))
                .col(string("name"))
                .col(string("level"))
                .col(boolean("active"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("tariff")
                .col(big_pk_auto("id"))
                .col(big_integer("product_id"))
                // Null: the region-wide tariff; set: a municipality's own.
                .col(string_len_null("municipality_code", 4))
                .col(integer("year"))
                .col(string("funding_variant"))
                .col(string_null("unit_period"))
                .col(big_integer("amount_cents"))
                .col(big_integer_null("budget_ceiling_cents"))
                .foreign_key(&mut fk("tariff", "product_id", "product", "id"))
                .foreign_key(&mut fk(
                    "tariff",
                    "municipality_code",
                    "municipality",
                    "code",
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "tariff",
            &["product_id", "year", "municipality_code"],
            true,
        ))
        .await?;
        m.create_table(
            Table::create()
                .table("own_contribution")
                .col(big_pk_auto("id"))
                .col(big_integer("product_id"))
                .col(string_len_null("municipality_code", 4))
                .col(date("valid_from"))
                .col(big_integer("monthly_cents"))
                .foreign_key(&mut fk("own_contribution", "product_id", "product", "id"))
                .foreign_key(&mut fk(
                    "own_contribution",
                    "municipality_code",
                    "municipality",
                    "code",
                ))
                .to_owned(),
        )
        .await?;

        // --- Indications -----------------------------------------------------
        m.create_table(
            Table::create()
                .table("indication")
                .col(big_pk_auto("id"))
                .col(big_integer("resident_id"))
                .col(big_integer("product_id"))
                .col(string_len("municipality_code", 4))
                .col(big_integer("provider_id"))
                .col(string("allocation_number"))
                .col(date("issued_on"))
                .col(date("start_date"))
                .col(date_null("end_date"))
                .col(date_null("planned_scale_down_date"))
                .col(text_null("agreed_result"))
                .col(string_null("end_reason"))
                .col(string_null("outcome"))
                .col(big_integer_null("predecessor_id"))
                .col(big_integer_null("professional_account_id"))
                .col(big_integer_null("team_id"))
                .col(integer_null("contact_rhythm_days"))
                .col(big_integer("created_at"))
                .col(big_integer("updated_at"))
                .foreign_key(&mut fk("indication", "resident_id", "resident", "id"))
                .foreign_key(&mut fk("indication", "product_id", "product", "id"))
                .foreign_key(&mut fk(
                    "indication",
                    "municipality_code",
                    "municipality",
                    "code",
                ))
                .foreign_key(&mut fk("indication", "provider_id", "provider", "id"))
                .foreign_key(&mut fk("indication", "predecessor_id", "indication", "id"))
                .foreign_key(&mut fk(
                    "indication",
                    "professional_account_id",
                    "account",
                    "id",
                ))
                .foreign_key(&mut fk("indication", "team_id", "team", "id"))
                .to_owned(),
        )
        .await?;
        // A pathway is a chain: at most one successor per indication.
        m.create_index(index("indication", &["predecessor_id"], true))
            .await?;
        // Importing the same file twice must not duplicate indications.
        m.create_index(index(
            "indication",
            &["resident_id", "product_id", "start_date"],
            true,
        ))
        .await?;
        m.create_index(index("indication", &["allocation_number"], true))
            .await?;
        m.create_index(index(
            "indication",
            &["municipality_code", "issued_on"],
            false,
        ))
        .await?;
        m.create_index(index("indication", &["provider_id"], false))
            .await?;
        m.create_index(index("indication", &["professional_account_id"], false))
            .await?;
        m.create_index(index("indication", &["team_id"], false))
            .await?;
        m.create_table(
            Table::create()
                .table("indication_extension")
                .col(big_pk_auto("id"))
                .col(big_integer("indication_id"))
                .col(date("previous_end"))
                .col(date("new_end"))
                .col(text("reason"))
                .col(big_integer_null("account_id"))
                .col(big_integer("created_at"))
                .foreign_key(&mut fk(
                    "indication_extension",
                    "indication_id",
                    "indication",
                    "id",
                ))
                .foreign_key(&mut fk(
                    "indication_extension",
                    "account_id",
                    "account",
                    "id",
                ))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("change_record")
                .col(big_pk_auto("id"))
                .col(string("entity"))
                .col(big_integer("entity_id"))
                .col(string("field"))
                .col(text_null("old_value"))
                .col(text_null("new_value"))
                .col(big_integer_null("account_id"))
                .col(big_integer("changed_at"))
                .foreign_key(&mut fk("change_record", "account_id", "account", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("change_record", &["entity", "entity_id"], false))
            .await?;

        // --- Care plan and contact records -----------------------------------
        m.create_table(
            Table::create()
                .table("plan_item")
                .col(big_pk_auto("id"))
                .col(big_integer("resident_id"))
                // `goal` or `agreement`.
                .col(string("kind"))
                .col(text("text"))
                .col(integer("position"))
                .col(big_integer("created_at"))
                .col(big_integer("updated_at"))
                .col(big_integer_null("archived_at"))
                .foreign_key(&mut fk("plan_item", "resident_id", "resident", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("plan_item", &["resident_id"], false))
            .await?;
        m.create_table(
            Table::create()
                .table("plan_progress")
                .col(big_pk_auto("id"))
                .col(big_integer("resident_id"))
                .col(big_integer_null("plan_item_id"))
                .col(big_integer_null("author_account_id"))
                .col(text("text"))
                .col(big_integer("created_at"))
                .foreign_key(&mut fk("plan_progress", "resident_id", "resident", "id"))
                .foreign_key(&mut fk("plan_progress", "plan_item_id", "plan_item", "id"))
                .foreign_key(&mut fk(
                    "plan_progress",
                    "author_account_id",
                    "account",
                    "id",
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("plan_progress", &["resident_id"], false))
            .await?;
        m.create_table(
            Table::create()
                .table("contact")
                .col(big_pk_auto("id"))
                .col(big_integer("resident_id"))
                .col(big_integer_null("professional_account_id"))
                .col(big_integer("occurred_at"))
                .col(string("channel"))
                .col(string("initiator"))
                .col(integer_null("duration_minutes"))
                .col(small_integer_null("wellbeing"))
                .col(text_null("note"))
                .col(big_integer("created_at"))
                .foreign_key(&mut fk("contact", "resident_id", "resident", "id"))
                .foreign_key(&mut fk(
                    "contact",
                    "professional_account_id",
                    "account",
                    "id",
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("contact", &["resident_id", "occurred_at"], false))
            .await?;
        m.create_table(
            Table::create()
                .table("check_in")
                .col(big_pk_auto("id"))
                .col(big_integer("resident_id"))
                .col(big_integer("submitted_at"))
                .col(small_integer("wellbeing"))
                .col(text_null("note"))
                .foreign_key(&mut fk("check_in", "resident_id", "resident", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("check_in", &["resident_id", "submitted_at"], false))
            .await?;
        m.create_table(
            Table::create()
                .table("bell")
                .col(big_pk_auto("id"))
                .col(big_integer("resident_id"))
                .col(big_integer("rung_at"))
                .col(text_null("message"))
                .col(big_integer_null("acknowledged_at"))
                .col(big_integer_null("acknowledged_by"))
                .col(big_integer_null("resolved_at"))
                .col(big_integer_null("resolved_by"))
                .col(text_null("resolution"))
                .foreign_key(&mut fk("bell", "resident_id", "resident", "id"))
                .foreign_key(&mut fk("bell", "acknowledged_by", "account", "id"))
                .foreign_key(&mut fk("bell", "resolved_by", "account", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("bell", &["resident_id", "rung_at"], false))
            .await?;
        m.create_table(
            Table::create()
                .table("scale_request")
                .col(big_pk_auto("id"))
                .col(big_integer("indication_id"))
                .col(big_integer("resident_id"))
                .col(string("direction"))
                .col(big_integer_null("requested_product_id"))
                .col(date("requested_start"))
                .col(text("reason"))
                .col(string("urgency"))
                .col(string("status"))
                .col(big_integer_null("requested_by"))
                .col(big_integer("requested_at"))
                .col(big_integer_null("decided_by"))
                .col(big_integer_null("decided_at"))
                .col(text_null("decision_note"))
                .col(big_integer_null("successor_indication_id"))
                .foreign_key(&mut fk(
                    "scale_request",
                    "indication_id",
                    "indication",
                    "id",
                ))
                .foreign_key(&mut fk("scale_request", "resident_id", "resident", "id"))
                .foreign_key(&mut fk(
                    "scale_request",
                    "requested_product_id",
                    "product",
                    "id",
                ))
                .foreign_key(&mut fk("scale_request", "requested_by", "account", "id"))
                .foreign_key(&mut fk("scale_request", "decided_by", "account", "id"))
                .foreign_key(&mut fk(
                    "scale_request",
                    "successor_indication_id",
                    "indication",
                    "id",
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("scale_request", &["status", "requested_at"], false))
            .await?;
        m.create_index(index("scale_request", &["resident_id"], false))
            .await?;
        m.create_table(
            Table::create()
                .table("consent")
                .col(big_pk_auto("id"))
                .col(big_integer("resident_id"))
                .col(string("party_kind"))
                .col(big_integer_null("party_account_id"))
                .col(string("party_name"))
                .col(big_integer("granted_at"))
                .col(big_integer_null("revoked_at"))
                .foreign_key(&mut fk("consent", "resident_id", "resident", "id"))
                .foreign_key(&mut fk("consent", "party_account_id", "account", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("consent", &["resident_id"], false))
            .await?;

        // --- Access log (NEN 7513) -------------------------------------------
        // Append-only: the store has no update or delete path for it. It holds
        // references (ids, object kinds), never care content.
        m.create_table(
            Table::create()
                .table("access_log")
                .col(big_pk_auto("id"))
                .col(big_integer("occurred_at"))
                .col(string("action"))
                .col(string("outcome"))
                .col(big_integer_null("account_id"))
                .col(string_null("actor_name"))
                .col(string_null("actor_role"))
                .col(string_null("organisation"))
                .col(big_integer_null("resident_id"))
                .col(text("objects"))
                .col(string_null("client_address"))
                .col(string("purpose"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("access_log", &["resident_id", "occurred_at"], false))
            .await?;
        m.create_index(index("access_log", &["account_id", "occurred_at"], false))
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "access_log",
            "consent",
            "scale_request",
            "bell",
            "check_in",
            "contact",
            "plan_progress",
            "plan_item",
            "change_record",
            "indication_extension",
            "indication",
            "own_contribution",
            "tariff",
            "product",
            "login_throttle",
            "session",
            "account",
            "resident",
            "team",
            "provider",
            "municipality",
            "region",
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
