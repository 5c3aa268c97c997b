//! Logging in and out, keeping the session alive and the language choice.
//!
//! Login sits behind one interface, [`authenticate`] over [`Credentials`]:
//! a password, or an activation code that sets one. Another means (DigiD,
//! OIDC) becomes one more variant producing the same `Account`, and
//! [`start_session`] does the rest.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use waakvlam_domain::access::{AccessAction, AccessOutcome};
use waakvlam_store::accounts::{self, Account};
use waakvlam_store::{Actor, throttle};
use waakvlam_store::{activation, sessions};

use crate::AppState;
use crate::i18n::{Lang, Tr};
use crate::ui::cookie::{
    LANG_COOKIE, cookie, login_csrf_cookie, random_token, session_cookie, set_cookie, tokens_match,
};
use crate::ui::error::AppError;
use crate::ui::extract::{AnyUser, CsrfForm, Refused};
use crate::ui::form::{NoFields, Refusal};
use crate::ui::format::{date_nl, time_nl, today_nl};
use crate::ui::routes::Routes;
use crate::ui::session::{ConnectInfoOpt, anonymous_actor, client_from};
use crate::ui::{Chrome, render};

pub fn routes() -> Routes {
    Routes::new()
        .route("/login", get(login_page).post(login))
        .route("/logout", post(logout))
        .route("/session/extend", post(extend_session))
        .route("/lang/{code}", get(set_language))
}

#[derive(Template)]
#[template(path = "auth/login.html")]
pub struct LoginPage {
    pub chrome: Chrome,
    pub csrf: String,
    pub email: String,
    pub error: Option<String>,
    pub notice: Option<String>,
}

