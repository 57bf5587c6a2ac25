//! What Rasa 1.10 read from a Markdown bot, and what Rasa 3.6 reads from its conversion,
//! brought to one shape so the two can be compared: the converter compares its own output
//! (read back with rasalint's 3.6 readers) with the source, and the oracle tests compare
//! Rasa's own two readings, stored.
//!
//! Both sides are entries of the oracles' `dump.py` JSON (rasalint's `dump` writes the
//! same shapes). The normal form of an NLU entry holds the examples (exact duplicates
//! dropped, as both Rasas drop them; entities sorted by offset, with role and group), the
//! synonyms, the regex features (sorted, as both sort them), the lookup tables (same-name
//! tables merged, as 3.x merges them; a 1.x file table read from its file) and the
//! responses (`utter_` + the 1.x key → its texts). A domain's holds its names.

use serde_json::{Map, Value, json};

use crate::convert::Note;
use crate::load::Role;
use crate::model::Project;
use crate::rasa::RasaVersion;
use crate::source::{FileId, SourceFile};

/// How a 1.x file lookup table is read: its path (as written) to its elements.
pub type LookupFiles<'a> = &'a dyn Fn(&str) -> Option<Vec<String>>;

/// The elements Rasa 1.10's featurizer reads from a lookup file: one per line, stripped,
/// empty lines skipped.
pub fn lookup_elements(content: &str) -> Vec<String> {
    content
        .lines()
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .map(str::to_string)
        .collect()
}

/// The normal form of a Rasa 1.10 NLU or responses (`nlg`) entry.
pub fn normal_1(entry: &Value, lookup_files: LookupFiles) -> Value {
    if entry.get("error").is_some() {
        return json!({"error": true});
    }
    if let Some(nlg) = entry.get("nlg").and_then(Value::as_object) {
        let responses: Map<String, Value> = nlg
            .iter()
            .map(|(key, texts)| (format!("utter_{key}"), texts.clone()))
            .collect();
        return json!({"responses": responses});
    }
    let nlu = &entry["nlu"];
    let mut out = normal_nlu(nlu, |name, elements| match elements {
        Value::String(path) => lookup_files(path)
            .map(|e| json!(e))
            .unwrap_or_else(|| json!(format!("unreadable lookup file {path} for {name}"))),
        other => other.clone(),
    });
    out["responses"] = json!({});
    out
}

/// The normal form of a Rasa 3.6 NLU entry (examples and responses).
pub fn normal_3(entry: &Value) -> Value {
    if entry.get("error").is_some() {
        return json!({"error": true});
    }
    let nlu = &entry["nlu"];
    let mut out = normal_nlu(nlu, |_, elements| elements.clone());
    let responses: Map<String, Value> = nlu["responses"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(name, variations)| {
            let texts: Vec<Value> = variations
                .as_array()
                .into_iter()
                .flatten()
                .map(|v| v.get("text").cloned().unwrap_or(Value::Null))
                .collect();
            (name.clone(), json!(texts))
        })
        .collect();
    if !responses.is_empty() && out["examples"].as_array().is_some_and(Vec::is_empty) {
        // A responses file: only its responses are compared.
        return json!({"responses": responses});
    }
    out["responses"] = json!(responses);
    out
}

