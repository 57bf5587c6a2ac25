use crate::{declare_rule, impl_syntax_rule};

declare_rule! {
    /// ## What it does
    /// Reports the `{…}` after a story user turn (`* inform{"city": …}`), an event
    /// (`- slot{…}`) or a checkpoint that is not one valid JSON object.
    ///
    /// Markdown only: YAML stories give entities and slots as YAML, and the JSON of an
    /// entity annotation (`[x]{…}`) is `malformed-entity-annotation`'s.
    ///
    /// ## Why is this bad?
    /// On an event or checkpoint line Rasa refuses the whole story file; on a user turn it only
    /// logs a warning and silently drops the entities, so the story trains without them.
    ///
    /// ## Example
    /// ```md
    /// * inform{"city": "Berlin"
    /// - slot{'city': 'Berlin'}
    /// ```
    pub struct InvalidJson {
        code: "RL007",
        name: "invalid-json",
        severity: Error,
        surfaces: [Markdown],
        summary: "bad JSON after an intent or event",
    }
}
impl_syntax_rule!(InvalidJson);
