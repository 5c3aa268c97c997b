//! A new activation code for a resident (`/clients/{id}/activation-code`).

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use waakvlam_store::activation;

use crate::AppState;
use crate::ui::error::AppError;
use crate::ui::extract::{Care, CsrfForm};
use crate::ui::form::NoFields;
use crate::ui::format::{date_nl, today_nl};
use crate::ui::{Chrome, render};

#[derive(Template)]
#[template(path = "clients/letter.html")]
pub struct LetterPage {
    pub chrome: Chrome,
    pub resident_id: i64,
    pub resident: String,
    pub login: String,
    pub code: String,
    pub until: String,
}

/// The professional makes a new activation code (first login, or a
/// forgotten password) and gets a letter to print or read out.
pub async fn client_activation_code(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(user, NoFields {}): CsrfForm<Care, NoFields>,
) -> Result<Response, AppError> {
    let t = user.t;
    let store = &state.store;
    let issued = activation::issue_for_resident(store, &user.actor, id).await?;
    let resident = store
        .read(&user.actor, async |cx| {
            waakvlam_store::residents::get(cx, waakvlam_store::ResidentId::new(id)).await
        })
        .await?;
    Ok(render(&LetterPage {
        chrome: Chrome::for_user(&user, t.get("portal-letter-title"), &state),
        resident_id: id,
        resident: resident.display_name(),
        login: issued.login,
        code: issued.code.code,
        until: date_nl(today_nl(issued.code.expires_at)),
    }))
}
