//! The safety net under the model's reshaping (issue: one model for two surfaces): for every
//! fixture bot, everything the model holds — each fact with its span and the source text
//! under it — and every finding of every rule (off-by-default ones included), as JSON
//! snapshots, one per fixture folder.
//!
//! The outline below is written against today's model types. When the types move or change
//! shape, this projection is rewritten against the new ones and the snapshots must not move:
//! that is the proof the reshaping changed nothing a rule or a user sees.

mod common;

use std::path::Path;

use serde_json::{Map, Value, json};

use rasalint::model::config::ConfigFile;
use rasalint::model::dialogue::{
    BlockKind, NameParameters, OrAlternative, SlotSet, StepKind, StoryFile, UserAlternative,
};
use rasalint::model::domain::{DomainFile, Name, PayloadReading};
use rasalint::model::nlu::{EntityLabel, LookupElements, NluFile, NluWarning};
use rasalint::model::responses::ResponsesFile;
use rasalint::model::{FileParts, Project};
use rasalint::source::Span;

/// A span as `start..end` and the source text under it, so a moved span shows as changed text.
fn span(text: &str, span: &Span) -> Value {
    let under = text
        .get(span.clone())
        .unwrap_or("<not on a character boundary>");
    json!(format!("{}..{} {:?}", span.start, span.end, under))
}

fn name(text: &str, n: &Name) -> Value {
    json!([n.name, span(text, &n.span)])
}

fn names(text: &str, list: &[Name]) -> Value {
    list.iter().map(|n| name(text, n)).collect()
}

fn opt_name(text: &str, n: &Option<Name>) -> Value {
    n.as_ref().map_or(Value::Null, |n| name(text, n))
}

fn label(text: &str, label: &Option<Box<EntityLabel>>) -> Value {
    label.as_ref().map_or(Value::Null, |l| {
        json!([l.name.as_str(), span(text, &l.span)])
    })
}

/// What Rasa reads from a button payload: its intent, and the JSON part's entities (each
/// key, and whether its value is an empty list) or why it is not JSON.
fn payload_reading(text: &str, reading: &PayloadReading) -> Value {
    match reading {
        PayloadReading::Text => json!("text"),
        PayloadReading::NoIntent => json!("no intent"),
        PayloadReading::Intent { intent, json } => {
            let json = json.as_ref().map(|j| {
                let entities = match &j.entities {
                    Ok(entities) => entities
                        .iter()
                        .map(|e| json!([name(text, &e.key), e.empty_list]))
                        .collect(),
                    Err(reason) => json!({ "invalid": reason }),
                };
                json!([span(text, &j.span), entities])
            });
            json!({ "intent": name(text, intent), "json": json })
        }
    }
}

fn nlu(text: &str, nlu: &NluFile) -> Value {
    let sections: Vec<Value> = nlu
        .sections
        .iter()
        .map(|s| {
            let mut section = json!({
                "kind": format!("{:?}", s.kind), "title": s.title,
                "header": span(text, &s.header_span), "title_span": span(text, &s.title_span),
                "items": s.items,
            });
            // YAML only: absent from Markdown files' outlines.
            if let Some(m) = &s.metadata {
                section["metadata"] = json!([m.value, span(text, &m.span)]);
            }
            section
        })
        .collect();
    let examples: Vec<Value> = nlu
        .examples
        .iter()
        .map(|e| {
            let entities: Vec<Value> = e
                .entities
                .iter()
                .map(|en| {
                    json!({
                        "entity": en.entity.as_str(), "value": en.value,
                        "role": label(text, &en.role), "group": label(text, &en.group),
                        "start": en.start, "end": en.end, "form": format!("{:?}", en.form),
                        "span": span(text, &en.span), "entity_span": span(text, &en.entity_span),
                    })
                })
                .collect();
            let mut example = json!({
                "section": e.section, "intent": e.intent.as_str(),
                "response_key": e.response_key(), "text": e.text,
                "span": span(text, &e.span), "entities": entities,
            });
            if let Some(m) = e.metadata() {
                example["metadata"] = json!([m.value, span(text, &m.span)]);
            }
            example
        })
        .collect();
    let synonyms: Vec<Value> = nlu
        .synonyms
        .iter()
        .map(|s| match s.numeric {
            true => json!([
                s.text,
                s.value,
                span(text, &s.span),
                s.from_annotation,
                "numeric"
            ]),
            false => json!([s.text, s.value, span(text, &s.span), s.from_annotation]),
        })
        .collect();
    let regexes: Vec<Value> = nlu
        .regexes
        .iter()
        .map(|r| json!([r.name, r.pattern, span(text, &r.span)]))
        .collect();
    let lookups: Vec<Value> = nlu
        .lookups
        .iter()
        .map(|l| match &l.elements {
            LookupElements::List(items) => json!({"name": l.name, "list":
                items.iter().map(|(e, s)| json!([e, span(text, s)])).collect::<Vec<_>>()}),
            LookupElements::File(path, s) => {
                json!({"name": l.name, "file": [path, span(text, s)]})
            }
        })
        .collect();
    let mut outline = json!({
        "sections": sections, "examples": examples, "synonyms": synonyms,
        "regexes": regexes, "lookups": lookups, "rasa_error": nlu.rasa_error,
    });
    if !nlu.warnings.is_empty() {
        outline["warnings"] = nlu.warnings.iter().map(|w| nlu_warning(text, w)).collect();
    }
    outline
}

