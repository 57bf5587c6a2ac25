//! Story blocks turned into Rasa's story steps, replaying Rasa's `StoryStepBuilder` (1.10
//! for Markdown, 2.8/3.6 for YAML, which builds steps the same way): start and end
//! checkpoints, and `* a OR b` turns (YAML `or:` steps) that split a block into one copy
//! per alternative joined by a generated checkpoint; for YAML rules also the condition
//! events and the `...` Rasa adds around the steps. This is what Rasa trains on and what
//! `rasalint dump` shows.

use compact_str::CompactString;
use serde_json::{Map, Value};

use crate::model::dialogue::{
    BlockKind, JsonValue, OrAlternative, SlotSet, StepKind, StoryBlock, StoryFile, UserAlternative,
};

/// The action Rasa adds to a rule before its steps (unless `conversation_start: true`) and
/// after them (when `wait_for_user_input: false`): "anything may happen here".
pub const RULE_SNIPPET_ACTION: &str = "...";

/// The checkpoint every story without a start checkpoint begins at.
pub const STORY_START: &str = "STORY_START";

#[derive(Debug, Clone, PartialEq)]
pub struct Checkpoint {
    pub name: String,
    pub conditions: Map<String, Value>,
}

impl Checkpoint {
    fn named(name: impl Into<String>) -> Self {
        Checkpoint {
            name: name.into(),
            conditions: Map::new(),
        }
    }

