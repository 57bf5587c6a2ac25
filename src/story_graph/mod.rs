//! The story graph and its structure conflicts, as Rasa 1.10's `rasa data validate
//! stories` finds them (spec §3.3, §3.6, §6.3), found fast and explained with lines.
//!
//! The pipeline replays Rasa's:
//!
//! 1. [`steps`]: story blocks → story steps (checkpoints, `OR` turns split into steps
//!    joined by generated checkpoints), numbered as Rasa numbers them;
//! 2. [`graph`]: the steps in Rasa's topological order, cycles cut as Rasa cuts them;
//! 3. [`generator`]: trackers walked through the graph — implicit `action_listen`s,
//!    slots filled from entities, start-checkpoint conditions, Rasa's phases — keeping,
//!    as Rasa does, one tracker per distinct state sequence at story ends;
//! 4. [`tracker`]: 1.x states (`intent_*`, `entity_*` as the intent's `use_entities`
//!    allow, slot features, `prev_<action>` for actions the domain knows,
//!    `active_form_*`);
//! 5. [`conflicts`]: each action's states sliced to `max_history` and left-padded,
//!    hashed; two passes after a cheap pre-filter; conflicts at the very start of a
//!    dialogue dropped.
//!
//! The work is linear in the events the generator applies: no slice is ever built
//! (slices are keyed by rolling hashes, [`seqhash`]) and no two stories are compared.
//! Where Rasa would copy trackers combinatorially (a checkpoint many stories end at and
//! many start from), trackers with the same events travel as one class, and a step that
//! ends a story runs once per distinct control entering it ([`segment`]): the classes it
//! finishes share its events and states instead of writing their own. What is left
//! can still be exponential in the input (Rasa's copies of story steps, the graph's
//! edges, the dialogues through checkpoints): each of those stages spends from a
//! [`Budget`] (see [`Limits`]), and [`Analysis::cut`] says which ran out, and where.

pub mod conflicts;
pub mod domain;
pub mod generator;
pub mod graph;
pub mod pyvalue;
pub mod segment;
pub mod seqhash;
pub mod steps;
pub mod tracker;

use crate::model::Project;
use crate::source::{FileId, Span};

use self::generator::Cut;
use self::tracker::Place;

/// Work a stage of the analysis may still do, in the units it counts. Rasa's expansion
/// is exponential in places (end checkpoints in a row double a story's steps, a
/// checkpoint many stories end at and start from multiplies dialogues), so every stage
/// that can grow faster than its input spends from one of these and stops when it is
/// out.
#[derive(Debug, Clone, Copy, Default)]
pub struct Budget {
    left: u64,
    out: bool,
}

impl Budget {
    pub fn new(units: u64) -> Self {
        Budget {
            left: units,
            out: false,
        }
    }

    /// Takes `units` from what is left; `false`, taking nothing and marking the budget
    /// as out, when less is left.
    pub fn spend(&mut self, units: u64) -> bool {
        match self.left.checked_sub(units) {
            Some(left) if !self.out => {
                self.left = left;
                true
            }
            _ => {
                self.out = true;
                false
            }
        }
    }

    /// Whether a spend has failed.
    pub fn exhausted(&self) -> bool {
        self.out
    }
}

/// The policies whose featuriser slices histories to `max_history` in Rasa 1.10.
const MAX_HISTORY_POLICIES: &[&str] = &[
    "MemoizationPolicy",
    "AugmentedMemoizationPolicy",
    "TEDPolicy",
    "KerasPolicy",
];

/// Where the `max_history` of an analysis comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum MaxHistoryFrom {
    /// Given by the caller.
    Given,
    /// The largest `max_history` of the policies in `config.yml`.
    Config {
        file: FileId,
        span: Span,
        policy: String,
    },
    /// Rasa's default: the number of states of the longest tracker.
    LongestStory,
}

/// The `max_history` the project's `config.yml` sets: the largest `max_history` written
/// for a MemoizationPolicy, AugmentedMemoizationPolicy, TEDPolicy or KerasPolicy (a
/// conflict at that history confuses every one of them). Policies without one are not
/// counted.
pub fn configured_max_history(project: &Project) -> Option<(usize, MaxHistoryFrom)> {
    let (file, config) = project.config_files().next()?;
    config
        .policies
        .iter()
        .filter(|p| slices_dialogues(p))
        .filter_map(|p| {
            let (value, span) = p.max_history.clone()?;
            (value > 0).then_some((value as usize, span, p.name.name.clone()))
        })
        .max_by_key(|(value, ..)| *value)
        .map(|(value, span, policy)| (value, MaxHistoryFrom::Config { file, span, policy }))
}

