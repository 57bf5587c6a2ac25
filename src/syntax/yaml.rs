//! Reading a Rasa YAML file (`domain.yml`, `config.yml`) as Rasa's YAML reader does, on the
//! spanned tree of [`crate::yaml`]: what it refuses becomes a problem.

use rustc_hash::FxHashMap;

use crate::source::{FileId, Span};
use crate::syntax::problem::{Problem, ProblemKind};
use crate::yaml::{Node, Value, YamlError, parse};

/// Reads a Rasa YAML file whose top level must be a mapping (`domain.yml`, `config.yml`)
/// and reports, as RL002, what Rasa's YAML reader would refuse: a syntax error, duplicate
/// top-level keys, or a top level that is a list or a scalar.
///
/// Returns the top-level mapping when there is one to read: also when some of its keys are
/// duplicated, so that the rest of the linter still sees the names declared. An empty file
/// gives `None` without a finding: whether an empty file is a problem is the caller's rule.
/// `file_name` names the file in messages; `consequence` says what Rasa does with a file it
/// cannot read, and becomes the findings' help.
pub fn read_top_level_mapping(
    file: FileId,
    text: &str,
    file_name: &str,
    consequence: &str,
) -> (Option<Node>, Vec<Problem>) {
    match parse(text) {
        Ok(root) => top_level_mapping(file, root, file_name, consequence),
        Err(error) => {
            let span = error.span.clone();
            let finding = syntax_problem(file, span, &error, file_name, consequence);
            (None, vec![finding])
        }
    }
}

/// The RL002 problem of a syntax error, at `span`.
pub fn syntax_problem(
    file: FileId,
    span: Span,
    error: &YamlError,
    file_name: &str,
    consequence: &str,
) -> Problem {
    let message = format!("{file_name} is not valid YAML: {}", error.message);
    Problem::new(ProblemKind::YamlSyntax, file, span, message).with_help(consequence)
}

/// [`read_top_level_mapping`] of a parsed tree: its top-level mapping, and the duplicate
/// top-level keys or the top level that is no mapping.
pub fn top_level_mapping(
    file: FileId,
    root: Node,
    file_name: &str,
    consequence: &str,
) -> (Option<Node>, Vec<Problem>) {
    match &root.value {
        Value::Map(entries) => {
            let findings = duplicate_keys(file, entries, file_name, consequence);
            (Some(root), findings)
        }
        Value::Null => (None, Vec::new()),
        other => {
            let message = format!(
                "{file_name} must be a mapping of keys at the top level, but it is {}",
                other.kind()
            );
            let finding = Problem::new(ProblemKind::YamlSyntax, file, root.span, message)
                .with_help(consequence);
            (None, vec![finding])
        }
    }
}

/// One RL002 finding for every repeated string key of `entries`, at the repetition, with
/// the first definition as related location. Ruamel rejects the whole file for this.
fn duplicate_keys(
    file: FileId,
    entries: &[(Node, Node)],
    file_name: &str,
    consequence: &str,
) -> Vec<Problem> {
    let mut first_seen: FxHashMap<&str, &Span> = FxHashMap::default();
    let mut findings = Vec::new();
    for (key, _) in entries {
        let Some(name) = key.as_str() else { continue };
        match first_seen.get(name) {
            Some(&first) => findings.push(
                Problem::new(
                    ProblemKind::YamlSyntax,
                    file,
                    key.span.clone(),
                    format!("{file_name} is not valid YAML: duplicate key `{name}`"),
                )
                .with_help(consequence)
                .with_related(file, first.clone(), "first defined here"),
            ),
            None => {
                first_seen.insert(name, &key.span);
            }
        }
    }
    findings
}

/// The first mapping key below the top level of `root` that repeats a key of its mapping
/// (ruamel refuses the whole file for it; top-level repeats are reported by
/// [`read_top_level_mapping`]): where, and the key as written.
pub fn nested_duplicate_key(root: &Node) -> Option<(Span, String)> {
    root.as_map()?
        .iter()
        .flat_map(|(_, value)| crate::syntax::yaml_schema::duplicate_keys_below(value))
        .map(|(repeated, _, key)| (repeated, key))
        .next()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> (Option<Node>, Vec<Problem>) {
        read_top_level_mapping(FileId(0), text, "domain.yml", "Rasa gives up.")
    }

    #[test]
    fn duplicate_top_level_keys_are_reported_at_the_second_one() {
        let text = "intents: [a]\nactions: [b]\nintents: [c]\n";
        let (root, findings) = read(text);
        assert!(root.is_some());
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].kind, ProblemKind::YamlSyntax);
        assert_eq!(findings[0].span, 26..33);
        assert_eq!(findings[0].related[0].span, 0..7);
        assert_eq!(findings[0].related[0].message, "first defined here");
    }

    #[test]
    fn nested_duplicate_keys_are_found_below_the_top_level() {
        let root = parse("a: 1\nresponses:\n  u: [x]\n  v: [y]\n  u: [z]\n").unwrap();
        let (repeated, key) = nested_duplicate_key(&root).expect("a duplicate");
        assert_eq!((repeated.start, key.as_str()), (36, "u"));
        let root = parse("a: 1\na: 2\nb: {c: 1, d: 2}\n").unwrap();
        assert!(
            nested_duplicate_key(&root).is_none(),
            "top-level repeats are not nested"
        );
    }

    #[test]
    fn a_top_level_list_or_scalar_is_reported() {
        for text in ["- intents\n", "just text\n"] {
            let (root, findings) = read(text);
            assert!(root.is_none());
            assert_eq!(findings.len(), 1, "{text:?}");
            assert!(findings[0].message.contains("must be a mapping"));
        }
        assert_eq!(read("").1, Vec::new());
    }

    #[test]
    fn syntax_errors_are_reported_with_help() {
        let (root, findings) = read("a: [\n");
        assert!(root.is_none());
        assert_eq!(findings.len(), 1);
        assert!(
            findings[0]
                .message
                .starts_with("domain.yml is not valid YAML: ")
        );
        assert_eq!(findings[0].help.as_deref(), Some("Rasa gives up."));
    }
}
