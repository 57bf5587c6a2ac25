//! A catalogue of hostile inputs: bytes that are not UTF-8, other encodings, odd line
//! ends, huge lines and files, deep nesting, YAML bombs, duplicate keys, special files, odd
//! file names, numbers out of every range, empty files and files of the wrong shape. Each
//! case writes a small bot into a temporary folder and runs the binary on it, with an
//! address-space limit and a wall-clock limit, and asserts
//!
//! * the finding that says what is wrong and where, or a clear exit-2 message (never a
//!   panic, an abort, a hang or a blow-up),
//! * and that the run wrote nothing: every file of the bot byte-identical, nothing added.
//!
//! Covered elsewhere, and not repeated here:
//! * `tests/special_files.rs`: a pipe named `config.yml`, `config.yml` linked to
//!   `/dev/zero` (and `--config /dev/zero`), a pipe, a socket and a dangling link among the
//!   data, a 4 GiB file, `--data` up to `/` and a link to `/`, a folder link loop, an
//!   unlistable folder, `--fix` through a link out of the repository.
//! * `tests/cli.rs`: CRLF and lone-CR files under `--fix`, `--threads 5000`, a 4 GiB file,
//!   unwritable reports, XML-illegal characters in JUnit.
//! * `tests/suppress.rs`: `max-history = 0` and other options out of range in
//!   `rasalint.toml`.
//! * `tests/story_conflicts.rs`: a `max_history` of 2^40 in `config.yml` and a huge
//!   `--max-history` (RL301's budgets).
//! * `tests/server_transport.rs`: the language server's malformed messages, absurd
//!   `Content-Length`s, a pipe named `config.yml`.
//! * `tests/no_panic.rs`: random mangled fixture lines, checked with every rule.
#![cfg(unix)]

mod common;

use std::collections::BTreeMap;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The address space a run may take: far more than any case needs (the largest take
/// about 250 MB), far less than a file read without end or an expansion without bound.
const MEMORY_LIMIT: u64 = 1 << 30;

/// The time a run may take: the slowest case takes about 10 s in a debug build on a busy
/// machine; a hang or a quadratic blow-up on these inputs takes minutes.
const TIME_LIMIT: Duration = Duration::from_secs(90);

/// A bot in a temporary folder, with a `.git` so that it is a repository of its own.
struct Bot(tempfile::TempDir);

const DOMAIN: &str = "intents:\n  - greet\nresponses:\n  utter_greet:\n  - text: Hi\n";

impl Bot {
    /// The small bot every case starts from (clean: no findings), with `files` written
    /// over it.
    fn with(files: &[(&str, &[u8])]) -> Bot {
        let bot = Bot(tempfile::tempdir().expect("a temporary folder"));
        std::fs::create_dir(bot.path().join(".git")).expect(".git");
        let base: [(&str, &[u8]); 3] = [
            ("domain.yml", DOMAIN.as_bytes()),
            ("data/nlu.md", b"## intent:greet\n- hi\n- hello\n"),
            ("data/stories.md", b"## s\n* greet\n  - utter_greet\n"),
        ];
        for (path, bytes) in base.iter().chain(files) {
            bot.write(path, bytes);
        }
        bot
    }

    fn path(&self) -> &Path {
        self.0.path()
    }

    fn write(&self, path: &str, bytes: &[u8]) {
        let path = self.path().join(path);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("folders");
        std::fs::write(path, bytes).expect("a file written");
    }

    fn symlink(&self, target: &str, link: &str) {
        let link = self.path().join(link);
        let _ = std::fs::remove_file(&link);
        std::os::unix::fs::symlink(target, link).expect("a link");
    }

    fn mkfifo(&self, path: &str) {
        let path = self.path().join(path);
        let _ = std::fs::remove_file(&path);
        let status = Command::new("mkfifo").arg(&path).status();
        assert!(status.expect("mkfifo runs").success(), "mkfifo");
    }

    /// Runs `rasalint check --output-format concise` and `args` in the bot, and asserts
    /// that the run kept to its bounds, ended by itself and left the bot as it was.
    fn check(&self, args: &[&str]) -> Run {
        let mut all = vec!["check", "--output-format", "concise"];
        all.extend(args);
        self.run(&all)
    }

    fn run(&self, args: &[&str]) -> Run {
        let before = snapshot(self.path());
        let run = run_bounded(self.path(), args);
        assert_eq!(
            snapshot(self.path()),
            before,
            "rasalint {args:?} changed the bot's files"
        );
        run
    }
}

/// What a run printed, and how it ended.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Run {
    /// Asserts the exit status and that `needle` is on stdout (the findings).
    fn finds(&self, code: i32, needle: &str) -> &Self {
        assert!(self.stdout.contains(needle), "{needle}\nnot in:\n{self}");
        self.exits(code)
    }

    /// Asserts the exit status and that `needle` is on stderr (messages).
    fn says(&self, code: i32, needle: &str) -> &Self {
        assert!(self.stderr.contains(needle), "{needle}\nnot in:\n{self}");
        self.exits(code)
    }

    fn exits(&self, code: i32) -> &Self {
        assert_eq!(self.code, Some(code), "{self}");
        self
    }

    /// How many findings (lines of the concise format) the run printed.
    fn findings(&self) -> usize {
        self.stdout.lines().count()
    }
}

impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let cut = |s: &str| s.chars().take(3000).collect::<String>();
        let (out, err) = (cut(&self.stdout), cut(&self.stderr));
        write!(
            f,
            "exit {:?}\n--- stdout\n{out}\n--- stderr\n{err}",
            self.code
        )
    }
}

/// Runs the binary in `cwd` with [`MEMORY_LIMIT`] of address space, killed (and the test
/// failed) past [`TIME_LIMIT`]; fails the test when it panicked or was killed by a signal
/// (an abort, a stack overflow, memory exhausted).
fn run_bounded(cwd: &Path, args: &[&str]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_rasalint"));
    command
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let limit = libc::rlimit {
        rlim_cur: MEMORY_LIMIT,
        rlim_max: MEMORY_LIMIT,
    };
    // SAFETY: setrlimit is async-signal-safe, and nothing else runs between fork and exec.
    unsafe {
        command.pre_exec(move || {
            if libc::setrlimit(libc::RLIMIT_AS, &limit) == 0 {
                Ok(())
            } else {
                Err(std::io::Error::last_os_error())
            }
        });
    }
    let mut child = command.spawn().expect("rasalint starts");
    // Read while it runs: a full pipe would block it, and look like a hang.
    let stdout = drain(child.stdout.take().expect("stdout"));
    let stderr = drain(child.stderr.take().expect("stderr"));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("rasalint can be waited for") {
            break status;
        }
        if started.elapsed() > TIME_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("rasalint {args:?} did not finish within {TIME_LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let run = Run {
        code: status.code(),
        stdout: stdout.join().expect("stdout read"),
        stderr: stderr.join().expect("stderr read"),
    };
    assert!(
        run.code.is_some_and(|c| c != 101),
        "rasalint {args:?} panicked or was killed ({status})\n{run}"
    );
    run
}

fn drain(mut stream: impl std::io::Read + Send + 'static) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = stream.read_to_end(&mut bytes);
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

/// One entry of a folder, as a run must leave it.
#[derive(Debug, PartialEq, Eq)]
enum Entry {
    File(Vec<u8>, Option<std::time::SystemTime>),
    Link(PathBuf),
    Folder,
    /// A pipe, a socket or a device: not opened (a pipe would block).
    Special,
}

/// Every entry under `dir`, links not followed, by its path's bytes.
fn snapshot(dir: &Path) -> BTreeMap<Vec<u8>, Entry> {
    let mut entries = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder).expect("the bot's folder is listed") {
            let path = entry.expect("an entry").path();
            let meta = std::fs::symlink_metadata(&path).expect("an entry's metadata");
            let kind = meta.file_type();
            let value = if kind.is_symlink() {
                Entry::Link(std::fs::read_link(&path).expect("a link"))
            } else if kind.is_dir() {
                pending.push(path.clone());
                Entry::Folder
            } else if kind.is_file() {
                let bytes = std::fs::read(&path).unwrap_or_default();
                Entry::File(bytes, meta.modified().ok())
            } else {
                Entry::Special
            };
            entries.insert(path.as_os_str().as_bytes().to_vec(), value);
        }
    }
    entries
}

// ---------------------------------------------------------------------------------------
// Encodings

#[test]
fn invalid_utf8_in_an_example_is_reported_at_its_byte() {
    let bot = Bot::with(&[("data/nlu.md", b"## intent:greet\n- hi \xff\xfe there\n")]);
    bot.check(&[]).finds(
        1,
        "data/nlu.md:2:6: error[RL001] this file is not UTF-8: byte 0xFF at offset 21 is not valid",
    );
}

#[test]
fn invalid_utf8_in_config_yml_is_reported_at_its_byte() {
    let bot = Bot::with(&[("config.yml", b"language: en\xc3\x28\n")]);
    bot.check(&[]).finds(
        1,
        "config.yml:1:13: error[RL001] this file is not UTF-8: byte 0xC3 at offset 12",
    );
}

#[test]
fn invalid_utf8_in_rasalint_toml_stops_the_run_naming_the_byte() {
    let bot = Bot::with(&[("rasalint.toml", b"select = [\"RL1\xff\"]\n")]);
    let run = bot.check(&[]);
    run.says(2, "rasalint.toml: invalid utf-8 sequence of 1");
    run.says(2, "bytes from index 14");
}

