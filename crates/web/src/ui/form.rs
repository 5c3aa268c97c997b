//! What forms share: the options of a select, the errors next to their
//! fields, and the store's refusals of input in the user's words.

use waakvlam_store::StoreError;

use crate::i18n::Tr;

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
#[derive(Clone)]
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
#[derive(Debug)]
pub struct FieldError {
    pub field: String,
    pub message: String,
    /// The field's label, which the error summary puts before the message
    /// where the message does not name the field itself ("Vul dit in.").
    pub label: Option<String>,
}

/// The errors of one form, each next to its field.
#[derive(Default, Debug)]
pub struct FormErrors(Vec<FieldError>);

impl FormErrors {
    /// No errors (usable in a `static`).
    pub const fn none() -> FormErrors {
        FormErrors(Vec::new())
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
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
            label: None,
        });
    }

    pub fn insert(&mut self, e: FieldError) {
        self.0.push(e);
    }

    pub fn extend(&mut self, other: FormErrors) {
        self.0.extend(other.0);
    }

    /// Puts the errors in the order of the form's fields (`fields`, top to
    /// bottom), so the summary reads like the form; errors of fields not
    /// listed keep their order after them.
    pub fn in_order(mut self, fields: &[&str]) -> FormErrors {
        self.0.sort_by_key(|e| {
            fields
                .iter()
                .position(|f| *f == e.field)
                .unwrap_or(fields.len())
        });
        self
    }

    /// Names each error's field in the summary by its label (`label` gives
    /// a field's label, `None` for none).
    pub fn labelled(mut self, label: impl Fn(&str) -> Option<String>) -> FormErrors {
        for e in &mut self.0 {
            e.label = label(&e.field);
        }
        self
    }

    /// (field id, message) for the error summary at the top of the form, in
    /// the order of the form's fields as its template shows them (every form
    /// whose fields are written with a literal prefix, [`field_order`]), so
    /// the summary reads like the form whatever order the checks ran in; the
    /// id is empty for a problem with the form as a whole, which goes first.
    pub fn summary(&self, prefix: &str) -> Vec<(String, String)> {
        let order = field_order(prefix);
        let mut errors: Vec<&FieldError> = self.0.iter().collect();
        errors.sort_by_key(|e| {
            if e.field.is_empty() {
                0
            } else {
                order
                    .iter()
                    .position(|f| *f == e.field)
                    .map_or(order.len() + 1, |p| p + 1)
            }
        });
        errors
            .into_iter()
            .map(|e| {
                let id = if e.field.is_empty() {
                    String::new()
                } else {
                    format!("{prefix}-{}", e.field)
                };
                let message = match &e.label {
                    Some(label) => format!("{label}: {}", e.message),
                    None => e.message.clone(),
                };
                (id, message)
            })
            .collect()
    }

    pub fn iter(&self) -> std::slice::Iter<'_, FieldError> {
        self.0.iter()
    }
}

include!(concat!(env!("OUT_DIR"), "/field_order.rs"));

/// The fields of the form with this prefix, top to bottom as its template
/// shows them (read from the templates by `build.rs`; empty for a form
/// whose prefix is computed).
pub fn field_order(prefix: &str) -> &'static [&'static str] {
    FIELD_ORDER
        .iter()
        .find(|(p, _)| *p == prefix)
        .map_or(&[], |(_, fields)| fields)
}

/// Which form of a page with several forms was sent and refused, and its
/// errors: the page shows them at that form only.
#[derive(Default)]
pub struct FailedForm {
    /// The form's name, which also starts its fields' ids (empty: none).
    pub form: &'static str,
    pub errors: FormErrors,
}

static NO_ERRORS: FormErrors = FormErrors::none();

impl FailedForm {
    pub fn new(form: &'static str, errors: FormErrors) -> FailedForm {
        FailedForm { form, errors }
    }

    /// The errors of one of the page's forms (none unless it was refused).
    pub fn errors_of(&self, form: &str) -> &FormErrors {
        if self.form == form {
            &self.errors
        } else {
            &NO_ERRORS
        }
    }

    pub fn is_failed(&self) -> bool {
        !self.form.is_empty()
    }
}

impl From<FieldError> for FormErrors {
    fn from(e: FieldError) -> FormErrors {
        FormErrors(vec![e])
    }
}

impl From<Vec<FieldError>> for FormErrors {
    fn from(errors: Vec<FieldError>) -> FormErrors {
        FormErrors(errors)
    }
}

