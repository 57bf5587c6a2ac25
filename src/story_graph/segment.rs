//! Segments: what a step that ends a story does to the states of the trackers entering
//! it, kept once for all the trackers that enter with the same control.
//!
//! For a step without `restart`, `rewind` or `undo`, what the step does to a tracker's
//! states and the control it leaves (slots, latest message, latest action, active form)
//! follow from the control it enters with alone ([`Store::transition`]). So the step is
//! run once per distinct control entering it; the result is a segment: whether it
//! replaces the state it was entered with, the states it pushes, and the control after.
//! Segments of one step that do the same thing are one segment, whichever control they
//! came from: after a hub checkpoint, the first user turn of a story part already makes
//! the dialogues' states the same, so every part before the hub shares the part after.
//!
//! A tracker that ends its story this way keeps its states as the materialised history
//! it entered with (a state-trie node) followed by the segment; the segment's [`Seq`]
//! (length and polynomial hash) identifies the whole sequence for Rasa's
//! de-duplication at story ends without writing it out ([`Segments::identity`]).
//! Trackers that go on (to a checkpoint, through a step that replays history) are
//! materialised as before: a joined dialogue's event and state nodes exist only where it
//! continues, never for the product of the parts a hub joins.

use hashbrown::HashTable;
use rustc_hash::FxHashMap;

use super::seqhash::Seq;
use super::tracker::{Dyn, Ev, NONE, StateOp, Store};

/// What a step's events do to a tracker's states, run from one control. Interned by
/// content: steps with the same events, or the same step from different controls, that
/// do the same thing share one.
#[derive(Debug, Clone, Copy)]
struct Effect {
    /// Whether it replaces the state it was entered with (its first state change is not
    /// an action's).
    pops: bool,
    /// Where its pushed states are (the replacement first when it pops):
    /// `Segments::states[at..at + pushes]`.
    at: u32,
    pushes: u32,
    /// The pushed states' sequence.
    seq: Seq,
    /// The control it leaves (`states` unset).
    after: Dyn,
}

/// A step run from one control: its events and their effect.
#[derive(Debug, Clone, Copy)]
struct Segment {
    first: u32,
    len: u32,
    effect: u32,
}

/// A segment as [`Segments::part`] shows it.
#[derive(Debug, Clone, Copy)]
pub struct Part<'c> {
    /// The step's explicit events: `xevents[first..first + len]`.
    pub first: u32,
    pub len: u32,
    /// Whether it replaces the state before it.
    pub pops: bool,
    /// The states it pushes (the replacement first when it pops).
    pub pushed: &'c [u32],
}

/// A step's explicit events (`xevents[first..first + len]`) and their content hash.
#[derive(Debug, Clone, Copy)]
pub struct StepEvents {
    pub first: u32,
    pub len: u32,
    pub hash: u128,
}

/// The segments of a generator run.
pub struct Segments {
    effects: Vec<Effect>,
    states: Vec<u32>,
    effect_ids: HashTable<u32>,
    /// Per step content (hash, length): the control of the latest step's first run with
    /// it, and the effect. Bots repeat steps (the same turns in many stories), mostly
    /// entered from one control; one entry per content keeps this from growing with the
    /// controls a hub hands over (those meet the first run's trail instead).
    remembered: FxHashMap<(u128, u32), (Dyn, u32)>,
    segments: Vec<Segment>,
    /// The current step's segments by entering control (`states` unset), and by effect.
    by_control: StepTable<Dyn>,
    by_effect: StepTable<u32>,
    /// The current step's first run from a control: the control after each event, and
    /// what the event did to the states.
    trail: Vec<(Dyn, StateOp)>,
    scratch: Vec<u32>,
}

impl Default for Segments {
    fn default() -> Self {
        Segments {
            effects: Vec::new(),
            states: Vec::new(),
            effect_ids: HashTable::new(),
            remembered: FxHashMap::default(),
            segments: Vec::new(),
            by_control: StepTable::default(),
            by_effect: StepTable::default(),
            trail: Vec::new(),
            scratch: Vec::new(),
        }
    }
}

