//! A router that remembers its paths. axum's `Router` cannot be asked which
//! routes it has, and the authorisation matrix test must walk every one of
//! them: each area's `routes()` builds a [`Routes`], so a route cannot be added
//! without the matrix seeing it (its methods are found by asking the router,
//! which answers 405 to a method it does not have).

use std::sync::OnceLock;

use axum::Router;
use axum::http::{Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::MethodRouter;

use crate::AppState;

#[derive(Default)]
pub struct Routes {
    router: Router<AppState>,
    paths: Vec<&'static str>,
}

impl Routes {
    pub fn new() -> Routes {
        Routes::default()
    }

    pub fn route(mut self, path: &'static str, method_router: MethodRouter<AppState>) -> Routes {
        self.router = self.router.route(path, method_router);
        self.paths.push(path);
        self
    }

    pub fn merge(mut self, other: Routes) -> Routes {
        self.router = self.router.merge(other.router);
        self.paths.extend(other.paths);
        self
    }

    pub fn paths(&self) -> &[&'static str] {
        &self.paths
    }

    pub fn into_router(self) -> Router<AppState> {
        self.router
    }
}

/// Whether a concrete path (`/clients/17`) matches a route's path
/// (`/clients/{id}`); a `{*rest}` segment matches the rest.
fn matches(template: &str, path: &str) -> bool {
    let mut want = template.split('/');
    let mut have = path.split('/');
    loop {
        match (want.next(), have.next()) {
            (None, None) => return true,
            (Some(w), _) if w.starts_with("{*") => return true,
            (Some(w), Some(h)) if w == h || (w.starts_with('{') && !h.is_empty()) => {}
            _ => return false,
        }
    }
}

/// A `GET` of a URL that only takes a form (`/clients/17/contacts`) is sent
/// to the page the form is on: the nearest shorter path that is a route
/// (`/clients/17`). A refused form is shown at the URL it was sent to, so
/// reloading it, or coming back to it, never answers "405 Method Not
/// Allowed". Other methods still get 405. The answer says `Allow: POST`
/// (every route without GET in this application takes only POST), which
/// also tells it apart from a page's own redirect.
pub async fn back_to_page(method: Method, uri: Uri) -> Response {
    static PATHS: OnceLock<Vec<&'static str>> = OnceLock::new();
    if method != Method::GET && method != Method::HEAD {
        return StatusCode::METHOD_NOT_ALLOWED.into_response();
    }
    let paths = PATHS.get_or_init(crate::route_paths);
    let mut path = uri.path().trim_end_matches('/');
    while let Some((parent, _)) = path.rsplit_once('/') {
        if !parent.is_empty() && paths.iter().any(|p| matches(p, parent)) {
            return back(parent);
        }
        path = parent;
    }
    back("/")
}

fn back(to: &str) -> Response {
    ([(header::ALLOW, "POST")], Redirect::to(to)).into_response()
}

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn a_path_matches_its_route() {
        assert!(matches("/clients/{id}", "/clients/17"));
        assert!(matches("/assets/{*path}", "/assets/vendor/x.css"));
        assert!(!matches("/clients/{id}", "/clients/17/contacts"));
        assert!(!matches("/clients/{id}", "/clients/"));
        assert!(!matches("/catalogue", "/caseload"));
    }
}
