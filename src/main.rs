//! The `rasalint` binary: parses nothing itself, hands everything to `rasalint::cli::run`.

use std::io::IsTerminal;
use std::process::ExitCode;

/// mimalloc rather than the system allocator: a check allocates many small nodes from
/// several threads, where glibc's allocator spends a sixth of all instructions (callgrind
/// on the medium bench bot) and grows its per-thread arenas in small steps.
#[global_allocator]
static ALLOCATOR: WordAlignedFirst = WordAlignedFirst;

/// The `mimalloc` crate's allocator, but for one thing: that crate asks for every block
/// through mimalloc's aligned entry points (`mi_malloc_aligned`, about 68 instructions on
/// the common path against about 20 for `mi_malloc`), because `mi_malloc` does not give
/// every size 16-byte alignment (a block of 8 bytes or less is only word-aligned). Every block
/// mimalloc hands out is a whole number of machine words from a word-aligned start, so a
/// request for word alignment or less is met by `mi_malloc` itself, and only the rare
/// larger alignment (a `u128`'s 16) goes through the aligned calls. That took 2.5–3.5% off
/// a check's instructions (callgrind, the medium bench bots).
struct WordAlignedFirst;

/// What every mimalloc block is aligned to: `MI_INTPTR_SIZE`, its block granule. This holds
/// for mimalloc as built here: the `-sys` crate's `debug` and `debug_in_debug` features turn
/// on its guarded allocation, which can place a block at an unaligned page end, and must
/// stay off (Cargo.toml).
const WORD: usize = std::mem::size_of::<usize>();

/// A block for `layout` from `plain` (size only) when word alignment is enough, else from
/// `aligned` (size and alignment).
///
/// # Safety
/// `layout` has a non-zero size, and both functions are mimalloc allocation calls.
#[inline]
unsafe fn by_alignment(
    layout: std::alloc::Layout,
    plain: unsafe extern "C" fn(usize) -> *mut std::ffi::c_void,
    aligned: unsafe extern "C" fn(usize, usize) -> *mut std::ffi::c_void,
) -> *mut u8 {
    // SAFETY: the caller's promise.
    unsafe {
        match layout.align() <= WORD {
            true => plain(layout.size()),
            false => aligned(layout.size(), layout.align()),
        }
        .cast()
    }
}

// SAFETY: each method forwards to the mimalloc call for the same job, with the layout's
// alignment whenever it exceeds the word alignment every block has; blocks from either
// kind of call are freed and resized by mimalloc alike (`mi_free` takes any block).
unsafe impl std::alloc::GlobalAlloc for WordAlignedFirst {
    #[inline]
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        use libmimalloc_sys::{mi_malloc, mi_malloc_aligned};
        // SAFETY: plain mimalloc allocation; the caller's layout has a non-zero size.
        unsafe { by_alignment(layout, mi_malloc, mi_malloc_aligned) }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: std::alloc::Layout) -> *mut u8 {
        use libmimalloc_sys::{mi_zalloc, mi_zalloc_aligned};
        // SAFETY: as `alloc`, zeroed by mimalloc.
        unsafe { by_alignment(layout, mi_zalloc, mi_zalloc_aligned) }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: std::alloc::Layout) {
        // SAFETY: `ptr` came from this allocator, so from mimalloc.
        unsafe { libmimalloc_sys::mi_free(ptr.cast()) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, size: usize) -> *mut u8 {
        use libmimalloc_sys::{mi_realloc, mi_realloc_aligned};
        // SAFETY: `ptr` came from this allocator with `layout`, so from the same kind of
        // call as the one chosen here; a moved block is a new block of that call, so
        // word-aligned, or aligned as the layout asks.
        unsafe {
            match layout.align() <= WORD {
                true => mi_realloc(ptr.cast(), size),
                false => mi_realloc_aligned(ptr.cast(), size, layout.align()),
            }
            .cast()
        }
    }
}

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

#[cfg(test)]
mod tests {
    use std::alloc::{GlobalAlloc, Layout};

    use super::WordAlignedFirst;

    /// Sizes 1 to 300 and five larger ones, at alignments 1 to 4096, come back aligned,
    /// zeroed when asked, keep their bytes through a resize (to a larger and a smaller
    /// size) and are freed: word-aligned requests go through `mi_malloc`, larger
    /// alignments through the aligned calls.
    #[test]
    fn blocks_are_aligned_as_asked_and_keep_their_bytes_when_resized() {
        let aligned =
            |ptr: *mut u8, align: usize| !ptr.is_null() && (ptr as usize).is_multiple_of(align);
        for align in [1, 2, 4, 8, 16, 32, 64, 4096] {
            for size in (1..=300).chain([1000, 4095, 4096, 70_000, 1 << 20]) {
                let layout = Layout::from_size_align(size, align).expect("layout");
                // SAFETY: a non-zero size; each block is written within its size, resized
                // and freed with the layout it has.
                unsafe {
                    let ptr = WordAlignedFirst.alloc(layout);
                    assert!(aligned(ptr, align), "{size} bytes aligned to {align}");
                    std::ptr::write_bytes(ptr, 0xa5, size);
                    let zeroed = WordAlignedFirst.alloc_zeroed(layout);
                    assert!(
                        aligned(zeroed, align),
                        "{size} zeroed bytes aligned to {align}"
                    );
                    assert!(
                        std::slice::from_raw_parts(zeroed, size)
                            .iter()
                            .all(|&b| b == 0)
                    );
                    WordAlignedFirst.dealloc(zeroed, layout);
                    let larger = WordAlignedFirst.realloc(ptr, layout, size * 3);
                    assert!(aligned(larger, align), "{size} → {} bytes", size * 3);
                    let kept = std::slice::from_raw_parts(larger, size);
                    assert!(kept.iter().all(|&b| b == 0xa5), "bytes kept growing {size}");
                    let grown = Layout::from_size_align(size * 3, align).expect("layout");
                    let smaller = WordAlignedFirst.realloc(larger, grown, size.div_ceil(2));
                    assert!(
                        aligned(smaller, align),
                        "{size} → {} bytes",
                        size.div_ceil(2)
                    );
                    let kept = std::slice::from_raw_parts(smaller, size.div_ceil(2));
                    assert!(
                        kept.iter().all(|&b| b == 0xa5),
                        "bytes kept shrinking {size}"
                    );
                    let shrunk = Layout::from_size_align(size.div_ceil(2), align).expect("layout");
                    WordAlignedFirst.dealloc(smaller, shrunk);
                }
            }
        }
    }
}
