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

use axum::routing::{get, post};
use waakvlam_store::StoreError;

use crate::i18n::Tr;
use crate::ui::Flash;
use crate::ui::error::AppError;
use crate::ui::form::{FormErrors, Refusal};
use crate::ui::routes::Routes;

/// A refused form as the portal says it: one plain (B1) text above the form,
/// and the same text next to the field it is about when that is one of the
/// form's `fields`. Anything but a refusal of input is the error back.
pub(crate) fn refused(
    t: Tr,
    e: StoreError,
    fields: &[&str],
) -> Result<(Flash, FormErrors), AppError> {
    let refusal = Refusal::of(e)?;
    let text = refusal.portal_text(t);
    let mut errors = FormErrors::default();
    if let Some(field) = refusal
        .0
        .first()
        .map(|r| r.field.as_str())
        .filter(|f| fields.contains(f))
    {
        errors.add(field, text.clone());
    }
    Ok((Flash::error(text), errors))
}

pub fn routes() -> Routes {
    Routes::new()
        .route("/me", get(me::me))
        .route("/me/help", get(me::help_page).post(me::help))
        .route("/me/check-in", post(check_in::check_in))
        .route("/me/plan", get(plan::plan))
        .route("/me/plan/notes", post(plan::add_note))
        .route("/me/plan/proposals", post(plan::propose))
        .route("/me/plan/print", get(plan::print))
        .route(
            "/me/messages",
            get(messages::messages).post(messages::send_message),
        )
        .route("/me/sharing", get(sharing::sharing).post(sharing::invite))
        .route("/me/sharing/{id}/remove", post(sharing::remove_share))
        .route(
            "/me/sharing/invitations/{id}/withdraw",
            post(sharing::withdraw_invitation),
        )
        .route("/me/log", get(log::log))
        .route("/me/log/download", get(log::download))
        .route(
            "/me/helper",
            get(helper::helper).post(helper::choose_helper),
        )
}
