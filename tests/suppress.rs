//! Configuration files and inline suppressions, end to end through the binary.

mod common;

use std::path::Path;

use common::rasalint;

fn concise(cwd: &Path, extra: &[&str]) -> String {
    let mut args = vec!["check", "--output-format", "concise"];
    args.extend_from_slice(extra);
    String::from_utf8(rasalint(cwd, &args).stdout).unwrap()
}

/// A small bot in a temporary folder, with `files` written over it.
fn bot(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let defaults = [
        (
            "domain.yml",
            "intents:\n  - greet\n  - goodbye\nresponses:\n  utter_greet:\n  - text: Hi\nactions:\n  - utter_greet\n",
        ),
        (
            "data/nlu.md",
            "## intent:greet\n- hi\n- hello\n- hi\n\n## intent:goodbye\n- bye\n- hello\n",
        ),
        (
            "data/stories.md",
            "## s\n* greet\n  - utter_greet\n* goodbye\n  - utter_greet\n",
        ),
    ];
    for (path, text) in defaults.iter().chain(files) {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    std::fs::create_dir_all(dir.path().join(".git")).unwrap();
    dir
}

#[test]
fn the_unconfigured_bot_has_the_findings_the_other_tests_silence() {
    let out = concise(bot(&[]).path(), &[]);
    assert!(out.contains("data/nlu.md:4:3: warning[RL202]"), "{out}");
    assert!(out.contains("data/nlu.md:8:3: warning[RL201]"), "{out}");
}

#[test]
fn next_line_and_file_suppressions_hide_their_findings() {
    let nlu = "## intent:greet\n- hi\n- hello\n<!-- rasalint-disable-next-line RL202 -->\n- hi\n\n## intent:goodbye\n- bye\n- hello\n";
    let out = concise(bot(&[("data/nlu.md", nlu)]).path(), &[]);
    assert!(!out.contains("RL202") && !out.contains("RL901"), "{out}");
    assert!(out.contains("RL201"), "{out}");
    let whole = format!("<!-- rasalint-disable-file RL2 -->\n{nlu}");
    let out = concise(bot(&[("data/nlu.md", &whole)]).path(), &[]);
    assert!(!out.contains("RL20"), "{out}");
}

#[test]
fn yaml_suppressions_cover_their_line_or_the_next() {
    let domain = "intents:\n  - greet\n  - goodbye\nresponses:\n  utter_greet:\n  - text: Hi\n  utter_bye:  # rasalint: disable=RL106\n  - text: Bye\n  # rasalint: disable=unused-response\n  utter_hey:\n  - text: Hey\nactions:\n  - utter_greet\n";
    let out = concise(
        bot(&[("domain.yml", domain)]).path(),
        &["--select", "RL106,RL108,RL901"],
    );
    assert_eq!(
        out,
        "domain.yml:7:3: warning[RL108] response `utter_bye` is used by no story\n\
         domain.yml:10:3: warning[RL106] response `utter_hey` is not listed under `actions:`\n"
    );
}

#[test]
fn a_suppression_that_hides_nothing_is_reported() {
    let stories = "## s\n* greet\n<!-- rasalint-disable-next-line RL107 -->\n  - utter_greet\n";
    let out = concise(
        bot(&[("data/stories.md", stories)]).path(),
        &["--select", "RL107,RL901"],
    );
    assert_eq!(
        out,
        "data/stories.md:3:33: warning[RL901] `RL107` suppresses nothing here\n"
    );
}

#[test]
fn a_configuration_file_selects_ignores_and_sets_severities() {
    let config = "ignore = [\"RL201\"]\nfail-on-warnings = true\n[severity]\nduplicate-example-in-intent = \"error\"\n";
    let dir = bot(&[("rasalint.toml", config)]);
    let output = rasalint(dir.path(), &["check", "--output-format", "concise"]);
    let out = String::from_utf8(output.stdout).unwrap();
    assert!(out.contains("data/nlu.md:4:3: error[RL202]"), "{out}");
    assert!(!out.contains("RL201"), "{out}");
    assert_eq!(output.status.code(), Some(1));
    // The command line overrides the file.
    let output = rasalint(
        dir.path(),
        &["check", "--output-format", "concise", "--select", "RL202"],
    );
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        "data/nlu.md:4:3: error[RL202] `hi` is already an example of `greet`\n"
    );
    assert_eq!(
        rasalint(dir.path(), &["check", "--no-config"])
            .status
            .code(),
        Some(0)
    );
}

#[test]
fn per_file_ignores_and_pyproject() {
    let pyproject = "[project]\nname = \"bot\"\n\n[tool.rasalint.per-file-ignores]\n\"data/*.md\" = [\"RL2\"]\n";
    let out = concise(bot(&[("pyproject.toml", pyproject)]).path(), &[]);
    assert!(!out.contains("RL20"), "{out}");
}

