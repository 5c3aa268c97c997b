//! The pages, one module per area; a module's path follows its URL. Each
//! area brings its routes; [`routes`] merges them.

pub mod activate;
pub mod admin;
pub mod auth;
pub mod caseload;
pub mod catalogue;
pub mod clients;
pub mod declarations;
pub mod helper_requests;
pub mod home;
pub mod indications;
pub mod intake;
pub mod invitation;
pub mod iwmo;
pub mod monitoring;
pub mod notifications;
pub mod portal;
pub mod residents;
pub mod scale_down_requests;
pub mod shared;
pub mod team;
pub mod worklist;

use crate::ui::routes::Routes;

pub fn routes() -> Routes {
    Routes::new()
        .merge(home::routes())
        .merge(auth::routes())
        .merge(caseload::routes())
        .merge(clients::routes())
        .merge(worklist::routes())
        .merge(residents::routes())
        .merge(indications::routes())
        .merge(catalogue::routes())
        .merge(monitoring::routes())
        .merge(declarations::routes())
        .merge(admin::routes())
        .merge(portal::routes())
        .merge(shared::routes())
        .merge(activate::routes())
        .merge(invitation::routes())
        .merge(helper_requests::routes())
        .merge(intake::routes())
        .merge(iwmo::routes())
        .merge(team::routes())
        .merge(scale_down_requests::routes())
        .merge(notifications::routes())
}
