//! `domain.yml`: every declared name with its span (Rasa 1.x and 2.x keys).

use crate::model::FileParts;
use crate::model::domain::{
    ButtonPayload, DomainFile, EntityDecl, FolderMember, FormDecl, IntentDecl, MappingCondition,
    Name, RequiredSlot, ResponseCondition, ResponseDecl, SlotDecl, SlotMapping, Variation,
};
use crate::source::FileId;
use crate::syntax::button_payload::button_payload;
use crate::syntax::problem::Problem;
use crate::syntax::yaml;
use crate::yaml::{Node, Value};

/// Help for a domain Rasa cannot read: its importer swallows the error and goes on.
const UNREADABLE_DOMAIN: &str = "Rasa 1.10 cannot load this file: it logs \"Loading domain from \
     '…' failed. Using empty domain.\" and trains or validates with an empty domain.";

/// Reads one domain file. YAML errors are problems (Rasa refuses the file) and give an empty domain,
/// as Rasa's importer does.
///
/// Sections of the wrong shape (say `intents:` written as a mapping) and entries that are
/// not names are skipped without a finding here; the rules that know what Rasa does with
/// them report them. Duplicates are kept, also when a whole top-level key is repeated
/// (which is RL002): the sections of both copies are read.
pub fn parse_domain(file: FileId, text: &str) -> (DomainFile, Vec<Problem>) {
    let mut domain = DomainFile {
        file: Some(file),
        ..DomainFile::default()
    };
    let (root, findings) =
        yaml::read_top_level_mapping(file, text, "domain.yml", UNREADABLE_DOMAIN);
    // Readable: a mapping, or an empty file. Otherwise RL002 was reported and the file
    // declares nothing rasalint can trust.
    domain.readable = root.is_some() || findings.is_empty();
    if let Some(entries) = root.as_ref().and_then(Node::as_map) {
        read_sections(&mut domain, entries, text);
        domain.rasa_refusals = crate::syntax::domain_schema::refusals(entries);
    }
    if let Some(root) = root.as_ref().filter(|r| r.as_map().is_some()) {
        domain.yaml_refusals = crate::syntax::domain_refusals::yaml_refusals(file, text, root);
    }
    domain.tree = root.map(Box::new);
    (domain, findings)
}

/// The top-level keys that make a YAML file a domain file to Rasa 3.6
/// (`Domain.is_domain_file`); Rasa 2.8 has all but the last, `session_config`.
pub const DOMAIN_KEYS: &[&str] = &[
    "slots",
    "forms",
    "actions",
    "entities",
    "intents",
    "responses",
    "e2e_actions",
    "session_config",
];

/// Reads a YAML file of a domain folder: a domain part for the versions that read it, or
/// that Rasa's YAML reader refuses (Rasa 2 and 3 skip it, with a warning); nothing for a
/// file no version reads.
/// `named_domain`: the file is named `domain.yml` or `domain.yaml`, which Rasa 1.10 reads.
pub fn parse_folder_member(
    file: FileId,
    text: &str,
    named_domain: bool,
) -> (FileParts, Vec<Problem>) {
    let (mut domain, problems) = parse_domain(file, text);
    // Rasa 2 and 3 skip a file their YAML reader refuses (with a warning).
    let refused = domain
        .tree
        .as_deref()
        .is_some_and(|root| crate::syntax::yaml::nested_duplicate_key(root).is_some());
    let loads = problems.is_empty() && domain.readable && !refused;
    let has = |key: &str| domain.top_level_keys.iter().any(|k| k.name == key);
    let domain_2_8 = loads && DOMAIN_KEYS[..DOMAIN_KEYS.len() - 1].iter().any(|k| has(k));
    let yaml_error = !loads && !text.trim().is_empty();
    // Rasa 1.10 reads only the files named domain.yml; Rasa 2 and 3 skip a file they
    // cannot read with a warning, which RL409 reports for them: the reader's findings
    // are kept for the files every version reads.
    let (problems, skipped_for) = if named_domain {
        (problems, None)
    } else {
        let reason = problems.first().map(|p| {
            let reason = p
                .message
                .trim_start_matches("domain.yml is not valid YAML: ");
            (p.span.clone(), reason.to_owned())
        });
        (Vec::new(), reason)
    };
    let member = FolderMember {
        named_domain,
        domain_2_8,
        domain_3_6: domain_2_8 || (loads && has("session_config")),
        yaml_error,
        skipped_for,
    };
    if !(member.named_domain || member.domain_3_6 || member.yaml_error) {
        return (FileParts::ignored(), problems);
    }
    domain.folder = Some(member);
    (FileParts::domain(domain), problems)
}

