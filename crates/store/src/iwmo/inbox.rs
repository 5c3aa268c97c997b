//! The one way in for received iWmo messages, for `waakvlam iwmo import`
//! and the upload on `/iwmo` alike: each document is read as an iWmo 3.2
//! message (or named as not one), checked against its XSD — documents of
//! one kind together, in as few xmllint runs as possible — and handed to
//! the reader of its kind: applied whole or not at all (each under a
//! savepoint of its own, [`APPLY_BATCH`] messages a unit of work), with its
//! retour owed.

use std::collections::HashMap;
use std::sync::Arc;

use waakvlam_iwmo::MessageKind;
use waakvlam_iwmo::delivery::ReceivedDelivery;
use waakvlam_iwmo::read::{self, ReceivedHeader};
use waakvlam_iwmo::request::{ReceivedAnswer, ReceivedRequest};
use waakvlam_iwmo::retour::ReceivedRetour;
use waakvlam_iwmo::schema::{SchemaError, Schemas};
use waakvlam_iwmo::wmo301::ReceivedAllocation;
use waakvlam_iwmo::wmo315::ReceivedAllocationRequest;
use waakvlam_iwmo::wmo323::{self, ReceivedDeclaration};

use super::Receipt;
use crate::{Actor, Cx, Store, StoreError};

/// What became of one document.
#[derive(Debug)]
pub enum Outcome {
    /// Read as an iWmo message: what reading it did.
    Read {
        header: ReceivedHeader,
        receipt: Receipt,
    },
    /// Not an iWmo 3.2 message Waakvlam reads, and why (nothing recorded).
    Unreadable(String),
}

