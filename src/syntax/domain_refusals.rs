//! Where Rasa 2.8 and 3.6 refuse a domain file read alone, in the order their loader
//! checks (spec rasa-yaml §6.1): the schema (every place that breaks it), then the
//! file's `version`, then the first error building the domain stops at. Each place is
//! said in the terms of the YAML; a Rasa 2 domain read by Rasa 3 (and the reverse) is told
//! what to migrate.

use crate::model::domain::{RefusalOutcome, VersionRefusal};
use crate::model::domain_build::{BuildError, build};
use crate::model::domain_raw::RawDomain;
use crate::rasa::{FormatVersion, RasaVersion};
use crate::source::FileId;
use crate::syntax::domain_schema_yaml::violations;
use crate::syntax::schema::{Step, Violation, ViolationKind};
use crate::syntax::yaml_scalar::Style;
use crate::yaml::{Node, Value};

/// Every refusal of the domain file `root` (its top-level mapping, read from `text`) by
/// Rasa 2.8 and 3.6.
pub fn yaml_refusals(file: FileId, text: &str, root: &Node) -> Vec<VersionRefusal> {
    if let Some(bad) = crate::syntax::yaml_escapes::bad_escape(text) {
        let written = text.get(bad.span.clone()).unwrap_or("\\u");
        return [RasaVersion::V2, RasaVersion::V3]
            .into_iter()
            .map(|version| VersionRefusal {
                version,
                span: bad.span.clone(),
                outcome: RefusalOutcome::Stops,
                message: format!(
                    "`{written}` {}: in a file of ASCII characters only, Rasa {} decodes every `\\u` before reading the YAML, and stops at this one",
                    bad.what(),
                    version.release()
                ),
                help: Some("write the character itself, or double the backslash; any non-ASCII character in the file also turns the decoding off".to_owned()),
                rasa: bad.rasa_error(),
                duplicate_name: false,
            })
            .collect();
    }
    if let Some((node, value, unset)) = unset_environment_variable(root, text) {
        return [RasaVersion::V2, RasaVersion::V3]
            .into_iter()
            .map(|version| VersionRefusal {
                version,
                span: node.span.clone(),
                outcome: RefusalOutcome::Stops,
                message: format!(
                    "`{value}` is not quoted, so Rasa {} replaces `{unset}` by the environment variable of that name while reading the file, and stops as it is not set",
                    version.release()
                ),
                help: Some("quote the text (`\"…\"`) to keep it as written, or set the variable where Rasa runs".to_owned()),
                rasa: format!(
                    "RasaException: Error when trying to expand the environment variables in '{value}'. Please make sure to also set these environment variables: '['{unset}']'."
                ),
                duplicate_name: false,
            })
            .collect();
    }
    if let Some((repeated, name)) = crate::syntax::yaml::nested_duplicate_key(root) {
        return [RasaVersion::V2, RasaVersion::V3]
            .into_iter()
            .map(|version| VersionRefusal {
                version,
                span: repeated.clone(),
                outcome: RefusalOutcome::Stops,
                message: format!(
                    "the key `{name}` is repeated in its mapping: Rasa {}'s YAML reader refuses the whole file",
                    version.release()
                ),
                help: Some("remove or rename one of the two".to_owned()),
                rasa: format!(
                    "YamlSyntaxException: while constructing a mapping found duplicate key \"{name}\""
                ),
                duplicate_name: true,
            })
            .collect();
    }
    let mut found = Vec::new();
    for version in [RasaVersion::V2, RasaVersion::V3] {
        let broken = violations(root, version);
        if !broken.is_empty() {
            found.extend(broken.iter().map(|v| schema_refusal(v, version)));
            continue;
        }
        if let Some(skipped) = skipped_by_version(root, version) {
            found.push(skipped);
            continue;
        }
        if let Err(error) = build(&RawDomain::of_file(file, root), version) {
            found.push(build_refusal(&error, version));
        }
    }
    found
}

