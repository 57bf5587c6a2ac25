//! The domain as one file declares it: every name with its span, the properties rules
//! need, and where Rasa's schema refuses the file.

use crate::rasa::RasaVersion;
use crate::source::{FileId, Span};
use crate::yaml::Node;

/// A declared or used name and where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name {
    pub name: String,
    pub span: Span,
}

impl Name {
    /// A string node as a name, spanning the name without its quotes. Other scalars are
    /// not names: Rasa would keep them as numbers or booleans, which never match a name
    /// read from Markdown.
    pub fn from_node(node: &Node, text: &str) -> Option<Name> {
        Some(Name {
            name: node.as_str()?.to_owned(),
            span: node.content_span(text),
        })
    }
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
    /// Every property key, as written (`type`, `initial_value`, …).
    pub properties: Vec<Name>,
    /// `min_value` and `max_value` of a float slot, when numbers.
    pub min_value: Option<f64>,
    pub max_value: Option<f64>,
    /// `initial_value`, as a number, when it is one.
    pub initial_number: Option<(f64, Span)>,
    /// Rasa 3's `mappings` (`None` without the key; Rasa 2 slots have none, their forms
    /// map them).
    pub mappings: Option<Vec<SlotMapping>>,
    /// `influence_conversation`, when written as a boolean.
    pub influence_conversation: Option<bool>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ResponseDecl {
    pub name: Name,
    /// Number of variations (0 for a null or non-list value).
    pub variations: usize,
    /// Button payloads of every variation, as written (`/affirm{"x": 1}`) and as Rasa
    /// reads them.
    pub button_payloads: Vec<ButtonPayload>,
    /// Every variation, in order.
    pub variation_list: Vec<Variation>,
    /// The span of the value under the name (the list, or where a null or scalar stands).
    pub value_span: Span,
}

/// A button's `payload`, and what Rasa 1.10's `RegexInterpreter` reads from it when
/// the button is clicked.
#[derive(Debug, Clone, PartialEq)]
pub struct ButtonPayload {
    /// The payload as written.
    pub payload: Name,
    pub reading: PayloadReading,
}

/// What Rasa reads from a button payload. Spans point where the part is written, or at
/// the whole payload when escapes in the YAML string hide where.
#[derive(Debug, Clone, PartialEq)]
pub enum PayloadReading {
    /// No leading `/`: the payload is sent to the NLU model as text, like anything a
    /// user types.
    Text,
    /// A `/` with no intent before the first `{` or `@` (`/`, `/{"a": 1}`).
    NoIntent,
    /// `/intent`, with the `{…}` part when Rasa reads one (boxed: few payloads have one).
    Intent {
        intent: Name,
        json: Option<Box<PayloadJson>>,
    },
}

/// The `{…}` part of an intent payload, from the `{` to the end of the first line.
#[derive(Debug, Clone, PartialEq)]
pub struct PayloadJson {
    pub span: Span,
    /// The entities of the JSON object, one per key in the order written (a repeated key
    /// once, at its first place, with its last value, as JSON readers keep it); `Err`
    /// with serde_json's reason, without its position, when the part is not JSON (it
    /// starts with `{`, so JSON is an object).
    pub entities: Result<Vec<PayloadEntity>, String>,
}

/// An entity a payload's JSON object sets.
#[derive(Debug, Clone, PartialEq)]
pub struct PayloadEntity {
    /// The key, spanning its name without quotes (the whole `{…}` when it is written
    /// with escapes).
    pub key: Name,
    /// True when the value is `[]`: Rasa makes one entity per list element, so it sets
    /// nothing.
    pub empty_list: bool,
}

/// One variation of a response.
#[derive(Debug, Clone, PartialEq)]
pub struct Variation {
    pub span: Span,
    /// The keys, when the variation is a mapping (`text`, `buttons`, …).
    pub keys: Vec<Name>,
    /// The `text` value when it is a string, or the variation itself when it is a plain
    /// string (the 1.x shorthand Rasa converts with a warning).
    pub text: Option<Name>,
    /// True for a variation written as a plain string.
    pub is_string: bool,
    /// The output channel it is for (`channel: slack`), when a string.
    pub channel: Option<Name>,
    /// Its `condition` list (Rasa 2.3+): the slot values it is said under.
    pub conditions: Vec<ResponseCondition>,
}

/// One item of a response variation's `condition` (`- type: slot`, `name: s`,
/// `value: v`): Rasa compares the slot `name` with `value` at runtime.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseCondition {
    pub span: Span,
    pub condition_type: Option<Name>,
    /// The slot.
    pub name: Option<Name>,
    /// Where the value is written (any YAML value).
    pub value: Option<Span>,
}

/// An `entities` entry with the roles and groups a Rasa 2.x domain declares for it
/// (`- city: {roles: [departure, destination], groups: [..]}`).
#[derive(Debug, Clone, PartialEq)]
pub struct EntityDecl {
    pub name: Name,
    /// The `roles` list, `None` when the entry has no `roles` key (a plain name, as every
    /// 1.x entity is, declares none).
    pub roles: Option<Vec<Name>>,
    /// The `groups` list, likewise.
    pub groups: Option<Vec<Name>>,
    /// `influence_conversation` (Rasa 3.1+), when written as a boolean: `false` keeps the
    /// entity out of every intent's features unless an intent lists it.
    pub influence_conversation: Option<bool>,
}

