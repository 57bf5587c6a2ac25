//! A small YAML tree in which every node knows the bytes it was written at.
//!
//! Rasa reads `domain.yml` and `config.yml` with ruamel in YAML 1.2 mode, so this reader
//! does too: only `true`/`false` are booleans (`yes`, `no`, `on`, `off` stay strings) and
//! there are no legacy octal numbers ([`resolve`] has the details, checked against Rasa).
//! Unlike ruamel, it keeps duplicate mapping keys, in file order, so that rules can point
//! at both copies instead of stopping at the first (a mapping with a merge key `<<` is
//! the exception: it is flattened as ruamel flattens it).
//!
//! The tree is built from granit-parser's events ([`build`]), whose locations carry byte
//! offsets. What the spans cover:
//!
//! * a plain scalar: its text; a quoted scalar: its text *with* the quotes (see
//!   [`Node::content_span`] for the inside); a block scalar (`|`, `>`): its content lines,
//!   without the indicator; an alias (`*a`): the alias token, for the alias and for
//!   every node replayed from it;
//! * an empty value (`key:` with nothing after it): an empty span near the colon;
//! * a mapping or sequence: from its first key, `-` or opening bracket to the end of its
//!   last child, or to the closing bracket of a flow collection.

mod build;
mod fast;
mod keys;
mod resolve;

pub use keys::{KeyId, duplicate_keys_below};

use std::fmt;

use compact_str::CompactString;

use crate::source::Span;

/// One YAML node and the byte range it was written at.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub span: Span,
}

/// The value of a [`Node`], resolved with the YAML 1.2 core schema.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    /// Also integers too large for `i64`, as Python would still read them as numbers.
    Float(f64),
    /// Inline up to 24 bytes: most strings of a bot's YAML are keys and names, which then
    /// cost no allocation of their own.
    Str(CompactString),
    Seq(Vec<Node>),
    /// Entries in file order; duplicate keys are kept as separate entries.
    Map(Vec<(Node, Node)>),
}

impl Value {
    /// What kind of value this is, for messages: "a mapping", "a list", "a string"...
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "empty (null)",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "an integer",
            Value::Float(_) => "a number",
            Value::Str(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }
}

