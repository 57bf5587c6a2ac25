//! Reading a Rasa 2/3 YAML training-data file: classified as Rasa classifies it (spec
//! §1.2–1.3), parsed once, and handed to the NLU reader ([`super::yaml_nlu`]) and the
//! stories reader ([`super::yaml_stories`]), each of which reads only its own keys.

use crate::model::domain::Name;
use crate::model::{FileParts, YamlData};
use crate::source::FileId;
use crate::syntax::problem::Problem;
use crate::syntax::{yaml::read_top_level_mapping, yaml_nlu, yaml_stories};

/// What Rasa does with a data file it cannot parse, as the findings' help.
const UNREADABLE: &str = "Rasa stops loading the training data at this file (YamlSyntaxException), so training and `rasa data validate` fail";

/// Reads one YAML data file; `test_stories` when its name starts with `test_`.
pub fn read_data(file: FileId, text: &str, test_stories: bool) -> (FileParts, Vec<Problem>) {
    let is_nlu = is_nlu_file(text);
    let is_stories = is_key_in_yaml(text, &["stories", "rules"]);
    let mut data = YamlData {
        is_nlu,
        has_nlu_key: is_nlu && is_key_in_yaml(text, &["nlu"]),
        is_stories,
        is_test_stories: is_stories && test_stories,
        ..YamlData::default()
    };
    if !is_nlu && !is_stories {
        data.hidden_key = hidden_data_key(text);
        return (FileParts::yaml_data(data, None, None, None), Vec::new());
    }
    let (root, mut problems) = read_top_level_mapping(file, text, "this file", UNREADABLE);
    if let Some(first) = problems.first() {
        data.rasa_error = Some(first.message.clone());
    }
    let Some(root) = root else {
        return (FileParts::yaml_data(data, None, None, None), problems);
    };
    data.version = root
        .get("version")
        .and_then(|node| Name::from_node(node, text));
    let (nlu, responses) = if is_nlu {
        let (nlu, responses, found) = yaml_nlu::read_nlu(file, text, &root);
        problems.extend(found);
        (nlu, responses)
    } else {
        (None, None)
    };
    let stories = if is_stories {
        let (stories, found) = yaml_stories::read_stories(file, text, &root);
        problems.extend(found);
        stories
    } else {
        None
    };
    (
        FileParts::yaml_data(data, nlu, stories, responses),
        problems,
    )
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

/// Rasa's `guess_format` for a YAML file (spec §1.3): a file that is valid JSON is judged
/// as JSON, and is no Rasa YAML whatever its name; otherwise a line that starts with
/// `nlu:` or `responses:` makes it NLU.
fn is_nlu_file(text: &str) -> bool {
    serde_json::from_str::<serde::de::IgnoredAny>(text).is_err()
        && is_key_in_yaml(text, &["nlu", "responses"])
}

/// Rasa's `is_key_in_yaml` (spec §1.2), a text heuristic rather than a parse: whether any
/// line, its leading whitespace removed, starts with `key:` for one of `keys`. Indentation
/// does not matter, a BOM before the first key hides it, and a quoted or spaced key is not
/// seen.
pub fn is_key_in_yaml(text: &str, keys: &[&str]) -> bool {
    universal_lines(text).any(|line| {
        let line = line.trim_start_matches(is_python_space);
        keys.iter().any(|key| {
            line.strip_prefix(key)
                .is_some_and(|rest| rest.starts_with(':'))
        })
    })
}

/// The lines of `text` as Python's universal-newline reading splits them (`\n`, `\r\n`,
/// `\r`).
fn universal_lines(text: &str) -> impl Iterator<Item = &str> {
    text.split('\n').flat_map(|line| line.split('\r'))
}

/// Python's `str.isspace`: Unicode white space and the four ASCII separators
/// `\x1c`–`\x1f`, which `str.lstrip` also removes.
fn is_python_space(c: char) -> bool {
    c.is_whitespace() || ('\x1c'..='\x1f').contains(&c)
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
            let (parts, _) = read_data(FileId(0), text, false);
            let data = parts.yaml.expect("a YAML data file");
            assert!(!data.is_nlu && !data.is_stories, "{text:?}");
            let hidden = data.hidden_key.expect(text);
            assert_eq!(hidden.name, key);
            assert_eq!(&text[hidden.span], key);
        }
        let (parts, _) = read_data(FileId(0), "intents: [nlu]\n", false);
        assert_eq!(parts.yaml.and_then(|d| d.hidden_key), None);
    }

    #[test]
    fn a_file_that_is_json_is_no_yaml_nlu() {
        assert!(!is_nlu_file("{\"nlu\": []}"));
        assert!(is_nlu_file("nlu: []\n"));
    }
}
