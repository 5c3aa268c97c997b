//! The provider's intake inbox for team leads (`/intake`, "Nieuwe
//! toewijzingen"): new allocations that no team took on yet, each with what
//! the municipality decided, and a choice of professional with their
//! caseload size.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use waakvlam_store::intake;
use waakvlam_store::{AccountId, IndicationId};

use crate::AppState;
use crate::i18n::Tr;
use crate::ui::error::AppError;
use crate::ui::extract::{CsrfForm, Require, TeamLead};
use crate::ui::form::{Choice, FormErrors, Refusal};
use crate::ui::format::{date_nl, when_nl};
use crate::ui::routes::Routes;
use crate::ui::session::CurrentUser;
use crate::ui::{Chrome, Flash, render_form};

pub fn routes() -> Routes {
    Routes::new()
        .route("/intake", get(inbox))
        .route("/intake/{id}/assign", post(assign))
}

pub struct AllocationView {
    pub id: IndicationId,
    pub resident: String,
    pub product: String,
    pub number: String,
    pub period: String,
    pub scale_down: Option<String>,
    pub agreed_result: Option<String>,
    pub received: String,
    /// "wacht 4 werkdagen", and whether that is longer than the threshold.
    pub waiting: String,
    pub late: bool,
    /// Ids in the page: one form per allocation.
    pub prefix: String,
    /// "Begeleider voor K. van Dam".
    pub label: String,
    pub errors: FormErrors,
}

#[derive(Template)]
#[template(path = "intake/page.html")]
pub struct IntakePage {
    pub chrome: Chrome,
    pub csrf: String,
    pub notice: Option<String>,
    pub error: Option<String>,
    pub allocations: Vec<AllocationView>,
    pub candidates: Vec<Choice>,
}

#[derive(Deserialize, Default)]
pub struct IntakeQuery {
    #[serde(default)]
    assigned: Option<String>,
}

pub async fn inbox(
    State(state): State<AppState>,
    user: Require<TeamLead>,
    Query(q): Query<IntakeQuery>,
) -> Result<Response, AppError> {
    let notice = q
        .assigned
        .map(|name| user.t.with("intake-assigned", &[("name", name)]));
    page(&state, &user, Flash::notice(notice), None).await
}

async fn page(
    state: &AppState,
    user: &CurrentUser,
    flash: Flash,
    failed: Option<(IndicationId, FormErrors)>,
) -> Result<Response, AppError> {
    let t = user.t;
    let inbox = state
        .store
        .read(&user.actor, async |cx| intake::inbox(cx).await)
        .await?;
    let failed_form = failed.is_some();
    let mut failed = failed;
    let allocations = inbox
        .allocations
        .into_iter()
        .map(|a| {
            // The refusal shows at the form that was sent.
            let errors = match &failed {
                Some((id, _)) if *id == a.indication_id => failed.take().map(|(_, e)| e),
                _ => None,
            };
            view(t, a, errors.unwrap_or_default())
        })
        .collect();
    // The control starts empty: choosing is the team lead's decision.
    let candidates = std::iter::once(Choice::new("", t.get("intake-choose"), true))
        .chain(inbox.candidates.into_iter().map(|c| {
            let label = match c.capacity_hours_per_week {
                Some(hours) => t.with(
                    "intake-candidate-capacity",
                    &[
                        ("name", c.name),
                        ("team", c.team_name),
                        ("count", c.caseload.to_string()),
                        ("hours", hours.to_string()),
                    ],
                ),
                None => t.with(
                    "intake-candidate",
                    &[
                        ("name", c.name),
                        ("team", c.team_name),
                        ("count", c.caseload.to_string()),
                    ],
                ),
            };
            Choice::new(c.account_id.to_string(), label, false)
        }))
        .collect();
    Ok(render_form(
        &IntakePage {
            chrome: Chrome::for_user(user, t.get("intake-title"), state),
            csrf: user.csrf(),
            notice: flash.notice,
            error: flash.error,
            allocations,
            candidates,
        },
        failed_form,
    ))
}

fn view(t: Tr, a: intake::Allocation, errors: FormErrors) -> AllocationView {
    let period = match a.end_date {
        Some(end) => t.with(
            "intake-period",
            &[("start", date_nl(a.start_date)), ("end", date_nl(end))],
        ),
        None => t.with("intake-period-open", &[("start", date_nl(a.start_date))]),
    };
    AllocationView {
        errors,
        id: a.indication_id,
        prefix: format!("intake-{}", a.indication_id),
        label: t.with(
            "intake-professional-for",
            &[("name", a.resident_name.clone())],
        ),
        resident: a.resident_name,
        product: format!("{} — {}", a.product_code, a.product_name),
        number: a.allocation_number,
        period,
        scale_down: a.planned_scale_down_date.map(date_nl),
        agreed_result: a.agreed_result,
        received: when_nl(a.received_at),
        waiting: t.with(
            "intake-waiting",
            &[("count", a.waiting_working_days.to_string())],
        ),
        late: a.late,
    }
}

#[derive(Deserialize)]
pub struct AssignForm {
    #[serde(default)]
    professional_id: String,
    /// Whom the notice names.
    #[serde(default)]
    resident: String,
}

pub async fn assign(
    State(state): State<AppState>,
    Path(id): Path<IndicationId>,
    CsrfForm(user, form): CsrfForm<TeamLead, AssignForm>,
) -> Result<Response, AppError> {
    let t = user.t;
    let Ok(professional) = form.professional_id.trim().parse::<AccountId>() else {
        let mut errors = FormErrors::default();
        errors.add("professional_id", t.get("intake-error-choose"));
        let flash = Flash::error(t.get("intake-error-choose"));
        return page(&state, &user, flash, Some((id, errors))).await;
    };
    let assigned = state
        .store
        .write(&user.actor, async |cx| {
            intake::assign(cx, id, professional).await
        })
        .await;
    match assigned {
        Ok(_) => {
            let to = format!(
                "/intake?assigned={}",
                crate::ui::format::urlencoding(&form.resident)
            );
            Ok(Redirect::to(&to).into_response())
        }
        Err(e) => {
            let refusal = Refusal::of(e)?;
            let text = refusal.text(t);
            let mut errors = FormErrors::default();
            errors.add("professional_id", text.clone());
            page(&state, &user, Flash::error(text), Some((id, errors))).await
        }
    }
}