/// The first plain (unquoted) scalar, key or value, naming an environment variable that
/// is not set (`${NAME}`): Rasa's YAML reader expands such scalars and fails on a name it
/// cannot expand (spec rasa-yaml §2.4). Returns the node, its text and the first
/// unexpanded `${…}`.
fn unset_environment_variable<'n>(
    root: &'n Node,
    text: &str,
) -> Option<(&'n Node, String, String)> {
    let mut pending: Vec<&Node> = vec![root];
    while let Some(node) = pending.pop() {
        match &node.value {
            Value::Map(entries) => {
                for (key, value) in entries.iter().rev() {
                    pending.push(value);
                    pending.push(key);
                }
            }
            Value::Seq(items) => pending.extend(items.iter().rev()),
            Value::Str(value)
                if value.contains("${")
                    && crate::syntax::yaml_scalar::style(text, node) == Style::Plain =>
            {
                if let Some(unset) = unexpanded(value) {
                    return Some((node, value.to_string(), unset));
                }
            }
            _ => {}
        }
    }
    None
}

/// The first word Rasa's expansion of a plain scalar leaves unexpanded (an unset
/// `${NAME}`, a stray `$`), with this process's environment, as Rasa started from the same
/// shell sees it; `None` when Rasa does not expand the scalar or expands all of it.
fn unexpanded(value: &str) -> Option<String> {
    use crate::syntax::yaml_env::{Environment, expand, is_env_scalar};
    if !is_env_scalar(value) {
        return None;
    }
    expand(value, &Environment::default())
        .err()
        .and_then(|words| words.into_iter().next())
}

/// A refusal for the first error building the domain stops at.
pub fn build_refusal(error: &BuildError, version: RasaVersion) -> VersionRefusal {
    VersionRefusal {
        version,
        span: error.span.clone(),
        outcome: if error.empties_the_domain() {
            RefusalOutcome::EmptyDomain
        } else {
            RefusalOutcome::Stops
        },
        message: error.message.clone(),
        help: None,
        rasa: format!("{}: {}", error.exception, error.rasa),
        duplicate_name: error.duplicate_name,
    }
}

/// The file skipped for a `version` newer than the release reads.
fn skipped_by_version(root: &Node, version: RasaVersion) -> Option<VersionRefusal> {
    let key = root.get("version")?;
    let written = key.as_str()?;
    if version.format_version(written) != FormatVersion::Greater {
        return None;
    }
    let (release, latest) = (
        version.release(),
        version.latest_format().unwrap_or_default(),
    );
    Some(VersionRefusal {
        version,
        span: key.span.clone(),
        outcome: RefusalOutcome::Skipped,
        message: format!(
            "this file's `version` \"{written}\" is newer than Rasa {release} reads ({latest}): Rasa {release} skips the file"
        ),
        help: Some(if version == RasaVersion::V2 {
            "this is a Rasa 3 domain: run it with Rasa 3, or write `version: \"2.0\"` and the Rasa 2 shapes (slots without `mappings`, forms with their slot mappings)".to_owned()
        } else {
            format!("write `version: \"{latest}\"`")
        }),
        rasa: format!(
            "UserWarning: Training data file has a greater format version than your Rasa Open Source installation: {written} > {latest}. Please consider updating to the latest version of Rasa Open Source.This file will be skipped."
        ),
        duplicate_name: false,
    })
}

/// A schema violation as a refusal, said in the YAML's terms.
fn schema_refusal(violation: &Violation, version: RasaVersion) -> VersionRefusal {
    let (message, help) = describe(violation, version);
    VersionRefusal {
        version,
        span: violation.span.clone(),
        outcome: RefusalOutcome::Stops,
        message,
        help,
        rasa: format!(
            "YamlValidationException: Failed to validate the file. {}",
            violation.pykwalify_message()
        ),
        duplicate_name: false,
    }
}

