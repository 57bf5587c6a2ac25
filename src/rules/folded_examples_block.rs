use crate::{declare_rule, impl_syntax_rule};

declare_rule! {
    /// ## What it does
    /// Reports a YAML `examples` string that YAML folds: a `>` block, or a plain or quoted
    /// string written over several lines. YAML joins the lines of such a string with
    /// spaces (a blank line starts a new one), so Rasa, which splits `examples` at line
    /// breaks, reads fewer examples than the `-` lines show.
    ///
    /// ## Why is this bad?
    /// `examples: >` with ten `- ` lines trains the intent on one long example
    /// `a - b - c …`, without a warning: the bot learns none of the phrasings it was given.
    ///
    /// ## Example
    /// ```yaml
    /// nlu:
    /// - intent: greet
    ///   examples: >        # read as one example "hi - hello"; write `|`
    ///     - hi
    ///     - hello
    /// ```
    pub struct FoldedExamplesBlock {
        code: "RL017",
        name: "folded-examples-block",
        severity: Error,
        versions: [V2, V3],
        summary: "YAML folds the lines of an `examples` string into fewer examples",
    }
}
impl_syntax_rule!(FoldedExamplesBlock);
