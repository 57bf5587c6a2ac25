use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Edit};
use crate::model::Project;
use crate::model::dialogue::{Step, StepKind, StoryBlock, StoryFile};
use crate::rule::Rule;
use crate::source::{FileId, Span};
use crate::style::describe_whitespace;
use crate::syntax::python::{is_line_break, is_space};

declare_rule! {
    /// ## What it does
    /// Reports story action and event lines (`- utter_greet`, `- slot{…}`) indented
    /// differently from most of the action lines of the same file.
    ///
    /// The file's indentation is the one most of its action lines use (on a tie, the one
    /// that comes first), so a file indented by 2 spaces and one indented by 4 are both
    /// fine; only the lines that differ are reported. A story whose action lines all share
    /// one other indentation (usually a story copied from another file) is reported once,
    /// at its first action line; otherwise each differing line is reported.
    ///
    /// User turns (`* greet`) and checkpoints (`> name`) are not checked: every bot writes
    /// them at the start of the line. Neither is a stray `-->` line (Rasa reads it as an
    /// action named `->`; `unterminated-comment` reports it), nor lines inside comments.
    ///
    /// Markdown files only: in YAML the indentation is the structure (a step indented
    /// unlike its neighbours is a syntax error or another key's value, which the YAML
    /// readers report), and indenting a list under its key or not reads the same.
    ///
    /// ## Why is this bad?
    /// Rasa strips every line, so it reads the story the same, but a story indented unlike
    /// its neighbours looks as if it meant something else (a nested list, a code block in
    /// a Markdown viewer), and every edit by another writer reindents lines in the diff.
    /// A TAB is shown at a different width by every editor.
    ///
    /// ## Example
    /// ```md
    /// ## happy path
    /// * greet
    ///     - utter_greet
    ///
    /// ## sad path
    /// * greet
    ///   - utter_greet        <- 2 spaces; the rest of the file uses 4
    /// ```
    ///
    /// ## Fix
    /// `rasalint check --fix` reindents the reported lines like the rest of the file:
    /// Rasa strips every story line, so it reads the file the same.
    pub struct InconsistentIndentation {
        code: "RL503",
        name: "inconsistent-indentation",
        severity: Warning,
        surfaces: [Markdown],
        summary: "story action lines indented differently within a file",
    }
}

impl Rule for InconsistentIndentation {
    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        for (file, stories) in project.markdown_story_files() {
            let text = &project.file(file).text;
            let Some(usual) = usual_indentation(text, stories) else {
                continue;
            };
            for block in &stories.blocks {
                check_block(file, text, block, &usual, out);
            }
        }
    }
}

/// The indentation in words: "indented by 2 spaces", "not indented".
fn indented(indent: &str) -> String {
    if indent.is_empty() {
        "not indented".to_string()
    } else {
        format!("indented by {}", describe_whitespace(indent))
    }
}

/// The indentation of an action or event line: the whitespace between the start of the
/// line and its `-`. `None` for other steps, and when something other than whitespace
/// (a removed comment) comes first.
fn action_indentation<'t>(text: &'t str, step: &Step) -> Option<&'t str> {
    if matches!(step.kind, StepKind::User(_) | StepKind::Checkpoint { .. }) {
        return None;
    }
    let start = step.span().start;
    let line = text.get(start..)?;
    // A stray `-->` is an action to Rasa, but no action line to the writer.
    if !line.starts_with('-') || line.starts_with("-->") {
        return None;
    }
    let before = &text[..start];
    let indent_start = before
        .trim_end_matches(|c: char| is_space(c) && !is_line_break(c))
        .len();
    let at_line_start = before[..indent_start]
        .chars()
        .next_back()
        .is_none_or(is_line_break);
    at_line_start.then(|| &text[indent_start..start])
}

/// The indentation most action lines of the file use, when they use more than one.
struct Usual<'t> {
    indent: &'t str,
    /// How many action lines use it.
    lines: usize,
}

