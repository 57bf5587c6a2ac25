//! `config.yml`: the policies and components Rasa 3 renamed or replaced, by small edits of
//! the text (comments kept). MappingPolicy, FormPolicy, FallbackPolicy and
//! TwoStageFallbackPolicy become one RulePolicy (their fallback thresholds as its
//! `core_fallback_*` settings and a FallbackClassifier in the pipeline), with a note for
//! each rule a person must add; KerasPolicy and EmbeddingPolicy become TEDPolicy,
//! EmbeddingIntentClassifier DIETClassifier, DucklingHTTPExtractor DucklingEntityExtractor
//! (Rasa's migration guide, 1.x → 2.0 → 3.0).

use crate::convert::Notes;
use crate::convert::edits::{Edits, after_line, line_start};
use crate::convert::yaml_out::scalar;
use crate::source::FileId;
use crate::yaml::{Node, Value};

#[derive(Debug)]
pub struct ConfigConversion {
    pub text: String,
    pub notes: Notes,
}

impl ConfigConversion {
    fn new(file: FileId) -> Self {
        ConfigConversion {
            text: String::new(),
            notes: Notes::new(file),
        }
    }
}

/// Renamed with the same meaning (settings may differ: a note says so when there are any).
const RENAMED: &[(&str, &str)] = &[
    ("KerasPolicy", "TEDPolicy"),
    ("EmbeddingPolicy", "TEDPolicy"),
    ("EmbeddingIntentClassifier", "DIETClassifier"),
    ("DucklingHTTPExtractor", "DucklingEntityExtractor"),
    // The old-style names Rasa 1.10 still read as these components (its
    // `registry.old_style_names`), gone since Rasa 2.
    ("nlp_spacy", "SpacyNLP"),
    ("nlp_mitie", "MitieNLP"),
    ("ner_spacy", "SpacyEntityExtractor"),
    ("ner_mitie", "MitieEntityExtractor"),
    ("ner_crf", "CRFEntityExtractor"),
    ("ner_duckling_http", "DucklingEntityExtractor"),
    ("ner_synonyms", "EntitySynonymMapper"),
    ("intent_featurizer_spacy", "SpacyFeaturizer"),
    ("intent_featurizer_mitie", "MitieFeaturizer"),
    ("intent_entity_featurizer_regex", "RegexFeaturizer"),
    ("intent_featurizer_count_vectors", "CountVectorsFeaturizer"),
    ("tokenizer_mitie", "MitieTokenizer"),
    ("tokenizer_spacy", "SpacyTokenizer"),
    ("tokenizer_whitespace", "WhitespaceTokenizer"),
    ("tokenizer_jieba", "JiebaTokenizer"),
    ("intent_classifier_sklearn", "SklearnIntentClassifier"),
    ("intent_classifier_mitie", "MitieIntentClassifier"),
    ("intent_classifier_keyword", "KeywordIntentClassifier"),
    ("intent_classifier_tensorflow_embedding", "DIETClassifier"),
];

/// Gone in Rasa 3 without a one-to-one replacement.
const GONE: &[(&str, &str)] = &[
    ("SklearnPolicy", "use TEDPolicy"),
    ("ConveRTFeaturizer", "use LanguageModelFeaturizer"),
    (
        "ConveRTTokenizer",
        "use another tokenizer with LanguageModelFeaturizer",
    ),
    (
        "HFTransformersNLP",
        "use LanguageModelFeaturizer with its `model_name`",
    ),
    (
        "LanguageModelTokenizer",
        "use another tokenizer (WhitespaceTokenizer) with LanguageModelFeaturizer",
    ),
];

/// Replaced by RulePolicy.
const RULE_POLICIES: &[&str] = &[
    "MappingPolicy",
    "FormPolicy",
    "FallbackPolicy",
    "TwoStageFallbackPolicy",
];

struct Converter<'a> {
    text: &'a str,
    edits: Edits,
    out: ConfigConversion,
}

