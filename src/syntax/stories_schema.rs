//! Rasa's schema for YAML stories and rules files (`shared/utils/schemas/stories.yml`,
//! checked with pykwalify before the file is read; spec §3.4). A file that breaks it is
//! refused whole (`YamlValidationException`): nothing in it is trained on, and `rasa data
//! validate` and `rasa train` stop.
//!
//! pykwalify reports one message per rejected alternative of a step; this reports one
//! violation per actual mistake, at the offending key or value. What the schema refuses
//! (and what it lets through for the reader to skip or crash on) was established by running
//! Rasa 3.6's own validation on each shape. The schema of Rasa 2.8 differs in one place: an
//! `or:` item may not be `slot_was_set` (RL006 reports it for Rasa 2 bots, from the model).

use std::fmt::Display;

use crate::source::Span;
use crate::yaml::{Node, Value};

/// One place the schema refuses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub span: Span,
    pub message: String,
    pub help: Option<&'static str>,
}

impl Violation {
    fn new(span: Span, message: impl Into<String>) -> Self {
        Violation {
            span,
            message: message.into(),
            help: None,
        }
    }

    fn with_help(mut self, help: &'static str) -> Self {
        self.help = Some(help);
        self
    }
}

/// Where a step is written: what the schema lets it be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    Story,
    Rule,
    /// An entry of a rule's `condition:`.
    Condition,
    /// An item of an `or:` step.
    Or,
}

/// The kinds of step the schema knows, each a closed mapping of these keys.
const USER: &[&str] = &["intent", "user", "entities"];
const ACTIVE_LOOP: &[&str] = &["active_loop"];
const ACTION: &[&str] = &["action"];
const BOT: &[&str] = &["bot"];
const SLOTS: &[&str] = &["slot_was_set"];
const CHECKPOINT: &[&str] = &["checkpoint", "slot_was_set"];
const OR: &[&str] = &["or"];

impl Place {
    fn kinds(self) -> &'static [&'static [&'static str]] {
        match self {
            Place::Story => &[USER, ACTIVE_LOOP, ACTION, BOT, SLOTS, CHECKPOINT, OR],
            Place::Rule => &[USER, ACTION, ACTIVE_LOOP, SLOTS, OR],
            Place::Condition => &[ACTIVE_LOOP, SLOTS],
            Place::Or => &[USER, SLOTS],
        }
    }

    fn what(self) -> &'static str {
        match self {
            Place::Story => "a story step",
            Place::Rule => "a rule step",
            Place::Condition => "a rule condition",
            Place::Or => "an `or` item",
        }
    }
}

/// What the checks found, and the text (an unquoted `${…}` is no string to the schema).
struct Found<'t> {
    text: &'t str,
    list: Vec<Violation>,
}

impl Found<'_> {
    fn push(&mut self, violation: Violation) {
        self.list.push(violation);
    }
}

/// Every violation of the stories schema in a file's top-level mapping (written in
/// `text`), in file order.
pub fn violations(root: &Node, text: &str) -> Vec<Violation> {
    let mut found = Found {
        text,
        list: Vec::new(),
    };
    let Some(entries) = root.as_map() else {
        return found.list;
    };
    for (key, value) in entries {
        match key.as_str() {
            Some("version") if !matches!(value.value, Value::Str(_) | Value::Null) => {
                found.push(
                    Violation::new(
                        value.span.clone(),
                        format!("`version` must be a string, not {}", value.value.kind()),
                    )
                    .with_help("quote it: `version: \"3.1\"`"),
                );
            }
            Some("stories") => items(value, "stories", "story", &mut found),
            Some("rules") => items(value, "rules", "rule", &mut found),
            _ => {}
        }
    }
    found.list
}

/// The keys a `story:` (`rule:`) item may have.
pub fn item_keys(title: &str) -> &'static [&'static str] {
    match title {
        "story" => &["story", "metadata", "steps"],
        _ => &[
            "rule",
            "metadata",
            "steps",
            "condition",
            "conversation_start",
            "wait_for_user_input",
        ],
    }
}

