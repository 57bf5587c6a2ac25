//! The rule registry against the rule catalogue, docs/rules.md: codes and names are public
//! interface, so the catalogue is generated from the rules and must be current (a change
//! to a code, name or severity shows in its diff), and it must agree with the catalogue
//! of the specification, ../shared/spec/RULES.md, when that is beside the project.

mod common;

use std::collections::{BTreeSet, HashSet};

use rasalint::diagnostic::Severity;
use rasalint::rule::RuleMeta;
use rasalint::rules::ALL;

/// The in-project catalogue, relative to the project.
const CATALOGUE: &str = "docs/rules.md";

/// Under this variable the catalogue test rewrites docs/rules.md instead of comparing.
const UPDATE: &str = "RASALINT_UPDATE_DOCS";

/// (code, name, severity) of every rule a catalogue lists: the table rows, and the rules
/// the prose defines in the form (`RL901 unused-suppression`, W).
fn parse_catalogue(text: &str) -> BTreeSet<(String, String, String)> {
    let rows = text
        .lines()
        .filter(|l| l.starts_with("| RL"))
        .filter_map(|l| {
            let mut cells = l.split('|').map(str::trim).skip(1);
            let (code, name, severity) = (cells.next()?, cells.next()?, cells.next()?);
            Some((code.to_string(), name.to_string(), severity.to_string()))
        });
    let prose = text.split("(`RL").skip(1).filter_map(|rest| {
        let (rule, after) = rest.split_once("`, ")?;
        let (code, name) = rule.split_once(' ')?;
        let severity = after.split(')').next()?;
        Some((format!("RL{code}"), name.to_string(), severity.to_string()))
    });
    let added = NOT_YET_IN_RULES_MD
        .iter()
        .map(|&(code, name, severity)| (code.into(), name.into(), severity.into()));
    rows.chain(prose).chain(added).collect()
}

/// The catalogue's severity column: E, W, or off for a rule that runs only when selected.
fn severity_cell(meta: &RuleMeta) -> &'static str {
    match (meta.enabled_by_default, meta.severity) {
        (false, _) => "off",
        (true, Severity::Error) => "E",
        (true, Severity::Warning) => "W",
    }
}

/// The heading of a rule family, from the hundreds digit of its codes.
fn family_title(code: &str) -> String {
    let digit = code.chars().nth(2).unwrap_or('?');
    let topic = match digit {
        '0' => "syntax (what Rasa would reject, skip or misread)",
        '1' => "cross-reference (domain, NLU, stories, responses)",
        '2' => "NLU data quality",
        '3' => "stories",
        '4' => "domain",
        '5' => "style",
        '9' => "rasalint itself (suppressions, internal errors)",
        _ => "other",
    };
    format!("RL{digit}xx: {topic}")
}

/// docs/rules.md as the rules' metadata makes it.
fn catalogue_markdown() -> String {
    let mut out = String::from(
        "# Rules\n\n\
         <!-- Generated from the rules' metadata by tests/registry.rs; do not edit.\n\
         Regenerate with `RASALINT_UPDATE_DOCS=1 cargo test --test registry`. -->\n\n\
         Every rule rasalint has. Codes and names are public interface: they are used in\n\
         configuration files, suppression comments and CI logs, so a code is never reused\n\
         or renumbered. Severity is the default: **E** error (exit 1), **W** warning (exit 0\n\
         unless `--fail-on-warnings`), **off** (runs only when selected, e.g.\n\
         `--extend-select RL123`). `rasalint rule CODE` prints a rule's documentation.\n",
    );
    let mut family = String::new();
    for rule in ALL {
        let meta = rule.meta();
        let title = family_title(meta.code);
        if title != family {
            out.push_str(&format!(
                "\n## {title}\n\n| code | name | sev | summary |\n|---|---|---|---|\n"
            ));
            family = title;
        }
        out.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            meta.code,
            meta.name,
            severity_cell(meta),
            meta.summary.replace('|', "\\|")
        ));
    }
    out
}

