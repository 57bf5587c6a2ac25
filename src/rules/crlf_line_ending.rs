use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Edit};
use crate::model::Project;
use crate::rule::Rule;
use crate::source::FileId;

declare_rule! {
    /// ## What it does
    /// Reports a training data, domain or config file with Windows (CRLF) line endings, or
    /// with a mix of line endings, once per file at the first CRLF.
    ///
    /// ## Why is this bad?
    /// Rasa reads CRLF files correctly, but mixed endings make every edit by another
    /// writer's editor rewrite whole files in the diff, and some tools (and `grep $`) see
    /// a stray `\r` at every line end.
    ///
    /// ## Example
    /// A `stories.md` saved by a Windows editor without `.gitattributes`.
    ///
    /// ## Fix
    /// `rasalint check --fix` writes every CRLF as LF; Rasa reads both the same. A file
    /// that also has a lone CR (an old Mac line break) is left alone: next to it, taking
    /// the CR out of a CRLF would remove a line break Rasa reads.
    pub struct CrlfLineEnding {
        code: "RL506",
        name: "crlf-line-ending",
        severity: Warning,
        summary: "CRLF or mixed line endings",
    }
}

impl Rule for CrlfLineEnding {
    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        for (index, (file, parsed)) in project.files.iter().zip(&project.parts).enumerate() {
            // A file the bot's Rasa version does not read is RL016's.
            if !project.reads(crate::source::FileId(index as u32)) {
                continue;
            }
            let text = &file.text;
            // A file without any CR (nearly all) is ruled out by one memchr.
            if parsed.kind().is_none() || memchr::memchr(b'\r', text.as_bytes()).is_none() {
                continue;
            }
            let Some(first) = text.find("\r\n") else {
                continue;
            };
            let crlf = text.matches("\r\n").count();
            let lf = text.matches('\n').count() - crlf;
            let message = if lf > 0 {
                format!("mixed line endings: {crlf} CRLF and {lf} LF")
            } else {
                "Windows (CRLF) line endings".to_string()
            };
            // Rasa reads files with universal newlines and YAML normalises line breaks: an
            // LF reads the same as a CRLF everywhere. Not beside a lone CR, though: `\r\r\n`
            // is two line breaks, and `\r\n` one.
            let lone_cr = memchr::memchr_iter(b'\r', text.as_bytes())
                .any(|at| text.as_bytes().get(at + 1) != Some(&b'\n'));
            let fix = if lone_cr {
                Vec::new()
            } else {
                text.match_indices("\r\n")
                    .map(|(at, _)| Edit {
                        span: at..at + 2,
                        text: "\n".to_string(),
                    })
                    .collect()
            };
            out.push(
                Diagnostic::new(&Self::META, FileId(index as u32), first..first + 2, message)
                    .with_help("save the file with LF line endings; a `.gitattributes` line `*.md text eol=lf` keeps it that way")
                    .with_fix(fix),
            );
        }
    }
}
