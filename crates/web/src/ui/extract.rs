//! Extractors that make the rules structural: a handler that takes
//! [`Require<G>`] only runs for users the guard `G` allows, and one that takes
//! [`CsrfForm<G, T>`] only runs for a form whose CSRF token matches the
//! session's, sent by a user `G` allows. A POST route cannot forget either
//! check: without the extractor it has no form to work with.
//!
//! A refusal is decided in one place, [`refuse`].

use std::marker::PhantomData;
use std::ops::Deref;

use axum::Form;
use axum::body::{Body, Bytes};
use axum::extract::rejection::FormRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{Method, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use waakvlam_domain::access::AccessAction;
use waakvlam_domain::role::Role;
use waakvlam_store::catalogue;

use crate::AppState;
use crate::ui::error::AppError;
use crate::ui::session::CurrentUser;

/// Who may use a page or send a form.
pub trait Guard: Send + Sync + 'static {
    fn allows(user: &CurrentUser) -> bool;
}

/// Guards by role: `role_guard!(Name, "doc", Role::A, Role::B)`.
macro_rules! role_guard {
    ($name:ident, $doc:literal, $($role:path),+) => {
        #[doc = $doc]
        pub struct $name;
        impl Guard for $name {
            fn allows(user: &CurrentUser) -> bool {
                matches!(user.account().role, $($role)|+)
            }
        }
    };
}

role_guard!(
    Care,
    "Professionals and their team leads: the caseload and resident pages.",
    Role::Professional,
    Role::TeamLead
);
role_guard!(TeamLead, "The team lead alone.", Role::TeamLead);
role_guard!(
    Consultant,
    "The municipality's consultant alone: requests and the worklist.",
    Role::Consultant
);
role_guard!(
    Municipal,
    "Consultants and administrators: residents and indications.",
    Role::Consultant,
    Role::Admin
);
role_guard!(
    Analysts,
    "Those who read the monitoring figures.",
    Role::Analyst,
    Role::Consultant,
    Role::TeamLead,
    Role::Admin
);
role_guard!(Admin, "Administrators.", Role::Admin);
role_guard!(
    MessageLog,
    "Who follows the iWmo message log: consultants, contract managers, provider team leads and administrators \
     (the store limits each to their municipalities or provider).",
    Role::Consultant,
    Role::ContractManager,
    Role::TeamLead,
    Role::Admin
);
role_guard!(
    MessageReader,
    "Who may open a message's XML, which names a resident: not the contract manager.",
    Role::Consultant,
    Role::TeamLead,
    Role::Admin
);
role_guard!(
    DeclarationReader,
    "Who follows declarations: contract managers, the provider's team leads and administrators (the store \
     limits each to their municipalities or provider).",
    Role::ContractManager,
    Role::TeamLead,
    Role::Admin
);
role_guard!(Resident, "Residents, on their own portal.", Role::Resident);
role_guard!(
    InvitedParty,
    "Whom a resident may share a plan with: trusted persons and professionals \
     (the store checks that the resident did).",
    Role::TrustedPerson,
    Role::Professional,
    Role::TeamLead
);

role_guard!(
    Staff,
    "Everyone who works with Waakvlam (not residents nor the people they trust): \
     notifications and their settings.",
    Role::Admin,
    Role::Consultant,
    Role::Professional,
    Role::TeamLead,
    Role::Analyst,
    Role::ContractManager
);

/// Anyone logged in (the store decides what they see).
pub struct AnyUser;
impl Guard for AnyUser {
    fn allows(_: &CurrentUser) -> bool {
        true
    }
}

/// Those who may change tariffs and own contributions.
pub struct PriceSetter;
impl Guard for PriceSetter {
    fn allows(user: &CurrentUser) -> bool {
        catalogue::may_change_prices(&user.actor)
    }
}

/// Those who may add and change products.
pub struct ProductManager;
impl Guard for ProductManager {
    fn allows(user: &CurrentUser) -> bool {
        catalogue::may_change_products(&user.actor)
    }
}

/// The one place a page or form is refused to a logged-in user: the
/// refusal is written to the access log (NEN 7513 asks for refused attempts
/// too) before the answer goes out.
pub async fn refuse(state: &AppState, user: &CurrentUser, action: AccessAction) -> AppError {
    tracing::info!(
        account = user.account().id.get(),
        role = user.account().role.as_str(),
        path = %user.path,
        "refused: not for this role"
    );
    let objects = format!("route:{}", user.path);
    if let Err(e) = state.store.log_refusal(&user.actor, action, &objects).await {
        return e.into();
    }
    AppError::Forbidden
}

/// The logged-in user, allowed by `G`.
pub struct Require<G>(pub CurrentUser, PhantomData<G>);

impl<G: Guard> Require<G> {
    async fn check(
        state: &AppState,
        user: CurrentUser,
        action: AccessAction,
    ) -> Result<Self, AppError> {
        if G::allows(&user) {
            Ok(Require(user, PhantomData))
        } else {
            Err(refuse(state, &user, action).await)
        }
    }
}

