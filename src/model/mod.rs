//! The project model: every file as read, folded into one immutable value that rules read.
//!
//! The model's types live here, not in the readers: each surface's reader (Markdown today)
//! fills them, and rules read them without caring which syntax a fact came from.

pub mod config;
pub mod dialogue;
pub mod domain;
pub mod domain_build;
pub mod domain_raw;
pub mod json;
pub mod nlu;
pub mod responses;
pub mod version;

use rustc_hash::{FxHashMap, FxHashSet};
use std::path::PathBuf;

use crate::model::config::ConfigFile;
use crate::model::dialogue::StoryFile;
use crate::model::domain::{DomainFile, Name};
use crate::model::nlu::NluFile;
use crate::model::responses::ResponsesFile;
use crate::source::{FileId, SourceFile, Span};

/// What a file was read as (spec §1: by content, as Rasa 1.10 classifies it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FileKind {
    Nlu,
    Stories,
    /// Retrieval responses (`responses.md`), Rasa's "NLG markdown".
    Nlg,
    Domain,
    Config,
    /// A Rasa 2/3 YAML training-data file: any of `nlu`, `responses`, `stories` and `rules`
    /// (see [`FileParts`] for which it holds).
    YamlData,
}

impl FileKind {
    /// Whether Rasa reads the file as Markdown, line by line, stripping every line (so
    /// whitespace at a line's end or a missing last line break changes nothing it reads).
    pub fn is_markdown(self) -> bool {
        matches!(self, FileKind::Nlu | FileKind::Stories | FileKind::Nlg)
    }
}

/// Why a file could not be read.
#[derive(Debug, Clone, PartialEq)]
pub struct Unreadable {
    pub reason: String,
    /// What Rasa 1.10 would have tried to read it as (it opens stories leniently and fails
    /// later).
    pub kind: Option<FileKind>,
    /// The file could not be read at all, so the run is missing it (a file that is not
    /// UTF-8 is read, and shown).
    pub io_error: bool,
}

/// What one file contributes to the bot.
///
/// A Markdown data file holds one part (NLU, stories or retrieval responses, as Rasa
/// classified it); a Rasa 2/3 YAML data file may hold NLU, stories, rules and responses
/// together. So a file holds parts, not one kind, and rules ask for the parts they read.
/// The domain and configuration are boxed: there are few of them, and a file's parts are
/// kept for every file of the bot.
#[derive(Debug, Clone, Default)]
pub struct FileParts {
    /// What the file was read as; `None` for a file that is no bot data (custom action
    /// code, a Markdown file Rasa does not read) or could not be read.
    kind: Option<FileKind>,
    pub nlu: Option<NluFile>,
    pub stories: Option<StoryFile>,
    pub responses: Option<ResponsesFile>,
    pub domain: Option<Box<DomainFile>>,
    pub config: Option<Box<ConfigFile>>,
    /// Custom action code: the `utter_` names it mentions.
    pub action_code: Option<Vec<String>>,
    pub unreadable: Option<Unreadable>,
    /// What a Rasa 2/3 YAML data file is as a whole (its classification, its `version`).
    pub yaml: Option<Box<YamlData>>,
}

