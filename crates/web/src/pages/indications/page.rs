//! The page itself and what its forms share.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Months, NaiveDate};
use serde::Deserialize;
use waakvlam_domain::indication::WaakvlamOutcome;
use waakvlam_domain::plan::{ResultAssessment, ResultReached};
use waakvlam_domain::product::IntensityLevel;
use waakvlam_store::{IndicationId, ResidentId, StoreError, indications, read};

use crate::AppState;
use crate::i18n::Tr;
use crate::ui::error::AppError;
use crate::ui::extract::{CsrfForm, Municipal, Require};
use crate::ui::form::{Choice, FailedForm, FieldError, FormErrors, Refusal, municipal_field_error};
use crate::ui::format::{date_nl, iso, opt_date, today_nl};
use crate::ui::session::CurrentUser;
use crate::ui::{Chrome, render_form};

/// A store refusal of the input, next to its field; `Err` when the error is
/// not about the input.
pub(crate) fn store_field_errors(t: Tr, e: StoreError) -> Result<Vec<FieldError>, AppError> {
    match Refusal::of(e) {
        Ok(refusal) => Ok(refusal.municipal_errors(t)),
        Err(other) => Err(other.into()),
    }
}

pub(crate) fn parse_date(
    t: Tr,
    field: &str,
    v: &str,
    required: bool,
) -> Result<Option<NaiveDate>, FieldError> {
    let v = v.trim();
    if v.is_empty() {
        return if required {
            Err(municipal_field_error(t, field, t.get("mun-rule-required")))
        } else {
            Ok(None)
        };
    }
    NaiveDate::parse_from_str(v, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| {
            let rule = t.with("mun-rule-date", &[("value", v.to_owned())]);
            municipal_field_error(t, field, rule)
        })
}

// --- One indication ------------------------------------------------------------

pub struct CostYear {
    pub year: i32,
    pub tariff: String,
    pub cost: String,
    pub own: String,
}

pub struct HistoryRow {
    pub when: String,
    pub who: String,
    pub what: String,
}

#[derive(Template)]
#[template(path = "indications/page.html")]
pub struct IndicationPage {
    pub chrome: Chrome,
    pub id: IndicationId,
    pub resident_id: ResidentId,
    pub notice: Option<String>,
    /// The refused form (`extend` or `end`) and its errors.
    pub failed: FailedForm,
    pub facts: Vec<(String, String)>,
    pub cost_intro: String,
    pub cost_years: Vec<CostYear>,
    pub cost_total: String,
    pub own_total: String,
    pub missing_tariffs: Option<String>,
    pub extensions: Vec<HistoryRow>,
    pub history: Vec<HistoryRow>,
    pub can_extend: bool,
    pub can_end: bool,
    pub extend_default: String,
    pub extend_max: String,
    pub extend_reason: String,
    pub end_default: String,
    pub outcomes: Vec<Choice>,
    /// Was the agreed result reached: the assessment every ending records.
    pub results: Vec<Choice>,
    pub result_note: String,
}

/// What was typed into the extend or end form, shown again with its errors.
#[derive(Default)]
pub struct Typed {
    pub extend_reason: String,
    pub end_date: Option<String>,
    pub outcome: String,
    pub result: String,
    pub result_note: String,
}

impl IndicationPage {
    /// The extension's end date: at most 12 months on, and required.
    pub fn extend_end_attrs(&self) -> String {
        format!(" max=\"{}\" required", self.extend_max)
    }
}

#[derive(Deserialize, Default)]
pub struct SavedQuery {
    #[serde(default)]
    saved: Option<String>,
}

