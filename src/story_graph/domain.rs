//! The domain as the featuriser of the bot's Rasa version sees it: which actions are known
//! (in Rasa 1.10 only those give a `prev_` feature), which entity labels each intent uses
//! (from Rasa 2 on with their roles and groups, `city#from`), and the slots with their
//! type, initial value and how entities fill them.

use serde_json::Value;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::model::Project;
use crate::model::dialogue::{JsonValue, TurnEntity};
use crate::model::domain::IntentDecl;
use crate::rasa::RasaVersion;
use crate::yaml::Node;

use super::pyvalue::{py_float, py_len, py_str};

/// How a slot type turns a value into features (`rasa/core/slots.py`).
#[derive(Debug, Clone, PartialEq)]
pub enum SlotKind {
    Text,
    Bool,
    Float {
        min: f64,
        max: f64,
    },
    List,
    /// Lower-cased `str()` of each declared value; from Rasa 2 on without `null`s and
    /// with Rasa's catch-all `__other__` last unless declared.
    Categorical(Vec<String>),
    /// `unfeaturized`, and types rasalint cannot featurise (custom slot classes, a missing
    /// `type`, which Rasa cannot featurise either).
    Unfeaturized,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SlotDef {
    pub name: String,
    pub kind: SlotKind,
    /// Whose featurisation the slot follows (Rasa 2 and 3 share theirs).
    pub rasa: RasaVersion,
    pub initial: Value,
    /// Rasa 1 and 2: the slot takes the value of an entity of its name.
    pub auto_fill: bool,
    /// Rasa 3: the entities its `from_entity` mappings take, instead of `auto_fill`.
    pub entity_mappings: Option<Vec<EntitySource>>,
}

/// An entity a Rasa 3 `from_entity` slot mapping takes (role and group must be equal,
/// absent ones included).
#[derive(Debug, Clone, PartialEq)]
pub struct EntitySource {
    pub entity: Option<String>,
    pub role: Option<String>,
    pub group: Option<String>,
}

impl SlotDef {
    /// The values the entities of a user turn give this slot as Rasa replays a story
    /// (`Domain.slots_for_entities`; Rasa 1 and 2: `auto_fill` and the slot's name), in
    /// Rasa's order: a list slot takes them all, others the last.
    pub fn values_from<'e>(&self, entities: &'e [TurnEntity]) -> Vec<&'e JsonValue> {
        match &self.entity_mappings {
            None if self.auto_fill => entities
                .iter()
                .filter(|e| e.entity.as_deref() == Some(self.name.as_str()))
                .map(|e| &e.value)
                .collect(),
            None => Vec::new(),
            Some(mappings) => mappings
                .iter()
                .flat_map(|m| {
                    entities.iter().filter(move |e| {
                        e.entity.as_deref() == m.entity.as_deref()
                            && e.role() == m.role.as_deref()
                            && e.group() == m.group.as_deref()
                    })
                })
                .map(|e| &e.value)
                .collect(),
        }
    }

    /// The value a YAML `slot_was_set` item naming this slot only sets: `filled` for a
    /// text slot, `["filled"]` for a list slot, none for the others.
    pub fn named_value(&self) -> Value {
        match self.kind {
            SlotKind::Text => Value::from("filled"),
            SlotKind::List => Value::from(vec!["filled"]),
            _ => Value::Null,
        }
    }

    /// `slot.as_feature()`: one number per feature dimension, as the slot's Rasa version
    /// computes them.
    pub fn features(&self, value: &Value) -> Vec<f64> {
        match self.rasa {
            RasaVersion::V1 => self.features_rasa1(value),
            RasaVersion::V2 | RasaVersion::V3 => self.features_rasa2(value),
        }
    }

    /// Rasa 1.10's `as_feature` (`rasa/core/slots.py`).
    fn features_rasa1(&self, value: &Value) -> Vec<f64> {
        match &self.kind {
            SlotKind::Text => vec![if value.is_null() { 0.0 } else { 1.0 }],
            SlotKind::Bool => match (value.is_null(), py_float(value)) {
                (false, Some(f)) => vec![1.0, if f != 0.0 { 1.0 } else { 0.0 }],
                _ => vec![0.0, 0.0],
            },
            SlotKind::Float { min, max } => match py_float(value) {
                Some(f) => vec![scaled(f, *min, *max)],
                None => vec![0.0],
            },
            SlotKind::List => {
                let filled = !value.is_null() && py_len(value).is_some_and(|n| n > 0);
                vec![if filled { 1.0 } else { 0.0 }]
            }
            SlotKind::Categorical(values) => {
                let mut out = vec![0.0; values.len()];
                let written = py_str(value).to_lowercase();
                if let Some(i) = values.iter().position(|v| *v == written) {
                    out[i] = 1.0;
                }
                out
            }
            SlotKind::Unfeaturized => Vec::new(),
        }
    }

    /// Rasa 2.8's and 3.6's `as_feature` (`rasa/shared/core/slots.py`): a float slot says
    /// whether it is set beside its value, a bool slot reads `"true"`/`"1"` as Rasa's
    /// `bool_from_any` does, a list slot holds any other filled value as a list of one,
    /// and a categorical value that is not declared counts as `__other__`.
    fn features_rasa2(&self, value: &Value) -> Vec<f64> {
        match &self.kind {
            SlotKind::Bool => match bool_from_any(value) {
                Some(b) => vec![1.0, if b { 1.0 } else { 0.0 }],
                None => vec![0.0, 0.0],
            },
            SlotKind::Float { min, max } => match py_float(value).filter(|_| !value.is_null()) {
                Some(f) => vec![1.0, scaled(f, *min, *max)],
                None => vec![0.0, 0.0],
            },
            // The setter makes a filled non-list value a list of one; an empty one (`""`,
            // `0`, `false`) has no length or length 0.
            SlotKind::List => vec![if truthy(value) { 1.0 } else { 0.0 }],
            SlotKind::Categorical(values) => {
                let mut out = vec![0.0; values.len()];
                if value.is_null() {
                    return out;
                }
                let written = py_str(value).to_lowercase();
                let other = || values.iter().position(|v| v == OTHER_VALUE);
                if let Some(i) = values.iter().position(|v| *v == written).or_else(other) {
                    out[i] = 1.0;
                }
                out
            }
            SlotKind::Text | SlotKind::Unfeaturized => self.features_rasa1(value),
        }
    }
}