impl Node {
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self.value {
            Value::Bool(b) => Some(b),
            _ => None,
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match self.value {
            Value::Int(i) => Some(i),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&[(Node, Node)]> {
        match &self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        self.value == Value::Null
    }

    /// The value of the first entry whose key is the string `key`, when this is a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.as_map()?
            .iter()
            .find(|(k, _)| k.as_str() == Some(key))
            .map(|(_, v)| v)
    }

    /// Python's `str()` of a scalar other than null (`True`, `1.0`, `1e+16`); `None` for
    /// null, lists and mappings.
    pub fn python_str(&self) -> Option<String> {
        Some(match &self.value {
            Value::Bool(true) => "True".to_owned(),
            Value::Bool(false) => "False".to_owned(),
            Value::Int(i) => i.to_string(),
            Value::Float(f) => python_float_str(*f),
            Value::Str(s) => s.to_string(),
            Value::Null | Value::Seq(_) | Value::Map(_) => return None,
        })
    }

    /// Python's truthiness of the value (`if value:`), which decides how Rasa reads
    /// optional settings.
    pub fn is_truthy(&self) -> bool {
        match &self.value {
            Value::Null => false,
            Value::Bool(b) => *b,
            Value::Int(i) => *i != 0,
            Value::Float(f) => *f != 0.0,
            Value::Str(s) => !s.is_empty(),
            Value::Seq(items) => !items.is_empty(),
            Value::Map(entries) => !entries.is_empty(),
        }
    }

    /// The value as JSON, as Rasa holds what it reads from YAML and as Python's `json`
    /// writes it: mappings in file order (a repeated key keeps its first place and its last
    /// value), keys that are no strings written as JSON writes them (`1`, `true`, `null`),
    /// and a number JSON cannot hold (`.inf`, `.nan`) as null.
    pub fn to_json(&self) -> serde_json::Value {
        self.to_json_with(&|key| key.to_string())
    }

    /// [`Node::to_json`] with keys that are no strings written by `key_text` (a caller that
    /// needs Python's `str()` of them: `True`, `None`). Recursion is bounded by the parser's
    /// nesting budget.
    pub fn to_json_with(
        &self,
        key_text: &dyn Fn(&serde_json::Value) -> String,
    ) -> serde_json::Value {
        use serde_json::Value as Json;
        match &self.value {
            Value::Null => Json::Null,
            Value::Bool(b) => Json::Bool(*b),
            Value::Int(i) => Json::from(*i),
            Value::Float(f) => serde_json::Number::from_f64(*f).map_or(Json::Null, Json::Number),
            Value::Str(s) => Json::String(s.to_string()),
            Value::Seq(items) => {
                Json::Array(items.iter().map(|i| i.to_json_with(key_text)).collect())
            }
            Value::Map(entries) => Json::Object(
                entries
                    .iter()
                    .map(|(k, v)| {
                        let key = match &k.value {
                            Value::Str(s) => s.to_string(),
                            _ => key_text(&k.to_json_with(key_text)),
                        };
                        (key, v.to_json_with(key_text))
                    })
                    .collect(),
            ),
        }
    }

    /// The span of a scalar without its quotes, so that a finding about a quoted name
    /// underlines the name itself. Other nodes keep their span.
    pub fn content_span(&self, text: &str) -> Span {
        let span = self.span.clone();
        let Some(written) = text.get(span.clone()) else {
            return span;
        };
        let quoted = ['"', '\'']
            .iter()
            .any(|&q| written.len() >= 2 && written.starts_with(q) && written.ends_with(q));
        if quoted {
            span.start + 1..span.end - 1
        } else {
            span
        }
    }
}

/// Python's `str()` of a float: the shortest round-trip digits, with `.0` on whole numbers
/// and an exponent (`1e+16`, `1e-05`) outside 1e-4 ≤ |x| < 1e16.
pub fn python_float_str(f: f64) -> String {
    if f.is_nan() {
        return "nan".to_owned();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf" } else { "-inf" }.to_owned();
    }
    let scientific = format!("{f:e}");
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    if f != 0.0 && !(-4..16).contains(&exponent) {
        let sign = if exponent < 0 { '-' } else { '+' };
        return format!("{mantissa}e{sign}{:02}", exponent.unsigned_abs());
    }
    let plain = f.to_string();
    if plain.contains('.') {
        plain
    } else {
        plain + ".0"
    }
}

/// Why a text is not valid YAML, and where the reader gave up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    /// The reader's reason, without position (positions are shown from `span`).
    pub message: String,
    /// Byte range of the offending character (empty at the end of the text).
    pub span: Span,
}

impl fmt::Display for YamlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for YamlError {}

