//! The part of pykwalify 1.8 that Rasa 2.8 and 3.6 validate their YAML files with (spec
//! rasa-yaml §3.1), over the spanned tree: a schema is a [`Rule`] tree, and validating a
//! node gives every place that breaks it, each with its path and the node to underline.
//!
//! What is copied from pykwalify, because it decides what Rasa refuses:
//! - a mapping rule refuses a null (`Value 'None' is not a dict`), a list rule and a
//!   scalar rule let it through, unless the key is `required` or not `nullable`;
//! - a mapping without `allowempty` is closed; a key that is not listed is checked against
//!   the regex rules, found with an unanchored search in Python's `str()` of the key;
//! - a list item passes when one of the alternatives passes; when none does, Rasa reports
//!   every alternative's errors (here: those of the alternative of the item's kind, which
//!   is what the user meant to write);
//! - a list whose alternatives include a mapping rule without keys (`type: map`,
//!   `allowempty: True`) is not checked at all once it has an item (pykwalify returns
//!   early there);
//! - `number` also accepts strings Python's `float()` reads, and its range is then checked
//!   on the string's length.

use crate::source::Span;
use crate::yaml::{Node, Value};

/// A pykwalify rule, as Rasa's schema files write them.
#[derive(Debug)]
pub enum Rule {
    /// `type: any`.
    Any,
    /// `type: str`: a string (null passes, as for every scalar rule).
    Str,
    /// `type: bool`.
    Bool,
    /// `type: number`, with `range: {min: …}` when given.
    Number { min: Option<f64> },
    /// `type: seq`: each item must pass one of `items`; `check` is a `func:` extension
    /// run on the whole list.
    Seq {
        items: &'static [Rule],
        check: Option<ListCheck>,
    },
    /// `type: map` with `mapping:`; `open` for `allowempty: True`.
    Map {
        keys: &'static [Key],
        regex: Option<&'static RegexKey>,
        open: bool,
    },
    /// `type: map` with `allowempty: True` and no `mapping:`: any mapping.
    AnyMap,
    /// A list item rule with `required: True`: a null item is refused before the rule.
    Required(&'static Rule),
}

/// A `func:` extension on a list (Rasa's only one: `require_response_keys`).
pub type ListCheck = fn(&[Node]) -> Option<(usize, ViolationKind)>;

/// A key a mapping rule lists.
#[derive(Debug)]
pub struct Key {
    pub name: &'static str,
    pub rule: Rule,
    pub required: bool,
    /// `nullable: False`.
    pub not_null: bool,
}

impl Key {
    pub const fn optional(name: &'static str, rule: Rule) -> Key {
        Key {
            name,
            rule,
            required: false,
            not_null: false,
        }
    }

    pub const fn required(name: &'static str, rule: Rule) -> Key {
        Key {
            name,
            rule,
            required: true,
            not_null: false,
        }
    }
}

/// A `regex;(…)` key: keys it finds a match in are checked with `rule`.
#[derive(Debug)]
pub struct RegexKey {
    /// The pattern as the schema writes it (for messages).
    pub pattern: &'static str,
    pub matches: fn(&str) -> bool,
    pub rule: Rule,
    /// `nullable: False` on the values.
    pub not_null: bool,
}

/// One step of the path to a node: a mapping key (as Python's `str()` writes it) or a
/// list index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Key(String),
    Index(usize),
}

/// What is wrong at a place.
#[derive(Debug, Clone, PartialEq)]
pub enum ViolationKind {
    /// A mapping was expected; `found` says what is there.
    NotAMap {
        found: &'static str,
    },
    NotAList {
        found: &'static str,
    },
    /// A scalar of the wrong type (`expected`: `str`, `bool`, `number`).
    WrongType {
        expected: &'static str,
        found: &'static str,
    },
    /// A required key is missing from the mapping.
    MissingKey {
        key: &'static str,
    },
    /// A key of a closed mapping that the schema does not list.
    UnknownKey {
        key: String,
    },
    /// A key that no regex of the mapping matches.
    KeyNoMatch {
        key: String,
        pattern: &'static str,
    },
    /// A required key with an empty value (`required.novalue`).
    RequiredNull,
    /// A value that may not be null (`nullable.novalue`).
    NotNullable,
    /// A number below the range's minimum.
    BelowMin {
        min: f64,
    },
    /// A list item that is none of the kinds allowed (`expected`, in words).
    NoAlternative {
        found: &'static str,
        expected: Vec<&'static str>,
    },
    /// A response variation without `text` or `custom` (`require_response_keys`).
    NoTextOrCustom,
}

