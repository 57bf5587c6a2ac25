//! How far a check has got, for a caller that shows progress. The library prints nothing:
//! it counts here as it goes, and a caller (the command line's progress line) reads the
//! counts from another thread whenever it likes.

use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};

/// Counts a check updates as it goes; shared between threads.
#[derive(Debug, Default)]
pub struct Progress {
    files: AtomicUsize,
    read: AtomicUsize,
    stage: AtomicU8,
}

/// What a check is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Reading and parsing the files.
    Reading,
    /// Running the rules.
    Checking,
}

/// The counts at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Snapshot {
    pub stage: Stage,
    /// Files to read, of every bot started so far.
    pub files: usize,
    /// Files read so far.
    pub read: usize,
}

impl Progress {
    /// `count` more files are to be read.
    pub fn reading(&self, count: usize) {
        self.stage.store(0, Ordering::Relaxed);
        self.files.fetch_add(count, Ordering::Relaxed);
    }

    /// One more file was read.
    pub fn file_read(&self) {
        self.read.fetch_add(1, Ordering::Relaxed);
    }

    /// The files are read; the rules run.
    pub fn checking(&self) {
        self.stage.store(1, Ordering::Relaxed);
    }

    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            stage: match self.stage.load(Ordering::Relaxed) {
                0 => Stage::Reading,
                _ => Stage::Checking,
            },
            files: self.files.load(Ordering::Relaxed),
            read: self.read.load(Ordering::Relaxed),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_add_up_over_bots() {
        let progress = Progress::default();
        progress.reading(3);
        progress.file_read();
        let at = progress.snapshot();
        assert_eq!((at.stage, at.files, at.read), (Stage::Reading, 3, 1));
        progress.checking();
        assert_eq!(progress.snapshot().stage, Stage::Checking);
        progress.reading(2);
        let at = progress.snapshot();
        assert_eq!((at.stage, at.files, at.read), (Stage::Reading, 5, 1));
    }
}
