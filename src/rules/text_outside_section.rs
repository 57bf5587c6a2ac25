use crate::{declare_rule, impl_syntax_rule};

declare_rule! {
    /// ## What it does
    /// Reports lines of a Markdown NLU file that Rasa reads past without a word: list items
    /// before the first `##` header, lines inside an intent, synonym or regex section that are not
    /// `-` items (numbered lists, prose), and bare `-` markers.
    ///
    /// ## Why is this bad?
    /// The writer meant these lines as training data or notes; Rasa drops them silently, so the
    /// bot learns less than its author thinks.
    ///
    /// ## Example
    /// ```md
    /// - hello            <- before any header: dropped
    /// ## intent:greet
    /// 1. hi there        <- not a list item: dropped
    /// ```
    pub struct TextOutsideSection {
        code: "RL004",
        name: "text-outside-section",
        severity: Warning,
        summary: "NLU lines Rasa silently drops",
    }
}
impl_syntax_rule!(TextOutsideSection);
