//! What Rasa 2.8 and 3.6 refuse in a YAML NLU file before reading it: the NLU schema and
//! the responses schema (`rasa/shared/nlu/training_data/schemas/nlu.yml` and
//! `responses.yml`, checked with pykwalify; spec §3.1–3.3), and duplicate mapping keys,
//! which ruamel refuses at any depth (§2.3). Any of them makes Rasa refuse the whole file.
//!
//! pykwalify reports every alternative a list item fails (an `examples` list of strings
//! gives four messages); here each mistake is one violation, at the node that is wrong,
//! judged against the alternative the item's naming key (`intent`, `synonym`, …) selects.
//! The responses part is the one the domain schema includes too.

use crate::source::Span;
use crate::syntax::yaml_env::is_env_scalar;
use crate::syntax::yaml_scalar::{Style, style};
use crate::yaml::{Node, Value};

/// One place a schema refuses, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub span: Span,
    pub message: String,
}

/// The keys that name an NLU item, in the order Rasa's reader tries them.
pub const NAMING_KEYS: [&str; 4] = ["intent", "synonym", "regex", "lookup"];

/// Every violation of the NLU schema (§3.2) in a file's top-level mapping: `version`, the
/// items of `nlu`, and `responses`. Other top-level keys are allowed.
pub fn nlu_file_violations(entries: &[(Node, Node)], text: &str) -> Vec<Violation> {
    let mut cx = Cx {
        text,
        found: Vec::new(),
    };
    let cx = &mut cx;
    for (key, value) in entries {
        match key.as_str() {
            Some("version") if !cx.is_str(value) => cx.found.push(wrong(
                value,
                "`version` must be a string",
                ": write it in quotes, as `version: \"3.1\"`",
            )),
            Some("nlu") => nlu_items(value, cx),
            Some("responses") => responses(value, cx),
            _ => {}
        }
    }
    std::mem::take(&mut cx.found)
}

/// What the checks share: the text (a plain scalar's style matters) and what they found.
struct Cx<'t> {
    text: &'t str,
    found: Vec<Violation>,
}

impl Cx<'_> {
    /// pykwalify's `str`: a string, or nothing (values are nullable). A plain scalar with
    /// `${…}` in it is no string to the schema: Rasa's resolver tags it as an
    /// environment variable (spec §2.4).
    fn is_str(&self, node: &Node) -> bool {
        match &node.value {
            Value::Null => true,
            Value::Str(s) => !(is_env_scalar(s) && style(self.text, node) == Style::Plain),
            _ => false,
        }
    }
}

fn nlu_items(node: &Node, cx: &mut Cx) {
    let items = match &node.value {
        Value::Null => return,
        Value::Seq(items) => items,
        _ => {
            return cx
                .found
                .push(wrong(node, "`nlu` must be a list of items", ""));
        }
    };
    for item in items {
        match item.as_map() {
            Some(entries) => nlu_item(entries, cx),
            None => cx.found.push(wrong(
                item,
                "an `nlu` item must be a mapping such as `- intent: greet`",
                "",
            )),
        }
    }
}

/// One item, against the alternative its first naming key selects (an item with none of
/// them may have the keys of an intent item).
fn nlu_item(entries: &[(Node, Node)], cx: &mut Cx) {
    let naming = NAMING_KEYS
        .into_iter()
        .find(|name| entries.iter().any(|(k, _)| k.as_str() == Some(name)));
    let allowed: &[&str] = match naming {
        None | Some("intent") => &["intent", "metadata", "examples"],
        Some(name) => &[name, "examples"][..],
    };
    let kind = naming.unwrap_or("nlu");
    for (key, value) in entries {
        let Some(name) = key.as_str() else {
            cx.found.push(Violation {
                span: key.span.clone(),
                message: format!("`{}` is not a key of an `{kind}` item", scalar_text(key)),
            });
            continue;
        };
        match name {
            _ if !allowed.contains(&name) => {
                cx.found.push(unknown_nlu_key(key, name, kind, allowed))
            }
            "examples" if naming.is_none_or(|n| n == "intent") => intent_examples(value, cx),
            "examples" if !cx.is_str(value) => cx.found.push(wrong(
                value,
                &format!(
                    "the examples of a `{kind}` item must be a block of `- ` lines (`examples: |`)"
                ),
                "",
            )),
            "examples" | "metadata" => {}
            _ if !cx.is_str(value) => cx.found.push(wrong(
                value,
                &format!("the name after `{name}:` must be a string"),
                ": write it in quotes",
            )),
            _ => {}
        }
    }
}

