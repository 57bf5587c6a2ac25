//! Rasa 1.10's `TrainingDataGenerator` as `rasa data validate` runs it (no
//! de-duplication of incoming trackers, no augmentation): trackers start at
//! `STORY_START`, run through the steps in graph order, are handed from end to start
//! checkpoints (filtered by start conditions), and phases repeat until no new checkpoint
//! is reached — Rasa's own guard against loops. Trackers that reach a story end are kept
//! once per distinct state sequence, as Rasa keeps them.
//!
//! Rasa copies every tracker into every step its checkpoint leads to, which multiplies:
//! a checkpoint that 300 stories end at and 300 stories start from makes 90,000 trackers.
//! rasalint gives the same answers without the copies: trackers with the same events
//! (so the same states and the same future) travel as one *class* that remembers how many
//! trackers it stands for and their names (a rope of Rasa's `story > story` ids, expanded
//! only when a finding shows them). A class that goes on from a step has its events and
//! states written into the event and state tries; one that ends its story there keeps
//! the step as a [`segment`](super::segment) shared by every class that entered it with
//! the same control, so the pairs a hub joins cost a small [`Finished`] record each. A
//! budget on the events applied bounds the work; when it runs out, generation stops and
//! the finding says so.

use super::graph::Graph;
use super::segment::{Segments, StepEvents};
use super::seqhash::Seq;
use super::steps::Steps;
use super::tracker::{Dyn, Ev, NONE, Place, Store};
use rustc_hash::{FxHashMap as FxMap, FxHashSet as FxSet};

/// The id of `STORY_START` among checkpoint names.
const STORY_START: u32 = 0;

/// The events the generator may apply (over all trackers) before it stops.
pub const EVENT_BUDGET: u64 = 20_000_000;
/// Rasa's phases end when a phase reaches no new checkpoint; past this many phases
/// rasalint stops anyway.
pub const PHASE_LIMIT: usize = 100;

/// A set of trackers with the same events.
///
/// Its events and states are in the event and state tries (`node`, `dyn_.states`), but
/// for a class that ended its story through a step without history replays: its last
/// step is a [`segment`](super::segment) shared with every class that entered that step
/// with the same control. A checkpoint that joins every story part before it to every
/// part after it makes a class per pair, but event and state nodes only per part.
#[derive(Debug, Clone, Copy)]
pub struct Class {
    /// The last event node in the trie (see [`Generated::event`]), or [`NONE`] before
    /// any event.
    pub node: u32,
    /// The control after all the class's events; its `states`, the state-trie node of
    /// the states before `segment`.
    pub dyn_: Dyn,
    /// The story-ending segment after those, or [`NONE`].
    pub segment: u32,
    /// Hash of the event contents: classes with equal hashes are merged.
    chash: u128,
    /// The trackers' names, a [`Names`] rope.
    pub names: u32,
    /// How many trackers the class stands for.
    pub count: u64,
}

/// A finished class: what the conflict search and the findings need of it (a hub makes
/// one per pair of parts it joins, so it is kept small).
#[derive(Debug, Clone, Copy)]
pub struct Finished {
    /// The last event node in the trie, or [`NONE`].
    pub node: u32,
    /// The state-trie node of the states before `segment`.
    pub states: u32,
    /// The story-ending segment, or [`NONE`].
    pub segment: u32,
    /// The trackers' names, a [`Names`] rope.
    pub names: u32,
    /// How many trackers the class stands for.
    pub count: u64,
}

impl From<Class> for Finished {
    fn from(class: Class) -> Self {
        Finished {
            node: class.node,
            states: class.dyn_.states,
            segment: class.segment,
            names: class.names,
            count: class.count,
        }
    }
}

/// Why the generator stopped before it walked the whole graph.
#[derive(Debug, Clone, PartialEq)]
pub enum Cut {
    /// The event budget ran out while the trackers entered this step.
    Budget {
        step: usize,
        trackers: u64,
        budget: u64,
    },
    /// Phases kept finding new checkpoints.
    Phases,
}