    /// `GENR_OR` for a generated `GENR_OR_<id>` checkpoint; `None` for a user's checkpoint.
    pub fn generated_prefix(&self) -> Option<&str> {
        self.name.starts_with("GENR_").then(|| {
            self.name
                .rsplit_once('_')
                .map_or(self.name.as_str(), |(p, _)| p)
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    User(UserAlternative),
    Action(CompactString),
    Slot(CompactString, JsonValue),
    /// A YAML `slot_was_set` item naming the slot only: the value is the domain's.
    NamedSlot(CompactString),
    Form(Option<CompactString>),
    Other(String, Map<String, Value>),
    /// A YAML `bot:` text.
    Bot(CompactString),
}

impl Event {
    /// What the event means, without where it is written (Rasa's `str()` of an event, as
    /// far as telling two events apart goes).
    fn key(&self) -> String {
        match self {
            Event::User(user) => {
                let entities: Vec<_> = user
                    .entities
                    .iter()
                    .map(|e| (&e.entity, &e.value, e.start, e.end, e.role(), e.group()))
                    .collect();
                format!(
                    "User{:?}",
                    (
                        &user.intent,
                        user.e2e_text(),
                        user.full_retrieval_intent(),
                        entities
                    )
                )
            }
            other => format!("{other:?}"),
        }
    }

    fn slot(set: &SlotSet) -> Event {
        if set.by_name {
            Event::NamedSlot(set.name.clone())
        } else {
            Event::Slot(set.name.clone(), set.value.clone())
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct StoryStep {
    pub block_name: CompactString,
    pub start: Vec<Checkpoint>,
    pub end: Vec<Checkpoint>,
    pub events: Vec<Event>,
    /// A step of a YAML rule.
    pub rule: bool,
    /// A step of a YAML item whose name is null (Rasa's name is `None`).
    pub null_name: bool,
    /// How many of the first events are the rule's conditions.
    pub conditions: usize,
}

/// Copies of story steps allowed per written story line, on top of [`COPY_BUDGET`]: Rasa
/// copies the steps before an `OR` turn once per alternative, which real bots do a few
/// times. The story graph (RL301) reads steps under the same budget.
pub const COPIES_PER_LINE: u64 = 8;
/// The fixed part of the copy budget: what copying a step costs is its events and one.
pub const COPY_BUDGET: u64 = 20_000;

/// Why the steps were not all read: end checkpoints written in a row double a block's
/// steps each time, so a few lines can ask for millions of copies (Rasa then runs out of
/// memory).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooManyCopies {
    /// The story block whose copies ran out of budget.
    pub block: CompactString,
    pub budget: u64,
}

/// The story steps Rasa 1.10 reads from a story file, in its order; or, when Rasa's copies
/// would cost more than the budget, where they ran out.
pub fn story_steps(file: &StoryFile) -> Result<Vec<StoryStep>, TooManyCopies> {
    let lines: usize = file.blocks.iter().map(|b| b.steps.len()).sum();
    let budget = COPY_BUDGET.saturating_add(COPIES_PER_LINE.saturating_mul(lines as u64));
    let mut left = budget;
    let mut steps = Vec::new();
    let mut names = GeneratedNames {
        hashed: file.is_yaml(),
        ..GeneratedNames::default()
    };
    for block in &file.blocks {
        let mut builder = Builder {
            name: block.name.clone(),
            null_name: block.null_name,
            rule: block.is_rule(),
            start: Vec::new(),
            current: Vec::new(),
            done: Vec::new(),
            left,
        };
        let (conditions, head) = match &block.kind {
            BlockKind::Story => (0, None),
            BlockKind::Rule(head) => (head.conditions, Some(head)),
        };
        for (index, step) in block.steps.iter().enumerate() {
            if index == conditions && head.is_some_and(|h| !h.conversation_start) {
                builder.add_event(Event::Action(RULE_SNIPPET_ACTION.into()), false);
            }
            builder.add_step(&step.kind, index < conditions, &mut names);
            if builder.left == 0 {
                return Err(TooManyCopies {
                    block: block.name.clone(),
                    budget,
                });
            }
        }
        close_rule(&mut builder, block);
        builder.flush();
        left = builder.left;
        steps.extend(builder.done);
    }
    Ok(steps)
}

/// The `...` Rasa adds to a rule: before the steps when a rule has none after its
/// conditions, and after them when it does not wait for the user.
fn close_rule(builder: &mut Builder, block: &StoryBlock) {
    let BlockKind::Rule(head) = &block.kind else {
        return;
    };
    if block.steps.len() <= head.conditions && !head.conversation_start {
        builder.add_event(Event::Action(RULE_SNIPPET_ACTION.into()), false);
    }
    if !head.wait_for_user_input {
        builder.add_event(Event::Action(RULE_SNIPPET_ACTION.into()), false);
    }
}

/// Names of generated checkpoints. Rasa 1.10 makes each one unique; Rasa 2/3 names one
/// by a hash of the block's name, the events so far, the start checkpoints and the
/// alternatives, so the same `or:` in two blocks of the same name joins them.
#[derive(Default)]
struct GeneratedNames {
    hashed: bool,
    keys: Vec<String>,
}

impl GeneratedNames {
    fn next(&mut self, key: impl FnOnce() -> String) -> String {
        if !self.hashed {
            self.keys.push(String::new());
            return format!("GENR_OR_{:05x}", self.keys.len());
        }
        let key = key();
        let index = match self.keys.iter().position(|k| *k == key) {
            Some(i) => i,
            None => {
                self.keys.push(key);
                self.keys.len() - 1
            }
        };
        format!("GENR_OR_{:05x}", index + 1)
    }
}

struct Builder {
    name: CompactString,
    null_name: bool,
    rule: bool,
    start: Vec<Checkpoint>,
    current: Vec<StoryStep>,
    done: Vec<StoryStep>,
    /// What copies may still cost; at 0 the builder copies nothing more.
    left: u64,
}

impl Builder {
    fn add_step(&mut self, kind: &StepKind, condition: bool, names: &mut GeneratedNames) {
        match kind {
            StepKind::Checkpoint { name, conditions } => {
                self.add_checkpoint(name, conditions.as_deref())
            }
            StepKind::User(alternatives) => {
                let events = alternatives.iter().cloned().map(Event::User).collect();
                self.add_alternatives(events, names);
            }
            StepKind::Or(alternatives) => {
                let events = alternatives
                    .iter()
                    .map(|a| match a {
                        OrAlternative::User(user) => Event::User(user.clone()),
                        OrAlternative::Slot(set) => Event::slot(set),
                    })
                    .collect();
                self.add_alternatives(events, names);
            }
            StepKind::Action { name, .. } => self.add_event(Event::Action(name.clone()), condition),
            StepKind::Bot(text) => self.add_event(Event::Bot(text.clone()), condition),
            StepKind::Slot(pairs) => pairs
                .iter()
                .for_each(|s| self.add_event(Event::slot(s), condition)),
            StepKind::Form { name, .. } => self.add_event(Event::Form(name.clone()), condition),
            StepKind::Event {
                type_name,
                parameters,
            } => self.add_event(
                Event::Other(type_name.clone(), (**parameters).clone()),
                condition,
            ),
        }
    }

    fn add_checkpoint(&mut self, name: &str, conditions: Option<&Map<String, Value>>) {
        if self.current.is_empty() {
            self.start.push(Checkpoint {
                name: name.to_string(),
                conditions: conditions.cloned().unwrap_or_default(),
            });
            return;
        }
        let mut copies = Vec::new();
        for step in &mut self.current {
            if step.end.is_empty() {
                step.end.push(Checkpoint::named(name));
            } else if self.left > 0 {
                self.left = self.left.saturating_sub(step.events.len() as u64 + 1);
                let mut copy = step.clone();
                copy.end = vec![Checkpoint::named(name)];
                copies.push(copy);
            }
        }
        self.current.extend(copies);
    }

    /// The alternatives of a user turn or `or:` step (an empty `or:` adds nothing).
    fn add_alternatives(&mut self, alternatives: Vec<Event>, names: &mut GeneratedNames) {
        if alternatives.is_empty() {
            return;
        }
        self.ensure_current_steps();
        if let [only] = alternatives.as_slice() {
            for step in &mut self.current {
                step.events.push(only.clone());
            }
            return;
        }
        let checkpoint = Checkpoint::named(names.next(|| self.or_key(&alternatives)));
        let mut split = Vec::new();
        for step in &self.current {
            for alternative in &alternatives {
                if self.left == 0 {
                    break;
                }
                self.left = self.left.saturating_sub(step.events.len() as u64 + 1);
                let mut copy = step.clone();
                copy.events.push(alternative.clone());
                copy.end = vec![checkpoint.clone()];
                split.push(copy);
            }
        }
        self.current = split;
    }

    /// What Rasa 2/3 hashes into the name of an `or:` step's checkpoint.
    fn or_key(&self, alternatives: &[Event]) -> String {
        let mut sorted: Vec<String> = alternatives.iter().map(Event::key).collect();
        sorted.sort();
        let mut starts: Vec<&str> = self
            .current
            .iter()
            .flat_map(|s| &s.start)
            .map(|c| c.name.as_str())
            .collect();
        starts.sort_unstable();
        starts.dedup();
        let events: Vec<String> = self
            .current
            .iter()
            .flat_map(|s| &s.events)
            .map(Event::key)
            .collect();
        format!("{:?}", (&self.name, events, starts, sorted))
    }

    fn add_event(&mut self, event: Event, condition: bool) {
        self.ensure_current_steps();
        for step in &mut self.current {
            step.events.push(event.clone());
            if condition {
                step.conditions = step.events.len();
            }
        }
    }

    fn ensure_current_steps(&mut self) {
        let (completed, unfinished): (Vec<_>, Vec<_>) =
            self.current.drain(..).partition(|s| !s.end.is_empty());
        let next_start = self.next_start(&completed);
        self.done.extend(completed);
        self.current = if unfinished.is_empty() {
            vec![StoryStep {
                block_name: self.name.clone(),
                start: next_start,
                end: Vec::new(),
                events: Vec::new(),
                rule: self.rule,
                null_name: self.null_name,
                conditions: 0,
            }]
        } else {
            unfinished
        };
    }

    /// Where the next step starts: after the previous steps' end checkpoints, else at the
    /// block's start checkpoints, else at the story start. (Rasa collects the end names in a
    /// set; rasalint keeps their first-appearance order.)
    fn next_start(&self, previous: &[StoryStep]) -> Vec<Checkpoint> {
        let mut names: Vec<&str> = Vec::new();
        for checkpoint in previous.iter().flat_map(|s| &s.end) {
            if !names.contains(&checkpoint.name.as_str()) {
                names.push(&checkpoint.name);
            }
        }
        let start = if previous.is_empty() {
            self.start.clone()
        } else {
            names.into_iter().map(Checkpoint::named).collect()
        };
        if start.is_empty() {
            vec![Checkpoint::named(STORY_START)]
        } else {
            start
        }
    }

    fn flush(&mut self) {
        self.done.append(&mut self.current);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;
    use crate::syntax::stories::parse_stories;

    fn steps(text: &str) -> Result<Vec<StoryStep>, TooManyCopies> {
        story_steps(&parse_stories(FileId(0), text).0)
    }

    #[test]
    fn end_checkpoints_in_a_row_stop_at_the_copy_budget() {
        let text = |k: usize| {
            format!(
                "## loop\n> a\n* greet\n  - utter_greet\n{}",
                "> a\n".repeat(k)
            )
        };
        assert_eq!(steps(&text(3)).map(|s| s.len()), Ok(4));
        let too_many = steps(&text(64)).expect_err("2^63 copies are not made");
        assert_eq!(too_many.block, "loop");
        assert_eq!(too_many.budget, COPY_BUDGET + COPIES_PER_LINE * 67);
    }
}