fn unknown_nlu_key(key: &Node, name: &str, kind: &str, allowed: &[&str]) -> Violation {
    let message = if NAMING_KEYS.contains(&name) {
        format!(
            "an `nlu` item is one of `intent`, `synonym`, `regex` and `lookup`: this `{kind}` item cannot also be a `{name}`"
        )
    } else {
        format!(
            "`{name}` is not a key of an `{kind}` item{}: it takes only {}",
            did_you_mean(name, allowed),
            list(allowed)
        )
    };
    Violation {
        span: key.span.clone(),
        message,
    }
}

/// An intent's `examples`: a string, nothing, or a list of `{text, metadata}` mappings.
fn intent_examples(node: &Node, cx: &mut Cx) {
    let items = match &node.value {
        Value::Null | Value::Str(_) => return,
        Value::Seq(items) => items,
        _ => {
            let what = "`examples` must be a block of `- ` lines (`examples: |`) or a list of `- text:` items";
            return cx.found.push(wrong(node, what, ""));
        }
    };
    for item in items {
        let Some(entries) = item.as_map() else {
            let tail = match item.value {
                Value::Str(_) => ": write `examples: |` and the examples as `- ` lines under it",
                _ => "",
            };
            let what = "an example in a list must be a mapping such as `- text: hello`";
            cx.found.push(wrong(item, what, tail));
            continue;
        };
        for (key, value) in entries {
            match key.as_str() {
                Some("text") if !cx.is_str(value) => cx.found.push(wrong(
                    value,
                    "`text` must be a string",
                    ": write it in quotes",
                )),
                Some("text" | "metadata") => {}
                _ => cx.found.push(unknown_key(key, "an example", EXAMPLE_KEYS)),
            }
        }
    }
}

const EXAMPLE_KEYS: &[&str] = &["text", "metadata"];

/// The keys a response variation may have (`id` only in Rasa 3).
const VARIATION_KEYS: &[&str] = &[
    "id",
    "text",
    "image",
    "custom",
    "buttons",
    "button_type",
    "quick_replies",
    "attachment",
    "elements",
    "channel",
    "metadata",
    "condition",
];

const CONDITION_KEYS: &[&str] = &["type", "name", "value"];

/// Every violation of the responses schema (§3.3) in a `responses` value.
fn responses(node: &Node, cx: &mut Cx) {
    let Some(entries) = node.as_map() else {
        let what = "`responses` must be a mapping of response names to their variations";
        return cx.found.push(wrong(node, what, ""));
    };
    for (name, variations) in entries {
        let name = scalar_text(name);
        match &variations.value {
            Value::Seq(items) => {
                for item in items {
                    variation(&name, item, cx);
                }
            }
            Value::Null => cx.found.push(Violation {
                span: variations.span.clone(),
                message: format!("response `{name}` has nothing after its `:`: Rasa refuses an empty response (write its variations, or `[]`)"),
            }),
            _ => {
                let what = format!("response `{name}` must be a list of variations (`- text: …`)");
                cx.found.push(wrong(variations, &what, ""));
            }
        }
    }
}