/// Whether a policy's `max_history` is one RL301 slices dialogues with.
pub fn slices_dialogues(policy: &crate::model::config::Policy) -> bool {
    let name = &policy.name.name;
    MAX_HISTORY_POLICIES.contains(&name.rsplit('.').next().unwrap_or(name))
}

/// What happened just before the state a conflict is at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PreviousEvent {
    Action(String),
    Intent(String),
    /// The text of an end-to-end user turn without an intent (YAML `user:`).
    UserText(String),
    /// What the bot said (a YAML `bot:` step): Rasa 2's and 3's "bot utterance".
    BotText(String),
}

impl std::fmt::Display for PreviousEvent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PreviousEvent::Action(a) => write!(f, "action `{a}`"),
            PreviousEvent::Intent(i) => write!(f, "intent `{i}`"),
            PreviousEvent::UserText(t) => write!(f, "user text `{t}`"),
            PreviousEvent::BotText(t) => write!(f, "bot text `{t}`"),
        }
    }
}

/// How a competing action is written in a story.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlaceKind {
    /// An action line.
    Written,
    /// The `action_listen` Rasa adds before a user turn (the place is the turn).
    ListenBeforeTurn,
    /// The `action_listen` Rasa adds where a story ends (the place is its last line).
    ListenAtStoryEnd,
}

/// Where a competing action is predicted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionPlace {
    pub file: FileId,
    pub span: Span,
    /// The story block the line is in.
    pub story: String,
    pub kind: PlaceKind,
}

/// One action that follows a conflicting state.
#[derive(Debug, Clone, PartialEq)]
pub struct CompetingAction {
    pub action: String,
    /// Rasa's tracker names (`story` or `story a > story b` across checkpoints), one per
    /// prediction, repeats kept, in encounter order; at most the `tracker_names` asked
    /// for.
    pub trackers: Vec<String>,
    /// How many predictions there are in all.
    pub tracker_count: u64,
    /// The distinct story lines it is predicted at, in file order.
    pub places: Vec<ActionPlace>,
}

/// One state from which stories demand different next actions.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    pub after: PreviousEvent,
    /// The sliced states, oldest first, `None` for padding; features as Rasa names them.
    pub window: Vec<Option<Vec<(String, f64)>>>,
    pub actions: Vec<CompetingAction>,
    /// The smallest `max_history` that tells every competing pair apart, when one does.
    pub separated_by: Option<usize>,
}

/// Why the analysis is incomplete, and where.
#[derive(Debug, Clone, PartialEq)]
pub struct CutNote {
    pub file: FileId,
    pub span: Span,
    pub message: String,
    pub label: String,
    pub help: String,
}

/// The result of [`analyse`].
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    pub max_history: usize,
    pub max_history_from: MaxHistoryFrom,
    /// The states histories were sliced to: `max_history`, or the longest dialogue's
    /// states when that is fewer (a longer `max_history` then finds the same conflicts,
    /// every slice being a whole dialogue); the conflicts' windows have this length.
    pub sliced_to: usize,
    /// Rasa's finished trackers.
    pub trackers: u64,
    /// Cyclic edges Rasa's graph cuts.
    pub cycles: usize,
    pub conflicts: Vec<Conflict>,
    pub cut: Option<CutNote>,
}

/// How much work each stage of [`analyse`] may do before it stops and says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Events and steps Rasa's copies of story steps may cost, beyond
    /// [`steps::COPIES_PER_LINE`] per written story line.
    pub copies: u64,
    /// Edges followed and checkpoints looked at while ordering the graph.
    pub graph: u64,
    /// Events the generator may apply.
    pub events: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            copies: steps::COPY_BUDGET,
            graph: graph::GRAPH_BUDGET,
            events: generator::EVENT_BUDGET,
        }
    }
}

/// Finds the project's story structure conflicts with `max_history` (else the one
/// `config.yml` sets, else Rasa's default, the longest story), keeping up to
/// `tracker_names` of Rasa's tracker names per competing action.
pub fn analyse(project: &Project, max_history: Option<usize>, tracker_names: usize) -> Analysis {
    analyse_with_limits(project, max_history, tracker_names, Limits::default())
}

