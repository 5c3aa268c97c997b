//! Activating an account with a code from a professional (`/activate`).

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;

use crate::AppState;
use crate::i18n::Tr;
use crate::pages::auth::{self, Credentials};
use crate::ui::cookie::random_token;
use crate::ui::error::AppError;
use crate::ui::form::FormErrors;
use crate::ui::routes::Routes;
use crate::ui::session::{ConnectInfoOpt, client_from};
use crate::ui::{Chrome, render};

pub fn routes() -> Routes {
    Routes::new().route("/activate", get(activate_page).post(activate))
}

#[derive(Template)]
#[template(path = "activate/page.html")]
pub struct ActivatePage {
    pub chrome: Chrome,
    /// The double-submit token (see `auth::with_form_token`).
    pub csrf: String,
    pub error: Option<String>,
    pub code: String,
    pub errors: FormErrors,
}

pub async fn activate_page(State(state): State<AppState>, t: Tr) -> Response {
    let csrf = random_token();
    let page = render(&ActivatePage {
        chrome: Chrome::anonymous(t, t.get("portal-activate-title"), "/activate"),
        csrf: csrf.clone(),
        error: None,
        code: String::new(),
        errors: FormErrors::default(),
    });
    auth::with_form_token(&state, page, &csrf)
}

#[derive(Deserialize)]
pub struct ActivateForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_again: String,
}

/// Sets a password with an activation code and logs in. The form carries a
/// double-submit token like the login form: the code is a secret a forged
/// request would lack, but a cross-site post could still log a victim into
/// an account the attacker made a code for (login CSRF).
pub async fn activate(
    State(state): State<AppState>,
    ConnectInfoOpt(addr): ConnectInfoOpt,
    t: Tr,
    headers: HeaderMap,
    Form(form): Form<ActivateForm>,
) -> Response {
    // The text above the form, and next to `field` when it is about one.
    let again_with = |status: StatusCode, field: Option<&str>, error: String| {
        let mut errors = FormErrors::default();
        if let Some(field) = field {
            errors.add(field, error.clone());
        }
        let csrf = random_token();
        let page = render(&ActivatePage {
            chrome: Chrome::anonymous(t, t.get("portal-activate-title"), "/activate"),
            csrf: csrf.clone(),
            error: Some(error),
            code: form.code.clone(),
            errors,
        });
        auth::with_form_token(&state, (status, page).into_response(), &csrf)
    };
    let again = |field: Option<&str>, error: String| {
        again_with(StatusCode::UNPROCESSABLE_ENTITY, field, error)
    };
    if !auth::form_token_matches(&state, &headers, &form.csrf_token) {
        return again_with(StatusCode::BAD_REQUEST, None, t.get("login-csrf"));
    }
    if form.password != form.password_again {
        return again(Some("password_again"), t.get("portal-activate-mismatch"));
    }
    let client = client_from(&state, &headers, addr);
    let credentials = Credentials::ActivationCode {
        code: form.code.clone(),
        new_password: form.password.clone(),
    };
    match auth::authenticate(&state, &credentials, client.as_deref()).await {
        Ok(account) => auth::start_session(&state, account, client)
            .await
            .into_response(),
        Err(auth::LoginFailure::Locked(minutes)) => again(
            None,
            t.with("login-locked", &[("minutes", minutes.to_string())]),
        ),
        Err(auth::LoginFailure::Invalid(refusal)) => {
            let field = refusal
                .0
                .first()
                .map(|r| r.field.clone())
                .filter(|f| ["code", "password"].contains(&f.as_str()));
            again(field.as_deref(), refusal.portal_text(t))
        }
        Err(auth::LoginFailure::Wrong | auth::LoginFailure::Reset(_)) => {
            again(Some("code"), t.get("portal-error-code"))
        }
        Err(auth::LoginFailure::Store(e)) => AppError::from(e).into_response(),
    }
}
