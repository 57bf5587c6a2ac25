//! The `nlu` entry of the Rasa 3.6 oracle's shape, and the warnings Rasa's YAML NLU reader
//! gives while reading.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::model::nlu::{Example, LookupElements, NluFile, NluWarning, SectionKind};
use crate::model::responses::ResponsesFile;
use crate::source::Span;
use crate::story_graph::pyvalue::py_str;

/// What Rasa's YAML NLU reader holds for one file, after `TrainingData` dropped exact
/// duplicates (first kept) and sorted the regex features.
pub fn dump_nlu(nlu: Option<&NluFile>, responses: Option<&ResponsesFile>) -> Value {
    let empty = NluFile::default();
    let nlu = nlu.unwrap_or(&empty);
    let mut examples: Vec<Value> = Vec::with_capacity(nlu.examples.len());
    let mut duplicates = 0;
    for example in &nlu.examples {
        let entry = dump_example(nlu, example);
        if examples.contains(&entry) {
            duplicates += 1;
        } else {
            examples.push(entry);
        }
    }
    let mut synonyms = BTreeMap::new();
    for synonym in &nlu.synonyms {
        let value = match synonym.numeric {
            true => serde_json::from_str(&synonym.value).unwrap_or(Value::Null),
            false => Value::String(synonym.value.to_string()),
        };
        synonyms.insert(synonym.text.clone(), value);
    }
    let mut regex: Vec<(String, Value)> = nlu
        .regexes
        .iter()
        .map(|r| {
            let key = format!("{}+{}", r.name, r.pattern);
            (key, json!({"name": r.name, "pattern": r.pattern}))
        })
        .collect();
    regex.sort_by(|a, b| a.0.cmp(&b.0));
    let lookup: Vec<Value> = nlu
        .lookups
        .iter()
        .map(|l| match &l.elements {
            LookupElements::List(items) => {
                json!({"name": l.name, "elements": items.iter().map(|(e, _)| e).collect::<Vec<_>>()})
            }
            LookupElements::File(path, _) => json!({"name": l.name, "elements": path}),
        })
        .collect();
    let responses: Map<String, Value> = responses
        .map(|r| {
            r.entries
                .iter()
                .map(|e| {
                    (
                        e.key.clone(),
                        e.json.as_deref().cloned().unwrap_or(Value::Null),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    json!({
        "examples": examples,
        "duplicates": duplicates,
        "synonyms": synonyms,
        "regex": regex.into_iter().map(|(_, r)| r).collect::<Vec<_>>(),
        "lookup": lookup,
        "responses": responses,
    })
}

/// One example as dump.py writes it: Rasa's message data.
fn dump_example(nlu: &NluFile, example: &Example) -> Value {
    let section = &nlu.sections[example.section];
    // Rasa sets no intent when the part before `/` is empty (`/faq`).
    let base_written = section.title.split('/').next().unwrap_or_default();
    let intent = (!base_written.is_empty()).then_some(example.intent.as_str());
    let entities: Vec<Value> = example
        .entities
        .iter()
        .map(|e| {
            let mut entity =
                json!({"start": e.start, "end": e.end, "value": e.value, "entity": e.entity});
            if let Some(role) = e.role() {
                entity["role"] = json!(role);
            }
            if let Some(group) = e.group() {
                entity["group"] = json!(group);
            }
            entity
        })
        .collect();
    let mut entry = json!({
        "intent": intent,
        "response_key": example.response_key(),
        "text": example.text,
        "entities": entities,
    });
    let mut metadata = Map::new();
    if let Some(m) = &section.metadata {
        metadata.insert("intent".into(), m.value.clone());
    }
    if let Some(m) = example.metadata() {
        metadata.insert("example".into(), m.value.clone());
    }
    if !metadata.is_empty() {
        entry["metadata"] = Value::Object(metadata);
    }
    entry
}

/// Rasa's warnings while reading the file, in its words; `path` names the file as Rasa
/// was given it, `text` is the file's text.
pub fn nlu_warnings(path: &str, text: &str, nlu: &NluFile) -> Vec<String> {
    let issue = format!("Issue found while processing '{path}': ");
    let name = |section: &usize| nlu.sections[*section].title.as_str();
    nlu.warnings
        .iter()
        .map(|warning| match warning {
            NluWarning::LineDropped { section, line, text: read } => format!(
                "{issue}The item '{}' contains an example that doesn't start with a '-' symbol: {}\nThis training example will be skipped.",
                name(section),
                read.as_deref().unwrap_or_else(|| slice(text, line))
            ),
            NluWarning::NoExamples { section } => {
                let title = name(section);
                match nlu.sections[*section].kind {
                    SectionKind::Intent => format!("{issue}Intent '{title}' has no examples."),
                    SectionKind::Synonym => format!("{issue}synonym: {title} doesn't have any examples. It will be skipped."),
                    SectionKind::Regex => format!("{issue}'regex: {title}' doesn't have any examples. It will be skipped."),
                    SectionKind::Lookup => format!("{issue}'lookup: {title}' doesn't have any examples. It will be skipped."),
                }
            }
            NluWarning::EmptyName { kind, .. } => format!("{issue}{}", match kind {
                SectionKind::Intent => "The intent has an empty name. Intents should have a name defined under the intent key. It will be skipped.",
                SectionKind::Synonym => "The synonym has an empty name. Synonyms should have a name defined under the synonym key. It will be skipped.",
                SectionKind::Regex => "The regex has an empty name.Regex should have a name defined under the 'regex' key. It will be skipped.",
                SectionKind::Lookup => "The lookup item has an empty name. Lookup items should have a name defined under the 'lookup' key. It will be skipped.",
            }),
            NluWarning::NoSupportedKey { item, .. } => format!(
                "{issue}Could not find supported key in the section:\n{}\nSupported keys are: 'intent', 'synonym', 'regex', 'lookup'. This section will be skipped.",
                py_str(item)
            ),
            NluWarning::UnexpectedBlock { section, value } => format!(
                "Unexpected block found in '{path}' while processing intent '{}':\n{}\nThis block will be skipped.",
                name(section),
                py_str(value)
            ),
            NluWarning::SynonymConflict { synonym, previous } => {
                let synonym = &nlu.synonyms[*synonym];
                format!(
                    "Found inconsistent entity synonyms while reading markdown, overwriting {t}->{previous} with {t}->{} during merge.",
                    synonym.value,
                    t = synonym.text
                )
            }
        })
        .collect()
}

fn slice<'t>(text: &'t str, span: &Span) -> &'t str {
    text.get(span.clone()).unwrap_or_default()
}
