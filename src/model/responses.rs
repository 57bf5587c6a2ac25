//! Retrieval responses (`faq/ask_name` → texts) as Rasa holds them.

use rustc_hash::{FxHashMap, FxHashSet};

use crate::model::dialogue::SkippedLine;
use crate::model::{Declaration, Project};
use crate::rasa::RasaVersion;
use crate::source::{FileId, Span};

/// One `* faq/ask_name` block (Markdown) or `utter_faq/ask_name:` entry of a YAML NLU
/// file's `responses`, and its texts.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseEntry {
    /// The key as Rasa reads it (`faq/ask_name`; in YAML the response name,
    /// `utter_faq/ask_name`).
    pub key: String,
    pub key_span: Span,
    pub texts: Vec<String>,
    /// Where each variation is written (YAML).
    pub variations: Vec<Span>,
    /// The variations as Rasa holds them (YAML), for comparing with Rasa's reading.
    pub json: Option<Box<serde_json::Value>>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ResponsesFile {
    /// Entries in file order; a repeated key is kept (Rasa keeps the last one).
    pub entries: Vec<ResponseEntry>,
    /// Lines Rasa logs and drops, numbered as Rasa counts them (after `splitlines`).
    pub skipped: Vec<SkippedLine>,
}

/// Every response a bot's Rasa has, by name, with where each is first written: the
/// domain's, and in Rasa 2 and 3 those under the `responses:` key of YAML NLU files, which
/// Rasa merges into the domain (spec rasa-yaml §4.8, §6.13). Rules that ask whether a
/// response exists ask here rather than the domain index.
pub struct ResponseIndex<'p> {
    by_name: FxHashMap<&'p str, KnownResponse>,
    /// The actions that choose among retrieval responses (`utter_faq` for
    /// `utter_faq/ask_name`), in Rasa 2 and 3.
    retrieval_actions: FxHashSet<&'p str>,
}

/// A response's first declaration and how many variations it has there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownResponse {
    pub at: Declaration,
    pub variations: usize,
}

impl<'p> ResponseIndex<'p> {
    pub fn of(project: &'p Project) -> Self {
        let mut by_name: FxHashMap<&str, KnownResponse> = FxHashMap::default();
        let mut add = |name: &'p str, file: FileId, span: &Span, variations: usize| {
            by_name.entry(name).or_insert_with(|| KnownResponse {
                at: Declaration {
                    file,
                    span: span.clone(),
                },
                variations,
            });
        };
        for (file, domain) in project.domain_files().filter(|(_, d)| d.readable) {
            for response in &domain.responses {
                add(
                    &response.name.name,
                    file,
                    &response.name.span,
                    response.variations,
                );
            }
        }
        for (file, entry) in project.nlu_file_responses() {
            add(&entry.key, file, &entry.key_span, entry.variations.len());
        }
        let retrieval_actions = match project.rasa.version {
            RasaVersion::V1 => FxHashSet::default(),
            _ => by_name
                .keys()
                .filter_map(|name| Some(name.split_once('/')?.0))
                .collect(),
        };
        ResponseIndex {
            by_name,
            retrieval_actions,
        }
    }

    pub fn get(&self, name: &str) -> Option<&KnownResponse> {
        self.by_name.get(name)
    }

    pub fn contains(&self, name: &str) -> bool {
        self.by_name.contains_key(name)
    }

    /// Whether the story action `action` says a response: one of that name, or, in Rasa 2
    /// and 3, a retrieval response `action/<key>` (the action `utter_faq` answers with one
    /// of the `utter_faq/<key>` responses; `rasa data validate`'s utterance check counts
    /// it so).
    pub fn utters(&self, action: &str) -> bool {
        self.contains(action) || self.retrieval_actions.contains(action)
    }

    /// Every response name, in no particular order.
    pub fn names(&self) -> impl Iterator<Item = &'p str> + '_ {
        self.by_name.keys().copied()
    }

    /// The actions the responses make: every response is one, and in Rasa 2 and 3 each
    /// retrieval action (`utter_faq`) too, which Rasa adds to the domain.
    pub fn actions(&self) -> impl Iterator<Item = &'p str> + '_ {
        self.names().chain(self.retrieval_actions.iter().copied())
    }
}

impl Project {
    /// The responses of NLU files (a YAML file's `responses:` key, the entries of a Rasa 2
    /// bot's Markdown responses file), each with its file: Rasa 2 and 3 merge them into
    /// the domain. None in a Rasa 1.x bot, whose Markdown responses files hold retrieval
    /// answers keyed `faq/ask_name`, which are no domain responses.
    pub fn nlu_file_responses(&self) -> impl Iterator<Item = (FileId, &ResponseEntry)> {
        let yaml_era = self.rasa.version != RasaVersion::V1;
        self.nlg_files()
            .filter(move |_| yaml_era)
            .flat_map(|(file, responses)| responses.entries.iter().map(move |e| (file, e)))
    }

    /// Every response the bot's Rasa has (see [`ResponseIndex`]).
    pub fn responses(&self) -> ResponseIndex<'_> {
        ResponseIndex::of(self)
    }
}

#[cfg(test)]
mod tests {
    use crate::load::{Role, parse};
    use crate::model::Project;
    use crate::rasa::RasaVersion;
    use crate::source::{FileId, SourceFile};

    /// A bot of a domain and a YAML NLU file with responses, read as `version`.
    fn bot(version: RasaVersion) -> Project {
        let files = [
            (
                "domain.yml",
                "intents: [faq]\nresponses:\n  utter_faq/ask_name:\n  - text: I am a bot\n",
                Role::Domain,
            ),
            (
                "data/nlu.yml",
                "nlu: []\nresponses:\n  utter_greet:\n  - text: Hi\n",
                Role::data(std::path::Path::new("data/nlu.yml")),
            ),
        ];
        let mut sources = Vec::new();
        let mut parts = Vec::new();
        for (i, (path, text, role)) in files.into_iter().enumerate() {
            parts.push(parse(FileId(i as u32), text, role).0);
            sources.push(SourceFile::new(path.into(), path.into(), text.to_string()));
        }
        let mut project = Project::new(std::path::PathBuf::new(), sources, parts);
        project.rasa.version = version;
        project
    }

    #[test]
    fn rasa_2_and_3_know_nlu_file_responses_and_retrieval_actions() {
        for version in [RasaVersion::V2, RasaVersion::V3] {
            let project = bot(version);
            let responses = project.responses();
            assert!(responses.utters("utter_greet"), "{version:?}");
            assert!(responses.utters("utter_faq"), "{version:?}");
            assert!(responses.utters("utter_faq/ask_name"), "{version:?}");
            assert!(!responses.utters("utter_faq/ask_age"), "{version:?}");
            assert_eq!(responses.get("utter_greet").map(|r| r.variations), Some(1));
        }
    }

    #[test]
    fn rasa_1_knows_the_domain_s_responses_only() {
        let project = bot(RasaVersion::V1);
        let responses = project.responses();
        assert!(!responses.utters("utter_greet"));
        assert!(!responses.utters("utter_faq"));
        assert!(responses.utters("utter_faq/ask_name"));
    }
}
