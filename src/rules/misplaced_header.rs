use crate::{declare_rule, impl_syntax_rule};

declare_rule! {
    /// ## What it does
    /// Reports NLU headers written other than `## name:title` (`##intent:x`, `##  intent:x`),
    /// which Rasa parses but does not use to recognise the file as NLU, and one-hash headers
    /// (`# intent:x`) that Rasa ignores.
    ///
    /// Markdown only: YAML NLU files have no headers.
    ///
    /// ## Why is this bad?
    /// A file whose only headers are `##intent:` is read by Rasa 1.10 as a *story* file, and a
    /// `# intent:` line drops the examples under it into the previous section.
    ///
    /// ## Example
    /// ```md
    /// ##intent:greet
    /// - hi
    /// ```
    pub struct MisplacedHeader {
        code: "RL010",
        name: "misplaced-header",
        severity: Warning,
        surfaces: [Markdown],
        summary: "a header Rasa reads differently than it looks",
    }
}
impl_syntax_rule!(MisplacedHeader);
