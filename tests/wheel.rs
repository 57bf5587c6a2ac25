//! The Python packaging, tried as a Python user meets it: the wheel behind
//! `pip install rasalint` (built with maturin from `pyproject.toml`) installed into a fresh
//! virtual environment and run, the same wheel run by `uvx` and `pipx run`, and the
//! pre-commit hook of `pre-commit/`, which installs that wheel, under real pre-commit and
//! real prek.
//!
//! The tools these tests drive are not part of a Rust toolchain (maturin, Python's venv and
//! pip, pre-commit, prek, uv, pipx): a test that misses one says `SKIPPED` on stderr and
//! returns, so a bare `cargo test` needs only Rust. `.ci/run` installs them and sets
//! `RASALINT_REQUIRE_TOOLS=1`, under which a missing tool fails the test instead.
//!
//! The wheel is built once per run, into `<target>/wheels/tests/`, and every test installs
//! it from there as a package index would serve it: found by `--find-links`, no index. The
//! hook's own small package is built with setuptools, which pip fetches from the index
//! once into that folder, to be served from there too.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

use common::{note, skipped};

const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Set by `.ci/run`, which installs the tools: a missing one is then a failure.
const REQUIRE_TOOLS: &str = "RASALINT_REQUIRE_TOOLS";

/// The longest a first commit may take while the hook's environment is installed. It takes
/// seconds; the cargo-built hook took 4½ to 6 minutes, which this bound keeps out.
const FIRST_COMMIT_LIMIT: Duration = Duration::from_secs(90);

/// A program a test needs: how to tell it is there (a command that succeeds), and how to
/// get it.
struct Tool {
    name: &'static str,
    probe: &'static [&'static str],
    install: &'static str,
}

const MATURIN: Tool = Tool {
    name: "maturin",
    probe: &["maturin", "--version"],
    install: "pip install maturin",
};
const VENV: Tool = Tool {
    name: "python3 -m venv",
    probe: &["python3", "-c", "import venv, ensurepip"],
    install: "Debian: apt-get install python3-venv",
};
const PIP: Tool = Tool {
    name: "python3 -m pip",
    probe: &["python3", "-m", "pip", "--version"],
    install: "Debian: apt-get install python3-pip",
};
const PRE_COMMIT: Tool = Tool {
    name: "pre-commit",
    probe: &["pre-commit", "--version"],
    install: "pip install pre-commit",
};
const PREK: Tool = Tool {
    name: "prek",
    probe: &["prek", "--version"],
    install: "pip install prek",
};
/// prek installs Python hooks with uv, and would fetch it from the index, which these tests
/// turn off.
const UV: Tool = Tool {
    name: "uv",
    probe: &["uv", "--version"],
    install: "pip install uv",
};
const PIPX: Tool = Tool {
    name: "pipx",
    probe: &["pipx", "--version"],
    install: "pip install pipx",
};

/// Whether every tool of `tools` is there; else says which one is missing (`SKIPPED`), or
/// fails the test when [`REQUIRE_TOOLS`] is set.
fn have(test: &str, tools: &[&Tool]) -> bool {
    for tool in tools {
        let found = Command::new(tool.probe[0])
            .args(&tool.probe[1..])
            .stdin(Stdio::null())
            .output()
            .is_ok_and(|output| output.status.success());
        if !found {
            let why = format!("{} is not found ({})", tool.name, tool.install);
            assert!(
                std::env::var_os(REQUIRE_TOOLS).is_none(),
                "{test}: {why}, and {REQUIRE_TOOLS} says it must be there"
            );
            skipped(
                test,
                &format!("{why}; set {REQUIRE_TOOLS}=1 to make this a failure"),
            );
            return false;
        }
    }
    true
}

/// One tool test at a time: they share the machine's cores, and the times they print should
/// be the tool's, not its neighbours'.
fn serial() -> MutexGuard<'static, ()> {
    static SERIAL: Mutex<()> = Mutex::new(());
    SERIAL
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// rasalint's wheel, built from this checkout.
struct Wheel {
    /// The folder it is in, served to pip and uv with `--find-links`.
    dir: PathBuf,
    file: PathBuf,
}

/// The wheel, built on the first call of the run (a failed build fails every test that
/// asks, with maturin's output).
fn wheel() -> &'static Wheel {
    static BUILT: OnceLock<Result<Wheel, String>> = OnceLock::new();
    match BUILT.get_or_init(build_wheel) {
        Ok(wheel) => wheel,
        Err(why) => panic!("{why}"),
    }
}