/// The items of `stories:` or `rules:`.
fn items(node: &Node, plural: &str, title: &str, found: &mut Found<'_>) {
    let Some(items) = list(node, &format_args!("`{plural}`"), found) else {
        return;
    };
    for item in items {
        let Some(entries) = item.as_map() else {
            found.push(Violation::new(
                item.span.clone(),
                format!("each item of `{plural}` must be a mapping with `{title}:` and `steps:`, not {}", item.value.kind()),
            ));
            continue;
        };
        for (key, value) in entries {
            let name = key.as_str().unwrap_or_default();
            if key.as_str().is_none() || !item_keys(title).contains(&name) {
                found.push(unknown_item_key(key, title));
                continue;
            }
            match name {
                "story" | "rule" => string(value, &format_args!("the {title} name"), found),
                "steps" => steps(value, place_of(title), found),
                "condition" => steps(value, Place::Condition, found),
                "conversation_start" | "wait_for_user_input"
                    if !matches!(value.value, Value::Bool(_) | Value::Null) =>
                {
                    found.push(
                        Violation::new(
                            value.span.clone(),
                            format!("`{name}` must be true or false, not {}", value.value.kind()),
                        )
                        .with_help(
                            "YAML reads only `true` and `false` as booleans (`yes` is a string)",
                        ),
                    );
                }
                _ => {}
            }
        }
    }
}

fn place_of(title: &str) -> Place {
    if title == "story" {
        Place::Story
    } else {
        Place::Rule
    }
}

fn unknown_item_key(key: &Node, title: &str) -> Violation {
    let written = key.as_str().map_or_else(
        || "a key that is no string".to_string(),
        |k| format!("`{k}`"),
    );
    let allowed = item_keys(title);
    let mut violation = Violation::new(
        key.span.clone(),
        format!(
            "{written} is not a key of a {title}: a {title} has {}",
            keys_list(allowed)
        ),
    );
    suggest(&mut violation, key, allowed.iter().copied());
    if title == "story" && key.as_str() == Some("rule") {
        violation = violation
            .with_help("rules go under the top-level `rules:` key, stories under `stories:`");
    } else if title == "story" && item_keys("rule").contains(&key.as_str().unwrap_or_default()) {
        violation = violation.with_help("`condition`, `conversation_start` and `wait_for_user_input` are for rules (under `rules:`)");
    }
    violation
}

fn keys_list(keys: &[&str]) -> String {
    let quoted: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
    quoted.join(", ")
}

/// A list (or nothing); anything else is refused.
///
/// `what` names the list in a message; it is formatted only for a violation.
fn list<'n>(node: &'n Node, what: &dyn Display, found: &mut Found<'_>) -> Option<&'n [Node]> {
    match &node.value {
        Value::Seq(items) => Some(items),
        Value::Null => None,
        other => {
            found.push(Violation::new(
                node.span.clone(),
                format!("{what} must be a list, not {}", other.kind()),
            ));
            None
        }
    }
}

/// A string (or nothing); a number or a boolean is refused, and so is an unquoted text
/// with `${…}`, which Rasa's schema pass sees as an environment variable (spec §2.4).
fn string(node: &Node, what: &dyn Display, found: &mut Found<'_>) {
    if is_env_tagged(node, found.text) {
        found.push(
            Violation::new(
                node.span.clone(),
                format!("{what} must be a string, not an unquoted `${{…}}`, which Rasa reads as an environment variable"),
            )
            .with_help("quote it: Rasa's schema refuses the tagged value, and Rasa then crashes formatting the error (TypeError)"),
        );
        return;
    }
    if !matches!(node.value, Value::Str(_) | Value::Null) {
        let help = match node.value {
            Value::Int(_) | Value::Float(_) | Value::Bool(_) => {
                Some("quote it, so that YAML reads it as text")
            }
            _ => None,
        };
        let mut violation = Violation::new(
            node.span.clone(),
            format!("{what} must be a string, not {}", node.value.kind()),
        );
        violation.help = help;
        found.push(violation);
    }
}