impl<G> Deref for Require<G> {
    type Target = CurrentUser;
    fn deref(&self) -> &CurrentUser {
        &self.0
    }
}

impl<G: Guard> FromRequestParts<AppState> for Require<G> {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let user = CurrentUser::from_request_parts(parts, state).await?;
        Self::check(state, user, AccessAction::Read).await
    }
}

#[derive(Deserialize)]
struct CsrfField {
    #[serde(default)]
    csrf_token: String,
}

/// A posted form (`application/x-www-form-urlencoded`) whose `csrf_token`
/// matches the session's, from a user `G` allows; yields the user and the
/// form. The checks run in this order: session, CSRF token, guard, form.
pub struct CsrfForm<G, T>(pub Require<G>, pub T);

/// Why a [`CsrfForm`] was refused, with the form when it could be read
/// (a page may answer a lost session differently for scripts).
pub struct Refused<T> {
    pub error: AppError,
    pub form: Option<T>,
}

impl<T> IntoResponse for Refused<T> {
    fn into_response(self) -> Response {
        self.error.into_response()
    }
}

/// The body as a form of `T`, with axum's own refusals.
async fn parse<T: DeserializeOwned + Send>(
    content_type: Option<&header::HeaderValue>,
    body: &Bytes,
    state: &AppState,
) -> Result<T, AppError> {
    let mut req = Request::new(Body::from(body.clone()));
    *req.method_mut() = Method::POST;
    if let Some(ct) = content_type {
        req.headers_mut().insert(header::CONTENT_TYPE, ct.clone());
    }
    let Form(form) = Form::<T>::from_request(req, state).await?;
    Ok(form)
}

impl<G, T> FromRequest<AppState> for CsrfForm<G, T>
where
    G: Guard,
    T: DeserializeOwned + Send,
{
    type Rejection = Refused<T>;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let content_type = parts.headers.get(header::CONTENT_TYPE).cloned();
        let user = CurrentUser::from_request_parts(&mut parts, state).await;
        let bytes = Bytes::from_request(Request::from_parts(parts, body), state).await;
        let user = match user {
            Ok(u) => u,
            Err(error) => {
                let form = match &bytes {
                    Ok(b) => parse(content_type.as_ref(), b, state).await.ok(),
                    Err(_) => None,
                };
                return Err(Refused { error, form });
            }
        };
        // Who may send this is settled before the form is read: a refusal by
        // role is then logged whatever the body holds.
        let checked = async {
            let body = bytes.map_err(FormRejection::from)?;
            let CsrfField { csrf_token } = parse(content_type.as_ref(), &body, state).await?;
            user.check_csrf(&csrf_token)?;
            let user = Require::check(state, user, AccessAction::Update).await?;
            let form = parse::<T>(content_type.as_ref(), &body, state).await?;
            Ok((user, form))
        };
        let (user, form) = checked
            .await
            .map_err(|error| Refused { error, form: None })?;
        Ok(CsrfForm(user, form))
    }
}

/// One file of a [`CsrfUpload`].
pub struct Upload {
    /// The file's name as the browser gave it (for the answer only).
    pub name: String,
    pub bytes: Vec<u8>,
}

/// A posted `multipart/form-data` form of files (field `files`) whose
/// `csrf_token` matches the session's, from a user `G` allows; the checks
/// in the same order as [`CsrfForm`]'s: session, token, guard, files.
pub struct CsrfUpload<G>(pub Require<G>, pub Vec<Upload>);

impl<G: Guard> FromRequest<AppState> for CsrfUpload<G> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let user = CurrentUser::from_request_parts(&mut parts, state).await?;
        let bad = |e: &dyn std::fmt::Display| AppError::BadRequest(e.to_string());
        let read = async {
            let mut form =
                axum::extract::Multipart::from_request(Request::from_parts(parts, body), state)
                    .await
                    .map_err(|e| bad(&e))?;
            let mut token = None;
            let mut files = Vec::new();
            while let Some(field) = form.next_field().await.map_err(|e| bad(&e))? {
                match field.name() {
                    Some("csrf_token") => token = Some(field.text().await.map_err(|e| bad(&e))?),
                    Some("files") => {
                        let name = field.file_name().unwrap_or_default().to_owned();
                        let bytes = field.bytes().await.map_err(|e| bad(&e))?;
                        // A file input left empty still sends one nameless, empty part.
                        if !(name.is_empty() && bytes.is_empty()) {
                            files.push(Upload {
                                name,
                                bytes: bytes.to_vec(),
                            });
                        }
                    }
                    _ => {}
                }
            }
            Ok::<_, AppError>((token, files))
        };
        let (token, files) = match read.await {
            Ok(read) => read,
            // A body that is no file form: refused by role first (and logged).
            Err(e) => {
                Require::<G>::check(state, user, AccessAction::Update).await?;
                return Err(e);
            }
        };
        user.check_csrf(&token.unwrap_or_default())?;
        let user = Require::check(state, user, AccessAction::Update).await?;
        Ok(CsrfUpload(user, files))
    }
}
