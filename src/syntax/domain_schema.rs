//! Rasa 1.10's schema for `domain.yml` (`rasa/core/schemas/domain.yml`, checked with
//! pykwalify before the domain is built). A file that breaks it is refused whole, and
//! Rasa's importer goes on with an *empty* domain, saying so in one log line. The usual
//! cause is a Rasa 2.x domain in a 1.x bot: entities with `roles:`, `forms:` as a mapping.
//!
//! What is refused was established by running Rasa 1.10.26's own validation on each
//! shape (the comments say which); what the schema allows is accepted here, even when
//! Rasa fails on it later for another reason.

use crate::model::domain::Refusal;
use crate::yaml::{Node, Value};

/// Every place in a domain's top-level entries that Rasa 1.10's schema refuses.
pub fn refusals(entries: &[(Node, Node)]) -> Vec<Refusal> {
    let mut found = Vec::new();
    for (key, value) in entries {
        let Some(key) = key.as_str() else { continue };
        match key {
            "intents" => list_of(key, value, intent_item_allowed, &mut found),
            "entities" | "forms" => list_of(key, value, name_or_null, &mut found),
            "actions" => list_of(key, value, |v| matches!(v, Value::Str(_)), &mut found),
            // An empty `responses:` is refused too: a null is no mapping.
            "responses" | "slots" | "config" | "session_config" => {
                mapping_section(key, value, &mut found)
            }
            // Other keys (`templates`, unknown ones) are allowed by the schema.
            _ => {}
        }
    }
    found
}

