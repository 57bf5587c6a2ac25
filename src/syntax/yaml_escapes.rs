//! Rasa's pre-decoding of `\u` escapes (spec rasa-yaml §2.5), which it applies to every
//! YAML file (training data, domain, config) before parsing it.
//!
//! When every character of a file is ASCII, Rasa's `read_yaml` decodes the whole text with
//! Python's `raw_unicode_escape` codec and joins UTF-16 surrogate pairs: every `\uXXXX` and
//! `\UXXXXXXXX` after an odd number of backslashes becomes its character, wherever it is
//! written (plain, quoted and block scalars, comments), before YAML sees the text. A `\u`
//! without its hexadecimal digits (a Windows path `C:\users`, a regex `\user`), a code
//! point above U+10FFFF or a surrogate without its partner makes the codec raise a
//! `UnicodeDecodeError` that Rasa does not catch: a traceback naming no file.
//!
//! [`predecode`] gives the decoded text and where each replaced escape is written, so that
//! a tree parsed from the decoded text can be given the source's byte spans back
//! ([`Decoded::source_span`]).

use crate::source::Span;

/// One escape the pre-decoding replaced by its character.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replaced {
    /// The escape (or the two escapes of a surrogate pair) in the source.
    pub source: Span,
    /// Its character in the decoded text.
    pub decoded: Span,
    pub character: char,
}

/// The text Rasa parses, decoded from a source of ASCII characters only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    /// Every replaced escape, in text order.
    pub replaced: Vec<Replaced>,
}

/// Why the pre-decoding fails, making Rasa stop with a traceback.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadEscapeKind {
    /// `\u` (`\U`) not followed by 4 (8) hexadecimal digits.
    Truncated,
    /// `\U` naming a code point above U+10FFFF.
    OutOfRange,
    /// A UTF-16 surrogate (`\ud83d`) not paired with its other half.
    LoneSurrogate,
}

/// Where and why the pre-decoding fails.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadEscape {
    /// The escape as far as the codec read it (`\u` and the hexadecimal digits after it).
    pub span: Span,
    pub kind: BadEscapeKind,
}

impl BadEscape {
    /// Python's exception, as Rasa's traceback ends (positions count the file's bytes,
    /// which are its characters: the file is ASCII).
    pub fn rasa_error(&self) -> String {
        let (codec, reason) = match self.kind {
            BadEscapeKind::Truncated => ("rawunicodeescape", "truncated \\uXXXX escape"),
            BadEscapeKind::OutOfRange => ("rawunicodeescape", "\\Uxxxxxxxx out of range"),
            BadEscapeKind::LoneSurrogate => ("utf-16-le", "illegal UTF-16 surrogate"),
        };
        format!(
            "UnicodeDecodeError: '{codec}' codec can't decode bytes in position {}-{}: {reason}",
            self.span.start,
            self.span.end.saturating_sub(1)
        )
    }

    /// What is wrong with the escape, for a finding.
    pub fn what(&self) -> &'static str {
        match self.kind {
            BadEscapeKind::Truncated => {
                "is not followed by the 4 hexadecimal digits of a `\\uXXXX` escape (8 for `\\U`)"
            }
            BadEscapeKind::OutOfRange => "names no Unicode character (above U+10FFFF)",
            BadEscapeKind::LoneSurrogate => {
                "is half of a UTF-16 surrogate pair without its other half"
            }
        }
    }
}

/// Rasa's pre-decoding of `text`: `Ok(None)` when it changes nothing (a character is not
/// ASCII, or there is no escape), the decoded text, or where Rasa's decoding fails.
pub fn predecode(text: &str) -> Result<Option<Decoded>, BadEscape> {
    if !text.is_ascii() || !text.contains('\\') {
        return Ok(None);
    }
    let escapes = escapes(text)?;
    if escapes.is_empty() {
        return Ok(None);
    }
    let mut decoded = String::with_capacity(text.len());
    let mut replaced = Vec::with_capacity(escapes.len());
    let mut copied = 0;
    let mut pending = escapes.into_iter().peekable();
    while let Some((span, unit)) = pending.next() {
        let (source, character) = match unit {
            0xD800..=0xDBFF => {
                // A high surrogate joins the low one written right after it.
                let low = pending.next_if(|(next, low)| {
                    next.start == span.end && (0xDC00..=0xDFFF).contains(low)
                });
                let Some((low_span, low)) = low else {
                    return Err(lone(span));
                };
                let joined = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
                (span.start..low_span.end, char::from_u32(joined))
            }
            0xDC00..=0xDFFF => return Err(lone(span)),
            _ => (span, char::from_u32(unit)),
        };
        let Some(character) = character else {
            return Err(lone(source));
        };
        decoded.push_str(&text[copied..source.start]);
        let at = decoded.len();
        decoded.push(character);
        replaced.push(Replaced {
            source: source.clone(),
            decoded: at..decoded.len(),
            character,
        });
        copied = source.end;
    }
    decoded.push_str(&text[copied..]);
    Ok(Some(Decoded {
        text: decoded,
        replaced,
    }))
}

/// The first place Rasa's pre-decoding of `text` fails, if it does.
pub fn bad_escape(text: &str) -> Option<BadEscape> {
    predecode(text).err()
}

fn lone(span: Span) -> BadEscape {
    BadEscape {
        span,
        kind: BadEscapeKind::LoneSurrogate,
    }
}

