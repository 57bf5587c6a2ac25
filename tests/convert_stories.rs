//! `convert::stories`: Markdown stories converted to Rasa 3 YAML read as the same stories.
//!
//! The fixture bot `fixtures/convert-stories` has Markdown story files (`data/`, and
//! end-to-end test stories in `tests/`) with every kind of turn and event. Its
//! `make-oracle.sh` stored two answers, made once with Rasa itself:
//!
//! * `oracle-1.10.json`: Rasa 1.10's reading of the Markdown (`dump.py`; the files of
//!   `tests/` read as `rasa test --e2e` reads them, by `dump-e2e-1.10.py`);
//! * `oracle-3.6.json`: Rasa 3.6's reading of the converted YAML under `converted/`
//!   (`data/*.yml`, `tests/test_*.yml`), with the hand-written 3.x domain
//!   `converted/domain.yml`;
//! * `validate-3.6.txt`: what `rasa data validate` 3.6 said of `converted/`, and its exit
//!   status (0: accepted).
//!
//! The tests convert the fixtures today and hold that (a) rasalint's own Rasa 3.6 reading
//! of today's conversion equals the stored 3.6 answer (so a conversion that changes
//! meaning fails until the oracle is run again), and (b) the stories' event paths, after
//! `OR`/`or:` and checkpoint expansion, are the same in the stored 1.10 answer and the
//! 3.6 one, once the differences that are no difference are normalised away (see
//! [`normalise_event`]). `converted/` holds what the oracle read; it is rewritten with
//! `RASALINT_UPDATE_CONVERTED=1` and must otherwise equal today's conversion.

mod common;

use std::collections::BTreeMap;

use common::canonical;
use common::story_paths::{Reading, event_paths, story_differences};
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use rasalint::convert::Note;
use rasalint::convert::stories::{ConvertedStories, convert_story_file};
use rasalint::layout::{LayoutOptions, resolve};

fn bot() -> PathBuf {
    common::fixtures().join("convert-stories")
}

/// Reads a bot with rasalint: `domain` and the data folders `data` (paths relative to
/// `dir`, which findings and dumps are shown from).
fn read(dir: &Path, domain: &str, data: &[&str]) -> rasalint::Report {
    let options = LayoutOptions {
        domain: vec![dir.join(domain)],
        data: data
            .iter()
            .map(|d| dir.join(d))
            .filter(|d| d.exists())
            .collect(),
        ..LayoutOptions::default()
    };
    let layout = resolve(&options, dir).expect("the bot's layout resolves");
    rasalint::check(&layout, &rasalint::settings::Settings::default())
}

/// Where a converted file goes, relative to the bot: `data/x.md` → `data/x.yml`, test
/// stories → `tests/test_x.yml`.
fn output_paths(markdown: &Path) -> (PathBuf, PathBuf) {
    let stem = markdown
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    let folder = markdown.parent().unwrap_or(Path::new(""));
    let training = folder.join(format!("{stem}.yml"));
    let test_name = if stem.starts_with("test_") {
        format!("{stem}.yml")
    } else {
        format!("test_{stem}.yml")
    };
    (training, Path::new("tests").join(test_name))
}

/// Every Markdown story file of the bot in `dir` converted: the output files (relative
/// path → text) and the notes, each with the Markdown file's path.
fn convert_bot(
    dir: &Path,
    domain: &str,
    data: &[&str],
) -> (BTreeMap<PathBuf, String>, Vec<(PathBuf, Note)>) {
    let report = read(dir, domain, data);
    let project = &report.project;
    let mut files = BTreeMap::new();
    let mut notes = Vec::new();
    for (index, source) in project.files.iter().enumerate() {
        let id = rasalint::source::FileId(index as u32);
        let ConvertedStories {
            training,
            tests,
            notes: file_notes,
            ..
        } = convert_story_file(project, id);
        let relative = source.path.clone();
        let (training_path, tests_path) = output_paths(&relative);
        for (path, text) in [(training_path, training), (tests_path, tests)] {
            if let Some(text) = text {
                let previous = files.insert(path.clone(), text);
                assert!(previous.is_none(), "two outputs to {}", path.display());
            }
        }
        notes.extend(file_notes.iter().cloned().map(|n| (relative.clone(), n)));
    }
    (files, notes)
}