#[test]
fn a_byte_order_mark_before_the_domain_is_read_past() {
    // The domain is read (`bye` has no examples), not refused.
    let domain = format!("\u{feff}{DOMAIN}").replace("  - greet\n", "  - greet\n  - bye\n");
    let bot = Bot::with(&[("domain.yml", domain.as_bytes())]);
    bot.check(&[])
        .finds(0, "domain.yml:3:5: warning[RL102] intent `bye`");
}

#[test]
fn a_byte_order_mark_before_an_nlu_header_is_read_past_as_rasa_does() {
    let bot = Bot::with(&[(
        "data/nlu.md",
        "\u{feff}## intent:greet\n- hi\n- hi\n".as_bytes(),
    )]);
    bot.check(&[]).finds(
        0,
        "data/nlu.md:3:3: warning[RL202] `hi` is already an example",
    );
}

#[test]
fn a_byte_order_mark_before_a_story_header_hides_it_as_it_does_from_rasa() {
    let bot = Bot::with(&[(
        "data/stories.md",
        "\u{feff}## s\n* greet\n  - utter_greet\n".as_bytes(),
    )]);
    let run = bot.check(&[]);
    run.finds(1, "data/stories.md:1:1: error[RL006] Rasa skips this line");
    run.finds(
        1,
        "data/stories.md:2:1: error[RL006] this user turn comes before the first story header",
    );
}

/// `text` in UTF-16, little- or big-endian, with its byte-order mark.
fn utf16(text: &str, little: bool) -> Vec<u8> {
    let mark: u16 = 0xfeff;
    std::iter::once(mark)
        .chain(text.encode_utf16())
        .flat_map(|unit| {
            if little {
                unit.to_le_bytes()
            } else {
                unit.to_be_bytes()
            }
        })
        .collect()
}

#[test]
fn utf16_le_training_data_is_reported_as_not_utf8() {
    let nlu = utf16("## intent:greet\n- hi\n- hello\n", true);
    let bot = Bot::with(&[("data/nlu.md", &nlu)]);
    bot.check(&[]).finds(
        1,
        "data/nlu.md:1:1: error[RL001] this file is not UTF-8: byte 0xFF at offset 0",
    );
}

#[test]
fn a_utf16_be_domain_is_reported_as_not_utf8() {
    let domain = utf16(DOMAIN, false);
    let bot = Bot::with(&[("domain.yml", &domain)]);
    bot.check(&[]).finds(
        1,
        "domain.yml:1:1: error[RL001] this file is not UTF-8: byte 0xFE at offset 0",
    );
}

#[test]
fn a_utf16_rasalint_toml_stops_the_run() {
    let toml = utf16("select = [\"RL1\"]\n", false);
    let bot = Bot::with(&[("rasalint.toml", &toml)]);
    let run = bot.check(&[]);
    run.says(2, "rasalint.toml: invalid utf-8 sequence of 1");
    run.says(2, "bytes from index 0");
}

// ---------------------------------------------------------------------------------------
// Line ends and NUL

#[test]
fn a_crlf_domain_is_read_and_its_line_ends_reported() {
    let domain = DOMAIN.replace('\n', "\r\n");
    let bot = Bot::with(&[("domain.yml", domain.as_bytes())]);
    let run = bot.check(&[]);
    run.finds(
        0,
        "domain.yml:1:9: warning[RL506] Windows (CRLF) line endings",
    );
    assert_eq!(run.findings(), 1, "{run}");
}

#[test]
fn lone_cr_line_ends_split_a_story_as_rasa_splits_it() {
    let stories = "## s\r* greet\r  - utter_greet\r\r## t\r* bye\r  - utter_greet\r";
    let bot = Bot::with(&[("data/stories.md", stories.as_bytes())]);
    bot.check(&[]).finds(
        1,
        "data/stories.md:6:3: error[RL103] intent `bye` is not in the domain",
    );
}

#[test]
fn a_nul_byte_in_an_example_is_text_as_in_python() {
    let nlu = "## intent:greet\n- hi\0there\n- hello\n\n## intent:bye\n- hi\0there\n";
    let bot = Bot::with(&[("data/nlu.md", nlu.as_bytes())]);
    // Shown escaped: a NUL on a terminal would hide the rest of the line.
    bot.check(&[]).finds(
        1,
        "data/nlu.md:6:3: warning[RL201] `hi\\u{0}there` is an example of both",
    );
}

#[test]
fn a_nul_byte_in_the_domain_is_a_yaml_error_at_its_place() {
    let bot = Bot::with(&[("domain.yml", b"intents:\n  - gre\0et\n")]);
    bot.check(&[]).finds(
        1,
        "domain.yml:2:8: error[RL002] domain.yml is not valid YAML: unexpected character",
    );
}

