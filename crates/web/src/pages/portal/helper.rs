//! Choose my helper (`/me/helper`).

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use waakvlam_store::AccountId;
use waakvlam_store::portal::helper_request::{self, HelperRequestStatus};
use waakvlam_store::read;

use crate::AppState;
use crate::i18n::Tr;
use crate::ui::error::AppError;
use crate::ui::extract::{CsrfForm, Require, Resident};
use crate::ui::form::{Choice, Refusal};
use crate::ui::format::today_nl;
use crate::ui::session::CurrentUser;
use crate::ui::{Chrome, Flash, render_form};

pub struct HelperView {
    pub account_id: AccountId,
    pub name: String,
    pub area: String,
    pub specialisation: String,
    pub languages: String,
    pub introduction: String,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "portal/helper.html")]
pub struct HelperPage {
    pub chrome: Chrome,
    pub csrf: String,
    pub areas: Vec<Choice>,
    pub specialisations: Vec<Choice>,
    pub languages: Vec<Choice>,
    pub helpers: Vec<HelperView>,
    pub total: usize,
    pub request: Option<String>,
    pub notice: Option<String>,
    pub error: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct HelperQuery {
    #[serde(default)]
    area: String,
    #[serde(default)]
    specialisation: String,
    #[serde(default)]
    language: String,
    #[serde(default)]
    done: Option<String>,
}

/// A filter's options: "all" first, then every value once, in order.
fn choices(t: Tr, values: impl Iterator<Item = String>, selected: &str) -> Vec<Choice> {
    let mut all: Vec<String> = values.filter(|v| !v.is_empty()).collect();
    all.sort();
    all.dedup();
    let every = Choice::new("", t.get("portal-helper-all"), selected.is_empty());
    std::iter::once(every)
        .chain(
            all.into_iter()
                .map(|v| Choice::new(v.clone(), v.clone(), v == selected)),
        )
        .collect()
}

fn split_list(s: &str) -> impl Iterator<Item = String> + '_ {
    s.split(',').map(|x| x.trim().to_owned())
}

pub async fn helper(
    State(state): State<AppState>,
    user: Require<Resident>,
    Query(q): Query<HelperQuery>,
) -> Result<Response, AppError> {
    let notice = q.done.is_some().then(|| user.t.get("portal-helper-sent"));
    helper_page(&state, &user, &q, Flash::notice(notice)).await
}

async fn helper_page(
    state: &AppState,
    user: &CurrentUser,
    q: &HelperQuery,
    flash: Flash,
) -> Result<Response, AppError> {
    let t = user.t;
    let store = &state.store;
    let today = today_nl(store.now());
    let read = store
        .read(&user.actor, async |cx| {
            read::portal_helper::page(cx, today).await
        })
        .await?;
    let all = read.helpers;
    let request = read.request.map(|r| {
        let key = match r.status {
            HelperRequestStatus::Pending => "portal-helper-request-pending",
            HelperRequestStatus::Confirmed => "portal-helper-request-confirmed",
            HelperRequestStatus::Declined | HelperRequestStatus::Withdrawn => {
                "portal-helper-request-declined"
            }
        };
        t.with(key, &[("name", r.professional_name)])
    });
    let areas = choices(t, all.iter().map(|h| h.area.clone()), &q.area);
    let specialisations = choices(
        t,
        all.iter().flat_map(|h| split_list(&h.specialisation)),
        &q.specialisation,
    );
    let languages = choices(
        t,
        all.iter().flat_map(|h| split_list(&h.languages)),
        &q.language,
    );
    let total = all.len();
    let helpers = all
        .into_iter()
        .filter(|h| q.area.is_empty() || h.area == q.area)
        .filter(|h| {
            q.specialisation.is_empty()
                || split_list(&h.specialisation).any(|s| s == q.specialisation)
        })
        .filter(|h| q.language.is_empty() || split_list(&h.languages).any(|s| s == q.language))
        .map(|h| HelperView {
            account_id: h.account_id,
            name: h.name,
            area: h.area,
            specialisation: h.specialisation,
            languages: h.languages,
            introduction: h.introduction,
            current: h.current,
        })
        .collect();
    let failed = flash.error.is_some();
    Ok(render_form(
        &HelperPage {
            chrome: Chrome::for_user(user, t.get("portal-helper-title"), state),
            csrf: user.csrf(),
            areas,
            specialisations,
            languages,
            helpers,
            total,
            request,
            notice: flash.notice,
            error: flash.error,
        },
        failed,
    ))
}

#[derive(Deserialize)]
pub struct ChooseForm {
    professional_id: AccountId,
}

pub async fn choose_helper(
    State(state): State<AppState>,
    CsrfForm(user, form): CsrfForm<Resident, ChooseForm>,
) -> Result<Response, AppError> {
    let t = user.t;
    let store = &state.store;
    let today = today_nl(store.now());
    let chosen = store
        .write(&user.actor, async |cx| {
            helper_request::choose(cx, form.professional_id, today).await
        })
        .await;
    match chosen {
        Ok(_) => Ok(Redirect::to("/me/helper?done=1").into_response()),
        Err(e) => {
            let error = Refusal::of(e)?.portal_text(t);
            helper_page(&state, &user, &HelperQuery::default(), Flash::error(error)).await
        }
    }
}