/// Converts `config.yml` (`text`, whose tree is `root`).
pub fn convert_config(file: FileId, text: &str, root: &Node) -> ConfigConversion {
    let mut c = Converter {
        text,
        edits: Edits::default(),
        out: ConfigConversion::new(file),
    };
    if root.get("recipe").is_none() && root.as_map().is_some() {
        c.edits.insert(0, "recipe: default.v1\n");
    }
    let mut classifier: Option<String> = None;
    if let Some(policies) = root.get("policies").and_then(Node::as_seq) {
        classifier = policies_of(&mut c, policies);
    }
    let pipeline = root
        .as_map()
        .into_iter()
        .flatten()
        .find(|(k, _)| k.as_str() == Some("pipeline"));
    match pipeline {
        Some((key, pipeline)) => pipeline_of(&mut c, key, pipeline, classifier),
        None if classifier.is_some() => c.out.notes.decide(
            None,
            "the fallback policy's NLU threshold belongs to a FallbackClassifier in the pipeline, and this config has none: add `- name: FallbackClassifier` to the pipeline".into(),
        ),
        None => {}
    }
    let (text, skipped) = std::mem::take(&mut c.edits).apply(text);
    if !skipped.is_empty() {
        c.out.notes.decide(
            None,
            "some edits of config.yml overlapped and were left out: check it".into(),
        );
    }
    c.out.text = text;
    c.out
}

/// The name of a policy or component item.
fn name_of(item: &Node) -> Option<(&str, &Node)> {
    let name = item.get("name")?;
    Some((name.as_str()?, name))
}

/// The policies: renamed, or replaced by one RulePolicy. Returns the FallbackClassifier
/// settings the pipeline needs (a fallback policy's NLU thresholds), if any.
fn policies_of(c: &mut Converter, policies: &[Node]) -> Option<String> {
    let has_rule_policy = policies
        .iter()
        .any(|p| name_of(p).is_some_and(|(n, _)| n == "RulePolicy"));
    let mut rule_settings: Vec<String> = Vec::new();
    let mut classifier: Option<Vec<String>> = None;
    let mut first_replaced: Option<(usize, usize)> = None;
    for item in policies {
        let Some((name, name_node)) = name_of(item) else {
            continue;
        };
        if let Some((_, new)) = RENAMED.iter().find(|(old, _)| *old == name) {
            rename(c, item, name, name_node, new);
            continue;
        }
        if let Some((_, advice)) = GONE.iter().find(|(old, _)| *old == name) {
            c.out.notes.decide(
                Some(name_node.span.clone()),
                format!("policy `{name}` is gone in Rasa 3: {advice}"),
            );
            continue;
        }
        if !RULE_POLICIES.contains(&name) {
            continue;
        }
        let start = line_start(c.text, item.span.start);
        let end = after_line(c.text, item.span.end.saturating_sub(1).max(item.span.start));
        c.edits.replace(start..end, "");
        first_replaced.get_or_insert((start, dash_column(c.text, start)));
        let get = |key: &str| item.get(key).and_then(Node::python_str);
        match name {
            "MappingPolicy" => c.out.notes.change(
                Some(name_node.span.clone()),
                "MappingPolicy is replaced by RulePolicy: each intent `triggers` of the domain, if any, becomes a rule in data/rules.yml".into(),
            ),
            "FormPolicy" => c.out.notes.decide(
                Some(name_node.span.clone()),
                "FormPolicy is replaced by RulePolicy: add a rule that activates each form (`- intent: …`, `- action: the_form`, `- active_loop: the_form`) and one that submits it (condition `active_loop: the_form`, steps `- action: the_form`, `- active_loop: null`, the submit action)".into(),
            ),
            _ => {
                let two_stage = name == "TwoStageFallbackPolicy";
                let action = if two_stage {
                    "action_two_stage_fallback".to_string()
                } else {
                    get("fallback_action_name").unwrap_or_else(|| "action_default_fallback".into())
                };
                let core_action = if two_stage {
                    get("fallback_core_action_name")
                } else {
                    Some(action.clone())
                };
                if let Some(t) = get("core_threshold") {
                    rule_settings.push(format!("core_fallback_threshold: {t}"));
                }
                if let Some(a) = core_action {
                    rule_settings.push(format!("core_fallback_action_name: {}", scalar(&a)));
                }
                let mut settings = Vec::new();
                if let Some(t) = get("nlu_threshold") {
                    settings.push(format!("threshold: {t}"));
                }
                if let Some(t) = get("ambiguity_threshold") {
                    settings.push(format!("ambiguity_threshold: {t}"));
                }
                classifier = Some(settings);
                let steps = if two_stage {
                    format!("`- intent: nlu_fallback`, `- action: {action}`, `- active_loop: {action}`")
                } else {
                    format!("`- intent: nlu_fallback`, `- action: {action}`")
                };
                c.out.notes.decide(
                    Some(name_node.span.clone()),
                    format!(
                        "{name} is replaced by RulePolicy (its core threshold) and a FallbackClassifier (its NLU threshold): add the rule with the steps {steps}"
                    ),
                );
            }
        }
    }
    if let Some((at, dash)) = first_replaced
        && !has_rule_policy
    {
        let indent = " ".repeat(dash);
        let mut text = format!("{indent}- name: RulePolicy\n");
        for setting in &rule_settings {
            text.push_str(&format!("{indent}  {setting}\n"));
        }
        c.edits.insert(at, text);
    }
    classifier.map(|settings| settings.join("\n"))
}