#[test]
fn a_nul_byte_in_rasalint_toml_stops_the_run_at_its_place() {
    let bot = Bot::with(&[("rasalint.toml", b"select = [\"RL1\"]\0\n")]);
    bot.check(&[]).says(2, "rasalint.toml:1:17");
}

// ---------------------------------------------------------------------------------------
// Size

#[test]
fn a_50_mb_line_of_json_in_a_story_is_read() {
    let mut stories = String::with_capacity(50_000_100);
    stories.push_str("## s\n* greet{\"x\": \"");
    stories.push_str(&"a".repeat(50_000_000));
    stories.push_str("\"}\n  - utter_greet\n");
    let bot = Bot::with(&[("data/stories.md", stories.as_bytes())]);
    bot.check(&[]).finds(
        1,
        "data/stories.md:2:10: error[RL112] entity `x` is not in the domain",
    );
}

#[test]
fn a_finding_far_into_a_long_line_is_drawn_in_the_default_format() {
    let nlu = format!("## intent:greet\n- hi\n- {} \n", "a".repeat(200_000));
    let bot = Bot::with(&[("data/nlu.md", nlu.as_bytes())]);
    let run = bot.run(&["check", "--color", "never"]);
    run.finds(0, "warning[RL501]: trailing whitespace");
    run.finds(0, "data/nlu.md:3:200003");
    assert!(
        run.stdout.len() < 20_000,
        "the line is shown in part: {run}"
    );
}

#[test]
fn a_million_lines_are_read_to_the_end() {
    let nlu = format!("## intent:greet\n- hi\n{}- hi\n", "\n".repeat(1_000_000));
    let bot = Bot::with(&[("data/nlu.md", nlu.as_bytes())]);
    bot.check(&[]).finds(
        0,
        "data/nlu.md:1000003:3: warning[RL202] `hi` is already an example",
    );
}

// ---------------------------------------------------------------------------------------
// Nesting

#[test]
fn deep_json_in_a_story_turn_is_invalid_json_at_the_turn() {
    let stories = format!(
        "## s\n* greet{}1{}\n  - utter_greet\n",
        "{\"a\":".repeat(100_000),
        "}".repeat(100_000)
    );
    let bot = Bot::with(&[("data/stories.md", stories.as_bytes())]);
    bot.check(&[]).finds(
        1,
        "data/stories.md:2:8: error[RL007] the entities are not one JSON object: recursion limit exceeded",
    );
}

