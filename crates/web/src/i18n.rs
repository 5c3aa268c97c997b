//! UI texts from Fluent files: Dutch is the source, English the second locale.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, static_loader};
use waakvlam_domain::refusal::Reason;

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

    /// Why input was refused, in this language: the area's own wording
    /// (`<area><id>`, e.g. `portal-refusal-` for the resident's B1) when it
    /// has one, else the common `refusal-<id>`. Arguments stay text, so a
    /// code such as 0664 keeps its leading zero.
    pub fn refusal(&self, reason: &Reason, area: Option<&str>) -> String {
        let args: HashMap<Cow<'static, str>, FluentValue<'_>> = reason
            .args
            .iter()
            .map(|(k, v)| (Cow::Borrowed(*k), FluentValue::from(v.as_str())))
            .collect();
        area.and_then(|area| {
            LOCALES.try_lookup_with_args(self.0.id(), &format!("{area}{}", reason.id), &args)
        })
        .unwrap_or_else(|| LOCALES.lookup_with_args(self.0.id(), &reason.message_id(), &args))
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
        let mut seen = std::collections::HashSet::new();
        for file in [
            "main",
            "refusals",
            "catalogue",
            "monitoring",
            "municipal",
            "portal",
            "team",
            "notifications",
        ] {
            let read = |lang: &str| {
                std::fs::read_to_string(format!(
                    "{}/locales/{lang}/{file}.ftl",
                    env!("CARGO_MANIFEST_DIR")
                ))
                .unwrap()
            };
            let (nl, en) = (keys(&read("nl")), keys(&read("en")));
            let missing: Vec<_> = nl.iter().filter(|k| !en.contains(k)).collect();
            assert!(
                missing.is_empty(),
                "{file}: missing English texts: {missing:?}"
            );
            assert_eq!(nl.len(), en.len(), "{file}");
            // One bundle holds every file: a message id used twice (in any
            // file) makes the loader panic at start-up.
            for (lang, keys) in [("nl", nl), ("en", en)] {
                for k in keys {
                    assert!(seen.insert((lang, k.clone())), "{lang}: {k} defined twice");
                }
            }
        }
    }

    #[test]
    fn every_refusal_of_the_domain_and_store_has_a_text() {
        // Every reason id written in the domain or the store (`Reason::new("…")`,
        // `refuse(…, "…")`, `Refusal::because(…, "…")`, a rule violation's id)
        // has a `refusal-` message.
        let ftl = include_str!("../locales/nl/refusals.ftl");
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
        let mut missing = Vec::new();
        for dir in ["domain/src", "store/src"] {
            for entry in std::fs::read_dir(format!("{root}/{dir}")).unwrap() {
                let path = entry.unwrap().path();
                if path.extension().is_none_or(|e| e != "rs") {
                    continue;
                }
                let src = std::fs::read_to_string(&path).unwrap();
                for id in reason_ids(&src) {
                    if !ftl.contains(&format!("\nrefusal-{id} =")) {
                        missing.push(format!("{}: {id}", path.display()));
                    }
                }
            }
        }
        assert!(missing.is_empty(), "no refusal- text for: {missing:?}");
    }

    /// The string literals that name a reason: every one in the arguments of
    /// `Reason::new(`, the first one in those of `RuleViolation::new(` (whose
    /// field is a constant) and of `StoreError::refuse(` and
    /// `Refusal::because(` after its field.
    fn reason_ids(src: &str) -> Vec<String> {
        let mut ids = Vec::new();
        for (marker, after_field) in [
            ("Reason::new(", false),
            ("RuleViolation::new(", false),
            ("StoreError::refuse(", true),
            ("Refusal::because(", true),
        ] {
            for part in src.split(marker).skip(1) {
                let mut args = part.split(')').next().unwrap_or("");
                if after_field {
                    args = args.split_once(',').map_or("", |(_, rest)| rest);
                }
                let literals = args.split('"').skip(1).step_by(2);
                // `Reason::new(match … { … => "id", … })` names one per arm.
                let take = if marker == "Reason::new(" {
                    usize::MAX
                } else {
                    1
                };
                ids.extend(literals.take(take).map(str::to_owned));
            }
        }
        ids
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