fn write_files(root: &Path, files: &BTreeMap<PathBuf, String>) {
    for (path, text) in files {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
        std::fs::write(&path, text).expect("write");
    }
}

/// Today's conversion of the fixture bot, written into a fresh folder with the 3.x domain
/// the oracle read, and read back by rasalint (Rasa 3.6's reading): `dump` entries keyed
/// by path relative to that folder.
fn todays_reading_3_6() -> BTreeMap<String, Value> {
    let (files, _) = convert_bot(&bot(), "domain.yml", &["data", "tests"]);
    let dir = tempfile::tempdir().expect("tempdir");
    write_files(dir.path(), &files);
    std::fs::copy(
        bot().join("converted/domain.yml"),
        dir.path().join("domain.yml"),
    )
    .expect("copy the 3.x domain");
    let report = read(dir.path(), "domain.yml", &["data", "tests"]);
    let dumped: BTreeMap<String, Value> =
        serde_json::from_value(rasalint::dump::dump(&report.project)).expect("an object");
    dumped
        .into_iter()
        .filter(|(path, _)| path.ends_with(".yml") && path != "domain.yml")
        .map(|(path, entry)| (relative_to(dir.path(), &path), entry))
        .collect()
}

fn relative_to(dir: &Path, path: &str) -> String {
    let prefix = format!("{}/", dir.display());
    path.strip_prefix(&prefix).unwrap_or(path).to_string()
}

fn stored(name: &str) -> BTreeMap<String, Value> {
    let text = std::fs::read_to_string(bot().join(name)).expect("the stored oracle answer");
    serde_json::from_str(&text).expect("JSON")
}

#[test]
fn converted_files_are_todays_conversion() {
    let (files, _) = convert_bot(&bot(), "domain.yml", &["data", "tests"]);
    let converted = bot().join("converted");
    if std::env::var_os("RASALINT_UPDATE_CONVERTED").is_some() {
        for folder in ["data", "tests"] {
            let _ = std::fs::remove_dir_all(converted.join(folder));
        }
        write_files(&converted, &files);
    }
    assert!(files.len() >= 4, "{:?}", files.keys());
    for (path, text) in &files {
        let committed = std::fs::read_to_string(converted.join(path)).unwrap_or_default();
        assert_eq!(
            &committed,
            text,
            "converted/{} is not today's conversion: run fixtures/convert-stories/make-oracle.sh",
            path.display()
        );
    }
}

/// (a) rasalint's Rasa 3.6 reading of today's conversion is what Rasa 3.6 read from the
/// stored conversion: story steps with their events and checkpoints, file by file.
#[test]
fn rasa_3_6_reads_todays_conversion_as_it_read_the_stored_one() {
    let oracle = stored("oracle-3.6.json");
    let verdict = std::fs::read_to_string(bot().join("validate-3.6.txt")).expect("stored");
    assert!(
        verdict.ends_with("exit status 0\n"),
        "`rasa data validate` 3.6 refused the stored conversion:\n{verdict}"
    );
    let ours = todays_reading_3_6();
    let keys = |m: &BTreeMap<String, Value>| m.keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(&ours), keys(&oracle), "the converted files");
    for (path, expected) in &oracle {
        assert!(
            expected.get("error").is_none(),
            "Rasa 3.6 refused {path}: {}",
            expected["error"]
        );
        assert_eq!(
            canonical(&steps_3_6(&ours[path])),
            canonical(&steps_3_6(expected)),
            "{path}: rasalint reads today's conversion otherwise than Rasa 3.6 read the stored one"
        );
    }
}