/// One of Rasa's YAML reading warnings, with the source under its span.
fn nlu_warning(text: &str, warning: &NluWarning) -> Value {
    match warning {
        NluWarning::LineDropped {
            section,
            line,
            text: read,
        } => json!({"line_dropped": [section, span(text, line), read.as_deref()]}),
        NluWarning::NoExamples { section } => json!({ "no_examples": section }),
        NluWarning::EmptyName { kind, key } => {
            json!({"empty_name": [format!("{kind:?}"), span(text, key)]})
        }
        NluWarning::NoSupportedKey { span: at, item } => {
            json!({"no_supported_key": [span(text, at), item]})
        }
        NluWarning::UnexpectedBlock { section, value } => {
            json!({"unexpected_block": [section, value]})
        }
        NluWarning::SynonymConflict { synonym, previous } => {
            json!({"synonym_conflict": [synonym, previous]})
        }
    }
}

/// An action or form step with the parameters written after its name, when it has them.
fn with_parameters(text: &str, mut kind: Value, parameters: &Option<Box<NameParameters>>) -> Value {
    if let Some(p) = parameters {
        let name_span = p.name_span.as_ref().map(|s| span(text, s));
        kind["parameters"] = json!([span(text, &p.span), name_span, p.name_not_text]);
    }
    kind
}

/// Sets `key` only when `value` is not null: fields only YAML fills stay out of the
/// Markdown snapshots.
fn with_optional(mut object: Value, key: &str, value: Value) -> Value {
    if !value.is_null() {
        object[key] = value;
    }
    object
}

fn user_alternative(text: &str, a: &UserAlternative) -> Value {
    let entities: Vec<Value> = a
        .entities
        .iter()
        .map(|e| {
            let mut entity = json!([
                e.entity.as_deref(),
                e.value,
                e.start,
                e.end,
                span(text, &e.key_span)
            ]);
            if e.role().is_some() || e.group().is_some() {
                entity = json!([entity, e.role(), e.group()]);
            }
            entity
        })
        .collect();
    let alternative = json!({
        "text": a.text.as_str(), "intent": a.intent.as_deref(),
        "intent_span": [a.intent_span().start, a.intent_span().end],
        "confidence": a.confidence(), "entities": entities,
        "entities_span": a.entities_span().map(|s| [s.start, s.end]),
    });
    let alternative = with_optional(
        alternative,
        "full_retrieval_intent",
        json!(a.full_retrieval_intent()),
    );
    with_optional(alternative, "e2e_text", json!(a.e2e_text()))
}

fn slot_set(text: &str, s: &SlotSet) -> Value {
    match s.by_name {
        true => json!([s.name, "by name", span(text, &s.name_span)]),
        false => json!([s.name, s.value, span(text, &s.name_span)]),
    }
}