/// The column of the `-` on the line starting at `start`.
fn dash_column(text: &str, start: usize) -> usize {
    text[start..].find('-').unwrap_or(0)
}

fn rename(c: &mut Converter, item: &Node, name: &str, name_node: &Node, new: &str) {
    c.edits.replace(name_node.content_span(c.text), new);
    let settings = item.as_map().map_or(0, |m| {
        m.iter()
            .filter(|(k, _)| !matches!(k.as_str(), Some("name" | "max_history")))
            .count()
    });
    let message = format!("`{name}` is `{new}` in Rasa 3");
    if settings > 0 {
        c.out.notes.decide(
            Some(name_node.span.clone()),
            format!("{message}: its settings were `{name}`'s; check each against `{new}`'s"),
        );
    } else {
        c.out.notes.change(Some(name_node.span.clone()), message);
    }
}

/// The components of Rasa 1.10's pipeline templates (`pipeline: supervised_embeddings`),
/// which Rasa 3 no longer has (`rasa/nlu/registry.py` of 1.10), with their settings.
const TEMPLATES: &[(&str, &[(&str, &str)])] = &[
    (
        "pretrained_embeddings_spacy",
        &[
            ("SpacyNLP", ""),
            ("SpacyTokenizer", ""),
            ("SpacyFeaturizer", ""),
            ("RegexFeaturizer", ""),
            ("CRFEntityExtractor", ""),
            ("EntitySynonymMapper", ""),
            ("SklearnIntentClassifier", ""),
        ],
    ),
    ("keyword", &[("KeywordIntentClassifier", "")]),
    (
        "supervised_embeddings",
        &[
            ("WhitespaceTokenizer", ""),
            ("RegexFeaturizer", ""),
            ("CRFEntityExtractor", ""),
            ("EntitySynonymMapper", ""),
            ("CountVectorsFeaturizer", ""),
            (
                "CountVectorsFeaturizer",
                "analyzer: char_wb\nmin_ngram: 1\nmax_ngram: 4",
            ),
            ("EmbeddingIntentClassifier", ""),
        ],
    ),
    (
        "pretrained_embeddings_convert",
        &[
            ("ConveRTTokenizer", ""),
            ("ConveRTFeaturizer", ""),
            ("EmbeddingIntentClassifier", ""),
        ],
    ),
];

/// A 1.10 pipeline template written out as its components (renamed as Rasa 3 names them),
/// with the FallbackClassifier a fallback policy needs.
fn expand_template(c: &mut Converter, key: &Node, pipeline: &Node, classifier: Option<String>) {
    let name = pipeline.as_str().unwrap_or_default();
    let Some((_, components)) = TEMPLATES.iter().find(|(t, _)| *t == name) else {
        c.out.notes.decide(
            Some(pipeline.span.clone()),
            format!("the pipeline `{name}` is no pipeline Rasa 1.10 or Rasa 3 knows: list its components"),
        );
        return;
    };
    let mut text = String::from(":");
    for (component, settings) in components.iter() {
        let renamed = RENAMED
            .iter()
            .find(|(old, _)| old == component)
            .map(|(_, new)| *new);
        if let Some((_, advice)) = GONE.iter().find(|(old, _)| old == component) {
            c.out.notes.decide(
                Some(pipeline.span.clone()),
                format!("the template's component `{component}` is gone in Rasa 3: {advice}"),
            );
        }
        text.push_str(&format!("\n  - name: {}", renamed.unwrap_or(component)));
        for line in settings.lines() {
            text.push_str(&format!("\n    {line}"));
        }
    }
    if let Some(settings) = classifier {
        text.push_str("\n  - name: FallbackClassifier");
        for line in settings.lines() {
            text.push_str(&format!("\n    {line}"));
        }
    }
    c.edits.replace(key.span.end..pipeline.span.end, text);
    c.out.notes.change(
        Some(pipeline.span.clone()),
        format!("the pipeline template `{name}` (gone in Rasa 3) is written out as the components Rasa 1.10 gave it, EmbeddingIntentClassifier as DIETClassifier"),
    );
}

