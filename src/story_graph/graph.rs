//! Rasa 1.10's `StoryGraph`: the steps ordered by a depth-first topological sort over
//! their ids (compared as strings), the cyclic edges that sort finds, and
//! `with_cycles_removed`, which replaces each cyclic edge by a generated sink checkpoint
//! that the generator maps back to a source checkpoint (so that a loop is walked a
//! bounded number of times), then drops generated checkpoints nobody uses.

use std::borrow::Cow;

use super::Budget;
use super::steps::{Cp, Steps};
use rustc_hash::{FxHashMap as FxMap, FxHashSet as FxSet};

/// The graph the generator walks. Start checkpoints stay in [`Steps::start_lists`]
/// (updated in place).
#[derive(Debug)]
pub struct Graph<'p> {
    /// Indices into `Steps::steps` of the steps kept, in Rasa's processing order.
    pub order: Vec<usize>,
    /// Each step's end checkpoints after cycle removal (indexed like `Steps::steps`).
    pub ends: Vec<Vec<Cp<'p>>>,
    /// Generated sink checkpoint → the source checkpoint it feeds.
    pub end_map: FxMap<u32, u32>,
    /// How many cyclic edges Rasa would cut.
    pub cycles: usize,
    /// The step being ordered or cut out of a cycle when the budget ran out, and the
    /// budget; the graph is then incomplete (see [`build`]).
    pub overflow: Option<(usize, u64)>,
}

/// The work ordering the graph may do, in start-checkpoint entries looked at while
/// cutting cycles and [`EDGE_COST`] per edge followed, beyond [`GRAPH_PER_STEP`] per
/// step: the edges can be quadratic in the steps (every step that ends at a checkpoint
/// leads to every step that starts there), and cutting cycles looks at every step's
/// start checkpoints again for every cyclic edge. Real bots' graphs cost a few edges per
/// step; a million edges or 32 million entries take about a second in a debug build.
pub const GRAPH_BUDGET: u64 = 32_000_000;
/// The graph budget per step: 16 edges.
pub const GRAPH_PER_STEP: u64 = 16 * EDGE_COST;
/// Following an edge (hash lookups and inserts) costs as much as looking at this many
/// start-checkpoint entries (a scan).
const EDGE_COST: u64 = 32;

/// Rasa's id of a step (`"<count>_<uuid>"`) as it sorts, as a number: the decimal digits
/// compared one by one, a shorter number after every longer one it is a prefix of (`_`
/// sorts after the digits). Base 11, the eleventh digit marking the end.
fn sort_key(count: u64) -> u128 {
    let mut digits = [10u8; 20];
    let len = count.checked_ilog10().map_or(1, |l| l as usize + 1);
    let mut rest = count;
    for i in (0..len).rev() {
        digits[i] = (rest % 10) as u8;
        rest /= 10;
    }
    digits
        .iter()
        .fold(0u128, |key, &d| key * 11 + u128::from(d))
}

/// The order of the steps and the cyclic edges.
type Ordered = (Vec<usize>, Vec<(usize, usize)>);

