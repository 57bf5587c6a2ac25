//! What a graphical report shows of a file: the lines around its spans, each long line cut
//! down to windows around the places the spans start and end at, joined by an ellipsis.
//!
//! miette pads an underline with a width that must fit in 16 bits (it panics past column
//! 65,535), and prints every line it is given whole: an 8 MB line beside a place a hundred
//! findings point to would be printed a hundred times. A report is drawn from an
//! [`Excerpt`] instead: a text of its own that holds only the lines shown, at most
//! [`MAX_SHOWN`] characters of each, with offsets translated between it and the file.

use miette::{MietteError, MietteSpanContents, SourceSpan, SpanContents};

use crate::source::{SourceFile, Span};

/// Lines of context shown before and after a span (the graphical handler is set to this).
pub(super) const CONTEXT_LINES: usize = 1;
/// A line of at most this many characters is shown whole.
const LONG_LINE: usize = 200;
/// Characters shown on either side of a place a span starts or ends at, on a long line.
const AROUND: usize = 60;
/// The most characters shown of one line (a long line that many spans point into).
const MAX_SHOWN: usize = 1000;

/// A stretch of the file copied into the excerpt as it is.
#[derive(Debug, Clone, Copy)]
struct Piece {
    file: usize,
    excerpt: usize,
    len: usize,
}

/// Consecutive lines of the file as the excerpt holds them: where each starts, and where
/// the last one ends.
#[derive(Debug)]
struct Block {
    line_starts: Vec<usize>,
    end: usize,
}

/// The lines of one file that one report shows. Offsets of the file's text become offsets
/// of the excerpt with [`Excerpt::span`]; miette reads the excerpt with
/// [`Excerpt::read_span`], which names lines and columns as the file has them.
#[derive(Debug)]
pub(super) struct Excerpt {
    text: String,
    /// In the order of both the file and the excerpt; between two pieces of one line lies
    /// an ellipsis, between two blocks nothing.
    pieces: Vec<Piece>,
    blocks: Vec<Block>,
    ellipsis: &'static str,
}

impl Excerpt {
    /// The lines `spans` (within the text, on character boundaries) lie on, with
    /// [`CONTEXT_LINES`] around them.
    pub(super) fn new(file: &SourceFile, spans: &[Span], ellipsis: &'static str) -> Self {
        let mut points: Vec<usize> = spans.iter().flat_map(|s| [s.start, s.end]).collect();
        points.sort_unstable();
        let mut excerpt = Excerpt {
            text: String::new(),
            pieces: Vec::new(),
            blocks: Vec::new(),
            ellipsis,
        };
        for (first, last) in line_ranges(file, spans) {
            let mut block = Block {
                line_starts: Vec::with_capacity(last - first + 1),
                end: 0,
            };
            for line in first..=last {
                block.line_starts.push(excerpt.text.len());
                excerpt.push_line(file, line, &points);
            }
            block.end = excerpt.text.len();
            excerpt.blocks.push(block);
        }
        excerpt
    }

    /// A span of the file as a span of the excerpt. A place cut out of a long line becomes
    /// the ellipsis that stands for it.
    pub(super) fn span(&self, span: &Span) -> SourceSpan {
        let start = self.to_excerpt(span.start, false);
        let end = self.to_excerpt(span.end, true).max(start);
        (start, end - start).into()
    }

    fn to_excerpt(&self, offset: usize, end: bool) -> usize {
        let Some(piece) = self.last_piece(|p| p.file <= offset) else {
            return 0;
        };
        if offset <= piece.file + piece.len {
            piece.excerpt + offset - piece.file
        } else {
            piece.excerpt + piece.len + if end { self.ellipsis.len() } else { 0 }
        }
    }

    fn to_file(&self, offset: usize) -> usize {
        let Some(piece) = self.last_piece(|p| p.excerpt <= offset) else {
            return 0;
        };
        piece.file + (offset - piece.excerpt).min(piece.len)
    }

    fn last_piece(&self, before: impl Fn(&Piece) -> bool) -> Option<&Piece> {
        let index = self.pieces.partition_point(before);
        self.pieces.get(index.checked_sub(1)?)
    }

    /// Appends 1-based `line`: whole when short, else the windows around `points` on it
    /// (or its start, when none is), joined by ellipses. A lone `\r` ending the line
    /// becomes `\n`, the only line breaks besides `\r\n` miette knows.
    fn push_line(&mut self, file: &SourceFile, line: usize, points: &[usize]) {
        let text = file.text.as_str();
        let start = file.line_start(line);
        let next = if line < file.line_count() {
            file.line_start(line + 1)
        } else {
            text.len()
        };
        let end = start + text[start..next].trim_end_matches(['\n', '\r']).len();
        let mut at = start;
        for window in windows(text, start..end, points) {
            if window.start > at {
                self.push_piece(text, at..at);
                self.text.push_str(self.ellipsis);
            }
            self.push_piece(text, window.clone());
            at = window.end;
        }
        if at < end {
            self.push_piece(text, at..at);
            self.text.push_str(self.ellipsis);
        }
        self.pieces.push(Piece {
            file: end,
            excerpt: self.text.len(),
            len: next - end,
        });
        match &text[end..next] {
            "\r" => self.text.push('\n'),
            line_break => self.text.push_str(line_break),
        }
    }

