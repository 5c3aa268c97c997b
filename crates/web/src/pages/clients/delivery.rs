//! The start of delivery (`POST /clients/{id}/delivery-start`): the
//! professional confirms the day support began, when it was not a logged
//! contact. The store records it once and, for an allocation exchanged as
//! iWmo, tells the municipality (WMO305).

use axum::extract::{Path, State};
use axum::response::Response;
use chrono::NaiveDate;
use serde::Deserialize;
use waakvlam_domain::refusal::Reason;
use waakvlam_store::iwmo::delivery;
use waakvlam_store::{IndicationId, ResidentId};

use super::page::{Sent, refuse, respond};
use crate::AppState;
use crate::ui::error::AppError;
use crate::ui::extract::{Care, CsrfForm};
use crate::ui::form::FormErrors;

#[derive(Deserialize)]
pub struct DeliveryStartForm {
    indication_id: IndicationId,
    #[serde(default)]
    delivery_start: String,
}

pub async fn confirm_start(
    State(state): State<AppState>,
    Path(id): Path<ResidentId>,
    CsrfForm(user, form): CsrfForm<Care, DeliveryStartForm>,
) -> Result<Response, AppError> {
    let sent = Sent::DeliveryStart {
        start: form.delivery_start.clone(),
    };
    let Ok(start) = NaiveDate::parse_from_str(form.delivery_start.trim(), "%Y-%m-%d") else {
        let mut errors = FormErrors::default();
        errors.add(
            "delivery_start",
            user.t.refusal(
                &Reason::new("date-invalid").with("value", &form.delivery_start),
                None,
            ),
        );
        return refuse(&state, &user, id, sent, errors).await;
    };
    // Only an indication of this resident that the professional holds: the
    // store checks it.
    let result = state
        .store
        .write(&user.actor, async |cx| {
            delivery::confirm_start(cx, form.indication_id, start).await
        })
        .await;
    respond(&state, &user, id, result, "delivery-start", sent, &[]).await
}
