//! Where a key or a string value sits inside the JSON object of a story line, for findings
//! that point at one slot, entity or name rather than at the whole line.

use crate::source::Span;

/// The span of `key` (without its quotes) where it is a key of a JSON object written in
/// `text[within]`: the quoted name, followed by `:`. `None` when it is written with escapes
/// that differ from the canonical JSON form.
pub fn json_key_span(text: &str, within: Span, key: &str) -> Option<Span> {
    let needle = serde_json::to_string(key).ok()?;
    let region = text.get(within.clone())?;
    let mut from = 0;
    while let Some(at) = region[from..].find(&needle).map(|at| from + at) {
        let after = region[at + needle.len()..].trim_start_matches(is_json_space);
        let before = region[..at].trim_end_matches(is_json_space);
        if after.starts_with(':') && (before.ends_with('{') || before.ends_with(',')) {
            let start = within.start + at;
            return Some(start + 1..start + needle.len() - 1);
        }
        from = at + needle.len();
    }
    None
}

/// The span of the string `value` (without its quotes) given for `key` in a JSON object
/// written in `text[within]`.
pub fn json_string_value_span(text: &str, within: Span, key: &str, value: &str) -> Option<Span> {
    let key_span = json_key_span(text, within.clone(), key)?;
    let after_key = key_span.end + 1;
    let rest = text.get(after_key..within.end)?;
    let colon = rest.trim_start_matches(is_json_space).strip_prefix(':')?;
    let value_text = colon.trim_start_matches(is_json_space);
    let needle = serde_json::to_string(value).ok()?;
    if !value_text.starts_with(&needle) {
        return None;
    }
    let start = within.end - value_text.len();
    Some(start + 1..start + needle.len() - 1)
}

fn is_json_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_keys_and_values_in_json() {
        let text = r#"- slot{"name": "x", "x" : "name"}"#;
        let within = 6..text.len();
        assert_eq!(
            &text[json_key_span(text, within.clone(), "x").unwrap()],
            "x"
        );
        assert_eq!(json_key_span(text, within.clone(), "x").unwrap(), 21..22);
        assert_eq!(
            &text[json_string_value_span(text, within.clone(), "name", "x").unwrap()],
            "x"
        );
        assert_eq!(
            json_string_value_span(text, within.clone(), "x", "nope"),
            None
        );
        assert_eq!(json_key_span(text, within, "y"), None);
    }
}
