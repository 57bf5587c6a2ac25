//! Reading a Rasa 2/3 YAML training-data file: classified as Rasa classifies it (spec
//! §1.2–1.3), parsed once, and handed to the NLU reader ([`super::yaml_nlu`]) and the
//! stories reader ([`super::yaml_stories`]), each of which reads only its own keys.

use crate::model::domain::Name;
use crate::model::{FileParts, YamlData};
use crate::source::FileId;
use crate::syntax::problem::{Problem, ProblemKind};
use crate::syntax::python::is_space;
use crate::syntax::yaml_env::Environment;
use crate::syntax::{yaml::top_level_mapping, yaml_layer, yaml_nlu, yaml_stories};

/// What Rasa does with a data file it cannot parse, as the findings' help.
const UNREADABLE: &str = "Rasa stops loading the training data at this file (YamlSyntaxException), so training and `rasa data validate` fail";

/// Reads one YAML data file; `test_stories` when its name starts with `test_`; `env` is
/// the environment Rasa expands `${…}` from.
pub fn read_data(
    file: FileId,
    text: &str,
    test_stories: bool,
    env: &Environment,
) -> (FileParts, Vec<Problem>) {
    let keys = DataKeys::of(text);
    // Rasa's `guess_format` (spec §1.3): a file that is valid JSON is judged as JSON, and
    // is no Rasa YAML whatever its name (asked only of files the line test would take).
    let is_nlu = (keys.nlu || keys.responses) && !is_json(text);
    let is_stories = keys.stories || keys.rules;
    let mut data = YamlData {
        is_nlu,
        has_nlu_key: is_nlu && keys.nlu,
        is_stories,
        is_test_stories: is_stories && test_stories,
        ..YamlData::default()
    };
    if !is_nlu && !is_stories {
        data.hidden_key = hidden_data_key(text);
        let problems = json_scalar_crash(file, text, &mut data);
        return (FileParts::yaml_data(data, None, None, None), problems);
    }
    let layered = yaml_layer::read(file, text, env, UNREADABLE);
    let mut problems = layered.problems;
    data.crash = layered.crash;
    data.rasa_error = layered.early_error;
    data.late_error = layered.late_error;
    let (root, found) = match layered.root {
        Some(root) => top_level_mapping(file, root, "this file", UNREADABLE),
        None => (None, Vec::new()),
    };
    if data.rasa_error.is_none() {
        data.rasa_error = found.first().map(|p| p.message.clone());
    }
    problems.extend(found);
    let Some(root) = root else {
        return (FileParts::yaml_data(data, None, None, None), problems);
    };
    let schema = layered.schema_root.as_ref().unwrap_or(&root);
    data.version = root
        .get("version")
        .and_then(|node| Name::from_node(node, text));
    let (nlu, responses) = if is_nlu {
        let (nlu, responses, found) = yaml_nlu::read_nlu(file, text, &root, schema);
        problems.extend(found);
        (nlu, responses)
    } else {
        (None, None)
    };
    let stories = if is_stories {
        let (stories, found) =
            yaml_stories::read_stories(file, text, &root, schema, data.is_test_stories);
        problems.extend(found);
        stories
    } else {
        None
    };
    if let Some(yaml_1_1) = &layered.yaml_1_1 {
        explain_yaml_1_1(file, yaml_1_1, &mut problems);
    }
    problems.extend(env_problems_past_the_schema(
        layered.env_problems,
        &problems,
    ));
    (
        FileParts::yaml_data(data, nlu, stories, responses),
        problems,
    )
}

/// Says, on each schema refusal of a scalar YAML 1.1 reads otherwise, that the file's
/// `%YAML 1.1` directive is why.
fn explain_yaml_1_1(file: FileId, yaml_1_1: &yaml_layer::Yaml11, problems: &mut [Problem]) {
    for problem in problems.iter_mut() {
        let refused = matches!(
            problem.kind,
            ProblemKind::YamlSchema | ProblemKind::StoryRefused
        );
        if refused && yaml_1_1.changed.contains(&problem.span) {
            problem.message.push_str(" (Rasa's schema reads this file as YAML 1.1, as its `%YAML 1.1` directive says: `yes`, `no`, `on`, `off`, `y` and `n` are booleans there)");
            problem.related.push(crate::source::Related {
                file,
                span: yaml_1_1.directive.clone(),
                message: "YAML 1.1 is chosen here".to_owned(),
            });
        }
    }
}

