//! End-to-end benchmark of `rasalint::check` on generated bots of three sizes.
//!
//! Run with `cargo bench --bench check`. Each bot is written to a temporary folder, then
//! checked several times; the median wall time of the whole check (discovery, reading,
//! parsing, model, rules, sorting) is printed with the bot's size. The generated bots carry
//! a known number of mistakes, and the benchmark asserts that exactly those are found, so
//! a faster but wrong rasalint cannot pass.

use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

use rasalint::layout::{LayoutOptions, resolve};
use rasalint::settings::Settings;

/// A bot's shape: `intents` × `examples` NLU examples and `stories` stories over `files`
/// NLU and story files each.
struct Shape {
    name: &'static str,
    intents: usize,
    examples: usize,
    stories: usize,
    files: usize,
}

const SHAPES: &[Shape] = &[
    Shape {
        name: "small",
        intents: 40,
        examples: 25,
        stories: 200,
        files: 4,
    },
    Shape {
        name: "medium",
        intents: 200,
        examples: 50,
        stories: 5_000,
        files: 10,
    },
    Shape {
        name: "large",
        intents: 1_000,
        examples: 100,
        stories: 50_000,
        files: 40,
    },
];

/// Mistakes written into every generated bot, one of each per this many stories.
const MISTAKE_EVERY: usize = 1_000;

fn main() {
    // `cargo bench --bench check -- medium` runs one size; RASALINT_BENCH_KEEP=1 keeps the
    // generated bot (for profiling) and prints where it is.
    let only: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let keep = std::env::var_os("RASALINT_BENCH_KEEP").is_some();
    for shape in SHAPES
        .iter()
        .filter(|s| only.is_empty() || only.iter().any(|o| o == s.name))
    {
        let dir = tempdir(shape.name);
        let expected = write_bot(&dir, shape);
        let bytes = folder_size(&dir);
        let layout = resolve(
            &LayoutOptions {
                paths: vec![dir.clone()],
                ..LayoutOptions::default()
            },
            &dir,
        )
        .expect("the generated bot resolves");
        let settings = Settings::default();
        let mut times = Vec::new();
        let mut findings = 0;
        for _ in 0..if shape.name == "large" { 5 } else { 11 } {
            let start = Instant::now();
            let report = rasalint::check(&layout, &settings);
            times.push(start.elapsed());
            // Story structure conflicts (RL301) are real in these generated bots and are
            // counted apart; every other finding must be an injected mistake.
            findings = report
                .findings
                .iter()
                .filter(|d| d.rule.code != "RL301")
                .count();
            // Freed outside the timed part, as the binary skips freeing at exit.
            drop(report);
        }
        assert_eq!(
            findings, expected,
            "{}: the injected mistakes are found, and nothing else",
            shape.name
        );
        times.sort();
        let median = times[times.len() / 2];
        println!(
            "{:<7} {:>6.1} MB {:>7} examples {:>6} stories  median {:>8.2} ms  ({} findings)",
            shape.name,
            bytes as f64 / 1e6,
            shape.intents * shape.examples,
            shape.stories,
            ms(median),
            findings
        );
        if keep {
            println!("        kept in {}", dir.display());
        } else {
            let _ = std::fs::remove_dir_all(&dir);
        }
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn tempdir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("rasalint-bench-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("data")).expect("temp dir");
    dir
}

fn folder_size(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum()
}

/// Writes the bot and returns how many findings it must produce.
fn write_bot(dir: &Path, shape: &Shape) -> usize {
    let mut mistakes = 0;
    write(dir, "domain.yml", &domain(shape));
    for file in 0..shape.files {
        write(dir, &format!("data/nlu_{file:03}.md"), &nlu(shape, file));
        let (stories, injected) = stories(shape, file);
        mistakes += injected;
        write(dir, &format!("data/stories_{file:03}.md"), &stories);
    }
    mistakes
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).expect("write generated file");
}

fn domain(shape: &Shape) -> String {
    let mut out = String::from("intents:\n");
    for i in 0..shape.intents {
        let _ = writeln!(out, "  - intent_{i}");
    }
    out.push_str("entities:\n  - city\n  - date\nslots:\n  city:\n    type: text\n  date:\n    type: text\nresponses:\n");
    for i in 0..shape.intents {
        let _ = writeln!(
            out,
            "  utter_answer_{i}:\n  - text: Answer {i} for {{city}}"
        );
    }
    out.push_str("actions:\n");
    for i in 0..shape.intents {
        let _ = writeln!(out, "  - utter_answer_{i}");
    }
    out.push_str("forms:\n  - booking_form\nsession_config:\n  session_expiration_time: 60\n");
    out
}

/// NLU examples for the intents this file owns, using every annotation form.
fn nlu(shape: &Shape, file: usize) -> String {
    let mut out = String::new();
    for i in (file..shape.intents).step_by(shape.files) {
        let _ = writeln!(out, "## intent:intent_{i}");
        for e in 0..shape.examples {
            let _ = match e % 4 {
                0 => writeln!(out, "- example {e} of intent {i} in [Berlin](city)"),
                1 => writeln!(
                    out,
                    "- example {e} of intent {i} on [monday]{{\"entity\": \"date\", \"value\": \"mon\"}}"
                ),
                2 => writeln!(out, "- example {e} of intent {i} <!-- a note -->"),
                _ => writeln!(out, "- plain example {e} of intent {i}"),
            };
        }
        out.push('\n');
    }
    if file == 0 {
        out.push_str("## synonym:New York\n- NYC\n- big apple\n\n## regex:zipcode\n- [0-9]{5}\n\n## lookup:city\n- Berlin\n- Paris\n");
    }
    out
}

/// Stories for this file, with OR turns, checkpoints, slots and forms; every
/// [`MISTAKE_EVERY`]th story uses an utterance the domain lacks (one RL107 each).
fn stories(shape: &Shape, file: usize) -> (String, usize) {
    let mut out = String::new();
    let mut mistakes = 0;
    for s in (file..shape.stories).step_by(shape.files) {
        let (a, b) = (s % shape.intents, (s * 7 + 3) % shape.intents);
        let _ = writeln!(out, "## story {s}");
        let _ = writeln!(
            out,
            "* intent_{a}{{\"city\": \"Berlin\"}}\n  - slot{{\"city\": \"Berlin\"}}\n  - utter_answer_{a}"
        );
        match s % 3 {
            0 => {
                let _ = writeln!(out, "* intent_{b} OR intent_{a}\n  - utter_answer_{b}");
            }
            1 => {
                let _ = writeln!(
                    out,
                    "* intent_{b}\n  - booking_form\n  - form{{\"name\": \"booking_form\"}}\n  - form{{\"name\": null}}"
                );
            }
            _ => {
                let _ = writeln!(
                    out,
                    "* intent_{b}\n  - utter_answer_{b}\n> checkpoint_{}",
                    s % 50
                );
                let _ = writeln!(
                    out,
                    "\n## continue {s}\n> checkpoint_{}\n* intent_{a}\n  - utter_answer_{a}",
                    s % 50
                );
            }
        }
        if s % MISTAKE_EVERY == 0 {
            let _ = writeln!(out, "* intent_{a}\n  - utter_missing_{s}");
            mistakes += 1;
        }
        out.push('\n');
    }
    (out, mistakes)
}
