//! `rasalint convert`: a Rasa 1.x Markdown bot rewritten as a Rasa 3 YAML bot that Rasa 3.6
//! reads as the same bot Rasa 1.10 read (NLU, stories, responses, domain, config).
//!
//! The converter works from the model the Markdown readers filled (never from a second
//! reading of the text) and writes YAML text; what cannot be carried over faithfully is
//! returned as a finding for a person, never changed silently.
//!
//! Each converted text is read back with rasalint's own Rasa 3.6 readers and compared with
//! what Rasa 1.10 read from the source ([`reading`]): a difference the conversion could
//! not avoid is a note, so the conversion never claims more than it did.
//!
//! The library writes nothing: [`convert`] returns the texts and where they go (relative
//! to the bot's folder), and `src/cli` writes them.

pub mod config;
pub mod domain;
mod edits;
pub mod nlu;
pub mod reading;
pub mod responses;
pub mod stories;
mod yaml_out;

use std::path::{Path, PathBuf};

use crate::model::{FileKind, Project};
use crate::rasa::RasaVersion;
use crate::source::{FileId, Span};

/// Something the converter could not carry over faithfully, or carried over with a change a
/// person must confirm: where it is in the Markdown bot, and what to decide.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub file: FileId,
    /// The source text the note is about, when it is about one place.
    pub span: Option<Span>,
    pub message: String,
}

/// The notes of one file's conversion: what a person must decide, and the changes that
/// keep the bot's meaning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notes {
    pub file: FileId,
    pub needs_person: Vec<Note>,
    pub changed: Vec<Note>,
}

impl Notes {
    pub fn new(file: FileId) -> Self {
        Notes {
            file,
            needs_person: Vec::new(),
            changed: Vec::new(),
        }
    }

    /// Something a person must decide or do.
    pub fn decide(&mut self, span: Option<Span>, message: String) {
        let file = self.file;
        self.needs_person.push(Note {
            file,
            span,
            message,
        });
    }

    /// A change that keeps the bot's meaning, worth knowing.
    pub fn change(&mut self, span: Option<Span>, message: String) {
        let file = self.file;
        self.changed.push(Note {
            file,
            span,
            message,
        });
    }

    /// A note made elsewhere (of this file) that a person must look at.
    pub fn push(&mut self, note: Note) {
        self.needs_person.push(note);
    }

    /// A note made elsewhere of a change that keeps the meaning.
    pub fn push_change(&mut self, note: Note) {
        self.changed.push(note);
    }

    /// Every note: first what a person must decide, then the changes.
    pub fn iter(&self) -> impl Iterator<Item = &Note> {
        self.needs_person.iter().chain(&self.changed)
    }

    pub fn is_empty(&self) -> bool {
        self.needs_person.is_empty() && self.changed.is_empty()
    }

    /// Takes `other`'s notes after these.
    pub fn append(&mut self, other: Notes) {
        self.needs_person.extend(other.needs_person);
        self.changed.extend(other.changed);
    }
}

/// One converted file: where it goes, relative to the bot's folder, and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub relative: PathBuf,
    pub text: String,
    /// The file it was converted from.
    pub source: FileId,
    /// Whether it takes the source's own place (the domain, the config): the source is
    /// rewritten, rather than a new file written beside it.
    pub rewrites_source: bool,
}

/// How much was converted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    pub intents: usize,
    pub examples: usize,
    pub stories: usize,
    pub responses: usize,
    pub slots: usize,
    pub forms: usize,
}

/// What `rasalint convert` does to a bot.
#[derive(Debug, Default)]
pub struct Conversion {
    pub files: Vec<OutputFile>,
    /// What a person must decide or do (the command exits 1 when there are any).
    pub needs_person: Vec<Note>,
    /// Changes that keep the bot's meaning but are worth knowing (a renamed key, an
    /// inlined lookup file).
    pub changed: Vec<Note>,
    pub counts: Counts,
    /// Why there is nothing to convert (the bot is a Rasa 3 bot already).
    pub nothing_to_convert: Option<String>,
    /// Why the bot cannot be converted at all.
    pub refused: Option<String>,
}

impl Conversion {
    /// Adds a file's notes.
    fn take(&mut self, notes: Notes) {
        self.needs_person.extend(notes.needs_person);
        self.changed.extend(notes.changed);
    }
}