#[test]
fn a_configuration_mistake_points_into_the_file_and_exits_2() {
    let dir = bot(&[("rasalint.toml", "select = [\"RL1\"]\nignroe = [\"RL2\"]\n")]);
    let output = rasalint(dir.path(), &["check"]);
    assert_eq!(output.status.code(), Some(2));
    let err = String::from_utf8(output.stderr).unwrap();
    assert!(
        err.contains("invalid configuration: unknown field `ignroe`"),
        "{err}"
    );
    assert!(err.contains("rasalint.toml:2:1"), "{err}");
    let output = rasalint(dir.path(), &["check", "--config", "domain.yml"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8(output.stderr)
            .unwrap()
            .contains("--rasa-config")
    );
}

#[test]
fn config_prints_the_resolved_settings() {
    let dir = bot(&[("rasalint.toml", "ignore = [\"RL2\"]\n")]);
    let out = String::from_utf8(rasalint(dir.path(), &["config"]).stdout).unwrap();
    assert!(
        out.contains("configuration: ") && out.contains("rasalint.toml"),
        "{out}"
    );
    assert!(out.contains("ignore: [RL2]"), "{out}");
    assert!(out.contains("RL101  nlu-intent-not-in-domain"), "{out}");
    assert!(!out.contains("RL202"), "{out}");
}

#[test]
fn rule_options_come_from_the_file() {
    let out = concise(bot(&[]).path(), &["--select", "RL204"]);
    assert_eq!(
        out, "",
        "two distinct examples per intent meet Rasa's minimum"
    );
    let dir = bot(&[("rasalint.toml", "min-examples = 3\n")]);
    let out = concise(dir.path(), &["--select", "RL204"]);
    assert_eq!(
        out,
        "data/nlu.md:1:11: warning[RL204] intent `greet` has only 2 examples once exact duplicates are dropped (3 written)\n\
         data/nlu.md:6:11: warning[RL204] intent `goodbye` has only 2 examples\n"
    );
    let config = String::from_utf8(rasalint(dir.path(), &["config"]).stdout).unwrap();
    assert!(
        config.contains("min-examples: 3\nmax-ratio: 10\n"),
        "{config}"
    );
}

#[test]
fn an_option_out_of_range_points_at_its_value() {
    let dir = bot(&[("rasalint.toml", "max-history = 0\n")]);
    let output = rasalint(dir.path(), &["check"]);
    assert_eq!(output.status.code(), Some(2));
    let err = String::from_utf8(output.stderr).unwrap();
    assert!(err.contains("`max-history` cannot be 0"), "{err}");
    assert!(err.contains("rasalint.toml:1:15"), "{err}");
    assert!(err.contains("1 or more"), "{err}");
}

/// Two stories that differ only in their first turn: told apart by Rasa's default
/// `max_history` (the whole dialogue), in conflict when only the last state counts.
#[test]
fn max_history_from_the_file_and_the_flag_which_wins() {
    let domain = "intents:\n  - a\n  - b\n  - thanks\nresponses:\n  utter_a:\n  - text: A\n  utter_b:\n  - text: B\n  utter_a_bye:\n  - text: bye\n  utter_b_bye:\n  - text: bye\n";
    let stories = "## a\n* a\n  - utter_a\n* thanks\n  - utter_a_bye\n\n## b\n* b\n  - utter_b\n* thanks\n  - utter_b_bye\n";
    let files = [
        ("domain.yml", domain),
        ("data/stories.md", stories),
        ("data/nlu.md", "## intent:a\n- a\n- aa\n"),
    ];
    let dir = bot(&files);
    assert_eq!(concise(dir.path(), &["--select", "RL301"]), "");
    let conflict = "data/stories.md:11:5: warning[RL301] after intent `thanks`: `utter_a_bye` in story `a`, `utter_b_bye` in story `b`\n";
    assert_eq!(
        concise(dir.path(), &["--select", "RL301", "--max-history", "1"]),
        conflict
    );
    std::fs::write(dir.path().join("rasalint.toml"), "max-history = 1\n").unwrap();
    assert_eq!(concise(dir.path(), &["--select", "RL301"]), conflict);
    let full = String::from_utf8(
        rasalint(
            dir.path(),
            &["check", "--select", "RL301", "--color", "never"],
        )
        .stdout,
    )
    .unwrap();
    let words = full.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words.contains("(max_history 1: set by max-history in rasalint.toml)"),
        "{full}"
    );
    assert_eq!(
        concise(dir.path(), &["--select", "RL301", "--max-history", "3"]),
        "",
        "the flag wins over the file"
    );
}

