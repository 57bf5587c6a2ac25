//! The way back from a YAML string's value to the bytes it was written at.
//!
//! Rasa reads examples out of a scalar's *value*: block indentation removed, line breaks
//! normalised, lines folded (`>`, plain and quoted scalars), escapes decoded. A finding
//! about an example, or an entity's span, needs the source bytes of a piece of that value.
//! In a literal block (`|`) and in a one-line scalar without escapes every character of
//! the value is written as is, in order; elsewhere a few are not (a folded line break is a
//! space, `\t` one tab). So the map walks the value and the source together: each value
//! character is looked for a little ahead in the source; one that is not found (an
//! escape) is placed where the source stands, and the walk goes on from there.

use crate::source::Span;
use crate::yaml::Node;

/// How far ahead a value character is looked for in the source: past an escape such as
/// `\U0001F600` and a folded line break with its indentation.
const REACH: usize = 64;

/// Source offsets of a scalar's value, as stretches ("runs") of value bytes: in a literal
/// block a line is one run, so the map costs a few words a line, not a word a byte.
#[derive(Debug, Clone)]
pub struct ScalarMap {
    /// In value order, each starting where the last ends; none is empty.
    runs: Vec<Run>,
    /// Where the walk stood after the last character: the source end of the value.
    end: usize,
    /// The end of the source text, for clamping.
    text_len: usize,
}

/// Value bytes `value..value + len`: written as is from source byte `source` on
/// (`verbatim`), or not written as is (an escape, a folded line break) and all placed at
/// `source`, where the walk stood.
#[derive(Debug, Clone, Copy)]
struct Run {
    value: usize,
    source: usize,
    len: usize,
    verbatim: bool,
}

impl ScalarMap {
    /// The map of `value`, the string `node` holds, written in `text`.
    pub fn new(text: &str, node: &Node, value: &str) -> Self {
        let content = node.content_span(text);
        let indent = block_indentation(text, content.start);
        // A block scalar's value starts on the line after its indicator: blank lines
        // before the first one with text are part of it (and of no node's span). The walk
        // may go past the node's span (kept trailing lines of `|+`), never far.
        let (start, end) = match style(text, node) {
            Style::Literal(at) | Style::Folded(at) => {
                let next_line = memchr::memchr(b'\n', &text.as_bytes()[at..])
                    .map_or(content.start, |i| at + i + 1);
                (next_line.min(content.start), text.len())
            }
            _ => (content.start, content.end),
        };
        let source = &text[start..end];
        let mut map = ScalarMap {
            runs: Vec::new(),
            end: 0,
            text_len: text.len(),
        };
        let mut at = skip_spaces(source, 0, indent);
        let mut line_start = 0;
        while line_start < value.len() {
            let line_len = memchr::memchr(b'\n', &value.as_bytes()[line_start..])
                .map_or(value.len() - line_start, |i| i + 1);
            let line = &value[line_start..line_start + line_len];
            at = map.walk_line(source, start, indent, line_start, line, at);
            line_start += line_len;
        }
        map.end = start + at;
        map
    }

    /// Maps the value's `line` (at value offset `offset`, with its line feed), the walk
    /// standing at source offset `at` of `source` (which starts at text offset `start`);
    /// where the walk stands after it. A line written as is, the usual case in a literal
    /// block, is one comparison; others are walked character by character, as every
    /// line's characters would each be found right where the walk stands.
    fn walk_line(
        &mut self,
        source: &str,
        start: usize,
        indent: usize,
        offset: usize,
        line: &str,
        mut at: usize,
    ) -> usize {
        let written_as_is = memchr::memchr(b'\r', line.as_bytes()).is_none()
            && source.as_bytes()[at.min(source.len())..].starts_with(line.as_bytes());
        if written_as_is {
            self.push(offset, line.len(), start + at, true);
            at += line.len();
            return if line.ends_with('\n') {
                skip_spaces(source, at, indent)
            } else {
                at
            };
        }
        for (i, c) in line.char_indices() {
            let found = find_near(source, at, c);
            self.push(
                offset + i,
                c.len_utf8(),
                start + found.unwrap_or(at),
                found.is_some(),
            );
            if let Some(found) = found {
                at = found + c.len_utf8();
                if c == '\n' || c == '\r' {
                    at = skip_spaces(source, at, indent);
                }
            }
        }
        at
    }