/// The story steps of an entry as Rasa builds them (checkpoint lists as sets: Rasa
/// collects start checkpoints in a set).
fn blocks(entry: &Value) -> Vec<Value> {
    entry["stories"]["blocks"]
        .as_array()
        .map(|blocks| {
            blocks
                .iter()
                .map(|b| {
                    json!({"name": b["name"], "kind": b["kind"], "events": b["events"],
                           "start": sorted(&b["start"]), "end": sorted(&b["end"])})
                })
                .collect()
        })
        .unwrap_or_default()
}

/// What is compared of a 3.6 entry: its story steps, and which checkpoints Rasa generated.
fn steps_3_6(entry: &Value) -> Value {
    let blocks = blocks(entry);
    let generated: Vec<String> = entry["stories"]["generated"]
        .as_object()
        .map(|g| g.keys().cloned().collect())
        .unwrap_or_default();
    json!({"kind": entry["kind"], "blocks": blocks, "generated": generated})
}

fn sorted(list: &Value) -> Vec<String> {
    let mut items: Vec<String> = list
        .as_array()
        .map(|l| l.iter().map(canonical).collect())
        .unwrap_or_default();
    items.sort();
    items
}

/// rasalint reads the Markdown fixtures as Rasa 1.10 did (so the conversion starts from
/// Rasa's own reading): the training-mode files, which rasalint's dump covers.
#[test]
fn rasalint_reads_the_markdown_as_rasa_1_10_did() {
    let oracle = stored("oracle-1.10.json");
    let report = read(&bot(), "domain.yml", &["data"]);
    let ours: BTreeMap<String, Value> =
        serde_json::from_value(rasalint::dump::dump(&report.project)).expect("an object");
    for (path, expected) in oracle.iter().filter(|(p, _)| p.starts_with("data/")) {
        let found = ours
            .iter()
            .find(|(p, _)| p.ends_with(path.as_str()))
            .map(|(_, e)| e);
        let found = found.unwrap_or_else(|| panic!("rasalint did not read {path}"));
        assert_eq!(
            canonical(&json!(blocks(found))),
            canonical(&json!(blocks(expected))),
            "{path}"
        );
    }
}

// ---------------------------------------------------------------------------------------
// (b) The event paths of the two readings.

/// (b) Per story, the same story steps with the same events in Rasa 1.10's reading of
/// the Markdown and Rasa 3.6's reading of the conversion.
#[test]
fn event_paths_agree_between_rasa_1_10_and_rasa_3_6() {
    let markdown = stored("oracle-1.10.json");
    let yaml = stored("oracle-3.6.json");
    let (_, notes) = convert_bot(&bot(), "domain.yml", &["data", "tests"]);
    assert!(!notes.is_empty());
    for (path, entry) in &markdown {
        let source = Path::new(path);
        let (training, tests) = output_paths(source);
        let reading = if path.starts_with("tests/") {
            Reading::MarkdownEndToEnd
        } else {
            Reading::Markdown
        };
        let converted: Vec<(&Value, Reading)> = [training, tests]
            .iter()
            .filter_map(|p| yaml.get(&p.to_string_lossy().to_string()))
            .map(|e| (e, Reading::Yaml))
            .collect();
        assert!(!converted.is_empty(), "no conversion of {path} was read");
        let expected = event_paths(&[(entry, reading)]);
        let found = event_paths(&converted);
        let names = |m: &BTreeMap<String, Vec<Value>>| m.keys().cloned().collect::<Vec<_>>();
        assert_eq!(names(&found), names(&expected), "{path}: the stories");
        for (name, steps) in &expected {
            assert_eq!(
                canonical(&json!(found[name])),
                canonical(&json!(steps)),
                "{path}: story `{name}`"
            );
        }
    }
}

