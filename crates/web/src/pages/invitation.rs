//! Accepting an invitation to see a resident's plan without an account
//! (`/invitation`): the person types the code the resident gave them and
//! chooses a password. Those who already have an account accept on
//! `/shared` after logging in. The answer is the same whether the invited
//! address already had an account (see `store::portal::consent`).

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;
use waakvlam_store::portal::consent;
use waakvlam_store::{Actor, throttle};

use crate::AppState;
use crate::i18n::Tr;
use crate::pages::auth;
use crate::ui::cookie::random_token;
use crate::ui::error::AppError;
use crate::ui::form::{FormErrors, Refusal};
use crate::ui::routes::Routes;
use crate::ui::session::{ConnectInfoOpt, client_from};
use crate::ui::{Chrome, render};

pub fn routes() -> Routes {
    Routes::new().route("/invitation", get(invitation_page).post(accept))
}

#[derive(Template)]
#[template(path = "invitation/page.html")]
pub struct InvitationPage {
    pub chrome: Chrome,
    /// The double-submit token (see `auth::with_form_token`).
    pub csrf: String,
    pub error: Option<String>,
    /// After accepting: the address to log in with.
    pub done: Option<String>,
    pub code: String,
    pub errors: FormErrors,
}

fn page(state: &AppState, status: StatusCode, p: InvitationPage) -> Response {
    let csrf = p.csrf.clone();
    auth::with_form_token(state, (status, render(&p)).into_response(), &csrf)
}

fn blank(t: Tr) -> InvitationPage {
    InvitationPage {
        chrome: Chrome::anonymous(t, t.get("invitation-title"), "/invitation"),
        csrf: random_token(),
        error: None,
        done: None,
        code: String::new(),
        errors: FormErrors::default(),
    }
}

pub async fn invitation_page(State(state): State<AppState>, t: Tr) -> Response {
    page(&state, StatusCode::OK, blank(t))
}

#[derive(Deserialize)]
pub struct AcceptForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_again: String,
}

/// The text of a refusal of a typed code, or of the chosen password.
pub(crate) fn code_refusal_text(t: Tr, refusal: &Refusal) -> (String, String) {
    let first = refusal.0.first();
    let field = first.map_or("code", |r| r.field.as_str()).to_owned();
    let text = match first {
        Some(r) if r.reason.id.starts_with("invitation-") => t.refusal(&r.reason, None),
        _ => refusal.portal_text(t),
    };
    (field, text)
}

/// Accepts with a new password. Attempts are throttled per client address,
/// as activation codes are; a refused password is not a guess and is given back.
pub async fn accept(
    State(state): State<AppState>,
    ConnectInfoOpt(addr): ConnectInfoOpt,
    t: Tr,
    headers: HeaderMap,
    Form(form): Form<AcceptForm>,
) -> Result<Response, AppError> {
    let again = |status: StatusCode, field: Option<&str>, error: String| {
        let mut p = blank(t);
        if let Some(field) = field {
            p.errors.add(field, error.clone());
        }
        p.error = Some(error);
        p.code = form.code.clone();
        page(&state, status, p)
    };
    if !auth::form_token_matches(&state, &headers, &form.csrf_token) {
        return Ok(again(StatusCode::BAD_REQUEST, None, t.get("login-csrf")));
    }
    if form.password != form.password_again {
        let text = t.get("portal-activate-mismatch");
        return Ok(again(
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("password_again"),
            text,
        ));
    }
    let store = &state.store;
    let client = client_from(&state, &headers, addr);
    let key = throttle::address_key(&format!("invitation:{}", client.as_deref().unwrap_or("-")));
    if let Some(minutes) = auth::code_attempt(&state, &key).await? {
        let text = t.with("login-locked", &[("minutes", minutes.to_string())]);
        return Ok(again(StatusCode::TOO_MANY_REQUESTS, None, text));
    }
    let actor = Actor::system("invitation");
    let accepted = store
        .write(&actor, async |cx| {
            consent::accept_with_new_account(cx, &form.code, &form.password).await
        })
        .await;
    match accepted {
        Ok(email) => {
            auth::refund(store, &key).await?;
            let mut p = blank(t);
            p.done = Some(email);
            Ok(page(&state, StatusCode::OK, p))
        }
        Err(e) => {
            let refusal = Refusal::of(e)?;
            let (field, text) = code_refusal_text(t, &refusal);
            if field == "password" {
                auth::refund(store, &key).await?;
            }
            Ok(again(StatusCode::UNPROCESSABLE_ENTITY, Some(&field), text))
        }
    }
}
