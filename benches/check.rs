//! The benchmark: `cargo bench --bench check` builds rasalint in release and runs the
//! binary end to end (`rasalint check`, as users run it) on generated bots of three sizes
//! and on the tais bot of ../shared/corpora, plus start-up alone (`rasalint --version`).
//! For each workload it prints the median wall time of several runs and the peak memory
//! (maximum resident set size), with 1 and with 2 worker threads, and for the generated
//! bots also the time to draw every finding as a graphical report (what a terminal shows).
//!
//! The generated bots carry a known number of mistakes of several kinds, and every run
//! must report exactly those (besides story structure conflicts, which the generated
//! stories really have and which are counted apart), so a faster but wrong rasalint
//! cannot pass.
//!
//! Each generated bot is written twice, with the same content and mistakes: as a Rasa 1.x
//! Markdown bot (`medium`) and as a Rasa 3 YAML bot (`medium-yaml`), so the two readers
//! can be compared.
//!
//! The `-hubs` workloads (`medium-hubs`, `large-hubs`, `huge-hubs`) are the Markdown bot
//! with [`HUBS`] hub checkpoints besides: one story in [`HUB_EVERY`] ends at one of them
//! and as many story parts start from one, as bots do that route every conversation
//! through a "main menu" checkpoint, so each hub joins every part before it with every
//! part after it (Rasa's default `max_history`, the longest dialogue, sees them whole).
//!
//! The `medium-chain` workload is the medium Markdown bot with a menu of [`CHAIN_LEVELS`]
//! chained hub checkpoints besides: [`CHAIN_PARTS`] stories end at the first, and at each
//! level as many parts start from one hub and end at the next, the last level's parts
//! ending their stories, as bots do that route through a main menu and then a submenu.
//! Rasa glues every path through the levels together (810,000 joined dialogues), and
//! rasalint's story check still expands every path that reaches a second hub.
//!
//! `cargo bench --bench check -- large` runs the named workloads only (`startup`, `tais`,
//! `small`, `medium`, `large`, their `-yaml` and `-hubs` twins, `medium-chain`, and
//! `huge`, `huge-yaml`, `huge-hubs`: ten times `large`, run only when named).
//! `RASALINT_BENCH_KEEP=1` keeps the generated bots and prints where they are;
//! `RASALINT_BENCH_BIN=path/to/rasalint` measures another build on the same bots.

use std::fmt::Write as _;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The binary measured: this build's, or the one `RASALINT_BENCH_BIN` names (to compare
/// with another version on the same bots).
fn rasalint() -> PathBuf {
    std::env::var_os("RASALINT_BENCH_BIN").map_or_else(
        || PathBuf::from(env!("CARGO_BIN_EXE_rasalint")),
        PathBuf::from,
    )
}

/// A bot's shape: `intents` × `examples` NLU examples and `stories` stories over `files`
/// NLU and story files each; `runs` timed runs per thread count.
struct Shape {
    name: &'static str,
    intents: usize,
    examples: usize,
    stories: usize,
    files: usize,
    runs: usize,
}

const SHAPES: &[Shape] = &[
    Shape {
        name: "small",
        intents: 40,
        examples: 25,
        stories: 200,
        files: 4,
        runs: 21,
    },
    Shape {
        name: "medium",
        intents: 200,
        examples: 50,
        stories: 5_000,
        files: 10,
        runs: 21,
    },
    Shape {
        name: "large",
        intents: 1_000,
        examples: 100,
        stories: 50_000,
        files: 40,
        runs: 7,
    },
    Shape {
        name: "huge",
        intents: 10_000,
        examples: 100,
        stories: 500_000,
        files: 400,
        runs: 3,
    },
];

/// How a generated bot is written.
#[derive(Clone, Copy, PartialEq)]
enum Surface {
    /// Rasa 1.x Markdown data, a 1.x domain.
    Markdown,
    /// Rasa 3 YAML data and domain.
    Yaml,
    /// The Markdown bot with hub checkpoints (see [`HUBS`]).
    Hubs,
    /// The Markdown bot with a menu of chained hubs (see [`CHAIN_LEVELS`]).
    Chain,
}

