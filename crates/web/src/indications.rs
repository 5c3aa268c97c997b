//! The municipality's indication pages: find a resident (`/residents`), their
//! pathway (`/residents/{id}`), a new indication, one indication with its
//! cost and history (`/indications/{id}`), changing, extending and ending it.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Months, NaiveDate};
use serde::Deserialize;
use waakvlam_domain::care::{RequestStatus, ScaleDirection};
use waakvlam_domain::indication::WaakvlamOutcome;
use waakvlam_domain::product::IntensityLevel;
use waakvlam_domain::refusal::Refusal;
use waakvlam_domain::role::Role;
use waakvlam_store::indication_file::{self, IndicationEdit};
use waakvlam_store::indications::NewIndication;
use waakvlam_store::{StoreError, catalogue, organisations, requests, residents};

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::i18n::Tr;
use crate::pages::{Chrome, date_nl, render, today_nl};

fn require_consultant(user: &CurrentUser) -> Result<(), AppError> {
    if matches!(user.account().role, Role::Consultant | Role::Admin) {
        Ok(())
    } else {
        Err(AppError::Forbidden(user.t))
    }
}

fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn opt_date(d: Option<NaiveDate>) -> String {
    d.map(date_nl).unwrap_or_else(|| "—".to_owned())
}

/// A form error tied to the field to correct.
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// A refusal from the store in the user's language: the field's label and
/// what to do about it (the municipal forms' own wording `mun-rule-<id>`
/// where it has one).
fn field_error(t: Tr, refusal: &Refusal) -> FieldError {
    let field = refusal.field.as_str();
    FieldError {
        field: field.to_owned(),
        message: t.with(
            "mun-field-error",
            &[
                ("field", t.get(&format!("mun-field-{field}"))),
                ("rule", t.refusal(&refusal.reason, Some("mun-rule-"))),
            ],
        ),
    }
}

/// Every refusal of a form's input, each tied to its field.
fn store_field_errors(t: Tr, e: StoreError) -> Result<Vec<FieldError>, AppError> {
    match e {
        StoreError::Invalid(refusals) => Ok(refusals.iter().map(|r| field_error(t, r)).collect()),
        StoreError::Conflict(msg) => Ok(vec![FieldError {
            field: String::new(),
            message: msg,
        }]),
        other => Err(AppError::store(other, t)),
    }
}

fn parse_date(
    t: Tr,
    field: &str,
    v: &str,
    required: bool,
) -> Result<Option<NaiveDate>, FieldError> {
    let v = v.trim();
    if v.is_empty() {
        return if required {
            Err(FieldError {
                field: field.to_owned(),
                message: t.with(
                    "mun-field-error",
                    &[
                        ("field", t.get(&format!("mun-field-{field}"))),
                        ("rule", t.get("mun-rule-required")),
                    ],
                ),
            })
        } else {
            Ok(None)
        };
    }
    NaiveDate::parse_from_str(v, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| FieldError {
            field: field.to_owned(),
            message: t.with(
                "mun-field-error",
                &[
                    ("field", t.get(&format!("mun-field-{field}"))),
                    ("rule", t.with("mun-rule-date", &[("value", v.to_owned())])),
                ],
            ),
        })
}

// --- Residents ---------------------------------------------------------------

pub struct ResidentRow {
    pub id: i64,
    pub name: String,
    pub born: String,
}

#[derive(Template)]
#[template(path = "residents.html")]
pub struct ResidentsPage {
    pub chrome: Chrome,
    pub q: String,
    pub rows: Vec<ResidentRow>,
}

#[derive(Deserialize, Default)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
}

pub async fn residents_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<SearchQuery>,
) -> Result<Response, AppError> {
    require_consultant(&user)?;
    let t = user.t;
    let found = residents::search(&state.store, &user.actor, Some(&q.q), 200)
        .await
        .map_err(|e| AppError::store(e, t))?;
    Ok(render(&ResidentsPage {
        chrome: Chrome::for_user(&user, t.get("mun-residents-title"), &state),
        q: q.q,
        rows: found
            .into_iter()
            .map(|r| ResidentRow {
                id: r.id,
                name: r.formal_name(),
                born: date_nl(r.birth_date),
            })
            .collect(),
    }))
}

// --- Pathway -----------------------------------------------------------------

pub struct RequestView {
    pub summary: String,
    pub status: String,
    pub reason: String,
    pub decision: Option<String>,
    pub pending_id: Option<i64>,
}