fn step_kind(text: &str, kind: &StepKind) -> Value {
    match kind {
        StepKind::Checkpoint { name, conditions } => {
            json!({"checkpoint": name.as_str(), "conditions": conditions.as_deref().cloned().unwrap_or_default()})
        }
        StepKind::User(alternatives) => {
            let alternatives: Vec<Value> = alternatives
                .iter()
                .map(|a| user_alternative(text, a))
                .collect();
            json!({ "user": alternatives })
        }
        StepKind::Or(alternatives) => {
            let alternatives: Vec<Value> = alternatives
                .iter()
                .map(|a| match a {
                    OrAlternative::User(user) => json!({ "user": user_alternative(text, user) }),
                    OrAlternative::Slot(slot) => json!({ "slot": slot_set(text, slot) }),
                })
                .collect();
            json!({ "or": alternatives })
        }
        StepKind::Bot(bot) => json!({ "bot": bot.as_str() }),
        StepKind::Action { name, parameters } => {
            with_parameters(text, json!({ "action": name.as_str() }), parameters)
        }
        StepKind::Slot(slots) => {
            let slots: Vec<Value> = slots.iter().map(|s| slot_set(text, s)).collect();
            json!({ "slot": slots })
        }
        StepKind::Form { name, parameters } => {
            with_parameters(text, json!({ "form": name.as_deref() }), parameters)
        }
        StepKind::Event {
            type_name,
            parameters,
        } => json!({"event": type_name, "parameters": **parameters}),
    }
}

fn stories(text: &str, stories: &StoryFile) -> Value {
    let blocks: Vec<Value> = stories
        .blocks
        .iter()
        .map(|b| {
            let steps: Vec<Value> = b
                .steps
                .iter()
                .map(|s| {
                    json!({
                        "kind": step_kind(text, &s.kind), "span": span(text, &s.span()),
                        "name_span": span(text, &s.name_span()),
                    })
                })
                .collect();
            let block = json!({"name": b.name.as_str(), "header": span(text, &b.header_span), "steps": steps});
            let block = with_optional(block, "null_name", json!(b.null_name.then_some(true)));
            let rule = match &b.kind {
                BlockKind::Story => Value::Null,
                BlockKind::Rule(head) => json!({
                    "conditions": head.conditions, "conversation_start": head.conversation_start,
                    "wait_for_user_input": head.wait_for_user_input,
                }),
            };
            with_optional(block, "rule", rule)
        })
        .collect();
    let skipped: Vec<Value> = stories
        .skipped
        .iter()
        .map(|s| json!([s.line, span(text, &s.span), s.text]))
        .collect();
    let file = json!({"blocks": blocks, "skipped": skipped, "rasa_error": stories.rasa_error});
    with_optional(file, "yaml", json!(stories.is_yaml().then_some(true)))
}

fn responses(text: &str, nlg: &ResponsesFile) -> Value {
    let entries: Vec<Value> = nlg
        .entries
        .iter()
        .map(|e| {
            let mut entry =
                json!({"key": e.key, "key_span": span(text, &e.key_span), "texts": e.texts});
            // YAML only: absent from Markdown files' outlines.
            if let Some(json) = &e.json {
                let variations: Vec<Value> = e.variations.iter().map(|v| span(text, v)).collect();
                entry["variations"] = json!(variations);
                entry["json"] = (**json).clone();
            }
            entry
        })
        .collect();
    let skipped: Vec<Value> = nlg
        .skipped
        .iter()
        .map(|s| json!([s.line, span(text, &s.span), s.text]))
        .collect();
    json!({"entries": entries, "skipped": skipped})
}

