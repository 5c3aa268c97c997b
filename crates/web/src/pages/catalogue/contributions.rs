//! Own contributions: setting one from a date, and abolishing it (€0 from a date).

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Datelike, NaiveDate};
use waakvlam_domain::money::Cents;
use waakvlam_store::catalogue::{self, NewOwnContribution};

use super::page::{
    ContributionForm, Failed, money_message, municipality_of, page, product_id, store_field_error,
};
use crate::AppState;
use crate::i18n::Tr;
use crate::ui::error::AppError;
use crate::ui::extract::{CsrfForm, PriceSetter};
use crate::ui::form::FormErrors;
use crate::ui::session::CurrentUser;

fn parse_date(t: Tr, value: &str, errors: &mut FormErrors) -> Option<NaiveDate> {
    match NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d") {
        Ok(d) if catalogue::YEARS.contains(&d.year()) => Some(d),
        _ => {
            errors.add("valid_from", t.get("cat-error-date"));
            None
        }
    }
}

async fn save_contribution(
    state: &AppState,
    user: &CurrentUser,
    form: &ContributionForm,
    monthly: Option<Cents>,
    mut errors: FormErrors,
) -> Result<Result<(), FormErrors>, AppError> {
    let t = user.t;
    let product = product_id(state, &user.actor, &form.product).await?;
    if product.is_none() {
        errors.add("product", t.get("cat-error-product"));
    }
    let valid_from = parse_date(t, &form.valid_from, &mut errors);
    let (Some(product_id), Some(valid_from), Some(monthly), true) =
        (product, valid_from, monthly, errors.is_empty())
    else {
        return Ok(Err(errors));
    };
    let new = NewOwnContribution {
        product_id,
        municipality_code: municipality_of(&form.municipality),
        valid_from,
        monthly,
    };
    let result = state
        .store
        .write(&user.actor, async |cx| {
            catalogue::set_own_contribution(cx, &new).await
        })
        .await;
    match result {
        Ok(()) => Ok(Ok(())),
        Err(e) => {
            store_field_error(t, e, &mut errors)?;
            Ok(Err(errors))
        }
    }
}

/// `POST /catalogue/own-contributions`
pub async fn set_contribution(
    State(state): State<AppState>,
    CsrfForm(user, form): CsrfForm<PriceSetter, ContributionForm>,
) -> Result<Response, AppError> {
    let t = user.t;
    let mut errors = FormErrors::default();
    let monthly = match Cents::parse_euros(&form.monthly) {
        Ok(a) => Some(a),
        Err(e) => {
            errors.add("monthly", money_message(t, e));
            None
        }
    };
    match save_contribution(&state, &user, &form, monthly, errors).await? {
        Ok(()) => Ok(Redirect::to("/catalogue?saved=contribution#contributions").into_response()),
        Err(errors) => {
            page(
                &state,
                &user,
                None,
                Failed {
                    contribution: Some((form, errors)),
                    ..Default::default()
                },
            )
            .await
        }
    }
}

/// `POST /catalogue/own-contributions/abolish`: €0 from the chosen date.
pub async fn abolish_contribution(
    State(state): State<AppState>,
    CsrfForm(user, form): CsrfForm<PriceSetter, ContributionForm>,
) -> Result<Response, AppError> {
    match save_contribution(
        &state,
        &user,
        &form,
        Some(Cents::ZERO),
        FormErrors::default(),
    )
    .await?
    {
        Ok(()) => Ok(Redirect::to("/catalogue?saved=abolished#contributions").into_response()),
        Err(errors) => {
            page(
                &state,
                &user,
                None,
                Failed {
                    abolish: Some((form, errors)),
                    ..Default::default()
                },
            )
            .await
        }
    }
}
