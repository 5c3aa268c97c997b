//! Logging in and out, sessions, CSRF and the language choice.
//!
//! Login sits behind one interface, [`authenticate`] over [`Credentials`]:
//! a password, or an activation code that sets one. Another means (DigiD,
//! OIDC) becomes one more variant producing the same `Account`, and
//! [`start_session`] does the rest.

use std::net::SocketAddr;

use axum::Form;
use axum::extract::{ConnectInfo, FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use serde::Deserialize;
use subtle::ConstantTimeEq;
use waakvlam_domain::access::{AccessAction, AccessOutcome, Purpose};
use waakvlam_store::access::{self, AccessEvent};
use waakvlam_store::accounts::{self, Account};
use waakvlam_store::sessions::{self, ActiveSession};
use waakvlam_store::{Actor, Tenant, throttle};

use crate::AppState;
use crate::error::AppError;
use crate::i18n::{Lang, Tr};
use crate::pages::{Chrome, LoginPage, render};

pub const SESSION_COOKIE: &str = "waakvlam_session";
const LOGIN_CSRF_COOKIE: &str = "waakvlam_login_csrf";
const LANG_COOKIE: &str = "waakvlam_lang";

/// The value of a request cookie.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

fn set_cookie(
    config: &crate::WebConfig,
    name: &str,
    value: &str,
    max_age: Option<i64>,
    same_site: &str,
) -> HeaderValue {
    let mut c = format!("{name}={value}; Path=/; HttpOnly; SameSite={same_site}");
    if config.secure_cookies {
        c.push_str("; Secure");
    }
    if let Some(age) = max_age {
        c.push_str(&format!("; Max-Age={age}"));
    }
    HeaderValue::from_str(&c).unwrap_or_else(|_| HeaderValue::from_static(""))
}

fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

fn tokens_match(a: &str, b: &str) -> bool {
    !a.is_empty() && a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// The interface language: the cookie, else Dutch.
pub fn language(headers: &HeaderMap) -> Tr {
    Tr(cookie(headers, LANG_COOKIE)
        .and_then(|c| Lang::from_code(&c))
        .unwrap_or_default())
}

/// The client's address for the access log.
pub fn client_address(parts: &Parts, trust_forwarded_for: bool) -> Option<String> {
    if trust_forwarded_for
        && let Some(first) = parts
            .headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
    {
        return Some(first.trim().to_owned());
    }
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ci| ci.0.ip().to_string())
}

/// The logged-in user of a request. Extracting it refuses requests without a
/// live session (redirect to the login page).
#[derive(Clone, Debug)]
pub struct CurrentUser {
    pub session: ActiveSession,
    pub actor: Actor,
    pub t: Tr,
    pub path: String,
}

impl CurrentUser {
    pub fn account(&self) -> &Account {
        &self.session.account
    }

    /// Checks a form's CSRF token against the session's.
    pub fn check_csrf(&self, token: &str) -> Result<(), AppError> {
        if tokens_match(token, &self.session.csrf_token) {
            Ok(())
        } else {
            Err(AppError::BadRequest(
                "invalid or missing CSRF token; reload the page and try again".into(),
            ))
        }
    }
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let t = language(&parts.headers);
        let Some(token) = cookie(&parts.headers, SESSION_COOKIE) else {
            return Err(AppError::LoginRequired { expired: false });
        };
        let session = sessions::resume(&state.store, state.config.session, &token)
            .await
            .map_err(|e| AppError::store(e, t))?
            .ok_or(AppError::LoginRequired { expired: true })?;
        let address = client_address(parts, state.config.trust_forwarded_for);
        let actor = session
            .account
            .actor(state.store.conn(), address)
            .await
            .map_err(|e| AppError::store(e, t))?;
        Ok(CurrentUser {
            session,
            actor,
            t,
            path: parts.uri.path().to_owned(),
        })
    }
}

/// The ways to prove who you are. DigiD (SAML/OIDC) would be a variant
/// carrying the verified assertion.
pub enum Credentials {
    Password {
        email: String,
        password: String,
    },
    /// A one-time code from a professional; sets the account's password.
    ActivationCode {
        code: String,
        new_password: String,
    },
}

