//! A Rasa 1.x `domain.yml` rewritten for Rasa 3.6 by small edits of its text (comments and
//! order kept): `version: "3.1"`; `templates:` renamed `responses:` and string variations
//! written `text: …`; intent `triggers` (MappingPolicy) taken out, each returned for the
//! rule that replaces it (written by [`trigger_rules`]); slots given the `mappings` 3.x requires (the mappings of a 2.x form
//! definition moved to the slot, as `rasa data migrate` does; else `from_entity` where an
//! entity of the slot's name filled it by auto-fill; else a `custom` mapping and a note),
//! `unfeaturized` slots as `any`, `auto_fill` taken out; forms with `required_slots`;
//! `respond_*` retrieval actions as `utter_*`; and the session configuration 1.x used
//! without one (sessions never expire) written out, as Rasa 3's default is 60 minutes.

use rustc_hash::FxHashSet;

use crate::convert::Notes;
use crate::convert::edits::{Edits, after_line, column, line_start, starts_line};
use crate::convert::yaml_out::scalar;
use crate::source::FileId;
use crate::yaml::{Node, Value};

/// What converting the domain gave.
#[derive(Debug)]
pub struct DomainConversion {
    pub text: String,
    pub notes: Notes,
    pub intents: usize,
    pub slots: usize,
    pub forms: usize,
    pub responses: usize,
    /// The MappingPolicy triggers taken out: (intent, action), in the domain's order.
    pub triggers: Vec<(String, String)>,
}

impl DomainConversion {
    fn new(file: FileId) -> Self {
        DomainConversion {
            text: String::new(),
            notes: Notes::new(file),
            intents: 0,
            slots: 0,
            forms: 0,
            responses: 0,
            triggers: Vec::new(),
        }
    }
}

/// Slot properties Rasa 3.6 accepts (any other is a `TypeError` when the slot is built).
const SLOT_KEYS_3: &[&str] = &[
    "type",
    "initial_value",
    "influence_conversation",
    "value_reset_delay",
    "mappings",
    "values",
    "min_value",
    "max_value",
];

/// Slot types of Rasa 3.6.
const SLOT_TYPES_3: &[&str] = &["text", "bool", "categorical", "float", "list", "any"];

struct Converter<'a> {
    text: &'a str,
    edits: Edits,
    out: DomainConversion,
}

/// Converts the domain `text` (whose YAML tree is `root`). `retrieval_actions` are the
/// retrieval actions (`utter_faq`) the converted responses give the bot: Rasa 3 adds each
/// to the domain itself, so a 1.x `respond_faq` is taken out rather than renamed (listed
/// twice, Rasa warns of a duplicate).
pub fn convert_domain(
    file: FileId,
    text: &str,
    root: &Node,
    retrieval_actions: &FxHashSet<String>,
) -> DomainConversion {
    let mut c = Converter {
        text,
        edits: Edits::default(),
        out: DomainConversion::new(file),
    };
    let Some(entries) = root.as_map() else {
        c.out.notes.decide(
            None,
            "the domain is not a mapping of keys (or is empty): nothing to convert".into(),
        );
        c.out.text = text.to_string();
        return c.out;
    };
    version(&mut c, root);
    let entities: FxHashSet<&str> = names_of(root.get("entities"));
    let forms = forms(&mut c, root);
    responses(&mut c, root);
    intents(&mut c, root);
    slots(&mut c, root, &entities, &forms);
    actions(&mut c, root, retrieval_actions);
    if root.get("session_config").is_none() {
        let end = if text.is_empty() || text.ends_with('\n') {
            ""
        } else {
            "\n"
        };
        c.edits.insert(
            text.len(),
            format!(
                "{end}session_config:\n  # Rasa 1.x without a session_config never ended a session; Rasa 3's default is 60 minutes.\n  session_expiration_time: 0\n  carry_over_slots_to_new_session: true\n"
            ),
        );
        c.out.notes.change(
            None,
            "no `session_config`: Rasa 1.x then never expires sessions (session_expiration_time 0), Rasa 3 after 60 minutes; the 1.x behaviour is written out".into(),
        );
    }
    c.out.intents = root
        .get("intents")
        .and_then(Node::as_seq)
        .map_or(0, <[_]>::len);
    let _ = entries;
    let (converted, skipped) = std::mem::take(&mut c.edits).apply(text);
    if !skipped.is_empty() {
        c.out.notes.decide(
            None,
            format!(
                "{} edits of the domain overlapped and were left out; check the converted domain",
                skipped.len()
            ),
        );
    }
    c.out.text = converted;
    c.out
}