/// What a Rasa 2/3 YAML training-data file is, besides the parts it holds.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct YamlData {
    /// How Rasa's line heuristics classify the file (spec §1.2): a line starting with
    /// `nlu:`/`responses:` makes it NLU, with `stories:`/`rules:` stories.
    pub is_nlu: bool,
    /// Whether a line starts with `nlu:` (not only `responses:`): an NLU file proper, not a
    /// file of responses (a domain under the data folder is one).
    pub has_nlu_key: bool,
    pub is_stories: bool,
    /// A stories file whose name starts with `test_`.
    pub is_test_stories: bool,
    /// The file's `version:` value, when it is a string.
    pub version: Option<Name>,
    /// Why Rasa refuses the whole file before its schema pass (a YAML syntax error), if it
    /// does.
    pub rasa_error: Option<String>,
    /// Why Rasa crashes on the file before parsing it, if it does (a Python traceback): a
    /// `.yml` file that is a JSON number crashes the format guessing, a broken `\u` escape
    /// in a file of ASCII characters only the pre-decoding. Rasa's own classification of
    /// the file stops with it.
    pub crash: Option<String>,
    /// Why Rasa's loading pass, which comes after the schema, stops at the file, if it
    /// does (libyaml refusing what the first pass read, an unset environment variable).
    pub late_error: Option<String>,
    /// In a file Rasa's line test does not classify: a top-level `nlu`, `responses`,
    /// `stories` or `rules` key written so that the test misses it (quoted, a space before
    /// the colon, in a flow mapping, behind a BOM on the first line).
    pub hidden_key: Option<Name>,
    /// What Rasa 2.8 reads instead of the file's YAML NLU and responses, when its format
    /// guessing takes the file for Markdown.
    pub rasa2_markdown: Option<Box<Rasa2Markdown>>,
}

/// Rasa 2.8's reading of a YAML data file that its format guessing takes for Markdown
/// (spec rasa-yaml §1.3: 2.x asks its Markdown tests before the YAML one, whatever the
/// extension): `## intent:`, `## synonym:`, `## regex:` or `## lookup:` anywhere in the
/// text, even in a comment, makes it Markdown NLU; else Rasa's Markdown responses pattern
/// makes it Markdown responses. Its stories are still read as YAML.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rasa2Markdown {
    pub nlu: Option<NluFile>,
    pub responses: Option<ResponsesFile>,
    /// The text that made Rasa 2.8 take the file for Markdown.
    pub marker: Span,
}

impl FileParts {
    pub fn nlu(nlu: NluFile) -> Self {
        FileParts {
            kind: Some(FileKind::Nlu),
            nlu: Some(nlu),
            ..FileParts::default()
        }
    }

    pub fn stories(stories: StoryFile) -> Self {
        FileParts {
            kind: Some(FileKind::Stories),
            stories: Some(stories),
            ..FileParts::default()
        }
    }

    pub fn responses(responses: ResponsesFile) -> Self {
        FileParts {
            kind: Some(FileKind::Nlg),
            responses: Some(responses),
            ..FileParts::default()
        }
    }

    pub fn domain(domain: DomainFile) -> Self {
        FileParts {
            kind: Some(FileKind::Domain),
            domain: Some(Box::new(domain)),
            ..FileParts::default()
        }
    }

    pub fn config(config: ConfigFile) -> Self {
        FileParts {
            kind: Some(FileKind::Config),
            config: Some(Box::new(config)),
            ..FileParts::default()
        }
    }

    pub fn action_code(responses: Vec<String>) -> Self {
        FileParts {
            action_code: Some(responses),
            ..FileParts::default()
        }
    }

    /// A Rasa 2/3 YAML data file, with the parts its readers found.
    pub fn yaml_data(
        data: YamlData,
        nlu: Option<NluFile>,
        stories: Option<StoryFile>,
        responses: Option<ResponsesFile>,
    ) -> Self {
        // A YAML file Rasa's tests do not take for training data is no bot data.
        let is_data = data.is_nlu || data.is_stories;
        FileParts {
            kind: is_data.then_some(FileKind::YamlData),
            nlu,
            stories,
            responses,
            yaml: Some(Box::new(data)),
            ..FileParts::default()
        }
    }

    /// A file Rasa does not read as bot data.
    pub fn ignored() -> Self {
        FileParts::default()
    }

    pub fn unreadable(unreadable: Unreadable) -> Self {
        FileParts {
            unreadable: Some(unreadable),
            ..FileParts::default()
        }
    }

    /// Rasa 2.8's Markdown reading of this YAML data file, when a release of `version`
    /// reads it so.
    pub fn rasa2_markdown(&self, version: crate::rasa::RasaVersion) -> Option<&Rasa2Markdown> {
        if version != crate::rasa::RasaVersion::V2 {
            return None;
        }
        self.yaml.as_ref()?.rasa2_markdown.as_deref()
    }

