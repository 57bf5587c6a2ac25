//! `rasalint check --fix` never changes what Rasa reads: on a copy of every fixture bot,
//! rasalint's reading (`rasalint dump`, the shape tests/oracle.rs holds to Rasa 1.10's own)
//! is the same before and after the fixes. `--diff` shows exactly what `--fix` then does,
//! and writes nothing.

mod common;

use std::path::Path;

use common::{fixtures, rasalint};

/// Copies the folder `from` into `to`.
fn copy_folder(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("folder");
    for entry in std::fs::read_dir(from).expect("readable fixture") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_folder(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// Every file under `dir`, by path relative to it, with its bytes.
fn files_of(dir: &Path) -> std::collections::BTreeMap<std::path::PathBuf, Vec<u8>> {
    let mut files = std::collections::BTreeMap::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).expect("readable folder") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                folders.push(path);
            } else {
                let relative = path.strip_prefix(dir).expect("inside").to_path_buf();
                files.insert(relative, std::fs::read(&path).expect("readable file"));
            }
        }
    }
    files
}

/// The unified diff from `before` to `after` of the files that differ, as `--diff` shows
/// it.
fn diff_between(
    before: &std::collections::BTreeMap<std::path::PathBuf, Vec<u8>>,
    after: &std::collections::BTreeMap<std::path::PathBuf, Vec<u8>>,
) -> String {
    let mut out = String::new();
    for (path, new) in after {
        let old = &before[path];
        if old != new {
            let (old, new) = (String::from_utf8_lossy(old), String::from_utf8_lossy(new));
            let shown = path.display();
            let diff = similar::TextDiff::from_lines(old.as_ref(), new.as_ref());
            let unified = diff
                .unified_diff()
                .header(&format!("a/{shown}"), &format!("b/{shown}"))
                .to_string();
            out.push_str(&unified);
        }
    }
    out
}

/// What rasalint reads of the bot in `dir`: its data folder and domain, as JSON, and
/// apart from it the warnings Rasa gives while reading (a fix may remove their cause).
fn reading(dir: &Path) -> (String, Vec<String>) {
    let parts: Vec<&str> = ["data", "domain.yml"]
        .into_iter()
        .filter(|p| dir.join(p).exists())
        .collect();
    let mut args = vec!["dump"];
    args.extend(&parts);
    let output = rasalint(dir, &args);
    let text = String::from_utf8(output.stdout).expect("UTF-8");
    let Ok(mut json) = serde_json::from_str::<serde_json::Value>(&text) else {
        return (text, Vec::new());
    };
    let mut warnings = Vec::new();
    take_warnings(&mut json, &mut warnings);
    (json.to_string(), warnings)
}

