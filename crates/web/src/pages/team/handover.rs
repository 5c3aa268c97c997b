//! `/team/handover`: the team lead hands one resident, or a professional's
//! whole caseload, over to another professional of the provider, with a note
//! the new professional reads first on the resident's page.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use waakvlam_store::handover::{self, HandOver};
use waakvlam_store::{AccountId, ResidentId};

use crate::AppState;
use crate::ui::error::AppError;
use crate::ui::extract::{CsrfForm, Require, TeamLead};
use crate::ui::form::{Choice, FormErrors, Refusal};
use crate::ui::session::CurrentUser;
use crate::ui::{Chrome, render_form};

#[derive(Template)]
#[template(path = "team/handover.html")]
pub struct HandoverPage {
    pub chrome: Chrome,
    pub csrf: String,
    pub errors: FormErrors,
    pub from: Vec<Choice>,
    /// A professional is chosen: the residents and the rest of the form.
    pub chosen: Option<String>,
    pub residents: Vec<Choice>,
    pub to: Vec<Choice>,
    pub note: String,
}

#[derive(Deserialize, Default, Clone)]
pub struct HandoverForm {
    #[serde(default)]
    from: String,
    /// Empty: the whole caseload.
    #[serde(default)]
    resident: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    note: String,
}

pub async fn page(
    State(state): State<AppState>,
    user: Require<TeamLead>,
    Query(q): Query<HandoverForm>,
) -> Result<Response, AppError> {
    show(&state, &user, &q, FormErrors::default()).await
}

async fn show(
    state: &AppState,
    user: &CurrentUser,
    typed: &HandoverForm,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let t = user.t;
    let from_id = typed.from.trim().parse::<AccountId>().ok();
    let form = state
        .store
        .read(&user.actor, async |cx| handover::form(cx, from_id).await)
        .await?;
    let chosen = form
        .from
        .iter()
        .find(|(id, _, _)| Some(*id) == from_id)
        .map(|(_, name, _)| name.clone());
    let from = std::iter::once(Choice::new(
        "",
        t.get("team-handover-choose"),
        from_id.is_none(),
    ))
    .chain(form.from.iter().map(|(id, name, n)| {
        Choice::new(
            id.to_string(),
            t.with(
                "team-handover-from-option",
                &[("name", name.clone()), ("count", n.to_string())],
            ),
            Some(*id) == from_id,
        )
    }))
    .collect();
    let all = t.with(
        "team-handover-all",
        &[
            ("name", chosen.clone().unwrap_or_default()),
            ("count", form.residents.len().to_string()),
        ],
    );
    let residents = std::iter::once(Choice::new("", all, typed.resident.is_empty()))
        .chain(form.residents.iter().map(|(id, name)| {
            Choice::new(
                id.to_string(),
                name.clone(),
                typed.resident == id.to_string(),
            )
        }))
        .collect();
    // The control starts empty: whom the residents go to is the team
    // lead's decision, made knowing each one's caseload and capacity.
    let to = std::iter::once(Choice::new(
        "",
        t.get("team-handover-choose"),
        typed.to.is_empty(),
    ))
    .chain(
        form.to
            .iter()
            .filter(|c| Some(c.account_id) != from_id)
            .map(|c| {
                let label = match c.capacity_hours_per_week {
                    Some(h) => t.with(
                        "intake-candidate-capacity",
                        &[
                            ("name", c.name.clone()),
                            ("team", c.team_name.clone()),
                            ("count", c.caseload.to_string()),
                            ("hours", h.to_string()),
                        ],
                    ),
                    None => t.with(
                        "intake-candidate",
                        &[
                            ("name", c.name.clone()),
                            ("team", c.team_name.clone()),
                            ("count", c.caseload.to_string()),
                        ],
                    ),
                };
                Choice::new(
                    c.account_id.to_string(),
                    label,
                    typed.to == c.account_id.to_string(),
                )
            }),
    )
    .collect();
    let failed = !errors.is_empty();
    Ok(render_form(
        &HandoverPage {
            chrome: Chrome::for_user(user, t.get("team-handover-title"), state),
            csrf: user.csrf(),
            errors,
            from,
            chosen,
            residents,
            to,
            note: typed.note.clone(),
        },
        failed,
    ))
}

pub async fn hand_over(
    State(state): State<AppState>,
    CsrfForm(user, form): CsrfForm<TeamLead, HandoverForm>,
) -> Result<Response, AppError> {
    let t = user.t;
    let mut errors = FormErrors::default();
    let from = form.from.trim().parse::<AccountId>().ok();
    if from.is_none() {
        errors.add("from", t.get("team-handover-error-from"));
    }
    let resident = match form.resident.trim() {
        "" => None,
        id => match id.parse::<ResidentId>() {
            Ok(id) => Some(id),
            Err(_) => {
                errors.add("resident", t.get("team-handover-error-resident"));
                None
            }
        },
    };
    let to = form.to.trim().parse::<AccountId>().ok();
    if to.is_none() {
        errors.add("to", t.get("team-handover-error-to"));
    }
    let (Some(from), Some(to)) = (from, to) else {
        return show(&state, &user, &form, errors).await;
    };
    if !errors.is_empty() {
        return show(&state, &user, &form, errors).await;
    }
    let h = HandOver {
        from,
        to,
        resident,
        note: Some(form.note.clone()),
    };
    let done = state
        .store
        .write(&user.actor, async |cx| handover::hand_over(cx, &h).await)
        .await;
    match done {
        Ok(done) => Ok(Redirect::to(&format!(
            "/team?handed={}&to={}",
            done.residents.len(),
            crate::ui::format::urlencoding(&done.to_name)
        ))
        .into_response()),
        Err(e) => {
            let refusal = Refusal::of(e)?;
            let errors = refusal.errors_at(t, &["from", "resident", "to", "note"], "to");
            show(&state, &user, &form, errors).await
        }
    }
}
