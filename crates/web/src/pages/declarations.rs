//! Declarations (`/declarations`, "Declaraties"): per provider and
//! municipality, what was declared, granted and refused, what waits for an
//! answer, and the budget used against the ceilings; and each refused line
//! with the municipality's reasons. For contract managers, the provider's
//! team leads and administrators, each in their own scope. Figures only:
//! nobody is named, so nothing is written to the access log.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use waakvlam_domain::money::Cents;
use waakvlam_store::declarations::{self, OverviewRow, RefusedLine};

use crate::AppState;
use crate::i18n::Tr;
use crate::ui::error::AppError;
use crate::ui::extract::{DeclarationReader, Require};
use crate::ui::format::date_nl;
use crate::ui::routes::Routes;
use crate::ui::{Chrome, render};

pub fn routes() -> Routes {
    Routes::new().route("/declarations", get(overview))
}

pub struct RowView {
    pub provider: String,
    pub municipality: String,
    pub declarations: usize,
    pub declared: String,
    pub granted: String,
    pub refused: String,
    pub waiting: String,
    /// "€ 114,57 van € 150,00", or empty without hours.
    pub budget: String,
    /// "1 regel afgetopt".
    pub capped: String,
}

pub struct RefusedView {
    pub provider: String,
    pub municipality: String,
    pub declaration: String,
    pub period: String,
    pub reference: String,
    pub product: String,
    pub amount: String,
    pub codes: Vec<String>,
}

fn row(t: Tr, r: OverviewRow) -> RowView {
    RowView {
        provider: r.provider,
        // Codes as written: a Fluent argument would read "0664" as the number 664.
        municipality: format!("{} ({})", r.municipality, r.municipality_code),
        declarations: r.declarations,
        declared: Cents(r.declared).to_string(),
        granted: Cents(r.granted).to_string(),
        refused: Cents(r.refused).to_string(),
        waiting: Cents(r.waiting).to_string(),
        budget: if r.budget_ceilings > 0 || r.budget_used > 0 {
            t.with(
                "decl-budget-of",
                &[
                    ("used", Cents(r.budget_used).to_string()),
                    ("ceiling", Cents(r.budget_ceilings).to_string()),
                ],
            )
        } else {
            String::new()
        },
        capped: if r.capped_lines > 0 {
            t.with("decl-capped", &[("count", r.capped_lines.to_string())])
        } else {
            String::new()
        },
    }
}

fn refused(t: Tr, r: RefusedLine) -> RefusedView {
    RefusedView {
        provider: r.provider,
        municipality: r.municipality_code,
        declaration: r.declaration,
        period: format!("{} – {}", date_nl(r.period_start), date_nl(r.period_end)),
        reference: r.reference,
        product: r.product_code,
        amount: if r.credit {
            t.with("decl-credit", &[("amount", Cents(r.amount).to_string())])
        } else {
            Cents(r.amount).to_string()
        },
        codes: r
            .codes
            .iter()
            .map(|c| format!("{}: {}", c.code(), c.description()))
            .collect(),
    }
}

#[derive(Template)]
#[template(path = "declarations/overview.html")]
pub struct OverviewPage {
    pub chrome: Chrome,
    pub rows: Vec<RowView>,
    pub refused: Vec<RefusedView>,
}

pub async fn overview(
    State(state): State<AppState>,
    user: Require<DeclarationReader>,
) -> Result<Response, AppError> {
    let t = user.t;
    let o = state
        .store
        .read(&user.actor, async |cx| declarations::overview(cx).await)
        .await?;
    Ok(render(&OverviewPage {
        chrome: Chrome::for_user(&user, t.get("decl-title"), &state),
        rows: o.rows.into_iter().map(|r| row(t, r)).collect(),
        refused: o.refused.into_iter().map(|r| refused(t, r)).collect(),
    }))
}
