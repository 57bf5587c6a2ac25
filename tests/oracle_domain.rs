//! Agreement with Rasa 3.6 and 2.8 themselves on domains: rasalint's reading of every
//! domain file and domain folder in `fixtures/yaml-domain` must equal what Rasa made of
//! it (`oracle-3.6.json`, `oracle-2.8.json`, made once with `make-oracle.sh`, which runs
//! Rasa's own `Domain.load` through `../shared/tools/rasa3-oracle/dump.py`).
//!
//! Compared, per domain entry: the domain Rasa builds (intents with their properties and
//! used entities, entities, roles, groups, ignored entities, slots with every attribute,
//! responses, actions, forms, end-to-end texts, session config), or, when Rasa refuses
//! the file, the class of the exception it stops with. Not compared: the wording of the
//! exceptions, and Rasa's warnings.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

fn read_json(path: &Path) -> BTreeMap<String, Value> {
    let text = std::fs::read_to_string(path).expect("the oracle's JSON exists");
    serde_json::from_str(&text).expect("the oracle's output is JSON")
}

/// The paths make-oracle.sh gives dump.py, in its order.
fn paths(root: &Path) -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(root.join("files"))
        .expect("files/")
        .filter_map(Result::ok)
        .map(|e| format!("files/{}", e.file_name().to_string_lossy()))
        .filter(|p| p.ends_with(".yml"))
        .collect();
    files.sort();
    let mut folders: Vec<String> = std::fs::read_dir(root.join("folders"))
        .expect("folders/")
        .filter_map(Result::ok)
        .map(|e| format!("folders/{}", e.file_name().to_string_lossy()))
        .collect();
    folders.sort();
    files.extend(folders);
    files
}

fn ours(root: &Path, version: &str) -> BTreeMap<String, Value> {
    let output = Command::new(env!("CARGO_BIN_EXE_rasalint"))
        .current_dir(root)
        .args(["dump", "--rasa-version", version])
        .args(paths(root))
        .output()
        .expect("rasalint runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("dump is JSON")
}

/// The exception's class of an `error`.
fn exception(entry: &Value) -> Option<&str> {
    entry["error"]
        .as_str()
        .map(|e| e.split(':').next().unwrap_or(e))
}

fn compare(version: &str, release: &str) {
    let root = common::fixtures().join("yaml-domain");
    let oracle = read_json(&root.join(format!("oracle-{release}.json")));
    let ours = ours(&root, version);
    let mut differences = Vec::new();
    let mut compared = 0;
    for (path, expected) in &oracle {
        // A folder's files that are no domain file to this release are listed as such.
        if expected["kind"] == "other" && path.starts_with("folders/") {
            if ours.get(path) != Some(expected) {
                differences.push(format!(
                    "{path}: Rasa {release} lists {expected}, rasalint {:?}",
                    ours.get(path)
                ));
            }
            continue;
        }
        if expected["kind"] != "domain" {
            continue;
        }
        compared += 1;
        let Some(found) = ours.get(path) else {
            differences.push(format!("{path}: no entry"));
            continue;
        };
        if exception(expected).is_some() || exception(found).is_some() {
            if exception(expected) != exception(found) {
                differences.push(format!(
                    "{path}: Rasa {release} says {:?}, rasalint {:?}",
                    expected["error"], found["error"]
                ));
            }
            continue;
        }
        if expected["domain"] != found["domain"] {
            differences.push(format!(
                "{path}: Rasa {release} reads\n{}\nrasalint\n{}",
                expected["domain"], found["domain"]
            ));
        }
    }
    assert!(compared > 100, "{compared} domain entries compared");
    assert!(differences.is_empty(), "{}", differences.join("\n\n"));
}

#[test]
fn domains_read_as_rasa_3_6_reads_them() {
    compare("3", "3.6");
}

#[test]
fn domains_read_as_rasa_2_8_reads_them() {
    compare("2", "2.8");
}

/// What a deprecation warning of Rasa 2.8's domain loading, or an RL414 finding, is
/// about: an `unfeaturized` slot, a Rasa 1 list of forms, or a form without
/// `required_slots`.
fn deprecation(text: &str) -> Option<&'static str> {
    if text.contains("UnfeaturizedSlot is deprecated") || text.contains("type `unfeaturized`") {
        Some("unfeaturized slot")
    } else if text.contains("old Rasa Open Source 1 list format")
        || text.contains("a list of names")
    {
        Some("list of forms")
    } else if text.contains("preceded by the keyword `required_slots`")
        || text.contains("without `required_slots`")
        || text.contains("no `required_slots`")
        || text.contains("are its own keys")
    {
        Some("form without required_slots")
    } else {
        None
    }
}

/// RL414 reports exactly the deprecation warnings Rasa 2.8 gives while it loads each
/// domain file of the fixtures (`oracle-2.8.json`), one finding per warning, and nothing
/// for Rasa 3.6, which refuses these shapes instead. Files Rasa 2.8 refuses are left out:
/// rasalint reports the refusal alone.
#[test]
fn deprecations_are_the_ones_rasa_2_8_warns_about() {
    let root = common::fixtures().join("yaml-domain");
    let oracle = read_json(&root.join("oracle-2.8.json"));
    let found = |path: &str, version: &str| -> Vec<&'static str> {
        let output = Command::new(env!("CARGO_BIN_EXE_rasalint"))
            .current_dir(&root)
            .args(["check", "--rasa-version", version, "--domain", path])
            .args(["--select", "RL414", "--output-format", "json"])
            .output()
            .expect("rasalint runs");
        let findings: Vec<Value> = serde_json::from_slice(&output.stdout).expect("JSON");
        let mut kinds: Vec<&'static str> = findings
            .iter()
            .map(|f| deprecation(f["message"].as_str().unwrap_or_default()).expect("a known kind"))
            .collect();
        kinds.sort_unstable();
        kinds
    };
    let mut differences = Vec::new();
    let mut warned = 0;
    for (path, expected) in &oracle {
        if !path.starts_with("files/")
            || expected["kind"] != "domain"
            || !expected["error"].is_null()
        {
            continue;
        }
        let mut kinds: Vec<&'static str> = expected["warnings"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|w| deprecation(w.as_str().unwrap_or_default()))
            .collect();
        kinds.sort_unstable();
        warned += kinds.len();
        let ours = found(path, "2");
        if ours != kinds {
            differences.push(format!(
                "{path}: Rasa 2.8 warns {kinds:?}, rasalint {ours:?}"
            ));
        }
        if !kinds.is_empty() && !found(path, "3").is_empty() {
            differences.push(format!("{path}: reported for Rasa 3.6"));
        }
    }
    assert!(warned >= 8, "{warned} deprecation warnings compared");
    assert!(differences.is_empty(), "{}", differences.join("\n"));
}