impl Segments {
    /// Forgets the previous step's segments by control and effect (they are looked up
    /// only while the step runs; a phase that runs it again makes them again rather
    /// than keep an entry per control and step).
    pub fn begin_step(&mut self) {
        self.by_control.clear();
        self.by_effect.clear();
        self.trail.clear();
    }

    /// The segment of the step with `events` run from `control`; `None` when an event
    /// replays or resets the history (the step must run tracker by tracker) or when it
    /// changes no state.
    pub fn segment(
        &mut self,
        store: &mut Store,
        xevents: &[Ev],
        control: Dyn,
        events: StepEvents,
    ) -> Option<u32> {
        let control = Dyn {
            states: NONE,
            ..control
        };
        if let Some(id) = self.by_control.get(&control) {
            return Some(id);
        }
        let effect = self.effect(store, xevents, control, events)?;
        let id = match self.by_effect.get(&effect) {
            Some(id) => id,
            None => {
                self.segments.push(Segment {
                    first: events.first,
                    len: events.len,
                    effect,
                });
                let id = (self.segments.len() - 1) as u32;
                self.by_effect.insert(effect, id);
                id
            }
        };
        self.by_control.insert(control, id);
        Some(id)
    }

    /// The effect of `events` run from `control` (`states` unset).
    fn effect(
        &mut self,
        store: &mut Store,
        xevents: &[Ev],
        control: Dyn,
        events: StepEvents,
    ) -> Option<u32> {
        let content = (events.hash, events.len);
        if let Some(&(from, effect)) = self.remembered.get(&content)
            && from == control
        {
            return Some(effect);
        }
        let events = xevents.get(events.first as usize..(events.first + events.len) as usize)?;
        // The step's first run is recorded; a later one that reaches one of its controls
        // goes on as it did (the rest follows from the control alone).
        let trail = if self.trail.len() == events.len() {
            std::mem::take(&mut self.trail)
        } else {
            self.trail.clear();
            Vec::new()
        };
        let recording = trail.is_empty();
        let mut d = control;
        let mut pops = false;
        self.scratch.clear();
        for (i, &ev) in events.iter().enumerate() {
            let (next, op) = store.transition(d, ev)?;
            push_op(&mut self.scratch, &mut pops, op);
            d = next;
            if recording {
                self.trail.push((d, op));
            } else if trail[i].0 == d {
                for &(after, op) in &trail[i + 1..] {
                    push_op(&mut self.scratch, &mut pops, op);
                    d = after;
                }
                break;
            }
        }
        if !recording {
            self.trail = trail;
        }
        let effect = self.intern(pops, Dyn { states: NONE, ..d })?;
        if recording {
            self.remembered.insert(content, (control, effect));
        }
        Some(effect)
    }

    /// The effect with the scratch states as pushed states, made when new.
    fn intern(&mut self, pops: bool, after: Dyn) -> Option<u32> {
        if self.scratch.is_empty() {
            return None;
        }
        let hash = content_hash(pops, &self.scratch, after);
        let (effects, states, scratch) = (&self.effects, &self.states, &self.scratch);
        let same = |&id: &u32| {
            let e = &effects[id as usize];
            e.pops == pops && e.after == after && pushed(states, e) == scratch.as_slice()
        };
        if let Some(&id) = self.effect_ids.find(hash, same) {
            return Some(id);
        }
        let effect = Effect {
            pops,
            at: self.states.len() as u32,
            pushes: self.scratch.len() as u32,
            seq: Seq::of(&self.scratch),
            after,
        };
        self.states.extend_from_slice(&self.scratch);
        let id = self.effects.len() as u32;
        self.effects.push(effect);
        let (effects, states) = (&self.effects, &self.states);
        self.effect_ids.insert_unique(hash, id, |&id| {
            let e = &effects[id as usize];
            content_hash(e.pops, pushed(states, e), e.after)
        });
        Some(id)
    }

