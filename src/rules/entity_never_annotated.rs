use rustc_hash::{FxHashMap, FxHashSet};

use compact_str::CompactString;
use serde_json::Value;

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::rasa::{PRETRAINED_ENTITIES, RasaVersion};
use crate::rule::Rule;
use crate::rules::support::interpolated_payload_json;
use crate::source::{FileId, Span};
use crate::suggest::closest;

declare_rule! {
    /// ## What it does
    /// Reports an entity listed under `entities:` in the domain that nothing produces: no
    /// NLU example annotates it, no story user turn gives it (`* inform{"city": …}`), no
    /// button payload sends it (`/inform{"city": …}`), and no intent names it in
    /// `use_entities`.
    ///
    /// ## Why is this bad?
    /// The NLU model only extracts entity types it was trained on, so the entity never
    /// appears in a conversation: slots it should fill stay empty and forms that ask for
    /// it never get it. Usually an annotation with a misspelt type (the finding then
    /// points at it), or an entity left over after a rename. A `## lookup:` table or a
    /// `## regex:` named after the entity does not produce it: in Rasa 1.x they only help
    /// an extractor that is trained on annotated examples. In Rasa 2 and 3 they do when
    /// the pipeline in `config.yml` lists the `RegexEntityExtractor`, which extracts the
    /// entity a lookup table or regex is named after; the rule then counts them.
    ///
    /// An entity an intent lists in `use_entities` counts as produced: the list says the
    /// author expects it with that intent, from an extractor of the pipeline.
    ///
    /// Not reported: entities whose names are the labels of Rasa's pretrained extractors,
    /// which are produced without any annotation (DucklingHTTPExtractor: `time`, `number`,
    /// `amount-of-money`, `distance`, `duration`, `email`, `ordinal`, `phone-number`,
    /// `quantity`, `temperature`, `url`, `volume`, `credit-card-number`;
    /// SpacyEntityExtractor: `PERSON`, `ORG`, `GPE`, `LOC`, `DATE`, `TIME`, `MONEY`,
    /// `PERCENT`, `NORP`, `FAC`, `PRODUCT`, `EVENT`, `WORK_OF_ART`, `LAW`, `LANGUAGE`,
    /// `QUANTITY`, `ORDINAL`, `CARDINAL`). The pipeline in `config.yml` is not consulted:
    /// these names are exempt whatever extractors it lists. An entity a custom component
    /// produces can be exempted with `# rasalint: disable=RL113` on its line. Nothing is
    /// reported when the bot has no NLU data to look in. Annotations in YAML NLU files and
    /// in the `user:` texts and `entities:` of YAML stories and rules count alike.
    ///
    /// ## Example
    /// ```yaml
    /// entities:
    ///   - cuisine      # no example annotates [thai](cuisine)
    /// ```
    pub struct EntityNeverAnnotated {
        code: "RL113",
        name: "entity-never-annotated",
        severity: Warning,
        needs_domain: true,
        summary: "a domain entity is never annotated in NLU data nor used in stories",
    }
}

