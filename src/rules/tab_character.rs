use crate::{declare_rule, impl_syntax_rule};

declare_rule! {
    /// ## What it does
    /// Reports TAB characters in Markdown training data.
    ///
    /// ## Why is this bad?
    /// Rasa 2.x crashes on a TAB inside an NLU line (`KeyError('\\t')`, no line number), and
    /// tabs make indentation ambiguous for readers and editors.
    ///
    /// ## Example
    /// An example `- hello<TAB>there`.
    pub struct TabCharacter {
        code: "RL015",
        name: "tab-character",
        severity: Warning,
        summary: "a TAB inside a line",
    }
}
impl_syntax_rule!(TabCharacter);