    fn effect_of(&self, segment: u32) -> Option<&Effect> {
        let segment = self.segments.get(segment as usize)?;
        self.effects.get(segment.effect as usize)
    }

    /// The control a segment leaves (`states` unset).
    pub fn after(&self, segment: u32) -> Option<Dyn> {
        Some(self.effect_of(segment)?.after)
    }

    /// A segment's events and effect ([`NONE`]: none).
    pub fn part(&self, segment: u32) -> Option<Part<'_>> {
        let s = self.segments.get(segment as usize)?;
        let effect = self.effects.get(s.effect as usize)?;
        Some(Part {
            first: s.first,
            len: s.len,
            pops: effect.pops,
            pushed: pushed(&self.states, effect),
        })
    }

    /// The history a tracker's segment continues: its materialised history `states`,
    /// less the last state when the segment replaces it.
    pub fn base(&self, store: &Store, states: u32, segment: u32) -> u32 {
        match self.effect_of(segment) {
            Some(effect) if effect.pops => store.parent(states),
            _ => states,
        }
    }

    /// A tracker's whole state sequence (history `states` in the trie, then
    /// `segment`'s): equal for equal sequences however they are split.
    pub fn identity(&self, store: &Store, states: u32, segment: u32) -> Seq {
        let base = self.base(store, states, segment);
        let history = Seq {
            len: store.depth(base),
            hash: store.hash(base),
        };
        let pushed = self.effect_of(segment).map_or(Seq::EMPTY, |e| e.seq);
        history.then(pushed)
    }

    /// The length of [`Segments::identity`], without composing its hash (the conflict
    /// search asks it of every finished class, a hub's pairs included).
    pub fn depth(&self, store: &Store, states: u32, segment: u32) -> usize {
        let base = self.base(store, states, segment);
        let pushed = self.effect_of(segment).map_or(0, |e| e.seq.len);
        store.depth(base).saturating_add(pushed) as usize
    }
}

/// A table for the step being run: most steps are entered from one control, so the first
/// entry is kept aside and a map is filled only from the second.
struct StepTable<K> {
    first: Option<(K, u32)>,
    rest: FxHashMap<K, u32>,
}

impl<K> Default for StepTable<K> {
    fn default() -> Self {
        StepTable {
            first: None,
            rest: FxHashMap::default(),
        }
    }
}

impl<K: Copy + Eq + std::hash::Hash> StepTable<K> {
    fn get(&self, key: &K) -> Option<u32> {
        match self.first {
            Some((first, value)) if first == *key => Some(value),
            _ => self.rest.get(key).copied(),
        }
    }

    fn insert(&mut self, key: K, value: u32) {
        if self.first.is_none() {
            self.first = Some((key, value));
        } else {
            self.rest.insert(key, value);
        }
    }

    fn clear(&mut self) {
        self.first = None;
        if !self.rest.is_empty() {
            self.rest.clear();
        }
    }
}

/// Adds a state change to the states a segment pushes: a replacement with none pushed
/// yet replaces the state the segment was entered with.
fn push_op(pushed: &mut Vec<u32>, pops: &mut bool, op: StateOp) {
    match (op, pushed.last_mut()) {
        (StateOp::Push(state), _) => pushed.push(state),
        (StateOp::Replace(state), Some(top)) => *top = state,
        (StateOp::Replace(state), None) => {
            *pops = true;
            pushed.push(state);
        }
    }
}

fn pushed<'a>(states: &'a [u32], effect: &Effect) -> &'a [u32] {
    let from = effect.at as usize;
    let to = from + effect.pushes as usize;
    states.get(from..to).unwrap_or(&[])
}

fn content_hash(pops: bool, states: &[u32], after: Dyn) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one((pops, states, after))
}
