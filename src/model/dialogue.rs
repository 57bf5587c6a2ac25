//! Dialogues as Rasa holds them: story and rule blocks, their steps (user turns, actions,
//! bot texts, slot and form events, checkpoints) and the lines Rasa skips, each with the
//! spans the readers recorded. The Markdown reader (Rasa 1.10) and the YAML reader (Rasa
//! 2.8/3.6) fill the same types; what only YAML has (rules, bot texts, end-to-end user
//! texts, `or` of slots) is in kinds and fields Markdown never fills.

use compact_str::CompactString;
use serde_json::{Map, Value};

pub use crate::model::json::JsonValue;
use crate::source::{Offsets, Span};

/// An entity given on a user turn: `* inform{"city": "Berlin"}`, or in YAML an item of
/// `entities:` or an annotation in a `user:` text.
#[derive(Debug, Clone, PartialEq)]
pub struct TurnEntity {
    /// `None` only for a YAML `entities:` item that names no type (`- role: to`), which
    /// Rasa keeps as an entity without one.
    pub entity: Option<CompactString>,
    pub value: JsonValue,
    /// Character offsets of the JSON object in the alternative's text (of the annotation
    /// in a YAML `user:` text), as Rasa records them; `None` for a YAML `entities:` item,
    /// which has none.
    pub start: Option<usize>,
    pub end: Option<usize>,
    /// The role and group a YAML entity gives (Markdown turns give none): boxed, as few
    /// entities have one.
    labels: Option<Box<EntityLabels>>,
    /// Where the entity's name is written: its key in the JSON object (without quotes),
    /// else (a key written with escapes, an entity of a raw `- user` event) the object or
    /// the turn; in YAML the key or string of the `entities:` item, or the `user:` text.
    pub key_span: Span,
}

/// The role and group of a [`TurnEntity`].
#[derive(Debug, Clone, PartialEq)]
struct EntityLabels {
    role: Option<CompactString>,
    group: Option<CompactString>,
}

impl TurnEntity {
    /// An entity of type `entity` (no role, no group).
    pub fn new(
        entity: Option<CompactString>,
        value: JsonValue,
        (start, end): (Option<usize>, Option<usize>),
        key_span: Span,
    ) -> Self {
        TurnEntity {
            entity,
            value,
            start,
            end,
            labels: None,
            key_span,
        }
    }

    /// Whether two entities mean the same to Rasa, wherever they are written.
    pub fn same_as(&self, other: &TurnEntity) -> bool {
        fn meaning(e: &TurnEntity) -> impl PartialEq + '_ {
            (&e.entity, &e.value, e.start, e.end, e.role(), e.group())
        }
        meaning(self) == meaning(other)
    }

    /// The entity type, `""` for an item that names none.
    pub fn name(&self) -> &str {
        self.entity.as_deref().unwrap_or_default()
    }

    pub fn role(&self) -> Option<&str> {
        self.labels.as_ref()?.role.as_deref()
    }

    pub fn group(&self) -> Option<&str> {
        self.labels.as_ref()?.group.as_deref()
    }

    pub fn set_role(&mut self, role: Option<CompactString>) {
        let group = self.labels.take().and_then(|l| l.group);
        self.set_labels(role, group);
    }

    pub fn set_group(&mut self, group: Option<CompactString>) {
        let role = self.labels.take().and_then(|l| l.role);
        self.set_labels(role, group);
    }

    fn set_labels(&mut self, role: Option<CompactString>, group: Option<CompactString>) {
        self.labels =
            (role.is_some() || group.is_some()).then(|| Box::new(EntityLabels { role, group }));
    }
}

/// One slot a `- slot{"name": value}` line (a YAML `slot_was_set` item) sets.
#[derive(Debug, Clone, PartialEq)]
pub struct SlotSet {
    pub name: CompactString,
    /// The value written; null for a slot given by its name only.
    pub value: JsonValue,
    /// Where the slot's name is written: its key in the JSON object (without quotes), else
    /// (a key written with escapes) the whole line; in YAML the key or the name.
    pub name_span: Span,
    /// A YAML `slot_was_set` item that is only the slot's name (`- city`): Rasa takes the
    /// value from the domain's slot type (`filled` for a text slot, `[filled]` for a list
    /// slot, none otherwise), and crashes when the domain has no such slot.
    pub by_name: bool,
}

/// One alternative of a user turn (`* a OR b` has two; a YAML user step has one, an `or:`
/// step one per item).
#[derive(Debug, Clone, PartialEq)]
pub struct UserAlternative {
    /// The alternative's text as written, trimmed (YAML: the `intent:` value, stripped).
    pub text: CompactString,
    /// The intent Rasa reads (`None` when it reads none, as for a YAML `user:` text
    /// without `intent:`); of a retrieval intent `faq/ask` the base `faq`.
    pub intent: Option<CompactString>,
    /// See [`UserAlternative::intent_span`].
    intent_span: Offsets,
    pub entities: Vec<TurnEntity>,
    /// The span of the `{…}` entity object, when present.
    entities_span: Option<Offsets>,
    /// What few turns have (see [`TurnExtras`]), boxed: a bot has a turn on about every
    /// other story line.
    extras: Option<Box<TurnExtras>>,
}

