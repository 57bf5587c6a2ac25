//! Dialogues as Rasa holds them: story blocks, their steps (user turns, actions, slot and
//! form events, checkpoints) and the lines Rasa skips, each with the spans the readers
//! recorded.

use compact_str::CompactString;
use serde_json::{Map, Value};

use crate::source::Span;

/// An entity given on a user turn: `* inform{"city": "Berlin"}`.
#[derive(Debug, Clone, PartialEq)]
pub struct TurnEntity {
    pub entity: CompactString,
    pub value: Value,
    /// Character offsets of the JSON object in the alternative's text, as Rasa records them.
    pub start: usize,
    pub end: usize,
    /// Where the entity's name is written: its key in the JSON object (without quotes),
    /// else (a key written with escapes, an entity of a raw `- user` event) the object or
    /// the turn.
    pub key_span: Span,
}

impl TurnEntity {
    /// Whether two entities mean the same to Rasa, wherever they are written.
    pub fn same_as(&self, other: &TurnEntity) -> bool {
        (&self.entity, &self.value, self.start, self.end)
            == (&other.entity, &other.value, other.start, other.end)
    }
}

/// One slot a `- slot{"name": value}` line sets.
#[derive(Debug, Clone, PartialEq)]
pub struct SlotSet {
    pub name: String,
    pub value: Value,
    /// Where the slot's name is written: its key in the JSON object (without quotes), else
    /// (a key written with escapes) the whole line.
    pub name_span: Span,
}

/// One alternative of a user turn (`* a OR b` has two).
#[derive(Debug, Clone, PartialEq)]
pub struct UserAlternative {
    /// The alternative's text as written, trimmed.
    pub text: CompactString,
    /// The intent Rasa reads (`None` when it reads none).
    pub intent: Option<CompactString>,
    pub intent_span: Span,
    pub confidence: f64,
    pub entities: Vec<TurnEntity>,
    /// The span of the `{…}` entity object, when present.
    pub entities_span: Option<Span>,
}

/// The `{…}` written after the name of an action or form line, kept (boxed: few lines
/// have one) with where its `"name"` is written.
#[derive(Debug, Clone, PartialEq)]
pub struct NameParameters {
    /// From the `{` to the end of the line; a lone `{`, which Rasa ignores, counts.
    pub span: Span,
    /// Where the string that `"name"` gives is written (without quotes); `None` without
    /// one, or when it is written with escapes.
    pub name_span: Option<Span>,
    /// Whether `"name"` is given as JSON other than a string or null, which Rasa runs
    /// as an action named by the JSON text.
    pub name_not_text: bool,
}

/// What a story line means to Rasa.
#[derive(Debug, Clone, PartialEq)]
pub enum StepKind {
    Checkpoint {
        name: CompactString,
        /// Boxed, as in `Event`: most lines are actions and user turns, and a step is as
        /// large as its largest kind.
        conditions: Box<Map<String, Value>>,
    },
    User(Vec<UserAlternative>),
    Action {
        name: CompactString,
        /// The `{…}` written after the line's name (`- action{"name": "x"}`), if any.
        parameters: Option<Box<NameParameters>>,
    },
    /// One `- slot{…}` line sets one slot per key.
    Slot(Vec<SlotSet>),
    /// `- form{"name": x}`: a `None` name deactivates.
    Form {
        name: Option<CompactString>,
        parameters: Option<Box<NameParameters>>,
    },
    /// Any other Rasa event (`restart`, `followup`, …), with its parameters.
    Event {
        type_name: String,
        parameters: Box<Map<String, Value>>,
    },
}

/// One meaningful line of a story block.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub kind: StepKind,
    /// The line's content (stripped) in the source.
    pub span: Span,
    /// The name written on the line (action, form, checkpoint, event name).
    pub name_span: Span,
}

// A step is stored for every story line of the bot: keep it small (a large kind is boxed).
const _: () = assert!(std::mem::size_of::<Step>() <= 72);

/// A `## name` block and its steps.
#[derive(Debug, Clone, PartialEq)]
pub struct StoryBlock {
    pub name: CompactString,
    pub header_span: Span,
    pub steps: Vec<Step>,
}

/// A line Rasa logs and drops ("Skipping line N").
#[derive(Debug, Clone, PartialEq)]
pub struct SkippedLine {
    pub line: usize,
    pub span: Span,
    /// The line as Rasa quotes it (comments removed, stripped).
    pub text: String,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct StoryFile {
    pub blocks: Vec<StoryBlock>,
    pub skipped: Vec<SkippedLine>,
    /// Why Rasa 1.10 would refuse the file (the first error it would stop at), with the line.
    pub rasa_error: Option<(usize, String)>,
}

impl StoryFile {
    /// Every step of every block, in file order.
    pub fn steps(&self) -> impl Iterator<Item = &Step> {
        self.blocks.iter().flat_map(|b| &b.steps)
    }

    /// Every alternative of every user turn.
    pub fn user_alternatives(&self) -> impl Iterator<Item = &UserAlternative> {
        self.steps().flat_map(|step| match &step.kind {
            StepKind::User(alternatives) => alternatives.as_slice(),
            _ => &[],
        })
    }

    /// Every action step with the action's name.
    pub fn actions(&self) -> impl Iterator<Item = (&Step, &str)> {
        self.steps().filter_map(|step| match &step.kind {
            StepKind::Action { name, .. } => Some((step, name.as_str())),
            _ => None,
        })
    }
}
