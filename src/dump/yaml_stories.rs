//! The `stories` entry of the Rasa 3.6 / 2.8 oracle's shape (`dump.py`'s `dump_stories`):
//! the story steps Rasa builds from a YAML file's stories and rules, with the events as
//! Rasa holds them.

use serde_json::{Map, Value, json};

use crate::model::Project;
use crate::model::dialogue::{StepKind, StoryFile, TurnEntity, UserAlternative};
use crate::rasa::RasaVersion;
use crate::syntax::rasa_steps::{Event, StoryStep, story_steps};

use super::GeneratedNames;

/// What Rasa's YAML story reader holds for one file, or why it refuses the file (the
/// oracle's `error`). Slots named without a value take it from the domain.
pub fn dump_stories(
    project: &Project,
    stories: Option<&StoryFile>,
    version: Option<&str>,
) -> Result<Value, String> {
    let Some(stories) = stories else {
        return Ok(json!({"blocks": []}));
    };
    if let Some((_, error)) = &stories.rasa_error {
        return Err(error.clone());
    }
    let rasa = project.rasa.version;
    if skipped_by_version(version, rasa) {
        return Ok(json!({"blocks": []}));
    }
    if rasa == RasaVersion::V2 && has_or_with_slots(stories) {
        return Err("YamlValidationException: Rasa 2.8 allows only user steps in `or`".into());
    }
    let steps = story_steps(stories).map_err(|too_many| {
        format!(
            "rasalint stopped reading: Rasa's copies of the steps of story `{}` cost more than {}",
            too_many.block, too_many.budget
        )
    })?;
    let slots = SlotTypes::of(project);
    let mut names = GeneratedNames::default();
    let mut blocks = Vec::with_capacity(steps.len());
    for step in &steps {
        blocks.push(dump_step(step, &slots, rasa, &mut names)?);
    }
    let mut out = json!({ "blocks": blocks });
    let generated = names.generated();
    if !generated.is_empty() {
        out["generated"] = Value::Object(generated);
    }
    Ok(out)
}

/// Whether Rasa skips the file for a `version:` above the training-data format it reads
/// (`2.0` for Rasa 2.8, `3.1` for Rasa 3.6; spec §2.7), reading it as empty.
fn skipped_by_version(version: Option<&str>, rasa: RasaVersion) -> bool {
    let latest: &[u64] = match rasa {
        RasaVersion::V2 => &[2, 0],
        _ => &[3, 1],
    };
    let Some(written) = version.map(|v| v.trim().trim_matches(['"', '\''])) else {
        return false;
    };
    let parts: Option<Vec<u64>> = written.split('.').map(|p| p.parse().ok()).collect();
    let Some(mut parts) = parts else {
        return false;
    };
    // PEP 440 compares releases padded with zeros (`3.1` == `3.1.0`).
    while parts.len() > 2 && parts.last() == Some(&0) {
        parts.pop();
    }
    let mut padded = latest.to_vec();
    padded.resize(parts.len().max(2), 0);
    parts.resize(padded.len(), 0);
    parts > padded
}

fn has_or_with_slots(stories: &StoryFile) -> bool {
    stories.steps().any(|s| matches!(s.kind, StepKind::Or(_)))
}

fn dump_step(
    step: &StoryStep,
    slots: &SlotTypes,
    rasa: RasaVersion,
    names: &mut GeneratedNames,
) -> Result<Value, String> {
    let (start, end) = names.checkpoints(step);
    let mut events = Vec::with_capacity(step.events.len());
    for (index, event) in step.events.iter().enumerate() {
        let mut dumped = dump_event(event, slots, rasa)?;
        if index < step.conditions {
            dumped["condition"] = json!(true);
        }
        events.push(dumped);
    }
    let name = if step.null_name {
        Value::Null
    } else {
        json!(step.block_name)
    };
    Ok(json!({
        "name": name,
        "kind": if step.rule { "rule" } else { "story" },
        "start": start,
        "end": end,
        "events": events,
    }))
}

