use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Edit};
use crate::model::Project;
use crate::rule::Rule;
use crate::source::{FileId, SourceFile, Span};
use crate::style::is_file_style;
use crate::syntax::python::{splitlines, strip, strip_range};

declare_rule! {
    /// ## What it does
    /// Reports an NLU section header (`## intent:greet`), a story header (`## happy
    /// path`) or a `##` line of a responses file that is not preceded by exactly one
    /// blank line: none, or two and more.
    ///
    /// What counts:
    /// - Comment lines directly above a header (`<!-- greetings -->`, or a whole
    ///   multi-line comment) belong to it: the blank line is expected above them. A
    ///   comment with blank lines on both sides stands between the blocks, and only the
    ///   blank lines between it and the header are counted.
    /// - Lines holding only spaces or TABs count as blank (`trailing-whitespace` reports
    ///   the spaces).
    /// - The first header of a file is not checked: what comes before it (nothing, a
    ///   title comment, or the blank line Rasa's story writer starts a file with) is the
    ///   file's own. Blank lines at the end of a file are not checked either.
    /// - A header right below another header is left to `empty-section` and `empty-story`:
    ///   the first of the two has no items, which is the real mistake.
    ///
    /// When most of a file's headers (more than half, and at least 4) are spaced another
    /// way, that is the file's own style: the file is reported once, at the first such
    /// header, with the count.
    ///
    /// Markdown files only: YAML stories, rules and intents are list items that need no
    /// blank line to be told apart, and Rasa's own YAML writer puts none between them.
    ///
    /// ## Why is this bad?
    /// Rasa ignores blank lines, so this is layout only, but one blank line between blocks
    /// is what Rasa's own writer produces and what every reader expects: without it, the
    /// end of one intent or story runs into the next, and a double blank line reads as a
    /// gap where something was deleted.
    ///
    /// ## Example
    /// ```md
    /// ## intent:greet
    /// - hello
    /// ## intent:goodbye      <- no blank line above
    /// - bye
    ///
    ///
    /// ## intent:thanks       <- 2 blank lines above
    /// - thanks
    /// ```
    ///
    /// ## Fix
    /// `rasalint check --fix` leaves one blank line above each reported block (inserting
    /// one, or removing the extra ones): Rasa ignores blank lines in these files.
    pub struct BlankLineBetweenBlocks {
        code: "RL505",
        name: "blank-line-between-blocks",
        severity: Warning,
        surfaces: [Markdown],
        summary: "sections or stories not separated by one blank line",
    }
}

impl Rule for BlankLineBetweenBlocks {
    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        for (file, nlu) in project.nlu_files() {
            let headers = nlu.sections.iter().map(|s| s.header_span.clone());
            check_file(file, project.file(file), "section", headers, out);
        }
        for (file, stories) in project.markdown_story_files() {
            let headers = stories.blocks.iter().map(|b| b.header_span.clone());
            check_file(file, project.file(file), "story", headers, out);
        }
        for (file, _) in project.nlg_files() {
            let source = project.file(file);
            let headers = response_headers(&source.text);
            check_file(file, source, "response", headers.into_iter(), out);
        }
    }
}

/// The `#` lines of a responses file, which end one response and start the next (Rasa's
/// responses reader: lines split as `splitlines`, stripped, no comments).
fn response_headers(text: &str) -> Vec<Span> {
    splitlines(text)
        .into_iter()
        .filter_map(|range| {
            let kept = strip_range(&text[range.clone()]);
            let span = range.start + kept.start..range.start + kept.end;
            text[span.clone()].starts_with('#').then_some(span)
        })
        .collect()
}

/// A header that is not preceded by exactly one blank line: how many there are.
struct Gap {
    header: Span,
    blank_lines: usize,
    /// Whether comment lines directly above the header open its block.
    commented: bool,
    /// The edit that leaves exactly one blank line above the block.
    fix: Edit,
}

