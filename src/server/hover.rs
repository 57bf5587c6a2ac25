//! Hover: a rule's documentation over its code or name in a suppression comment
//! (`<!-- rasalint-disable-next-line RL202 -->`, `# rasalint: disable=RL106`), so a reader
//! of the data learns what is switched off, and why it matters, without leaving the file.

use lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind, Position};

use super::Document;
use super::convert::{self, Encoding};

/// The documentation of the rule named under the cursor, when the cursor's line is a
/// suppression comment.
pub fn hover(document: &Document, position: Position, encoding: Encoding) -> Option<Hover> {
    let at = document.at(position, encoding)?;
    let line = at.line();
    if !line.contains("rasalint-disable") && !line.contains("rasalint: disable=") {
        return None;
    }
    // Rule selectors are separated by spaces, commas and the comment's own punctuation.
    let word = at.word(|c| c.is_ascii_alphanumeric() || c == '-');
    let rule = crate::engine::find_rule(&line[word.clone()])?.meta();
    let severity = if rule.enabled_by_default {
        rule.severity.as_str()
    } else {
        "off by default"
    };
    let markdown = format!(
        "**{} {}** ({severity})\n\n{}\n\n{}",
        rule.code,
        rule.name,
        rule.summary,
        rule.documentation()
    );
    let span = at.line_start + word.start..at.line_start + word.end;
    let range = convert::range(&at.file, &span, encoding);
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: markdown,
        }),
        range: Some(range),
    })
}
