//! The page itself and what its forms share.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use serde::Deserialize;
use waakvlam_domain::care::{ContactChannel, RequestStatus, ScaleDirection};
use waakvlam_domain::indication::WaakvlamOutcome;
use waakvlam_domain::plan::{PlanItemKind, ResultReached};
use waakvlam_store::read::resident::{self, TimelineEvent};
use waakvlam_store::{BellId, IndicationId, PlanItemId, ProposalId, ResidentId, StoreError};

use crate::AppState;
use crate::i18n::Tr;
use crate::ui::error::AppError;
use crate::ui::extract::{Care, Require};
use crate::ui::form::{Choice, FailedForm, FormErrors, Refusal};
use crate::ui::format::{date_nl, today_nl, when_nl};
use crate::ui::session::CurrentUser;
use crate::ui::{Chrome, render};

const PER_PAGE: u64 = 20;

pub struct BellView {
    pub id: BellId,
    /// The ids of the resolve form's fields start with this (`bell-7`).
    pub prefix: String,
    pub rung: String,
    pub message: String,
    pub acknowledged: Option<String>,
    /// What was typed as the resolution, when resolving it was refused.
    pub resolution: String,
    pub errors: FormErrors,
}

pub struct TimelineRow {
    pub when: String,
    pub text: String,
    pub detail: Option<String>,
}

/// What the contact form shows (after an error, what was typed).
#[derive(Default, Deserialize)]
pub struct ContactForm {
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub channel: String,
    #[serde(default)]
    pub duration_minutes: String,
    #[serde(default)]
    pub wellbeing: String,
    #[serde(default)]
    pub note: String,
}

/// One of the page's forms, sent and refused, with what was typed in it, so
/// the page shows it again with each error at its field.
pub enum Sent {
    Contact(ContactForm),
    Rhythm {
        every: String,
        unit: String,
    },
    Bell {
        id: BellId,
        resolution: String,
    },
    Scale {
        direction: String,
        product: String,
        start_date: String,
        urgency: String,
        reason: String,
    },
    End {
        end_date: String,
        outcome: String,
        result: String,
        result_note: String,
    },
    /// A new goal or agreement.
    PlanAdd {
        kind: String,
        text: String,
    },
    /// Changing or archiving one plan item.
    PlanItem {
        id: PlanItemId,
        text: String,
        reason: String,
    },
    /// The day delivery began, confirmed.
    DeliveryStart {
        start: String,
    },
    /// Answering one of the resident's proposals.
    Proposal {
        id: ProposalId,
        text: String,
        note: String,
    },
}

impl Sent {
    /// The form's name, which also starts the ids of its fields.
    fn form(&self) -> &'static str {
        match self {
            Sent::Contact(_) => "contact",
            Sent::Rhythm { .. } => "rhythm",
            Sent::Bell { .. } => "bell",
            Sent::Scale { .. } => "scale",
            Sent::End { .. } => "end",
            Sent::PlanAdd { .. } => "plan",
            Sent::PlanItem { .. } => "plan-item",
            Sent::Proposal { .. } => "proposal",
            Sent::DeliveryStart { .. } => "delivery",
        }
    }
}

/// What the page's forms show again after one was refused (see [`Sent`]).
#[derive(Default)]
struct Shown {
    contact: ContactForm,
    rhythm_every: Option<String>,
    rhythm_unit: Option<String>,
    delivery_start: Option<String>,
    bell: Option<(BellId, String)>,
    direction: Option<String>,
    product: Option<String>,
    start_date: Option<String>,
    urgency: Option<String>,
    reason: String,
    end_date: Option<String>,
    outcome: Option<String>,
    result: Option<String>,
    result_note: String,
    plan_kind: Option<String>,
    plan_text: String,
    /// The plan item whose form was refused: its id, text and reason.
    plan_item: Option<(PlanItemId, String, String)>,
    proposal: Option<(ProposalId, String, String)>,
}

