//! New and changed indications: `/residents/{id}/indications/new` and
//! `/indications/{id}/edit`.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use serde::Deserialize;
use waakvlam_store::indications::{self, IndicationEdit, NewIndication};
use waakvlam_store::read::indication_form::{self, Target};
use waakvlam_store::{IndicationId, ProviderId, ResidentId};

use crate::AppState;
use crate::i18n::Tr;
use crate::ui::error::AppError;
use crate::ui::extract::{CsrfForm, Municipal, Require};
use crate::ui::form::{Choice, FormErrors, municipal_field_error};
use crate::ui::format::{iso, today_nl};
use crate::ui::session::CurrentUser;
use crate::ui::{Chrome, render_form};

use super::page::{parse_date, store_field_errors};

// --- New and changed indications ---------------------------------------------

#[derive(Deserialize, Default, Clone)]
pub struct IndicationForm {
    #[serde(default)]
    pub product_code: String,
    #[serde(default)]
    pub provider_id: String,
    #[serde(default)]
    pub issued_on: String,
    #[serde(default)]
    pub start_date: String,
    #[serde(default)]
    pub end_date: String,
    #[serde(default)]
    pub planned_scale_down_date: String,
    #[serde(default)]
    pub agreed_result: String,
    /// Ticked after the warning about a running indication of the same kind.
    #[serde(default)]
    pub overlap_confirmed: String,
}

/// What a product is and when it fits, as the form shows it.
pub struct ProductInfo {
    pub title: String,
    pub max: String,
    pub description: Option<String>,
    pub criteria: Option<String>,
}

#[derive(Template)]
#[template(path = "indications/form.html")]
pub struct IndicationFormPage {
    pub chrome: Chrome,
    /// The offered products' descriptions and criteria (new indications).
    pub product_info: Vec<ProductInfo>,
    pub action: String,
    pub cancel: String,
    /// Editing: the product is fixed.
    pub editing: bool,
    pub product_label: String,
    pub products: Vec<Choice>,
    pub providers: Vec<Choice>,
    pub form: IndicationForm,
    pub errors: FormErrors,
}

impl IndicationFormPage {
    /// The label of a field, as the errors name it too.
    pub fn label(&self, field: &str) -> String {
        self.chrome.t.get(&format!("mun-field-{field}"))
    }

    /// The hint under a field.
    pub fn hint(&self, field: &str) -> String {
        self.chrome.t.get(&format!("mun-hint-{field}"))
    }

    /// A select's options: "Kies…" first, then the choices with the
    /// submitted one selected.
    fn options(&self, choices: &[Choice], chosen: &str) -> Vec<Choice> {
        std::iter::once(Choice::new("", self.chrome.t.get("mun-choose"), false))
            .chain(
                choices
                    .iter()
                    .map(|c| Choice::new(c.value.clone(), c.label.clone(), c.value == chosen)),
            )
            .collect()
    }

    pub fn product_options(&self) -> Vec<Choice> {
        self.options(&self.products, &self.form.product_code)
    }

    pub fn provider_options(&self) -> Vec<Choice> {
        self.options(&self.providers, &self.form.provider_id)
    }
}

/// The products offered in the resident's municipality (its own catalogue or
/// its region's), each with its maximum duration there, and the providers
/// contracted there, each with the products they deliver, as choices.
fn choices(t: Tr, page: &indication_form::IndicationFormPage) -> (Vec<Choice>, Vec<Choice>) {
    let products = page
        .products
        .iter()
        .map(|(p, max)| Choice {
            value: p.product.code.as_str().to_owned(),
            // Code and name say the product (its level is in both, so not
            // a third time), then how long it may run here.
            label: format!(
                "{} — {} · {}",
                p.product.code.as_str(),
                p.product.name,
                match max {
                    Some(months) => t.with("mun-max-duration", &[("months", months.to_string())]),
                    None => t.get("mun-no-max-duration"),
                }
            ),
            selected: false,
        })
        .collect();
    let providers = page
        .providers
        .iter()
        .map(|(p, codes)| Choice {
            value: p.id.to_string(),
            label: if codes.is_empty() {
                p.name.clone()
            } else {
                format!("{} ({})", p.name, codes.join(", "))
            },
            selected: false,
        })
        .collect();
    (products, providers)
}

fn product_info(t: Tr, page: &indication_form::IndicationFormPage) -> Vec<ProductInfo> {
    page.products
        .iter()
        .map(|(p, max)| ProductInfo {
            title: format!("{} — {}", p.product.code.as_str(), p.product.name),
            max: match max {
                Some(months) => t.with("mun-max-duration", &[("months", months.to_string())]),
                None => t.get("mun-no-max-duration"),
            },
            description: p.description.clone(),
            criteria: p.criteria.clone(),
        })
        .collect()
}

