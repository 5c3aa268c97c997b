//! The professional's and team lead's caseload (`/caseload`): who needs
//! attention and why, with filters; the team lead also assigns residents
//! waiting for a professional.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::{NaiveDate, TimeDelta};
use waakvlam_domain::role::Role;
use waakvlam_domain::signal::{Signal, SignalFacts, SignalKind, count_by_kind};
use waakvlam_store::read::caseload;
use waakvlam_store::{IndicationId, ResidentId, indications};

use crate::AppState;
use crate::i18n::Tr;
use crate::ui::error::AppError;
use crate::ui::extract::{Care, CsrfForm, Require, TeamLead};
use crate::ui::form::{Choice, FormErrors};
use crate::ui::format::{date_in_words, date_nl, today_nl};
use crate::ui::routes::Routes;
use crate::ui::{Chrome, render};

pub fn routes() -> Routes {
    Routes::new()
        .route("/caseload", get(page))
        .route("/caseload/assign", post(assign))
}

pub struct CaseloadRow {
    pub resident_id: ResidentId,
    pub name: String,
    pub product_code: String,
    pub product_name: String,
    /// Why the resident stands at this place: the most urgent signal in
    /// short words with its date ("Geen contact sinds 12 november").
    pub why: String,
    pub reasons: Vec<String>,
    /// New resident activity the reader has not seen ("Nieuw bericht").
    pub flags: Vec<String>,
    pub rhythm: String,
    pub end: String,
    pub professional: String,
    /// Handed over to this professional; the note is not read yet.
    pub handed_over: bool,
}

pub struct SignalCount {
    pub kind: &'static str,
    pub label: String,
    pub count: usize,
    pub selected: bool,
}

pub struct UnassignedRow {
    pub indication_id: IndicationId,
    pub name: String,
    pub product_code: String,
    pub start: String,
    /// "sinds 24 november", and whether that is longer than the threshold.
    pub since: String,
    pub late: bool,
    /// "Kies een begeleider" when the form was sent without a choice.
    pub errors: FormErrors,
}

#[derive(Template)]
#[template(path = "caseload/page.html")]
pub struct CaseloadPage {
    pub chrome: Chrome,
    pub intro: String,
    pub team: bool,
    pub notice: Option<String>,
    pub counts: Vec<SignalCount>,
    pub products: Vec<Choice>,
    pub municipalities: Vec<Choice>,
    pub filtered: bool,
    pub showing: String,
    /// How the caseload is ordered, in words, above the list.
    pub order_legend: String,
    pub entries: Vec<CaseloadRow>,
    pub unassigned: Vec<UnassignedRow>,
    pub professionals: Vec<Choice>,
    /// For a team lead: new allocations in the intake inbox, and how many of
    /// them waited too long.
    pub inbox: Option<String>,
    pub inbox_late: Option<String>,
}

impl CaseloadPage {
    /// A filter's options: "all" first.
    fn with_all(&self, options: &[Choice]) -> Vec<Choice> {
        let all = Choice::new(
            "",
            self.chrome.t.get("caseload-filter-all"),
            !options.iter().any(|o| o.selected),
        );
        std::iter::once(all)
            .chain(options.iter().cloned())
            .collect()
    }

    pub fn signal_options(&self) -> Vec<Choice> {
        let counted: Vec<Choice> = self
            .counts
            .iter()
            .map(|c| Choice::new(c.kind, format!("{} ({})", c.label, c.count), c.selected))
            .collect();
        self.with_all(&counted)
    }

    pub fn product_options(&self) -> Vec<Choice> {
        self.with_all(&self.products)
    }

    pub fn municipality_options(&self) -> Vec<Choice> {
        self.with_all(&self.municipalities)
    }

    /// The ids of an assignment form's fields start with this.
    pub fn assign_prefix(&self, row: &UnassignedRow) -> String {
        format!("assign-{}", row.indication_id)
    }

    pub fn assign_label(&self, row: &UnassignedRow) -> String {
        self.chrome
            .t
            .with("caseload-assign-to", &[("name", row.name.clone())])
    }
}

#[derive(serde::Deserialize, Default)]
pub struct CaseloadQuery {
    #[serde(default)]
    signal: String,
    #[serde(default)]
    product: String,
    #[serde(default)]
    municipality: String,
    #[serde(default)]
    assigned: Option<String>,
    /// The assignment form sent without a professional: its error shows.
    #[serde(default)]
    choose: Option<IndicationId>,
}

