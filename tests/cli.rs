//! The binary as users run it: exit codes, the output formats, rule docs, determinism.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{fixtures, rasalint};

/// A bot in a new temporary folder: `domain.yml` declaring `greet`, and the given data
/// files (paths relative to the bot).
fn temp_bot(data: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join("data")).expect("data dir");
    std::fs::write(dir.path().join("domain.yml"), "intents:\n- greet\n").expect("domain");
    for (path, text) in data {
        std::fs::write(dir.path().join(path), text).expect("data file");
    }
    dir
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

fn example_bot() -> std::path::PathBuf {
    fixtures().join("example-bot")
}

#[test]
fn errors_exit_1_with_graphical_reports_and_a_summary() {
    let output = rasalint(&example_bot(), &["check"]);
    assert_eq!(output.status.code(), Some(1));
    let out = stdout(&output);
    assert!(
        !out.contains('\x1b'),
        "no colour when stdout is not a terminal"
    );
    assert!(out.ends_with("7 errors, 3 warnings in 3 files\n"), "{out}");
    insta::assert_snapshot!("example_bot_full", out);
}

#[test]
fn concise_format_is_one_line_per_finding() {
    let output = rasalint(&example_bot(), &["check", "--output-format", "concise"]);
    assert_eq!(output.status.code(), Some(1));
    let out = stdout(&output);
    assert_eq!(out.lines().count(), 10);
    assert!(
        out.lines()
            .all(|l| l.contains(": error[RL") || l.contains(": warning[RL")),
        "{out}"
    );
    insta::assert_snapshot!("example_bot_concise", out);
}

