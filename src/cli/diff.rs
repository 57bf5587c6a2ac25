//! Unified diffs of whole files in time linear in their length (`check --diff`).
//!
//! Myers' algorithm, which `similar` runs, takes time in the product of the length and the
//! number of changed lines: a 40,000-line file whose every line a fix changes (CRLF line
//! endings) took minutes. The files are first cut at the lines that occur once in each
//! text and keep their order (patience diff's anchors); Myers runs on the stretches
//! between them only where they are short, and a long stretch without such a line is
//! shown as replaced whole, after the lines it starts and ends with in both are set aside.
//! A short file is diffed whole, as `similar` would.

use similar::udiff::UnifiedHunkHeader;
use similar::{Algorithm, DiffOp, DiffableStr};
use std::collections::HashMap;

/// Lines (both sides together) of the longest stretch Myers' algorithm runs on.
const MYERS_AT_MOST: usize = 1000;
/// Lines of context around each change.
const CONTEXT: usize = 3;

/// The unified diff of `old` and `new` with `---`/`+++` headers `a` and `b`; nothing
/// when they are equal.
pub(super) fn unified(old: &str, new: &str, a: &str, b: &str) -> String {
    let (old_lines, new_lines) = (old.tokenize_lines(), new.tokenize_lines());
    let ops = line_ops(&old_lines, &new_lines);
    let mut out = String::new();
    for (i, group) in similar::group_diff_ops(ops, CONTEXT)
        .into_iter()
        .enumerate()
    {
        if i == 0 {
            out.push_str(&format!("--- {a}\n+++ {b}\n"));
        }
        out.push_str(&format!("{}\n", UnifiedHunkHeader::new(&group)));
        for op in &group {
            for change in op.iter_changes(&old_lines, &new_lines) {
                out.push_str(&format!("{}{}", change.tag(), change.value()));
                if !change.value().ends_with(['\r', '\n']) {
                    out.push_str("\n\\ No newline at end of file\n");
                }
            }
        }
    }
    out
}

/// The edit script from `old` to `new`, lines by index: Myers' on short files (the
/// shortest script), else cut at anchors.
fn line_ops(old: &[&str], new: &[&str]) -> Vec<DiffOp> {
    if old.len() + new.len() <= MYERS_AT_MOST {
        return similar::capture_diff_slices(Algorithm::Myers, old, new);
    }
    let mut ops = Ops::default();
    let (mut at_old, mut at_new) = (0, 0);
    for (anchor_old, anchor_new) in anchors(old, new) {
        ops.stretch(old, new, at_old..anchor_old, at_new..anchor_new);
        ops.equal(anchor_old, anchor_new, 1);
        (at_old, at_new) = (anchor_old + 1, anchor_new + 1);
    }
    ops.stretch(old, new, at_old..old.len(), at_new..new.len());
    ops.0
}

/// The lines that occur once in `old` and once in `new`, as pairs of indexes, the longest
/// chain of them in the same order in both (patience sorting: n log n).
fn anchors(old: &[&str], new: &[&str]) -> Vec<(usize, usize)> {
    // By line: how often in old and in new, and where last.
    let mut seen: HashMap<&str, (usize, usize, usize, usize)> = HashMap::new();
    for (i, line) in old.iter().enumerate() {
        let entry = seen.entry(line).or_default();
        (entry.0, entry.2) = (entry.0 + 1, i);
    }
    for (i, line) in new.iter().enumerate() {
        let entry = seen.entry(line).or_default();
        (entry.1, entry.3) = (entry.1 + 1, i);
    }
    let mut unique: Vec<(usize, usize)> = seen
        .into_values()
        .filter(|&(in_old, in_new, ..)| in_old == 1 && in_new == 1)
        .map(|(_, _, i, j)| (i, j))
        .collect();
    unique.sort_unstable();
    longest_increasing(&unique)
}

/// The longest chain of `pairs` (sorted by their first) whose seconds increase too.
fn longest_increasing(pairs: &[(usize, usize)]) -> Vec<(usize, usize)> {
    // tails[k]: the pair that ends the best chain of length k + 1 found so far.
    let mut tails: Vec<usize> = Vec::new();
    let mut before: Vec<Option<usize>> = vec![None; pairs.len()];
    for (i, &(_, second)) in pairs.iter().enumerate() {
        let k = tails.partition_point(|&t| pairs[t].1 < second);
        before[i] = k.checked_sub(1).map(|k| tails[k]);
        match tails.get_mut(k) {
            Some(tail) => *tail = i,
            None => tails.push(i),
        }
    }
    let mut chain = Vec::with_capacity(tails.len());
    let mut at = tails.last().copied();
    while let Some(i) = at {
        chain.push(pairs[i]);
        at = before[i];
    }
    chain.reverse();
    chain
}

/// An edit script being built, equal runs merged (hunks are cut at long equal runs).
#[derive(Default)]
struct Ops(Vec<DiffOp>);