/// A place where a node breaks the schema.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    pub path: Vec<Step>,
    /// The node to underline: the offending value, or the key of a mapping that misses a
    /// key or holds an unknown one.
    pub span: Span,
    pub kind: ViolationKind,
}

impl Violation {
    /// The message pykwalify gives (`Key 'x' was not defined. Path: '/slots/a'`), for
    /// Rasa's own wording in the dump.
    pub fn pykwalify_message(&self) -> String {
        let path: String = self
            .path
            .iter()
            .map(|s| match s {
                Step::Key(k) => format!("/{k}"),
                Step::Index(i) => format!("/{i}"),
            })
            .collect();
        match &self.kind {
            ViolationKind::NotAMap { .. } => format!("Value is not a dict. Value path: '{path}'"),
            ViolationKind::NotAList { .. } => format!("Value is not a list. Value path: '{path}'"),
            ViolationKind::WrongType { expected, .. } => {
                format!("Value is not of type '{expected}'. Path: '{path}'")
            }
            ViolationKind::MissingKey { key } => {
                format!("Cannot find required key '{key}'. Path: '{path}'")
            }
            ViolationKind::UnknownKey { key } => {
                format!("Key '{key}' was not defined. Path: '{path}'")
            }
            ViolationKind::KeyNoMatch { key, pattern } => {
                format!("Key '{key}' does not match any regex '{pattern}'. Path: '{path}'")
            }
            ViolationKind::RequiredNull => format!("required.novalue : '{path}'"),
            ViolationKind::NotNullable => format!("nullable.novalue : '{path}'"),
            ViolationKind::BelowMin { min } => {
                format!("Type 'scalar' has size less than min limit '{min}'. Path: '{path}'")
            }
            ViolationKind::NoAlternative { .. } => {
                format!("Value is not of an allowed type. Path: '{path}'")
            }
            ViolationKind::NoTextOrCustom => format!(
                "Missing 'text' or 'custom' key in response or null 'text' value in response.. Path: {path}"
            ),
        }
    }
}

/// Every place where `node` breaks `rule`, in document order.
pub fn validate(node: &Node, rule: &Rule) -> Vec<Violation> {
    let mut out = Vec::new();
    let mut path = Vec::new();
    check(node, rule, &node.span, &mut path, &mut out);
    out
}

/// Checks `node` against `rule`; `owner` is the span of the key that holds it (where a
/// missing key is reported).
fn check(node: &Node, rule: &Rule, owner: &Span, path: &mut Vec<Step>, out: &mut Vec<Violation>) {
    let wrong_type = |expected| ViolationKind::WrongType {
        expected,
        found: node.value.kind(),
    };
    let kind = match rule {
        Rule::Any => None,
        Rule::Str | Rule::Bool | Rule::Number { .. } if node.is_null() => None,
        Rule::Str => (!matches!(node.value, Value::Str(_))).then(|| wrong_type("str")),
        Rule::Bool => (!matches!(node.value, Value::Bool(_))).then(|| wrong_type("bool")),
        Rule::Number { min } => match number(&node.value) {
            None => Some(wrong_type("number")),
            Some(n) => min
                .filter(|min| n < *min)
                .map(|min| ViolationKind::BelowMin { min }),
        },
        Rule::Required(_) if node.is_null() => Some(ViolationKind::RequiredNull),
        Rule::Required(inner) => {
            check(node, inner, owner, path, out);
            None
        }
        Rule::Seq { items, check } => {
            check_seq(node, items, *check, path, out);
            None
        }
        Rule::Map { keys, regex, open } => {
            check_map(node, keys, *regex, *open, owner, path, out);
            None
        }
        Rule::AnyMap => node.as_map().is_none().then(|| ViolationKind::NotAMap {
            found: node.value.kind(),
        }),
    };
    if let Some(kind) = kind {
        out.push(Violation {
            path: path.clone(),
            span: node.span.clone(),
            kind,
        });
    }
}