#[test]
fn json_format_has_exactly_the_documented_fields() {
    let output = rasalint(&example_bot(), &["check", "--output-format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    let findings: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("stdout is JSON");
    let findings = findings.as_array().expect("an array");
    assert_eq!(findings.len(), 10);
    for finding in findings {
        let keys: Vec<&str> = finding
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            [
                "code", "name", "severity", "message", "path", "start", "end", "help", "related"
            ]
        );
    }
    insta::assert_json_snapshot!("example_bot_json", findings);
}

#[test]
fn warnings_alone_exit_0_unless_fail_on_warnings() {
    let bot = fixtures().join("duplicate-example-in-intent/bad_repeated");
    assert_eq!(rasalint(&bot, &["check"]).status.code(), Some(0));
    assert_eq!(
        rasalint(&bot, &["check", "--fail-on-warnings"])
            .status
            .code(),
        Some(1)
    );
}

#[test]
fn a_clean_bot_exits_0() {
    let bot = fixtures().join("nlu-intent-not-in-domain/ok_declared");
    let output = rasalint(&bot, &["check"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(stdout(&output), "No problems found in 3 files\n");
}

#[test]
fn usage_and_io_errors_exit_2() {
    let bot = example_bot();
    let unknown_rule = rasalint(&bot, &["check", "--select", "RL999"]);
    assert_eq!(unknown_rule.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown_rule.stderr).contains("`RL999` names no rule"));
    assert_eq!(
        rasalint(&bot, &["check", "no/such/path"]).status.code(),
        Some(2)
    );
    assert_eq!(
        rasalint(&bot, &["check", "--no-such-flag"]).status.code(),
        Some(2)
    );
    let outside = rasalint(Path::new("/"), &["check"]);
    assert_eq!(outside.status.code(), Some(2));
}

/// Output to a full disk: every format, the short ones too (they fit in the buffer and
/// fail only when it is written at the end).
#[cfg(target_os = "linux")]
#[test]
fn output_that_cannot_be_written_exits_2_and_says_why() {
    for format in ["full", "concise", "json"] {
        let full = std::fs::File::create("/dev/full").expect("/dev/full opens");
        let output = Command::new(env!("CARGO_BIN_EXE_rasalint"))
            .args(["check", "--output-format", format])
            .current_dir(example_bot())
            .stdout(full)
            .output()
            .expect("rasalint runs");
        assert_eq!(output.status.code(), Some(2), "{format}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains("rasalint: cannot write output: No space left on device"),
            "{format}: {stderr}"
        );
    }
    let full = std::fs::File::create("/dev/full").expect("/dev/full opens");
    let output = Command::new(env!("CARGO_BIN_EXE_rasalint"))
        .arg("rules")
        .stdout(full)
        .output()
        .expect("rasalint runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("cannot write output"));
}

#[test]
fn select_and_ignore_choose_rules() {
    let bot = example_bot();
    let only_rl1 = stdout(&rasalint(
        &bot,
        &["check", "--output-format", "concise", "--select", "RL1"],
    ));
    assert!(only_rl1.lines().all(|l| l.contains("[RL1")), "{only_rl1}");
    let without = stdout(&rasalint(
        &bot,
        &[
            "check",
            "--output-format",
            "concise",
            "--ignore",
            "RL107,unused-response",
        ],
    ));
    assert!(
        !without.contains("RL107") && !without.contains("RL108"),
        "{without}"
    );
}

#[test]
fn rasa_and_old_validator_flags_pick_the_same_files() {
    let bot = example_bot();
    let default = stdout(&rasalint(&bot, &["check", "--output-format", "concise"]));
    let rasa = stdout(&rasalint(
        &bot,
        &[
            "check",
            "--output-format",
            "concise",
            "--domain",
            "domain.yml",
            "--data",
            "data",
        ],
    ));
    let old = stdout(&rasalint(
        &bot,
        &[
            "check",
            "--output-format",
            "concise",
            "--intents",
            "data/nlu.md",
            "--stories",
            "data/stories.md",
            "--domain",
            "domain.yml",
        ],
    ));
    assert_eq!(default, rasa);
    assert_eq!(default, old);
}

#[test]
fn a_path_inside_the_bot_reports_only_its_findings() {
    let out = stdout(&rasalint(
        &example_bot(),
        &["check", "--output-format", "concise", "data/stories.md"],
    ));
    assert!(
        out.lines().all(|l| l.starts_with("data/stories.md:")),
        "{out}"
    );
    // Cross-file rules still see the whole bot: utter_goodby is checked against the domain.
    assert!(out.contains("RL107"), "{out}");
}

#[test]
fn output_is_the_same_with_1_and_8_threads() {
    let bot = example_bot();
    let one = rasalint(
        &bot,
        &["check", "--output-format", "json", "--threads", "1"],
    );
    let eight = rasalint(
        &bot,
        &["check", "--output-format", "json", "--threads", "8"],
    );
    assert!(!one.stdout.is_empty());
    assert_eq!(one.stdout, eight.stdout);
}

#[test]
fn rules_lists_every_rule_and_rule_prints_its_docs() {
    let list = stdout(&rasalint(&example_bot(), &["rules"]));
    assert_eq!(list.lines().count(), rasalint::rules::ALL.len());
    assert!(list.contains("RL101  nlu-intent-not-in-domain"), "{list}");
    let by_code = stdout(&rasalint(&example_bot(), &["rule", "RL101"]));
    let by_name = stdout(&rasalint(
        &example_bot(),
        &["rule", "nlu-intent-not-in-domain"],
    ));
    assert_eq!(by_code, by_name);
    assert!(by_code.contains("## Why is this bad?"), "{by_code}");
    assert_eq!(
        rasalint(&example_bot(), &["rule", "RL000"]).status.code(),
        Some(2)
    );
}

#[test]
fn a_path_outside_the_training_data_is_still_checked() {
    let bot = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir_all(bot.path().join("data")).unwrap();
    std::fs::create_dir_all(bot.path().join("tests")).unwrap();
    std::fs::write(bot.path().join("domain.yml"), "intents:\n  - greet\n").unwrap();
    std::fs::write(
        bot.path().join("data/nlu.md"),
        "## intent:greet\n- hi\n- hello\n",
    )
    .unwrap();
    std::fs::write(
        bot.path().join("tests/stories.md"),
        "## test\n* greet\n  utter_greet\n",
    )
    .unwrap();
    let output = rasalint(
        bot.path(),
        &["check", "--output-format", "concise", "tests/stories.md"],
    );
    let out = stdout(&output);
    assert!(
        out.starts_with("tests/stories.md:3:3: error[RL006]"),
        "{out}"
    );
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn projects_a_multi_project_importer_imports_join_the_bot() {
    let bot = tempfile::tempdir().expect("temp dir");
    let write = |path: &str, text: &str| {
        let path = bot.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        "config.yml",
        "importers:\n  - name: MultiProjectImporter\nimports:\n  - sub/a\n",
    );
    write("domain.yml", "intents:\n  - greet\n");
    write("data/nlu.md", "## intent:greet\n- hi\n- hello\n");
    write("sub/a/config.yml", "imports:\n  - ../b\n");
    write("sub/a/domain.yml", "intents:\n  - greet\n  - affirm\n");
    write("sub/a/data/nlu.md", "## intent:affirm\n- yes\n- sure\n");
    write("sub/b/domain.yml", "intents:\n  - deny\n");
    write("sub/b/data/nlu.md", "## intent:deny\n- no\n- never\n");
    let output = rasalint(bot.path(), &["check", "--output-format", "concise"]);
    // affirm and deny are declared by the imported projects; greet twice is a merge, not a duplicate.
    assert_eq!(
        stdout(&output),
        "",
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn a_bot_without_data_folder_is_read_whole_except_its_documentation() {
    let bot = tempfile::tempdir().expect("temp dir");
    std::fs::write(bot.path().join("domain.yml"), "intents:\n  - greet\n").unwrap();
    std::fs::write(
        bot.path().join("nlu.md"),
        "## intent:greet\n- hi\n- hello\n",
    )
    .unwrap();
    std::fs::write(bot.path().join("README.md"), "# Bot\n\n## Usage\nRun it.\n").unwrap();
    std::fs::create_dir_all(bot.path().join("tests")).unwrap();
    std::fs::write(
        bot.path().join("tests/e2e.md"),
        "## t\n* greet: hi\n  - utter_greet\n",
    )
    .unwrap();
    let output = rasalint(bot.path(), &["check"]);
    assert_eq!(stdout(&output), "No problems found in 2 files\n");
}

#[test]
fn timings_go_to_stderr_and_leave_the_report_alone() {
    let bot = example_bot();
    let plain = rasalint(&bot, &["check", "--output-format", "concise"]);
    let timed = rasalint(&bot, &["check", "--output-format", "concise", "--timings"]);
    assert_eq!(plain.stdout, timed.stdout);
    let err = String::from_utf8(timed.stderr).unwrap();
    for phase in [
        "configuration, discovery",
        "read, parse, model",
        "rules",
        "RL1xx",
        "slowest: RL",
        "suppressions",
        "render",
        "total",
    ] {
        assert!(err.contains(phase), "{phase} missing from:\n{err}");
    }
    // Rule times are each thread's CPU time where the system gives it, and say so.
    let rule_lines: Vec<&str> = err
        .lines()
        .filter(|l| l.contains("slowest: RL") || l.contains("xx "))
        .collect();
    assert!(rule_lines.len() > 5, "{err}");
    let clock = if cfg!(any(unix, windows)) {
        "CPU time)"
    } else {
        "wall time)"
    };
    for line in rule_lines {
        assert!(line.ends_with(clock), "{line}");
    }
}

#[test]
fn a_file_over_4_gib_is_refused_unread_and_the_run_exits_2() {
    let dir = temp_bot(&[("data/nlu.md", "## intent:greet\n- hi\n")]);
    // Sparse: the size is on record, no disk space is used, and rasalint must not read it.
    let huge = std::fs::File::create(dir.path().join("data/stories.md")).expect("create");
    huge.set_len((1 << 32) + 1).expect("sparse file");
    let output = rasalint(dir.path(), &["check", "--output-format", "concise"]);
    assert_eq!(output.status.code(), Some(2));
    let report = stdout(&output);
    assert!(
        report.contains(
            "data/stories.md:1:1: error[RL001] cannot read this file: the file has 4294967297 bytes; \
             rasalint reads files of up to 4 GiB"
        ),
        "{report}"
    );
}

#[test]
fn the_summary_and_timings_come_after_the_findings_on_one_stream() {
    // A terminal, or `2>&1`: stdout and stderr are the same file.
    let dir = tempfile::tempdir().expect("temp dir");
    let log = dir.path().join("out.txt");
    let file = std::fs::File::create(&log).expect("log file");
    let status = Command::new(env!("CARGO_BIN_EXE_rasalint"))
        .args(["check", "--output-format", "concise", "--timings"])
        .current_dir(example_bot())
        .stdout(file.try_clone().expect("dup"))
        .stderr(file)
        .status()
        .expect("rasalint runs");
    assert_eq!(status.code(), Some(1));
    let text = std::fs::read_to_string(&log).expect("log");
    let lines: Vec<&str> = text.lines().collect();
    let summary = lines
        .iter()
        .position(|l| l.contains(" errors, ") || l.contains(" error, "))
        .expect("a summary line");
    let timings = lines
        .iter()
        .position(|l| *l == "timings:")
        .expect("timings");
    let last_finding = lines
        .iter()
        .rposition(|l| l.contains("error[RL") || l.contains("warning[RL"))
        .expect("findings");
    assert!(last_finding < summary && summary < timings, "{text}");
}

#[test]
fn the_pre_commit_hooks_run_this_binary_on_the_whole_bot() {
    let hooks = common::hooks(Path::new(env!("CARGO_MANIFEST_DIR")));
    let ids: Vec<&str> = hooks.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["rasalint", "rasalint-system"]);
    for hook in &hooks {
        assert!(["rust", "system"].contains(&hook.language.as_str()));
        // The rules compare files with each other: the hook checks the whole bot.
        assert!(!hook.pass_filenames, "{}", hook.id);
        assert_eq!(hook.types_or, ["markdown", "yaml"]);
        let mut words = hook.entry.split_whitespace();
        assert_eq!(words.next(), Some(env!("CARGO_PKG_NAME")));
        let args: Vec<&str> = words.collect();
        let output = rasalint(&example_bot(), &args);
        assert_eq!(output.status.code(), Some(1), "{}", hook.id);
        assert!(stdout(&output).contains("error[RL"), "{}", hook.id);
    }
}

#[test]
fn paths_are_shown_from_the_working_folder() {
    // From the folder above the bot (a repository root, where CI and pre-commit run): the
    // bot's folder leads every path, so annotations and editors find the files.
    let fixtures = fixtures();
    let from_above = stdout(&rasalint(
        &fixtures,
        &["check", "--output-format", "github", "example-bot"],
    ));
    assert!(
        from_above.contains("file=example-bot/data/stories.md,"),
        "{from_above}"
    );
    assert!(!from_above.contains("file=data/"), "{from_above}");
    // From inside the bot's data folder: the data files relative to it, the domain (above
    // it) whole.
    let from_data = stdout(&rasalint(
        &example_bot().join("data"),
        &["check", "--output-format", "concise"],
    ));
    assert!(
        from_data.lines().any(|l| l.starts_with("stories.md:")),
        "{from_data}"
    );
    let domain = example_bot().join("domain.yml");
    assert!(
        from_data.contains(&format!("{}:", domain.display())),
        "{from_data}"
    );
}

#[test]
fn gitlab_format_is_a_code_quality_report_with_unique_stable_fingerprints() {
    let run = || {
        let output = Command::new(env!("CARGO_BIN_EXE_rasalint"))
            .args(["check", "--output-format", "gitlab"])
            .current_dir(example_bot())
            .env("CI_PROJECT_DIR", fixtures())
            .output()
            .expect("rasalint runs");
        assert_eq!(output.status.code(), Some(1));
        let report: serde_json::Value =
            serde_json::from_slice(&output.stdout).expect("the report is JSON");
        report.as_array().expect("an array of issues").clone()
    };
    let issues = run();
    let concise = stdout(&rasalint(
        &example_bot(),
        &["check", "--output-format", "concise"],
    ));
    assert_eq!(issues.len(), concise.lines().count());
    let mut fingerprints = std::collections::HashSet::new();
    for issue in &issues {
        let code = issue["check_name"].as_str().expect("check_name");
        assert!(code.starts_with("RL"), "{issue}");
        let description = issue["description"].as_str().expect("description");
        assert!(description.starts_with(&format!("{code} ")), "{issue}");
        assert!(["major", "minor"].contains(&issue["severity"].as_str().unwrap_or("")));
        // Relative to CI_PROJECT_DIR, which holds the bot's folder.
        let path = issue["location"]["path"].as_str().expect("path");
        assert!(path.starts_with("example-bot/"), "{issue}");
        let begin = &issue["location"]["positions"]["begin"];
        assert!(begin["line"].as_u64().is_some_and(|l| l >= 1), "{issue}");
        assert!(begin["column"].as_u64().is_some_and(|c| c >= 1), "{issue}");
        let fingerprint = issue["fingerprint"].as_str().expect("fingerprint");
        assert_eq!(fingerprint.len(), 16);
        assert!(
            fingerprints.insert(fingerprint.to_string()),
            "repeated: {issue}"
        );
    }
    // Stable: the same fingerprints, in the same order, on the next run.
    let fingerprints_of = |issues: &[serde_json::Value]| -> Vec<serde_json::Value> {
        issues.iter().map(|i| i["fingerprint"].clone()).collect()
    };
    assert_eq!(fingerprints_of(&issues), fingerprints_of(&run()));
}

#[test]
fn fix_applies_the_safe_fixes_and_reports_what_is_left() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bot = dir.path();
    std::fs::create_dir(bot.join("data")).expect("data dir");
    // YAML trailing whitespace is fixed after a key, but only reported in a block
    // scalar, where it is part of the text.
    let domain = "intents:\n- greet\ntemplates:   \n  utter_hi:\n  - text: |\n      hi   \n";
    std::fs::write(bot.join("domain.yml"), domain).expect("domain");
    let nlu = "## intent:greet\n- hello   \n- hi\n- hey there\n- good morning\n- hello there";
    std::fs::write(bot.join("data/nlu.md"), nlu).expect("nlu");
    let stories = "## s\r\n* greet\r\n  - utter_hi\r\n";
    std::fs::write(bot.join("data/stories.md"), stories).expect("stories");

    let output = rasalint(bot, &["check", "--fix", "--output-format", "concise"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    // RL501 and RL504 in the NLU file, RL506 in the stories, RL405 and RL501 in the
    // domain.
    assert!(stderr.contains("fixed 5 findings in 3 files"), "{stderr}");
    let read = |path: &str| std::fs::read_to_string(bot.join(path)).expect("file");
    assert_eq!(
        read("data/nlu.md"),
        "## intent:greet\n- hello\n- hi\n- hey there\n- good morning\n- hello there\n"
    );
    assert_eq!(read("data/stories.md"), "## s\n* greet\n  - utter_hi\n");
    assert_eq!(
        read("domain.yml"),
        "intents:\n- greet\nresponses:\n  utter_hi:\n  - text: |\n      hi   \n"
    );
    // What is left is reported: the block scalar's trailing whitespace.
    let left = stdout(&output);
    assert_eq!(left, "domain.yml:6:9: warning[RL501] trailing whitespace\n");
    assert_eq!(output.status.code(), Some(0));

    // Nothing more to fix: no file is written again.
    let written = std::fs::metadata(bot.join("data/nlu.md")).and_then(|m| m.modified());
    let again = rasalint(bot, &["check", "--fix", "--output-format", "concise"]);
    assert!(String::from_utf8_lossy(&again.stderr).contains("fixed 0 findings in 0 files"));
    let unchanged = std::fs::metadata(bot.join("data/nlu.md")).and_then(|m| m.modified());
    assert_eq!(written.ok(), unchanged.ok());
}

#[test]
fn fix_rewrites_list_markers_only_where_rasa_reads_the_same() {
    // Mostly `- ` items, so each other line is a finding of its own.
    let nlu = "## intent:greet\n- hello\n- hiya\n- howdy\n- good day\n- morning\n- evening\n\
               *  hey there\n+hi\n-\tyo\n+1 555 1234\n";
    let dir = temp_bot(&[("data/nlu.md", nlu)]);
    let bot = dir.path();
    let output = rasalint(bot, &["check", "--fix", "--select", "RL502"]);
    assert!(String::from_utf8_lossy(&output.stderr).contains("fixed 3 findings in 1 file"));
    assert_eq!(
        std::fs::read_to_string(bot.join("data/nlu.md")).expect("nlu"),
        "## intent:greet\n- hello\n- hiya\n- howdy\n- good day\n- morning\n- evening\n\
         - hey there\n- hi\n- yo\n+1 555 1234\n"
    );
}

#[test]
fn fix_reindents_action_lines_like_the_rest_of_the_file() {
    let stories = "## a\n* greet\n    - utter_a\n    - utter_b\n\n## b\n* greet\n  - utter_a\n\t- utter_b\n\n## c\n* greet\n    - utter_c\n";
    let dir = temp_bot(&[("data/stories.md", stories)]);
    let bot = dir.path();
    let output = rasalint(bot, &["check", "--fix", "--select", "RL503"]);
    assert!(String::from_utf8_lossy(&output.stderr).contains("fixed 2 findings in 1 file"));
    assert_eq!(
        std::fs::read_to_string(bot.join("data/stories.md")).expect("stories"),
        "## a\n* greet\n    - utter_a\n    - utter_b\n\n## b\n* greet\n    - utter_a\n    - utter_b\n\n## c\n* greet\n    - utter_c\n"
    );
}

#[test]
fn fix_leaves_one_blank_line_between_blocks() {
    let nlu =
        "## intent:greet\n- hello\n## intent:bye\n- bye\n\n\n\n<!-- note -->\n## intent:x\n- y\n";
    let stories = "## a\r\n* greet\r\n## b\r\n* greet\r\n\r\n## c\r\n* greet\r\n";
    let dir = temp_bot(&[("data/nlu.md", nlu), ("data/stories.md", stories)]);
    let bot = dir.path();
    let output = rasalint(bot, &["check", "--fix", "--select", "RL505"]);
    assert!(String::from_utf8_lossy(&output.stderr).contains("fixed 3 findings in 2 files"));
    let read = |path: &str| std::fs::read_to_string(bot.join(path)).expect("file");
    // The comment opens the block below it: the blank line goes above the comment.
    assert_eq!(
        read("data/nlu.md"),
        "## intent:greet\n- hello\n\n## intent:bye\n- bye\n\n<!-- note -->\n## intent:x\n- y\n"
    );
    // The inserted blank line ends as the file's lines do.
    assert_eq!(
        read("data/stories.md"),
        "## a\r\n* greet\r\n\r\n## b\r\n* greet\r\n\r\n## c\r\n* greet\r\n"
    );
}

#[test]
fn fix_keeps_links_and_leaves_read_only_files_alone() {
    let nlu = "## intent:greet\n- hello   \n";
    let dir = temp_bot(&[
        ("data/real.md", nlu),
        ("data/locked.md", "## intent:bye\n- bye  \n"),
    ]);
    let bot = dir.path();
    let mut locked = std::fs::metadata(bot.join("data/locked.md"))
        .expect("metadata")
        .permissions();
    locked.set_readonly(true);
    std::fs::set_permissions(bot.join("data/locked.md"), locked).expect("read-only");
    let output = rasalint(
        bot,
        &["check", "--fix", "--select", "RL501", "data/locked.md"],
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("cannot write data/locked.md: the file is read-only"),
        "{stderr}"
    );
    assert!(stderr.contains("fixed 0 findings in 0 files"), "{stderr}");
    assert_eq!(
        output.status.code(),
        Some(2),
        "a file asked to be fixed was not written"
    );
    assert_eq!(
        std::fs::read_to_string(bot.join("data/locked.md")).expect("locked"),
        "## intent:bye\n- bye  \n"
    );
    // Through a link (only its findings are reported and fixed): the file it points to
    // is fixed, and the link stays a link.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(bot.join("data/real.md"), bot.join("linked.md")).expect("link");
        let output = rasalint(bot, &["check", "--fix", "--select", "RL501", "linked.md"]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("fixed 1 finding in 1 file"), "{stderr}");
        assert_eq!(
            std::fs::read_to_string(bot.join("data/real.md")).expect("real"),
            "## intent:greet\n- hello\n"
        );
        let link = std::fs::symlink_metadata(bot.join("linked.md")).expect("link metadata");
        assert!(link.file_type().is_symlink());
        // Read twice (through the link inside `data/` and directly): written once, and
        // not taken for a file someone changed meanwhile.
        std::fs::write(bot.join("data/real.md"), "## intent:greet\n- hello  \n").expect("real");
        std::os::unix::fs::symlink("real.md", bot.join("data/again.md")).expect("link");
        let output = rasalint(bot, &["check", "--fix", "--select", "RL501"]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stderr.contains("changed while"), "{stderr}");
        assert_eq!(
            std::fs::read_to_string(bot.join("data/real.md")).expect("real"),
            "## intent:greet\n- hello\n"
        );
    }
}

#[test]
fn fix_keeps_the_spaces_that_make_a_file_stories() {
    // `##` with a space after it is Rasa's story pattern: without the space Rasa would
    // not read this file at all.
    let stories = "## \n* greet\n  - utter_greet   \n";
    let dir = temp_bot(&[("data/stories.md", stories)]);
    let bot = dir.path();
    let output = rasalint(bot, &["check", "--fix", "--select", "RL501"]);
    assert!(String::from_utf8_lossy(&output.stderr).contains("fixed 1 finding in 1 file"));
    assert_eq!(
        std::fs::read_to_string(bot.join("data/stories.md")).expect("stories"),
        "## \n* greet\n  - utter_greet\n"
    );
}

#[test]
fn fix_runs_again_until_fixes_of_the_same_text_are_all_applied() {
    // `-utter_bye` at the start of the line: its indentation (RL503) and its marker
    // (RL502) are fixed in two rounds of one run.
    let stories =
        "## a\n* greet\n  - utter_a\n  - utter_a\n\n## b\n* greet\n  - utter_a\n-utter_bye\n";
    let dir = temp_bot(&[("data/stories.md", stories)]);
    let bot = dir.path();
    let output = rasalint(bot, &["check", "--fix", "--select", "RL502,RL503"]);
    assert!(String::from_utf8_lossy(&output.stderr).contains("fixed 2 findings in 1 file"));
    assert_eq!(
        std::fs::read_to_string(bot.join("data/stories.md")).expect("stories"),
        "## a\n* greet\n  - utter_a\n  - utter_a\n\n## b\n* greet\n  - utter_a\n  - utter_bye\n"
    );
}

#[test]
fn fix_leaves_what_would_change_rasas_reading() {
    let nlu_cr = "## intent:greet\r- hi\r## intent:bye\r- bye\r";
    // A lone CR beside CRLFs: `\r\r\n` is two line breaks to Rasa, `\r\n` one.
    let nlu_mixed = "## intent:thanks\r\n- thanks\r\r\n- thx\r\n";
    // `*\tOR greet` is the intent `OR greet`; `* OR greet` would be two alternatives.
    let stories = "## a\n* greet\n\n## b\n*\tOR greet\n\n## c\n* greet\n\n## d\n* greet\n";
    let dir = temp_bot(&[
        ("data/cr.md", nlu_cr),
        ("data/mixed.md", nlu_mixed),
        ("data/stories.md", stories),
    ]);
    let bot = dir.path();
    rasalint(bot, &["check", "--fix", "--select", "RL502,RL505,RL506"]);
    let read = |path: &str| std::fs::read_to_string(bot.join(path)).expect("file");
    // The blank line is added with the file's own line break.
    assert_eq!(
        read("data/cr.md"),
        "## intent:greet\r- hi\r\r## intent:bye\r- bye\r"
    );
    assert_eq!(read("data/mixed.md"), nlu_mixed);
    assert_eq!(read("data/stories.md"), stories);
}

#[cfg(unix)]
#[test]
fn fix_refuses_a_file_with_other_hard_links() {
    let dir = temp_bot(&[("data/nlu.md", "## intent:greet\n- hi  \n")]);
    let bot = dir.path();
    std::fs::hard_link(bot.join("data/nlu.md"), bot.join("copy.md")).expect("hard link");
    let output = rasalint(bot, &["check", "--fix", "--select", "RL501"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("the file has other hard links"), "{stderr}");
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(bot.join("copy.md")).expect("copy"),
        "## intent:greet\n- hi  \n"
    );
}

#[test]
fn a_file_wide_fix_leaves_lines_whose_suppression_names_the_rule() {
    let nlu = "## intent:greet\n* hello\n* hi\n<!-- rasalint-disable-next-line RL502 -->\n* hey\n* yo\n* howdy\n";
    let dir = temp_bot(&[("data/nlu.md", nlu)]);
    let bot = dir.path();
    let output = rasalint(
        bot,
        &[
            "check",
            "--fix",
            "--select",
            "RL502,RL901",
            "--output-format",
            "concise",
        ],
    );
    assert_eq!(
        std::fs::read_to_string(bot.join("data/nlu.md")).expect("nlu"),
        "## intent:greet\n- hello\n- hi\n<!-- rasalint-disable-next-line RL502 -->\n* hey\n- yo\n- howdy\n"
    );
    // The suppression did its work: it is not reported as unused.
    assert_eq!(
        stdout(&output),
        "",
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn sarif_format_has_a_result_per_finding_and_the_rules_with_what_github_requires() {
    let output = Command::new(env!("CARGO_BIN_EXE_rasalint"))
        .args(["check", "--output-format", "sarif"])
        .current_dir(example_bot())
        .env("GITHUB_WORKSPACE", fixtures())
        .output()
        .expect("rasalint runs");
    assert_eq!(output.status.code(), Some(1));
    let log: serde_json::Value = serde_json::from_slice(&output.stdout).expect("SARIF is JSON");
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "rasalint");
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    let results = run["results"].as_array().expect("results");
    let concise = stdout(&rasalint(
        &example_bot(),
        &["check", "--output-format", "concise"],
    ));
    assert_eq!(results.len(), concise.lines().count());
    let mut fingerprints = std::collections::HashSet::new();
    for (result, line) in results.iter().zip(concise.lines()) {
        // Each result names its rule, and its index points at that rule.
        let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], result["ruleId"], "{result}");
        // GitHub's code scanning requires a full description of each rule.
        assert!(
            rules[index]["fullDescription"]["text"].is_string(),
            "{}",
            rules[index]
        );
        // The rule's documentation, readable offline: what `rasalint rule CODE` prints.
        let code = rules[index]["id"].as_str().expect("id");
        let page = stdout(&rasalint(&example_bot(), &["rule", code]));
        assert!(page.contains("\n## What it does\n"), "{page}");
        assert_eq!(rules[index]["help"]["markdown"], page.as_str());
        assert_eq!(rules[index]["help"]["text"], page.as_str());
        let location = &result["locations"][0]["physicalLocation"];
        // Relative to GITHUB_WORKSPACE, which holds the bot's folder.
        let uri = location["artifactLocation"]["uri"].as_str().expect("uri");
        assert!(uri.starts_with("example-bot/"), "{result}");
        assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        // The same place as the concise line (`path:line:col:`), 1-based.
        let region = &location["region"];
        let place = format!("{}:{}:", region["startLine"], region["startColumn"]);
        let concise_path = uri.trim_start_matches("example-bot/");
        assert!(
            line.starts_with(&format!("{concise_path}:{place}")),
            "{line} / {result}"
        );
        let (start, end) = (region["startLine"].as_u64(), region["endLine"].as_u64());
        assert!(start.is_some() && end >= start, "{result}");
        let level = result["level"].as_str().expect("level");
        assert!(line.contains(&format!(" {level}[")), "{line} / {result}");
        let fingerprint = result["partialFingerprints"]["rasalint/v1"]
            .as_str()
            .expect("fingerprint");
        assert!(
            fingerprints.insert(fingerprint.to_string()),
            "repeated: {result}"
        );
    }
}

/// The `(tests, failures, skipped)` counts of a JUnit report, and its test case names.
fn junit_counts(xml: &str) -> ((usize, usize, usize), Vec<String>) {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut counts = None;
    let mut names = Vec::new();
    let (mut failures, mut skipped) = (0, 0);
    loop {
        match reader.read_event().expect("the report is XML") {
            Event::Start(e) | Event::Empty(e) => {
                let attribute = |name: &str| {
                    e.try_get_attribute(name)
                        .expect("attributes")
                        .map(|a| a.value.to_string())
                };
                match e.name().as_ref() {
                    "testsuite" => {
                        let number =
                            |name: &str| attribute(name).expect(name).parse().expect("a count");
                        counts = Some((number("tests"), number("failures"), number("skipped")));
                    }
                    "testcase" => names.push(attribute("name").expect("name")),
                    "failure" => failures += 1,
                    "skipped" => skipped += 1,
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let counts = counts.expect("a test suite");
    assert_eq!(
        (counts.1, counts.2),
        (failures, skipped),
        "the counts match the cases"
    );
    assert_eq!(counts.0, names.len(), "the counts match the cases");
    (counts, names)
}

#[test]
fn junit_format_lists_clean_files_as_passing_and_fails_what_fails_the_run() {
    let output = rasalint(&example_bot(), &["check", "--output-format", "junit"]);
    assert_eq!(output.status.code(), Some(1));
    let ((_, failures, skipped), names) = junit_counts(&stdout(&output));
    let concise = stdout(&rasalint(
        &example_bot(),
        &["check", "--output-format", "concise"],
    ));
    let errors = concise.lines().filter(|l| l.contains(": error[")).count();
    let warnings = concise.lines().count() - errors;
    assert_eq!((failures, skipped), (errors, warnings));
    assert!(
        names
            .iter()
            .any(|n| n.starts_with("RL101 data/nlu.md:23:11")),
        "{names:?}"
    );
    // With --fail-on-warnings, warnings fail too.
    let strict = rasalint(
        &example_bot(),
        &["check", "--output-format", "junit", "--fail-on-warnings"],
    );
    let ((_, failures, skipped), _) = junit_counts(&stdout(&strict));
    assert_eq!((failures, skipped), (errors + warnings, 0));
    // Files without findings are passing cases (a clean bot is not "0 tests").
    let bot = temp_bot(&[
        (
            "data/nlu.md",
            "## intent:greet\n- hi\n- hello\n- hey\n- good morning\n- good evening\n",
        ),
        ("data/stories.md", "## s\n* greet\n  - utter_missing\n"),
    ]);
    let output = rasalint(bot.path(), &["check", "--output-format", "junit"]);
    let (counts, names) = junit_counts(&stdout(&output));
    assert_eq!(counts, (3, 1, 0));
    assert_eq!(
        names,
        ["domain.yml", "data/nlu.md", "RL107 data/stories.md:3:5"]
    );
}

#[test]
fn reports_are_written_beside_the_log_in_one_run() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sarif = dir.path().join("rasalint.sarif");
    let junit = dir.path().join("reports/junit.xml");
    std::fs::create_dir(dir.path().join("reports")).expect("reports dir");
    let output = rasalint(
        &example_bot(),
        &[
            "check",
            "--output-format",
            "concise",
            "--report",
            &format!("sarif={}", sarif.display()),
            "--report",
            &format!("junit={}", junit.display()),
        ],
    );
    assert_eq!(output.status.code(), Some(1));
    let concise = stdout(&output);
    assert!(
        concise.contains("error[RL101]"),
        "the log is still written: {concise}"
    );
    let log: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif).expect("sarif written"))
            .expect("JSON");
    let results = log["runs"][0]["results"].as_array().map(Vec::len);
    assert_eq!(results, Some(concise.lines().count()));
    let ((_, failures, _), _) =
        junit_counts(&std::fs::read_to_string(&junit).expect("junit written"));
    assert!(failures > 0);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&junit)
            .expect("junit")
            .permissions()
            .mode();
        assert_eq!(
            mode & 0o044,
            0o044,
            "readable by all, not only by its owner"
        );
    }
}

#[test]
fn a_report_that_cannot_be_written_or_named_exits_2() {
    let missing = "sarif=/nonexistent-folder/rasalint.sarif";
    let output = rasalint(&example_bot(), &["check", "--report", missing]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("cannot write /nonexistent-folder/rasalint.sarif"),
        "{stderr}"
    );
    let output = rasalint(
        &example_bot(),
        &["check", "--report", "xml=/nonexistent-folder/out.xml"],
    );
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("`xml` is no format"), "{stderr}");
}

#[test]
fn sarif_columns_count_characters_and_paths_leave_no_dot_dot() {
    // The checkout holds the bot and, beside it, the training data it names with `..`.
    let checkout = tempfile::tempdir().expect("temp dir");
    let bot = checkout.path().join("bot");
    let data = checkout.path().join("shared/data");
    std::fs::create_dir_all(&bot).expect("bot");
    std::fs::create_dir_all(&data).expect("data");
    std::fs::write(bot.join("domain.yml"), "intents:\n- greet\n").expect("domain");
    // `é` and `😀` are one character each (two and four bytes).
    let nlu = "## intent:greet\n- hi\n- hello\n- é😀 [x](gret)\n\n## intent:gret\n- hi there\n";
    std::fs::write(data.join("nlu.md"), nlu).expect("nlu");
    let sarif_from = |workspace: &Path| -> serde_json::Value {
        let output = Command::new(env!("CARGO_BIN_EXE_rasalint"))
            .args([
                "check",
                "--domain",
                "domain.yml",
                "--data",
                "../shared/data",
            ])
            .args(["--output-format", "sarif", "--select", "RL101,RL112"])
            .current_dir(&bot)
            .env("GITHUB_WORKSPACE", workspace)
            .output()
            .expect("rasalint runs");
        serde_json::from_slice(&output.stdout).expect("SARIF is JSON")
    };
    let log = sarif_from(checkout.path());
    let results = log["runs"][0]["results"].as_array().expect("results");
    let location = |code: &str| {
        let result = results.iter().find(|r| r["ruleId"] == code);
        let result = result.unwrap_or_else(|| panic!("{code} in {results:?}"));
        result["locations"][0]["physicalLocation"].clone()
    };
    let rl101 = location("RL101");
    assert_eq!(rl101["artifactLocation"]["uri"], "shared/data/nlu.md");
    // `gret` after `## intent:`: columns 11 to 15 (the end is the column after it).
    assert_eq!(rl101["region"]["startLine"], 6);
    assert_eq!(rl101["region"]["startColumn"], 11);
    assert_eq!(rl101["region"]["endColumn"], 15);
    // After `- é😀 [x](`: 9 characters, so the entity starts at column 10 (13 bytes in).
    let rl112 = location("RL112");
    assert_eq!(rl112["region"]["startLine"], 4);
    assert_eq!(rl112["region"]["startColumn"], 10);
    // Outside the checkout: an absolute `file:` URI, not `../`.
    let log = sarif_from(&bot);
    let outside = &log["runs"][0]["results"][0]["locations"][0]["physicalLocation"];
    let uri = outside["artifactLocation"]["uri"].as_str().expect("uri");
    assert!(
        uri.starts_with("file:///") && uri.ends_with("/shared/data/nlu.md"),
        "{uri}"
    );
    assert!(!uri.contains(".."), "{uri}");
    assert!(outside["artifactLocation"]["uriBaseId"].is_null());
}

#[test]
fn junit_reports_hold_only_characters_xml_allows() {
    // U+FFFF in an example (quoted by the duplicate-example finding) and a control
    // character in a file name: XML 1.0 cannot hold either, even escaped.
    let bot = temp_bot(&[
        (
            "data/nlu.md",
            "## intent:greet\n- hi\u{FFFF}there\n- hi\u{FFFF}there\n- hello\n",
        ),
        ("data/bad\u{1}name.md", "## intent:greet\n- hey  \n"),
    ]);
    let output = rasalint(bot.path(), &["check", "--output-format", "junit"]);
    let xml = stdout(&output);
    assert!(xml.contains("RL202"), "{xml}");
    assert!(xml.contains("bad\\u{1}name.md"), "{xml}");
    let allowed = |c: char| {
        matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}')
            || c >= '\u{10000}'
    };
    assert!(xml.chars().all(allowed), "{xml:?}");
}

#[test]
fn reports_go_through_links_keep_modes_and_are_not_written_twice() {
    let dir = tempfile::tempdir().expect("temp dir");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let target = dir.path().join("target.xml");
        std::fs::write(&target, "old").expect("target");
        let link = dir.path().join("link.xml");
        std::os::unix::fs::symlink(&target, &link).expect("link");
        std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o600)).expect("mode");
        let report = format!("junit={}", link.display());
        let output = rasalint(&example_bot(), &["check", "--report", &report]);
        assert_eq!(output.status.code(), Some(1));
        assert!(
            std::fs::symlink_metadata(&link)
                .expect("link")
                .file_type()
                .is_symlink()
        );
        let written = std::fs::read_to_string(&target).expect("target");
        assert!(written.starts_with("<?xml"), "{written}");
        let mode = std::fs::metadata(&target)
            .expect("target")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "the replaced file's mode is kept");
    }
    // Relative to the working folder; the same file twice is refused.
    let bot = example_bot();
    let run = |reports: &[&str]| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_rasalint"));
        command.arg("check").arg(&bot).current_dir(dir.path());
        for report in reports {
            command.args(["--report", report]);
        }
        command.output().expect("rasalint runs")
    };
    let output = run(&["sarif=r.out", "junit=./r.out"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("two reports would be written to"),
        "{stderr}"
    );
    assert!(!dir.path().join("r.out").exists());
    assert_eq!(run(&["sarif=r.out"]).status.code(), Some(1));
    assert!(dir.path().join("r.out").is_file());
}