/// `StoryGraph.order_steps`: the order and the cyclic edges, for the live steps; the
/// step being visited when the budget ran out as an error.
fn order_steps(
    steps: &Steps,
    key: &[u128],
    live: &[usize],
    ends: &[Vec<Cp>],
    budget: &mut Budget,
) -> Result<Ordered, usize> {
    let n = steps.steps.len();
    let mut by_start: FxMap<u32, Vec<usize>> = FxMap::default();
    for &s in live {
        for cp in &steps.start_lists[steps.steps[s].start as usize] {
            by_start.entry(cp.name).or_default().push(s);
        }
    }
    for consumers in by_start.values_mut() {
        consumers.sort_by_key(|&s| key[s]);
        consumers.dedup();
    }
    let neighbours = |s: usize| -> (Option<u32>, Cow<'_, [usize]>) {
        match ends[s].as_slice() {
            [] => (None, Cow::Borrowed(&[])),
            [one] => (
                Some(one.name),
                Cow::Borrowed(by_start.get(&one.name).map_or(&[][..], Vec::as_slice)),
            ),
            many => {
                let mut out: Vec<usize> = Vec::new();
                for cp in many {
                    if let Some(consumers) = by_start.get(&cp.name) {
                        out.extend(consumers);
                    }
                }
                out.sort_by_key(|&s| key[s]);
                out.dedup();
                (None, Cow::Owned(out))
            }
        }
    };
    let mut unprocessed: Vec<usize> = live.to_vec();
    unprocessed.sort_by_key(|&s| key[s]);
    let mut position = vec![usize::MAX; n];
    for (i, &s) in unprocessed.iter().enumerate() {
        position[s] = i;
    }
    let mut taken = vec![false; unprocessed.len()];
    // 0 unvisited, 1 gray, 2 black.
    let mut colour = vec![0u8; n];
    // Checkpoints all of whose consumers are black: nothing to look at there again.
    let mut explored: FxSet<u32> = FxSet::default();
    let mut finished: Vec<usize> = Vec::with_capacity(live.len());
    let mut removed: FxSet<(usize, usize)> = FxSet::default();
    let mut next = unprocessed.len();
    struct Frame<'a> {
        node: usize,
        via: Option<u32>,
        list: Cow<'a, [usize]>,
        index: usize,
        saw_gray: bool,
    }
    let frame = |node: usize, explored: &FxSet<u32>| {
        let (via, list) = neighbours(node);
        let list = match via {
            Some(cp) if explored.contains(&cp) => Cow::Borrowed(&[][..]),
            _ => list,
        };
        Frame {
            node,
            via,
            list,
            index: 0,
            saw_gray: false,
        }
    };
    loop {
        while next > 0 && taken[next - 1] {
            next -= 1;
        }
        if next == 0 {
            break;
        }
        next -= 1;
        taken[next] = true;
        let root = unprocessed[next];
        colour[root] = 1;
        let mut stack = vec![frame(root, &explored)];
        while let Some(top) = stack.last_mut() {
            if top.index < top.list.len() {
                if !budget.spend(EDGE_COST) {
                    return Err(top.node);
                }
                let k = top.list[top.index];
                top.index += 1;
                match colour[k] {
                    1 => {
                        top.saw_gray = true;
                        removed.insert((top.node, k));
                    }
                    2 => {}
                    _ => {
                        taken[position[k]] = true;
                        colour[k] = 1;
                        let f = frame(k, &explored);
                        stack.push(f);
                    }
                }
            } else {
                let node = top.node;
                if let (Some(cp), false) = (top.via, top.saw_gray) {
                    explored.insert(cp);
                }
                finished.push(node);
                colour[node] = 2;
                stack.pop();
            }
        }
    }
    finished.reverse();
    let mut removed: Vec<(usize, usize)> = removed.into_iter().collect();
    removed.sort_by_key(|&(a, b)| (key[a], key[b]));
    Ok((finished, removed))
}

/// Builds the graph Rasa's generator walks: `StoryGraph(steps).with_cycles_removed()`.
/// The steps' end checkpoints move into the graph. Once the work exceeds `budget` and
/// [`GRAPH_PER_STEP`] per step (see [`GRAPH_BUDGET`]), it stops with [`Graph::overflow`]
/// set and no steps in its order.
pub fn build<'p>(steps: &mut Steps<'p>, budget: u64) -> Graph<'p> {
    let per_step = GRAPH_PER_STEP.saturating_mul(steps.steps.len() as u64);
    let mut ends: Vec<Vec<Cp>> = steps
        .steps
        .iter_mut()
        .map(|s| std::mem::take(&mut s.end))
        .collect();
    let allowance = budget.saturating_add(per_step);
    let mut budget = Budget::new(allowance);
    match cut_cycles(steps, &mut ends, &mut budget) {
        Ok((order, end_map, cycles)) => Graph {
            order,
            ends,
            end_map,
            cycles,
            overflow: None,
        },
        Err(step) => Graph {
            order: Vec::new(),
            ends,
            end_map: FxMap::default(),
            cycles: 0,
            overflow: Some((step, allowance)),
        },
    }
}

/// The order, the generated sinks' sources and the number of cyclic edges cut.
type Cut = (Vec<usize>, FxMap<u32, u32>, usize);

