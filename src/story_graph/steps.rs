//! Story blocks turned into Rasa's story steps, with where every event was written.
//!
//! This replays Rasa 1.10's `StoryStepBuilder` (as `crate::syntax::rasa_steps` does) and
//! also the global `STEP_COUNT` Rasa numbers steps with: step ids are `"<count>_<uuid>"`
//! and the story graph sorts them *as strings*, so the order Rasa walks the graph in (and
//! with it which edge of a cycle it cuts) depends on these numbers. Story files are read
//! in the order Rasa reads them: sorted by absolute path. Events borrow from the parsed
//! stories.

use serde_json::{Map, Value};

use crate::model::Project;
use crate::model::dialogue::{self, JsonValue, OrAlternative, StepKind, UserAlternative};
use crate::source::{FileId, Span};

use super::Budget;

use rustc_hash::FxHashMap as FxMap;

/// A checkpoint of a step: an interned name (see [`Steps::checkpoint_name`]) and the
/// start conditions.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cp<'p> {
    pub name: u32,
    pub conditions: Option<&'p Map<String, Value>>,
}

impl Cp<'_> {
    pub fn named(name: u32) -> Self {
        Cp {
            name,
            conditions: None,
        }
    }
}

/// An event as written in a story (implicit events are added later, with the domain).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RawKind<'p> {
    User(&'p UserAlternative),
    Action(&'p str),
    Slot(&'p str, &'p JsonValue),
    /// A YAML `slot_was_set` item that names the slot only: its value comes from the
    /// domain's slot type.
    NamedSlot(&'p str),
    Form(Option<&'p str>),
    Other(&'p str, &'p Map<String, Value>),
    /// A YAML `bot:` text.
    Bot(&'p str),
}

/// An event and the story line it is written on. Stored for every event of every step
/// (and again in every copy Rasa makes of a step), so it is kept to 16 bytes: the line,
/// which part of it (the alternative of a user turn, the pair of a slot line) and its
/// block; its kind (and file, see [`Steps::file_of`]) worked out when asked for.
#[derive(Debug, Clone, Copy)]
pub struct RawEvent<'p> {
    pub line: &'p dialogue::Step,
    part: u32,
    pub block: u32,
}

const _: () = assert!(std::mem::size_of::<RawEvent>() <= 16);

impl<'p> RawEvent<'p> {
    /// What the event is.
    pub fn kind(&self) -> RawKind<'p> {
        let part = self.part as usize;
        let slot = |slot: &'p dialogue::SlotSet| match slot.by_name {
            true => RawKind::NamedSlot(&slot.name),
            false => RawKind::Slot(&slot.name, &slot.value),
        };
        match &self.line.kind {
            StepKind::User(alternatives) => RawKind::User(&alternatives[part]),
            StepKind::Or(alternatives) => match &alternatives[part] {
                OrAlternative::User(user) => RawKind::User(user),
                OrAlternative::Slot(set) => slot(set),
            },
            StepKind::Action { name, .. } => RawKind::Action(name),
            StepKind::Bot(text) => RawKind::Bot(text),
            StepKind::Slot(pairs) => slot(&pairs[part]),
            StepKind::Form { name, .. } => RawKind::Form(name.as_deref()),
            StepKind::Event {
                type_name,
                parameters,
            } => RawKind::Other(type_name, parameters),
            // Checkpoint lines are never events.
            StepKind::Checkpoint { .. } => unreachable!("a checkpoint line is not an event"),
        }
    }

    /// The name on the line: the action, the intent of the turn's alternative.
    pub fn name_span(&self) -> Span {
        match self.kind() {
            RawKind::User(alternative) => alternative.intent_span(),
            _ => self.line.name_span(),
        }
    }
}

/// One story block's header.
#[derive(Debug, Clone, PartialEq)]
pub struct Block<'p> {
    pub name: &'p str,
    pub file: FileId,
    pub header: Span,
}

