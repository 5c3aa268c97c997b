//! The municipality's indication pages: one indication with its cost and
//! history (`/indications/{id}`), changing (`form`), extending and ending it.

pub mod form;
pub mod page;

use axum::routing::{get, post};

use crate::ui::routes::Routes;

pub fn routes() -> Routes {
    Routes::new()
        .route("/indications/{id}", get(page::show))
        .route(
            "/indications/{id}/edit",
            get(form::edit_page).post(form::update),
        )
        .route("/indications/{id}/extend", post(page::extend))
        .route("/indications/{id}/end", post(page::end))
}