/// The value every categorical slot of Rasa 2 and 3 has besides those declared, which any
/// undeclared value is featurised as.
const OTHER_VALUE: &str = "__other__";

/// Python's `max(min_value, min(max_value, f))` scaled to the range (1 for an empty one),
/// NaN included.
fn scaled(f: f64, min: f64, max: f64) -> f64 {
    let upper = if f < max { f } else { max };
    let capped = if upper > min { upper } else { min };
    let range = (max - min).abs();
    let range = if range > 0.0 { range } else { 1.0 };
    (capped - min) / range
}

/// Rasa 2's and 3's `bool_from_any`: `None` where it raises (which the slot featurises as
/// unset).
fn bool_from_any(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => n.as_f64().map(|f| f == 1.0),
        // `str.isnumeric()` then `float()`: digits only (other numeric characters, which
        // `float()` mostly refuses, count as not a truth value).
        Value::String(s) if !s.is_empty() && s.chars().all(|c| c.is_ascii_digit()) => {
            s.parse::<f64>().ok().map(|f| f == 1.0)
        }
        Value::String(s) => match s.trim().to_lowercase().as_str() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// What the featuriser needs to know of the domain.
#[derive(Debug)]
pub struct FeatDomain {
    /// Whose dialogue states the analysis replays.
    pub rasa: RasaVersion,
    actions: HashSet<String>,
    /// Domain intent → the entity labels it featurises (`used_entities`).
    intents: HashMap<String, HashSet<String>>,
    /// Sorted by name, as Rasa sorts them.
    pub slots: Vec<SlotDef>,
    slot_index: HashMap<String, usize>,
    pub store_entities_as_slots: bool,
}

impl FeatDomain {
    /// The merged domain of the project (the first declaration of a name wins).
    pub fn from_project(project: &Project) -> Self {
        let index = &project.domain;
        let rasa = project.rasa.version;
        let mut actions: HashSet<String> = rasa.default_actions().map(str::to_string).collect();
        actions.extend(index.actions.keys().cloned());
        // Responses are actions, those of NLU files and the retrieval actions too (Rasa 2
        // and 3 add them to the domain).
        actions.extend(project.responses().actions().map(str::to_string));
        actions.extend(index.forms.keys().cloned());
        let labels = EntityLabels::of(project);
        let mut intents = HashMap::default();
        let mut slots: Vec<SlotDef> = Vec::new();
        let mut store_entities_as_slots = None;
        for (_, domain) in project.domain_files().filter(|(_, d)| d.readable) {
            for intent in &domain.intents {
                let used = labels.used_by(intent);
                intents.entry(intent.name.name.clone()).or_insert(used);
            }
            let Some(root) = &domain.tree else {
                continue;
            };
            for slot in read_slots(root, rasa) {
                if !slots.iter().any(|s| s.name == slot.name) {
                    slots.push(slot);
                }
            }
            if store_entities_as_slots.is_none() {
                store_entities_as_slots = root
                    .get("config")
                    .and_then(|c| c.get("store_entities_as_slots"))
                    .map(|v| truthy(&to_json(v)));
            }
        }
        slots.sort_by(|a, b| a.name.cmp(&b.name));
        let slot_index = slots
            .iter()
            .enumerate()
            .map(|(i, s)| (s.name.clone(), i))
            .collect();
        FeatDomain {
            rasa,
            actions,
            intents,
            slots,
            slot_index,
            store_entities_as_slots: store_entities_as_slots.unwrap_or(true),
        }
    }

    /// Whether `prev_<action>` is a feature: the action is known to the domain.
    pub fn knows_action(&self, action: &str) -> bool {
        self.actions.contains(action)
    }

    /// The entities of a turn the featuriser keeps for `intent` (`_get_featurized_entities`).
    pub fn featurized_entities<'e>(&self, intent: &str, entities: &[&'e str]) -> Vec<&'e str> {
        match self.intents.get(intent) {
            Some(used) => entities
                .iter()
                .copied()
                .filter(|e| used.contains(*e))
                .collect(),
            None => entities.to_vec(),
        }
    }

    pub fn slot(&self, name: &str) -> Option<usize> {
        self.slot_index.get(name).copied()
    }
}

