//! `rasalint convert`: a Rasa 1.x Markdown bot rewritten as a Rasa 3 YAML bot that Rasa 3.6
//! reads as the same bot Rasa 1.10 read (NLU, stories, responses, domain, config).
//!
//! The converter works from the model the Markdown readers filled (never from a second
//! reading of the text) and writes YAML text; what cannot be carried over faithfully is
//! returned as a finding for a person, never changed silently.

pub mod stories;

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