/// A `forms` entry and the slots it requires, as far as the domain says.
#[derive(Debug, Clone, PartialEq)]
pub struct FormDecl {
    pub name: Name,
    /// The required slots of a 2.x form (`required_slots:` in 2.6+, the form's own keys
    /// in 2.0–2.5, a list of names in 3.x). Empty for a 1.x form, which is only a name:
    /// its slots live in the FormAction code.
    pub required_slots: Vec<RequiredSlot>,
    /// `ignored_intents` (Rasa 2.6+): one name or a list.
    pub ignored_intents: Vec<Name>,
}

/// A slot a 2.x form requires, with its slot mappings.
#[derive(Debug, Clone, PartialEq)]
pub struct RequiredSlot {
    pub name: Name,
    pub mappings: Vec<SlotMapping>,
}

/// One slot mapping (`- type: from_entity` / `entity: city` / `role: departure`). Each
/// field is the string written there, when it is one.
#[derive(Debug, Clone, PartialEq)]
pub struct SlotMapping {
    /// The whole mapping.
    pub span: Span,
    pub mapping_type: Option<Name>,
    pub entity: Option<Name>,
    pub role: Option<Name>,
    pub group: Option<Name>,
    /// `intent` and `not_intent`: one name or a list.
    pub intents: Vec<Name>,
    pub not_intents: Vec<Name>,
    /// The action of a Rasa 3 `custom` mapping.
    pub action: Option<Name>,
    /// Rasa 3's `conditions`: the active loop (and requested slot) it applies under.
    pub conditions: Vec<MappingCondition>,
}

/// One item of a Rasa 3 slot mapping's `conditions`.
#[derive(Debug, Clone, PartialEq)]
pub struct MappingCondition {
    pub span: Span,
    /// The form (`active_loop: null` is written as `None` here: no loop active).
    pub active_loop: Option<Name>,
    pub requested_slot: Option<Name>,
}

/// The names one domain file declares, in file order, duplicates kept.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DomainFile {
    pub file: Option<FileId>,
    /// False when the file is not valid YAML or not a mapping (RL002).
    pub readable: bool,
    /// True for the domain of an imported project (`MultiProjectImporter`), which Rasa
    /// merges into the bot's domain: names it shares with other domains are no duplicates.
    pub imported: bool,
    pub intents: Vec<IntentDecl>,
    pub entities: Vec<Name>,
    /// The same entities, one for one, with the roles and groups they declare.
    pub entity_decls: Vec<EntityDecl>,
    pub slots: Vec<SlotDecl>,
    /// Responses from the key Rasa 1.10 reads: `templates:` wins over `responses:` when
    /// both are present.
    pub responses: Vec<ResponseDecl>,
    /// The key the responses came from (`responses` or `templates`), with its span.
    pub responses_key: Option<Name>,
    pub actions: Vec<Name>,
    /// `e2e_actions`: end-to-end bot texts, which Rasa counts as actions.
    pub e2e_actions: Vec<Name>,
    pub forms: Vec<Name>,
    /// The same forms, one for one, with the slots they require.
    pub form_decls: Vec<FormDecl>,
    /// The `session_config` key, when present.
    pub session_config: Option<Span>,
    /// Every top-level key, in file order.
    pub top_level_keys: Vec<Name>,
    /// The `version` key's value, when it is a string (Rasa 2 and 3 read the file by it).
    pub version: Option<Name>,
    /// Where the file breaks Rasa 1.10's domain schema, which makes Rasa use an empty
    /// domain instead.
    pub rasa_refusals: Vec<Refusal>,
    /// Where Rasa 2.8 and 3.6, reading this file alone, refuse it: its schema, its
    /// `version`, or the first error building the domain stops at.
    pub yaml_refusals: Vec<VersionRefusal>,
    /// For a file found in a `--domain` folder, which Rasa versions read it as part of the
    /// domain (`None` for a domain file named directly).
    pub folder: Option<FolderMember>,
    /// The whole YAML tree, for readers that need more than the names (the story
    /// graph's slot features), so the file is parsed once.
    pub tree: Option<Box<Node>>,
}

impl DomainFile {
    /// Whether Rasa `version` reads this file as (part of) the bot's domain: a domain
    /// file named directly always; a file of a domain folder when it passes that
    /// version's test (Rasa 1.10: named `domain.yml`; 2.8 and 3.6: a top-level domain
    /// key).
    pub fn is_read_by(&self, version: RasaVersion) -> bool {
        self.folder.as_ref().is_none_or(|f| f.is_read_by(version))
    }

    /// Where `version` refuses this file read alone (Rasa 1.10: its schema).
    pub fn refusals(&self, version: RasaVersion) -> impl Iterator<Item = &VersionRefusal> {
        self.yaml_refusals
            .iter()
            .filter(move |r| r.version == version)
    }