/// The path to a node as YAML users read it: `slots.city.mappings[0]`.
pub fn yaml_path(path: &[Step]) -> String {
    let mut out = String::new();
    for step in path {
        match step {
            Step::Key(key) if out.is_empty() => out.push_str(key),
            Step::Key(key) => {
                out.push('.');
                out.push_str(key);
            }
            Step::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// The message and help for a violation: the shapes a Rasa 2 or Rasa 3 domain uses in
/// the other version get their own, the rest a general one.
fn describe(violation: &Violation, version: RasaVersion) -> (String, Option<String>) {
    migration(violation, version).unwrap_or_else(|| (general(violation, version), None))
}

fn key_at(path: &[Step], i: usize) -> Option<&str> {
    match path.get(i) {
        Some(Step::Key(k)) => Some(k),
        _ => None,
    }
}

/// The shapes of the other major version, with what to change.
fn migration(violation: &Violation, version: RasaVersion) -> Option<(String, Option<String>)> {
    let path = &violation.path;
    let top = key_at(path, 0)?;
    let v3 = version == RasaVersion::V3;
    match (&violation.kind, top, path.len()) {
        (ViolationKind::MissingKey { key: "mappings" }, "slots", 2) if v3 => {
            let slot = key_at(path, 1)?;
            Some((
                format!("slot `{slot}` has no `mappings`: Rasa 3 requires every slot to say how it is filled"),
                Some(format!(
                    "this is a Rasa 2 slot: Rasa 3 fills slots only through their mappings (`auto_fill` is gone). Add `mappings:` (`- type: from_entity` with `entity: {slot}` does what Rasa 2 did by itself; `- type: custom` when an action sets it), and move the form's slot mappings here; `rasa data migrate` converts a Rasa 2 domain"
                )),
            ))
        }
        (ViolationKind::UnknownKey { key }, "forms", 2) if v3 => {
            let form = key_at(path, 1)?;
            Some((
                format!("form `{form}` lists `{key}` with its mappings, the Rasa 2 shape: a Rasa 3 form has only `required_slots` and `ignored_intents`"),
                Some(format!(
                    "write `required_slots: [{key}, …]` and move the mappings to slot `{key}`'s `mappings` (with `conditions: [{{active_loop: {form}}}]` to keep them to the form); `rasa data migrate` converts a Rasa 2 domain"
                )),
            ))
        }
        (ViolationKind::NotAList { .. }, "forms", 3) if v3 && key_at(path, 2) == Some("required_slots") => {
            let form = key_at(path, 1)?;
            Some((
                format!("the `required_slots` of form `{form}` map slots to their mappings, the Rasa 2 shape: Rasa 3 wants a list of slot names"),
                Some("write `required_slots: [slot_a, slot_b]` and move each slot's mappings to the slot's own `mappings`; `rasa data migrate` converts a Rasa 2 domain".to_owned()),
            ))
        }
        (ViolationKind::NotAMap { found }, "forms", 1) if v3 && *found == "a list" => Some((
            "`forms` is a list of names, the Rasa 1 shape: Rasa 3 wants a mapping of forms (`booking_form: {required_slots: [slot_a]}`)".to_owned(),
            None,
        )),
        (ViolationKind::WrongType { .. }, "actions", 2) if !v3 && violation_is_map(violation) => Some((
            "this action has settings (`send_domain`), which need Rasa 3: Rasa 2 wants a plain action name".to_owned(),
            None,
        )),
        (ViolationKind::UnknownKey { key }, "responses", 3) if !v3 && key == "id" => Some((
            format!("`{}` has an `id`, which needs Rasa 3: Rasa 2 refuses the key", yaml_path(path)),
            None,
        )),
        _ => None,
    }
}

/// Whether the offending value is a mapping (an action with settings).
fn violation_is_map(violation: &Violation) -> bool {
    matches!(
        violation.kind,
        ViolationKind::WrongType {
            found: "a mapping",
            ..
        }
    )
}

fn general(violation: &Violation, version: RasaVersion) -> String {
    let at = yaml_path(&violation.path);
    let release = version.release();
    let place = if at.is_empty() {
        "the domain".to_owned()
    } else {
        format!("`{at}`")
    };
    match &violation.kind {
        ViolationKind::NotAMap { found } => format!("{place} is {found}, not a mapping"),
        ViolationKind::NotAList { found } => format!("{place} is {found}, not a list"),
        ViolationKind::WrongType { expected, found } => {
            let expected = match *expected {
                "str" => "a string",
                "bool" => "true or false",
                "number" => "a number",
                other => other,
            };
            let quote = if *found == "an integer" || *found == "a number" || *found == "a boolean" {
                " (quote it to make it a string)"
            } else {
                ""
            };
            let quote = if expected == "a string" { quote } else { "" };
            format!("{place} is {found}, not {expected}{quote}")
        }
        ViolationKind::MissingKey { key } => {
            format!("{place} has no `{key}`, which Rasa {release} requires")
        }
        ViolationKind::UnknownKey { key } => {
            format!("{place} has the key `{key}`, which Rasa {release} does not allow there")
        }
        ViolationKind::KeyNoMatch { key, pattern } if *pattern == ".+" => {
            format!("{place} has a response with an empty name `{key}`")
        }
        ViolationKind::KeyNoMatch { key, .. } => format!(
            "the name `{key}` in {place} has no ASCII letter, which Rasa {release} requires of slot, form and action names"
        ),
        ViolationKind::RequiredNull => {
            format!("{place} is empty (null), which Rasa {release} refuses there")
        }
        ViolationKind::NotNullable => format!(
            "{place} is empty (null): give the response a variation (`- text: …`), or remove it"
        ),
        ViolationKind::BelowMin { .. } => format!("{place} is negative: give 0 or more minutes"),
        ViolationKind::NoAlternative { found, expected } => {
            format!("{place} is {found}, not {}", expected.join(" or "))
        }
        ViolationKind::NoTextOrCustom => format!(
            "{place} has neither a `text` nor a `custom` payload (or its `text` is null): Rasa refuses every response variation without one"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml;

    fn refusals(text: &str) -> Vec<(RasaVersion, RefusalOutcome, String, String)> {
        let root = yaml::parse(text).unwrap();
        yaml_refusals(FileId(0), text, &root)
            .into_iter()
            .map(|r| {
                (
                    r.version,
                    r.outcome,
                    text[r.span.clone()].to_owned(),
                    r.message,
                )
            })
            .collect()
    }

    fn outcomes(text: &str) -> (Option<RefusalOutcome>, Option<RefusalOutcome>) {
        let found = refusals(text);
        let of = |v| found.iter().find(|r| r.0 == v).map(|r| r.1);
        (of(RasaVersion::V2), of(RasaVersion::V3))
    }

    /// Each case was run through Rasa 2.8.34 and 3.6.21 (the oracle's dump.py): `Stops`
    /// for a schema error or a Python exception, `EmptyDomain` for `InvalidDomain`.
    #[test]
    fn refuses_as_rasa_refuses() {
        use RefusalOutcome::{EmptyDomain as E, Skipped as K, Stops as S};
        let cases: &[(&str, Option<RefusalOutcome>, Option<RefusalOutcome>)] = &[
            ("intents: [a]\n", None, None),
            ("intents:\n", Some(S), Some(S)),
            ("intents: [a]\nentities:\n", Some(S), Some(S)),
            ("intents: [a]\nactions:\n", Some(S), Some(S)),
            ("intents: [a]\nactions:\n-\n", Some(S), Some(S)),
            ("intents:\n- a\n-\n", Some(S), Some(S)),
            ("intents: [a]\nentities:\n-\n", Some(E), Some(E)),
            ("intents: [a]\nconfig:\n  foo: 1\n", Some(S), None),
            ("intents: [a]\nforms: [f]\n", None, Some(S)),
            ("intents: [a]\nforms:\n", Some(E), Some(S)),
            ("intents: [a]\nforms:\n  f:\n", None, Some(S)),
            ("intents: [a]\ne2e_actions:\n", None, None),
            ("intents: [a]\ne2e_actions: 5\n", Some(S), Some(S)),
            ("intents:\n- a: 5\n", Some(S), Some(S)),
            ("intents:\n- a:\n", Some(E), Some(E)),
            ("intents:\n- a: {}\n", Some(E), Some(E)),
            ("intents: [a, a]\n", Some(E), Some(E)),
            ("intents: [a]\nslots:\n  a:\n", Some(S), Some(S)),
            ("slots:\n  a: {type: text, mappings: []}\n", Some(S), None),
            ("slots:\n  a: {mappings: []}\n", Some(S), Some(S)),
            (
                "slots:\n  a: {type: text, mappings: [], auto_fill: false}\n",
                Some(S),
                Some(S),
            ),
            (
                "slots:\n  a: {type: float, min_value: '1', mappings: []}\n",
                Some(S),
                Some(S),
            ),
            (
                "slots:\n  a: {type: float, min_value: 1, max_value: 0}\n",
                Some(S),
                Some(S),
            ),
            ("slots:\n  a: {type: unfeaturized}\n", None, Some(S)),
            (
                "slots:\n  a: {type: unfeaturized, mappings: []}\n",
                Some(S),
                Some(S),
            ),
            ("slots:\n  a: {type: foo, mappings: []}\n", Some(S), Some(S)),
            (
                "slots:\n  a: {type: any, influence_conversation: true, mappings: []}\n",
                Some(S),
                Some(S),
            ),
            (
                "slots:\n  a: {type: text, mappings: [{type: from_entity}]}\n",
                Some(S),
                Some(E),
            ),
            (
                "slots:\n  a: {type: text, mappings: [{type: nope}]}\n",
                Some(S),
                Some(E),
            ),
            (
                "forms:\n  f:\n    required_slots: [a]\n    ignored_intents: x\n",
                Some(E),
                None,
            ),
            (
                "forms:\n  f:\n    required_slots:\n      a:\n      - type: from_entity\n",
                Some(E),
                Some(S),
            ),
            (
                "forms:\n  f:\n    a:\n    - type: from_text\n",
                None,
                Some(S),
            ),
            ("forms:\n  f:\n    ignored_intents: [x]\n", Some(E), Some(E)),
            ("version: \"3.1\"\nintents: [a]\n", Some(K), None),
            ("version: \"3.6\"\nintents: [a]\n", Some(K), Some(K)),
            ("actions: [a, a]\n", Some(E), Some(E)),
            (
                "actions: [utter_a]\nresponses:\n  utter_a: [{text: x}]\n",
                None,
                None,
            ),
            ("actions: [action_listen]\n", None, None),
            ("intents:\n- a: {triggers: x}\n", Some(E), Some(E)),
            ("intents:\n- a: {triggers: b}\nactions: [b]\n", None, None),
            ("entities: [a, a]\n", Some(E), Some(E)),
            ("entities:\n- a:\n", Some(E), Some(E)),
            (
                "slots:\n  session_started_metadata: {type: any, mappings: []}\n",
                Some(S),
                Some(E),
            ),
        ];
        for (text, v2, v3) in cases {
            assert_eq!(
                outcomes(text),
                (*v2, *v3),
                "{text:?}: {:#?}",
                refusals(text)
            );
        }
    }

    #[test]
    fn a_rasa_2_domain_under_rasa_3_is_told_what_to_migrate() {
        let text = "slots:\n  city:\n    type: text\nforms:\n  f:\n    city:\n    - type: from_entity\n      entity: city\n";
        let found = refusals(text);
        let v3: Vec<_> = found.iter().filter(|r| r.0 == RasaVersion::V3).collect();
        assert_eq!(v3.len(), 2, "{found:#?}");
        assert_eq!(v3[0].2, "city");
        assert!(v3[0].3.contains("no `mappings`"), "{}", v3[0].3);
        assert!(v3[1].3.contains("the Rasa 2 shape"), "{}", v3[1].3);
    }

    /// Spec rasa-yaml §2.4: only plain scalars are expanded, and an unset variable stops
    /// Rasa (`PATH` is set wherever the tests run).
    #[test]
    fn unquoted_unset_environment_variables_stop_rasa() {
        let unset = "${RASALINT_TEST_SURELY_UNSET}";
        let stops = [
            format!("intents: [a]\nresponses:\n  utter_a:\n  - text: Total {unset} now\n"),
            format!("intents:\n- a\n- {unset}\n"),
        ];
        for text in &stops {
            let found = refusals(text);
            assert_eq!(found.len(), 2, "{text:?}: {found:?}");
            assert!(
                found[0].3.contains("RASALINT_TEST_SURELY_UNSET"),
                "{found:?}"
            );
        }
        let read = [
            format!("intents: [a]\nresponses:\n  utter_a:\n  - text: \"{unset}\"\n"),
            format!("intents: [a]\nresponses:\n  utter_a:\n  - text: '{unset}'\n"),
            format!("intents: [a]\nresponses:\n  utter_a:\n  - text: |\n      {unset}\n"),
            format!("intents: [a]\nresponses:\n  utter_a:\n  - text: >-\n      x {unset}\n"),
            "intents: [a]\nresponses:\n  utter_a:\n  - text: ${PATH} and $HOME\n".to_owned(),
            "intents: [a]\nresponses:\n  utter_a:\n  - text: costs $5\n".to_owned(),
        ];
        for text in &read {
            assert_eq!(refusals(text), Vec::new(), "{text:?}");
        }
    }

    /// Spec rasa-yaml §2.5: `\u` without 4 hexadecimal digits stops Rasa, in a file of
    /// ASCII characters only.
    #[test]
    fn a_truncated_unicode_escape_stops_rasa_in_an_ascii_file() {
        let stops = "intents: [a]\nresponses:\n  utter_a:\n  - text: 'C:\\users'\n";
        let found = refusals(stops);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].2, "\\u");
        for read in [
            "intents: [a]\nresponses:\n  utter_a:\n  - text: 'C:\\\\users'\n",
            "intents: [a]\nresponses:\n  utter_a:\n  - text: 'caf\u{e9} C:\\users'\n",
            "intents: [a]\nresponses:\n  utter_a:\n  - text: 'smile \\u263a'\n",
        ] {
            assert_eq!(refusals(read), Vec::new(), "{read:?}");
        }
    }
}
