//! Agreement with Rasa 3.6 and 2.8 themselves on YAML stories and rules: for every file of
//! the fixture bots `fixtures/yaml-stories` (Rasa 3.6) and `fixtures/yaml-stories-2.8`
//! (Rasa 2.8), rasalint's `dump` must hold the story steps Rasa built (`oracle.json`, made
//! once with `fixtures/yaml-stories/make-oracle.sh`, which runs Rasa's own reader through
//! `../shared/tools/rasa3-oracle/dump.py`), or refuse the file where Rasa does, for the
//! same reason (the exception's class).
//!
//! Compared: each story step's name, kind, start and end checkpoints (with conditions;
//! a list of start checkpoints as a set, since Rasa collects them in a set), its events
//! (user turns with intent, text and entities, actions, bot texts, slots, active loops,
//! other events, rule conditions), which generated checkpoints there are; and which
//! exception stops Rasa at a file. Not compared: Rasa's warnings, the wording of its
//! errors, and the hashes it names generated checkpoints by.

mod common;

use std::collections::BTreeMap;

use serde_json::{Value, json};

use rasalint::layout::{LayoutOptions, resolve};

fn oracle(bot: &str) -> BTreeMap<String, Value> {
    let path = common::fixtures().join(bot).join("oracle.json");
    let text = std::fs::read_to_string(path).expect("the fixture bot has an oracle.json");
    serde_json::from_str(&text).expect("oracle.json is JSON")
}

fn ours(bot: &str) -> BTreeMap<String, Value> {
    let dir = common::fixtures().join(bot);
    let options = LayoutOptions {
        paths: vec![dir.clone()],
        ..LayoutOptions::default()
    };
    let layout = resolve(&options, &dir).expect("the fixture bot's layout resolves");
    let report = rasalint::check(&layout, &rasalint::settings::Settings::default());
    let dumped = rasalint::dump::dump(&report.project);
    let entries: BTreeMap<String, Value> =
        serde_json::from_value(dumped).expect("dump is an object");
    // Paths as the oracle writes them: relative to the bot.
    entries
        .into_iter()
        .map(|(path, entry)| {
            let relative = path
                .rsplit_once(&format!("{bot}/"))
                .map_or(path.clone(), |(_, r)| r.to_string());
            (relative, entry)
        })
        .collect()
}

/// What is compared of one file's entry.
fn normalise(entry: Option<&Value>) -> Value {
    let Some(entry) = entry else {
        return Value::Null;
    };
    if let Some(error) = entry.get("error").and_then(Value::as_str) {
        let class = error.split(':').next().unwrap_or_default();
        return json!({ "error": class });
    }
    let Some(stories) = entry.get("stories") else {
        return json!({ "stories": null });
    };
    let blocks: Vec<Value> = stories["blocks"]
        .as_array()
        .map(|blocks| blocks.iter().map(normalise_block).collect())
        .unwrap_or_default();
    let generated: Vec<&String> = stories
        .get("generated")
        .and_then(Value::as_object)
        .map(|g| g.keys().collect())
        .unwrap_or_default();
    json!({ "blocks": blocks, "generated": generated })
}

fn normalise_block(block: &Value) -> Value {
    let checkpoints = |key: &str| {
        let mut list: Vec<String> = block[key]
            .as_array()
            .map(|l| l.iter().map(common::canonical).collect())
            .unwrap_or_default();
        list.sort();
        list
    };
    json!({
        "name": block["name"], "kind": block["kind"], "events": block["events"],
        "start": checkpoints("start"), "end": checkpoints("end"),
    })
}

fn compare(bot: &str) {
    let oracle = oracle(bot);
    let ours = ours(bot);
    let mut differences = Vec::new();
    for (path, expected) in &oracle {
        let expected = common::canonical(&normalise(Some(expected)));
        let found = common::canonical(&normalise(ours.get(path)));
        if expected != found {
            differences.push(format!(
                "{path}\n  Rasa:     {expected}\n  rasalint: {found}"
            ));
        }
    }
    assert!(
        differences.is_empty(),
        "{bot}: {} of {} files read otherwise than Rasa reads them:\n{}",
        differences.len(),
        oracle.len(),
        differences.join("\n")
    );
}

#[test]
fn yaml_stories_read_as_rasa_3_6_reads_them() {
    compare("yaml-stories");
}

#[test]
fn yaml_stories_read_as_rasa_2_8_reads_them() {
    compare("yaml-stories-2.8");
}

/// RL309 reports each `action_deactivate_form` Rasa 2.8 warns about (`oracle.json` of
/// `yaml-stories-2.8`: one finding per warning, in the same file), and none for Rasa 3.6,
/// which does not rename it.
#[test]
fn deactivate_form_is_reported_where_rasa_2_8_warns() {
    let findings = |bot: &str, version: &str| -> BTreeMap<String, usize> {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_rasalint"))
            .current_dir(common::fixtures().join(bot))
            .args(["check", "--rasa-version", version, "--select", "RL309"])
            .args(["--output-format", "json"])
            .output()
            .expect("rasalint runs");
        let found: Vec<Value> = serde_json::from_slice(&output.stdout).expect("JSON");
        let mut per_file = BTreeMap::new();
        for finding in found {
            let path = finding["path"].as_str().unwrap_or_default().to_string();
            *per_file.entry(path).or_default() += 1;
        }
        per_file
    };
    let mut warned = BTreeMap::new();
    for (path, entry) in oracle("yaml-stories-2.8") {
        let count = entry["warnings"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|w| {
                w.as_str().is_some_and(|w| {
                    w.starts_with("Using action 'action_deactivate_form' is deprecated")
                })
            })
            .count();
        if count > 0 {
            warned.insert(path, count);
        }
    }
    assert!(!warned.is_empty(), "the oracle has the warning");
    assert_eq!(findings("yaml-stories-2.8", "2"), warned);
    assert!(findings("yaml-stories", "3").is_empty());
}