/// The graph without cycles (see [`Cut`]), or the step at which the budget ran out.
fn cut_cycles(steps: &mut Steps, ends: &mut [Vec<Cp>], budget: &mut Budget) -> Result<Cut, usize> {
    let key: Vec<u128> = steps.steps.iter().map(|s| sort_key(s.count)).collect();
    let all: Vec<usize> = (0..steps.steps.len()).collect();
    let (first_order, cyclic) = order_steps(steps, &key, &all, ends, budget)?;
    let mut end_map: FxMap<u32, u32> = FxMap::default();
    let mut overlapping_all: FxSet<u32> = FxSet::default();
    for &(s, e) in &cyclic {
        let sink = steps.generated("CYCL_SINK");
        let connector = steps.generated("CYCL_CONN");
        let source = steps.generated("CYCL_SRC");
        end_map.insert(sink, source);
        let e_starts = &steps.start_lists[steps.steps[e].start as usize];
        let mut overlapping: Vec<u32> = Vec::new();
        for cp in &ends[s] {
            if e_starts.iter().any(|x| x.name == cp.name) && !overlapping.contains(&cp.name) {
                overlapping.push(cp.name);
            }
        }
        overlapping_all.extend(overlapping.iter().copied());
        ends[s].retain(|cp| !overlapping.contains(&cp.name));
        ends[s].push(Cp::named(sink));
        let mut needs_connector = false;
        // Rasa extends the start list objects in place; steps copied from one another
        // share them, so an extension shows in every sharer.
        for k in 0..steps.steps.len() {
            let list = steps.steps[k].start as usize;
            let current = &steps.start_lists[list];
            if !budget.spend(1 + (overlapping.len() * current.len()) as u64) {
                return Err(s);
            }
            let mut additional: Vec<Cp> = Vec::new();
            for original in &overlapping {
                for cp in current.iter().filter(|cp| cp.name == *original) {
                    let name = if k == e {
                        source
                    } else {
                        needs_connector = true;
                        connector
                    };
                    let present = current
                        .iter()
                        .any(|x| x.name == name && x.conditions == cp.conditions);
                    if !present {
                        additional.push(Cp {
                            name,
                            conditions: cp.conditions,
                        });
                    }
                }
            }
            steps.start_lists[list].extend(additional);
        }
        if needs_connector {
            ends[s].push(Cp::named(connector));
        }
    }
    let live = remove_unused_generated(steps, ends, &overlapping_all, &end_map);
    let order = if cyclic.is_empty() {
        // Without cycles only steps that lead nowhere are dropped, and dropping a sink
        // from a depth-first order leaves the others' order as it was.
        let mut kept = vec![false; steps.steps.len()];
        for &s in &live {
            kept[s] = true;
        }
        first_order.into_iter().filter(|&s| kept[s]).collect()
    } else {
        order_steps(steps, &key, &live, ends, budget)?.0
    };
    Ok((order, end_map, cyclic.len()))
}

/// `_remove_unused_generated_cps`: generated checkpoints (and the cycle's overlapping
/// ones) that no step on the other side uses are dropped; a step left without the start
/// or end checkpoints it had is dropped with them (so a story whose last line is an `OR`
/// turn loses that turn). Returns the live steps.
fn remove_unused_generated(
    steps: &mut Steps,
    ends: &mut [Vec<Cp>],
    overlapping: &FxSet<u32>,
    end_map: &FxMap<u32, u32>,
) -> Vec<usize> {
    // Id 0 is `STORY_START`.
    let mut collected_start: FxSet<u32> = FxSet::from_iter([0]);
    let mut collected_end: FxSet<u32> = FxSet::from_iter([0]);
    for step in &steps.steps {
        let list = &steps.start_lists[step.start as usize];
        collected_start.extend(list.iter().map(|cp| cp.name));
    }
    for list in ends.iter() {
        for cp in list {
            collected_end.insert(*end_map.get(&cp.name).unwrap_or(&cp.name));
        }
    }
    let unused: FxSet<u32> = collected_start
        .symmetric_difference(&collected_end)
        .copied()
        .collect();
    let mut live = Vec::new();
    // Start checkpoints are filtered by name, so filtering each shared list once is
    // filtering every step's.
    let had_start: Vec<bool> = steps
        .steps
        .iter()
        .map(|s| !steps.start_lists[s.start as usize].is_empty())
        .collect();
    if !overlapping.is_empty() {
        for list in &mut steps.start_lists {
            list.retain(|cp| !(unused.contains(&cp.name) && overlapping.contains(&cp.name)));
        }
    }
    for (index, end) in ends.iter_mut().enumerate() {
        let had_end = !end.is_empty();
        end.retain(|cp| !(unused.contains(&cp.name) && steps.is_generated(cp.name)));
        let start_empty = steps.start_lists[steps.steps[index].start as usize].is_empty();
        if (had_start[index] && start_empty) || (had_end && end.is_empty()) {
            continue;
        }
        live.push(index);
    }
    live
}

#[cfg(test)]
mod tests {
    use super::sort_key;

    #[test]
    fn ids_sort_as_rasa_sorts_strings() {
        let mut counts: Vec<u64> = vec![1, 2, 9, 10, 11, 19, 100, 101, 1000, 12, 123];
        counts.sort_by_key(|&c| sort_key(c));
        let mut strings: Vec<String> = [1, 2, 9, 10, 11, 19, 100, 101, 1000, 12, 123]
            .iter()
            .map(|c| format!("{c}_0f3a"))
            .collect();
        strings.sort();
        let expected: Vec<String> = counts.iter().map(|c| format!("{c}_0f3a")).collect();
        assert_eq!(strings, expected);
    }
}