/// Checks credentials, with brute-force throttling (per e-mail address and
/// per client for passwords, per client for activation codes).
pub async fn authenticate(
    state: &AppState,
    credentials: &Credentials,
    client: Option<&str>,
) -> Result<Account, LoginFailure> {
    match credentials {
        Credentials::Password { email, password } => {
            authenticate_password(state, email, password, client).await
        }
        Credentials::ActivationCode { code, new_password } => {
            let store = &state.store;
            let key = throttle::address_key(&format!("activation:{}", client.unwrap_or("-")));
            if let throttle::Attempt::Locked(until) =
                throttle::attempt(store, state.config.throttle, &key)
                    .await
                    .map_err(LoginFailure::Store)?
            {
                let seconds = (until - store.now()).num_seconds().max(1);
                return Err(LoginFailure::Locked((seconds + 59) / 60));
            }
            match waakvlam_store::activation::redeem(
                store,
                code,
                new_password,
                client.map(str::to_owned),
            )
            .await
            {
                Ok(account) => {
                    throttle::refund(store, &key)
                        .await
                        .map_err(LoginFailure::Store)?;
                    Ok(account)
                }
                Err(e @ waakvlam_store::StoreError::Invalid(_)) => {
                    // A bad password choice is not a guess: give the attempt back.
                    if e.refusals()
                        .is_some_and(|r| r.iter().any(|r| r.field == "password"))
                    {
                        throttle::refund(store, &key)
                            .await
                            .map_err(LoginFailure::Store)?;
                    }
                    Err(LoginFailure::Invalid(e))
                }
                Err(e) => Err(LoginFailure::Store(e)),
            }
        }
    }
}

/// Checks an e-mail address and password, with brute-force throttling per
/// address and per client. `Err` carries the message key to show.
async fn authenticate_password(
    state: &AppState,
    email: &str,
    password: &str,
    client: Option<&str>,
) -> Result<Account, LoginFailure> {
    let store = &state.store;
    let policy = state.config.throttle;
    let email_key = throttle::email_key(email);
    let client_key = client.map(throttle::address_key);
    // Count the attempt before the (slow) password check, so parallel guesses
    // cannot get past the limit.
    for key in std::iter::once(&email_key).chain(client_key.iter()) {
        if let throttle::Attempt::Locked(until) = throttle::attempt(store, policy, key)
            .await
            .map_err(LoginFailure::Store)?
        {
            // Round up: "wait 15 minutes" must be enough.
            let seconds = (until - store.now()).num_seconds().max(1);
            return Err(LoginFailure::Locked((seconds + 59) / 60));
        }
    }
    match accounts::authenticate(store, email, password)
        .await
        .map_err(LoginFailure::Store)?
    {
        Some(account) => {
            throttle::clear(store, &email_key)
                .await
                .map_err(LoginFailure::Store)?;
            if let Some(k) = &client_key {
                throttle::refund(store, k)
                    .await
                    .map_err(LoginFailure::Store)?;
            }
            Ok(account)
        }
        None => Err(LoginFailure::Wrong),
    }
}

pub enum LoginFailure {
    Wrong,
    Locked(i64),
    /// The input breaks a rule (an unknown code, too short a password).
    Invalid(waakvlam_store::StoreError),
    Store(waakvlam_store::StoreError),
}

/// The client address of a request (for throttling and the access log).
pub fn client_from(state: &AppState, headers: &HeaderMap, addr: Option<String>) -> Option<String> {
    if state.config.trust_forwarded_for {
        headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .map(|s| s.trim().to_owned())
            .or(addr)
    } else {
        addr
    }
}

/// Starts a session for an authenticated account, logs the login and sends
/// the browser to its start page.
pub async fn start_session(
    state: &AppState,
    account: Account,
    client: Option<String>,
    t: Tr,
) -> Response {
    let store = &state.store;
    let session = sessions::create(store, state.config.session, account.id, client.clone()).await;
    let (token, _) = match session {
        Ok(s) => s,
        Err(e) => return AppError::store(e, t).into_response(),
    };
    let actor = match account.actor(store.conn(), client).await {
        Ok(a) => a,
        Err(e) => return AppError::store(e, t).into_response(),
    };
    if let Err(e) = log_login(state, &actor, AccessAction::Login, AccessOutcome::Success).await {
        return AppError::store(e, t).into_response();
    }
    let mut resp = Redirect::to("/").into_response();
    let h = resp.headers_mut();
    h.append(
        header::SET_COOKIE,
        set_cookie(&state.config, SESSION_COOKIE, &token, None, "Lax"),
    );
    h.append(
        header::SET_COOKIE,
        set_cookie(&state.config, LOGIN_CSRF_COOKIE, "", Some(0), "Strict"),
    );
    resp
}