    /// The NLU part a Rasa release of `version` reads from this file.
    pub fn nlu_read_by(&self, version: crate::rasa::RasaVersion) -> Option<&NluFile> {
        match self.rasa2_markdown(version) {
            Some(markdown) => markdown.nlu.as_ref(),
            None => self.nlu.as_ref(),
        }
    }

    /// The responses part a Rasa release of `version` reads from this file.
    pub fn responses_read_by(&self, version: crate::rasa::RasaVersion) -> Option<&ResponsesFile> {
        match self.rasa2_markdown(version) {
            Some(markdown) => markdown.responses.as_ref(),
            None => self.responses.as_ref(),
        }
    }

    /// Whether a Rasa release of `version` skips this YAML data file for its `version:`
    /// key, newer than the release reads.
    pub fn skipped_by(&self, version: crate::rasa::RasaVersion) -> bool {
        self.yaml
            .as_ref()
            .and_then(|data| data.version.as_ref())
            .is_some_and(|key| version.skips_format(&key.name))
    }

    /// What the file was read as, `None` when it is no bot data or could not be read.
    pub fn kind(&self) -> Option<FileKind> {
        self.kind
    }
}

/// Where a name is declared: the first declaration in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declaration {
    pub file: FileId,
    pub span: Span,
}

/// Every name the domain declares, by kind, each with its first declaration.
#[derive(Debug, Default)]
pub struct DomainIndex {
    /// Whether any domain file could be read (cross-reference rules need one: against a
    /// broken domain they would report every name).
    pub present: bool,
    pub intents: FxHashMap<String, Declaration>,
    pub entities: FxHashMap<String, Declaration>,
    pub slots: FxHashMap<String, Declaration>,
    pub responses: FxHashMap<String, Declaration>,
    pub actions: FxHashMap<String, Declaration>,
    pub forms: FxHashMap<String, Declaration>,
}

/// Everything rasalint read, immutable once built.
#[derive(Debug, Default)]
pub struct Project {
    /// The folder paths are shown relative to.
    pub root: PathBuf,
    pub files: Vec<SourceFile>,
    /// `parts[i]` is what `files[i]` contributes.
    pub parts: Vec<FileParts>,
    pub domain: DomainIndex,
    /// The options of the rules that take some, as configured.
    pub options: crate::options::RuleOptions,
    /// The Rasa version the bot is read as, and why.
    pub rasa: version::RasaChoice,
}

impl Project {
    /// Builds the model; `files` and `parts` are parallel vectors.
    pub fn new(root: PathBuf, files: Vec<SourceFile>, parts: Vec<FileParts>) -> Self {
        let mut project = Project {
            root,
            files,
            parts,
            domain: DomainIndex::default(),
            options: crate::options::RuleOptions::default(),
            rasa: version::RasaChoice::default(),
        };
        project.set_rasa(version::RasaChoice::detect(&project.parts, None));
        project
    }

    /// Reads the bot as `choice` says: which domain files make the domain depends on the
    /// version (a domain folder's), so the domain index follows.
    pub fn set_rasa(&mut self, choice: version::RasaChoice) {
        self.rasa = choice;
        self.domain = DomainIndex::build(self);
    }

    /// How a file is written: Markdown for Markdown training data, else YAML (domains and
    /// configurations are YAML in every Rasa version).
    pub fn surface(&self, id: FileId) -> crate::rasa::Surface {
        match self.parts[id.index()].kind {
            Some(kind) if kind.is_markdown() => crate::rasa::Surface::Markdown,
            // An unreadable or unclassified Markdown file.
            _ if self.files[id.index()]
                .disk_path
                .extension()
                .is_some_and(|e| e == "md") =>
            {
                crate::rasa::Surface::Markdown
            }
            _ => crate::rasa::Surface::Yaml,
        }
    }

    pub fn file(&self, id: FileId) -> &SourceFile {
        &self.files[id.index()]
    }