/// Names listed in a sequence (strings, or the single key of a mapping item).
fn names_of(node: Option<&Node>) -> FxHashSet<&str> {
    node.and_then(Node::as_seq)
        .into_iter()
        .flatten()
        .filter_map(item_name)
        .collect()
}

/// The name of a list item: a string, or a one-key mapping's key.
fn item_name(item: &Node) -> Option<&str> {
    match &item.value {
        Value::Str(s) => Some(s),
        Value::Map(entries) => entries.first()?.0.as_str(),
        _ => None,
    }
}

/// `version: "3.1"`, in place of a version key or as the first line.
fn version(c: &mut Converter, root: &Node) {
    let existing = root
        .as_map()
        .into_iter()
        .flatten()
        .find(|(k, _)| k.as_str() == Some("version"));
    match existing {
        Some((_, value)) if !value.span.is_empty() => {
            c.edits.replace(value.span.clone(), "\"3.1\"");
        }
        _ => {
            let at = if c.text.starts_with("---") || c.text.starts_with('%') {
                after_line(c.text, 0)
            } else {
                0
            };
            c.edits.insert(at, "version: \"3.1\"\n");
        }
    }
}

/// `templates:` → `responses:`, and string variations as `text: …`.
fn responses(c: &mut Converter, root: &Node) {
    let map = root.as_map().unwrap_or_default();
    let templates = map.iter().find(|(k, _)| k.as_str() == Some("templates"));
    let responses = map.iter().find(|(k, _)| k.as_str() == Some("responses"));
    let used = match (templates, responses) {
        (Some((key, value)), None) => {
            c.edits.replace(key.span.clone(), "responses");
            c.out.notes.change(
                Some(key.span.clone()),
                "`templates:` renamed `responses:` (Rasa 3 ignores `templates:`)".into(),
            );
            Some(value)
        }
        (Some((key, value)), Some((other, _))) => {
            c.edits
                .replace(other.span.clone(), "responses_not_read_by_rasa_1");
            c.edits.replace(key.span.clone(), "responses");
            c.out.notes.decide(
                Some(other.span.clone()),
                "the domain has both `templates:` and `responses:`; Rasa 1.x read only `templates:`, which is now `responses:`; the old `responses:` is kept as `responses_not_read_by_rasa_1:` for a person to merge or delete".into(),
            );
            Some(value)
        }
        (None, Some((_, value))) => Some(value),
        (None, None) => None,
    };
    let Some(responses) = used.and_then(Node::as_map) else {
        return;
    };
    c.out.responses = responses.len();
    for (name, variations) in responses {
        let name = name.as_str().unwrap_or_default().to_string();
        for variation in variations.as_seq().unwrap_or_default() {
            if !matches!(variation.value, Value::Str(_)) {
                continue;
            }
            let written = &c.text[variation.span.clone()];
            let one_line = !written.contains('\n') && !written.is_empty();
            let after_dash = c.text[..variation.span.start]
                .trim_end_matches(' ')
                .ends_with('-');
            if one_line && after_dash {
                c.edits.insert(variation.span.start, "text: ");
            } else {
                c.out.notes.decide(
                    Some(variation.span.clone()),
                    format!(
                        "a variation of response `{name}` is a plain string; Rasa 3 needs `- text: …`: rewrite it so"
                    ),
                );
            }
        }
    }
}

/// Intents: `triggers` taken out (each a rule to write).
fn intents(c: &mut Converter, root: &Node) {
    for item in root
        .get("intents")
        .and_then(Node::as_seq)
        .unwrap_or_default()
    {
        let Some([(name, properties)]) = item.as_map() else {
            continue;
        };
        let Some(triggers) = properties.get("triggers") else {
            continue;
        };
        let intent = name.as_str().unwrap_or_default();
        let action = triggers.python_str().unwrap_or_default();
        let mut kept = properties.to_json();
        if let Some(map) = kept.as_object_mut() {
            map.remove("triggers");
        }
        let replacement = match kept.as_object() {
            Some(map) if !map.is_empty() => format!("{}: {}", scalar(intent), kept),
            _ => scalar(intent),
        };
        c.edits.replace(item.span.clone(), replacement);
        c.out.notes.change(
            Some(triggers.span.clone()),
            format!(
                "intent `{intent}` triggered `{action}` (MappingPolicy, gone in Rasa 3): written as the rule `{}` in {TRIGGER_RULES_FILE}, as Rasa 2's own migration wrote it",
                trigger_rule_name(intent, &action)
            ),
        );
        c.out.triggers.push((intent.to_string(), action));
    }
}

