use crate::{declare_rule, impl_syntax_rule};

declare_rule! {
    /// ## What it does
    /// Reports `<!--` without a matching `-->`.
    ///
    /// Markdown only: YAML comments are `#` lines, and in a YAML block (`examples: |`) a
    /// `<!--` is text.
    ///
    /// ## Why is this bad?
    /// In story files an unclosed comment silently swallows the rest of the file; in NLU files
    /// the `<!--` and everything after it on the line become training text.
    ///
    /// ## Example
    /// ```md
    /// <!-- TODO: more greetings
    /// ## story greet
    /// * greet
    ///   - utter_greet
    /// ```
    pub struct UnterminatedComment {
        code: "RL009",
        name: "unterminated-comment",
        severity: Error,
        surfaces: [Markdown],
        summary: "an HTML comment that is never closed",
    }
}
impl_syntax_rule!(UnterminatedComment);