fn check_file(
    file: FileId,
    source: &SourceFile,
    block: &str,
    headers: impl Iterator<Item = Span>,
    out: &mut Vec<Diagnostic>,
) {
    let text = &source.text;
    // Headers must open their line: `- what ## mean: x` is an example Rasa misreads as
    // a header, reported by `misplaced-header`, not a block of its own.
    let headers = headers.filter(|h| text.get(h.clone()).is_some_and(|t| t.starts_with('#')));
    let mut checked = 0;
    let mut gaps: Vec<Gap> = Vec::new();
    let mut previous: Option<Span> = None;
    for header in headers {
        let Some(floor) = previous.replace(header.clone()).map(|p| p.end) else {
            continue;
        };
        let Some(above) = blank_lines_above(source, header.start, floor) else {
            continue;
        };
        checked += 1;
        if above.blank_lines != 1 {
            gaps.push(Gap {
                header,
                blank_lines: above.blank_lines,
                commented: above.commented,
                fix: above.one_blank_line(source),
            });
        }
    }
    let Some(first) = gaps.first() else {
        return;
    };
    if is_file_style(gaps.len(), checked) {
        let fix = gaps.iter().map(|gap| gap.fix.clone()).collect();
        out.push(file_style_finding(file, block, first, gaps.len(), checked).with_fix(fix));
        return;
    }
    for gap in &gaps {
        out.push(gap_finding(file, text, block, gap).with_fix(vec![gap.fix.clone()]));
    }
}

/// The blank lines above a block (its header, with the comment lines that open it).
struct Above {
    /// The 1-based line the block starts on.
    block_line: usize,
    blank_lines: usize,
    commented: bool,
}

impl Above {
    /// The edit that leaves exactly one blank line above the block: a line break inserted
    /// (the file's own, after the line above), or the blank lines after the first removed.
    fn one_blank_line(&self, source: &SourceFile) -> Edit {
        let block_start = source.line_start(self.block_line);
        if self.blank_lines == 0 {
            let above = &source.text[..block_start];
            let line_break = if above.ends_with("\r\n") {
                "\r\n"
            } else if above.ends_with('\r') {
                "\r"
            } else {
                "\n"
            };
            return Edit {
                span: block_start..block_start,
                text: line_break.to_string(),
            };
        }
        let first_blank = self.block_line - self.blank_lines;
        Edit {
            span: source.line_start(first_blank + 1)..block_start,
            text: String::new(),
        }
    }
}

/// How many blank lines separate the header at `header` (with the comment lines directly
/// above it) from the line before them, and whether there are such comment lines. `None`
/// when nothing comes before, or when that line is another header (an empty block,
/// reported by other rules). Nothing before `floor`, the end of the previous header, is
/// read, so a file is read once.
fn blank_lines_above(source: &SourceFile, header: usize, floor: usize) -> Option<Above> {
    let header_line = source.line_col(header).line;
    let mut line = header_line;
    // The comment lines directly above belong to the header.
    while line > 1 {
        match comment_above(source, line, floor) {
            Some(opening_line) => line = opening_line,
            None => break,
        }
    }
    let commented = line < header_line;
    let block_line = line;
    let mut blank_lines = 0;
    while line > 1 {
        let above = line_text(source, line - 1);
        if !strip(above).is_empty() {
            let is_header = above.trim_start().starts_with('#');
            return (!(is_header && blank_lines == 0)).then_some(Above {
                block_line,
                blank_lines,
                commented,
            });
        }
        blank_lines += 1;
        line -= 1;
    }
    None
}

/// When the line above `line` ends a comment that opens at the start of its line (a
/// comment of its own, on one line or several), the line where that comment opens. The
/// opening is looked for after `floor` only.
fn comment_above(source: &SourceFile, line: usize, floor: usize) -> Option<usize> {
    let above = line_text(source, line - 1);
    let trimmed = above.trim_end();
    if !trimmed.ends_with("-->") {
        return None;
    }
    let end = source.line_start(line - 1) + trimmed.len();
    let open = floor + source.text.get(floor..end)?.rfind("<!--")?;
    let opening_line = source.line_col(open).line;
    let before_open = &source.text[source.line_start(opening_line)..open];
    strip(before_open).is_empty().then_some(opening_line)
}

