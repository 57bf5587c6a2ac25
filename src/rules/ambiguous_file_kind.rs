use crate::{declare_rule, impl_syntax_rule};

declare_rule! {
    /// ## What it does
    /// Reports Markdown files that Rasa 1.10 classifies by content in a way the author probably
    /// did not intend: a README or notes file inside the data folder read as stories, a stories
    /// file read as NLU because it contains `## intent:`, a responses file read as stories.
    ///
    /// ## Why is this bad?
    /// Rasa decides a file's kind from a few literal markers; when the guess is wrong, every line
    /// is misread and the errors that follow point everywhere but at the cause.
    ///
    /// ## Example
    /// A `data/README.md` with a `## Usage` heading is read as a story file.
    pub struct AmbiguousFileKind {
        code: "RL011",
        name: "ambiguous-file-kind",
        severity: Warning,
        summary: "a file Rasa would classify differently than its content suggests",
    }
}
impl_syntax_rule!(AmbiguousFileKind);
