//! Helpers several rules share, over the model (the did-you-mean text search itself is in
//! [`crate::suggest`], below the model, so readers can use it too).

use rustc_hash::FxHashSet;

use crate::model::Project;
use crate::rasa::{RasaVersion, Surface};
use crate::source::FileId;
use crate::suggest::Known;

/// Help for intents the domain lacks: the declared intent each was probably meant to be,
/// or how to declare it. The domain's intents are read as [`Known`] names once, on the
/// first finding.
pub struct IntentHelp<'p> {
    project: &'p Project,
    known: std::cell::OnceCell<Known<'p>>,
}

impl<'p> IntentHelp<'p> {
    pub fn new(project: &'p Project) -> Self {
        IntentHelp {
            project,
            known: std::cell::OnceCell::new(),
        }
    }

    pub fn for_intent(&self, intent: &str) -> String {
        let known = self
            .known
            .get_or_init(|| Known::new(self.project.domain.intents.keys().map(String::as_str)));
        match known.closest(intent) {
            Some(known) => format!(
                "did you mean `{known}`? If not, add `- {intent}` to `intents:` in the domain"
            ),
            None => format!("add `- {intent}` to `intents:` in the domain"),
        }
    }
}

/// The intents a bot's domain has for its Rasa: the declared ones; in Rasa 2 and 3 the
/// default intents (`nlu_fallback`, `out_of_scope`, …), which they add to every domain;
/// and in Rasa 3 the retrieval intents of the NLU data (`faq` of `- intent:
/// faq/ask_name`), which Rasa 3 adds to the domain by itself (spec rasa-yaml §6.13; Rasa
/// 2.8's `rasa data validate` does not, and fails on them).
pub struct DomainIntents<'p> {
    project: &'p Project,
    added: FxHashSet<&'p str>,
}

impl<'p> DomainIntents<'p> {
    pub fn of(project: &'p Project) -> Self {
        let version = project.rasa.version;
        let mut added: FxHashSet<&str> = FxHashSet::default();
        if version != RasaVersion::V1 {
            added.extend(version.default_intents());
        }
        if version == RasaVersion::V3 {
            let retrieval = project
                .nlu_files()
                .flat_map(|(_, nlu)| &nlu.examples)
                .filter(|e| e.response_key().is_some());
            added.extend(retrieval.map(|e| e.intent.as_str()));
        }
        DomainIntents { project, added }
    }

    pub fn contains(&self, intent: &str) -> bool {
        self.project.domain.intents.contains_key(intent) || self.added.contains(intent)
    }
}

/// The entities of a button payload's `{…}` part as Rasa 2 and 3 send it: they fill a
/// response's placeholders in its buttons too, so `{{` and `}}` come out as `{` and `}`
/// (Rasa's documentation writes the entities of a payload so). `None` unless `json` has a
/// `{{` and reads as a JSON object once unescaped. Rasa 1.10 sends buttons as written.
pub fn interpolated_payload_json(json: &str) -> Option<serde_json::Map<String, serde_json::Value>> {
    let json = &json[json.find("{{")?..];
    serde_json::from_str(&json.replace("{{", "{").replace("}}", "}")).ok()
}

/// The syntax a finding shows the bot's data in: Markdown training data (`* greet`,
/// `- utter_greet`, `## intent:greet`) or Rasa 2/3 YAML (`- intent: greet`, `- action:
/// utter_greet`). Rules word their help through it, so that it shows what the user edits;
/// the one place that knows how each thing is written in each syntax.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    Markdown,
    Yaml,
}

impl Syntax {
    /// The syntax of a data file: Markdown training data, else YAML.
    pub fn of(project: &Project, file: FileId) -> Self {
        match project.surface(file) {
            Surface::Markdown => Syntax::Markdown,
            Surface::Yaml => Syntax::Yaml,
        }
    }

    /// The syntax of the bot's training data, for findings in the domain that say what to
    /// write in the data: Markdown for a Rasa 1.x bot, YAML for Rasa 3, and for Rasa 2 the
    /// syntax of its data files (YAML when it has any YAML ones).
    pub fn of_data(project: &Project) -> Self {
        match project.rasa.version {
            RasaVersion::V1 => Syntax::Markdown,
            RasaVersion::V3 => Syntax::Yaml,
            RasaVersion::V2 => {
                let files = project
                    .nlu_files()
                    .map(|(file, _)| file)
                    .chain(project.story_files().map(|(file, _)| file));
                let mut surfaces = files.map(|file| project.surface(file));
                if surfaces.any(|s| s == Surface::Yaml) {
                    Syntax::Yaml
                } else {
                    Syntax::Markdown
                }
            }
        }
    }

    /// A story step that runs `action`: `- utter_greet` / `- action: utter_greet`.
    pub fn action_step(self, action: &str) -> String {
        match self {
            Syntax::Markdown => format!("- {action}"),
            Syntax::Yaml => format!("- action: {action}"),
        }
    }

    /// A checkpoint step: `> name` / `- checkpoint: name`.
    pub fn checkpoint(self, name: &str) -> String {
        match self {
            Syntax::Markdown => format!("> {name}"),
            Syntax::Yaml => format!("- checkpoint: {name}"),
        }
    }

    /// Where an intent's NLU examples are written: `## intent:greet` / `- intent: greet`.
    pub fn intent_examples(self, intent: &str) -> String {
        match self {
            Syntax::Markdown => format!("## intent:{intent}"),
            Syntax::Yaml => format!("- intent: {intent}"),
        }
    }
}

/// For rule tests: the findings of `rule` on files (path, text: `domain.yml` is the
/// domain, any other a data file), in a bot read as Rasa `version`.
#[cfg(test)]
pub(crate) fn findings_on_data(
    rule: &dyn crate::rule::Rule,
    files: &[(&str, &str)],
    version: crate::rasa::RasaVersion,
) -> Vec<crate::diagnostic::Diagnostic> {
    use crate::load::{Role, parse};
    use crate::model::version::{RasaChoice, VersionSource};
    use crate::source::{FileId, SourceFile};
    let mut sources = Vec::new();
    let mut parts = Vec::new();
    for (i, (path, text)) in files.iter().enumerate() {
        let role = match *path {
            "domain.yml" => Role::Domain,
            _ => Role::data(std::path::Path::new(path)),
        };
        parts.push(parse(FileId(i as u32), text, role).0);
        sources.push(SourceFile::new(path.into(), path.into(), text.to_string()));
    }
    let mut project = crate::model::Project::new(std::path::PathBuf::new(), sources, parts);
    project.rasa = RasaChoice {
        version,
        source: VersionSource::Given("--rasa-version".into()),
    };
    let mut out = Vec::new();
    rule.check(&project, &mut out);
    out
}

/// The first line of `text` (without its line break), where a finding about a whole file
/// is shown.
pub fn first_line(text: &str) -> std::ops::Range<usize> {
    0..text.find(['\n', '\r']).unwrap_or(text.len())
}