impl LoginPage {
    /// The e-mail field's attributes; after a failed login it is marked and
    /// described by the error above the form.
    pub fn email_attrs(&self) -> String {
        let mut attrs = r#" autocomplete="username" required spellcheck="false""#.to_owned();
        if self.error.is_some() {
            attrs.push_str(r#" aria-invalid="true" aria-describedby="login-error""#);
        }
        attrs
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
            if let Some(minutes) = code_attempt(state, &key).await? {
                return Err(LoginFailure::Locked(minutes));
            }
            let redeemed = async {
                let client = client.map(str::to_owned);
                let holder = store
                    .read(&Actor::system("activation"), async |cx| {
                        activation::holder(cx, code, client).await
                    })
                    .await?;
                store
                    .write(&holder, async |cx| {
                        activation::redeem(cx, code, new_password).await
                    })
                    .await
            }
            .await;
            match redeemed.map_err(Refusal::of) {
                Ok(account) => {
                    refund(store, &key).await?;
                    Ok(account)
                }
                Err(Ok(refusal)) => {
                    // A bad password choice is not a guess: give the attempt back.
                    if refusal.0.iter().any(|r| r.field == "password") {
                        refund(store, &key).await?;
                    }
                    Err(LoginFailure::Invalid(refusal))
                }
                Err(Err(e)) => Err(LoginFailure::Store(e)),
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
    let limits = state.config.throttle;
    let address = client.unwrap_or("-");
    let pair_key = throttle::pair_key(email, address);
    let account_key = throttle::email_key(email);
    let address_key = throttle::address_key(address);
    let keys = [
        (&pair_key, limits.pair),
        (&account_key, limits.account),
        (&address_key, limits.address),
    ];
    // Count the attempt before the (slow) password check, in one unit of
    // work, so parallel guesses cannot get past a limit. An attempt refused
    // by the pair's lock counts no further: from one address a stranger adds
    // at most the pair's few tries to the account's count.
    let locked = store
        .write(&gate(), async |cx| {
            for (key, limit) in keys {
                if let throttle::Attempt::Locked(u) = throttle::attempt(cx, limit, key).await? {
                    return Ok(Some(u));
                }
            }
            Ok(None)
        })
        .await?;
    if let Some(until) = locked {
        // Round up: "wait 15 minutes" must be enough.
        let seconds = (until - store.now()).num_seconds().max(1);
        return Err(LoginFailure::Locked((seconds + 59) / 60));
    }
    let found = store
        .write(&gate(), async |cx| {
            accounts::authenticate(cx, email, password).await
        })
        .await?;
    match found {
        Some(account) => {
            store
                .write(&gate(), async |cx| {
                    throttle::clear(cx, &pair_key).await?;
                    throttle::refund(cx, &account_key).await?;
                    throttle::refund(cx, &address_key).await
                })
                .await?;
            Ok(account)
        }
        None => {
            // The password from before a reset with a code: say so, so that a
            // resident whose account was taken over hears about it.
            let reset = store
                .read(&gate(), async |cx| {
                    accounts::reset_behind(cx, email, password).await
                })
                .await?;
            Err(reset.map_or(LoginFailure::Wrong, LoginFailure::Reset))
        }
    }
}

/// Who acts while nobody is signed in: logging in, resuming a session.
fn gate() -> Actor {
    Actor::system("login")
}

/// One guess at a code (activation or invitation), throttled per `key` as a
/// login from one address is: the minutes to wait when `key` is locked.
pub(crate) async fn code_attempt(
    state: &AppState,
    key: &str,
) -> Result<Option<i64>, waakvlam_store::StoreError> {
    let store = &state.store;
    let policy = state.config.throttle.pair;
    let attempt = store
        .write(&gate(), async |cx| throttle::attempt(cx, policy, key).await)
        .await?;
    Ok(match attempt {
        throttle::Attempt::Locked(until) => {
            Some(((until - store.now()).num_seconds().max(1) + 59) / 60)
        }
        throttle::Attempt::Allowed => None,
    })
}

/// Gives a throttled attempt back.
pub(crate) async fn refund(
    store: &waakvlam_store::Store,
    key: &str,
) -> Result<(), waakvlam_store::StoreError> {
    store
        .write(&gate(), async |cx| throttle::refund(cx, key).await)
        .await
}

pub enum LoginFailure {
    Wrong,
    /// The password typed is the one a reset with an activation code replaced.
    Reset(accounts::PasswordReset),
    Locked(i64),
    /// The input breaks a rule (an unknown code, too short a password).
    Invalid(Refusal),
    Store(waakvlam_store::StoreError),
}

impl From<waakvlam_store::StoreError> for LoginFailure {
    fn from(e: waakvlam_store::StoreError) -> LoginFailure {
        LoginFailure::Store(e)
    }
}

/// Starts a session for an authenticated account, logs the login and sends
/// the browser to its start page.
pub async fn start_session(
    state: &AppState,
    account: Account,
    client: Option<String>,
) -> Result<Response, AppError> {
    let store = &state.store;
    let policy = state.config.session;
    let (token, actor) = store
        .write(&gate(), async |cx| {
            let id = account.id;
            let (token, _) = sessions::create(cx, policy, id, client.clone()).await?;
            let actor = account.actor(cx, client).await?;
            Ok((token, actor))
        })
        .await?;
    log_login(state, &actor, AccessAction::Login, AccessOutcome::Success).await?;
    let mut resp = Redirect::to("/").into_response();
    let h = resp.headers_mut();
    h.append(
        header::SET_COOKIE,
        set_cookie(
            &state.config,
            session_cookie(&state.config),
            &token,
            None,
            "Lax",
        ),
    );
    h.append(
        header::SET_COOKIE,
        set_cookie(
            &state.config,
            login_csrf_cookie(&state.config),
            "",
            Some(0),
            "Strict",
        ),
    );
    Ok(resp)
}

#[derive(Deserialize)]
pub struct LoginQuery {
    expired: Option<String>,
    logged_out: Option<String>,
}

pub async fn login_page(
    State(state): State<AppState>,
    t: Tr,
    headers: HeaderMap,
    Query(q): Query<LoginQuery>,
) -> Response {
    if let Some(token) = cookie(&headers, session_cookie(&state.config)) {
        // Only the app's own page may end the session this way: a link on another
        // site (the cookie is SameSite=Lax) must not log people out.
        let same_origin =
            headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) == Some("same-origin");
        if q.expired.is_some() && same_origin {
            // The page's idle timer ran out (session.js): end the session on the
            // server too, so an unattended screen on a shared computer is closed.
            let deleted = (state.store)
                .write(&gate(), async |cx| sessions::delete(cx, &token).await)
                .await;
            if let Err(e) = deleted {
                return AppError::from(e).into_response();
            }
        } else if let Ok(Some(_)) = (state.store)
            .write(&gate(), async |cx| {
                sessions::resume(cx, state.config.session, &token).await
            })
            .await
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
    with_form_token(state, (status, render(&page)).into_response(), &csrf)
}

/// Sets the double-submit cookie of a form shown before any session exists
/// (`/login`, `/activate`); the form carries the same `token`.
pub fn with_form_token(state: &AppState, mut resp: Response, token: &str) -> Response {
    resp.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(
            &state.config,
            login_csrf_cookie(&state.config),
            token,
            Some(3600),
            "Strict",
        ),
    );
    resp
}

/// Whether a form posted before any session exists carries the token of its
/// double-submit cookie.
pub fn form_token_matches(state: &AppState, headers: &HeaderMap, token: &str) -> bool {
    let expected = cookie(headers, login_csrf_cookie(&state.config)).unwrap_or_default();
    tokens_match(token, &expected)
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    /// Checked against the login page's own cookie: there is no session yet.
    #[serde(default)]
    csrf_token: String,
}

pub async fn login(
    State(state): State<AppState>,
    ConnectInfoOpt(addr): ConnectInfoOpt,
    t: Tr,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    if !form_token_matches(&state, &headers, &form.csrf_token) {
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
        Ok(account) => start_session(&state, account, client).await.into_response(),
        Err(failure) => {
            let (status, message) = match failure {
                LoginFailure::Wrong | LoginFailure::Invalid(_) => {
                    (StatusCode::UNAUTHORIZED, t.get("login-failed"))
                }
                LoginFailure::Reset(reset) => (
                    StatusCode::UNAUTHORIZED,
                    t.with(
                        "login-reset",
                        &[
                            ("date", date_nl(today_nl(reset.at))),
                            ("time", time_nl(reset.at)),
                            ("by", reset.code_by),
                        ],
                    ),
                ),
                LoginFailure::Locked(minutes) => (
                    StatusCode::TOO_MANY_REQUESTS,
                    t.with("login-locked", &[("minutes", minutes.to_string())]),
                ),
                LoginFailure::Store(e) => return AppError::from(e).into_response(),
            };
            let attempt = anonymous_actor(&form.email, client);
            if let Err(e) =
                log_login(&state, &attempt, AccessAction::Login, AccessOutcome::Denied).await
            {
                return AppError::from(e).into_response();
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
    let store = &state.store;
    if outcome == AccessOutcome::Success {
        return store
            .write(actor, async |cx| {
                cx.log(action, None, "session");
                Ok(())
            })
            .await;
    }
    // A refusal is logged apart from the (empty) work it refuses.
    match store
        .write(actor, async |cx| {
            Err::<(), _>(cx.deny(action, None, "session"))
        })
        .await
    {
        Err(waakvlam_store::StoreError::Denied) => Ok(()),
        other => other,
    }
}

#[derive(Deserialize)]
pub struct ExtendForm {
    #[serde(default)]
    next: Option<String>,
}

pub async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    CsrfForm(user, NoFields {}): CsrfForm<AnyUser, NoFields>,
) -> Result<Response, AppError> {
    if let Some(token) = cookie(&headers, session_cookie(&state.config)) {
        (state.store)
            .write(&gate(), async |cx| sessions::delete(cx, &token).await)
            .await?;
    }
    log_login(
        &state,
        &user.actor,
        AccessAction::Logout,
        AccessOutcome::Success,
    )
    .await?;
    let mut resp = Redirect::to("/login?logged_out=1").into_response();
    resp.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(
            &state.config,
            session_cookie(&state.config),
            "",
            Some(0),
            "Lax",
        ),
    );
    Ok(resp)
}

/// "Ingelogd blijven": a script posts here (204); without scripts the form
/// in the page does, and is sent back to where it was.
pub async fn extend_session(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Result<CsrfForm<AnyUser, ExtendForm>, Refused<ExtendForm>>,
) -> Result<Response, AppError> {
    let navigate_header =
        headers.get("sec-fetch-mode").and_then(|v| v.to_str().ok()) == Some("navigate");
    let form = match form {
        Ok(CsrfForm(_, form)) => form,
        // A script asking to extend a session that is gone learns so plainly.
        Err(Refused {
            error: AppError::LoginRequired { .. },
            form,
        }) if !navigate_header && form.as_ref().is_none_or(|f| f.next.is_none()) => {
            return Ok(StatusCode::UNAUTHORIZED.into_response());
        }
        Err(refused) => return Err(refused.error),
    };
    if let Some(token) = cookie(&headers, session_cookie(&state.config)) {
        (state.store)
            .write(&gate(), async |cx| sessions::extend(cx, &token).await)
            .await?;
    }
    if navigate_header || form.next.is_some() {
        Ok(Redirect::to(&local_path(form.next.as_deref())).into_response())
    } else {
        Ok(StatusCode::NO_CONTENT.into_response())
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
    fn redirects_only_to_local_paths() {
        assert_eq!(local_path(Some("/caseload")), "/caseload");
        assert_eq!(local_path(Some("//evil.example")), "/");
        assert_eq!(local_path(Some("https://evil.example")), "/");
        assert_eq!(local_path(None), "/");
        assert_eq!(local_path(Some("/\t/evil.example")), "/");
        assert_eq!(local_path(Some("/\n")), "/");
    }
}
