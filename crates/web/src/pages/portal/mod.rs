//! The resident portal (`/me/...`): one page per task.
//!
//! Every page is a plain form that works without JavaScript; texts are B1
//! Dutch (see `locales/nl/portal.ftl`). Who may see what is decided in
//! `waakvlam_store::portal`, never here.

pub mod check_in;
pub mod helper;
pub mod log;
pub mod me;
pub mod messages;
pub mod plan;
pub mod sharing;

use axum::Router;
use axum::routing::{get, post};

use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/me", get(me::me))
        .route("/me/help", get(me::help_page).post(me::help))
        .route("/me/check-in", post(check_in::check_in))
        .route("/me/plan", get(plan::plan))
        .route("/me/plan/notes", post(plan::add_note))
        .route(
            "/me/messages",
            get(messages::messages).post(messages::send_message),
        )
        .route("/me/sharing", get(sharing::sharing).post(sharing::invite))
        .route("/me/sharing/{id}/remove", post(sharing::remove_share))
        .route("/me/log", get(log::log))
        .route(
            "/me/helper",
            get(helper::helper).post(helper::choose_helper),
        )
}
