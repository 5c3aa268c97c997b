//! Asking the municipality to scale support up or down (`POST /clients/{id}/requests`).

use axum::extract::{Path, State};
use axum::response::Response;
use chrono::NaiveDate;
use serde::Deserialize;
use waakvlam_domain::care::{RequestStatus, ScaleDirection, Urgency};
use waakvlam_domain::refusal::{Explain, Reason};
use waakvlam_store::catalogue;
use waakvlam_store::scale_request;
use waakvlam_store::scale_request::NewScaleRequest;
use waakvlam_store::{AccountId, IndicationId, ResidentId};

use super::page::{ContactForm, build, respond};
use crate::AppState;
use crate::ui::Flash;
use crate::ui::error::AppError;
use crate::ui::extract::{Care, CsrfForm};

#[derive(Deserialize)]
pub struct ScaleForm {
    indication_id: IndicationId,
    #[serde(default)]
    direction: String,
    #[serde(default)]
    product: String,
    #[serde(default)]
    start_date: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    urgency: String,
}

pub async fn request_scale(
    State(state): State<AppState>,
    Path(id): Path<ResidentId>,
    CsrfForm(user, form): CsrfForm<Care, ScaleForm>,
) -> Result<Response, AppError> {
    let t = user.t;
    let store = &state.store;
    let problem = |msg: String| Flash::error(t.with("client-form-error", &[("error", msg)]));
    let direction = ScaleDirection::parse(&form.direction);
    let start = NaiveDate::parse_from_str(form.start_date.trim(), "%Y-%m-%d");
    // "end": a request to end support altogether (no successor product).
    let ending = form.product == "end";
    let product = if ending {
        None
    } else {
        store
            .read(&user.actor, async |cx| {
                catalogue::product_by_code(cx, &form.product).await
            })
            .await?
    };
    let (direction, start, product) = match (direction, start, product) {
        (Ok(ScaleDirection::Down), Ok(s), None) if ending => (ScaleDirection::Down, s, None),
        (Ok(d), Ok(s), Some(p)) => (d, s, Some(p)),
        (Err(e), _, _) => {
            return build(
                &state,
                &user,
                id,
                0,
                problem(t.refusal(&e.reason(), None)),
                ContactForm::default(),
            )
            .await;
        }
        (_, Err(_), _) => {
            return build(
                &state,
                &user,
                id,
                0,
                problem(t.refusal(
                    &Reason::new("date-invalid").with("value", &form.start_date),
                    None,
                )),
                ContactForm::default(),
            )
            .await;
        }
        (_, _, None) => {
            return build(
                &state,
                &user,
                id,
                0,
                problem(t.refusal(
                    &Reason::new("unknown-product").with("code", &form.product),
                    None,
                )),
                ContactForm::default(),
            )
            .await;
        }
    };
    let request = NewScaleRequest {
        indication_id: form.indication_id,
        resident_id: id,
        direction,
        requested_product_id: product.map(|p| p.id),
        requested_start: start,
        reason: form.reason.trim().to_owned(),
        urgency: if form.urgency == "urgent" {
            Urgency::Urgent
        } else {
            Urgency::Normal
        },
        status: RequestStatus::Pending,
        requested_by: Some(AccountId::new(user.account().id)),
        requested_at: store.now(),
        decided: None,
        successor_indication_id: None,
    };
    let result = store
        .write(&user.actor, async |cx| {
            scale_request::ask(cx, &request).await
        })
        .await;
    respond(&state, &user, id, result, "request").await
}