/// A refused form: what was sent and why, field by field.
pub struct Refused {
    pub sent: Sent,
    pub errors: FormErrors,
}

#[derive(Template)]
#[template(path = "clients/page.html")]
pub struct ClientPage {
    pub chrome: Chrome,
    /// The running waakvlam indication, which the professional can end.
    pub waakvlam_indication_id: Option<IndicationId>,
    pub outcomes: Vec<Choice>,
    pub resident_id: ResidentId,
    pub born: String,
    pub notice: Option<String>,
    /// The refused form (`contact`, `rhythm`, …) and its errors, in the order
    /// of its fields.
    pub failed: FailedForm,
    /// Its title, above the summary of its errors at the top of the page.
    pub failed_title: String,
    pub signals: Vec<String>,
    pub current: Option<String>,
    pub current_indication_id: Option<IndicationId>,
    /// No support now, but support that ended: asking for it again (a
    /// request for a new allocation, a WMO315 in the chain).
    pub restart_indication_id: Option<IndicationId>,
    pub restart_products: Vec<Choice>,
    pub rhythm: String,
    pub rhythm_every: String,
    pub rhythm_units: Vec<Choice>,
    pub contact_person: String,
    pub last_contact: String,
    pub bells: Vec<BellView>,
    pub pending: Vec<String>,
    /// "The municipality asks you to plan the scale-down."
    pub planning: Option<String>,
    /// The resident no longer shares the plan with this professional.
    pub plan_withheld: bool,
    /// Goals, agreements, archived items and the resident's proposals.
    pub plan: super::plan::PlanViews,
    /// Goal or agreement, for the form that writes a new one.
    pub plan_kinds: Vec<Choice>,
    pub plan_text: String,
    pub progress: Vec<String>,
    /// The agreed result of the current indication, and its scale-down moment.
    pub agreed_result: Option<String>,
    pub scale_down: Option<String>,
    /// When delivery of the current indication began (or that it has not
    /// been told yet), and whether the form to confirm it is shown.
    pub delivery: Option<String>,
    pub delivery_form: bool,
    pub delivery_default: String,
    /// How the agreed result of ended indications was assessed.
    pub past_results: Vec<String>,
    /// Reached, partly, not: for ending a waakvlam.
    pub results: Vec<Choice>,
    pub result_note: String,
    pub today: String,
    pub channels: Vec<Choice>,
    pub form: ContactForm,
    pub directions: Vec<Choice>,
    pub products: Vec<Choice>,
    pub scale_start: String,
    pub urgencies: Vec<Choice>,
    pub scale_reason: String,
    pub end_date: String,
    /// Planned events (dated after now), soonest first.
    pub planned: Vec<TimelineRow>,
    pub timeline: Vec<TimelineRow>,
    pub page: u64,
    pub more: bool,
    /// Messages with the resident and their activation code (portal).
    pub portal: super::messages::ClientPortal,
    /// Hand-overs to this professional not yet marked read: first on the page.
    pub handover: Vec<HandoverView>,
}

/// A hand-over note as the new professional reads it.
pub struct HandoverView {
    /// Who handed the resident over, when, and from whom.
    pub said: String,
    pub note: Option<String>,
}

impl ClientPage {
    /// A contact is logged for today or a day before.
    pub fn date_limits(&self) -> String {
        format!(" max=\"{}\" required", self.today)
    }
}

#[derive(Deserialize, Default)]
pub struct ClientQuery {
    #[serde(default)]
    page: u64,
    #[serde(default)]
    done: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    user: Require<Care>,
    Path(id): Path<ResidentId>,
    Query(q): Query<ClientQuery>,
) -> Result<Response, AppError> {
    let notice = q.done.as_deref().and_then(|k| match k {
        "contact" => Some("client-contact-saved"),
        "rhythm" => Some("client-rhythm-saved"),
        "delivery-start" => Some("client-delivery-saved"),
        "bell" => Some("client-bell-saved"),
        "request" => Some("client-scale-sent"),
        "ended" => Some("client-end-saved"),
        "plan" => Some("client-plan-saved"),
        "plan-archived" => Some("client-plan-archived"),
        "proposal-accepted" => Some("client-proposal-accepted"),
        "proposal-discuss" => Some("client-proposal-discussed"),
        "message" => Some("portal-client-message-sent"),
        _ => None,
    });
    let notice = notice.map(|k| user.t.get(k));
    build(&state, &user, id, q.page, notice, None).await
}

