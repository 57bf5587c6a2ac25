use crate::{declare_rule, impl_syntax_rule};

declare_rule! {
    /// ## What it does
    /// Reports a `domain.yml` or `config.yml` that is not valid YAML, with the caret at the
    /// place the YAML reader gave up, and duplicate keys in one mapping. In a Rasa 2/3 YAML
    /// training-data file it also reports what Rasa's schema refuses, each at the key or
    /// value that is wrong: a misspelt key (`exmaples:`), an item that mixes `intent` and
    /// `synonym`, examples given as a list of strings, an unquoted `version: 3.1`, a
    /// response variation without `text`.
    ///
    /// ## Why is this bad?
    /// Rasa 1.10 turns an unreadable domain into an *empty* domain with one log line, and
    /// then fails validation without saying why; a broken config stops training. Rasa 2
    /// and 3 refuse a training-data file that breaks the syntax or the schema as a whole
    /// (`YamlSyntaxException`, `YamlValidationException`), so training and `rasa data
    /// validate` stop.
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
        summary: "YAML that Rasa cannot read: syntax, duplicate keys, or its schema",
    }
}
impl_syntax_rule!(YamlSyntaxError);
