//! The consultant's worklist (`/worklist`): scale requests waiting for a
//! decision, waakvlam indications ending within 60 days (extend or end), and
//! the scale-down inventory of individual and intensive support, grouped by
//! provider, with a one-click request to plan the scale-down.

pub mod requests;
pub mod scale_down;

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;
use waakvlam_domain::calendar::working_days_between;
use waakvlam_domain::care::{ScaleDirection, Urgency};
use waakvlam_domain::product::IntensityLevel;
use waakvlam_store::read::worklist::{self, WorklistIndication};
use waakvlam_store::{IndicationId, ResidentId, ScaleRequestId};

use crate::AppState;
use crate::i18n::Tr;
use crate::ui::error::AppError;
use crate::ui::extract::{Consultant, Require};
use crate::ui::format::{date_nl, today_nl};
use crate::ui::routes::Routes;
use crate::ui::{Chrome, render};

pub fn routes() -> Routes {
    Routes::new()
        .route("/worklist", get(page))
        .route("/worklist/scale-down", post(scale_down::send_inventory))
        .route("/worklist/scale-down/{id}", post(scale_down::ask_to_plan))
        .route("/worklist/requests/{id}", get(requests::show))
        .route("/worklist/requests/{id}/approve", post(requests::approve))
        .route("/worklist/requests/{id}/reject", post(requests::reject))
}

/// How far ahead the ending list looks.
const ENDING_DAYS: u64 = 60;
/// How far ahead the scale-down inventory looks.
const INVENTORY_MONTHS: u32 = 12;

pub struct IndicationRow {
    pub indication_id: IndicationId,
    pub resident_id: ResidentId,
    pub name: String,
    pub product: String,
    pub when: String,
    /// A planned scale-down moment that has passed: said in words, so it
    /// stands out from the ones still to come without relying on colour.
    pub past: Option<String>,
    pub asked: Option<String>,
}

fn indication_row(t: Tr, w: &WorklistIndication, when: Option<chrono::NaiveDate>) -> IndicationRow {
    // Once the provider answered, the answer is what the consultant needs.
    let answer = w
        .planning_answer
        .as_ref()
        .map(|a| match (a.proposed_date, &a.reason) {
            (Some(d), Some(r)) => t.with(
                "mun-planning-proposed-because",
                &[("date", date_nl(d)), ("reason", r.clone())],
            ),
            (Some(d), None) => t.with("mun-planning-proposed", &[("date", date_nl(d))]),
            (None, r) => t.with(
                "mun-planning-not-yet",
                &[("reason", r.clone().unwrap_or_default())],
            ),
        });
    IndicationRow {
        indication_id: w.indication_id,
        resident_id: w.resident_id,
        name: w.resident_name.clone(),
        product: w.product_code.clone(),
        when: when.map(date_nl).unwrap_or_else(|| "—".into()),
        past: None,
        asked: answer.or_else(|| {
            w.planning_requested_at
                .map(|at| t.with("mun-planning-asked", &[("date", date_nl(today_nl(at)))]))
        }),
    }
}

pub struct RequestRow {
    pub id: ScaleRequestId,
    pub name: String,
    pub what: String,
    pub urgent: bool,
    pub start: String,
    pub age: String,
    pub reason: String,
}

#[derive(Template)]
#[template(path = "worklist/page.html")]
pub struct WorklistPage {
    pub chrome: Chrome,
    pub intro: String,
    pub notice: Option<String>,
    pub requests: Vec<RequestRow>,
    pub ending: Vec<IndicationRow>,
    pub inventory: Vec<(String, Vec<IndicationRow>)>,
    pub without_moment: Vec<IndicationRow>,
    pub active: Vec<(String, u64)>,
    /// Allocations no professional took on within the threshold.
    pub unassigned: Vec<UnassignedRow>,
}

pub struct UnassignedRow {
    pub resident_id: ResidentId,
    pub name: String,
    pub what: String,
}

fn level_label(t: Tr, level: IntensityLevel) -> String {
    t.get(&format!("level-{}", level.as_str()))
}