#[test]
fn the_catalogue_in_docs_is_current() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(CATALOGUE);
    let expected = catalogue_markdown();
    if std::env::var_os(UPDATE).is_some() {
        std::fs::write(&path, &expected).expect("docs/rules.md is writable");
        return;
    }
    let written = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        written == expected,
        "{CATALOGUE} is not what the rules say: regenerate it with \
         `{UPDATE}=1 cargo test --test registry` and review its diff"
    );
}

#[test]
fn every_rule_is_in_the_catalogue_with_its_name_and_severity() {
    let text =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(CATALOGUE))
            .expect("docs/rules.md is in the project");
    let catalogue = parse_catalogue(&text);
    assert_eq!(catalogue.len(), ALL.len(), "one row per rule");
    for rule in ALL {
        let meta = rule.meta();
        let (_, name, severity) = catalogue
            .iter()
            .find(|(code, ..)| code == meta.code)
            .unwrap_or_else(|| panic!("{} is not in {CATALOGUE}", meta.code));
        assert_eq!(name, meta.name, "{}", meta.code);
        assert_eq!(severity, severity_cell(meta), "{} severity", meta.code);
    }
}

/// The specification's catalogue and the project's list the same rules with the same
/// names and severities.
#[test]
fn the_catalogue_agrees_with_shared_spec_rules_md_skipped_without_shared() {
    let Some(spec) = common::shared(
        "the_catalogue_agrees_with_shared_spec_rules_md_skipped_without_shared",
        "spec/RULES.md",
    ) else {
        return;
    };
    let spec = parse_catalogue(&std::fs::read_to_string(spec).expect("RULES.md is readable"));
    assert!(spec.len() > 60, "the specification's catalogue was read");
    let ours = parse_catalogue(&catalogue_markdown());
    let only = |a: &BTreeSet<_>, b: &BTreeSet<_>| a.difference(b).cloned().collect::<Vec<_>>();
    assert_eq!(
        (only(&spec, &ours), only(&ours, &spec)),
        (vec![], vec![]),
        "(only in RULES.md, only in {CATALOGUE})"
    );
}

/// Rules added to the catalogue since ../shared/spec/RULES.md was written: the in-project
/// catalogue is the one kept current.
const NOT_YET_IN_RULES_MD: &[(&str, &str, &str)] = &[
    ("RL016", "data-file-not-read", "W"),
    ("RL017", "folded-examples-block", "E"),
    ("RL018", "invalid-intent-name", "E"),
    ("RL019", "misread-story-step", "W"),
    ("RL020", "yaml-text-rewritten", "W"),
    ("RL021", "outdated-format-version", "W"),
    ("RL022", "deprecated-markdown-data", "W"),
    ("RL309", "deprecated-deactivate-form", "W"),
    ("RL411", "slot-mapping-unknown-name", "W"),
    ("RL412", "categorical-null-value", "W"),
    ("RL413", "entity-used-and-ignored", "W"),
    ("RL414", "deprecated-domain-syntax", "W"),
    ("RL902", "internal-error", "E"),
];

#[test]
fn codes_and_names_are_unique() {
    let codes: HashSet<&str> = ALL.iter().map(|r| r.meta().code).collect();
    let names: HashSet<&str> = ALL.iter().map(|r| r.meta().name).collect();
    assert_eq!(codes.len(), ALL.len());
    assert_eq!(names.len(), ALL.len());
}

#[test]
fn every_rule_is_documented() {
    for rule in ALL {
        let meta = rule.meta();
        for section in ["## What it does", "## Why is this bad?", "## Example"] {
            assert!(
                meta.docs.contains(section),
                "{} docs lack {section}",
                meta.code
            );
        }
        assert!(!meta.summary.is_empty(), "{} has no summary", meta.code);
    }
}

#[test]
fn rules_are_listed_in_code_order() {
    let codes: Vec<&str> = ALL.iter().map(|r| r.meta().code).collect();
    let mut sorted = codes.clone();
    sorted.sort();
    assert_eq!(codes, sorted);
}
