//! Python's string semantics, which Rasa's readers inherit: what `str.strip()` removes
//! and where `str.splitlines()` breaks.

/// Python's `str.isspace()`: Unicode White_Space plus the ASCII separators 0x1C–0x1F,
/// which Rust's `char::is_whitespace` does not include.
pub fn is_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// Python's `str.strip()` with no argument, returning the byte range kept. ASCII spaces
/// are skipped byte by byte; only a non-ASCII character at an edge takes the Unicode test.
pub fn strip_range(s: &str) -> std::ops::Range<usize> {
    let bytes = s.as_bytes();
    let mut start = 0;
    while start < bytes.len() && is_ascii_space(bytes[start]) {
        start += 1;
    }
    if start < bytes.len() && !bytes[start].is_ascii() {
        start = s.len() - s[start..].trim_start_matches(is_space).len();
    }
    let mut end = bytes.len();
    while end > start && is_ascii_space(bytes[end - 1]) {
        end -= 1;
    }
    if end > start && !bytes[end - 1].is_ascii() {
        end = start + s[start..end].trim_end_matches(is_space).len();
    }
    start..end.max(start)
}

/// [`is_space`] for an ASCII byte.
fn is_ascii_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | 0x1c..=0x1f)
}

/// Python's `str.strip()` with no argument.
pub fn strip(s: &str) -> &str {
    &s[strip_range(s)]
}

/// Characters at which Python's `str.splitlines()` breaks (besides CRLF as one break).
pub fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r'
            | '\u{0b}'
            | '\u{0c}'
            | '\u{1c}'
            | '\u{1d}'
            | '\u{1e}'
            | '\u{85}'
            | '\u{2028}'
            | '\u{2029}'
    )
}

/// Python's `str.splitlines()`: the byte range of each line, terminators excluded.
///
/// Scans bytes rather than characters: every break is an ASCII byte or a fixed UTF-8
/// sequence (U+0085 is `C2 85`, U+2028/U+2029 are `E2 80 A8`/`E2 80 A9`), and in UTF-8 a
/// lead byte followed by those continuation bytes can only be that character.
pub fn splitlines(s: &str) -> Vec<std::ops::Range<usize>> {
    let bytes = s.as_bytes();
    let mut lines = Vec::new();
    let (mut start, mut i) = (0, 0);
    while let Some(skip) = bytes[i..]
        .iter()
        .position(|&b| MAY_START_BREAK[usize::from(b)])
    {
        i += skip;
        let next = |k: usize| bytes.get(i + k).copied();
        let break_len = match bytes[i] {
            b'\r' if next(1) == Some(b'\n') => 2,
            0xc2 if next(1) != Some(0x85) => 0,
            0xc2 => 2,
            0xe2 if next(1) != Some(0x80) || !matches!(next(2), Some(0xa8 | 0xa9)) => 0,
            0xe2 => 3,
            _ => 1,
        };
        if break_len == 0 {
            i += 1;
            continue;
        }
        lines.push(start..i);
        i += break_len;
        start = i;
    }
    if start < s.len() {
        lines.push(start..s.len());
    }
    lines
}

/// Bytes a line break can start with: the ASCII breaks, and the lead bytes of U+0085
/// (`C2`) and U+2028/U+2029 (`E2`), which are checked with the bytes after them.
const MAY_START_BREAK: [bool; 256] = {
    let mut table = [false; 256];
    let starts = [b'\n', b'\r', 0x0b, 0x0c, 0x1c, 0x1d, 0x1e, 0xc2, 0xe2];
    let mut k = 0;
    while k < starts.len() {
        table[starts[k] as usize] = true;
        k += 1;
    }
    table
};

