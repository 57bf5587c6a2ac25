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

/// A random YAML value built from the words the reader looks at, in flow style.
fn random_node(random: &mut Random, depth: usize) -> String {
    const KEYS: &[&str] = &[
        "story",
        "rule",
        "steps",
        "intent",
        "user",
        "entities",
        "action",
        "bot",
        "slot_was_set",
        "checkpoint",
        "active_loop",
        "or",
        "condition",
        "conversation_start",
        "wait_for_user_input",
        "metadata",
        "role",
        "group",
        "x",
        "name",
        "1",
        "true",
    ];
    const SCALARS: &[&str] = &[
        "greet",
        "\"\"",
        "null",
        "5",
        "1.5",
        "true",
        "false",
        "/x",
        "a/b/c",
        "faq/ask",
        "slot",
        "restart",
        "form",
        "user",
        "reminder",
        "...",
        "\"[x](name)\"",
        "'/g{\"name\": 1}x'",
        "'[a]{\"entity\": 2}'",
        "name",
        "items",
        "nope",
        "\"é\\t\"",
    ];
    match random.below(if depth > 4 { 1 } else { 3 }) {
        0 => SCALARS[random.below(SCALARS.len())].to_string(),
        1 => {
            let items: Vec<String> = (0..random.below(4))
                .map(|_| random_node(random, depth + 1))
                .collect();
            format!("[{}]", items.join(", "))
        }
        _ => {
            let entries: Vec<String> = (0..random.below(4))
                .map(|_| {
                    format!(
                        "{}: {}",
                        KEYS[random.below(KEYS.len())],
                        random_node(random, depth + 1)
                    )
                })
                .collect();
            format!("{{{}}}", entries.join(", "))
        }
    }
}

/// YAML stories and rules of random shape, from the words the YAML stories reader looks
/// at: read, dumped and checked with every rule.
#[test]
fn random_yaml_stories_never_panic() {
    use rasalint::load::{Role, parse};
    use rasalint::model::Project;
    use rasalint::source::{FileId, SourceFile};
    let domain = "version: \"3.1\"\nintents: [greet]\nslots:\n  name: {type: text, mappings: [{type: custom}]}\n  items: {type: list, mappings: [{type: custom}]}\n";
    let mut random = Random(0x2545_f491_4f6c_dd1d);
    let mut with_blocks = 0;
    for case in 0..300 {
        let top = ["stories", "rules"][random.below(2)];
        let items: Vec<String> = (0..1 + random.below(3))
            .map(|_| {
                let title = ["story", "rule"][random.below(2)];
                let steps: Vec<String> = (0..random.below(6))
                    .map(|_| random_node(&mut random, 2))
                    .collect();
                format!("{{{title}: s{case}, steps: [{}]}}", steps.join(", "))
            })
            .collect();
        let text = format!("version: \"3.1\"\n{top}: [{}]\n", items.join(", "));
        let files = vec![
            SourceFile::new("domain.yml".into(), "domain.yml".into(), domain.into()),
            SourceFile::new("data/s.yml".into(), "data/s.yml".into(), text.clone()),
        ];
        let parts = vec![
            parse(FileId(0), domain, Role::Domain).0,
            parse(
                FileId(1),
                &text,
                Role::YamlData {
                    test_stories: false,
                },
            )
            .0,
        ];
        let project = Project::new(std::path::PathBuf::new(), files, parts);
        with_blocks += usize::from(
            project.parts[1]
                .stories
                .as_ref()
                .is_some_and(|s| !s.blocks.is_empty()),
        );
        let _ = rasalint::dump::dump(&project);
        let mut out = Vec::new();
        for rule in rasalint::rules::ALL {
            rule.check(&project, &mut out);
        }
    }
    assert!(
        with_blocks > 150,
        "only {with_blocks} random files had blocks"
    );
}
