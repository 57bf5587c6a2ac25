//! The one finding type every parser and rule produces.

use crate::rule_meta::RuleMeta;
pub use crate::rule_meta::Severity;
pub use crate::source::{Edit, Related};
use crate::source::{FileId, Span};
use crate::syntax::problem::Problem;

/// `text` with control characters other than line breaks (a vertical tab inside a quoted
/// name, say) written as escapes, so that a message shows what is really there. Names
/// never hold CR or LF: every reader splits lines there.
fn printable(text: String) -> String {
    let hidden = |c: char| c.is_control() && c != '\n' && c != '\r';
    if !text.chars().any(hidden) {
        return text;
    }
    text.chars()
        .map(|c| {
            if hidden(c) {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// One finding: what is wrong, where, and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub rule: &'static RuleMeta,
    pub severity: Severity,
    pub message: String,
    pub file: FileId,
    pub span: Span,
    /// Text under the primary underline; defaults to nothing.
    pub label: Option<String>,
    pub help: Option<String>,
    pub related: Vec<Related>,
    /// Edits that fix the finding without changing what Rasa reads, applied by
    /// `rasalint check --fix`; empty when no fix is safe.
    pub fix: Vec<Edit>,
}

impl Diagnostic {
    /// A finding of `rule` at its default severity.
    pub fn new(
        rule: &'static RuleMeta,
        file: FileId,
        span: Span,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            rule,
            severity: rule.severity,
            message: printable(message.into()),
            file,
            span,
            label: None,
            help: None,
            related: Vec::new(),
            fix: Vec::new(),
        }
    }

    /// The finding a reader's problem is, as `rule` (see `crate::rules::rule_of`).
    pub fn from_problem(rule: &'static RuleMeta, problem: Problem) -> Self {
        let Problem {
            kind: _,
            file,
            span,
            message,
            label,
            help,
            related,
            fix,
        } = problem;
        let mut finding = Diagnostic::new(rule, file, span, message);
        finding.label = label.map(printable);
        finding.help = help.map(printable);
        finding.related = related
            .into_iter()
            .map(|r| Related {
                message: printable(r.message),
                ..r
            })
            .collect();
        finding.fix = fix;
        finding
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(printable(label.into()));
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(printable(help.into()));
        self
    }

    pub fn with_related(mut self, file: FileId, span: Span, message: impl Into<String>) -> Self {
        self.related.push(Related {
            file,
            span,
            message: printable(message.into()),
        });
        self
    }

    /// A safe fix: edits of the finding's own file.
    pub fn with_fix(mut self, edits: Vec<Edit>) -> Self {
        self.fix = edits;
        self
    }

    /// The order findings are shown in: by file, position, then code, so output never
    /// depends on thread timing.
    pub fn sort_key(&self) -> (FileId, usize, usize, &'static str, &str) {
        (
            self.file,
            self.span.start,
            self.span.end,
            self.rule.code,
            &self.message,
        )
    }
}
