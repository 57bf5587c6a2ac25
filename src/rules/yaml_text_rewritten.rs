use crate::{declare_rule, impl_syntax_rule};

declare_rule! {
    /// ## What it does
    /// Reports text in a Rasa 2/3 YAML training-data file that Rasa rewrites before
    /// reading it, so that it reads something else than what is written:
    ///
    /// - an unquoted text with `${NAME}` in it: Rasa replaces `${NAME}` (and any `$NAME`
    ///   beside it) by the value of the environment variable `NAME` of the process it runs
    ///   in (where the schema takes any value, as under `metadata`; elsewhere the schema
    ///   refuses it, RL002, as does an unset variable);
    /// - `\uXXXX` escapes outside double quotes in a file of ASCII characters only: Rasa
    ///   decodes them before reading the YAML, which would keep them as written (one
    ///   finding per file).
    ///
    /// ## Why is this bad?
    /// What the bot is trained on then depends on where Rasa runs, or on whether anyone
    /// ever adds a non-ASCII character to the file: one `é` anywhere turns the decoding
    /// off, and every escape is read as written.
    ///
    /// ## Example
    /// ```yaml
    /// nlu:
    /// - intent: greet
    ///   metadata:
    ///     user: ${USER}          # the name of whoever runs `rasa train`
    ///   examples: |
    ///     - caf\u00e9            # read as "café" only while the file is all ASCII
    /// ```
    pub struct YamlTextRewritten {
        code: "RL020",
        name: "yaml-text-rewritten",
        severity: Warning,
        versions: [V2, V3],
        summary: "YAML text Rasa rewrites before reading it: `${VAR}` from the environment, `\\u` escapes outside double quotes",
    }
}
impl_syntax_rule!(YamlTextRewritten);
