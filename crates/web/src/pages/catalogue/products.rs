//! Adding and changing products: `/catalogue/products/new`, `/catalogue/products/{id}`.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use waakvlam_domain::product::IntensityLevel;
use waakvlam_store::catalogue::{self, ProductInput};
use waakvlam_store::{ProductId, StoreError, organisations};

use super::page::{level_label, store_field_error};
use crate::AppState;
use crate::i18n::Tr;
use crate::ui::error::AppError;
use crate::ui::extract::{CsrfForm, ProductManager, Require};
use crate::ui::form::{Choice, FormErrors};
use crate::ui::session::CurrentUser;
use crate::ui::{Chrome, render};

#[derive(Template)]
#[template(path = "catalogue/product.html")]
pub struct ProductPage {
    pub chrome: Chrome,
    /// `None` for a new product.
    pub id: Option<ProductId>,
    pub form: ProductForm,
    pub errors: FormErrors,
    pub levels: Vec<Choice>,
    pub offered: Vec<Choice>,
}

impl ProductPage {
    /// The code is fixed once a product exists.
    pub fn code_hint(&self) -> String {
        self.chrome.t.get(if self.id.is_some() {
            "cat-field-code-fixed"
        } else {
            "cat-field-code-hint"
        })
    }
}

#[derive(Default, Deserialize)]
pub struct ProductForm {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub level: String,
    /// A checkbox: present when ticked.
    #[serde(default)]
    pub active: Option<String>,
    /// Where it is offered: empty, `region:ID` or `municipality:CODE`.
    #[serde(default)]
    pub offered_in: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub criteria: String,
}

fn level_choices(t: Tr, selected: &str) -> Vec<Choice> {
    IntensityLevel::ALL
        .iter()
        .map(|l| {
            Choice::new(
                l.as_str().to_owned(),
                level_label(t, *l),
                l.as_str() == selected,
            )
        })
        .collect()
}

/// Where the actor may offer a product: everywhere, their region(s) and the
/// municipalities in them.
async fn offered_choices(
    state: &AppState,
    user: &CurrentUser,
    selected: &str,
) -> Result<Vec<Choice>, AppError> {
    let t = user.t;
    let own_region = match &user.actor.tenant {
        waakvlam_store::Tenant::ContractManager {
            region_id: Some(id),
            ..
        } => Some(*id),
        _ => None,
    };
    let regions = state
        .store
        .read(&user.actor, async |cx| {
            let mut out = Vec::new();
            for (id, name) in organisations::regions(cx).await? {
                if own_region.is_none_or(|own| id == own) {
                    out.push((
                        id,
                        name,
                        organisations::municipalities_in_region(cx, id).await?,
                    ));
                }
            }
            Ok(out)
        })
        .await?;
    let mut out = vec![Choice::new(
        String::new(),
        t.get("cat-offered-everywhere"),
        selected.is_empty(),
    )];
    for (id, name, municipalities) in regions {
        let value = format!("region:{id}");
        out.push(Choice {
            selected: value == selected,
            value,
            label: t.with("cat-offered-region", &[("name", name)]),
        });
        for m in municipalities {
            let value = format!("municipality:{}", m.code);
            out.push(Choice {
                selected: value == selected,
                value,
                label: t.with("cat-offered-municipality", &[("name", m.name)]),
            });
        }
    }
    Ok(out)
}

fn product_page(
    state: &AppState,
    user: &CurrentUser,
    id: Option<ProductId>,
    form: ProductForm,
    errors: FormErrors,
    offered: Vec<Choice>,
) -> Response {
    let t = user.t;
    let title = t.get(if id.is_some() {
        "cat-product-edit-title"
    } else {
        "cat-product-new-title"
    });
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let view = ProductPage {
        chrome: Chrome::for_user(user, title, state),
        id,
        levels: level_choices(t, &form.level),
        form,
        errors,
        offered,
    };
    (status, render(&view)).into_response()
}

/// `GET /catalogue/products/new`
pub async fn new_product(
    State(state): State<AppState>,
    user: Require<ProductManager>,
) -> Result<Response, AppError> {
    let form = ProductForm {
        category: "02".to_owned(),
        level: IntensityLevel::Other.as_str().to_owned(),
        active: Some("on".to_owned()),
        ..Default::default()
    };
    let offered = offered_choices(&state, &user, &form.offered_in).await?;
    Ok(product_page(
        &state,
        &user,
        None,
        form,
        FormErrors::default(),
        offered,
    ))
}