/// What few user turns have: a confidence other than 1.0 (`* greet@0.5`), a YAML
/// retrieval intent, an end-to-end text.
#[derive(Debug, Clone, PartialEq)]
struct TurnExtras {
    confidence: f64,
    full_retrieval_intent: Option<CompactString>,
    e2e_text: Option<Box<str>>,
}

impl Default for TurnExtras {
    fn default() -> Self {
        TurnExtras {
            confidence: 1.0,
            full_retrieval_intent: None,
            e2e_text: None,
        }
    }
}

// A turn is stored for every user line of the bot: keep it small (rare fields are boxed).
const _: () = assert!(std::mem::size_of::<UserAlternative>() <= 104);

impl UserAlternative {
    /// A turn written as `text` at `intent_span`, with confidence 1.0 and nothing else.
    pub fn new(text: CompactString, intent: Option<CompactString>, intent_span: Span) -> Self {
        UserAlternative {
            text,
            intent,
            intent_span: Offsets::new(&intent_span),
            entities: Vec::new(),
            entities_span: None,
            extras: None,
        }
    }

    /// Where the intent is written; a YAML `user:` step without `intent:`: its text.
    pub fn intent_span(&self) -> Span {
        self.intent_span.span()
    }

    pub fn set_intent_span(&mut self, span: &Span) {
        self.intent_span = Offsets::new(span);
    }

    /// The confidence written after the intent (`* greet@0.5`), 1.0 when none is.
    pub fn confidence(&self) -> f64 {
        self.extras.as_ref().map_or(1.0, |e| e.confidence)
    }

    /// The span of the `{…}` entity object, when present.
    pub fn entities_span(&self) -> Option<Span> {
        self.entities_span.map(Offsets::span)
    }

    /// A YAML retrieval intent `faq/ask` as Rasa keeps it beside the base intent.
    pub fn full_retrieval_intent(&self) -> Option<&str> {
        self.extras.as_ref()?.full_retrieval_intent.as_deref()
    }

    /// The end-to-end text of a YAML `user:` step, stripped, annotations replaced by their
    /// text.
    pub fn e2e_text(&self) -> Option<&str> {
        self.extras.as_ref()?.e2e_text.as_deref()
    }

    pub fn set_confidence(&mut self, confidence: f64) {
        self.update_extras(|extras| extras.confidence = confidence);
    }

    pub fn set_entities_span(&mut self, span: Option<&Span>) {
        self.entities_span = span.map(Offsets::new);
    }

    pub fn set_full_retrieval_intent(&mut self, full: Option<CompactString>) {
        self.update_extras(|extras| extras.full_retrieval_intent = full);
    }

    pub fn set_e2e_text(&mut self, text: Option<Box<str>>) {
        self.update_extras(|extras| extras.e2e_text = text);
    }

    /// Changes the extras, keeping none (no box) when they say nothing.
    fn update_extras(&mut self, change: impl FnOnce(&mut TurnExtras)) {
        let mut extras = self.extras.take().unwrap_or_default();
        change(&mut extras);
        if *extras != TurnExtras::default() {
            self.extras = Some(extras);
        }
    }
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
        /// The slot conditions of a start checkpoint (`> name{"slot": value}`); `None`
        /// when none are written (most checkpoints). Boxed, as in `Event`: most lines are
        /// actions and user turns, and a step is as large as its largest kind.
        conditions: Option<Box<Map<String, Value>>>,
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
    /// A YAML `bot:` step: the bot's text, not stripped (an action with no name).
    Bot(CompactString),
    /// A YAML `or:` step whose alternatives include `slot_was_set` items (Rasa 3): one
    /// alternative per user step and per slot. An `or:` of user steps only is a
    /// [`StepKind::User`] turn, as `* a OR b` is.
    Or(Vec<OrAlternative>),
}

/// One alternative of a YAML `or:` step that mixes slots and user steps.
#[derive(Debug, Clone, PartialEq)]
pub enum OrAlternative {
    User(UserAlternative),
    Slot(SlotSet),
}

/// One meaningful line of a story block (a YAML step or rule condition).
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub kind: StepKind,
    /// See [`Step::span`]; as offsets (8 bytes, not 16): a step is stored per story line.
    span: Offsets,
    /// See [`Step::name_span`].
    name_span: Offsets,
}

impl Step {
    pub fn new(kind: StepKind, span: &Span, name_span: &Span) -> Self {
        Step {
            kind,
            span: Offsets::new(span),
            name_span: Offsets::new(name_span),
        }
    }

    /// The line's content (stripped) in the source; YAML: the step's mapping.
    pub fn span(&self) -> Span {
        self.span.span()
    }

