//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

pub mod story_paths;

use rasalint::cli::render::{GraphicalStyle, graphical};
use rasalint::layout::{LayoutOptions, resolve};
use rasalint::selection::Selection;
use rasalint::settings::Settings;

/// Runs the rasalint binary in `cwd` (with `NO_COLOR` unset, so colour follows the flags).
pub fn rasalint(cwd: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_rasalint"))
        .args(args)
        .current_dir(cwd)
        .env_remove("NO_COLOR")
        .output()
        .expect("rasalint runs")
}

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// Checks the bot in `dir` with only the rules `select` names.
pub fn check_bot(dir: &Path, select: &[&str]) -> rasalint::Report {
    let options = LayoutOptions {
        paths: vec![dir.to_path_buf()],
        ..LayoutOptions::default()
    };
    let layout = resolve(&options, dir).expect("fixture layout resolves");
    let settings = Settings {
        selection: Selection {
            select: Some(select.iter().map(|s| s.to_string()).collect()),
            ..Selection::default()
        },
        ..Settings::default()
    };
    rasalint::check(&layout, &settings)
}

/// The report as users see it: graphical, no colour, 80 columns, relative paths.
pub fn render(report: &rasalint::Report) -> String {
    let style = GraphicalStyle {
        color: false,
        unicode: true,
        width: 80,
    };
    graphical(&report.findings, &report.project.files, &style)
}

/// Sub-folders of `dir`, sorted.
pub fn subdirs(dir: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    dirs.sort();
    dirs
}

/// A small xorshift generator: random cases that are the same on every machine.
pub struct Random(pub u64);

impl Random {
    pub fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

/// Every Markdown and YAML file of the fixtures, in a fixed order.
pub fn fixture_files() -> Vec<PathBuf> {
    walkdir::WalkDir::new(fixtures())
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .map(walkdir::DirEntry::into_path)
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e == "md" || e == "yml" || e == "yaml")
        })
        .collect()
}

/// The variable under which a missing `../shared` fails the tests that need it instead of
/// skipping them: `.ci/run` sets it, as CI always has `../shared` beside the project.
pub const REQUIRE_SHARED: &str = "RASALINT_REQUIRE_SHARED";

/// `../shared/<part>` (the Rasa spec and real bots some tests compare with), or `None`
/// when it is not beside the project, as in a bare clone; `cargo test` then shows which
/// test skipped what, and why (see [`skipped`]).
pub fn shared(test: &str, part: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(part);
    if path.exists() {
        return Some(path);
    }
    let reason = format!("{} is not beside the project", path.display());
    assert!(
        std::env::var_os(REQUIRE_SHARED).is_none(),
        "{test}: {reason}, and {REQUIRE_SHARED} says it must be"
    );
    skipped(
        test,
        &format!("{reason} (set {REQUIRE_SHARED}=1 to make this a failure)"),
    );
    None
}

/// Says on stderr that `test` checked nothing, and why: straight to stderr, as the harness
/// hides what `eprintln!` prints in a passing test, in one write starting on a line of
/// its own, as the harness's lines are written meanwhile.
pub fn skipped(test: &str, why: &str) {
    note(&format!("SKIPPED {test}: {why}"));
}

/// Writes `line` to stderr where a passing test's output is seen (a measured time), as
/// [`skipped`] does.
pub fn note(line: &str) {
    use std::io::Write;
    let message = format!("\n{line}\n");
    let _ = std::io::stderr().write_all(message.as_bytes());
}

/// One hook of a `.pre-commit-hooks.yaml`, the fields rasalint's hooks rely on.
pub struct Hook {
    pub id: String,
    pub entry: String,
    pub language: String,
    pub pass_filenames: bool,
    pub types_or: Vec<String>,
}

/// The hooks of the hook repository at `root` (its `.pre-commit-hooks.yaml`).
pub fn hooks(root: &Path) -> Vec<Hook> {
    let text =
        std::fs::read_to_string(root.join(".pre-commit-hooks.yaml")).expect("the hooks manifest");
    let manifest = rasalint::yaml::parse(&text).expect("valid hooks YAML");
    let field = |hook: &rasalint::yaml::Node, key: &str| {
        let value = hook
            .get(key)
            .unwrap_or_else(|| panic!("a hook without `{key}`"));
        value.as_str().map(str::to_owned).unwrap_or_default()
    };
    let hooks = manifest.as_seq().expect("a list of hooks");
    hooks
        .iter()
        .map(|hook| Hook {
            id: field(hook, "id"),
            entry: field(hook, "entry"),
            language: field(hook, "language"),
            pass_filenames: hook.get("pass_filenames").and_then(|v| v.as_bool()) == Some(true),
            types_or: hook
                .get("types_or")
                .and_then(|v| v.as_seq())
                .expect("types_or")
                .iter()
                .filter_map(|t| t.as_str().map(str::to_owned))
                .collect(),
        })
        .collect()
}

/// `rasalint server` started with piped stdin and stdout: its process, its stdin, and the
/// messages it writes, parsed as they come by a thread of their own.
pub fn start_server() -> (
    std::process::Child,
    std::process::ChildStdin,
    std::sync::mpsc::Receiver<serde_json::Value>,
) {
    start_server_with(&[])
}

/// [`start_server`] with more arguments after `server`.
pub fn start_server_with(
    args: &[&str],
) -> (
    std::process::Child,
    std::process::ChildStdin,
    std::sync::mpsc::Receiver<serde_json::Value>,
) {
    use std::process::Stdio;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_rasalint"))
        .arg("server")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("the server starts");
    let stdin = child.stdin.take().expect("stdin");
    let stdout = child.stdout.take().expect("stdout");
    let (sender, messages) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut reader = std::io::BufReader::new(stdout);
        while let Some(message) = read_message(&mut reader) {
            if sender.send(message).is_err() {
                break;
            }
        }
    });
    (child, stdin, messages)
}

/// The next LSP message on `reader` (a language server's stdout), or `None` at its end.
fn read_message(reader: &mut impl std::io::BufRead) -> Option<serde_json::Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(n) = line.strip_prefix("Content-Length: ") {
            length = n.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

/// A value as text with the keys of every object sorted (the two dumps order keys
/// differently).
pub fn canonical(value: &serde_json::Value) -> String {
    fn sorted(value: &serde_json::Value) -> serde_json::Value {
        match value {
            serde_json::Value::Object(map) => {
                let sorted: std::collections::BTreeMap<&String, serde_json::Value> =
                    map.iter().map(|(k, v)| (k, sorted(v))).collect();
                serde_json::json!(sorted)
            }
            serde_json::Value::Array(items) => {
                serde_json::Value::Array(items.iter().map(sorted).collect())
            }
            other => other.clone(),
        }
    }
    sorted(value).to_string()
}
