//! Where a key or a string value sits inside the JSON object of a story line, for findings
//! that point at one slot, entity or name rather than at the whole line.

use std::sync::LazyLock;

use memchr::memmem::Finder;

use compact_str::CompactString;

use crate::model::dialogue::{JsonValue, TurnEntity};
use crate::source::Span;

/// The span of `key` (without its quotes) where it is a key of a JSON object written in
/// `text[within]`: the quoted name, followed by `:`. `None` when it is written with escapes
/// that differ from the canonical JSON form.
///
/// Readers call it for every entity and slot of every story line, so a key that needs no
/// escape (nearly all) is looked for without writing it as JSON: at each `"` of the
/// object, which are few.
pub fn json_key_span(text: &str, within: Span, key: &str) -> Option<Span> {
    let region = text.get(within.clone())?;
    let plain = !key.bytes().any(|b| b == b'"' || b == b'\\' || b < 0x20);
    let escaped;
    let written = if plain {
        key
    } else {
        escaped = serde_json::to_string(key).ok()?;
        &escaped[1..escaped.len() - 1]
    };
    let bytes = region.as_bytes();
    for quote in memchr::memchr_iter(b'"', bytes) {
        let start = quote + 1;
        let end = start + written.len();
        let quoted =
            bytes.get(start..end) == Some(written.as_bytes()) && bytes.get(end) == Some(&b'"');
        if !quoted {
            continue;
        }
        let after = region[end + 1..].trim_start_matches(is_json_space);
        let before = region[..quote].trim_end_matches(is_json_space);
        if after.starts_with(':') && (before.ends_with('{') || before.ends_with(',')) {
            return Some(within.start + start..within.start + end);
        }
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

/// JSON as Python's `json.loads` reads it, for what Rasa reads with it. serde_json refuses
/// a `\u` escape of a lone UTF-16 surrogate (`"\ud800"`, which users' data gets from
/// tools that cut strings between the halves of an emoji); Python accepts it, as a string
/// holding the surrogate. A Rust string cannot hold one, so it reads as U+FFFD, the
/// replacement character.
///
/// A number past a double (`1e400`) is infinity to Python; serde_json refuses it and
/// cannot hold infinity, so it reads as the largest double of its sign, which compares
/// with every other number as infinity does.
pub fn from_python_json(text: &str) -> serde_json::Result<serde_json::Value> {
    let text =
        python_json_rewritten(text, false).map_or(std::borrow::Cow::Borrowed(text), Into::into);
    match serde_json::from_str(&text) {
        // Only then is the text scanned again: almost all JSON reads at once.
        Err(error) if error.to_string().starts_with("number out of range") => {
            match python_json_rewritten(&text, true) {
                Some(replaced) => serde_json::from_str(&replaced),
                None => Err(error),
            }
        }
        read => read,
    }
}

/// The pairs of a JSON object, in order, as [`from_python_json`] reads them into its map:
/// a key written twice keeps its first place and its last value (as Python's `dict`
/// does). `None` when the text is anything else, and for what this shortcut leaves to
/// [`from_python_json`] (which then also says what is wrong): invalid JSON, a `\u`
/// escape, a number past a double, more than [`MAX_PAIRS`] keys.
///
/// Story lines give one small object each (`{"city": "Berlin"}`); read into a
/// `serde_json::Map` first, each cost an ordered map, a heap string per key and value,
/// and a conversion: about a twentieth of a large bot's whole check.
fn python_json_pairs(text: &str) -> Option<JsonPairs> {
    if UNICODE_ESCAPE.find(text.as_bytes()).is_some() {
        return None;
    }
    serde_json::from_str::<Pairs>(text)
        .ok()
        .map(|pairs| pairs.0)
}

/// The pairs of a JSON object (see [`python_json_pairs`]).
pub type JsonPairs = Vec<(CompactString, JsonValue)>;

/// A JSON object read as Python's `json.loads` reads it, as its pairs in order;
/// `Ok(None)` for JSON that is no object.
pub fn python_json_object(text: &str) -> serde_json::Result<Option<JsonPairs>> {
    if let Some(pairs) = python_json_pairs(text) {
        return Ok(Some(pairs));
    }
    Ok(match from_python_json(text)? {
        serde_json::Value::Object(map) => {
            Some(map.into_iter().map(|(k, v)| (k.into(), v.into())).collect())
        }
        _ => None,
    })
}

/// The value of `key` among an object's `pairs`.
pub fn pair_value<'p>(pairs: &'p [(CompactString, JsonValue)], key: &str) -> Option<&'p JsonValue> {
    pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

/// The entities of a turn's JSON object, given as its `pairs`, written at `object` in the
/// file's `text` and at the characters `chars` of the turn's text: one per value, one per
/// item of a list.
pub fn turn_entities(
    pairs: JsonPairs,
    chars: std::ops::Range<usize>,
    text: &str,
    object: &Span,
) -> Vec<TurnEntity> {
    let mut entities = Vec::with_capacity(pairs.len());
    for (entity, value) in pairs {
        let key_span = json_key_span(text, object.clone(), &entity).unwrap_or(object.clone());
        let found = |value: JsonValue| {
            let at = (Some(chars.start), Some(chars.end));
            TurnEntity::new(Some(entity.clone()), value, at, key_span.clone())
        };
        match value.as_array() {
            Some(items) => entities.extend(items.iter().map(|item| found(item.into()))),
            None => entities.push(found(value)),
        }
    }
    entities.shrink_to_fit();
    entities
}

/// Objects with more keys than this are read by [`from_python_json`]: finding a repeated
/// key by a scan of the pairs read so far stays linear in the text.
pub const MAX_PAIRS: usize = 16;

/// Finds a `\u` escape, with a searcher built once.
static UNICODE_ESCAPE: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("\\u"));

