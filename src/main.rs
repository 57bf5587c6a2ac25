//! The `rasalint` binary: parses nothing itself, hands everything to `rasalint::cli::run`.

use std::io::IsTerminal;
use std::process::ExitCode;

/// mimalloc rather than the system allocator: a check allocates many small nodes from
/// several threads, where glibc's allocator spends a sixth of all instructions (callgrind
/// on the medium bench bot) and grows its per-thread arenas in small steps.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Whether the environment variable `name` is set to something other than nothing or `0`
/// (FORCE_COLOR=0 asks for no colour).
fn set(name: &str) -> bool {
    std::env::var_os(name).is_some_and(|v| !v.is_empty() && v != "0")
}

fn main() -> ExitCode {
    // A panic is reported where it is contained (a finding, an answer, or `run`'s internal
    // error on stderr), with where it happened, instead of as a backtrace.
    rasalint::internal::record_panics();
    let cwd = std::env::current_dir().unwrap_or_else(|_| ".".into());
    let stdout = std::io::stdout();
    let stdout_is_terminal = stdout.is_terminal();
    // Not locked for the whole run: the language server (`rasalint server`) writes stdout
    // from a thread of its own. The buffer takes the lock once per 8 KiB it writes.
    let mut stdout = std::io::BufWriter::new(stdout);
    let mut stderr = std::io::stderr();
    let mut io = rasalint::cli::Io {
        cwd: &cwd,
        stdout: &mut stdout,
        stderr: &mut stderr,
        stdout_is_terminal,
        // NO_COLOR disables colour whatever its value, once it is not empty.
        no_color: std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()),
        force_color: set("FORCE_COLOR") || set("CLICOLOR_FORCE"),
        dumb_terminal: std::env::var_os("TERM").is_some_and(|t| t == "dumb"),
    };
    let status = rasalint::cli::run(std::env::args_os(), &mut io);
    // What is left in the buffer is written now: a full disk shows here, and says so.
    if let Err(e) = std::io::Write::flush(&mut stdout) {
        rasalint::cli::say_output_failed(&mut stderr, &e);
        return ExitCode::from(rasalint::cli::EXIT_TROUBLE);
    }
    ExitCode::from(status)
}
