use crate::{declare_rule, impl_syntax_rule};

declare_rule! {
    /// ## What it does
    /// Reports a file that cannot be read, or whose bytes are not UTF-8, with the position of
    /// the first invalid byte. A UTF-8 byte-order mark is accepted.
    ///
    /// ## Why is this bad?
    /// Rasa 1.10 stops with a bare `UnicodeDecodeError` that names no file; the rest of the bot
    /// is never checked. Rasa 2 and 3 stop too, with "Failed to read file …, could not read
    /// the file using utf-8" or, for a YAML stories file, a bare `UnicodeDecodeError`.
    ///
    /// ## Example
    /// A `nlu.md` saved as Latin-1 (`café` written as the single byte `0xE9`).
    pub struct UnreadableFile {
        code: "RL001",
        name: "unreadable-file",
        severity: Error,
        summary: "a data file cannot be read or is not UTF-8",
    }
}
impl_syntax_rule!(UnreadableFile);
