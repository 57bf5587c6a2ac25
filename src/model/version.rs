//! Which Rasa version the bot is read as, and why.
//!
//! In order: the version the user gave (`--rasa-version`, `rasa-version` in rasalint.toml);
//! a domain file's `version:` key (Rasa 2 and 3 write `"2.0"`, `"3.1"`); slots with
//! `mappings`, which only Rasa 3 has (and requires); otherwise Rasa 1.x, whose Markdown
//! data is all rasalint reads today.

use crate::model::FileParts;
use crate::rasa::RasaVersion;
use crate::source::{FileId, Span};

/// Where the version came from, for messages ("read as Rasa 3.6, because …").
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VersionSource {
    /// Given by the user: the flag or configuration key that gave it.
    Given(String),
    /// A domain file's `version:` value.
    VersionKey { file: FileId, span: Span },
    /// A domain slot's `mappings:` key, which only Rasa 3 domains have.
    SlotMappings { file: FileId, span: Span },
    /// Nothing says otherwise: a Markdown bot.
    Markdown,
}

/// The version the bot is read as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RasaChoice {
    pub version: RasaVersion,
    pub source: VersionSource,
}

impl Default for RasaChoice {
    fn default() -> Self {
        RasaChoice {
            version: RasaVersion::V1,
            source: VersionSource::Markdown,
        }
    }
}

impl RasaChoice {
    /// The version of a bot whose files hold `parts`, unless the user gave one.
    pub fn detect(parts: &[FileParts], given: Option<(RasaVersion, String)>) -> Self {
        if let Some((version, by)) = given {
            return RasaChoice {
                version,
                source: VersionSource::Given(by),
            };
        }
        let domains = || {
            parts
                .iter()
                .enumerate()
                .filter_map(|(i, p)| Some((FileId(i as u32), p.domain.as_deref()?)))
        };
        let from_key = domains().find_map(|(file, domain)| {
            let key = domain.version.as_ref()?;
            Some(RasaChoice {
                version: RasaVersion::parse(&key.name)?,
                source: VersionSource::VersionKey {
                    file,
                    span: key.span.clone(),
                },
            })
        });
        let from_mappings = || {
            domains().find_map(|(file, domain)| {
                let slot = domain
                    .slots
                    .iter()
                    .find_map(|s| s.properties.iter().find(|p| p.name == "mappings"))?;
                Some(RasaChoice {
                    version: RasaVersion::V3,
                    source: VersionSource::SlotMappings {
                        file,
                        span: slot.span.clone(),
                    },
                })
            })
        };
        from_key.or_else(from_mappings).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{Role, parse};

    fn choice(domain: &str, given: Option<(RasaVersion, String)>) -> RasaChoice {
        let (parts, _) = parse(FileId(0), domain, Role::Domain);
        RasaChoice::detect(&[parts], given)
    }

    #[test]
    fn a_given_version_wins() {
        let given = Some((RasaVersion::V2, "--rasa-version".to_string()));
        let found = choice("version: \"3.1\"\n", given);
        assert_eq!(found.version, RasaVersion::V2);
        assert_eq!(found.source, VersionSource::Given("--rasa-version".into()));
    }

    #[test]
    fn a_version_key_names_the_version() {
        let text = "version: \"2.0\"\nintents: [greet]\n";
        let found = choice(text, None);
        assert_eq!(found.version, RasaVersion::V2);
        let VersionSource::VersionKey { span, .. } = found.source else {
            panic!("{found:?}");
        };
        assert_eq!(&text[span], "2.0");
    }

    #[test]
    fn slot_mappings_mean_rasa_3() {
        let text = "slots:\n  city:\n    type: text\n    mappings:\n    - type: from_entity\n      entity: city\n";
        let found = choice(text, None);
        assert_eq!(found.version, RasaVersion::V3);
        assert!(matches!(found.source, VersionSource::SlotMappings { .. }));
    }

    #[test]
    fn a_plain_domain_is_rasa_1() {
        assert_eq!(choice("intents: [greet]\n", None), RasaChoice::default());
        assert_eq!(
            choice("version: \"7.0\"\n", None).version,
            RasaVersion::V1,
            "an unknown version says nothing"
        );
    }
}
