//! The consultant's form for a new resident (`/residents/new`): the
//! municipalities they register residents in. It shows no personal data, so
//! reading it is not logged.

use crate::organisations::Municipality;
use crate::{Cx, StoreError, StoreResult, residents};

/// What the form shows.
#[derive(Clone, Debug)]
pub struct RegisterFormPage {
    /// The actor's municipalities, by name.
    pub municipalities: Vec<Municipality>,
}

/// The form's data; refused to whoever does not register residents.
pub async fn page(cx: &Cx<'_>) -> StoreResult<RegisterFormPage> {
    if !crate::indications::decides_indications(cx.actor) {
        return Err(StoreError::Denied);
    }
    Ok(RegisterFormPage {
        municipalities: residents::municipalities_in_scope(cx).await?,
    })
}
