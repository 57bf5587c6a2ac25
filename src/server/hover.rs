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
    let (file, line_start, cursor) = (&at.file, at.line_start, at.cursor);
    let text = &file.text;
    let line_end = text[cursor..]
        .find(['\n', '\r'])
        .map_or(text.len(), |e| cursor + e);
    let line = &text[line_start..line_end];
    if !line.contains("rasalint-disable") && !line.contains("rasalint: disable=") {
        return None;
    }
    // Rule selectors are separated by spaces, commas and the comment's own punctuation.
    let is_selector_char = |c: char| c.is_ascii_alphanumeric() || c == '-';
    let in_line = cursor - line_start;
    let start = line[..in_line]
        .rfind(|c: char| !is_selector_char(c))
        .map_or(0, |at| at + 1);
    let end = line[in_line..]
        .find(|c: char| !is_selector_char(c))
        .map_or(line.len(), |at| in_line + at);
    let rule = crate::engine::find_rule(&line[start..end])?.meta();
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
    let range = convert::range(file, &(line_start + start..line_start + end), encoding);
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: markdown,
        }),
        range: Some(range),
    })
}
