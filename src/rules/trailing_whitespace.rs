use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Edit};
use crate::discover::has_story_pattern;
use crate::model::Project;
use crate::model::nlu::NluFile;
use crate::rule::Rule;
use crate::source::FileId;

declare_rule! {
    /// ## What it does
    /// Reports spaces or TABs at the end of a line in training data, domain and config
    /// files.
    ///
    /// ## Why is this bad?
    /// Invisible in review, noisy in diffs, and editors strip them differently, so two
    /// writers keep changing each other's lines. Rasa strips them when it reads Markdown;
    /// YAML drops them after a plain value, but keeps them inside a block scalar (`|`), so
    /// a response text written as a block ends with them.
    ///
    /// ## Example
    /// `- hello␠␠` (two spaces after the example).
    ///
    /// ## Fix
    /// `rasalint check --fix` removes them from Markdown files, except spaces after a
    /// `##` with nothing else after it: they can be what makes Rasa read the file as
    /// stories. In YAML it removes spaces after keys, plain values and comments, and on
    /// blank lines between entries; inside a string written over several lines (a block
    /// scalar's `|` text, a multi-line quote) they are part of the text and only
    /// reported, as are TABs, and everything in a file whose reading the removal would
    /// change or that does not parse. A line of blanks inside an `examples` string is
    /// left to RL004: Rasa drops the whole line, and RL004's fix removes it.
    pub struct TrailingWhitespace {
        code: "RL501",
        name: "trailing-whitespace",
        severity: Warning,
        summary: "spaces or tabs at line end",
    }
}

impl Rule for TrailingWhitespace {
    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        for (index, (file, parsed)) in project.files.iter().zip(&project.parts).enumerate() {
            // A file the bot's Rasa version does not read is RL016's.
            if !project.reads(crate::source::FileId(index as u32)) {
                continue;
            }
            let Some(kind) = parsed.kind() else {
                continue;
            };
            // A line of blanks in an `examples` string is RL004's: Rasa drops the line, and
            // that finding says so and removes it whole.
            let dropped = dropped_line_starts(parsed.nlu.as_ref(), &file.text);
            let spans: Vec<std::ops::Range<usize>> = trailing_whitespace(&file.text)
                .filter(|span| !dropped.contains(&span.start))
                .collect();
            let yaml_fixable = if kind.is_markdown() || spans.is_empty() {
                rustc_hash::FxHashSet::default()
            } else {
                yaml_fixable(&file.text, &spans)
            };
            for span in spans {
                let diagnostic = Diagnostic::new(
                    &Self::META,
                    FileId(index as u32),
                    span.clone(),
                    "trailing whitespace",
                )
                .with_help("remove the spaces or TABs at the end of the line");
                // Rasa strips every Markdown line. Not a line like `## ` though: Rasa
                // tells story files by a `##` with something after it, and the spaces
                // may be that something. In YAML, only where the reading stays the same.
                let fixable = if kind.is_markdown() {
                    !keeps_a_story_pattern(&file.text, &span)
                } else {
                    yaml_fixable.contains(&span.start)
                };
                out.push(if fixable {
                    diagnostic.with_fix(vec![Edit {
                        span,
                        text: String::new(),
                    }])
                } else {
                    diagnostic
                });
            }
        }
    }
}

/// Where the lines Rasa drops from the `examples` strings of `nlu` start in `text`: a
/// line of blanks there has its trailing whitespace start at that same offset.
fn dropped_line_starts(nlu: Option<&NluFile>, text: &str) -> rustc_hash::FxHashSet<usize> {
    nlu.into_iter()
        .flat_map(NluFile::dropped_lines)
        .filter_map(|line| {
            let before = text.get(..line.start)?;
            Some(before.rfind(['\n', '\r']).map_or(0, |i| i + 1))
        })
        .collect()
}

/// Where the fixable blanks of a YAML file start: spaces only (a TAB may be what Rasa's
/// YAML reader refuses, and removing it would change that), outside strings written over
/// several lines, and only if removing them all keeps every value.
fn yaml_fixable(text: &str, spans: &[std::ops::Range<usize>]) -> rustc_hash::FxHashSet<usize> {
    let edits = spans
        .iter()
        .filter(|span| !text[(*span).clone()].contains('\t'))
        .map(|span| Edit {
            span: span.clone(),
            text: String::new(),
        })
        .collect();
    let safe = crate::rules::yaml_safe_edits::keeping_values(text, edits);
    safe.iter().map(|e| e.span.start).collect()
}

/// Whether the line of the whitespace at `span` has Rasa's story pattern (`##` and a
/// character after it) only thanks to that whitespace.
fn keeps_a_story_pattern(text: &str, span: &std::ops::Range<usize>) -> bool {
    let line_start = text[..span.start].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let line_end = text[span.end..]
        .find(['\n', '\r'])
        .map_or(text.len(), |i| span.end + i);
    let line = &text[line_start..line_end];
    let without = &text[line_start..span.start];
    has_story_pattern(line) && !has_story_pattern(without)
}

/// The spaces and TABs before each line's end (`\n`, after any `\r`s), found from the
/// line ends backwards: one `memchr` pass over the text and a few bytes per line.
fn trailing_whitespace(text: &str) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    let bytes = text.as_bytes();
    let ends = memchr::memchr_iter(b'\n', bytes).chain(std::iter::once(bytes.len()));
    let mut line_start = 0;
    ends.filter_map(move |end| {
        let start = std::mem::replace(&mut line_start, end + 1);
        let mut content_end = end;
        while content_end > start && bytes[content_end - 1] == b'\r' {
            content_end -= 1;
        }
        let mut trimmed_end = content_end;
        while trimmed_end > start && matches!(bytes[trimmed_end - 1], b' ' | b'\t') {
            trimmed_end -= 1;
        }
        (trimmed_end < content_end).then_some(trimmed_end..content_end)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte scan finds what trimming each line finds.
    #[test]
    fn finds_what_trimming_each_line_finds() {
        fn by_lines(text: &str) -> Vec<std::ops::Range<usize>> {
            let mut found = Vec::new();
            let mut start = 0;
            for line in text.split_inclusive('\n') {
                let content = line.trim_end_matches(['\n', '\r']);
                let trimmed = content.trim_end_matches([' ', '\t']);
                if trimmed.len() < content.len() {
                    found.push(start + trimmed.len()..start + content.len());
                }
                start += line.len();
            }
            found
        }
        for text in [
            "",
            "a",
            "a \n",
            "a\t\r\n b \r\r\n",
            " \n\n  ",
            "x \ny\t",
            "\r\n \r",
            "é \n中\t",
        ] {
            assert_eq!(
                trailing_whitespace(text).collect::<Vec<_>>(),
                by_lines(text),
                "{text:?}"
            );
        }
    }
}
