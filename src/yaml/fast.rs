//! A fast path for the plain block YAML that Rasa's files are almost always written in.
//!
//! granit-parser reads all of YAML, and pays for it: about 450 instructions per token,
//! most of a YAML bot's reading time (a story step, `- intent: greet`, is seven tokens).
//! This reader knows a strict subset and nothing else — block mappings and sequences
//! indented with spaces, plain keys, one-line plain and quoted scalars without escapes,
//! literal block scalars (`|`, `|-`), comments — and gives up, returning `None`, at the
//! first byte outside it: a tab, a flow collection, an anchor, a tag, a multi-line plain
//! scalar, a line break other than `\n`, a character YAML refuses, anything surprising.
//! The full parser then reads the text from the start, so the subset decides only how
//! fast a text is read, never what it means or which error is reported.
//!
//! Where it answers, the tree is the one [`super::build`] builds from granit's events,
//! spans included (the empty value of `key:` at the colon; an indentless sequence,
//! `key:\n- a`, from its first item's text; a block scalar from its first line's text to
//! the start of the line that ends it). The tests compare the two on generated documents
//! and every YAML file of the fixtures and the corpora.
//!
//! Nesting is bounded ([`MAX_DEPTH`]) and every loop advances through the text, so the
//! reader is linear in the text's length.

use super::resolve::{self, Resolved};
use super::{Node, Value};

/// Collections nested deeper than this are left to the full parser (and its bound).
const MAX_DEPTH: usize = 64;

/// The tree of `text`, when all of it is in the subset this reader knows.
pub(super) fn build(text: &str) -> Option<Node> {
    if !in_character_subset(text) {
        return None;
    }
    let mut reader = Reader {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        depth: 0,
        items: Vec::new(),
        entries: Vec::new(),
    };
    let first = reader.next_line()?;
    if first.indent != 0 {
        return None;
    }
    let root = reader.collection(first)?;
    match reader.next_line() {
        None => Some(root),
        Some(_) => None,
    }
}

/// Whether the text ends with a line feed and holds no byte this reader leaves to the
/// full parser: tabs, carriage returns and other control characters, and the non-ASCII
/// characters YAML treats specially (NEL, the line and paragraph separators, the byte
/// order mark, the C1 controls, the non-characters U+FFFE and U+FFFF).
fn in_character_subset(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.last() != Some(&b'\n') {
        return false;
    }
    // Whole chunks of printable ASCII, the usual case, are checked without branches (the
    // compiler turns the fold into vector instructions); others byte by byte.
    const CHUNK: usize = 64;
    bytes.chunks(CHUNK).enumerate().all(|(n, chunk)| {
        let printable_ascii = chunk.iter().fold(true, |ok, &b| {
            ok & ((0x20..0x7f).contains(&b) | (b == b'\n'))
        });
        printable_ascii || (0..chunk.len()).all(|i| allowed_at(bytes, n * CHUNK + i))
    })
}

/// Whether the byte at `i` is one this reader takes (see [`in_character_subset`]).
fn allowed_at(bytes: &[u8], i: usize) -> bool {
    match bytes[i] {
        b'\n' => true,
        0..0x20 | 0x7f => false,
        0xc2 => !matches!(bytes.get(i + 1), Some(0x80..=0x9f)),
        0xe2 => !matches!(bytes.get(i + 1..i + 3), Some([0x80, 0xa8 | 0xa9])),
        0xef => !matches!(
            bytes.get(i + 1..i + 3),
            Some([0xbb, 0xbf] | [0xbf, 0xbe | 0xbf])
        ),
        _ => true,
    }
}

/// A line with text on it (not blank, not only a comment).
#[derive(Debug, Clone, Copy)]
struct Line {
    /// Where its text starts.
    at: usize,
    /// How many spaces come before it.
    indent: usize,
}

struct Reader<'t> {
    text: &'t str,
    bytes: &'t [u8],
    /// The start of the next line not read yet.
    pos: usize,
    depth: usize,
    /// The items and entries of the collections being read, innermost last: a collection
    /// pushes its children here and moves them into a list of their exact size when it
    /// ends, instead of growing a list of its own (most step mappings have one entry, and
    /// a list grown by pushing has room for four).
    items: Vec<Node>,
    entries: Vec<(Node, Node)>,
}

