//! Writing YAML text that Rasa 3.6 reads back as the string that was meant: scalars plain
//! where nothing in them means something to YAML (or to Rasa's reader: `${…}` in a plain
//! scalar is an environment variable), double-quoted otherwise; comments; and the guard
//! against Rasa's `\u` pre-decoding of ASCII-only files (spec rasa-yaml §2.4, §2.5).

/// Whether `c` may be written as it is in a YAML stream (YAML 1.2's printable set, tab
/// included).
pub fn is_printable(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | ' '..='~' | '\u{85}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
        // A byte-order mark inside the stream is read as one by some parsers.
        && c != '\u{feff}'
}

/// Plain scalars that YAML 1.2 (ruamel) reads as something else than that string.
const NOT_STRINGS: &[&str] = &[
    "true", "True", "TRUE", "false", "False", "FALSE", "null", "Null", "NULL", "~",
];

/// `text` as a YAML scalar on one line: plain when it is a name-like string YAML and Rasa
/// read as written, double-quoted otherwise.
pub fn scalar(text: &str) -> String {
    if is_plain_safe(text) {
        text.to_string()
    } else {
        double_quoted(text)
    }
}

/// Whether `text` can be a plain scalar read back as the same string: name-like (see
/// [`is_name_like`]) and no word ruamel reads as something else.
fn is_plain_safe(text: &str) -> bool {
    is_name_like(text) && !NOT_STRINGS.contains(&text)
}

/// The shape of a plain scalar nothing in YAML misreads, whatever its words: it starts
/// with a letter or `_`, holds only letters, digits and `_-./ ` (no `: `, ` #`, `${`), and
/// has no double or trailing space. Callers add the words their readers give a meaning.
pub fn is_name_like(text: &str) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    (first.is_alphabetic() || first == '_')
        && text
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '/' | ' '))
        && !text.ends_with(' ')
        && !text.contains("  ")
}

/// `text` as a double-quoted YAML scalar; characters YAML cannot hold as they are are
/// escaped (`\xNN` rather than `\uNNNN` where one byte does: fewer `\u` for Rasa's
/// pre-decoding to see).
pub fn double_quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if is_printable(c) => out.push(c),
            c if (c as u32) < 0x100 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// `text` as YAML comment lines at `indent`: one `# …` line per line of it (an empty line
/// as a bare `#`).
pub fn comment_lines(text: &str, indent: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            out.push_str(&format!("{indent}#\n"));
        } else {
            let line: String = line
                .chars()
                .map(|c| if is_printable(c) { c } else { '?' })
                .collect();
            out.push_str(&format!("{indent}# {line}\n"));
        }
    }
    out
}

/// The comment put first in an ASCII-only file that holds a backslash before `u` or `U`:
/// Rasa decodes `\uXXXX` everywhere in such a file before reading it as YAML (and stops at
/// a `\u` without four hex digits); one character outside ASCII turns that off.
const NON_ASCII_GUARD: &str = "# rasalint convert: this comment’s quote mark is not ASCII, so Rasa reads the backslashes below as written\n";

/// `text` with [`NON_ASCII_GUARD`] first when Rasa would pre-decode its `\u` escapes.
pub fn guard_ascii_escapes(text: String) -> String {
    let escapes = text.contains("\\u") || text.contains("\\U");
    if text.is_ascii() && escapes {
        format!("{NON_ASCII_GUARD}{text}")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_plain_unless_yaml_or_rasa_would_read_them_otherwise() {
        assert_eq!(scalar("greet"), "greet");
        assert_eq!(scalar("faq/ask_name"), "faq/ask_name");
        assert_eq!(scalar("grüße"), "grüße");
        assert_eq!(scalar("true"), "\"true\"");
        assert_eq!(scalar("3d"), "\"3d\"");
        assert_eq!(scalar(" NYC"), "\" NYC\"");
        assert_eq!(scalar("a: b"), "\"a: b\"");
        assert_eq!(scalar("${HOME}"), "\"${HOME}\"");
        assert_eq!(scalar(""), "\"\"");
        assert_eq!(double_quoted("a\"b\\c\u{7}"), "\"a\\\"b\\\\c\\x07\"");
    }

    #[test]
    fn an_ascii_file_with_a_backslash_u_gets_a_non_ascii_comment() {
        let guarded = guard_ascii_escapes("nlu:\n- regex: x\n  examples: |\n    - \\user\n".into());
        assert!(!guarded.is_ascii());
        let plain = guard_ascii_escapes("nlu: []\n".into());
        assert_eq!(plain, "nlu: []\n");
    }
}