/// Builds the wheel with maturin into `<target>/wheels/tests/`, with the cargo profile of
/// the binary these tests were built with, so cargo reuses what it compiled for them. It
/// builds only the binary target again (`src/main.rs`; the library and the dependencies are
/// reused), stripped (`strip = true` in `pyproject.toml`), and that copy stands at
/// `<target>/<profile folder>/rasalint` until the next cargo build: the same program, so the
/// tests run after these are not affected.
fn build_wheel() -> Result<Wheel, String> {
    // The binary is `<target>/<profile folder>/rasalint`; the dev profile's folder is `debug`.
    let profile_dir = Path::new(env!("CARGO_BIN_EXE_rasalint"))
        .parent()
        .ok_or("the binary has no folder")?;
    let target = profile_dir.parent().ok_or("the profile has no folder")?;
    let profile = match profile_dir.file_name().and_then(|name| name.to_str()) {
        Some("debug") => "dev",
        Some(name) => name,
        None => return Err("the profile folder has no name".into()),
    };
    let dir = target.join("wheels").join("tests");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    // A wheel of another build would be found beside the new one.
    for old in rasalint_wheels(&dir) {
        std::fs::remove_file(&old).map_err(|e| format!("{}: {e}", old.display()))?;
    }
    let start = Instant::now();
    let output = Command::new("maturin")
        .args(["build", "--profile", profile, "--out"])
        .arg(&dir)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("maturin: {e}"))?;
    if !output.status.success() {
        return Err(format!("maturin build failed:\n{}", text(&output)));
    }
    note(&format!(
        "wheel built by maturin (cargo profile {profile}) in {:.1} s",
        start.elapsed().as_secs_f64()
    ));
    match rasalint_wheels(&dir).as_slice() {
        [file] => Ok(Wheel {
            file: file.clone(),
            dir,
        }),
        files => Err(format!("maturin built {files:?}, not one rasalint wheel")),
    }
}

/// The `rasalint-*.whl` files of `dir`.
fn rasalint_wheels(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| {
            path.file_name()
                .and_then(|name| name.to_str())
                .is_some_and(|name| name.starts_with("rasalint-") && name.ends_with(".whl"))
        })
        .collect()
}

/// The wheel's folder with the build backend of the hook's own small package (setuptools)
/// beside it: everything the hook's environment installs, as an index would serve it.
/// setuptools is downloaded once and kept there.
fn hook_wheelhouse() -> &'static Path {
    static READY: OnceLock<Result<(), String>> = OnceLock::new();
    let dir = &wheel().dir;
    let ready = READY.get_or_init(|| {
        let present = std::fs::read_dir(dir)
            .map_err(|e| e.to_string())?
            .filter_map(Result::ok)
            .any(|entry| {
                entry
                    .file_name()
                    .to_string_lossy()
                    .starts_with("setuptools-")
            });
        if present {
            return Ok(());
        }
        let output = Command::new("python3")
            .args(["-m", "pip", "download", "--disable-pip-version-check"])
            .args(["--no-deps", "--only-binary=:all:", "--dest"])
            .arg(dir)
            .arg(build_backend())
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("python3 -m pip: {e}"))?;
        if output.status.success() {
            Ok(())
        } else {
            Err(format!("downloading setuptools failed:\n{}", text(&output)))
        }
    });
    if let Err(why) = ready {
        panic!("{why}");
    }
    dir
}

/// The build requirement of the hook's package, as its `pyproject.toml` states it.
fn build_backend() -> String {
    let pyproject = read_toml(&hook_folder().join("pyproject.toml"));
    pyproject["build-system"]["requires"][0]
        .as_str()
        .expect("a build requirement")
        .to_string()
}

fn hook_folder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("pre-commit")
}

fn read_toml(path: &Path) -> toml::Table {
    let text = std::fs::read_to_string(path).expect("a readable TOML file");
    text.parse().expect("valid TOML")
}

/// stdout, then stderr.
fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Runs `command`, which must succeed.
fn ok(command: &mut Command) -> Output {
    let output = command
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("{command:?}: {e}"));
    assert!(output.status.success(), "{command:?}:\n{}", text(&output));
    output
}