/// The `slots:` mapping of one domain file, as the Rasa version featurises and fills them.
fn read_slots(root: &Node, rasa: RasaVersion) -> Vec<SlotDef> {
    let Some(entries) = root.get("slots").and_then(Node::as_map) else {
        return Vec::new();
    };
    let mut out: Vec<SlotDef> = Vec::new();
    for (key, props) in entries {
        let Some(name) = key.as_str() else { continue };
        if out.iter().any(|s| s.name == name) {
            continue;
        }
        let get = |k: &str| props.get(k).map(to_json);
        let number = |k: &str, default: f64| get(k).and_then(|v| py_float(&v)).unwrap_or(default);
        let type_name = props.get("type").and_then(Node::as_str).unwrap_or("");
        let type_name = type_name.rsplit('.').next().unwrap_or(type_name);
        let kind = match type_name {
            "text" | "TextSlot" => SlotKind::Text,
            "bool" | "BooleanSlot" => SlotKind::Bool,
            "float" | "FloatSlot" => SlotKind::Float {
                min: number("min_value", 0.0),
                max: number("max_value", 1.0),
            },
            "list" | "ListSlot" => SlotKind::List,
            "categorical" | "CategoricalSlot" => {
                let items = match get("values") {
                    Some(Value::Array(items)) => items,
                    _ => Vec::new(),
                };
                SlotKind::Categorical(categorical_values(&items, rasa))
            }
            _ => SlotKind::Unfeaturized,
        };
        // From Rasa 2 on, a slot may stay out of the dialogue state.
        let influences =
            rasa == RasaVersion::V1 || get("influence_conversation").is_none_or(|v| truthy(&v));
        out.push(SlotDef {
            name: name.to_owned(),
            rasa,
            kind: if influences {
                kind
            } else {
                SlotKind::Unfeaturized
            },
            initial: get("initial_value").unwrap_or(Value::Null),
            auto_fill: get("auto_fill").is_none_or(|v| truthy(&v)),
            entity_mappings: (rasa == RasaVersion::V3).then(|| entity_mappings(props)),
        });
    }
    out
}

