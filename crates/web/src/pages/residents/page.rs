//! The consultant finds a resident (`/residents`) and sees their pathway
//! (`/residents/{id}`); a new indication starts from there.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;
use waakvlam_domain::care::{RequestStatus, ScaleDirection};
use waakvlam_store::{IndicationId, ResidentId, ScaleRequestId, read};

use crate::AppState;
use crate::ui::error::AppError;
use crate::ui::extract::{Municipal, Require};
use crate::ui::form::DoneQuery;
use crate::ui::format::{date_nl, opt_date, today_nl};
use crate::ui::{Chrome, render};

// --- Residents ---------------------------------------------------------------

pub struct ResidentRow {
    pub id: ResidentId,
    pub name: String,
    pub born: String,
}

#[derive(Template)]
#[template(path = "residents/page.html")]
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
    user: Require<Municipal>,
    Query(q): Query<SearchQuery>,
) -> Result<Response, AppError> {
    let t = user.t;
    let found = state
        .store
        .read(&user.actor, async |cx| {
            read::residents::page(cx, &q.q).await
        })
        .await?;
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
    pub pending_id: Option<ScaleRequestId>,
}

pub struct StepView {
    pub id: IndicationId,
    pub title: String,
    pub period: String,
    pub provider: String,
    pub ended: Option<String>,
    /// How the agreed result was assessed at the end.
    pub result: Option<String>,
    pub linked_from: Option<IndicationId>,
    pub running: bool,
    pub requests: Vec<RequestView>,
}

#[derive(Template)]
#[template(path = "residents/pathway.html")]
pub struct PathwayPage {
    pub chrome: Chrome,
    /// "Ingeschreven" after a registration.
    pub notice: Option<String>,
    pub resident_id: ResidentId,
    pub born: String,
    pub steps: Vec<StepView>,
}

pub async fn pathway_page(
    State(state): State<AppState>,
    user: Require<Municipal>,
    Path(id): Path<ResidentId>,
    Query(done): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let t = user.t;
    let today = today_nl(state.store.now());
    let p = state
        .store
        .read(&user.actor, async |cx| read::pathway::page(cx, id).await)
        .await?;
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
                result: i
                    .result
                    .as_ref()
                    .map(|r| format!("{}. {}", t.get(r.reached.fluent_key()), r.sentence)),
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
            t.with("mun-pathway-title", &[("name", p.resident.display_name())]),
            &state,
        ),
        notice: done
            .done
            .filter(|d| d == "registered")
            .map(|_| t.get("mun-registered")),
        resident_id: id,
        born: t.with("client-born", &[("date", date_nl(p.resident.birth_date))]),
        steps,
    }))
}
