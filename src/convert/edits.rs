//! Small text edits of a YAML file, so that a rewritten `domain.yml` or `config.yml` keeps
//! its comments, order and spelling everywhere the conversion does not have to change it.

use crate::source::Span;

/// Edits to one text: each replaces a byte range (an insertion replaces an empty one).
#[derive(Debug, Default)]
pub struct Edits {
    edits: Vec<(Span, String)>,
}

impl Edits {
    pub fn replace(&mut self, span: Span, text: impl Into<String>) {
        self.edits.push((span, text.into()));
    }

    pub fn insert(&mut self, at: usize, text: impl Into<String>) {
        self.edits.push((at..at, text.into()));
    }

    /// The text with the edits applied. Insertions at one offset keep the order they were
    /// made in; an edit that overlaps an earlier one (by offset) is left out and returned.
    pub fn apply(mut self, text: &str) -> (String, Vec<Span>) {
        self.edits.sort_by_key(|(span, _)| (span.start, span.end));
        let mut out = String::with_capacity(text.len() + 256);
        let mut copied = 0;
        let mut skipped = Vec::new();
        for (span, replacement) in self.edits {
            let fits = span.start >= copied
                && span.end <= text.len()
                && text.is_char_boundary(span.start)
                && text.is_char_boundary(span.end);
            if !fits {
                skipped.push(span);
                continue;
            }
            out.push_str(&text[copied..span.start]);
            out.push_str(&replacement);
            copied = span.end;
        }
        out.push_str(&text[copied..]);
        (out, skipped)
    }
}

/// The offset of the start of the line `at` is on.
pub fn line_start(text: &str, at: usize) -> usize {
    text[..at.min(text.len())].rfind('\n').map_or(0, |i| i + 1)
}

/// The offset just after the line break ending the line `at` is on (the text's end when
/// it has none).
pub fn after_line(text: &str, at: usize) -> usize {
    let at = at.min(text.len());
    text[at..].find('\n').map_or(text.len(), |i| at + i + 1)
}

/// The column (in bytes) of `at` on its line.
pub fn column(text: &str, at: usize) -> usize {
    at - line_start(text, at)
}

/// Whether only spaces stand before `at` on its line.
pub fn starts_line(text: &str, at: usize) -> bool {
    text[line_start(text, at)..at].chars().all(|c| c == ' ')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_apply_in_offset_order_and_overlaps_are_refused() {
        let mut edits = Edits::default();
        edits.insert(0, "a");
        edits.replace(2..4, "X");
        edits.replace(3..5, "Y");
        edits.insert(0, "b");
        let (text, skipped) = edits.apply("012345");
        assert_eq!(text, "ab01X45");
        assert_eq!(skipped, vec![3..5]);
    }
}