/// Rasa's tracker ids (`sender_id`: the block names a tracker went through, joined by
/// ` > `, each once), as ropes: a class's names are built by concatenation (classes
/// merging) and appending a block (a step), and spelt out only when asked for.
#[derive(Debug, Default)]
pub struct Names<'p> {
    paths: Vec<String>,
    path_ids: FxMap<String, u32>,
    appended: FxMap<(u32, u32), u32>,
    /// The story blocks' names, borrowed from the stories.
    blocks: Vec<&'p str>,
    ropes: Vec<Rope>,
}

#[derive(Debug, Clone, Copy)]
enum RopeKind {
    Leaf(u32),
    Concat(u32, u32),
    Append(u32, u32),
}

#[derive(Debug, Clone, Copy)]
struct Rope {
    kind: RopeKind,
    count: u64,
}

impl Names<'_> {
    fn path(&mut self, text: String) -> u32 {
        if let Some(&id) = self.path_ids.get(&text) {
            return id;
        }
        let id = self.paths.len() as u32;
        self.path_ids.insert(text.clone(), id);
        self.paths.push(text);
        id
    }

    /// The tracker name after a step of `block`: Rasa's `sender_id` update.
    fn append_path(&mut self, path: u32, block: u32) -> u32 {
        if let Some(&id) = self.appended.get(&(path, block)) {
            return id;
        }
        let sender = &self.paths[path as usize];
        let name = self.blocks[block as usize];
        let next = if sender.is_empty() {
            name.to_owned()
        } else if sender.split(" > ").any(|part| part == name) {
            sender.clone()
        } else {
            format!("{sender} > {name}")
        };
        let id = self.path(next);
        self.appended.insert((path, block), id);
        id
    }

    fn push(&mut self, kind: RopeKind, count: u64) -> u32 {
        self.ropes.push(Rope { kind, count });
        (self.ropes.len() - 1) as u32
    }

    fn leaf(&mut self, path: u32) -> u32 {
        self.push(RopeKind::Leaf(path), 1)
    }

    fn concat(&mut self, a: u32, b: u32) -> u32 {
        let count = self.ropes[a as usize]
            .count
            .saturating_add(self.ropes[b as usize].count);
        self.push(RopeKind::Concat(a, b), count)
    }

    fn append(&mut self, rope: u32, block: u32) -> u32 {
        let count = self.ropes[rope as usize].count;
        self.push(RopeKind::Append(rope, block), count)
    }

    /// The first `limit` tracker names of a rope, in order.
    pub fn expand(&mut self, rope: u32, limit: usize) -> Vec<String> {
        let mut out = Vec::new();
        self.expand_into(rope, limit, &mut out);
        out.into_iter()
            .map(|p| self.paths[p as usize].clone())
            .collect()
    }

    fn expand_into(&mut self, rope: u32, limit: usize, out: &mut Vec<u32>) {
        if out.len() >= limit {
            return;
        }
        match self.ropes[rope as usize].kind {
            RopeKind::Leaf(path) => out.push(path),
            RopeKind::Concat(a, b) => {
                self.expand_into(a, limit, out);
                self.expand_into(b, limit, out);
            }
            RopeKind::Append(inner, block) => {
                let from = out.len();
                self.expand_into(inner, limit, out);
                for path in out.iter_mut().skip(from) {
                    *path = self.append_path(*path, block);
                }
            }
        }
    }
}

/// One node of the event trie: an event applied to a tracker.
#[derive(Debug, Clone, Copy)]
struct ENode {
    parent: u32,
    xevent: u32,
}