/// The environment-variable problems of scalars the schema does not refuse first (it
/// refuses an unquoted `${…}` where it wants a string, before anything is expanded).
fn env_problems_past_the_schema(env: Vec<Problem>, found: &[Problem]) -> Vec<Problem> {
    if env.is_empty() {
        return env;
    }
    let refused: rustc_hash::FxHashSet<&crate::source::Span> = found
        .iter()
        .filter(|p| matches!(p.kind, ProblemKind::YamlSchema | ProblemKind::StoryRefused))
        .map(|p| &p.span)
        .collect();
    env.into_iter()
        .filter(|p| !refused.contains(&p.span))
        .collect()
}

/// Rasa's format guessing of a file that is JSON (spec §1.3) asks `"utterances" in
/// content`, which raises a TypeError when the content is a JSON number, boolean or null:
/// a `.yml` file holding just `42` stops Rasa, whatever its name. Records the crash and
/// returns its finding.
fn json_scalar_crash(file: FileId, text: &str, data: &mut YamlData) -> Vec<Problem> {
    let Some(python_type) = json_scalar_type(text) else {
        return Vec::new();
    };
    let crash = format!("TypeError: argument of type '{python_type}' is not iterable");
    let trimmed = text.trim_matches([' ', '\t', '\n', '\r']);
    let start = text.len() - text.trim_start_matches([' ', '\t', '\n', '\r']).len();
    let problem = Problem::new(
        ProblemKind::YamlSyntax,
        file,
        start..start + trimmed.len(),
        format!("this file is a JSON {}, so Rasa's format guessing reads it as JSON and crashes on it ({crash}): training and `rasa data validate` stop", json_kind(python_type)),
    )
    .with_help("remove it from the training-data folder, or write YAML training data in it");
    data.crash = Some(crash);
    vec![problem]
}

/// The Python type `json.loads` gives a text that is one JSON scalar Rasa's heuristics
/// cannot search in: `int`, `float`, `bool`, `NoneType` (Python also reads `NaN` and
/// `Infinity`).
fn json_scalar_type(text: &str) -> Option<&'static str> {
    let trimmed = text.trim_matches([' ', '\t', '\n', '\r']);
    if matches!(trimmed, "NaN" | "Infinity" | "-Infinity") {
        return Some("float");
    }
    match serde_json::from_str::<serde_json::Value>(text).ok()? {
        serde_json::Value::Null => Some("NoneType"),
        serde_json::Value::Bool(_) => Some("bool"),
        serde_json::Value::Number(_) if trimmed.contains(['.', 'e', 'E']) => Some("float"),
        serde_json::Value::Number(_) => Some("int"),
        _ => None,
    }
}

fn json_kind(python_type: &str) -> &'static str {
    match python_type {
        "bool" => "boolean",
        "NoneType" => "null",
        _ => "number",
    }
}

/// The keys whose lines make Rasa read a file as training data.
const DATA_KEYS: &[&str] = &["nlu", "responses", "stories", "rules"];

/// A top-level data key of a file that Rasa's line test passed over (see
/// [`YamlData::hidden_key`]); the file is parsed only when it mentions such a key.
fn hidden_data_key(text: &str) -> Option<Name> {
    if !DATA_KEYS.iter().any(|key| text.contains(key)) {
        return None;
    }
    let root = crate::yaml::parse(text).ok()?;
    let (key, _) = root
        .as_map()?
        .iter()
        .find(|(key, _)| key.as_str().is_some_and(|k| DATA_KEYS.contains(&k)))?;
    Name::from_node(key, text)
}

/// Whether Rasa's format guessing reads the text as JSON (`json.loads` succeeds).
pub fn is_json(text: &str) -> bool {
    serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok()
}

/// Rasa's `is_key_in_yaml` (spec §1.2), a text heuristic rather than a parse: whether any
/// line, its leading whitespace removed, starts with `key:` for one of `keys`. Indentation
/// does not matter, a BOM before the first key hides it, and a quoted or spaced key is not
/// seen.
pub fn is_key_in_yaml(text: &str, keys: &[&str]) -> bool {
    keys.iter().any(|key| key_starts_a_line(text, key))
}

/// Which of the four keys that make a file training data start a line (Rasa asks
/// [`is_key_in_yaml`] of each).
#[derive(Debug, Default)]
struct DataKeys {
    nlu: bool,
    responses: bool,
    stories: bool,
    rules: bool,
}

