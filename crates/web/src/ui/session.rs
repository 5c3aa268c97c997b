//! The session of a request: cookies, the logged-in user, the CSRF token and
//! the client's address. Pages read these; logging in and out lives in
//! `pages::auth`.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use waakvlam_store::accounts::Account;
use waakvlam_store::sessions::{self, ActiveSession, Lookup};
use waakvlam_store::{Actor, ResidentId, Tenant};

use crate::AppState;
use crate::i18n::Tr;
use crate::ui::cookie::{cookie, language, session_cookie, tokens_match};
use crate::ui::error::AppError;

/// The language of a request, as the language layer resolved it.
fn request_language(parts: &Parts) -> Tr {
    parts
        .extensions
        .get::<Tr>()
        .copied()
        .unwrap_or_else(|| language(&parts.headers))
}

impl<S: Send + Sync> FromRequestParts<S> for Tr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(request_language(parts))
    }
}

/// The client's address (for throttling and the access log): the peer
/// address, or with `trusted_proxies` reverse proxies in front, the address
/// the outermost of them added to `X-Forwarded-For`. Each proxy appends the
/// address it received the request from, so that entry is counted from the
/// right; whatever a client put in the header itself stands further left and
/// is never taken.
pub fn client_address(
    headers: &HeaderMap,
    peer: Option<String>,
    trusted_proxies: usize,
) -> Option<String> {
    if trusted_proxies == 0 {
        return peer;
    }
    let hops: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|h| !h.is_empty())
        .collect();
    hops.len()
        .checked_sub(trusted_proxies)
        .and_then(|i| hops.get(i))
        .or(hops.first())
        .map(|h| (*h).to_owned())
        .or(peer)
}

/// The client address of a request (for throttling and the access log).
pub fn client_from(state: &AppState, headers: &HeaderMap, addr: Option<String>) -> Option<String> {
    client_address(headers, addr, state.config.trusted_proxies)
}

/// The peer address when the server was started with connect info.
fn peer(parts: &Parts) -> Option<String> {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ci| ci.0.ip().to_string())
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

    /// The resident whose portal this is; other accounts have none.
    pub fn resident_id(&self) -> Result<ResidentId, AppError> {
        self.account().resident_id.ok_or(AppError::Forbidden)
    }

    /// The session's CSRF token, for the forms of a page.
    pub fn csrf(&self) -> String {
        self.session.csrf_token.clone()
    }

    /// Checks a form's CSRF token against the session's.
    pub fn check_csrf(&self, token: &str) -> Result<(), AppError> {
        if tokens_match(token, &self.session.csrf_token) {
            Ok(())
        } else {
            Err(AppError::BadRequest(self.t.get("error-csrf")))
        }
    }
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let t = request_language(parts);
        let Some(token) = cookie(&parts.headers, session_cookie(&state.config)) else {
            return Err(AppError::LoginRequired { expired: false });
        };
        let address = client_address(&parts.headers, peer(parts), state.config.trusted_proxies);
        let policy = state.config.session;
        // A read: looking the session up takes no writer. Its last-seen time
        // (at most every `TOUCH_STEP_MS`) rides along with the next group
        // commit of access-log entries, usually this very page view's.
        let store = &state.store;
        let found = store
            .read(&Actor::system("session"), async |cx| {
                Ok(match sessions::look_up(cx, policy, &token).await? {
                    Lookup::Live { session, touch } => {
                        let actor = session.account.actor(cx, address).await?;
                        Some(Ok((session, actor, touch)))
                    }
                    Lookup::Ended => Some(Err(())),
                    Lookup::Unknown => None,
                })
            })
            .await?;
        let (session, actor) = match found {
            Some(Ok((session, actor, touch))) => {
                if touch {
                    sessions::touch_later(store, &token, store.now());
                }
                (*session, actor)
            }
            Some(Err(())) => {
                store
                    .write(&Actor::system("session"), async |cx| {
                        sessions::delete(cx, &token).await
                    })
                    .await?;
                return Err(AppError::LoginRequired { expired: true });
            }
            None => return Err(AppError::LoginRequired { expired: true }),
        };
        Ok(CurrentUser {
            session,
            actor,
            t,
            path: parts.uri.path().to_owned(),
        })
    }
}

/// Someone who tried to log in, for the access log of a refused attempt.
pub fn anonymous_actor(name: &str, client: Option<String>) -> Actor {
    Actor {
        account_id: None,
        name: name.trim().to_lowercase(),
        role: None,
        organisation: "-".into(),
        tenant: Tenant::AggregatesOnly,
        client_address: client,
        purpose: waakvlam_domain::access::Purpose::SystemManagement,
    }
}

#[cfg(test)]
mod tests {
    use axum::http::{HeaderValue, header};

    use super::*;

    #[test]
    fn reads_cookies_from_the_header() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; waakvlam_session=abc; b=2"),
        );
        assert_eq!(cookie(&h, "waakvlam_session").as_deref(), Some("abc"));
        assert_eq!(cookie(&h, "c"), None);
    }

    #[test]
    fn compares_tokens_strictly() {
        assert!(tokens_match("abc", "abc"));
        assert!(!tokens_match("", ""));
        assert!(!tokens_match("abc", "abd"));
    }
}
