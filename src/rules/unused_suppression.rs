use crate::{declare_rule, impl_syntax_rule};

declare_rule! {
    /// ## What it does
    /// Reports a suppression comment (`<!-- rasalint-disable-next-line RL202 -->`,
    /// `<!-- rasalint-disable-file RL2 -->`, `# rasalint: disable=RL106`) that names no
    /// rule, or that suppresses nothing although the rules it names ran.
    ///
    /// ## Why is this bad?
    /// A suppression outlives the finding it was written for: once the data is fixed, it
    /// silently hides the next real mistake on that line. A misspelt rule suppresses nothing
    /// at all. (A suppression of a rule that did not run, because it is not selected, is
    /// not reported: rasalint cannot tell whether it is still needed.)
    ///
    /// ## Example
    /// ```md
    /// <!-- rasalint-disable-next-line RL202 -->
    /// - a unique example
    /// ```
    /// In YAML files (domains, configurations, Rasa 2/3 training data) suppressions are
    /// `#` comments:
    /// ```yaml
    /// intents:
    ///   - greet   # rasalint: disable=RL104
    /// ```
    pub struct UnusedSuppression {
        code: "RL901",
        name: "unused-suppression",
        severity: Warning,
        summary: "a suppression that names no rule or suppresses nothing",
    }
}
impl_syntax_rule!(UnusedSuppression);