#[derive(Deserialize)]
pub struct LoginQuery {
    expired: Option<String>,
    logged_out: Option<String>,
}

pub async fn login_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<LoginQuery>,
) -> Response {
    let t = language(&headers);
    if let Some(token) = cookie(&headers, SESSION_COOKIE) {
        // Only the app's own page may end the session this way: a link on another
        // site (the cookie is SameSite=Lax) must not log people out.
        let same_origin =
            headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) == Some("same-origin");
        if q.expired.is_some() && same_origin {
            // The page's idle timer ran out (session.js): end the session on the
            // server too, so an unattended screen on a shared computer is closed.
            if let Err(e) = sessions::delete(&state.store, &token).await {
                return AppError::store(e, t).into_response();
            }
        } else if let Ok(Some(_)) =
            sessions::resume(&state.store, state.config.session, &token).await
        {
            return Redirect::to("/").into_response();
        }
    }
    let notice = if q.expired.is_some() {
        Some(t.get("login-expired"))
    } else if q.logged_out.is_some() {
        Some(t.get("login-logged-out"))
    } else {
        None
    };
    login_form(&state, t, StatusCode::OK, String::new(), None, notice)
}

fn login_form(
    state: &AppState,
    t: Tr,
    status: StatusCode,
    email: String,
    error: Option<String>,
    notice: Option<String>,
) -> Response {
    let csrf = random_token();
    let page = LoginPage {
        chrome: Chrome::anonymous(t, t.get("login-title"), "/login"),
        csrf: csrf.clone(),
        email,
        error,
        notice,
    };
    let mut resp = (status, render(&page)).into_response();
    // Double-submit token for the form that exists before any session does.
    resp.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(
            &state.config,
            LOGIN_CSRF_COOKIE,
            &csrf,
            Some(3600),
            "Strict",
        ),
    );
    resp
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf_token: String,
}

pub async fn login(
    State(state): State<AppState>,
    ConnectInfoOpt(addr): ConnectInfoOpt,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    let t = language(&headers);
    let expected = cookie(&headers, LOGIN_CSRF_COOKIE).unwrap_or_default();
    if !tokens_match(&form.csrf_token, &expected) {
        return login_form(
            &state,
            t,
            StatusCode::BAD_REQUEST,
            form.email,
            Some(t.get("login-csrf")),
            None,
        );
    }
    let client = client_from(&state, &headers, addr);
    let credentials = Credentials::Password {
        email: form.email.clone(),
        password: form.password.clone(),
    };
    match authenticate(&state, &credentials, client.as_deref()).await {
        Ok(account) => start_session(&state, account, client, t).await,
        Err(failure) => {
            let (status, message) = match failure {
                LoginFailure::Wrong | LoginFailure::Invalid(_) => {
                    (StatusCode::UNAUTHORIZED, t.get("login-failed"))
                }
                LoginFailure::Locked(minutes) => (
                    StatusCode::TOO_MANY_REQUESTS,
                    t.with("login-locked", &[("minutes", minutes.to_string())]),
                ),
                LoginFailure::Store(e) => return AppError::store(e, t).into_response(),
            };
            let attempt = Actor {
                account_id: None,
                name: form.email.trim().to_lowercase(),
                role: None,
                organisation: "-".into(),
                tenant: Tenant::AggregatesOnly,
                client_address: client,
                purpose: Purpose::SystemManagement,
            };
            if let Err(e) =
                log_login(&state, &attempt, AccessAction::Login, AccessOutcome::Denied).await
            {
                return AppError::store(e, t).into_response();
            }
            login_form(&state, t, status, form.email, Some(message), None)
        }
    }
}

async fn log_login(
    state: &AppState,
    actor: &Actor,
    action: AccessAction,
    outcome: AccessOutcome,
) -> Result<(), waakvlam_store::StoreError> {
    let tx = state.store.begin_write().await?;
    access::append(
        &*tx,
        actor,
        state.store.now(),
        &AccessEvent::new(action, None, "session"),
        outcome,
    )
    .await?;
    tx.commit().await
}