/// The text of 1-based `line`, without its line break.
fn line_text(source: &SourceFile, line: usize) -> &str {
    let start = source.line_start(line);
    let end = source.line_start(line + 1);
    let end = if end > start { end } else { source.text.len() };
    source.text[start..end].trim_end_matches(['\n', '\r'])
}

/// The header as written, for the message.
fn header_text<'t>(text: &'t str, header: &Span) -> &'t str {
    text.get(header.clone()).unwrap_or_default().trim()
}

fn describe_blank_lines(blank_lines: usize) -> String {
    match blank_lines {
        0 => "no blank line".to_string(),
        n => format!("{n} blank lines"),
    }
}

fn gap_finding(file: FileId, text: &str, block: &str, gap: &Gap) -> Diagnostic {
    let header = header_text(text, &gap.header);
    let (message, label, help) = if gap.blank_lines == 0 {
        let above = if gap.commented {
            format!("the comment that opens the {block}")
        } else {
            format!("the {block}")
        };
        (
            format!("no blank line before `{header}`"),
            format!("directly after the previous {block}"),
            format!("leave one blank line above {above}"),
        )
    } else {
        (
            format!("{} blank lines before `{header}`", gap.blank_lines),
            format!("{} blank lines above", gap.blank_lines),
            "leave only one of the blank lines".to_string(),
        )
    };
    Diagnostic::new(&BlankLineBetweenBlocks::META, file, gap.header.clone(), message)
        .with_label(label)
        .with_help(format!(
            "{help}: one blank line between blocks is what Rasa's own writer produces (Rasa ignores blank lines, so only the layout changes)"
        ))
}

fn file_style_finding(
    file: FileId,
    block: &str,
    first: &Gap,
    gaps: usize,
    checked: usize,
) -> Diagnostic {
    Diagnostic::new(
        &BlankLineBetweenBlocks::META,
        file,
        first.header.clone(),
        format!(
            "{gaps} of the {checked} {block} headers after the first in this file are not preceded by exactly one blank line"
        ),
    )
    .with_label(format!(
        "the first: {} above",
        describe_blank_lines(first.blank_lines)
    ))
    .with_help(
        "leave one blank line above each header, as Rasa's own writer does (Rasa ignores blank lines, so only the layout changes), or keep this file's style with `<!-- rasalint-disable-file RL505 -->`",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn source(text: &str) -> SourceFile {
        SourceFile::new(PathBuf::new(), PathBuf::new(), text.to_string())
    }

    fn blanks(text: &str, header: &str) -> Option<usize> {
        let source = source(text);
        let at = text.find(header).unwrap();
        blank_lines_above(&source, at, 0).map(|above| above.blank_lines)
    }

    #[test]
    fn counts_blank_lines_above_a_header() {
        assert_eq!(blanks("## a\n- x\n## b\n", "## b"), Some(0));
        assert_eq!(blanks("## a\n- x\n\n## b\n", "## b"), Some(1));
        assert_eq!(blanks("## a\r\n- x\r\n  \r\n\r\n## b\r\n", "## b"), Some(2));
    }

    #[test]
    fn comments_directly_above_belong_to_the_header() {
        assert_eq!(blanks("## a\n- x\n\n<!-- c -->\n## b\n", "## b"), Some(1));
        assert_eq!(
            blanks("## a\n- x\n\n<!-- c\nd -->\n## b\n", "## b"),
            Some(1)
        );
        assert_eq!(blanks("## a\n- x\n<!-- c -->\n\n## b\n", "## b"), Some(1));
        assert_eq!(blanks("## a\n- x <!-- c\nd -->\n## b\n", "## b"), Some(0));
    }

    #[test]
    fn skips_the_first_block_and_stacked_headers() {
        assert_eq!(blanks("\n\n## a\n", "## a"), None);
        assert_eq!(blanks("## a\n## b\n", "## b"), None);
        assert_eq!(blanks("## a\n\n\n## b\n", "## b"), Some(2));
    }
}