    /// Adds value bytes `value..value + len` at `source`, to the last run when they
    /// continue it.
    fn push(&mut self, value: usize, len: usize, source: usize, verbatim: bool) {
        if let Some(last) = self.runs.last_mut() {
            let continues = if verbatim {
                last.verbatim && last.source + last.len == source
            } else {
                !last.verbatim && last.source == source
            };
            if continues {
                last.len += len;
                return;
            }
        }
        self.runs.push(Run {
            value,
            source,
            len,
            verbatim,
        });
    }

    /// The source span of the value's bytes `range`: from its first character to the end
    /// of its last one.
    pub fn span(&self, range: std::ops::Range<usize>) -> Span {
        let start = self.start_of(range.start);
        if range.end <= range.start {
            return start..start;
        }
        let value_len = self.runs.last().map_or(0, |r| r.value + r.len);
        let end_index = range.end.min(value_len);
        if end_index <= range.start {
            return start..start;
        }
        let end = match self.run_of(end_index - 1) {
            Some(run) if run.verbatim => run.source + (end_index - run.value),
            _ => self.start_of(end_index),
        };
        start..end.clamp(start, self.text_len)
    }

    /// Where value byte `index` is written (the walk's end past the value).
    fn start_of(&self, index: usize) -> usize {
        match self.run_of(index) {
            Some(run) if run.verbatim => run.source + (index - run.value),
            Some(run) => run.source,
            None => self.end,
        }
    }

    fn run_of(&self, index: usize) -> Option<&Run> {
        let after = self.runs.partition_point(|run| run.value <= index);
        let run = self.runs.get(after.checked_sub(1)?)?;
        (index < run.value + run.len).then_some(run)
    }
}

/// Where `c` is next written in `source`, from `at`, within [`REACH`] bytes: most often
/// right there.
fn find_near(source: &str, at: usize, c: char) -> Option<usize> {
    let rest = source.get(at..)?;
    let mut buffer = [0; 4];
    let needle = c.encode_utf8(&mut buffer).as_bytes();
    if rest.as_bytes().starts_with(needle) {
        return Some(at);
    }
    let window = &rest.as_bytes()[..rest.len().min(REACH + needle.len())];
    let found = match needle {
        [byte] => memchr::memchr(*byte, window)?,
        _ => memchr::memmem::find(window, needle)?,
    };
    rest.is_char_boundary(found).then_some(at + found)
}

/// Up to `count` spaces of `source` from `at`, skipped.
fn skip_spaces(source: &str, at: usize, count: usize) -> usize {
    let spaces = source.as_bytes()[at.min(source.len())..]
        .iter()
        .take(count)
        .take_while(|&&b| b == b' ')
        .count();
    at + spaces
}

/// The indentation of a block scalar's lines (its first line's, counted in spaces), which
/// YAML removes from every line; 0 for other scalars (a block scalar's value starts a
/// line, the others follow something on theirs).
fn block_indentation(text: &str, start: usize) -> usize {
    let line_start = text[..start].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let before = &text[line_start..start];
    if before.bytes().all(|b| b == b' ') && line_start > 0 {
        before.len()
    } else {
        0
    }
}

/// How a scalar is written, as far as Rasa's reading depends on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    /// `|`, with the indicator's offset.
    Literal(usize),
    /// `>`, with the indicator's offset.
    Folded(usize),
    /// `*name`: written elsewhere.
    Alias,
}

/// The style of scalar `node`.
pub fn style(text: &str, node: &Node) -> Style {
    match text.as_bytes().get(node.span.start) {
        Some(b'"') => return Style::DoubleQuoted,
        Some(b'\'') => return Style::SingleQuoted,
        Some(b'*') => return Style::Alias,
        _ => {}
    }
    match block_indicator(text, node.span.start) {
        Some((b'|', at)) => Style::Literal(at),
        Some((_, at)) => Style::Folded(at),
        None => Style::Plain,
    }
}

