//! HTML comments as Rasa's NLU reader removes them: every `<!-- … -->` in the whole text
//! (non-greedy, across lines, closer `--!*>`) is deleted *before* the text is split into
//! lines, so a comment that starts mid-line and ends on a later line joins two lines.

use crate::source::Span;
use crate::syntax::find;

/// A text with its comments removed, and the way back to the original offsets.
#[derive(Debug)]
pub struct Uncommented<'a> {
    /// The text Rasa goes on to read.
    pub text: std::borrow::Cow<'a, str>,
    /// Kept pieces: (offset in `text`, offset in the original).
    pieces: Vec<(usize, usize)>,
    /// Removed comments, as spans of the original text.
    pub comments: Vec<Span>,
    /// An opener `<!--` that has no closer: Rasa keeps it (and all after it) as text.
    pub unterminated: Option<usize>,
    /// The piece the last lookup landed in: readers ask in file order, so the next
    /// answer is nearly always that piece or the one after it.
    last_piece: std::cell::Cell<usize>,
}

impl Uncommented<'_> {
    /// The original offset of a position in the uncommented text. At the seam of a removed
    /// comment, the position after the comment is returned (where the next text starts).
    pub fn original(&self, offset: usize) -> usize {
        let piece = self.piece_of(offset);
        let (clean, orig) = self.pieces[piece];
        orig + (offset - clean)
    }

    /// The last piece that starts at or before `offset`.
    fn piece_of(&self, offset: usize) -> usize {
        let last = self.last_piece.get();
        let holds = |i: usize| {
            self.pieces
                .get(i)
                .is_some_and(|&(clean, _)| clean <= offset)
                && self
                    .pieces
                    .get(i + 1)
                    .is_none_or(|&(next, _)| next > offset)
        };
        let piece = [last, last + 1]
            .into_iter()
            .find(|&i| holds(i))
            .unwrap_or_else(|| self.pieces.partition_point(|&(clean, _)| clean <= offset) - 1);
        self.last_piece.set(piece);
        piece
    }

    /// The original span of a span of the uncommented text. The end maps to the end of the
    /// kept text before a seam, so a span never swallows the comment after it.
    pub fn original_span(&self, span: Span) -> Span {
        let start = self.original(span.start);
        let end = if span.end > span.start {
            self.original(span.end - 1) + 1
        } else {
            start
        };
        start..end
    }
}

/// Finds the end of the comment opened at `open` (the byte after `--!*>`), if it is closed.
pub fn comment_end(text: &str, open: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = open + 4;
    while let Some(found) = text[i..].find("--") {
        let mut j = i + found + 2;
        while bytes.get(j) == Some(&b'!') {
            j += 1;
        }
        if bytes.get(j) == Some(&b'>') {
            return Some(j + 1);
        }
        i += found + 1;
    }
    None
}

/// Removes comments the way Rasa 1.10's Markdown NLU reader does.
pub fn strip_comments(text: &str) -> Uncommented<'_> {
    let mut pieces = vec![(0, 0)];
    let mut comments = Vec::new();
    let mut unterminated = None;
    let mut clean = String::new();
    let mut kept_from = 0;
    let mut search_from = 0;
    while let Some(found) = find::comment_open(&text[search_from..]) {
        let open = search_from + found;
        let Some(end) = comment_end(text, open) else {
            unterminated = Some(open);
            break;
        };
        clean.push_str(&text[kept_from..open]);
        comments.push(open..end);
        pieces.push((clean.len(), end));
        kept_from = end;
        search_from = end;
    }
    let text = if comments.is_empty() {
        std::borrow::Cow::Borrowed(text)
    } else {
        clean.push_str(&text[kept_from..]);
        std::borrow::Cow::Owned(clean)
    };
    Uncommented {
        text,
        pieces,
        comments,
        unterminated,
        last_piece: std::cell::Cell::new(0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The remembered piece only shortcuts the search: any order of lookups gives the
    /// answer a fresh search gives.
    #[test]
    fn lookups_in_any_order_agree_with_a_fresh_search() {
        let text = "a<!--x-->b<!--y--><!--z-->cd\n<!-- w -->e";
        let uncommented = strip_comments(text);
        let fresh = |offset: usize| {
            let pieces = &uncommented.pieces;
            let piece = pieces.partition_point(|&(clean, _)| clean <= offset) - 1;
            pieces[piece].1 + (offset - pieces[piece].0)
        };
        let len = uncommented.text.len();
        let order: Vec<usize> = (0..=len)
            .chain((0..=len).rev())
            .chain([3, 0, 5, 1, 4])
            .collect();
        for offset in order {
            assert_eq!(
                uncommented.original(offset),
                fresh(offset),
                "offset {offset}"
            );
        }
    }

    #[test]
    fn removes_comments_across_lines_and_maps_offsets_back() {
        let src = "- a <!-- x\ny --> b\n<!-- c --!!> - d";
        let u = strip_comments(src);
        assert_eq!(u.text, "- a  b\n - d");
        let b = u.text.find('b').unwrap();
        assert_eq!(&src[u.original(b)..u.original(b) + 1], "b");
        let d = u.text.find('d').unwrap();
        assert_eq!(&src[u.original_span(d - 2..d + 1)], "- d");
        assert_eq!(u.comments.len(), 2);
    }

    #[test]
    fn an_unterminated_opener_is_kept_as_text() {
        let u = strip_comments("- a <!-- b\n- c");
        assert_eq!(u.text, "- a <!-- b\n- c");
        assert_eq!(u.unterminated, Some(4));
    }

    #[test]
    fn the_closer_needs_its_own_dashes() {
        assert_eq!(comment_end("<!-->", 0), None);
        assert_eq!(comment_end("<!---->", 0), Some(7));
    }
}