impl DataKeys {
    fn of(text: &str) -> DataKeys {
        DataKeys {
            nlu: key_starts_a_line(text, "nlu"),
            responses: key_starts_a_line(text, "responses"),
            stories: key_starts_a_line(text, "stories"),
            rules: key_starts_a_line(text, "rules"),
        }
    }
}

/// Whether a line of `text`, split as Python's universal-newline reading splits it (`\n`,
/// `\r\n`, `\r`) and without its leading whitespace (`str.lstrip`), starts with `key:`.
///
/// Found by searching the whole text for `key:` (few places have it) rather than by
/// reading every line: only whitespace may come between a line break and a match. The
/// look back from each match stops at the first other character, and the `key:` of the
/// match before is one, so the whole search stays linear.
fn key_starts_a_line(text: &str, key: &str) -> bool {
    let needle = format!("{key}:");
    memchr::memmem::find_iter(text.as_bytes(), needle.as_bytes()).any(|at| {
        let before = text[..at].trim_end_matches(|c| is_space(c) && c != '\n' && c != '\r');
        before.is_empty() || before.ends_with(['\n', '\r'])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_found_on_any_line_whatever_the_indentation() {
        assert!(is_key_in_yaml("version: \"3.1\"\nnlu:\n", &["nlu"]));
        assert!(is_key_in_yaml("a:\n    stories: x\n", &["stories"]));
        assert!(is_key_in_yaml("a: 1\r  rules:\r", &["rules"]));
        assert!(is_key_in_yaml("\x1cnlu:", &["nlu"]));
    }

    /// The search agrees with reading the text line by line as Rasa does, on texts built
    /// from the pieces that matter: keys, colons, every kind of line break and of
    /// whitespace, and other text.
    #[test]
    fn the_key_search_agrees_with_a_line_by_line_reading() {
        fn line_by_line(text: &str, key: &str) -> bool {
            text.split(['\n', '\r'])
                .map(|line| line.trim_start_matches(is_space))
                .any(|line| line.strip_prefix(key).is_some_and(|r| r.starts_with(':')))
        }
        let pieces = [
            "nlu", "rules", ":", " ", "\t", "\n", "\r", "\r\n", "\x0b", "\x1c", "\u{a0}",
            "\u{2028}", "\u{85}", "\u{feff}", "-", "a", "#", "\"",
        ];
        let mut next = crate::test_rng::below(0x2545_f491_4f6c_dd1d);
        for _ in 0..20_000 {
            let text: String = (0..next(12)).map(|_| pieces[next(pieces.len())]).collect();
            for key in ["nlu", "rules"] {
                assert_eq!(
                    key_starts_a_line(&text, key),
                    line_by_line(&text, key),
                    "{text:?} {key}"
                );
            }
        }
    }

    #[test]
    fn quoted_spaced_listed_and_bom_hidden_keys_are_not_seen() {
        for text in [
            "\"nlu\":\n",
            "nlu :\n",
            "- nlu: x\n",
            "# nlu:\n",
            "\u{feff}nlu:\n",
            "NLU:\n",
            "{nlu: []}\n",
            "nlux:\n",
        ] {
            assert!(!is_key_in_yaml(text, &["nlu"]), "{text:?}");
        }
    }

    #[test]
    fn data_keys_the_line_test_misses_are_found() {
        for (text, key) in [
            ("\"nlu\":\n- intent: a\n", "nlu"),
            ("stories :\n- story: a\n", "stories"),
            ("{rules: []}\n", "rules"),
            ("\u{feff}nlu:\n- intent: a\n", "nlu"),
        ] {
            let (parts, _) = read_data(FileId(0), text, false, &Environment::Process);
            let data = parts.yaml.expect("a YAML data file");
            assert!(!data.is_nlu && !data.is_stories, "{text:?}");
            let hidden = data.hidden_key.expect(text);
            assert_eq!(hidden.name, key);
            assert_eq!(&text[hidden.span], key);
        }
        let (parts, _) = read_data(FileId(0), "intents: [nlu]\n", false, &Environment::Process);
        assert_eq!(parts.yaml.and_then(|d| d.hidden_key), None);
    }

    #[test]
    fn a_file_that_is_json_is_no_yaml_nlu() {
        let is_nlu = |text| {
            let (parts, _) = read_data(FileId(0), text, false, &Environment::Process);
            parts.yaml.is_some_and(|d| d.is_nlu)
        };
        assert!(!is_nlu("{\"nlu\": []}"));
        assert!(is_nlu("nlu: []\n"));
    }
}
