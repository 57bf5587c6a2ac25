//! `domain.yml`: every declared name with its span (Rasa 1.x and 2.x keys).

use crate::diagnostic::Diagnostic;
use crate::source::{FileId, Span};
use crate::syntax::yaml::{self, Node, Value};

/// A declared or used name and where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name {
    pub name: String,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct IntentDecl {
    pub name: Name,
    /// `use_entities`: `None` when absent (all entities), `Some(list)` otherwise
    /// (`false`/`null`/`[]` give an empty list).
    pub use_entities: Option<Vec<Name>>,
    pub ignore_entities: Vec<Name>,
    /// 1.x MappingPolicy `triggers: action`.
    pub triggers: Option<Name>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SlotDecl {
    pub name: Name,
    /// The `type` value, when given as a string.
    pub slot_type: Option<Name>,
    /// Categorical `values`, as Rasa normalises them (lower-case strings).
    pub values: Vec<Name>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ResponseDecl {
    pub name: Name,
    /// Number of variations (0 for a null or non-list value).
    pub variations: usize,
}

/// The names one domain file declares, in file order, duplicates kept.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DomainFile {
    pub file: Option<FileId>,
    pub intents: Vec<IntentDecl>,
    pub entities: Vec<Name>,
    pub slots: Vec<SlotDecl>,
    /// Responses from the key Rasa 1.10 reads: `templates:` wins over `responses:` when
    /// both are present.
    pub responses: Vec<ResponseDecl>,
    /// The key the responses came from (`responses` or `templates`), with its span.
    pub responses_key: Option<Name>,
    pub actions: Vec<Name>,
    pub forms: Vec<Name>,
    /// The `session_config` key, when present.
    pub session_config: Option<Span>,
    /// Every top-level key, in file order.
    pub top_level_keys: Vec<Name>,
}

impl DomainFile {
    /// True when the file declares nothing Rasa counts (an empty domain).
    pub fn is_empty(&self) -> bool {
        self.intents.is_empty()
            && self.entities.is_empty()
            && self.slots.is_empty()
            && self.responses.is_empty()
            && self.actions.is_empty()
            && self.forms.is_empty()
    }
}

/// Help for a domain Rasa cannot read: its importer swallows the error and goes on.
const UNREADABLE_DOMAIN: &str = "Rasa 1.10 cannot load this file: it logs \"Loading domain from \
     '…' failed. Using empty domain.\" and trains or validates with an empty domain.";

/// Reads one domain file. YAML errors are diagnostics (RL002) and give an empty domain,
/// as Rasa's importer does.
///
/// Sections of the wrong shape (say `intents:` written as a mapping) and entries that are
/// not names are skipped without a finding here; the rules that know what Rasa does with
/// them report them. Duplicates are kept, also when a whole top-level key is repeated
/// (which is RL002): the sections of both copies are read.
pub fn parse_domain(file: FileId, text: &str) -> (DomainFile, Vec<Diagnostic>) {
    let mut domain = DomainFile {
        file: Some(file),
        ..DomainFile::default()
    };
    let (root, findings) =
        yaml::read_top_level_mapping(file, text, "domain.yml", UNREADABLE_DOMAIN);
    if let Some(entries) = root.as_ref().and_then(Node::as_map) {
        read_sections(&mut domain, entries, text);
    }
    (domain, findings)
}

/// Fills `domain` from the top-level entries, in file order.
fn read_sections(domain: &mut DomainFile, entries: &[(Node, Node)], text: &str) {
    let mut templates = Vec::new();
    let mut responses = Vec::new();
    for (key, value) in entries {
        let Some(key_name) = name(key, text) else {
            continue;
        };
        match key_name.name.as_str() {
            "intents" => domain
                .intents
                .extend(items(value).filter_map(|i| intent(i, text))),
            "entities" => domain
                .entities
                .extend(items(value).filter_map(|e| map_or_name(e, text))),
            "slots" => domain
                .slots
                .extend(entries_of(value).filter_map(|(k, v)| slot(k, v, text))),
            "actions" => domain
                .actions
                .extend(items(value).filter_map(|a| map_or_name(a, text))),
            "forms" => domain.forms.extend(forms(value, text)),
            "session_config" => {
                domain
                    .session_config
                    .get_or_insert_with(|| key_name.span.clone());
            }
            "templates" => templates.push((key_name.clone(), value)),
            "responses" => responses.push((key_name.clone(), value)),
            _ => {}
        }
        domain.top_level_keys.push(key_name);
    }
    // Rasa 1.7–1.10 read `responses:`, then replace them by `templates:` when present.
    let chosen = if templates.is_empty() {
        responses
    } else {
        templates
    };
    domain.responses_key = chosen.first().map(|(key, _)| key.clone());
    for (_, value) in chosen {
        domain
            .responses
            .extend(entries_of(value).filter_map(|(k, v)| response(k, v, text)));
    }
}

/// A string node as a name, spanning the name without its quotes. Other scalars are not
/// names: Rasa would keep them as numbers or booleans, which never match a name read from
/// Markdown.
fn name(node: &Node, text: &str) -> Option<Name> {
    Some(Name {
        name: node.as_str()?.to_owned(),
        span: node.content_span(text),
    })
}

/// The items of a list; nothing for any other value.
fn items(node: &Node) -> impl Iterator<Item = &Node> {
    node.as_seq().unwrap_or_default().iter()
}

/// The entries of a mapping; nothing for any other value.
fn entries_of(node: &Node) -> impl Iterator<Item = (&Node, &Node)> {
    node.as_map()
        .unwrap_or_default()
        .iter()
        .map(|(k, v)| (k, v))
}

/// The names in a list of strings, skipping anything else.
fn names(node: &Node, text: &str) -> Vec<Name> {
    items(node).filter_map(|n| name(n, text)).collect()
}

/// A list entry that is a name, or a mapping keyed by the name (`- city: {roles: [..]}`
/// in 2.x entities, `- action: {send_domain: true}` in 3.x actions). As in Rasa, only the
/// first key of such a mapping counts.
fn map_or_name(node: &Node, text: &str) -> Option<Name> {
    match node.as_map() {
        Some(entries) => name(&entries.first()?.0, text),
        None => name(node, text),
    }
}

/// An `intents` entry: `- greet` or `- greet: {use_entities: .., ignore_entities: ..,
/// triggers: ..}`. Like Rasa, a mapping entry is read by its first key only.
fn intent(node: &Node, text: &str) -> Option<IntentDecl> {
    let (key, props) = match node.as_map() {
        Some(entries) => {
            let (key, props) = entries.first()?;
            (key, Some(props))
        }
        None => (node, None),
    };
    Some(IntentDecl {
        name: name(key, text)?,
        use_entities: use_entities(props.and_then(|p| p.get("use_entities")), text),
        ignore_entities: props
            .and_then(|p| p.get("ignore_entities"))
            .map_or_else(Vec::new, |n| names(n, text)),
        triggers: props
            .and_then(|p| p.get("triggers"))
            .and_then(|n| name(n, text)),
    })
}

/// `use_entities` as Rasa 1.10 reads it: absent or `true` means all entities, any falsy
/// value (`false`, null, `[]`, ...) none, and a list the entities listed. A value Rasa
/// would choke on is read as "all", which makes no rule report unused entities on a guess.
fn use_entities(node: Option<&Node>, text: &str) -> Option<Vec<Name>> {
    let node = node?;
    match &node.value {
        Value::Bool(true) => None,
        _ if is_falsy(node) => Some(Vec::new()),
        Value::Seq(_) => Some(names(node, text)),
        _ => None,
    }
}

/// Python's truthiness, which decides how Rasa reads optional values.
fn is_falsy(node: &Node) -> bool {
    match &node.value {
        Value::Null => true,
        Value::Bool(b) => !b,
        Value::Int(i) => *i == 0,
        Value::Float(f) => *f == 0.0,
        Value::Str(s) => s.is_empty(),
        Value::Seq(items) => items.is_empty(),
        Value::Map(entries) => entries.is_empty(),
    }
}

/// A `slots` entry: the name, its `type` and its categorical `values`. Values are read
/// whatever the type, so a rule can report `values` on a slot that is not categorical.
fn slot(key: &Node, props: &Node, text: &str) -> Option<SlotDecl> {
    Some(SlotDecl {
        name: name(key, text)?,
        slot_type: props.get("type").and_then(|t| name(t, text)),
        values: props.get("values").map_or_else(Vec::new, |v| {
            items(v).filter_map(|n| slot_value(n, text)).collect()
        }),
    })
}

/// A categorical value as Rasa stores it: `str(value).lower()`, so `True` is `"true"`,
/// `1.0` is `"1.0"` and null is `"none"`. Lists and mappings are skipped.
fn slot_value(node: &Node, text: &str) -> Option<Name> {
    let written = match &node.value {
        Value::Null => "None".to_owned(),
        Value::Bool(true) => "True".to_owned(),
        Value::Bool(false) => "False".to_owned(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => python_float_str(*f),
        Value::Str(s) => s.clone(),
        Value::Seq(_) | Value::Map(_) => return None,
    };
    Some(Name {
        name: written.to_lowercase(),
        span: node.content_span(text),
    })
}

/// Python's `str()` of a float: the shortest round-trip digits, with `.0` on whole numbers
/// and an exponent (`1e+16`, `1e-05`) outside 1e-4 ≤ |x| < 1e16.
fn python_float_str(f: f64) -> String {
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

/// A `responses`/`templates` entry: the name and how many variations it lists.
fn response(key: &Node, value: &Node, text: &str) -> Option<ResponseDecl> {
    Some(ResponseDecl {
        name: name(key, text)?,
        variations: value.as_seq().map_or(0, <[Node]>::len),
    })
}

/// Form names: a list of names (1.x), or a mapping keyed by form name (2.x).
fn forms(node: &Node, text: &str) -> Vec<Name> {
    match node.as_map() {
        Some(entries) => entries.iter().filter_map(|(k, _)| name(k, text)).collect(),
        None => names(node, text),
    }
}