/// The part of the normal form both readings share.
fn normal_nlu(nlu: &Value, elements: impl Fn(&str, &Value) -> Value) -> Value {
    let mut examples: Vec<Value> = Vec::new();
    for example in nlu["examples"].as_array().into_iter().flatten() {
        let mut entities: Vec<Value> = example["entities"].as_array().cloned().unwrap_or_default();
        entities.sort_by_key(|e| (e["start"].as_u64(), e["end"].as_u64()));
        let normal = json!({
            "intent": example["intent"],
            "response_key": example["response_key"],
            "text": example["text"],
            "entities": entities,
        });
        if !examples.contains(&normal) {
            examples.push(normal);
        }
    }
    let mut lookups: Vec<(String, Vec<Value>)> = Vec::new();
    for table in nlu["lookup"].as_array().into_iter().flatten() {
        let name = table["name"].as_str().unwrap_or_default().to_string();
        let read = elements(&name, &table["elements"]);
        let items = match read {
            Value::Array(items) => items,
            other => vec![other],
        };
        match lookups.iter_mut().find(|(n, _)| *n == name) {
            Some((_, all)) => all.extend(items),
            None => lookups.push((name, items)),
        }
    }
    let mut regex: Vec<Value> = nlu["regex"].as_array().cloned().unwrap_or_default();
    regex.sort_by_key(|r| format!("{}+{}", r["name"], r["pattern"]));
    json!({
        "examples": examples,
        "synonyms": nlu["synonyms"],
        "regex": regex,
        "lookup": lookups.into_iter().map(|(n, e)| json!({"name": n, "elements": e})).collect::<Vec<_>>(),
    })
}

/// Default names Rasa 3.6 adds to every domain, which a 1.x domain did not list.
const DEFAULT_INTENTS_3: &[&str] = &[
    "restart",
    "back",
    "out_of_scope",
    "session_start",
    "nlu_fallback",
];
const IMPLICIT_SLOTS_3: &[&str] = &[
    "session_started_metadata",
    "requested_slot",
    "knowledge_base_listed_objects",
    "knowledge_base_last_object",
    "knowledge_base_last_object_type",
];

/// The names of a Rasa 1.10 domain entry (dump.py's `domain`), actions with their 3.x
/// names.
pub fn domain_names_1(entry: &Value) -> Value {
    let domain = &entry["domain"];
    let list = |key: &str| -> Vec<String> {
        let mut names: Vec<String> = domain[key]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect();
        names.sort();
        names.dedup();
        names
    };
    // A `respond_faq` is Rasa 3's `utter_faq`, which Rasa 3 adds to the domain itself for
    // the retrieval responses: compared apart from the domain's own names.
    let (retrieval, actions): (Vec<String>, Vec<String>) = list("actions")
        .into_iter()
        .partition(|a| a.starts_with("respond_"));
    let retrieval: Vec<String> = retrieval.iter().map(|a| action_3(a)).collect();
    let actions: Vec<String> = actions.iter().map(|a| action_3(a)).collect();
    json!({
        "intents": list("intents"),
        "entities": list("entities"),
        "slots": list("slots"),
        "responses": list("templates"),
        "actions": sorted(actions),
        "forms": list("forms"),
        "retrieval_actions": sorted(retrieval),
    })
}

/// A 1.x action's name in Rasa 3.
fn action_3(name: &str) -> String {
    match name.strip_prefix("respond_") {
        Some(rest) => format!("utter_{rest}"),
        None if name == "action_deactivate_form" => "action_deactivate_loop".into(),
        None => name.to_string(),
    }
}

fn sorted(mut names: Vec<String>) -> Vec<String> {
    names.sort();
    names.dedup();
    names
}