/// Lines as Python's text-mode `readlines()` gives them (universal newlines: LF, CRLF, CR
/// only), terminators excluded. This is how Rasa's story reader sees a file. An iterator:
/// a story reader needs each line once, and a list of a large file's lines would be
/// megabytes of fresh pages.
pub fn text_mode_lines(s: &str) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    let bytes = s.as_bytes();
    let mut breaks = memchr::memchr2_iter(b'\n', b'\r', bytes);
    let mut start = 0;
    std::iter::from_fn(move || {
        // The LF of a CRLF pair was consumed with its CR.
        let Some(at) = breaks.by_ref().find(|&i| i >= start) else {
            let last = (start < bytes.len()).then_some(start..bytes.len());
            start = bytes.len();
            return last;
        };
        let line = start..at;
        start = if bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n') {
            at + 2
        } else {
            at + 1
        };
        Some(line)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strip_removes_python_whitespace_including_file_separators() {
        assert_eq!(strip("\u{a0} a b\u{1f}\u{3000}"), "a b");
        assert_eq!(strip("   "), "");
    }

    /// The byte-wise strip agrees with trimming characters by [`is_space`].
    #[test]
    fn strip_by_bytes_agrees_with_by_characters() {
        fn by_characters(s: &str) -> std::ops::Range<usize> {
            let start = s.len() - s.trim_start_matches(is_space).len();
            let end = s.trim_end_matches(is_space).len();
            if start >= end {
                start..start
            } else {
                start..end
            }
        }
        let pieces = [
            " ", "\t", "\u{1c}", "\u{1f}", "\u{a0}", "\u{3000}", "\u{85}", "a", "é", "中",
            "\u{200b}",
        ];
        let mut next = crate::test_rng::below(0x9e37_79b9_7f4a_7c15);
        for _ in 0..5_000 {
            let mut text = String::new();
            for _ in 0..6 {
                text.push_str(pieces[next(pieces.len())]);
            }
            assert_eq!(strip_range(&text), by_characters(&text), "{text:?}");
        }
        for ascii in 0u8..0x80 {
            assert_eq!(
                is_ascii_space(ascii),
                is_space(char::from(ascii)),
                "{ascii:#x}"
            );
        }
    }

    #[test]
    fn splitlines_breaks_where_python_does() {
        let s = "a\r\nb\x0bc\u{2028}d\re";
        let lines: Vec<&str> = splitlines(s).into_iter().map(|r| &s[r]).collect();
        assert_eq!(lines, ["a", "b", "c", "d", "e"]);
        assert_eq!(splitlines("a\n\nb\n").len(), 3);
    }

    /// The byte scan agrees with a character-by-character reading of Python's rule on
    /// random texts made of every break and of characters sharing their lead bytes.
    #[test]
    fn splitlines_by_bytes_agrees_with_by_characters() {
        fn by_characters(s: &str) -> Vec<std::ops::Range<usize>> {
            let mut lines = Vec::new();
            let mut start = 0;
            let mut chars = s.char_indices().peekable();
            while let Some((i, c)) = chars.next() {
                if is_line_break(c) {
                    lines.push(start..i);
                    let mut next = i + c.len_utf8();
                    if c == '\r' && chars.next_if(|&(_, n)| n == '\n').is_some() {
                        next += 1;
                    }
                    start = next;
                }
            }
            if start < s.len() {
                lines.push(start..s.len());
            }
            lines
        }
        let pieces = [
            "a", "\n", "\r", "\r\n", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\u{85}", "\u{2028}",
            "\u{2029}", "\u{80}", "\u{2027}", "\u{202a}", "\u{20ac}", "é", "中",
        ];
        let mut next = crate::test_rng::below(0x9e37_79b9_7f4a_7c15);
        for _ in 0..5_000 {
            let mut text = String::new();
            for _ in 0..12 {
                text.push_str(pieces[next(pieces.len())]);
            }
            assert_eq!(splitlines(&text), by_characters(&text), "{text:?}");
        }
    }

    #[test]
    fn text_mode_lines_break_only_at_cr_and_lf() {
        let lines =
            |s: &'static str| -> Vec<&'static str> { text_mode_lines(s).map(|r| &s[r]).collect() };
        assert_eq!(lines("a\r\nb\x0bc\rd\n"), ["a", "b\x0bc", "d"]);
        // As Python's `open(path).readlines()`, terminators removed.
        assert_eq!(lines(""), [] as [&str; 0]);
        assert_eq!(lines("\r"), [""]);
        assert_eq!(lines("\n\nx"), ["", "", "x"]);
        assert_eq!(lines("a\r\r\nb"), ["a", "", "b"]);
        assert_eq!(lines("a\n\rb\r\n"), ["a", "", "b"]);
    }
}