/// The entity names a button payload `/intent{"entity": value}` sends; with
/// `interpolated`, as Rasa 2 and 3 send it (`{{…}}` as `{…}`).
fn payload_entities(payload: &str, interpolated: bool) -> Vec<String> {
    let Some(rest) = payload.trim().strip_prefix('/') else {
        return Vec::new();
    };
    let Some(open) = rest.find('{') else {
        return Vec::new();
    };
    match serde_json::from_str::<Value>(&rest[open..]) {
        Ok(Value::Object(map)) => map.keys().cloned().collect(),
        _ if interpolated => interpolated_payload_json(&rest[open..])
            .map(|map| map.keys().cloned().collect())
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// The entities Rasa 2 and 3's `RegexEntityExtractor` extracts without annotations,
/// when the pipeline runs it: those a lookup table or a regex is named after.
fn extracted_by_name(project: &Project) -> impl Iterator<Item = &str> {
    let runs_extractor = project.rasa.version != RasaVersion::V1
        && project.config_files().any(|(_, config)| {
            config.pipeline.as_ref().is_some_and(|p| {
                p.components
                    .iter()
                    .any(|c| c.name == "RegexEntityExtractor")
            })
        });
    let nlu = project.nlu_files().filter(move |_| runs_extractor);
    nlu.flat_map(|(_, nlu)| {
        let lookups = nlu.lookups.iter().map(|l| l.name.as_str());
        lookups.chain(nlu.regexes.iter().map(|r| r.name.as_str()))
    })
}

impl Rule for EntityNeverAnnotated {
    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        if project.nlu_files().next().is_none() {
            return;
        }
        let mut used: FxHashSet<CompactString> = FxHashSet::default();
        // Where each entity type is first annotated in NLU data, to point at a misspelling.
        let mut annotated: FxHashMap<&str, (FileId, Span)> = FxHashMap::default();
        for (file, nlu) in project.nlu_files() {
            for entity in nlu.examples.iter().flat_map(|e| &e.entities) {
                used.insert(entity.entity.clone());
                annotated
                    .entry(&entity.entity)
                    .or_insert_with(|| (file, entity.entity_span.clone()));
            }
        }
        used.extend(extracted_by_name(project).map(CompactString::from));
        for (_, stories) in project.story_files() {
            used.extend(
                stories
                    .user_alternatives()
                    .flat_map(|a| &a.entities)
                    .filter_map(|e| e.entity.clone()),
            );
        }
        // Rasa 2 and 3 fill placeholders in buttons: `{{…}}` sends `{…}`.
        let interpolated = project.rasa.version != RasaVersion::V1;
        for (_, domain) in project.domain_files() {
            for intent in &domain.intents {
                used.extend(
                    intent
                        .use_entities
                        .iter()
                        .flatten()
                        .map(|e| CompactString::from(&e.name)),
                );
            }
            for response in &domain.responses {
                used.extend(
                    response
                        .button_payloads
                        .iter()
                        .flat_map(|p| payload_entities(&p.payload.name, interpolated))
                        .map(CompactString::from),
                );
            }
        }
        // Annotated types the domain does not declare (RL112): a misspelt annotation of a
        // declared entity is the likeliest reason it is never annotated.
        let misspelt = || {
            annotated
                .keys()
                .copied()
                .filter(|a| !project.domain.entities.contains_key(*a))
        };
        let mut reported: FxHashSet<&str> = FxHashSet::default();
        // Rasa 2 and 3 have rules besides stories.
        let stories = match project.rasa.version {
            RasaVersion::V1 => "story",
            _ => "story or rule",
        };
        for (file, domain) in project.domain_files() {
            for entity in &domain.entities {
                let name = entity.name.as_str();
                if used.contains(name)
                    || PRETRAINED_ENTITIES.contains(&name)
                    || !reported.insert(name)
                {
                    continue;
                }
                let diagnostic = Diagnostic::new(
                    &Self::META,
                    file,
                    entity.span.clone(),
                    format!(
                        "entity `{name}` is neither annotated in the NLU data nor used in a {stories}"
                    ),
                )
                .with_label("declared here");
                let diagnostic = match closest(name, misspelt()) {
                    Some(typo) => {
                        let (at, span) = &annotated[typo];
                        diagnostic
                            .with_help(format!(
                                "examples annotate `{typo}`, which the domain does not declare: did you mean `{name}` there?"
                            ))
                            .with_related(*at, span.clone(), format!("annotated as `{typo}` here"))
                    }
                    None => diagnostic.with_help(format!(
                        "annotate it in examples (`[text]({name})`) so the NLU model learns to extract it, or remove it from `entities:`"
                    )),
                };
                out.push(diagnostic);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_entities_of_button_payloads() {
        assert_eq!(
            payload_entities(r#"/inform{"city": "Berlin"}"#, false),
            ["city"]
        );
        assert_eq!(payload_entities(r#"/inform@0.9{"a": 1}"#, false), ["a"]);
        assert!(payload_entities("/inform", false).is_empty());
        assert!(payload_entities(r#"inform{"a": 1}"#, false).is_empty());
        // Rasa 2 and 3 send `{{…}}` as `{…}`; Rasa 1.10 as written.
        let doubled = r#"/inform{{"city": "Berlin"}}"#;
        assert_eq!(payload_entities(doubled, true), ["city"]);
        assert!(payload_entities(doubled, false).is_empty());
    }
}
