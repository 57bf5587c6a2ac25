use crate::diagnostic::Diagnostic;
use crate::rule::RuleMeta;
use crate::source::FileId;
use crate::{declare_rule, impl_syntax_rule};

declare_rule! {
    /// ## What it does
    /// Reports that rasalint itself failed on a bug (a panic): a rule, or the reader of a
    /// file, stopped before it was done. The finding names the rule or the file and says
    /// what went wrong; the rest of the bot is checked as usual.
    ///
    /// ## Why is this bad?
    /// The run is incomplete: the findings of that rule, or of that file, are missing, so
    /// a clean result would mean nothing. The run exits 2, as for every internal error,
    /// and the finding is shown whatever the selection, the ignores and the suppressions
    /// say. It is rasalint's mistake, not the bot's: please report it, with the file if
    /// you can.
    ///
    /// ## Example
    /// ```text
    /// error[RL902]: rule RL301 story-structure-conflict stopped on an internal error
    /// (panicked at src/story_graph/mod.rs:120:9: …); its findings are missing
    /// ```
    pub struct InternalError {
        code: "RL902",
        name: "internal-error",
        severity: Error,
        summary: "rasalint failed on a bug: a rule's or a file's findings are missing",
    }
}
impl_syntax_rule!(InternalError);

/// What every internal error asks of the user.
const REPORT_IT: &str = "this is a bug in rasalint, not in the bot: please report it \
                         (with the file, if you can); the run exits 2";

impl InternalError {
    /// Whether `finding` is an internal error.
    pub fn is(finding: &Diagnostic) -> bool {
        finding.rule.code == Self::META.code
    }

    /// A rule that panicked with `panic`; `file` is where the finding is shown (a rule
    /// reads the whole bot, so no file is to blame).
    pub fn in_rule(rule: &RuleMeta, file: FileId, panic: &str) -> Diagnostic {
        let message = format!(
            "rule {} {} stopped on an internal error ({panic}); its findings are missing",
            rule.code, rule.name
        );
        Diagnostic::new(&Self::META, file, 0..0, message).with_help(REPORT_IT)
    }

    /// The reader of `file` that panicked with `panic`.
    pub fn in_reader(file: FileId, panic: &str) -> Diagnostic {
        let message = format!(
            "reading this file stopped on an internal error ({panic}); its findings are missing"
        );
        Diagnostic::new(&Self::META, file, 0..0, message).with_help(REPORT_IT)
    }
}
