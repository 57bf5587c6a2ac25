//! Python's string semantics, which Rasa's readers inherit: what `str.strip()` removes
//! and where `str.splitlines()` breaks.

/// Python's `str.isspace()`: Unicode White_Space plus the ASCII separators 0x1C–0x1F,
/// which Rust's `char::is_whitespace` does not include.
pub fn is_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// Python's `str.strip()` with no argument, returning the byte range kept.
pub fn strip_range(s: &str) -> std::ops::Range<usize> {
    let start = s.len() - s.trim_start_matches(is_space).len();
    let end = s.trim_end_matches(is_space).len();
    if start >= end {
        start..start
    } else {
        start..end
    }
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
pub fn splitlines(s: &str) -> Vec<std::ops::Range<usize>> {
    let mut lines = Vec::new();
    let mut start = 0;
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if is_line_break(c) {
            lines.push(start..i);
            let mut next = i + c.len_utf8();
            if c == '\r' && chars.next_if(|&(_, next_char)| next_char == '\n').is_some() {
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

/// Lines as Python's text-mode `readlines()` gives them (universal newlines: LF, CRLF, CR
/// only), terminators excluded. This is how Rasa's story reader sees a file.
pub fn text_mode_lines(s: &str) -> Vec<std::ops::Range<usize>> {
    let bytes = s.as_bytes();
    let mut lines = Vec::new();
    let mut start = 0;
    for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
        if i < start {
            // The LF of a CRLF pair, already consumed with its CR.
            continue;
        }
        lines.push(start..i);
        start = if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
            i + 2
        } else {
            i + 1
        };
    }
    if start < bytes.len() {
        lines.push(start..bytes.len());
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strip_removes_python_whitespace_including_file_separators() {
        assert_eq!(strip("\u{a0} a b\u{1f}\u{3000}"), "a b");
        assert_eq!(strip("   "), "");
    }

    #[test]
    fn splitlines_breaks_where_python_does() {
        let s = "a\r\nb\x0bc\u{2028}d\re";
        let lines: Vec<&str> = splitlines(s).into_iter().map(|r| &s[r]).collect();
        assert_eq!(lines, ["a", "b", "c", "d", "e"]);
        assert_eq!(splitlines("a\n\nb\n").len(), 3);
    }

    #[test]
    fn text_mode_lines_break_only_at_cr_and_lf() {
        let s = "a\r\nb\x0bc\rd\n";
        let lines: Vec<&str> = text_mode_lines(s).into_iter().map(|r| &s[r]).collect();
        assert_eq!(lines, ["a", "b\x0bc", "d"]);
    }
}