/// Hub checkpoints in a `-hubs` bot.
const HUBS: usize = 7;
/// One story in this many ends at a hub, and as many story parts start from one.
const HUB_EVERY: usize = 50;
/// One story part in this many after a hub has a twin that answers otherwise.
const HUB_CONFLICT_EVERY: usize = 250;

/// Hubs in the `-chain` menu (`menu_1` to `menu_3`): the parts from each end at the next,
/// and those from the last end their stories.
const CHAIN_LEVELS: usize = 3;
/// Story parts that end at each hub of the menu (and that end their stories after the
/// last).
const CHAIN_PARTS: usize = 30;

/// The surfaces a shape is written in: hubs from the medium size up (a small bot's hubs
/// would join a handful of stories); the chained menu at the medium size only (its cost
/// is the menu's, whatever the bot around it).
fn surfaces(shape: &Shape) -> &'static [Surface] {
    match shape.name {
        "medium" => &[
            Surface::Markdown,
            Surface::Yaml,
            Surface::Hubs,
            Surface::Chain,
        ],
        _ if shape.stories >= 5_000 => &[Surface::Markdown, Surface::Yaml, Surface::Hubs],
        _ => &[Surface::Markdown, Surface::Yaml],
    }
}

/// The workload's name: the shape's, with `-yaml` for the YAML bot.
fn workload(shape: &Shape, surface: Surface) -> String {
    match surface {
        Surface::Markdown => shape.name.to_string(),
        Surface::Yaml => format!("{}-yaml", shape.name),
        Surface::Hubs => format!("{}-hubs", shape.name),
        Surface::Chain => format!("{}-chain", shape.name),
    }
}

/// Story mistakes: one of each kind per this many stories.
const STORY_MISTAKE_EVERY: usize = 1_000;
/// NLU mistakes: one of each kind per this many intents.
const NLU_MISTAKE_EVERY: usize = 100;

/// What one run of the binary did.
struct Run {
    wall: Duration,
    /// Maximum resident set size, in kilobytes.
    peak_rss_kb: u64,
    stdout: String,
}

fn main() {
    let named: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let wanted = |name: &str| {
        if named.is_empty() {
            !name.starts_with("huge")
        } else {
            named.iter().any(|n| n == name)
        }
    };
    let keep = std::env::var_os("RASALINT_BENCH_KEEP").is_some();
    println!("| workload | size | threads | median | peak RSS | findings |");
    println!("|---|---|---|---|---|---|");
    if wanted("startup") {
        startup();
    }
    if wanted("tais") {
        tais();
    }
    for shape in SHAPES {
        for &surface in surfaces(shape) {
            if wanted(&workload(shape, surface)) {
                generated(shape, surface, keep);
            }
        }
    }
}

/// `rasalint --version`: the cost of starting the process.
fn startup() {
    let runs: Vec<Run> = (0..51)
        .map(|_| run(&["--version"], Path::new(".")))
        .collect();
    let (median, peak) = summary(&runs);
    println!(
        "| start-up (`--version`) | – | – | {} | {} | – |",
        format_ms(median),
        format_mb(peak)
    );
}

/// The tais bot of ../shared/corpora, when it is there.
fn tais() {
    let bot = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora/tais/coach");
    if !bot.is_dir() {
        println!("| tais | (not found: {}) | | | | |", bot.display());
        return;
    }
    for threads in [1, 2] {
        let runs = check_runs(&bot, threads, 21);
        let (median, peak) = summary(&runs);
        println!(
            "| tais | {} | {threads} | {} | {} | {} |",
            format_size(
                folder_size(&bot.join("data")) + folder_size_of_file(&bot.join("domain.yml"))
            ),
            format_ms(median),
            format_mb(peak),
            runs[0].stdout.lines().count()
        );
    }
}

