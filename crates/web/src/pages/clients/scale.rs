//! Asking the municipality to scale support up or down (`POST /clients/{id}/requests`).

use axum::extract::{Path, State};
use axum::response::Response;
use chrono::NaiveDate;
use serde::Deserialize;
use waakvlam_domain::care::{RequestStatus, ScaleDirection, Urgency};
use waakvlam_domain::limits::{self, TextClass};
use waakvlam_domain::refusal::{Explain, Reason, Refusal};
use waakvlam_store::catalogue;
use waakvlam_store::scale_request;
use waakvlam_store::scale_request::NewScaleRequest;
use waakvlam_store::{IndicationId, ResidentId};

use super::page::{Sent, refuse, respond};
use crate::AppState;
use crate::ui::error::AppError;
use crate::ui::extract::{Care, CsrfForm};
use crate::ui::form::FormErrors;
use crate::ui::format::today_nl;

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
    let sent = || Sent::Scale {
        direction: form.direction.clone(),
        product: form.product.clone(),
        start_date: form.start_date.clone(),
        urgency: form.urgency.clone(),
        reason: form.reason.clone(),
    };
    let mut errors = FormErrors::default();
    let direction = ScaleDirection::parse(&form.direction)
        .map_err(|e| errors.add("direction", t.refusal(&e.reason(), None)))
        .ok();
    // "end": a request to end support altogether (no successor product).
    let ending = form.product == "end";
    let product = if ending {
        None
    } else {
        let product = store
            .read(&user.actor, async |cx| {
                catalogue::product_by_code(cx, &form.product).await
            })
            .await?;
        if product.is_none() {
            errors.add(
                "product",
                t.refusal(
                    &Reason::new("unknown-product").with("code", &form.product),
                    None,
                ),
            );
        }
        product
    };
    if ending && direction == Some(ScaleDirection::Up) {
        errors.add("product", t.refusal(&Reason::new("product-choose"), None));
    }
    let start = NaiveDate::parse_from_str(form.start_date.trim(), "%Y-%m-%d")
        .map_err(|_| {
            errors.add(
                "start_date",
                t.refusal(
                    &Reason::new("date-invalid").with("value", &form.start_date),
                    None,
                ),
            )
        })
        .ok();
    let urgency = Urgency::parse(&form.urgency)
        .map_err(|e| errors.add("urgency", t.refusal(&e.reason(), None)))
        .ok();
    let today = today_nl(store.now());
    if let Some(start) = start
        && let Err(r) = limits::check_care_date("start_date", start, today)
    {
        errors.add("start_date", t.refusal(&r.reason, None));
    }
    let reason = form.reason.trim();
    let reason_check = if reason.is_empty() {
        Err(Refusal::because("reason", "reason"))
    } else {
        limits::check_text("reason", reason, TextClass::Short)
    };
    if let Err(r) = reason_check {
        errors.add("reason", t.refusal(&r.reason, None));
    }
    let (Some(direction), Some(start), Some(urgency), true) =
        (direction, start, urgency, errors.is_empty())
    else {
        return refuse(&state, &user, id, sent(), errors).await;
    };
    let request = NewScaleRequest {
        indication_id: form.indication_id,
        resident_id: id,
        direction,
        requested_product_id: product.map(|p| p.id),
        requested_start: start,
        reason: reason.to_owned(),
        urgency,
        status: RequestStatus::Pending,
        requested_by: Some(user.account().id),
        requested_at: store.now(),
        decided: None,
        successor_indication_id: None,
    };
    let result = store
        .write(&user.actor, async |cx| {
            scale_request::ask(cx, &request).await
        })
        .await;
    respond(&state, &user, id, result, "request", sent(), &[]).await
}