fn variation(response: &str, node: &Node, cx: &mut Cx) {
    let Some(entries) = node.as_map() else {
        let what = format!("a variation of `{response}` must be a mapping such as `- text: …`");
        return cx.found.push(wrong(node, &what, ""));
    };
    for (key, value) in entries {
        let Some(name) = key.as_str().filter(|k| VARIATION_KEYS.contains(k)) else {
            cx.found
                .push(unknown_key(key, "a response variation", VARIATION_KEYS));
            continue;
        };
        variation_value(name, value, cx);
    }
    // pykwalify's extension `require_response_keys`.
    let text = node.get("text").filter(|t| !t.is_null());
    let custom = node.get("custom").filter(|c| c.is_truthy());
    if text.is_none() && custom.is_none() {
        cx.found.push(Violation {
            span: node.span.clone(),
            message: format!("this variation of `{response}` has no `text` (nor a `custom` payload), which Rasa requires"),
        });
    }
}

fn variation_value(key: &str, value: &Node, cx: &mut Cx) {
    let must_be = |expected: &str| wrong(value, &format!("`{key}` must be {expected}"), "");
    match key {
        "id" | "text" | "image" | "button_type" | "channel" if !cx.is_str(value) => {
            cx.found.push(must_be("a string"))
        }
        // A mapping is never null to pykwalify.
        "custom" | "attachment" if value.as_map().is_none() => cx.found.push(must_be("a mapping")),
        "buttons" | "quick_replies" => {
            for button in list_items(key, value, cx) {
                buttons_item(key, button, cx);
            }
        }
        "elements" => {
            list_items(key, value, cx);
        }
        "condition" => {
            for condition in list_items(key, value, cx) {
                condition_item(condition, cx);
            }
        }
        _ => {}
    }
}

/// The items of a list value (nothing when it is null); anything else is reported.
fn list_items<'n>(key: &str, value: &'n Node, cx: &mut Cx) -> &'n [Node] {
    match &value.value {
        Value::Seq(items) => items,
        Value::Null => &[],
        _ => {
            cx.found
                .push(wrong(value, &format!("`{key}` must be a list"), ""));
            &[]
        }
    }
}

fn buttons_item(key: &str, node: &Node, cx: &mut Cx) {
    let Some(entries) = node.as_map() else {
        let what = format!("an item of `{key}` must be a mapping with `title` and `payload`");
        return cx.found.push(wrong(node, &what, ""));
    };
    for (k, v) in entries {
        if let Some(name @ ("title" | "payload")) = k.as_str()
            && !cx.is_str(v)
        {
            let hint = if name == "payload" && v.as_map().is_some() {
                ": write the payload as a string, such as `'/inform{\"city\": \"Paris\"}'`"
            } else {
                ": write it in quotes"
            };
            cx.found
                .push(wrong(v, &format!("`{name}` must be a string"), hint));
        }
    }
}

fn condition_item(node: &Node, cx: &mut Cx) {
    let Some(entries) = node.as_map() else {
        let what = "a `condition` must be a mapping such as `- type: slot`, `name: …`, `value: …`";
        return cx.found.push(wrong(node, what, ""));
    };
    for (k, v) in entries {
        match k.as_str() {
            Some(name @ ("type" | "name")) if !cx.is_str(v) => {
                cx.found
                    .push(wrong(v, &format!("`{name}` must be a string"), ""))
            }
            Some("type" | "name" | "value") => {}
            _ => cx.found.push(unknown_key(k, "a condition", CONDITION_KEYS)),
        }
    }
}

/// A violation at `node`: "`what`, not <its kind>`tail`".
fn wrong(node: &Node, what: &str, tail: &str) -> Violation {
    let kind = match &node.value {
        // Only an unquoted one reaches here.
        Value::Str(s) if is_env_scalar(s) => {
            "an unquoted `${…}`, which Rasa reads as an environment variable"
        }
        other => other.kind(),
    };
    Violation {
        span: node.span.clone(),
        message: format!("{what}, not {kind}{tail}"),
    }
}

fn unknown_key(key: &Node, of: &str, allowed: &[&str]) -> Violation {
    let name = scalar_text(key);
    Violation {
        span: key.span.clone(),
        message: format!(
            "`{name}` is not a key of {of}{}",
            did_you_mean(&name, allowed)
        ),
    }
}