/// Reads a bot with Markdown training data as Rasa 1.x, the version it was written for,
/// when only YAML data files beside the Markdown (an earlier conversion's, say) made it a
/// Rasa 2 bot: those files are then no source of the conversion but files it may replace.
/// A domain's `version:` key or slot `mappings` still say Rasa 3 (a converted bot).
pub fn read_as_written(project: &mut Project) {
    use crate::model::version::{RasaChoice, VersionSource};
    if let VersionSource::YamlData {
        markdown: Some(_), ..
    } = project.rasa.source
    {
        let given = (RasaVersion::V1, "its Markdown training data".to_string());
        project.set_rasa(RasaChoice::detect(&project.parts, Some(given)));
    }
}

/// Converts the bot `project` (read as Rasa 1.x) to Rasa 3.
pub fn convert(project: &Project) -> Conversion {
    let mut out = Conversion::default();
    match project.rasa.version {
        RasaVersion::V1 => {}
        RasaVersion::V3 => {
            out.nothing_to_convert = Some(format!(
                "the bot is read as Rasa 3 ({}): nothing to convert",
                why_version(project)
            ));
            return out;
        }
        RasaVersion::V2 => {
            out.refused = Some(format!(
                "the bot is read as Rasa 2 ({}); `rasalint convert` converts Rasa 1.x Markdown bots (Rasa's `rasa data migrate` converts a 2.x domain)",
                why_version(project)
            ));
            return out;
        }
    }
    let mut intents = rustc_hash::FxHashSet::default();
    // The MappingPolicy triggers of every domain file, and the first file that had any.
    let mut triggers: Option<(FileId, Vec<(String, String)>)> = None;
    for (index, parts) in project.parts.iter().enumerate() {
        let id = FileId(index as u32);
        let source = project.file(id);
        let Some(kind) = parts.kind() else {
            continue;
        };
        if !project.reads(id) {
            continue;
        }
        let Some(relative) = relative_in(&project.root, &source.disk_path) else {
            out.needs_person.push(Note {
                file: id,
                span: None,
                message: "this file is outside the bot's folder: not converted; convert it with the bot it belongs to".into(),
            });
            continue;
        };
        match kind {
            FileKind::Nlu => {
                let Some(nlu) = parts.nlu.as_ref() else {
                    continue;
                };
                let converted = nlu::convert_nlu(id, &source.text, nlu, &project.root);
                out.counts.examples += converted.examples;
                intents.extend(
                    nlu.examples
                        .iter()
                        .filter(|e| {
                            nlu.sections[e.section].kind == crate::model::nlu::SectionKind::Intent
                        })
                        .map(|e| e.intent.to_string()),
                );
                let text = yaml_out::guard_ascii_escapes(converted.text);
                out.take(converted.notes);
                let readback = reading::compare_nlu(project, id, &text);
                out.needs_person.extend(readback);
                out.files.push(OutputFile {
                    relative: relative.with_extension("yml"),
                    text,
                    source: id,
                    rewrites_source: false,
                });
            }
            FileKind::Nlg => {
                let Some(responses) = parts.responses.as_ref() else {
                    continue;
                };
                let converted = responses::convert_responses(id, responses);
                out.counts.responses += converted.responses;
                let text = yaml_out::guard_ascii_escapes(converted.text);
                out.take(converted.notes);
                out.needs_person
                    .extend(reading::compare_responses(project, id, &text));
                out.files.push(OutputFile {
                    relative: relative.with_extension("yml"),
                    text,
                    source: id,
                    rewrites_source: false,
                });
            }
            FileKind::Stories => {
                let (files, notes, stories) = convert_story_file(project, id, &relative);
                out.take(notes);
                out.counts.stories += stories;
                out.files.extend(files);
            }
            FileKind::Domain => {
                let Some(domain) = parts.domain.as_deref() else {
                    continue;
                };
                if domain.imported {
                    continue;
                }
                let Some(tree) = domain.tree.as_deref().filter(|_| domain.readable) else {
                    out.needs_person.push(Note {
                        file: id,
                        span: None,
                        message: "the domain cannot be read as YAML: not converted".into(),
                    });
                    continue;
                };
                let converted =
                    domain::convert_domain(id, &source.text, tree, &retrieval_actions(project));
                out.counts.slots += converted.slots;
                out.counts.forms += converted.forms;
                out.counts.responses += converted.responses;
                out.take(converted.notes);
                if !converted.triggers.is_empty() {
                    triggers
                        .get_or_insert((id, Vec::new()))
                        .1
                        .extend(converted.triggers);
                }
                let text = yaml_out::guard_ascii_escapes(converted.text);
                out.needs_person
                    .extend(reading::compare_domain(project, id, &text));
                out.files.push(OutputFile {
                    relative,
                    text,
                    source: id,
                    rewrites_source: true,
                });
            }
            FileKind::Config => {
                let Ok(tree) = crate::yaml::parse(&source.text) else {
                    out.needs_person.push(Note {
                        file: id,
                        span: None,
                        message: "config.yml cannot be read as YAML: not converted".into(),
                    });
                    continue;
                };
                let converted = config::convert_config(id, &source.text, &tree);
                out.take(converted.notes);
                // Written under `--out` even unchanged: the converted bot is whole there.
                out.files.push(OutputFile {
                    relative,
                    text: converted.text,
                    source: id,
                    rewrites_source: true,
                });
            }
            FileKind::YamlData => {}
        }
    }
    out.counts.intents = intents.len();
    if let Some((source, triggers)) = triggers {
        out.files.push(OutputFile {
            relative: PathBuf::from(domain::TRIGGER_RULES_FILE),
            text: yaml_out::guard_ascii_escapes(domain::trigger_rules(&triggers)),
            source,
            rewrites_source: false,
        });
    }
    let has_config = project.config_files().next().is_some();
    if let (false, Some((domain, _))) = (has_config, project.domain_files().next()) {
        missing_config(project, domain, &mut out);
    }
    out
}