fn domain(text: &str, d: &DomainFile, yaml: bool) -> Value {
    let intents: Vec<Value> = d
        .intents
        .iter()
        .map(|i| {
            json!({
                "name": name(text, &i.name),
                "use_entities": i.use_entities.as_ref().map(|u| names(text, u)),
                "ignore_entities": names(text, &i.ignore_entities),
                "triggers": opt_name(text, &i.triggers),
            })
        })
        .collect();
    let entities: Vec<Value> = d
        .entity_decls
        .iter()
        .map(|e| {
            json!({
                "name": name(text, &e.name),
                "roles": e.roles.as_ref().map(|r| names(text, r)),
                "groups": e.groups.as_ref().map(|g| names(text, g)),
            })
        })
        .collect();
    let slots: Vec<Value> = d
        .slots
        .iter()
        .map(|s| {
            json!({
                "name": name(text, &s.name), "type": opt_name(text, &s.slot_type),
                "values": names(text, &s.values), "properties": names(text, &s.properties),
                "min": s.min_value, "max": s.max_value,
                "initial_number": s.initial_number.as_ref().map(|(n, sp)| json!([n, span(text, sp)])),
            })
        })
        .collect();
    let responses: Vec<Value> = d
        .responses
        .iter()
        .map(|r| {
            let variations: Vec<Value> = r
                .variation_list
                .iter()
                .map(|v| {
                    json!({
                        "span": span(text, &v.span), "keys": names(text, &v.keys),
                        "text": opt_name(text, &v.text), "is_string": v.is_string,
                    })
                })
                .collect();
            json!({
                "name": name(text, &r.name), "variations": r.variations,
                "button_payloads": r.button_payloads.iter().map(|p| name(text, &p.payload)).collect::<Value>(),
                "payload_readings": r.button_payloads.iter().map(|p| payload_reading(text, &p.reading)).collect::<Value>(),
                "variation_list": variations, "value_span": span(text, &r.value_span),
            })
        })
        .collect();
    let forms: Vec<Value> = d
        .form_decls
        .iter()
        .map(|f| {
            let required: Vec<Value> = f
                .required_slots
                .iter()
                .map(|r| {
                    let mappings: Vec<Value> = r
                        .mappings
                        .iter()
                        .map(|m| {
                            json!({
                                "span": span(text, &m.span), "type": opt_name(text, &m.mapping_type),
                                "entity": opt_name(text, &m.entity), "role": opt_name(text, &m.role),
                                "group": opt_name(text, &m.group),
                            })
                        })
                        .collect();
                    json!({"name": name(text, &r.name), "mappings": mappings})
                })
                .collect();
            json!({"name": name(text, &f.name), "required_slots": required})
        })
        .collect();
    let refusals: Vec<Value> = d
        .rasa_refusals
        .iter()
        .map(|r| json!([span(text, &r.span), r.key, r.reason]))
        .collect();
    let mut out = json!({
        "readable": d.readable, "imported": d.imported, "intents": intents,
        "entities": names(text, &d.entities), "entity_decls": entities, "slots": slots,
        "responses": responses, "responses_key": opt_name(text, &d.responses_key),
        "actions": names(text, &d.actions), "forms": names(text, &d.forms), "form_decls": forms,
        "session_config": d.session_config.as_ref().map(|s| span(text, s)),
        "top_level_keys": names(text, &d.top_level_keys), "rasa_refusals": refusals,
        "version": opt_name(text, &d.version),
        "has_tree": d.tree.is_some(),
    });
    // What Rasa 2.8 and 3.6 make of the file, for bots read as Rasa 2 or 3 (a Rasa 1 bot's
    // snapshot stays as it was before these facts were read).
    if yaml {
        let refusals: Vec<Value> = d
            .yaml_refusals
            .iter()
            .map(|r| {
                json!([
                    r.version.release(),
                    format!("{:?}", r.outcome),
                    span(text, &r.span),
                    r.message,
                    r.duplicate_name
                ])
            })
            .collect();
        out["yaml_refusals"] = json!(refusals);
        out["folder"] = json!(d.folder.as_ref().map(|f| format!("{f:?}")));
        out["yaml_facts"] = yaml_facts(text, d);
    }
    out
}

