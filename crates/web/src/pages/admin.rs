//! The administrator's overview of accounts (`/admin`).

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use waakvlam_store::read;

use crate::AppState;
use crate::ui::error::AppError;
use crate::ui::extract::{Admin, Require};
use crate::ui::routes::Routes;
use crate::ui::{Chrome, render};

pub fn routes() -> Routes {
    Routes::new().route("/admin", get(page))
}

pub struct AccountRow {
    pub name: String,
    pub email: String,
    pub role: String,
    pub organisation: String,
    pub active: String,
}

#[derive(Template)]
#[template(path = "admin/page.html")]
pub struct AdminPage {
    pub chrome: Chrome,
    pub accounts: Vec<AccountRow>,
}

pub async fn page(
    State(state): State<AppState>,
    user: Require<Admin>,
) -> Result<Response, AppError> {
    let t = user.t;
    let rows = state
        .store
        .read(&user.actor, async |cx| read::admin::page(cx).await)
        .await?
        .into_iter()
        .map(|row| {
            let a = row.account;
            AccountRow {
                organisation: row.organisation,
                name: a.display_name,
                email: a.email,
                role: t.get(&format!("role-{}", a.role.as_str())),
                active: t.get(if a.active { "yes" } else { "no" }),
            }
        })
        .collect();
    Ok(render(&AdminPage {
        chrome: Chrome::for_user(&user, t.get("admin-title"), &state),
        accounts: rows,
    }))
}