/// A story step: Rasa's `StoryStep`, its id number, its start checkpoints as a
/// reference into [`Steps::start_lists`] (Rasa shares one list object between a step and
/// its copies, and the cycle removal extends such lists in place), and its events as a
/// range of [`Steps::events`].
#[derive(Debug, Clone)]
pub struct Step<'p> {
    pub count: u64,
    pub block: u32,
    pub start: u32,
    pub end: Vec<Cp<'p>>,
    pub events: (u32, u32),
}

/// A step while its block is read: its events still grow.
#[derive(Debug, Clone)]
struct Building<'p> {
    count: u64,
    start: u32,
    end: Vec<Cp<'p>>,
    events: Vec<RawEvent<'p>>,
}

/// Every step of the bot, in Rasa's reading order.
#[derive(Debug, Default)]
pub struct Steps<'p> {
    pub blocks: Vec<Block<'p>>,
    pub steps: Vec<Step<'p>>,
    pub events: Vec<RawEvent<'p>>,
    pub start_lists: Vec<Vec<Cp<'p>>>,
    /// The last step count used (Rasa's `STEP_COUNT - 1`).
    pub counter: u64,
    names: Vec<String>,
    name_ids: FxMap<String, u32>,
    /// Where each checkpoint name is first written, for findings about the graph.
    pub checkpoint_lines: FxMap<u32, (FileId, Span)>,
    /// What copying steps may still cost (see [`Steps::read_limited`]).
    copies: Budget,
    /// Where reading stopped because copies ran out of budget.
    pub overflow: Option<Overflow>,
}

/// Where reading stories stopped: Rasa's copies of a block's steps would have exceeded
/// the budget at this line.
#[derive(Debug, Clone, PartialEq)]
pub struct Overflow {
    pub block: u32,
    pub file: FileId,
    pub line: Span,
    /// The budget, in events and steps copied.
    pub budget: u64,
}

/// The copy budget, shared with `rasalint dump`'s reading of story steps.
pub use crate::syntax::rasa_steps::{COPIES_PER_LINE, COPY_BUDGET};

pub const STORY_START: &str = "STORY_START";
/// Rasa's prefix of generated checkpoints; rasalint's generated names also hold a
/// character no story line can, so they never equal a written name.
pub const GENERATED_PREFIX: &str = "GENR_";

