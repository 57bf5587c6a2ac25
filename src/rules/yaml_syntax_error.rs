use crate::{declare_rule, impl_syntax_rule};

declare_rule! {
    /// ## What it does
    /// Reports a `domain.yml` or `config.yml` that is not valid YAML, with the caret at the
    /// place the YAML reader gave up, and duplicate keys in one mapping.
    ///
    /// ## Why is this bad?
    /// Rasa 1.10 turns an unreadable domain into an *empty* domain with one log line, and
    /// then fails validation without saying why; a broken config stops training.
    ///
    /// ## Example
    /// ```yaml
    /// intents:
    ///   - greet
    ///  - goodbye      # bad indentation
    /// ```
    pub struct YamlSyntaxError {
        code: "RL002",
        name: "yaml-syntax-error",
        severity: Error,
        summary: "domain or config YAML does not parse",
    }
}
impl_syntax_rule!(YamlSyntaxError);
