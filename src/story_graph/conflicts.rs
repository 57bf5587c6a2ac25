//! `story_conflict.py`: every action of every finished tracker with the tracker's states
//! up to it, sliced to the last `max_history` and left-padded; a sliced history followed
//! by different actions is a conflict, unless nothing happened before it.
//!
//! Slices are keyed without building them: a padded slice (the whole history) by its
//! length and 128-bit polynomial hash ([`seqhash`](super::seqhash)), a full slice by the
//! hash of its states, from prefix hashes along the tracker's states. A class's states
//! are its history's in the state trie, then its segment's ([`super::segment`]); the
//! histories of the conflicts found are written into the trie, no others.
//!
//! Like Rasa, two passes: the first finds the keys followed by two actions or more, the
//! second collects where. Before them, a cheaper pass counts the actions following each
//! (last state, slice length): two occurrences share a slice only if they share both,
//! so only the occurrences whose pair is followed by two actions have their slice
//! hashed. After a hub checkpoint that is the parts' own conflicts (reported anyway),
//! not every joined dialogue's every action.

use rustc_hash::FxHashMap;
use std::hash::Hash;

use super::generator::{Finished, Generated};
use super::seqhash::{BASE, extend};
use super::tracker::{Ev, NONE, Store};
use crate::rasa::RasaVersion;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Key {
    /// A padded slice: the whole history, by its length and hash.
    Whole(u32, u128),
    /// A full slice, by hash.
    Tail(u128),
}

/// One action of one finished class.
#[derive(Debug, Clone, Copy)]
pub struct Occurrence {
    /// Index into [`Generated::finished`].
    pub class: usize,
    /// The explicit event of the action (see [`Generated::place`]).
    pub xevent: u32,
    /// The state-trie node of the history before the action (its last state is the one
    /// the action is predicted from).
    pub history: u32,
}

#[derive(Debug, Clone)]
pub struct RawConflict {
    /// The history node of the first occurrence (all share the slice).
    pub history: u32,
    /// Action name id → occurrences, in encounter order.
    pub actions: Vec<(u32, Vec<Occurrence>)>,
}

/// The longest tracker: Rasa's `max_history` when none is given.
pub fn longest(g: &Generated) -> usize {
    g.finished.iter().map(|c| g.depth(c)).max().unwrap_or(0)
}

/// A finished class written out: the trie nodes of the history its segment continues,
/// then all its states, its actions (explicit event, name) and, when asked, the prefix
/// hashes of its states.
///
/// The part from the tries is kept while the next class has the same (classes after a
/// hub share the history of the part before it): only the segment is loaded again.
#[derive(Default)]
struct Dialogue {
    nodes: Vec<u32>,
    states: Vec<u32>,
    actions: Vec<(u32, u32)>,
    prefix: Vec<u128>,
    /// The event node and history node the trie part was loaded for.
    loaded: Option<(u32, u32)>,
    /// How many actions come from the trie part.
    trie_actions: usize,
}

impl Dialogue {
    /// Loads a class; `true` when its trie part is the previously loaded class's.
    fn load(&mut self, g: &Generated, class: &Finished) -> bool {
        let base = g.segments.base(&g.store, class.states, class.segment);
        let same = self.loaded == Some((class.node, base));
        if same {
            self.states.truncate(self.nodes.len());
            self.actions.truncate(self.trie_actions);
            self.prefix.truncate(self.nodes.len() + 1);
        } else {
            self.load_trie_part(g, class.node, base);
        }
        if let Some(part) = g.segments.part(class.segment) {
            self.states.extend_from_slice(part.pushed);
            for x in part.first..part.first + part.len {
                if let Some(&Ev::Action(a)) = g.xevents.get(x as usize) {
                    self.actions.push((x, a));
                }
            }
        }
        same
    }

    fn load_trie_part(&mut self, g: &Generated, node: u32, base: u32) {
        self.nodes.clear();
        let mut n = base;
        while n != NONE {
            self.nodes.push(n);
            n = g.store.parent(n);
        }
        self.nodes.reverse();
        self.states.clear();
        self.states
            .extend(self.nodes.iter().map(|&n| g.store.state_at(n)));
        self.actions.clear();
        let mut e = node;
        while e != NONE {
            if let Ev::Action(a) = g.xevents[g.event(e) as usize] {
                self.actions.push((g.event(e), a));
            }
            e = g.parent(e);
        }
        self.actions.reverse();
        self.trie_actions = self.actions.len();
        self.prefix.clear();
        self.loaded = Some((node, base));
    }