fn dump_event(event: &Event, slots: &SlotTypes, rasa: RasaVersion) -> Result<Value, String> {
    Ok(match event {
        Event::User(user) => dump_user(user),
        // Rasa 2.8 renames the form action of Rasa 2.0 (with a FutureWarning).
        Event::Action(name) if rasa == RasaVersion::V2 && name == "action_deactivate_form" => {
            json!({"action": "action_deactivate_loop"})
        }
        Event::Action(name) => json!({"action": name}),
        Event::Bot(text) => json!({"bot": text}),
        Event::Slot(name, value) => json!({"slot": name, "value": value}),
        Event::NamedSlot(name) => json!({"slot": name, "value": slots.named_value(name)?}),
        Event::Form(name) => json!({"active_loop": name}),
        Event::Other(type_name, parameters) => {
            json!({"event": type_name, "story": story_string(type_name, parameters)})
        }
    })
}

fn dump_user(user: &UserAlternative) -> Value {
    let mut out = json!({
        "user": user.intent,
        "text": user.e2e_text(),
        "entities": user.entities.iter().map(dump_entity).collect::<Vec<_>>(),
    });
    if let Some(full) = user.full_retrieval_intent() {
        out["full_retrieval_intent"] = json!(full);
    }
    out
}

/// An entity as Rasa keeps it: keys whose value is `None` are dropped from an
/// `entities:` item (but an item that is null itself keeps `entity: null`).
fn dump_entity(entity: &TurnEntity) -> Value {
    let mut out = Map::new();
    if let (Some(start), Some(end)) = (entity.start, entity.end) {
        out.insert("start".into(), json!(start));
        out.insert("end".into(), json!(end));
        out.insert("value".into(), entity.value.to_json());
    } else if !entity.value.is_null() {
        out.insert("value".into(), entity.value.to_json());
    }
    let null_item = entity.entity.is_none()
        && entity.role().is_none()
        && entity.group().is_none()
        && entity.value.as_str() == Some("");
    if entity.entity.is_some() || null_item {
        out.insert("entity".into(), json!(entity.entity));
    }
    if let Some(role) = entity.role() {
        out.insert("role".into(), json!(role));
    }
    if let Some(group) = entity.group() {
        out.insert("group".into(), json!(group));
    }
    Value::Object(out)
}

/// How Rasa writes an event read from `action: <event name>` back as a story string
/// (`as_story_string`), for the oracle's `story`.
fn story_string(type_name: &str, parameters: &Map<String, Value>) -> Value {
    let name = parameters.get("name").cloned().unwrap_or(Value::Null);
    match type_name {
        "restart" | "rewind" | "reset_slots" | "undo" | "export" | "resume" => json!(type_name),
        // Rasa's `ConversationPaused.as_story_string` returns its `str()`.
        "pause" => json!("ConversationPaused()"),
        "followup" => json!(format!("followup{{\"name\": {name}}}")),
        "cancel_reminder" => json!(format!(
            "cancel_reminder{{\"name\": {name}, \"intent\": null, \"entities\": null}}"
        )),
        _ => Value::Null,
    }
}

/// The domain's slot types, for the value of a slot named without one.
struct SlotTypes<'p> {
    /// Whether a domain was read: without one Rasa gives every such slot no value.
    domain: bool,
    types: Vec<(&'p str, &'p str)>,
}

impl<'p> SlotTypes<'p> {
    fn of(project: &'p Project) -> Self {
        let domains: Vec<_> = project.domain_files().collect();
        SlotTypes {
            domain: !domains.is_empty(),
            types: domains
                .iter()
                .flat_map(|(_, d)| &d.slots)
                .map(|s| {
                    let kind = s.slot_type.as_ref().map_or("", |t| t.name.as_str());
                    (s.name.name.as_str(), kind)
                })
                .collect(),
        }
    }

    /// `_slot_default_value`: `filled` for a text slot, `["filled"]` for a list slot, none
    /// otherwise; a slot the domain lacks stops Rasa (`StopIteration`).
    fn named_value(&self, name: &str) -> Result<Value, String> {
        if !self.domain {
            return Ok(Value::Null);
        }
        let (_, kind) = self
            .types
            .iter()
            .find(|(slot, _)| *slot == name)
            .ok_or_else(|| "StopIteration: ".to_string())?;
        Ok(match *kind {
            "text" => json!("filled"),
            "list" => json!(["filled"]),
            _ => Value::Null,
        })
    }
}
