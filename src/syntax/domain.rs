//! `domain.yml`: every declared name with its span (Rasa 1.x and 2.x keys).

use crate::diagnostic::Diagnostic;
use crate::source::{FileId, Span};

/// A declared or used name and where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name {
    pub name: String,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct IntentDecl {
    pub name: Name,
    /// `use_entities`: `None` when absent (all entities), `Some(list)` otherwise
    /// (`false`/`null`/`[]` give an empty list).
    pub use_entities: Option<Vec<Name>>,
    pub ignore_entities: Vec<Name>,
    /// 1.x MappingPolicy `triggers: action`.
    pub triggers: Option<Name>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SlotDecl {
    pub name: Name,
    /// The `type` value, when given as a string.
    pub slot_type: Option<Name>,
    /// Categorical `values`, as Rasa normalises them (lower-case strings).
    pub values: Vec<Name>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ResponseDecl {
    pub name: Name,
    /// Number of variations (0 for a null or non-list value).
    pub variations: usize,
}

/// The names one domain file declares, in file order, duplicates kept.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DomainFile {
    pub file: Option<FileId>,
    pub intents: Vec<IntentDecl>,
    pub entities: Vec<Name>,
    pub slots: Vec<SlotDecl>,
    /// Responses from the key Rasa 1.10 reads: `templates:` wins over `responses:` when
    /// both are present.
    pub responses: Vec<ResponseDecl>,
    /// The key the responses came from (`responses` or `templates`), with its span.
    pub responses_key: Option<Name>,
    pub actions: Vec<Name>,
    pub forms: Vec<Name>,
    /// The `session_config` key, when present.
    pub session_config: Option<Span>,
    /// Every top-level key, in file order.
    pub top_level_keys: Vec<Name>,
}

impl DomainFile {
    /// True when the file declares nothing Rasa counts (an empty domain).
    pub fn is_empty(&self) -> bool {
        self.intents.is_empty()
            && self.entities.is_empty()
            && self.slots.is_empty()
            && self.responses.is_empty()
            && self.actions.is_empty()
            && self.forms.is_empty()
    }
}

/// Reads one domain file. YAML errors are diagnostics (RL002) and give an empty domain,
/// as Rasa's importer does.
pub fn parse_domain(file: FileId, text: &str) -> (DomainFile, Vec<Diagnostic>) {
    let _ = text;
    (
        DomainFile {
            file: Some(file),
            ..DomainFile::default()
        },
        Vec::new(),
    )
}