/// Every `\u`/`\U` escape of an ASCII text, with the code point (or surrogate) it names,
/// read as `raw_unicode_escape` reads: a backslash followed by anything else is kept with
/// that character, so `\\u0041` stays as written.
fn escapes(text: &str) -> Result<Vec<(Span, u32)>, BadEscape> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(offset) = memchr::memchr(b'\\', &bytes[at..]) {
        let start = at + offset;
        let digits = match bytes.get(start + 1) {
            Some(b'u') => 4,
            Some(b'U') => 8,
            Some(_) => {
                at = start + 2;
                continue;
            }
            None => break,
        };
        let hex_start = start + 2;
        let hex_len = bytes[hex_start..]
            .iter()
            .take(digits)
            .take_while(|b| b.is_ascii_hexdigit())
            .count();
        let span = start..hex_start + hex_len;
        if hex_len < digits {
            return Err(BadEscape {
                span,
                kind: BadEscapeKind::Truncated,
            });
        }
        let value = u32::from_str_radix(&text[hex_start..span.end], 16).unwrap_or(u32::MAX);
        if value > 0x10FFFF {
            return Err(BadEscape {
                span,
                kind: BadEscapeKind::OutOfRange,
            });
        }
        found.push((span.clone(), value));
        at = span.end;
    }
    Ok(found)
}

impl Decoded {
    /// The source offset of decoded offset `at`; `end` when `at` ends a span (the end of a
    /// replaced character is the end of its escape, a place inside it the escape's start
    /// or end).
    pub fn source_offset(&self, at: usize, end: bool) -> usize {
        let index = self.replaced.partition_point(|r| r.decoded.start <= at);
        let Some(last) = index.checked_sub(1).map(|i| &self.replaced[i]) else {
            return at;
        };
        if at >= last.decoded.end {
            last.source.end + (at - last.decoded.end)
        } else if at == last.decoded.start || !end {
            last.source.start
        } else {
            last.source.end
        }
    }

    /// The source span of a decoded span.
    pub fn source_span(&self, span: &Span) -> Span {
        let start = self.source_offset(span.start, false);
        let end = self.source_offset(span.end, true).max(start);
        start..end
    }

    /// The escapes written inside the source span `span`.
    pub fn replaced_in(&self, span: &Span) -> impl Iterator<Item = &Replaced> {
        let first = self
            .replaced
            .partition_point(|r| r.source.end <= span.start);
        self.replaced[first..]
            .iter()
            .take_while(move |r| r.source.start < span.end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(text: &str) -> String {
        match predecode(text) {
            Ok(Some(d)) => d.text,
            Ok(None) => text.to_string(),
            Err(e) => panic!("{text:?}: {e:?}"),
        }
    }

    #[test]
    fn escapes_are_decoded_everywhere_in_an_ascii_text() {
        assert_eq!(decoded("a: caf\\u00e9 # \\u0041\n"), "a: caf\u{e9} # A\n");
        assert_eq!(decoded("x: '\\U0001F600'"), "x: '\u{1F600}'");
        assert_eq!(decoded("smile \\ud83d\\ude00!"), "smile \u{1F600}!");
        assert_eq!(decoded("\\U0000D83D\\U0000DE00"), "\u{1F600}");
    }

    #[test]
    fn escaped_backslashes_and_other_escapes_stay() {
        for text in ["\\\\u0041", "a\\nb", "\\x41", "end\\", "\\\\\\\\u"] {
            assert_eq!(predecode(text), Ok(None), "{text:?}");
        }
        assert_eq!(decoded("\\\\\\u0041"), "\\\\A");
    }

    #[test]
    fn a_non_ascii_character_turns_the_decoding_off() {
        assert_eq!(predecode("caf\u{e9} \\u0041 C:\\users"), Ok(None));
    }

    #[test]
    fn what_makes_rasa_stop() {
        let text = "- open C:\\users\\me\n";
        let bad = bad_escape(text).expect("truncated");
        assert_eq!(bad.kind, BadEscapeKind::Truncated);
        assert_eq!(&text[bad.span.clone()], "\\u");
        assert_eq!(
            bad.rasa_error(),
            "UnicodeDecodeError: 'rawunicodeescape' codec can't decode bytes in position 9-10: truncated \\uXXXX escape"
        );
        let bad = bad_escape("a \\u12 b").expect("truncated");
        assert_eq!(bad.span, 2..6);
        let bad = bad_escape("\\U00110000").expect("out of range");
        assert_eq!(bad.kind, BadEscapeKind::OutOfRange);
        for lone in ["\\ud83d", "\\ud83dx\\ude00", "\\ude00", "\\ud83d\\ud83d"] {
            let bad = bad_escape(lone).expect(lone);
            assert_eq!(bad.kind, BadEscapeKind::LoneSurrogate, "{lone:?}");
        }
        assert_eq!(bad_escape("fine \\u0041"), None);
    }

    #[test]
    fn decoded_offsets_map_back_to_the_source() {
        let text = "ab\\u00e9cd\\ud83d\\ude00e";
        let d = predecode(text).expect("decodes").expect("changes");
        assert_eq!(d.text, "ab\u{e9}cd\u{1F600}e");
        let e_acute = 2..4;
        assert_eq!(&text[d.source_span(&e_acute)], "\\u00e9");
        let cd = 4..6;
        assert_eq!(&text[d.source_span(&cd)], "cd");
        let emoji = 6..10;
        assert_eq!(&text[d.source_span(&emoji)], "\\ud83d\\ude00");
        assert_eq!(&text[d.source_span(&(0..d.text.len()))], text);
        assert_eq!(d.source_span(&(2..2)), 2..2);
        let inside: Vec<char> = d.replaced_in(&(0..8)).map(|r| r.character).collect();
        assert_eq!(inside, ['\u{e9}']);
    }
}
