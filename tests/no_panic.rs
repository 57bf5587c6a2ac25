//! Bad input never panics: bots assembled from random lines of every fixture, some of
//! them mangled with the characters the readers care about (brackets, braces, markers,
//! comment delimiters, tabs, line separators, multi-byte text), are checked with every
//! rule, off-by-default ones included, and every report is rendered. The generator is
//! seeded, so a failure names a reproducible case.

mod common;

use std::path::Path;

use common::{Random, check_bot, fixture_files, render};

/// Pieces inserted into lines: what the Markdown, JSON, YAML and regex readers split on.
const JUNK: &[&str] = &[
    "{", "}", "[", "]", "(", ")", "\"", ":", "#", "##", "*", "-", "+", ">", "<!--", "-->", "\t",
    "\r", "\u{2028}", "\u{85}", "é", "中", "\\", "`", " OR ", "/", "@", "(?P<", "(?<=", "\\N{",
    "roles:", "forms:", "  - ", "null", "{{", "}}", "\u{feff}",
];

fn fixture_lines() -> Vec<String> {
    let texts = fixture_files()
        .into_iter()
        .filter_map(|p| std::fs::read_to_string(p).ok());
    texts
        .flat_map(|text| text.lines().map(str::to_string).collect::<Vec<_>>())
        .collect()
}

fn mangle(line: &str, random: &mut Random) -> String {
    let mut chars: Vec<String> = line.chars().map(String::from).collect();
    for _ in 0..random.below(5) {
        let junk = JUNK[random.below(JUNK.len())].to_string();
        match random.below(3) {
            0 if !chars.is_empty() => {
                let at = random.below(chars.len());
                chars.remove(at);
            }
            1 if !chars.is_empty() => {
                let at = random.below(chars.len());
                chars[at] = junk;
            }
            _ => chars.insert(random.below(chars.len() + 1), junk),
        }
    }
    chars.concat()
}

/// The files of a random bot.
const BOT_FILES: [&str; 5] = [
    "domain.yml",
    "config.yml",
    "data/nlu.md",
    "data/stories.md",
    "data/responses.md",
];

fn write_random_bot(dir: &Path, lines: &[String], random: &mut Random) {
    for name in BOT_FILES {
        let count = random.below(40);
        let text: Vec<String> = (0..count)
            .map(|_| {
                let line = &lines[random.below(lines.len())];
                if random.below(3) == 0 {
                    mangle(line, random)
                } else {
                    line.clone()
                }
            })
            .collect();
        std::fs::write(dir.join(name), text.join("\n")).unwrap();
    }
}

#[test]
fn random_bots_are_reported_not_panicked_on() {
    let lines = fixture_lines();
    assert!(lines.len() > 1_000, "the fixtures give material");
    let every_rule: Vec<&str> = rasalint::rules::ALL.iter().map(|r| r.meta().code).collect();
    let mut random = Random(0x2545_f491_4f6c_dd1d);
    let mut codes_seen = std::collections::BTreeSet::new();
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("data")).unwrap();
    for case in 0..300 {
        write_random_bot(dir.path(), &lines, &mut random);
        let outcome = std::panic::catch_unwind(|| {
            let report = check_bot(dir.path(), &every_rule);
            render(&report);
            report
                .findings
                .iter()
                .map(|d| d.rule.code)
                .collect::<Vec<_>>()
        });
        if let Ok(codes) = &outcome {
            codes_seen.extend(codes.iter().copied());
        }
        if outcome.is_err() {
            let kept = std::env::temp_dir().join(format!("rasalint-no-panic-case-{case}"));
            let _ = std::fs::remove_dir_all(&kept);
            std::fs::create_dir_all(kept.join("data")).unwrap();
            for name in BOT_FILES {
                std::fs::copy(dir.path().join(name), kept.join(name)).unwrap();
            }
            panic!(
                "case {case} panicked; the bot is kept in {}",
                kept.display()
            );
        }
    }
    // The bots reach the rules: many different findings, not only refusals to read.
    assert!(
        codes_seen.len() >= 40,
        "only {} rules fired: {codes_seen:?}",
        codes_seen.len()
    );
}
