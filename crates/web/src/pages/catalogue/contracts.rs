//! `POST /catalogue/contracts` and `POST /catalogue/contracts/{id}/remove`:
//! which provider delivers a product in a region or municipality, and
//! whether it declares per calendar month or per four weeks; the consultant
//! chooses among those providers when making an indication.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use waakvlam_store::catalogue::{self, NewContract, RulePlace};
use waakvlam_store::declarations::PeriodKind;
use waakvlam_store::{ContractId, ProviderId};

use super::page::{ContractForm, Failed, page, product_id};
use super::rules::refused;
use crate::AppState;
use crate::ui::error::AppError;
use crate::ui::extract::{CsrfForm, PriceSetter};
use crate::ui::form::{FormErrors, NoFields};

/// `POST /catalogue/contracts`
pub async fn add_contract(
    State(state): State<AppState>,
    CsrfForm(user, form): CsrfForm<PriceSetter, ContractForm>,
) -> Result<Response, AppError> {
    let t = user.t;
    let mut errors = FormErrors::default();
    let product = product_id(&state, &user.actor, &form.product).await?;
    if product.is_none() {
        errors.add("product", t.get("cat-error-product"));
    }
    let provider = form.provider.trim().parse::<ProviderId>().ok();
    if provider.is_none() {
        errors.add("provider", t.get("cat-error-provider"));
    }
    let place = RulePlace::parse(&form.place).ok();
    if place.is_none() {
        errors.add("place", t.get("cat-error-rule-place"));
    }
    // A form from before the choice existed declares per month, as before.
    let period = if form.declaration_period.is_empty() {
        Some(PeriodKind::Month)
    } else {
        PeriodKind::parse(&form.declaration_period)
    };
    if period.is_none() {
        errors.add("declaration_period", t.get("cat-error-declaration-period"));
    }
    if let (Some(product_id), Some(provider_id), Some(place), Some(declaration_period), true) =
        (product, provider, place, period, errors.is_empty())
    {
        let new = NewContract {
            provider_id,
            product_id,
            place,
            declaration_period,
        };
        let result = state
            .store
            .write(&user.actor, async |cx| {
                catalogue::add_contract(cx, &new).await
            })
            .await;
        match result {
            Ok(_) => {
                return Ok(Redirect::to("/catalogue?saved=contract#contracts").into_response());
            }
            Err(e) => refused(t, e, &mut errors)?,
        }
    }
    page(
        &state,
        &user,
        None,
        Failed {
            contract: Some((form, errors)),
            ..Default::default()
        },
    )
    .await
}

/// `POST /catalogue/contracts/{id}/remove`
pub async fn remove_contract(
    State(state): State<AppState>,
    Path(id): Path<ContractId>,
    CsrfForm(user, _): CsrfForm<PriceSetter, NoFields>,
) -> Result<Response, AppError> {
    state
        .store
        .write(&user.actor, async |cx| {
            catalogue::remove_contract(cx, id).await
        })
        .await?;
    Ok(Redirect::to("/catalogue?saved=contract-removed").into_response())
}
