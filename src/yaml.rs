//! A small YAML tree in which every node knows the bytes it was written at.
//!
//! Rasa reads `domain.yml` and `config.yml` with ruamel in YAML 1.2 mode, so this reader
//! does too: only `true`/`false` are booleans (`yes`, `no`, `on`, `off` stay strings) and
//! there are no legacy octal numbers. Unlike ruamel, it keeps duplicate mapping keys, in
//! file order, so that rules can point at both copies instead of stopping at the first.
//!
//! The tree is built by serde-saphyr through [`Spanned`], whose locations carry byte
//! offsets for string input. What the spans cover:
//!
//! * a plain scalar: its text; a quoted scalar: its text *with* the quotes (see
//!   [`Node::content_span`] for the inside); a block scalar (`|`, `>`): its content lines,
//!   without the indicator; an alias (`*a`): the alias token, for the alias and for
//!   every node replayed from it;
//! * an empty value (`key:` with nothing after it): an empty span near the colon;
//! * a mapping or sequence: from its first key, `-` or opening bracket to the end of its
//!   last child, and to the closing bracket of a flow collection (serde-saphyr itself only
//!   reports the start; [`parse`] extends it).

use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{DuplicateKeyPolicy, MessageFormatter, NonFiniteFloatPolicy, Spanned};

use crate::source::{Span, floor_char_boundary};

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
    Str(String),
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
            Value::Str(s) => s.clone(),
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
            Value::Str(s) => Json::String(s.clone()),
            Value::Seq(items) => {
                Json::Array(items.iter().map(|i| i.to_json_with(key_text)).collect())
            }
            Value::Map(entries) => Json::Object(
                entries
                    .iter()
                    .map(|(k, v)| {
                        let key = match &k.value {
                            Value::Str(s) => s.clone(),
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
    if nesting_bound(text) <= SHALLOW {
        return parse_here(text);
    }
    // serde-saphyr recurses a few frames a level, up to its nesting budget (64 levels,
    // 255 in flow collections): more than a worker thread's 2 MiB hold in a debug build
    // (a stack overflow at 45 levels), so deeper text is read on a thread with room.
    std::thread::scope(|scope| {
        let reader = std::thread::Builder::new()
            .stack_size(DEEP_STACK)
            .spawn_scoped(scope, || parse_here(text));
        match reader.map(|thread| thread.join()) {
            Ok(Ok(parsed)) => parsed,
            Ok(Err(panic)) => std::panic::resume_unwind(panic),
            Err(error) => Err(YamlError {
                message: format!("no thread to read YAML nested this deep: {error}"),
                span: 0..0,
            }),
        }
    })
}

/// Nesting the calling thread's stack holds, whatever the build.
const SHALLOW: usize = 16;

/// The stack YAML that may nest deeper than [`SHALLOW`] is read on.
const DEEP_STACK: usize = 64 << 20;

/// A bound on the nesting of `text`: every level opens with a `-`, `:`, `?`, `[` or `{`
/// of its own (an alias repeats a level already counted where its anchor is).
fn nesting_bound(text: &str) -> usize {
    text.bytes()
        .filter(|b| matches!(b, b'-' | b':' | b'?' | b'[' | b'{'))
        .count()
}

fn parse_here(text: &str) -> Result<Node, YamlError> {
    let options = serde_saphyr::options! {
        duplicate_keys: DuplicateKeyPolicy::PassThrough,
        strict_booleans: true,
        legacy_octal_numbers: false,
        non_finite_float_policy: NonFiniteFloatPolicy::PassThrough,
        with_snippet: false,
        budget: budget(text.len()),
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: replay_bound(text.len()),
        },
    };
    match serde_saphyr::from_str_with_options::<Spanned<RawValue>>(text, options) {
        Ok(root) => {
            let mut node = into_node(root);
            settle_spans(&mut node, text);
            Ok(node)
        }
        Err(error) => Err(yaml_error(&error, text)),
    }
}

/// serde-saphyr's limits, proportional to the text: what the text itself holds never
/// breaks them (a node or event takes at least a byte or two of text; Rasa reads a
/// 20,000-story file, past serde-saphyr's fixed 250,000 nodes), while what aliases add is
/// bounded by [`replay_bound`]. Its alias/anchor ratio test is off: many aliases of one
/// anchor (`<<: *defaults` in every response) are honest, and the replay bound already
/// stops an alias bomb.
fn budget(len: usize) -> Option<serde_saphyr::Budget> {
    let events = len.saturating_mul(2).saturating_add(64);
    // Nodes and alias references replayed from aliases count as nodes and events too.
    let with_replays = events.saturating_add(replay_bound(len));
    serde_saphyr::budget! {
        max_events: with_replays,
        max_nodes: with_replays,
        max_aliases: len,
        max_anchors: len,
        max_merge_keys: len,
        // Replayed scalars count too: a long text under an anchor, aliased many times.
        max_total_scalar_bytes: len.saturating_mul(16).saturating_add(1 << 20),
        max_recorded_anchor_events: events.saturating_mul(4).saturating_add(replay_bound(len)),
        max_recorded_anchor_bytes: len.saturating_mul(8).saturating_add(1 << 20),
        enforce_alias_anchor_ratio: false,
    }
}

/// How many nodes and events aliases may replay in a text of `len` bytes: twice what the
/// text could hold, and at least 100,000. An alias bomb (aliases of aliases, each level
/// multiplying the last) passes it within a few milliseconds and is refused.
fn replay_bound(len: usize) -> usize {
    len.saturating_mul(2).saturating_add(100_000)
}

// ---------------------------------------------------------------------------------------
// Building the tree

/// A value deserialized through serde-saphyr; private so that [`Value`] cannot be
/// deserialized from other formats, which would give nodes without real spans.
struct RawValue(Value);

impl<'de> Deserialize<'de> for RawValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor).map(RawValue)
    }
}