    /// How many first occurrences have their slice inside the trie part whatever the
    /// segment (so, when the trie part is the previous class's, the same slices and
    /// actions as its).
    fn shared(&self) -> usize {
        self.trie_actions.min(self.nodes.len())
    }

    /// How many states the history before the `k`th action has (Rasa's
    /// `states[:k + 1]`, which a `restart` or `undo` can make shorter).
    fn history_len(&self, k: usize) -> usize {
        (k + 1).min(self.states.len())
    }

    /// What two occurrences with the same slice share: the slice's last state and
    /// length.
    fn pair(&self, m: usize, max_history: usize) -> (u32, usize) {
        let last = m.checked_sub(1).map_or(NONE, |i| self.states[i]);
        (last, m.min(max_history))
    }

    fn key(&mut self, m: usize, max_history: usize, power: u128) -> Key {
        if self.prefix.is_empty() {
            self.prefix.push(0);
        }
        while let Some(&state) = self.states.get(self.prefix.len() - 1) {
            let last = *self.prefix.last().unwrap_or(&0);
            self.prefix.push(extend(last, state));
        }
        if m < max_history {
            Key::Whole(m as u32, self.prefix[m])
        } else {
            let before = self.prefix[m - max_history].wrapping_mul(power);
            Key::Tail(self.prefix[m].wrapping_sub(before))
        }
    }

    /// The state-trie node of the first `m` states, written into the trie when they go
    /// into the segment; `written` remembers the last one written (`m` only grows
    /// along a class).
    fn history(&self, store: &mut Store, m: usize, written: &mut (usize, u32)) -> u32 {
        if m <= self.nodes.len() {
            return m.checked_sub(1).map_or(NONE, |i| self.nodes[i]);
        }
        if written.0 < self.nodes.len() || written.0 > m {
            *written = (self.nodes.len(), self.nodes.last().copied().unwrap_or(NONE));
        }
        while written.0 < m {
            written.1 = store.push(written.1, self.states[written.0]);
            written.0 += 1;
        }
        written.1
    }
}

/// Notes that `action` follows `key`: the first action after each key, and whether
/// another one follows it.
fn note<K: Hash + Eq>(followers: &mut FxHashMap<K, (u32, bool)>, key: K, action: u32) {
    let entry = followers.entry(key).or_insert((action, false));
    if entry.0 != action {
        entry.1 = true;
    }
}

fn conflicting<K: Hash + Eq>(followers: &FxHashMap<K, (u32, bool)>, key: &K) -> bool {
    followers.get(key).is_some_and(|e| e.1)
}