/// The facts of Rasa 2/3 domains: slot mappings with their conditions, featurization,
/// response conditions and channels, forms' ignored intents, end-to-end texts.
fn yaml_facts(text: &str, d: &DomainFile) -> Value {
    let mapping = |m: &rasalint::model::domain::SlotMapping| {
        json!({
            "type": opt_name(text, &m.mapping_type), "entity": opt_name(text, &m.entity),
            "intents": names(text, &m.intents), "not_intents": names(text, &m.not_intents),
            "action": opt_name(text, &m.action),
            "conditions": m.conditions.iter().map(|c| json!([span(text, &c.span), opt_name(text, &c.active_loop), opt_name(text, &c.requested_slot)])).collect::<Vec<_>>(),
        })
    };
    let slots: Vec<Value> = d
        .slots
        .iter()
        .map(|s| {
            json!({
                "name": s.name.name,
                "mappings": s.mappings.as_ref().map(|m| m.iter().map(mapping).collect::<Vec<_>>()),
                "influence_conversation": s.influence_conversation,
            })
        })
        .collect();
    let variations: Vec<Value> = d
        .responses
        .iter()
        .flat_map(|r| &r.variation_list)
        .filter(|v| v.channel.is_some() || !v.conditions.is_empty())
        .map(|v| {
            json!({
                "channel": opt_name(text, &v.channel),
                "conditions": v.conditions.iter().map(|c| json!([opt_name(text, &c.condition_type), opt_name(text, &c.name), c.value.as_ref().map(|s| span(text, s))])).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "slots": slots,
        "entities": d.entity_decls.iter().map(|e| json!([e.name.name, e.influence_conversation])).collect::<Vec<_>>(),
        "form_ignored_intents": d.form_decls.iter().map(|f| json!([f.name.name, names(text, &f.ignored_intents), f.required_slots.iter().map(|r| r.mappings.iter().map(mapping).collect::<Vec<_>>()).collect::<Vec<_>>()])).collect::<Vec<_>>(),
        "variations": variations,
        "e2e_actions": names(text, &d.e2e_actions),
    })
}

fn config(text: &str, c: &ConfigFile) -> Value {
    let policies: Vec<Value> = c
        .policies
        .iter()
        .map(|p| {
            json!({
                "name": name(text, &p.name),
                "max_history": p.max_history.as_ref().map(|(n, s)| json!([n, span(text, s)])),
            })
        })
        .collect();
    json!({
        "language": opt_name(text, &c.language),
        "pipeline": c.pipeline.as_ref().map(|p| json!({
            "key": span(text, &p.key), "components": names(text, &p.components),
        })),
        "policies": policies, "importers": names(text, &c.importers),
        "imports": names(text, &c.imports),
    })
}

/// Everything the model holds of one file: each of its parts (a Markdown file has one).
fn outline(text: &str, parts: &FileParts, yaml: bool) -> Value {
    if let Some(u) = &parts.unreadable {
        return json!({"unreadable": u.reason, "kind": u.kind, "io_error": u.io_error});
    }
    let mut found: Vec<Value> = Vec::new();
    if let Some(n) = &parts.nlu {
        found.push(json!({ "nlu": nlu(text, n) }));
    }
    if let Some(s) = &parts.stories {
        found.push(json!({ "stories": stories(text, s) }));
    }
    if let Some(r) = &parts.responses {
        found.push(json!({ "responses": responses(text, r) }));
    }
    if let Some(d) = &parts.domain {
        found.push(json!({ "domain": domain(text, d, yaml) }));
    }
    if let Some(c) = &parts.config {
        found.push(json!({ "config": config(text, c) }));
    }
    if let Some(names) = &parts.action_code {
        found.push(json!({ "action_code": names }));
    }
    match found.len() {
        0 => json!("ignored"),
        1 => found.remove(0),
        _ => Value::Array(found),
    }
}

/// The domain index: every declared name with where it was first declared.
fn index(project: &Project) -> Value {
    let kind = |map: &rustc_hash::FxHashMap<String, rasalint::model::Declaration>| {
        let mut entries: Vec<(&String, String)> = map
            .iter()
            .map(|(n, d)| {
                let file = project.file(d.file);
                (
                    n,
                    format!("{} {}", file.path.display(), span(&file.text, &d.span)),
                )
            })
            .collect();
        entries.sort();
        entries
            .into_iter()
            .map(|(n, at)| (n.clone(), json!(at)))
            .collect::<Map<String, Value>>()
    };
    let d = &project.domain;
    json!({
        "present": d.present, "intents": kind(&d.intents), "entities": kind(&d.entities),
        "slots": kind(&d.slots), "responses": kind(&d.responses), "actions": kind(&d.actions),
        "forms": kind(&d.forms),
    })
}

/// One bot: its files' outlines, the domain index, and every rule's findings.
fn bot(dir: &Path) -> Value {
    let report = common::check_bot(dir, &["RL"]);
    let project = &report.project;
    let mut files = Map::new();
    let yaml = project.rasa.version != rasalint::rasa::RasaVersion::V1;
    for (file, parsed) in project.files.iter().zip(&project.parts) {
        let path = file.path.to_string_lossy().replace('\\', "/");
        files.insert(path, outline(&file.text, parsed, yaml));
    }
    let findings: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            let file = project.file(f.file);
            let related: Vec<Value> = f
                .related
                .iter()
                .map(|r| {
                    let other = project.file(r.file);
                    json!([
                        other.path.display().to_string(),
                        span(&other.text, &r.span),
                        r.message
                    ])
                })
                .collect();
            let fix: Vec<Value> = f
                .fix
                .iter()
                .map(|e| json!([span(&file.text, &e.span), e.text]))
                .collect();
            json!({
                "code": f.rule.code, "severity": f.severity.as_str(), "message": f.message,
                "at": format!("{} {}", file.path.display(), span(&file.text, &f.span)),
                "label": f.label, "help": f.help, "related": related, "fix": fix,
            })
        })
        .collect();
    let rasa = &project.rasa;
    let rasa = json!(format!("{} ({:?})", rasa.version.release(), rasa.source));
    json!({"files": files, "domain_index": index(project), "rasa": rasa, "findings": findings})
}