impl<'t> Reader<'t> {
    /// The next line with text, skipping blank and comment lines (which are consumed);
    /// `None` at the end of the text.
    fn next_line(&mut self) -> Option<Line> {
        while self.pos < self.bytes.len() {
            let indent = self.spaces_from(self.pos);
            let at = self.pos + indent;
            match self.bytes.get(at) {
                Some(b'\n') => self.pos = at + 1,
                Some(b'#') => self.pos = self.line_end(at) + 1,
                _ => return Some(Line { at, indent }),
            }
        }
        None
    }

    fn spaces_from(&self, at: usize) -> usize {
        self.bytes[at..].iter().take_while(|&&b| b == b' ').count()
    }

    /// The offset of the line feed ending the line `at` is on (the text ends with one).
    fn line_end(&self, at: usize) -> usize {
        memchr::memchr(b'\n', &self.bytes[at..]).map_or(self.bytes.len(), |i| at + i)
    }

    /// The block collection whose first entry starts on `line`: a sequence if it starts
    /// with `- `, else a mapping.
    fn collection(&mut self, line: Line) -> Option<Node> {
        self.nested(|reader| {
            if reader.is_dash(line.at) {
                reader.sequence(line, line.at)
            } else {
                reader.mapping(line.indent, line.at)
            }
        })
    }

    /// `read` one level of nesting deeper, or `None` past [`MAX_DEPTH`].
    fn nested(&mut self, read: impl FnOnce(&mut Self) -> Option<Node>) -> Option<Node> {
        if self.depth >= MAX_DEPTH {
            return None;
        }
        self.depth += 1;
        let node = read(self);
        self.depth -= 1;
        node
    }

    /// Whether a sequence entry's `-` is at `at`.
    fn is_dash(&self, at: usize) -> bool {
        self.bytes.get(at) == Some(&b'-') && matches!(self.bytes.get(at + 1), Some(b' ' | b'\n'))
    }

    /// A block sequence whose dashes are at `line.indent`; its span starts at `start`.
    fn sequence(&mut self, line: Line, start: usize) -> Option<Node> {
        let column = line.indent;
        let first = self.items.len();
        let mut at = line.at;
        loop {
            let item = self.sequence_item(column, at)?;
            self.items.push(item);
            match self.next_line() {
                Some(next) if next.indent == column && self.is_dash(next.at) => at = next.at,
                Some(next) if next.indent > column => return None,
                Some(next) => {
                    self.pos = self.line_start(next);
                    break;
                }
                None => break,
            }
        }
        let items: Vec<Node> = self.items.drain(first..).collect();
        let end = items.last().map_or(start, |item| item.span.end);
        Some(Node {
            value: Value::Seq(items),
            span: start..end.max(start),
        })
    }

    /// The start of the line `line` is on.
    fn line_start(&self, line: Line) -> usize {
        line.at - line.indent
    }

    /// The item whose dash is at `dash`, at column `column`.
    fn sequence_item(&mut self, column: usize, dash: usize) -> Option<Node> {
        let at = dash + 1 + self.spaces_from(dash + 1);
        if matches!(self.bytes.get(at), Some(b'\n' | b'#')) || self.is_dash(at) {
            return None;
        }
        if self.key_end(at).is_some() {
            let indent = column + (at - dash);
            return self.mapping(indent, at);
        }
        self.inline_value(column, at)
    }

    /// A block mapping whose keys are at column `indent`, the first one at `at`.
    fn mapping(&mut self, indent: usize, at: usize) -> Option<Node> {
        let first = self.entries.len();
        let mut key_at = at;
        loop {
            let entry = self.entry(indent, key_at)?;
            self.entries.push(entry);
            match self.next_line() {
                Some(next) if next.indent == indent && !self.is_dash(next.at) => key_at = next.at,
                Some(next) if next.indent >= indent => return None,
                Some(next) => {
                    self.pos = self.line_start(next);
                    break;
                }
                None => break,
            }
        }
        let entries: Vec<(Node, Node)> = self.entries.drain(first..).collect();
        let end = entries.iter().map(|(_, value)| value.span.end).max();
        Some(Node {
            value: Value::Map(entries),
            span: at..end.unwrap_or(at).max(at),
        })
    }