/// The form's fields top to bottom: the order of its error summary.
const FIELD_ORDER: &[&str] = &[
    "product_code",
    "provider",
    "issued_on",
    "start_date",
    "end_date",
    "planned_scale_down_date",
    "agreed_result",
    "overlap",
];

fn form_response(mut page: IndicationFormPage) -> Response {
    page.errors = std::mem::take(&mut page.errors).in_order(FIELD_ORDER);
    render_form(&page, !page.errors.is_empty())
}

/// What a refused form already says about an overlap: its product, start
/// and end, when those are filled in and readable.
fn overlap_probe(t: Tr, f: &IndicationForm) -> Option<(String, NaiveDate, Option<NaiveDate>)> {
    let product = f.product_code.trim();
    if product.is_empty() {
        return None;
    }
    let start = parse_date(t, "start_date", &f.start_date, true).ok()??;
    let end = parse_date(t, "end_date", &f.end_date, false).ok()?;
    Some((product.to_owned(), start, end))
}

/// The new-indication form: empty (today's dates) or as submitted, with errors.
/// A form refused before it reached the store still gets the overlap warning
/// when what was filled in shows one, with its other errors.
async fn new_form(
    state: &AppState,
    user: &CurrentUser,
    resident_id: ResidentId,
    form: Option<IndicationForm>,
    mut errors: FormErrors,
) -> Result<Response, AppError> {
    let t = user.t;
    let probe = form
        .as_ref()
        .filter(|_| !errors.is_empty() && errors.get("overlap").is_none())
        .filter(|f| f.overlap_confirmed != "on")
        .and_then(|f| overlap_probe(t, f));
    let (data, overlap) = state
        .store
        .read(&user.actor, async |cx| {
            let data = indication_form::page(cx, Target::New(resident_id)).await?;
            let overlap = match &probe {
                Some((product, start, end)) => {
                    indications::overlap_warning(cx, resident_id, product, *start, *end).await?
                }
                None => None,
            };
            Ok((data, overlap))
        })
        .await?;
    if let Some(refusal) = overlap {
        errors.extend(FormErrors::from(store_field_errors(
            t,
            waakvlam_store::StoreError::Invalid(vec![refusal]),
        )?));
    }
    let (products, providers) = choices(t, &data);
    let today = today_nl(state.store.now());
    Ok(form_response(IndicationFormPage {
        chrome: Chrome::for_user(
            user,
            t.with("mun-new-title", &[("name", data.resident_name.clone())]),
            state,
        ),
        product_info: product_info(t, &data),
        action: format!("/residents/{resident_id}/indications"),
        cancel: format!("/residents/{resident_id}"),
        editing: false,
        product_label: String::new(),
        products,
        providers,
        form: form.unwrap_or_else(|| IndicationForm {
            issued_on: iso(today),
            start_date: iso(today),
            ..Default::default()
        }),
        errors,
    }))
}

pub async fn new_page(
    State(state): State<AppState>,
    user: Require<Municipal>,
    Path(resident_id): Path<ResidentId>,
) -> Result<Response, AppError> {
    new_form(&state, &user, resident_id, None, FormErrors::default()).await
}

struct ParsedForm {
    provider_id: ProviderId,
    issued_on: NaiveDate,
    start: NaiveDate,
    end: Option<NaiveDate>,
    planned_scale_down: Option<NaiveDate>,
    agreed_result: Option<String>,
}

/// Every problem with the form at once, so the user fixes them in one go.
fn parse_form(t: Tr, f: &IndicationForm) -> Result<ParsedForm, FormErrors> {
    let mut errors = FormErrors::default();
    let mut date = |field: &str, v: &str, required: bool| match parse_date(t, field, v, required) {
        Ok(d) => d,
        Err(e) => {
            errors.insert(e);
            None
        }
    };
    let issued_on = date("issued_on", &f.issued_on, true);
    let start = date("start_date", &f.start_date, true);
    let end = date("end_date", &f.end_date, false);
    let planned_scale_down = date("planned_scale_down_date", &f.planned_scale_down_date, false);
    let provider_id = f.provider_id.trim().parse::<ProviderId>().ok();
    if provider_id.is_none() {
        errors.insert(municipal_field_error(
            t,
            "provider",
            t.get("mun-rule-choose"),
        ));
    }
    match (provider_id, issued_on, start) {
        (Some(provider_id), Some(issued_on), Some(start)) if errors.is_empty() => Ok(ParsedForm {
            provider_id,
            issued_on,
            start,
            end,
            planned_scale_down,
            agreed_result: Some(f.agreed_result.trim().to_owned()).filter(|s| !s.is_empty()),
        }),
        _ => Err(errors),
    }
}

