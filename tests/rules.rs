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

/// RL205 looks each synonym up, not through every mapping of its text before it: 32,000
/// case variants of one text (identity mappings, which do not conflict) and one
/// conflicting mapping at the end took 10 s in a debug build when every mapping was
/// compared with every earlier one.
#[test]
fn conflicting_synonym_is_linear_in_the_mappings_of_one_text() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("data")).unwrap();
    std::fs::write(dir.path().join("domain.yml"), "intents:\n- greet\n").unwrap();
    let mut nlu = String::from("## intent:greet\n- hi\n\n");
    let word = "abcdefghijklmno";
    for variant in 0..32_000u32 {
        let text: String = word
            .chars()
            .enumerate()
            .map(|(i, c)| match variant >> i & 1 {
                1 => c.to_ascii_uppercase(),
                _ => c,
            })
            .collect();
        nlu.push_str(&format!("## synonym:{text}\n- {text}\n\n"));
    }
    nlu.push_str("## synonym:other\n- abcdefghijklmno\n");
    std::fs::write(dir.path().join("data/nlu.md"), nlu).unwrap();
    let started = std::time::Instant::now();
    let report = check_bot(dir.path(), &["RL205"]);
    let elapsed = started.elapsed();
    let messages: Vec<&str> = report.findings.iter().map(|f| f.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "synonym `abcdefghijklmno` is mapped to `other`, but it is already mapped to `abcdefghijklmno`"
        ]
    );
    // A guard against the quadratic search (hours here), not a speed measure: speed is
    // the benchmark's business, and a busy CI machine must not fail this.
    assert!(elapsed.as_secs_f64() < 60.0, "{elapsed:?}");
}

/// A regex of 1,000 nested groups: Python 3.7's parser raises `RecursionError` on it
/// (it passed RL206 as undecided).
#[test]
fn invalid_regex_reports_groups_nested_past_python_s_recursion_limit() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("data")).unwrap();
    std::fs::write(dir.path().join("domain.yml"), "intents:\n- greet\n").unwrap();
    let deep = format!("{}a{}", "(".repeat(1000), ")".repeat(1000));
    let nlu = format!("## intent:greet\n- hi\n\n## regex:deep\n- {deep}\n");
    std::fs::write(dir.path().join("data/nlu.md"), nlu).unwrap();
    let report = check_bot(dir.path(), &["RL206"]);
    let messages: Vec<&str> = report.findings.iter().map(|f| f.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "pattern of regex `deep` does not compile in Python: RecursionError: maximum recursion depth exceeded"
        ]
    );
}

/// A `\ud800` escape (half of a UTF-16 pair) in a story turn's entities or an NLU
/// annotation: Python's `json` reads it (so does Rasa), serde_json refused it.
#[test]
fn lone_surrogate_escapes_are_read_as_python_reads_them() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("data")).unwrap();
    let domain = "intents:\n- greet\nentities:\n- name\nresponses:\n  utter_hi:\n  - text: hi\n";
    std::fs::write(dir.path().join("domain.yml"), domain).unwrap();
    let stories = "## s\n* greet{\"name\": \"\\ud800\"}\n  - utter_hi\n";
    std::fs::write(dir.path().join("data/stories.md"), stories).unwrap();
    let nlu = "## intent:greet\n- hi [x]{\"entity\": \"name\", \"value\": \"\\udc00\"}\n";
    std::fs::write(dir.path().join("data/nlu.md"), nlu).unwrap();
    let report = check_bot(dir.path(), &["RL007", "RL005"]);
    assert!(report.findings.is_empty(), "{}", render(&report));
    let stories = report.project.story_files().next().expect("a story file").1;
    let turn = stories.steps().find_map(|step| match &step.kind {
        rasalint::model::dialogue::StepKind::User(alternatives) => {
            Some(alternatives[0].entities.clone())
        }
        _ => None,
    });
    assert_eq!(
        format!("{turn:?}").matches('\u{fffd}').count(),
        1,
        "{turn:?}"
    );
}

/// A line of blanks inside an `examples: |` block is one finding, RL004's (Rasa drops the
/// line; its fix removes it), not RL501's trailing whitespace as well; trailing blanks
/// after an example stay RL501's.
#[test]
fn a_blank_examples_line_is_reported_once() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("data")).unwrap();
    std::fs::write(dir.path().join("domain.yml"), "intents:\n- greet\n").unwrap();
    let nlu = "nlu:\n- intent: greet\n  examples: |\n    - hi  \n    \n\n      \n    - hello\n";
    std::fs::write(dir.path().join("data/nlu.yml"), nlu).unwrap();
    let report = check_bot(dir.path(), &["RL004", "RL501"]);
    let found: Vec<(&str, usize, bool)> = report
        .findings
        .iter()
        .map(|f| {
            let line = nlu[..f.span.start].matches('\n').count() + 1;
            (f.rule.code, line, !f.fix.is_empty())
        })
        .collect();
    assert_eq!(
        found,
        [
            ("RL501", 4, false),
            ("RL004", 5, true),
            ("RL004", 6, true),
            ("RL004", 7, true)
        ],
        "{}",
        render(&report)
    );
}

/// RL022 reports each Markdown file Rasa 2.8 warns about as deprecated, once, and no
/// other: `fixtures/deprecated-markdown-data/oracle-2.8.json` is Rasa 2.8's reading of
/// the `bad_rasa_2_markdown` bot (made by the `make-oracle.sh` beside it).
#[test]
fn deprecated_markdown_data_is_reported_where_rasa_2_8_warns() {
    let folder = fixtures().join("deprecated-markdown-data");
    let oracle: serde_json::Map<String, serde_json::Value> = serde_json::from_str(
        &std::fs::read_to_string(folder.join("oracle-2.8.json")).expect("the oracle's answer"),
    )
    .expect("JSON");
    let warned: Vec<String> = oracle
        .iter()
        .filter(|(_, entry)| {
            entry["warnings"].as_array().is_some_and(|warnings| {
                warnings.iter().any(|w| {
                    w.as_str().is_some_and(|w| {
                        w.contains("in Markdown format") && w.contains("deprecated")
                    })
                })
            })
        })
        .map(|(path, _)| path.clone())
        .collect();
    assert_eq!(warned.len(), 3, "{oracle:?}");
    let report = check_bot(&folder.join("bad_rasa_2_markdown"), &["RL022"]);
    let reported: Vec<String> = report
        .findings
        .iter()
        .map(|f| {
            report
                .project
                .file(f.file)
                .path
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    assert_eq!(reported, warned);
}
