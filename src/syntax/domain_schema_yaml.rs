//! Rasa 2.8's and 3.6's schema for a domain file (`rasa/shared/utils/schemas/domain.yml`
//! with the shared `responses` schema; spec rasa-yaml §3.3, §3.5), written as
//! [`schema::Rule`] trees. A file that breaks it is refused whole
//! (`YamlValidationException`): `rasa train` and `rasa data validate` stop there.

use crate::rasa::RasaVersion;
use crate::syntax::schema::{
    self, Key, RegexKey, Rule, Violation, ViolationKind, has_ascii_letter, has_non_newline,
};
use crate::yaml::Node;

/// Every place where the top-level mapping `root` breaks `version`'s domain schema.
pub fn violations(root: &Node, version: RasaVersion) -> Vec<Violation> {
    let rule = match version {
        RasaVersion::V3 => &DOMAIN_3_6,
        RasaVersion::V1 | RasaVersion::V2 => &DOMAIN_2_8,
    };
    schema::validate(root, rule)
}

const fn seq(items: &'static [Rule]) -> Rule {
    Rule::Seq { items, check: None }
}

const fn closed(keys: &'static [Key]) -> Rule {
    Rule::Map {
        keys,
        regex: None,
        open: false,
    }
}

const fn open(keys: &'static [Key]) -> Rule {
    Rule::Map {
        keys,
        regex: None,
        open: true,
    }
}

/// `title` and `payload` strings of a button or quick reply; other keys are allowed.
const BUTTON: Rule = open(&[
    Key::optional("title", Rule::Str),
    Key::optional("payload", Rule::Str),
]);

/// The keys of a variation both versions allow, in the schema's order.
macro_rules! variation_keys {
    ($($extra:expr),*) => {
        &[
            $($extra,)*
            Key::optional("text", Rule::Str),
            Key::optional("image", Rule::Str),
            Key::optional("custom", Rule::AnyMap),
            Key::optional("buttons", seq(&[BUTTON])),
            Key::optional("button_type", Rule::Str),
            Key::optional("quick_replies", seq(&[BUTTON])),
            Key::optional("attachment", Rule::AnyMap),
            Key::optional("elements", seq(&[Rule::AnyMap])),
            Key::optional("channel", Rule::Str),
            Key::optional("metadata", Rule::Any),
            Key::optional(
                "condition",
                seq(&[closed(&[
                    Key::optional("type", Rule::Str),
                    Key::optional("name", Rule::Str),
                    Key::optional("value", Rule::Any),
                ])]),
            ),
        ]
    };
}

static VARIATION_2_8: Rule = Rule::Required(&closed(variation_keys!()));
static VARIATION_3_6: Rule =
    Rule::Required(&closed(variation_keys!(Key::optional("id", Rule::Str))));

/// `require_response_keys`: the first variation (a mapping) whose `text` is missing or
/// null and whose `custom` is missing or empty.
fn text_or_custom(variations: &[Node]) -> Option<(usize, ViolationKind)> {
    variations
        .iter()
        .position(|v| {
            v.as_map().is_some()
                && v.get("text").is_none_or(Node::is_null)
                && !v.get("custom").is_some_and(Node::is_truthy)
        })
        .map(|at| (at, ViolationKind::NoTextOrCustom))
}

static RESPONSE_NAME_2_8: RegexKey = RegexKey {
    pattern: ".+",
    matches: has_non_newline,
    rule: Rule::Seq {
        items: std::slice::from_ref(&VARIATION_2_8),
        check: Some(text_or_custom),
    },
    not_null: true,
};

static RESPONSE_NAME_3_6: RegexKey = RegexKey {
    pattern: ".+",
    matches: has_non_newline,
    rule: Rule::Seq {
        items: std::slice::from_ref(&VARIATION_3_6),
        check: Some(text_or_custom),
    },
    not_null: true,
};

/// An intent: a name, or a mapping of its properties (any).
const INTENTS: Rule = seq(&[
    open(&[
        Key::optional("use_entities", Rule::Any),
        Key::optional("ignore_entities", Rule::Any),
    ]),
    Rule::Str,
]);

/// An entity: a name, or a mapping whose `roles` and `groups` are lists of strings.
const ENTITIES: Rule = seq(&[
    open(&[
        Key::optional("roles", seq(&[Rule::Str])),
        Key::optional("groups", seq(&[Rule::Str])),
    ]),
    Rule::Str,
]);

const CONFIG: Rule = open(&[Key::optional("store_entities_as_slots", Rule::Bool)]);

const SESSION_CONFIG: Rule = open(&[
    Key::optional("session_expiration_time", Rule::Number { min: Some(0.0) }),
    Key::optional("carry_over_slots_to_new_session", Rule::Bool),
]);

