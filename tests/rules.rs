//! Every rule against its fixtures: `fixtures/<rule-name>/ok_*` must be silent and
//! `bad_*` must fire (asserted before the snapshot, so an empty snapshot cannot pass);
//! the snapshot is the rendered output users see.

mod common;

use common::{check_bot, fixtures, render, subdirs};
use rasalint::rules::ALL;

/// The rules whose fixtures run: all of them, or those named (codes or names, comma-
/// separated) in `RASALINT_TEST_RULES`, for working on a few rules at a time.
fn rules() -> Vec<&'static dyn rasalint::rule::Rule> {
    let only = std::env::var("RASALINT_TEST_RULES").unwrap_or_default();
    let wanted: Vec<&str> = only
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    ALL.iter()
        .copied()
        .filter(|r| {
            wanted.is_empty()
                || wanted
                    .iter()
                    .any(|w| *w == r.meta().code || *w == r.meta().name)
        })
        .collect()
}

fn case_name(dir: &std::path::Path) -> String {
    dir.file_name().unwrap().to_string_lossy().into_owned()
}

#[test]
fn ok_fixtures_are_silent() {
    for rule in rules() {
        let meta = rule.meta();
        for dir in subdirs(&fixtures().join(meta.name))
            .into_iter()
            .filter(|d| case_name(d).starts_with("ok_"))
        {
            let report = check_bot(&dir, &[meta.code]);
            assert!(
                report.findings.is_empty(),
                "{} {}: expected no findings, got:\n{}",
                meta.code,
                case_name(&dir),
                render(&report)
            );
        }
    }
}

#[test]
fn bad_fixtures_fire_and_match_their_snapshots() {
    for rule in rules() {
        let meta = rule.meta();
        for dir in subdirs(&fixtures().join(meta.name))
            .into_iter()
            .filter(|d| case_name(d).starts_with("bad_"))
        {
            let report = check_bot(&dir, &[meta.code]);
            assert!(
                !report.findings.is_empty(),
                "{} {}: expected findings, got none",
                meta.code,
                case_name(&dir)
            );
            assert!(
                report.findings.iter().all(|d| d.rule.code == meta.code),
                "{} {}: only the selected rule may report",
                meta.code,
                case_name(&dir)
            );
            insta::with_settings!({snapshot_suffix => format!("{}__{}", meta.name, case_name(&dir)), prepend_module_to_snapshot => false}, {
                insta::assert_snapshot!("rule", render(&report));
            });
        }
    }
}

#[test]
fn every_rule_has_ok_and_bad_fixtures() {
    for rule in rules() {
        let meta = rule.meta();
        let cases: Vec<String> = subdirs(&fixtures().join(meta.name))
            .iter()
            .map(|d| case_name(d))
            .collect();
        assert!(
            cases.iter().any(|c| c.starts_with("ok_")),
            "{} {} has no ok_ fixture",
            meta.code,
            meta.name
        );
        // No data makes rasalint fail on a bug: internal errors are tested by injecting
        // panics (src/internal.rs).
        assert!(
            meta.name == "internal-error" || cases.iter().any(|c| c.starts_with("bad_")),
            "{} {} has no bad_ fixture",
            meta.code,
            meta.name
        );
    }
}
