//! The stories' event paths of an oracle reading (Rasa 1.10's of the Markdown, Rasa 3.6's
//! of the conversion), normalised so that the two compare: shared by the stories tests and
//! the whole-bot tests of `rasalint convert`.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::canonical;

/// Which reading an entry is.
#[derive(Clone, Copy, PartialEq, Debug)]
pub enum Reading {
    /// Rasa 1.10, training mode: a user turn's `text` is the line (`greet{"a": 1}`) and
    /// entities carry the offsets of the JSON in it, which no policy reads.
    Markdown,
    /// Rasa 1.10 reading end-to-end test stories (`rasa test --e2e`): the text and
    /// annotated entities are the test's.
    MarkdownEndToEnd,
    Yaml,
}

/// Every story of a file's reading, by story name: its story steps (in Rasa's order), each
/// with its start and end checkpoints and its events, normalised. Generated checkpoints
/// are numbered by first appearance within the story (1.10 numbers them over the file,
/// 3.6 over each output file, and the conversion splits a file in two).
pub fn event_paths(entries: &[(&Value, Reading)]) -> BTreeMap<String, Vec<Value>> {
    let mut stories: BTreeMap<String, Vec<&Value>> = BTreeMap::new();
    let mut readings: BTreeMap<String, Reading> = BTreeMap::new();
    for (entry, reading) in entries {
        for block in entry["stories"]["blocks"].as_array().into_iter().flatten() {
            let name = block["name"].as_str().unwrap_or_default().to_string();
            readings.insert(name.clone(), *reading);
            stories.entry(name).or_default().push(block);
        }
    }
    stories
        .into_iter()
        .map(|(name, blocks)| {
            let reading = readings[&name];
            let mut generated: Vec<String> = Vec::new();
            let mut checkpoint = |c: &Value| -> Value {
                let name = c["name"].as_str().unwrap_or_default().to_string();
                let shown = if name.starts_with("GENR_") {
                    let index = generated
                        .iter()
                        .position(|g| *g == name)
                        .unwrap_or_else(|| {
                            generated.push(name.clone());
                            generated.len() - 1
                        });
                    format!("GENR_OR #{}", index + 1)
                } else {
                    name
                };
                json!({"name": shown, "conditions": c["conditions"]})
            };
            let steps = blocks
                .iter()
                .map(|b| {
                    let mut start: Vec<String> = b["start"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(|c| canonical(&checkpoint(c)))
                        .collect();
                    start.sort();
                    let end: Vec<String> = b["end"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(|c| canonical(&checkpoint(c)))
                        .collect();
                    let events: Vec<Value> = b["events"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|e| normalise_event(e, reading))
                        .collect();
                    json!({"start": start, "end": end, "events": events})
                })
                .collect();
            (name, steps)
        })
        .collect()
}

/// An event as far as the story graph goes, or `None` for an event the conversion leaves
/// out on purpose (with a note). What is forgiven, and why it is no difference:
///
/// * a training turn's `text` and entity offsets (1.10 keeps the line `greet{"a": 1}` and
///   the span of the JSON; 3.6 has no text and no offsets for an `intent:` step): policies
///   featurise a turn by intent and entity names, never by that text;
/// * 1.10's `form` event is 3.6's `active_loop` event (Rasa 2 renamed it; same effect);
/// * `action_deactivate_form` and `respond_x` are 3.x's `action_deactivate_loop` and
///   `utter_x` (Rasa 2's renames, done by the converter with a note);
/// * an event that 3.x writes back differently (`pause` as `ConversationPaused()`): the
///   event type is what the tracker sees;
/// * events the converter keeps as comments with a note (a `followup`, `export` or
///   `form_validation` with parameters, an action named like a 3.x event, an action
///   without a name): left out here, on the 1.10 side only (3.6 has nothing there);
/// * a 3.6 retrieval intent is its `full_retrieval_intent` (1.10 keeps the full name);
/// * an entity whose value is null (`* inform{"city": null}`), which a 3.x story cannot
///   write: the converter writes the entity without a value (3.6 reads `""`), with a note;
///   the entity's presence, which is what policies featurise, is the same.
pub fn normalise_event(event: &Value, reading: Reading) -> Option<Value> {
    if let Some(intent) = event.get("user") {
        let intent = event.get("full_retrieval_intent").unwrap_or(intent);
        let with_text = match reading {
            Reading::Markdown => false,
            Reading::MarkdownEndToEnd => true,
            Reading::Yaml => !event["text"].is_null(),
        };
        let entities: Vec<Value> = event["entities"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|e| {
                let mut e = e.clone();
                if !with_text && let Some(map) = e.as_object_mut() {
                    map.remove("start");
                    map.remove("end");
                }
                if reading == Reading::Markdown && e["value"].is_null() {
                    e["value"] = json!("");
                }
                e
            })
            .collect();
        let text = if with_text {
            event["text"].clone()
        } else {
            Value::Null
        };
        return Some(json!({"user": intent, "text": text, "entities": entities}));
    }
    if let Some(form) = event.get("form").or_else(|| event.get("active_loop")) {
        return Some(json!({ "active_loop": form }));
    }
    if let Some(action) = event.get("action").and_then(Value::as_str) {
        let renamed = match action {
            "action_deactivate_form" => "action_deactivate_loop".to_string(),
            a if a.starts_with("respond_") => a.replacen("respond_", "utter_", 1),
            a => a.to_string(),
        };
        let kept_as_comment = renamed.is_empty()
            || [
                "active_loop",
                "loop_interrupted",
                "entities",
                "user_featurization",
            ]
            .contains(&renamed.as_str());
        return (!kept_as_comment).then(|| json!({ "action": renamed }));
    }
    if let Some(kind) = event.get("event").and_then(Value::as_str) {
        let story = event["story"].as_str().unwrap_or_default();
        let kept_as_comment = match kind {
            "followup" => story != "followup{\"name\": \"followup\"}",
            "export"
            | "form_validation"
            | "reminder"
            | "cancel_reminder"
            | "action_execution_rejected" => true,
            _ => false,
        };
        return (!kept_as_comment).then(|| json!({ "event": kind }));
    }
    Some(event.clone())
}

/// The stories whose event paths differ between Rasa 1.10's reading `markdown` (of one
/// Markdown story file) and Rasa 3.6's readings `converted` (of the files it was converted
/// to), each said with both paths.
pub fn story_differences(
    markdown: (&Value, Reading),
    converted: &[(&Value, Reading)],
) -> Vec<String> {
    let expected = event_paths(&[markdown]);
    let found = event_paths(converted);
    let names: std::collections::BTreeSet<&String> = expected.keys().chain(found.keys()).collect();
    let shown = |s: Option<&Vec<Value>>| s.map_or("-".into(), |s| canonical(&json!(s)));
    names
        .into_iter()
        .filter_map(|name| {
            let (a, b) = (shown(expected.get(name)), shown(found.get(name)));
            (a != b).then(|| format!("story `{name}`\n  1.10: {a}\n  3.6:  {b}"))
        })
        .collect()
}