/// See [`python_json_pairs`].
struct Pairs(JsonPairs);

impl<'de> serde::Deserialize<'de> for Pairs {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(PairsVisitor)
    }
}

struct PairsVisitor;

impl<'de> serde::de::Visitor<'de> for PairsVisitor {
    type Value = Pairs;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Pairs, A::Error> {
        // Most objects have one key: room for one, not the four a first push makes.
        let mut pairs = JsonPairs::with_capacity(1);
        while let Some((key, value)) = map.next_entry::<CompactString, JsonValue>()? {
            match pairs.iter().position(|(seen, _)| *seen == key) {
                Some(at) => pairs[at].1 = value,
                None if pairs.len() == MAX_PAIRS => {
                    return Err(serde::de::Error::custom("too many keys for the shortcut"));
                }
                None => pairs.push((key, value)),
            }
        }
        Ok(Pairs(pairs))
    }
}

/// A copy of a text with some ranges replaced, made only once one is.
struct Rewrite<'t> {
    text: &'t str,
    replaced: Option<String>,
    copied: usize,
}

impl<'t> Rewrite<'t> {
    fn new(text: &'t str) -> Self {
        Rewrite {
            text,
            replaced: None,
            copied: 0,
        }
    }

    /// Writes `with` for `range`, which starts at or after the last range replaced.
    fn replace(&mut self, range: std::ops::Range<usize>, with: &str) {
        let out = self
            .replaced
            .get_or_insert_with(|| String::with_capacity(self.text.len()));
        out.push_str(&self.text[self.copied..range.start]);
        out.push_str(with);
        self.copied = range.end;
    }

    /// The text with its replacements; `None` when there were none.
    fn finish(self) -> Option<String> {
        self.replaced.map(|mut out| {
            out.push_str(&self.text[self.copied..]);
            out
        })
    }
}