/// Turns a spanned raw value into a node. String input always carries byte offsets;
/// should they be missing, the character offsets are used and [`settle_spans`] keeps
/// them inside the text.
fn into_node(spanned: Spanned<RawValue>) -> Node {
    let span = spanned.referenced.span();
    let start = span.byte_offset().unwrap_or(span.offset());
    let len = span.byte_len().unwrap_or(span.len());
    let start = usize::try_from(start).unwrap_or(usize::MAX);
    let len = usize::try_from(len).unwrap_or(0);
    Node {
        value: spanned.value.0,
        span: start..start.saturating_add(len),
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Int(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or(Value::Float(v as f64), Value::Int))
    }

    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or(Value::Float(v as f64), Value::Int))
    }

    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or(Value::Float(v as f64), Value::Int))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Float(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::Str(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::Str(v))
    }

    /// `!!binary` scalars: kept as text, since nothing Rasa reads is binary.
    fn visit_bytes<E>(self, v: &[u8]) -> Result<Value, E> {
        Ok(Value::Str(String::from_utf8_lossy(v).into_owned()))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<RawValue>>()? {
            items.push(into_node(item));
        }
        Ok(Value::Seq(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Spanned<RawValue>>()? {
            let value = map.next_value::<Spanned<RawValue>>()?;
            entries.push((into_node(key), into_node(value)));
        }
        Ok(Value::Map(entries))
    }
}

/// Keeps every span inside the text on character boundaries, and widens collection spans
/// from "where it starts" (all serde-saphyr reports) to the whole collection. Recursion
/// depth is bounded by serde-saphyr's nesting budget.
fn settle_spans(node: &mut Node, text: &str) {
    node.span = clamp_span(&node.span, text);
    if let Value::Float(f) = node.value {
        node.value = decimal_with_leading_zero(text, &node.span, f).unwrap_or(node.value.clone());
    }
    let children_end = match &mut node.value {
        Value::Seq(items) => items.iter_mut().map(|n| settle_end(n, text)).max(),
        Value::Map(entries) => entries
            .iter_mut()
            .flat_map(|(k, v)| [settle_end(k, text), settle_end(v, text)])
            .max(),
        _ => None,
    };
    if let Some(end) = children_end {
        node.span.end = node.span.end.max(end);
    }
    if let Some(end) = flow_collection_end(text, &node.span) {
        node.span.end = end;
    }
}

/// serde-saphyr reads a decimal integer with a leading zero (`017`) as a float; YAML 1.2's
/// core schema, and Rasa, as the integer (17).
fn decimal_with_leading_zero(text: &str, span: &Span, value: f64) -> Option<Value> {
    let written = text.get(span.clone())?;
    let digits = written.strip_prefix(['-', '+']).unwrap_or(written);
    let integer = digits.starts_with('0') && digits.bytes().all(|b| b.is_ascii_digit());
    (integer && value.fract() == 0.0 && value.abs() < 9.0e15).then_some(Value::Int(value as i64))
}

fn settle_end(node: &mut Node, text: &str) -> usize {
    settle_spans(node, text);
    node.span.end
}

fn clamp_span(span: &Span, text: &str) -> Span {
    let start = floor_char_boundary(text, span.start.min(text.len()));
    let end = floor_char_boundary(text, span.end.min(text.len())).max(start);
    start..end
}

/// For a span starting at `[` or `{`, the end of the matching closing bracket, found by
/// skipping the blanks, commas and comments after the last entry.
fn flow_collection_end(text: &str, span: &Span) -> Option<usize> {
    let closer = match text.as_bytes().get(span.start)? {
        b'[' => b']',
        b'{' => b'}',
        _ => return None,
    };
    let bytes = text.as_bytes();
    let mut i = span.end.max(span.start + 1);
    while let Some(&b) = bytes.get(i) {
        match b {
            b' ' | b'\t' | b'\r' | b'\n' | b',' => i += 1,
            b'#' => i += bytes[i..].iter().take_while(|&&c| c != b'\n').count(),
            _ if b == closer => return Some(i + 1),
            _ => return None,
        }
    }
    None
}

// ---------------------------------------------------------------------------------------
// Errors

/// Converts serde-saphyr's error into a message and a byte span. Syntax errors carry a
/// character offset and a line/column but no byte offset, so both are converted here.
fn yaml_error(error: &serde_saphyr::Error, text: &str) -> YamlError {
    let error = error.without_snippet();
    let message = if is_alias_expansion(original(error)) {
        format!(
            "YAML document too large or too complex: its aliases (`*name`) expand to more than {} nodes, far more than the text holds; rasalint stops reading it (an alias bomb?)",
            replay_bound(text.len())
        )
    } else {
        escape_controls(&serde_saphyr::UserMessageFormatter.format_message(error))
    };
    let span = error
        .location()
        .and_then(|location| location_span(&location, text))
        .unwrap_or(0..0);
    YamlError { message, span }
}

/// Whether `error` is a limit only what aliases replay can reach: the limits of what the
/// text itself holds are proportional to it ([`budget`]).
fn is_alias_expansion(error: &serde_saphyr::Error) -> bool {
    use serde_saphyr::budget::BudgetBreach as B;
    match error {
        serde_saphyr::Error::AliasReplayLimitExceeded { .. }
        | serde_saphyr::Error::AliasReplayCounterOverflow { .. } => true,
        serde_saphyr::Error::Budget { breach, .. } => matches!(
            breach,
            B::Events { .. }
                | B::Nodes { .. }
                | B::ScalarBytes { .. }
                | B::RecordedAnchorEvents { .. }
                | B::RecordedAnchorBytes { .. }
        ),
        _ => false,
    }
}

/// The error an alias replay or a snippet wraps.
fn original(mut error: &serde_saphyr::Error) -> &serde_saphyr::Error {
    // Each step unwraps one box: bounded by the error's nesting.
    while let serde_saphyr::Error::AliasError { error: inner, .. }
    | serde_saphyr::Error::WithSnippet { error: inner, .. } = error
    {
        error = inner;
    }
    error
}

/// The message may quote input text: control characters (a tab, a stray escape) are
/// written as escapes so that they cannot break the report's layout.
fn escape_controls(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    for c in message.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

fn location_span(location: &serde_saphyr::Location, text: &str) -> Option<Span> {
    let span = location.span();
    if let (Some(start), Some(len)) = (span.byte_offset(), span.byte_len()) {
        let start = usize::try_from(start).ok()?;
        let len = usize::try_from(len).ok()?;
        return Some(clamp_span(&(start..start.saturating_add(len)), text));
    }
    let start = char_to_byte(text, span.offset())
        .or_else(|| line_column_to_byte(text, location.line(), location.column()))?;
    let end =
        char_to_byte(text, span.offset().saturating_add(span.len().max(1))).unwrap_or(text.len());
    Some(start..end.max(start))
}

/// The byte offset of the `chars`-th character; `None` past the end of the text (which is
/// also how an unknown offset, a sentinel far beyond any real text, comes out).
fn char_to_byte(text: &str, chars: u64) -> Option<usize> {
    let chars = usize::try_from(chars).ok()?;
    text.char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()))
        .nth(chars)
}