#[test]
fn github_annotations_name_files_from_the_repository_root() {
    // GitHub attaches an annotation to the file at that path from the repository's root,
    // whatever folder rasalint runs in.
    let output = Command::new(env!("CARGO_BIN_EXE_rasalint"))
        .args(["check", "--output-format", "github"])
        .current_dir(example_bot())
        .env("GITHUB_WORKSPACE", fixtures())
        .output()
        .expect("rasalint runs");
    let annotations = stdout(&output);
    let first = annotations.lines().next().unwrap_or_default();
    assert!(first.contains(" file=example-bot/data/nlu.md,"), "{first}");
}

#[test]
fn annotations_and_junit_cases_list_a_findings_other_places() {
    // A pull request shows a finding only as its annotation: the other uses of a
    // grouped finding are listed under its message, and in the JUnit case's text.
    let bot = temp_bot(&[
        ("data/nlu.md", "## intent:greet\n- hi\n- hello\n- hey\n"),
        (
            "data/stories.md",
            "## one\n* greet\n  - utter_missing\n\n## two\n* greet\n  - utter_missing\n",
        ),
    ]);
    let select = ["--select", "RL107"];
    let github = stdout(&rasalint(
        bot.path(),
        &[&["check", "--output-format", "github"][..], &select].concat(),
    ));
    let annotation = github.lines().next().unwrap_or_default();
    assert!(
        annotation.ends_with(
            "::`utter_missing` has no response in the domain (used 2 times)\
             %0Adata/stories.md:7:5: also used here"
        ),
        "{github}"
    );
    assert!(!github.contains("::notice"), "{github}");
    let junit = stdout(&rasalint(
        bot.path(),
        &[&["check", "--output-format", "junit"][..], &select].concat(),
    ));
    assert!(
        junit.contains(
            "error[RL107] `utter_missing` has no response in the domain (used 2 times)\n\
             data/stories.md:7:5: also used here\nhelp: "
        ),
        "{junit}"
    );
}

