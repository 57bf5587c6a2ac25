use crate::{declare_rule, impl_syntax_rule};

declare_rule! {
    /// ## What it does
    /// Reports lines in a story file that are no story header, user turn (`*`), action or event
    /// (`-`), checkpoint (`>`) or comment, and user turns, events or checkpoints that appear before
    /// the first story header.
    ///
    /// ## Why is this bad?
    /// Rasa logs "Skipping line N. No valid command found" and drops the line, so the story
    /// means something other than what was written; turns before any header stop the file from
    /// loading.
    ///
    /// ## Example
    /// ```md
    /// ## greet
    /// * greet
    /// utter_greet        <- missing "- ": skipped
    /// ```
    pub struct InvalidStoryLine {
        code: "RL006",
        name: "invalid-story-line",
        severity: Error,
        summary: "a story line Rasa skips or rejects",
    }
}
impl_syntax_rule!(InvalidStoryLine);