/// `value` as indented JSON down to `depth` levels, each deeper value on one line: a fact
/// per line, so a snapshot diff shows which fact moved.
fn render(value: &Value, indent: usize, depth: usize, out: &mut String) {
    let pad = "  ".repeat(indent + 1);
    let close = "  ".repeat(indent);
    match value {
        Value::Object(map) if depth > 0 && !map.is_empty() => {
            out.push_str("{\n");
            for (i, (key, item)) in map.iter().enumerate() {
                out.push_str(&format!("{pad}{}: ", Value::String(key.clone())));
                render(item, indent + 1, depth - 1, out);
                out.push_str(if i + 1 < map.len() { ",\n" } else { "\n" });
            }
            out.push_str(&format!("{close}}}"));
        }
        Value::Array(items) if depth > 0 && !items.is_empty() => {
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                out.push_str(&pad);
                render(item, indent + 1, depth - 1, out);
                out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
            }
            out.push_str(&format!("{close}]"));
        }
        other => out.push_str(&other.to_string()),
    }
}

fn snapshot(name: &str, value: &Value, depth: usize) {
    let mut text = String::new();
    render(value, 0, depth, &mut text);
    insta::with_settings!({snapshot_suffix => name, prepend_module_to_snapshot => false}, {
        insta::assert_snapshot!("model", text);
    });
}

#[test]
fn every_fixture_bot_reads_and_checks_as_recorded() {
    let fixtures = common::fixtures();
    let mut folders = 0;
    for group in common::subdirs(&fixtures) {
        let group_name = group.file_name().unwrap().to_string_lossy().into_owned();
        let elsewhere = ["syntax", "convert", "story-conflicts-yaml"];
        if elsewhere.contains(&group_name.as_str()) || group_name.starts_with("yaml-") {
            // Parser edge cases without a bot: see the test below, tests/oracle_domain.rs
            // and the YAML oracle test; the converter's bots: tests/convert.rs; the random
            // bots RL301 is held to Rasa with: tests/story_conflicts.rs.
            continue;
        }
        let cases = common::subdirs(&group);
        let has_cases = cases.iter().any(|c| {
            let n = c.file_name().unwrap().to_string_lossy();
            n.starts_with("ok_") || n.starts_with("bad_")
        });
        let mut out = Map::new();
        if has_cases {
            for case in cases {
                let case_name = case.file_name().unwrap().to_string_lossy().into_owned();
                out.insert(case_name, bot(&case));
            }
        } else {
            out.insert(group_name.clone(), bot(&group));
        }
        folders += out.len();
        snapshot(&group_name, &Value::Object(out), 6);
    }
    assert!(folders > 200, "every fixture bot was read ({folders})");
}

#[test]
fn parser_edge_cases_read_as_recorded() {
    let root = common::fixtures().join("syntax");
    for dir in ["nlu", "stories", "responses"] {
        let files = rasalint::discover::data_files(&root.join(dir))
            .expect("the fixtures can be listed")
            .into_iter()
            .map(|f| {
                let role = rasalint::load::Role::data(&f);
                (f, role)
            })
            .collect();
        let (project, findings) = rasalint::load::load(&rasalint::load::Input {
            root: root.clone(),
            files,
            ..rasalint::load::Input::default()
        });
        let mut out = Map::new();
        for (file, parsed) in project.files.iter().zip(&project.parts) {
            let path = file.path.to_string_lossy().replace('\\', "/");
            out.insert(path, outline(&file.text, parsed, false));
        }
        assert!(out.len() > 5, "{dir}: the edge cases were read");
        let findings: Vec<Value> = findings
            .iter()
            .map(|f| {
                let file = project.file(f.file);
                json!([
                    f.rule.code,
                    file.path.display().to_string(),
                    span(&file.text, &f.span),
                    f.message
                ])
            })
            .collect();
        snapshot(
            &format!("syntax-{dir}"),
            &json!({"files": out, "parse_findings": findings}),
            5,
        );
    }
}