/// Fills `domain` from the top-level entries, in file order.
fn read_sections(domain: &mut DomainFile, entries: &[(Node, Node)], text: &str) {
    let mut templates = Vec::new();
    let mut responses = Vec::new();
    for (key, value) in entries {
        let Some(key_name) = Name::from_node(key, text) else {
            continue;
        };
        match key_name.name.as_str() {
            "intents" => domain
                .intents
                .extend(items(value).filter_map(|i| intent(i, text))),
            "entities" => {
                for decl in items(value).flat_map(|e| entity_decls(e, text)) {
                    domain.entities.push(decl.name.clone());
                    domain.entity_decls.push(decl);
                }
            }
            "slots" => domain
                .slots
                .extend(entries_of(value).filter_map(|(k, v)| slot(k, v, text))),
            "actions" => domain
                .actions
                .extend(items(value).flat_map(|a| map_or_names(a, text))),
            "e2e_actions" => domain.e2e_actions.extend(names(value, text)),
            "forms" => {
                for decl in forms(value, text) {
                    domain.forms.push(decl.name.clone());
                    domain.form_decls.push(decl);
                }
            }
            "session_config" => {
                domain
                    .session_config
                    .get_or_insert_with(|| key_name.span.clone());
            }
            "version" if domain.version.is_none() => {
                domain.version = Name::from_node(value, text);
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
    items(node)
        .filter_map(|n| Name::from_node(n, text))
        .collect()
}

/// An `actions` entry: a name, or a mapping keyed by names (`- action: {send_domain:
/// true}` in 3.x), each of whose keys Rasa reads as an action.
fn map_or_names(node: &Node, text: &str) -> Vec<Name> {
    match node.as_map() {
        Some(entries) => entries
            .iter()
            .filter_map(|(key, _)| Name::from_node(key, text))
            .collect(),
        None => Name::from_node(node, text).into_iter().collect(),
    }
}

/// An `entities` entry: a name (1.x), or a mapping from names to their properties (2.x
/// `- city: {roles: [..], groups: [..]}`). Rasa 2.x reads every key of such a mapping as
/// an entity, not only the first.
fn entity_decls(node: &Node, text: &str) -> Vec<EntityDecl> {
    let Some(entries) = node.as_map() else {
        return Name::from_node(node, text)
            .map(|name| EntityDecl {
                name,
                roles: None,
                groups: None,
                influence_conversation: None,
            })
            .into_iter()
            .collect();
    };
    entries
        .iter()
        .filter_map(|(key, props)| {
            Some(EntityDecl {
                name: Name::from_node(key, text)?,
                roles: props.get("roles").map(|n| labels(n, text)),
                groups: props.get("groups").map(|n| labels(n, text)),
                influence_conversation: props.get("influence_conversation").and_then(Node::as_bool),
            })
        })
        .collect()
}

/// Role or group labels. Rasa joins each to its entity with Python's `str()`
/// (`city#1` for `groups: [1]`), so numbers are read as Python writes them. A single
/// label written without a list is taken as that label.
fn labels(node: &Node, text: &str) -> Vec<Name> {
    let label = |n: &Node| {
        python_str(n).map(|name| Name {
            name,
            span: n.content_span(text),
        })
    };
    match node.as_seq() {
        Some(list) => list.iter().filter_map(label).collect(),
        None => label(node).into_iter().collect(),
    }
}

/// Python's `str()` of a scalar other than null; nothing for null, lists and mappings.
fn python_str(node: &Node) -> Option<String> {
    node.python_str()
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
        name: Name::from_node(key, text)?,
        use_entities: use_entities(props.and_then(|p| p.get("use_entities")), text),
        ignore_entities: props
            .and_then(|p| p.get("ignore_entities"))
            .map_or_else(Vec::new, |n| names(n, text)),
        triggers: props
            .and_then(|p| p.get("triggers"))
            .and_then(|n| Name::from_node(n, text)),
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
    !node.is_truthy()
}

/// A `slots` entry: the name, its `type` and its categorical `values`. Values are read
/// whatever the type, so a rule can report `values` on a slot that is not categorical.
fn slot(key: &Node, props: &Node, text: &str) -> Option<SlotDecl> {
    Some(SlotDecl {
        name: Name::from_node(key, text)?,
        slot_type: props.get("type").and_then(|t| Name::from_node(t, text)),
        values: props.get("values").map_or_else(Vec::new, |v| {
            items(v).filter_map(|n| slot_value(n, text)).collect()
        }),
        properties: keys(props, text),
        min_value: props.get("min_value").and_then(number),
        max_value: props.get("max_value").and_then(number),
        initial_number: props
            .get("initial_value")
            .and_then(|n| Some((number(n)?, n.span.clone()))),
        mappings: props
            .get("mappings")
            .map(|list| items(list).map(|m| slot_mapping(m, text)).collect()),
        influence_conversation: props.get("influence_conversation").and_then(Node::as_bool),
    })
}

fn number(node: &Node) -> Option<f64> {
    match node.value {
        Value::Int(i) => Some(i as f64),
        Value::Float(f) => Some(f),
        _ => None,
    }
}

/// The string keys of a mapping, as names.
fn keys(node: &Node, text: &str) -> Vec<Name> {
    node.as_map()
        .unwrap_or_default()
        .iter()
        .filter_map(|(key, _)| Name::from_node(key, text))
        .collect()
}

/// A categorical value as Rasa stores it: `str(value).lower()`, so `True` is `"true"`,
/// `1.0` is `"1.0"` and null is `"none"`. Lists and mappings are skipped.
fn slot_value(node: &Node, text: &str) -> Option<Name> {
    let written = match &node.value {
        Value::Null => "None".to_owned(),
        _ => python_str(node)?,
    };
    Some(Name {
        name: written.to_lowercase(),
        span: node.content_span(text),
    })
}

pub use crate::yaml::python_float_str;

/// A `responses`/`templates` entry: the name and how many variations it lists.
fn response(key: &Node, value: &Node, text: &str) -> Option<ResponseDecl> {
    Some(ResponseDecl {
        name: Name::from_node(key, text)?,
        variations: value.as_seq().map_or(0, <[Node]>::len),
        button_payloads: button_payloads(value, text),
        variation_list: items(value).map(|v| variation(v, text)).collect(),
        value_span: value.span.clone(),
    })
}

fn variation(node: &Node, text: &str) -> Variation {
    let is_string = node.as_str().is_some();
    Variation {
        span: node.span.clone(),
        keys: keys(node, text),
        text: if is_string {
            Name::from_node(node, text)
        } else {
            node.get("text").and_then(|t| Name::from_node(t, text))
        },
        is_string,
        channel: node.get("channel").and_then(|c| Name::from_node(c, text)),
        conditions: node.get("condition").map_or_else(Vec::new, |list| {
            items(list).map(|c| response_condition(c, text)).collect()
        }),
    }
}

fn response_condition(node: &Node, text: &str) -> ResponseCondition {
    let field = |key: &str| node.get(key).and_then(|n| Name::from_node(n, text));
    ResponseCondition {
        span: node.span.clone(),
        condition_type: field("type"),
        name: field("name"),
        value: node.get("value").map(|v| v.span.clone()),
    }
}

/// The `payload` of every button of every variation.
fn button_payloads(variations: &Node, text: &str) -> Vec<ButtonPayload> {
    items(variations)
        .filter_map(|variation| variation.get("buttons"))
        .flat_map(items)
        .filter_map(|button| button.get("payload"))
        .filter_map(|payload| button_payload(payload, text))
        .collect()
}

/// The intent a button payload sends: `/affirm{"x": 1}` → `affirm`. Payloads without the
/// leading `/` are sent as text to the NLU model and name no intent.
pub fn payload_intent(payload: &str) -> Option<&str> {
    let rest = payload.trim().strip_prefix('/')?;
    let end = rest.find(['{', '@']).unwrap_or(rest.len());
    let intent = rest[..end].trim();
    (!intent.is_empty()).then_some(intent)
}

/// Forms: a list of names (1.x), or a mapping keyed by form name (2.x) with the slots
/// each requires.
fn forms(node: &Node, text: &str) -> Vec<FormDecl> {
    match node.as_map() {
        Some(entries) => entries
            .iter()
            .filter_map(|(key, form)| {
                Some(FormDecl {
                    name: Name::from_node(key, text)?,
                    required_slots: required_slots(form, text),
                    ignored_intents: form
                        .get("ignored_intents")
                        .map_or_else(Vec::new, |n| one_or_list(n, text)),
                })
            })
            .collect(),
        None => names(node, text)
            .into_iter()
            .map(|name| FormDecl {
                name,
                required_slots: Vec::new(),
                ignored_intents: Vec::new(),
            })
            .collect(),
    }
}

/// The slots a 2.x form requires. Rasa 2.6+ reads them under `required_slots` (a
/// mapping from slot to mappings; in 3.x a list of names); a form without that key is
/// the 2.0–2.5 shape, whose own keys are the slots. `ignored_intents` is never a slot:
/// 2.6+ only accepts it next to `required_slots`, and rejects the domain otherwise.
fn required_slots(form: &Node, text: &str) -> Vec<RequiredSlot> {
    let slot = |(key, mappings): (&Node, &Node)| {
        Some(RequiredSlot {
            name: Name::from_node(key, text)?,
            mappings: items(mappings).map(|m| slot_mapping(m, text)).collect(),
        })
    };
    match form.get("required_slots") {
        Some(slots) if slots.as_seq().is_some() => names(slots, text)
            .into_iter()
            .map(|name| RequiredSlot {
                name,
                mappings: Vec::new(),
            })
            .collect(),
        Some(slots) => entries_of(slots).filter_map(slot).collect(),
        None => entries_of(form)
            .filter(|(key, _)| key.as_str() != Some("ignored_intents"))
            .filter_map(slot)
            .collect(),
    }
}

fn slot_mapping(node: &Node, text: &str) -> SlotMapping {
    let field = |key: &str| node.get(key).and_then(|n| Name::from_node(n, text));
    let listed = |key: &str| {
        node.get(key)
            .map_or_else(Vec::new, |n| one_or_list(n, text))
    };
    SlotMapping {
        span: node.span.clone(),
        mapping_type: field("type"),
        entity: field("entity"),
        role: field("role"),
        group: field("group"),
        intents: listed("intent"),
        not_intents: listed("not_intent"),
        action: field("action"),
        conditions: node.get("conditions").map_or_else(Vec::new, |list| {
            items(list)
                .map(|c| MappingCondition {
                    span: c.span.clone(),
                    active_loop: c.get("active_loop").and_then(|n| Name::from_node(n, text)),
                    requested_slot: c
                        .get("requested_slot")
                        .and_then(|n| Name::from_node(n, text)),
                })
                .collect()
        }),
    }
}

/// A name or a list of names (`intent: greet`, `intent: [greet, hi]`), as Rasa's
/// `to_list` reads them.
fn one_or_list(node: &Node, text: &str) -> Vec<Name> {
    match node.as_seq() {
        Some(_) => names(node, text),
        None => Name::from_node(node, text).into_iter().collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rasa::RasaVersion;
    use crate::syntax::problem::ProblemKind;

    fn parse(text: &str) -> (DomainFile, Vec<Problem>) {
        parse_domain(FileId(3), text)
    }

    fn read(text: &str) -> DomainFile {
        let (domain, findings) = parse(text);
        assert_eq!(findings, Vec::new(), "{text:?}");
        domain
    }

    fn names(names: &[Name]) -> Vec<&str> {
        names.iter().map(|n| n.name.as_str()).collect()
    }

    fn intent_names(domain: &DomainFile) -> Vec<&str> {
        domain
            .intents
            .iter()
            .map(|i| i.name.name.as_str())
            .collect()
    }

    fn response_names(domain: &DomainFile) -> Vec<&str> {
        domain
            .responses
            .iter()
            .map(|r| r.name.name.as_str())
            .collect()
    }

    const DOMAIN_1X: &str = "\
intents:
  - greet
  - inform:
      use_entities: [city]
      ignore_entities: [date]
  - stop:
      triggers: action_stop
  - chitchat:
      use_entities: false
  - greet
entities:
  - city
  - date
slots:
  mood:
    type: categorical
    values: [Happy, True, 1, 1.0, ~, yes]
  city:
    type: text
  mood: {type: text}
templates:
  utter_greet:
    - text: Hi!
    - text: Hello!
  utter_empty:
actions:
  - utter_greet
  - action_stop
forms:
  - booking_form
session_config:
  session_expiration_time: 60
";

    #[test]
    fn reads_a_1x_domain() {
        let domain = read(DOMAIN_1X);
        assert_eq!(domain.file, Some(FileId(3)));
        assert_eq!(
            intent_names(&domain),
            ["greet", "inform", "stop", "chitchat", "greet"]
        );
        assert_eq!(names(&domain.entities), ["city", "date"]);
        assert_eq!(names(&domain.actions), ["utter_greet", "action_stop"]);
        assert_eq!(names(&domain.forms), ["booking_form"]);
        assert_eq!(response_names(&domain), ["utter_greet", "utter_empty"]);
        assert_eq!(domain.responses[0].variations, 2);
        assert_eq!(domain.responses[1].variations, 0);
        let key = domain.responses_key.as_ref().expect("a responses key");
        assert_eq!(key.name, "templates");
        assert_eq!(&DOMAIN_1X[key.span.clone()], "templates");
        let session = domain.session_config.clone().expect("session_config");
        assert_eq!(&DOMAIN_1X[session], "session_config");
        let top: Vec<_> = names(&domain.top_level_keys);
        assert_eq!(
            top,
            [
                "intents",
                "entities",
                "slots",
                "templates",
                "actions",
                "forms",
                "session_config"
            ]
        );
    }

    #[test]
    fn reads_intent_properties() {
        let domain = read(DOMAIN_1X);
        let [greet, inform, stop, chitchat, _] = &domain.intents[..] else {
            panic!("five intents");
        };
        assert_eq!(greet.use_entities, None);
        let included = inform.use_entities.as_deref().map(names);
        assert_eq!(included, Some(vec!["city"]));
        assert_eq!(names(&inform.ignore_entities), ["date"]);
        let trigger = stop.triggers.as_ref().expect("a trigger");
        assert_eq!(&DOMAIN_1X[trigger.span.clone()], "action_stop");
        assert_eq!(chitchat.use_entities, Some(Vec::new()));
    }

    #[test]
    fn use_entities_follows_python_truthiness() {
        let cases = [
            ("true", None),
            ("false", Some(0)),
            ("null", Some(0)),
            ("[]", Some(0)),
            ("''", Some(0)),
            ("[a, b]", Some(2)),
            ("{a: 1}", None),
        ];
        for (value, expected) in cases {
            let text = format!("intents:\n  - x:\n      use_entities: {value}\n");
            let domain = read(&text);
            let got = domain.intents[0].use_entities.as_ref().map(Vec::len);
            assert_eq!(got, expected, "use_entities: {value}");
        }
    }

    #[test]
    fn slots_keep_duplicates_and_normalise_values() {
        let domain = read(DOMAIN_1X);
        let slots: Vec<_> = domain.slots.iter().map(|s| s.name.name.as_str()).collect();
        assert_eq!(slots, ["mood", "city", "mood"]);
        let mood = &domain.slots[0];
        let slot_type = mood.slot_type.as_ref().expect("a type");
        assert_eq!(slot_type.name, "categorical");
        assert_eq!(&DOMAIN_1X[slot_type.span.clone()], "categorical");
        assert_eq!(
            names(&mood.values),
            ["happy", "true", "1", "1.0", "none", "yes"]
        );
        assert_eq!(&DOMAIN_1X[mood.values[1].span.clone()], "True");
        assert_eq!(
            domain.slots[2].slot_type.as_ref().map(|t| t.name.as_str()),
            Some("text")
        );
    }

    #[test]
    fn reads_a_2x_domain() {
        let text = "\
version: \"2.0\"
intents:
  - greet
entities:
  - city:
      roles: [departure, destination]
  - date
slots:
  city:
    type: text
    influence_conversation: false
responses:
  utter_greet:
  - text: Hi
forms:
  booking_form:
    required_slots:
      city:
      - type: from_entity
        entity: city
  other_form: {}
actions:
  - action_check
";
        let domain = read(text);
        assert_eq!(names(&domain.entities), ["city", "date"]);
        assert_eq!(names(&domain.forms), ["booking_form", "other_form"]);
        assert_eq!(response_names(&domain), ["utter_greet"]);
        assert_eq!(
            domain.responses_key.as_ref().map(|k| k.name.as_str()),
            Some("responses")
        );
        assert_eq!(domain.top_level_keys[0].name, "version");
        let form = &domain.forms[0];
        assert_eq!(&text[form.span.clone()], "booking_form");
    }

    #[test]
    fn reads_entity_roles_and_groups() {
        let text = "\
entities:
  - city:
      roles: [departure, \"destination\"]
      groups: [1, 2.5, true]
  - date
  - person: {groups: [a]}
    place: {roles: solo}
  - time:
";
        let domain = read(text);
        assert_eq!(
            names(&domain.entities),
            ["city", "date", "person", "place", "time"]
        );
        let decls = &domain.entity_decls;
        assert_eq!(decls.len(), 5);
        let city = &decls[0];
        let roles = city.roles.as_deref().map(names);
        assert_eq!(roles, Some(vec!["departure", "destination"]));
        let destination = &city.roles.as_ref().unwrap()[1];
        assert_eq!(&text[destination.span.clone()], "destination");
        let groups = city.groups.as_deref().map(names);
        assert_eq!(groups, Some(vec!["1", "2.5", "True"]));
        assert_eq!(
            (decls[1].roles.clone(), decls[1].groups.clone()),
            (None, None)
        );
        assert_eq!(decls[2].roles, None);
        assert_eq!(decls[2].groups.as_deref().map(names), Some(vec!["a"]));
        assert_eq!(decls[3].roles.as_deref().map(names), Some(vec!["solo"]));
        assert_eq!(
            (decls[4].roles.clone(), decls[4].groups.clone()),
            (None, None)
        );
    }

    fn slot_names(form: &FormDecl) -> Vec<&str> {
        form.required_slots
            .iter()
            .map(|s| s.name.name.as_str())
            .collect()
    }

    #[test]
    fn reads_the_required_slots_of_every_form_shape() {
        let text = "\
forms:
  booking_form:
    ignored_intents: [chitchat]
    required_slots:
      origin:
      - type: from_entity
        entity: city
        role: departure
      - {type: from_text, intent: inform}
      people: []
  old_form:
    cuisine:
    - type: from_entity
      entity: cuisine
      group: \"1\"
    ignored_intents: [chitchat]
  list_form:
    required_slots: [a, b]
  empty_form: {}
  null_form:
";
        let domain = read(text);
        let forms = &domain.form_decls;
        assert_eq!(
            names(&domain.forms),
            [
                "booking_form",
                "old_form",
                "list_form",
                "empty_form",
                "null_form"
            ]
        );
        assert_eq!(slot_names(&forms[0]), ["origin", "people"]);
        assert_eq!(slot_names(&forms[1]), ["cuisine"]);
        assert_eq!(slot_names(&forms[2]), ["a", "b"]);
        assert!(forms[3].required_slots.is_empty() && forms[4].required_slots.is_empty());
        let origin = &forms[0].required_slots[0];
        assert_eq!(&text[origin.name.span.clone()], "origin");
        let [entity, text_mapping] = &origin.mappings[..] else {
            panic!("two mappings");
        };
        let field = |n: &Option<Name>| n.as_ref().map(|n| &text[n.span.clone()]);
        assert_eq!(field(&entity.mapping_type), Some("from_entity"));
        assert_eq!(field(&entity.entity), Some("city"));
        assert_eq!(field(&entity.role), Some("departure"));
        assert_eq!(entity.group, None);
        assert_eq!(field(&text_mapping.mapping_type), Some("from_text"));
        assert_eq!(text_mapping.entity, None);
        assert_eq!(
            field(&forms[1].required_slots[0].mappings[0].group),
            Some("1")
        );
        assert!(forms[0].required_slots[1].mappings.is_empty());
    }

    #[test]
    fn a_1x_form_list_requires_no_slots_the_domain_knows_of() {
        let domain = read(DOMAIN_1X);
        assert_eq!(domain.form_decls.len(), 1);
        assert_eq!(domain.form_decls[0].name.name, "booking_form");
        assert!(domain.form_decls[0].required_slots.is_empty());
        assert!(
            domain
                .entity_decls
                .iter()
                .all(|e| e.roles.is_none() && e.groups.is_none())
        );
    }

    #[test]
    fn reads_a_3x_domain() {
        let text = "\
version: \"3.1\"
entities:
  - city:
      influence_conversation: false
slots:
  city:
    type: text
    influence_conversation: false
    mappings:
    - type: from_entity
      entity: city
      intent: [inform, book]
      not_intent: chitchat
      conditions:
      - active_loop: travel_form
        requested_slot: city
      - active_loop: null
    - type: custom
      action: action_city
  plain:
    type: any
    mappings: []
actions:
  - action_a: {send_domain: true}
    action_b: {send_domain: false}
  - action_c
forms:
  travel_form:
    required_slots: [city]
    ignored_intents: chitchat
responses:
  utter_city:
  - text: To {city}?
    channel: slack
    condition:
    - type: slot
      name: city
      value: Paris
e2e_actions:
  - Hello there
";
        let domain = read(text);
        assert_eq!(domain.entity_decls[0].influence_conversation, Some(false));
        let city = &domain.slots[0];
        assert_eq!(city.influence_conversation, Some(false));
        let mappings = city.mappings.as_ref().expect("mappings");
        assert_eq!(mappings.len(), 2);
        assert_eq!(names(&mappings[0].intents), ["inform", "book"]);
        assert_eq!(names(&mappings[0].not_intents), ["chitchat"]);
        let conditions = &mappings[0].conditions;
        assert_eq!(conditions.len(), 2);
        let form = conditions[0].active_loop.as_ref().expect("a loop");
        assert_eq!(&text[form.span.clone()], "travel_form");
        assert_eq!(conditions[1].active_loop, None);
        assert_eq!(
            mappings[1].action.as_ref().map(|a| a.name.as_str()),
            Some("action_city")
        );
        assert_eq!(domain.slots[1].mappings, Some(Vec::new()));
        assert_eq!(names(&domain.actions), ["action_a", "action_b", "action_c"]);
        assert_eq!(names(&domain.form_decls[0].ignored_intents), ["chitchat"]);
        assert_eq!(slot_names(&domain.form_decls[0]), ["city"]);
        let variation = &domain.responses[0].variation_list[0];
        assert_eq!(
            variation.channel.as_ref().map(|c| c.name.as_str()),
            Some("slack")
        );
        let condition = &variation.conditions[0];
        assert_eq!(
            condition.name.as_ref().map(|n| n.name.as_str()),
            Some("city")
        );
        assert_eq!(
            condition.value.as_ref().map(|v| &text[v.clone()]),
            Some("Paris")
        );
        assert_eq!(names(&domain.e2e_actions), ["Hello there"]);
        assert!(
            domain
                .yaml_refusals
                .iter()
                .all(|r| r.version == RasaVersion::V2)
        );
    }

    /// Spec rasa-yaml §6.14: what each version counts as an empty domain.
    #[test]
    fn emptiness_depends_on_the_version() {
        use RasaVersion::{V1, V2, V3};
        let cases: &[(&str, bool, bool, bool)] = &[
            ("version: \"3.1\"\nintents: []\n", true, true, true),
            (
                "session_config: {session_expiration_time: 60, carry_over_slots_to_new_session: true}\n",
                true,
                true,
                true,
            ),
            (
                "session_config: {session_expiration_time: 30}\n",
                true,
                false,
                false,
            ),
            ("version: \"2.0\"\n", true, true, false),
            ("templates: {utter_a: [{text: a}]}\n", false, true, false),
            ("e2e_actions: [hello]\n", true, false, false),
            (
                "config: {store_entities_as_slots: false}\n",
                true,
                false,
                false,
            ),
            ("intents: [restart]\n", false, false, false),
        ];
        for (text, v1, v2, v3) in cases {
            let (domain, _) = parse(text);
            let found = [V1, V2, V3].map(|v| domain.is_empty_for(v));
            assert_eq!(found, [*v1, *v2, *v3], "{text:?}");
        }
    }

    #[test]
    fn templates_win_over_responses() {
        let text = "responses:\n  utter_a: [{text: a}]\ntemplates:\n  utter_b: [{text: b}]\n";
        let domain = read(text);
        assert_eq!(response_names(&domain), ["utter_b"]);
        let key = domain.responses_key.expect("a key");
        assert_eq!((key.name.as_str(), key.span), ("templates", 34..43));
    }

    #[test]
    fn quoted_names_span_the_name_itself() {
        let text = "intents:\n  - \"greet\"\n  - 'bye'\nslots:\n  \"ça va\": {type: text}\n";
        let domain = read(text);
        for name in [
            &domain.intents[0].name,
            &domain.intents[1].name,
            &domain.slots[0].name,
        ] {
            assert_eq!(&text[name.span.clone()], name.name);
        }
        assert_eq!(domain.slots[0].name.name, "ça va");
    }

    #[test]
    fn an_empty_file_is_an_empty_domain() {
        for text in ["", "\n", "# just a comment\n"] {
            let domain = read(text);
            assert!(domain.is_empty());
            assert_eq!(domain.file, Some(FileId(3)));
        }
    }

    #[test]
    fn a_broken_file_is_an_empty_domain_and_rl002() {
        let text = "intents:\n  - greet\n - goodbye\n";
        let (domain, findings) = parse(text);
        assert!(domain.is_empty());
        assert_eq!(domain.file, Some(FileId(3)));
        assert_eq!(findings.len(), 1);
        let finding = &findings[0];
        assert_eq!(finding.kind, ProblemKind::YamlSyntax);
        assert_eq!(finding.file, FileId(3));
        assert!(
            finding
                .message
                .starts_with("domain.yml is not valid YAML: ")
        );
        assert_eq!(finding.span.start, 20);
        assert!(
            finding
                .help
                .as_deref()
                .unwrap_or("")
                .contains("empty domain")
        );
    }

    #[test]
    fn duplicate_top_level_keys_are_rl002_and_both_are_read() {
        let text = "intents:\n  - a\nintents:\n  - b\n";
        let (domain, findings) = parse(text);
        assert_eq!(intent_names(&domain), ["a", "b"]);
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].span, 15..22);
        assert_eq!(findings[0].related[0].span, 0..7);
    }

    #[test]
    fn a_top_level_list_is_rl002() {
        let (domain, findings) = parse("- greet\n- bye\n");
        assert!(domain.is_empty());
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].kind, ProblemKind::YamlSyntax);
    }

    #[test]
    fn wrong_shapes_are_skipped() {
        let text = "\
intents: {greet: 1}
entities: city
slots: [a, b]
responses:
  utter_a: text
  5: [x]
actions:
  - 42
  - [x]
  - ok
forms: 3
other: {}
intents:
  - greet:
  - {}
  - true
";
        let (domain, findings) = parse(text);
        assert_eq!(findings.len(), 1, "only the duplicate key");
        assert_eq!(intent_names(&domain), ["greet"]);
        assert_eq!(domain.intents[0].use_entities, None);
        assert!(domain.entities.is_empty() && domain.slots.is_empty() && domain.forms.is_empty());
        assert_eq!(response_names(&domain), ["utter_a"]);
        assert_eq!(names(&domain.actions), ["ok"]);
    }

    /// Every prefix of a real domain is some kind of broken file: none may panic, and
    /// every span must be a valid range of the text.
    #[test]
    fn never_panics_on_truncated_input() {
        let text = format!(
            "{DOMAIN_1X}forms:\n  f:\n    s: [{{type: from_entity, entity: e, role: r}}]\n\
             entities:\n  - e: {{roles: [r, \"q\"], groups: [1]}}\n"
        );
        for end in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
            let prefix = &text[..end];
            let (domain, findings) = parse(prefix);
            let spans = findings
                .iter()
                .map(|f| &f.span)
                .chain(domain.top_level_keys.iter().map(|k| &k.span))
                .chain(domain.intents.iter().map(|i| &i.name.span))
                .chain(
                    domain
                        .slots
                        .iter()
                        .flat_map(|s| s.values.iter().map(|v| &v.span)),
                )
                .chain(domain.form_decls.iter().flat_map(|f| {
                    f.required_slots.iter().flat_map(|s| {
                        s.mappings
                            .iter()
                            .map(|m| &m.span)
                            .chain(std::iter::once(&s.name.span))
                    })
                }))
                .chain(
                    domain
                        .entity_decls
                        .iter()
                        .flat_map(|e| e.roles.iter().chain(&e.groups).flatten().map(|r| &r.span)),
                );
            for span in spans {
                assert!(prefix.get(span.clone()).is_some(), "{span:?} in {prefix:?}");
            }
        }
    }

    #[test]
    fn python_float_strings() {
        let cases = [
            (1.0, "1.0"),
            (1.5, "1.5"),
            (0.0, "0.0"),
            (-2.0, "-2.0"),
            (1e16, "1e+16"),
            (1.5e-5, "1.5e-05"),
            (0.0001, "0.0001"),
            (123456.789, "123456.789"),
            (f64::INFINITY, "inf"),
        ];
        for (value, expected) in cases {
            assert_eq!(python_float_str(value), expected, "{value}");
        }
    }
}