/// A bot without `config.yml`: when the domain's folder holds configuration files whose
/// top-level keys do not overlap (`nlu_config.yml` with `language` and `pipeline`,
/// `policy_config.yml` with `policies`, which Rasa 1.x trained with as `rasa train nlu -c`
/// and `rasa train core -c`), `config.yml` is written beside the domain from the two
/// merged, and converted; else a note says to write it.
fn missing_config(project: &Project, domain: FileId, out: &mut Conversion) {
    let domain_path = &project.file(domain).disk_path;
    let folder = domain_path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let others = config_like_files(&folder);
    if others.iter().any(|n| n == "config.yml") {
        let path = crate::load::display_path(&project.root, &folder.join("config.yml"));
        out.needs_person.push(Note {
            file: domain,
            span: None,
            message: format!(
                "the bot's config.yml was not read (Rasa 3 needs one): convert again with `--rasa-config {}`",
                path.display()
            ),
        });
        return;
    }
    // Merged texts that do not read as one YAML document (a `---` in the second) are none.
    let merged = merge_configs(&folder, &others).filter(|m| crate::yaml::parse(m).is_ok());
    let (Some(merged), Some(relative)) = (
        merged,
        relative_in(&project.root, &folder.join("config.yml")),
    ) else {
        let from = if others.is_empty() {
            "from the bot's Rasa 1.x configuration files".to_string()
        } else {
            format!(
                "merging the `language` and `pipeline` and the `policies` of {} (Rasa 1.x trained with them as `--config`), then convert the bot again with `--rasa-config config.yml`",
                others.join(" and ")
            )
        };
        out.needs_person.push(Note {
            file: domain,
            span: None,
            message: format!("the bot has no config.yml (none in its folder, none named with `--rasa-config`): Rasa 3 reads the pipeline and the policies from one config.yml (and `rasa data validate` 3.6 stops without one); write it, {from}"),
        });
        return;
    };
    let Ok(tree) = crate::yaml::parse(&merged) else {
        return;
    };
    let converted = config::convert_config(domain, &merged, &tree);
    out.needs_person.push(Note {
        file: domain,
        span: None,
        message: format!(
            "the bot has no config.yml, which Rasa 3 needs: {} written from {} merged (their keys do not overlap) and converted; check that this is the configuration the bot was trained with",
            relative.display(),
            others.join(" and ")
        ),
    });
    // The config's notes: their places are in the merged text, which has no file.
    let unplaced = |notes: Vec<Note>| notes.into_iter().map(|n| Note { span: None, ..n });
    out.needs_person
        .extend(unplaced(converted.notes.needs_person));
    out.changed.extend(unplaced(converted.notes.changed));
    out.files.push(OutputFile {
        relative,
        text: converted.text,
        source: domain,
        rewrites_source: false,
    });
}