/// The names of a Rasa 3.6 domain entry, without what 3.6 adds to every domain that the
/// 1.x domain `one` (its normal form) did not list.
pub fn domain_names_3(entry: &Value, one: &Value) -> Value {
    let domain = &entry["domain"];
    if domain.is_null() {
        return json!({"error": entry.get("error")});
    }
    let listed = |key: &str, name: &str| {
        one[key]
            .as_array()
            .is_some_and(|a| a.iter().any(|v| v.as_str() == Some(name)))
    };
    let names = |value: &Value| -> Vec<String> {
        match value {
            Value::Array(items) => items
                .iter()
                .filter_map(|v| match v {
                    Value::String(s) => Some(s.clone()),
                    Value::Object(o) => o.get("name").and_then(Value::as_str).map(str::to_string),
                    _ => None,
                })
                .collect(),
            Value::Object(map) => map.keys().cloned().collect(),
            _ => Vec::new(),
        }
    };
    let intents = names(&domain["intents"])
        .into_iter()
        .filter(|i| !DEFAULT_INTENTS_3.contains(&i.as_str()) || listed("intents", i))
        .collect();
    let slots = names(&domain["slots"])
        .into_iter()
        .filter(|s| !IMPLICIT_SLOTS_3.contains(&s.as_str()) || listed("slots", s))
        .collect();
    let responses = names(&domain["responses"]);
    let retrieval: Vec<String> = one["retrieval_actions"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| a.as_str().map(str::to_string))
        .collect();
    let mut actions = names(&domain["actions"]);
    actions.extend(responses.iter().cloned());
    actions.retain(|a| !retrieval.contains(a));
    json!({
        "intents": sorted(intents),
        "entities": sorted(names(&domain["entities"])),
        "slots": sorted(slots),
        "responses": sorted(responses),
        "actions": sorted(actions),
        "forms": sorted(names(&domain["forms"])),
        "retrieval_actions": retrieval,
    })
}

/// rasalint's Rasa 3.6 reading of a text written at `path` (data or domain), as an oracle
/// entry.
pub fn read_as_3(path: &str, text: &str, role: Role) -> Value {
    let (parts, _) = crate::load::parse(FileId(0), text, role);
    let file = SourceFile::new(path.into(), path.into(), text.to_string());
    let mut project = Project::new(std::path::PathBuf::new(), vec![file], vec![parts]);
    project.set_rasa(crate::model::version::RasaChoice {
        version: RasaVersion::V3,
        source: crate::model::version::VersionSource::Given("convert".into()),
    });
    crate::dump::dump(&project)
        .get(path)
        .cloned()
        .unwrap_or(Value::Null)
}

/// How the project's file lookups read, from the bot's folder.
fn project_lookups(project: &Project) -> impl Fn(&str) -> Option<Vec<String>> + '_ {
    move |path: &str| {
        let bytes = crate::load::read_bounded(&project.root.join(path)).ok()?;
        Some(lookup_elements(&String::from_utf8(bytes).ok()?))
    }
}

/// Notes for where Rasa 3.6 would read the converted NLU `text` of `file` otherwise than
/// Rasa 1.10 read the Markdown.
pub fn compare_nlu(project: &Project, file: FileId, text: &str) -> Vec<Note> {
    let Some(one) = crate::dump::dump_file(&project.parts[file.index()]) else {
        return Vec::new();
    };
    let lookups = project_lookups(project);
    let one = normal_1(&one, &lookups);
    let three = normal_3(&read_as_3(
        "converted.yml",
        text,
        Role::YamlData {
            test_stories: false,
        },
    ));
    let mut notes = differences(file, &one, &three);
    // A difference in an example: the note points at the example.
    if let (Some(note), Some(nlu)) = (notes.first_mut(), project.parts[file.index()].nlu.as_ref()) {
        let (path, _) = first_difference_at(&one, &three);
        let index = path
            .strip_prefix("/examples/")
            .and_then(|rest| rest.split('/').next())
            .and_then(|i| i.parse::<usize>().ok());
        let text = index.and_then(|i| one["examples"][i]["text"].as_str());
        if let Some(example) = text.and_then(|t| nlu.examples.iter().find(|e| e.text == t)) {
            note.span = Some(example.span.clone());
        }
    }
    notes
}

/// Notes for a converted responses file read otherwise than the Markdown was.
pub fn compare_responses(project: &Project, file: FileId, text: &str) -> Vec<Note> {
    compare_nlu(project, file, text)
}

