//! `story_conflict.py`: every action of every finished tracker with the tracker's states
//! up to it, sliced to the last `max_history` and left-padded; a sliced history followed
//! by different actions is a conflict, unless nothing happened before it.
//!
//! Slices are keyed without building them. A slice shorter than `max_history` (padded)
//! is the whole history, which the state trie already names by one node; a full slice is
//! keyed by a 128-bit polynomial hash of its states, computed with prefix hashes along
//! the tracker's path. Like Rasa, two passes: the first finds the keys followed by two
//! actions or more, the second collects where.

use rustc_hash::FxHashMap;

use super::generator::Generated;
use super::tracker::{Ev, NONE};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Key {
    /// A padded slice: the whole history, by its state-trie node.
    Whole(u32),
    /// A full slice, by hash.
    Tail(u128),
}

/// One action of one finished class.
#[derive(Debug, Clone, Copy)]
pub struct Occurrence {
    /// Index into [`Generated::finished`].
    pub class: usize,
    /// The event node of the action.
    pub node: u32,
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

const BASE: u128 = 0x2545_f491_4f6c_dd1d_9e37_79b9_7f4a_7c15;

fn state_code(state: u32) -> u128 {
    let mut x = u64::from(state).wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^= x >> 31;
    (u128::from(x) << 64) | u128::from(x.rotate_left(17) ^ 0xa076_1d64_78bd_642f) | 1
}

/// The longest tracker: Rasa's `max_history` when none is given.
pub fn longest(g: &Generated) -> usize {
    g.finished
        .iter()
        .map(|c| g.store.depth(c.dyn_.states) as usize)
        .max()
        .unwrap_or(0)
}

/// Calls `visit(occurrence, key, action)` for every action of every finished class.
fn walk(g: &Generated, max_history: usize, mut visit: impl FnMut(Occurrence, Key, u32)) {
    let power = (0..max_history).fold(1u128, |p, _| p.wrapping_mul(BASE));
    let mut path: Vec<u32> = Vec::new();
    let mut prefix: Vec<u128> = Vec::new();
    let mut actions: Vec<(u32, u32)> = Vec::new();
    for (index, class) in g.finished.iter().enumerate() {
        path.clear();
        let mut n = class.dyn_.states;
        while n != NONE {
            path.push(n);
            n = g.store.parent(n);
        }
        path.reverse();
        prefix.clear();
        prefix.push(0);
        for &node in &path {
            let last = *prefix.last().unwrap_or(&0);
            prefix.push(
                last.wrapping_mul(BASE)
                    .wrapping_add(state_code(g.store.state_at(node))),
            );
        }
        actions.clear();
        let mut e = class.node;
        while e != NONE {
            if let Ev::Action(a) = g.xevents[g.event(e) as usize] {
                actions.push((e, a));
            }
            e = g.parent(e);
        }
        actions.reverse();
        let depth = path.len();
        for (k, &(node, action)) in actions.iter().enumerate() {
            let m = (k + 1).min(depth);
            let history = if m == 0 { NONE } else { path[m - 1] };
            let key = if m < max_history {
                Key::Whole(history)
            } else {
                Key::Tail(prefix[m].wrapping_sub(prefix[m - max_history].wrapping_mul(power)))
            };
            let occurrence = Occurrence {
                class: index,
                node,
                history,
            };
            visit(occurrence, key, action);
        }
    }
}

/// Pass 1's record: the first action after each slice, and whether another one follows
/// it. Whole histories are state-trie nodes, so their record is a vector indexed by the
/// node (a checkpoint that joins many stories makes millions of them, and a hash map
/// entry per node cost ten times the memory); full slices, keyed by hash, are in a map.
struct Followers {
    /// Per state-trie node, then one for the empty history: the first action, or [`NONE`].
    whole_first: Vec<u32>,
    whole_conflicting: Vec<bool>,
    tail: FxHashMap<u128, (u32, bool)>,
}

impl Followers {
    fn new(nodes: usize) -> Self {
        Followers {
            whole_first: vec![NONE; nodes + 1],
            whole_conflicting: vec![false; nodes + 1],
            tail: FxHashMap::default(),
        }
    }

    /// The vector slot of a whole history (the empty one, [`NONE`], is the last).
    fn slot(&self, node: u32) -> usize {
        if node == NONE {
            self.whole_first.len() - 1
        } else {
            node as usize
        }
    }

    fn note(&mut self, key: Key, action: u32) {
        match key {
            Key::Whole(node) => {
                let i = self.slot(node);
                if self.whole_first[i] == NONE {
                    self.whole_first[i] = action;
                } else if self.whole_first[i] != action {
                    self.whole_conflicting[i] = true;
                }
            }
            Key::Tail(hash) => {
                let entry = self.tail.entry(hash).or_insert((action, false));
                if entry.0 != action {
                    entry.1 = true;
                }
            }
        }
    }

    fn conflicting(&self, key: Key) -> bool {
        match key {
            Key::Whole(node) => self.whole_conflicting[self.slot(node)],
            Key::Tail(hash) => self.tail.get(&hash).is_some_and(|e| e.1),
        }
    }

    fn any(&mut self) -> bool {
        self.tail.retain(|_, (_, conflicting)| *conflicting);
        !self.tail.is_empty() || self.whole_conflicting.contains(&true)
    }
}

/// The conflicts, in the order Rasa meets them, without Rasa's final filter (see
/// [`has_prior_event`]).
pub fn find(g: &Generated, max_history: usize) -> Vec<RawConflict> {
    // Pass 1: the first action after each slice, and whether another one follows it.
    let mut followers = Followers::new(g.store.nodes());
    walk(g, max_history, |_, key, action| followers.note(key, action));
    if !followers.any() {
        return Vec::new();
    }
    // Pass 2: where each conflicting slice is followed by what.
    let mut index: FxHashMap<Key, usize> = FxHashMap::default();
    let mut conflicts: Vec<RawConflict> = Vec::new();
    walk(g, max_history, |occurrence, key, action| {
        if !followers.conflicting(key) {
            return;
        }
        let i = *index.entry(key).or_insert_with(|| {
            conflicts.push(RawConflict {
                history: occurrence.history,
                actions: Vec::new(),
            });
            conflicts.len() - 1
        });
        let actions = &mut conflicts[i].actions;
        match actions.iter_mut().find(|(a, _)| *a == action) {
            Some((_, list)) => list.push(occurrence),
            None => actions.push((action, vec![occurrence])),
        }
    });
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

/// The sliced states of a conflict, as Rasa prints them (`None` for padding).
pub fn window(g: &Generated, history: u32, max_history: usize) -> Vec<Option<Vec<(String, f64)>>> {
    let mut states = Vec::new();
    let mut n = history;
    while n != NONE && states.len() < max_history {
        states.push(Some(g.store.describe_state(g.store.state_at(n))));
        n = g.store.parent(n);
    }
    while states.len() < max_history {
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