pub async fn create(
    State(state): State<AppState>,
    Path(resident_id): Path<ResidentId>,
    CsrfForm(user, form): CsrfForm<Municipal, IndicationForm>,
) -> Result<Response, AppError> {
    let t = user.t;
    let mut errors = FormErrors::default();
    if form.product_code.trim().is_empty() {
        errors.insert(municipal_field_error(
            t,
            "product_code",
            t.get("mun-rule-choose"),
        ));
    }
    let parsed = match parse_form(t, &form) {
        Ok(p) if errors.is_empty() => p,
        Ok(_) => return new_form(&state, &user, resident_id, Some(form), errors).await,
        Err(more) => {
            errors.extend(more);
            return new_form(&state, &user, resident_id, Some(form), errors).await;
        }
    };
    let new = NewIndication {
        resident_id,
        product_code: form.product_code.trim().to_owned(),
        // The store takes the resident's own municipality.
        municipality_code: String::new(),
        provider_id: parsed.provider_id,
        allocation_number: None,
        issued_on: parsed.issued_on,
        start_date: parsed.start,
        end_date: parsed.end,
        planned_scale_down_date: parsed.planned_scale_down,
        agreed_result: parsed.agreed_result,
        predecessor_id: None,
        professional_account_id: None,
        team_id: None,
        contact_rhythm_days: None,
        end_reason: None,
        outcome: None,
    };
    let overlap = if form.overlap_confirmed == "on" {
        indications::Overlap::Confirmed
    } else {
        indications::Overlap::Warn
    };
    let created = state
        .store
        .write(&user.actor, async |cx| {
            // Refused (and logged) for a resident outside the tenant.
            waakvlam_store::residents::get(cx, resident_id).await?;
            indications::create_for_resident(cx, &new, overlap).await
        })
        .await;
    match created {
        Ok(created) => {
            Ok(Redirect::to(&format!("/indications/{}?saved=created", created.id)).into_response())
        }
        Err(e) => {
            let errors = store_field_errors(t, e)?;
            new_form(
                &state,
                &user,
                resident_id,
                Some(form),
                FormErrors::from(errors),
            )
            .await
        }
    }
}

/// The change form: the indication as stored, or as submitted with errors.
async fn edit_form(
    state: &AppState,
    user: &CurrentUser,
    id: IndicationId,
    form: Option<IndicationForm>,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let t = user.t;
    let data = state
        .store
        .read(&user.actor, async |cx| {
            indication_form::page(cx, Target::Edit(id)).await
        })
        .await?;
    let (products, providers) = choices(t, &data);
    let Some((i, product)) = &data.editing else {
        return Err(AppError::NotFound);
    };
    Ok(form_response(IndicationFormPage {
        chrome: Chrome::for_user(
            user,
            t.with("mun-edit-title", &[("name", data.resident_name.clone())]),
            state,
        ),
        product_info: product_info(t, &data),
        action: format!("/indications/{id}/edit"),
        cancel: format!("/indications/{id}"),
        editing: true,
        product_label: format!(
            "{} — {}",
            product.product.code.as_str(),
            product.product.name
        ),
        products,
        providers,
        form: form.unwrap_or_else(|| IndicationForm {
            product_code: product.product.code.as_str().to_owned(),
            provider_id: i.provider_id.to_string(),
            issued_on: iso(i.issued_on),
            start_date: iso(i.start_date),
            end_date: i.end_date.map(iso).unwrap_or_default(),
            planned_scale_down_date: i.planned_scale_down_date.map(iso).unwrap_or_default(),
            agreed_result: i.agreed_result.clone().unwrap_or_default(),
            overlap_confirmed: String::new(),
        }),
        errors,
    }))
}

pub async fn edit_page(
    State(state): State<AppState>,
    user: Require<Municipal>,
    Path(id): Path<IndicationId>,
) -> Result<Response, AppError> {
    edit_form(&state, &user, id, None, FormErrors::default()).await
}

pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<IndicationId>,
    CsrfForm(user, form): CsrfForm<Municipal, IndicationForm>,
) -> Result<Response, AppError> {
    let t = user.t;
    let parsed = match parse_form(t, &form) {
        Ok(p) => p,
        Err(errors) => return edit_form(&state, &user, id, Some(form), errors).await,
    };
    let edit = IndicationEdit {
        provider_id: parsed.provider_id,
        issued_on: parsed.issued_on,
        start_date: parsed.start,
        end_date: parsed.end,
        planned_scale_down_date: parsed.planned_scale_down,
        agreed_result: parsed.agreed_result,
    };
    let updated = state
        .store
        .write(&user.actor, async |cx| {
            indications::update(cx, id, &edit).await
        })
        .await;
    match updated {
        Ok(_) => Ok(Redirect::to(&format!("/indications/{id}?saved=changed")).into_response()),
        Err(e) => {
            let errors = store_field_errors(t, e)?;
            edit_form(&state, &user, id, Some(form), FormErrors::from(errors)).await
        }
    }
}