/// How many bytes of `bytes` a JSON number at its start takes (sign, digits, fraction,
/// exponent), loosely: serde_json judges the form.
fn number_length(bytes: &[u8]) -> usize {
    let mut at = usize::from(bytes.first() == Some(&b'-'));
    let digits = |at: usize| {
        at + bytes[at.min(bytes.len())..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count()
    };
    at = digits(at);
    if bytes.get(at) == Some(&b'.') {
        at = digits(at + 1);
    }
    if matches!(bytes.get(at), Some(b'e' | b'E')) {
        at += 1;
        if matches!(bytes.get(at), Some(b'+' | b'-')) {
            at += 1;
        }
        at = digits(at);
    }
    at.min(bytes.len())
}

/// `text` with each `\u` escape of a lone surrogate inside a string written `\ufffd`,
/// and with `numbers`, each number outside strings that overflows a double written as
/// the largest double of its sign; `None` when it has none (most JSON: nothing is copied).
fn python_json_rewritten(text: &str, numbers: bool) -> Option<String> {
    let bytes = text.as_bytes();
    // Nearly all JSON has no `\u` escape at all: a fast search says so, when the numbers
    // need no rewriting.
    if !numbers {
        UNICODE_ESCAPE.find(bytes)?;
    }
    let mut rewrite = Rewrite::new(text);
    let mut in_string = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => in_string = !in_string,
            b'\\' if in_string => {
                i = lone_surrogate_rewritten(bytes, i, &mut rewrite);
                continue;
            }
            b'-' | b'0'..=b'9' if numbers && !in_string => {
                let end = i + number_length(&bytes[i..]);
                let value: f64 = text[i..end].parse().unwrap_or(0.0);
                if value.is_infinite() {
                    rewrite.replace(i..end, &format!("{:e}", f64::MAX.copysign(value)));
                }
                i = end.max(i + 1);
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    rewrite.finish()
}

/// Rewrites the escape at `i` inside a string if it is a lone surrogate; where the
/// scan goes on.
fn lone_surrogate_rewritten(bytes: &[u8], i: usize, rewrite: &mut Rewrite) -> usize {
    let Some(unit) = utf16_escape(bytes, i) else {
        // Another escape: its character is not a quote that ends the string.
        return i + 2;
    };
    let high = (0xD800..0xDC00).contains(&unit);
    let paired = high && utf16_escape(bytes, i + 6).is_some_and(is_low_surrogate);
    if paired {
        return i + 12;
    }
    if high || is_low_surrogate(unit) {
        rewrite.replace(i..i + 6, "\\ufffd");
    }
    i + 6
}

/// The code unit of a `\uXXXX` escape starting at `at`.
fn utf16_escape(bytes: &[u8], at: usize) -> Option<u16> {
    let escape = bytes.get(at..at + 6)?;
    if escape[..2] != *b"\\u" {
        return None;
    }
    let hex = std::str::from_utf8(&escape[2..]).ok()?;
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u16::from_str_radix(hex, 16).ok()
}

fn is_low_surrogate(unit: u16) -> bool {
    (0xDC00..0xE000).contains(&unit)
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

    /// What Python 3.7's `json.loads` makes of them (a lone surrogate as U+FFFD here).
    #[test]
    fn reads_lone_surrogates_as_python_does() {
        let read = |json: &str| from_python_json(json).map_err(|e| e.to_string());
        let string = |s: &str| Ok(serde_json::json!({ "a": s }));
        assert_eq!(read(r#"{"a": "\ud800"}"#), string("\u{fffd}"));
        assert_eq!(
            read(r#"{"a": "\udc00x\ud800\ud800"}"#),
            string("\u{fffd}x\u{fffd}\u{fffd}")
        );
        assert_eq!(read(r#"{"a": "\ud83d\ude00"}"#), string("\u{1f600}"));
        assert_eq!(read(r#"{"a": "\uD800\uDC00"}"#), string("\u{10000}"));
        assert_eq!(read(r#"{"a": "\ud800\u0041"}"#), string("\u{fffd}A"));
        assert_eq!(read(r#"{"a": "\\ud800"}"#), string("\\ud800"));
        assert_eq!(read(r#"{"a": "\"\ud800"}"#), string("\"\u{fffd}"));
        assert_eq!(
            read(r#"{"\ud800": 1}"#),
            Ok(serde_json::json!({ "\u{fffd}": 1 }))
        );
        // Still refused where Python refuses too.
        assert!(read(r#"{"a": "\ud80"}"#).is_err());
        assert!(read(r#"{"a": \ud800}"#).is_err());
        assert!(read("{\"a\": \"\\").is_err());
    }

    /// Python reads them as infinity; here, the largest double of their sign.
    #[test]
    fn reads_numbers_past_a_double_as_python_does() {
        let read = |json: &str| from_python_json(json).map_err(|e| e.to_string());
        assert_eq!(
            read(r#"{"a": 1e400, "b": [-2.5E+999], "c": "1e400", "d": 1e3}"#),
            Ok(serde_json::json!({ "a": f64::MAX, "b": [-f64::MAX], "c": "1e400", "d": 1000.0 }))
        );
        assert_eq!(
            read(r#"{"\"1e400": 1}"#),
            Ok(serde_json::json!({ "\"1e400": 1 }))
        );
        // Still refused where Python refuses too.
        assert!(read(r#"{"a": 1e400x}"#).is_err());
        assert!(read(r#"{"a": 01}"#).is_err());
    }

    /// The shortcut reads what the map reading reads, pair for pair, or leaves the text
    /// to it.
    #[test]
    fn pairs_agree_with_the_map_or_leave_the_text_to_it() {
        let by_map = |text: &str| -> Option<Vec<(CompactString, JsonValue)>> {
            match from_python_json(text).ok()? {
                serde_json::Value::Object(map) => {
                    Some(map.into_iter().map(|(k, v)| (k.into(), v.into())).collect())
                }
                _ => None,
            }
        };
        let many_keys = format!(
            "{{{}}}",
            (0..=MAX_PAIRS)
                .map(|i| format!(r#""k{i}": {i}"#))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let read = [
            r#"{"city": "Berlin"}"#,
            r#"{ "a" : 1 , "b":[1, "x", null], "c": {"d": true}, "e": null }"#,
            r#"{"a": 1, "b": 2, "a": 3}"#,
            r#"{"a": "a string longer than twenty-four bytes", "n": -0.5e3}"#,
            r#"{"q": "say \"hi\"\n"}"#,
            "{}",
        ];
        for text in read {
            assert_eq!(python_json_pairs(text), by_map(text), "{text}");
            assert!(python_json_pairs(text).is_some(), "{text}");
        }
        // A key written twice keeps its first place and its last value.
        let pairs = python_json_pairs(r#"{"a": 1, "b": 2, "a": 3}"#).unwrap();
        assert_eq!(pairs[0].0, "a");
        assert_eq!(pairs[0].1.to_string(), "3");
        let left = [
            r#"["a"]"#,
            r#""a""#,
            r#"{"a": 1e400}"#,
            r#"{"a": "\ud83d"}"#,
            r#"{"a": "\u00e9"}"#,
            r#"{"a": 1"#,
            r#"{"a": 1} x"#,
            many_keys.as_str(),
        ];
        for text in left {
            assert_eq!(python_json_pairs(text), None, "{text}");
        }
        assert_eq!(by_map(&many_keys).map(|p| p.len()), Some(MAX_PAIRS + 1));
    }
}
