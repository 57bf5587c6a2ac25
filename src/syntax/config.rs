//! `config.yml`: the language, the NLU pipeline's components, the policies'
//! `max_history`, and the projects a `MultiProjectImporter` imports.

use crate::model::config::{ConfigFile, Pipeline, Policy};
use crate::model::domain::Name;
use crate::source::FileId;
use crate::syntax::problem::Problem;
use crate::syntax::yaml;
use crate::yaml::Node;

/// Help for a configuration Rasa cannot read: unlike the domain, nothing swallows it.
const UNREADABLE_CONFIG: &str =
    "Rasa 1.10 cannot read this file: `rasa train` stops with a YAML error.";

/// Reads `config.yml`. YAML errors are problems (Rasa refuses the file) and give an empty
/// configuration; values of the wrong shape are skipped.
pub fn parse_config(file: FileId, text: &str) -> (ConfigFile, Vec<Problem>) {
    let (root, findings) =
        yaml::read_top_level_mapping(file, text, "config.yml", UNREADABLE_CONFIG);
    let config = root.as_ref().map(|root| read_config(root, text));
    (config.unwrap_or_default(), findings)
}

/// Rasa reads a configuration as a Python dict, so a repeated key (already RL002) counts
/// once here: the first copy.
fn read_config(root: &Node, text: &str) -> ConfigFile {
    let policies = root
        .get("policies")
        .and_then(Node::as_seq)
        .unwrap_or_default();
    let names = |key: &str, name_of: &dyn Fn(&Node) -> Option<Name>| -> Vec<Name> {
        root.get(key)
            .and_then(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .filter_map(name_of)
            .collect()
    };
    ConfigFile {
        language: root.get("language").and_then(|n| Name::from_node(n, text)),
        pipeline: pipeline(root, text),
        policies: policies.iter().filter_map(|p| policy(p, text)).collect(),
        importers: names("importers", &|n| Name::from_node(n.get("name")?, text)),
        imports: names("imports", &|n| Name::from_node(n, text)),
    }
}

fn pipeline(root: &Node, text: &str) -> Option<Pipeline> {
    let (key, components) = root
        .as_map()?
        .iter()
        .find(|(k, _)| k.as_str() == Some("pipeline"))?;
    let components = components
        .as_seq()?
        .iter()
        .filter_map(|c| Name::from_node(c.get("name")?, text))
        .collect();
    Some(Pipeline {
        key: key.span.clone(),
        components,
    })
}

/// One `policies` entry, a mapping with a `name` and an optional `max_history`. Entries
/// without a string name are skipped.
fn policy(node: &Node, text: &str) -> Option<Policy> {
    Some(Policy {
        name: Name::from_node(node.get("name")?, text)?,
        max_history: node.get("max_history").and_then(|n| {
            let value = u64::try_from(n.as_i64()?).ok()?;
            Some((value, n.span.clone()))
        }),
        unusable_max_history: node
            .get("max_history")
            .filter(|n| !usable_max_history(&n.value))
            .map(|n| n.span.clone()),
    })
}

/// Whether Rasa can slice dialogues with this `max_history`: none (its default), or a
/// whole number from 0 up.
fn usable_max_history(value: &crate::yaml::Value) -> bool {
    use crate::yaml::Value;
    match value {
        Value::Null => true,
        Value::Int(i) => *i >= 0,
        // Integers past i64 read as floats.
        Value::Float(f) => *f >= 0.0 && f.fract() == 0.0,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::problem::ProblemKind;

    fn parse(text: &str) -> (ConfigFile, Vec<Problem>) {
        parse_config(FileId(1), text)
    }

    const CONFIG: &str = "\
language: \"en\"
pipeline:
  - name: WhitespaceTokenizer
  - 5
  - name: rasa.nlu.extractors.entity_synonyms.EntitySynonymMapper
policies:
  - name: MemoizationPolicy
    max_history: 5
  - name: TEDPolicy
    max_history: ten
    epochs: 100
  - name: MappingPolicy
  - max_history: 3
  - FallbackPolicy
";

    #[test]
    fn reads_language_and_policies() {
        let (config, findings) = parse(CONFIG);
        assert_eq!(findings, Vec::new());
        let language = config.language.expect("a language");
        assert_eq!(language.name, "en");
        assert_eq!(&CONFIG[language.span], "en");
        let pipeline = config.pipeline.expect("a pipeline");
        assert_eq!(&CONFIG[pipeline.key], "pipeline");
        let components: Vec<_> = pipeline
            .components
            .iter()
            .map(|c| c.name.as_str())
            .collect();
        assert_eq!(
            components,
            [
                "WhitespaceTokenizer",
                "rasa.nlu.extractors.entity_synonyms.EntitySynonymMapper"
            ]
        );
        let names: Vec<_> = config
            .policies
            .iter()
            .map(|p| p.name.name.as_str())
            .collect();
        assert_eq!(names, ["MemoizationPolicy", "TEDPolicy", "MappingPolicy"]);
        let (history, span) = config.policies[0].max_history.clone().expect("max_history");
        assert_eq!((history, &CONFIG[span]), (5, "5"));
        assert_eq!(config.policies[1].max_history, None);
        assert_eq!(config.policies[2].max_history, None);
    }

    #[test]
    fn an_empty_or_odd_config_reads_as_nothing() {
        for text in [
            "",
            "# comment only\n",
            "policies: MemoizationPolicy\nlanguage: 5\n",
        ] {
            let (config, findings) = parse(text);
            assert_eq!(
                (config, findings),
                (ConfigFile::default(), Vec::new()),
                "{text:?}"
            );
        }
        let (config, _) = parse("policies:\n  - name: P\n    max_history: -1\n");
        assert_eq!(config.policies[0].max_history, None);
        let written = |p: &Policy| p.unusable_max_history.clone().map(|s| &CONFIG[s]);
        let (config, _) = parse(CONFIG);
        let unusable: Vec<_> = config.policies.iter().map(written).collect();
        assert_eq!(unusable, [None, Some("ten"), None]);
    }

    #[test]
    fn a_broken_config_is_rl002() {
        let text = "language: en\npolicies:\n  - name: [TEDPolicy\n";
        let (config, findings) = parse(text);
        assert_eq!(config, ConfigFile::default());
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].kind, ProblemKind::YamlSyntax);
        assert_eq!(findings[0].file, FileId(1));
        assert!(
            findings[0]
                .message
                .starts_with("config.yml is not valid YAML: ")
        );
        assert!(findings[0].help.is_some());
    }

    #[test]
    fn duplicate_keys_and_non_mappings_are_rl002() {
        let (config, findings) = parse("language: en\nlanguage: de\n");
        assert_eq!(config.language.map(|l| l.name), Some("en".to_owned()));
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].span, 13..21);
        let (_, findings) = parse("- policies\n");
        assert_eq!(findings.len(), 1);
    }
}