/// Where the rules that replace the MappingPolicy triggers are written, under the bot.
pub const TRIGGER_RULES_FILE: &str = "data/rules.yml";

/// The rule that replaces a trigger, named as Rasa 2's `rasa data convert config` named it.
fn trigger_rule_name(intent: &str, action: &str) -> String {
    format!("Rule to map `{intent}` intent to `{action}` (automatic conversion)")
}

/// The rules file that replaces the MappingPolicy `triggers` of a domain: per trigger, a
/// rule with the steps `- intent: X` and `- action: Y` (what MappingPolicy did: run Y
/// whenever X is predicted, then listen).
pub fn trigger_rules(triggers: &[(String, String)]) -> String {
    let mut out = String::from(
        "version: \"3.1\"\n# rasalint convert: the MappingPolicy `triggers` of the Rasa 1.x domain, as rules (RulePolicy).\nrules:\n",
    );
    for (intent, action) in triggers {
        out.push_str(&format!(
            "- rule: {}\n  steps:\n  - intent: {}\n  - action: {}\n",
            scalar(&trigger_rule_name(intent, action)),
            scalar(intent),
            scalar(action)
        ));
    }
    out
}

/// A 2.x form's slot mappings for one slot, as JSON mappings with their conditions.
type FormMappings = Vec<(String, Vec<serde_json::Value>)>;

/// Forms: a 1.x list of names becomes a mapping of forms with `required_slots` (empty,
/// and a note: the slots are in the FormAction's code); a 2.x mapping gets its slots as a
/// list, and its slot mappings are returned for the slots.
fn forms(c: &mut Converter, root: &Node) -> FormMappings {
    let mut moved: FormMappings = Vec::new();
    let Some((key, value)) = root
        .as_map()
        .into_iter()
        .flatten()
        .find(|(k, _)| k.as_str() == Some("forms"))
    else {
        return moved;
    };
    let mut block = String::new();
    match &value.value {
        Value::Seq(items) => {
            for item in items {
                let Some(name) = item.as_str() else {
                    continue;
                };
                c.out.forms += 1;
                block.push_str(&format!("\n  {}:\n    required_slots: []", scalar(name)));
                c.out.notes.decide(
                    Some(item.span.clone()),
                    format!(
                        "form `{name}` is a Rasa 1.x FormAction: its required slots and their slot mappings are in the action's Python code (`required_slots`, `slot_mappings`); list the slots under `required_slots`, give each slot its mappings (with `conditions: [{{active_loop: {name}}}]`), move validation to a `validate_{name}` action and `submit` to a rule"
                    ),
                );
            }
        }
        Value::Map(forms) => {
            for (name, body) in forms {
                let Some(name) = name.as_str() else {
                    continue;
                };
                c.out.forms += 1;
                let slots_node = body.get("required_slots").unwrap_or(body);
                let mut required = Vec::new();
                for (slot, mappings) in slots_node.as_map().unwrap_or_default() {
                    let Some(slot) = slot.as_str() else {
                        continue;
                    };
                    if slot == "ignored_intents" && body.get("required_slots").is_none() {
                        continue;
                    }
                    required.push(scalar(slot));
                    let with_conditions = mappings
                        .as_seq()
                        .unwrap_or_default()
                        .iter()
                        .map(|m| mapping_with_condition(m, name, slot))
                        .collect();
                    moved.push((slot.to_string(), with_conditions));
                }
                block.push_str(&format!(
                    "\n  {}:\n    required_slots: [{}]",
                    scalar(name),
                    required.join(", ")
                ));
                if let Some(ignored) = body.get("ignored_intents") {
                    block.push_str(&format!("\n    ignored_intents: {}", ignored.to_json()));
                }
            }
        }
        _ => return moved,
    }
    if block.is_empty() {
        block = " {}".into();
    }
    c.edits.replace(
        key.span.end..value.span.end.max(key.span.end),
        format!(":{block}"),
    );
    moved
}