fn usual_indentation<'t>(text: &'t str, stories: &StoryFile) -> Option<Usual<'t>> {
    // Files use one to three indentations: a short list beats a map.
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for indent in stories.steps().filter_map(|s| action_indentation(text, s)) {
        match counts.iter_mut().find(|(seen, _)| *seen == indent) {
            Some((_, n)) => *n += 1,
            None => counts.push((indent, 1)),
        }
    }
    if counts.len() < 2 {
        return None;
    }
    // `max_by_key` keeps the last of equal counts; reversing keeps the first seen.
    let (indent, lines) = counts.into_iter().rev().max_by_key(|(_, n)| *n)?;
    Some(Usual { indent, lines })
}

/// The indentation and the `-` of a line.
fn marker_span(step: &Step, indent: &str) -> Span {
    step.span().start - indent.len()..step.span().start + 1
}

fn check_block(
    file: FileId,
    text: &str,
    block: &StoryBlock,
    usual: &Usual,
    out: &mut Vec<Diagnostic>,
) {
    let lines = || {
        block
            .steps
            .iter()
            .filter_map(|step| action_indentation(text, step).map(|indent| (step, indent)))
    };
    let mut differing = lines().filter(|(_, indent)| *indent != usual.indent);
    let Some((first, first_indent)) = differing.next() else {
        return;
    };
    let whole_block = lines().all(|(_, indent)| indent == first_indent);
    if whole_block {
        let fix = lines()
            .map(|(step, indent)| reindent_edit(step, indent, usual))
            .collect();
        out.push(
            block_finding(file, block, first, first_indent, lines().count(), usual).with_fix(fix),
        );
        return;
    }
    for (step, indent) in lines().filter(|(_, indent)| *indent != usual.indent) {
        let fix = vec![reindent_edit(step, indent, usual)];
        out.push(line_finding(file, text, step, indent, usual).with_fix(fix));
    }
}

/// The edit that gives an action line the file's usual indentation.
fn reindent_edit(step: &Step, indent: &str, usual: &Usual) -> Edit {
    Edit {
        span: step.span().start - indent.len()..step.span().start,
        text: usual.indent.to_string(),
    }
}

fn block_finding(
    file: FileId,
    block: &StoryBlock,
    first: &Step,
    indent: &str,
    count: usize,
    usual: &Usual,
) -> Diagnostic {
    let lines = match count {
        1 => "the action line".to_string(),
        n => format!("the {n} action lines"),
    };
    let verb = if count == 1 { "is" } else { "are" };
    let message = format!(
        "{lines} of story `{}` {verb} {}; {}",
        block.name,
        indented(indent),
        usual_phrase(usual)
    );
    Diagnostic::new(
        &InconsistentIndentation::META,
        file,
        marker_span(first, indent),
        message,
    )
    .with_label(indented(indent))
    .with_help(format!(
        "{} like the rest of the file (Rasa ignores indentation, so this changes only the layout)",
        reindent(if count == 1 { "it" } else { "them" }, usual.indent)
    ))
}

fn line_finding(file: FileId, text: &str, step: &Step, indent: &str, usual: &Usual) -> Diagnostic {
    let name = text.get(step.name_span()).unwrap_or_default();
    let what = match step.kind {
        StepKind::Action { .. } => format!("action `{name}`"),
        _ => format!("`{name}` event"),
    };
    let message = format!("{what} is {}; {}", indented(indent), usual_phrase(usual));
    Diagnostic::new(
        &InconsistentIndentation::META,
        file,
        marker_span(step, indent),
        message,
    )
    .with_label(indented(indent))
    .with_help(format!(
        "{} like the rest of the file (Rasa ignores indentation, so this changes only the layout)",
        reindent("it", usual.indent)
    ))
}

/// What to do to `lines`: "indent them by 4 spaces", "start them at the beginning of
/// the line".
fn reindent(lines: &str, indent: &str) -> String {
    if indent.is_empty() {
        format!("start {lines} at the beginning of the line")
    } else {
        format!("indent {lines} by {}", describe_whitespace(indent))
    }
}

/// "the other 220 action lines of this file are indented by 4 spaces".
fn usual_phrase(usual: &Usual) -> String {
    match usual.lines {
        1 => format!(
            "the other action line of this file is {}",
            indented(usual.indent)
        ),
        n => format!(
            "{n} other action lines of this file are {}",
            indented(usual.indent)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describes_indentation() {
        assert_eq!(indented(""), "not indented");
        assert_eq!(indented("  "), "indented by 2 spaces");
    }
}
