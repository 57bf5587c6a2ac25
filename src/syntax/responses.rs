//! Retrieval responses Markdown (`responses.md`), read as Rasa 1.10's NLG reader reads it
//! (spec §4): `## title`, `* intent/key`, `  - text` lines, no comment support at all.

use crate::model::dialogue::SkippedLine;
use crate::model::responses::{ResponseEntry, ResponsesFile};
use crate::source::{FileId, Span};
use crate::syntax::problem::{Problem, ProblemKind};
use crate::syntax::python::{splitlines, strip_range};

/// Parses one responses Markdown file.
pub fn parse_responses(file: FileId, text: &str) -> (ResponsesFile, Vec<Problem>) {
    let mut out = ResponsesFile::default();
    let mut problems = Vec::new();
    let mut pending: Option<(String, Span)> = None;
    let mut texts = Vec::new();
    for (index, range) in splitlines(text).into_iter().enumerate() {
        let kept = strip_range(&text[range.clone()]);
        let span = range.start + kept.start..range.start + kept.end;
        let line = &text[span.clone()];
        if line.is_empty() {
            continue;
        }
        if line.starts_with('#') {
            if let Some((key, key_span)) = pending.take() {
                out.entries
                    .push(entry(key, key_span, std::mem::take(&mut texts)));
            }
        } else if line.starts_with('-') {
            texts.push(rejoin(line, "- ", "-").replace("\\n", "\n"));
        } else if line.starts_with('*') {
            let key = rejoin(line, "* ", "*");
            pending = (!key.is_empty()).then_some((key, span));
        } else {
            out.skipped.push(SkippedLine {
                line: index + 1,
                span: span.clone(),
                text: line.to_string(),
            });
            problems.push(
                Problem::new(ProblemKind::InvalidStoryLine, file, span, format!("Rasa skips line {} of this responses file", index + 1))
                    .with_help("responses files hold only `## title`, `* intent/key` and `- text` lines; they support no comments"),
            );
        }
    }
    if let Some((key, key_span)) = pending {
        out.entries.push(entry(key, key_span, texts));
    }
    (out, problems)
}

fn entry(key: String, key_span: Span, texts: Vec<String>) -> ResponseEntry {
    ResponseEntry {
        key,
        key_span,
        texts,
        variations: Vec::new(),
        json: None,
    }
}

/// Rasa's `joiner.join(line.split(separator)[1:])`: everything after the first separator,
/// with later separators collapsed to `joiner` (`- a - b` reads `a -b`).
fn rejoin(line: &str, separator: &str, joiner: &str) -> String {
    line.split(separator)
        .skip(1)
        .collect::<Vec<_>>()
        .join(joiner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_blocks_with_rasas_quirks() {
        let text = "## a\n* faq/ask\n  - one - two\n  - line\\nbreak\n## b\n*faq/x\n- lost\n";
        let (file, diags) = parse_responses(FileId(0), text);
        assert!(diags.is_empty());
        assert_eq!(file.entries.len(), 1);
        assert_eq!(file.entries[0].key, "faq/ask");
        assert_eq!(file.entries[0].texts, ["one -two", "line\nbreak"]);
    }
}