static DOMAIN_2_8: Rule = open(&[
    Key::optional("version", Rule::Str),
    Key::optional("intents", INTENTS),
    Key::optional("entities", ENTITIES),
    Key::optional("actions", seq(&[Rule::Required(&Rule::Str)])),
    Key::optional(
        "responses",
        Rule::Map {
            keys: &[],
            regex: Some(&RESPONSE_NAME_2_8),
            open: true,
        },
    ),
    Key::optional("slots", Rule::AnyMap),
    Key::optional("forms", Rule::Any),
    Key::optional("config", CONFIG),
    Key::optional("session_config", SESSION_CONFIG),
]);

/// A 3.x action with settings: `{name: {send_domain: bool}}`.
static ACTION_SETTINGS: RegexKey = RegexKey {
    pattern: "[A-Za-z]+",
    matches: has_ascii_letter,
    rule: closed(&[Key::optional("send_domain", Rule::Bool)]),
    not_null: false,
};

/// A slot mapping's `conditions` item.
const CONDITION: Rule = closed(&[
    Key::optional("active_loop", Rule::Str),
    Key::optional("requested_slot", Rule::Str),
]);

const SLOT_MAPPING: Rule = open(&[
    Key::optional("type", Rule::Str),
    Key::optional("intent", Rule::Any),
    Key::optional("not_intent", Rule::Any),
    Key::optional("entity", Rule::Str),
    Key::optional("role", Rule::Str),
    Key::optional("group", Rule::Str),
    Key::optional("value", Rule::Any),
    Key::optional("action", Rule::Str),
    Key::optional("conditions", seq(&[CONDITION])),
]);

static SLOT_3_6: RegexKey = RegexKey {
    pattern: "[A-Za-z]+",
    matches: has_ascii_letter,
    rule: open(&[
        Key::optional("influence_conversation", Rule::Bool),
        Key::required("type", Rule::Any),
        Key::optional("values", seq(&[Rule::Any])),
        Key::optional("min_value", Rule::Number { min: None }),
        Key::optional("max_value", Rule::Number { min: None }),
        Key::optional("initial_value", Rule::Any),
        Key::required("mappings", seq(&[SLOT_MAPPING])),
    ]),
    not_null: false,
};

static FORM_3_6: RegexKey = RegexKey {
    pattern: "[A-Za-z]+",
    matches: has_ascii_letter,
    rule: closed(&[
        Key::optional("required_slots", seq(&[Rule::Str])),
        Key::optional("ignored_intents", Rule::Any),
    ]),
    not_null: false,
};