    /// Where the plain key starting at `at` ends (its colon), when the line holds one:
    /// a `:` followed by a space or the line's end, with no comment before it.
    fn key_end(&self, at: usize) -> Option<usize> {
        let end = self.line_end(at);
        let line = &self.bytes[at..end];
        let colon = memchr::memchr2_iter(b':', b'#', line).find(|&i| {
            line[i] == b':' && matches!(line.get(i + 1), None | Some(b' '))
                || line[i] == b'#' && i > 0 && line[i - 1] == b' '
        })?;
        (line[colon] == b':').then_some(at + colon)
    }

    /// One `key: value` entry of a mapping whose keys are at column `indent`.
    fn entry(&mut self, indent: usize, at: usize) -> Option<(Node, Node)> {
        let colon = self.key_end(at)?;
        let key = self.key(at, colon)?;
        let after = colon + 1 + self.spaces_from(colon + 1);
        let rest_is_empty = match self.bytes.get(after) {
            Some(b'\n') => true,
            Some(b'#') => after > colon + 1,
            _ => false,
        };
        let value = if rest_is_empty {
            self.pos = self.line_end(after) + 1;
            self.value_below(indent, colon)?
        } else {
            self.inline_value(indent, after)?
        };
        Some((key, value))
    }

    /// A plain key written at `at..colon`.
    fn key(&self, at: usize, colon: usize) -> Option<Node> {
        let text = &self.text[at..colon];
        if text.ends_with(' ') || !plain_start(self.bytes, at) {
            return None;
        }
        plain_node(text, at)
    }

    /// The value of a key with nothing after its colon: a collection on the lines below
    /// (more indented, or a sequence at the key's own column), else empty.
    fn value_below(&mut self, indent: usize, colon: usize) -> Option<Node> {
        let Some(next) = self.next_line() else {
            return Some(empty_at(colon));
        };
        if next.indent > indent {
            return self.collection(next);
        }
        if next.indent == indent && self.is_dash(next.at) {
            // An indentless sequence: granit starts it at its first item's text.
            let first = next.at + 1 + self.spaces_from(next.at + 1);
            return self.nested(|reader| reader.sequence(next, first));
        }
        self.pos = self.line_start(next);
        Some(empty_at(colon))
    }

    /// A scalar written after a key's colon or a sequence's dash, at `at`; a block
    /// scalar's lines must be indented more than `indent`.
    fn inline_value(&mut self, indent: usize, at: usize) -> Option<Node> {
        match self.bytes[at] {
            b'"' | b'\'' => self.quoted(at),
            b'|' => self.literal(indent, at),
            _ if plain_start(self.bytes, at) => self.plain(at),
            _ => None,
        }
    }

    /// A one-line quoted scalar without escapes (`"..."` without `\`, `'...'` without
    /// `''`), then an optional comment.
    fn quoted(&mut self, at: usize) -> Option<Node> {
        let quote = self.bytes[at];
        let end = self.line_end(at);
        let close = at + 1 + memchr::memchr(quote, &self.bytes[at + 1..end])?;
        let inside = &self.text[at + 1..close];
        if quote == b'"' && inside.contains('\\') || self.bytes.get(close + 1) == Some(&quote) {
            return None;
        }
        let rest = close + 1 + self.spaces_from(close + 1);
        let comment_ok = self.bytes[rest] == b'#' && rest > close + 1;
        if rest != end && !comment_ok {
            return None;
        }
        self.pos = end + 1;
        Some(Node {
            value: Value::Str(inside.into()),
            span: at..close + 1,
        })
    }

    /// A one-line plain scalar, up to a comment or the line's end; one that goes on, or
    /// holds a `: `, is left to the full parser.
    fn plain(&mut self, at: usize) -> Option<Node> {
        let end = self.line_end(at);
        let line = &self.bytes[at..end];
        let mut text_end = line.len();
        for i in 0..line.len() {
            match line[i] {
                b':' if matches!(line.get(i + 1), None | Some(b' ')) => return None,
                b'#' if i > 0 && line[i - 1] == b' ' => {
                    text_end = i;
                    break;
                }
                _ => {}
            }
        }
        let text = self.text[at..at + text_end].trim_end_matches(' ');
        self.pos = end + 1;
        plain_node(text, at)
    }