/// A generated bot, checked with 1 and 2 threads; every run must find exactly the
/// injected mistakes.
fn generated(shape: &Shape, surface: Surface, keep: bool) {
    let name = workload(shape, surface);
    let dir = tempdir(&name);
    let expected = match surface {
        Surface::Markdown => write_bot(&dir, shape, false),
        Surface::Yaml => write_yaml_bot(&dir, shape),
        Surface::Hubs => write_bot(&dir, shape, true),
        Surface::Chain => {
            let expected = write_bot(&dir, shape, false);
            write(&dir, "data/stories_menu.md", &menu_stories(shape));
            expected
        }
    };
    let size = format_size(folder_size(&dir));
    let mut medians = Vec::new();
    for threads in [1, 2] {
        let runs = check_runs(&dir, threads, shape.runs);
        for run in &runs {
            let found = run
                .stdout
                .lines()
                .filter(|l| !l.contains("[RL301]"))
                .count();
            assert_eq!(
                found, expected,
                "{}: the injected mistakes are found, and nothing else:\n{}",
                name, run.stdout
            );
        }
        let conflicts = runs[0].stdout.lines().count() - expected;
        let (median, peak) = summary(&runs);
        medians.push(median);
        println!(
            "| {} ({} examples, {} stories) | {size} | {threads} | {} | {} | {expected} + {conflicts} RL301 |",
            name,
            shape.intents * shape.examples,
            shape.stories,
            format_ms(median),
            format_mb(peak),
        );
    }
    println!(
        "| {}: 2 threads vs 1 | | | {:.2}× faster | | |",
        name,
        medians[0].as_secs_f64() / medians[1].as_secs_f64()
    );
    // What a terminal user sees: every finding drawn as a graphical report.
    let runs = check_runs_as(
        &dir,
        2,
        shape.runs,
        &["--output-format", "full", "--color", "always"],
    );
    let (median, peak) = summary(&runs);
    println!(
        "| {}, graphical reports (`full`) | | 2 | {} | {} | |",
        name,
        format_ms(median),
        format_mb(peak),
    );
    if keep {
        println!("kept in {}", dir.display());
    } else {
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// `runs` timed runs of `rasalint check` in `bot` (concise output), after one untimed run
/// that fills the page cache.
fn check_runs(bot: &Path, threads: usize, runs: usize) -> Vec<Run> {
    check_runs_as(bot, threads, runs, &["--output-format", "concise"])
}

/// [`check_runs`] with other output options.
fn check_runs_as(bot: &Path, threads: usize, runs: usize, output: &[&str]) -> Vec<Run> {
    let threads = threads.to_string();
    let mut args = vec!["check", "--no-config", "--threads", &threads];
    args.extend_from_slice(output);
    run(&args, bot);
    (0..runs).map(|_| run(&args, bot)).collect()
}

/// Runs the binary to its end and measures it: wall time from spawn to exit, and the
/// child's own peak memory as the kernel accounts it (`wait4`'s resource usage).
#[allow(clippy::zombie_processes)] // reaped by `wait_with_usage`, which clippy cannot see
fn run(args: &[&str], cwd: &Path) -> Run {
    let start = Instant::now();
    let mut child = Command::new(rasalint())
        .args(args)
        .current_dir(cwd)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("rasalint starts");
    let mut stdout = String::new();
    child
        .stdout
        .take()
        .expect("piped stdout")
        .read_to_string(&mut stdout)
        .expect("rasalint's output is UTF-8");
    let (status, usage) = wait_with_usage(child.id());
    let wall = start.elapsed();
    assert!(
        status == 0 || status == 1,
        "rasalint {args:?} exited with {status}"
    );
    Run {
        wall,
        peak_rss_kb: u64::try_from(usage.ru_maxrss).unwrap_or(0),
        stdout,
    }
}

/// Reaps the child `pid` and returns its exit status and resource usage. `std` waits for
/// children but does not return their usage, hence `wait4`.
fn wait_with_usage(pid: u32) -> (i32, libc::rusage) {
    let mut status = 0;
    // SAFETY: `rusage` is plain data, valid when zeroed; `wait4` writes both out-params
    // and the child has not been reaped (its `Child` handle is never waited on).
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let reaped = unsafe { libc::wait4(pid as libc::pid_t, &mut status, 0, &mut usage) };
    assert_eq!(reaped, pid as libc::pid_t, "wait4 reaps rasalint");
    (libc::WEXITSTATUS(status), usage)
}

/// The median wall time and the largest peak memory of some runs.
fn summary(runs: &[Run]) -> (Duration, u64) {
    let mut walls: Vec<Duration> = runs.iter().map(|r| r.wall).collect();
    walls.sort();
    let peak = runs.iter().map(|r| r.peak_rss_kb).max().unwrap_or(0);
    (walls[walls.len() / 2], peak)
}

fn format_ms(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1e3;
    if ms < 10.0 {
        format!("{ms:.2} ms")
    } else {
        format!("{ms:.1} ms")
    }
}

fn format_mb(kb: u64) -> String {
    format!("{:.1} MB", kb as f64 / 1024.0)
}

fn format_size(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

fn tempdir(name: &str) -> PathBuf {
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
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}

fn folder_size_of_file(path: &Path) -> u64 {
    std::fs::metadata(path).map_or(0, |m| m.len())
}

/// Writes the bot (with hub checkpoints when `hubs`) and returns how many findings it
/// must produce.
fn write_bot(dir: &Path, shape: &Shape, hubs: bool) -> usize {
    write(dir, "domain.yml", &domain(shape));
    let mut mistakes = 0;
    for file in 0..shape.files {
        let (nlu, injected) = nlu(shape, file);
        mistakes += injected;
        write(dir, &format!("data/nlu_{file:03}.md"), &nlu);
        let (mut stories, injected) = stories(shape, file);
        mistakes += injected;
        if hubs {
            stories.push_str(&hub_stories(shape, file));
        }
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

/// NLU examples for the intents this file owns, using every annotation form; every
/// [`NLU_MISTAKE_EVERY`]th intent repeats an example (one RL202), and as many sections
/// name an intent the domain lacks (one RL101 each).
fn nlu(shape: &Shape, file: usize) -> (String, usize) {
    let mut out = String::new();
    let mut mistakes = 0;
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
        if i % NLU_MISTAKE_EVERY == 0 {
            let _ = writeln!(out, "- plain example 3 of intent {i}");
            mistakes += 1;
        }
        out.push('\n');
        if i % NLU_MISTAKE_EVERY == NLU_MISTAKE_EVERY / 2 {
            let _ = writeln!(
                out,
                "## intent:undeclared_{i}\n- first example of undeclared {i}\n- second example of undeclared {i}\n"
            );
            mistakes += 1;
        }
    }
    if file == 0 {
        out.push_str("## synonym:New York\n- NYC\n- big apple\n\n## regex:zipcode\n- [0-9]{5}\n\n## lookup:city\n- Berlin\n- Paris\n");
    }
    (out, mistakes)
}

/// Stories for this file, with OR turns, checkpoints, slots and forms; every
/// [`STORY_MISTAKE_EVERY`]th story uses an utterance the domain lacks (one RL107), and as
/// many set a slot the domain lacks (one RL111 each).
///
/// Two stories end at each checkpoint and two continue from it, so the checkpoints join
/// four dialogues each, as checkpoints in real bots join a few story parts.
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
                let checkpoint = s / 6;
                let _ = writeln!(
                    out,
                    "* intent_{b}\n  - utter_answer_{b}\n> checkpoint_{checkpoint}"
                );
                let _ = writeln!(
                    out,
                    "\n## continue {s}\n> checkpoint_{checkpoint}\n* intent_{a}\n  - utter_answer_{a}"
                );
            }
        }
        if s % STORY_MISTAKE_EVERY == 0 {
            let _ = writeln!(out, "* intent_{a}\n  - utter_missing_{s}");
            mistakes += 1;
        }
        if s % STORY_MISTAKE_EVERY == STORY_MISTAKE_EVERY / 2 {
            let _ = writeln!(
                out,
                "* intent_{a}\n  - slot{{\"colour\": \"red\"}}\n  - utter_answer_{a}"
            );
            mistakes += 1;
        }
        out.push('\n');
    }
    (out, mistakes)
}

