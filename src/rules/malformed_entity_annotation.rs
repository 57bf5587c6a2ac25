use crate::{declare_rule, impl_syntax_rule};

declare_rule! {
    /// ## What it does
    /// Reports entity annotations Rasa rejects (invalid JSON in `[x]{…}`, a dictionary without
    /// `entity`, a non-string `value`) and near-misses that Rasa silently keeps as plain text:
    /// `[x]()`, `[x](e:)`, `[x] (e)`, `[x]{}`, an unclosed `(`; and in Rasa 2/3 YAML,
    /// `[x][ref]`, which Rasa reads as a list of entity dictionaries and, finding none,
    /// reduces to `x`.
    ///
    /// ## Why is this bad?
    /// A rejected annotation stops Rasa from loading the data without naming the file or line; a
    /// near-miss trains the bot on the literal text `[Berlin] (city)` with no entity at all.
    ///
    /// ## Example
    /// ```md
    /// - fly to [Berlin] (city)
    /// - fly to [Paris]{"entity": "city", "value": 3}
    /// ```
    pub struct MalformedEntityAnnotation {
        code: "RL005",
        name: "malformed-entity-annotation",
        severity: Error,
        summary: "a broken entity annotation",
    }
}
impl_syntax_rule!(MalformedEntityAnnotation);