    /// A literal block scalar (`|` or `|-`, nothing else on the line) whose lines are
    /// indented more than `indent`, its indentation taken from its first line.
    fn literal(&mut self, indent: usize, at: usize) -> Option<Node> {
        let header = &self.bytes[at + 1..(at + 3).min(self.bytes.len())];
        let strip = match header {
            [b'\n', ..] => false,
            [b'-', b'\n'] => true,
            _ => return None,
        };
        let first_line = self.line_end(at) + 1;
        let lines = self.literal_lines(indent, first_line)?;
        self.pos = lines.next_line;
        let mut value = String::with_capacity(lines.end - lines.start);
        for _ in 0..lines.leading_blank {
            value.push('\n');
        }
        let mut line = lines.start;
        while line < lines.last_text_end {
            let end = self.line_end(line);
            if let Some(text) = self.text.get(line + lines.indent..end) {
                value.push_str(text);
            }
            value.push('\n');
            line = end + 1;
        }
        if strip {
            value.pop();
        }
        Some(Node {
            value: Value::Str(value.into()),
            span: lines.start + lines.indent..lines.end,
        })
    }

    /// The lines of a literal block scalar starting at `first_line`, or `None` for what
    /// this reader leaves to the full parser (an empty scalar, a blank line with more
    /// spaces than the indentation).
    fn literal_lines(&self, indent: usize, first_line: usize) -> Option<LiteralLines> {
        let mut line = first_line;
        let mut leading_blank = 0;
        let mut leading_spaces = 0;
        let block_indent = loop {
            let spaces = self.spaces_from(line);
            match self.bytes.get(line + spaces) {
                Some(b'\n') => {
                    leading_blank += 1;
                    leading_spaces = leading_spaces.max(spaces);
                    line += spaces + 1;
                }
                Some(_) if spaces > indent => break spaces,
                _ => return None,
            }
        };
        if leading_spaces > block_indent {
            return None;
        }
        let start = line;
        let mut last_text_end = line;
        let mut end = self.bytes.len();
        while line < self.bytes.len() {
            let spaces = self.spaces_from(line);
            match self.bytes.get(line + spaces) {
                Some(b'\n') if spaces > block_indent => return None,
                Some(b'\n') => line += spaces + 1,
                Some(_) if spaces >= block_indent => {
                    line = self.line_end(line) + 1;
                    last_text_end = line;
                }
                _ => {
                    // granit ends the scalar after the next line's indentation.
                    end = line + spaces;
                    break;
                }
            }
        }
        Some(LiteralLines {
            start,
            indent: block_indent,
            leading_blank,
            last_text_end,
            end,
            next_line: line,
        })
    }
}

/// Where a literal block scalar's lines are.
struct LiteralLines {
    /// The start of its first line with text.
    start: usize,
    /// Its indentation.
    indent: usize,
    /// Blank lines before `start`.
    leading_blank: usize,
    /// The end of its last line with text (after the line feed).
    last_text_end: usize,
    /// Where its span ends: after the indentation of the first line that is not its
    /// own, or at the end of the text.
    end: usize,
    /// The start of the first line that is not its own.
    next_line: usize,
}

/// The node of a plain scalar written as `text` at `at`; the merge key `<<` and the
/// value key `=` are left to the full parser.
fn plain_node(text: &str, at: usize) -> Option<Node> {
    let value = match resolve::plain(text) {
        Resolved::Value(value) => value,
        Resolved::Text => Value::Str(text.into()),
        Resolved::Merge | Resolved::ValueKey => return None,
    };
    Some(Node {
        value,
        span: at..at + text.len(),
    })
}

/// The value of `key:` with nothing after it: null, at the colon.
fn empty_at(colon: usize) -> Node {
    Node {
        value: Value::Null,
        span: colon..colon,
    }
}

/// Whether a plain scalar may start at `at`: not with an indicator, and not with `-`,
/// `?` or `:` followed by a space.
fn plain_start(bytes: &[u8], at: usize) -> bool {
    match bytes.get(at) {
        None => false,
        Some(b'-' | b'?' | b':') => !matches!(bytes.get(at + 1), None | Some(b' ' | b'\n')),
        Some(
            b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|' | b'>' | b'\''
            | b'"' | b'%' | b'@' | b'`' | b'\n' | b' ',
        ) => false,
        Some(_) => true,
    }
}

#[cfg(test)]
mod tests;
