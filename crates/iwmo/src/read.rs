//! Reading received messages: which message a document is, its header, and
//! (per message) its content as plain values. Reading assumes the document
//! passed the XSD (`schema`); it still refuses what it cannot use rather
//! than guess, and leaves the standard's content rules to `rules`.

use chrono::NaiveDate;
use roxmltree::{Document, Node};
use thiserror::Error;

use crate::MessageKind;

/// Why a document could not be read as an iWmo 3.2 message.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ReadError {
    #[error("not well-formed XML: {0}")]
    NotXml(String),
    #[error(
        "not an iWmo 3.2 message: the root element is {0}, not Bericht in an iWmo 3.2 message namespace"
    )]
    NotIwmo(String),
    #[error("{0} is missing")]
    Missing(&'static str),
    #[error("{field} has a value that cannot be read: {value:?}")]
    Bad { field: &'static str, value: String },
}

/// The header of a received message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedHeader {
    pub kind: MessageKind,
    /// CBS code or AGB code, as written.
    pub sender: String,
    pub receiver: String,
    pub identification: String,
    pub dated: NaiveDate,
}

/// Parses a document (a `roxmltree` view of it; kept for further reading).
pub fn parse(xml: &str) -> Result<Document<'_>, ReadError> {
    Document::parse(xml).map_err(|e| ReadError::NotXml(e.to_string()))
}

/// Which iWmo 3.2 message the document is, from its root's namespace.
pub fn kind_of(doc: &Document<'_>) -> Result<MessageKind, ReadError> {
    let root = doc.root_element();
    let name = root.tag_name().name();
    let namespace = root.tag_name().namespace().unwrap_or_default();
    if name == "Bericht"
        && let Some(kind) = MessageKind::ALL
            .into_iter()
            .find(|k| k.namespace() == namespace)
    {
        return Ok(kind);
    }
    Err(ReadError::NotIwmo(if namespace.is_empty() {
        name.to_owned()
    } else {
        format!("{{{namespace}}}{name}")
    }))
}

/// The header of a received message.
pub fn header(doc: &Document<'_>) -> Result<ReceivedHeader, ReadError> {
    let kind = kind_of(doc)?;
    let h = child(doc.root_element(), "Header").ok_or(ReadError::Missing("Header"))?;
    let id = child(h, "BerichtIdentificatie").ok_or(ReadError::Missing("BerichtIdentificatie"))?;
    Ok(ReceivedHeader {
        kind,
        sender: required(h, "Afzender")?,
        receiver: required(h, "Ontvanger")?,
        identification: required(id, "Identificatie")?,
        dated: date(id, "Dagtekening")?.ok_or(ReadError::Missing("Dagtekening"))?,
    })
}

/// The first child element of `node` named `name` (any namespace).
pub(crate) fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.children()
        .find(|c| c.is_element() && c.tag_name().name() == name)
}

/// Every child element of `node` named `name`.
pub(crate) fn children<'a, 'i>(
    node: Node<'a, 'i>,
    name: &'static str,
) -> impl Iterator<Item = Node<'a, 'i>> {
    node.children()
        .filter(move |c| c.is_element() && c.tag_name().name() == name)
}

/// The trimmed text of the child `name`, if present and not blank.
pub(crate) fn text(node: Node<'_, '_>, name: &str) -> Option<String> {
    child(node, name)
        .and_then(|c| c.text())
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
}

pub(crate) fn required(node: Node<'_, '_>, name: &'static str) -> Result<String, ReadError> {
    text(node, name).ok_or(ReadError::Missing(name))
}

/// A date child (`2026-12-01`); a `CDT_Geboortedatum`-like wrapper with an
/// `iwmo:Datum` inside is read too.
pub(crate) fn date(node: Node<'_, '_>, name: &'static str) -> Result<Option<NaiveDate>, ReadError> {
    let value = match child(node, name) {
        None => return Ok(None),
        Some(c) => match text(c, "Datum") {
            Some(inner) => inner,
            None => match c.text().map(str::trim).filter(|t| !t.is_empty()) {
                Some(t) => t.to_owned(),
                None => return Ok(None),
            },
        },
    };
    NaiveDate::parse_from_str(&value, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| ReadError::Bad { field: name, value })
}

pub(crate) fn number<T: std::str::FromStr>(
    node: Node<'_, '_>,
    name: &'static str,
) -> Result<Option<T>, ReadError> {
    let Some(value) = text(node, name) else {
        return Ok(None);
    };
    value
        .parse()
        .map(Some)
        .map_err(|_| ReadError::Bad { field: name, value })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_that_is_not_an_iwmo_message_says_what_its_root_is() {
        let doc = parse("<Bericht xmlns=\"urn:other\"/>").unwrap();
        assert_eq!(
            kind_of(&doc),
            Err(ReadError::NotIwmo("{urn:other}Bericht".into()))
        );
        assert!(matches!(parse("<a>"), Err(ReadError::NotXml(_))));
    }
}