fn tariff_label(t: Tr, tariff: &waakvlam_domain::tariff::Tariff) -> String {
    use waakvlam_domain::tariff::{FundingVariant, UnitPeriod};
    match tariff.variant {
        FundingVariant::PerIndication => t.with(
            "mun-tariff-per-indication",
            &[("amount", tariff.amount.to_string())],
        ),
        FundingVariant::PerIndicationYear => t.with(
            "mun-tariff-per-indication-year",
            &[("amount", tariff.amount.to_string())],
        ),
        FundingVariant::PerUnit(UnitPeriod::Week) => t.with(
            "mun-tariff-per-week",
            &[("amount", tariff.amount.to_string())],
        ),
        FundingVariant::PerUnit(UnitPeriod::Month) => t.with(
            "mun-tariff-per-month",
            &[("amount", tariff.amount.to_string())],
        ),
        FundingVariant::PerHour { budget_ceiling } => t.with(
            "mun-tariff-per-hour",
            &[
                ("amount", tariff.amount.to_string()),
                ("ceiling", budget_ceiling.to_string()),
            ],
        ),
    }
}

fn field_label(t: Tr, field: &str) -> String {
    t.get(&format!("mun-field-{field}"))
}

async fn indication_page(
    state: &AppState,
    user: &CurrentUser,
    id: IndicationId,
    notice: Option<String>,
    failed: &'static str,
    errors: FormErrors,
    typed: Typed,
) -> Result<Response, AppError> {
    let t = user.t;
    let today = today_nl(state.store.now());
    let d = state
        .store
        .read(&user.actor, async |cx| {
            read::indication::page(cx, id, today).await
        })
        .await?;
    let i = &d.indication;
    let level = d.product.product.level;
    let mut facts = vec![
        (
            t.get("mun-field-product_code"),
            format!(
                "{} — {}",
                d.product.product.code.as_str(),
                d.product.product.name,
            ),
        ),
        (t.get("mun-field-provider"), d.provider_name.clone()),
        (
            t.get("mun-allocation-number"),
            i.allocation_number.to_string(),
        ),
        (t.get("mun-field-issued_on"), date_nl(i.issued_on)),
        (t.get("mun-field-start_date"), date_nl(i.start_date)),
        (t.get("mun-field-end_date"), opt_date(i.end_date)),
    ];
    if level.requires_scale_down_moment() || i.planned_scale_down_date.is_some() {
        facts.push((
            t.get("mun-field-planned_scale_down_date"),
            opt_date(i.planned_scale_down_date),
        ));
    }
    facts.push((
        t.get("mun-field-agreed_result"),
        i.agreed_result.clone().unwrap_or_else(|| "—".into()),
    ));
    facts.push((
        t.get("mun-professional"),
        d.professional_name
            .clone()
            .unwrap_or_else(|| t.get("mun-unassigned")),
    ));
    facts.push((
        t.get("mun-field-delivery_start"),
        i.delivery_start
            .map(date_nl)
            .unwrap_or_else(|| t.get("mun-delivery-not-started")),
    ));
    if let Some(end) = i.delivery_end {
        facts.push((t.get("mun-field-delivery_end"), date_nl(end)));
    }
    if let Some(o) = &i.outcome {
        facts.push((t.get("mun-outcome"), t.get(&format!("outcome-{o}"))));
    }
    if let Some(r) = &i.result {
        facts.push((
            t.get("mun-end-result-fact"),
            format!("{}: {}", t.get(r.reached.fluent_key()), r.sentence),
        ));
    }
    let missing = d.cost.missing_tariff_years();
    let running_waakvlam =
        level == IntensityLevel::Waakvlam && i.end_reason.is_none() && d.successor_id.is_none();
    let end = i.end_date;
    let extend_default = end
        .and_then(|e| e.checked_add_months(Months::new(6)))
        .map(iso)
        .unwrap_or_default();
    let extend_max = end
        .and_then(|e| e.checked_add_months(Months::new(12)))
        .map(iso)
        .unwrap_or_default();
    let view = IndicationPage {
        chrome: Chrome::for_user(
            user,
            t.with(
                "mun-indication-title",
                &[
                    ("product", d.product.product.code.as_str().to_owned()),
                    ("name", d.resident_name.clone()),
                ],
            ),
            state,
        ),
        id,
        resident_id: i.resident_id,
        notice,
        failed: FailedForm::new(failed, errors),
        facts,
        cost_intro: t.with(
            "mun-cost-intro",
            &[
                ("start", date_nl(i.start_date)),
                ("end", date_nl(d.cost_until)),
            ],
        ),
        cost_years: d
            .cost
            .years
            .iter()
            .map(|y| CostYear {
                year: y.year,
                tariff: y
                    .tariff
                    .as_ref()
                    .map(|tr| tariff_label(t, tr))
                    .unwrap_or_else(|| t.get("mun-tariff-missing")),
                cost: y.cost.to_string(),
                own: y.own_contributions.to_string(),
            })
            .collect(),
        cost_total: d.cost.total.to_string(),
        own_total: d.cost.own_contributions.to_string(),
        missing_tariffs: (!missing.is_empty()).then(|| {
            t.with(
                "mun-tariff-missing-years",
                &[(
                    "years",
                    missing
                        .iter()
                        .map(i32::to_string)
                        .collect::<Vec<_>>()
                        .join(", "),
                )],
            )
        }),
        extensions: d
            .extensions
            .iter()
            .map(|e| HistoryRow {
                when: date_nl(today_nl(e.at)),
                who: e.by.clone().unwrap_or_default(),
                what: t.with(
                    "mun-extension-row",
                    &[
                        ("from", date_nl(e.previous_end)),
                        ("to", date_nl(e.new_end)),
                        ("reason", e.reason.clone()),
                    ],
                ),
            })
            .collect(),
        history: d
            .changes
            .iter()
            .map(|c| HistoryRow {
                when: c
                    .at
                    .with_timezone(&chrono_tz::Europe::Amsterdam)
                    .format("%d-%m-%Y %H:%M")
                    .to_string(),
                who: c.by.clone().unwrap_or_default(),
                what: t.with(
                    "mun-change-row",
                    &[
                        ("field", field_label(t, &c.field)),
                        ("old", c.old.clone().unwrap_or_else(|| "—".into())),
                        ("new", c.new.clone().unwrap_or_else(|| "—".into())),
                    ],
                ),
            })
            .collect(),
        can_extend: running_waakvlam && end.is_some(),
        can_end: running_waakvlam,
        extend_default,
        extend_max,
        extend_reason: typed.extend_reason,
        end_default: typed
            .end_date
            .unwrap_or_else(|| iso(end.map_or(today, |e| e.min(today)).max(i.start_date))),
        outcomes: WaakvlamOutcome::ALL
            .iter()
            .map(|o| Choice {
                value: o.as_str().to_owned(),
                label: t.get(&format!("outcome-{}", o.as_str())),
                selected: typed.outcome == o.as_str(),
            })
            .collect(),
        // Starts empty: the assessment is the consultant's judgement.
        results: std::iter::once(Choice::new(
            "",
            t.get("result-choose-option"),
            typed.result.is_empty(),
        ))
        .chain(ResultReached::ALL.iter().map(|r| {
            Choice::new(
                r.as_str(),
                t.get(r.fluent_key()),
                typed.result == r.as_str(),
            )
        }))
        .collect(),
        result_note: typed.result_note,
    };
    Ok(render_form(&view, view.failed.is_failed()))
}