/// The pipeline: renamed components, and the FallbackClassifier a fallback policy needs.
fn pipeline_of(c: &mut Converter, key: &Node, pipeline: &Node, classifier: Option<String>) {
    if pipeline.as_str().is_some() {
        return expand_template(c, key, pipeline, classifier);
    }
    let Value::Seq(items) = &pipeline.value else {
        c.out.notes.decide(
            Some(pipeline.span.clone()),
            "the pipeline is a 1.x template name, which Rasa 3 does not have: list its components (`rasa init` writes a default pipeline)".into(),
        );
        return;
    };
    let mut has_classifier = false;
    for item in items {
        let Some((name, name_node)) = name_of(item) else {
            continue;
        };
        has_classifier |= name == "FallbackClassifier";
        if let Some((_, new)) = RENAMED.iter().find(|(old, _)| *old == name) {
            rename(c, item, name, name_node, new);
        } else if let Some((_, advice)) = GONE.iter().find(|(old, _)| *old == name) {
            c.out.notes.decide(
                Some(name_node.span.clone()),
                format!("component `{name}` is gone in Rasa 3: {advice}"),
            );
        }
    }
    let (Some(settings), false, Some(last)) = (classifier, has_classifier, items.last()) else {
        return;
    };
    let start = line_start(c.text, items[0].span.start);
    let indent = " ".repeat(dash_column(c.text, start));
    let at = after_line(c.text, last.span.end.saturating_sub(1).max(last.span.start));
    let mut text = String::new();
    if at == c.text.len() && !c.text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(&format!("{indent}- name: FallbackClassifier\n"));
    for line in settings.lines() {
        text.push_str(&format!("{indent}  {line}\n"));
    }
    c.edits.insert(at, text);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_style_component_names_become_their_classes() {
        let text = "pipeline:\n  - name: \"tokenizer_whitespace\"\n  - name: ner_crf\n  - name: intent_classifier_tensorflow_embedding\n";
        let root = crate::yaml::parse(text).expect("parses");
        let out = convert_config(FileId(0), text, &root);
        assert_eq!(
            out.text,
            "recipe: default.v1\npipeline:\n  - name: \"WhitespaceTokenizer\"\n  - name: CRFEntityExtractor\n  - name: DIETClassifier\n"
        );
        assert_eq!(out.notes.changed.len(), 3, "{:#?}", out.notes);
    }

    #[test]
    fn policies_rasa_3_replaced_become_rule_policy_and_ted() {
        let text = "language: en\npipeline:\n  - name: WhitespaceTokenizer\n  - name: EmbeddingIntentClassifier\npolicies:\n  # the policies\n  - name: KerasPolicy\n    max_history: 5\n  - name: MemoizationPolicy\n  - name: FallbackPolicy\n    nlu_threshold: 0.4\n    core_threshold: 0.3\n    fallback_action_name: action_default_fallback\n  - name: MappingPolicy\n";
        let root = crate::yaml::parse(text).expect("parses");
        let out = convert_config(FileId(0), text, &root);
        assert_eq!(
            out.text,
            "recipe: default.v1\nlanguage: en\npipeline:\n  - name: WhitespaceTokenizer\n  - name: DIETClassifier\n  - name: FallbackClassifier\n    threshold: 0.4\npolicies:\n  # the policies\n  - name: TEDPolicy\n    max_history: 5\n  - name: MemoizationPolicy\n  - name: RulePolicy\n    core_fallback_threshold: 0.3\n    core_fallback_action_name: action_default_fallback\n"
        );
        assert_eq!(
            out.notes.needs_person.len(),
            1,
            "{:#?}",
            out.notes.needs_person
        );
    }
}