/// Every change the fixtures hold is named by a note at its line, and nothing else is.
#[test]
fn every_change_has_a_note_at_its_line() {
    let (_, notes) = convert_bot(&bot(), "domain.yml", &["data", "tests"]);
    let text = |path: &Path, span: &Option<std::ops::Range<usize>>| {
        let source = std::fs::read_to_string(bot().join(path)).expect("the fixture");
        span.clone()
            .map(|s| source[s].to_string())
            .unwrap_or_default()
    };
    let found: Vec<String> = notes
        .iter()
        .map(|(path, note)| format!("{}: {}", path.display(), text(path, &note.span)))
        .collect();
    let expected = [
        "data/checkpoints.md: > happy{\"flag\": true}",
        "data/forms.md:   - form: restaurant_form",
        "data/forms.md: - form{\"name\": \"restaurant_form\"}",
        "data/turns.md: * inform{\"city\": null}",
        "data/turns.md: - respond_faq",
        "data/turns.md: * affirm@0.7",
        "data/turns.md: - action_deactivate_form",
        "data/turns.md: - restart",
        "data/turns.md: - reset_slots",
        "data/turns.md: - undo",
        "data/turns.md: - pause",
        "data/turns.md: - rewind",
        "data/turns.md: - resume",
        "data/turns.md: - followup",
        "data/turns.md: - session_started",
        "data/turns.md: - followup{\"name\": \"action_custom\"}",
        "data/turns.md: - export{\"path\": \"out.json\"}",
        "data/turns.md: - form_validation{\"validate\": false}",
        "data/turns.md: - action{\"name\": \"active_loop\"}",
        "data/turns.md: ## only a header",
        "data/turns.md: this line is not a story line",
        "tests/conversation_tests.md: #### This file contains end-to-end tests.",
        "tests/conversation_tests.md: #### They are read by rasa test --e2e.",
        "tests/conversation_tests.md: - respond_faq",
        "tests/conversation_tests.md: * form: inform: [chinese](cuisine) food",
        "tests/conversation_tests.md:   - form: restaurant_form",
    ];
    // The notes come grouped (for a person first, then the changes): compare them as sets.
    let mut found = found;
    let mut expected = expected;
    found.sort_unstable();
    expected.sort_unstable();
    assert_eq!(found, expected);
}

// ---------------------------------------------------------------------------------------
// The Markdown bots of ../shared/corpora (run by hand, see `corpora_*` below).

/// (corpus, project folder in it, domain, data folders), relative to the project folder.
const CORPORA: &[(&str, &str, &str, &[&str])] = &[
    ("rasa-init-1.10.26", ".", "domain.yml", &["data", "tests"]),
    ("tais", "coach", "domain.yml", &["data", "e2e"]),
    ("tais", "bot", "../coach/domain.yml", &["e2e"]),
    ("ptbr-boilerplate", "bot", "domain.yml", &["data", "tests"]),
    (
        "rasa-examples-1.7",
        "examples/moodbot",
        "domain.yml",
        &["data"],
    ),
    (
        "rasa-examples-1.7",
        "examples/formbot",
        "domain.yml",
        &["data", "tests"],
    ),
    (
        "rasa-examples-1.7",
        "examples/restaurantbot",
        "domain.yml",
        &["data"],
    ),
    (
        "rasa-examples-1.7",
        "examples/knowledgebasebot",
        "domain.yml",
        &["data"],
    ),
    (
        "rasa-examples-1.7",
        "examples/concertbot",
        "domain.yml",
        &["data"],
    ),
    (
        "rasa-testdata-1.7",
        "data",
        "test_domains/default.yml",
        &["."],
    ),
    ("financial-demo", ".", "domain.yml", &["data", "tests"]),
    ("familienlotse-de", ".", "domain.yml", &["data", "tests"]),
    ("chitchat-zh", ".", "configs/domain.yml", &["data"]),
];

/// Where the corpora runs write: `RASALINT_CONVERT_OUT`, else `/tmp/convert-stories`.
fn corpora_out() -> PathBuf {
    std::env::var_os("RASALINT_CONVERT_OUT")
        .map_or_else(|| PathBuf::from("/tmp/convert-stories"), PathBuf::from)
}