/// What the generator produced.
pub struct Generated<'d> {
    pub store: Store<'d>,
    /// Every step's explicit events, one after the other (in graph order).
    pub xevents: Vec<Ev>,
    /// The first explicit event of each step that has any, and the step, in graph order
    /// (so also in event order): which step an event belongs to, without a step number
    /// stored per event.
    step_starts: Vec<(u32, u32)>,
    /// Whether each step ends a story (the generator adds an `action_listen` there).
    story_end: Vec<bool>,
    enodes: Vec<ENode>,
    pub segments: Segments,
    pub names: Names<'d>,
    /// Rasa's finished trackers: those left at checkpoints nothing continues from, those
    /// copied before a `restart`/`rewind`/`undo`, then those that reached a story end.
    pub finished: Vec<Finished>,
    pub cut: Option<Cut>,
}

impl Generated<'_> {
    pub fn parent(&self, node: u32) -> u32 {
        self.enodes[node as usize].parent
    }

    /// How many states a class's trackers have.
    pub fn depth(&self, class: &Finished) -> usize {
        self.segments
            .depth(&self.store, class.states, class.segment)
    }

    /// A class's whole state sequence, as [`Segments::identity`].
    fn identity(&self, states: u32, segment: u32) -> Seq {
        self.segments.identity(&self.store, states, segment)
    }

    /// The explicit event (global index) a node applied.
    pub fn event(&self, node: u32) -> u32 {
        self.enodes[node as usize].xevent
    }

    /// The step an explicit event belongs to, and where in its step's written events it
    /// comes from (worked out again from the step).
    pub fn place(&mut self, steps: &Steps, xevent: u32) -> Option<(usize, Place)> {
        let at = self
            .step_starts
            .partition_point(|&(first, _)| first <= xevent)
            .checked_sub(1)?;
        let (first, step) = self.step_starts[at];
        let step = step as usize;
        let mut events = Vec::new();
        let mut places = Vec::new();
        self.store.explicit_events(
            steps.events_of(&steps.steps[step]),
            self.story_end[step],
            &mut events,
            Some(&mut places),
        );
        Some((step, *places.get((xevent - first) as usize)?))
    }
}

/// The classes waiting at a checkpoint (or entering a step), merged by content.
struct ActiveList {
    classes: Vec<Class>,
    /// Content hash → position in `classes`, built only once the list is longer than
    /// [`SCAN_UP_TO`]: most checkpoints hold one or two classes, and a map each would
    /// cost more memory and time than a scan.
    index: Option<FxMap<u128, usize>>,
}

/// The longest class list searched by a scan rather than a map.
const SCAN_UP_TO: usize = 8;

impl ActiveList {
    fn new() -> Self {
        ActiveList {
            classes: Vec::new(),
            index: None,
        }
    }

    fn add(&mut self, class: Class, names: &mut Names<'_>) {
        let found = match &self.index {
            Some(index) => index.get(&class.chash).copied(),
            None => self.classes.iter().position(|c| c.chash == class.chash),
        };
        if let Some(i) = found {
            let into = &mut self.classes[i];
            into.names = names.concat(into.names, class.names);
            into.count = into.count.saturating_add(class.count);
            return;
        }
        // Most lists hold one or two classes: grown one place at a time up to four (a
        // first push would make room for four at once), then doubled.
        if self.classes.len() < 4 {
            self.classes.reserve_exact(1);
        }
        self.classes.push(class);
        match &mut self.index {
            Some(index) => {
                index.insert(class.chash, self.classes.len() - 1);
            }
            None if self.classes.len() > SCAN_UP_TO => {
                let positions = self.classes.iter().enumerate().map(|(i, c)| (c.chash, i));
                self.index = Some(positions.collect());
            }
            None => {}
        }
    }
}