pub async fn show(
    State(state): State<AppState>,
    user: Require<Municipal>,
    Path(id): Path<IndicationId>,
    Query(q): Query<SavedQuery>,
) -> Result<Response, AppError> {
    let notice = q
        .saved
        .as_deref()
        .filter(|s| ["created", "changed", "extended", "ended"].contains(s))
        .map(|s| user.t.get(&format!("mun-saved-{s}")));
    indication_page(
        &state,
        &user,
        id,
        notice,
        "",
        FormErrors::default(),
        Typed::default(),
    )
    .await
}

#[derive(Deserialize, Default)]
pub struct ExtendForm {
    #[serde(default)]
    end_date: String,
    #[serde(default)]
    reason: String,
}

pub async fn extend(
    State(state): State<AppState>,
    Path(id): Path<IndicationId>,
    CsrfForm(user, form): CsrfForm<Municipal, ExtendForm>,
) -> Result<Response, AppError> {
    let t = user.t;
    let new_end = match parse_date(t, "end_date", &form.end_date, true) {
        Ok(Some(d)) => d,
        Ok(None) => return Err(AppError::BadRequest("end_date".into())),
        Err(e) => {
            return indication_page(
                &state,
                &user,
                id,
                None,
                "extend",
                FormErrors::from(e),
                Typed {
                    extend_reason: form.reason,
                    ..Typed::default()
                },
            )
            .await;
        }
    };
    let extended = state
        .store
        .write(&user.actor, async |cx| {
            indications::decide_extension(cx, id, new_end, &form.reason).await
        })
        .await;
    match extended {
        Ok(_) => Ok(Redirect::to(&format!("/indications/{id}?saved=extended")).into_response()),
        Err(e) => {
            let errors = store_field_errors(t, e)?;
            indication_page(
                &state,
                &user,
                id,
                None,
                "extend",
                FormErrors::from(errors),
                Typed {
                    extend_reason: form.reason,
                    ..Typed::default()
                },
            )
            .await
        }
    }
}