/// Notes for a converted domain that Rasa 3.6 refuses, or whose names differ from what
/// Rasa 1.10 read.
pub fn compare_domain(project: &Project, file: FileId, text: &str) -> Vec<Note> {
    let mut notes = Vec::new();
    let (parts, _) = crate::load::parse(FileId(0), text, Role::Domain);
    if let Some(domain) = parts.domain.as_deref() {
        for refusal in domain.refusals(RasaVersion::V3) {
            notes.push(Note {
                file,
                span: None,
                message: format!(
                    "Rasa 3.6 refuses the converted domain: {} ({})",
                    refusal.message, refusal.rasa
                ),
            });
        }
    }
    let Some(one) = crate::dump::dump_file(&project.parts[file.index()]) else {
        return notes;
    };
    let one = domain_names_1(&one);
    let three = domain_names_3(&read_as_3("domain.yml", text, Role::Domain), &one);
    if notes.is_empty() && one != three {
        notes.push(Note {
            file,
            span: None,
            message: format!(
                "Rasa 3.6 reads other names from the converted domain than Rasa 1.10 read: {}",
                first_difference(&one, &three)
            ),
        });
    }
    notes
}

/// Notes for the differences of two normal forms, the first few examples that differ
/// named.
fn differences(file: FileId, one: &Value, three: &Value) -> Vec<Note> {
    if one == three {
        return Vec::new();
    }
    vec![Note {
        file,
        span: None,
        message: format!(
            "Rasa 3.6 would read the converted file otherwise than Rasa 1.10 read this one: {}",
            first_difference(one, three)
        ),
    }]
}

/// The first place where two JSON values differ, said briefly.
pub fn first_difference(one: &Value, three: &Value) -> String {
    first_difference_at(one, three).1
}

/// The first place where two JSON values differ: its JSON path, and a message.
fn first_difference_at(one: &Value, three: &Value) -> (String, String) {
    fn walk(path: &str, a: &Value, b: &Value) -> Option<(String, String)> {
        if a == b {
            return None;
        }
        match (a, b) {
            (Value::Object(x), Value::Object(y)) => {
                for key in x.keys().chain(y.keys()) {
                    let (va, vb) = (
                        x.get(key).unwrap_or(&Value::Null),
                        y.get(key).unwrap_or(&Value::Null),
                    );
                    if let Some(found) = walk(&format!("{path}/{key}"), va, vb) {
                        return Some(found);
                    }
                }
                None
            }
            (Value::Array(x), Value::Array(y)) => {
                for i in 0..x.len().max(y.len()) {
                    let (va, vb) = (
                        x.get(i).unwrap_or(&Value::Null),
                        y.get(i).unwrap_or(&Value::Null),
                    );
                    if let Some(found) = walk(&format!("{path}/{i}"), va, vb) {
                        return Some(found);
                    }
                }
                None
            }
            _ => Some((
                path.to_string(),
                format!("at {path}: Rasa 1.10 read {a}, Rasa 3.6 reads {b}"),
            )),
        }
    }
    walk("", one, three).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use crate::load::{Input, Role};

    /// The conversion of one Markdown NLU file `text`, as a bot of its own.
    fn notes_for(text: &str) -> Vec<crate::convert::Note> {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().join("nlu.md");
        std::fs::write(&path, text).expect("written");
        let input = Input {
            root: dir.path().to_path_buf(),
            files: vec![(path, Role::Data)],
            ..Input::default()
        };
        let (project, _) = crate::load::load(&input);
        crate::convert::convert(&project).needs_person
    }

    #[test]
    fn markup_3x_reads_and_1x_did_not_is_a_note_at_its_example() {
        let notes = notes_for("## intent:greet\n- hi\n- see [docs][1] here\n");
        assert_eq!(notes.len(), 1, "{notes:#?}");
        assert!(
            notes[0].message.contains("see [docs][1] here"),
            "{notes:#?}"
        );
        assert_eq!(notes[0].span, Some(23..41), "{notes:#?}");
    }

    #[test]
    fn a_faithful_conversion_has_no_note() {
        assert!(notes_for("## intent:greet\n- hi [there](who)\n").is_empty());
    }
}