/// The steps under `steps:` (`condition:`, `or:`).
fn steps(node: &Node, place: Place, found: &mut Found<'_>) {
    let what = match place {
        Place::Condition => "`condition`",
        Place::Or => "`or`",
        _ => "`steps`",
    };
    for step in list(node, &what, found).unwrap_or_default() {
        self::step(step, place, found);
    }
}

/// One step: a mapping whose keys are those of one kind of step, with values of the
/// right types.
fn step(node: &Node, place: Place, found: &mut Found<'_>) {
    let Some(entries) = node.as_map() else {
        found.push(Violation::new(
            node.span.clone(),
            format!(
                "{} must be a mapping such as `- intent: greet`, not {}",
                place.what(),
                node.value.kind()
            ),
        ));
        return;
    };
    let kinds = place.kinds();
    let mut unknown = false;
    for (key, _) in entries {
        let name = key.as_str();
        if !name.is_some_and(|n| kinds.iter().any(|k| k.contains(&n))) {
            unknown = true;
            found.push(unknown_step_key(key, place));
        }
    }
    if unknown {
        return;
    }
    let keys = || entries.iter().filter_map(|(k, _)| k.as_str());
    if !kinds.iter().any(|kind| keys().all(|k| kind.contains(&k))) {
        let quoted: Vec<String> = keys().map(|k| format!("`{k}`")).collect();
        found.push(
            Violation::new(
                node.span.clone(),
                format!(
                    "{} can be only one thing, but this one has {}",
                    place.what(),
                    quoted.join(" and ")
                ),
            )
            .with_help("write each as a step of its own (`- intent: …`, then `- action: …`)"),
        );
        return;
    }
    for (key, value) in entries {
        step_value(key.as_str().unwrap_or_default(), value, found);
    }
}

fn unknown_step_key(key: &Node, place: Place) -> Violation {
    let name = key.as_str();
    let written = name.map_or_else(
        || "a key that is no string".to_string(),
        |k| format!("`{k}`"),
    );
    let why = match (place, name) {
        (Place::Rule, Some("bot" | "checkpoint")) => format!("rules cannot have {written} steps"),
        (Place::Condition, Some(_)) => {
            format!("a rule's condition can only be `active_loop` or `slot_was_set`, not {written}")
        }
        (Place::Or, Some(_)) => {
            format!(
                "an `or` item can only be a user step (`intent`) or `slot_was_set`, not {written}"
            )
        }
        (_, Some("metadata")) => format!("{written} is not allowed on a step"),
        _ => format!("{written} is no key of {}", place.what()),
    };
    let mut violation = Violation::new(key.span.clone(), why);
    let keys = place.kinds().iter().flat_map(|k| k.iter().copied());
    suggest(&mut violation, key, keys);
    violation
}

/// Adds "did you mean" to a violation about an unknown key, when one is close.
fn suggest<'k>(violation: &mut Violation, key: &Node, known: impl IntoIterator<Item = &'k str>) {
    let suggestion = key.as_str().and_then(|k| crate::suggest::closest(k, known));
    if let Some(suggestion) = suggestion {
        violation
            .message
            .push_str(&format!(" (did you mean `{suggestion}`?)"));
    }
}

/// The value of one key of a step whose keys are right.
fn step_value(key: &str, value: &Node, found: &mut Found<'_>) {
    match key {
        "intent" | "user" | "active_loop" | "action" | "bot" | "checkpoint" => {
            string(value, &format_args!("`{key}`"), found)
        }
        "entities" => {
            for item in list(value, &"`entities`", found).unwrap_or_default() {
                entity(item, found);
            }
        }
        // Rasa's schema lets any item through (the reader then skips the ones that are
        // neither a name nor a mapping).
        "slot_was_set" => {
            list(value, &"`slot_was_set`", found);
        }
        "or" => steps(value, Place::Or, found),
        _ => {}
    }
}

