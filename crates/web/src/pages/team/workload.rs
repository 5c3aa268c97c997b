//! `/team`: per professional of the team their caseload, residents needing
//! attention, open bells, contacts this month next to what the rhythms ask
//! for, and capacity in hours a week (which the team lead sets here).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use waakvlam_store::read::workload;
use waakvlam_store::{AccountId, accounts};

use crate::AppState;
use crate::i18n::Tr;
use crate::ui::error::AppError;
use crate::ui::extract::{CsrfForm, Require, TeamLead};
use crate::ui::form::{FormErrors, Refusal};
use crate::ui::format::date_nl;
use crate::ui::session::CurrentUser;
use crate::ui::{Chrome, Flash, render_form};

pub struct Row {
    pub id: AccountId,
    pub name: String,
    pub left: bool,
    pub caseload: u32,
    pub needing_attention: u32,
    pub open_bells: u32,
    pub contacts: String,
    /// Fewer contacts than the rhythms ask for, this far into the month.
    pub behind: bool,
    pub capacity: String,
    pub capacity_label: String,
    pub prefix: String,
    pub errors: FormErrors,
    pub handover_label: String,
}

#[derive(Template)]
#[template(path = "team/workload.html")]
pub struct WorkloadPage {
    pub chrome: Chrome,
    pub csrf: String,
    pub notice: Option<String>,
    pub error: Option<String>,
    pub intro: String,
    pub caption: String,
    pub rows: Vec<Row>,
    pub unassigned: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct WorkloadQuery {
    /// After a hand-over: how many residents went.
    #[serde(default)]
    handed: Option<u32>,
    #[serde(default)]
    to: Option<String>,
    #[serde(default)]
    saved: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    user: Require<TeamLead>,
    Query(q): Query<WorkloadQuery>,
) -> Result<Response, AppError> {
    let t = user.t;
    let notice = match (q.handed, q.to, q.saved) {
        (Some(n), Some(to), _) => Some(t.with(
            "team-handed-over",
            &[("count", n.to_string()), ("name", to)],
        )),
        (_, _, Some(_)) => Some(t.get("team-capacity-saved")),
        _ => None,
    };
    show(&state, &user, Flash::notice(notice), None).await
}

async fn show(
    state: &AppState,
    user: &CurrentUser,
    flash: Flash,
    failed: Option<(AccountId, String, FormErrors)>,
) -> Result<Response, AppError> {
    let t = user.t;
    let page = state
        .store
        .read(&user.actor, async |cx| workload::page(cx).await)
        .await?;
    let today = crate::ui::format::today_nl(state.store.now());
    let (first, last) = page.month;
    let failed_form = failed.is_some();
    let mut failed = failed;
    let rows = page
        .professionals
        .into_iter()
        .map(|p| {
            // The refusal shows at the form that was sent.
            let sent = match &failed {
                Some((id, _, _)) if *id == p.account_id => failed.take(),
                _ => None,
            };
            row(t, p, today, (first, last), sent)
        })
        .collect();
    let unassigned = (page.unassigned > 0)
        .then(|| t.with("team-unassigned", &[("count", page.unassigned.to_string())]));
    Ok(render_form(
        &WorkloadPage {
            chrome: Chrome::for_user(
                user,
                t.with("team-title", &[("team", page.team_name)]),
                state,
            ),
            csrf: user.csrf(),
            notice: flash.notice,
            error: flash.error,
            intro: t.get("team-intro"),
            caption: t.with(
                "team-caption",
                &[("from", date_nl(first)), ("to", date_nl(last))],
            ),
            rows,
            unassigned,
        },
        failed_form,
    ))
}

fn row(
    t: Tr,
    p: workload::ProfessionalLoad,
    today: chrono::NaiveDate,
    month: (chrono::NaiveDate, chrono::NaiveDate),
    sent: Option<(AccountId, String, FormErrors)>,
) -> Row {
    let behind = waakvlam_domain::workload::behind(
        month,
        today,
        p.expected_this_month,
        p.contacts_this_month,
    );
    let (capacity, errors) = match sent {
        Some((_, typed, errors)) => (typed, errors),
        None => (
            p.capacity_hours_per_week
                .map(|h| h.to_string())
                .unwrap_or_default(),
            FormErrors::default(),
        ),
    };
    Row {
        id: p.account_id,
        left: !p.active,
        caseload: p.caseload,
        needing_attention: p.needing_attention,
        open_bells: p.open_bells,
        contacts: t.with(
            "team-contacts-of",
            &[
                ("done", p.contacts_this_month.to_string()),
                ("expected", p.expected_this_month.to_string()),
            ],
        ),
        behind,
        capacity,
        capacity_label: t.with("team-capacity-of", &[("name", p.name.clone())]),
        prefix: format!("capacity-{}", p.account_id),
        errors,
        handover_label: t.with("team-handover-of", &[("name", p.name.clone())]),
        name: p.name,
    }
}

#[derive(Deserialize)]
pub struct CapacityForm {
    #[serde(default)]
    capacity: String,
}

/// The team lead sets a professional's hours a week (empty: not set).
pub async fn set_capacity(
    State(state): State<AppState>,
    Path(id): Path<AccountId>,
    CsrfForm(user, form): CsrfForm<TeamLead, CapacityForm>,
) -> Result<Response, AppError> {
    let t = user.t;
    let typed = form.capacity.trim().to_owned();
    let hours = if typed.is_empty() {
        None
    } else {
        match typed.parse::<u32>() {
            Ok(h) => Some(h),
            Err(_) => {
                let mut errors = FormErrors::default();
                errors.add("capacity", t.get("team-capacity-whole"));
                let flash = Flash::error(t.get("team-capacity-whole"));
                return show(&state, &user, flash, Some((id, typed, errors))).await;
            }
        }
    };
    let saved = state
        .store
        .write(&user.actor, async |cx| {
            accounts::set_capacity(cx, id, hours).await
        })
        .await;
    match saved {
        Ok(()) => {
            Ok(Redirect::to(&format!("/team?saved={id}#capacity-{id}-capacity")).into_response())
        }
        Err(e) => {
            let refusal = Refusal::of(e)?;
            let errors = refusal.errors_at(t, &["capacity"], "capacity");
            let flash = Flash::error(refusal.text(t));
            show(&state, &user, flash, Some((id, typed, errors))).await
        }
    }
}