/// The domain's entity labels, as an intent's `use_entities` and `ignore_entities` select
/// them (`Domain._transform_intent_properties_for_internal_use`).
struct EntityLabels {
    names: HashSet<String>,
    /// Rasa 3: the entities declared with `influence_conversation: false`, which only an
    /// intent that lists them uses.
    ignored_by_default: HashSet<String>,
    /// Rasa 2 and 3: per entity, the `entity#role` and `entity#group` labels of the roles
    /// and groups the domain declares for it.
    sub_labels: HashMap<String, Vec<String>>,
}

impl EntityLabels {
    fn of(project: &Project) -> Self {
        let rasa = project.rasa.version;
        let mut labels = EntityLabels {
            names: project.domain.entities.keys().cloned().collect(),
            ignored_by_default: HashSet::default(),
            sub_labels: HashMap::default(),
        };
        if rasa == RasaVersion::V1 {
            return labels;
        }
        let domains = project.domain_files().filter(|(_, d)| d.readable);
        for decl in domains.flat_map(|(_, d)| &d.entity_decls) {
            let entity = &decl.name.name;
            if rasa == RasaVersion::V3 && decl.influence_conversation == Some(false) {
                labels.ignored_by_default.insert(entity.clone());
            }
            let subs = decl.roles.iter().chain(&decl.groups).flatten();
            let known = labels.sub_labels.entry(entity.clone()).or_default();
            for sub in subs {
                let label = format!("{entity}#{}", sub.name);
                if !known.contains(&label) {
                    known.push(label);
                }
            }
        }
        labels
    }

    /// An entity with its role and group labels.
    fn with_sub_labels<'a>(&'a self, entity: &'a str) -> impl Iterator<Item = String> + 'a {
        let subs = self.sub_labels.get(entity).into_iter().flatten().cloned();
        std::iter::once(entity.to_string()).chain(subs)
    }

    /// The labels an intent featurises: those it uses (all by default, in Rasa 3 less
    /// those declared not to influence the conversation) and the role and group labels
    /// of each, less those it ignores and theirs.
    fn used_by(&self, intent: &IntentDecl) -> HashSet<String> {
        let ignored: Vec<&str> = match intent.ignore_entities.is_empty() {
            false => intent
                .ignore_entities
                .iter()
                .map(|n| n.name.as_str())
                .collect(),
            true => self.ignored_by_default.iter().map(String::as_str).collect(),
        };
        let excluded: HashSet<String> = ignored
            .iter()
            .flat_map(|e| self.with_sub_labels(e))
            .collect();
        let included: HashSet<String> = match &intent.use_entities {
            None => {
                let plain = self
                    .names
                    .iter()
                    .filter(|e| !self.ignored_by_default.contains(*e));
                let subs = self.sub_labels.values().flatten();
                plain.chain(subs).cloned().collect()
            }
            Some(list) => list
                .iter()
                .flat_map(|n| self.with_sub_labels(&n.name))
                .collect(),
        };
        included.difference(&excluded).cloned().collect()
    }
}

/// A categorical slot's values as its Rasa version featurises them: lower-cased text;
/// from Rasa 2 on without `null`, which Rasa drops, and with `__other__` appended.
fn categorical_values(items: &[Value], rasa: RasaVersion) -> Vec<String> {
    if rasa == RasaVersion::V1 {
        return items.iter().map(|v| py_str(v).to_lowercase()).collect();
    }
    let mut values: Vec<String> = items
        .iter()
        .filter(|v| !v.is_null())
        .map(|v| py_str(v).to_lowercase())
        .collect();
    if !values.iter().any(|v| v == OTHER_VALUE) {
        values.push(OTHER_VALUE.to_string());
    }
    values
}

