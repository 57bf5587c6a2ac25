//! Bots below the working folder: a repository whose bots live in subfolders (`bot/`,
//! `coach/`), checked as the pre-commit hook runs rasalint there (`rasalint check`, no
//! file names), each bot whole, with its own settings and Rasa version.

mod common;

use std::path::Path;
use std::process::Output;

use common::rasalint;

/// A repository (with a `.git` folder) holding a Rasa 1.x Markdown bot in `bot/` and a
/// Rasa 3 YAML bot in `coach/`, both clean; `nlu_md` replaces the Markdown bot's NLU.
fn repository(nlu_md: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    let write = |path: &str, text: &str| {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("folders");
        std::fs::write(path, text).expect("a file");
    };
    std::fs::create_dir(root.join(".git")).expect(".git");
    write("README.md", "# Our bots\n");
    write("bot/domain.yml", "intents:\n- greet\n");
    write("bot/data/nlu.md", nlu_md);
    write(
        "coach/domain.yml",
        "version: \"3.1\"\nintents:\n- greet\nresponses:\n  utter_hi:\n  - text: hi\n",
    );
    write(
        "coach/data/nlu.yml",
        "version: \"3.1\"\nnlu:\n- intent: greet\n  examples: |\n    - hello\n    - hi\n",
    );
    write(
        "coach/data/stories.yml",
        "version: \"3.1\"\nstories:\n- story: s\n  steps:\n  - intent: greet\n  - action: utter_hi\n",
    );
    dir
}

const CLEAN_NLU: &str = "## intent:greet\n- hello\n- hi\n";

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("UTF-8 output")
}

fn concise(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let mut all = vec!["check", "--output-format", "concise"];
    all.extend_from_slice(args);
    let Output {
        status,
        stdout,
        stderr,
    } = rasalint(dir, &all);
    (status.code(), text(&stdout), text(&stderr))
}

#[test]
fn the_hook_at_a_repository_root_checks_each_bot_below_it() {
    let repo = repository(CLEAN_NLU);
    // As the hook runs it: no file names. Each bot is read as its own Rasa version (the
    // YAML bot read with the Markdown one would be a Rasa 2 bot with other findings).
    let (status, out, err) = concise(repo.path(), &[]);
    assert_eq!(status, Some(0), "{out}{err}");
    assert_eq!(out, "");
    assert!(err.contains("checked 2 bots: bot/, coach/\n"), "{err}");
    assert!(err.contains("No problems found in 5 files"), "{err}");
    // A mistake in one bot fails the commit, and names the file from the root.
    let repo = repository("## intent:greet\n- hello\n- hi\n\n## intent:bye\n- bye\n- ciao\n");
    let (status, out, err) = concise(repo.path(), &[]);
    assert_eq!(status, Some(1), "{out}{err}");
    assert_eq!(
        out,
        "bot/data/nlu.md:5:11: error[RL101] intent `bye` has NLU examples but is not in the domain\n"
    );
    assert!(err.contains("checked 2 bots: bot/, coach/\n"), "{err}");
    // Named on the command line, the same bots, the same findings.
    let (named, named_out, named_err) = concise(repo.path(), &["bot", "coach/"]);
    assert_eq!((named, named_out.as_str()), (status, out.as_str()));
    assert!(
        named_err.contains("checked 2 bots: bot/, coach/\n"),
        "{named_err}"
    );
    // Files in two bots: each bot checked whole, only the files' findings reported.
    let (files, files_out, files_err) =
        concise(repo.path(), &["bot/data/nlu.md", "coach/data/nlu.yml"]);
    assert_eq!((files, files_out.as_str()), (status, out.as_str()));
    assert!(
        files_err.contains("checked 2 bots: bot/, coach/\n"),
        "{files_err}"
    );
    let (other, other_out, _) = concise(repo.path(), &["bot/domain.yml", "coach/data/nlu.yml"]);
    assert_eq!((other, other_out.as_str()), (Some(0), ""));
    // One bot named: only that bot, as before.
    let (alone, alone_out, alone_err) = concise(repo.path(), &["coach"]);
    assert_eq!((alone, alone_out.as_str()), (Some(0), ""), "{alone_err}");
    assert!(!alone_err.contains("checked"), "{alone_err}");
}

