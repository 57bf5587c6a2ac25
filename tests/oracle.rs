//! Agreement with Rasa 1.10 itself: rasalint's reading of every file in `fixtures/syntax`
//! must equal what Rasa read from it (`fixtures/syntax/oracle.json`, made once with
//! `fixtures/syntax/make-oracle.sh`, which runs Rasa's own reader through
//! `../shared/tools/rasa-oracle/dump.py`).
//!
//! Compared: NLU examples (intent, response key, text, entities with offsets, values,
//! roles, groups), synonyms, regex, lookups; story blocks (name, checkpoints with
//! conditions, events); retrieval responses; which story lines Rasa skips; and whether Rasa
//! refuses a file. Not compared: the wording of Rasa's error messages, and the exact
//! `as_story_string` of rare events (only their type). Deliberate differences are listed
//! in docs/compat.md and excluded below by file name.

mod common;

use std::collections::BTreeMap;

use serde_json::{Value, json};

use rasalint::load::{Input, Role};

/// Files where rasalint deliberately reads differently (see docs/compat.md).
const DELIBERATE_DIFFERENCES: &[&str] = &["stories/json_values_rasa_keeps.md"];

fn oracle() -> BTreeMap<String, Value> {
    let path = common::fixtures().join("syntax/oracle.json");
    let text = std::fs::read_to_string(path).expect("fixtures/syntax/oracle.json exists");
    serde_json::from_str(&text).expect("oracle.json is JSON")
}

fn ours() -> BTreeMap<String, Value> {
    let root = common::fixtures().join("syntax");
    let mut files = Vec::new();
    for dir in ["nlu", "stories", "responses"] {
        for file in
            rasalint::discover::data_files(&root.join(dir)).expect("the fixtures can be listed")
        {
            let role = Role::data(&file);
            files.push((file, role));
        }
    }
    let (project, _) = rasalint::load::load(&Input {
        root,
        files,
        ..Input::default()
    });
    serde_json::from_value(rasalint::dump::dump(&project)).expect("dump is an object")
}

/// What is compared of one file's entry.
fn normalise(entry: &Value) -> Value {
    let mut entry = entry.clone();
    let skipped: Vec<Value> = entry["warnings"]
        .as_array()
        .map(|w| {
            w.iter()
                .filter(|m| m.as_str().is_some_and(|m| m.starts_with("Skipping line")))
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    if entry.get("error").is_some() {
        return json!({"kind": entry["kind"], "error": true});
    }
    if let Some(blocks) = entry
        .pointer_mut("/stories/blocks")
        .and_then(Value::as_array_mut)
    {
        for event in blocks
            .iter_mut()
            .flat_map(|b| b["events"].as_array_mut().into_iter().flatten())
        {
            if let Some(event_type) = event.get("event").cloned() {
                *event = json!({"event": event_type});
            }
        }
    }
    let object = entry.as_object_mut().expect("entries are objects");
    object.remove("warnings");
    object.insert("skipped".into(), Value::Array(skipped));
    entry
}

#[test]
fn rasalint_reads_every_fixture_as_rasa_does() {
    let (oracle, ours) = (oracle(), ours());
    assert!(oracle.len() >= 40, "the oracle covers the fixtures");
    let mut differences = Vec::new();
    for (path, expected) in &oracle {
        if DELIBERATE_DIFFERENCES.contains(&path.as_str()) {
            continue;
        }
        let Some(actual) = ours.get(path) else {
            differences.push(format!("{path}: Rasa reads it, rasalint does not"));
            continue;
        };
        let (expected, actual) = (normalise(expected), normalise(actual));
        if expected != actual {
            differences.push(format!(
                "{path}:\n  rasa:     {expected}\n  rasalint: {actual}"
            ));
        }
    }
    for path in ours.keys().filter(|p| !oracle.contains_key(*p)) {
        differences.push(format!("{path}: rasalint reads it, Rasa does not"));
    }
    assert!(
        differences.is_empty(),
        "{} of {} files differ:\n{}",
        differences.len(),
        oracle.len(),
        differences.join("\n")
    );
}