/// The entity, role and group of each `from_entity` mapping of a Rasa 3 slot that fills it
/// while a story is replayed: mappings whose first condition names an active loop are
/// left out (`Domain.slots_for_entities`).
fn entity_mappings(props: &Node) -> Vec<EntitySource> {
    let mappings = props
        .get("mappings")
        .and_then(Node::as_seq)
        .unwrap_or_default();
    let text = |m: &Node, key: &str| m.get(key).and_then(Node::as_str).map(str::to_owned);
    mappings
        .iter()
        .filter(|m| m.get("type").and_then(Node::as_str) == Some("from_entity"))
        .filter(|m| {
            let first = m
                .get("conditions")
                .and_then(Node::as_seq)
                .and_then(<[Node]>::first);
            first
                .and_then(|c| c.get("active_loop"))
                .is_none_or(Node::is_null)
        })
        .map(|m| EntitySource {
            entity: text(m, "entity"),
            role: text(m, "role"),
            group: text(m, "group"),
        })
        .collect()
}

/// Python's truthiness of a JSON value.
pub fn truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(items) => !items.is_empty(),
        Value::Object(map) => !map.is_empty(),
    }
}

/// A YAML value as the JSON value Rasa would hold.
fn to_json(node: &Node) -> Value {
    node.to_json_with(&py_str)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn slot(kind: SlotKind) -> SlotDef {
        SlotDef {
            name: "s".into(),
            kind,
            rasa: RasaVersion::V1,
            initial: Value::Null,
            auto_fill: true,
            entity_mappings: None,
        }
    }

    #[test]
    fn slot_features_follow_rasa() {
        assert_eq!(slot(SlotKind::Text).features(&json!("x")), [1.0]);
        assert_eq!(slot(SlotKind::Text).features(&Value::Null), [0.0]);
        assert_eq!(slot(SlotKind::Bool).features(&json!(false)), [1.0, 0.0]);
        assert_eq!(slot(SlotKind::Bool).features(&json!("yes")), [0.0, 0.0]);
        let float = slot(SlotKind::Float {
            min: 0.0,
            max: 10.0,
        });
        assert_eq!(float.features(&json!(5)), [0.5]);
        assert_eq!(float.features(&json!(50)), [1.0]);
        assert_eq!(slot(SlotKind::List).features(&json!([])), [0.0]);
        assert_eq!(slot(SlotKind::List).features(&json!(["a"])), [1.0]);
        let cat = slot(SlotKind::Categorical(vec!["true".into(), "low".into()]));
        assert_eq!(cat.features(&json!(true)), [1.0, 0.0]);
        assert_eq!(cat.features(&json!("LOW")), [0.0, 1.0]);
        assert_eq!(cat.features(&json!("other")), [0.0, 0.0]);
    }

    #[test]
    fn rasa_2_and_3_featurise_slots_as_rasa_2_8_and_3_6_do() {
        let v3 = |kind| SlotDef {
            rasa: RasaVersion::V3,
            ..slot(kind)
        };
        assert_eq!(v3(SlotKind::Bool).features(&json!("true")), [1.0, 1.0]);
        assert_eq!(v3(SlotKind::Bool).features(&json!(1)), [1.0, 1.0]);
        assert_eq!(v3(SlotKind::Bool).features(&json!(0.5)), [1.0, 0.0]);
        assert_eq!(v3(SlotKind::Bool).features(&json!("yes")), [0.0, 0.0]);
        assert_eq!(v3(SlotKind::Bool).features(&Value::Null), [0.0, 0.0]);
        let float = v3(SlotKind::Float {
            min: 0.0,
            max: 10.0,
        });
        assert_eq!(float.features(&json!(5)), [1.0, 0.5]);
        assert_eq!(float.features(&json!("x")), [0.0, 0.0]);
        assert_eq!(float.features(&Value::Null), [0.0, 0.0]);
        assert_eq!(v3(SlotKind::List).features(&json!(5)), [1.0]);
        assert_eq!(v3(SlotKind::List).features(&json!("")), [0.0]);
        let values =
            categorical_values(&[json!("Low"), Value::Null, json!("high")], RasaVersion::V3);
        assert_eq!(values, ["low", "high", "__other__"]);
        let cat = v3(SlotKind::Categorical(values));
        assert_eq!(cat.features(&json!("LOW")), [1.0, 0.0, 0.0]);
        assert_eq!(cat.features(&json!("medium")), [0.0, 0.0, 1.0]);
        assert_eq!(cat.features(&Value::Null), [0.0, 0.0, 0.0]);
        let rasa1 = categorical_values(&[json!("Low"), Value::Null], RasaVersion::V1);
        assert_eq!(rasa1, ["low", "none"]);
    }
}
