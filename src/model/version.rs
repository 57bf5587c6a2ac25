//! Which Rasa version the bot is read as, and why.
//!
//! In order: the version the user gave (`--rasa-version`, `rasa-version` in rasalint.toml);
//! a domain file's `version:` key (Rasa 2 and 3 write `"2.0"`, `"3.1"`), else a YAML data
//! file's; slots with `mappings`, which only Rasa 3 has (and requires); YAML training data
//! without any of these: Rasa 2 when a slot lacks `mappings` (which Rasa 3 requires) or
//! Markdown training data is there too (only Rasa 2 reads both), else
//! Rasa 3 (a file of responses alone, such as a domain kept under the data folder, says
//! nothing); otherwise Rasa 1.x, which reads only Markdown.

use crate::model::FileParts;
use crate::model::domain::{Name, SlotDecl};
use crate::rasa::RasaVersion;
use crate::source::{FileId, Span};

/// Where the version came from, for messages ("read as Rasa 3.6, because …").
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VersionSource {
    /// Given by the user: the flag or configuration key that gave it.
    Given(String),
    /// A domain file's `version:` value, or (without one) a YAML data file's.
    VersionKey { file: FileId, span: Span },
    /// YAML training data without a version; `markdown` when Markdown training data is
    /// there too, and `slot_without_mappings` when a domain slot has no `mappings` (either
    /// makes the bot one for Rasa 2: only 2.x reads both formats, only 3.x requires
    /// mappings).
    YamlData {
        file: FileId,
        markdown: Option<FileId>,
        slot_without_mappings: Option<(FileId, Span)>,
    },
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
        let data = || {
            parts
                .iter()
                .enumerate()
                .filter_map(|(i, p)| Some((FileId(i as u32), p.yaml.as_deref()?)))
                .filter(|(_, d)| d.has_nlu_key || d.is_stories)
        };
        let domain_key =
            domains().find_map(|(file, domain)| version_key(file, domain.version.as_ref()));
        domain_key
            .or_else(|| data().find_map(|(file, d)| version_key(file, d.version.as_ref())))
            .or_else(|| {
                let (file, span) = slots(parts)
                    .find(|(_, slot)| slot.properties.iter().any(|p| p.name == "mappings"))
                    .map(|(file, slot)| (file, mappings_key(slot)))?;
                Some(RasaChoice {
                    version: RasaVersion::V3,
                    source: VersionSource::SlotMappings { file, span },
                })
            })
            .or_else(|| {
                let (file, _) = data().next()?;
                let slot_without_mappings = slots(parts)
                    .find(|(_, slot)| !slot.properties.iter().any(|p| p.name == "mappings"))
                    .map(|(file, slot)| (file, slot.name.span.clone()));
                let markdown = parts
                    .iter()
                    .position(|p| p.kind().is_some_and(|k| k.is_markdown()))
                    .map(|i| FileId(i as u32));
                let rasa_2 = slot_without_mappings.is_some() || markdown.is_some();
                Some(RasaChoice {
                    version: if rasa_2 {
                        RasaVersion::V2
                    } else {
                        RasaVersion::V3
                    },
                    source: VersionSource::YamlData {
                        file,
                        markdown,
                        slot_without_mappings,
                    },
                })
            })
            .unwrap_or_default()
    }
}

/// The version a `version:` key names, when it names one rasalint knows.
fn version_key(file: FileId, key: Option<&Name>) -> Option<RasaChoice> {
    let key = key?;
    Some(RasaChoice {
        version: RasaVersion::parse(&key.name)?,
        source: VersionSource::VersionKey {
            file,
            span: key.span.clone(),
        },
    })
}

/// Every slot of every domain file, with its file.
fn slots(parts: &[FileParts]) -> impl Iterator<Item = (FileId, &SlotDecl)> {
    parts.iter().enumerate().flat_map(|(i, p)| {
        p.domain
            .iter()
            .flat_map(move |d| d.slots.iter().map(move |s| (FileId(i as u32), s)))
    })
}

/// Where a slot's `mappings` key is written.
fn mappings_key(slot: &SlotDecl) -> Span {
    slot.properties
        .iter()
        .find(|p| p.name == "mappings")
        .map_or_else(|| slot.name.span.clone(), |p| p.span.clone())
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