pub(super) async fn build(
    state: &AppState,
    user: &CurrentUser,
    id: ResidentId,
    page: u64,
    notice: Option<String>,
    refused: Option<Refused>,
) -> Result<Response, AppError> {
    let t = user.t;
    let store = &state.store;
    let now = store.now();
    let today = today_nl(now);
    let resident::ResidentPage {
        file,
        timeline,
        current_level,
        attention,
        default_rhythm_days,
        products,
        messages,
        activation_code_waiting,
        handover_notes,
    } = store
        .read(&user.actor, async |cx| {
            resident::page(cx, id, today, page, PER_PAGE).await
        })
        .await?;
    // The same signals as on the caseload, from the same engine.
    let signals = attention
        .map(|a| {
            a.signals
                .iter()
                .map(|s| t.with(s.kind().fluent_key(), &s.args()))
                .collect()
        })
        .unwrap_or_default();
    let (failed, errors, sent) = match refused {
        Some(Refused { sent, errors }) => (sent.form(), errors, Some(sent)),
        None => ("", FormErrors::default(), None),
    };
    // What the forms show: what was sent in the refused one, else defaults.
    let mut shown = Shown::default();
    match sent {
        Some(Sent::Contact(form)) => shown.contact = form,
        Some(Sent::Rhythm { every, unit }) => {
            shown.rhythm_every = Some(every);
            shown.rhythm_unit = Some(unit);
        }
        Some(Sent::Bell { id, resolution }) => shown.bell = Some((id, resolution)),
        Some(Sent::DeliveryStart { start }) => shown.delivery_start = Some(start),
        Some(Sent::Scale {
            direction,
            product,
            start_date,
            urgency,
            reason,
        }) => {
            shown.direction = Some(direction);
            shown.product = Some(product);
            shown.start_date = Some(start_date);
            shown.urgency = Some(urgency);
            shown.reason = reason;
        }
        Some(Sent::End {
            end_date,
            outcome,
            result,
            result_note,
        }) => {
            shown.end_date = Some(end_date);
            shown.outcome = Some(outcome);
            shown.result = Some(result);
            shown.result_note = result_note;
        }
        Some(Sent::PlanAdd { kind, text }) => {
            shown.plan_kind = Some(kind);
            shown.plan_text = text;
        }
        Some(Sent::PlanItem { id, text, reason }) => shown.plan_item = Some((id, text, reason)),
        Some(Sent::Proposal { id, text, note }) => shown.proposal = Some((id, text, note)),
        None => {}
    }
    let chosen_product = shown.product.as_deref();
    let mut products: Vec<Choice> = products
        .into_iter()
        .filter(|p| p.active)
        .map(|p| {
            let code = p.product.code.as_str().to_owned();
            Choice {
                selected: chosen_product == Some(code.as_str()),
                label: format!("{} ({})", p.product.name, code),
                value: code,
            }
        })
        .collect();
    // After the support ended, a request is for a new allocation: of a product.
    let restart_products = products.clone();
    products.push(Choice::new(
        "end",
        t.get("request-end-support"),
        chosen_product == Some("end"),
    ));
    let choices = |options: &[(&str, &str)], chosen: Option<&str>| -> Vec<Choice> {
        options
            .iter()
            .map(|(value, key)| Choice::new(*value, t.get(key), chosen == Some(*value)))
            .collect()
    };
    let directions = choices(
        &[("up", "request-up"), ("down", "request-down")],
        shown.direction.as_deref(),
    );
    let urgencies = choices(
        &[("normal", "urgency-normal"), ("urgent", "urgency-urgent")],
        shown.urgency.as_deref(),
    );
    let rhythm_units = choices(
        &[("days", "unit-days"), ("weeks", "unit-weeks")],
        shown.rhythm_unit.as_deref(),
    );
    let today_iso = today.format("%Y-%m-%d").to_string();
    let scale_start = shown.start_date.unwrap_or_else(|| today_iso.clone());
    let scale_reason = shown.reason;
    let end_date = shown.end_date.unwrap_or_else(|| today_iso.clone());
    let chosen_outcome = shown.outcome;
    let sent_rhythm = shown.rhythm_every;
    let (refused_bell, bell_resolution) = match shown.bell {
        Some((id, resolution)) => (Some(id), resolution),
        None => (None, String::new()),
    };
    let mut form = shown.contact;
    if form.date.is_empty() {
        form.date = today_iso.clone();
    }
    let failed_title = match failed {
        "" => String::new(),
        form => t.get(&format!("client-refused-{form}")),
    };
    // A bell's, plan item's or proposal's errors stand at its own form.
    let (errors, mut bell_errors) = if failed == "bell" {
        (FormErrors::default(), errors)
    } else {
        (errors, FormErrors::default())
    };
    let (mut errors, item_errors) = if failed == "plan-item" || failed == "proposal" {
        (FormErrors::default(), errors)
    } else {
        (errors, FormErrors::default())
    };
    // Errors of an item that is no longer on the plan stand at the top.
    let (plan, leftover) = super::plan::plan_views(
        t,
        &file,
        shown.plan_item.take(),
        shown.proposal.take(),
        item_errors,
    );
    errors.extend(leftover);
    let plan_kinds = PlanItemKind::ALL
        .iter()
        .map(|k| {
            Choice::new(
                k.as_str(),
                t.get(k.fluent_key()),
                shown.plan_kind.as_deref() == Some(k.as_str()),
            )
        })
        .collect();
    let plan_text = std::mem::take(&mut shown.plan_text);
    let mut results = vec![Choice::new("", t.get("result-choose-option"), false)];
    results.extend(ResultReached::ALL.iter().map(|r| {
        Choice::new(
            r.as_str(),
            t.get(r.fluent_key()),
            shown.result.as_deref() == Some(r.as_str()),
        )
    }));
    let result_note = std::mem::take(&mut shown.result_note);
    let (agreed_result, scale_down) = match &file.current {
        Some((i, _)) => (
            Some(
                i.agreed_result
                    .clone()
                    .unwrap_or_else(|| t.get("client-agreed-result-none")),
            ),
            Some(
                i.planned_scale_down_date
                    .map(date_nl)
                    .unwrap_or_else(|| t.get("client-scale-down-none")),
            ),
        ),
        None => (None, None),
    };
    let delivery = file.current.as_ref().map(|(i, _)| match i.delivery_start {
        Some(start) => date_nl(start),
        None => t.get("client-delivery-none"),
    });
    let delivery_form = file
        .current
        .as_ref()
        .is_some_and(|(i, _)| i.delivery_start.is_none());
    let delivery_default = shown
        .delivery_start
        .take()
        .unwrap_or_else(|| today.format("%Y-%m-%d").to_string());
    let past_results = file
        .indications
        .iter()
        .filter_map(|(i, code)| {
            let r = i.result.as_ref()?;
            Some(t.with(
                "client-result-line",
                &[
                    ("product", code.clone()),
                    ("end", i.end_date.map(date_nl).unwrap_or_default()),
                    ("result", t.get(r.reached.fluent_key())),
                    ("sentence", r.sentence.clone()),
                ],
            ))
        })
        .collect();
    let (current, current_id, rhythm, rhythm_every) = match &file.current {
        Some((i, code)) => {
            let default_days = default_rhythm_days.unwrap_or(28);
            let rhythm = match i.contact_rhythm_days {
                Some(d) => t.with("rhythm-days", &[("days", d.to_string())]),
                None => t.with("client-rhythm-none", &[("days", default_days.to_string())]),
            };
            (
                // "from … until …", or "from …, without an end date".
                Some(match i.end_date {
                    Some(end) => t.with(
                        "client-indication",
                        &[
                            ("product", code.clone()),
                            ("start", date_nl(i.start_date)),
                            ("end", date_nl(end)),
                        ],
                    ),
                    None => t.with(
                        "client-indication-open",
                        &[("product", code.clone()), ("start", date_nl(i.start_date))],
                    ),
                }),
                Some(i.id),
                rhythm,
                sent_rhythm.clone().unwrap_or_else(|| {
                    i.contact_rhythm_days
                        .unwrap_or(i32::try_from(default_days).unwrap_or(28))
                        .to_string()
                }),
            )
        }
        None => (None, None, String::new(), "28".to_owned()),
    };
    let selected_channel = if form.channel.is_empty() {
        "phone".to_owned()
    } else {
        form.channel.clone()
    };
    let waakvlam_indication_id = file
        .current
        .as_ref()
        .filter(|_| current_level == Some(waakvlam_domain::product::IntensityLevel::Waakvlam))
        .map(|(i, _)| i.id);
    let handover = handover_notes
        .into_iter()
        .map(|n| {
            let mut args = vec![
                ("by", n.by_name),
                ("name", file.resident.display_name()),
                ("date", crate::ui::format::when_nl(n.at)),
            ];
            let key = match n.from_name {
                Some(from) => {
                    args.push(("from", from));
                    "client-handover-from"
                }
                None => "client-handover-from-none",
            };
            HandoverView {
                said: t.with(key, &args),
                note: n.note,
            }
        })
        .collect();
    let page_view = ClientPage {
        handover,
        // The contact form is enhanced with htmx (in place, focus kept).
        chrome: Chrome {
            htmx: true,
            ..Chrome::for_user(user, file.resident.display_name(), state)
        },
        waakvlam_indication_id,
        // No outcome is chosen for the professional: "Kies…" first.
        outcomes: std::iter::once(Choice::new("", t.get("result-choose-option"), false))
            .chain(WaakvlamOutcome::ALL.iter().map(|o| Choice {
                value: o.as_str().to_owned(),
                label: t.get(o.fluent_key()),
                selected: chosen_outcome.as_deref() == Some(o.as_str()),
            }))
            .collect(),
        resident_id: id,
        born: t.with(
            "client-born",
            &[("date", date_nl(file.resident.birth_date))],
        ),
        notice,
        failed: FailedForm::new(failed, errors),
        failed_title,
        signals,
        current,
        current_indication_id: current_id,
        restart_indication_id: if file.current.is_none() {
            file.indications
                .iter()
                .rev()
                .find(|(i, _)| i.end_date.is_some_and(|e| e < today))
                .map(|(i, _)| i.id)
        } else {
            None
        },
        restart_products,
        rhythm,
        rhythm_every,
        rhythm_units,
        contact_person: file
            .contact_person
            .clone()
            .unwrap_or_else(|| t.get("unassigned")),
        last_contact: file
            .last_contact
            .map(when_nl)
            .unwrap_or_else(|| t.get("client-never")),
        bells: file
            .open_bells
            .iter()
            .map(|b| {
                let refused = refused_bell == Some(b.id);
                BellView {
                    id: b.id,
                    prefix: format!("bell-{}", b.id),
                    rung: t.with("client-bell-rung", &[("when", when_nl(b.rung_at))]),
                    message: b.message.clone().unwrap_or_default(),
                    acknowledged: b
                        .acknowledged_at
                        .map(|a| t.with("client-bell-acknowledged", &[("when", when_nl(a))])),
                    resolution: if refused {
                        bell_resolution.clone()
                    } else {
                        String::new()
                    },
                    errors: if refused {
                        std::mem::take(&mut bell_errors)
                    } else {
                        FormErrors::default()
                    },
                }
            })
            .collect(),
        planning: file.planning_request.as_ref().map(|p| {
            t.with(
                "client-planning-request",
                &[("date", date_nl(today_nl(p.requested_at)))],
            )
        }),
        pending: file
            .pending_requests
            .iter()
            .map(|r| {
                t.with(
                    "request-pending-line",
                    &[
                        ("direction", t.get(direction_key(r.direction))),
                        ("product", r.product_code.clone().unwrap_or_default()),
                        ("start", date_nl(r.requested_start)),
                        ("when", when_nl(r.requested_at)),
                    ],
                )
            })
            .collect(),
        plan_withheld: file.plan_withheld,
        plan,
        plan_kinds,
        plan_text,
        results,
        result_note,
        agreed_result,
        scale_down,
        delivery,
        delivery_form,
        delivery_default,
        past_results,
        progress: file
            .progress
            .iter()
            .map(|p| {
                format!(
                    "{} — {}{}",
                    date_nl(p.at.date_naive()),
                    p.text,
                    p.author
                        .as_ref()
                        .map(|a| format!(" ({a})"))
                        .unwrap_or_default()
                )
            })
            .collect(),
        today: today_iso,
        channels: ContactChannel::ALL
            .iter()
            .map(|c| Choice {
                value: c.as_str().to_owned(),
                label: t.get(c.fluent_key()),
                selected: c.as_str() == selected_channel,
            })
            .collect(),
        form,
        directions,
        products,
        scale_start,
        urgencies,
        scale_reason,
        end_date,
        planned: timeline
            .planned
            .iter()
            .map(|e| timeline_row(t, e))
            .collect(),
        timeline: timeline
            .happened
            .iter()
            .map(|e| timeline_row(t, e))
            .collect(),
        page,
        more: timeline.more,
        portal: super::messages::client_section(user, &messages, activation_code_waiting),
    };
    let status = if page_view.failed.is_failed() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, render(&page_view)).into_response())
}