#[derive(Deserialize, Default)]
pub struct EndForm {
    #[serde(default)]
    end_date: String,
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    result: String,
    #[serde(default)]
    result_note: String,
}

/// Ending a waakvlam records its last day, its outcome and whether the
/// agreed result was reached, with a sentence why; every mistake is said at
/// its field at once, and what was typed stays.
pub async fn end(
    State(state): State<AppState>,
    Path(id): Path<IndicationId>,
    CsrfForm(user, form): CsrfForm<Municipal, EndForm>,
) -> Result<Response, AppError> {
    let t = user.t;
    let mut errors = FormErrors::default();
    let end = match parse_date(t, "end_date", &form.end_date, true) {
        Ok(d) => d,
        Err(e) => {
            errors.insert(e);
            None
        }
    };
    let outcome = WaakvlamOutcome::parse(&form.outcome).ok();
    if outcome.is_none() {
        errors.insert(FieldError {
            field: "outcome".into(),
            label: None,
            message: t.with(
                "mun-field-error",
                &[
                    ("field", t.get("mun-outcome")),
                    ("rule", t.get("mun-rule-choose")),
                ],
            ),
        });
    }
    let result = match ResultAssessment::parse(&form.result, &form.result_note) {
        Ok(r) => Some(r),
        Err(refusals) => {
            for r in refusals {
                errors.add(&r.field, t.refusal(&r.reason, None));
            }
            None
        }
    };
    let typed = || Typed {
        end_date: Some(form.end_date.clone()),
        outcome: form.outcome.clone(),
        result: form.result.clone(),
        result_note: form.result_note.clone(),
        ..Typed::default()
    };
    let (Some(end), Some(outcome), Some(result), true) = (end, outcome, result, errors.is_empty())
    else {
        return indication_page(&state, &user, id, None, "end", errors, typed()).await;
    };
    let ended = state
        .store
        .write(&user.actor, async |cx| {
            indications::end_with_outcome(cx, id, end, outcome, Some(&result)).await
        })
        .await;
    match ended {
        Ok(_) => Ok(Redirect::to(&format!("/indications/{id}?saved=ended")).into_response()),
        Err(e) => {
            let errors = store_field_errors(t, e)?;
            indication_page(
                &state,
                &user,
                id,
                None,
                "end",
                FormErrors::from(errors),
                typed(),
            )
            .await
        }
    }
}