/// A bot with findings of several families, among them an error (a story line Rasa
/// skips), configured to ignore the NLU data-quality rules (RL2) and with the skipped line
/// suppressed by rule name: exactly those findings go, the others stay (the suppression
/// comment moves the later ones down a line), and with no error left the run passes.
#[test]
fn a_configured_bot_keeps_only_the_findings_it_did_not_silence() {
    let domain = "intents:\n  - greet\n  - goodbye\nresponses:\n  utter_greet:\n  - text: Hi\n  utter_bye:\n  - text: Bye\nactions:\n  - utter_greet\n";
    let stories = |suppression: &str| {
        format!(
            "## s\n* greet\n  - utter_greet\n{suppression}this is no story line\n* goodbye\n  - utter_greet\n\n## t\n* greet\n  - utter_greet  \n"
        )
    };
    let dir = bot(&[("domain.yml", domain), ("data/stories.md", &stories(""))]);
    let kept = "domain.yml:7:3: warning[RL106] response `utter_bye` is not listed under `actions:`\n\
                domain.yml:7:3: warning[RL108] response `utter_bye` is used by no story\n";
    let before = rasalint(dir.path(), &["check", "--output-format", "concise"]);
    let out = String::from_utf8(before.stdout).unwrap();
    for silenced in ["warning[RL201]", "warning[RL202]", "4:1: error[RL006]"] {
        assert!(out.contains(silenced), "{out}");
    }
    assert!(
        out.contains("data/stories.md:10:16: warning[RL501]"),
        "{out}"
    );
    assert!(out.contains(kept), "{out}");
    assert_eq!(before.status.code(), Some(1));

    std::fs::write(dir.path().join("rasalint.toml"), "ignore = [\"RL2\"]\n").unwrap();
    let suppressed = stories("<!-- rasalint-disable-next-line invalid-story-line -->\n");
    std::fs::write(dir.path().join("data/stories.md"), suppressed).unwrap();
    let after = rasalint(dir.path(), &["check", "--output-format", "concise"]);
    assert_eq!(
        String::from_utf8(after.stdout).unwrap(),
        format!("data/stories.md:11:16: warning[RL501] trailing whitespace\n{kept}")
    );
    assert_eq!(after.status.code(), Some(0));
}

/// RL107 shows one finding per name with the other uses as related places; a suppressed
/// or ignored use drops out of it without hiding the others, and the exit status is the
/// one the separate uses would give.
#[test]
fn a_grouped_finding_keeps_the_uses_no_suppression_covers() {
    let domain =
        "version: \"3.1\"\nintents:\n  - greet\nresponses:\n  utter_greet:\n  - text: Hi\n";
    let rules = |first: &str| {
        format!(
            "version: \"3.1\"\nrules:\n- rule: a\n  steps:\n  - intent: greet\n  - action: utter_hi{first}\n- rule: b\n  steps:\n  - intent: greet\n  - action: utter_greet\n  - action: utter_hi\n"
        )
    };
    let stories = "version: \"3.1\"\nstories:\n- story: s\n  steps:\n  - intent: greet\n  - action: utter_hi\n";
    let nlu = "version: \"3.1\"\nnlu:\n- intent: greet\n  examples: |\n    - hi\n";
    let files = |rules: &str| {
        let dir = bot(&[
            ("domain.yml", domain),
            ("data/nlu.yml", nlu),
            ("data/rules.yml", rules),
            ("data/stories.yml", stories),
        ]);
        for markdown in ["data/nlu.md", "data/stories.md"] {
            std::fs::remove_file(dir.path().join(markdown)).unwrap();
        }
        dir
    };
    let only = ["--select", "RL107"];
    let dir = files(&rules(""));
    let out = concise(dir.path(), &only);
    assert_eq!(
        out,
        "data/rules.yml:6:13: warning[RL107] `utter_hi` has no response (used 3 times)\n"
    );
    // The first use suppressed: the finding moves to the next one.
    let dir = files(&rules("  # rasalint: disable=RL107"));
    let out = concise(dir.path(), &only);
    assert_eq!(
        out,
        "data/rules.yml:11:13: warning[RL107] `utter_hi` has no response (used 2 times)\n"
    );
    // The rules file ignored: the story's use is still an error, and fails the run.
    std::fs::write(
        dir.path().join("rasalint.toml"),
        "[per-file-ignores]\n\"data/rules.yml\" = [\"RL107\"]\n",
    )
    .unwrap();
    let run = rasalint(
        dir.path(),
        &[
            "check",
            "--output-format",
            "concise",
            "--select",
            "RL107",
            // A warning on a Rasa 3 bot: the run fails on it only when asked to.
            "--fail-on-warnings",
        ],
    );
    assert_eq!(
        String::from_utf8(run.stdout).unwrap(),
        "data/stories.yml:6:13: warning[RL107] `utter_hi` has no response\n"
    );
    assert_eq!(run.status.code(), Some(1));
}