/// Removes every `warnings` list from `json`, adding its texts to `out`.
fn take_warnings(json: &mut serde_json::Value, out: &mut Vec<String>) {
    match json {
        serde_json::Value::Object(map) => {
            if let Some(serde_json::Value::Array(list)) = map.remove("warnings") {
                out.extend(list.iter().map(ToString::to_string));
            }
            map.values_mut().for_each(|v| take_warnings(v, out));
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(|v| take_warnings(v, out)),
        _ => {}
    }
}

/// Every fixture bot: a folder with a domain or a data folder.
fn fixture_bots() -> Vec<std::path::PathBuf> {
    let mut bots = vec![fixtures().join("example-bot")];
    for rule in std::fs::read_dir(fixtures()).expect("fixtures") {
        let rule = rule.expect("entry").path();
        for case in std::fs::read_dir(&rule).into_iter().flatten() {
            let case = case.expect("entry").path();
            if case.join("domain.yml").exists() || case.join("data").is_dir() {
                bots.push(case);
            }
        }
    }
    bots.sort();
    bots
}

#[test]
fn fixes_leave_what_rasa_reads_unchanged() {
    let mut fixed_bots = Vec::new();
    for bot in fixture_bots() {
        let dir = tempfile::tempdir().expect("temp dir");
        copy_folder(&bot, dir.path());
        let before = reading(dir.path());
        assert!(before.0.len() > 2, "{}: nothing read", bot.display());
        let files_before = files_of(dir.path());
        let preview = rasalint(dir.path(), &["check", "--diff"]);
        assert_eq!(
            files_of(dir.path()),
            files_before,
            "{}: --diff wrote",
            bot.display()
        );
        let output = rasalint(
            dir.path(),
            &["check", "--fix", "--output-format", "concise"],
        );
        let stderr = String::from_utf8_lossy(&output.stderr);
        let after = reading(dir.path());
        assert_eq!(before.0, after.0, "{}: {stderr}", bot.display());
        // Fixes may remove what Rasa warns about (a blank line it drops), never add to it.
        let mut warned = before.1.clone();
        for warning in &after.1 {
            match warned.iter().position(|w| w == warning) {
                Some(i) => drop(warned.swap_remove(i)),
                None => panic!("{}: new warning {warning}", bot.display()),
            }
        }
        // `--diff` showed exactly these changes, and counted them as `--fix` did.
        let files_after = files_of(dir.path());
        let shown = String::from_utf8_lossy(&preview.stdout);
        assert_eq!(
            shown,
            diff_between(&files_before, &files_after),
            "{}",
            bot.display()
        );
        let changed = files_before != files_after;
        assert_eq!(
            preview.status.code(),
            Some(i32::from(changed)),
            "{}",
            bot.display()
        );
        let counted = String::from_utf8_lossy(&preview.stderr);
        let fixed = stderr
            .lines()
            .find(|l| l.starts_with("fixed "))
            .expect("--fix summary");
        assert!(
            counted.starts_with(&fixed["fixed ".len()..]),
            "{counted} / {fixed}"
        );
        if !stderr.contains("fixed 0 findings") {
            fixed_bots.push(bot);
        }
    }
    // The fixtures of every rule that has fixes were changed, so the comparison above
    // covered real edits.
    for rule in [
        "text-outside-section",
        "deprecated-deactivate-form",
        "trailing-whitespace",
        "missing-final-newline",
        "crlf-line-ending",
        "deprecated-templates-key",
        "inconsistent-list-marker",
        "inconsistent-indentation",
        "blank-line-between-blocks",
        "header-spacing",
    ] {
        assert!(
            fixed_bots
                .iter()
                .any(|b| b.starts_with(fixtures().join(rule))),
            "no fixture of {rule} was fixed: {fixed_bots:?}"
        );
    }
}

/// In YAML, blanks after keys, plain values and comments go, and a last line break comes,
/// but not where they are a string's text: a block scalar's lines keep their blanks, and
/// a block scalar that ends the file gets no line break.
#[test]
fn yaml_layout_fixes_leave_string_texts_alone() {
    let dir = tempfile::tempdir().expect("temp dir");
    for case in [
        "trailing-whitespace/bad_yaml_blanks",
        "missing-final-newline/bad_yaml_last_lines",
    ] {
        copy_folder(&fixtures().join(case), dir.path());
        let before = files_of(dir.path());
        rasalint(dir.path(), &["check", "--fix", "--select", "RL501,RL504"]);
        let after = files_of(dir.path());
        let text = |files: &std::collections::BTreeMap<std::path::PathBuf, Vec<u8>>, path: &str| {
            String::from_utf8(files[Path::new(path)].clone()).expect("UTF-8")
        };
        match case {
            "trailing-whitespace/bad_yaml_blanks" => {
                assert_eq!(
                    text(&after, "domain.yml"),
                    "version: \"3.1\"\nintents:\n  - greet\nresponses:\n  utter_greet:\n  - text: |\n      Hello,  \n      how can I help?\n  - text: \"Hi there\"  # short\n"
                );
                assert_eq!(text(&after, "data/nlu.yml"), text(&before, "data/nlu.yml"));
            }
            _ => {
                assert!(text(&after, "domain.yml").ends_with("- text: Hello\n"));
                assert_eq!(
                    text(&after, "data/responses.yml"),
                    text(&before, "data/responses.yml")
                );
            }
        }
        std::fs::remove_dir_all(dir.path()).expect("emptied");
        std::fs::create_dir(dir.path()).expect("again");
    }
}
