//! The catalogue and its prices: `/catalogue`. Products with their iWmo
//! category, code and intensity level, tariffs per year and municipality with
//! their funding variant, and the own-contribution history ("eigen bijdrage
//! afschaffen" sets €0 from a date; the earlier rows stay), and the maximum
//! duration of an indication and the providers contracted for a product, per
//! region or municipality. Administrators and
//! contract managers change it (the store checks who may change what);
//! consultants read it.

pub mod contracts;
pub mod contributions;
pub mod page;
pub mod products;
pub mod rules;
pub mod tariffs;

use axum::routing::{get, post};

use crate::ui::routes::Routes;

pub fn routes() -> Routes {
    Routes::new()
        .route("/catalogue", get(page::show))
        .route("/catalogue/tariffs", post(tariffs::set_tariff))
        .route("/catalogue/rules", post(rules::set_rule))
        .route("/catalogue/contracts", post(contracts::add_contract))
        .route(
            "/catalogue/contracts/{id}/remove",
            post(contracts::remove_contract),
        )
        .route(
            "/catalogue/own-contributions",
            post(contributions::set_contribution),
        )
        .route(
            "/catalogue/own-contributions/abolish",
            post(contributions::abolish_contribution),
        )
        .route("/catalogue/products", post(products::create_product))
        .route("/catalogue/products/new", get(products::new_product))
        .route(
            "/catalogue/products/{id}",
            get(products::edit_product).post(products::update_product),
        )
}