/// The indicator (`|`, `>`) of the block scalar whose content starts at `start`, and its
/// offset, if the content is a block scalar's.
fn block_indicator(text: &str, start: usize) -> Option<(u8, usize)> {
    let line_start = memchr::memrchr2(b'\n', b'\r', &text.as_bytes()[..start])? + 1;
    if !text[line_start..start]
        .bytes()
        .all(|b| b == b' ' || b == b'\t')
    {
        return None;
    }
    let before = text[..line_start].trim_end();
    let line = &before[before.rfind(['\n', '\r']).map_or(0, |i| i + 1)..];
    // A comment after the indicator (`| # note`) is no part of it.
    let code = line.find(" #").map_or(line, |i| &line[..i]).trim_end();
    let token_start = code.rfind([' ', '\t']).map_or(0, |i| i + 1);
    let indicator = *code.as_bytes().get(token_start)?;
    let offset = before.len() - line.len() + token_start;
    matches!(indicator, b'|' | b'>').then_some((indicator, offset))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml;

    /// The map of the value of `key` in `text`, and that value.
    fn map_of(text: &str, key: &str) -> (ScalarMap, String) {
        let root = yaml::parse(text).expect("valid YAML");
        let node = root.get(key).expect("the key");
        let value = node.as_str().expect("a string").to_string();
        (ScalarMap::new(text, node, &value), value)
    }

    /// The source under the map's span of each occurrence of `piece` in the value.
    fn written<'t>(text: &'t str, map: &ScalarMap, value: &str, piece: &str) -> &'t str {
        let at = value.find(piece).expect("the piece");
        &text[map.span(at..at + piece.len())]
    }

    #[test]
    fn literal_blocks_map_line_by_line() {
        let text = "examples: |\n    - hi\n      - nested\n\n    - [Zürich](city) ☕\r\n";
        let (map, value) = map_of(text, "examples");
        assert_eq!(value, "- hi\n  - nested\n\n- [Zürich](city) ☕\n");
        for piece in ["- hi", "  - nested", "[Zürich](city)", "Zürich", "☕"] {
            assert_eq!(written(text, &map, &value, piece), piece);
        }
        assert_eq!(map.span(3..99).end, text.len(), "clamped to the value");
        let blank = value.find("\n\n").expect("a blank line") + 1;
        let span = map.span(blank..blank);
        assert_eq!(span.start, text.find("\n\n").expect("blank") + 1);
    }

    #[test]
    fn blank_lines_before_the_first_example_are_mapped_too() {
        let text = "examples: |\n    \n\n    - hi\n    \n    - ho\nnext: 1\n";
        let (map, value) = map_of(text, "examples");
        assert_eq!(value, "\n\n- hi\n\n- ho\n");
        let lines: Vec<usize> = [0, 1, 7].iter().map(|&at| map.span(at..at).start).collect();
        let breaks: Vec<usize> = text.match_indices('\n').map(|(i, _)| i).collect();
        assert_eq!(lines, [breaks[1], breaks[2], breaks[4]]);
        assert_eq!(written(text, &map, &value, "ho"), "ho");
    }

    #[test]
    fn quoted_and_folded_scalars_map_near_enough() {
        let text = "a: \"- caf\\u00e9 [x](y)\\n- b\"\nb: >\n  - one\n  - two\n";
        let (map, value) = map_of(text, "a");
        assert_eq!(value, "- café [x](y)\n- b");
        assert_eq!(written(text, &map, &value, "[x](y)"), "[x](y)");
        assert_eq!(written(text, &map, &value, "b"), "b");
        let (map, value) = map_of(text, "b");
        assert_eq!(value, "- one - two\n");
        assert_eq!(written(text, &map, &value, "two"), "two");
        assert_eq!(written(text, &map, &value, "- one - two"), "- one\n  - two");
    }
}