    /// Every file's parts that the bot's Rasa version reads (see [`Project::reads`]).
    fn with_ids(&self) -> impl Iterator<Item = (FileId, &FileParts)> {
        self.parts
            .iter()
            .enumerate()
            .map(|(i, p)| (FileId(i as u32), p))
            .filter(|(id, _)| self.reads(*id))
    }

    /// Whether the bot's Rasa version reads a file's training data: Rasa 1.x reads no YAML
    /// training data, Rasa 3.x no Markdown, and a YAML file whose `version:` is newer than
    /// the release reads is skipped. Other files (domain, configuration) are read.
    pub fn reads(&self, id: FileId) -> bool {
        let version = self.rasa.version;
        let parts = &self.parts[id.index()];
        match parts.kind {
            Some(FileKind::YamlData) => version.reads_yaml_data() && !parts.skipped_by(version),
            Some(kind) if kind.is_markdown() => version.reads_markdown_data(),
            _ => true,
        }
    }

    /// Every file's NLU part.
    pub fn nlu_files(&self) -> impl Iterator<Item = (FileId, &NluFile)> {
        let version = self.rasa.version;
        self.with_ids()
            .filter_map(move |(id, p)| Some((id, p.nlu_read_by(version)?)))
    }

    /// Whether a file could not be read at all, so the findings are incomplete.
    pub fn misses_a_file(&self) -> bool {
        self.parts
            .iter()
            .any(|p| p.unreadable.as_ref().is_some_and(|u| u.io_error))
    }

    /// How many NLU examples all files hold together (to size maps over them).
    pub fn example_count(&self) -> usize {
        self.nlu_files().map(|(_, nlu)| nlu.examples.len()).sum()
    }

    /// How many story, rule and test-story blocks the bot has, to size tables by.
    pub fn block_count(&self) -> usize {
        self.story_files()
            .map(|(_, stories)| stories.blocks.len())
            .sum()
    }

    /// Every file's stories part.
    pub fn story_files(&self) -> impl Iterator<Item = (FileId, &StoryFile)> {
        self.with_ids()
            .filter_map(|(id, p)| Some((id, p.stories.as_ref()?)))
    }

    /// The stories parts of Markdown files: what rules about how Markdown is written read.
    pub fn markdown_story_files(&self) -> impl Iterator<Item = (FileId, &StoryFile)> {
        self.story_files().filter(|(_, s)| !s.is_yaml())
    }

    /// Every file's retrieval responses part.
    pub fn nlg_files(&self) -> impl Iterator<Item = (FileId, &ResponsesFile)> {
        let version = self.rasa.version;
        self.with_ids()
            .filter_map(move |(id, p)| Some((id, p.responses_read_by(version)?)))
    }

    /// The domain files the bot's Rasa version reads (of a domain folder, those that
    /// pass its test), in the order Rasa reads them.
    pub fn domain_files(&self) -> impl Iterator<Item = (FileId, &DomainFile)> {
        let version = self.rasa.version;
        self.with_ids()
            .filter_map(|(id, p)| Some((id, p.domain.as_deref()?)))
            .filter(move |(_, d)| d.is_read_by(version))
    }

    /// Every file of a domain folder (whichever versions read it), in Rasa's walk order.
    pub fn domain_folder_files(&self) -> impl Iterator<Item = (FileId, &DomainFile)> {
        self.parts
            .iter()
            .enumerate()
            .filter_map(|(i, p)| Some((FileId(i as u32), p.domain.as_deref()?)))
            .filter(|(_, d)| d.folder.is_some())
    }

    /// Response names that the bot's custom action code mentions.
    pub fn responses_used_in_code(&self) -> impl Iterator<Item = &str> {
        self.parts
            .iter()
            .filter_map(|p| p.action_code.as_deref())
            .flatten()
            .map(String::as_str)
    }

    pub fn config_files(&self) -> impl Iterator<Item = (FileId, &ConfigFile)> {
        self.with_ids()
            .filter_map(|(id, p)| Some((id, p.config.as_deref()?)))
    }
}

