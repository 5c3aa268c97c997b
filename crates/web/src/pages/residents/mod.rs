//! The consultant's residents: finding one (`/residents`), registering a
//! new one (`/residents/new`), their pathway (`/residents/{id}`) and a new
//! indication from there.

mod new;
mod page;

use axum::routing::{get, post};

use crate::pages::indications::form;
use crate::ui::routes::Routes;

pub fn routes() -> Routes {
    Routes::new()
        .route("/residents", get(page::residents_page).post(new::register))
        .route("/residents/new", get(new::new_page))
        .route("/residents/{id}", get(page::pathway_page))
        .route("/residents/{id}/indications/new", get(form::new_page))
        .route("/residents/{id}/indications", post(form::create))
}