    /// The name written on the line (action, form, checkpoint, event name); YAML: the
    /// value of the step's key (without quotes), or the key when the value is empty.
    pub fn name_span(&self) -> Span {
        self.name_span.span()
    }

    /// The alternatives of a user turn, or the user alternatives of a YAML `or:`.
    pub fn user_alternatives(&self) -> impl Iterator<Item = &UserAlternative> {
        let (turn, mixed): (&[UserAlternative], &[OrAlternative]) = match &self.kind {
            StepKind::User(alternatives) => (alternatives, &[]),
            StepKind::Or(alternatives) => (&[], alternatives),
            _ => (&[], &[]),
        };
        turn.iter().chain(mixed.iter().filter_map(|a| match a {
            OrAlternative::User(user) => Some(user),
            OrAlternative::Slot(_) => None,
        }))
    }

    /// The slots a slot step sets, or the slot alternatives of a YAML `or:`.
    pub fn slot_sets(&self) -> impl Iterator<Item = &SlotSet> {
        let (plain, mixed): (&[SlotSet], &[OrAlternative]) = match &self.kind {
            StepKind::Slot(slots) => (slots, &[]),
            StepKind::Or(alternatives) => (&[], alternatives),
            _ => (&[], &[]),
        };
        plain.iter().chain(mixed.iter().filter_map(|a| match a {
            OrAlternative::Slot(slot) => Some(slot),
            OrAlternative::User(_) => None,
        }))
    }
}

// A step is stored for every story line of the bot: keep it small (a large kind is boxed).
const _: () = assert!(std::mem::size_of::<Step>() <= 56);

/// A `## name` block (a YAML `story:` or `rule:` item) and its steps.
#[derive(Debug, Clone, PartialEq)]
pub struct StoryBlock {
    /// The name; empty for a YAML item whose name is empty or null.
    pub name: CompactString,
    /// Markdown: the header line; YAML: the name (without quotes), or the `story`/`rule`
    /// key when the name is empty or null.
    pub header_span: Span,
    pub steps: Vec<Step>,
    pub kind: BlockKind,
    /// A YAML item whose name is null (`story:` with nothing after it), which Rasa keeps as
    /// `None` rather than `""`.
    pub null_name: bool,
}

impl StoryBlock {
    pub fn is_rule(&self) -> bool {
        matches!(self.kind, BlockKind::Rule(_))
    }

    /// The steps written under `steps:`, without a rule's conditions.
    pub fn story_steps(&self) -> &[Step] {
        match &self.kind {
            BlockKind::Story => &self.steps,
            BlockKind::Rule(rule) => self.steps.get(rule.conditions..).unwrap_or_default(),
        }
    }
}

/// What a block is.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum BlockKind {
    #[default]
    Story,
    /// A YAML `rule:` item (boxed: rules are the fewer blocks).
    Rule(Box<RuleHead>),
}

/// What a rule says besides its steps.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleHead {
    /// How many of the block's first steps are the rule's `condition:` entries.
    pub conditions: usize,
    /// `conversation_start: true`: Rasa adds no `...` before the steps.
    pub conversation_start: bool,
    /// `wait_for_user_input` is not `false`: Rasa adds no `...` after the steps.
    pub wait_for_user_input: bool,
}

/// How a story file is written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum StorySyntax {
    /// Rasa 1.x Markdown (`## story`, `* intent`, `- action`).
    #[default]
    Markdown,
    /// Rasa 2/3 YAML (`stories:`, `rules:`).
    Yaml,
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
    /// Why Rasa would refuse the file (the first error it would stop at), with the line:
    /// Rasa 1.10 for Markdown, Rasa 3.6 for YAML (a schema error, a crash).
    pub rasa_error: Option<(usize, String)>,
    pub syntax: StorySyntax,
}

impl StoryFile {
    /// Every step of every block, in file order.
    pub fn steps(&self) -> impl Iterator<Item = &Step> {
        self.blocks.iter().flat_map(|b| &b.steps)
    }

    /// Every alternative of every user turn (and of every YAML `or:` of slots and turns).
    pub fn user_alternatives(&self) -> impl Iterator<Item = &UserAlternative> {
        self.steps().flat_map(Step::user_alternatives)
    }

    /// Every slot every step sets: `slot{…}` lines, YAML `slot_was_set` steps and
    /// conditions, and the slots of a YAML `or:`.
    pub fn slot_sets(&self) -> impl Iterator<Item = &SlotSet> {
        self.steps().flat_map(Step::slot_sets)
    }

    pub fn is_yaml(&self) -> bool {
        self.syntax == StorySyntax::Yaml
    }

    /// Every action step with the action's name.
    pub fn actions(&self) -> impl Iterator<Item = (&Step, &str)> {
        self.steps().filter_map(|step| match &step.kind {
            StepKind::Action { name, .. } => Some((step, name.as_str())),
            _ => None,
        })
    }
}