/// The client address when the server was started with connect info.
pub struct ConnectInfoOpt(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for ConnectInfoOpt {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ConnectInfoOpt(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|ci| ci.0.ip().to_string()),
        ))
    }
}

#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    next: Option<String>,
}

pub async fn logout(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Form(form): Form<CsrfForm>,
) -> Response {
    if let Err(e) = user.check_csrf(&form.csrf_token) {
        return e.into_response();
    }
    if let Some(token) = cookie(&headers, SESSION_COOKIE)
        && let Err(e) = sessions::delete(&state.store, &token).await
    {
        return AppError::store(e, user.t).into_response();
    }
    if let Err(e) = log_login(
        &state,
        &user.actor,
        AccessAction::Logout,
        AccessOutcome::Success,
    )
    .await
    {
        return AppError::store(e, user.t).into_response();
    }
    let mut resp = Redirect::to("/login?logged_out=1").into_response();
    resp.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(&state.config, SESSION_COOKIE, "", Some(0), "Lax"),
    );
    resp
}

/// "Ingelogd blijven": a script posts here (204); without scripts the form
/// in the page does, and is sent back to where it was.
pub async fn extend_session(
    State(state): State<AppState>,
    user: Result<CurrentUser, AppError>,
    headers: HeaderMap,
    Form(form): Form<CsrfForm>,
) -> Response {
    let navigating = headers.get("sec-fetch-mode").and_then(|v| v.to_str().ok())
        == Some("navigate")
        || form.next.is_some();
    let user = match user {
        Ok(u) => u,
        // A script asking to extend a session that is gone learns so plainly.
        Err(AppError::LoginRequired { .. }) if !navigating => {
            return StatusCode::UNAUTHORIZED.into_response();
        }
        Err(e) => return e.into_response(),
    };
    if let Err(e) = user.check_csrf(&form.csrf_token) {
        return e.into_response();
    }
    if let Some(token) = cookie(&headers, SESSION_COOKIE)
        && let Err(e) = sessions::extend(&state.store, &token).await
    {
        return AppError::store(e, user.t).into_response();
    }
    if navigating {
        Redirect::to(&local_path(form.next.as_deref())).into_response()
    } else {
        StatusCode::NO_CONTENT.into_response()
    }
}

/// Only same-site paths, so the parameter cannot send users elsewhere.
fn local_path(next: Option<&str>) -> String {
    match next {
        Some(p)
            if p.starts_with('/')
                && !p.starts_with("//")
                && !p.contains('\\')
                // Browsers drop tabs and newlines ("/\t/evil" becomes "//evil").
                && !p.chars().any(char::is_control) =>
        {
            p.to_owned()
        }
        _ => "/".to_owned(),
    }
}

#[derive(Deserialize)]
pub struct LangQuery {
    next: Option<String>,
}

pub async fn set_language(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(q): Query<LangQuery>,
) -> Response {
    let lang = Lang::from_code(&code).unwrap_or_default();
    let mut resp = Redirect::to(&local_path(q.next.as_deref())).into_response();
    resp.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(
            &state.config,
            LANG_COOKIE,
            lang.code(),
            Some(365 * 24 * 3600),
            "Lax",
        ),
    );
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_cookies_from_the_header() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; waakvlam_session=abc; b=2"),
        );
        assert_eq!(cookie(&h, SESSION_COOKIE).as_deref(), Some("abc"));
        assert_eq!(cookie(&h, "c"), None);
    }

    #[test]
    fn redirects_only_to_local_paths() {
        assert_eq!(local_path(Some("/caseload")), "/caseload");
        assert_eq!(local_path(Some("//evil.example")), "/");
        assert_eq!(local_path(Some("https://evil.example")), "/");
        assert_eq!(local_path(None), "/");
        assert_eq!(local_path(Some("/\t/evil.example")), "/");
        assert_eq!(local_path(Some("/\n")), "/");
    }

    #[test]
    fn compares_tokens_strictly() {
        assert!(tokens_match("abc", "abc"));
        assert!(!tokens_match("", ""));
        assert!(!tokens_match("abc", "abd"));
    }
}
