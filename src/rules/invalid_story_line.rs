use crate::{declare_rule, impl_syntax_rule};

declare_rule! {
    /// ## What it does
    /// Reports lines in a story file that are no story header, user turn (`*`), action or event
    /// (`-`), checkpoint (`>`) or comment, and user turns, events or checkpoints that appear before
    /// the first story header.
    ///
    /// In YAML stories and rules (Rasa 2.x/3.x): everything Rasa's schema refuses (an
    /// unknown key, a step with two kinds such as `intent` and `action`, a number where a
    /// name goes, `bot` or `checkpoint` in a rule, `intent` in a rule's condition, a
    /// `conversation_start` that is no boolean), a value Rasa crashes on (an empty
    /// `entities:`, `slot_was_set:`, `or:`, `condition:` or `user:`, a checkpoint without a
    /// name, an intent with two `/`), and what Rasa skips: an item without `story:`/`rule:`,
    /// a step with no key Rasa knows (`{}`), an empty action, an `or` item without `intent`
    /// or `slot_was_set` (the whole `or` is dropped), a slot that is neither a name nor a
    /// mapping (the rest of the list is dropped), a checkpoint condition that is no mapping
    /// (the checkpoint is dropped).
    ///
    /// ## Why is this bad?
    /// Rasa logs "Skipping line N. No valid command found" and drops the line, so the story
    /// means something other than what was written; turns before any header stop the file from
    /// loading. A YAML file its schema refuses is not read at all: `rasa train` and `rasa data
    /// validate` stop with a YamlValidationException that names no step.
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
        summary: "a story line or step Rasa skips or rejects",
    }
}
impl_syntax_rule!(InvalidStoryLine);
