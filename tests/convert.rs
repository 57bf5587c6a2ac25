//! `rasalint convert`: the command (what it writes, where, and what it refuses), and the
//! faithfulness of its conversions, held to Rasa itself on the fixture bots of
//! `fixtures/convert` (each a small Markdown bot): `oracle/<bot>-1.10.json` is Rasa 1.10's
//! reading of the bot, `oracle/<bot>-3.6.json` Rasa 3.6's reading of rasalint's conversion
//! (both made once by `fixtures/convert/make-oracle.sh`).

mod common;

use std::path::{Path, PathBuf};

use serde_json::Value;

use rasalint::convert::reading::{
    domain_names_1, domain_names_3, lookup_elements, normal_1, normal_3, read_as_3,
};
use rasalint::layout::{LayoutOptions, resolve};
use rasalint::load::Role;

fn convert_fixtures() -> PathBuf {
    common::fixtures().join("convert")
}

/// The fixture bots.
fn bots() -> Vec<PathBuf> {
    let bots: Vec<PathBuf> = common::subdirs(&convert_fixtures())
        .into_iter()
        .filter(|d| d.file_name().is_some_and(|n| n != "oracle"))
        .collect();
    assert!(bots.len() >= 2, "the convert fixtures are there");
    bots
}

fn oracle(bot: &Path, version: &str) -> serde_json::Map<String, Value> {
    let name = bot.file_name().unwrap().to_string_lossy();
    let path = convert_fixtures()
        .join("oracle")
        .join(format!("{name}-{version}.json"));
    let text = std::fs::read_to_string(&path).expect("the oracle is stored");
    serde_json::from_str(&text).expect("the oracle is JSON")
}

/// A 1.x lookup file of `bot`, read as Rasa 1.10's featurizer reads it.
fn lookup_in(bot: &Path) -> impl Fn(&str) -> Option<Vec<String>> + '_ {
    move |path| {
        Some(lookup_elements(
            &std::fs::read_to_string(bot.join(path)).ok()?,
        ))
    }
}

/// The YAML file a Markdown file of the bot is converted to.
fn converted_name(markdown: &str) -> String {
    markdown
        .strip_suffix(".md")
        .map_or(markdown.to_string(), |s| format!("{s}.yml"))
}

#[test]
fn rasa_3_6_reads_the_conversion_as_rasa_1_10_read_the_markdown() {
    for bot in bots() {
        let (one, three) = (oracle(&bot, "1.10"), oracle(&bot, "3.6"));
        let mut compared = 0;
        for (path, entry) in &one {
            match entry["kind"].as_str() {
                Some("nlu" | "nlg") => {
                    let converted = &three[&converted_name(path)];
                    let lookups = lookup_in(&bot);
                    assert_eq!(
                        normal_1(entry, &lookups),
                        normal_3(converted),
                        "{}: {path}",
                        bot.display()
                    );
                    compared += 1;
                }
                Some("domain") => {
                    let names = domain_names_1(entry);
                    assert_eq!(
                        names,
                        domain_names_3(&three[path.as_str()], &names),
                        "{}: {path}",
                        bot.display()
                    );
                    compared += 1;
                }
                // Stories are converted by their own converter.
                _ => {}
            }
        }
        assert!(
            compared >= 3,
            "{}: NLU, responses and domain compared",
            bot.display()
        );
    }
}

/// The conversion of `bot` today.
fn convert(bot: &Path) -> (rasalint::model::Project, rasalint::convert::Conversion) {
    let options = LayoutOptions {
        paths: vec![bot.to_path_buf()],
        ..LayoutOptions::default()
    };
    let layout = resolve(&options, bot).expect("the fixture bot resolves");
    let (project, _) = rasalint::load::load(&layout.input);
    let conversion = rasalint::convert::convert(&project);
    (project, conversion)
}

#[test]
fn today_s_conversion_reads_as_rasa_3_6_read_the_stored_one() {
    for bot in bots() {
        let three = oracle(&bot, "3.6");
        let (_, conversion) = convert(&bot);
        let mut compared = 0;
        for file in &conversion.files {
            let path = file.relative.to_string_lossy().replace('\\', "/");
            let Some(stored) = three.get(&path) else {
                assert_eq!(
                    path,
                    "config.yml",
                    "{}: every converted file was dumped",
                    bot.display()
                );
                continue;
            };
            let role = if path == "domain.yml" {
                Role::Domain
            } else {
                Role::data(&file.relative)
            };
            let ours = read_as_3(&path, &file.text, role);
            let part = if path == "domain.yml" {
                "domain"
            } else {
                "nlu"
            };
            assert_eq!(ours[part], stored[part], "{}: {path}", bot.display());
            assert_eq!(ours["kind"], stored["kind"], "{}: {path}", bot.display());
            compared += 1;
        }
        assert_eq!(
            compared,
            three.len(),
            "{}: every stored file compared",
            bot.display()
        );
    }
}