/// [`analyse`] within `limits`: a stage that runs out stops the analysis there, and
/// [`Analysis::cut`] says where and why. Conflicts are only reported from a complete
/// graph (a partial one would order and cut cycles differently from Rasa's).
pub fn analyse_with_limits(
    project: &Project,
    max_history: Option<usize>,
    tracker_names: usize,
    limits: Limits,
) -> Analysis {
    let fdomain = domain::FeatDomain::from_project(project);
    let mut steps = steps::Steps::read_limited(project, limits.copies);
    let graph = match &steps.overflow {
        Some(overflow) => Err(copies_note(overflow, &steps)),
        None => {
            let graph = graph::build(&mut steps, limits.graph);
            match graph.overflow {
                Some((step, budget)) => Err(graph_note(step, budget, &steps)),
                None => Ok(graph),
            }
        }
    };
    let graph = match graph {
        Ok(graph) => graph,
        Err(note) => return unchecked(project, max_history, note),
    };
    let store = tracker::Store::new(&fdomain);
    let mut g = generator::generate(&steps, &graph, store, limits.events);
    let (max_history, from) = match max_history {
        Some(h) => (h, MaxHistoryFrom::Given),
        None => configured_max_history(project)
            .unwrap_or_else(|| (conflicts::longest(&g), MaxHistoryFrom::LongestStory)),
    };
    // Past the longest dialogue every slice is a whole dialogue, padded: any longer
    // `max_history` finds the same conflicts, so the work (and the padding) stops there.
    let sliced_to = max_history.min(conflicts::longest(&g));
    let raw = if sliced_to == 0 {
        Vec::new()
    } else {
        conflicts::find(&mut g, sliced_to)
    };
    let mut found = Vec::new();
    let raw: Vec<_> = raw
        .into_iter()
        .filter(|c| conflicts::has_prior_event(&g, c))
        .collect();
    for conflict in &raw {
        let state = g.store.state_at(conflict.history);
        let Some(after) = g.store.previous_event(state) else {
            continue;
        };
        let mut actions = Vec::new();
        for (action, occurrences) in &conflict.actions {
            actions.push(competing_action(
                &mut g,
                &steps,
                *action,
                occurrences,
                tracker_names,
            ));
        }
        actions.sort_by_key(first_place);
        found.push(Conflict {
            after,
            window: conflicts::window(&g, conflict.history, sliced_to),
            actions,
            separated_by: conflicts::separating_history(&g, conflict),
        });
    }
    found.sort_by(|a, b| {
        let first = |c: &Conflict| c.actions.iter().map(first_place).min();
        first(a).cmp(&first(b))
    });
    let cut = g.cut.as_ref().map(|cut| cut_note(cut, &steps));
    Analysis {
        max_history,
        max_history_from: from,
        sliced_to,
        trackers: g.finished.iter().map(|c| c.count).sum(),
        cycles: graph.cycles,
        conflicts: found,
        cut,
    }
}

fn first_place(action: &CompetingAction) -> (FileId, usize, usize) {
    action.places.first().map_or((FileId(u32::MAX), 0, 0), |p| {
        (p.file, p.span.start, p.span.end)
    })
}

fn competing_action(
    g: &mut generator::Generated,
    steps: &steps::Steps,
    action: u32,
    occurrences: &[conflicts::Occurrence],
    name_limit: usize,
) -> CompetingAction {
    let mut trackers = Vec::new();
    let mut tracker_count = 0u64;
    let mut places: Vec<ActionPlace> = Vec::new();
    for o in occurrences {
        let class = g.finished[o.class];
        tracker_count = tracker_count.saturating_add(class.count);
        if trackers.len() < name_limit {
            let room = (name_limit - trackers.len()).min(class.count as usize);
            trackers.extend(g.names.expand(class.names, room));
        }
        let Some((step, place)) = g.place(steps, o.xevent) else {
            continue;
        };
        let step = &steps.steps[step];
        let (index, kind) = match place {
            Place::Written(i) => (i, PlaceKind::Written),
            Place::ListenBefore(i) => (i, PlaceKind::ListenBeforeTurn),
            Place::ListenAtEnd(i) => (i, PlaceKind::ListenAtStoryEnd),
            Place::AutoFill(i) => (i, PlaceKind::Written),
        };
        let Some(raw) = steps.events_of(step).get(index as usize) else {
            continue;
        };
        let span = match kind {
            PlaceKind::Written => raw.name_span(),
            _ => raw.line.span(),
        };
        let place = ActionPlace {
            file: steps.file_of(raw),
            span,
            story: steps.blocks[raw.block as usize].name.to_owned(),
            kind,
        };
        if !places.contains(&place) {
            places.push(place);
        }
    }
    places.sort_by_key(|a| (a.file, a.span.start));
    CompetingAction {
        action: g.store.name_str(action).to_owned(),
        trackers,
        tracker_count,
        places,
    }
}