/// A 2.x form's slot mapping as a 3.x slot mapping: conditioned on the form being active
/// (and on the slot being asked for, except `from_entity` and `from_trigger_intent`), as
/// `rasa data migrate` writes it.
fn mapping_with_condition(mapping: &Node, form: &str, slot: &str) -> serde_json::Value {
    let mut json = mapping.to_json();
    let kind = json
        .get("type")
        .and_then(|t| t.as_str())
        .unwrap_or_default();
    let mut condition = serde_json::json!({"active_loop": form});
    if kind != "from_entity" && kind != "from_trigger_intent" {
        condition["requested_slot"] = slot.into();
    }
    if let Some(map) = json.as_object_mut() {
        map.insert("conditions".into(), serde_json::json!([condition]));
    }
    json
}

/// Slots: mappings added, 1.x-only types and properties converted.
fn slots(c: &mut Converter, root: &Node, entities: &FxHashSet<&str>, forms: &FormMappings) {
    let Some(slots) = root.get("slots").and_then(Node::as_map) else {
        return;
    };
    c.out.slots = slots.len();
    for (name, body) in slots {
        let Some(slot) = name.as_str() else {
            continue;
        };
        let Some(properties) = body.as_map() else {
            c.out.notes.decide(
                Some(name.span.clone()),
                format!("slot `{slot}` has no properties (not even a `type`): give it a type and mappings"),
            );
            continue;
        };
        let mut additions: Vec<Addition> = Vec::new();
        let mut auto_fill = true;
        for (key, value) in properties {
            let key_name = key.as_str().unwrap_or_default();
            match key_name {
                "type" => slot_type(c, slot, value, &mut additions),
                "auto_fill" => {
                    auto_fill = value.value != Value::Bool(false);
                    remove_entry(c, key, value, body);
                }
                k if SLOT_KEYS_3.contains(&k) => {}
                other => c.out.notes.decide(
                    Some(key.span.clone()),
                    format!(
                        "slot `{slot}` has the property `{other}`, which Rasa 3.6 refuses (TypeError): take it out or rename it"
                    ),
                ),
            }
        }
        if body.get("mappings").is_none() {
            additions.push(mappings_of(c, slot, name, auto_fill, entities, forms));
        }
        add_properties(c, body, &additions);
    }
}

/// The slot's type in Rasa 3: `unfeaturized` becomes `any`; other unknown types are
/// custom slot classes, left for a person.
fn slot_type(c: &mut Converter, slot: &str, value: &Node, additions: &mut Vec<Addition>) {
    let Some(kind) = value.as_str() else {
        return;
    };
    if kind == "unfeaturized" {
        c.edits.replace(value.content_span(c.text), "any");
        additions.push(Addition::Line("influence_conversation: false".into()));
        c.out.notes.change(
            Some(value.span.clone()),
            format!("slot `{slot}`: type `unfeaturized` (gone in Rasa 3) written as `any`, which is never featurised either"),
        );
    } else if !SLOT_TYPES_3.contains(&kind) {
        c.out.notes.decide(
            Some(value.span.clone()),
            format!(
                "slot `{slot}` has the type `{kind}`, a custom slot class: check that it exists for Rasa 3 and accepts `mappings`"
            ),
        );
    }
}

/// A property to add to a slot.
enum Addition {
    /// `key: value`, written as it is.
    Line(String),
    /// `mappings:` with these mappings; `custom_for_a_person` marks the `custom` one a
    /// person must look at.
    Mappings(Vec<serde_json::Value>, bool),
}