fn direction_key(d: ScaleDirection) -> &'static str {
    match d {
        ScaleDirection::Up => "request-up",
        ScaleDirection::Down => "request-down",
    }
}

fn timeline_row(t: Tr, item: &resident::TimelineItem) -> TimelineRow {
    let by = |name: &Option<String>| name.as_ref().map(|n| format!(", {n}")).unwrap_or_default();
    let (text, detail) = match &item.event {
        TimelineEvent::Contact {
            channel,
            initiator: _,
            by: who,
            duration_minutes,
            wellbeing,
            note,
        } => {
            let mut parts = Vec::new();
            if let Some(w) = wellbeing {
                parts.push(t.with("tl-wellbeing", &[("wellbeing", w.to_string())]));
            }
            if let Some(m) = duration_minutes {
                parts.push(t.with("tl-minutes", &[("minutes", m.to_string())]));
            }
            if let Some(n) = note {
                parts.push(n.clone());
            }
            (
                t.with(
                    "tl-contact",
                    &[("channel", t.get(channel.fluent_key())), ("by", by(who))],
                ),
                (!parts.is_empty()).then(|| parts.join(" · ")),
            )
        }
        TimelineEvent::CheckIn { wellbeing, note } => (
            t.with("tl-check-in", &[("wellbeing", wellbeing.to_string())]),
            note.clone(),
        ),
        TimelineEvent::BellRung { message } => (t.get("tl-bell-rung"), message.clone()),
        TimelineEvent::BellAcknowledged {
            by: who,
            minutes_to_acknowledge,
        } => (
            t.with(
                "tl-bell-acknowledged",
                &[
                    ("by", by(who)),
                    ("minutes", minutes_to_acknowledge.to_string()),
                ],
            ),
            None,
        ),
        TimelineEvent::BellResolved {
            by: who,
            resolution,
        } => (
            t.with("tl-bell-resolved", &[("by", by(who))]),
            resolution.clone(),
        ),
        TimelineEvent::IndicationStarted { product_code, end } => (
            t.with(
                "tl-indication-started",
                &[("product", product_code.clone())],
            ),
            end.map(|e| format!("→ {}", date_nl(e))),
        ),
        TimelineEvent::IndicationEnded { product_code } => (
            t.with("tl-indication-ended", &[("product", product_code.clone())]),
            None,
        ),
        TimelineEvent::Request {
            direction,
            status,
            reason,
        } => (
            t.with(
                "tl-request",
                &[
                    ("direction", t.get(direction_key(*direction))),
                    (
                        "status",
                        t.get(match status {
                            RequestStatus::Pending => "request-status-pending",
                            RequestStatus::Approved => "request-status-approved",
                            RequestStatus::Rejected => "request-status-rejected",
                        }),
                    ),
                ],
            ),
            Some(reason.clone()),
        ),
        TimelineEvent::PlanChanged { text } => (t.with("tl-plan", &[("text", text.clone())]), None),
    };
    TimelineRow {
        when: when_nl(item.at),
        text,
        detail,
    }
}

