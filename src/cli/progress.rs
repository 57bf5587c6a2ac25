//! The progress line: on a terminal's stderr, a run that takes long enough to need one
//! shows what it is doing (`reading 1,234 of 12,345 files…`, `checking 12,345 files…`) on
//! a single line rewritten in place, and cleared when the work is done. The library only
//! counts ([`crate::progress::Progress`]); the line is drawn here, from the thread that
//! owns stderr, while the work runs on another.

use std::io::Write;
use std::sync::mpsc;
use std::time::Duration;

use crate::progress::{Progress, Snapshot, Stage};

/// How long a run goes without a progress line: a quick one (most runs) shows none.
pub const DELAY: Duration = Duration::from_millis(300);

/// How often the line is redrawn once shown.
const EVERY: Duration = Duration::from_millis(100);

/// Goes back to the start of the line and clears it.
const CLEAR: &str = "\r\x1b[K";

/// The progress line for `at`, without a line break.
pub fn line(at: Snapshot) -> String {
    match at.stage {
        Stage::Reading => format!(
            "reading {} of {} files…",
            thousands(at.read.min(at.files)),
            thousands(at.files)
        ),
        Stage::Checking => format!("checking {} files…", thousands(at.files)),
    }
}

/// `12345` as `12,345`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// Runs `work` and returns what it returns. When `show` (stderr is a terminal that can
/// rewrite a line) and the work takes longer than `delay`, the progress line is drawn on
/// `stderr` until it ends, then cleared; otherwise nothing is written. A panic in the work
/// goes on as a panic here.
pub fn while_working<T: Send>(
    stderr: &mut dyn Write,
    show: bool,
    progress: &Progress,
    delay: Duration,
    work: impl FnOnce() -> T + Send,
) -> T {
    if !show {
        return work();
    }
    std::thread::scope(|scope| {
        let (done, finished) = mpsc::channel::<()>();
        let worker = scope.spawn(move || {
            let result = work();
            // Dropping the sender ends the wait below, however the work ends.
            drop(done);
            result
        });
        let mut wait = delay;
        let mut shown = String::new();
        while let Err(mpsc::RecvTimeoutError::Timeout) = finished.recv_timeout(wait) {
            wait = EVERY;
            let now = line(progress.snapshot());
            if now == shown {
                continue;
            }
            // A terminal that cannot be written to gets no progress, and no error: the
            // report says what matters.
            let _ = write!(stderr, "{CLEAR}{now}");
            let _ = stderr.flush();
            shown = now;
        }
        if !shown.is_empty() {
            let _ = write!(stderr, "{CLEAR}");
            let _ = stderr.flush();
        }
        worker
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_says_what_is_done_with_thousands_separated() {
        let at = |stage, files, read| line(Snapshot { stage, files, read });
        assert_eq!(
            at(Stage::Reading, 12_345, 1_234),
            "reading 1,234 of 12,345 files…"
        );
        assert_eq!(at(Stage::Checking, 999, 999), "checking 999 files…");
        assert_eq!(
            at(Stage::Checking, 1_000_000, 0),
            "checking 1,000,000 files…"
        );
        assert_eq!(at(Stage::Reading, 0, 0), "reading 0 of 0 files…");
    }

    fn slow_work(progress: &Progress) -> u8 {
        progress.reading(2);
        progress.file_read();
        std::thread::sleep(Duration::from_millis(250));
        7
    }

    #[test]
    fn a_terminal_sees_the_line_and_then_a_clear_line() {
        let progress = Progress::default();
        let mut stderr = Vec::new();
        let result = while_working(&mut stderr, true, &progress, Duration::ZERO, || {
            slow_work(&progress)
        });
        assert_eq!(result, 7);
        let text = String::from_utf8(stderr).expect("UTF-8");
        assert!(text.starts_with(CLEAR), "{text:?}");
        assert!(text.contains("reading 1 of 2 files…"), "{text:?}");
        assert!(text.ends_with(CLEAR), "{text:?}");
        assert!(!text.contains('\n'), "{text:?}");
    }

    #[test]
    fn no_terminal_or_a_quick_run_sees_nothing() {
        let progress = Progress::default();
        let mut stderr = Vec::new();
        let result = while_working(&mut stderr, false, &progress, Duration::ZERO, || {
            slow_work(&progress)
        });
        assert_eq!((result, stderr.len()), (7, 0));
        let quick = while_working(&mut stderr, true, &progress, Duration::from_secs(60), || 8);
        assert_eq!((quick, stderr.len()), (8, 0));
    }

    #[test]
    fn a_panic_in_the_work_goes_on() {
        let progress = Progress::default();
        let mut stderr = Vec::new();
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            while_working(&mut stderr, true, &progress, Duration::ZERO, || -> u8 {
                panic!("in the work")
            })
        }));
        assert!(caught.is_err());
    }
}
