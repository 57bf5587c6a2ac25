//! What a reader reports about a file, in the reader's own terms.
//!
//! Readers know no rule: they say what kind of problem they met, where, and what would fix
//! it. Which rule each kind belongs to (its code, name and severity) is decided in one
//! place, [`crate::rules::rule_of`], when the loader turns problems into findings. So the
//! syntax layer sits below the rules and imports none of them.

use crate::source::{Edit, FileId, Related, Span};

/// The kinds of problem a reader can meet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProblemKind {
    /// The file cannot be read, or is not UTF-8.
    UnreadableFile,
    /// A YAML file Rasa's YAML reader refuses (syntax, duplicate keys, wrong top level).
    YamlSyntax,
    /// A YAML file Rasa's schema refuses (a key or value of the wrong kind).
    YamlSchema,
    /// A `## kind:` section Rasa's NLU reader does not know.
    UnknownNluSection,
    /// Items or lines Rasa drops because they stand outside any section.
    TextOutsideSection,
    /// An entity annotation Rasa misreads or refuses.
    MalformedEntityAnnotation,
    /// A story (or responses) line Rasa skips.
    InvalidStoryLine,
    /// Parameters that are not one JSON object.
    InvalidJson,
    /// An event name Rasa does not know.
    UnknownEvent,
    /// An HTML comment that is not closed, or closes nothing.
    UnterminatedComment,
    /// A header Rasa reads otherwise than it looks.
    MisplacedHeader,
    /// A section or story with no items.
    EmptySection,
    /// Back-ticks in a story line.
    BacktickInStory,
    /// An end-to-end user turn in a training story.
    E2eTurnInTrainingStory,
    /// A YAML `examples` string whose lines are folded into fewer examples.
    FoldedExamples,
    /// An intent name Rasa refuses (more than one `/`).
    InvalidIntentName,
    /// A YAML story or rule Rasa refuses (its schema) or crashes on: the file is not read.
    StoryRefused,
    /// A YAML story step Rasa reads otherwise than it is written.
    MisreadStoryStep,
    /// YAML text Rasa rewrites before reading it: `${VAR}` from the environment, `\u`
    /// escapes decoded outside double quotes.
    YamlTextRewritten,
}

/// One problem a reader found: what, where, and optionally why and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub kind: ProblemKind,
    pub file: FileId,
    pub span: Span,
    pub message: String,
    /// Text under the primary underline.
    pub label: Option<String>,
    pub help: Option<String>,
    pub related: Vec<Related>,
    /// Edits that fix the problem without changing what Rasa reads.
    pub fix: Vec<Edit>,
}

impl Problem {
    pub fn new(kind: ProblemKind, file: FileId, span: Span, message: impl Into<String>) -> Self {
        Problem {
            kind,
            file,
            span,
            message: message.into(),
            label: None,
            help: None,
            related: Vec::new(),
            fix: Vec::new(),
        }
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_related(mut self, file: FileId, span: Span, message: impl Into<String>) -> Self {
        self.related.push(Related {
            file,
            span,
            message: message.into(),
        });
        self
    }

    pub fn with_fix(mut self, edits: Vec<Edit>) -> Self {
        self.fix = edits;
        self
    }
}