/// The settings the schema gives a type inside mapping sections: section, setting, the
/// values allowed, and how to say what is expected.
type TypedSetting = (&'static str, &'static str, fn(&Value) -> bool, &'static str);

const TYPED_SETTINGS: &[TypedSetting] = &[
    (
        "config",
        "store_entities_as_slots",
        bool_or_null,
        "true or false",
    ),
    (
        "session_config",
        "session_expiration_time",
        expiration_allowed,
        "a number of minutes, 0 or more",
    ),
    (
        "session_config",
        "carry_over_slots_to_new_session",
        bool_or_null,
        "true or false",
    ),
];

/// A list (or nothing) whose items pass `allowed`; reports the section or each bad item.
fn list_of(key: &str, node: &Node, allowed: fn(&Value) -> bool, found: &mut Vec<Refusal>) {
    match &node.value {
        Value::Null => {}
        Value::Seq(items) => {
            for item in items.iter().filter(|i| !allowed(&i.value)) {
                found.push(Refusal {
                    span: item.span.clone(),
                    key: key.to_string(),
                    reason: format!("an item of `{key}` is {}", describe(&item.value)),
                });
            }
        }
        other => found.push(Refusal {
            span: node.span.clone(),
            key: key.to_string(),
            reason: format!("`{key}` is {}, not a list", describe(other)),
        }),
    }
}

/// A section that must be a mapping, with its typed settings.
fn mapping_section(key: &str, node: &Node, found: &mut Vec<Refusal>) {
    if !mapping(key, node, found) {
        return;
    }
    for &(_, setting, allowed, expected) in TYPED_SETTINGS.iter().filter(|t| t.0 == key) {
        typed(key, node, setting, allowed, expected, found);
    }
}

/// Whether the section is a mapping; reports it when not (an empty one included).
fn mapping(key: &str, node: &Node, found: &mut Vec<Refusal>) -> bool {
    if node.as_map().is_some() {
        return true;
    }
    found.push(Refusal {
        span: node.span.clone(),
        key: key.to_string(),
        reason: format!("`{key}` is {}, not a mapping", describe(&node.value)),
    });
    false
}

/// A setting inside a mapping section that must pass `allowed` when present.
fn typed(
    key: &str,
    section: &Node,
    setting: &str,
    allowed: fn(&Value) -> bool,
    expected: &str,
    found: &mut Vec<Refusal>,
) {
    if let Some(value) = section.get(setting).filter(|v| !allowed(&v.value)) {
        found.push(Refusal {
            span: value.span.clone(),
            key: key.to_string(),
            reason: format!("`{setting}` is {}, not {expected}", describe(&value.value)),
        });
    }
}

/// An intent is a name or a mapping (`- greet: {use_entities: …}`); Rasa 1.10 also lets an
/// empty item through.
fn intent_item_allowed(value: &Value) -> bool {
    matches!(value, Value::Str(_) | Value::Map(_) | Value::Null)
}

/// Entities and forms are names; an empty item passes the schema.
fn name_or_null(value: &Value) -> bool {
    matches!(value, Value::Str(_) | Value::Null)
}

fn bool_or_null(value: &Value) -> bool {
    matches!(value, Value::Bool(_) | Value::Null)
}

/// pykwalify's `number` with `min: 0`; it also lets strings and nothing through.
fn expiration_allowed(value: &Value) -> bool {
    match value {
        Value::Int(n) => *n >= 0,
        Value::Float(x) => *x >= 0.0,
        Value::Str(_) | Value::Null => true,
        Value::Bool(_) | Value::Seq(_) | Value::Map(_) => false,
    }
}

/// "a mapping (`city: {roles: …}`, Rasa 2.x's form)" for the shapes 2.x domains use,
/// else the value's kind.
fn describe(value: &Value) -> String {
    match value {
        Value::Map(_) => "a mapping".to_string(),
        Value::Int(n) if *n < 0 => format!("the negative number {n}"),
        Value::Float(x) if *x < 0.0 => format!("the negative number {x}"),
        other => other.kind().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml;

    fn reasons(text: &str) -> Vec<String> {
        let root = yaml::parse(text).unwrap();
        refusals(root.as_map().unwrap_or_default())
            .into_iter()
            .map(|r| format!("{} @{}", r.reason, &text[r.span]))
            .collect()
    }

    /// Each case was run through Rasa 1.10.26's `validate_yaml_schema` with the domain
    /// schema: these are refused there.
    #[test]
    fn refuses_what_rasa_1_10_refuses() {
        let refused = [
            "intents:\n  greet: {}\n",
            "intents: greet\n",
            "intents:\n  - 1\n",
            "intents:\n  - true\n",
            "intents:\n  - [a]\n",
            "entities:\n  - city:\n      roles: [a]\n",
            "entities:\n  - 5\n",
            "entities:\n  - 1.5\n",
            "entities:\n  a: 1\n",
            "actions:\n  -\n",
            "actions:\n  - 5\n",
            "actions:\n  - true\n",
            "actions:\n  a: 1\n",
            "forms:\n  f:\n    required_slots: {}\n",
            "forms:\n  - 3\n",
            "responses:\n  - a\n",
            "responses:\n",
            "slots:\n  - a\n",
            "slots:\n",
            "config:\n",
            "config:\n  - 1\n",
            "config:\n  store_entities_as_slots: 1\n",
            "session_config:\n",
            "session_config:\n  - 1\n",
            "session_config:\n  session_expiration_time: -1\n",
            "session_config:\n  session_expiration_time: true\n",
            "session_config:\n  session_expiration_time: [1]\n",
            "session_config:\n  carry_over_slots_to_new_session: 1\n",
        ];
        for text in refused {
            assert_eq!(reasons(text).len(), 1, "{text:?}: {:?}", reasons(text));
        }
    }

    /// And these pass Rasa 1.10's schema.
    #[test]
    fn accepts_what_rasa_1_10_accepts() {
        let accepted = [
            "intents:\n",
            "intents: []\n",
            "intents:\n  - greet:\n      use_entities: []\n",
            "intents:\n  - greet:\n      triggers: x\n",
            "intents:\n  - greet:\n",
            "intents:\n  -\n",
            "intents:\n  - greet: 5\n",
            "intents:\n  - greet: {}\n    bye: {}\n",
            "entities:\n  -\n",
            "entities:\n",
            "forms:\n",
            "forms:\n  -\n",
            "responses: {}\n",
            "responses:\n  utter_a: 5\n",
            "config:\n  other: 1\n",
            "config:\n  store_entities_as_slots:\n",
            "session_config:\n  session_expiration_time: '60'\n",
            "session_config:\n  session_expiration_time: 1.5\n",
            "session_config:\n  session_expiration_time: 0\n",
            "session_config:\n  session_expiration_time: '-5'\n",
            "session_config:\n  session_expiration_time:\n",
            "session_config:\n  carry_over_slots_to_new_session:\n",
            "session_config:\n  x: 1\n",
            "foo: [1]\n",
            "templates:\n  - a\n",
        ];
        for text in accepted {
            assert_eq!(reasons(text), Vec::<String>::new(), "{text:?}");
        }
    }

    #[test]
    fn points_at_the_offending_item() {
        assert_eq!(
            reasons("entities:\n  - name\n  - city:\n      roles: [a]\n"),
            ["an item of `entities` is a mapping @city:\n      roles: [a]"]
        );
    }
}
