//! Rasa's `config.yml` as far as rules need it: language, pipeline, policies, imports.

use crate::model::domain::Name;
use crate::source::Span;

#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    pub name: Name,
    /// `max_history`, when given as an integer.
    pub max_history: Option<(u64, Span)>,
    /// Where a `max_history` Rasa cannot use is written: negative, a fraction, text, a
    /// list… (an integer past 2^64 is usable: longer than any dialogue).
    pub unusable_max_history: Option<Span>,
}

/// The `pipeline:` list.
#[derive(Debug, Clone, PartialEq)]
pub struct Pipeline {
    /// The `pipeline` key.
    pub key: Span,
    /// Each component's `name` (entries without a string name are skipped).
    pub components: Vec<Name>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ConfigFile {
    pub language: Option<Name>,
    /// `None` when there is no `pipeline:` list (absent, or a template name such as
    /// `supervised_embeddings`).
    pub pipeline: Option<Pipeline>,
    pub policies: Vec<Policy>,
    /// The `name` of every `importers` entry.
    pub importers: Vec<Name>,
    /// The `imports` paths, relative to the config file's folder.
    pub imports: Vec<Name>,
}

impl ConfigFile {
    /// Whether Rasa reads the bot with its `MultiProjectImporter` (which follows `imports`).
    pub fn uses_multi_project_importer(&self) -> bool {
        self.importers
            .iter()
            .any(|i| i.name == "MultiProjectImporter")
    }
}
