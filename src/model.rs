//! The project model: every parsed file, folded into one immutable value that rules read.

use std::path::PathBuf;

use crate::source::{FileId, SourceFile};
use crate::syntax::config::ConfigFile;
use crate::syntax::domain::DomainFile;

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
}

/// A parsed file of any kind.
#[derive(Debug, Clone)]
pub enum Parsed {
    Domain(DomainFile),
    Config(ConfigFile),
}

/// Everything rasalint read, immutable once built.
#[derive(Debug, Default)]
pub struct Project {
    /// The folder paths are shown relative to.
    pub root: PathBuf,
    pub files: Vec<SourceFile>,
    /// `parsed[i]` is what `files[i]` was read as.
    pub parsed: Vec<Parsed>,
}

impl Project {
    pub fn file(&self, id: FileId) -> &SourceFile {
        &self.files[id.index()]
    }
}
