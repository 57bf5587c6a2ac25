use crate::{declare_rule, impl_syntax_rule};

declare_rule! {
    /// ## What it does
    /// Reports a pair of back-ticks in a story line.
    ///
    /// Markdown only: Rasa 2 and 3 read YAML stories without template variables.
    ///
    /// ## Why is this bad?
    /// Rasa reads `` `x` `` as a template variable and stops with "Unknown variable `x` in
    /// template line", refusing the whole story file.
    ///
    /// ## Example
    /// ```md
    /// - utter_`greet`
    /// ```
    pub struct BacktickInStory {
        code: "RL013",
        name: "backtick-in-story",
        severity: Error,
        surfaces: [Markdown],
        summary: "back-ticks in a story line",
    }
}
impl_syntax_rule!(BacktickInStory);
