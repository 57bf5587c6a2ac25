//! Rasa 2.8's and 3.6's `Domain.from_dict` and `Domain.__init__` (spec rasa-yaml §6.1,
//! §6.3–6.11), run over the spanned YAML tree: the domain Rasa makes of a file or of a
//! merged folder, or the first error it stops at, located at the node that causes it.
//!
//! The order of the steps is Rasa's, so that the error reported is the one Rasa raises
//! first. Values are read with Python's semantics where they decide the outcome (what is
//! iterable, what is truthy, what compares). Shapes the version's schema already refuses
//! (checked before, in `syntax::domain_schema_yaml`) are not looked at twice.

use rustc_hash::{FxHashMap, FxHashSet};

use crate::model::domain_raw::{At, Entry, PyKey, RawDomain, View, py_key_str, py_type};
use crate::rasa::RasaVersion;
use crate::source::{FileId, Span};
use crate::yaml::{Node, Value};

const DOCS_DOMAINS: &str = "https://rasa.com/docs/rasa/domain";
const DOCS_SLOTS: &str = "https://rasa.com/docs/rasa/domain#slots";
const DOCS_INTENTS: &str = "https://rasa.com/docs/rasa/domain#intents";
const DOCS_ENTITIES: &str = "https://rasa.com/docs/rasa/domain#entities";
const DOCS_FORMS: &str = "https://rasa.com/docs/rasa/forms";

/// The intents every domain has (`DEFAULT_INTENTS`).
pub const DEFAULT_INTENTS: &[&str] = &[
    "restart",
    "back",
    "out_of_scope",
    "session_start",
    "nlu_fallback",
];

/// Where Rasa stops building the domain, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct BuildError {
    pub file: FileId,
    pub span: Span,
    /// The Python exception's class (`InvalidDomain`, `TypeError`, …).
    pub exception: &'static str,
    /// The exception's text, as Rasa's.
    pub rasa: String,
    /// What is wrong, in the terms of the YAML the user wrote.
    pub message: String,
    /// A name declared twice (intents, entities, actions, slots): what
    /// `duplicate-domain-entry` reports.
    pub duplicate_name: bool,
}

impl BuildError {
    fn at(at: At<'_>, exception: &'static str, rasa: String, message: String) -> BuildError {
        BuildError {
            file: at.file,
            span: at.node.span.clone(),
            exception,
            rasa,
            message,
            duplicate_name: false,
        }
    }

    fn key(
        entry: &Entry<'_>,
        exception: &'static str,
        rasa: String,
        message: String,
    ) -> BuildError {
        BuildError {
            file: entry.file,
            span: entry.key.span.clone(),
            exception,
            rasa,
            message,
            duplicate_name: false,
        }
    }

    /// Whether Rasa's importer catches it and goes on with an empty domain
    /// (`InvalidDomain`), rather than stopping (every other exception).
    pub fn empties_the_domain(&self) -> bool {
        self.exception == "InvalidDomain"
    }
}

/// A value as the domain holds it: written in a file, or Rasa's default.
#[derive(Debug, Clone, PartialEq)]
pub enum Py<'a> {
    Node(&'a Node),
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    EmptyList,
}

/// An intent and its properties, as `Domain.intent_properties` holds them.
#[derive(Debug, Clone)]
pub struct BuiltIntent<'a> {
    pub name: String,
    /// `used_entities`, sorted (every intent but the second and later keys of an item
    /// written as a mapping of several intents, which Rasa keeps as written).
    pub used_entities: Option<Vec<String>>,
    /// The other properties, as written (`triggers`, unknown keys); for an untransformed
    /// intent, its whole value.
    pub properties: Vec<Entry<'a>>,
    /// The value of an untransformed intent.
    pub raw: Option<At<'a>>,
}

/// A slot as Rasa constructs it.
#[derive(Debug, Clone)]
pub struct BuiltSlot<'a> {
    pub name: String,
    /// The slot's name in the file (`None` for the slots Rasa adds).
    pub at: Option<At<'a>>,
    /// The class's `type_name` (`text`, …), or the module path of a custom class.
    pub type_name: String,
    pub influence_conversation: Py<'a>,
    /// Rasa 3: the `mappings` list; Rasa 2 slots have none.
    pub mappings: Option<Py<'a>>,
    pub initial_value: Py<'a>,
    /// A categorical slot's values as Rasa normalises them, `__other__` added.
    pub values: Option<Vec<String>>,
    pub min_value: Option<Py<'a>>,
    pub max_value: Option<Py<'a>>,
    /// Rasa 2's `auto_fill`.
    pub auto_fill: Option<Py<'a>>,
}

/// A form as `Domain.forms` holds it.
#[derive(Debug, Clone)]
pub struct BuiltForm<'a> {
    pub name: String,
    /// Where the form's name is written.
    pub at: At<'a>,
    pub body: FormBody<'a>,
}

#[derive(Debug, Clone)]
pub enum FormBody<'a> {
    /// `f:` with nothing: kept as null.
    Null,
    /// A mapping with `required_slots`, as written.
    Written(At<'a>),
    /// A mapping without `required_slots`, which Rasa wraps: `{required_slots: <it>}`.
    Wrapped(At<'a>),
    /// A form of a Rasa 1 list of names (Rasa 2): `{}`.
    Empty,
}

/// The domain Rasa builds.
#[derive(Debug, Clone)]
pub struct BuiltDomain<'a> {
    /// By name.
    pub intents: Vec<BuiltIntent<'a>>,
    /// Sorted.
    pub entities: Vec<String>,
    /// Each entity with roles, and its `roles` value as written, in file order.
    pub roles: Vec<(String, At<'a>)>,
    pub groups: Vec<(String, At<'a>)>,
    /// Rasa 3: entities with `influence_conversation: false`.
    pub ignored_entities: Vec<String>,
    /// In Rasa's order: the declared slots, then the ones it adds.
    pub slots: Vec<BuiltSlot<'a>>,
    /// Response names, sorted.
    pub responses: Vec<String>,
    /// The declared actions (plus Rasa 2's form names of a Rasa 1 list of forms).
    pub custom_actions: Vec<String>,
    pub forms: Vec<BuiltForm<'a>>,
    pub e2e_actions: Vec<At<'a>>,
    pub session_expiration_time: Py<'a>,
    pub carry_over_slots: Py<'a>,
}

/// Builds the domain of `raw` as `version` does (Rasa 2.8 for V1 and V2).
pub fn build<'a>(raw: &RawDomain<'a>, version: RasaVersion) -> Result<BuiltDomain<'a>, BuildError> {
    Builder {
        raw,
        v3: version == RasaVersion::V3,
        version,
    }
    .build()
}

struct Builder<'r, 'a> {
    raw: &'r RawDomain<'a>,
    v3: bool,
    version: RasaVersion,
}