/// Why the documents could not be taken in at all.
#[derive(Debug, thiserror::Error)]
pub enum InboxError {
    #[error(transparent)]
    Schema(#[from] SchemaError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What a received message holds, read per kind.
enum Content {
    Allocation(ReceivedAllocation),
    AllocationRequest(ReceivedAllocationRequest),
    Delivery(ReceivedDelivery),
    Retour(ReceivedRetour),
    Answer(wmo323::ReceivedAnswer),
    Request(ReceivedRequest),
    Declaration(ReceivedDeclaration),
    RequestAnswer(ReceivedAnswer),
}

fn content(kind: MessageKind, doc: &roxmltree::Document<'_>) -> Result<Content, String> {
    let read = match kind {
        MessageKind::Wmo301 => ReceivedAllocation::read(doc).map(Content::Allocation),
        MessageKind::Wmo315 => ReceivedAllocationRequest::read(doc).map(Content::AllocationRequest),
        MessageKind::Wmo305 | MessageKind::Wmo307 => {
            ReceivedDelivery::read(doc).map(Content::Delivery)
        }
        MessageKind::Wmo302
        | MessageKind::Wmo306
        | MessageKind::Wmo308
        | MessageKind::Wmo316
        | MessageKind::Wmo318
        | MessageKind::Wmo320 => ReceivedRetour::read(doc).map(Content::Retour),
        MessageKind::Wmo325 => wmo323::ReceivedAnswer::read(doc).map(Content::Answer),
        MessageKind::Wmo323 => ReceivedDeclaration::read(doc).map(Content::Declaration),
        MessageKind::Wmo317 => ReceivedRequest::read(doc).map(Content::Request),
        MessageKind::Wmo319 => ReceivedAnswer::read(doc).map(Content::RequestAnswer),
    };
    read.map_err(|e| e.to_string())
}

/// Takes in `docs` (the bytes of each received file) in their order, as
/// `actor` (the system: the import, or the system on behalf of whoever
/// uploads). An error stops the whole intake only when nothing can be
/// checked (no xmllint) or the database fails; what earlier units of work
/// applied stays applied (reading the same files again then changes
/// nothing for those).
pub async fn receive_all(
    store: &Store,
    actor: &Actor,
    schemas: Arc<Schemas>,
    docs: Vec<Vec<u8>>,
) -> Result<Vec<Outcome>, InboxError> {
    // Read as text and header first; what is not a message is named now.
    let texts: Vec<Result<(String, ReceivedHeader), String>> = docs
        .into_iter()
        .map(|bytes| {
            let xml = String::from_utf8(bytes)
                .map_err(|_| "not UTF-8 text, so not an iWmo message".to_owned())?;
            let header = read::parse(&xml)
                .and_then(|doc| read::header(&doc))
                .map_err(|e| e.to_string())?;
            Ok((xml, header))
        })
        .collect();
    // The XSD checks of the next documents run (in xmllint, beside this
    // process) while this process applies the ones checked before.
    let mut texts = texts.into_iter();
    let mut next = || {
        let chunk: Vec<_> = texts.by_ref().take(CHECK_CHUNK).collect();
        (!chunk.is_empty()).then(|| check(&schemas, chunk))
    };
    let mut checking = next();
    let mut out = Vec::new();
    while let Some(checked) = checking.take() {
        let items = checked
            .await
            .map_err(|e| StoreError::Internal(format!("xmllint run: {e}")))??;
        checking = next();
        for batch in items.chunks(APPLY_BATCH) {
            out.extend(
                store
                    .write(actor, async |cx| apply_batch(cx, batch).await)
                    .await?,
            );
        }
    }
    Ok(out)
}

/// How many documents one XSD check takes on (in runs of xmllint, one per
/// kind): enough that a run's start is a small part of it, few enough that
/// applying them takes about as long as checking the next.
pub const CHECK_CHUNK: usize = 500;

type Checked = tokio::task::JoinHandle<Result<Vec<Item>, InboxError>>;

/// Checks `texts` against their XSDs, one xmllint run per kind, on a
/// thread of its own, and reads what passed: each document as it is now
/// known.
fn check(schemas: &Arc<Schemas>, texts: Vec<Result<(String, ReceivedHeader), String>>) -> Checked {
    let schemas = schemas.clone();
    tokio::task::spawn_blocking(move || {
        let mut verdicts: Vec<Option<Result<(), SchemaError>>> =
            texts.iter().map(|_| None).collect();
        for kind in MessageKind::ALL {
            let of_kind: Vec<(usize, &str)> = texts
                .iter()
                .enumerate()
                .filter_map(|(i, t)| match t {
                    Ok((xml, h)) if h.kind == kind => Some((i, xml.as_str())),
                    _ => None,
                })
                .collect();
            if of_kind.is_empty() {
                continue;
            }
            let docs: Vec<&str> = of_kind.iter().map(|(_, x)| *x).collect();
            let checked = schemas.validate_many(kind, &docs)?;
            for ((i, _), verdict) in of_kind.into_iter().zip(checked) {
                verdicts[i] = Some(verdict);
            }
        }
        texts
            .into_iter()
            .zip(verdicts)
            .map(|(text, verdict)| {
                let (xml, header) = match text {
                    Ok(t) => t,
                    Err(why) => return Ok(Item::Unreadable(why)),
                };
                match verdict {
                    Some(Err(SchemaError::Invalid { complaints, .. })) => {
                        let why = complaints.lines().map(str::to_owned).collect();
                        Ok(Item::Refused { xml, header, why })
                    }
                    Some(Err(e)) => Err(InboxError::from(e)),
                    _ => {
                        let parsed = read::parse(&xml).map_err(|e| e.to_string());
                        Ok(match parsed.and_then(|doc| content(header.kind, &doc)) {
                            Ok(content) => Item::Content {
                                xml,
                                header,
                                content: Box::new(content),
                            },
                            Err(why) => Item::Unreadable(why),
                        })
                    }
                }
            })
            .collect()
    })
}

/// Applies one batch in one unit of work: each run of WMO301s first the
/// fast way (`super::bulk`) as far as it goes, and every other message
/// under a savepoint of its own, in the order received.
async fn apply_batch(cx: &Cx<'_>, batch: &[Item]) -> Result<Vec<Outcome>, StoreError> {
    let mut fast: HashMap<usize, Receipt> = HashMap::new();
    let mut run = Vec::new();
    for (i, item) in batch.iter().enumerate() {
        if let Item::Content { xml, content, .. } = item
            && let Content::Allocation(a) = content.as_ref()
        {
            run.push((i, xml.as_str(), a));
        } else if !run.is_empty() {
            fast.extend(super::bulk::receive_new_allocations(cx, &run).await?);
            run.clear();
        }
    }
    fast.extend(super::bulk::receive_new_allocations(cx, &run).await?);
    // What the fast way left, one by one. (Within a run it goes after the
    // fast ones, which share nothing with it; a run is done before the
    // message after it.)
    let mut outcomes = Vec::with_capacity(batch.len());
    for (i, item) in batch.iter().enumerate() {
        outcomes.push(match item {
            Item::Unreadable(why) => Outcome::Unreadable(why.clone()),
            Item::Refused { xml, header, why } => Outcome::Read {
                header: header.clone(),
                receipt: super::receive_refused(cx, xml, header, why).await?,
            },
            Item::Content {
                xml,
                header,
                content,
            } => Outcome::Read {
                header: header.clone(),
                receipt: match fast.remove(&i) {
                    Some(receipt) => receipt,
                    None => apply(cx, xml, header, content).await?,
                },
            },
        });
    }
    Ok(outcomes)
}

/// How many messages one unit of work applies, each under a savepoint of
/// its own: a durable commit per message would bound an import by the
/// disk's sync rate, while a unit of work this size keeps the writer for
/// no more than a moment.
pub const APPLY_BATCH: usize = 100;

/// A document once read and checked against its XSD.
enum Item {
    /// Not an iWmo 3.2 message Waakvlam reads, and why.
    Unreadable(String),
    /// It failed its XSD: recorded and answered with 0001.
    Refused {
        xml: String,
        header: ReceivedHeader,
        why: Vec<String>,
    },
    /// Valid against its XSD and read: for its reader.
    Content {
        xml: String,
        header: ReceivedHeader,
        content: Box<Content>,
    },
}

/// Applies one message under a savepoint of its own: whole, or (when a
/// rule of this installation refuses a part while applying) not at all,
/// the refusal then recorded and answered.
async fn apply(
    cx: &Cx<'_>,
    xml: &str,
    header: &ReceivedHeader,
    content: &Content,
) -> Result<Receipt, StoreError> {
    let applied = cx
        .savepoint(async |cx| match content {
            Content::Allocation(a) => super::receive_allocation(cx, xml, a).await,
            Content::AllocationRequest(r) => {
                super::request::receive_allocation_request(cx, xml, r).await
            }
            Content::Delivery(d) => super::delivery::receive_delivery(cx, xml, d).await,
            Content::Retour(r) => super::receive_retour(cx, xml, r).await,
            Content::Answer(a) => crate::declarations::receive_answer(cx, xml, a).await,
            Content::Declaration(d) => crate::declarations::receive_declaration(cx, xml, d).await,
            Content::Request(r) => super::request::receive_request(cx, xml, r).await,
            Content::RequestAnswer(a) => super::request::receive_answer(cx, xml, a).await,
        })
        .await;
    match applied {
        Ok(receipt) => Ok(receipt),
        Err(e @ (StoreError::Invalid(_) | StoreError::Conflict(_))) => {
            let why = vec![e.to_string()];
            super::receive_refused(cx, xml, header, &why).await
        }
        Err(e) => Err(e),
    }
}
