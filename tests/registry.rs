//! The rule registry against the public catalogue (../shared/spec/RULES.md): codes and
//! names are public interface, so they must match it exactly.

use std::collections::HashSet;

use rasalint::diagnostic::Severity;
use rasalint::rules::ALL;

/// (code, name, severity) of every rule in RULES.md: the table rows, and the rules the
/// prose defines in the form (`RL901 unused-suppression`, W).
fn catalogue() -> Vec<(String, String, String)> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/spec/RULES.md");
    let text =
        std::fs::read_to_string(path).expect("../shared/spec/RULES.md is beside the project");
    let rows = text.lines().filter(|l| l.starts_with("| RL")).map(|l| {
        let cells: Vec<&str> = l.split('|').map(str::trim).collect();
        (
            cells[1].to_string(),
            cells[2].to_string(),
            cells[3].to_string(),
        )
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

/// Rules added since RULES.md was written, until the catalogue lives in the project.
const NOT_YET_IN_RULES_MD: &[(&str, &str, &str)] = &[("RL902", "internal-error", "E")];

#[test]
fn codes_and_names_are_unique() {
    let codes: HashSet<&str> = ALL.iter().map(|r| r.meta().code).collect();
    let names: HashSet<&str> = ALL.iter().map(|r| r.meta().name).collect();
    assert_eq!(codes.len(), ALL.len());
    assert_eq!(names.len(), ALL.len());
}

#[test]
fn every_rule_is_in_the_catalogue_with_its_name_and_severity() {
    let catalogue = catalogue();
    assert!(catalogue.len() > 60, "the catalogue was read");
    for rule in ALL {
        let meta = rule.meta();
        let (_, name, severity) = catalogue
            .iter()
            .find(|(code, ..)| code == meta.code)
            .unwrap_or_else(|| panic!("{} is not in RULES.md", meta.code));
        assert_eq!(name, meta.name, "{}", meta.code);
        let expected = match (meta.enabled_by_default, meta.severity) {
            (false, _) => "off",
            (true, Severity::Error) => "E",
            (true, Severity::Warning) => "W",
        };
        assert_eq!(severity, expected, "{} severity", meta.code);
    }
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