fn mix64(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// A number for an event's content (equal events, equal numbers).
fn event_code(ev: Ev) -> u128 {
    let (tag, a, b) = match ev {
        Ev::Action(a) => (1u64, a, 0),
        Ev::User(m) => (2, m, 0),
        Ev::Slot(s, v) => (3, s, v),
        Ev::Form(f) => (4, f, 0),
        Ev::Restart => (5, 0, 0),
        Ev::Rewind => (6, 0, 0),
        Ev::Undo => (7, 0, 0),
        Ev::ResetSlots => (8, 0, 0),
        Ev::SessionStarted => (9, 0, 0),
        Ev::FormValidation(v) => (10, u32::from(v), 0),
        Ev::Reject(n) => (11, n, 0),
        Ev::Noop => (12, 0, 0),
    };
    let x = (tag << 56) ^ (u64::from(a) << 24) ^ u64::from(b);
    (u128::from(mix64(x)) << 64) | u128::from(mix64(x ^ 0x5555_5555_5555_5555))
}

const CONTENT_BASE: u128 = 0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c835;

/// Runs the generator over the graph.
pub fn generate<'d>(
    steps: &Steps<'d>,
    graph: &Graph,
    mut store: Store<'d>,
    budget: u64,
) -> Generated<'d> {
    // At most an `action_listen` per written event and one per step, but for slots filled
    // from entities: reserved, not grown (capacity never written to costs no memory).
    let mut xevents: Vec<Ev> = Vec::with_capacity(steps.events.len() * 2 + steps.steps.len());
    let mut step_starts = Vec::with_capacity(steps.steps.len());
    let story_end: Vec<bool> = graph.ends.iter().map(Vec::is_empty).collect();
    let mut plans = vec![Plan::default(); steps.steps.len()];
    for &s in &graph.order {
        let first = xevents.len();
        let events = steps.events_of(&steps.steps[s]);
        store.explicit_events(events, story_end[s], &mut xevents, None);
        let own = &xevents[first..];
        let replays = own
            .iter()
            .any(|ev| matches!(ev, Ev::Restart | Ev::Rewind | Ev::Undo));
        let hash = own.iter().fold(0u128, |hash, &ev| {
            hash.wrapping_mul(CONTENT_BASE).wrapping_add(event_code(ev))
        });
        plans[s] = Plan {
            first: first as u32,
            len: own.len() as u32,
            replays,
            hash,
        };
        if !own.is_empty() {
            step_starts.push((first as u32, s as u32));
        }
    }
    // `CONTENT_BASE` to the power of each step length: one table, not a number per step.
    let longest = plans.iter().map(|p| p.len as usize).max().unwrap_or(0);
    let powers: Vec<u128> =
        std::iter::successors(Some(1u128), |p| Some(p.wrapping_mul(CONTENT_BASE)))
            .take(longest + 1)
            .collect();
    let mut g = Generated {
        store,
        xevents,
        step_starts,
        story_end,
        enodes: Vec::new(),
        segments: Segments::default(),
        names: Names::default(),
        finished: Vec::new(),
        cut: None,
    };
    g.names.blocks = steps.blocks.iter().map(|b| b.name).collect();
    let empty = g.names.path(String::new());
    let init = Class {
        node: NONE,
        dyn_: g.store.initial(),
        segment: NONE,
        chash: 0,
        names: g.names.leaf(empty),
        count: 1,
    };
    let mut active: FxMap<u32, ActiveList> = FxMap::default();
    let mut start_list = ActiveList::new();
    start_list.add(init, &mut g.names);
    active.insert(STORY_START, start_list);
    let mut used: FxSet<u32> = FxSet::default();
    let mut previous_unused: FxSet<u32> = FxSet::default();
    let mut story_ends: Vec<Finished> = Vec::new();
    // The state sequences of the trackers kept at story ends (see [`Segments::identity`]).
    let mut seen_ends: FxSet<u128> = FxSet::default();
    // (tracker before, step content hash and length) → tracker after: steps with the
    // same events take equal trackers to equal trackers.
    let mut memo: FxMap<(Dyn, u128, u32), Dyn> = FxMap::default();
    let initial_budget = budget;
    let mut budget = budget;
    let mut phase = 0;
    let mut incoming: Vec<Class> = Vec::new();
    let mut out: Vec<Class> = Vec::new();
    'phases: loop {
        if active.values().all(|l| l.classes.is_empty()) {
            break;
        }
        if phase == PHASE_LIMIT {
            g.cut = Some(Cut::Phases);
            break;
        }
        let mut unused: FxSet<u32> = FxSet::default();
        for &s in &graph.order {
            incoming.clear();
            let starts = &steps.start_lists[steps.steps[s].start as usize];
            let mut merge = false;
            for cp in starts {
                let list = active.entry(cp.name).or_insert_with(ActiveList::new);
                if !list.classes.is_empty() {
                    let before = incoming.len();
                    incoming.extend(
                        list.classes
                            .iter()
                            .filter(|c| conditions_hold(&g.store, c, cp.conditions)),
                    );
                    merge |= before > 0 && incoming.len() > before;
                    used.insert(cp.name);
                } else if !used.contains(&cp.name) {
                    unused.insert(cp.name);
                }
            }
            if incoming.is_empty() {
                continue;
            }
            if merge {
                let mut merged = ActiveList::new();
                for class in incoming.drain(..) {
                    merged.add(class, &mut g.names);
                }
                incoming = merged.classes;
            }
            let plan = plans[s];
            let story_end = graph.ends[s].is_empty();
            let block = steps.steps[s].block;
            out.clear();
            g.segments.begin_step();
            for &class in &incoming {
                if plan.len == 0 {
                    break;
                }
                let cost = 1 + u64::from(plan.len) * 2;
                if cost > budget {
                    let trackers = incoming.iter().map(|c| c.count).sum();
                    g.cut = Some(Cut::Budget {
                        step: s,
                        trackers,
                        budget: initial_budget,
                    });
                    break 'phases;
                }
                budget -= cost;
                let next = if plan.replays {
                    run_step(&mut g, class, block, plan)
                } else {
                    let next = if story_end {
                        end_story(&mut g, class, plan)
                    } else {
                        None
                    };
                    let next = next.unwrap_or_else(|| apply_step(&mut g, &mut memo, class, plan));
                    Class {
                        chash: class
                            .chash
                            .wrapping_mul(powers[plan.len as usize])
                            .wrapping_add(plan.hash),
                        ..next
                    }
                };
                // Rasa keeps one tracker per distinct state sequence at story ends: the
                // class's first (the others are dropped with nothing to record).
                if story_end && !seen_ends.insert(g.identity(next.dyn_.states, next.segment).key())
                {
                    continue;
                }
                let next = if plan.replays {
                    next
                } else {
                    Class {
                        names: g.names.append(class.names, block),
                        ..next
                    }
                };
                if story_end {
                    story_ends.push(Finished {
                        count: 1,
                        ..next.into()
                    });
                } else {
                    out.push(next);
                }
            }
            for cp in &graph.ends[s] {
                let start = *graph.end_map.get(&cp.name).unwrap_or(&cp.name);
                let list = active.entry(start).or_insert_with(ActiveList::new);
                for class in &out {
                    list.add(*class, &mut g.names);
                }
                if used.contains(&start) {
                    unused.insert(start);
                }
            }
        }
        phase += 1;
        unused.extend(active.keys().filter(|k| !used.contains(*k)).copied());
        let mut next: FxMap<u32, ActiveList> = FxMap::default();
        for &name in &unused {
            if name != STORY_START {
                let list = active.remove(&name).unwrap_or_else(ActiveList::new);
                next.insert(name, list);
            }
        }
        active = next;
        let reached = unused == previous_unused || active.values().all(|l| l.classes.is_empty());
        previous_unused = unused;
        if reached {
            let mut left: Vec<u32> = previous_unused.difference(&used).copied().collect();
            left.sort_unstable();
            for name in left {
                if let Some(list) = active.get(&name) {
                    g.finished
                        .extend(list.classes.iter().map(|&c| Finished::from(c)));
                }
            }
            break;
        }
    }
    // The story ends go last: the few classes finished before them are moved in front
    // rather than every story end copied after them (a hub makes a class per pair).
    let before = std::mem::replace(&mut g.finished, story_ends);
    g.finished.splice(0..0, before);
    g
}