/// Converts every Markdown story file of the corpora's Markdown bots into
/// `<out>/<corpus>/<project>/…` (`x.md` → `x.yml`, its end-to-end stories →
/// `test_x.yml`, beside it) and writes `<out>/index.json`: per story file, the outputs,
/// the story count and the notes. Run: `cargo test --test convert_stories corpora_convert
/// -- --ignored`; then the oracles on both sides, then `corpora_compare`.
#[test]
#[ignore]
fn corpora_convert() {
    let Some(corpora) = common::shared("corpora_convert", "corpora") else {
        return;
    };
    let out = corpora_out();
    let mut index = Vec::new();
    for (corpus, project, domain, data) in CORPORA {
        // `Path::join(".")` would keep the `.` in every path.
        let base = match *project {
            "." => PathBuf::from(corpus),
            _ => Path::new(corpus).join(project),
        };
        let dir = corpora.join(&base);
        let report = read(&dir, domain, data);
        let project_model = &report.project;
        for (i, source) in project_model.files.iter().enumerate() {
            let Some(stories) = project_model.parts[i].stories.as_ref() else {
                continue;
            };
            if stories.is_yaml() {
                continue;
            }
            let converted = convert_story_file(project_model, rasalint::source::FileId(i as u32));
            let relative = source.path.clone();
            let stem = relative.file_stem().unwrap_or_default().to_string_lossy();
            let folder = base.join(relative.parent().unwrap_or(Path::new("")));
            let mut outputs = json!({});
            for (key, name, text) in [
                ("training", format!("{stem}.yml"), &converted.training),
                ("tests", format!("test_{stem}.yml"), &converted.tests),
            ] {
                if let Some(text) = text {
                    let path = folder.join(name);
                    let target = out.join(&path);
                    std::fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
                    std::fs::write(&target, text).expect("write");
                    outputs[key] = json!(path);
                }
            }
            let notes: Vec<String> = converted
                .notes
                .iter()
                .map(|n| {
                    let line = n.span.as_ref().map_or(0, |s| source.line_col(s.start).line);
                    format!("{}:{line}: {}", relative.display(), n.message)
                })
                .collect();
            index.push(json!({
                "bot": base,
                "source": base.join(&relative),
                "stories": stories.blocks.iter().filter(|b| !b.steps.is_empty()).count(),
                "refused": stories.rasa_error.as_ref().map(|(_, e)| e),
                "outputs": outputs,
                "notes": notes,
            }));
        }
    }
    std::fs::create_dir_all(&out).expect("mkdir");
    std::fs::write(
        out.join("index.json"),
        serde_json::to_string_pretty(&index).expect("JSON"),
    )
    .expect("write the index");
}