/// The store's refusal of a form's input as errors at the form's fields;
/// `rename` maps the store's field names to the form's where they differ.
/// `Err` when the error is not about the input.
pub(super) fn refusal_errors(
    t: Tr,
    e: StoreError,
    rename: &[(&str, &str)],
) -> Result<FormErrors, StoreError> {
    let refusal = Refusal::of(e)?;
    let mut errors = FormErrors::default();
    for r in &refusal.0 {
        let field = rename
            .iter()
            .find(|(from, _)| *from == r.field)
            .map_or(r.field.as_str(), |(_, to)| to);
        errors.add(field, t.refusal(&r.reason, None));
    }
    Ok(errors)
}

/// The answer to a form post: on success back to the page with a notice; a
/// refusal the user can fix shows the page again with what was sent and
/// each error at its field.
pub(super) async fn respond<T>(
    state: &AppState,
    user: &CurrentUser,
    id: ResidentId,
    result: Result<T, StoreError>,
    notice: &str,
    sent: Sent,
    rename: &[(&str, &str)],
) -> Result<Response, AppError> {
    match result {
        Ok(_) => Ok(done(id, notice)),
        Err(e) => {
            let errors = refusal_errors(user.t, e, rename)?;
            refuse(state, user, id, sent, errors).await
        }
    }
}