/// pykwalify's `number` (an int or float, not a bool, or a string Python's `float()`
/// reads), as the value its range is checked on: the number, or the string's length.
fn number(value: &Value) -> Option<f64> {
    match value {
        Value::Int(i) => Some(*i as f64),
        Value::Float(f) => Some(*f),
        Value::Str(s) => python_float(s).map(|_| s.chars().count() as f64),
        _ => None,
    }
}

/// Python's `float()` of a string: surrounding white space allowed, digits with single
/// underscores between them, `inf`/`nan` in any case.
pub fn python_float(text: &str) -> Option<f64> {
    let trimmed = text.trim();
    let unsigned = trimmed.trim_start_matches(['+', '-']);
    if trimmed.len() - unsigned.len() > 1 {
        return None;
    }
    let lower = unsigned.to_ascii_lowercase();
    if ["inf", "infinity", "nan"].contains(&lower.as_str()) {
        return Some(if lower == "nan" {
            f64::NAN
        } else {
            f64::INFINITY
        });
    }
    // Underscores only between digits.
    let bytes = unsigned.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'_' {
            let digit = |j: Option<&u8>| j.is_some_and(u8::is_ascii_digit);
            if i == 0 || !digit(bytes.get(i - 1)) || !digit(bytes.get(i + 1)) {
                return None;
            }
        }
    }
    let plain = trimmed.replace('_', "");
    if plain.is_empty()
        || !plain
            .chars()
            .all(|c| c.is_ascii_digit() || "+-.eE".contains(c))
    {
        return None;
    }
    plain.parse::<f64>().ok()
}

fn check_seq(
    node: &Node,
    alternatives: &[Rule],
    list_check: Option<ListCheck>,
    path: &mut Vec<Step>,
    out: &mut Vec<Violation>,
) {
    let items = match &node.value {
        Value::Null => return,
        Value::Seq(items) => items,
        other => {
            out.push(Violation {
                path: path.clone(),
                span: node.span.clone(),
                kind: ViolationKind::NotAList {
                    found: other.kind(),
                },
            });
            return;
        }
    };
    if let Some(list_check) = list_check
        && let Some((index, kind)) = list_check(items)
    {
        out.push(Violation {
            path: path.clone(),
            span: items[index].span.clone(),
            kind,
        });
    }
    // pykwalify stops checking a list at its first item when an alternative is a mapping
    // rule without keys.
    if !items.is_empty() && alternatives.iter().any(|r| matches!(r, Rule::AnyMap)) {
        return;
    }
    for (index, item) in items.iter().enumerate() {
        path.push(Step::Index(index));
        check_item(item, alternatives, path, out);
        path.pop();
    }
}

/// A list item: fine when one alternative passes; otherwise the violations of the only
/// alternative, or of the alternative of the item's kind, or one saying which kinds are
/// allowed.
fn check_item(item: &Node, alternatives: &[Rule], path: &mut Vec<Step>, out: &mut Vec<Violation>) {
    let mut attempts = Vec::with_capacity(alternatives.len());
    for rule in alternatives {
        let mut found = Vec::new();
        check(item, rule, &item.span, path, &mut found);
        if found.is_empty() {
            return;
        }
        attempts.push((rule, found));
    }
    if attempts.len() == 1 {
        out.append(&mut attempts[0].1);
        return;
    }
    match attempts
        .iter()
        .position(|(rule, _)| same_kind(rule, &item.value))
    {
        Some(at) => out.append(&mut attempts[at].1),
        None => out.push(Violation {
            path: path.clone(),
            span: item.span.clone(),
            kind: ViolationKind::NoAlternative {
                found: item.value.kind(),
                expected: alternatives.iter().map(describe).collect(),
            },
        }),
    }
}