/// The conflicts, in the order Rasa meets them, without Rasa's final filter (see
/// [`has_prior_event`]). Writes their histories into the state trie.
pub fn find(g: &mut Generated, max_history: usize) -> Vec<RawConflict> {
    let power = (0..max_history).fold(1u128, |p, _| p.wrapping_mul(BASE));
    // Passes 0 and 1 only note what follows what, so they take the classes with the same
    // trie part one after the other, and skip the occurrences the pass already noted
    // (each pass with a fresh `Dialogue`, which knows what it loaded last).
    let mut order: Vec<usize> = (0..g.finished.len()).collect();
    order.sort_unstable_by_key(|&i| (g.finished[i].node, g.finished[i].states));
    // Pass 0: the (last state, length) pairs two actions follow.
    let mut pairs: FxHashMap<(u32, usize), (u32, bool)> = FxHashMap::default();
    let mut d = Dialogue::default();
    for &i in &order {
        let skip = if d.load(g, &g.finished[i]) {
            d.shared()
        } else {
            0
        };
        for (k, &(_, action)) in d.actions.iter().enumerate().skip(skip) {
            note(&mut pairs, d.pair(d.history_len(k), max_history), action);
        }
    }
    pairs.retain(|_, (_, conflicting)| *conflicting);
    if pairs.is_empty() {
        return Vec::new();
    }
    // Pass 1: the first action after each slice of those, and whether another follows.
    let mut keys: FxHashMap<Key, (u32, bool)> = FxHashMap::default();
    let mut suspects: Vec<usize> = Vec::new();
    // Whether a shared occurrence of the current trie part is suspicious.
    let mut shared_suspect = false;
    let mut d = Dialogue::default();
    for &i in &order {
        let skip = if d.load(g, &g.finished[i]) {
            d.shared()
        } else {
            0
        };
        if skip == 0 {
            shared_suspect = false;
        }
        let mut any = shared_suspect;
        for k in skip..d.actions.len() {
            let m = d.history_len(k);
            if conflicting(&pairs, &d.pair(m, max_history)) {
                let key = d.key(m, max_history, power);
                note(&mut keys, key, d.actions[k].1);
                any = true;
                shared_suspect |= k < d.shared();
            }
        }
        if any {
            suspects.push(i);
        }
    }
    suspects.sort_unstable();
    keys.retain(|_, (_, conflicting)| *conflicting);
    // Pass 2: where each conflicting slice is followed by what.
    let mut index: FxHashMap<Key, usize> = FxHashMap::default();
    let mut conflicts: Vec<RawConflict> = Vec::new();
    for class in suspects {
        d.load(g, &g.finished[class]);
        let mut written = (0, NONE);
        for k in 0..d.actions.len() {
            let m = d.history_len(k);
            if !conflicting(&pairs, &d.pair(m, max_history)) {
                continue;
            }
            let key = d.key(m, max_history, power);
            if !conflicting(&keys, &key) {
                continue;
            }
            let (xevent, action) = d.actions[k];
            let history = d.history(&mut g.store, m, &mut written);
            let occurrence = Occurrence {
                class,
                xevent,
                history,
            };
            let i = *index.entry(key).or_insert_with(|| {
                conflicts.push(RawConflict {
                    history,
                    actions: Vec::new(),
                });
                conflicts.len() - 1
            });
            let actions = &mut conflicts[i].actions;
            match actions.iter_mut().find(|(a, _)| *a == action) {
                Some((_, list)) => list.push(occurrence),
                None => actions.push((action, vec![occurrence])),
            }
        }
    }
    conflicts
}

/// Rasa's filter: a conflict counts only when something happened before its last state
/// (an action other than `action_listen`, or a user turn).
pub fn has_prior_event(g: &Generated, conflict: &RawConflict) -> bool {
    conflict.history != NONE
        && g.store
            .previous_event(g.store.state_at(conflict.history))
            .is_some()
}

/// The sliced states of a conflict, as Rasa prints them (`None` for padding, which Rasa 1
/// adds in front of a history shorter than `max_history` and Rasa 2 and 3 do not; either
/// way a history from the start and one sliced from a longer history never compare
/// equal, so the same keys serve all three).
pub fn window(g: &Generated, history: u32, max_history: usize) -> Vec<Option<Vec<(String, f64)>>> {
    let mut states = Vec::new();
    let mut n = history;
    while n != NONE && states.len() < max_history {
        states.push(Some(g.store.describe_state(g.store.state_at(n))));
        n = g.store.parent(n);
    }
    while states.len() < max_history && g.store.domain.rasa == RasaVersion::V1 {
        states.push(None);
    }
    states.reverse();
    states
}

/// How many last states two histories share (padding counts as a state no history
/// has); `None` when the histories are the same.
fn common_suffix(g: &Generated, mut a: u32, mut b: u32) -> Option<usize> {
    let mut shared = 0;
    loop {
        if a == b {
            return None;
        }
        if a == NONE || b == NONE || g.store.state_at(a) != g.store.state_at(b) {
            return Some(shared);
        }
        shared += 1;
        a = g.store.parent(a);
        b = g.store.parent(b);
    }
}

/// The smallest `max_history` at which no two competing actions of the conflict share a
/// slice; `None` when two of them follow the very same history. Looks at up to 64
/// distinct histories per action.
pub fn separating_history(g: &Generated, conflict: &RawConflict) -> Option<usize> {
    let histories: Vec<Vec<u32>> = conflict
        .actions
        .iter()
        .map(|(_, occurrences)| {
            let mut seen: Vec<u32> = Vec::new();
            for o in occurrences {
                if seen.len() < 64 && !seen.contains(&o.history) {
                    seen.push(o.history);
                }
            }
            seen
        })
        .collect();
    let mut needed = 0;
    for (i, a) in histories.iter().enumerate() {
        for b in &histories[i + 1..] {
            for &x in a {
                for &y in b {
                    needed = needed.max(common_suffix(g, x, y)? + 1);
                }
            }
        }
    }
    Some(needed)
}
