//! Applying the safe fixes findings carry (`rasalint check --fix`): pure text edits, so
//! the library never touches a file; `src/cli` writes the results.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use crate::diagnostic::{Diagnostic, Edit};
use crate::source::FileId;

/// A file's text with the fixes of its findings applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixedFile {
    pub file: FileId,
    pub text: String,
    /// How many findings were fixed.
    pub fixed: usize,
}

/// The fixed text of every file some finding has a fix for. A finding's edits are applied
/// together or not at all: when one of them overlaps an edit already taken (two findings
/// fixing the same place), the whole finding is left for the next run.
pub fn apply<'t>(findings: &[Diagnostic], text_of: impl Fn(FileId) -> &'t str) -> Vec<FixedFile> {
    let mut by_file: FxHashMap<FileId, Vec<&[Edit]>> = FxHashMap::default();
    for finding in findings.iter().filter(|f| !f.fix.is_empty()) {
        by_file.entry(finding.file).or_default().push(&finding.fix);
    }
    let mut fixed: Vec<FixedFile> = by_file
        .into_iter()
        .filter_map(|(file, fixes)| {
            let (text, count) = apply_to_text(text_of(file), &fixes);
            (count > 0).then_some(FixedFile {
                file,
                text,
                fixed: count,
            })
        })
        .collect();
    fixed.sort_by_key(|f| f.file);
    fixed
}

/// Applies each fix (a finding's edits) that overlaps no fix taken before it, and says
/// how many were applied. Taken edits are kept ordered by position, so each check is a
/// lookup, not a scan: a file can have a fix on every line.
pub fn apply_to_text(text: &str, fixes: &[&[Edit]]) -> (String, usize) {
    let mut taken: BTreeMap<usize, &Edit> = BTreeMap::new();
    let mut count = 0;
    for edits in fixes {
        let mut own: Vec<&Edit> = edits.iter().collect();
        own.sort_by_key(|e| (e.span.start, e.span.end));
        let valid = own.iter().all(|e| {
            e.span.start <= e.span.end
                && text.is_char_boundary(e.span.start)
                && text.is_char_boundary(e.span.end)
        }) && own.windows(2).all(|pair| !overlaps(pair[0], pair[1]))
            && !own.iter().any(|e| clashes_with(&taken, e));
        if valid {
            taken.extend(own.into_iter().map(|e| (e.span.start, e)));
            count += 1;
        }
    }
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for edit in taken.into_values() {
        out.push_str(&text[copied..edit.span.start]);
        out.push_str(&edit.text);
        copied = edit.span.end;
    }
    out.push_str(&text[copied..]);
    (out, count)
}

/// Whether `edit` overlaps an edit already taken (see [`overlaps`]): the taken edit that
/// starts last at or before it, or any that starts inside it.
fn clashes_with(taken: &BTreeMap<usize, &Edit>, edit: &Edit) -> bool {
    let (start, end) = (edit.span.start, edit.span.end);
    let before = taken
        .range(..=start)
        .next_back()
        .is_some_and(|(_, t)| overlaps(t, edit));
    before || (end > start && taken.range(start + 1..end).next().is_some())
}

/// Whether two edits touch the same text (two insertions at one place count too: their
/// order would be a guess).
fn overlaps(a: &Edit, b: &Edit) -> bool {
    a.span.start < b.span.end && b.span.start < a.span.end
        || (a.span.start == b.span.start && (a.span.is_empty() || b.span.is_empty()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(span: std::ops::Range<usize>, text: &str) -> Edit {
        Edit {
            span,
            text: text.to_string(),
        }
    }

    #[test]
    fn applies_edits_in_order_of_position() {
        let fixes: [&[Edit]; 3] = [&[edit(9..10, "")], &[edit(0..1, "A")], &[edit(5..5, "!")]];
        assert_eq!(
            apply_to_text("abcd efgh \nx", &fixes),
            ("Abcd !efgh\nx".to_string(), 3)
        );
    }

    #[test]
    fn a_fix_that_overlaps_one_taken_is_left_whole() {
        // The second fix's first edit is fine, its second clashes: neither is applied.
        let fixes: [&[Edit]; 2] = [&[edit(2..4, "")], &[edit(0..1, "X"), edit(3..5, "")]];
        assert_eq!(apply_to_text("abcdef", &fixes), ("abef".to_string(), 1));
        let inserts: [&[Edit]; 2] = [&[edit(3..3, "1")], &[edit(3..3, "2")]];
        assert_eq!(apply_to_text("abc", &inserts), ("abc1".to_string(), 1));
    }

    #[test]
    fn a_fix_whose_own_edits_overlap_is_refused() {
        let fixes: [&[Edit]; 1] = [&[edit(0..3, "x"), edit(2..4, "y")]];
        assert_eq!(apply_to_text("abcdef", &fixes), ("abcdef".to_string(), 0));
    }

    /// The ordered lookup takes exactly the fixes a scan over every taken edit would.
    #[test]
    fn takes_what_a_plain_scan_takes() {
        let naive = |text: &str, fixes: &[Vec<Edit>]| -> usize {
            let mut taken: Vec<&Edit> = Vec::new();
            let mut count = 0;
            for edits in fixes {
                let clash = edits.iter().enumerate().any(|(i, e)| {
                    e.span.start > e.span.end
                        || e.span.end > text.len()
                        || taken.iter().any(|t| overlaps(t, e))
                        || edits[..i].iter().any(|o| overlaps(o, e))
                });
                if !clash {
                    taken.extend(edits.iter());
                    count += 1;
                }
            }
            count
        };
        let text = "abcdefghijklmnopqrstuvwxyz";
        let mut next = crate::test_rng::below(0x9e37_79b9);
        for _ in 0..2_000 {
            let fixes: Vec<Vec<Edit>> = (0..1 + next(6))
                .map(|_| {
                    (0..1 + next(3))
                        .map(|_| {
                            let start = next(text.len() + 1);
                            let end = (start + next(4)).min(text.len());
                            edit(start..end, "_")
                        })
                        .collect()
                })
                .collect();
            let slices: Vec<&[Edit]> = fixes.iter().map(Vec::as_slice).collect();
            assert_eq!(
                apply_to_text(text, &slices).1,
                naive(text, &fixes),
                "{fixes:?}"
            );
        }
    }

    #[test]
    fn edits_inside_a_character_are_refused() {
        let fixes: [&[Edit]; 1] = [&[edit(1..2, "")]];
        assert_eq!(apply_to_text("é", &fixes), ("é".to_string(), 0));
    }
}
