//! A small, indenting XML writer: enough for iWmo messages, which are plain
//! nested elements with text (no attributes besides the namespace, no mixed
//! content). Text is escaped here, once, so no message can break its XML.

use std::fmt::Write as _;

/// The namespace of the elements defined in `basisschema.xsd`.
pub(crate) const BASISSCHEMA_NAMESPACE: &str =
    "http://www.istandaarden.nl/iwmo/3_2/basisschema/schema";

pub(crate) struct XmlWriter {
    out: String,
    open: Vec<String>,
}

impl XmlWriter {
    /// Starts a document whose root element `Bericht` is in `namespace` (the
    /// default namespace); elements of the basis schema's complex types are
    /// written with the prefix `iwmo:` (`iwmo:Datum`).
    pub(crate) fn new(namespace: &str) -> Self {
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        let _ = writeln!(
            out,
            "<Bericht xmlns=\"{}\" xmlns:iwmo=\"{BASISSCHEMA_NAMESPACE}\">",
            escape(namespace)
        );
        Self {
            out,
            open: vec!["Bericht".to_owned()],
        }
    }

    fn indent(&mut self) {
        for _ in 0..self.open.len() {
            self.out.push_str("  ");
        }
    }

    pub(crate) fn open(&mut self, name: &str) -> &mut Self {
        self.indent();
        let _ = writeln!(self.out, "<{name}>");
        self.open.push(name.to_owned());
        self
    }

    pub(crate) fn close(&mut self) -> &mut Self {
        if let Some(name) = self.open.pop() {
            self.indent();
            let _ = writeln!(self.out, "</{name}>");
        }
        self
    }

    pub(crate) fn leaf(&mut self, name: &str, text: impl AsRef<str>) -> &mut Self {
        self.indent();
        let _ = writeln!(self.out, "<{name}>{}</{name}>", escape(text.as_ref()));
        self
    }

    pub(crate) fn leaf_opt(&mut self, name: &str, text: Option<impl AsRef<str>>) -> &mut Self {
        if let Some(text) = text {
            self.leaf(name, text);
        }
        self
    }

    /// Closes what is still open and returns the document.
    pub(crate) fn finish(mut self) -> String {
        while !self.open.is_empty() {
            self.close();
        }
        self.out
    }
}

/// Escapes text for element content and attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Control characters other than tab, newline and carriage return
            // are not allowed in XML 1.0 at all: leave them out.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_nesting_closed() {
        let mut w = XmlWriter::new("urn:x");
        w.open("Client").leaf("Naam", "Jansen & <Zn> \"'\u{1}");
        let xml = w.finish();
        assert_eq!(
            xml,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Bericht xmlns=\"urn:x\" xmlns:iwmo=\"http://www.istandaarden.nl/iwmo/3_2/basisschema/schema\">\n  <Client>\n    <Naam>Jansen &amp; &lt;Zn&gt; &quot;&apos;</Naam>\n  </Client>\n</Bericht>\n"
        );
    }
}
