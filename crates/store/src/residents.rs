//! Residents (inwoners): scoped by tenant, every access logged.

use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use waakvlam_domain::access::AccessAction;
use waakvlam_domain::ids::{Bsn, MunicipalityCode};

use crate::entity::{municipality, resident};
use crate::{Cx, ResidentId, StoreError, StoreResult, millis};
use waakvlam_domain::limits::{self, Refusals, TextClass};
use waakvlam_domain::refusal::{Reason, Refusal};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resident {
    pub id: ResidentId,
    /// Checked on the way out as on the way in; its `Debug` is masked.
    pub bsn: Bsn,
    pub birth_date: NaiveDate,
    pub family_name: String,
    pub name_prefix: Option<String>,
    pub given_names: Option<String>,
    pub initials: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    pub municipality_code: String,
}

impl Resident {
    /// "Jan de Vries": how people address the resident.
    pub fn display_name(&self) -> String {
        display_name(
            self.given_names.as_deref(),
            self.initials.as_deref(),
            self.name_prefix.as_deref(),
            &self.family_name,
        )
    }

    /// "Vries, J. de": how lists sort and show residents.
    pub fn formal_name(&self) -> String {
        formal_name(
            &self.family_name,
            self.initials.as_deref(),
            self.name_prefix.as_deref(),
        )
    }
}