pub struct StepView {
    pub id: i64,
    pub title: String,
    pub period: String,
    pub provider: String,
    pub ended: Option<String>,
    pub linked_from: Option<i64>,
    pub running: bool,
    pub requests: Vec<RequestView>,
}

#[derive(Template)]
#[template(path = "pathway.html")]
pub struct PathwayPage {
    pub chrome: Chrome,
    pub resident_id: i64,
    pub born: String,
    pub steps: Vec<StepView>,
}

pub async fn pathway_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    require_consultant(&user)?;
    let t = user.t;
    let today = today_nl(state.store.now());
    let p = indication_file::pathway(&state.store, &user.actor, id)
        .await
        .map_err(|e| AppError::store(e, t))?;
    let steps = p
        .steps
        .into_iter()
        .map(|s| {
            let i = &s.indication;
            StepView {
                id: i.id,
                title: format!("{} — {}", s.product_code, s.product_name),
                period: t.with(
                    "mun-period",
                    &[
                        ("start", date_nl(i.start_date)),
                        ("end", opt_date(i.end_date)),
                    ],
                ),
                provider: s.provider_name.clone(),
                ended: i.outcome.as_deref().map(|o| t.get(&format!("outcome-{o}"))),
                linked_from: i.predecessor_id,
                running: i.active_on(today),
                requests: s
                    .requests
                    .iter()
                    .map(|r| RequestView {
                        summary: t.with(
                            "mun-request-summary",
                            &[
                                (
                                    "direction",
                                    t.get(match r.direction {
                                        ScaleDirection::Up => "request-up",
                                        ScaleDirection::Down => "request-down",
                                    }),
                                ),
                                (
                                    "what",
                                    r.product_code
                                        .clone()
                                        .unwrap_or_else(|| t.get("request-end-support")),
                                ),
                                ("start", date_nl(r.requested_start)),
                                ("by", r.requested_by.clone().unwrap_or_default()),
                                ("on", date_nl(today_nl(r.requested_at))),
                            ],
                        ),
                        status: t.get(&format!("mun-request-{}", r.status.as_str())),
                        reason: r.reason.clone(),
                        decision: match (r.decided_by.as_ref(), r.decided_at) {
                            (Some(by), Some(at)) => Some(t.with(
                                "mun-request-decided",
                                &[
                                    ("by", by.clone()),
                                    ("on", date_nl(today_nl(at))),
                                    ("note", r.decision_note.clone().unwrap_or_default()),
                                ],
                            )),
                            _ => None,
                        },
                        pending_id: (r.status == RequestStatus::Pending).then_some(r.id),
                    })
                    .collect(),
            }
        })
        .collect();
    Ok(render(&PathwayPage {
        chrome: Chrome::for_user(
            &user,
            t.with("mun-pathway-title", &[("name", p.resident.formal_name())]),
            &state,
        ),
        resident_id: id,
        born: t.with("client-born", &[("date", date_nl(p.resident.birth_date))]),
        steps,
    }))
}

// --- New and changed indications ---------------------------------------------

#[derive(Deserialize, Default, Clone)]
pub struct IndicationForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    pub product_code: String,
    #[serde(default)]
    pub provider_id: String,
    #[serde(default)]
    pub issued_on: String,
    #[serde(default)]
    pub start_date: String,
    #[serde(default)]
    pub end_date: String,
    #[serde(default)]
    pub planned_scale_down_date: String,
    #[serde(default)]
    pub agreed_result: String,
}

pub struct Choice {
    pub value: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "indication_form.html")]
pub struct IndicationFormPage {
    pub chrome: Chrome,
    pub action: String,
    pub cancel: String,
    /// Editing: the product is fixed.
    pub editing: bool,
    pub product_label: String,
    pub products: Vec<Choice>,
    pub providers: Vec<Choice>,
    pub form: IndicationForm,
    pub errors: Vec<FieldError>,
}

pub struct DateField {
    pub name: &'static str,
    pub label: String,
    pub hint: Option<String>,
    pub value: String,
    pub required: bool,
}

impl IndicationFormPage {
    pub fn date_fields(&self) -> Vec<DateField> {
        let t = self.chrome.t;
        [
            ("issued_on", &self.form.issued_on, true),
            ("start_date", &self.form.start_date, true),
            ("end_date", &self.form.end_date, false),
        ]
        .into_iter()
        .map(|(name, value, required)| DateField {
            name,
            label: t.get(&format!("mun-field-{name}")),
            hint: (name == "end_date").then(|| t.get("mun-hint-end_date")),
            value: value.clone(),
            required,
        })
        .collect()
    }

