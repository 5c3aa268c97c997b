//! Received messages brought in by hand (`/iwmo/upload`), for a municipality
//! or provider without a transport connection of its own: the files saved
//! from the VECOZO portal or received otherwise are read exactly as
//! `waakvlam iwmo import` reads them — checked against the XSD and the
//! standard's rules, applied whole or not at all, their retour owed — each
//! only when it is addressed to the uploader's own municipality or provider.

use std::sync::Arc;

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use waakvlam_iwmo::read;
use waakvlam_iwmo::retour::RetourCode;
use waakvlam_iwmo::schema::Schemas;
use waakvlam_store::iwmo::inbox::{self, Outcome};
use waakvlam_store::iwmo::{self, Receipt};
use waakvlam_store::{Actor, IwmoMessageId};

use crate::AppState;
use crate::i18n::Tr;
use crate::ui::error::AppError;
use crate::ui::extract::{CsrfUpload, MessageReader, Require};
use crate::ui::form::FormErrors;
use crate::ui::{Chrome, render};

/// What became of one uploaded file, in words.
pub struct FileResult {
    pub file: String,
    /// "WMO301 toewijzing WVL000000017 van 0664", empty when not a message.
    pub message: String,
    pub outcome: String,
    pub ok: bool,
    pub details: Vec<String>,
    /// The message in the log, when it was recorded.
    pub link: Option<IwmoMessageId>,
}

#[derive(Template)]
#[template(path = "iwmo/upload.html")]
pub struct UploadPage {
    pub chrome: Chrome,
    pub errors: FormErrors,
    pub results: Vec<FileResult>,
}

pub async fn form(
    State(state): State<AppState>,
    user: Require<MessageReader>,
) -> Result<Response, AppError> {
    Ok(render(&UploadPage {
        chrome: Chrome::for_user(&user, user.t.get("iwmo-upload-title"), &state),
        errors: FormErrors::default(),
        results: Vec::new(),
    }))
}

fn codes_in_words(codes: &[RetourCode]) -> Vec<String> {
    codes
        .iter()
        .map(|c| format!("{}: {}", c.code(), c.description()))
        .collect()
}

fn result_of(t: Tr, file: String, message: String, receipt: Receipt) -> FileResult {
    let (outcome, ok, details, link) = match receipt {
        Receipt::Applied { message, .. } => (t.get("iwmo-upload-applied"), true, vec![], message),
        Receipt::Rejected {
            message,
            codes,
            why,
        } => {
            let mut details = codes_in_words(&codes);
            details.extend(why);
            (t.get("iwmo-upload-rejected"), false, details, message)
        }
        Receipt::AlreadyRead { message } => (t.get("iwmo-upload-again"), true, vec![], message),
        Receipt::Declared {
            message,
            granted,
            refused,
            ..
        } => (
            // Counts as written: Fluent would format them as numbers anyway.
            format!(
                "{} {granted}, {} {refused}",
                t.get("iwmo-upload-granted"),
                t.get("iwmo-upload-refused")
            ),
            refused == 0,
            vec![],
            message,
        ),
        Receipt::Answered {
            message,
            accepted,
            codes,
            ..
        } => (
            t.get(if accepted {
                "iwmo-upload-answer-accepted"
            } else {
                "iwmo-upload-answer-refused"
            }),
            accepted,
            if accepted {
                vec![]
            } else {
                codes_in_words(&codes)
            },
            message,
        ),
    };
    FileResult {
        file,
        message,
        outcome,
        ok,
        details,
        link: Some(link),
    }
}

pub async fn upload(
    State(state): State<AppState>,
    CsrfUpload(user, files): CsrfUpload<MessageReader>,
) -> Result<Response, AppError> {
    let t = user.t;
    let page = |errors, results| {
        Ok(render(&UploadPage {
            chrome: Chrome::for_user(&user, t.get("iwmo-upload-title"), &state),
            errors,
            results,
        }))
    };
    if files.is_empty() {
        let mut errors = FormErrors::default();
        errors.add("files", t.get("iwmo-upload-none"));
        return page(errors, Vec::new());
    }
    // Only what is addressed to the uploader's own organisation is read; the
    // rest is named and left alone (nothing recorded, nothing answered).
    let mut results: Vec<Option<FileResult>> = Vec::new();
    let mut names = Vec::new();
    let mut docs = Vec::new();
    for file in files {
        let header = std::str::from_utf8(&file.bytes)
            .ok()
            .and_then(|x| read::parse(x).and_then(|d| read::header(&d)).ok());
        if let Some(h) = header {
            let receiver = h.receiver.clone();
            let ours = state
                .store
                .read(&user.actor, async |cx| {
                    iwmo::addressed_to_reader(cx, &receiver).await
                })
                .await?;
            if !ours {
                results.push(Some(FileResult {
                    message: describe(t, &h),
                    file: file.name,
                    outcome: t.with("iwmo-upload-not-ours", &[("receiver", h.receiver)]),
                    ok: false,
                    details: vec![],
                    link: None,
                }));
                continue;
            }
        }
        results.push(None);
        names.push(file.name);
        docs.push(file.bytes);
    }
    let schemas = Arc::new(Schemas::unpack()?);
    let actor = Actor::system_for(&user.actor, "iWmo-upload");
    let outcomes = inbox::receive_all(&state.store, &actor, schemas, docs).await?;
    let mut read_ones = names.into_iter().zip(outcomes);
    let results = results
        .into_iter()
        .filter_map(|r| match r {
            Some(r) => Some(r),
            None => read_ones.next().map(|(file, outcome)| match outcome {
                Outcome::Read { header, receipt } => {
                    result_of(t, file, describe(t, &header), receipt)
                }
                Outcome::Unreadable(why) => FileResult {
                    file,
                    message: String::new(),
                    outcome: t.get("iwmo-upload-unreadable"),
                    ok: false,
                    details: vec![why],
                    link: None,
                },
            }),
        })
        .collect();
    page(FormErrors::default(), results)
}

/// "WMO301 toewijzing WVL000000017 van 0664".
fn describe(t: Tr, h: &read::ReceivedHeader) -> String {
    format!(
        "{} {} {} {} {}",
        h.kind.name().to_ascii_uppercase(),
        t.get(&format!("iwmo-kind-{}", h.kind.name())),
        h.identification,
        t.get("iwmo-from"),
        h.sender
    )
}