pub async fn page(
    State(state): State<AppState>,
    user: Require<Care>,
    axum::extract::Query(q): axum::extract::Query<CaseloadQuery>,
) -> Result<Response, AppError> {
    let t = user.t;
    let store = &state.store;
    let team = user.account().role == Role::TeamLead;
    let now = store.now();
    let today = today_nl(now);
    // A team lead sees the whole team, with residents waiting for a
    // professional apart; a professional their own caseload.
    let team_id = if team { user.account().team_id } else { None };
    let caseload::CaseloadPage {
        ranked,
        unassigned,
        municipalities: municipality_names,
        professionals,
        waiting,
        inbox,
        handed_over,
        new_activity,
    } = store
        .read(&user.actor, async |cx| {
            caseload::page(cx, team_id, today).await
        })
        .await?;
    let total = ranked.len();

    let signal = SignalKind::parse(&q.signal).ok();
    let counts = count_by_kind(ranked.iter().map(|r| &r.attention))
        .into_iter()
        .map(|(kind, count)| SignalCount {
            kind: kind.as_str(),
            label: t.get(kind.label_key()),
            count,
            selected: signal == Some(kind),
        })
        .collect();
    let mut products: Vec<Choice> = Vec::new();
    let mut municipalities: Vec<Choice> = Vec::new();
    for r in &ranked {
        let e = &r.facts.entry;
        if !products.iter().any(|p| p.value == e.product_code) {
            products.push(Choice {
                value: e.product_code.clone(),
                label: format!("{} ({})", e.product_name, e.product_code),
                selected: q.product == e.product_code,
            });
        }
        let code = &r.facts.municipality_code;
        if !municipalities.iter().any(|m| &m.value == code) {
            let name = municipality_names
                .iter()
                .find(|m| &m.code == code)
                .map_or(code.clone(), |m| m.name.clone());
            municipalities.push(Choice {
                value: code.clone(),
                label: name,
                selected: &q.municipality == code,
            });
        }
    }
    products.sort_by(|a, b| a.label.cmp(&b.label));
    municipalities.sort_by(|a, b| a.label.cmp(&b.label));

    let entries: Vec<CaseloadRow> = ranked
        .iter()
        .filter(|r| signal.is_none_or(|k| r.attention.has(k)))
        .filter(|r| q.product.is_empty() || r.facts.entry.product_code == q.product)
        .filter(|r| q.municipality.is_empty() || r.facts.municipality_code == q.municipality)
        .map(|r| {
            let e = &r.facts.entry;
            CaseloadRow {
                resident_id: e.resident_id,
                name: e.resident_name.clone(),
                product_code: e.product_code.clone(),
                product_name: e.product_name.clone(),
                why: r
                    .attention
                    .top()
                    .map_or_else(|| t.get("caseload-why-none"), |s| why_here(t, s, today)),
                reasons: r
                    .attention
                    .signals
                    .iter()
                    .map(|s| t.with(s.kind().fluent_key(), &s.args()))
                    .collect(),
                flags: new_activity
                    .get(&e.resident_id)
                    .map(|a| {
                        [
                            (a.message, "caseload-new-message"),
                            (a.help, "caseload-new-help"),
                            (a.proposal, "caseload-new-proposal"),
                        ]
                        .into_iter()
                        .filter(|(new, _)| *new)
                        .map(|(_, key)| t.get(key))
                        .collect()
                    })
                    .unwrap_or_default(),
                rhythm: r
                    .facts
                    .contact_rhythm_days
                    .map(|d| t.with("rhythm-days", &[("days", d.to_string())]))
                    .unwrap_or_default(),
                end: e.end_date.map(date_nl).unwrap_or_else(|| t.get("no-end")),
                professional: e
                    .professional_name
                    .clone()
                    .unwrap_or_else(|| t.get("unassigned")),
                handed_over: handed_over.contains(&e.resident_id),
            }
        })
        .collect();
    // The assign control starts empty (choosing is the team lead's decision)
    // and says how many residents each professional has now.
    let professionals: Vec<Choice> = std::iter::once(Choice::new("", t.get("intake-choose"), true))
        .chain(professionals.into_iter().map(|a| {
            let mut residents: Vec<ResidentId> = ranked
                .iter()
                .filter(|r| r.facts.entry.professional_account_id == Some(a.id))
                .map(|r| r.facts.entry.resident_id)
                .collect();
            residents.sort_unstable();
            residents.dedup();
            Choice::new(
                a.id.to_string(),
                t.with(
                    "caseload-candidate",
                    &[
                        ("name", a.display_name),
                        ("count", residents.len().to_string()),
                    ],
                ),
                false,
            )
        }))
        .collect();
    let (title, intro) = if team {
        (t.get("caseload-title-team"), t.get("caseload-intro-team"))
    } else {
        (
            t.get("caseload-title-professional"),
            t.get("caseload-intro"),
        )
    };
    // After an assignment: say who now has whom, from the data on the page.
    let notice = q
        .assigned
        .as_deref()
        .and_then(|id| id.parse::<i64>().ok())
        .and_then(|id| ranked.iter().find(|r| r.facts.entry.indication_id == id))
        .map(|r| {
            t.with(
                "caseload-assigned",
                &[
                    ("name", r.facts.entry.resident_name.clone()),
                    (
                        "professional",
                        r.facts.entry.professional_name.clone().unwrap_or_default(),
                    ),
                ],
            )
        });
    let filtered = signal.is_some() || !q.product.is_empty() || !q.municipality.is_empty();
    Ok(render(&CaseloadPage {
        chrome: Chrome::for_user(&user, title, &state),
        intro,
        team,
        notice,
        counts,
        products,
        municipalities,
        filtered,
        showing: t.with(
            "caseload-showing",
            &[
                ("shown", entries.len().to_string()),
                ("total", total.to_string()),
            ],
        ),
        order_legend: t.with(
            "caseload-order",
            &[(
                "order",
                SignalKind::ALL
                    .iter()
                    .map(|k| t.get(k.label_key()))
                    .collect::<Vec<_>>()
                    .join(", "),
            )],
        ),
        entries,
        unassigned: unassigned
            .into_iter()
            .map(|f| {
                let (issued, late) = waiting
                    .get(&f.entry.indication_id)
                    .copied()
                    .unwrap_or((f.entry.start_date, false));
                UnassignedRow {
                    indication_id: f.entry.indication_id,
                    name: f.entry.resident_name,
                    product_code: f.entry.product_code,
                    start: date_nl(f.entry.start_date),
                    since: t.with("caseload-waiting-since", &[("date", date_nl(issued))]),
                    late,
                    errors: if q.choose == Some(f.entry.indication_id) {
                        let mut errors = FormErrors::default();
                        errors.add("professional_id", t.get("intake-error-choose"));
                        errors
                    } else {
                        FormErrors::default()
                    },
                }
            })
            .collect(),
        professionals,
        inbox: (team && inbox.0 > 0)
            .then(|| t.with("caseload-inbox", &[("count", inbox.0.to_string())])),
        inbox_late: (team && inbox.1 > 0)
            .then(|| t.with("caseload-inbox-late", &[("count", inbox.1.to_string())])),
    }))
}

