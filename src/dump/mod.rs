//! What rasalint read, as JSON in the shape of the Rasa oracle's `dump.py`, so the two
//! readings can be compared file by file (see docs/compat.md).

mod yaml;
mod yaml_domain;
mod yaml_nlu;
mod yaml_stories;

use serde_json::{Map, Value, json};

use crate::model::dialogue::{SkippedLine, StoryFile};
use crate::model::domain::DomainFile;
use crate::model::nlu::{LookupElements, NluFile};
use crate::model::responses::ResponsesFile;
use crate::model::{FileParts, Project};
use crate::syntax::rasa_steps::{Checkpoint, Event, StoryStep, story_steps};

/// The oracle's entry for a domain folder: the domain its files (those the bot's Rasa
/// version reads, in walk order) merge into, or the error Rasa stops with.
pub fn dump_domain_folder(
    project: &Project,
    files: &[(crate::source::FileId, &DomainFile)],
) -> Value {
    match yaml_domain::dump_files(project, files, true) {
        Ok(domain) => json!({"kind": "domain", "domain": domain}),
        Err(error) => json!({"kind": "domain", "error": error}),
    }
}

/// One JSON object keyed by file path (as shown), for every file Rasa would read.
pub fn dump(project: &Project) -> Value {
    let mut out = Map::new();
    for (index, (file, parts)) in project.files.iter().zip(&project.parts).enumerate() {
        let yaml_bot = project.rasa.version != crate::rasa::RasaVersion::V1;
        let entry = if yaml_bot || parts.yaml.is_some() {
            yaml::dump_file(project, crate::source::FileId(index as u32))
        } else {
            dump_file(parts)
        };
        if let Some(entry) = entry {
            out.insert(file.path.to_string_lossy().replace('\\', "/"), entry);
        }
    }
    Value::Object(out)
}

/// What Rasa reads from one file (no spans, so two texts Rasa reads alike dump alike);
/// `None` for files the dump leaves out. A Markdown file has one part, dumped in the
/// oracle's shape for its kind.
pub fn dump_file(parts: &FileParts) -> Option<Value> {
    if let Some(unreadable) = &parts.unreadable {
        let kind = unreadable.kind?;
        return Some(json!({"kind": kind, "error": unreadable.reason}));
    }
    if let Some(nlu) = &parts.nlu {
        return Some(dump_nlu(nlu));
    }
    if let Some(stories) = &parts.stories {
        return Some(dump_stories(stories));
    }
    if let Some(nlg) = &parts.responses {
        let entry = json!({"kind": "nlg", "nlg": dump_nlg(nlg)});
        return Some(with_warnings(entry, &nlg.skipped));
    }
    let domain = parts.domain.as_deref()?;
    Some(json!({"kind": "domain", "domain": dump_domain(domain)}))
}

fn dump_nlu(nlu: &NluFile) -> Value {
    if let Some(error) = &nlu.rasa_error {
        return json!({"kind": "nlu", "error": error});
    }
    let mut examples: Vec<Value> = Vec::new();
    for example in &nlu.examples {
        let entry = json!({
            "intent": example.intent,
            "response_key": example.response_key(),
            "text": example.text,
            "entities": example.entities.iter().map(|e| {
                let mut entity = json!({"start": e.start, "end": e.end, "value": e.value, "entity": e.entity});
                if let Some(role) = e.role() { entity["role"] = json!(role); }
                if let Some(group) = e.group() { entity["group"] = json!(group); }
                entity
            }).collect::<Vec<_>>(),
        });
        // Rasa drops exact duplicates (same text, intent and entities), keeping the first.
        if !examples.contains(&entry) {
            examples.push(entry);
        }
    }
    let mut synonyms = std::collections::BTreeMap::new();
    for synonym in &nlu.synonyms {
        synonyms.insert(synonym.text.clone(), synonym.value.clone());
    }
    let regex: Vec<Value> = nlu
        .regexes
        .iter()
        .map(|r| json!({"name": r.name, "pattern": r.pattern}))
        .collect();
    let lookup: Vec<Value> = nlu
        .lookups
        .iter()
        .map(|l| match &l.elements {
            LookupElements::List(items) => json!({"name": l.name, "elements": items.iter().map(|(t, _)| t).collect::<Vec<_>>()}),
            LookupElements::File(path, _) => json!({"name": l.name, "elements": path}),
        })
        .collect();
    json!({"kind": "nlu", "nlu": {
        "examples": examples, "synonyms": synonyms, "regex": sorted_regex(regex), "lookup": lookup, "responses": {}
    }})
}

/// Rasa sorts regex features by name and pattern after loading.
fn sorted_regex(mut regex: Vec<Value>) -> Vec<Value> {
    regex.sort_by_key(|r| {
        format!(
            "{}{}",
            r["name"].as_str().unwrap_or(""),
            r["pattern"].as_str().unwrap_or("")
        )
    });
    regex
}

fn dump_stories(stories: &StoryFile) -> Value {
    if let Some((_, error)) = &stories.rasa_error {
        return json!({"kind": "stories", "error": error});
    }
    let steps = match story_steps(stories) {
        Ok(steps) => steps,
        Err(too_many) => {
            let error = format!(
                "rasalint stopped reading: Rasa's copies of the steps of story `{}` cost more than {} (end checkpoints written in a row double them; Rasa runs out of memory)",
                too_many.block, too_many.budget
            );
            return json!({"kind": "stories", "error": error});
        }
    };
    let mut names = GeneratedNames::default();
    let blocks: Vec<Value> = steps.iter().map(|s| dump_step(s, &mut names)).collect();
    with_warnings(
        json!({"kind": "stories", "stories": {"blocks": blocks}}),
        &stories.skipped,
    )
}