/// The hub checkpoints' stories of this file: for every [`HUB_EVERY`]th story, a story
/// of three turns that ends at a hub, and a story part of three turns that starts from
/// one, each with its own intents. One part in [`HUB_CONFLICT_EVERY`] has a twin that
/// answers its first turn otherwise: a conflict after every dialogue that reaches its
/// hub. They add no mistake.
fn hub_stories(shape: &Shape, file: usize) -> String {
    let mut out = String::new();
    for s in (file..shape.stories).step_by(shape.files) {
        if !s.is_multiple_of(HUB_EVERY) {
            continue;
        }
        let t = s / HUB_EVERY;
        let hub = t % HUBS;
        let intent = |k: usize| (t * 7 + k * 101) % shape.intents;
        let turn = |k: usize| {
            let i = intent(k);
            format!("* intent_{i}\n  - utter_answer_{i}\n")
        };
        let _ = writeln!(
            out,
            "## to hub {s}\n{}{}{}> hub_{hub}\n",
            turn(0),
            turn(1),
            turn(2)
        );
        let _ = writeln!(
            out,
            "## from hub {s}\n> hub_{hub}\n{}{}{}",
            turn(3),
            turn(4),
            turn(5)
        );
        if t.is_multiple_of(HUB_CONFLICT_EVERY) {
            let i = intent(3);
            let other = (i + 1) % shape.intents;
            let _ = writeln!(
                out,
                "## from hub {s}, answered otherwise\n> hub_{hub}\n* intent_{i}\n  - utter_answer_{other}\n"
            );
        }
    }
    out
}

