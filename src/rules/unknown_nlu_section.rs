use crate::{declare_rule, impl_syntax_rule};

declare_rule! {
    /// ## What it does
    /// Reports a line that Rasa reads as a section header (`##`, a name, `:` and a title,
    /// anywhere in the line) whose name is not `intent`, `synonym`, `regex` or `lookup`.
    ///
    /// Markdown only: in a YAML `nlu:` item, a key other than `intent`, `synonym`, `regex`,
    /// `lookup`, `examples` and `metadata` is refused by Rasa's schema
    /// (`yaml-syntax-error`).
    ///
    /// ## Why is this bad?
    /// Rasa 1.4–1.10 aborts loading *all* training data with "Found markdown section 'x' which
    /// is not in the allowed sections", naming neither file nor line. The header may be a typo
    /// (`## Intent:greet`, `### intent:greet`) or example text that happens to contain `##` and `:`.
    ///
    /// ## Example
    /// ```md
    /// ## entity:city
    /// - Berlin
    /// ```
    pub struct UnknownNluSection {
        code: "RL003",
        name: "unknown-nlu-section",
        severity: Error,
        surfaces: [Markdown],
        summary: "an NLU section header Rasa does not know",
    }
}
impl_syntax_rule!(UnknownNluSection);