#[test]
fn the_worst_status_wins_and_each_bot_has_its_own_settings() {
    // A warning in each bot; only coach's configuration makes warnings fail.
    let repo = repository("## intent:greet\n- hello\n- hello\n- hi\n");
    let root = repo.path();
    let (status, out, _) = concise(root, &[]);
    assert_eq!(status, Some(0), "{out}");
    assert!(out.contains("bot/data/nlu.md:3:3: warning[RL202]"), "{out}");
    std::fs::write(
        root.join("coach/rasalint.toml"),
        "fail-on-warnings = true\n",
    )
    .unwrap();
    std::fs::write(
        root.join("coach/data/nlu.yml"),
        "version: \"3.1\"\nnlu:\n- intent: greet\n  examples: |\n    - hello\n    - hello\n    - hi\n",
    )
    .unwrap();
    let (status, out, err) = concise(root, &[]);
    assert_eq!(status, Some(1), "{out}{err}");
    assert_eq!(out.lines().count(), 2, "{out}");
    // JUnit: bot's warning is skipped, coach's fails (its settings).
    let junit = text(&rasalint(root, &["check", "--output-format", "junit"]).stdout);
    let case = |path: &str| {
        let at = junit.find(&format!("RL202 {path}")).expect(path);
        junit[at..]
            .split("</testcase>")
            .next()
            .unwrap_or_default()
            .to_string()
    };
    assert!(case("bot/data/nlu.md").contains("<skipped"), "{junit}");
    assert!(case("coach/data/nlu.yml").contains("<failure"), "{junit}");
    // A file of one bot that cannot be read (a link to nothing) makes the run exit 2.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("nowhere.md", root.join("bot/data/gone.md")).unwrap();
        let (status, out, _) = concise(root, &[]);
        assert_eq!(status, Some(2), "{out}");
        assert!(out.contains("bot/data/gone.md:1:1: error[RL001]"), "{out}");
    }
}

