//! The `rasalint` binary: parses nothing itself, hands everything to `rasalint::cli::run`.

use std::io::IsTerminal;
use std::process::ExitCode;

/// mimalloc rather than the system allocator: a check allocates many small nodes from
/// several threads, where glibc's allocator spends a sixth of all instructions (callgrind
/// on the medium bench bot) and grows its per-thread arenas in small steps.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
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