#[test]
fn the_self_check_finds_no_difference_in_the_fixture_bots() {
    for bot in bots() {
        let (project, conversion) = convert(&bot);
        let differences: Vec<&str> = conversion
            .needs_person
            .iter()
            .map(|n| n.message.as_str())
            .filter(|m| m.contains("Rasa 3.6"))
            .collect();
        assert!(
            differences.is_empty(),
            "{}: {differences:#?}",
            bot.display()
        );
        assert!(conversion.counts.examples > 0, "{}", project.root.display());
    }
}

// The command.

/// A copy of fixture bot `name` in a new temporary folder, and the bot's path in it.
fn copy_of(name: &str) -> (tempfile::TempDir, PathBuf) {
    let temp = tempfile::tempdir().expect("a temporary folder");
    let to = temp.path().join(name);
    copy_dir(&convert_fixtures().join(name), &to);
    (temp, to)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("folder created");
    for entry in std::fs::read_dir(from).expect("fixture listed") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("file copied");
        }
    }
}

/// Every file under `dir`, relative, with its bytes.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let bytes = std::fs::read(e.path()).expect("readable");
            (e.path().strip_prefix(dir).unwrap().to_path_buf(), bytes)
        })
        .collect();
    files.sort();
    files
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn dry_run_prints_the_diff_and_writes_nothing() {
    let (_temp, bot) = copy_of("bot");
    let before = snapshot(&bot);
    let out = common::rasalint(&bot, &["convert", "--to", "3", "--dry-run"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let diff = text(&out.stdout);
    assert!(
        diff.contains("--- /dev/null\n+++ b/data/nlu.yml\n"),
        "{diff}"
    );
    assert!(
        diff.contains("--- a/domain.yml\n+++ b/domain.yml\n"),
        "{diff}"
    );
    assert!(diff.contains("+version: \"3.1\"\n"), "{diff}");
    let summary = text(&out.stderr);
    assert!(summary.contains("would write 6 files"), "{summary}");
    assert!(
        diff.contains("--- /dev/null\n+++ b/data/stories.yml\n"),
        "{diff}"
    );
    assert_eq!(snapshot(&bot), before, "nothing was written");
}

#[test]
fn an_existing_file_is_not_replaced_unasked() {
    let (_temp, bot) = copy_of("bot");
    std::fs::write(bot.join("data/nlu.yml"), "nlu: []\n").expect("written");
    let before = snapshot(&bot);
    let out = common::rasalint(&bot, &["convert", "--to", "3"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("would replace 1 existing file: data/nlu.yml; nothing was written"),
        "{stderr}"
    );
    assert_eq!(snapshot(&bot), before, "nothing was written");
    let forced = common::rasalint(&bot, &["convert", "--to", "3", "--force"]);
    assert_eq!(forced.status.code(), Some(1), "{}", text(&forced.stderr));
    let nlu = std::fs::read_to_string(bot.join("data/nlu.yml")).expect("written");
    assert!(nlu.contains("- intent: greet"), "{nlu}");
}

#[test]
fn in_place_the_sources_are_kept_and_the_domain_rewritten() {
    let (_temp, bot) = copy_of("form-bot");
    let out = common::rasalint(&bot, &["convert", "--to", "3"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    for kept in ["data/nlu.md", "data/responses.md", "data/stories.md"] {
        let source = std::fs::read(convert_fixtures().join("form-bot").join(kept)).unwrap();
        assert_eq!(
            std::fs::read(bot.join(kept)).unwrap(),
            source,
            "{kept} kept"
        );
    }
    let domain = std::fs::read_to_string(bot.join("domain.yml")).unwrap();
    assert!(domain.starts_with("version: \"3.1\"\n"), "{domain}");
    assert!(bot.join("data/nlu.yml").is_file());
    let summary = text(&out.stdout);
    assert!(summary.contains("domain.yml (rewritten)"), "{summary}");
    assert!(
        summary.contains("data/stories.md -> data/stories.yml"),
        "{summary}"
    );
    let stories = std::fs::read_to_string(bot.join("data/stories.yml")).unwrap();
    assert!(stories.contains("- story: happy path"), "{stories}");
    // No temporary file of the atomic writes is left behind.
    let leftovers: Vec<_> = snapshot(&bot)
        .into_iter()
        .filter(|(p, _)| p.to_string_lossy().contains(".rasalint-convert-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn out_keeps_the_bot_s_layout_and_leaves_the_sources_alone() {
    let (temp, bot) = copy_of("bot");
    let before = snapshot(&bot);
    let out_dir = temp.path().join("converted");
    let out = common::rasalint(
        temp.path(),
        &["convert", "bot", "--to", "3", "--out", "converted"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let written: Vec<PathBuf> = snapshot(&out_dir).into_iter().map(|(p, _)| p).collect();
    let expected: Vec<PathBuf> = [
        "config.yml",
        "data/nlu.yml",
        "data/nlu_zh.yml",
        "data/responses.yml",
        "data/stories.yml",
        "domain.yml",
    ]
    .iter()
    .map(PathBuf::from)
    .collect();
    assert_eq!(written, expected);
    assert_eq!(snapshot(&bot), before, "the sources are untouched");
}

#[test]
fn a_write_that_fails_leaves_no_half_file() {
    let (temp, _bot) = copy_of("bot");
    let out_dir = temp.path().join("converted");
    std::fs::create_dir_all(out_dir.join("data")).unwrap();
    // A folder where a file should go: its write fails, the others are whole.
    std::fs::create_dir_all(out_dir.join("data/nlu_zh.yml/x")).unwrap();
    let out = common::rasalint(
        temp.path(),
        &[
            "convert",
            "bot",
            "--to",
            "3",
            "--out",
            "converted",
            "--force",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("cannot write"),
        "{}",
        text(&out.stderr)
    );
    let nlu = std::fs::read_to_string(out_dir.join("data/nlu.yml")).unwrap();
    assert!(nlu.ends_with("    - France\n"), "written whole: {nlu}");
    let leftovers: Vec<_> = snapshot(&out_dir)
        .into_iter()
        .filter(|(p, _)| p.to_string_lossy().contains(".rasalint-convert-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_converted_bot_has_nothing_left_to_convert() {
    let (temp, _bot) = copy_of("bot");
    let converted = common::rasalint(
        temp.path(),
        &["convert", "bot", "--to", "3", "--out", "converted"],
    );
    assert_eq!(converted.status.code(), Some(1));
    let out_dir = temp.path().join("converted");
    let before = snapshot(&out_dir);
    let again = common::rasalint(&out_dir, &["convert", "--to", "3"]);
    assert_eq!(again.status.code(), Some(0), "{}", text(&again.stderr));
    assert!(
        text(&again.stdout).starts_with("nothing to convert: the bot is read as Rasa 3"),
        "{}",
        text(&again.stdout)
    );
    assert_eq!(snapshot(&out_dir), before);
}

#[test]
fn the_converted_bot_passes_check_with_no_new_error() {
    for name in ["bot", "form-bot"] {
        let (temp, bot) = copy_of(name);
        let out_dir = temp.path().join("converted");
        let converted = common::rasalint(
            temp.path(),
            &["convert", name, "--to", "3", "--out", "converted"],
        );
        assert_eq!(converted.status.code(), Some(1));
        let errors = |dir: &Path| -> Vec<String> {
            let options = LayoutOptions {
                paths: vec![dir.to_path_buf()],
                ..LayoutOptions::default()
            };
            let layout = resolve(&options, dir).expect("resolves");
            let report = rasalint::check(&layout, &rasalint::settings::Settings::default());
            let mut codes: Vec<String> = report
                .findings
                .iter()
                .filter(|d| d.severity == rasalint::diagnostic::Severity::Error)
                .map(|d| d.rule.code.to_string())
                .collect();
            codes.sort();
            codes.dedup();
            codes
        };
        let (before, after) = (errors(&bot), errors(&out_dir));
        let new: Vec<&String> = after.iter().filter(|c| !before.contains(c)).collect();
        assert!(
            new.is_empty(),
            "{name}: new errors {new:?} (before: {before:?})"
        );
    }
}

#[cfg(unix)]
#[test]
fn nothing_is_written_through_a_link_out_of_the_output_folder() {
    let (temp, _bot) = copy_of("bot");
    let outside = temp.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    let out_dir = temp.path().join("converted");
    std::fs::create_dir_all(&out_dir).unwrap();
    std::os::unix::fs::symlink(&outside, out_dir.join("data")).unwrap();
    let out = common::rasalint(
        temp.path(),
        &[
            "convert",
            "bot",
            "--to",
            "3",
            "--out",
            "converted",
            "--force",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("leads outside"),
        "{}",
        text(&out.stderr)
    );
    assert!(snapshot(&outside).is_empty(), "nothing written outside");
    assert!(snapshot(&out_dir).is_empty(), "nothing written at all");
}