/// The mappings of a slot that has none.
fn mappings_of(
    c: &mut Converter,
    slot: &str,
    name: &Node,
    auto_fill: bool,
    entities: &FxHashSet<&str>,
    forms: &FormMappings,
) -> Addition {
    let mut mappings: Vec<serde_json::Value> = forms
        .iter()
        .filter(|(s, _)| s == slot)
        .flat_map(|(_, m)| m.iter().cloned())
        .collect();
    let from_forms = !mappings.is_empty();
    if auto_fill && entities.contains(slot) {
        mappings.insert(
            0,
            serde_json::json!({"type": "from_entity", "entity": slot}),
        );
        if !from_forms {
            c.out.notes.change(
                Some(name.span.clone()),
                format!("slot `{slot}`: filled by the entity of its name (1.x auto-fill), written as a `from_entity` mapping"),
            );
        }
    }
    if !mappings.is_empty() {
        return Addition::Mappings(mappings, false);
    }
    let custom = vec![serde_json::json!({"type": "custom"})];
    if slot == "requested_slot" {
        return Addition::Mappings(custom, false);
    }
    c.out.notes.decide(
        Some(name.span.clone()),
        format!(
            "slot `{slot}`: no entity of its name fills it (or auto_fill is false) and no form maps it, so it was given a `custom` mapping (set by actions only); decide whether it needs another mapping (from_entity, from_text, from_intent, with conditions for a form)"
        ),
    );
    Addition::Mappings(custom, true)
}