/// The entities of a domain with their labels (`EntityProperties`).
#[derive(Default)]
struct Entities<'a> {
    names: Vec<(PyKey, At<'a>)>,
    roles: Vec<(PyKey, At<'a>)>,
    groups: Vec<(PyKey, At<'a>)>,
    ignored: Vec<PyKey>,
}

/// An action name and where it is written.
type Named<'a> = (PyKey, At<'a>);

impl<'a> Builder<'_, 'a> {
    fn build(&self) -> Result<BuiltDomain<'a>, BuildError> {
        let slots_view = self.raw.view("slots");
        if self.v3
            && let Some(View::Dict(entries)) = &slots_view
            && !entries.is_empty()
        {
            validate_slot_mappings(entries)?;
        }
        let mut slots = self.collect_slots(slots_view)?;
        let actions = self.actions()?;
        self.config()?;
        let (expiration, carry_over) = self.session_config();
        let forms_view = self.raw.view("forms");
        let forms_at = self.section_at("forms");
        if self.v3 {
            validate_forms_3_6(forms_view.as_ref(), forms_at)?;
        } else {
            validate_forms_2_8(forms_view.as_ref(), forms_at)?;
        }
        // The constructor.
        let entities = self.entities()?;
        let intents = self.intents(&entities)?;
        let (forms, form_actions) = self.forms(forms_view.as_ref());
        let mut custom_actions = match actions {
            Some(actions) => actions,
            None => {
                let at = self.section_at("actions");
                return Err(BuildError::at(
                    at,
                    "TypeError",
                    "unsupported operand type(s) for +=: 'NoneType' and 'list'".to_owned(),
                    "`actions:` is empty (null): Rasa 2 fails on it; remove the key or list the actions".to_owned(),
                ));
            }
        };
        custom_actions.extend(form_actions);
        let responses = self.responses();
        let e2e = self.e2e_actions()?;
        self.sanitize_intents()?;
        let action_names = self.action_names(&custom_actions, &responses, &forms, &e2e);
        add_default_slots(&mut slots, &forms, &action_names, self.v3);
        self.check_sanity(&action_names, &slots, &entities, &intents)?;
        Ok(BuiltDomain {
            intents: sorted_intents(intents),
            entities: sorted_names(entities.names.iter().map(|(k, _)| py_key_str(k))),
            roles: labels_out(&entities.roles),
            groups: labels_out(&entities.groups),
            ignored_entities: sorted_names(entities.ignored.iter().map(py_key_str)),
            slots,
            responses: sorted_names(responses.iter().map(|(k, _)| py_key_str(k))),
            custom_actions: custom_actions.iter().map(|(k, _)| py_key_str(k)).collect(),
            forms,
            e2e_actions: e2e,
            session_expiration_time: expiration,
            carry_over_slots: carry_over,
        })
    }

    /// Where a top-level key is written (for errors about the whole section).
    fn section_at(&self, key: &str) -> At<'a> {
        self.raw.key_at(key).unwrap_or_else(|| unreachable_at())
    }

    /// `data.get(key, default)` of a list section: `None` for a null value, an error
    /// when it is not iterable.
    fn list_or_crash(&self, key: &str) -> Result<Vec<At<'a>>, BuildError> {
        match self.raw.view(key) {
            None => Ok(Vec::new()),
            Some(View::List(items)) => Ok(items),
            Some(View::Dict(entries)) => {
                Ok(entries.iter().map(|e| At::new(e.file, e.key)).collect())
            }
            Some(View::Null(at) | View::Other(at)) => Err(not_iterable(at, key)),
        }
    }

    fn collect_slots(&self, view: Option<View<'a>>) -> Result<Vec<BuiltSlot<'a>>, BuildError> {
        let entries = match view {
            None => return Ok(Vec::new()),
            Some(View::Dict(entries)) => entries,
            Some(View::Null(at) | View::Other(at)) => return Err(not_iterable(at, "slots")),
            Some(View::List(items)) => {
                // Iterating a list gives its items, which `slot_dict[item]` cannot index.
                return match items.first() {
                    None => Ok(Vec::new()),
                    Some(&at) => Err(BuildError::at(
                        at,
                        "TypeError",
                        "list indices must be integers or slices, not str".to_owned(),
                        "`slots` is a list: write it as a mapping from slot names to their settings".to_owned(),
                    )),
                };
            }
        };
        entries.iter().map(|entry| self.slot(entry)).collect()
    }

    fn slot(&self, entry: &Entry<'a>) -> Result<BuiltSlot<'a>, BuildError> {
        let name = py_key_str(&PyKey::of(entry.key));
        let value = At::new(entry.file, entry.value);
        let Some(settings) = entry.value.as_map() else {
            let rasa = match entry.value.value {
                Value::Seq(_) => "pop expected at most 1 argument, got 2".to_owned(),
                _ => format!("'{}' object has no attribute 'pop'", py_type(entry.value)),
            };
            let exception = if entry.value.as_seq().is_some() {
                "TypeError"
            } else {
                "AttributeError"
            };
            return Err(BuildError::at(
                value,
                exception,
                rasa,
                format!("slot `{name}` has no settings: give it at least a `type`"),
            ));
        };
        let class = self.slot_class(entry, settings)?;
        let mut kwargs: Vec<(&'a str, &'a Node)> = Vec::new();
        for (key, setting) in settings {
            if key.as_str() == Some("type") {
                continue;
            }
            let Some(key_name) = key.as_str() else {
                return Err(BuildError::at(
                    At::new(entry.file, key),
                    "TypeError",
                    "keywords must be strings".to_owned(),
                    format!("slot `{name}` has a setting whose name is not a string"),
                ));
            };
            if !class.accepts(key_name, self.version) {
                return Err(unexpected_setting(
                    entry,
                    key,
                    &name,
                    key_name,
                    &class,
                    self.version,
                ));
            }
            match kwargs.iter_mut().find(|(k, _)| *k == key_name) {
                Some((_, old)) => *old = setting,
                None => kwargs.push((key_name, setting)),
            }
        }
        let get = |key: &str| kwargs.iter().find(|(k, _)| *k == key).map(|(_, v)| *v);
        if self.v3 && get("mappings").is_none() {
            return Err(BuildError::key(
                entry,
                "TypeError",
                format!(
                    "{}.__init__() missing 1 required positional argument: 'mappings'",
                    class.init_owner(self.version)
                ),
                format!("slot `{name}` has no `mappings`: Rasa 3 requires them"),
            ));
        }
        let influence = match get("influence_conversation") {
            Some(node) => Py::Node(node),
            None => Py::Bool(!matches!(class, SlotClass::Any | SlotClass::Unfeaturized)),
        };
        if matches!(class, SlotClass::Any | SlotClass::Unfeaturized) && py_truthy(&influence) {
            let class_name = if class == SlotClass::Any {
                "AnySlot"
            } else {
                "UnfeaturizedSlot"
            };
            let rasa = if class == SlotClass::Any {
                format!(
                    "An AnySlot cannot be featurized. Please use a different slot type for slot '{name}' instead. If you need to featurize a data type which is not supported out of the box, implement a custom slot type by subclassing 'Slot'. See the documentation for more information: {DOCS_SLOTS}"
                )
            } else {
                format!(
                    "An UnfeaturizedSlot cannot be featurized. Please use a different slot type for slot '{name}' instead. See the documentation for more information: {DOCS_SLOTS}"
                )
            };
            let at = get("influence_conversation").map_or(value, |node| At::new(entry.file, node));
            return Err(BuildError::at(
                at,
                "InvalidSlotConfigError",
                rasa,
                format!(
                    "slot `{name}` of type `{}` cannot influence the conversation ({class_name} is never featurized): remove `influence_conversation` or set it to false",
                    class.type_name()
                ),
            ));
        }
        let initial = get("initial_value").map_or(Py::Null, Py::Node);
        let (min_value, max_value) = if class == SlotClass::Float {
            let min = get("min_value").map_or(Py::Float(0.0), Py::Node);
            let max = get("max_value").map_or(Py::Float(1.0), Py::Node);
            check_float_range(entry, &name, &min, &max, &initial, &get)?;
            (Some(min), Some(max))
        } else {
            (None, None)
        };
        let values = if class == SlotClass::Categorical {
            Some(categorical_values(entry, &name, get("values"))?)
        } else {
            None
        };
        Ok(BuiltSlot {
            name,
            at: Some(At::new(entry.file, entry.key)),
            type_name: class.type_name().to_owned(),
            influence_conversation: influence,
            mappings: self
                .v3
                .then(|| get("mappings").map_or(Py::EmptyList, Py::Node)),
            initial_value: initial,
            values,
            min_value,
            max_value,
            auto_fill: (!self.v3).then(|| get("auto_fill").map_or(Py::Bool(true), Py::Node)),
        })
    }

    /// `Slot.resolve_by_type` of the slot's `type`.
    fn slot_class(
        &self,
        entry: &Entry<'a>,
        settings: &'a [(Node, Node)],
    ) -> Result<SlotClass, BuildError> {
        let name = py_key_str(&PyKey::of(entry.key));
        let type_node = settings
            .iter()
            .rev()
            .find(|(k, _)| k.as_str() == Some("type"))
            .map(|(_, v)| v);
        let at = type_node.map_or(At::new(entry.file, entry.key), |node| {
            At::new(entry.file, node)
        });
        let Some(type_name) = type_node.and_then(Node::as_str) else {
            let found = type_node.map_or("NoneType", py_type);
            return Err(BuildError::at(
                at,
                "TypeError",
                format!("argument of type '{found}' is not iterable"),
                format!(
                    "slot `{name}` has no `type` (or one that is not a string): Rasa stops with a TypeError"
                ),
            ));
        };
        if let Some(class) = SlotClass::by_name(type_name, self.version) {
            return Ok(class);
        }
        if let Some(path_class) = type_name
            .strip_prefix("rasa.shared.core.slots.")
            .and_then(|class| SlotClass::by_class_name(class, self.version))
        {
            return Ok(path_class);
        }
        if type_name.contains('.') {
            // A custom slot class: Rasa imports it; rasalint cannot tell whether it can.
            return Ok(SlotClass::Custom);
        }
        let hint = match (type_name, self.v3) {
            ("unfeaturized", true) => " (`unfeaturized` was removed in Rasa 3: use `type: any`, or another type with `influence_conversation: false`)".to_owned(),
            _ => format!(
                " (the types are {})",
                SlotClass::names(self.version).join(", ")
            ),
        };
        Err(BuildError::at(
            at,
            "InvalidSlotTypeException",
            format!(
                "Failed to find slot type, '{type_name}' is neither a known type nor user-defined. If you are creating your own slot type, make sure its module path is correct. You can find all build in types at {DOCS_SLOTS}"
            ),
            format!("slot `{name}` has the unknown type `{type_name}`{hint}"),
        ))
    }

    /// The declared action names: `None` for Rasa 2's null `actions:` (which fails later,
    /// when form actions are added to it).
    fn actions(&self) -> Result<Option<Vec<Named<'a>>>, BuildError> {
        let view = self.raw.view("actions");
        if !self.v3 {
            return match view {
                None => Ok(Some(Vec::new())),
                Some(View::Null(_)) => Ok(None),
                Some(View::List(items)) => Ok(Some(
                    items.iter().map(|a| (PyKey::of(a.node), *a)).collect(),
                )),
                Some(View::Dict(entries)) => Ok(Some(entries.iter().map(key_named).collect())),
                Some(View::Other(at)) => Err(not_iterable(at, "actions")),
            };
        }
        let items = self.list_or_crash("actions")?;
        let mut names = Vec::new();
        for item in &items {
            match &item.node.value {
                Value::Map(entries) => names.extend(
                    entries
                        .iter()
                        .map(|(k, _)| (PyKey::of(k), At::new(item.file, k))),
                ),
                Value::Str(_) => names.push((PyKey::of(item.node), *item)),
                _ => {}
            }
        }
        // `_collect_actions_which_explicitly_need_domain` calls `startswith` on every
        // item that is not a mapping.
        if let Some(item) = items
            .iter()
            .find(|i| !matches!(i.node.value, Value::Map(_) | Value::Str(_)))
        {
            return Err(BuildError::at(
                *item,
                "AttributeError",
                format!(
                    "'{}' object has no attribute 'startswith'",
                    py_type(item.node)
                ),
                format!(
                    "an item of `actions` is {}, not an action name: Rasa 3 stops with an AttributeError",
                    item.node.value.kind()
                ),
            ));
        }
        Ok(Some(names))
    }

    /// `**config` passed to the constructor: Rasa 2 knows only `store_entities_as_slots`.
    fn config(&self) -> Result<(), BuildError> {
        if self.v3 {
            return Ok(());
        }
        if let Some(View::Dict(entries)) = self.raw.view("config")
            && let Some(entry) = entries
                .iter()
                .find(|e| e.key.as_str() != Some("store_entities_as_slots"))
        {
            let key = py_key_str(&PyKey::of(entry.key));
            return Err(BuildError::key(
                entry,
                "TypeError",
                format!("__init__() got an unexpected keyword argument '{key}'"),
                format!(
                    "`config` has the unknown setting `{key}`: Rasa 2 knows only `store_entities_as_slots`"
                ),
            ));
        }
        Ok(())
    }

    fn session_config(&self) -> (Py<'a>, Py<'a>) {
        let entries = match self.raw.view("session_config") {
            Some(View::Dict(entries)) => entries,
            _ => Vec::new(),
        };
        let get = |key: &str| {
            entries
                .iter()
                .rev()
                .find(|e| e.key.as_str() == Some(key))
                .map(|e| e.value)
        };
        let expiration = match get("session_expiration_time") {
            Some(node) if !node.is_null() => Py::Node(node),
            _ => Py::Int(60),
        };
        let carry_over = get("carry_over_slots_to_new_session").map_or(Py::Bool(true), Py::Node);
        (expiration, carry_over)
    }

    /// `collect_entity_properties`.
    fn entities(&self) -> Result<Entities<'a>, BuildError> {
        let mut out = Entities::default();
        for item in self.list_or_crash("entities")? {
            match &item.node.value {
                Value::Str(_) => out.names.push((PyKey::of(item.node), item)),
                Value::Map(entries) => {
                    for (key, labels) in entries {
                        self.entity_with_labels(&mut out, item.file, key, labels)?;
                    }
                }
                other => {
                    let shown = item.node.python_str().unwrap_or_else(|| "None".to_owned());
                    return Err(BuildError::at(
                        item,
                        "InvalidDomain",
                        format!(
                            "Invalid domain. Entity is invalid, type of entity '{shown}' not supported: '{}'",
                            py_type(item.node)
                        ),
                        format!(
                            "an item of `entities` is {}, not an entity name",
                            other.kind()
                        ),
                    ));
                }
            }
        }
        Ok(out)
    }

    fn entity_with_labels(
        &self,
        out: &mut Entities<'a>,
        file: FileId,
        key: &'a Node,
        labels: &'a Node,
    ) -> Result<(), BuildError> {
        let name = PyKey::of(key);
        let key_at = At::new(file, key);
        out.names.push((name.clone(), key_at));
        if !labels.is_truthy() {
            let shown = py_key_str(&name);
            return Err(BuildError::at(
                key_at,
                "InvalidDomain",
                format!(
                    "In the `domain.yml` file, the entity '{shown}' cannot have value of `{}`. If you have placed a ':' character after the entity `{shown}` without adding any additional parameters to this entity then you would need to remove the ':' character. Please see {DOCS_DOMAINS} for more information on how to correctly add `entities` in the `domain` and {DOCS_ENTITIES} for examples on when to use the ':' character after an entity's name.",
                    py_class(labels)
                ),
                format!(
                    "entity `{shown}` is followed by `:` but has no properties: remove the `:`, or give it `roles`, `groups` or `influence_conversation`"
                ),
            ));
        }
        let Some(entries) = labels.as_map() else {
            // `"roles" in labels` on a string or a list: rarely true, never useful.
            return Ok(());
        };
        let get = |k: &str| {
            entries
                .iter()
                .rev()
                .find(|(key, _)| key.as_str() == Some(k))
                .map(|(_, v)| v)
        };
        if let Some(roles) = get("roles") {
            out.roles.push((name.clone(), At::new(file, roles)));
        }
        if let Some(groups) = get("groups") {
            out.groups.push((name.clone(), At::new(file, groups)));
        }
        if self.v3 && get("influence_conversation").is_some_and(|v| v.value == Value::Bool(false)) {
            out.ignored.push(name);
        }
        Ok(())
    }

    /// `collect_intent_properties`: each item's properties, a name seen before being a
    /// duplicate (an item that is a mapping of several intents adds them all).
    fn intents(&self, entities: &Entities<'a>) -> Result<Vec<BuiltIntent<'a>>, BuildError> {
        let mut out: Vec<BuiltIntent<'a>> = Vec::new();
        let mut index: FxHashMap<String, usize> = FxHashMap::default();
        let mut duplicates: Vec<(String, At<'a>)> = Vec::new();
        for item in self.list_or_crash("intents")? {
            let (name, name_at, added) = match item.node.as_map() {
                None => {
                    let name = item.node.python_str().unwrap_or_else(|| "None".to_owned());
                    let used = self.used_entities(&name, None, entities, item)?;
                    let intent = BuiltIntent {
                        name: name.clone(),
                        used_entities: Some(used),
                        properties: Vec::new(),
                        raw: None,
                    };
                    (name, item, vec![intent])
                }
                Some(entries) => {
                    let Some((key, properties)) = entries.first() else {
                        return Err(BuildError::at(
                            item,
                            "IndexError",
                            "list index out of range".to_owned(),
                            "an item of `intents` is an empty mapping: write the intent's name"
                                .to_owned(),
                        ));
                    };
                    let name = py_key_str(&PyKey::of(key));
                    let key_at = At::new(item.file, key);
                    let mut added =
                        vec![self.intent_with_properties(&name, key_at, properties, entities)?];
                    // The item's other keys join the intents as written.
                    added.extend(entries[1..].iter().map(|(other, value)| BuiltIntent {
                        name: py_key_str(&PyKey::of(other)),
                        used_entities: None,
                        properties: Vec::new(),
                        raw: Some(At::new(item.file, value)),
                    }));
                    (name, key_at, added)
                }
            };
            if index.contains_key(&name) {
                duplicates.push((name, name_at));
            }
            for intent in added {
                match index.get(&intent.name) {
                    Some(&at) => out[at] = intent,
                    None => {
                        index.insert(intent.name.clone(), out.len());
                        out.push(intent);
                    }
                }
            }
        }
        if let Some((_, at)) = duplicates.first() {
            let mut names: Vec<String> = duplicates.iter().map(|(n, _)| n.clone()).collect();
            names.sort();
            names.dedup();
            let listed: Vec<String> = names.iter().map(|n| format!("'{n}'")).collect();
            let mut error = BuildError::at(
                *at,
                "InvalidDomain",
                format!(
                    "Intents are not unique! Found multiple intents with name(s) [{}]. Either rename or remove the duplicate ones.",
                    listed.join(", ")
                ),
                format!(
                    "intent `{}` is declared twice in `intents`: Rasa refuses the domain",
                    names[0]
                ),
            );
            error.duplicate_name = true;
            return Err(error);
        }
        for default in DEFAULT_INTENTS {
            if !index.contains_key(*default) {
                let used = self.used_entities(default, None, entities, unreachable_at())?;
                out.push(BuiltIntent {
                    name: (*default).to_owned(),
                    used_entities: Some(used),
                    properties: Vec::new(),
                    raw: None,
                });
            }
        }
        Ok(out)
    }

    fn intent_with_properties(
        &self,
        name: &str,
        key_at: At<'a>,
        properties: &'a Node,
        entities: &Entities<'a>,
    ) -> Result<BuiltIntent<'a>, BuildError> {
        if !properties.is_truthy() {
            return Err(BuildError::at(
                key_at,
                "InvalidDomain",
                format!(
                    "In the `domain.yml` file, the intent '{name}' cannot have value of `{}`. If you have placed a ':' character after the intent's name without adding any additional parameters to this intent then you would need to remove the ':' character. Please see {DOCS_DOMAINS} for more information on how to correctly add `intents` in the `domain` and {DOCS_INTENTS} for examples on when to use the ':' character after an intent's name.",
                    py_class(properties)
                ),
                format!(
                    "intent `{name}` is followed by `:` but has no properties: remove the `:`, or give it `use_entities` or `ignore_entities`"
                ),
            ));
        }
        let Some(entries) = properties.as_map() else {
            return Err(BuildError::at(
                At::new(key_at.file, properties),
                "AttributeError",
                format!(
                    "'{}' object has no attribute 'setdefault'",
                    py_type(properties)
                ),
                format!(
                    "the properties of intent `{name}` are {}, not a mapping (`use_entities: …`)",
                    properties.value.kind()
                ),
            ));
        };
        let used = self.used_entities(
            name,
            Some(entries),
            entities,
            At::new(key_at.file, properties),
        )?;
        let kept = entries
            .iter()
            .filter(|(k, _)| {
                !matches!(
                    k.as_str(),
                    Some("use_entities" | "ignore_entities" | "used_entities")
                )
            })
            .map(|(key, value)| Entry {
                file: key_at.file,
                key,
                value,
            })
            .collect();
        Ok(BuiltIntent {
            name: name.to_owned(),
            used_entities: Some(used),
            properties: kept,
            raw: None,
        })
    }

    /// `used_entities`: the entities (and their `entity#role`, `entity#group` labels) an
    /// intent featurises.
    fn used_entities(
        &self,
        name: &str,
        properties: Option<&'a [(Node, Node)]>,
        entities: &Entities<'a>,
        at: At<'a>,
    ) -> Result<Vec<String>, BuildError> {
        let get = |k: &str| {
            properties.and_then(|p| {
                p.iter()
                    .rev()
                    .find(|(key, _)| key.as_str() == Some(k))
                    .map(|(_, v)| v)
            })
        };
        let use_entities = get("use_entities");
        let mut included: FxHashSet<String> = FxHashSet::default();
        let all =
            use_entities.is_none() || use_entities.is_some_and(|u| u.value == Value::Bool(true));
        if all {
            let ignored: FxHashSet<&PyKey> = entities.ignored.iter().collect();
            included.extend(
                entities
                    .names
                    .iter()
                    .filter(|(k, _)| !ignored.contains(k))
                    .map(|(k, _)| py_key_str(k)),
            );
            for (entity, labels) in entities.roles.iter().chain(&entities.groups) {
                included.extend(labels_of(entity, *labels)?);
            }
        } else if let Some(listed) = use_entities.filter(|u| u.is_truthy()) {
            let listed = py_iter(
                At::new(at.file, listed),
                &format!("`use_entities` of intent `{name}`"),
            )?;
            included.extend(listed.iter().cloned());
            for entity in listed {
                included.extend(self.labels_for(&entity, entities)?);
            }
        }
        let mut excluded: FxHashSet<String> = FxHashSet::default();
        let ignore = get("ignore_entities");
        match ignore {
            Some(node) if node.is_truthy() => {
                let listed = py_iter(
                    At::new(at.file, node),
                    &format!("`ignore_entities` of intent `{name}`"),
                )?;
                for entity in listed {
                    excluded.extend(self.labels_for(&entity, entities)?);
                    excluded.insert(entity);
                }
            }
            Some(node) if node.is_null() => {
                // `set(None)`.
                return Err(BuildError::at(
                    At::new(at.file, node),
                    "TypeError",
                    "'NoneType' object is not iterable".to_owned(),
                    format!(
                        "`ignore_entities` of intent `{name}` is empty (null): Rasa stops with a TypeError; remove it or list entities"
                    ),
                ));
            }
            Some(_) => {}
            None if self.v3 => excluded.extend(entities.ignored.iter().map(py_key_str)),
            None => {}
        }
        let mut used: Vec<String> = included.difference(&excluded).cloned().collect();
        used.sort();
        Ok(used)
    }

    /// The role and group labels of one entity (`concatenate_entity_labels(labels,
    /// entity)`).
    fn labels_for(&self, entity: &str, entities: &Entities<'a>) -> Result<Vec<String>, BuildError> {
        let mut out = Vec::new();
        for list in [&entities.roles, &entities.groups] {
            // The last declaration of an entity's labels wins, as in a dict.
            if let Some((key, labels)) = list.iter().rev().find(|(k, _)| py_key_str(k) == entity) {
                if entity.is_empty() {
                    for (other, labels) in list {
                        out.extend(labels_of(other, *labels)?);
                    }
                } else {
                    out.extend(labels_of(key, *labels)?);
                }
            }
        }
        Ok(out)
    }

    /// The forms as the domain holds them, and the form names Rasa 2 turns into custom
    /// actions (a Rasa 1 list of forms).
    fn forms(&self, view: Option<&View<'a>>) -> (Vec<BuiltForm<'a>>, Vec<Named<'a>>) {
        match view {
            Some(View::Dict(entries)) => {
                let forms = entries
                    .iter()
                    .map(|e| BuiltForm {
                        name: py_key_str(&PyKey::of(e.key)),
                        at: At::new(e.file, e.key),
                        body: if e.value.is_null() {
                            FormBody::Null
                        } else if e.value.get("required_slots").is_some() {
                            FormBody::Written(At::new(e.file, e.value))
                        } else {
                            FormBody::Wrapped(At::new(e.file, e.value))
                        },
                    })
                    .collect();
                (forms, Vec::new())
            }
            Some(View::List(items))
                if !self.v3 && items.first().is_none_or(|i| i.node.as_str().is_some()) =>
            {
                let forms = items
                    .iter()
                    .map(|i| BuiltForm {
                        name: py_key_str(&PyKey::of(i.node)),
                        at: *i,
                        body: FormBody::Empty,
                    })
                    .collect();
                (
                    forms,
                    items.iter().map(|i| (PyKey::of(i.node), *i)).collect(),
                )
            }
            _ => (Vec::new(), Vec::new()),
        }
    }

    fn responses(&self) -> Vec<Named<'a>> {
        match self.raw.view("responses") {
            Some(View::Dict(entries)) => entries.iter().map(key_named).collect(),
            _ => Vec::new(),
        }
    }

    fn e2e_actions(&self) -> Result<Vec<At<'a>>, BuildError> {
        match self.raw.view("e2e_actions") {
            None | Some(View::Null(_)) => Ok(Vec::new()),
            Some(View::List(items)) => Ok(items),
            Some(View::Other(at)) if !self.v3 && !at.node.is_truthy() => Ok(Vec::new()),
            Some(View::Dict(entries)) if !self.v3 && entries.is_empty() => Ok(Vec::new()),
            Some(view) => {
                let at = match view {
                    View::Other(at) => at,
                    _ => self.section_at("e2e_actions"),
                };
                let kind = match view {
                    View::Dict(_) => "dict",
                    _ => py_type(at.node),
                };
                Err(BuildError::at(
                    at,
                    "TypeError",
                    format!("can only concatenate list (not \"{kind}\") to list"),
                    "`e2e_actions` is not a list of bot texts".to_owned(),
                ))
            }
        }
    }

    /// `_sanitize_intents_in_domain_dict` on the domain's data: every property value of a
    /// mapping item must be a mapping, and the items must sort by name.
    fn sanitize_intents(&self) -> Result<(), BuildError> {
        let Some(View::List(items)) = self.raw.view("intents") else {
            return Ok(());
        };
        let mut keys: Vec<(Option<PyKey>, At<'a>)> = Vec::new();
        for item in &items {
            match &item.node.value {
                Value::Map(entries) => {
                    self.check_extra_intents(item.file, entries)?;
                    keys.push((entries.first().map(|(k, _)| PyKey::of(k)), *item));
                }
                Value::Str(_) => keys.push((Some(PyKey::of(item.node)), *item)),
                _ => keys.push((None, *item)),
            }
        }
        // A null intent is the intent `None`, which the first sort of the intents (with
        // the default ones) fails on, if this one does not.
        if let Some((_, at)) = keys
            .iter()
            .find(|(k, _)| matches!(k, None | Some(PyKey::None)))
        {
            return Err(BuildError::at(
                *at,
                "TypeError",
                "'<' not supported between instances of 'NoneType' and 'str'".to_owned(),
                "an item of `intents` is empty (null): remove the lone `-`".to_owned(),
            ));
        }
        if keys.len() < 2 {
            return Ok(());
        }
        let kinds: FxHashSet<u8> = keys
            .iter()
            .map(|(k, _)| match k {
                None | Some(PyKey::None) => 0,
                Some(PyKey::Str(_)) => 1,
                Some(_) => 2,
            })
            .collect();
        if kinds.len() > 1 {
            let at = keys
                .iter()
                .find(|(k, _)| !matches!(k, Some(PyKey::Str(_))))
                .map_or(keys[0].1, |(_, a)| *a);
            return Err(BuildError::at(
                at,
                "TypeError",
                "'<' not supported between instances of 'int' and 'str'".to_owned(),
                "an intent's name is a number: quote it".to_owned(),
            ));
        }
        Ok(())
    }

    /// The second and later keys of an intent item written as a mapping keep their value
    /// as written, which Rasa reads back as properties: Rasa 3.6 resets their entity
    /// flags (`.keys()`), Rasa 2.8 writes their `used_entities` (when it compares the
    /// domain with an empty one, on every load).
    fn check_extra_intents(
        &self,
        file: FileId,
        entries: &'a [(Node, Node)],
    ) -> Result<(), BuildError> {
        let message = "an intent's properties must be a mapping (`use_entities: …`); write one intent per item";
        for (index, (_, value)) in entries.iter().enumerate() {
            let at = At::new(file, value);
            if self.v3 && value.as_map().is_none() {
                return Err(BuildError::at(
                    at,
                    "AttributeError",
                    format!("'{}' object has no attribute 'keys'", py_type(value)),
                    message.to_owned(),
                ));
            }
            if self.v3 || index == 0 {
                continue;
            }
            match value.as_map() {
                None => {
                    return Err(BuildError::at(
                        at,
                        "TypeError",
                        format!("'{}' object is not subscriptable", py_type(value)),
                        message.to_owned(),
                    ));
                }
                Some(_) if value.get("used_entities").is_none() => {
                    return Err(BuildError::at(
                        at,
                        "KeyError",
                        "'used_entities'".to_owned(),
                        "Rasa 2 reads only the first intent of an item written as a mapping of several: write one intent per item".to_owned(),
                    ));
                }
                Some(_) => {}
            }
        }
        Ok(())
    }

    /// `action_names_or_texts`: default actions, declared and response actions, forms not
    /// declared as actions, end-to-end bot texts.
    fn action_names(
        &self,
        custom: &[Named<'a>],
        responses: &[Named<'a>],
        forms: &[BuiltForm<'a>],
        e2e: &[At<'a>],
    ) -> Vec<(PyKey, Option<At<'a>>)> {
        let declared: FxHashSet<&PyKey> = custom.iter().map(|(k, _)| k).collect();
        let mut response_names: Vec<&Named<'a>> = responses
            .iter()
            .filter(|(k, _)| !declared.contains(k))
            .collect();
        response_names.sort_by(|a, b| a.0.cmp(&b.0));
        let mut names: Vec<(PyKey, Option<At<'a>>)> = self
            .version
            .default_actions()
            .map(|a| (PyKey::Str(a.to_owned()), None))
            .collect();
        let is_default = |k: &PyKey| {
            k.as_str()
                .is_some_and(|a| self.version.is_default_action(a))
        };
        names.extend(
            custom
                .iter()
                .chain(response_names)
                .filter(|(k, _)| !is_default(k))
                .map(|(k, at)| (k.clone(), Some(*at))),
        );
        names.extend(
            forms
                .iter()
                .filter(|f| !declared.contains(&PyKey::Str(f.name.clone())))
                .map(|f| (PyKey::Str(f.name.clone()), Some(f.at))),
        );
        names.extend(e2e.iter().map(|at| (PyKey::of(at.node), Some(*at))));
        names
    }

    /// `_check_domain_sanity`: duplicate actions, slots and entities, and `triggers` to
    /// unknown actions, in one `InvalidDomain`.
    fn check_sanity(
        &self,
        actions: &[(PyKey, Option<At<'a>>)],
        slots: &[BuiltSlot<'a>],
        entities: &Entities<'a>,
        intents: &[BuiltIntent<'a>],
    ) -> Result<(), BuildError> {
        let slot_names: Vec<(PyKey, Option<At<'a>>)> = slots
            .iter()
            .map(|s| (PyKey::Str(s.name.clone()), s.at))
            .collect();
        let entity_names: Vec<(PyKey, Option<At<'a>>)> = entities
            .names
            .iter()
            .map(|(k, a)| (k.clone(), Some(*a)))
            .collect();
        let mut lines = Vec::new();
        let mut first: Option<(At<'a>, String)> = None;
        let mut only_duplicates = true;
        for (list, what) in [
            (actions, "actions"),
            (&slot_names[..], "slots"),
            (&entity_names[..], "entities"),
        ] {
            let (names, at) = duplicates(list);
            if names.is_empty() {
                continue;
            }
            lines.push(format!(
                "Duplicate {what} in domain. These {what} occur more than once in the domain: '{}'.",
                names.join(", ")
            ));
            if first.is_none()
                && let Some(at) = at
            {
                let kind = &what[..what.len() - 1];
                first = Some((
                    at,
                    format!(
                        "{kind} `{}` is declared more than once: Rasa refuses the domain",
                        names[0]
                    ),
                ));
            }
        }
        let known: FxHashSet<&PyKey> = actions.iter().map(|(k, _)| k).collect();
        for intent in intents {
            let Some(trigger) = intent
                .properties
                .iter()
                .rev()
                .find(|e| e.key.as_str() == Some("triggers"))
            else {
                continue;
            };
            if known.contains(&PyKey::of(trigger.value)) {
                continue;
            }
            let action = trigger
                .value
                .python_str()
                .unwrap_or_else(|| "None".to_owned());
            only_duplicates = false;
            lines.push(format!(
                "Intent '{}' is set to trigger action '{action}', which is not defined in the domain.",
                intent.name
            ));
            if first.is_none() {
                first = Some((
                    At::new(trigger.file, trigger.value),
                    format!(
                        "intent `{}` triggers `{action}`, which is no action of the domain: Rasa refuses the domain",
                        intent.name
                    ),
                ));
            }
        }
        match first {
            None if lines.is_empty() => Ok(()),
            found => {
                let (at, message) = found.unwrap_or_else(|| (unreachable_at(), lines[0].clone()));
                let mut error = BuildError::at(at, "InvalidDomain", lines.join("\n"), message);
                error.duplicate_name = only_duplicates;
                Err(error)
            }
        }
    }
}

/// A mapping entry's key as a name, with where it is written.
fn key_named<'a>(entry: &Entry<'a>) -> Named<'a> {
    let at = At::new(entry.file, entry.key);
    (PyKey::of(entry.key), at)
}

/// The names listed more than once (in order of first appearance), and where the first
/// repetition is written.
fn duplicates<'a>(list: &[(PyKey, Option<At<'a>>)]) -> (Vec<String>, Option<At<'a>>) {
    let mut counts: Vec<(&PyKey, usize)> = Vec::new();
    let mut index: FxHashMap<&PyKey, usize> = FxHashMap::default();
    let mut at = None;
    for (key, place) in list {
        match index.get(key) {
            Some(&i) => {
                counts[i].1 += 1;
                if at.is_none() {
                    at = *place;
                }
            }
            None => {
                index.insert(key, counts.len());
                counts.push((key, 1));
            }
        }
    }
    let names = counts
        .into_iter()
        .filter(|(_, n)| *n > 1)
        .map(|(k, _)| py_key_str(k))
        .collect();
    (names, at)
}

/// The slots Rasa adds: `requested_slot` when there are forms, the knowledge base's
/// slots when its action is used, `__other__` for categorical slots, and
/// `session_started_metadata`.
fn add_default_slots<'a>(
    slots: &mut Vec<BuiltSlot<'a>>,
    forms: &[BuiltForm<'a>],
    actions: &[(PyKey, Option<At<'a>>)],
    v3: bool,
) {
    let text_slot = |name: &str| BuiltSlot {
        name: name.to_owned(),
        at: None,
        type_name: "text".to_owned(),
        influence_conversation: Py::Bool(false),
        mappings: None,
        initial_value: Py::Null,
        values: None,
        min_value: None,
        max_value: None,
        auto_fill: None,
    };
    let has = |slots: &[BuiltSlot], name: &str| slots.iter().any(|s| s.name == name);
    // Rasa 3's added slots have `mappings: []`, Rasa 2's `auto_fill: true`.
    let complete = |mut slot: BuiltSlot<'a>| {
        if v3 {
            slot.mappings = Some(Py::EmptyList);
        } else {
            slot.auto_fill = Some(Py::Bool(true));
        }
        slot
    };
    if !forms.is_empty() && !has(slots, "requested_slot") {
        slots.push(complete(text_slot("requested_slot")));
    }
    if actions
        .iter()
        .any(|(k, _)| k.as_str() == Some("action_query_knowledge_base"))
    {
        for name in crate::rasa::KNOWLEDGE_BASE_SLOTS {
            if !has(slots, name) {
                slots.push(complete(text_slot(name)));
            }
        }
    }
    for slot in slots.iter_mut() {
        if let Some(values) = &mut slot.values
            && !values.iter().any(|v| v == "__other__")
        {
            values.push("__other__".to_owned());
        }
    }
    let mut metadata = complete(text_slot("session_started_metadata"));
    metadata.type_name = "any".to_owned();
    slots.push(metadata);
}

/// The slot classes Rasa knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SlotClass {
    Text,
    Bool,
    Categorical,
    Float,
    List,
    Any,
    /// Rasa 2 only.
    Unfeaturized,
    /// A module path Rasa imports.
    Custom,
}

impl SlotClass {
    const ALL: &[(SlotClass, &str, &str)] = &[
        (SlotClass::Text, "text", "TextSlot"),
        (SlotClass::Bool, "bool", "BooleanSlot"),
        (SlotClass::Categorical, "categorical", "CategoricalSlot"),
        (SlotClass::Float, "float", "FloatSlot"),
        (SlotClass::List, "list", "ListSlot"),
        (SlotClass::Any, "any", "AnySlot"),
        (SlotClass::Unfeaturized, "unfeaturized", "UnfeaturizedSlot"),
    ];

    fn exists_in(self, version: RasaVersion) -> bool {
        self != SlotClass::Unfeaturized || version != RasaVersion::V3
    }

    fn by_name(name: &str, version: RasaVersion) -> Option<SlotClass> {
        Self::ALL
            .iter()
            .find(|(c, n, _)| *n == name && c.exists_in(version))
            .map(|(c, ..)| *c)
    }

    fn by_class_name(name: &str, version: RasaVersion) -> Option<SlotClass> {
        Self::ALL
            .iter()
            .find(|(c, _, n)| *n == name && c.exists_in(version))
            .map(|(c, ..)| *c)
    }

    fn names(version: RasaVersion) -> Vec<&'static str> {
        Self::ALL
            .iter()
            .filter(|(c, ..)| c.exists_in(version))
            .map(|(_, n, _)| *n)
            .collect()
    }

    fn type_name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(c, ..)| *c == self)
            .map_or("custom", |(_, n, _)| n)
    }

    /// The class whose `__init__` takes the settings (for Python's message).
    fn init_owner(self, version: RasaVersion) -> &'static str {
        if version != RasaVersion::V3 {
            return "";
        }
        match self {
            SlotClass::Float => "FloatSlot",
            SlotClass::Categorical => "CategoricalSlot",
            SlotClass::Any => "AnySlot",
            _ => "Slot",
        }
    }

    /// Whether the class's constructor takes the setting `key`.
    fn accepts(self, key: &str, version: RasaVersion) -> bool {
        let common: &[&str] = if version == RasaVersion::V3 {
            &[
                "mappings",
                "initial_value",
                "value_reset_delay",
                "influence_conversation",
            ]
        } else {
            &[
                "initial_value",
                "value_reset_delay",
                "auto_fill",
                "influence_conversation",
            ]
        };
        self == SlotClass::Custom
            || common.contains(&key)
            || (self == SlotClass::Float && matches!(key, "min_value" | "max_value"))
            || (self == SlotClass::Categorical && key == "values")
    }
}

/// A slot setting the constructor does not take.
fn unexpected_setting(
    entry: &Entry<'_>,
    key: &Node,
    name: &str,
    key_name: &str,
    class: &SlotClass,
    version: RasaVersion,
) -> BuildError {
    let owner = class.init_owner(version);
    let dot = if owner.is_empty() { "" } else { "." };
    let hint = match (key_name, version) {
        ("auto_fill", RasaVersion::V3) => "`auto_fill` was removed in Rasa 3: slots are filled by their `mappings` only; remove it".to_owned(),
        ("mappings", _) => "slot `mappings` need Rasa 3: in Rasa 2 a form maps its slots (`forms: {form: {required_slots: {slot: [mappings]}}}`), and entities fill slots of their name".to_owned(),
        _ => format!("a `{}` slot takes {}", class.type_name(), accepted(class, version)),
    };
    BuildError::at(
        At::new(entry.file, key),
        "TypeError",
        format!("{owner}{dot}__init__() got an unexpected keyword argument '{key_name}'"),
        format!(
            "slot `{name}` has the setting `{key_name}`, which Rasa {} does not know: {hint}",
            version.release()
        ),
    )
}

fn accepted(class: &SlotClass, version: RasaVersion) -> String {
    let settings = [
        "mappings",
        "initial_value",
        "value_reset_delay",
        "auto_fill",
        "influence_conversation",
        "min_value",
        "max_value",
        "values",
    ];
    let names: Vec<String> = settings
        .iter()
        .filter(|s| class.accepts(s, version))
        .map(|s| format!("`{s}`"))
        .collect();
    names.join(", ")
}

/// A float slot's range: `min >= max` is refused, and values that do not compare stop
/// Rasa.
fn check_float_range<'a>(
    entry: &Entry<'a>,
    name: &str,
    min: &Py<'a>,
    max: &Py<'a>,
    initial: &Py<'a>,
    get: &dyn Fn(&str) -> Option<&'a Node>,
) -> Result<(), BuildError> {
    let place = |key: &str| {
        get(key).map_or(At::new(entry.file, entry.key), |node| {
            At::new(entry.file, node)
        })
    };
    let not_comparable = |key: &str, a: &Py, b: &Py| {
        BuildError::at(
            place(key),
            "TypeError",
            format!(
                "'>=' not supported between instances of '{}' and '{}'",
                py_type_of(a),
                py_type_of(b)
            ),
            format!("`{key}` of float slot `{name}` is not a number"),
        )
    };
    match py_cmp(min, max) {
        None => return Err(not_comparable("min_value", min, max)),
        Some(std::cmp::Ordering::Less) => {}
        Some(_)
            if py_number(min).is_some_and(f64::is_nan)
                || py_number(max).is_some_and(f64::is_nan) => {}
        Some(_) => {
            return Err(BuildError::at(
                place("min_value"),
                "InvalidSlotConfigError",
                format!(
                    "Float slot ('{name}') created with an invalid range using min ({}) and max ({}) values. Make sure min is smaller than max.",
                    py_display(min),
                    py_display(max)
                ),
                format!(
                    "float slot `{name}` has `min_value` {} not below `max_value` {}",
                    py_display(min),
                    py_display(max)
                ),
            ));
        }
    }
    if !matches!(
        initial,
        Py::Null
            | Py::Node(Node {
                value: Value::Null,
                ..
            })
    ) && (py_cmp(min, initial).is_none() || py_cmp(initial, max).is_none())
    {
        return Err(BuildError::at(
            place("initial_value"),
            "TypeError",
            format!(
                "'<=' not supported between instances of '{}' and '{}'",
                py_type_of(min),
                py_type_of(initial)
            ),
            format!("`initial_value` of float slot `{name}` is not a number"),
        ));
    }
    Ok(())
}

/// A categorical slot's `values`, as `str(v).lower()` of each non-null value.
fn categorical_values(
    entry: &Entry<'_>,
    name: &str,
    values: Option<&Node>,
) -> Result<Vec<String>, BuildError> {
    let Some(values) = values.filter(|v| v.is_truthy()) else {
        return Ok(Vec::new());
    };
    let at = At::new(entry.file, values);
    match &values.value {
        Value::Seq(items) => Ok(items
            .iter()
            .filter(|v| !v.is_null())
            .map(|v| python_display(v).to_lowercase())
            .collect()),
        Value::Str(_) => Err(BuildError::at(
            at,
            "TypeError",
            "'in <string>' requires string as left operand, not NoneType".to_owned(),
            format!(
                "`values` of categorical slot `{name}` is a string: write a list (`values: [a, b]`)"
            ),
        )),
        Value::Map(entries) => Ok(entries
            .iter()
            .map(|(k, _)| python_display(k).to_lowercase())
            .collect()),
        _ => Err(BuildError::at(
            at,
            "TypeError",
            format!("argument of type '{}' is not iterable", py_type(values)),
            format!("`values` of categorical slot `{name}` is not a list"),
        )),
    }
}

/// `SlotMapping.validate` (3.6) of every slot's mappings.
fn validate_slot_mappings(slots: &[Entry<'_>]) -> Result<(), BuildError> {
    for slot in slots {
        let name = py_key_str(&PyKey::of(slot.key));
        let Some(mappings) = slot.value.get("mappings") else {
            continue;
        };
        for mapping in mappings.as_seq().unwrap_or_default() {
            let at = At::new(slot.file, mapping);
            validate_mapping(at, &name, None)?;
        }
    }
    Ok(())
}

/// The mapping types of a version, with the key each requires.
fn mapping_types(v3: bool) -> &'static [(&'static str, Option<&'static str>)] {
    if v3 {
        &[
            ("from_entity", Some("entity")),
            ("from_intent", Some("value")),
            ("from_trigger_intent", Some("value")),
            ("from_text", None),
            ("custom", None),
        ]
    } else {
        &[
            ("from_entity", Some("entity")),
            ("from_intent", Some("value")),
            ("from_trigger_intent", Some("value")),
            ("from_text", None),
        ]
    }
}

/// One slot mapping: a mapping, with a known `type` and the key the type requires.
/// `form` is the form of a Rasa 2 mapping.
fn validate_mapping(at: At<'_>, slot: &str, form: Option<&str>) -> Result<(), BuildError> {
    if at.node.as_map().is_none() {
        let (rasa, message) = match form {
            None => (
                format!(
                    "Please make sure that the slot mappings for slot '{slot}' in your domain are valid dictionaries. Please see {DOCS_SLOTS} for more information."
                ),
                format!(
                    "a mapping of slot `{slot}` is {}, not a mapping (`- type: from_entity`)",
                    at.node.value.kind()
                ),
            ),
            Some(form) => (
                format!(
                    "Please make sure that the slot mappings for slot '{slot}' in your form '{form}' are valid dictionaries. Please see {DOCS_FORMS} for more information."
                ),
                format!(
                    "a mapping of slot `{slot}` in form `{form}` is {}, not a mapping",
                    at.node.value.kind()
                ),
            ),
        };
        return Err(BuildError::at(at, "InvalidDomain", rasa, message));
    }
    let mapping_type = at.node.get("type");
    let shown_type = mapping_type
        .and_then(Node::python_str)
        .unwrap_or_else(|| "None".to_owned());
    let types = mapping_types(form.is_none());
    let Some((type_name, required)) = mapping_type
        .and_then(Node::as_str)
        .and_then(|t| types.iter().find(|(n, _)| *n == t))
    else {
        let names: Vec<&str> = types.iter().map(|(n, _)| *n).collect();
        let place = mapping_type.map_or(at, |node| At::new(at.file, node));
        let rasa = match form {
            None => format!(
                "Your domain uses an invalid slot mapping of type '{shown_type}' for slot '{slot}'. Please see {DOCS_SLOTS} for more information."
            ),
            Some(form) => format!(
                "Your form '{form}' uses an invalid slot mapping of type '{shown_type}' for slot '{slot}'. Please see {DOCS_FORMS} for more information."
            ),
        };
        let what = if mapping_type.is_some() {
            format!("the unknown type `{shown_type}`")
        } else {
            "no `type`".to_owned()
        };
        return Err(BuildError::at(
            place,
            "InvalidDomain",
            rasa,
            format!(
                "a mapping of slot `{slot}` has {what} (the types are {})",
                names.join(", ")
            ),
        ));
    };
    if let Some(key) = required
        && at.node.get(key).is_none_or(Node::is_null)
    {
        let rasa = match form {
            None => format!(
                "You need to specify a value for the key '{key}' in the slot mapping of type '{type_name}' for slot '{slot}'. Please see {DOCS_SLOTS} for more information."
            ),
            Some(form) => format!(
                "You need to specify a value for the key '{key}' in the slot mapping of type '{type_name}' for slot '{slot}' in the form '{form}'. Please see {DOCS_FORMS} for more information."
            ),
        };
        return Err(BuildError::at(
            at,
            "InvalidDomain",
            rasa,
            format!("a `{type_name}` mapping of slot `{slot}` has no `{key}`"),
        ));
    }
    Ok(())
}

/// `_validate_forms` (3.6).
fn validate_forms_3_6(view: Option<&View<'_>>, key: At<'_>) -> Result<(), BuildError> {
    let entries = match view {
        None => return Ok(()),
        Some(View::Dict(entries)) => entries,
        Some(View::Null(_) | View::Other(_) | View::List(_)) => return Err(forms_not_dict(key)),
    };
    for form in entries {
        let name = py_key_str(&PyKey::of(form.key));
        if form.value.is_null() {
            continue;
        }
        let Some(body) = form.value.as_map() else {
            return Err(form_not_dict(form, &name));
        };
        let has = |k: &str| body.iter().any(|(key, _)| key.as_str() == Some(k));
        if has("ignored_intents") && !has("required_slots") {
            return Err(BuildError::key(
                form,
                "InvalidDomain",
                format!(
                    "If you use the `ignored_intents` parameter in your form, then the keyword `required_slots` is required. Please see {DOCS_FORMS} for more information."
                ),
                format!("form `{name}` has `ignored_intents` but no `required_slots`"),
            ));
        }
    }
    Ok(())
}

fn forms_not_dict(at: At<'_>) -> BuildError {
    BuildError::at(
        at,
        "InvalidDomain",
        "Forms have to be specified as dictionary.".to_owned(),
        "`forms` must be a mapping of form names".to_owned(),
    )
}

fn form_not_dict(form: &Entry<'_>, name: &str) -> BuildError {
    BuildError::at(
        At::new(form.file, form.value),
        "InvalidDomain",
        format!(
            "The contents of form '{name}' were specified as '{}'. They need to be specified as dictionary. Please see {DOCS_FORMS} for more information.",
            py_class(form.value)
        ),
        format!(
            "form `{name}` is {}, not a mapping",
            form.value.value.kind()
        ),
    )
}

/// `_validate_slot_mappings(forms)` (2.8): forms as a mapping of slot mappings, or a
/// Rasa 1 list of names.
fn validate_forms_2_8(view: Option<&View<'_>>, key: At<'_>) -> Result<(), BuildError> {
    let entries = match view {
        None => return Ok(()),
        Some(View::List(items)) => {
            return match items.iter().find(|i| i.node.as_str().is_none()) {
                None => Ok(()),
                Some(at) => Err(BuildError::at(
                    *at,
                    "InvalidDomain",
                    format!(
                        "If you use the deprecated list syntax for forms, all form names have to be strings. Please see {DOCS_FORMS} for more information."
                    ),
                    "an item of the `forms` list is not a form name".to_owned(),
                )),
            };
        }
        Some(View::Dict(entries)) => entries,
        Some(View::Null(_) | View::Other(_)) => return Err(forms_not_dict(key)),
    };
    for form in entries {
        let name = py_key_str(&PyKey::of(form.key));
        if form.value.is_null() {
            continue;
        }
        let Some(body) = form.value.as_map() else {
            return Err(form_not_dict(form, &name));
        };
        let find = |k: &str| {
            body.iter()
                .rev()
                .find(|(key, _)| key.as_str() == Some(k))
                .map(|(_, v)| v)
        };
        if find("ignored_intents").is_some() && find("required_slots").is_none() {
            return Err(BuildError::key(
                form,
                "InvalidDomain",
                format!(
                    "If you use the `ignored_intents` parameter in your form, then the keyword `required_slots` should precede the definition of your slot mappings. Please see {DOCS_FORMS} for more information."
                ),
                format!(
                    "form `{name}` has `ignored_intents` but no `required_slots`: put its slots under `required_slots`"
                ),
            ));
        }
        let slots = find("required_slots").unwrap_or(form.value);
        let Some(slots) = slots.as_map() else {
            let place = find("required_slots").map_or(At::new(form.file, form.value), |node| {
                At::new(form.file, node)
            });
            let hint = if slots.as_seq().is_some() {
                ": a list of slot names is Rasa 3's form; Rasa 2 wants each slot with its mappings (`required_slots: {slot: [mappings]}`)"
            } else {
                ""
            };
            return Err(BuildError::at(
                place,
                "InvalidDomain",
                format!(
                    "The slots for form '{name}' were specified as '{}'. They need to be specified as dictionary. Please see {DOCS_FORMS} for more information.",
                    py_class(slots)
                ),
                format!(
                    "the required slots of form `{name}` are {}, not a mapping of slots to their mappings{hint}",
                    slots.value.kind()
                ),
            ));
        };
        for (slot, mappings) in slots {
            let slot_name = py_key_str(&PyKey::of(slot));
            let Some(list) = mappings.as_seq() else {
                return Err(BuildError::at(
                    At::new(form.file, mappings),
                    "InvalidDomain",
                    format!(
                        "The slot mappings for slot '{slot_name}' in form '{name}' have type '{}'. It is required to provide a list of slot mappings. Please see {DOCS_FORMS} for more information.",
                        py_class(mappings)
                    ),
                    format!(
                        "the mappings of slot `{slot_name}` in form `{name}` are {}, not a list",
                        mappings.value.kind()
                    ),
                ));
            };
            for mapping in list {
                let at = At::new(form.file, mapping);
                validate_mapping(at, &slot_name, Some(&name))?;
            }
        }
    }
    Ok(())
}

/// The labels `entity#label` of one entity's `roles` or `groups` value, iterated as
/// Python iterates it.
fn labels_of(entity: &PyKey, labels: At<'_>) -> Result<Vec<String>, BuildError> {
    let entity = py_key_str(entity);
    let items = py_iter(labels, &format!("the labels of entity `{entity}`"))?;
    Ok(items
        .into_iter()
        .map(|label| format!("{entity}#{label}"))
        .collect())
}

/// The items Python's iteration yields, as `str()` writes them: a list's items, a
/// string's characters, a mapping's keys; other values are not iterable.
fn py_iter(at: At<'_>, what: &str) -> Result<Vec<String>, BuildError> {
    match &at.node.value {
        Value::Seq(items) => Ok(items.iter().map(python_display).collect()),
        Value::Str(s) => Ok(s.chars().map(String::from).collect()),
        Value::Map(entries) => Ok(entries.iter().map(|(k, _)| python_display(k)).collect()),
        _ => Err(not_iterable(at, what)),
    }
}

fn not_iterable(at: At<'_>, what: &str) -> BuildError {
    BuildError::at(
        at,
        "TypeError",
        format!("'{}' object is not iterable", py_type(at.node)),
        format!(
            "{} is {}, not a list: Rasa stops with a TypeError",
            shown_section(what),
            at.node.value.kind()
        ),
    )
}

/// A top-level key as messages name it (`intents` → "`intents`"); other descriptions as
/// given.
fn shown_section(what: &str) -> String {
    if what.contains(' ') || what.contains('`') {
        what.to_owned()
    } else {
        format!("`{what}`")
    }
}

/// Python's `str()` of any loaded value (lists and mappings as their `repr`).
pub fn python_display(node: &Node) -> String {
    match &node.value {
        Value::Null => "None".to_owned(),
        Value::Seq(items) => {
            let shown: Vec<String> = items.iter().map(python_repr).collect();
            format!("[{}]", shown.join(", "))
        }
        Value::Map(entries) => {
            let shown: Vec<String> = entries
                .iter()
                .map(|(k, v)| format!("{}: {}", python_repr(k), python_repr(v)))
                .collect();
            format!("{{{}}}", shown.join(", "))
        }
        _ => node.python_str().unwrap_or_default(),
    }
}

fn python_repr(node: &Node) -> String {
    match &node.value {
        Value::Str(s) if s.contains('\'') && !s.contains('"') => format!("\"{s}\""),
        Value::Str(s) => format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'")),
        _ => python_display(node),
    }
}

/// `str(type(value))`: `<class 'NoneType'>`.
fn py_class(node: &Node) -> String {
    format!("<class '{}'>", py_type(node))
}

fn py_truthy(value: &Py<'_>) -> bool {
    match value {
        Py::Node(node) => node.is_truthy(),
        Py::Null | Py::EmptyList => false,
        Py::Bool(b) => *b,
        Py::Int(i) => *i != 0,
        Py::Float(f) => *f != 0.0,
    }
}

fn py_number(value: &Py<'_>) -> Option<f64> {
    match value {
        Py::Node(node) => match node.value {
            Value::Int(i) => Some(i as f64),
            Value::Float(f) => Some(f),
            Value::Bool(b) => Some(f64::from(u8::from(b))),
            _ => None,
        },
        Py::Bool(b) => Some(f64::from(u8::from(*b))),
        Py::Int(i) => Some(*i as f64),
        Py::Float(f) => Some(*f),
        Py::Null | Py::EmptyList => None,
    }
}

/// Python's ordering of two values, `None` when Python cannot compare them.
fn py_cmp(a: &Py<'_>, b: &Py<'_>) -> Option<std::cmp::Ordering> {
    if let (Some(x), Some(y)) = (py_number(a), py_number(b)) {
        return Some(x.partial_cmp(&y).unwrap_or(std::cmp::Ordering::Equal));
    }
    match (a, b) {
        (
            Py::Node(Node {
                value: Value::Str(x),
                ..
            }),
            Py::Node(Node {
                value: Value::Str(y),
                ..
            }),
        ) => Some(x.cmp(y)),
        _ => None,
    }
}

fn py_type_of(value: &Py<'_>) -> &'static str {
    match value {
        Py::Node(node) => py_type(node),
        Py::Null => "NoneType",
        Py::Bool(_) => "bool",
        Py::Int(_) => "int",
        Py::Float(_) => "float",
        Py::EmptyList => "list",
    }
}

fn py_display(value: &Py<'_>) -> String {
    match value {
        Py::Node(node) => python_display(node),
        Py::Null => "None".to_owned(),
        Py::Bool(b) => if *b { "True" } else { "False" }.to_owned(),
        Py::Int(i) => i.to_string(),
        Py::Float(f) => crate::yaml::python_float_str(*f),
        Py::EmptyList => "[]".to_owned(),
    }
}

fn sorted_names(names: impl Iterator<Item = String>) -> Vec<String> {
    let mut names: Vec<String> = names.collect();
    names.sort();
    names.dedup();
    names
}

fn sorted_intents(mut intents: Vec<BuiltIntent<'_>>) -> Vec<BuiltIntent<'_>> {
    intents.sort_by(|a, b| a.name.cmp(&b.name));
    intents
}

/// Entities with labels, the last declaration of each winning (a dict by name).
fn labels_out<'a>(labels: &[(PyKey, At<'a>)]) -> Vec<(String, At<'a>)> {
    let mut out: Vec<(String, At<'a>)> = Vec::new();
    for (key, at) in labels {
        let name = py_key_str(key);
        match out.iter_mut().find(|(n, _)| *n == name) {
            Some((_, old)) => *old = *at,
            None => out.push((name, *at)),
        }
    }
    out
}

/// A place for errors that concern no written node: never used for a real file's node,
/// it keeps the types simple where Rasa's defaults are involved.
fn unreachable_at() -> At<'static> {
    static NULL: Node = Node {
        value: Value::Null,
        span: 0..0,
    };
    At::new(FileId(0), &NULL)
}

/// Why Rasa builds no domain from a bot's domain files.
#[derive(Debug, Clone)]
pub enum DomainError<'a> {
    /// A file refused alone (its schema, or building it): Rasa validates each file of a
    /// folder alone before merging.
    File {
        file: FileId,
        refusal: &'a crate::model::domain::VersionRefusal,
    },
    /// Merging the files failed.
    Merge(crate::model::domain_raw::MergeError<'a>),
    /// Building the merged domain failed.
    Build(BuildError),
}

impl DomainError<'_> {
    /// Rasa's report: the exception's class and text.
    pub fn rasa(&self) -> String {
        match self {
            DomainError::File { refusal, .. } => refusal.rasa.clone(),
            DomainError::Merge(error) => format!("{}: {}", error.exception, error.rasa),
            DomainError::Build(error) => format!("{}: {}", error.exception, error.rasa),
        }
    }
}