static DOMAIN_3_6: Rule = open(&[
    Key::optional("version", Rule::Str),
    Key::optional("intents", INTENTS),
    Key::optional("entities", ENTITIES),
    Key::optional(
        "actions",
        seq(&[
            Rule::Str,
            Rule::Map {
                keys: &[],
                regex: Some(&ACTION_SETTINGS),
                open: false,
            },
        ]),
    ),
    Key::optional(
        "responses",
        Rule::Map {
            keys: &[],
            regex: Some(&RESPONSE_NAME_3_6),
            open: true,
        },
    ),
    Key::optional(
        "slots",
        Rule::Map {
            keys: &[],
            regex: Some(&SLOT_3_6),
            open: true,
        },
    ),
    Key::optional(
        "forms",
        Rule::Map {
            keys: &[],
            regex: Some(&FORM_3_6),
            open: false,
        },
    ),
    Key::optional("config", CONFIG),
    Key::optional("session_config", SESSION_CONFIG),
]);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml;

    fn messages(text: &str, version: RasaVersion) -> Vec<String> {
        let root = yaml::parse(text).unwrap();
        violations(&root, version)
            .iter()
            .map(|v| format!("{} @{:?}", v.pykwalify_message(), &text[v.span.clone()]))
            .collect()
    }

    fn refused(text: &str, version: RasaVersion) -> bool {
        !messages(text, version).is_empty()
    }

    /// Each case was run through Rasa 3.6.21 and 2.8.34 (the oracle's dump.py): refused
    /// by the schema (`YamlValidationException`) in the versions marked.
    #[test]
    fn refuses_what_rasa_refuses() {
        use RasaVersion::{V2, V3};
        let cases: &[(&str, &[RasaVersion])] = &[
            ("version: 3.1\n", &[V2, V3]),
            ("intents:\n  a: {}\n", &[V2, V3]),
            ("intents:\n- 1\n", &[V2, V3]),
            ("intents:\n-\n", &[]),
            ("intents:\n- a: 5\n", &[]),
            // The entity's own properties are not checked: the schema's `roles` is a key
            // of the item, beside the entity's name.
            ("entities:\n- a: {roles: x}\n", &[]),
            ("entities:\n- a: {roles: [1]}\n", &[]),
            ("entities:\n- roles: x\n", &[V2, V3]),
            ("entities:\n-\n", &[]),
            ("actions:\n-\n", &[V2]),
            ("actions:\n- a: {send_domain: true}\n", &[V2]),
            ("actions:\n- a: {send_domain: 1}\n", &[V2, V3]),
            ("actions:\n- '1': {send_domain: true}\n", &[V2, V3]),
            ("responses:\n", &[V2, V3]),
            ("responses:\n  utter_a:\n", &[V2, V3]),
            ("responses:\n  utter_a: []\n", &[]),
            ("responses:\n  utter_a:\n  - image: x\n", &[V2, V3]),
            ("responses:\n  utter_a:\n  - text: null\n", &[V2, V3]),
            ("responses:\n  utter_a:\n  - custom: {}\n", &[V2, V3]),
            ("responses:\n  utter_a:\n  - custom: {a: 1}\n", &[]),
            ("responses:\n  utter_a:\n  - text: a\n    id: x\n", &[V2]),
            (
                "responses:\n  utter_a:\n  - text: a\n    foo: x\n",
                &[V2, V3],
            ),
            (
                "responses:\n  utter_a:\n  - text: a\n    elements: [1, x]\n",
                &[],
            ),
            ("responses:\n  utter_a:\n  -\n", &[V2, V3]),
            ("slots:\n", &[V2, V3]),
            ("slots:\n  a:\n", &[V3]),
            ("slots:\n  a: {type: text}\n", &[V3]),
            ("slots:\n  a: {type: text, mappings: []}\n", &[]),
            ("slots:\n  a: {mappings: []}\n", &[V3]),
            ("slots:\n  a: {type: null, mappings: []}\n", &[V3]),
            ("slots:\n  '123': {type: text, mappings: []}\n", &[V3]),
            (
                "slots:\n  a: {type: text, mappings: [], auto_fill: false}\n",
                &[],
            ),
            (
                "slots:\n  a: {type: text, influence_conversation: 'no', mappings: []}\n",
                &[V3],
            ),
            (
                "slots:\n  a:\n    type: text\n    mappings:\n    - type: from_text\n      conditions:\n      - active_loop: f\n        foo: 1\n",
                &[V3],
            ),
            (
                "slots:\n  a: {type: float, min_value: '1', mappings: []}\n",
                &[],
            ),
            (
                "slots:\n  a: {type: float, min_value: x, mappings: []}\n",
                &[V3],
            ),
            ("forms:\n", &[V3]),
            ("forms: [f]\n", &[V3]),
            ("forms:\n  f:\n", &[V3]),
            ("forms:\n  f: {}\n", &[]),
            ("forms:\n  f:\n    slot_a:\n    - type: from_text\n", &[V3]),
            ("forms:\n  f:\n    required_slots: {a: []}\n", &[V3]),
            (
                "forms:\n  f:\n    required_slots: [a]\n    ignored_intents: x\n",
                &[],
            ),
            ("config:\n", &[V2, V3]),
            ("config:\n  store_entities_as_slots: 1\n", &[V2, V3]),
            ("session_config:\n", &[V2, V3]),
            (
                "session_config:\n  session_expiration_time: -1\n",
                &[V2, V3],
            ),
            ("session_config:\n  session_expiration_time: '-5'\n", &[]),
            (
                "session_config:\n  session_expiration_time: abc\n",
                &[V2, V3],
            ),
            (
                "session_config:\n  carry_over_slots_to_new_session: 'yes'\n",
                &[V2, V3],
            ),
            ("templates: [1]\ne2e_actions: 5\n", &[]),
        ];
        for (text, refusing) in cases {
            for version in [V2, V3] {
                assert_eq!(
                    refused(text, version),
                    refusing.contains(&version),
                    "{version:?} {text:?}: {:?}",
                    messages(text, version)
                );
            }
        }
    }

    #[test]
    fn points_at_the_offending_node() {
        let text =
            "slots:\n  city:\n    type: text\nforms:\n  f:\n    city:\n    - type: from_text\n";
        assert_eq!(
            messages(text, RasaVersion::V3),
            [
                "Cannot find required key 'mappings'. Path: '/slots/city' @\"city\"",
                "Key 'city' was not defined. Path: '/forms/f' @\"city\""
            ]
        );
    }

    #[test]
    fn python_float_reads_what_python_reads() {
        for (text, ok) in [
            ("1", true),
            (" 1.5 ", true),
            ("1_000", true),
            ("1__0", false),
            ("_1", false),
            ("-inf", true),
            ("NaN", true),
            ("1e3", true),
            ("abc", false),
            ("", false),
            ("+-1", false),
        ] {
            assert_eq!(schema::python_float(text).is_some(), ok, "{text:?}");
        }
    }
}
