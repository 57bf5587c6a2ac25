//! The `domain` entry of the Rasa 3.6 / 2.8 oracle's shape (`dump.py`'s `dump_domain`):
//! the domain Rasa builds, with its defaults, as `Domain.load` makes it.

use serde_json::{Map, Value, json};

use crate::model::Project;
use crate::model::domain::DomainFile;
use crate::model::domain_build::{BuiltDomain, BuiltSlot, FormBody, Py, build_files};
use crate::rasa::RasaVersion;
use crate::source::FileId;
use crate::yaml::{Node, Value as Yaml};

/// What the bot's Rasa version reads from one domain file (`Domain.load(file)`), or
/// the error it stops with.
pub fn dump_domain(project: &Project, file: FileId, domain: &DomainFile) -> Result<Value, String> {
    dump_files(project, &[(file, domain)], false)
}

/// What Rasa reads from domain files: several named directly, or (`folder`) the files
/// of a domain folder in walk order, merged.
pub fn dump_files(
    project: &Project,
    files: &[(FileId, &DomainFile)],
    folder: bool,
) -> Result<Value, String> {
    let version = match project.rasa.version {
        RasaVersion::V1 => RasaVersion::V2,
        other => other,
    };
    let folded = build_files(files, version, folder).map_err(|e| e.rasa())?;
    Ok(domain_json(&folded.domain, version))
}

fn domain_json(domain: &BuiltDomain, version: RasaVersion) -> Value {
    let mut intent_properties = Map::new();
    for intent in &domain.intents {
        let properties = match (&intent.raw, &intent.used_entities) {
            (Some(raw), _) => Node::to_json(raw.node),
            (None, used) => {
                let mut map = Map::new();
                for entry in &intent.properties {
                    map.insert(json_key(entry.key), Node::to_json(entry.value));
                }
                map.insert(
                    "used_entities".to_owned(),
                    json!(used.clone().unwrap_or_default()),
                );
                Value::Object(map)
            }
        };
        intent_properties.insert(intent.name.clone(), properties);
    }
    let labels = |labels: &[(String, crate::model::domain_raw::At)]| {
        let map: Map<String, Value> = labels
            .iter()
            .map(|(name, at)| (name.clone(), Node::to_json(at.node)))
            .collect();
        Value::Object(map)
    };
    let mut slots: Vec<&BuiltSlot> = domain.slots.iter().collect();
    slots.sort_by(|a, b| a.name.cmp(&b.name));
    let mut actions = domain.custom_actions.clone();
    actions.sort();
    let forms: Map<String, Value> = domain
        .forms
        .iter()
        .map(|form| {
            let body = match &form.body {
                FormBody::Null => Value::Null,
                FormBody::Written(at) => Node::to_json(at.node),
                FormBody::Wrapped(at) => json!({"required_slots": Node::to_json(at.node)}),
                FormBody::Empty => json!({}),
            };
            (form.name.clone(), body)
        })
        .collect();
    let ignored = if version == RasaVersion::V3 {
        domain.ignored_entities.clone()
    } else {
        Vec::new()
    };
    json!({
        "intents": domain.intents.iter().map(|i| i.name.clone()).collect::<Vec<_>>(),
        "intent_properties": intent_properties,
        "entities": domain.entities,
        "roles": labels(&domain.roles),
        "groups": labels(&domain.groups),
        "ignored_entities": ignored,
        "slots": slots.into_iter().map(slot_json).collect::<Vec<_>>(),
        "responses": domain.responses,
        "actions": actions,
        "forms": forms,
        "e2e_actions": domain.e2e_actions.iter().map(|at| Node::to_json(at.node)).collect::<Vec<_>>(),
        "session_config": {
            "session_expiration_time": py_json(&domain.session_expiration_time),
            "carry_over_slots_to_new_session": py_json(&domain.carry_over_slots),
        },
    })
}

fn slot_json(slot: &BuiltSlot) -> Value {
    let mut out = json!({
        "name": slot.name,
        "type": slot.type_name,
        "influence_conversation": py_json(&slot.influence_conversation),
        "mappings": slot.mappings.as_ref().map_or(Value::Null, py_json),
        "initial_value": py_json(&slot.initial_value),
    });
    if let Some(values) = &slot.values {
        out["values"] = json!(values);
    }
    if let Some(min) = &slot.min_value {
        out["min_value"] = py_json(min);
    }
    if let Some(max) = &slot.max_value {
        out["max_value"] = py_json(max);
    }
    if let Some(auto_fill) = &slot.auto_fill {
        out["auto_fill"] = py_json(auto_fill);
    }
    out
}

fn py_json(value: &Py) -> Value {
    match value {
        Py::Node(node) => Node::to_json(node),
        Py::Null => Value::Null,
        Py::Bool(b) => json!(b),
        Py::Int(i) => json!(i),
        Py::Float(f) => json!(f),
        Py::EmptyList => json!([]),
    }
}

/// A mapping key as `json.dumps` writes it: strings as they are, `true`/`false`/`null`
/// for booleans and null, numbers as Python writes them.
fn json_key(key: &Node) -> String {
    match &key.value {
        Yaml::Bool(b) => b.to_string(),
        Yaml::Null => "null".to_owned(),
        _ => key.python_str().unwrap_or_default(),
    }
}
