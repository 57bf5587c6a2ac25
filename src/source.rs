//! Source files and byte spans.
//!
//! Every node of every syntax tree carries a byte range into the text of the file it came
//! from. Lines and columns are only computed when something is shown to a user, from the
//! line index built once per file.

use std::ops::Range;
use std::path::PathBuf;

/// A byte range into one source file's text.
pub type Span = Range<usize>;

/// A byte range kept in 8 bytes rather than 16, for the spans the model stores once per
/// story line, turn or example. Every text rasalint reads is at most
/// [`crate::load::MAX_FILE_BYTES`] (`u32::MAX`) bytes long, so every offset fits; one past
/// it (only text built in memory) is kept as `u32::MAX`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Offsets {
    start: u32,
    end: u32,
}

impl Offsets {
    pub fn new(span: &Span) -> Self {
        let narrow = |offset: usize| u32::try_from(offset).unwrap_or(u32::MAX);
        Offsets {
            start: narrow(span.start),
            end: narrow(span.end),
        }
    }

    pub fn span(self) -> Span {
        self.start as usize..self.end as usize
    }
}

/// Index of a file in [`crate::model::Project::files`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub u32);

impl FileId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A place in another file (or elsewhere in the same file) that explains a finding:
/// "declared here", "first defined here".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    pub file: FileId,
    pub span: Span,
    pub message: String,
}

/// One replacement in a file: the text at `span` becomes `text` (an empty span inserts, an
/// empty text deletes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub span: Span,
    pub text: String,
}

/// One file as read from disk (or given by a test).
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path shown to users: relative to the project root when the file is inside it.
    pub path: PathBuf,
    /// The path the file was read from.
    pub disk_path: PathBuf,
    pub text: String,
    /// Byte offsets of line starts, as `u32` (files are at most
    /// [`crate::load::MAX_FILE_BYTES`] long): a bot's line index is half the size.
    line_starts: Vec<u32>,
}

/// A 1-based line and column; the column counts characters, not bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

impl SourceFile {
    pub fn new(path: PathBuf, disk_path: PathBuf, text: String) -> Self {
        let line_starts = line_starts(&text);
        SourceFile {
            path,
            disk_path,
            text,
            line_starts,
        }
    }

    /// The 1-based line and character column of a byte offset. Offsets inside a multi-byte
    /// character or past the end are clamped to the nearest character boundary.
    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = floor_char_boundary(&self.text, offset.min(self.text.len()));
        let line = self.line_of(offset);
        let start = self.line_start(line);
        let column = self.text[start..offset].chars().count() + 1;
        LineCol { line, column }
    }

    /// The 1-based line of a byte offset, without counting its column's characters (a
    /// look-up in the line index, however long the line).
    pub fn line_of(&self, offset: usize) -> usize {
        self.line_starts
            .partition_point(|&start| start as usize <= offset)
    }

    /// The number of lines: a final line break opens one more, empty, line.
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The byte offset where 1-based `line` starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts[line.saturating_sub(1).min(self.line_starts.len() - 1)] as usize
    }

    pub fn slice(&self, span: &Span) -> &str {
        &self.text[span.clone()]
    }
}

/// Line starts for LF, CRLF and lone CR terminators (the line breaks of Python's
/// universal-newline reading, which is how Rasa opens every file).
fn line_starts(text: &str) -> Vec<u32> {
    let bytes = text.as_bytes();
    let mut starts = vec![0];
    for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
        if bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n') {
            // Past 4 GiB (only text built in memory, not a file rasalint reads) the
            // remaining lines count as the last one.
            let Ok(start) = u32::try_from(i + 1) else {
                break;
            };
            starts.push(start);
        }
    }
    starts
}

/// The nearest character boundary at or before `offset` (clamped to the text's length).
pub fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> SourceFile {
        SourceFile::new("f.md".into(), "f.md".into(), text.into())
    }

    #[test]
    fn line_col_counts_characters_and_all_line_breaks() {
        let f = file("ab\r\nçd\re\nf");
        assert_eq!(f.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(f.line_col(4), LineCol { line: 2, column: 1 });
        // 'd' comes after the two-byte 'ç': byte 6, character column 2.
        assert_eq!(f.line_col(6), LineCol { line: 2, column: 2 });
        assert_eq!(f.line_col(8), LineCol { line: 3, column: 1 });
        assert_eq!(f.line_col(10), LineCol { line: 4, column: 1 });
        assert_eq!(f.line_col(999), LineCol { line: 4, column: 2 });
    }
}