/// The chained menu of a `-chain` bot: [`CHAIN_PARTS`] stories end at `menu_1`; from each
/// `menu_k` as many parts start, ending at `menu_{k+1}`, and those from the last hub end
/// their stories. Every part answers its own intent, so the menu adds no mistake and no
/// conflict: its cost is Rasa's joining every path through it.
fn menu_stories(shape: &Shape) -> String {
    let mut out = String::new();
    for level in 0..=CHAIN_LEVELS {
        for part in 0..CHAIN_PARTS {
            let i = (level * CHAIN_PARTS + part) % shape.intents;
            let _ = writeln!(out, "## menu {level} part {part}");
            if level > 0 {
                let _ = writeln!(out, "> menu_{level}");
            }
            let _ = writeln!(out, "* intent_{i}\n  - utter_answer_{i}");
            if level < CHAIN_LEVELS {
                let _ = writeln!(out, "> menu_{}", level + 1);
            }
            out.push('\n');
        }
    }
    out
}

/// The same bot as [`write_bot`], written for Rasa 3: a 3.1 domain (slots with mappings,
/// forms with required slots), NLU in `examples: |` blocks, stories as steps. It carries
/// the same mistakes, so the same findings.
fn write_yaml_bot(dir: &Path, shape: &Shape) -> usize {
    write(dir, "domain.yml", &yaml_domain(shape));
    let mut mistakes = 0;
    for file in 0..shape.files {
        let (nlu, injected) = yaml_nlu(shape, file);
        mistakes += injected;
        write(dir, &format!("data/nlu_{file:03}.yml"), &nlu);
        let (stories, injected) = yaml_stories(shape, file);
        mistakes += injected;
        write(dir, &format!("data/stories_{file:03}.yml"), &stories);
    }
    mistakes
}

fn yaml_domain(shape: &Shape) -> String {
    let mut out = String::from("version: \"3.1\"\nintents:\n");
    for i in 0..shape.intents {
        let _ = writeln!(out, "  - intent_{i}");
    }
    out.push_str("entities:\n  - city\n  - date\nslots:\n");
    for slot in ["city", "date"] {
        let _ = writeln!(
            out,
            "  {slot}:\n    type: text\n    mappings:\n    - type: from_entity\n      entity: {slot}"
        );
    }
    out.push_str("responses:\n");
    for i in 0..shape.intents {
        let _ = writeln!(
            out,
            "  utter_answer_{i}:\n  - text: Answer {i} for {{city}}"
        );
    }
    out.push_str("forms:\n  booking_form:\n    required_slots:\n    - city\nsession_config:\n  session_expiration_time: 60\n");
    out
}