/// The byte offset of a 1-based line and character column, with YAML's line breaks
/// (LF, CRLF and lone CR).
fn line_column_to_byte(text: &str, line: u64, column: u64) -> Option<usize> {
    let mut line_start = 0;
    for _ in 1..line {
        let rest = &text[line_start..];
        let break_at = rest.find(['\n', '\r'])?;
        let crlf = rest[break_at..].starts_with("\r\n");
        line_start += break_at + if crlf { 2 } else { 1 };
    }
    let column = usize::try_from(column.saturating_sub(1)).ok()?;
    let line_text = &text[line_start..];
    Some(
        line_start
            + line_text
                .char_indices()
                .map(|(i, _)| i)
                .nth(column)
                .unwrap_or(line_text.len()),
    )
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
        assert_eq!(values[9], Value::Str(String::new()));
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

    #[test]
    fn an_alias_bomb_is_refused_quickly() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for level in 1..10 {
            let aliases = vec![format!("*a{}", level - 1); 10].join(", ");
            text.push_str(&format!("a{level}: &a{level} [{aliases}]\n"));
        }
        let started = std::time::Instant::now();
        let error = parse(&text).expect_err("10^10 nodes are refused");
        assert!(
            started.elapsed() < std::time::Duration::from_secs(5),
            "{:?}",
            started.elapsed()
        );
        assert!(error.message.contains("alias bomb"), "{}", error.message);
    }

    #[test]
    fn line_column_fallback_counts_characters() {
        let text = "é\r\nab\rcd\n";
        assert_eq!(line_column_to_byte(text, 1, 2), Some(2));
        assert_eq!(line_column_to_byte(text, 2, 2), Some(5));
        assert_eq!(line_column_to_byte(text, 3, 1), Some(7));
        assert_eq!(line_column_to_byte(text, 9, 1), None);
    }
}