    fn push_piece(&mut self, text: &str, range: Span) {
        self.pieces.push(Piece {
            file: range.start,
            excerpt: self.text.len(),
            len: range.len(),
        });
        self.text.push_str(&text[range]);
    }

    /// What miette asks for: the lines `span` lies on, with context around them, as long
    /// as they lie in one block.
    pub(super) fn read_span<'b>(
        &'b self,
        file: &SourceFile,
        name: &str,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let (start, end) = (span.offset(), span.offset() + span.len());
        let index = self.blocks.partition_point(|b| b.line_starts[0] <= start);
        let block = index
            .checked_sub(1)
            .map(|i| &self.blocks[i])
            .filter(|b| end <= b.end)
            .ok_or(MietteError::OutOfBounds)?;
        let starts = &block.line_starts;
        let line_of = |offset: usize| starts.partition_point(|&s| s <= offset) - 1;
        let (first, last) = (line_of(start), line_of(end.saturating_sub(1).max(start)));
        let from = first.saturating_sub(before);
        let to = (last + after).min(starts.len() - 1);
        let (from_offset, to_offset) = (starts[from], starts.get(to + 1).copied());
        let to_offset = to_offset.unwrap_or(block.end);
        // miette takes the snippet header's column from a read with no context lines.
        let column = if from == first {
            file.line_col(self.to_file(start)).column - 1
        } else {
            0
        };
        Ok(Box::new(MietteSpanContents::new_named(
            name.to_owned(),
            &self.text.as_bytes()[from_offset..to_offset],
            (from_offset, to_offset - from_offset).into(),
            file.line_of(self.to_file(from_offset)) - 1,
            column,
            to - from + 1,
        )))
    }
}

/// The 1-based lines shown for `spans`: each span's lines with context, as ranges that
/// neither overlap nor touch (miette joins snippets whose lines touch).
fn line_ranges(file: &SourceFile, spans: &[Span]) -> Vec<(usize, usize)> {
    let mut ranges: Vec<(usize, usize)> = spans
        .iter()
        .map(|span| {
            let first = file.line_of(span.start);
            let last = file.line_of(span.end.saturating_sub(1).max(span.start));
            let from = first.saturating_sub(CONTEXT_LINES).max(1);
            (from, (last + CONTEXT_LINES).min(file.line_count()))
        })
        .collect();
    ranges.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(ranges.len());
    for (first, last) in ranges {
        match merged.last_mut() {
            Some(previous) if first <= previous.1 + 1 => previous.1 = previous.1.max(last),
            _ => merged.push((first, last)),
        }
    }
    merged
}

/// The parts of the line `line` (without its break) that are shown: all of it when short;
/// else [`AROUND`] characters on either side of each of `points` on it (or of its start),
/// merged where they meet, and no more than [`MAX_SHOWN`] characters in all.
fn windows(text: &str, line: Span, points: &[usize]) -> Vec<Span> {
    if text[line.clone()].chars().nth(LONG_LINE).is_none() {
        return vec![line];
    }
    let on_line = &points[points.partition_point(|&p| p < line.start)..];
    let on_line = &on_line[..on_line.partition_point(|&p| p <= line.end)];
    let around = |p: usize| back(text, line.start, p, AROUND)..ahead(text, line.end, p, AROUND);
    let mut merged: Vec<Span> = Vec::new();
    for window in on_line.iter().map(|&p| around(p)) {
        match merged.last_mut() {
            Some(previous) if window.start <= previous.end => previous.end = window.end,
            _ => merged.push(window),
        }
    }
    if merged.is_empty() {
        merged.push(line.start..ahead(text, line.end, line.start, 2 * AROUND));
    }
    let mut shown = 0;
    let mut kept = Vec::with_capacity(merged.len());
    for window in merged {
        let room = MAX_SHOWN - shown;
        let end = ahead(text, window.end, window.start, room);
        shown += text[window.start..end].chars().count();
        kept.push(window.start..end);
        if end < window.end || shown == MAX_SHOWN {
            break;
        }
    }
    kept
}

/// The offset `count` characters before `offset`, or `floor` if that comes first.
fn back(text: &str, floor: usize, offset: usize, count: usize) -> usize {
    if count == 0 {
        return offset;
    }
    text[floor..offset]
        .char_indices()
        .rev()
        .nth(count - 1)
        .map_or(floor, |(i, _)| floor + i)
}

/// The offset `count` characters after `offset`, or `ceiling` if that comes first.
fn ahead(text: &str, ceiling: usize, offset: usize, count: usize) -> usize {
    text[offset..ceiling]
        .char_indices()
        .nth(count)
        .map_or(ceiling, |(i, _)| offset + i)
}
