//! Retrieval responses (`faq/ask_name` → texts) as Rasa holds them.

use crate::model::dialogue::SkippedLine;
use crate::source::Span;

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