/// " (did you mean `x`?)" for the allowed key closest to a misspelt one, if one is close.
fn did_you_mean(name: &str, allowed: &[&str]) -> String {
    crate::suggest::closest(name, allowed.iter().copied())
        .map(|k| format!(" (did you mean `{k}`?)"))
        .unwrap_or_default()
}

/// Every key that repeats an earlier key of the same mapping, anywhere below `node`:
/// (the repetition, the first one, the key as written).
pub fn duplicate_keys_below(node: &Node) -> Vec<(Span, Span, String)> {
    crate::yaml::duplicate_keys_below(node)
        .into_iter()
        .map(|(again, first)| (again.span.clone(), first.span.clone(), scalar_text(again)))
        .collect()
}

/// A scalar as written in messages: its string, or its YAML text.
pub fn scalar_text(node: &Node) -> String {
    match &node.value {
        Value::Str(s) => s.to_string(),
        Value::Null => "null".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Seq(_) | Value::Map(_) => node.value.kind().to_string(),
    }
}

/// `a`, `a` and `b`, `a`, `b` and `c`.
fn list(keys: &[&str]) -> String {
    let quoted: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => quoted.concat(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml;

    fn violations(text: &str) -> Vec<String> {
        let root = yaml::parse(text).expect("valid YAML");
        nlu_file_violations(root.as_map().unwrap_or_default(), text)
            .into_iter()
            .map(|v| format!("{} @{}", v.message, &text[v.span]))
            .collect()
    }

    /// Each case was run through Rasa 3.6.21's `validate_yaml_schema` with the NLU schema:
    /// these pass.
    #[test]
    fn accepts_what_rasa_accepts() {
        let accepted = [
            "nlu:\n",
            "nlu: []\nother: 5\n",
            "version:\nnlu: []\n",
            "nlu:\n- {}\n",
            "nlu:\n- intent:\n  examples: |\n    - hi\n",
            "nlu:\n- intent: a\n  examples:\n",
            "nlu:\n- intent: a\n  examples:\n  - text:\n",
            "nlu:\n- intent: a\n  examples:\n  - {}\n",
            "nlu:\n- intent: a\n  examples: \"- x\"\n  metadata:\n",
            "nlu:\n- regex: a\n  examples:\n",
            "nlu:\n- intent: \"\"\n  examples: |\n    - x\n",
            "responses: {}\n",
            "responses:\n  utter_a: []\n",
            "responses:\n  utter_a:\n  - text: hi\n    id: x\n",
            "responses:\n  utter_a:\n  - text: hi\n    custom: {}\n",
            "responses:\n  utter_a:\n  - custom: {a: 1}\n",
            "responses:\n  utter_a:\n  - text: a\n    elements:\n    - 5\n",
            "responses:\n  utter_a:\n  - text: a\n    buttons:\n",
            "responses:\n  utter_a:\n  - text: a\n    condition:\n    - {}\n",
            "responses:\n  utter_a:\n  - text: a\n    buttons:\n    - title: a\n      payload: b\n      extra: 3\n",
            "responses:\n  5:\n  - text: a\n",
            "nlu:\n- intent: \"a_${X}\"\n  metadata: ${X}\n  examples: |\n    - ${X}\n",
        ];
        for text in accepted {
            assert_eq!(violations(text), Vec::<String>::new(), "{text:?}");
        }
    }

    /// And Rasa refuses these, each for one reason.
    #[test]
    fn refuses_what_rasa_refuses() {
        let refused = [
            ("version: 3.1\nnlu: []\n", "3.1"),
            ("nlu: {}\n", "{}"),
            ("nlu:\n-\n", ""),
            ("nlu:\n- 5\n", "5"),
            ("nlu:\n- intent: a\n  examples:\n  -\n", ""),
            ("nlu:\n- intent: a\n  examples:\n  - hi\n", "hi"),
            ("nlu:\n- intent: a\n  synonym: b\n", "synonym"),
            ("nlu:\n- intent: a\n  exmaples: b\n", "exmaples"),
            ("nlu:\n- synonym: a\n  metadata: b\n", "metadata"),
            ("nlu:\n- intent: 5\n  examples: |\n    - x\n", "5"),
            ("nlu:\n- intent: true\n  examples: |\n    - x\n", "true"),
            ("nlu:\n- intent: a\n  examples: 5\n", "5"),
            ("nlu:\n- intent: a\n  examples:\n  - text: 5\n", "5"),
            (
                "nlu:\n- intent: a\n  examples:\n  - text: a\n    foo: 1\n",
                "foo",
            ),
            ("nlu:\n- intent: a\n  5: x\n", "5"),
            ("nlu:\n- intent: a_${X}\n", "a_${X}"),
            (
                "responses:\n  utter_a:\n  - text: Total ${X} euros\n",
                "Total ${X} euros",
            ),
            ("nlu:\n- regex: a\n  examples:\n  - x\n", "x"),
            ("responses:\n", ""),
            ("responses: 5\n", "5"),
            ("responses:\n  - a\n", "- a"),
            ("responses:\n  utter_a:\n", ""),
            ("responses:\n  utter_a: 5\n", "5"),
            ("responses:\n  utter_a:\n    text: a\n", "text: a"),
            ("responses:\n  utter_a:\n  -\n", ""),
            ("responses:\n  utter_a:\n  - hello\n", "hello"),
            ("responses:\n  utter_a:\n  - {}\n", "{}"),
            ("responses:\n  utter_a:\n  - image: x\n", "image: x"),
            (
                "responses:\n  utter_a:\n  - custom: {}\n    text:\n",
                "custom: {}\n    text",
            ),
            ("responses:\n  utter_a:\n  - text: [a]\n", "[a]"),
            (
                "responses:\n  utter_a:\n  - text: a\n    video: x\n",
                "video",
            ),
            ("responses:\n  utter_a:\n  - text: a\n    custom:\n", ""),
            (
                "responses:\n  utter_a:\n  - text: a\n    attachment: 5\n",
                "5",
            ),
            ("responses:\n  utter_a:\n  - text: a\n    buttons: x\n", "x"),
            (
                "responses:\n  utter_a:\n  - text: a\n    buttons:\n    - x\n",
                "x",
            ),
            (
                "responses:\n  utter_a:\n  - text: a\n    buttons:\n    -\n",
                "",
            ),
            (
                "responses:\n  utter_a:\n  - text: hi\n    buttons:\n    - title: a\n      payload: {a: 1}\n",
                "{a: 1}",
            ),
            (
                "responses:\n  utter_a:\n  - text: a\n    elements: 5\n",
                "5",
            ),
            (
                "responses:\n  utter_a:\n  - text: a\n    condition:\n    -\n",
                "",
            ),
            (
                "responses:\n  utter_a:\n  - text: a\n    condition:\n    - type: slot\n      extra: 2\n",
                "extra",
            ),
        ];
        for (text, at) in refused {
            let found = violations(text);
            assert_eq!(found.len(), 1, "{text:?}: {found:?}");
            assert!(found[0].ends_with(&format!("@{at}")), "{text:?}: {found:?}");
        }
    }

    #[test]
    fn messages_name_the_mistake() {
        assert_eq!(
            violations("nlu:\n- intent: a\n  exmaples: |\n    - x\n"),
            [
                "`exmaples` is not a key of an `intent` item (did you mean `examples`?): it takes only `intent`, `metadata` and `examples` @exmaples"
            ]
        );
        assert_eq!(
            violations("version: 3.1\n"),
            [
                "`version` must be a string, not a number: write it in quotes, as `version: \"3.1\"` @3.1"
            ]
        );
    }

    #[test]
    fn duplicate_keys_are_found_at_any_depth() {
        let text = "nlu:\n- intent: a\n  examples: |\n    - x\n  intent: b\n- {1: x, 1.0: y}\n";
        let root = yaml::parse(text).expect("valid YAML");
        let found: Vec<(&str, &str)> = duplicate_keys_below(&root)
            .iter()
            .map(|(again, first, _)| (&text[again.clone()], &text[first.clone()]))
            .collect();
        assert_eq!(found, [("intent", "intent"), ("1.0", "1")]);
    }
}