/// A JSON value as a YAML flow value (JSON is YAML; names stay plain where they can).
fn flow(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => scalar(s),
        serde_json::Value::Array(items) => {
            format!(
                "[{}]",
                items.iter().map(flow).collect::<Vec<_>>().join(", ")
            )
        }
        serde_json::Value::Object(map) => format!(
            "{{{}}}",
            map.iter()
                .map(|(k, v)| format!("{}: {}", scalar(k), flow(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        other => other.to_string(),
    }
}

/// The marker of a `custom` mapping a person must look at.
const DECIDE: &str = "  # rasalint convert: a person must decide how this slot is set";

impl Addition {
    /// Block lines, without indentation.
    fn block(&self) -> Vec<String> {
        match self {
            Addition::Line(line) => vec![line.clone()],
            Addition::Mappings(mappings, decide) => {
                let mut lines = vec!["mappings:".to_string()];
                for mapping in mappings {
                    let Some(map) = mapping.as_object() else {
                        continue;
                    };
                    for (i, (k, v)) in map.iter().enumerate() {
                        let dash = if i == 0 { "- " } else { "  " };
                        lines.push(format!("{dash}{}: {}", scalar(k), flow(v)));
                    }
                }
                if *decide && let Some(last) = lines.last_mut() {
                    last.push_str(DECIDE);
                }
                lines
            }
        }
    }

    /// One flow-mapping entry.
    fn flow(&self) -> String {
        match self {
            Addition::Line(line) => line.clone(),
            Addition::Mappings(mappings, _) => {
                format!(
                    "mappings: {}",
                    flow(&serde_json::Value::Array(mappings.clone()))
                )
            }
        }
    }
}

/// Adds properties to a slot's mapping: as lines after its last property (block style,
/// at the properties' indentation), or into the braces of a flow mapping.
fn add_properties(c: &mut Converter, body: &Node, additions: &[Addition]) {
    if additions.is_empty() {
        return;
    }
    let Some(first) = body.as_map().and_then(|m| m.first()) else {
        return;
    };
    let written = &c.text[body.span.clone()];
    if written.starts_with('{') {
        let flat: Vec<String> = additions.iter().map(Addition::flow).collect();
        let close = body.span.end - 1;
        c.edits.insert(close, format!(", {}", flat.join(", ")));
        return;
    }
    if !starts_line(c.text, first.0.span.start) {
        c.out.notes.decide(
            Some(body.span.clone()),
            "a slot whose properties do not start a line: its mappings could not be added; add them".into(),
        );
        return;
    }
    let indent = " ".repeat(column(c.text, first.0.span.start));
    let at = after_line(c.text, body.span.end.saturating_sub(1).max(body.span.start));
    let mut lines = String::new();
    if at == c.text.len() && !c.text.ends_with('\n') {
        lines.push('\n');
    }
    for line in additions.iter().flat_map(Addition::block) {
        lines.push_str(&format!("{indent}{line}\n"));
    }
    c.edits.insert(at, lines);
}

/// Removes a block mapping entry (its whole lines); in a flow mapping, a note.
fn remove_entry(c: &mut Converter, key: &Node, value: &Node, body: &Node) {
    if c.text[body.span.clone()].starts_with('{') || !starts_line(c.text, key.span.start) {
        c.out.notes.decide(
            Some(key.span.clone()),
            "`auto_fill` (gone in Rasa 3, which refuses it) could not be taken out of this flow mapping: take it out".into(),
        );
        return;
    }
    let start = line_start(c.text, key.span.start);
    let end = after_line(
        c.text,
        value
            .span
            .end
            .max(key.span.end)
            .saturating_sub(1)
            .max(key.span.end),
    );
    c.edits.replace(start..end, "");
}

/// Actions: `respond_x` (1.x retrieval actions) as `utter_x`, `action_deactivate_form` as
/// `action_deactivate_loop`.
fn actions(c: &mut Converter, root: &Node, retrieval_actions: &FxHashSet<String>) {
    for item in root
        .get("actions")
        .and_then(Node::as_seq)
        .unwrap_or_default()
    {
        let Some(name) = item.as_str() else {
            continue;
        };
        let renamed = if let Some(rest) = name.strip_prefix("respond_") {
            format!("utter_{rest}")
        } else if name == "action_deactivate_form" {
            "action_deactivate_loop".to_string()
        } else {
            continue;
        };
        if retrieval_actions.contains(&renamed) && starts_line_after_dash(c.text, item.span.start) {
            let start = line_start(c.text, item.span.start);
            c.edits
                .replace(start..after_line(c.text, item.span.start), "");
            c.out.notes.change(
                Some(item.span.clone()),
                format!("action `{name}` is `{renamed}` in Rasa 3, which adds it to the domain itself for the retrieval responses: taken out of `actions`; the stories that use it must say `{renamed}`"),
            );
            continue;
        }
        c.edits.replace(item.content_span(c.text), renamed.clone());
        c.out.notes.change(
            Some(item.span.clone()),
            format!("action `{name}` is `{renamed}` in Rasa 3; the stories that use it must say `{renamed}` too"),
        );
    }
}

/// Whether the list item at `at` is alone on its line after its `-` (a block list item).
fn starts_line_after_dash(text: &str, at: usize) -> bool {
    let before = &text[line_start(text, at)..at];
    before
        .trim_start()
        .strip_prefix('-')
        .is_some_and(|rest| rest.trim().is_empty())
        && !text[at..after_line(text, at)].trim_end().contains(' ')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn convert(text: &str) -> DomainConversion {
        let root = crate::yaml::parse(text).expect("test domains parse");
        convert_domain(FileId(0), text, &root, &FxHashSet::default())
    }

    #[test]
    fn a_1x_domain_becomes_a_3x_domain() {
        let text = "# my bot\nintents:\n- greet\n- bye:\n    triggers: utter_bye\nentities:\n- city\nslots:\n  city:\n    type: text\n  seen:\n    type: unfeaturized\n    auto_fill: false\n  name:\n    type: text\nforms:\n- name_form\ntemplates:\n  utter_bye:\n  - bye\n  utter_hi:\n  - text: hi # hello\nactions:\n- respond_faq\n";
        let out = convert(text);
        assert_eq!(
            out.text,
            "version: \"3.1\"\n# my bot\nintents:\n- greet\n- bye\nentities:\n- city\nslots:\n  city:\n    type: text\n    mappings:\n    - type: from_entity\n      entity: city\n  seen:\n    type: any\n    influence_conversation: false\n    mappings:\n    - type: custom  # rasalint convert: a person must decide how this slot is set\n  name:\n    type: text\n    mappings:\n    - type: custom  # rasalint convert: a person must decide how this slot is set\nforms:\n  name_form:\n    required_slots: []\ntemplates:\n  utter_bye:\n  - text: bye\n  utter_hi:\n  - text: hi # hello\nactions:\n- utter_faq\nsession_config:\n  # Rasa 1.x without a session_config never ended a session; Rasa 3's default is 60 minutes.\n  session_expiration_time: 0\n  carry_over_slots_to_new_session: true\n"
                .replace("templates:", "responses:")
        );
        assert_eq!(out.triggers, [("bye".to_string(), "utter_bye".to_string())]);
        // The two custom mappings and the form.
        assert_eq!(
            out.notes.needs_person.len(),
            3,
            "{:#?}",
            out.notes.needs_person
        );
    }

    #[test]
    fn flow_slots_get_their_mappings_inside_the_braces() {
        let out = convert("entities: [city]\nslots:\n  city: {type: text}\nsession_config: {}\n");
        assert!(
            out.text
                .contains("city: {type: text, mappings: [{type: from_entity, entity: city}]}"),
            "{}",
            out.text
        );
    }
}