#[test]
fn machine_formats_hold_every_bots_findings_and_stdout_only_them() {
    let repo = repository("## intent:greet\n- hello\n- hi\n\n## intent:bye\n- bye\n- ciao\n");
    let root = repo.path();
    std::fs::write(
        root.join("coach/data/stories.yml"),
        "version: \"3.1\"\nstories:\n- story: s\n  steps:\n  - intent: greet\n  - action: utter_hi\n  - action: utter_gone\n",
    )
    .unwrap();
    let run = |format: &str| {
        let output = rasalint(root, &["check", "--output-format", format]);
        assert_eq!(output.status.code(), Some(1), "{format}");
        assert_eq!(text(&output.stderr), "", "{format}: stderr stays quiet");
        text(&output.stdout)
    };
    let json: serde_json::Value = serde_json::from_str(&run("json")).expect("JSON");
    let paths: Vec<&str> = json
        .as_array()
        .expect("an array")
        .iter()
        .map(|f| f["path"].as_str().expect("a path"))
        .collect();
    assert_eq!(paths, ["bot/data/nlu.md", "coach/data/stories.yml"]);
    let gitlab: serde_json::Value = serde_json::from_str(&run("gitlab")).expect("JSON");
    assert_eq!(gitlab.as_array().map(Vec::len), Some(2));
    let sarif: serde_json::Value = serde_json::from_str(&run("sarif")).expect("JSON");
    let uris: Vec<&str> = sarif["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .expect("a uri")
        })
        .collect();
    assert_eq!(uris, ["bot/data/nlu.md", "coach/data/stories.yml"]);
    let junit = run("junit");
    // Five files, two of them with a finding: three passing cases, the Markdown bot's
    // error failing, and the Rasa 3 bot's `utter_` action without a response a warning
    // (as `rasa data validate` 3.6 gives it), which JUnit shows as skipped.
    assert!(junit.contains(r#"tests="5" failures="1""#), "{junit}");
    assert!(junit.contains(r#"<skipped type="RL107""#), "{junit}");
    let full = rasalint(root, &["check"]);
    let summary = text(&full.stdout);
    assert!(
        summary.ends_with("1 error, 1 warning in 5 files\n"),
        "{summary}"
    );
    assert!(text(&full.stderr).contains("checked 2 bots: bot/, coach/"));
}

#[test]
fn what_users_expect_skipped_is_not_searched() {
    let repo = repository(CLEAN_NLU);
    let root = repo.path();
    // Bots with a mistake where nobody keeps their own bot: found, they would fail the run.
    let broken = "intents:\n- greet\n";
    for folder in [
        ".git/b",
        ".hidden",
        "node_modules/pkg",
        "venv",
        "target/debug",
        "anything/lib/python3.11/site-packages/x",
    ] {
        let bot = root.join(folder);
        std::fs::create_dir_all(bot.join("data")).unwrap();
        std::fs::write(bot.join("domain.yml"), broken).unwrap();
        std::fs::write(bot.join("data/nlu.md"), "## intent:bye\n- bye\n").unwrap();
    }
    // A virtual environment by any name.
    std::fs::create_dir_all(root.join("pyenv/bot/data")).unwrap();
    std::fs::write(root.join("pyenv/pyvenv.cfg"), "home = /usr/bin\n").unwrap();
    std::fs::write(root.join("pyenv/bot/domain.yml"), broken).unwrap();
    std::fs::write(root.join("pyenv/bot/data/nlu.md"), "## intent:bye\n- bye\n").unwrap();
    // A domain without any training data is no bot (an example in the docs).
    std::fs::create_dir_all(root.join("docs")).unwrap();
    std::fs::write(root.join("docs/domain.yml"), "intents: [x]\n").unwrap();
    let (status, out, err) = concise(root, &[]);
    assert_eq!(status, Some(0), "{out}{err}");
    assert!(err.contains("checked 2 bots: bot/, coach/\n"), "{err}");
}

#[test]
fn no_bot_anywhere_says_that_subfolders_were_searched() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir_all(dir.path().join("src")).unwrap();
    std::fs::write(dir.path().join("src/notes.md"), "# notes\n").unwrap();
    let (status, out, err) = concise(dir.path(), &[]);
    assert_eq!(status, Some(2), "{out}{err}");
    assert_eq!(out, "");
    assert!(
        err.contains("or any folder above it, nor in a bot in its subfolders"),
        "{err}"
    );
}

#[test]
fn fix_and_diff_reach_every_bot() {
    let repo = repository("## intent:greet\n- hello  \n- hi\n");
    let root = repo.path();
    // Fixable findings in both bots: trailing whitespace in one, CRLF line ends in the
    // other.
    let crlf = "version: \"3.1\"\r\nnlu:\r\n- intent: greet\r\n  examples: |\r\n    - hello\r\n    - hi\r\n";
    std::fs::write(root.join("coach/data/nlu.yml"), crlf).unwrap();
    let diff = rasalint(root, &["check", "--diff"]);
    assert_eq!(diff.status.code(), Some(1));
    let shown = text(&diff.stdout);
    assert!(shown.contains("--- a/bot/data/nlu.md\n"), "{shown}");
    assert!(shown.contains("--- a/coach/data/nlu.yml\n"), "{shown}");
    let (status, out, err) = concise(root, &["--fix"]);
    assert_eq!((status, out.as_str()), (Some(0), ""), "{err}");
    assert!(err.contains("fixed 2 findings in 2 files"), "{err}");
    let nlu = std::fs::read_to_string(root.join("bot/data/nlu.md")).unwrap();
    assert_eq!(nlu, "## intent:greet\n- hello\n- hi\n");
    let nlu = std::fs::read_to_string(root.join("coach/data/nlu.yml")).unwrap();
    assert_eq!(nlu, crlf.replace("\r\n", "\n"));
}