    pub fn error_for(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }
}

/// The products offered in the resident's municipality (its own catalogue or
/// its region's) and the providers.
async fn choices(
    state: &AppState,
    t: Tr,
    municipality_code: &str,
) -> Result<(Vec<Choice>, Vec<Choice>), AppError> {
    let conn = state.store.conn();
    let products = catalogue::products_offered_in(conn, municipality_code)
        .await
        .map_err(|e| AppError::store(e, t))?
        .into_iter()
        .map(|p| Choice {
            value: p.product.code.as_str().to_owned(),
            label: format!(
                "{} — {} ({})",
                p.product.code.as_str(),
                p.product.name,
                t.get(&format!("level-{}", p.product.level.as_str()))
            ),
        })
        .collect();
    let providers = organisations::providers(conn)
        .await
        .map_err(|e| AppError::store(e, t))?
        .into_iter()
        .map(|p| Choice {
            value: p.id.to_string(),
            label: p.name,
        })
        .collect();
    Ok((products, providers))
}

fn form_response(page: &IndicationFormPage) -> Response {
    let status = if page.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    (status, render(page)).into_response()
}

/// The new-indication form: empty (today's dates) or as submitted, with errors.
async fn new_form(
    state: &AppState,
    user: &CurrentUser,
    resident_id: i64,
    form: Option<IndicationForm>,
    errors: Vec<FieldError>,
) -> Result<Response, AppError> {
    let t = user.t;
    let resident = residents::get(&state.store, &user.actor, resident_id)
        .await
        .map_err(|e| AppError::store(e, t))?;
    let (products, providers) = choices(state, t, &resident.municipality_code).await?;
    let today = today_nl(state.store.now());
    Ok(form_response(&IndicationFormPage {
        chrome: Chrome::for_user(
            user,
            t.with("mun-new-title", &[("name", resident.formal_name())]),
            state,
        ),
        action: format!("/residents/{resident_id}/indications"),
        cancel: format!("/residents/{resident_id}"),
        editing: false,
        product_label: String::new(),
        products,
        providers,
        form: form.unwrap_or_else(|| IndicationForm {
            issued_on: iso(today),
            start_date: iso(today),
            ..Default::default()
        }),
        errors,
    }))
}

pub async fn new_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(resident_id): Path<i64>,
) -> Result<Response, AppError> {
    require_consultant(&user)?;
    new_form(&state, &user, resident_id, None, Vec::new()).await
}

struct ParsedForm {
    provider_id: i64,
    issued_on: NaiveDate,
    start: NaiveDate,
    end: Option<NaiveDate>,
    planned_scale_down: Option<NaiveDate>,
    agreed_result: Option<String>,
}

/// Every problem with the form at once, so the user fixes them in one go.
fn parse_form(t: Tr, f: &IndicationForm) -> Result<ParsedForm, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut date = |field: &str, v: &str, required: bool| match parse_date(t, field, v, required) {
        Ok(d) => d,
        Err(e) => {
            errors.push(e);
            None
        }
    };
    let issued_on = date("issued_on", &f.issued_on, true);
    let start = date("start_date", &f.start_date, true);
    let end = date("end_date", &f.end_date, false);
    let planned_scale_down = date("planned_scale_down_date", &f.planned_scale_down_date, false);
    let provider_id = f.provider_id.trim().parse::<i64>().ok();
    if provider_id.is_none() {
        errors.push(FieldError {
            field: "provider".into(),
            message: t.with(
                "mun-field-error",
                &[
                    ("field", t.get("mun-field-provider")),
                    ("rule", t.get("mun-rule-choose")),
                ],
            ),
        });
    }
    match (provider_id, issued_on, start) {
        (Some(provider_id), Some(issued_on), Some(start)) if errors.is_empty() => Ok(ParsedForm {
            provider_id,
            issued_on,
            start,
            end,
            planned_scale_down,
            agreed_result: Some(f.agreed_result.trim().to_owned()).filter(|s| !s.is_empty()),
        }),
        _ => Err(errors),
    }
}

pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(resident_id): Path<i64>,
    Form(form): Form<IndicationForm>,
) -> Result<Response, AppError> {
    user.check_csrf(&form.csrf_token)?;
    require_consultant(&user)?;
    let t = user.t;
    let resident = residents::get(&state.store, &user.actor, resident_id)
        .await
        .map_err(|e| AppError::store(e, t))?;
    let mut errors = Vec::new();
    if form.product_code.trim().is_empty() {
        errors.push(FieldError {
            field: "product_code".into(),
            message: t.with(
                "mun-field-error",
                &[
                    ("field", t.get("mun-field-product_code")),
                    ("rule", t.get("mun-rule-choose")),
                ],
            ),
        });
    }
    let parsed = match parse_form(t, &form) {
        Ok(p) if errors.is_empty() => p,
        Ok(_) => return new_form(&state, &user, resident_id, Some(form), errors).await,
        Err(more) => {
            errors.extend(more);
            return new_form(&state, &user, resident_id, Some(form), errors).await;
        }
    };
    let new = NewIndication {
        resident_id,
        product_code: form.product_code.trim().to_owned(),
        municipality_code: resident.municipality_code.clone(),
        provider_id: parsed.provider_id,
        allocation_number: None,
        issued_on: parsed.issued_on,
        start_date: parsed.start,
        end_date: parsed.end,
        planned_scale_down_date: parsed.planned_scale_down,
        agreed_result: parsed.agreed_result,
        predecessor_id: None,
        professional_account_id: None,
        team_id: None,
        contact_rhythm_days: None,
        end_reason: None,
        outcome: None,
    };
    match indication_file::create(&state.store, &user.actor, &new).await {
        Ok(created) => {
            Ok(Redirect::to(&format!("/indications/{}?saved=created", created.id)).into_response())
        }
        Err(e) => {
            let errors = store_field_errors(t, e)?;
            new_form(&state, &user, resident_id, Some(form), errors).await
        }
    }
}

/// The change form: the indication as stored, or as submitted with errors.
async fn edit_form(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    form: Option<IndicationForm>,
    errors: Vec<FieldError>,
) -> Result<Response, AppError> {
    let t = user.t;
    let today = today_nl(state.store.now());
    let d = indication_file::detail(&state.store, &user.actor, id, today)
        .await
        .map_err(|e| AppError::store(e, t))?;
    let (products, providers) = choices(state, t, &d.indication.municipality_code).await?;
    let i = &d.indication;
    Ok(form_response(&IndicationFormPage {
        chrome: Chrome::for_user(
            user,
            t.with("mun-edit-title", &[("name", d.resident_name.clone())]),
            state,
        ),
        action: format!("/indications/{id}/edit"),
        cancel: format!("/indications/{id}"),
        editing: true,
        product_label: format!(
            "{} — {}",
            d.product.product.code.as_str(),
            d.product.product.name
        ),
        products,
        providers,
        form: form.unwrap_or_else(|| IndicationForm {
            csrf_token: String::new(),
            product_code: d.product.product.code.as_str().to_owned(),
            provider_id: i.provider_id.to_string(),
            issued_on: iso(i.issued_on),
            start_date: iso(i.start_date),
            end_date: i.end_date.map(iso).unwrap_or_default(),
            planned_scale_down_date: i.planned_scale_down_date.map(iso).unwrap_or_default(),
            agreed_result: i.agreed_result.clone().unwrap_or_default(),
        }),
        errors,
    }))
}

pub async fn edit_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    require_consultant(&user)?;
    edit_form(&state, &user, id, None, Vec::new()).await
}

pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(form): Form<IndicationForm>,
) -> Result<Response, AppError> {
    user.check_csrf(&form.csrf_token)?;
    require_consultant(&user)?;
    let t = user.t;
    let parsed = match parse_form(t, &form) {
        Ok(p) => p,
        Err(errors) => return edit_form(&state, &user, id, Some(form), errors).await,
    };
    let edit = IndicationEdit {
        provider_id: parsed.provider_id,
        issued_on: parsed.issued_on,
        start_date: parsed.start,
        end_date: parsed.end,
        planned_scale_down_date: parsed.planned_scale_down,
        agreed_result: parsed.agreed_result,
    };
    match indication_file::update(&state.store, &user.actor, id, &edit).await {
        Ok(_) => Ok(Redirect::to(&format!("/indications/{id}?saved=changed")).into_response()),
        Err(e) => {
            let errors = store_field_errors(t, e)?;
            edit_form(&state, &user, id, Some(form), errors).await
        }
    }
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
#[template(path = "indication.html")]
pub struct IndicationPage {
    pub chrome: Chrome,
    pub id: i64,
    pub resident_id: i64,
    pub notice: Option<String>,
    pub errors: Vec<FieldError>,
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
}

impl IndicationPage {
    pub fn error_for(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
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
    id: i64,
    notice: Option<String>,
    errors: Vec<FieldError>,
    extend_reason: String,
) -> Result<Response, AppError> {
    let t = user.t;
    let today = today_nl(state.store.now());
    let d = indication_file::detail(&state.store, &user.actor, id, today)
        .await
        .map_err(|e| AppError::store(e, t))?;
    let i = &d.indication;
    let level = d.product.product.level;
    let mut facts = vec![
        (
            t.get("mun-field-product_code"),
            format!(
                "{} — {} ({})",
                d.product.product.code.as_str(),
                d.product.product.name,
                t.get(&format!("level-{}", level.as_str()))
            ),
        ),
        (t.get("mun-field-provider"), d.provider_name.clone()),
        (t.get("mun-allocation-number"), i.allocation_number.clone()),
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
    if let Some(o) = &i.outcome {
        facts.push((t.get("mun-outcome"), t.get(&format!("outcome-{o}"))));
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
        errors,
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
        extend_reason,
        end_default: iso(end.map_or(today, |e| e.min(today)).max(i.start_date)),
        outcomes: WaakvlamOutcome::ALL
            .iter()
            .map(|o| Choice {
                value: o.as_str().to_owned(),
                label: t.get(&format!("outcome-{}", o.as_str())),
            })
            .collect(),
    };
    let status = if view.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, render(&view)).into_response())
}

pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Query(q): Query<SavedQuery>,
) -> Result<Response, AppError> {
    require_consultant(&user)?;
    let notice = q
        .saved
        .as_deref()
        .filter(|s| ["created", "changed", "extended", "ended"].contains(s))
        .map(|s| user.t.get(&format!("mun-saved-{s}")));
    indication_page(&state, &user, id, notice, Vec::new(), String::new()).await
}

#[derive(Deserialize, Default)]
pub struct ExtendForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    end_date: String,
    #[serde(default)]
    reason: String,
}

pub async fn extend(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(form): Form<ExtendForm>,
) -> Result<Response, AppError> {
    user.check_csrf(&form.csrf_token)?;
    require_consultant(&user)?;
    let t = user.t;
    let new_end = match parse_date(t, "end_date", &form.end_date, true) {
        Ok(Some(d)) => d,
        Ok(None) => return Err(AppError::BadRequest("end_date".into())),
        Err(e) => return indication_page(&state, &user, id, None, vec![e], form.reason).await,
    };
    match indication_file::extend(&state.store, &user.actor, id, new_end, &form.reason).await {
        Ok(_) => Ok(Redirect::to(&format!("/indications/{id}?saved=extended")).into_response()),
        Err(e) => {
            let errors = store_field_errors(t, e)?;
            indication_page(&state, &user, id, None, errors, form.reason).await
        }
    }
}

#[derive(Deserialize, Default)]
pub struct EndForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    end_date: String,
    #[serde(default)]
    outcome: String,
}

pub async fn end(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(form): Form<EndForm>,
) -> Result<Response, AppError> {
    user.check_csrf(&form.csrf_token)?;
    require_consultant(&user)?;
    let t = user.t;
    let end = match parse_date(t, "end_date", &form.end_date, true) {
        Ok(Some(d)) => d,
        Ok(None) => return Err(AppError::BadRequest("end_date".into())),
        Err(e) => return indication_page(&state, &user, id, None, vec![e], String::new()).await,
    };
    let Ok(outcome) = WaakvlamOutcome::parse(&form.outcome) else {
        let e = FieldError {
            field: "outcome".into(),
            message: t.with(
                "mun-field-error",
                &[
                    ("field", t.get("mun-outcome")),
                    ("rule", t.get("mun-rule-choose")),
                ],
            ),
        };
        return indication_page(&state, &user, id, None, vec![e], String::new()).await;
    };
    match requests::end_indication(&state.store, &user.actor, id, end, outcome).await {
        Ok(_) => Ok(Redirect::to(&format!("/indications/{id}?saved=ended")).into_response()),
        Err(e) => {
            let errors = store_field_errors(t, e)?;
            indication_page(&state, &user, id, None, errors, String::new()).await
        }
    }
}