#[test]
fn deep_json_in_an_nlu_annotation_is_a_malformed_annotation() {
    let nlu = format!(
        "## intent:greet\n- hi\n- [x]{{\"entity\": \"e\", \"value\": {}{}}}\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let bot = Bot::with(&[("data/nlu.md", nlu.as_bytes())]);
    bot.check(&[]).finds(
        1,
        "data/nlu.md:3:3: error[RL005] entity annotation is not valid: invalid JSON: recursion limit exceeded",
    );
}

#[test]
fn deep_flow_yaml_in_the_domain_is_a_yaml_error() {
    let domain = format!("intents: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
    let bot = Bot::with(&[("domain.yml", domain.as_bytes())]);
    bot.check(&[]).finds(
        1,
        "error[RL002] domain.yml is not valid YAML: YAML nested more than 255 collections deep: rasalint stops reading it here",
    );
}

#[test]
fn deep_block_yaml_in_the_domain_is_a_yaml_error() {
    let nested: String = (0..5_000)
        .map(|i| format!("{}- \n", " ".repeat(i)))
        .collect();
    let domain = format!("intents:\n{nested}");
    let bot = Bot::with(&[("domain.yml", domain.as_bytes())]);
    bot.check(&[])
        .finds(1, "domain.yml:256:255: error[RL002] domain.yml is not valid YAML: YAML nested more than 255 collections deep: rasalint stops reading it here");
}

#[test]
fn deep_flow_mappings_in_config_yml_are_a_yaml_error() {
    let config = format!(
        "policies: {}1{}\n",
        "{a: ".repeat(100_000),
        "}".repeat(100_000)
    );
    let bot = Bot::with(&[("config.yml", config.as_bytes())]);
    bot.check(&[])
        .finds(1, "config.yml:1:1031: error[RL002] config.yml is not valid YAML: YAML nested more than 255 collections deep: rasalint stops reading it here");
}

#[test]
fn a_slot_value_nested_60_deep_is_read() {
    let value = format!("{}{}", "[".repeat(60), "]".repeat(60));
    let domain = format!("{DOMAIN}slots:\n  s:\n    type: any\n    initial_value: {value}\n");
    let bot = Bot::with(&[("domain.yml", domain.as_bytes())]);
    // Read: the slot is declared, so a story setting it is fine, and one setting
    // another is not.
    let stories = "## s\n* greet\n  - slot{\"s\": 1}\n  - slot{\"t\": 1}\n  - utter_greet\n";
    bot.write("data/stories.md", stories.as_bytes());
    let run = bot.check(&[]);
    run.finds(
        1,
        "data/stories.md:4:11: error[RL111] slot `t` is not in the domain",
    );
    assert_eq!(run.findings(), 1, "{run}");
}

// ---------------------------------------------------------------------------------------
// YAML anchors and duplicate keys

/// Ten levels of anchors, each a list of nine aliases to the one before: 9^10 nodes
/// when expanded, 400 bytes written.
fn anchors_bomb() -> String {
    let mut text = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for level in 1..10 {
        let aliases = vec![format!("*a{}", level - 1); 9].join(", ");
        text.push_str(&format!("a{level}: &a{level} [{aliases}]\n"));
    }
    text
}

#[test]
fn an_anchors_bomb_in_the_domain_is_refused_as_too_large() {
    let domain = format!("{DOMAIN}{}", anchors_bomb());
    let bot = Bot::with(&[("domain.yml", domain.as_bytes())]);
    bot.check(&[]).finds(
        1,
        "error[RL002] domain.yml is not valid YAML: YAML document too large or too complex",
    );
}

#[test]
fn an_anchors_bomb_in_config_yml_is_refused_as_too_large() {
    let bot = Bot::with(&[("config.yml", anchors_bomb().as_bytes())]);
    bot.check(&[]).finds(
        1,
        "error[RL002] config.yml is not valid YAML: YAML document too large or too complex",
    );
}

#[test]
fn a_hundred_thousand_duplicate_keys_in_the_domain_are_each_reported() {
    let domain = format!("{DOMAIN}{}", "intents: []\n".repeat(100_000));
    let bot = Bot::with(&[("domain.yml", domain.as_bytes())]);
    let run = bot.check(&[]);
    run.finds(
        1,
        "domain.yml:100005:1: error[RL002] domain.yml is not valid YAML: duplicate key `intents`",
    );
    assert_eq!(run.findings(), 100_000, "one per repetition");
}

#[test]
fn a_hundred_thousand_duplicate_keys_in_story_json_are_read_as_python_reads_them() {
    let keys = vec!["\"x\": 1"; 100_000].join(", ");
    let stories = format!("## s\n* greet{{{keys}}}\n  - utter_greet\n");
    let bot = Bot::with(&[("data/stories.md", stories.as_bytes())]);
    let run = bot.check(&[]);
    run.finds(
        1,
        "data/stories.md:2:10: error[RL112] entity `x` is not in the domain",
    );
    assert_eq!(run.findings(), 1, "{run}");
}

#[test]
fn a_hundred_thousand_duplicate_keys_in_rasalint_toml_stop_the_run_at_the_first() {
    let bot = Bot::with(&[(
        "rasalint.toml",
        "min-examples = 1\n".repeat(100_000).as_bytes(),
    )]);
    let run = bot.check(&[]);
    run.says(2, "invalid configuration: duplicate key");
    run.says(2, "rasalint.toml:2:1");
}

// ---------------------------------------------------------------------------------------
// Links, pipes, devices, unreadable files

#[test]
fn two_data_files_linked_to_each_other_are_each_unreadable() {
    let bot = Bot::with(&[]);
    bot.symlink("l2.md", "data/l1.md");
    bot.symlink("l1.md", "data/l2.md");
    let run = bot.check(&[]);
    for file in ["l1", "l2"] {
        run.finds(
            2,
            &format!("data/{file}.md:1:1: error[RL001] cannot read this file: Too many levels of symbolic links"),
        );
    }
}

#[test]
fn a_domain_linked_to_itself_is_unreadable_not_missing() {
    let bot = Bot::with(&[]);
    bot.symlink("domain.yml", "domain.yml");
    bot.check(&[]).finds(
        2,
        "domain.yml:1:1: error[RL001] cannot read this file: Too many levels of symbolic links",
    );
}

#[test]
fn a_pipe_named_rasalint_toml_stops_the_run_unopened() {
    let bot = Bot::with(&[]);
    bot.mkfifo("rasalint.toml");
    bot.check(&[])
        .says(2, "rasalint.toml: it is a named pipe (FIFO)");
}

#[test]
fn rasalint_toml_linked_to_a_device_stops_the_run_unread() {
    let bot = Bot::with(&[]);
    bot.symlink("/dev/zero", "rasalint.toml");
    bot.check(&[]).says(2, "rasalint.toml: it is a device");
}

#[test]
fn a_domain_linked_to_dev_null_is_refused_unread() {
    let bot = Bot::with(&[]);
    bot.symlink("/dev/null", "domain.yml");
    bot.check(&[]).finds(
        2,
        "domain.yml:1:1: error[RL001] cannot read this file: it is a device, not a regular file",
    );
}

#[test]
fn training_data_linked_to_dev_zero_is_refused_unread() {
    let bot = Bot::with(&[]);
    bot.symlink("/dev/zero", "data/zero.md");
    bot.check(&[]).finds(
        2,
        "data/zero.md:1:1: error[RL001] cannot read this file: it is a device",
    );
}

#[test]
fn a_pipe_named_domain_yml_is_refused_unopened() {
    let bot = Bot::with(&[]);
    bot.mkfifo("domain.yml");
    bot.check(&[]).finds(
        2,
        "domain.yml:1:1: error[RL001] cannot read this file: it is a named pipe (FIFO)",
    );
}

#[test]
fn a_pipe_given_as_rasa_config_or_data_is_refused_unopened() {
    let bot = Bot::with(&[]);
    bot.mkfifo("pipe");
    bot.check(&["--rasa-config", "pipe"]).finds(
        2,
        "pipe:1:1: error[RL001] cannot read this file: it is a named pipe (FIFO)",
    );
    bot.check(&["--data", "pipe"]).finds(
        2,
        "pipe:1:1: error[RL001] cannot read this file: it is a named pipe (FIFO)",
    );
}

#[cfg(target_os = "linux")]
#[test]
fn a_file_whose_reading_fails_is_reported_with_the_reason() {
    // A regular file that cannot be read, even by root: the run's own memory at address
    // 0, which is never mapped.
    let bot = Bot::with(&[]);
    bot.symlink("/proc/self/mem", "data/memory.md");
    bot.check(&[]).finds(
        2,
        "data/memory.md:1:1: error[RL001] cannot read this file: Input/output error",
    );
}

#[test]
fn a_file_without_read_permission_is_reported_skipped_when_privileged() {
    use std::os::unix::fs::PermissionsExt;
    let bot = Bot::with(&[("data/secret.md", b"## intent:greet\n- hey\n")]);
    let secret = bot.path().join("data/secret.md");
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&secret).is_ok() {
        common::skipped(
            "a_file_without_read_permission_is_reported_skipped_when_privileged",
            "this user may read a file without permissions (root?)",
        );
        return;
    }
    bot.check(&[]).finds(
        2,
        "data/secret.md:1:1: error[RL001] cannot read this file: Permission denied",
    );
}

// ---------------------------------------------------------------------------------------
// File names

/// A bot with the same example twice in a file named `name`.
fn bot_with_file_named(name: &[u8]) -> Bot {
    let bot = Bot::with(&[]);
    let path = bot
        .path()
        .join("data")
        .join(std::ffi::OsStr::from_bytes(name));
    std::fs::write(path, "## intent:greet\n- hey\n- hey\n").unwrap();
    bot
}

#[test]
fn a_file_name_with_spaces_is_checked() {
    let bot = bot_with_file_named(b"my nlu.md");
    bot.check(&[]).finds(
        0,
        "data/my nlu.md:3:3: warning[RL202] `hey` is already an example",
    );
}

#[test]
fn a_file_name_starting_with_a_dash_is_checked_and_can_be_named() {
    let bot = bot_with_file_named(b"-rf.md");
    bot.check(&[]).finds(0, "data/-rf.md:3:3: warning[RL202]");
    let run = bot.check(&["--", "data/-rf.md"]);
    run.finds(0, "data/-rf.md:3:3: warning[RL202]");
    assert_eq!(run.findings(), 1, "{run}");
}

#[test]
fn a_file_name_with_a_newline_is_one_json_string() {
    let bot = bot_with_file_named(b"a\nb.md");
    let run = bot.run(&["check", "--output-format", "json"]);
    run.finds(0, r#""path": "data/a\nb.md""#);
}

#[test]
fn a_file_name_with_a_newline_keeps_a_finding_on_one_line() {
    let bot = bot_with_file_named(b"a\nb.md");
    let run = bot.check(&[]);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{run}");
    assert!(lines[0].contains(":3:3: warning[RL202]"), "{run}");
}

#[test]
fn a_file_name_that_is_not_utf8_is_checked() {
    let bot = bot_with_file_named(b"x\xff.md");
    bot.check(&[])
        .finds(0, "data/x\\xFF.md:3:3: warning[RL202]");
}

// ---------------------------------------------------------------------------------------
// Numbers

#[test]
fn slot_bounds_beyond_a_double_are_infinite_as_in_python() {
    let slots = "slots:\n  s:\n    type: float\n    initial_value: 1e400\n    min_value: -1e308\n    max_value: 1.0\n";
    let bot = Bot::with(&[("domain.yml", format!("{DOMAIN}{slots}").as_bytes())]);
    bot.check(&[]).finds(
        1,
        "domain.yml:9:20: error[RL403] the `initial_value` inf of slot `s` is outside its range",
    );
}

#[test]
fn slot_numbers_longer_than_any_integer_are_read_as_floats() {
    let slots = "slots:\n  s:\n    type: float\n    initial_value: 123456789012345678901234567890\n    min_value: -99999999999999999999999999999999999\n";
    let bot = Bot::with(&[("domain.yml", format!("{DOMAIN}{slots}").as_bytes())]);
    bot.check(&[]).finds(
        1,
        "domain.yml:9:20: error[RL403] the `initial_value` 123456789012345680000000000000 of slot `s` is outside its range",
    );
}

#[test]
fn a_story_slot_value_beyond_a_double_is_read_as_python_reads_it() {
    let domain = format!("{DOMAIN}slots:\n  s:\n    type: float\n");
    let stories = "## s\n* greet\n  - slot{\"s\": 1e400}\n  - utter_greet\n";
    let bot = Bot::with(&[
        ("domain.yml", domain.as_bytes()),
        ("data/stories.md", stories.as_bytes()),
    ]);
    bot.check(&[]).exits(0);
}

/// Two stories that agree on their last state and differ before it: a conflict with
/// `max_history: 1`, none when whole dialogues are compared.
fn bot_in_conflict_at_history_1(config: &str) -> Bot {
    let domain = "intents:\n  - greet\n  - bye\nresponses:\n  utter_greet:\n  - text: Hi\n  utter_bye:\n  - text: Bye\n";
    let stories = "## a\n* greet\n  - utter_greet\n* greet\n  - utter_greet\n\n## b\n* bye\n  - utter_bye\n* greet\n  - utter_bye\n";
    Bot::with(&[
        ("domain.yml", domain.as_bytes()),
        (
            "data/nlu.md",
            b"## intent:greet\n- hi\n- hello\n\n## intent:bye\n- bye\n- ciao\n",
        ),
        ("data/stories.md", stories.as_bytes()),
        ("config.yml", config.as_bytes()),
    ])
}

const MEMOIZATION: &str = "policies:\n  - name: MemoizationPolicy\n    max_history: ";

#[test]
fn a_max_history_past_2_to_the_64_in_config_yml_compares_whole_dialogues() {
    let short = bot_in_conflict_at_history_1(&format!("{MEMOIZATION}1\n"));
    short
        .check(&["--select", "RL301"])
        .finds(0, "warning[RL301]");
    let huge = bot_in_conflict_at_history_1(&format!("{MEMOIZATION}18446744073709551616\n"));
    let run = huge.check(&["--select", "RL301"]);
    assert_eq!(run.findings(), 0, "{run}");
    run.exits(0);
}

#[test]
fn a_max_history_rasa_cannot_use_is_reported() {
    for value in ["-5", "lots", "1.5"] {
        let bot = bot_in_conflict_at_history_1(&format!("{MEMOIZATION}{value}\n"));
        // RL301 warns (exit 0): the stories are compared as without it.
        let run = bot.check(&[]);
        run.finds(0, "config.yml:3:18: warning[RL301]");
        assert_eq!(run.findings(), 1, "{run}");
    }
}

#[test]
fn numbers_out_of_range_in_rasalint_toml_stop_the_run_at_their_place() {
    for (line, expected) in [
        ("max-history = 18446744073709551616", "expected i64"),
        ("max-history = \"lots\"", "invalid type: string \"lots\""),
        ("max-ratio = 1e400", "floating-point number overflowed"),
        ("max-ratio = nan", "`max-ratio` cannot be NaN"),
        ("min-examples = -3", "`min-examples` cannot be -3"),
    ] {
        let bot = Bot::with(&[("rasalint.toml", format!("{line}\n").as_bytes())]);
        let run = bot.check(&[]);
        run.says(2, expected);
        run.says(2, "rasalint.toml:1:");
    }
}

#[test]
fn the_largest_min_examples_is_a_bound_like_any_other() {
    let bot = Bot::with(&[("rasalint.toml", b"min-examples = 9223372036854775807\n")]);
    bot.check(&[]).finds(
        0,
        "data/nlu.md:1:11: warning[RL204] intent `greet` has only 2 examples",
    );
}

#[test]
fn a_max_history_flag_past_64_bits_is_a_usage_error() {
    let bot = Bot::with(&[]);
    bot.check(&["--max-history", "18446744073709551616"]).says(
        2,
        "invalid value '18446744073709551616' for '--max-history <N>'",
    );
}

// ---------------------------------------------------------------------------------------
// Empty files and files of the wrong shape

#[test]
fn an_empty_file_of_every_kind_is_read() {
    let bot = Bot::with(&[]);
    for file in [
        "domain.yml",
        "config.yml",
        "rasalint.toml",
        "data/nlu.md",
        "data/stories.md",
        "data/responses.md",
    ] {
        bot.write(file, b"");
    }
    let run = bot.check(&[]);
    run.finds(
        1,
        "domain.yml:1:1: error[RL409] the domain declares no intents",
    );
    assert_eq!(run.findings(), 1, "{run}");
}

#[test]
fn a_domain_that_is_a_list_is_a_yaml_error() {
    let bot = Bot::with(&[("domain.yml", b"- greet\n- bye\n")]);
    bot.check(&[]).finds(
        1,
        "domain.yml:1:1: error[RL002] domain.yml must be a mapping of keys at the top level, but it is a list",
    );
}

#[test]
fn a_config_that_is_a_scalar_is_a_yaml_error() {
    let bot = Bot::with(&[("config.yml", b"just words\n")]);
    bot.check(&[]).finds(
        1,
        "config.yml:1:1: error[RL002] config.yml must be a mapping of keys at the top level",
    );
}

// ---------------------------------------------------------------------------------------
// Stories, annotations and patterns that multiply work

#[test]
fn a_story_that_ends_where_it_starts_is_checked() {
    let stories =
        "## loop\n> a\n* greet\n  - utter_greet\n> a\n\n## in\n* greet\n  - utter_greet\n> a\n";
    let bot = Bot::with(&[("data/stories.md", stories.as_bytes())]);
    let run = bot.check(&[]);
    assert_eq!(run.findings(), 0, "{run}");
    run.exits(0);
}

#[test]
fn a_story_that_ends_where_it_starts_sixteen_times_is_bounded_and_said_so() {
    let stories = format!(
        "## loop\n> a\n* greet\n  - utter_greet\n{}",
        "> a\n".repeat(16)
    );
    let bot = Bot::with(&[("data/stories.md", stories.as_bytes())]);
    bot.check(&[])
        .finds(0, "warning[RL301] the story-structure check did not run");
}

#[test]
fn thousands_of_or_alternatives_are_each_checked() {
    let names: Vec<String> = (0..5_000).map(|i| format!("i{i}")).collect();
    let turn = names.join(" OR ");
    let stories = format!("## s\n* {turn}\n  - utter_greet\n");
    let bot = Bot::with(&[("data/stories.md", stories.as_bytes())]);
    let run = bot.check(&[]);
    let column = "* ".len() + turn.rfind("i4999").unwrap() + 1;
    run.finds(
        1,
        &format!("data/stories.md:2:{column}: error[RL103] intent `i4999` is not in the domain"),
    );
    run.finds(1, "warning[RL104] intent `greet` is used by no story");
    assert_eq!(
        run.findings(),
        5_001,
        "one per alternative, and `greet` unused"
    );
}

#[test]
fn a_regex_of_a_thousand_nested_groups_is_python_s_recursion_error() {
    let nlu = format!(
        "## intent:greet\n- hi\n- hello\n\n## regex:zip\n- {}x{}\n",
        "(".repeat(1_000),
        ")".repeat(1_000)
    );
    let bot = Bot::with(&[("data/nlu.md", nlu.as_bytes())]);
    bot.check(&[]).finds(
        1,
        "data/nlu.md:6:498: error[RL206] pattern of regex `zip` does not compile in Python: RecursionError",
    );
}

#[test]
fn a_regex_of_a_hundred_thousand_open_groups_is_python_s_recursion_error() {
    let nlu = format!(
        "## intent:greet\n- hi\n- hello\n\n## regex:zip\n- {}\n",
        "(?:".repeat(100_000)
    );
    let bot = Bot::with(&[("data/nlu.md", nlu.as_bytes())]);
    bot.check(&[]).finds(
        1,
        "error[RL206] pattern of regex `zip` does not compile in Python: RecursionError",
    );
}

#[test]
fn a_hundred_thousand_open_brackets_are_text_as_in_rasa() {
    let brackets = "[".repeat(100_000);
    let nlu =
        format!("## intent:greet\n- hi\n- hello\n- {brackets}\n\n## intent:bye\n- {brackets}\n");
    let bot = Bot::with(&[("data/nlu.md", nlu.as_bytes())]);
    bot.check(&[])
        .finds(1, "data/nlu.md:7:3: warning[RL201] `[[[");
}

#[test]
fn fifty_thousand_unclosed_annotations_are_reported_in_bounded_time() {
    let nlu = format!(
        "## intent:greet\n- hi\n- hello\n- {}\n",
        "[a]{".repeat(50_000)
    );
    let bot = Bot::with(&[("data/nlu.md", nlu.as_bytes())]);
    bot.check(&[]).finds(
        1,
        "data/nlu.md:4:3: error[RL005] this looks like an entity annotation, but the `{` is never closed",
    );
}

#[test]
fn a_hundred_thousand_annotations_on_one_line_are_counted_once() {
    let nlu = format!(
        "## intent:greet\n- hi\n- hello\n- {}\n",
        "[a](b)".repeat(100_000)
    );
    let bot = Bot::with(&[("data/nlu.md", nlu.as_bytes())]);
    bot.check(&[]).finds(
        1,
        "data/nlu.md:4:7: error[RL112] entity `b` is not in the domain (annotated 100000 times in this file)",
    );
}
