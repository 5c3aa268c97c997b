//! `/team/thresholds`: the team lead sets when the caseload signals their
//! team (until now only `waakvlam signals set` could). An empty field
//! follows the municipality's value or the default.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use std::collections::HashMap;
use waakvlam_domain::signal::{ThresholdField, ThresholdOverrides, Thresholds};
use waakvlam_store::signals::{self, SettingsScope};

use crate::AppState;
use crate::i18n::Tr;
use crate::ui::error::AppError;
use crate::ui::extract::{CsrfForm, Require, TeamLead};
use crate::ui::form::{DoneQuery, FormErrors, Refusal};
use crate::ui::session::CurrentUser;
use crate::ui::{Chrome, Flash, render_form};

pub struct FieldView {
    pub key: &'static str,
    pub label: String,
    pub hint: String,
    pub value: String,
}

#[derive(Template)]
#[template(path = "team/thresholds.html")]
pub struct ThresholdsPage {
    pub chrome: Chrome,
    pub csrf: String,
    pub notice: Option<String>,
    pub errors: FormErrors,
    pub fields: Vec<FieldView>,
}

fn team_of(user: &CurrentUser) -> Result<waakvlam_store::TeamId, AppError> {
    user.account().team_id.ok_or(AppError::Forbidden)
}

pub async fn page(
    State(state): State<AppState>,
    user: Require<TeamLead>,
    Query(done): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let team = team_of(&user)?;
    let current = state
        .store
        .read(&user.actor, async |cx| {
            signals::overrides(cx, &SettingsScope::Team(team)).await
        })
        .await?;
    let typed = ThresholdField::ALL
        .iter()
        .map(|f| {
            (
                f.as_str().to_owned(),
                current.get(*f).map(|v| v.to_string()).unwrap_or_default(),
            )
        })
        .collect();
    let notice = done.done.map(|_| user.t.get("thresholds-saved"));
    Ok(show(
        &state,
        &user,
        Flash::notice(notice),
        &typed,
        FormErrors::default(),
    ))
}

fn show(
    state: &AppState,
    user: &CurrentUser,
    flash: Flash,
    typed: &HashMap<String, String>,
    errors: FormErrors,
) -> Response {
    let t = user.t;
    let defaults = Thresholds::default();
    let fields = ThresholdField::ALL
        .iter()
        .map(|f| field(t, *f, &defaults, typed))
        .collect();
    let failed = !errors.is_empty();
    render_form(
        &ThresholdsPage {
            chrome: Chrome::for_user(user, t.get("thresholds-title"), state),
            csrf: user.csrf(),
            notice: flash.notice,
            errors,
            fields,
        },
        failed,
    )
}

fn field(
    t: Tr,
    f: ThresholdField,
    defaults: &Thresholds,
    typed: &HashMap<String, String>,
) -> FieldView {
    let (min, max) = f.range();
    FieldView {
        key: f.as_str(),
        label: t.get(&format!("threshold-{}", f.as_str())),
        hint: t.with(
            &format!("threshold-{}-hint", f.as_str()),
            &[
                ("default", f.of(defaults).to_string()),
                ("min", min.to_string()),
                ("max", max.to_string()),
            ],
        ),
        value: typed.get(f.as_str()).cloned().unwrap_or_default(),
    }
}

pub async fn save(
    State(state): State<AppState>,
    CsrfForm(user, form): CsrfForm<TeamLead, HashMap<String, String>>,
) -> Result<Response, AppError> {
    let t = user.t;
    let team = team_of(&user)?;
    let mut overrides = ThresholdOverrides::default();
    let mut errors = FormErrors::default();
    // Every field is read, so every mistake shows at once.
    for f in ThresholdField::ALL {
        let typed = form.get(f.as_str()).map_or("", |v| v.trim());
        let value = if typed.is_empty() {
            None
        } else if let Ok(v) = typed.parse::<u32>() {
            Some(v)
        } else {
            errors.add(f.as_str(), t.get("thresholds-whole-number"));
            continue;
        };
        if let Err(refusal) = overrides.set(f, value) {
            errors.add(f.as_str(), t.refusal(&refusal.reason, None));
        }
    }
    if !errors.is_empty() {
        return Ok(show(&state, &user, Flash::default(), &form, errors));
    }
    let saved = state
        .store
        .write(&user.actor, async |cx| {
            signals::set(cx, &SettingsScope::Team(team), &overrides).await
        })
        .await;
    match saved {
        Ok(()) => Ok(Redirect::to("/team/thresholds?done=saved").into_response()),
        Err(e) => {
            let errors = Refusal::of(e)?.errors_at(t, &[], "waakvlam_rhythm_days");
            Ok(show(&state, &user, Flash::default(), &form, errors))
        }
    }
}