/// The texts of the configuration files `names` of `folder`, one after the other with a
/// comment naming each, when there are two or more, each a mapping, no top-level key in two.
fn merge_configs(folder: &Path, names: &[String]) -> Option<String> {
    if names.len() < 2 {
        return None;
    }
    let mut keys: Vec<String> = Vec::new();
    let mut merged = String::from(
        "# rasalint convert: the Rasa 1.x configuration files of the bot, merged (Rasa 3 reads one config.yml)\n",
    );
    for name in names {
        let bytes = crate::load::read_bounded(&folder.join(name)).ok()?;
        let text = String::from_utf8(bytes).ok()?;
        let tree = crate::yaml::parse(&text).ok()?;
        for (key, _) in tree.as_map()? {
            let key = key.as_str()?.to_string();
            if keys.contains(&key) {
                return None;
            }
            keys.push(key);
        }
        merged.push_str(&format!("# from {name}\n{text}"));
        if !merged.ends_with('\n') {
            merged.push('\n');
        }
    }
    Some(merged)
}

/// The YAML files of `folder` whose name says they are a configuration (`nlu_config.yml`,
/// `policy_config.yml`), sorted: a 1.x bot could split its configuration in two.
fn config_like_files(folder: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| n.contains("config") && (n.ends_with(".yml") || n.ends_with(".yaml")))
        .take(16)
        .collect();
    names.sort();
    names
}

/// The retrieval actions (`utter_faq`) of the bot's retrieval responses (`faq/ask_name`),
/// which Rasa 3 adds to the domain.
fn retrieval_actions(project: &Project) -> rustc_hash::FxHashSet<String> {
    project
        .nlg_files()
        .flat_map(|(_, r)| &r.entries)
        .filter_map(|e| Some(format!("utter_{}", e.key.split_once('/')?.0)))
        .collect()
}

/// Why the bot is read as the Rasa version it is, in a few words.
fn why_version(project: &Project) -> String {
    use crate::model::version::VersionSource;
    let path = |file: &FileId| project.file(*file).path.display().to_string();
    match &project.rasa.source {
        VersionSource::Given(by) => format!("as {by} says"),
        VersionSource::VersionKey { file, .. } => format!("the `version:` key of {}", path(file)),
        VersionSource::YamlData { file, .. } => {
            format!("YAML training data such as {}", path(file))
        }
        VersionSource::SlotMappings { file, .. } => {
            format!("slots with `mappings` in {}", path(file))
        }
        VersionSource::Markdown => "Markdown training data".into(),
    }
}

/// `path` relative to the bot's folder `root`, when it is inside it (by name: `..` and
/// `.` taken out first), and a plain relative path without `..`.
fn relative_in(root: &Path, path: &Path) -> Option<PathBuf> {
    let root = crate::load::lexically_normal(root);
    let path = crate::load::lexically_normal(path);
    let relative = path.strip_prefix(&root).ok()?;
    let plain = relative
        .components()
        .all(|c| matches!(c, std::path::Component::Normal(_)));
    (plain && !relative.as_os_str().is_empty()).then(|| relative.to_path_buf())
}

/// The one place story files are converted: Markdown stories (`## story`, `* intent`,
/// `  - action`) become `<stem>.yml` beside the source; stories with end-to-end turns become
/// test stories in `tests/test_<stem>.yml` under the bot (a `test_` file inside the data
/// would be trained on too, spec §1.5). Returns the files, the notes and the number of
/// stories converted.
pub fn convert_story_file(
    project: &Project,
    file: FileId,
    relative: &Path,
) -> (Vec<OutputFile>, Notes, usize) {
    let converted = stories::convert_story_file(project, file);
    let mut files = Vec::new();
    if let Some(text) = converted.training {
        files.push(OutputFile {
            relative: relative.with_extension("yml"),
            text: yaml_out::guard_ascii_escapes(text),
            source: file,
            rewrites_source: false,
        });
    }
    if let Some(text) = converted.tests {
        let stem = relative.file_stem().unwrap_or_default().to_string_lossy();
        let name = if stem.starts_with("test_") {
            format!("{stem}.yml")
        } else {
            format!("test_{stem}.yml")
        };
        files.push(OutputFile {
            relative: Path::new("tests").join(name),
            text: yaml_out::guard_ascii_escapes(text),
            source: file,
            rewrites_source: false,
        });
    }
    let stories = converted.stories + converted.test_stories;
    (files, converted.notes, stories)
}