    /// Whether Rasa `version` reads this file as an empty domain (`Domain.is_empty()`,
    /// spec rasa-yaml §6.14), which `rasa data validate` stops at. Rasa 1.10: no intents,
    /// entities, slots, responses, actions or forms. Rasa 3.6 compares the file's keys
    /// with an empty domain's: only empty values, `version: "3.1"` and the default
    /// session config leave it empty. Rasa 2.8 compares what it built: no intent (a
    /// default intent declared counts), entity, slot, response, action, form or
    /// end-to-end text, and default settings.
    pub fn is_empty_for(&self, version: RasaVersion) -> bool {
        let Some(root) = self.tree.as_deref().filter(|_| version != RasaVersion::V1) else {
            return self.is_empty();
        };
        let entries = root.as_map().unwrap_or_default();
        let default_session = |node: &Node| {
            let get = |k| node.get(k).map(|v| &v.value);
            node.as_map().is_some_and(|m| m.len() == 2)
                && matches!(
                    get("session_expiration_time"),
                    Some(crate::yaml::Value::Int(60))
                )
                && get("carry_over_slots_to_new_session") == Some(&crate::yaml::Value::Bool(true))
        };
        if version == RasaVersion::V3 {
            // Rasa drops the keys whose value is null, `[]` or `{}` before comparing.
            let dropped = |node: &Node| match &node.value {
                crate::yaml::Value::Null => true,
                crate::yaml::Value::Seq(items) => items.is_empty(),
                crate::yaml::Value::Map(entries) => entries.is_empty(),
                _ => false,
            };
            return entries.iter().all(|(key, value)| {
                dropped(value)
                    || (key.as_str() == Some("version") && value.as_str() == Some("3.1"))
                    || (key.as_str() == Some("session_config") && default_session(value))
            });
        }
        const DECLARING: &[&str] = &[
            "intents",
            "entities",
            "slots",
            "responses",
            "actions",
            "forms",
            "e2e_actions",
        ];
        DECLARING
            .iter()
            .all(|key| root.get(key).is_none_or(|v| !v.is_truthy()))
            && root
                .get("config")
                .and_then(|c| c.get("store_entities_as_slots"))
                .is_none_or(|v| v.value != crate::yaml::Value::Bool(false))
            && root
                .get("session_config")
                .is_none_or(|s| s.as_map().is_none_or(<[_]>::is_empty) || default_session(s))
    }

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

/// A place where the file breaks Rasa 1.10's domain schema, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub span: Span,
    /// The top-level key the place is under.
    pub key: String,
    pub reason: String,
}

/// A place where Rasa 2.8 or 3.6 refuses a domain file, and what follows.
#[derive(Debug, Clone, PartialEq)]
pub struct VersionRefusal {
    /// The version that refuses (V2: Rasa 2.8, V3: Rasa 3.6).
    pub version: RasaVersion,
    pub span: Span,
    pub outcome: RefusalOutcome,
    /// What is wrong, in the terms of the YAML.
    pub message: String,
    /// How to fix it, when there is more to say than the message.
    pub help: Option<String>,
    /// Rasa's own report: the exception's class and text (`YamlValidationException:
    /// …`, `InvalidDomain: …`, `TypeError: …`).
    pub rasa: String,
    /// The cause is a name declared twice (a repeated intent, action, key …), which
    /// `duplicate-domain-entry` reports.
    pub duplicate_name: bool,
}

/// What Rasa does with a domain file it refuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefusalOutcome {
    /// The schema refuses it, or Python fails on it: `rasa train` and `rasa data
    /// validate` stop.
    Stops,
    /// `InvalidDomain`: the importer warns and goes on with an empty domain, so
    /// validation fails ("empty domain") and training knows no intents or actions.
    EmptyDomain,
    /// The file's `version` is newer than the release reads: skipped, read as empty.
    Skipped,
}

/// How Rasa's domain-folder walk sees one file of the folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FolderMember {
    /// Named `domain.yml` or `domain.yaml`: what Rasa 1.10 reads from a domain folder.
    pub named_domain: bool,
    /// Rasa 2.8's `Domain.is_domain_file`: a top-level `intents`, `entities`, `slots`,
    /// `responses`, `actions`, `forms` or `e2e_actions`.
    pub domain_2_8: bool,
    /// Rasa 3.6's: the same keys, and `session_config`.
    pub domain_3_6: bool,
    /// Rasa's YAML reader refuses the file (a syntax error, a repeated key): Rasa 2 and 3
    /// skip it with a warning.
    pub yaml_error: bool,
    /// Why, for a file Rasa 1.10 does not read (not named `domain.yml`), whose YAML errors
    /// are no finding of their own: where, and the reader's reason.
    pub skipped_for: Option<(Span, String)>,
}

impl FolderMember {
    pub fn is_read_by(&self, version: RasaVersion) -> bool {
        match version {
            RasaVersion::V1 => self.named_domain,
            RasaVersion::V2 => self.domain_2_8,
            RasaVersion::V3 => self.domain_3_6,
        }
    }
}
