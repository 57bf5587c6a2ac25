use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Edit};
use crate::model::Project;
use crate::rule::Rule;
use crate::source::FileId;

declare_rule! {
    /// ## What it does
    /// Reports a training data, domain or config file whose last line has no line break.
    ///
    /// ## Why is this bad?
    /// Appending to the file (by hand, by a script, by `cat`) glues the new text onto the
    /// last line, and every such change shows the old last line as modified in the diff.
    ///
    /// ## Example
    /// A `nlu.md` whose last bytes are `- bye` with no newline after them.
    ///
    /// ## Fix
    /// `rasalint check --fix` adds the line break to Markdown files, and to YAML files
    /// whose last line is no string's text: after a block scalar (`|`) at the end of the
    /// file the line break would become part of that text, so there it is only reported.
    pub struct MissingFinalNewline {
        code: "RL504",
        name: "missing-final-newline",
        severity: Warning,
        summary: "file does not end with a newline",
    }
}

impl Rule for MissingFinalNewline {
    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        for (index, (file, parsed)) in project.files.iter().zip(&project.parts).enumerate() {
            // A file the bot's Rasa version does not read is RL016's.
            if !project.reads(crate::source::FileId(index as u32)) {
                continue;
            }
            let text = &file.text;
            let Some(kind) = parsed.kind() else {
                continue;
            };
            if text.is_empty() || text.ends_with(['\n', '\r']) {
                continue;
            }
            let last = text.char_indices().next_back().map_or(0, |(i, _)| i);
            let diagnostic = Diagnostic::new(
                &Self::META,
                FileId(index as u32),
                last..text.len(),
                "the file does not end with a newline",
            )
            .with_help("add a line break after the last line");
            let line_break = Edit {
                span: text.len()..text.len(),
                text: "\n".to_string(),
            };
            // Rasa strips every Markdown line. In YAML a last line break can become part
            // of a block scalar's text: added only where the reading stays the same.
            let fix = if kind.is_markdown() {
                vec![line_break]
            } else {
                crate::rules::yaml_safe_edits::keeping_values(text, vec![line_break])
            };
            out.push(diagnostic.with_fix(fix));
        }
    }
}
