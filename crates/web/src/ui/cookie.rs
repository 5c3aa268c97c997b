//! Cookies and tokens: the session cookie, the login page's CSRF cookie and
//! the language choice.

use axum::http::{HeaderMap, HeaderValue, header};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use subtle::ConstantTimeEq;

use crate::WebConfig;
use crate::i18n::{Lang, Tr};

/// The session cookie's name. With `Secure` cookies it carries the `__Host-`
/// prefix: the browser then accepts it only from this host, over HTTPS, for
/// the whole path, so a sibling subdomain cannot plant or overwrite it.
pub fn session_cookie(config: &WebConfig) -> &'static str {
    if config.secure_cookies {
        "__Host-waakvlam_session"
    } else {
        "waakvlam_session"
    }
}

/// The double-submit cookie of the forms used before a session exists
/// (`/login`, `/activate`), prefixed like the session cookie.
pub fn login_csrf_cookie(config: &WebConfig) -> &'static str {
    if config.secure_cookies {
        "__Host-waakvlam_login_csrf"
    } else {
        "waakvlam_login_csrf"
    }
}
pub const LANG_COOKIE: &str = "waakvlam_lang";

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

/// A `Set-Cookie` value; `HttpOnly` always, `Secure` as configured.
pub fn set_cookie(
    config: &WebConfig,
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

pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Compares tokens in constant time; an empty token never matches.
pub fn tokens_match(a: &str, b: &str) -> bool {
    !a.is_empty() && a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// The interface language: the cookie, else Dutch.
pub fn language(headers: &HeaderMap) -> Tr {
    Tr(cookie(headers, LANG_COOKIE)
        .and_then(|c| Lang::from_code(&c))
        .unwrap_or_default())
}