impl<'a> IntoIterator for &'a FormErrors {
    type Item = &'a FieldError;
    type IntoIter = std::slice::Iter<'a, FieldError>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

/// Input the store refused: every field with its reason, as message ids
/// (never English text) that the pages below say in the user's language.
///
/// Every page reads the store's refusals of input through [`Refusal::of`]
/// and the texts below, so how a refusal reads is decided here only.
pub struct Refusal(pub Vec<waakvlam_domain::refusal::Refusal>);

impl Refusal {
    /// The store's refusal of input (or clash with what is stored), or the
    /// error back when it is another kind.
    pub fn of(e: StoreError) -> Result<Refusal, StoreError> {
        match e {
            StoreError::Invalid(refusals) => Ok(Refusal(refusals)),
            StoreError::Conflict(refusal) => Ok(Refusal(vec![refusal])),
            other => Err(other),
        }
    }

    /// Every reason in the user's language, one after another, for the
    /// professional's and consultant's forms that show one message.
    pub fn text(&self, t: Tr) -> String {
        self.0
            .iter()
            .map(|r| t.refusal(&r.reason, None))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The resident portal's plain-language text (B1): fewer, plainer
    /// messages than the professionals' (one for every way an e-mail address
    /// can be wrong).
    pub fn portal_text(&self, t: Tr) -> String {
        let key = self
            .0
            .first()
            .map_or("empty", |r| match (r.field.as_str(), r.reason.id) {
                (_, "text-length") => "too-long",
                (_, "text-control") => "control",
                (_, "email-taken") => "email-taken",
                ("email", _) => "email",
                ("name", _) => "name",
                ("password", _) => "password",
                ("code", _) => "code",
                (_, "helper-current") => "helper-current",
                ("professional", _) => "helper",
                _ => "empty",
            });
        t.get(&format!("portal-error-{key}"))
    }

    /// The municipality's forms: each field's label and what to do about it,
    /// in the forms' own wording (`mun-rule-<id>`) where they have one.
    pub fn municipal_errors(&self, t: Tr) -> Vec<FieldError> {
        self.0
            .iter()
            .map(|r| municipal_field_error(t, &r.field, t.refusal(&r.reason, Some("mun-rule-"))))
            .collect()
    }

    /// Each reason next to its field, when the form has that field (`known`),
    /// else next to `fallback`: the forms whose refusal texts say everything
    /// themselves (`refusal-<id>`).
    pub fn errors_at(&self, t: Tr, known: &[&str], fallback: &str) -> FormErrors {
        let mut errors = FormErrors::default();
        for r in &self.0 {
            let field = known
                .iter()
                .find(|k| **k == r.field.as_str())
                .copied()
                .unwrap_or(fallback);
            errors.add(field, t.refusal(&r.reason, None));
        }
        errors
    }

    /// The catalogue's forms: each reason next to the field it is about (an
    /// unknown field next to the product).
    pub fn catalogue_errors(&self, t: Tr, errors: &mut FormErrors) {
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
            "description",
            "criteria",
        ];
        for r in &self.0 {
            let field = KNOWN
                .iter()
                .find(|k| **k == r.field.as_str())
                .copied()
                .unwrap_or("product");
            errors.add(field, t.refusal(&r.reason, Some("cat-refusal-")));
        }
    }
}

/// "Field: rule" in the municipality's wording.
pub fn municipal_field_error(t: Tr, field: &str, rule: String) -> FieldError {
    FieldError {
        field: field.to_owned(),
        label: None,
        message: t.with(
            "mun-field-error",
            &[
                ("field", t.get(&format!("mun-field-{field}"))),
                ("rule", rule),
            ],
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_field_order_is_read_from_the_templates() {
        assert_eq!(
            field_order("contact"),
            ["date", "channel", "duration_minutes", "wellbeing", "note"]
        );
        assert_eq!(field_order("rhythm"), ["every", "unit"]);
        assert!(
            field_order("tariff").len() >= 3,
            "{:?}",
            field_order("tariff")
        );
        assert!(field_order("handover").starts_with(&["from", "resident", "to"]));
        assert!(field_order("no-such-form").is_empty());
    }

    #[test]
    fn the_summary_lists_errors_in_the_order_of_the_form_whatever_the_checks_order() {
        let mut errors = FormErrors::default();
        errors.add("note", "Te lang.".into());
        errors.add("wellbeing", "Kies 1 tot 5.".into());
        errors.add("date", "Vul een datum in.".into());
        errors.add("", "Het formulier is verlopen.".into());
        let ids: Vec<String> = errors
            .summary("contact")
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        assert_eq!(
            ids,
            ["", "contact-date", "contact-wellbeing", "contact-note"]
        );
        // A form the templates do not know keeps the order of its checks.
        let ids: Vec<String> = errors
            .summary("other")
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        assert_eq!(ids, ["", "other-note", "other-wellbeing", "other-date"]);
    }
}
