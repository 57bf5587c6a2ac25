use crate::{declare_rule, impl_syntax_rule};

declare_rule! {
    /// ## What it does
    /// Reports an intent, synonym, regex or lookup header with no items after it, and a story
    /// header with no steps; in Rasa 2/3 YAML, an `nlu` item without examples (or with
    /// `examples:` empty).
    ///
    /// ## Why is this bad?
    /// Rasa reads an empty section as nothing at all: the intent does not exist in the training
    /// data, the story is dropped. Usually content was deleted or never written.
    ///
    /// ## Example
    /// ```md
    /// ## intent:goodbye
    ///
    /// ## intent:greet
    /// - hi
    /// ```
    pub struct EmptySection {
        code: "RL012",
        name: "empty-section",
        severity: Warning,
        summary: "a section or story with no items",
    }
}
impl_syntax_rule!(EmptySection);