/// "Jan de Vries": the first given name (else the initials), the prefix and
/// the family name.
fn display_name(
    given_names: Option<&str>,
    initials: Option<&str>,
    prefix: Option<&str>,
    family_name: &str,
) -> String {
    let first = given_names
        .and_then(|g| g.split_whitespace().next())
        .or(initials);
    [first, prefix, Some(family_name)]
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The names of a stored resident, for lists and messages that show only a
/// name (no need to check and copy the rest).
impl resident::Model {
    pub(crate) fn display_name(&self) -> String {
        display_name(
            self.given_names.as_deref(),
            self.initials.as_deref(),
            self.name_prefix.as_deref(),
            &self.family_name,
        )
    }

    pub(crate) fn formal_name(&self) -> String {
        formal_name(
            &self.family_name,
            self.initials.as_deref(),
            self.name_prefix.as_deref(),
        )
    }
}

/// "Family, I. prefix", the way lists sort and show residents.
pub(crate) fn formal_name(
    family_name: &str,
    initials: Option<&str>,
    prefix: Option<&str>,
) -> String {
    let mut s = family_name.to_owned();
    let tail = [initials.unwrap_or_default(), prefix.unwrap_or_default()]
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    if !tail.is_empty() {
        s.push_str(", ");
        s.push_str(&tail);
    }
    s
}

impl TryFrom<resident::Model> for Resident {
    type Error = StoreError;

    fn try_from(m: resident::Model) -> StoreResult<Self> {
        // Only checked BSNs are ever stored; a failure here means the row was
        // changed outside Waakvlam. The error names the row, never the number.
        let bsn = Bsn::parse(&m.bsn).map_err(|_| {
            StoreError::Internal(format!("resident {}: the stored BSN fails the check", m.id))
        })?;
        Ok(Resident {
            id: ResidentId::new(m.id),
            bsn,
            birth_date: m.birth_date,
            family_name: m.family_name,
            name_prefix: m.name_prefix,
            given_names: m.given_names,
            initials: m.initials,
            phone: m.phone,
            email: m.email,
            address: m.address,
            municipality_code: m.municipality_code,
        })
    }
}

/// A resident's data as entered or imported; names as iWmo has them.
#[derive(Clone, Debug)]
pub struct NewResident {
    pub bsn: Bsn,
    pub birth_date: NaiveDate,
    pub family_name: String,
    pub name_prefix: Option<String>,
    pub given_names: Option<String>,
    pub initials: Option<String>,
    pub municipality_code: MunicipalityCode,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
}

/// "Jan Pieter" → "J.P.", as iWmo's `Voorletters`.
pub fn initials_of(given_names: &str) -> String {
    given_names
        .split_whitespace()
        .filter_map(|n| n.chars().next())
        .flat_map(|c| c.to_uppercase().chain(std::iter::once('.')))
        .collect()
}

fn non_empty(s: &Option<String>) -> Option<String> {
    s.as_ref()
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

/// The limits a new or updated resident's fields must keep (see
/// `waakvlam_domain::limits`): all refusals at once.
pub(crate) fn check_new(new: &NewResident, today: NaiveDate) -> StoreResult<()> {
    let mut refused = Refusals::new();
    if new.family_name.trim().is_empty() {
        refused.push(Refusal::because("family_name", "name-required"));
    }
    let names = [
        ("family_name", Some(new.family_name.trim()), TextClass::Name),
        ("name_prefix", new.name_prefix.as_deref(), TextClass::Name),
        ("given_names", new.given_names.as_deref(), TextClass::Name),
        ("initials", new.initials.as_deref(), TextClass::Name),
        ("phone", new.phone.as_deref(), TextClass::Name),
        ("email", new.email.as_deref(), TextClass::Line),
        ("address", new.address.as_deref(), TextClass::Line),
    ];
    for (field, value, class) in names {
        if let Some(v) = value {
            refused.check(limits::check_text(field, v.trim(), class));
        }
    }
    refused.check(limits::check_birth_date(
        "birth_date",
        new.birth_date,
        today,
    ));
    Ok(refused.into_result()?)
}

/// The row of a resident new to this installation, as [`upsert`] writes it
/// (also for many at once: `iwmo::bulk`).
pub(crate) fn new_row(new: &NewResident, now: i64) -> resident::ActiveModel {
    let given = non_empty(&new.given_names);
    let initials = non_empty(&new.initials).or_else(|| given.as_deref().map(initials_of));
    resident::ActiveModel {
        bsn: Set(new.bsn.as_str().to_owned()),
        birth_date: Set(new.birth_date),
        family_name: Set(new.family_name.trim().to_owned()),
        name_prefix: Set(non_empty(&new.name_prefix)),
        given_names: Set(given),
        initials: Set(initials),
        phone: Set(non_empty(&new.phone)),
        email: Set(non_empty(&new.email)),
        address: Set(non_empty(&new.address)),
        municipality_code: Set(new.municipality_code.as_str().to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
}

/// Creates the resident, or updates the one with the same BSN. Returns the
/// resident and whether it was created. Logged as a create or update.
pub async fn upsert(cx: &Cx<'_>, new: &NewResident) -> StoreResult<(Resident, bool)> {
    let conn = cx.conn();
    check_new(new, cx.today())?;
    if municipality::Entity::find_by_id(new.municipality_code.as_str().to_owned())
        .one(conn)
        .await?
        .is_none()
    {
        return Err(StoreError::refuse_with(
            "municipality_code",
            Reason::new("unknown-municipality").with("code", new.municipality_code.as_str()),
        ));
    }
    let now = millis(cx.now);
    let existing = resident::Entity::find()
        .filter(resident::Column::Bsn.eq(new.bsn.as_str()))
        .one(conn)
        .await?;
    let (model, created) = match existing {
        Some(m) => {
            let given = non_empty(&new.given_names);
            let initials = non_empty(&new.initials).or_else(|| given.as_deref().map(initials_of));
            let mut am: resident::ActiveModel = m.into();
            am.birth_date = Set(new.birth_date);
            am.family_name = Set(new.family_name.trim().to_owned());
            am.name_prefix = Set(non_empty(&new.name_prefix));
            am.given_names = Set(given);
            am.initials = Set(initials);
            am.municipality_code = Set(new.municipality_code.as_str().to_owned());
            if new.phone.is_some() {
                am.phone = Set(non_empty(&new.phone));
            }
            if new.email.is_some() {
                am.email = Set(non_empty(&new.email));
            }
            if new.address.is_some() {
                am.address = Set(non_empty(&new.address));
            }
            am.updated_at = Set(now);
            (am.update(conn).await?, false)
        }
        None => (new_row(new, now).insert(conn).await?, true),
    };
    let action = if created {
        AccessAction::Create
    } else {
        AccessAction::Update
    };
    cx.log(
        action,
        Some(ResidentId::new(model.id)),
        format!("resident:{}", model.id),
    );
    Ok((model.try_into()?, created))
}

/// Loads one resident the actor may see, and logs the read. A resident
/// outside the actor's tenant is refused (and the attempt logged), whatever
/// the id.
pub async fn get(cx: &Cx<'_>, id: ResidentId) -> StoreResult<Resident> {
    let resident = visible(cx, id, AccessAction::Read).await?;
    cx.log(AccessAction::Read, Some(id), format!("resident:{id}"));
    Ok(resident)
}

/// The resident if the actor may see them (not logged: the caller logs what
/// it shows); a resident outside the actor's tenant is refused and the
/// attempt noted as `action` on `resident:<id>`.
pub(crate) async fn visible(
    cx: &Cx<'_>,
    id: ResidentId,
    action: AccessAction,
) -> StoreResult<Resident> {
    let found = resident::Entity::find_by_id(id.get())
        .filter(cx.actor.tenant.resident_filter())
        .one(cx.conn())
        .await?;
    match found {
        Some(m) => m.try_into(),
        None => {
            let exists = resident::Entity::find_by_id(id.get())
                .one(cx.conn())
                .await?
                .is_some();
            if exists {
                Err(cx.deny(action, Some(id), format!("resident:{id}")))
            } else {
                Err(StoreError::NotFound { what: "resident" })
            }
        }
    }
}

/// Residents the actor may see, optionally filtered by a name fragment,
/// ordered by family name. Not logged: the caller logs the search
/// ([`crate::read::residents::page`] does).
pub(crate) async fn find(
    cx: &Cx<'_>,
    name: Option<&str>,
    limit: u64,
) -> StoreResult<Vec<Resident>> {
    let mut cond = Condition::all().add(cx.actor.tenant.resident_filter());
    if let Some(q) = name.map(str::trim).filter(|q| !q.is_empty()) {
        cond = cond.add(
            Condition::any()
                .add(resident::Column::FamilyName.contains(q))
                .add(resident::Column::GivenNames.contains(q)),
        );
    }
    let rows = resident::Entity::find()
        .filter(cond)
        .order_by_asc(resident::Column::FamilyName)
        .order_by_asc(resident::Column::Id)
        .limit(limit)
        .all(cx.conn())
        .await?;
    rows.into_iter().map(Resident::try_from).collect()
}

/// Residents the actor may see, optionally filtered by a name fragment,
/// ordered by family name. Logged as a search.
pub async fn search(cx: &Cx<'_>, name: Option<&str>, limit: u64) -> StoreResult<Vec<Resident>> {
    let found = find(cx, name, limit).await?;
    let ids = found
        .iter()
        .map(|r| r.id.to_string())
        .collect::<Vec<_>>()
        .join(",");
    cx.log(AccessAction::Search, None, format!("resident:{ids}"));
    Ok(found)
}

/// The id of the resident with this BSN, for imports and seeding (no log:
/// the caller logs what it does with the resident).
pub async fn id_by_bsn(cx: &Cx<'_>, bsn: &Bsn) -> StoreResult<Option<ResidentId>> {
    Ok(resident::Entity::find()
        .filter(resident::Column::Bsn.eq(bsn.as_str()))
        .one(cx.conn())
        .await?
        .map(|r| ResidentId::new(r.id)))
}

/// A new resident as the consultant types them in: checked here, every
/// problem at once, whatever the form checked.
#[derive(Clone, Debug, Default)]
pub struct ResidentInput {
    pub bsn: String,
    /// `None`: not given (or not a date; the form says which).
    pub birth_date: Option<NaiveDate>,
    pub family_name: String,
    pub name_prefix: String,
    pub given_names: String,
    pub initials: String,
    pub municipality_code: String,
    pub phone: String,
    pub email: String,
    pub address: String,
}

/// What registering a resident came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Registration {
    /// The resident is new and was created.
    Created(ResidentId),
    /// A resident with this BSN is already known, within the consultant's
    /// sight: no second one is made, the consultant goes to theirs.
    Known { id: ResidentId, name: String },
}

/// The municipalities the actor registers residents in: a municipality's
/// consultant their own, a region's consultant the region's, an
/// administrator every one; by name.
pub async fn municipalities_in_scope(
    cx: &Cx<'_>,
) -> StoreResult<Vec<crate::organisations::Municipality>> {
    let mut q = municipality::Entity::find();
    if let Some(codes) = crate::catalogue::scope(cx.conn(), cx.actor).await? {
        q = q.filter(municipality::Column::Code.is_in(codes));
    }
    Ok(q.order_by_asc(municipality::Column::Name)
        .all(cx.conn())
        .await?
        .into_iter()
        .map(crate::organisations::Municipality::from)
        .collect())
}

fn optional(s: &str) -> Option<String> {
    Some(s.trim().to_owned()).filter(|v| !v.is_empty())
}

/// The consultant registers a new resident in a municipality of their
/// scope. The BSN is checked (11-check) and looked up without ever leaving
/// the store: a resident the consultant may see already is answered with
/// their id; one outside the consultant's sight is refused without a word
/// about them (not their name, not their municipality), and the attempt is
/// logged as denied, so the form cannot be used to find out who lives where.
pub async fn register(cx: &Cx<'_>, input: &ResidentInput) -> StoreResult<Registration> {
    if !crate::indications::decides_indications(cx.actor) {
        return Err(StoreError::Denied);
    }
    let conn = cx.conn();
    let mut refused = Refusals::new();
    let bsn = match Bsn::parse(input.bsn.trim()) {
        Ok(bsn) => Some(bsn),
        Err(e) => {
            refused.push(waakvlam_domain::refusal::Explain::refuse(&e, "bsn"));
            None
        }
    };
    let family_name = input.family_name.trim();
    if family_name.is_empty() {
        refused.push(Refusal::because("family_name", "name-required"));
    }
    let texts = [
        ("family_name", family_name, TextClass::Name),
        ("name_prefix", input.name_prefix.trim(), TextClass::Name),
        ("given_names", input.given_names.trim(), TextClass::Name),
        ("initials", input.initials.trim(), TextClass::Name),
        ("phone", input.phone.trim(), TextClass::Name),
        ("email", input.email.trim(), TextClass::Line),
        ("address", input.address.trim(), TextClass::Line),
    ];
    for (field, value, class) in texts {
        refused.check(limits::check_text(field, value, class));
    }
    let email = optional(&input.email);
    if let Some(e) = &email
        && let Err(err) = waakvlam_domain::ids::Email::parse(e)
        && !refused.has("email")
    {
        refused.push(waakvlam_domain::refusal::Explain::refuse(&err, "email"));
    }
    match input.birth_date {
        Some(born) => {
            refused.check(limits::check_birth_date("birth_date", born, cx.today()));
        }
        None => refused.push(Refusal::because("birth_date", "birth-date-required")),
    }
    let code = input.municipality_code.trim();
    let in_scope = match crate::catalogue::scope(conn, cx.actor).await? {
        None => municipality::Entity::find_by_id(code.to_owned())
            .one(conn)
            .await?
            .is_some(),
        Some(codes) => codes.iter().any(|c| c == code),
    };
    if !in_scope {
        refused.push(Refusal::because("municipality_code", "municipality-choose"));
    }
    refused.into_result()?;
    let (Some(bsn), Some(birth_date)) = (bsn, input.birth_date) else {
        return Err(StoreError::Internal("checked above".to_owned()));
    };
    if let Some(existing) = resident::Entity::find()
        .filter(resident::Column::Bsn.eq(bsn.as_str()))
        .one(conn)
        .await?
    {
        let id = ResidentId::new(existing.id);
        let visible = resident::Entity::find_by_id(existing.id)
            .filter(cx.actor.tenant.resident_filter())
            .one(conn)
            .await?;
        if let Some(known) = visible {
            cx.log(AccessAction::Search, Some(id), format!("resident:{id}"));
            return Ok(Registration::Known {
                id,
                name: known.formal_name(),
            });
        }
        // Logged against the resident, so their own log shows who tried.
        let _ = cx.deny(AccessAction::Create, Some(id), format!("resident:{id}"));
        return Err(StoreError::conflict(
            "bsn",
            Reason::new("resident-elsewhere"),
        ));
    }
    let municipality_code = MunicipalityCode::parse(code).map_err(|e| {
        StoreError::from(waakvlam_domain::refusal::Explain::refuse(
            &e,
            "municipality_code",
        ))
    })?;
    let (created, _) = upsert(
        cx,
        &NewResident {
            bsn,
            birth_date,
            family_name: family_name.to_owned(),
            name_prefix: optional(&input.name_prefix),
            given_names: optional(&input.given_names),
            initials: optional(&input.initials),
            municipality_code,
            phone: optional(&input.phone),
            email,
            address: optional(&input.address),
        },
    )
    .await?;
    Ok(Registration::Created(created.id))
}