impl<'p> Steps<'p> {
    pub fn read(project: &'p Project) -> Steps<'p> {
        Steps::read_limited(project, COPY_BUDGET)
    }

    /// [`Steps::read`], stopping (with [`Steps::overflow`] set) once the copies Rasa
    /// makes cost more than `budget` plus [`COPIES_PER_LINE`] per written story line (a
    /// copy costs its events and one): end checkpoints written in a row double a block's
    /// steps each time, so a few lines can ask for millions.
    pub fn read_limited(project: &'p Project, budget: u64) -> Steps<'p> {
        let mut files: Vec<_> = project.story_files().collect();
        files.sort_by_cached_key(|(id, _)| {
            project.file(*id).disk_path.to_string_lossy().into_owned()
        });
        let mut steps = Steps::default();
        // About one event per story line and one or two steps and start lists per block
        // (more with `OR` turns and checkpoints): reserved once, generously, rather than
        // doubled and copied as they grow. Capacity never written to is never touched,
        // so costs no memory.
        let (block_count, lines) = files
            .iter()
            .flat_map(|(_, stories)| &stories.blocks)
            .fold((0, 0), |(blocks, lines), block| {
                (blocks + 1, lines + block.steps.len())
            });
        let allowance = budget.saturating_add(COPIES_PER_LINE.saturating_mul(lines as u64));
        steps.copies = Budget::new(allowance);
        steps.events.reserve(lines * 2);
        steps.blocks.reserve(block_count);
        steps.steps.reserve(block_count * 3);
        steps.start_lists.reserve(block_count * 3);
        steps.checkpoint_name(STORY_START);
        let mut pool: Vec<Vec<RawEvent>> = Vec::new();
        let mut generated = 0usize;
        for (file, stories) in files {
            // `rasa data validate stories` reads stories only: rules take no part in
            // story-structure conflicts (Rasa 2.0 and later).
            for block in stories.blocks.iter().filter(|b| !b.is_rule()) {
                let block_index = steps.blocks.len() as u32;
                steps.blocks.push(Block {
                    name: &block.name,
                    file,
                    header: block.header_span.clone(),
                });
                let start = steps.start_lists.len() as u32;
                steps.start_lists.push(Vec::new());
                let mut builder = Builder {
                    steps: &mut steps,
                    start,
                    current: Vec::new(),
                    done: Vec::new(),
                    pool: std::mem::take(&mut pool),
                };
                for line in &block.steps {
                    let event = |part| RawEvent {
                        line,
                        part,
                        block: block_index,
                    };
                    match &line.kind {
                        StepKind::Checkpoint { name, conditions } => {
                            let id = builder.steps.checkpoint_name(name);
                            builder
                                .steps
                                .checkpoint_lines
                                .entry(id)
                                .or_insert((file, line.span()));
                            builder.add_checkpoint(id, conditions.as_deref());
                        }
                        StepKind::User(_) | StepKind::Or(_) => {
                            let n = match &line.kind {
                                StepKind::User(alternatives) => alternatives.len(),
                                StepKind::Or(alternatives) => alternatives.len(),
                                _ => 0,
                            };
                            match n {
                                // An empty `or:` adds nothing.
                                0 => {}
                                // Most turns have one alternative: no list to build.
                                1 => builder.add_user(&[event(0)], &mut generated),
                                n => {
                                    let events: Vec<RawEvent> = (0..n as u32).map(event).collect();
                                    builder.add_user(&events, &mut generated);
                                }
                            }
                        }
                        StepKind::Slot(pairs) => {
                            for part in 0..pairs.len() as u32 {
                                builder.add_event(event(part));
                            }
                        }
                        StepKind::Action { .. }
                        | StepKind::Bot(_)
                        | StepKind::Form { .. }
                        | StepKind::Event { .. } => builder.add_event(event(0)),
                    }
                    if builder.steps.copies.exhausted() {
                        steps.overflow = Some(Overflow {
                            block: block_index,
                            file,
                            line: line.span(),
                            budget: allowance,
                        });
                        return steps;
                    }
                }
                let current = std::mem::take(&mut builder.current);
                builder.done.extend(current);
                let done = std::mem::take(&mut builder.done);
                pool = std::mem::take(&mut builder.pool);
                for step in done {
                    let first = steps.events.len() as u32;
                    steps.events.extend_from_slice(&step.events);
                    steps.steps.push(Step {
                        count: step.count,
                        block: block_index,
                        start: step.start,
                        end: step.end,
                        events: (first, step.events.len() as u32),
                    });
                    let mut spare = step.events;
                    spare.clear();
                    pool.push(spare);
                }
            }
        }
        steps
    }

    /// The file an event is written in.
    pub fn file_of(&self, event: &RawEvent) -> FileId {
        self.blocks[event.block as usize].file
    }

    /// The events of a step.
    pub fn events_of(&self, step: &Step<'p>) -> &[RawEvent<'p>] {
        let (first, len) = step.events;
        &self.events[first as usize..(first + len) as usize]
    }

    /// The id of a checkpoint name.
    pub fn checkpoint_name(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.name_ids.get(name) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.push(name.to_owned());
        self.name_ids.insert(name.to_owned(), id);
        id
    }

    pub fn checkpoint_str(&self, id: u32) -> &str {
        &self.names[id as usize]
    }

    /// Whether a checkpoint name is one Rasa treats as generated (`GENR_…`).
    pub fn is_generated(&self, id: u32) -> bool {
        self.names[id as usize].starts_with(GENERATED_PREFIX)
    }

    /// A new generated checkpoint name.
    pub fn generated(&mut self, kind: &str) -> u32 {
        let name = format!("{GENERATED_PREFIX}{kind}_\u{1}{}", self.names.len());
        self.checkpoint_name(&name)
    }

    fn new_count(&mut self) -> u64 {
        self.counter += 1;
        self.counter
    }
}

struct Builder<'s, 'p> {
    steps: &'s mut Steps<'p>,
    /// The block's start checkpoints (a list shared by the steps that start there).
    start: u32,
    current: Vec<Building<'p>>,
    done: Vec<Building<'p>>,
    /// Emptied event lists, reused.
    pool: Vec<Vec<RawEvent<'p>>>,
}

impl<'p> Builder<'_, 'p> {
    /// A copy of a step with a new count; its events only while the budget lasts (once
    /// it is out, reading stops after the line).
    fn copy(&mut self, step: &Building<'p>) -> Building<'p> {
        let mut events = self.pool.pop().unwrap_or_default();
        if self.steps.copies.spend(step.events.len() as u64 + 1) {
            events.extend_from_slice(&step.events);
        }
        Building {
            count: self.steps.new_count(),
            start: step.start,
            end: step.end.clone(),
            events,
        }
    }

    /// A checkpoint line, with its conditions (`None` when none are written).
    fn add_checkpoint(&mut self, name: u32, conditions: Option<&'p Map<String, Value>>) {
        if self.current.is_empty() {
            // A block starts at one checkpoint or two: no room made for four.
            let list = &mut self.steps.start_lists[self.start as usize];
            list.reserve_exact(1);
            list.push(Cp { name, conditions });
            return;
        }
        let mut additional = Vec::new();
        for index in 0..self.current.len() {
            if self.current[index].end.is_empty() {
                self.current[index].end = vec![Cp::named(name)];
            } else {
                let source = self.current[index].clone();
                let mut copy = self.copy(&source);
                copy.end = vec![Cp::named(name)];
                additional.push(copy);
            }
        }
        self.current.extend(additional);
    }

    fn add_user(&mut self, alternatives: &[RawEvent<'p>], generated: &mut usize) {
        self.ensure_current_steps();
        if let [only] = alternatives {
            for step in &mut self.current {
                step.events.push(*only);
            }
            return;
        }
        *generated += 1;
        let checkpoint = self.steps.generated("OR");
        let current = std::mem::take(&mut self.current);
        let mut split = Vec::with_capacity(current.len() * alternatives.len());
        for step in &current {
            for alternative in alternatives {
                let mut copy = self.copy(step);
                copy.events.push(*alternative);
                copy.end = vec![Cp::named(checkpoint)];
                split.push(copy);
            }
        }
        self.current = split;
    }

    fn add_event(&mut self, event: RawEvent<'p>) {
        self.ensure_current_steps();
        for step in &mut self.current {
            step.events.push(event);
        }
    }

    fn ensure_current_steps(&mut self) {
        if !self.current.is_empty() && self.current.iter().all(|s| s.end.is_empty()) {
            return;
        }
        if self.current.iter().any(|s| s.end.is_empty()) {
            let (completed, unfinished): (Vec<Building>, Vec<Building>) =
                std::mem::take(&mut self.current)
                    .into_iter()
                    .partition(|s| !s.end.is_empty());
            self.done.extend(completed);
            self.current = unfinished;
            return;
        }
        let completed = std::mem::take(&mut self.current);
        // `_prev_end_checkpoints`: the end names of the steps so far (Rasa collects them
        // in a set; rasalint keeps their first appearance), else the block's own start
        // checkpoints (the shared list), else the story start.
        let start = if completed.is_empty() {
            if self.steps.start_lists[self.start as usize].is_empty() {
                self.new_list(vec![Cp::named(0)])
            } else {
                self.start
            }
        } else {
            let mut names: Vec<u32> = Vec::new();
            for cp in completed.iter().flat_map(|s| &s.end) {
                if !names.contains(&cp.name) {
                    names.push(cp.name);
                }
            }
            let list = names.into_iter().map(Cp::named).collect();
            self.new_list(list)
        };
        self.done.extend(completed);
        let count = self.steps.new_count();
        let events = self.pool.pop().unwrap_or_default();
        self.current = vec![Building {
            count,
            start,
            end: Vec::new(),
            events,
        }];
    }

    fn new_list(&mut self, list: Vec<Cp<'p>>) -> u32 {
        self.steps.start_lists.push(list);
        (self.steps.start_lists.len() - 1) as u32
    }
}