/// Parses one YAML document. An empty document (or one with only comments) is a
/// [`Value::Null`] node; several documents in one text are an error, as in Rasa.
pub fn parse(text: &str) -> Result<Node, YamlError> {
    // Most of a bot's text is in the subset the fast reader knows; it leaves the rest,
    // and every error, to the full parser.
    fast::build(text).map_or_else(|| build::build(text), Ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(text: &str) -> Node {
        match parse(text) {
            Ok(node) => node,
            Err(error) => panic!("{text:?} should parse: {error}"),
        }
    }

    fn slice<'a>(text: &'a str, node: &Node) -> &'a str {
        &text[node.span.clone()]
    }

    #[test]
    fn spans_of_keys_and_scalars_are_the_written_bytes() {
        let text = "intents:\n  - greet\n  - \"good bye\"\nslots:\n  mood: {type: text}\n";
        let root = tree(text);
        let entries = root.as_map().expect("a mapping");
        assert_eq!(slice(text, &entries[0].0), "intents");
        let intents = entries[0].1.as_seq().expect("a list");
        assert_eq!(slice(text, &intents[0]), "greet");
        assert_eq!(slice(text, &intents[1]), "\"good bye\"");
        assert_eq!(&text[intents[1].content_span(text)], "good bye");
        let slots = root.get("slots").expect("slots");
        let (slot, props) = &slots.as_map().expect("a mapping")[0];
        assert_eq!(slice(text, slot), "mood");
        assert_eq!(slice(text, props), "{type: text}");
        assert_eq!(props.get("type").and_then(Node::as_str), Some("text"));
    }

    #[test]
    fn collection_spans_cover_their_children() {
        let text = "a:\n  - x\n  - y\nb: [1, 2, ]  # note\nc: {}\n";
        let root = tree(text);
        assert_eq!(slice(text, &root), text.trim_end());
        assert_eq!(slice(text, root.get("a").expect("a")), "- x\n  - y");
        assert_eq!(slice(text, root.get("b").expect("b")), "[1, 2, ]");
        assert_eq!(slice(text, root.get("c").expect("c")), "{}");
    }

    #[test]
    fn duplicate_keys_are_kept_in_order() {
        let text = "a: 1\nb: 2\na: 3\n";
        let root = tree(text);
        let keys: Vec<_> = root.as_map().expect("a mapping").iter().collect();
        assert_eq!(keys.len(), 3);
        assert_eq!(keys[2].0.as_str(), Some("a"));
        assert_eq!(keys[2].1.as_i64(), Some(3));
        assert_eq!(keys[2].0.span, 10..11);
    }

    #[test]
    fn yaml_1_2_booleans_and_scalars() {
        let text = "[yes, no, on, off, true, False, 5, 1.5, ~, '', 18446744073709551615, 017, -00]";
        let values: Vec<Value> = tree(text)
            .as_seq()
            .expect("a list")
            .iter()
            .map(|n| n.value.clone())
            .collect();
        assert_eq!(
            values[..4],
            ["yes", "no", "on", "off"].map(|s| Value::Str(s.into()))
        );
        assert_eq!(values[4], Value::Bool(true));
        assert_eq!(values[5], Value::Bool(false));
        assert_eq!(values[6], Value::Int(5));
        assert_eq!(values[7], Value::Float(1.5));
        assert_eq!(values[8], Value::Null);
        assert_eq!(values[9], Value::Str("".into()));
        assert_eq!(values[10], Value::Float(18446744073709551615.0));
        assert_eq!(values[11..], [Value::Int(17), Value::Int(0)]);
    }

    #[test]
    fn multi_byte_text_before_a_scalar_keeps_byte_offsets() {
        let text = "# café ☕\nnom: \"crème brûlée\"\nnext: ok\n";
        let root = tree(text);
        let (key, value) = &root.as_map().expect("a mapping")[0];
        assert_eq!(slice(text, key), "nom");
        assert_eq!(&text[value.content_span(text)], "crème brûlée");
        assert_eq!(slice(text, &root.as_map().expect("a mapping")[1].1), "ok");
    }

    #[test]
    fn empty_documents_are_null() {
        assert!(tree("").is_null());
        assert!(tree("# nothing here\n").is_null());
        assert!(tree("---\n").is_null());
    }

    #[test]
    fn errors_point_at_the_offending_line() {
        let text = "intents:\n  - greet\n - goodbye\n";
        let error = parse(text).expect_err("bad indentation");
        assert_eq!(
            error.span.start,
            text.find(" - goodbye").map(|i| i + 1).unwrap_or(0)
        );
        assert!(!error.message.contains("line"), "{}", error.message);
    }

    #[test]
    fn error_offsets_are_bytes_after_multi_byte_text() {
        let text = "\u{feff}ééé: ☕\r\nb: [x\r\nc: 2\r\n";
        let error = parse(text).expect_err("unclosed flow list");
        assert!(
            text[error.span.clone()].starts_with(':'),
            "{:?}",
            error.span
        );
        assert_eq!(
            error.span.start,
            text.find("c:").map(|i| i + 1).unwrap_or(0)
        );
    }

    #[test]
    fn several_documents_are_an_error() {
        let error = parse("a: 1\n---\nb: 2\n").expect_err("two documents");
        assert!(error.message.contains("multiple"), "{}", error.message);
    }

    #[test]
    fn a_large_honest_file_is_read() {
        // More nodes than serde-saphyr's fixed 250,000.
        let text = "- a\n".repeat(260_000);
        let root = tree(&text);
        assert_eq!(root.as_seq().map(<[Node]>::len), Some(260_000));
    }

    #[test]
    fn many_aliases_of_one_anchor_are_read() {
        let mut text = String::from("defaults: &d {a: 1, b: 2}\nitems:\n");
        for _ in 0..2_000 {
            text.push_str("- {<<: *d, c: 3}\n");
        }
        let root = tree(&text);
        let items = root.get("items").and_then(Node::as_seq).expect("items");
        assert_eq!(items.len(), 2_000);
    }

    /// The replay budget counts the nodes aliases copy, so the work done before the
    /// refusal is bounded by the text's size (no timing needed to know it stops early).
    #[test]
    fn an_alias_bomb_is_refused() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for level in 1..10 {
            let aliases = vec![format!("*a{}", level - 1); 10].join(", ");
            text.push_str(&format!("a{level}: &a{level} [{aliases}]\n"));
        }
        let error = parse(&text).expect_err("10^10 nodes are refused");
        assert!(error.message.contains("alias bomb"), "{}", error.message);
        // Refused inside `a4`, whose ten copies of `a3` (11,111 nodes each) pass the
        // budget of about 100,000 nodes: not at the end of the text.
        assert_eq!(&text[error.span.clone()], "*a3");
        assert!(error.span.start > text.find("a4:").expect("a4"));
    }

    /// The pairs of a mapping as `key=value` texts, for comparing with Rasa's dicts.
    fn pairs(node: &Node) -> Vec<String> {
        node.as_map()
            .expect("a mapping")
            .iter()
            .map(|(k, v)| {
                format!(
                    "{}={}",
                    k.python_str().unwrap_or_default(),
                    v.python_str().unwrap_or_default()
                )
            })
            .collect()
    }

    /// Rasa 3.6's answers (`read_yaml`), asked on 2026-12-06.
    #[test]
    fn merge_keys_are_flattened_as_rasa_flattens_them() {
        let root = tree("b: &b {a: 1, b: 2}\nx: {<<: *b, b: 3, c: 4}\n");
        assert_eq!(pairs(root.get("x").expect("x")), ["a=1", "b=3", "c=4"]);
        // Of a list of mappings, the first wins; each key keeps its first place.
        let root = tree("p: &p {a: p, k: p}\nq: &q {a: q, z: q}\nx:\n  y: own\n  <<: [*p, *q]\n");
        assert_eq!(
            pairs(root.get("x").expect("x")),
            ["a=p", "z=q", "k=p", "y=own"]
        );
        // A mapping that merges is not checked for duplicates: the last value stays.
        let root = tree("b: &b {a: 1}\nx: {<<: *b, c: 1, c: 2}\n");
        assert_eq!(pairs(root.get("x").expect("x")), ["a=1", "c=2"]);
        // Without a merge, duplicates stay for the readers to report.
        assert_eq!(pairs(&tree("{a: 1, a: 2}")), ["a=1", "a=2"]);
    }

    #[test]
    fn merges_rasa_refuses_are_errors() {
        let error = parse("x: {<<: 5}\n").expect_err("a scalar merged");
        assert!(
            error
                .message
                .contains("expected a mapping or list of mappings"),
            "{}",
            error.message
        );
        let error = parse("x: {<<: {a: 1}, <<: {b: 2}}\n").expect_err("two merge keys");
        assert!(
            error.message.contains("duplicate key `<<`"),
            "{}",
            error.message
        );
        assert_eq!(error.span, 16..18);
    }

    #[test]
    fn core_tags_are_honoured_and_others_refused() {
        let root = tree("x: !!str 5\ny: !!int '7'\nz: !!bool yes\n");
        assert_eq!(
            root.get("x").map(|n| n.value.clone()),
            Some(Value::Str("5".into()))
        );
        assert_eq!(root.get("y").and_then(Node::as_i64), Some(7));
        assert_eq!(root.get("z").and_then(Node::as_bool), Some(true));
        let error = parse("x: !foo bar\n").expect_err("a local tag");
        assert!(error.message.contains("`!foo`"), "{}", error.message);
        assert!(parse("x: !!int abc\n").is_err());
    }

    /// Rasa 3.6's reading (dump.py), asked on 2026-12-06.
    #[test]
    fn a_block_scalar_ending_the_text_without_a_line_break_has_none() {
        assert_eq!(tree("a: |\n  b").get("a").and_then(Node::as_str), Some("b"));
        assert_eq!(
            tree("a: >\n  b\n  c").get("a").and_then(Node::as_str),
            Some("b c")
        );
        assert_eq!(
            tree("a: |\n  b\n").get("a").and_then(Node::as_str),
            Some("b\n")
        );
    }
}