#[derive(Deserialize, Default)]
pub struct WorklistQuery {
    #[serde(default)]
    decided: Option<String>,
    /// After sending the inventory: requests and providers.
    #[serde(default)]
    requests: Option<u32>,
    #[serde(default)]
    providers: Option<u32>,
}

pub async fn page(
    State(state): State<AppState>,
    user: Require<Consultant>,
    axum::extract::Query(q): axum::extract::Query<WorklistQuery>,
) -> Result<Response, AppError> {
    let t = user.t;
    let store = &state.store;
    let today = today_nl(store.now());
    let worklist::WorklistPage {
        requests,
        ending,
        inventory,
        active: mut counts,
        unassigned,
    } = store
        .read(&user.actor, async |cx| {
            worklist::page(cx, today, ENDING_DAYS, INVENTORY_MONTHS).await
        })
        .await?;
    let requests = requests
        .into_iter()
        .map(|r| RequestRow {
            id: r.id,
            name: r.resident_name,
            what: format!(
                "{} → {}",
                t.get(match r.direction {
                    ScaleDirection::Up => "request-up",
                    ScaleDirection::Down => "request-down",
                }),
                r.product_code
                    .unwrap_or_else(|| t.get("request-end-support"))
            ),
            urgent: r.urgency == Urgency::Urgent,
            start: date_nl(r.requested_start),
            age: t.with(
                "worklist-age",
                &[(
                    "days",
                    working_days_between(today_nl(r.requested_at), today).to_string(),
                )],
            ),
            reason: r.reason,
        })
        .collect();
    counts.sort_by_key(|(level, _)| match level {
        IntensityLevel::Intensive => 0,
        IntensityLevel::Individual => 1,
        IntensityLevel::Waakvlam => 2,
        IntensityLevel::Other => 3,
    });
    Ok(render(&WorklistPage {
        chrome: Chrome::for_user(&user, t.get("worklist-title"), &state),
        intro: t.with(
            "worklist-intro",
            &[("organisation", user.actor.organisation.clone())],
        ),
        notice: match q.decided.as_deref() {
            Some("approved") => Some(t.get("decide-done-approved")),
            Some("rejected") => Some(t.get("decide-done-rejected")),
            Some("planning") => Some(t.get("mun-planning-done")),
            Some("inventory") => Some(t.with(
                "mun-inventory-sent",
                &[
                    ("requests", q.requests.unwrap_or(0).to_string()),
                    ("providers", q.providers.unwrap_or(0).to_string()),
                ],
            )),
            _ => None,
        },
        requests,
        ending: ending
            .iter()
            .map(|w| indication_row(t, w, w.end_date))
            .collect(),
        inventory: inventory
            .by_provider
            .iter()
            .map(|(provider, list)| {
                (
                    provider.clone(),
                    list.iter()
                        .map(|w| IndicationRow {
                            past: w.planned_scale_down.filter(|d| *d < today).map(|d| {
                                t.with(
                                    "mun-scale-down-past",
                                    &[("days", (today - d).num_days().to_string())],
                                )
                            }),
                            ..indication_row(t, w, w.planned_scale_down)
                        })
                        .collect(),
                )
            })
            .collect(),
        without_moment: inventory
            .without_moment
            .iter()
            .map(|w| indication_row(t, w, w.end_date))
            .collect(),
        active: counts
            .into_iter()
            .map(|(l, n)| (level_label(t, l), n))
            .collect(),
        unassigned: unassigned
            .into_iter()
            .map(|w| UnassignedRow {
                resident_id: w.indication.resident_id,
                what: t.with(
                    "worklist-unassigned-row",
                    &[
                        ("product", w.indication.product_code.clone()),
                        ("provider", w.indication.provider_name.clone()),
                        ("date", date_nl(w.indication.issued_on)),
                        ("days", w.working_days.to_string()),
                    ],
                ),
                name: w.indication.resident_name,
            })
            .collect(),
    }))
}