/// A step's explicit events: where they are, their content, and their content hash.
#[derive(Debug, Clone, Copy, Default)]
struct Plan {
    first: u32,
    len: u32,
    /// Whether an event replays the tracker's history (`restart`, `rewind`, `undo`).
    replays: bool,
    hash: u128,
}

/// A class through a step that ends its story, as a [`segment`](super::segment) (its
/// events and states not written into the tries); `None` when the step has none.
fn end_story(g: &mut Generated, class: Class, plan: Plan) -> Option<Class> {
    let events = StepEvents {
        first: plan.first,
        len: plan.len,
        hash: plan.hash,
    };
    let segment = g
        .segments
        .segment(&mut g.store, &g.xevents, class.dyn_, events)?;
    let after = g.segments.after(segment)?;
    Some(Class {
        dyn_: Dyn {
            states: class.dyn_.states,
            ..after
        },
        segment,
        ..class
    })
}

/// A class through a step that does not replay history, its events and states written
/// into the tries (memoised: steps with the same events take equal trackers to equal
/// trackers).
fn apply_step(
    g: &mut Generated,
    memo: &mut FxMap<(Dyn, u128, u32), Dyn>,
    class: Class,
    plan: Plan,
) -> Class {
    let key = (class.dyn_, plan.hash, plan.len);
    let after = match memo.get(&key) {
        Some(&after) => after,
        None => {
            let mut d = class.dyn_;
            for x in plan.first..plan.first + plan.len {
                d = g.store.apply(d, g.xevents[x as usize], Vec::new);
            }
            memo.insert(key, d);
            d
        }
    };
    let mut node = class.node;
    for xevent in plan.first..plan.first + plan.len {
        g.enodes.push(ENode {
            parent: node,
            xevent,
        });
        node = (g.enodes.len() - 1) as u32;
    }
    Class {
        node,
        dyn_: after,
        ..class
    }
}