/// `GET /catalogue/products/{id}`
pub async fn edit_product(
    State(state): State<AppState>,
    user: Require<ProductManager>,
    Path(id): Path<ProductId>,
) -> Result<Response, AppError> {
    let p = state
        .store
        .read(&user.actor, async |cx| {
            catalogue::product_by_id(cx, id).await
        })
        .await?
        .ok_or(AppError::NotFound)?;
    let form = ProductForm {
        code: p.product.code.as_str().to_owned(),
        category: p.product.category.as_str().to_owned(),
        name: p.product.name.clone(),
        level: p.product.level.as_str().to_owned(),
        active: p.active.then(|| "on".to_owned()),
        offered_in: p.offered_in.form_value(),
        description: p.description.clone().unwrap_or_default(),
        criteria: p.criteria.clone().unwrap_or_default(),
    };
    let offered = offered_choices(&state, &user, &form.offered_in).await?;
    Ok(product_page(
        &state,
        &user,
        Some(id),
        form,
        FormErrors::default(),
        offered,
    ))
}

/// Checks the product form with the domain's rules, in the user's language.
fn check_product(t: Tr, form: &ProductForm) -> FormErrors {
    let mut errors = FormErrors::default();
    if waakvlam_domain::ids::ProductCode::parse(&form.code).is_err() {
        errors.add("code", t.get("cat-error-code"));
    }
    if waakvlam_domain::ids::ProductCategory::parse(&form.category).is_err() {
        errors.add("category", t.get("cat-error-category"));
    }
    if form.name.trim().is_empty() || form.name.trim().chars().count() > 100 {
        errors.add("name", t.get("cat-error-name"));
    }
    if IntensityLevel::parse(&form.level).is_err() {
        errors.add("level", t.get("cat-error-level"));
    }
    errors
}

fn input_of(form: &ProductForm, offered_in: catalogue::OfferedIn) -> ProductInput {
    ProductInput {
        code: form.code.clone(),
        category: form.category.clone(),
        name: form.name.clone(),
        level: form.level.clone(),
        active: form.active.is_some(),
        offered_in,
        description: form.description.clone(),
        criteria: form.criteria.clone(),
    }
}

async fn save_product(
    state: &AppState,
    user: &CurrentUser,
    id: Option<ProductId>,
    form: ProductForm,
) -> Result<Response, AppError> {
    let t = user.t;
    let mut errors = check_product(t, &form);
    let offered_in = catalogue::OfferedIn::parse(&form.offered_in);
    if offered_in.is_err() {
        errors.add("offered_in", t.get("cat-error-offered-in"));
    }
    if let (true, Ok(offered_in)) = (errors.is_empty(), offered_in) {
        let input = input_of(&form, offered_in);
        let result = state
            .store
            .write(&user.actor, async |cx| match id {
                Some(id) => catalogue::update_product(cx, id, &input).await,
                None => catalogue::create_product(cx, &input).await.map(|_| ()),
            })
            .await;
        match result {
            Ok(()) => return Ok(Redirect::to("/catalogue?saved=product").into_response()),
            Err(StoreError::Conflict(_)) => errors.add("code", t.get("cat-error-code-taken")),
            Err(e) => store_field_error(t, e, &mut errors)?,
        }
    }
    let offered = offered_choices(state, user, &form.offered_in).await?;
    Ok(product_page(state, user, id, form, errors, offered))
}

/// `POST /catalogue/products`
pub async fn create_product(
    State(state): State<AppState>,
    CsrfForm(user, form): CsrfForm<ProductManager, ProductForm>,
) -> Result<Response, AppError> {
    save_product(&state, &user, None, form).await
}

/// `POST /catalogue/products/{id}`
pub async fn update_product(
    State(state): State<AppState>,
    Path(id): Path<ProductId>,
    CsrfForm(user, form): CsrfForm<ProductManager, ProductForm>,
) -> Result<Response, AppError> {
    save_product(&state, &user, Some(id), form).await
}