/// Why a resident stands where they do: their most urgent signal in short
/// words, with the day it began to count where there is one.
fn why_here(t: Tr, signal: &Signal, today: NaiveDate) -> String {
    let ago = |days: u32| date_in_words(t, today - TimeDelta::days(i64::from(days)), today);
    let (key, args): (&str, Vec<(&'static str, String)>) = match *signal.facts() {
        SignalFacts::BellOpen { open, hours_ago } => (
            "caseload-why-bell_open",
            vec![
                ("count", open.to_string()),
                ("days", (hours_ago / 24).to_string()),
                ("hours", hours_ago.to_string()),
            ],
        ),
        SignalFacts::WellbeingDeclining { trend } => (
            "caseload-why-wellbeing_declining",
            vec![("values", trend.arrows())],
        ),
        SignalFacts::NoContactYet {
            days_since_start, ..
        } => (
            "caseload-why-no_contact_yet",
            vec![("date", ago(days_since_start))],
        ),
        SignalFacts::ContactOverdue { days_ago, .. } => (
            "caseload-why-contact_overdue",
            vec![("date", ago(days_ago))],
        ),
        SignalFacts::CheckInMissed {
            days_ago,
            since_start,
            ..
        } => (
            if since_start {
                "caseload-why-check_in_missed-start"
            } else {
                "caseload-why-check_in_missed"
            },
            vec![("date", ago(days_ago))],
        ),
        SignalFacts::IndicationEnding { days_left, .. } => (
            "caseload-why-indication_ending",
            vec![(
                "date",
                date_in_words(t, today + TimeDelta::days(i64::from(days_left)), today),
            )],
        ),
        SignalFacts::ScaleDownDue { days_ago, .. } => (
            "caseload-why-scale_down_due",
            vec![("days", days_ago.to_string()), ("date", ago(days_ago))],
        ),
    };
    t.with(key, &args)
}

#[derive(serde::Deserialize)]
pub struct AssignForm {
    indication_id: IndicationId,
    #[serde(default)]
    professional_id: String,
}

/// The team lead assigns a professional to a resident waiting for one.
pub async fn assign(
    State(state): State<AppState>,
    CsrfForm(user, form): CsrfForm<TeamLead, AssignForm>,
) -> Result<Response, AppError> {
    let indication = form.indication_id;
    // Sent without a choice: back to the form, which says so at the field.
    let Ok(professional) = form
        .professional_id
        .trim()
        .parse::<waakvlam_store::AccountId>()
    else {
        return Ok(Redirect::to(&format!(
            "/caseload?choose={indication}#assign-{indication}-error-summary"
        ))
        .into_response());
    };
    let updated = state
        .store
        .write(&user.actor, async |cx| {
            indications::assign_professional(cx, indication, professional).await
        })
        .await?;
    Ok(Redirect::to(&format!("/caseload?assigned={}", updated.id)).into_response())
}