/// A bot's domain as `version` builds it, and the names its files share.
#[derive(Debug, Clone)]
pub struct Folded<'a> {
    pub domain: BuiltDomain<'a>,
    pub duplicates: crate::model::domain_raw::Duplicates,
}

/// The domain Rasa `version` builds from `files`: domain files named directly, or the
/// files of a domain folder (`folder`) in the order Rasa walks them. Each file is first
/// loaded alone; a file skipped for its `version` is empty, except in a folder, which
/// merges its content anyway. Then the files' mappings are merged and the domain built.
pub fn build_files<'a>(
    files: &[(FileId, &'a crate::model::domain::DomainFile)],
    version: RasaVersion,
    folder: bool,
) -> Result<Folded<'a>, DomainError<'a>> {
    use crate::model::domain::RefusalOutcome;
    let mut raws = Vec::with_capacity(files.len());
    for (file, domain) in files {
        let refused = domain
            .refusals(version)
            .find(|r| r.outcome != RefusalOutcome::Skipped);
        if let Some(refusal) = refused {
            return Err(DomainError::File {
                file: *file,
                refusal,
            });
        }
        let skipped = domain
            .refusals(version)
            .any(|r| r.outcome == RefusalOutcome::Skipped);
        match domain.tree.as_deref() {
            // A domain file named directly and skipped for its version is an empty domain.
            Some(_) if skipped && !folder => {}
            Some(root) => raws.push(RawDomain::of_file(*file, root)),
            None => {}
        }
    }
    let (merged, duplicates) =
        crate::model::domain_raw::merge(&raws, version).map_err(DomainError::Merge)?;
    let domain = build(&merged, version).map_err(DomainError::Build)?;
    Ok(Folded { domain, duplicates })
}