/// Whether `value` is of the kind `rule` checks (a mapping for a mapping rule, …).
fn same_kind(rule: &Rule, value: &Value) -> bool {
    match rule {
        Rule::Map { .. } | Rule::AnyMap => matches!(value, Value::Map(_)),
        Rule::Seq { .. } => matches!(value, Value::Seq(_)),
        Rule::Str => matches!(value, Value::Str(_)),
        Rule::Bool => matches!(value, Value::Bool(_)),
        Rule::Number { .. } => matches!(value, Value::Int(_) | Value::Float(_)),
        Rule::Any => true,
        Rule::Required(inner) => same_kind(inner, value),
    }
}

/// A rule's kind, in words.
fn describe(rule: &Rule) -> &'static str {
    match rule {
        Rule::Map { .. } | Rule::AnyMap => "a mapping",
        Rule::Seq { .. } => "a list",
        Rule::Str => "a string",
        Rule::Bool => "true or false",
        Rule::Number { .. } => "a number",
        Rule::Any => "anything",
        Rule::Required(inner) => describe(inner),
    }
}

fn check_map(
    node: &Node,
    keys: &[Key],
    regex: Option<&RegexKey>,
    open: bool,
    owner: &Span,
    path: &mut Vec<Step>,
    out: &mut Vec<Violation>,
) {
    let Some(entries) = node.as_map() else {
        out.push(Violation {
            path: path.clone(),
            span: node.span.clone(),
            kind: ViolationKind::NotAMap {
                found: node.value.kind(),
            },
        });
        return;
    };
    for key in keys.iter().filter(|k| k.required) {
        if !entries.iter().any(|(k, _)| k.as_str() == Some(key.name)) {
            out.push(Violation {
                path: path.clone(),
                span: owner.clone(),
                kind: ViolationKind::MissingKey { key: key.name },
            });
        }
    }
    for (key, value) in entries {
        let name = python_key(key);
        let listed = key
            .as_str()
            .and_then(|k| keys.iter().find(|listed| listed.name == k));
        path.push(Step::Key(name.clone()));
        if let Some(listed) = listed {
            check_value(
                value,
                &listed.rule,
                listed.required,
                listed.not_null,
                &key.span,
                path,
                out,
            );
        } else if let Some(regex) = regex {
            if (regex.matches)(&name) {
                check_value(
                    value,
                    &regex.rule,
                    false,
                    regex.not_null,
                    &key.span,
                    path,
                    out,
                );
            } else {
                out.push(Violation {
                    path: path[..path.len() - 1].to_vec(),
                    span: key.span.clone(),
                    kind: ViolationKind::KeyNoMatch {
                        key: name,
                        pattern: regex.pattern,
                    },
                });
            }
        } else if !open {
            out.push(Violation {
                path: path[..path.len() - 1].to_vec(),
                span: key.span.clone(),
                kind: ViolationKind::UnknownKey { key: name },
            });
        }
        path.pop();
    }
}

/// A mapping's value: pykwalify's null checks for `required` and `nullable: False`, then
/// the rule.
fn check_value(
    value: &Node,
    rule: &Rule,
    required: bool,
    not_null: bool,
    key: &Span,
    path: &mut Vec<Step>,
    out: &mut Vec<Violation>,
) {
    if value.is_null() && (required || not_null) {
        out.push(Violation {
            path: path.clone(),
            span: value.span.clone(),
            kind: if required {
                ViolationKind::RequiredNull
            } else {
                ViolationKind::NotNullable
            },
        });
        return;
    }
    check(value, rule, key, path, out);
}

/// Python's `str()` of a mapping key, as pykwalify matches regex keys against it.
pub fn python_key(key: &Node) -> String {
    key.python_str().unwrap_or_else(|| match &key.value {
        Value::Null => "None".to_owned(),
        other => other.kind().to_owned(),
    })
}

/// Whether `text` has an ASCII letter: Rasa's `regex;([A-Za-z]+)` key rule, searched.
pub fn has_ascii_letter(text: &str) -> bool {
    text.bytes().any(|b| b.is_ascii_alphabetic())
}

/// Whether `text` is not empty: the responses' `regex;(.+)` (`.` does not match a line
/// break, so a key of line breaks only fails).
pub fn has_non_newline(text: &str) -> bool {
    text.chars().any(|c| c != '\n')
}
