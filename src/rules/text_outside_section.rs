use crate::{declare_rule, impl_syntax_rule};

declare_rule! {
    /// ## What it does
    /// Reports lines of a Markdown NLU file that Rasa reads past without a word: list items
    /// before the first `##` header, lines inside an intent, synonym or regex section that are not
    /// `-` items (numbered lists, prose), and bare `-` markers. In Rasa 2/3 YAML: lines of
    /// an `examples` block that do not start with `-` (blank lines, `#` lines, which are no
    /// comments inside a block, lines indented deeper, a lookup's file name), and items
    /// Rasa skips (no `intent`/`synonym`/`regex`/`lookup` key, an empty name); Rasa warns
    /// about those.
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
    ///
    /// ## Fix
    /// `rasalint check --fix` removes a blank line (or a line of spaces) from an
    /// `examples: |` block: Rasa reads the same examples without it. Not from a folded
    /// (`>`) or quoted string, where a blank line separates examples. Such a line gets
    /// this finding only, not RL501's trailing whitespace too.
    pub struct TextOutsideSection {
        code: "RL004",
        name: "text-outside-section",
        severity: Warning,
        summary: "NLU lines Rasa silently drops",
    }
}
impl_syntax_rule!(TextOutsideSection);
