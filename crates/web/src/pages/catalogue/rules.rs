//! `POST /catalogue/rules`: a product's maximum duration in a region or
//! municipality (empty: as long as needed).

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use waakvlam_store::catalogue::{self, ProductRule, RulePlace};

use waakvlam_store::StoreError;

use super::page::{Failed, RuleForm, page, product_id};
use crate::AppState;
use crate::i18n::Tr;
use crate::ui::error::AppError;
use crate::ui::extract::{CsrfForm, PriceSetter};
use crate::ui::form::{FormErrors, Refusal};

/// `POST /catalogue/rules`
pub async fn set_rule(
    State(state): State<AppState>,
    CsrfForm(user, form): CsrfForm<PriceSetter, RuleForm>,
) -> Result<Response, AppError> {
    let t = user.t;
    let mut errors = FormErrors::default();
    let product = product_id(&state, &user.actor, &form.product).await?;
    if product.is_none() {
        errors.add("product", t.get("cat-error-product"));
    }
    let place = RulePlace::parse(&form.place).ok();
    if place.is_none() {
        errors.add("place", t.get("cat-error-rule-place"));
    }
    let months = match form.months.trim() {
        "" => Some(None),
        v => match v.parse::<u32>() {
            Ok(m) if catalogue::MAX_DURATION_MONTHS.contains(&m) => Some(Some(m)),
            _ => {
                errors.add("months", t.get("cat-error-months"));
                None
            }
        },
    };
    if let (Some(product_id), Some(place), Some(max_duration_months), true) =
        (product, place, months, errors.is_empty())
    {
        let rule = ProductRule {
            product_id,
            place,
            max_duration_months,
        };
        let result = state
            .store
            .write(&user.actor, async |cx| catalogue::set_rule(cx, &rule).await)
            .await;
        match result {
            Ok(()) => return Ok(Redirect::to("/catalogue?saved=rule#rules").into_response()),
            Err(e) => refused(t, e, &mut errors)?,
        }
    }
    page(
        &state,
        &user,
        None,
        Failed {
            rule: Some((form, errors)),
            ..Default::default()
        },
    )
    .await
}

/// What the store refused, next to the rule form's fields; `Err` when the
/// error is not about the input.
pub(super) fn refused(t: Tr, e: StoreError, errors: &mut FormErrors) -> Result<(), StoreError> {
    match Refusal::of(e) {
        Ok(refusal) => {
            for r in &refusal.0 {
                let field = match r.field.as_str() {
                    "max_duration_months" => "months",
                    "place" | "municipality" => "place",
                    "provider" => "provider",
                    _ => "product",
                };
                errors.add(field, t.refusal(&r.reason, Some("cat-refusal-")));
            }
        }
        Err(StoreError::Denied) => errors.add("place", t.get("cat-error-scope")),
        Err(other) => return Err(other),
    }
    Ok(())
}