impl Ops {
    fn equal(&mut self, old_index: usize, new_index: usize, len: usize) {
        if len == 0 {
            return;
        }
        if let Some(DiffOp::Equal { len: last, .. }) = self.0.last_mut() {
            *last += len;
            return;
        }
        self.0.push(DiffOp::Equal {
            old_index,
            new_index,
            len,
        });
    }

    /// The lines between two anchors: the lines they start and end with in both set
    /// aside, then Myers' script if short, else all of one replaced by all of the other.
    fn stretch(
        &mut self,
        old: &[&str],
        new: &[&str],
        old_range: std::ops::Range<usize>,
        new_range: std::ops::Range<usize>,
    ) {
        let (old, new) = (&old[old_range.clone()], &new[new_range.clone()]);
        let start = old.iter().zip(new).take_while(|(a, b)| a == b).count();
        let (old_rest, new_rest) = (&old[start..], &new[start..]);
        let end = old_rest
            .iter()
            .rev()
            .zip(new_rest.iter().rev())
            .take_while(|(a, b)| a == b)
            .count();
        let (old_mid, new_mid) = (
            &old_rest[..old_rest.len() - end],
            &new_rest[..new_rest.len() - end],
        );
        let (old_at, new_at) = (old_range.start + start, new_range.start + start);
        self.equal(old_range.start, new_range.start, start);
        if old_mid.len() + new_mid.len() <= MYERS_AT_MOST {
            for op in similar::capture_diff_slices(Algorithm::Myers, old_mid, new_mid) {
                self.push_shifted(op, old_at, new_at);
            }
        } else {
            self.0.push(DiffOp::Replace {
                old_index: old_at,
                old_len: old_mid.len(),
                new_index: new_at,
                new_len: new_mid.len(),
            });
        }
        let (old_end, new_end) = (old_at + old_mid.len(), new_at + new_mid.len());
        self.equal(old_end, new_end, end);
    }

    /// `op` of a stretch that starts at `old_at` and `new_at`.
    fn push_shifted(&mut self, op: DiffOp, old_at: usize, new_at: usize) {
        let shifted = match op {
            DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => return self.equal(old_at + old_index, new_at + new_index, len),
            DiffOp::Delete {
                old_index,
                old_len,
                new_index,
            } => DiffOp::Delete {
                old_index: old_at + old_index,
                old_len,
                new_index: new_at + new_index,
            },
            DiffOp::Insert {
                old_index,
                new_index,
                new_len,
            } => DiffOp::Insert {
                old_index: old_at + old_index,
                new_index: new_at + new_index,
                new_len,
            },
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => DiffOp::Replace {
                old_index: old_at + old_index,
                old_len,
                new_index: new_at + new_index,
                new_len,
            },
        };
        self.0.push(shifted);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `similar` makes of the texts with Myers' algorithm on the whole.
    fn whole_myers(old: &str, new: &str) -> String {
        similar::TextDiff::from_lines(old, new)
            .unified_diff()
            .header("a/f", "b/f")
            .to_string()
    }

    #[test]
    fn small_changes_give_the_diff_myers_gives() {
        let cases = [
            ("a\nb\nc\n", "a\nB\nc\n"),
            ("a\nb\nc", "a\nb\nc\n"),
            ("x\n\n\ny\n", "x\n\ny\n"),
            ("", "new\n"),
            ("same\n", "same\n"),
            (
                "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n",
                "1\n2\n3 \n4\n5\n6\n7\n8\n9\n10 \n",
            ),
        ];
        for (old, new) in cases {
            assert_eq!(
                unified(old, new, "a/f", "b/f"),
                whole_myers(old, new),
                "{old:?}"
            );
        }
    }

    #[test]
    fn a_long_file_whose_every_line_changes_is_diffed_in_linear_time() {
        let old: String = (0..40_000).map(|i| format!("- line {i}\r\n")).collect();
        let new = old.replace("\r\n", "\n");
        let started = std::time::Instant::now();
        let diff = unified(&old, &new, "a/f", "b/f");
        // Myers' algorithm on the whole took minutes.
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
        assert!(diff.starts_with("--- a/f\n+++ b/f\n@@ -1,40000 +1,40000 @@\n-- line 0\r\n"));
        assert_eq!(diff.lines().filter(|l| l.starts_with('+')).count(), 40_001);
    }

    #[test]
    fn changes_far_apart_in_a_long_file_are_hunks_of_their_own() {
        let old: String = (0..5_000).map(|i| format!("line {i}\n")).collect();
        let new = old
            .replace("line 10\n", "line 10 \n")
            .replace("line 4000\n", "");
        let diff = unified(&old, &new, "a/f", "b/f");
        assert_eq!(diff, whole_myers(&old, &new));
        assert_eq!(diff.matches("@@ -").count(), 2, "{diff}");
    }
}
