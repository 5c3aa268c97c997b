//! "Hoe gaat het met je?" (`POST /me/check-in`): one face and an optional sentence.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use waakvlam_domain::care::Wellbeing;
use waakvlam_store::portal::check_in as store_check_in;

use super::me::{CheckInState, me_page};
use super::refused;
use crate::AppState;
use crate::ui::Flash;
use crate::ui::error::AppError;
use crate::ui::extract::{CsrfForm, Resident};
use crate::ui::form::FormErrors;

#[derive(Deserialize)]
pub struct CheckInForm {
    #[serde(default)]
    wellbeing: String,
    #[serde(default)]
    note: String,
}

/// "Hoe gaat het met je?": one face and an optional sentence.
pub async fn check_in(
    State(state): State<AppState>,
    CsrfForm(user, form): CsrfForm<Resident, CheckInForm>,
) -> Result<Response, AppError> {
    let t = user.t;
    let Ok(wellbeing) = Wellbeing::parse(&form.wellbeing) else {
        let flash = Flash::error(t.get("portal-checkin-choose"));
        let mut errors = FormErrors::default();
        errors.add("wellbeing", t.get("portal-checkin-choose"));
        let again = CheckInState {
            checked: None,
            note: form.note,
            errors,
        };
        return me_page(&state, &user, false, flash, again).await;
    };
    let note = Some(form.note.clone());
    let saved = state
        .store
        .write(&user.actor, async move |cx| {
            store_check_in::add(cx, wellbeing, note).await
        })
        .await;
    match saved {
        Ok(_) => Ok(Redirect::to("/me?done=check-in").into_response()),
        Err(e) => {
            let (flash, errors) = refused(t, e, &["note"])?;
            let again = CheckInState {
                checked: Some(wellbeing.value()),
                note: form.note,
                errors,
            };
            me_page(&state, &user, false, flash, again).await
        }
    }
}