/// [`nlu`] in YAML: the same examples (a plain one where the Markdown has a comment).
fn yaml_nlu(shape: &Shape, file: usize) -> (String, usize) {
    let mut out = String::from("version: \"3.1\"\nnlu:\n");
    let mut mistakes = 0;
    let section = |out: &mut String, intent: &str| {
        let _ = writeln!(out, "- intent: {intent}\n  examples: |");
    };
    for i in (file..shape.intents).step_by(shape.files) {
        section(&mut out, &format!("intent_{i}"));
        for e in 0..shape.examples {
            let _ = match e % 4 {
                0 => writeln!(out, "    - example {e} of intent {i} in [Berlin](city)"),
                1 => writeln!(
                    out,
                    "    - example {e} of intent {i} on [monday]{{\"entity\": \"date\", \"value\": \"mon\"}}"
                ),
                2 => writeln!(out, "    - example {e} of intent {i}, noted"),
                _ => writeln!(out, "    - plain example {e} of intent {i}"),
            };
        }
        if i % NLU_MISTAKE_EVERY == 0 {
            let _ = writeln!(out, "    - plain example 3 of intent {i}");
            mistakes += 1;
        }
        if i % NLU_MISTAKE_EVERY == NLU_MISTAKE_EVERY / 2 {
            section(&mut out, &format!("undeclared_{i}"));
            let _ = writeln!(
                out,
                "    - first example of undeclared {i}\n    - second example of undeclared {i}"
            );
            mistakes += 1;
        }
    }
    if file == 0 {
        out.push_str("- synonym: New York\n  examples: |\n    - NYC\n    - big apple\n- regex: zipcode\n  examples: |\n    - [0-9]{5}\n- lookup: city\n  examples: |\n    - Berlin\n    - Paris\n");
    }
    (out, mistakes)
}

/// [`stories`] in YAML: the same stories, OR turns as `or:`, forms as `active_loop`.
fn yaml_stories(shape: &Shape, file: usize) -> (String, usize) {
    let mut out = String::from("version: \"3.1\"\nstories:\n");
    let mut mistakes = 0;
    let user = |out: &mut String, intent: &str| {
        let _ = writeln!(out, "  - intent: {intent}");
    };
    let action = |out: &mut String, action: &str| {
        let _ = writeln!(out, "  - action: {action}");
    };
    for s in (file..shape.stories).step_by(shape.files) {
        let (a, b) = (s % shape.intents, (s * 7 + 3) % shape.intents);
        let _ = writeln!(out, "- story: story {s}\n  steps:");
        let _ = writeln!(
            out,
            "  - intent: intent_{a}\n    entities:\n    - city: Berlin\n  - slot_was_set:\n    - city: Berlin"
        );
        action(&mut out, &format!("utter_answer_{a}"));
        match s % 3 {
            0 => {
                let _ = writeln!(
                    out,
                    "  - or:\n    - intent: intent_{b}\n    - intent: intent_{a}"
                );
                action(&mut out, &format!("utter_answer_{b}"));
            }
            1 => {
                user(&mut out, &format!("intent_{b}"));
                action(&mut out, "booking_form");
                let _ = writeln!(out, "  - active_loop: booking_form\n  - active_loop: null");
            }
            _ => {
                let checkpoint = s / 6;
                user(&mut out, &format!("intent_{b}"));
                action(&mut out, &format!("utter_answer_{b}"));
                let _ = writeln!(out, "  - checkpoint: checkpoint_{checkpoint}");
                let _ = writeln!(
                    out,
                    "- story: continue {s}\n  steps:\n  - checkpoint: checkpoint_{checkpoint}"
                );
                user(&mut out, &format!("intent_{a}"));
                action(&mut out, &format!("utter_answer_{a}"));
            }
        }
        if s % STORY_MISTAKE_EVERY == 0 {
            user(&mut out, &format!("intent_{a}"));
            action(&mut out, &format!("utter_missing_{s}"));
            mistakes += 1;
        }
        if s % STORY_MISTAKE_EVERY == STORY_MISTAKE_EVERY / 2 {
            user(&mut out, &format!("intent_{a}"));
            let _ = writeln!(out, "  - slot_was_set:\n    - colour: red");
            action(&mut out, &format!("utter_answer_{a}"));
            mistakes += 1;
        }
    }
    (out, mistakes)
}
