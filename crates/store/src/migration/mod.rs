//! One set of migrations for SQLite and PostgreSQL.
//!
//! Migrations are written with sea-query's portable schema builder, never with
//! backend-specific SQL, so both backends always have the same schema.

use sea_orm_migration::prelude::*;

mod m20261124_000001_initial;
mod m20261125_000002_signal_settings;
mod m20261125_000003_caseload_indexes;
mod m20261125_000004_scale_down_planning;
mod m20261125_000005_product_offered_in;
mod m20261127_000001_portal;
mod m20261201_000001_password_reset;
mod m20261201_000002_allocation_numbers;
mod m20261201_000003_access_chain;
mod m20261202_000001_invitations;
mod m20261202_210001_product_rules;
mod m20261202_300001_handover;
mod m20261202_300002_scale_down_answers;
mod m20261202_400001_plans_together;
mod m20261202_500001_notifications;
mod m20261203_000001_iwmo_messages;
mod m20261204_000001_delivery;
mod m20261204_000002_declarations;
mod m20261204_000003_request_reference;
mod m20261205_000001_periodic_jobs;
mod m20261205_000002_seen_index;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261124_000001_initial::Migration),
            Box::new(m20261125_000002_signal_settings::Migration),
            Box::new(m20261125_000003_caseload_indexes::Migration),
            Box::new(m20261125_000004_scale_down_planning::Migration),
            Box::new(m20261125_000005_product_offered_in::Migration),
            Box::new(m20261127_000001_portal::Migration),
            Box::new(m20261201_000001_password_reset::Migration),
            Box::new(m20261201_000002_allocation_numbers::Migration),
            Box::new(m20261201_000003_access_chain::Migration),
            Box::new(m20261202_000001_invitations::Migration),
            Box::new(m20261202_210001_product_rules::Migration),
            Box::new(m20261202_300001_handover::Migration),
            Box::new(m20261202_300002_scale_down_answers::Migration),
            Box::new(m20261202_400001_plans_together::Migration),
            Box::new(m20261202_500001_notifications::Migration),
            Box::new(m20261203_000001_iwmo_messages::Migration),
            Box::new(m20261204_000001_delivery::Migration),
            Box::new(m20261204_000002_declarations::Migration),
            Box::new(m20261204_000003_request_reference::Migration),
            Box::new(m20261205_000001_periodic_jobs::Migration),
            Box::new(m20261205_000002_seen_index::Migration),
        ]
    }
}