/// An analysis that found nothing because a stage stopped before the generator ran.
fn unchecked(project: &Project, max_history: Option<usize>, cut: CutNote) -> Analysis {
    let (max_history, max_history_from) = match max_history {
        Some(h) => (h, MaxHistoryFrom::Given),
        None => configured_max_history(project).unwrap_or((0, MaxHistoryFrom::LongestStory)),
    };
    Analysis {
        max_history,
        max_history_from,
        sliced_to: 0,
        trackers: 0,
        cycles: 0,
        conflicts: Vec::new(),
        cut: Some(cut),
    }
}

fn copies_note(overflow: &steps::Overflow, steps: &steps::Steps) -> CutNote {
    let block = &steps.blocks[overflow.block as usize];
    CutNote {
        file: overflow.file,
        span: overflow.line.clone(),
        message: format!(
            "the story-structure check did not run: reading story `{}` as Rasa does makes more copies of its story steps than rasalint's budget of {} copied events (every end checkpoint written after another one doubles the story's steps); no conflicts are reported for this bot",
            block.name, overflow.budget
        ),
        label: "the copies exceed the budget here".to_string(),
        help: "write one end checkpoint per story part (a checkpoint written again is the same checkpoint), or split the story".to_string(),
    }
}

fn graph_note(step: usize, budget: u64, steps: &steps::Steps) -> CutNote {
    let (file, span, block) = step_place(step, steps);
    CutNote {
        file,
        span,
        message: format!(
            "the story-structure check did not run: the checkpoints join {} story steps by so many edges and cycles that ordering them as Rasa does (following every edge, cutting every cycle) exceeds rasalint's budget of {budget} units of work (met at story `{block}`); no conflicts are reported for this bot",
            steps.steps.len()
        ),
        label: "ordering the story graph stopped here".to_string(),
        help: CHECKPOINT_HELP.to_string(),
    }
}

const CHECKPOINT_HELP: &str = "checkpoints that many stories end at and many stories start from multiply the dialogues; join fewer story parts through one checkpoint, or check the parts with smaller bots";

/// Where a step starts: its first written start checkpoint, else its block's header;
/// and the block's name.
fn step_place<'s>(step: usize, steps: &'s steps::Steps) -> (FileId, Span, &'s str) {
    let s = &steps.steps[step];
    let block = &steps.blocks[s.block as usize];
    let written = steps.start_lists[s.start as usize]
        .iter()
        .find_map(|cp| steps.checkpoint_lines.get(&cp.name));
    let (file, span) = written
        .cloned()
        .unwrap_or((block.file, block.header.clone()));
    (file, span, block.name)
}

fn cut_note(cut: &Cut, steps: &steps::Steps) -> CutNote {
    match cut {
        Cut::Budget {
            step,
            trackers,
            budget,
        } => {
            let (file, span, block) = step_place(*step, steps);
            CutNote {
                file,
                span,
                message: format!(
                    "the story-structure check stopped here: the checkpoints lead {trackers} dialogues into story `{block}`, and expanding every combination (as Rasa does) exceeds rasalint's budget of {budget} events; conflicts in dialogues that go on from here are not reported"
                ),
                label: "expansion stopped here".to_string(),
                help: CHECKPOINT_HELP.to_string(),
            }
        }
        Cut::Phases => {
            let first = steps.blocks.first();
            CutNote {
                file: first.map_or(FileId(0), |b| b.file),
                span: first.map_or(0..0, |b| b.header.clone()),
                message: format!(
                    "the story-structure check stopped after {} rounds of following checkpoints: the story graph keeps reaching new checkpoints (loops); conflicts in later rounds are not reported",
                    generator::PHASE_LIMIT
                ),
                label: "expansion stopped here".to_string(),
                help: CHECKPOINT_HELP.to_string(),
            }
        }
    }
}
