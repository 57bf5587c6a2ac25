//! Files that are not ordinary files, and paths that lead where a bot should not: pipes,
//! devices, sockets, links out of the bot or in loops, unlistable folders and the
//! filesystem's root. Each run is bounded in time: a pipe must not block it, a device must
//! not be read for ever.
#![cfg(unix)]

mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Runs rasalint in `cwd`, killed (and the test failed) if it takes longer than 60 s.
fn run(cwd: &Path, args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rasalint"))
        .args(args)
        .current_dir(cwd)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("rasalint starts");
    let started = Instant::now();
    while child
        .try_wait()
        .expect("rasalint can be waited for")
        .is_none()
    {
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("rasalint {args:?} did not finish within 60 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("rasalint's output")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A small bot, with a `.git` so that it is a repository of its own.
fn bot() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let files = [
        (
            "domain.yml",
            "intents:\n  - greet\nresponses:\n  utter_greet:\n  - text: Hi\n",
        ),
        ("data/nlu.md", "## intent:greet\n- hi\n- hello\n"),
        ("data/stories.md", "## s\n* greet\n  - utter_greet\n"),
    ];
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    dir
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(status.success(), "mkfifo {}", path.display());
}

#[test]
fn a_pipe_named_config_yml_is_reported_not_opened() {
    let dir = bot();
    mkfifo(&dir.path().join("config.yml"));
    let output = run(dir.path(), &["check", "--output-format", "concise"]);
    let out = text(&output.stdout);
    assert!(
        out.contains("config.yml:1:1: error[RL001] cannot read this file: it is a named pipe (FIFO), not a regular file"),
        "{out}"
    );
    assert_eq!(output.status.code(), Some(2), "a file could not be read");
}

#[test]
fn config_yml_linked_to_a_device_is_refused_unread() {
    let dir = bot();
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("config.yml")).unwrap();
    let output = run(dir.path(), &["check", "--output-format", "concise"]);
    let out = text(&output.stdout);
    assert!(
        out.contains("config.yml:1:1: error[RL001] cannot read this file: it is a device"),
        "{out}"
    );
    assert_eq!(output.status.code(), Some(2));
    // Named on the command line, as rasalint's own configuration, too.
    let output = run(dir.path(), &["check", "--config", "/dev/zero"]);
    assert!(
        text(&output.stderr).contains("it is a device"),
        "{output:?}"
    );
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn special_files_among_the_data_are_reported() {
    let dir = bot();
    mkfifo(&dir.path().join("data/pipe.md"));
    let socket = std::os::unix::net::UnixListener::bind(dir.path().join("data/socket.md"));
    let _socket = socket.expect("a socket can be made");
    std::os::unix::fs::symlink("gone.md", dir.path().join("data/dangling.md")).unwrap();
    let output = run(dir.path(), &["check", "--output-format", "concise"]);
    let out = text(&output.stdout);
    for expected in [
        "data/pipe.md:1:1: error[RL001] cannot read this file: it is a named pipe (FIFO)",
        "data/socket.md:1:1: error[RL001] cannot read this file: it is a socket",
        "data/dangling.md:1:1: error[RL001] cannot read this file: No such file or directory",
    ] {
        assert!(out.contains(expected), "{expected}\n{out}");
    }
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn a_file_over_the_limit_is_refused_unread() {
    let dir = bot();
    // A sparse file: 4 GiB and one byte long, nothing written.
    let big = std::fs::File::create(dir.path().join("data/big.md")).unwrap();
    big.set_len(u64::from(u32::MAX) + 1).unwrap();
    let output = run(dir.path(), &["check", "--output-format", "concise"]);
    let out = text(&output.stdout);
    assert!(
        out.contains("data/big.md:1:1: error[RL001] cannot read this file: the file has 4294967296 bytes; rasalint reads files of up to 4 GiB"),
        "{out}"
    );
    assert_eq!(output.status.code(), Some(2));
}

/// `../..` and so on up to `/` from `dir`.
fn up_to_root(dir: &Path) -> String {
    let depth = dir.canonicalize().unwrap().components().count() - 1;
    vec![".."; depth].join("/")
}

#[test]
fn the_filesystem_root_is_not_read_as_data() {
    let dir = bot();
    let root = up_to_root(dir.path());
    let output = run(dir.path(), &["check", "--data", &root]);
    let err = text(&output.stderr);
    assert!(
        err.contains(&format!(
            "rasalint: {} is the root of the filesystem (/)",
            dir.path().join(&root).display()
        )),
        "{err}"
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    // Nor through a link inside the data.
    std::os::unix::fs::symlink("/", dir.path().join("data/everything")).unwrap();
    let output = run(dir.path(), &["check"]);
    let err = text(&output.stderr);
    assert!(
        err.contains("data/everything is the root of the filesystem (/)"),
        "{err}"
    );
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn a_link_loop_in_the_data_is_an_error() {
    let dir = bot();
    std::os::unix::fs::symlink("..", dir.path().join("data/again")).unwrap();
    let output = run(dir.path(), &["check"]);
    let err = text(&output.stderr);
    assert!(
        err.contains("data/again: a symbolic link loop: it leads back to"),
        "{err}"
    );
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn an_unlistable_data_folder_is_an_error_skipped_when_privileged() {
    let dir = bot();
    let private = dir.path().join("data/private");
    std::fs::create_dir(&private).unwrap();
    std::fs::write(private.join("more.md"), "## intent:greet\n- hey\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o000)).unwrap();
    // Root (a container, say) may list any folder: nothing to test then.
    if std::fs::read_dir(&private).is_ok() {
        common::skipped(
            "an_unlistable_data_folder_is_an_error_skipped_when_privileged",
            "this user may list a folder without permissions (root?)",
        );
        return;
    }
    let output = run(dir.path(), &["check"]);
    std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o755)).unwrap();
    let err = text(&output.stderr);
    assert!(
        err.contains("data/private: cannot list this folder (Permission denied"),
        "{err}"
    );
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn fix_does_not_write_through_a_link_out_of_the_repository() {
    let dir = bot();
    let outside = tempfile::tempdir().unwrap();
    let victim = outside.path().join("victim.md");
    let before = "## intent:greet   \n- hi\n";
    std::fs::write(&victim, before).unwrap();
    std::os::unix::fs::symlink(&victim, dir.path().join("data/link.md")).unwrap();
    let output = run(dir.path(), &["check", "--fix"]);
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), before);
    let err = text(&output.stderr);
    assert!(
        err.contains(&format!(
            "rasalint: not fixing data/link.md: it leads to {}, outside {}",
            victim.canonicalize().unwrap().display(),
            dir.path().canonicalize().unwrap().display()
        )),
        "{err}"
    );
    assert_eq!(output.status.code(), Some(2), "a fix was not written");
    // A link that stays inside the repository is fixed as before.
    std::fs::remove_file(dir.path().join("data/link.md")).unwrap();
    let inside = dir.path().join("kept/inside.md");
    std::fs::create_dir(inside.parent().unwrap()).unwrap();
    std::fs::write(&inside, before).unwrap();
    std::os::unix::fs::symlink(&inside, dir.path().join("data/link.md")).unwrap();
    let output = run(dir.path(), &["check", "--fix"]);
    assert_eq!(
        std::fs::read_to_string(&inside).unwrap(),
        "## intent:greet\n- hi\n",
        "{output:?}"
    );
}

#[test]
fn a_pipe_named_data_is_reported_not_passed_over() {
    let dir = bot();
    std::fs::remove_dir_all(dir.path().join("data")).unwrap();
    mkfifo(&dir.path().join("data"));
    let output = run(dir.path(), &["check", "--output-format", "concise"]);
    let out = text(&output.stdout);
    assert!(
        out.contains("data:1:1: error[RL001] cannot read this file: it is a named pipe (FIFO)"),
        "{out}"
    );
    assert_eq!(
        output.status.code(),
        Some(2),
        "the bot's data could not be read"
    );
}