#[test]
fn thousands_of_threads_are_bounded_and_said_so() {
    let bot = example_bot();
    let mut child = Command::new(env!("CARGO_BIN_EXE_rasalint"))
        .args(["check", "--output-format", "json", "--threads", "5000"])
        .current_dir(&bot)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("rasalint runs");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while child.try_wait().expect("wait").is_none() {
        if std::time::Instant::now() > deadline {
            child.kill().expect("kill");
            panic!("--threads 5000 still running after 10 s");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let capped = child.wait_with_output().expect("output");
    let stderr = String::from_utf8_lossy(&capped.stderr);
    assert!(
        stderr.contains("--threads 5000 is more than 4 per core"),
        "{stderr}"
    );
    let one = rasalint(
        &bot,
        &["check", "--output-format", "json", "--threads", "1"],
    );
    assert_eq!(capped.stdout, one.stdout);
}

#[test]
fn the_rasa_version_given_wins_over_the_domains_and_a_wrong_one_is_refused() {
    let bot = fixtures().join("story-action-not-in-domain/ok_rasa_2_default_actions");
    let concise = ["check", "--select", "RL109", "--output-format", "concise"];
    let as_read = rasalint(&bot, &concise);
    assert_eq!(as_read.status.code(), Some(0), "{}", stdout(&as_read));
    let as_1x = rasalint(&bot, &[&concise[..], &["--rasa-version", "1"]].concat());
    assert_eq!(as_1x.status.code(), Some(1));
    assert!(stdout(&as_1x).contains("action `action_deactivate_loop` is not in the domain"));
    let unknown = rasalint(&bot, &["check", "--rasa-version", "4"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("`4` is not a Rasa version"));

    let dir = tempfile::tempdir().expect("temp dir");
    for entry in walkdir::WalkDir::new(&bot)
        .into_iter()
        .filter_map(Result::ok)
    {
        let to = dir
            .path()
            .join(entry.path().strip_prefix(&bot).expect("inside"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&to).expect("folder");
        } else {
            std::fs::copy(entry.path(), &to).expect("copy");
        }
    }
    std::fs::write(
        dir.path().join("rasalint.toml"),
        "rasa-version = \"1.10\"\n",
    )
    .expect("config");
    let from_config = rasalint(dir.path(), &concise);
    assert_eq!(
        from_config.status.code(),
        Some(1),
        "{}",
        stdout(&from_config)
    );
    let shown = stdout(&rasalint(dir.path(), &["config"]));
    assert!(
        shown.contains("rasa-version: 1.10 (rasa-version in rasalint.toml)\n"),
        "{shown}"
    );
    std::fs::write(
        dir.path().join("rasalint.toml"),
        "rasa-version = \"three\"\n",
    )
    .expect("config");
    let wrong = rasalint(dir.path(), &concise);
    assert_eq!(wrong.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&wrong.stderr);
    assert!(
        stderr.contains("`three` is not a Rasa version rasalint reads"),
        "{stderr}"
    );
}

/// `rasalint check --domain DOMAIN --data data --output-format concise` in `dir`.
fn concise_with_domain(dir: &Path, domain: &str) -> std::process::Output {
    let args = ["check", "--domain", domain, "--data", "data"];
    let concise = ["--output-format", "concise"];
    rasalint(dir, &[&args[..], &concise[..]].concat())
}

#[test]
fn a_domain_folder_is_read_as_the_bots_rasa_reads_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir_all(dir.path().join("domains")).expect("folder");
    std::fs::create_dir_all(dir.path().join("data")).expect("folder");
    std::fs::write(dir.path().join("domains/bot.yml"), "intents:\n- greet\n").expect("domain");
    std::fs::write(
        dir.path().join("data/nlu.md"),
        "## intent:hi\n- hi\n- hey\n",
    )
    .expect("nlu");
    // A Markdown bot is read as Rasa 1.10, which reads only files named domain.yml.
    let run = concise_with_domain(dir.path(), "domains");
    assert_eq!(run.status.code(), Some(1), "{}", stdout(&run));
    assert!(
        stdout(&run).contains(
            "domains/bot.yml:1:1: error[RL409] no file of the domain folder is named domain.yml"
        ),
        "{}",
        stdout(&run)
    );
    let named = rasalint(
        dir.path(),
        &["check", "--domain", "domains/bot.yml", "--data", "data"],
    );
    assert!(stdout(&named).contains("RL101"), "{}", stdout(&named));
    // Rasa 3 reads every file of the folder with a domain key.
    std::fs::write(
        dir.path().join("domains/bot.yml"),
        "version: \"3.1\"\nintents:\n- greet\n",
    )
    .expect("domain");
    std::fs::write(dir.path().join("domains/more.yml"), "intents:\n- bye\n").expect("domain");
    std::fs::write(
        dir.path().join("domains/notes.yml"),
        "title: not a domain\n",
    )
    .expect("other");
    std::fs::remove_file(dir.path().join("data/nlu.md")).expect("remove");
    std::fs::write(
        dir.path().join("data/nlu.yml"),
        "version: \"3.1\"\nnlu:\n- intent: greet\n  examples: |\n    - hi\n",
    )
    .expect("nlu");
    let yaml = concise_with_domain(dir.path(), "domains");
    assert!(!stdout(&yaml).contains("RL409"), "{}", stdout(&yaml));
    // A file of the folder whose YAML cannot be read: Rasa 1.10 does not read it (it is
    // not named domain.yml), Rasa 3 skips it with a warning.
    std::fs::write(
        dir.path().join("domains/broken.yml"),
        "intents: [x]\n  - y\n",
    )
    .expect("broken");
    let skipped = concise_with_domain(dir.path(), "domains");
    assert!(
        stdout(&skipped).contains(
            "domains/broken.yml:2:3: error[RL409] Rasa 3.6 skips this file of the domain folder"
        ),
        "{}",
        stdout(&skipped)
    );
    assert!(!stdout(&skipped).contains("RL002"), "{}", stdout(&skipped));
    std::fs::remove_file(dir.path().join("domains/broken.yml")).expect("remove");
    // A domain folder inside the data: its files without domain keys are data.
    let nlu = "nlu:\n- intent: greet\n  examples: |\n    - hi\n    - hello";
    std::fs::write(dir.path().join("data/notes.yml"), nlu).expect("notes");
    let inside = concise_with_domain(dir.path(), "data");
    assert!(
        stdout(&inside).contains("data/notes.yml:5:11: warning[RL504]"),
        "{}",
        stdout(&inside)
    );
    // A folder without any YAML file is an empty domain for every Rasa.
    std::fs::create_dir_all(dir.path().join("empty")).expect("folder");
    let empty = rasalint(
        dir.path(),
        &["check", "--domain", "empty", "--data", "data"],
    );
    assert_eq!(empty.status.code(), Some(2), "{}", stdout(&empty));
    let stderr = String::from_utf8_lossy(&empty.stderr);
    assert!(
        stderr.contains("empty: no YAML file (.yml, .yaml) in this domain folder"),
        "{stderr}"
    );
}

#[test]
fn a_rules_documentation_says_when_it_runs() {
    let dir = fixtures();
    let only_1x = stdout(&rasalint(&dir, &["rule", "RL106"]));
    assert!(
        only_1x.contains("\nRuns only on bots read as Rasa 1.10.\n"),
        "{only_1x}"
    );
    let with_domain = stdout(&rasalint(&dir, &["rule", "nlu-intent-not-in-domain"]));
    assert!(
        with_domain.contains("\nRuns only when a domain could be read.\n"),
        "{with_domain}"
    );
    let everywhere = stdout(&rasalint(&dir, &["rule", "RL501"]));
    assert!(!everywhere.contains("Runs only"), "{everywhere}");
}

#[test]
fn a_dumb_terminal_gets_ascii_and_forced_colour_reaches_a_ci_log() {
    let run = |env: &[(&str, &str)]| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_rasalint"));
        command
            .args(["check"])
            .current_dir(example_bot())
            .env_remove("NO_COLOR")
            .env_remove("FORCE_COLOR")
            .env_remove("CLICOLOR_FORCE")
            .env_remove("TERM");
        for (key, value) in env {
            command.env(key, value);
        }
        stdout(&command.output().expect("rasalint runs"))
    };
    let plain = run(&[]);
    assert!(plain.contains('╭') && !plain.contains('\x1b'), "{plain}");
    let dumb = run(&[("TERM", "dumb")]);
    assert!(!dumb.contains('╭') && dumb.contains(",-["), "{dumb}");
    for forced in [("FORCE_COLOR", "1"), ("CLICOLOR_FORCE", "1")] {
        assert!(run(&[forced]).contains('\x1b'), "{forced:?} gives colour");
    }
    assert!(!run(&[("FORCE_COLOR", "0")]).contains('\x1b'));
    assert!(!run(&[("FORCE_COLOR", "1"), ("NO_COLOR", "1")]).contains('\x1b'));
}

/// What `rasa data validate` 3.6 only warns about (an NLU intent, a story intent or an
/// `utter_` action missing from the domain) is a warning on a Rasa 3 bot, so the exit
/// status agrees with Rasa's verdict; Rasa 2.8 fails on it, and so does rasalint there.
#[test]
fn what_rasa_3_only_warns_about_is_a_warning_on_a_rasa_3_bot() {
    let nlu =
        "nlu:\n- intent: greet\n  examples: |\n    - hi\n- intent: bye\n  examples: |\n    - bye\n";
    let stories = "stories:\n- story: s\n  steps:\n  - intent: bye\n  - action: utter_bye\n";
    let bot = temp_bot(&[]);
    let write =
        |name: &str, text: &str| std::fs::write(bot.path().join(name), text).expect("write");
    let concise = [
        "check",
        "--output-format",
        "concise",
        "--select",
        "RL101,RL103,RL107",
    ];
    for (version, severity, exit) in [("3.1", "warning", 0), ("2.0", "error", 1)] {
        let head = format!("version: \"{version}\"\n");
        write("domain.yml", &format!("{head}intents:\n- greet\n"));
        write("data/nlu.yml", &format!("{head}{nlu}"));
        write("data/stories.yml", &format!("{head}{stories}"));
        let run = rasalint(bot.path(), &concise);
        let out = stdout(&run);
        for code in ["RL101", "RL103", "RL107"] {
            assert!(
                out.contains(&format!("{severity}[{code}]")),
                "{version}: {out}"
            );
        }
        assert_eq!(run.status.code(), Some(exit), "{version}: {out}");
    }
    let page = rasalint(bot.path(), &["rule", "RL101"]);
    assert!(
        stdout(&page).starts_with(
            "# RL101 nlu-intent-not-in-domain (error; warning on bots read as Rasa 3.6)"
        ),
        "{}",
        stdout(&page)
    );
}
