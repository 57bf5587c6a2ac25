//! The `rasalint` binary: parses nothing itself, hands everything to `rasalint::cli::run`.

use std::io::IsTerminal;
use std::process::ExitCode;

/// mimalloc rather than the system allocator: a check allocates many small nodes from
/// several threads, where glibc's allocator spends a sixth of all instructions (callgrind
/// on the medium bench bot) and grows its per-thread arenas in small steps.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc 3 gives pages it no longer uses back to the system only after `purge_delay`
/// milliseconds, 1000 by default: longer than a whole check of a large bot, so every page
/// freed during a run (the readers' scratch, a rule's tables) stays resident to the end
/// and adds to the peak. 10 ms, mimalloc 2's default, lowers the peak RSS of the large
/// bench bot by about 10 MB on one thread and 17 MB on two (at about a quarter more minor
/// page faults). Another delay set in the environment (`MIMALLOC_PURGE_DELAY`, or its old
/// name `MIMALLOC_RESET_DELAY`) is left alone.
fn return_freed_pages_soon() {
    /// `mi_option_purge_delay` in mimalloc 3's `mi_option_e` (include/mimalloc.h of the
    /// libmimalloc-sys crate, which binds `mi_option_set` but does not name this option).
    const PURGE_DELAY: std::ffi::c_int = 15;
    /// Its documented default: only an option that holds it is changed, so neither a
    /// delay set in the environment nor another option (were the numbering to change in
    /// a later mimalloc) is ever overwritten.
    const DEFAULT_DELAY: std::ffi::c_long = 1000;
    unsafe extern "C" {
        fn mi_option_get(option: std::ffi::c_int) -> std::ffi::c_long;
        fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
    }
    // SAFETY: plain getter and setter of mimalloc's option table, callable at any time
    // from any thread.
    unsafe {
        if mi_option_get(PURGE_DELAY) == DEFAULT_DELAY {
            mi_option_set(PURGE_DELAY, 10);
        }
    }
}

fn main() -> ExitCode {
    return_freed_pages_soon();
    // A panic is reported where it is contained (a finding, an answer, or `run`'s internal
    // error on stderr), with where it happened, instead of as a backtrace.
    rasalint::internal::record_panics();
    let cwd = std::env::current_dir().unwrap_or_else(|_| ".".into());
    let stdout = std::io::stdout();
    let terminal = rasalint::cli::terminal::Terminal::from_env(
        |name| std::env::var_os(name),
        stdout.is_terminal(),
        std::io::stderr().is_terminal(),
    );
    // Not locked for the whole run: the language server (`rasalint server`) writes stdout
    // from a thread of its own. The buffer takes the lock once per 8 KiB it writes.
    let mut stdout = std::io::BufWriter::new(stdout);
    let mut stderr = std::io::stderr();
    let mut io = rasalint::cli::Io {
        cwd: &cwd,
        stdout: &mut stdout,
        stderr: &mut stderr,
        terminal,
    };
    let status = rasalint::cli::run(std::env::args_os(), &mut io);
    // What is left in the buffer is written now: a full disk shows here, and says so.
    if let Err(e) = std::io::Write::flush(&mut stdout) {
        rasalint::cli::say_output_failed(&mut stderr, &e);
        return ExitCode::from(rasalint::cli::EXIT_TROUBLE);
    }
    ExitCode::from(status)
}
