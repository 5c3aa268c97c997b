//! What forms share: the options of a select, the errors next to their
//! fields, and the store's refusals of input in the user's words.

use waakvlam_store::StoreError;

use crate::i18n::Tr;
use crate::ui::error::AppError;

/// `?done=…` after a form was sent: the page says it worked.
#[derive(serde::Deserialize, Default)]
pub struct DoneQuery {
    #[serde(default)]
    pub done: Option<String>,
}

/// A form with nothing but its CSRF token.
#[derive(serde::Deserialize)]
pub struct NoFields {}

/// One option of a `<select>` (or a radio button).
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

impl Choice {
    pub fn new(value: impl Into<String>, label: impl Into<String>, selected: bool) -> Choice {
        Choice {
            value: value.into(),
            label: label.into(),
            selected,
        }
    }
}

/// A form error tied to the field to correct (`field` may be empty for a
/// problem with the form as a whole).
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// The errors of one form, each next to its field.
#[derive(Default)]
pub struct FormErrors(Vec<FieldError>);

impl FormErrors {
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Adds an error unless the field already has one (the first problem is
    /// the one to fix).
    pub fn add(&mut self, field: &str, message: String) {
        if self.get(field).is_none() {
            self.push(field, message);
        }
    }

    /// Adds an error, also to a field that has one.
    pub fn push(&mut self, field: &str, message: String) {
        self.0.push(FieldError {
            field: field.to_owned(),
            message,
        });
    }

    pub fn insert(&mut self, e: FieldError) {
        self.0.push(e);
    }

    pub fn extend(&mut self, other: FormErrors) {
        self.0.extend(other.0);
    }

    /// (field id, message) for the error summary at the top of the form.
    pub fn summary(&self, prefix: &str) -> Vec<(String, String)> {
        self.0
            .iter()
            .map(|e| (format!("{prefix}-{}", e.field), e.message.clone()))
            .collect()
    }

    pub fn iter(&self) -> std::slice::Iter<'_, FieldError> {
        self.0.iter()
    }
}

impl From<FieldError> for FormErrors {
    fn from(e: FieldError) -> FormErrors {
        FormErrors(vec![e])
    }
}

impl<'a> IntoIterator for &'a FormErrors {
    type Item = &'a FieldError;
    type IntoIter = std::slice::Iter<'a, FieldError>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

/// Input the store refused: the field, and the rule in the store's words.
///
/// Every page reads the store's refusals of input through [`Refusal::of`]
/// and the texts below, so a change to how the store reports them is made
/// here only.
pub struct Refusal {
    pub field: String,
    pub reason: String,
}

impl Refusal {
    /// The store's refusal of input, or the error back when it is another kind.
    pub fn of(e: StoreError) -> Result<Refusal, StoreError> {
        match e {
            StoreError::Invalid { field, reason } => Ok(Refusal { field, reason }),
            other => Err(other),
        }
    }

    /// `field: rule`, as the professional's and consultant's forms show it.
    pub fn plain(&self) -> String {
        format!("{}: {}", self.field, self.reason)
    }

    /// A refused form post that no page re-shows: a plain 400 with the rule.
    pub fn bad_request(e: StoreError) -> AppError {
        match Refusal::of(e) {
            Ok(r) => AppError::BadRequest(r.reason),
            Err(other) => other.into(),
        }
    }

    /// The resident portal's plain-language text (B1) for the refusal.
    pub fn portal_text(&self, t: Tr) -> String {
        let (field, reason) = (self.field.as_str(), self.reason.as_str());
        t.get(&format!(
            "portal-error-{}",
            match (field, reason) {
                ("email", r) if r.contains("professional") => "no-professional",
                ("email", r) if r.contains("another kind") => "email-taken",
                ("email", _) => "email",
                ("name", _) => "name",
                ("password", _) => "password",
                ("code", _) => "code",
                ("professional", r) if r.contains("already") => "helper-current",
                ("professional", _) => "helper",
                (_, r) if r.starts_with("at most") => "too-long",
                _ => "empty",
            }
        ))
    }

    /// The municipality's forms: the field's label and what to do about it.
    pub fn municipal_error(&self, t: Tr) -> FieldError {
        let reason = self.reason.as_str();
        let rule = [
            ("must not be before the start date", "mun-rule-before-start"),
            ("must not be after the end date", "mun-rule-after-end"),
            (
                "a waakvlam indication lasts at most 12 months",
                "mun-rule-waakvlam-12",
            ),
            (
                "required for intensive and individual support",
                "mun-rule-scale-down-required",
            ),
            (
                "must be after the current end date",
                "mun-rule-extend-forward",
            ),
            ("an extension lasts at most 12 months", "mun-rule-extend-12"),
            ("required: say why", "mun-rule-reason"),
            ("say why", "mun-rule-reason"),
            ("must lie within the indication", "mun-rule-within"),
        ]
        .iter()
        .find(|(prefix, _)| reason.starts_with(prefix))
        .map(|(_, key)| t.get(key))
        .unwrap_or_else(|| reason.to_owned());
        municipal_field_error(t, &self.field, rule)
    }

    /// The catalogue's forms: the rule next to the field it is about (an
    /// unknown field next to the product).
    pub fn catalogue_error(&self, errors: &mut FormErrors) {
        const KNOWN: &[&str] = &[
            "product",
            "municipality",
            "year",
            "amount",
            "budget_ceiling",
            "unit_period",
            "valid_from",
            "monthly",
            "code",
            "category",
            "name",
            "level",
        ];
        let field = KNOWN
            .iter()
            .find(|k| **k == self.field.as_str())
            .copied()
            .unwrap_or("product");
        errors.add(field, self.reason.clone());
    }
}

/// "Field: rule" in the municipality's wording.
pub fn municipal_field_error(t: Tr, field: &str, rule: String) -> FieldError {
    FieldError {
        field: field.to_owned(),
        message: t.with(
            "mun-field-error",
            &[
                ("field", t.get(&format!("mun-field-{field}"))),
                ("rule", rule),
            ],
        ),
    }
}