/// Adds Rasa's "Skipping line" log messages for the lines it drops.
fn with_warnings(mut entry: Value, skipped: &[SkippedLine]) -> Value {
    let warnings: Vec<String> = skipped
        .iter()
        .map(|s| {
            format!(
                "Skipping line {}. No valid command found. Line Content: '{}'",
                s.line, s.text
            )
        })
        .collect();
    if !warnings.is_empty() {
        entry["warnings"] = json!(warnings);
    }
    entry
}

/// dump.py numbers generated checkpoints (`GENR_OR_…`) by first appearance.
#[derive(Default)]
struct GeneratedNames {
    seen: Vec<String>,
}

impl GeneratedNames {
    /// A step's start and end checkpoints, generated ones numbered.
    fn checkpoints(&mut self, step: &StoryStep) -> (Vec<Value>, Vec<Value>) {
        let mut checkpoints = |list: &[Checkpoint]| -> Vec<Value> {
            list.iter()
                .map(|c| json!({"name": self.name(c), "conditions": c.conditions}))
                .collect()
        };
        let start = checkpoints(&step.start);
        let end = checkpoints(&step.end);
        (start, end)
    }

    /// The oracle's `generated`: each number and the name it stands for.
    fn generated(&self) -> Map<String, Value> {
        let mut out = Map::new();
        for (index, name) in self.seen.iter().enumerate() {
            let prefix = name.rsplit_once('_').map_or(name.as_str(), |(p, _)| p);
            out.insert(format!("{prefix}_{}", index + 1), json!(name));
        }
        out
    }

    fn name(&mut self, checkpoint: &Checkpoint) -> String {
        let Some(prefix) = checkpoint.generated_prefix() else {
            return checkpoint.name.clone();
        };
        let index = match self.seen.iter().position(|n| *n == checkpoint.name) {
            Some(i) => i,
            None => {
                self.seen.push(checkpoint.name.clone());
                self.seen.len() - 1
            }
        };
        format!("{prefix}_{}", index + 1)
    }
}

fn dump_step(step: &StoryStep, names: &mut GeneratedNames) -> Value {
    let (start, end) = names.checkpoints(step);
    json!({
        "name": step.block_name,
        "start": start,
        "end": end,
        "events": step.events.iter().map(dump_event).collect::<Vec<_>>(),
    })
}

fn dump_event(event: &Event) -> Value {
    match event {
        Event::User(alternative) => json!({
            "user": alternative.intent,
            "text": alternative.text,
            "entities": alternative.entities.iter().map(|e| json!({"start": e.start, "end": e.end, "value": e.value, "entity": e.entity})).collect::<Vec<_>>(),
        }),
        Event::Action(name) => json!({"action": name}),
        Event::Slot(key, value) => json!({"slot": key, "value": value}),
        // Markdown has neither (YAML files are dumped by `yaml_stories`).
        Event::NamedSlot(key) => json!({"slot": key, "value": null}),
        Event::Bot(text) => json!({"bot": text}),
        Event::Form(name) => json!({"form": name}),
        Event::Other(type_name, parameters) => {
            json!({"event": type_name, "story": story_string(type_name, parameters)})
        }
    }
}

/// How Rasa writes an event back as a story line (`as_story_string`), for the events it
/// writes with parameters; `None` for those it cannot write (`session_started`,
/// `form_validation`, as the oracle shows); the rest are their bare type name.
fn story_string(type_name: &str, parameters: &Map<String, Value>) -> Value {
    match type_name {
        "followup" => json!(format!(
            "followup{{\"name\": {}}}",
            parameters.get("name").cloned().unwrap_or(Value::Null)
        )),
        "session_started" | "form_validation" => Value::Null,
        _ => json!(type_name),
    }
}

fn dump_nlg(nlg: &ResponsesFile) -> Value {
    let mut map = std::collections::BTreeMap::new();
    for entry in &nlg.entries {
        map.insert(entry.key.clone(), entry.texts.clone());
    }
    json!(map)
}

fn dump_domain(domain: &DomainFile) -> Value {
    let sorted = |names: Vec<&str>| {
        let mut v: Vec<String> = names.into_iter().map(str::to_string).collect();
        v.sort();
        v.dedup();
        v
    };
    let responses: Vec<&str> = domain
        .responses
        .iter()
        .map(|r| r.name.name.as_str())
        .collect();
    let mut actions: Vec<&str> = domain.actions.iter().map(|a| a.name.as_str()).collect();
    actions.extend(responses.iter().copied());
    json!({
        "intents": sorted(domain.intents.iter().map(|i| i.name.name.as_str()).collect()),
        "entities": sorted(domain.entities.iter().map(|e| e.name.as_str()).collect()),
        "slots": sorted(domain.slots.iter().map(|s| s.name.name.as_str()).collect()),
        "templates": sorted(responses),
        "actions": sorted(actions),
        "forms": sorted(domain.forms.iter().map(|f| f.name.as_str()).collect()),
    })
}
