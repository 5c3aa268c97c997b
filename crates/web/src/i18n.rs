//! UI texts from Fluent files: Dutch is the source, English the second locale.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, static_loader};

static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "nl",
        // No Unicode isolation marks around arguments: they end up in copied
        // text and confuse screen readers in our left-to-right languages.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static NL: LazyLock<LanguageIdentifier> = LazyLock::new(|| "nl".parse().unwrap_or_default());
static EN: LazyLock<LanguageIdentifier> = LazyLock::new(|| "en".parse().unwrap_or_default());

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    #[default]
    Nl,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "nl" => Some(Lang::Nl),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    fn id(self) -> &'static LanguageIdentifier {
        match self {
            Lang::Nl => &NL,
            Lang::En => &EN,
        }
    }
}

/// The translator handed to templates: `{{ t.get("login-title") }}`.
#[derive(Clone, Copy, Debug, Default)]
pub struct Tr(pub Lang);

impl Tr {
    pub fn get(&self, key: &str) -> String {
        LOCALES.lookup(self.0.id(), key)
    }

    pub fn with(&self, key: &str, args: &[(&'static str, String)]) -> String {
        let map: HashMap<Cow<'static, str>, FluentValue<'_>> = args
            .iter()
            .map(|(k, v)| (Cow::Borrowed(*k), FluentValue::try_number(v.as_str())))
            .collect();
        LOCALES.lookup_with_args(self.0.id(), key, &map)
    }

    pub fn lang(&self) -> &'static str {
        self.0.code()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_dutch_key_has_an_english_text() {
        let keys = |src: &str| -> Vec<String> {
            // Message ids start a line; continuation lines are indented.
            src.lines()
                .filter(|l| !l.starts_with(['#', ' ']) && l.contains(" ="))
                .filter_map(|l| l.split(" =").next().map(|k| k.trim().to_owned()))
                .collect()
        };
        let nl = keys(include_str!("../locales/nl/main.ftl"));
        let en = keys(include_str!("../locales/en/main.ftl"));
        let missing: Vec<_> = nl.iter().filter(|k| !en.contains(k)).collect();
        assert!(missing.is_empty(), "missing English texts: {missing:?}");
        assert_eq!(nl.len(), en.len());
    }

    #[test]
    fn looks_up_texts_with_arguments_without_isolation_marks() {
        let t = Tr(Lang::Nl);
        assert_eq!(t.get("login-submit"), "Inloggen");
        assert_eq!(Tr(Lang::En).get("login-submit"), "Log in");
        let s = t.with(
            "logged-in-as",
            &[("name", "Anna".into()), ("role", "teamleider".into())],
        );
        assert_eq!(s, "Ingelogd als Anna (teamleider)");
    }
}
