//! Who sees my plan (`/me/sharing`): invite a trusted person, remove a share.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use waakvlam_domain::care::ConsentParty;
use waakvlam_store::portal::consent::{self, Invitation, Invited, Relation};
use waakvlam_store::read;
use waakvlam_store::{ConsentId, InvitationId};

use super::refused;
use crate::AppState;
use crate::i18n::Tr;
use crate::ui::error::AppError;
use crate::ui::extract::{CsrfForm, Require, Resident};
use crate::ui::form::{Choice, FormErrors};
use crate::ui::format::{day_in_words, today_nl, urlencoding};
use crate::ui::session::CurrentUser;
use crate::ui::{Chrome, Flash, render, render_form};

pub struct ShareView {
    pub consent_id: ConsentId,
    pub who: String,
    pub since: String,
    /// What removing it means, in one or two plain sentences.
    pub means: String,
}

/// Who a share is with, in plain words: parties the system recorded are
/// named by what they are; the names residents typed are theirs.
fn share_who(t: Tr, party: ConsentParty, name: String) -> String {
    match party {
        ConsentParty::TrustedPerson => name,
        ConsentParty::Professional => {
            t.with("portal-sharing-party-professional", &[("name", name)])
        }
        ConsentParty::Provider => t.get("portal-sharing-party-provider"),
        ConsentParty::Municipality => t.get("portal-sharing-party-municipality"),
    }
}

/// Whether a party gives (or pays for) the resident's help: removing it
/// stops their reading of the plan, not the help.
fn gives_help(party: ConsentParty) -> bool {
    !matches!(party, ConsentParty::TrustedPerson)
}

pub struct NewCodeView {
    pub name: String,
    pub email: String,
    pub code: String,
    pub until: String,
}

/// An invitation that waits for an answer.
pub struct PendingView {
    pub id: InvitationId,
    pub name: String,
    pub text: String,
}

#[derive(Template)]
#[template(path = "portal/sharing.html")]
pub struct SharingPage {
    pub chrome: Chrome,
    pub csrf: String,
    pub contact: Option<String>,
    pub shares: Vec<ShareView>,
    pub pending: Vec<PendingView>,
    pub notice: Option<String>,
    pub new_code: Option<NewCodeView>,
    pub error: Option<String>,
    pub name: String,
    pub email: String,
    /// Family, informal carer or professional.
    pub relations: Vec<Choice>,
    pub errors: FormErrors,
}

#[derive(Deserialize, Default)]
pub struct SharingQuery {
    #[serde(default)]
    removed: Option<String>,
    #[serde(default)]
    withdrawn: Option<String>,
}

pub async fn sharing(
    State(state): State<AppState>,
    user: Require<Resident>,
    Query(q): Query<SharingQuery>,
) -> Result<Response, AppError> {
    let t = user.t;
    let notice = if let Some(name) = q.removed {
        Some(t.with("portal-sharing-removed", &[("name", name)]))
    } else {
        q.withdrawn
            .map(|name| t.with("portal-sharing-withdrawn", &[("name", name)]))
    };
    sharing_page(
        &state,
        &user,
        Flash::notice(notice),
        FormErrors::default(),
        None,
        SharingForm::default(),
    )
    .await
}

async fn sharing_page(
    state: &AppState,
    user: &CurrentUser,
    flash: Flash,
    errors: FormErrors,
    new_code: Option<NewCodeView>,
    form: SharingForm,
) -> Result<Response, AppError> {
    let t = user.t;
    let store = &state.store;
    let today = today_nl(store.now());
    let read = store
        .read(&user.actor, async |cx| {
            read::portal_sharing::page(cx, today).await
        })
        .await?;
    let contact = read
        .contact
        .map(|c| t.with("portal-sharing-contact", &[("name", c.name)]));
    let shares = read
        .shares
        .into_iter()
        .map(|s| {
            let means = if gives_help(s.party) {
                t.get("portal-sharing-means-care")
            } else {
                t.with("portal-sharing-means-trusted", &[("name", s.name.clone())])
            };
            ShareView {
                consent_id: s.consent_id,
                who: share_who(t, s.party, s.name),
                since: t.with(
                    "portal-sharing-since",
                    &[("date", day_in_words(t, today_nl(s.granted_at), today))],
                ),
                means,
            }
        })
        .collect();
    let pending = read
        .pending
        .into_iter()
        .map(|p| PendingView {
            id: p.id,
            text: t.with(
                "portal-sharing-pending-item",
                &[
                    ("name", p.name.clone()),
                    ("email", p.email),
                    ("date", day_in_words(t, today_nl(p.expires_at), today)),
                ],
            ),
            name: p.name,
        })
        .collect();
    let failed = flash.error.is_some();
    Ok(render_form(
        &SharingPage {
            chrome: Chrome::for_user(user, t.get("portal-sharing-title"), state),
            csrf: user.csrf(),
            contact,
            shares,
            pending,
            notice: flash.notice,
            new_code,
            error: flash.error,
            name: form.name,
            email: form.email,
            relations: [
                ("family", "portal-sharing-family"),
                ("informal_carer", "portal-sharing-carer"),
                ("professional", "portal-sharing-professional"),
            ]
            .into_iter()
            .map(|(value, key)| {
                let chosen = if form.relation.is_empty() {
                    "family"
                } else {
                    form.relation.as_str()
                };
                Choice::new(value, t.get(key), value == chosen)
            })
            .collect(),
            errors,
        },
        failed,
    ))
}

