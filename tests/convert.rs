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

/// A verdict of `rasa data validate` stored by make-oracle.sh: whether Rasa accepted the
/// bot, and what it said.
fn stored_verdict(bot: &Path, version: &str) -> (bool, String) {
    let name = bot.file_name().unwrap().to_string_lossy();
    let path = convert_fixtures()
        .join("oracle")
        .join(format!("{name}-validate-{version}.txt"));
    let text = std::fs::read_to_string(&path).expect("the verdict is stored");
    (text.ends_with("exit status 0\n"), text)
}

/// The whole bot: Rasa 3.6 reads the conversion (NLU, responses, domain, and the stories'
/// event paths after OR and checkpoint expansion) as Rasa 1.10 read the Markdown, and
/// `rasa data validate` 3.6 accepts the conversion wherever 1.10 accepted the original.
#[test]
fn rasa_3_6_reads_the_conversion_as_rasa_1_10_read_the_markdown() {
    for bot in bots() {
        let (one, three) = (oracle(&bot, "1.10"), oracle(&bot, "3.6"));
        let options = LayoutOptions {
            paths: vec![bot.clone()],
            ..LayoutOptions::default()
        };
        let whole = compare_whole_bot(&bot, options, &one, &Default::default(), &three);
        assert_eq!(whole.differences, Vec::<String>::new(), "{}", bot.display());
        for kind in ["NLU and responses", "domain", "stories"] {
            assert!(
                whole.rows.get(kind).is_some_and(|(n, _)| *n > 0),
                "{}: {kind} compared",
                bot.display()
            );
        }
        let (accepted_1, said_1) = stored_verdict(&bot, "1.10");
        let (accepted_3, said_3) = stored_verdict(&bot, "3.6");
        assert!(
            accepted_1,
            "{}: Rasa 1.10 accepts the fixture:\n{said_1}",
            bot.display()
        );
        assert!(
            accepted_3,
            "{}: Rasa 3.6 refuses the conversion:\n{said_3}",
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
            assert_eq!(ours["kind"], stored["kind"], "{}: {path}", bot.display());
            match stored["kind"].as_str() {
                Some("stories" | "rules") => {
                    use common::story_paths::{Reading, event_paths};
                    assert_eq!(
                        event_paths(&[(&ours, Reading::Yaml)]),
                        event_paths(&[(stored, Reading::Yaml)]),
                        "{}: {path}",
                        bot.display()
                    );
                }
                Some("domain") => {
                    assert_eq!(
                        ours["domain"],
                        stored["domain"],
                        "{}: {path}",
                        bot.display()
                    )
                }
                _ => assert_eq!(ours["nlu"], stored["nlu"], "{}: {path}", bot.display()),
            }
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
    assert!(summary.contains("would write 7 files"), "{summary}");
    assert!(
        diff.contains("--- /dev/null\n+++ b/data/rules.yml\n"),
        "the MappingPolicy trigger as a rule: {diff}"
    );
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
        "data/rules.yml",
        "data/stories.yml",
        "domain.yml",
    ]
    .iter()
    .map(PathBuf::from)
    .collect();
    assert_eq!(written, expected);
    assert_eq!(snapshot(&bot), before, "the sources are untouched");
}

/// `rasalint convert bot --to 3 --out converted --force` in `root`, which must stop with
/// exit 2 and say `why`.
fn refused_forced_out(root: &Path, why: &str) {
    let args = [
        "convert",
        "bot",
        "--to",
        "3",
        "--out",
        "converted",
        "--force",
    ];
    let out = common::rasalint(root, &args);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(stderr.contains(why), "{stderr}");
}

#[test]
fn a_write_that_fails_leaves_no_half_file() {
    let (temp, _bot) = copy_of("bot");
    let out_dir = temp.path().join("converted");
    std::fs::create_dir_all(out_dir.join("data")).unwrap();
    // A folder where a file should go: its write fails, the others are whole.
    std::fs::create_dir_all(out_dir.join("data/nlu_zh.yml/x")).unwrap();
    refused_forced_out(temp.path(), "cannot write");
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
    refused_forced_out(temp.path(), "leads outside");
    assert!(snapshot(&outside).is_empty(), "nothing written outside");
    assert!(snapshot(&out_dir).is_empty(), "nothing written at all");
}

// The Markdown bots of ../shared/corpora, whole (run by hand: fixtures/convert/corpora.sh).

/// What Rasa 1.10 read from a bot (keyed by path relative to the bot) compared with what
/// Rasa 3.6 read from its conversion: per source file, whether the readings agree, and
/// every difference said.
struct WholeBot {
    /// (kind, files compared, files that agree)
    rows: std::collections::BTreeMap<&'static str, (usize, usize)>,
    differences: Vec<String>,
    /// The notes of the conversion that a person must look at.
    for_person: usize,
}

/// Compares, file by file, Rasa 1.10's reading `one` of the bot in `bot` (its test stories
/// read as `rasa test --e2e` reads them in `one_e2e`) with Rasa 3.6's reading `three` of
/// its conversion; the conversion made again here says which file became which.
fn compare_whole_bot(
    bot: &Path,
    options: LayoutOptions,
    one: &serde_json::Map<String, Value>,
    one_e2e: &serde_json::Map<String, Value>,
    three: &serde_json::Map<String, Value>,
) -> WholeBot {
    use common::story_paths::{Reading, story_differences};
    let layout = resolve(&options, bot).expect("the bot resolves");
    let (mut project, _) = rasalint::load::load(&layout.input);
    rasalint::convert::read_as_written(&mut project);
    let conversion = rasalint::convert::convert(&project);
    let relative = |path: &Path| {
        path.strip_prefix(bot)
            .unwrap_or(path)
            .to_string_lossy()
            .replace('\\', "/")
    };
    let mut whole = WholeBot {
        rows: Default::default(),
        differences: Vec::new(),
        for_person: conversion.needs_person.len(),
    };
    // A file read both ways: its stories all went to the test stories, read as such.
    let entries = one
        .iter()
        .filter(|(p, _)| !one_e2e.contains_key(*p))
        .map(|(p, e)| (p, e, Reading::Markdown))
        .chain(
            one_e2e
                .iter()
                .map(|(p, e)| (p, e, Reading::MarkdownEndToEnd)),
        );
    for (path, entry, reading) in entries {
        let index = project
            .files
            .iter()
            .position(|f| relative(&f.disk_path) == *path);
        if index.is_none() && entry["kind"] == "domain" {
            // A domain of the data folder that is not the bot's (rasa-testdata's others).
            continue;
        }
        let outputs: Vec<String> = index
            .map(|i| {
                conversion
                    .files
                    .iter()
                    .filter(|f| f.source.index() == i)
                    .map(|f| relative(&f.relative))
                    .collect()
            })
            .unwrap_or_default();
        let mut say = |what: String| whole.differences.push(format!("{path}: {what}"));
        if let Some(error) = entry.get("error") {
            say(format!("Rasa 1.10 refuses it ({error})"));
            continue;
        }
        let converted: Vec<&Value> = outputs.iter().filter_map(|o| three.get(o)).collect();
        for (o, e) in outputs.iter().zip(&converted) {
            if let Some(error) = e.get("error") {
                say(format!("Rasa 3.6 refuses its conversion {o}: {error}"));
            }
        }
        let kind = match entry["kind"].as_str() {
            Some("nlu" | "nlg") => "NLU and responses",
            Some("domain") => "domain",
            Some("stories") => "stories",
            _ => continue,
        };
        let lookups = lookup_in(bot);
        let found: Vec<String> = match (kind, converted.as_slice()) {
            (_, []) => vec![format!("not converted (outputs {outputs:?})")],
            ("stories", _) => {
                let yaml: Vec<(&Value, Reading)> =
                    converted.iter().map(|e| (*e, Reading::Yaml)).collect();
                story_differences((entry, reading), &yaml)
            }
            ("domain", _) => {
                // The domain's outputs: the domain, and the rules of its triggers.
                let three = converted
                    .iter()
                    .find(|e| e["kind"] == "domain")
                    .copied()
                    .unwrap_or(&Value::Null);
                let names = domain_names_1(entry);
                let read = domain_names_3(three, &names);
                (names != read)
                    .then(|| rasalint::convert::reading::first_difference(&names, &read))
                    .into_iter()
                    .collect()
            }
            (_, [three, ..]) => {
                let (a, b) = (normal_1(entry, &lookups), normal_3(three));
                (a != b)
                    .then(|| rasalint::convert::reading::first_difference(&a, &b))
                    .into_iter()
                    .collect()
            }
        };
        let row = whole.rows.entry(kind).or_default();
        row.0 += 1;
        if found.is_empty() {
            row.1 += 1;
        }
        for d in found {
            say(d);
        }
    }
    whole
}

/// The error codes `rasalint check` finds in the bot in `dir`, each with its count.
fn error_codes(dir: &Path, options: LayoutOptions) -> std::collections::BTreeMap<String, usize> {
    let layout = resolve(&options, dir).expect("the bot resolves");
    let report = rasalint::check(&layout, &rasalint::settings::Settings::default());
    let mut codes = std::collections::BTreeMap::new();
    for finding in &report.findings {
        if finding.severity == rasalint::diagnostic::Severity::Error {
            *codes.entry(finding.rule.code.to_string()).or_default() += 1;
        }
    }
    codes
}

/// Run by fixtures/convert/corpora.sh, after the conversions and the oracles: the table
/// per bot (files whose readings agree, of those compared; the validators' verdicts) and
/// every difference, printed and written to `<out>/report.md`.
#[test]
#[ignore]
fn corpora_whole_bot() {
    let Some(corpora) = common::shared("corpora_whole_bot", "corpora") else {
        return;
    };
    let out = std::env::var_os("RASALINT_CONVERT_OUT")
        .map_or_else(|| PathBuf::from("/tmp/convert-whole"), PathBuf::from);
    let read_json = |path: &Path| -> serde_json::Map<String, Value> {
        std::fs::read_to_string(path)
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default()
    };
    let verdict = |path: &Path| -> String {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        match text.lines().last() {
            Some("exit status 0") => "accepts".into(),
            Some(line) if line.starts_with("exit status") => "refuses".into(),
            _ => "?".into(),
        }
    };
    let mut table = String::from(
        "| bot | NLU and responses files | domain | story files | 1.10 validate (original) | 3.6 validate (converted) | notes for a person | new `check` errors |\n|---|---|---|---|---|---|---|---|\n",
    );
    let mut all = String::new();
    for dir in common::subdirs(&out) {
        let bot_json = read_json(&dir.join("bot.json"));
        let Some(name) = bot_json.get("name").and_then(Value::as_str) else {
            continue;
        };
        let bot = corpora.join(bot_json["folder"].as_str().unwrap_or_default());
        let list = |key: &str| -> Vec<PathBuf> {
            match &bot_json[key] {
                Value::String(s) => vec![bot.join(s)],
                Value::Array(items) => items
                    .iter()
                    .filter_map(Value::as_str)
                    .map(|s| bot.join(s))
                    .collect(),
                _ => Vec::new(),
            }
        };
        let options = LayoutOptions {
            domain: list("domain"),
            data: list("data"),
            config: list("config").into_iter().find(|c| c.is_file()),
            ..LayoutOptions::default()
        };
        let whole = compare_whole_bot(
            &bot,
            options.clone(),
            &read_json(&dir.join("oracle-1.10.json")),
            &read_json(&dir.join("oracle-1.10-e2e.json")),
            &read_json(&dir.join("oracle-3.6.json")),
        );
        let converted = dir.join("converted");
        let rebased = |paths: Vec<PathBuf>| -> Vec<PathBuf> {
            paths
                .iter()
                .filter_map(|p| p.strip_prefix(&bot).ok())
                .map(|p| converted.join(p))
                .filter(|p| p.exists())
                .collect()
        };
        let before = error_codes(&bot, options.clone());
        let after = error_codes(
            &converted,
            LayoutOptions {
                domain: rebased(options.domain.clone()),
                data: rebased(options.data.clone()),
                config: options.config.clone().and_then(|c| rebased(vec![c]).pop()),
                ..LayoutOptions::default()
            },
        );
        let new_errors: Vec<String> = after
            .iter()
            .filter(|(code, _)| !before.contains_key(*code))
            .map(|(code, n)| format!("{code} ×{n}"))
            .collect();
        let cell = |kind: &str| {
            whole
                .rows
                .get(kind)
                .map_or("-".into(), |(n, same)| format!("{same}/{n} agree"))
        };
        let for_person = whole.for_person;
        table.push_str(&format!(
            "| {name} | {} | {} | {} | {} | {} | {for_person} | {} |\n",
            cell("NLU and responses"),
            cell("domain"),
            cell("stories"),
            verdict(&dir.join("validate-1.10.txt")),
            verdict(&dir.join("validate-3.6.txt")),
            if new_errors.is_empty() {
                "none".to_string()
            } else {
                new_errors.join(", ")
            },
        ));
        for d in &whole.differences {
            all.push_str(&format!("{name}: {d}\n"));
        }
    }
    let report = format!("{table}\nDifferences:\n{all}");
    std::fs::write(out.join("report.md"), &report).expect("write the report");
    eprintln!("{report}");
}

#[test]
fn a_bot_with_split_configuration_files_gets_one_config_yml() {
    let temp = tempfile::tempdir().expect("a temporary folder");
    let bot = temp.path().join("coach");
    std::fs::create_dir_all(bot.join("data")).unwrap();
    std::fs::write(bot.join("domain.yml"), "intents:\n  - greet\n").unwrap();
    std::fs::write(bot.join("data/nlu.md"), "## intent:greet\n- hi\n").unwrap();
    std::fs::write(
        bot.join("nlu_config.yml"),
        "language: pt\npipeline:\n  - name: tokenizer_whitespace\n",
    )
    .unwrap();
    std::fs::write(
        bot.join("policy_config.yml"),
        "policies:\n  - name: MemoizationPolicy\n",
    )
    .unwrap();
    let out = common::rasalint(
        temp.path(),
        &["convert", "coach", "--to", "3", "--out", "converted"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let config = std::fs::read_to_string(temp.path().join("converted/config.yml")).unwrap();
    assert!(
        config.contains("# from nlu_config.yml\nlanguage: pt\n"),
        "{config}"
    );
    assert!(
        config.contains("  - name: WhitespaceTokenizer\n"),
        "{config}"
    );
    assert!(
        config.contains("# from policy_config.yml\npolicies:\n  - name: MemoizationPolicy\n"),
        "{config}"
    );
    let summary = text(&out.stdout);
    assert!(
        summary.contains("config.yml written from nlu_config.yml and policy_config.yml merged"),
        "{summary}"
    );
    // Two files that both hold `policies` are not merged: a note says what to do.
    std::fs::write(bot.join("nlu_config.yml"), "pipeline: []\npolicies: []\n").unwrap();
    let out = common::rasalint(temp.path(), &["convert", "coach", "--to", "3", "--dry-run"]);
    let summary = text(&out.stderr);
    assert!(
        summary.contains("write it, merging the `language` and `pipeline` and the `policies` of nlu_config.yml and policy_config.yml"),
        "{summary}"
    );
    assert!(
        !text(&out.stdout).contains("config.yml"),
        "no config.yml written"
    );
    // Nor two that would not read as one YAML document.
    std::fs::write(bot.join("nlu_config.yml"), "language: pt\n").unwrap();
    std::fs::write(
        bot.join("policy_config.yml"),
        "---\npolicies:\n  - name: MemoizationPolicy\n",
    )
    .unwrap();
    let out = common::rasalint(temp.path(), &["convert", "coach", "--to", "3", "--dry-run"]);
    assert!(
        text(&out.stderr).contains("write it, merging"),
        "{}",
        text(&out.stderr)
    );
    assert!(
        !text(&out.stdout).contains("config.yml"),
        "no config.yml written"
    );
}

#[test]
fn the_test_stories_of_tests_are_converted_with_the_bot() {
    let temp = tempfile::tempdir().expect("a temporary folder");
    let bot = temp.path().join("bot");
    std::fs::create_dir_all(bot.join("data")).unwrap();
    std::fs::create_dir_all(bot.join("tests")).unwrap();
    std::fs::write(
        bot.join("domain.yml"),
        "intents:\n  - greet\ntemplates:\n  utter_greet:\n    - text: hi\n",
    )
    .unwrap();
    std::fs::write(bot.join("data/nlu.md"), "## intent:greet\n- hi\n").unwrap();
    std::fs::write(
        bot.join("tests/conversation_tests.md"),
        "## greet\n* greet: hello there\n  - utter_greet\n",
    )
    .unwrap();
    let out = common::rasalint(
        temp.path(),
        &["convert", "bot", "--to", "3", "--out", "converted"],
    );
    assert!(
        out.status.code().is_some_and(|c| c < 2),
        "{}",
        text(&out.stderr)
    );
    let tests = temp
        .path()
        .join("converted/tests/test_conversation_tests.yml");
    let yaml = std::fs::read_to_string(&tests).expect("the test stories converted");
    assert!(
        yaml.contains("  - user: \"hello there\"\n    intent: greet\n"),
        "{yaml}"
    );
}
