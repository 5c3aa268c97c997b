//! The team lead's team pages: the workload of each professional (`/team`),
//! handing residents over (`/team/handover`) and the team's signal
//! thresholds (`/team/thresholds`).

mod handover;
mod thresholds;
mod workload;

use axum::routing::{get, post};

use crate::ui::routes::Routes;

pub fn routes() -> Routes {
    Routes::new()
        .route("/team", get(workload::page))
        .route("/team/{id}/capacity", post(workload::set_capacity))
        .route(
            "/team/handover",
            get(handover::page).post(handover::hand_over),
        )
        .route(
            "/team/thresholds",
            get(thresholds::page).post(thresholds::save),
        )
}