/// `Checkpoint.filter_trackers`: every condition's slot holds its value (Python `==`).
fn conditions_hold(
    store: &Store,
    class: &Class,
    conditions: Option<&serde_json::Map<String, serde_json::Value>>,
) -> bool {
    conditions.into_iter().flatten().all(|(slot, value)| {
        super::pyvalue::py_eq(&store.slot_value(class.dyn_.slots, slot), value)
    })
}

/// A class through a step that replays history: its name gains the block, and each
/// event is applied; a `restart`, `rewind` or `undo` first leaves a finished copy
/// behind, as in Rasa.
fn run_step(g: &mut Generated, class: Class, block: u32, plan: Plan) -> Class {
    let names = g.names.append(class.names, block);
    let mut c = Class { names, ..class };
    for x in plan.first..plan.first + plan.len {
        let ev = g.xevents[x as usize];
        if matches!(ev, Ev::Restart | Ev::Rewind | Ev::Undo) {
            g.finished.push(c.into());
        }
        let enodes = &g.enodes;
        let xevents = &g.xevents;
        let node = c.node;
        c.dyn_ = g.store.apply(c.dyn_, ev, || {
            let mut history = Vec::new();
            let mut n = node;
            while n != NONE {
                let e = enodes[n as usize];
                history.push(xevents[e.xevent as usize]);
                n = e.parent;
            }
            history.reverse();
            history
        });
        g.enodes.push(ENode {
            parent: c.node,
            xevent: x,
        });
        c.node = (g.enodes.len() - 1) as u32;
        c.chash = c
            .chash
            .wrapping_mul(CONTENT_BASE)
            .wrapping_add(event_code(ev));
    }
    c
}
