//! The resident page for professionals: `/clients/{id}`. What matters now,
//! the plan, one timeline, and the actions of a contact moment, each a plain
//! form that works without JavaScript.

pub mod activation_code;
pub mod bell;
pub mod contact;
pub mod delivery;
pub mod end;
pub mod handover;
pub mod messages;
pub mod page;
pub mod plan;
pub mod rhythm;
pub mod scale;

use axum::routing::{get, post};

use crate::ui::routes::Routes;

pub fn routes() -> Routes {
    Routes::new()
        .route("/clients/{id}", get(page::page))
        .route("/clients/{id}/contacts", post(contact::log_contact))
        .route("/clients/{id}/rhythm", post(rhythm::set_rhythm))
        .route(
            "/clients/{id}/delivery-start",
            post(delivery::confirm_start),
        )
        .route("/clients/{id}/bells/{bell_id}", post(bell::update_bell))
        .route("/clients/{id}/requests", post(scale::request_scale))
        .route("/clients/{id}/end", post(end::end_waakvlam))
        .route("/clients/{id}/plan/items", post(plan::add_item))
        .route(
            "/clients/{id}/plan/items/{item_id}",
            post(plan::change_item),
        )
        .route(
            "/clients/{id}/plan/items/{item_id}/archive",
            post(plan::archive_item),
        )
        .route(
            "/clients/{id}/plan/proposals/{proposal_id}",
            post(plan::answer_proposal),
        )
        .route("/clients/{id}/plan/print", get(plan::print))
        .route("/clients/{id}/messages", post(messages::client_message))
        .route("/clients/{id}/handover/read", post(handover::mark_read))
        .route(
            "/clients/{id}/activation-code",
            post(activation_code::client_activation_code),
        )
}
