//! `POST /catalogue/tariffs`: a tariff per year and municipality.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use waakvlam_domain::money::{Cents, MoneyError};
use waakvlam_domain::tariff::{FundingVariant, UnitPeriod};
use waakvlam_store::catalogue::{self, NewTariff};

use super::page::{
    Failed, TariffForm, money_message, municipality_of, page, product_id, store_field_error,
};
use crate::AppState;
use crate::ui::error::AppError;
use crate::ui::extract::{CsrfForm, PriceSetter};
use crate::ui::form::FormErrors;

/// `POST /catalogue/tariffs`
pub async fn set_tariff(
    State(state): State<AppState>,
    CsrfForm(user, form): CsrfForm<PriceSetter, TariffForm>,
) -> Result<Response, AppError> {
    let t = user.t;
    let mut errors = FormErrors::default();
    let product = product_id(&state, &user.actor, &form.product).await?;
    if product.is_none() {
        errors.add("product", t.get("cat-error-product"));
    }
    let year = form.year.trim().parse::<i32>().ok();
    match year {
        Some(y) if catalogue::YEARS.contains(&y) => {}
        _ => errors.add("year", t.get("cat-error-year")),
    }
    let amount = match Cents::parse_euros(&form.amount) {
        Ok(a) => Some(a),
        Err(e) => {
            errors.add("amount", money_message(t, e));
            None
        }
    };
    let variant = match form.variant.as_str() {
        "per_indication" => Some(FundingVariant::PerIndication),
        "per_indication_year" => Some(FundingVariant::PerIndicationYear),
        "per_unit" => match UnitPeriod::parse(form.unit_period.trim()) {
            Ok(p) => Some(FundingVariant::PerUnit(p)),
            Err(_) => {
                errors.add("unit_period", t.get("cat-error-unit-period"));
                None
            }
        },
        "per_hour" => match Cents::parse_euros(&form.budget_ceiling) {
            Ok(c) => Some(FundingVariant::PerHour { budget_ceiling: c }),
            Err(MoneyError::Empty) => {
                errors.add("budget_ceiling", t.get("cat-error-ceiling-required"));
                None
            }
            Err(e) => {
                errors.add("budget_ceiling", money_message(t, e));
                None
            }
        },
        _ => {
            errors.add("variant", t.get("cat-error-variant"));
            None
        }
    };
    if let (Some(product_id), Some(year), Some(amount), Some(variant), true) =
        (product, year, amount, variant, errors.is_empty())
    {
        let new = NewTariff {
            product_id,
            municipality_code: municipality_of(&form.municipality),
            year,
            variant,
            amount,
        };
        let result = state
            .store
            .write(&user.actor, async |cx| {
                catalogue::set_tariff(cx, &new).await
            })
            .await;
        match result {
            Ok(()) => {
                return Ok(Redirect::to("/catalogue?saved=tariff#tariffs").into_response());
            }
            Err(e) => store_field_error(t, e, &mut errors)?,
        }
    }
    page(
        &state,
        &user,
        None,
        Failed {
            tariff: Some((form, errors)),
            ..Default::default()
        },
    )
    .await
}
