//! Registering a new resident: `/residents/new` (the form) and
//! `POST /residents`. The BSN travels in the form body only, never in an
//! address, and is looked up in the store, which answers with a resident the
//! consultant may see, or with a refusal that says nothing about one they
//! may not see.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use waakvlam_store::residents::{self, Registration, ResidentInput};
use waakvlam_store::{ResidentId, read};

use crate::AppState;
use crate::i18n::Tr;
use crate::ui::error::AppError;
use crate::ui::extract::{CsrfForm, Municipal, Require};
use crate::ui::form::{Choice, FormErrors, Refusal};
use crate::ui::session::CurrentUser;
use crate::ui::{Chrome, render_form};

use crate::pages::indications::page::parse_date;

#[derive(Deserialize, Default, Clone)]
pub struct RegisterForm {
    #[serde(default)]
    pub bsn: String,
    #[serde(default)]
    pub family_name: String,
    #[serde(default)]
    pub name_prefix: String,
    #[serde(default)]
    pub given_names: String,
    #[serde(default)]
    pub initials: String,
    #[serde(default)]
    pub birth_date: String,
    #[serde(default)]
    pub municipality_code: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub address: String,
}

/// A resident with the typed BSN whom the consultant may see already.
pub struct KnownResident {
    pub id: ResidentId,
    pub name: String,
}

#[derive(Template)]
#[template(path = "residents/new.html")]
pub struct RegisterPage {
    pub chrome: Chrome,
    pub municipalities: Vec<Choice>,
    pub form: RegisterForm,
    pub errors: FormErrors,
    pub known: Option<KnownResident>,
}

impl RegisterPage {
    /// The label of a field, as the errors name it too.
    pub fn label(&self, field: &str) -> String {
        self.chrome.t.get(&format!("mun-field-{field}"))
    }

    /// The hint under a field.
    pub fn hint(&self, field: &str) -> String {
        self.chrome.t.get(&format!("mun-hint-{field}"))
    }
}

/// The form: empty, or as sent with its errors (or the resident it found).
async fn form_page(
    state: &AppState,
    user: &CurrentUser,
    form: RegisterForm,
    errors: FormErrors,
    known: Option<KnownResident>,
) -> Result<Response, AppError> {
    let t = user.t;
    let places = state
        .store
        .read(&user.actor, async |cx| read::register_form::page(cx).await)
        .await?
        .municipalities;
    // One municipality: chosen already, nothing to choose.
    let only = (places.len() == 1).then(|| places[0].code.clone());
    let chosen = only.unwrap_or_else(|| form.municipality_code.clone());
    let municipalities = std::iter::once(Choice::new("", t.get("mun-choose"), false))
        .chain(
            places
                .into_iter()
                .map(|m| Choice::new(m.code.clone(), m.name, m.code == chosen)),
        )
        .collect();
    let failed = !errors.is_empty();
    Ok(render_form(
        &RegisterPage {
            chrome: Chrome::for_user(user, t.get("mun-register-title"), state),
            municipalities,
            form,
            errors,
            known,
        },
        failed,
    ))
}

pub async fn new_page(
    State(state): State<AppState>,
    user: Require<Municipal>,
) -> Result<Response, AppError> {
    form_page(
        &state,
        &user,
        RegisterForm::default(),
        FormErrors::default(),
        None,
    )
    .await
}

/// The store's refusals next to their fields, after the form's own (a date
/// that is no date), one per field.
fn refusal_errors(t: Tr, refusal: &Refusal, errors: &mut FormErrors) {
    for e in refusal.municipal_errors(t) {
        errors.add(&e.field.clone(), e.message);
    }
}

pub async fn register(
    State(state): State<AppState>,
    CsrfForm(user, form): CsrfForm<Municipal, RegisterForm>,
) -> Result<Response, AppError> {
    let t = user.t;
    let mut errors = FormErrors::default();
    let birth_date = match parse_date(t, "birth_date", &form.birth_date, true) {
        Ok(d) => d,
        Err(e) => {
            errors.insert(e);
            None
        }
    };
    let input = ResidentInput {
        bsn: form.bsn.clone(),
        birth_date,
        family_name: form.family_name.clone(),
        name_prefix: form.name_prefix.clone(),
        given_names: form.given_names.clone(),
        initials: form.initials.clone(),
        municipality_code: form.municipality_code.clone(),
        phone: form.phone.clone(),
        email: form.email.clone(),
        address: form.address.clone(),
    };
    // The store checks every field, so all problems show at once, also
    // when the form found one already.
    let registered = state
        .store
        .write(&user.actor, async |cx| {
            residents::register(cx, &input).await
        })
        .await;
    match registered {
        // (A date the form could not read reaches the store as none, which
        // it refuses: a resident is only made from a form without errors.)
        Ok(Registration::Created(id)) => {
            Ok(Redirect::to(&format!("/residents/{id}?done=registered")).into_response())
        }
        Ok(Registration::Known { id, name }) => {
            form_page(
                &state,
                &user,
                form,
                errors,
                Some(KnownResident { id, name }),
            )
            .await
        }
        Err(e) => {
            let refusal = Refusal::of(e)?;
            refusal_errors(t, &refusal, &mut errors);
            form_page(&state, &user, form, errors, None).await
        }
    }
}