/// Writes a small Rasa 3 bot into `dir`: two intents with examples and responses, and a
/// story named `story` whose last step is the action `last_action`. With `utter_goodbye`
/// it has no finding; `action_farewell` is a custom action the domain does not declare
/// (RL109, an error in every Rasa version, as `rasa data validate` has it).
fn write_bot(dir: &Path, story: &str, last_action: &str) {
    std::fs::create_dir_all(dir.join("data")).expect("a bot folder");
    let files = [
        (
            "domain.yml",
            "version: \"3.1\"\nintents:\n  - greet\n  - goodbye\nresponses:\n  utter_greet:\n    - text: \"Hello!\"\n  utter_goodbye:\n    - text: \"Bye!\"\nsession_config:\n  session_expiration_time: 60\n  carry_over_slots_to_new_session: true\n".to_string(),
        ),
        (
            "data/nlu.yml",
            "version: \"3.1\"\nnlu:\n  - intent: greet\n    examples: |\n      - hello\n      - hi\n      - good morning\n  - intent: goodbye\n    examples: |\n      - bye\n      - see you later\n      - good night\n".to_string(),
        ),
        (
            "data/stories.yml",
            format!(
                "version: \"3.1\"\nstories:\n  - story: {story}\n    steps:\n      - intent: greet\n      - action: utter_greet\n      - intent: goodbye\n      - action: {last_action}\n"
            ),
        ),
    ];
    for (name, content) in files {
        std::fs::write(dir.join(name), content).expect("a bot file");
    }
}

/// `rasalint check`, as `rasalint()` starts it, passes a clean bot and fails a broken one,
/// showing the finding.
fn assert_checks_bots(rasalint: &dyn Fn() -> Command) {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let bot = tmp.path();
    write_bot(bot, "greet and leave", "utter_goodbye");
    let clean = rasalint()
        .arg("check")
        .current_dir(bot)
        .stdin(Stdio::null())
        .output()
        .expect("rasalint runs");
    assert_eq!(clean.status.code(), Some(0), "{}", text(&clean));
    write_bot(bot, "greet and leave", "action_farewell");
    let broken = rasalint()
        .arg("check")
        .current_dir(bot)
        .stdin(Stdio::null())
        .output()
        .expect("rasalint runs");
    assert_eq!(broken.status.code(), Some(1), "{}", text(&broken));
    let shown = text(&broken);
    assert!(
        shown.contains("RL109") && shown.contains("action_farewell"),
        "{shown}"
    );
}

#[test]
fn the_wheel_puts_a_working_rasalint_command_in_a_fresh_virtual_environment() {
    const TEST: &str = "the_wheel_puts_a_working_rasalint_command_in_a_fresh_virtual_environment";
    if !have(TEST, &[&MATURIN, &VENV]) {
        return;
    }
    let _serial = serial();
    let wheel = wheel();
    // Cargo.toml's version, and a wheel for any Python 3 (it holds no Python code).
    let name = wheel.file.file_name().expect("a name").to_string_lossy();
    assert!(
        name.starts_with(&format!("rasalint-{VERSION}-py3-none-")),
        "{name}"
    );
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let venv = tmp.path().join("venv");
    ok(Command::new("python3").args(["-m", "venv"]).arg(&venv));
    let start = Instant::now();
    ok(Command::new(venv.join("bin/python"))
        .args(["-m", "pip", "install", "--disable-pip-version-check"])
        .args(["--no-index", "--find-links"])
        .arg(&wheel.dir)
        .arg("rasalint")
        .env("PIP_CACHE_DIR", tmp.path().join("pip-cache")));
    note(&format!(
        "pip installed the wheel in {:.1} s",
        start.elapsed().as_secs_f64()
    ));
    // The command lands in the environment's `bin`, the folder activating it puts on the
    // PATH, as a program of its own: no Python runs it.
    let rasalint = venv.join("bin/rasalint");
    let version = ok(Command::new(&rasalint).arg("--version"));
    assert_eq!(
        String::from_utf8_lossy(&version.stdout),
        format!("rasalint {VERSION}\n")
    );
    assert_checks_bots(&|| Command::new(&rasalint));
}

/// `tool` runs the wheel without installing it (`uvx rasalint`, `pipx run rasalint`), with
/// the command `runner` makes from the wheel and a scratch folder for its caches.
fn try_runner(test: &str, tool: &Tool, runner: fn(&Wheel, &Path) -> Command) {
    if !have(test, &[&MATURIN, tool]) {
        return;
    }
    let _serial = serial();
    let wheel = wheel();
    let tmp = tempfile::tempdir().expect("a temporary folder");
    assert_checks_bots(&|| runner(wheel, tmp.path()));
}