#[derive(Deserialize, Default)]
pub struct SharingForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    relation: String,
}

pub async fn invite(
    State(state): State<AppState>,
    CsrfForm(user, form): CsrfForm<Resident, SharingForm>,
) -> Result<Response, AppError> {
    let t = user.t;
    let Some(relation) = Relation::parse(&form.relation) else {
        let flash = Flash::error(t.get("portal-error-relation"));
        let mut errors = FormErrors::default();
        errors.add("relation", t.get("portal-error-relation"));
        return sharing_page(&state, &user, flash, errors, None, form).await;
    };
    let invitation = Invitation {
        name: form.name.clone(),
        email: form.email.clone(),
        relation,
    };
    let invited = state
        .store
        .write(&user.actor, async move |cx| {
            consent::invite(cx, invitation).await
        })
        .await;
    match invited {
        // The code is shown once, now: it is not stored anywhere readable.
        Ok(Invited { name, email, code }) => {
            let view = NewCodeView {
                name: name.clone(),
                email,
                code: code.code,
                until: day_in_words(t, today_nl(code.expires_at), today_nl(state.store.now())),
            };
            let notice = Some(t.with("portal-sharing-invited", &[("name", name)]));
            let flash = Flash::notice(notice);
            let (errors, form) = (FormErrors::default(), SharingForm::default());
            sharing_page(&state, &user, flash, errors, Some(view), form).await
        }
        Err(e) => {
            let (flash, errors) = refused(t, e, &["name", "email"])?;
            sharing_page(&state, &user, flash, errors, None, form).await
        }
    }
}

#[derive(Deserialize)]
pub struct RemoveForm {
    /// Whom the notice names.
    #[serde(default)]
    name: String,
}

#[derive(Deserialize)]
pub struct RemoveShareForm {
    /// "yes" once the resident confirmed; the first post asks.
    #[serde(default)]
    confirm: String,
}

/// "Weet je het zeker?": what removing a share stops and what stays.
#[derive(Template)]
#[template(path = "portal/sharing_confirm.html")]
pub struct RemoveConfirmPage {
    pub chrome: Chrome,
    pub csrf: String,
    pub consent_id: ConsentId,
    pub intro: String,
    pub stops: String,
    pub stays: String,
}

/// Removing a share takes two posts: the first shows what stops and what
/// stays and asks; the second, with `confirm=yes`, removes it. Both work
/// without JavaScript.
pub async fn remove_share(
    State(state): State<AppState>,
    Path(id): Path<ConsentId>,
    CsrfForm(user, form): CsrfForm<Resident, RemoveShareForm>,
) -> Result<Response, AppError> {
    let t = user.t;
    let share = state
        .store
        .read(&user.actor, async |cx| {
            read::portal_sharing::share(cx, id).await
        })
        .await?;
    let party = share.party;
    let who = share_who(t, party, share.name.clone());
    if form.confirm != "yes" {
        let stays = if gives_help(party) {
            t.get("portal-sharing-stays-care")
        } else {
            t.with("portal-sharing-stays-trusted", &[("name", share.name)])
        };
        return Ok(render(&RemoveConfirmPage {
            chrome: Chrome::for_user(&user, t.get("portal-sharing-confirm-title"), &state),
            csrf: user.csrf(),
            consent_id: id,
            intro: t.with("portal-sharing-confirm-intro", &[("name", who.clone())]),
            stops: t.with("portal-sharing-stops", &[("name", who)]),
            stays,
        }));
    }
    state
        .store
        .write(&user.actor, async |cx| consent::revoke(cx, id).await)
        .await?;
    let to = format!("/me/sharing?removed={}", urlencoding(&who));
    Ok(Redirect::to(&to).into_response())
}

pub async fn withdraw_invitation(
    State(state): State<AppState>,
    Path(id): Path<InvitationId>,
    CsrfForm(user, form): CsrfForm<Resident, RemoveForm>,
) -> Result<Response, AppError> {
    state
        .store
        .write(&user.actor, async |cx| consent::withdraw(cx, id).await)
        .await?;
    let to = format!("/me/sharing?withdrawn={}", urlencoding(&form.name));
    Ok(Redirect::to(&to).into_response())
}