/// How many examples an intent has, as Rasa counts them: exact duplicates (same text,
/// response key and entities) are dropped, and a retrieval intent counts as its base.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntentCount<'p> {
    pub intent: &'p str,
    /// The file and title of the intent's first section.
    pub file: FileId,
    pub title: Span,
    /// Examples as written.
    pub written: usize,
    /// Examples once exact duplicates are dropped.
    pub distinct: usize,
    /// Whether any example has a retrieval response key.
    pub retrieval: bool,
}

impl Project {
    /// Every intent with examples, in order of first appearance, with its counts.
    pub fn intent_counts(&self) -> Vec<IntentCount<'_>> {
        let mut counts: Vec<IntentCount> = Vec::new();
        let mut index: FxHashMap<&str, (usize, FxHashSet<u64>)> = FxHashMap::default();
        for (file, nlu) in self.nlu_files() {
            for example in &nlu.examples {
                let section = &nlu.sections[example.section];
                if section.kind != crate::model::nlu::SectionKind::Intent
                    || example.intent.is_empty()
                {
                    continue;
                }
                let (at, seen) = index.entry(&example.intent).or_insert_with(|| {
                    counts.push(IntentCount {
                        intent: &example.intent,
                        file,
                        title: section.title_span.clone(),
                        written: 0,
                        distinct: 0,
                        retrieval: false,
                    });
                    (counts.len() - 1, FxHashSet::default())
                });
                let count = &mut counts[*at];
                count.written += 1;
                count.retrieval |= example.response_key().is_some();
                if seen.insert(example_identity(example)) {
                    count.distinct += 1;
                }
            }
        }
        counts
    }
}

/// What makes two examples the same to Rasa (it drops exact duplicates), as a hash: the
/// response key, the text and the entities.
fn example_identity(example: &crate::model::nlu::Example) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = rustc_hash::FxHasher::default();
    (example.response_key(), &example.text).hash(&mut hasher);
    for e in &example.entities {
        (&e.entity, e.role(), e.group(), e.start, e.end).hash(&mut hasher);
        match e.value.as_str() {
            Some(v) => v.hash(&mut hasher),
            None => e.value.to_string().hash(&mut hasher),
        }
    }
    hasher.finish()
}

impl DomainIndex {
    fn build(project: &Project) -> Self {
        let mut index = DomainIndex::default();
        for (file, domain) in project.domain_files().filter(|(_, d)| d.readable) {
            index.present = true;
            let add = |map: &mut FxHashMap<String, Declaration>, name: &Name| {
                map.entry(name.name.clone()).or_insert(Declaration {
                    file,
                    span: name.span.clone(),
                });
            };
            domain
                .intents
                .iter()
                .for_each(|i| add(&mut index.intents, &i.name));
            domain
                .entities
                .iter()
                .for_each(|e| add(&mut index.entities, e));
            domain
                .slots
                .iter()
                .for_each(|s| add(&mut index.slots, &s.name));
            domain
                .responses
                .iter()
                .for_each(|r| add(&mut index.responses, &r.name));
            domain
                .actions
                .iter()
                .for_each(|a| add(&mut index.actions, a));
            domain.forms.iter().for_each(|f| add(&mut index.forms, f));
        }
        index
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_of_several_parts_is_seen_by_each_part_s_readers() {
        let nlu = crate::load::parse(
            FileId(0),
            "## intent:greet\n- hi\n",
            crate::load::Role::Data,
        )
        .0;
        let stories = crate::load::parse(
            FileId(0),
            "## s\n* greet\n  - utter_hi\n",
            crate::load::Role::Data,
        )
        .0;
        let both = FileParts {
            stories: stories.stories,
            ..nlu
        };
        let file = SourceFile::new(
            "data/both.yml".into(),
            "data/both.yml".into(),
            String::new(),
        );
        let project = Project::new(PathBuf::new(), vec![file], vec![both]);
        assert_eq!(project.nlu_files().count(), 1);
        assert_eq!(project.story_files().count(), 1);
        assert_eq!(project.example_count(), 1);
        assert_eq!(project.nlg_files().count(), 0);
    }
}
