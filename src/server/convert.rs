//! Between rasalint's findings (byte spans into a file's text) and the Language Server
//! Protocol's (line and character positions, in the encoding client and server agreed on).

use lsp_types::{
    DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString, Position,
    PositionEncodingKind, Range, TextEdit, Url,
};

use crate::diagnostic::{Diagnostic, Edit, Severity};
use crate::model::Project;
use crate::source::{SourceFile, Span, floor_char_boundary};

/// What a position's `character` counts: UTF-16 code units (the protocol's default, which
/// every client understands) or bytes (when the client offers UTF-8).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
}

impl Encoding {
    /// UTF-8 when the client lists it among the encodings it supports, else UTF-16.
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Self {
        let utf8 = offered.is_some_and(|kinds| kinds.contains(&PositionEncodingKind::UTF8));
        if utf8 {
            Encoding::Utf8
        } else {
            Encoding::Utf16
        }
    }

    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }
    }

    /// How many units `text` takes in this encoding.
    fn width(self, text: &str) -> usize {
        match self {
            Encoding::Utf8 => text.len(),
            Encoding::Utf16 => text.encode_utf16().count(),
        }
    }
}

/// The position of byte `offset` of `file` (clamped to a character boundary).
pub fn position(file: &SourceFile, offset: usize, encoding: Encoding) -> Position {
    let offset = floor_char_boundary(&file.text, offset);
    let line = file.line_col(offset).line;
    let start = file.line_start(line);
    let character = encoding.width(&file.text[start..offset]);
    Position::new(to_u32(line - 1), to_u32(character))
}

/// The byte offset of `position` in `file`: `None` past the last line; a character past
/// the line's end is its end, and one inside a character is that character's start.
pub fn offset(file: &SourceFile, position: Position, encoding: Encoding) -> Option<usize> {
    let line = position.line as usize + 1;
    let start = file.line_start(line);
    if file.line_col(start).line != line {
        return None;
    }
    let rest = &file.text[start..];
    let end = start + rest.find(['\n', '\r']).unwrap_or(rest.len());
    let wanted = position.character as usize;
    let mut units = 0;
    for (at, c) in file.text[start..end].char_indices() {
        units += match encoding {
            Encoding::Utf8 => c.len_utf8(),
            Encoding::Utf16 => c.len_utf16(),
        };
        // `wanted` is at this character's start, or inside it.
        if units > wanted {
            return Some(start + at);
        }
    }
    Some(end)
}

pub fn range(file: &SourceFile, span: &Span, encoding: Encoding) -> Range {
    Range::new(
        position(file, span.start, encoding),
        position(file, span.end, encoding),
    )
}

/// A finding as the editor shows it: the message, then the help on a line of its own;
/// the other places it names as related information.
pub fn diagnostic(
    finding: &Diagnostic,
    project: &Project,
    encoding: Encoding,
) -> lsp_types::Diagnostic {
    let file = project.file(finding.file);
    let message = match &finding.help {
        Some(help) => format!("{}\nhelp: {help}", finding.message),
        None => finding.message.clone(),
    };
    let related: Vec<DiagnosticRelatedInformation> = finding
        .related
        .iter()
        .filter_map(|r| {
            let other = project.file(r.file);
            Some(DiagnosticRelatedInformation {
                location: Location::new(
                    // `.` and `..` resolved: editors compare paths by name.
                    Url::from_file_path(crate::load::lexically_normal(&other.disk_path)).ok()?,
                    range(other, &r.span, encoding),
                ),
                message: r.message.clone(),
            })
        })
        .collect();
    lsp_types::Diagnostic {
        range: range(file, &finding.span, encoding),
        severity: Some(match finding.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        code: Some(NumberOrString::String(finding.rule.code.to_string())),
        source: Some("rasalint".to_string()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        ..lsp_types::Diagnostic::default()
    }
}

/// A finding's fix as edits of its file.
pub fn text_edits(edits: &[Edit], file: &SourceFile, encoding: Encoding) -> Vec<TextEdit> {
    edits
        .iter()
        .map(|e| TextEdit::new(range(file, &e.span, encoding), e.text.clone()))
        .collect()
}

/// The range covering all of `file`'s text.
pub fn whole(file: &SourceFile, encoding: Encoding) -> Range {
    range(file, &(0..file.text.len()), encoding)
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn file(text: &str) -> SourceFile {
        SourceFile::new(PathBuf::from("a.md"), PathBuf::from("a.md"), text.into())
    }

    #[test]
    fn characters_count_utf16_units_or_bytes() {
        // `é` is 2 bytes and 1 UTF-16 unit; `😀` is 4 bytes and 2 UTF-16 units.
        let f = file("## intent:x\n- é😀 [a](b)\n");
        let at = f.text.find('[').unwrap();
        assert_eq!(position(&f, at, Encoding::Utf16), Position::new(1, 6));
        assert_eq!(position(&f, at, Encoding::Utf8), Position::new(1, 9));
    }

    #[test]
    fn lines_break_at_lf_crlf_and_lone_cr() {
        let f = file("a\r\nb\rc\nd");
        let d = f.text.find('d').unwrap();
        assert_eq!(position(&f, d, Encoding::Utf16), Position::new(3, 0));
        let c = f.text.find('c').unwrap();
        assert_eq!(position(&f, c, Encoding::Utf16), Position::new(2, 0));
    }

    #[test]
    fn an_offset_inside_a_character_is_taken_back_to_its_start() {
        let f = file("é");
        assert_eq!(position(&f, 1, Encoding::Utf8), Position::new(0, 0));
        assert_eq!(position(&f, 2, Encoding::Utf16), Position::new(0, 1));
    }

    #[test]
    fn positions_turn_back_into_the_offsets_they_came_from() {
        let f = file("## intent:x\r\n- é😀 [a](b)\rlast");
        for (offset, _) in f.text.char_indices().filter(|(_, c)| *c != '\n') {
            for encoding in [Encoding::Utf8, Encoding::Utf16] {
                let there = position(&f, offset, encoding);
                assert_eq!(offset_of(&f, there, encoding), Some(offset), "{offset}");
            }
        }
        // Inside `😀` (two UTF-16 units, four bytes): its start.
        let emoji = f.text.find('😀').unwrap();
        let inside = position(&f, emoji, Encoding::Utf16);
        let inside = Position::new(inside.line, inside.character + 1);
        assert_eq!(offset_of(&f, inside, Encoding::Utf16), Some(emoji));
        let inside = position(&f, emoji, Encoding::Utf8);
        let inside = Position::new(inside.line, inside.character + 3);
        assert_eq!(offset_of(&f, inside, Encoding::Utf8), Some(emoji));
        // Past a line's end: its end; past the last line: nothing.
        assert_eq!(
            offset_of(&f, Position::new(0, 99), Encoding::Utf16),
            Some(11)
        );
        assert_eq!(offset_of(&f, Position::new(3, 0), Encoding::Utf16), None);
    }

    fn offset_of(f: &SourceFile, position: Position, encoding: Encoding) -> Option<usize> {
        offset(f, position, encoding)
    }

    #[test]
    fn utf8_is_used_only_when_offered() {
        assert_eq!(Encoding::negotiate(None), Encoding::Utf16);
        let offered = [PositionEncodingKind::UTF16, PositionEncodingKind::UTF8];
        assert_eq!(Encoding::negotiate(Some(&offered)), Encoding::Utf8);
        let only16 = [PositionEncodingKind::UTF16];
        assert_eq!(Encoding::negotiate(Some(&only16)), Encoding::Utf16);
    }
}
