use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::{FileKind, Project};
use crate::rule::Rule;

declare_rule! {
    /// ## What it does
    /// Reports TAB characters inside lines of NLU and responses files (not at their edges,
    /// which Rasa strips, and not in stories, whose lines Rasa strips and splits on other
    /// characters).
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

impl Rule for TabCharacter {
    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        for (index, parsed) in project.parts.iter().enumerate() {
            // A file the bot's Rasa version does not read is RL016's.
            if !project.reads(crate::source::FileId(index as u32)) {
                continue;
            }
            if !matches!(
                parsed.kind(),
                Some(FileKind::Nlu | FileKind::Stories | FileKind::Nlg)
            ) {
                continue;
            }
            let file = crate::source::FileId(index as u32);
            let text = &project.files[index].text;
            if !text.contains('\t') {
                continue;
            }
            let mut line_start = 0;
            for line in text.split_inclusive(['\n', '\r']) {
                // Leading and trailing TABs are stripped with the rest of the whitespace.
                let kept = crate::syntax::python::strip_range(line);
                if let Some(tab) = line[kept.clone()].find('\t').map(|t| kept.start + t) {
                    let at = line_start + tab;
                    out.push(
                        Diagnostic::new(
                            &Self::META,
                            file,
                            at..at + 1,
                            "TAB character in training data",
                        )
                        .with_help(
                            "replace it with spaces: Rasa 2.x crashes on a TAB inside an NLU line",
                        ),
                    );
                }
                line_start += line.len();
            }
        }
    }
}