/// Shows the page again with the refused form.
pub(super) async fn refuse(
    state: &AppState,
    user: &CurrentUser,
    id: ResidentId,
    sent: Sent,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let order: Vec<&str> = FIELDS.iter().map(|(field, _)| *field).collect();
    let t = user.t;
    let errors = errors.in_order(&order).labelled(|field| {
        FIELDS
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, key)| t.get(key))
    });
    build(state, user, id, 0, None, Some(Refused { sent, errors })).await
}

/// The fields of the page's forms, each form's top to bottom, with their
/// labels: the order of a refused form's error summary and how it names them.
const FIELDS: &[(&str, &str)] = &[
    // Contact
    ("date", "client-contact-date"),
    ("channel", "client-contact-channel"),
    ("duration_minutes", "client-contact-duration"),
    ("wellbeing", "client-contact-wellbeing"),
    ("note", "client-contact-note"),
    // Bell
    ("resolution", "client-bell-resolution"),
    // Rhythm
    ("every", "client-rhythm-every"),
    ("unit", "client-rhythm-unit"),
    // Delivery
    ("delivery_start", "client-delivery-day"),
    // Scale request
    ("direction", "client-scale-direction"),
    ("product", "client-scale-product"),
    ("start_date", "client-scale-start"),
    ("urgency", "client-scale-urgency"),
    ("reason", "client-scale-reason"),
    // End
    ("end_date", "client-end-date"),
    ("outcome", "client-end-outcome"),
    ("result", "client-end-result"),
    ("result_note", "client-end-result-note"),
];

pub(super) fn done(id: ResidentId, what: &str) -> Response {
    Redirect::to(&format!("/clients/{id}?done={what}")).into_response()
}