#[test]
fn uvx_runs_the_wheel() {
    try_runner("uvx_runs_the_wheel", &UV, |wheel, scratch| {
        let mut uvx = Command::new("uv");
        uvx.args(["tool", "run", "--no-index", "--find-links"])
            .arg(&wheel.dir)
            .arg("rasalint")
            .env("UV_CACHE_DIR", scratch.join("uv-cache"))
            .env("UV_PYTHON_DOWNLOADS", "never");
        uvx
    });
}

#[test]
fn pipx_runs_the_wheel() {
    try_runner("pipx_runs_the_wheel", &PIPX, |wheel, scratch| {
        let mut pipx = Command::new("pipx");
        pipx.args(["run", "--spec"])
            .arg(&wheel.file)
            .arg("rasalint")
            .env("PIPX_HOME", scratch.join("pipx"))
            .env("PIP_NO_INDEX", "1")
            .env("PIP_FIND_LINKS", &wheel.dir);
        pipx
    });
}

/// A hook manager: pre-commit or prek.
struct Manager {
    program: &'static str,
    /// The variable naming its cache of hook repositories and environments.
    home: &'static str,
}

/// Tries the pip-installed hook as a user of `manager` meets it: a repository holding a
/// bot, whose `.pre-commit-config.yaml` names the hook repository (a git copy of
/// `pre-commit/`, tagged as a release is); the first commit installs the hook's environment
/// in seconds and passes, a commit that breaks the bot is refused with the finding shown,
/// and the commit that mends it passes.
fn try_the_hook(manager: &Manager) {
    let _serial = serial();
    let wheels = hook_wheelhouse();
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let environment = |command: &mut Command| {
        command
            .env(manager.home, tmp.path().join("hook-cache"))
            // The wheel from the local folder, nothing from an index.
            .env("PIP_FIND_LINKS", wheels)
            .env("PIP_NO_INDEX", "1")
            .env("UV_FIND_LINKS", wheels)
            .env("UV_NO_INDEX", "1")
            .env("UV_PYTHON_DOWNLOADS", "never")
            // An empty cache, as on a user's first commit.
            .env("PIP_CACHE_DIR", tmp.path().join("pip-cache"))
            .env("UV_CACHE_DIR", tmp.path().join("uv-cache"))
            // No setting of this machine's user (a hooks path, signing) reaches git.
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "rasalint tests")
            .env("GIT_AUTHOR_EMAIL", "tests@rasalint.invalid")
            .env("GIT_COMMITTER_NAME", "rasalint tests")
            .env("GIT_COMMITTER_EMAIL", "tests@rasalint.invalid");
    };
    let git = |dir: &Path, args: &[&str]| {
        let mut command = Command::new("git");
        command.args(args).current_dir(dir).stdin(Stdio::null());
        environment(&mut command);
        command.output().expect("git runs")
    };
    let must = |output: Output| {
        assert!(output.status.success(), "{}", text(&output));
        output
    };

    // The hook repository, as published from `pre-commit/`.
    let hooks = tmp.path().join("rasalint-pre-commit");
    std::fs::create_dir(&hooks).expect("a folder");
    for entry in std::fs::read_dir(hook_folder()).expect("pre-commit/") {
        let path = entry.expect("an entry").path();
        if path.is_file() {
            std::fs::copy(&path, hooks.join(path.file_name().expect("a name"))).expect("copied");
        }
    }
    let tag = format!("v{VERSION}");
    must(git(&hooks, &["init", "-q"]));
    must(git(&hooks, &["add", "-A"]));
    must(git(&hooks, &["commit", "-q", "-m", "hook"]));
    must(git(&hooks, &["tag", &tag]));

    // The user's repository: a bot, and the configuration naming the hook.
    let repo = tmp.path().join("bot");
    write_bot(&repo, "greet and leave", "utter_goodbye");
    std::fs::write(
        repo.join(".pre-commit-config.yaml"),
        format!(
            "repos:\n  - repo: '{}'\n    rev: {tag}\n    hooks:\n      - id: rasalint\n",
            hooks.display()
        ),
    )
    .expect("the configuration");
    must(git(&repo, &["init", "-q"]));
    let mut install = Command::new(manager.program);
    install.arg("install").current_dir(&repo);
    environment(&mut install);
    ok(&mut install);
    let commits = |expected: &str| {
        let count = must(git(&repo, &["rev-list", "--count", "HEAD"]));
        assert_eq!(String::from_utf8_lossy(&count.stdout).trim(), expected);
    };

    must(git(&repo, &["add", "-A"]));
    let start = Instant::now();
    let first = git(&repo, &["commit", "-m", "a clean bot"]);
    let took = start.elapsed();
    assert!(first.status.success(), "{}", text(&first));
    assert!(text(&first).contains("Passed"), "{}", text(&first));
    note(&format!(
        "{}: first commit, the hook's environment installed, in {:.1} s",
        manager.program,
        took.as_secs_f64()
    ));
    assert!(
        took < FIRST_COMMIT_LIMIT,
        "{}: the first commit took {took:?}",
        manager.program
    );
    commits("1");

    write_bot(&repo, "greet and say farewell", "action_farewell");
    must(git(&repo, &["add", "-A"]));
    let blocked = git(&repo, &["commit", "-m", "a broken bot"]);
    let shown = text(&blocked);
    assert!(!blocked.status.success(), "{shown}");
    assert!(shown.contains("Failed"), "{shown}");
    assert!(
        shown.contains("RL109") && shown.contains("action_farewell"),
        "{shown}"
    );
    commits("1");

    write_bot(&repo, "greet and say farewell", "utter_goodbye");
    must(git(&repo, &["add", "-A"]));
    let mended = git(&repo, &["commit", "-m", "the bot mended"]);
    assert!(mended.status.success(), "{}", text(&mended));
    assert!(text(&mended).contains("Passed"), "{}", text(&mended));
    commits("2");
}

