//! Story blocks turned into Rasa's story steps, replaying Rasa 1.10's `StoryStepBuilder`:
//! start and end checkpoints, and `* a OR b` turns that split a block into one copy per
//! alternative joined by a generated checkpoint. This is what Rasa trains on and what the
//! story graph (and the structure-conflict check) is built from.

use compact_str::CompactString;
use serde_json::{Map, Value};

use crate::model::dialogue::{StepKind, StoryFile, UserAlternative};

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
    Slot(String, Value),
    Form(Option<CompactString>),
    Other(String, Map<String, Value>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct StoryStep {
    pub block_name: CompactString,
    pub start: Vec<Checkpoint>,
    pub end: Vec<Checkpoint>,
    pub events: Vec<Event>,
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
    let mut generated = 0;
    let mut steps = Vec::new();
    for block in &file.blocks {
        let mut builder = Builder {
            name: block.name.clone(),
            start: Vec::new(),
            current: Vec::new(),
            done: Vec::new(),
            left,
        };
        for step in &block.steps {
            match &step.kind {
                StepKind::Checkpoint { name, conditions } => {
                    builder.add_checkpoint(name, conditions)
                }
                StepKind::User(alternatives) => builder.add_user(alternatives, &mut generated),
                StepKind::Action { name, .. } => builder.add_event(Event::Action(name.clone())),
                StepKind::Slot(pairs) => pairs
                    .iter()
                    .for_each(|s| builder.add_event(Event::Slot(s.name.clone(), s.value.clone()))),
                StepKind::Form { name, .. } => builder.add_event(Event::Form(name.clone())),
                StepKind::Event {
                    type_name,
                    parameters,
                } => builder.add_event(Event::Other(type_name.clone(), (**parameters).clone())),
            }
            if builder.left == 0 {
                return Err(TooManyCopies {
                    block: block.name.clone(),
                    budget,
                });
            }
        }
        builder.flush();
        left = builder.left;
        steps.extend(builder.done);
    }
    Ok(steps)
}

struct Builder {
    name: CompactString,
    start: Vec<Checkpoint>,
    current: Vec<StoryStep>,
    done: Vec<StoryStep>,
    /// What copies may still cost; at 0 the builder copies nothing more.
    left: u64,
}

impl Builder {
    fn add_checkpoint(&mut self, name: &str, conditions: &Map<String, Value>) {
        if self.current.is_empty() {
            self.start.push(Checkpoint {
                name: name.to_string(),
                conditions: conditions.clone(),
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

    fn add_user(&mut self, alternatives: &[UserAlternative], generated: &mut usize) {
        self.ensure_current_steps();
        if let [only] = alternatives {
            for step in &mut self.current {
                step.events.push(Event::User(only.clone()));
            }
            return;
        }
        *generated += 1;
        let checkpoint = Checkpoint::named(format!("GENR_OR_{generated:05x}"));
        let mut split = Vec::new();
        for step in &self.current {
            for alternative in alternatives {
                if self.left == 0 {
                    break;
                }
                self.left = self.left.saturating_sub(step.events.len() as u64 + 1);
                let mut copy = step.clone();
                copy.events.push(Event::User(alternative.clone()));
                copy.end = vec![checkpoint.clone()];
                split.push(copy);
            }
        }
        self.current = split;
    }

    fn add_event(&mut self, event: Event) {
        self.ensure_current_steps();
        for step in &mut self.current {
            step.events.push(event.clone());
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
