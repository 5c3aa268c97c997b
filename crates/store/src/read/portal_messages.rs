//! The resident's messages with their professional (`/me/messages`).

use chrono::NaiveDate;
use waakvlam_domain::access::AccessAction;

use crate::care_record::ContactPerson;
use crate::portal::message::{self, Message};
use crate::portal::own_resident;
use crate::{Cx, StoreResult};

/// What `/me/messages` shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessagesPage {
    pub thread: Vec<Message>,
    pub contact: Option<ContactPerson>,
}

/// `/me/messages` for the resident the actor is, on `today`.
pub async fn page(cx: &Cx<'_>, today: NaiveDate) -> StoreResult<MessagesPage> {
    let resident_id = own_resident(cx, AccessAction::Read, "messages")?;
    let thread = message::thread(cx, resident_id).await?;
    let contact = crate::care_record::contact_person(cx, resident_id, today).await?;
    cx.log(
        AccessAction::Read,
        Some(resident_id),
        format!("resident:{resident_id}:messages,contact_person"),
    );
    Ok(MessagesPage { thread, contact })
}