#[test]
fn the_pip_hook_under_pre_commit_installs_in_seconds_and_blocks_a_broken_bot() {
    const TEST: &str = "the_pip_hook_under_pre_commit_installs_in_seconds_and_blocks_a_broken_bot";
    if !have(TEST, &[&MATURIN, &PIP, &PRE_COMMIT]) {
        return;
    }
    try_the_hook(&Manager {
        program: "pre-commit",
        home: "PRE_COMMIT_HOME",
    });
}

#[test]
fn the_pip_hook_under_prek_installs_in_seconds_and_blocks_a_broken_bot() {
    const TEST: &str = "the_pip_hook_under_prek_installs_in_seconds_and_blocks_a_broken_bot";
    if !have(TEST, &[&MATURIN, &PIP, &PREK, &UV]) {
        return;
    }
    try_the_hook(&Manager {
        program: "prek",
        home: "PREK_HOME",
    });
}

#[test]
fn the_pip_hook_pins_this_version_of_the_wheel() {
    // Both versions of the hook's package are the crate's (the version of a release is set
    // in Cargo.toml, which maturin reads).
    let pyproject = read_toml(&hook_folder().join("pyproject.toml"));
    let project = &pyproject["project"];
    assert_eq!(project["version"].as_str(), Some(VERSION));
    let dependencies: Vec<&str> = project["dependencies"]
        .as_array()
        .expect("dependencies")
        .iter()
        .filter_map(|d| d.as_str())
        .collect();
    assert_eq!(dependencies, [format!("rasalint=={VERSION}")]);

    let hooks = common::hooks(&hook_folder());
    let [hook] = hooks.as_slice() else {
        panic!("one hook in pre-commit/.pre-commit-hooks.yaml");
    };
    assert_eq!(hook.id, "rasalint");
    assert_eq!(hook.language, "python");
    assert_eq!(hook.entry, "rasalint check");
    // The rules compare files with each other: the hook checks the whole bot.
    assert!(!hook.pass_filenames);
    assert_eq!(hook.types_or, ["markdown", "yaml"]);
}

#[test]
fn the_python_package_takes_its_version_from_cargo_and_ships_the_binary() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("pyproject.toml");
    let pyproject = read_toml(&path);
    let project = &pyproject["project"];
    assert_eq!(project["name"].as_str(), Some(env!("CARGO_PKG_NAME")));
    // No version of its own: maturin fills in Cargo.toml's.
    assert!(project.get("version").is_none());
    assert!(
        project["dynamic"]
            .as_array()
            .expect("dynamic")
            .iter()
            .any(|field| field.as_str() == Some("version"))
    );
    assert_eq!(
        pyproject["tool"]["maturin"]["bindings"].as_str(),
        Some("bin")
    );
    // The repository's own pyproject.toml is not a rasalint configuration: rasalint reads a
    // pyproject.toml that mentions its table as one.
    let text = std::fs::read_to_string(&path).expect("pyproject.toml");
    assert!(!text.contains("[tool.rasalint"));
}
