use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::rule::{Rule, RuleMeta};
use crate::source::FileId;

declare_rule! {
    /// ## What it does
    /// Reports spaces or TABs at the end of a line in training data, domain and config
    /// files.
    ///
    /// ## Why is this bad?
    /// Invisible in review, noisy in diffs, and editors strip them differently, so two
    /// writers keep changing each other's lines. Rasa strips them when it reads.
    ///
    /// ## Example
    /// `- hello␠␠` (two spaces after the example).
    pub struct TrailingWhitespace {
        code: "RL501",
        name: "trailing-whitespace",
        severity: Warning,
        summary: "spaces or tabs at line end",
    }
}

impl Rule for TrailingWhitespace {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        for (index, (file, parsed)) in project.files.iter().zip(&project.parsed).enumerate() {
            if parsed.kind().is_none() {
                continue;
            }
            let mut start = 0;
            for line in file.text.split_inclusive('\n') {
                let content = line.trim_end_matches(['\n', '\r']);
                let trimmed = content.trim_end_matches([' ', '\t']);
                if trimmed.len() < content.len() {
                    let span = start + trimmed.len()..start + content.len();
                    out.push(
                        Diagnostic::new(
                            &Self::META,
                            FileId(index as u32),
                            span,
                            "trailing whitespace",
                        )
                        .with_help("remove the spaces or TABs at the end of the line"),
                    );
                }
                start += line.len();
            }
        }
    }
}
