use crate::{declare_rule, impl_syntax_rule};

declare_rule! {
    /// ## What it does
    /// Reports an intent name Rasa refuses when it reads the NLU data: one with more than
    /// one `/` (`faq/ask/name`). A `/` separates a retrieval intent from its response key
    /// (`faq/ask_name`), and Rasa allows only one.
    ///
    /// ## Why is this bad?
    /// Rasa 2 and 3 stop loading the training data at the first example of such an intent
    /// ("Intent name 'faq/ask/name' is invalid, it cannot contain more than one '/'."), so
    /// neither training nor `rasa data validate` runs.
    ///
    /// ## Example
    /// ```yaml
    /// nlu:
    /// - intent: faq/ask/name     # write faq/ask_name
    ///   examples: |
    ///     - what is your name?
    /// ```
    pub struct InvalidIntentName {
        code: "RL018",
        name: "invalid-intent-name",
        severity: Error,
        versions: [V2, V3],
        summary: "an intent name Rasa refuses (more than one `/`)",
    }
}
impl_syntax_rule!(InvalidIntentName);
