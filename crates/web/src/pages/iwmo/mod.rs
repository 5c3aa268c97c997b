//! The iWmo message log (`/iwmo`, "Berichtenverkeer"): the log itself, one
//! message with its XML, and the upload of received messages for those
//! without a transport connection of their own.

mod log;
mod message;
mod upload;

use axum::routing::{get, post};

use crate::ui::routes::Routes;

pub fn routes() -> Routes {
    Routes::new()
        .route("/iwmo", get(log::list))
        .route("/iwmo/{id}", get(message::detail))
        .route("/iwmo/{id}/download", get(message::download))
        .route("/iwmo/{id}/sent", post(message::mark_sent))
        .route("/iwmo/upload", get(upload::form).post(upload::upload))
}