/// An item of `entities:`: an entity type, or a mapping whose `role` and `group` are
/// strings.
fn entity(item: &Node, found: &mut Found<'_>) {
    match &item.value {
        Value::Str(_) | Value::Null => {}
        Value::Map(entries) => {
            for (key, value) in entries {
                if let Some(label @ ("role" | "group")) = key.as_str() {
                    string(value, &format_args!("the entity's `{label}`"), found);
                }
            }
        }
        other => found.push(Violation::new(
            item.span.clone(),
            format!(
                "an item of `entities` must be an entity type or `type: value`, not {}",
                other.kind()
            ),
        )),
    }
}

/// A plain scalar Rasa's resolver tags as an environment variable.
fn is_env_tagged(node: &Node, text: &str) -> bool {
    matches!(&node.value, Value::Str(s) if crate::syntax::yaml_env::is_env_scalar(s))
        && crate::syntax::yaml_scalar::style(text, node) == crate::syntax::yaml_scalar::Style::Plain
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(text: &str) -> Vec<String> {
        let root = crate::yaml::parse(text).expect("valid YAML");
        violations(&root, text)
            .into_iter()
            .map(|v| v.message)
            .collect()
    }

    #[test]
    fn an_unquoted_environment_variable_is_no_string() {
        let text = "stories:\n- story: s\n  steps:\n  - intent: \"${A}\"\n  - action: utter_${A}\n";
        assert_eq!(
            messages(text),
            [
                "`action` must be a string, not an unquoted `${…}`, which Rasa reads as an environment variable"
            ]
        );
    }

    #[test]
    fn a_valid_file_has_no_violations() {
        let text = "version: \"3.1\"\nstories:\n- story: s\n  metadata: {a: 1}\n  steps:\n  - intent: greet\n    entities: [city, {city: x, role: to}]\n  - action: utter_greet\n  - bot: hi\n  - slot_was_set: [name, {a: 1}, null]\n  - checkpoint: c\n    slot_was_set: [{a: 1}]\n  - or: [{intent: a}, {slot_was_set: [b]}]\n  - active_loop: null\n  - {}\nrules:\n- rule: r\n  conversation_start: true\n  condition: [{active_loop: f}, {slot_was_set: [a]}]\n  steps: [{intent: a}, {action: b}]\n- steps: []\nother: 1\n";
        assert_eq!(messages(text), Vec::<String>::new());
    }

    #[test]
    fn each_mistake_is_one_violation() {
        let text = "version: 3.1\nstories:\n- story: s\n  stepz: []\n  steps:\n  - intent: greet\n    action: utter_greet\n  - action: 123\n  - metadata: {}\n  - null\n- rule: r\nrules:\n- rule: r\n  conversation_start: \"yes\"\n  condition: [{intent: greet}]\n  steps: [{bot: hi}, {or: [{action: x}]}]\n";
        assert_eq!(
            messages(text),
            [
                "`version` must be a string, not a number",
                "`stepz` is not a key of a story: a story has `story`, `metadata`, `steps` (did you mean `steps`?)",
                "a story step can be only one thing, but this one has `intent` and `action`",
                "`action` must be a string, not an integer",
                "`metadata` is not allowed on a step",
                "a story step must be a mapping such as `- intent: greet`, not empty (null)",
                "`rule` is not a key of a story: a story has `story`, `metadata`, `steps`",
                "`conversation_start` must be true or false, not a string",
                "a rule's condition can only be `active_loop` or `slot_was_set`, not `intent`",
                "rules cannot have `bot` steps",
                "an `or` item can only be a user step (`intent`) or `slot_was_set`, not `action`",
            ]
        );
    }

    #[test]
    fn wrong_containers_are_refused() {
        assert_eq!(
            messages("stories: {a: 1}\nrules:\n- hello\n"),
            [
                "`stories` must be a list, not a mapping",
                "each item of `rules` must be a mapping with `rule:` and `steps:`, not a string"
            ]
        );
        assert_eq!(
            messages(
                "stories:\n- story: s\n  steps:\n  - intent: a\n    entities: [5, {role: 5}]\n  - slot_was_set: [5, [a], true]\n  - slot_was_set: x\n"
            ),
            [
                "an item of `entities` must be an entity type or `type: value`, not an integer",
                "the entity's `role` must be a string, not an integer",
                "`slot_was_set` must be a list, not a string",
            ]
        );
    }
}
