//! Internal errors: a panic in a rule, in a file's reader or in a language-server request
//! is contained where it happens and reported as what failed (an RL902 finding that names
//! the rule or the file, or the server's error answer) instead of ending the run with exit
//! 101 or ending the server. The rest of the run goes on; the CLI then exits 2, as the
//! README promises for every internal error.

use std::cell::RefCell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use crate::diagnostic::Diagnostic;
use crate::model::{FileParts, Unreadable};
use crate::rules::internal_error::InternalError;
use crate::source::FileId;

thread_local! {
    /// The last panic on this thread, as the hook of [`record_panics`] saw it.
    static LAST: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Runs `work`; a panic in it becomes its message: `panicked at src/…:12:5: …` when
/// [`record_panics`] is in place, else the message alone. Whatever `work` changed before
/// it panicked must be thrown away by the caller.
pub fn contain<T>(work: impl FnOnce() -> T) -> Result<T, String> {
    let _ = LAST.try_with(|last| last.borrow_mut().take());
    catch_unwind(AssertUnwindSafe(work)).map_err(|payload| {
        let recorded = LAST
            .try_with(|last| last.borrow_mut().take())
            .ok()
            .flatten();
        recorded.unwrap_or_else(|| payload_message(payload.as_ref()))
    })
}

/// Replaces the panic hook's printing with a record for [`contain`]: a contained panic is
/// reported once, as a finding or an answer, with where it happened. The binary installs
/// it; the library never does (the hook is the whole process's).
pub fn record_panics() {
    std::panic::set_hook(Box::new(|info| {
        let text = info.to_string().replace('\n', " ");
        let _ = LAST.try_with(|last| *last.borrow_mut() = Some(text));
    }));
}

/// The text a panic was raised with.
pub fn payload_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_owned()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "a panic without a message".to_owned()
    }
}

/// What the reader `read` makes of the file `path`, or, if it panics, the file as
/// unreadable with an RL902 finding that says why.
pub(crate) fn read_contained(
    id: FileId,
    #[cfg_attr(not(test), allow(unused_variables))] path: &Path,
    read: impl FnOnce() -> (FileParts, Vec<Diagnostic>),
) -> (FileParts, Vec<Diagnostic>) {
    let contained = contain(|| {
        #[cfg(test)]
        panic_if_injected(&format!("reading {}", path.display()));
        read()
    });
    contained.unwrap_or_else(|panic| {
        let parsed = FileParts::unreadable(Unreadable {
            reason: format!("its reader stopped on an internal error: {panic}"),
            kind: None,
            io_error: false,
        });
        (parsed, vec![InternalError::in_reader(id, &panic)])
    })
}

/// Places where tests make rasalint panic: `rule RL101 in <root>`, `reading <path>`. Only
/// in the library's own test build: nothing a user runs can set them.
#[cfg(test)]
static INJECTED: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

#[cfg(test)]
pub(crate) fn inject_panic(place: String) {
    INJECTED
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push(place);
}

#[cfg(test)]
pub(crate) fn panic_if_injected(place: &str) {
    let injected = INJECTED.lock().unwrap_or_else(|e| e.into_inner());
    if injected.iter().any(|p| p == place) {
        drop(injected);
        panic!("injected panic: {place}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A bot whose NLU file has an intent the domain lacks (RL101) and trailing whitespace
    /// (RL501), as has a second NLU file.
    fn bot() -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir(dir.path().join("data")).expect("data dir");
        std::fs::write(dir.path().join("domain.yml"), "intents:\n  - greet\n").expect("domain");
        let nlu = "## intent:greet\n- hi \n\n## intent:bye\n- bye\n";
        std::fs::write(dir.path().join("data/nlu.md"), nlu).expect("nlu");
        let more = "## intent:greet\n- hello \n";
        std::fs::write(dir.path().join("data/more.md"), more).expect("more");
        dir
    }

    /// `rasalint ARGS` run in `dir`: exit status, stdout, stderr.
    fn run(dir: &Path, args: &[&str]) -> (u8, String, String) {
        let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
        let mut io = crate::cli::Io::plain(dir, &mut stdout, &mut stderr);
        let args = std::iter::once("rasalint").chain(args.iter().copied());
        let status = crate::cli::run(args.map(Into::into), &mut io);
        let text = |bytes: Vec<u8>| String::from_utf8(bytes).expect("UTF-8 output");
        (status, text(stdout), text(stderr))
    }

    #[test]
    fn a_panic_becomes_its_message() {
        assert_eq!(contain(|| 7), Ok(7));
        let failed = contain(|| -> u8 { panic!("boom {}", 1) });
        assert!(
            failed.as_ref().is_err_and(|m| m.contains("boom 1")),
            "{failed:?}"
        );
    }

    #[test]
    fn a_rule_that_panics_is_an_internal_error_naming_it_and_the_others_are_reported() {
        let bot = bot();
        inject_panic(format!("rule RL101 in {}", bot.path().display()));
        let (status, out, _) = run(bot.path(), &["check", "--output-format", "concise"]);
        assert_eq!(status, 2, "{out}");
        assert!(
            out.contains(
                "domain.yml:1:1: error[RL902] rule RL101 nlu-intent-not-in-domain \
                          stopped on an internal error (injected panic: rule RL101 in"
            ),
            "{out}"
        );
        assert!(out.contains("data/nlu.md:2:5: warning[RL501]"), "{out}");
        assert!(!out.contains("[RL101]"), "{out}");
        // Shown whatever the selection and the ignores say; exit 2 in every mode.
        let (status, out, _) = run(
            bot.path(),
            &["check", "--select", "RL101,RL5", "--ignore", "RL9"],
        );
        assert_eq!(status, 2, "{out}");
        assert!(out.contains("× error[RL902]: rule RL101"), "{out}");
        let (status, _, err) = run(bot.path(), &["check", "--diff"]);
        assert_eq!(status, 2, "{err}");
        assert!(err.contains("error[RL902] rule RL101"), "{err}");
    }

    #[test]
    fn a_reader_that_panics_is_an_internal_error_naming_the_file() {
        let bot = bot();
        let nlu = bot.path().join("data/nlu.md");
        inject_panic(format!("reading {}", nlu.display()));
        let (status, out, _) = run(bot.path(), &["check", "--output-format", "concise"]);
        assert_eq!(status, 2, "{out}");
        assert!(
            out.contains(
                "data/nlu.md:1:1: error[RL902] reading this file stopped on an \
                          internal error (injected panic: reading"
            ),
            "{out}"
        );
        assert!(out.contains("data/more.md:2:8: warning[RL501]"), "{out}");
        assert!(!out.contains("data/nlu.md:2:5: warning[RL501]"), "{out}");
    }

    #[test]
    fn any_other_panic_exits_2_with_a_message() {
        let bot = bot();
        inject_panic(format!("check {}", bot.path().display()));
        let (status, out, err) = run(bot.path(), &["check"]);
        assert_eq!((status, out.as_str()), (2, ""));
        assert!(
            err.starts_with("rasalint: internal error: injected panic: check ")
                && err.contains("This is a bug in rasalint"),
            "{err}"
        );
    }
}