/// Compares, per converted story file, the event paths of Rasa 1.10's reading
/// (`<out>/oracle-1.10.json`, keyed by the source path) and Rasa 3.6's
/// (`<out>/oracle-3.6.json`, keyed by output path), as the fixture test does, and prints a
/// table per bot with every difference. Run after `corpora_convert` and the oracles.
#[test]
#[ignore]
fn corpora_compare() {
    let out = corpora_out();
    let load = |name: &str| -> Value {
        let text = std::fs::read_to_string(out.join(name))
            .expect("run corpora_convert and the oracles first");
        serde_json::from_str(&text).expect("JSON")
    };
    let index = load("index.json");
    let markdown = load("oracle-1.10.json");
    let yaml = load("oracle-3.6.json");
    let mut table: BTreeMap<String, (usize, usize, usize, usize, usize)> = BTreeMap::new();
    let mut differences = Vec::new();
    for file in index.as_array().into_iter().flatten() {
        let bot = file["bot"].as_str().unwrap_or_default().to_string();
        let source = file["source"].as_str().unwrap_or_default();
        let row = table.entry(bot).or_default();
        row.0 += 1;
        row.1 += file["stories"].as_u64().unwrap_or(0) as usize;
        row.2 += file["notes"].as_array().map_or(0, Vec::len);
        let md = &markdown[source];
        if md.get("error").is_some() || !file["refused"].is_null() {
            differences.push(format!(
                "{source}: Rasa 1.10 refuses it ({}), not converted",
                md["error"]
            ));
            continue;
        }
        let e2e_only =
            file["outputs"].get("training").is_none() && file["outputs"].get("tests").is_some();
        let reading = if e2e_only {
            Reading::MarkdownEndToEnd
        } else {
            Reading::Markdown
        };
        let mut converted = Vec::new();
        for key in ["training", "tests"] {
            if let Some(path) = file["outputs"][key].as_str() {
                let entry = &yaml[path];
                if let Some(error) = entry.get("error") {
                    differences.push(format!("{path}: Rasa 3.6 refuses it: {error}"));
                }
                converted.push((entry, Reading::Yaml));
            }
        }
        let found = story_differences((md, reading), &converted);
        let same = found.is_empty();
        differences.extend(found.into_iter().map(|d| format!("{source}: {d}")));
        if same {
            row.3 += 1;
        } else {
            row.4 += 1;
        }
    }
    let mut report = String::from(
        "| bot | story files | stories | notes | paths agree | differ |\n|---|---|---|---|---|---|\n",
    );
    for (bot, (files, stories, notes, agree, differ)) in &table {
        report.push_str(&format!(
            "| {bot} | {files} | {stories} | {notes} | {agree} | {differ} |\n"
        ));
    }
    report.push_str("\nDifferences:\n");
    for d in &differences {
        report.push_str(d);
        report.push('\n');
    }
    std::fs::write(out.join("report.md"), &report).expect("write the report");
    eprintln!("{report}");
}

/// Every Markdown file of every fixture (the linter's own cases: odd lines, comments left
/// open, bad JSON, CRLF, BOMs...) read as stories converts without a panic into YAML that
/// Rasa 3.6 reads without refusing it, holding as many story steps as Rasa 1.10 read
/// (unless a line was kept as a comment).
#[test]
fn every_markdown_fixture_converts_into_yaml_rasa_3_6_reads() {
    use rasalint::syntax::rasa_steps::story_steps;
    let env = rasalint::load::Environment::Fixed(Default::default());
    let mut converted = 0;
    for path in common::fixture_files() {
        if path.extension().is_none_or(|e| e != "md") {
            continue;
        }
        let text = String::from_utf8_lossy(&std::fs::read(&path).expect("read")).into_owned();
        let id = rasalint::source::FileId(0);
        let (stories, _) = rasalint::syntax::stories::parse_stories(id, &text);
        let source = rasalint::source::SourceFile::new(path.clone(), path.clone(), text);
        let project = rasalint::model::Project::new(
            PathBuf::new(),
            vec![source],
            vec![rasalint::model::FileParts::stories(stories.clone())],
        );
        let out = convert_story_file(&project, id);
        let read_1_10 = story_steps(&stories).map(|s| s.len()).unwrap_or(0);
        let mut read_3_6 = 0;
        for (name, yaml) in [("x.yml", &out.training), ("test_x.yml", &out.tests)] {
            let Some(yaml) = yaml else { continue };
            let (parts, _) =
                rasalint::syntax::yaml_data::read_data(id, yaml, name.starts_with("test_"), &env);
            let data = parts.yaml.as_deref().expect("YAML data");
            let refusal = (&data.rasa_error, &data.crash, &data.late_error);
            assert_eq!(
                refusal,
                (&None, &None, &None),
                "{}:\n{yaml}",
                path.display()
            );
            let stories = parts.stories.as_ref().expect("stories");
            read_3_6 += story_steps(stories).map(|s| s.len()).unwrap_or(0);
            converted += 1;
        }
        // A line kept as a comment (with a note) can leave a story without steps.
        let commented = out
            .notes
            .iter()
            .any(|n| n.message.contains("kept as a comment"));
        if stories.rasa_error.is_none() && !commented {
            assert_eq!(read_3_6, read_1_10, "{}: story steps", path.display());
        }
    }
    assert!(converted > 50, "only {converted} conversions");
}
