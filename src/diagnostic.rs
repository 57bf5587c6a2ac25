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
    /// Set when the rule's findings about one name are shown as one (see [`merge_groups`]).
    pub group: Option<Group>,
}

/// Findings of one rule that say the same thing about one name, one finding per place it
/// is used. They stay apart until suppressions, per-file ignores and `report_only` have
/// dropped theirs, so that grouping never changes what is reported or the exit status;
/// [`merge_groups`] then makes them one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// The name the findings are about; findings of one rule with one key are merged.
    pub key: String,
    /// How the merged message counts the places: `used` gives "(used 3 times)".
    pub verb: &'static str,
    /// The label of each place after the first, as a related location.
    pub also: &'static str,
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
            group: None,
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

    /// Marks the finding as one place of `group` (see [`Group`]). Grouped findings carry
    /// no fix: only the first one's would survive the merge.
    pub fn in_group(mut self, group: Group) -> Self {
        debug_assert!(self.fix.is_empty(), "a grouped finding carries no fix");
        self.group = Some(group);
        self
    }

    /// The finding once at each of its places: a merged group's copy at every use, the
    /// other uses (and the first one) as its related places; any other finding as it is.
    /// An editor shows a finding only in the file it is in, so each use gets its own.
    pub fn at_each_place(&self) -> Vec<Diagnostic> {
        let Some(group) = &self.group else {
            return vec![self.clone()];
        };
        let (places, own): (Vec<&Related>, Vec<&Related>) =
            self.related.iter().partition(|r| r.message == group.also);
        let first = Related {
            file: self.file,
            span: self.span.clone(),
            message: group.also.to_string(),
        };
        let all: Vec<&Related> = std::iter::once(&first).chain(places).collect();
        (0..all.len())
            .map(|at| {
                let mut copy = self.clone();
                copy.file = all[at].file;
                copy.span = all[at].span.clone();
                copy.related = own.iter().copied().cloned().collect();
                let others = all.iter().enumerate().filter(|(i, _)| *i != at);
                copy.related.extend(others.map(|(_, r)| (*r).clone()));
                copy
            })
            .collect()
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

/// Merges each rule's grouped findings about one name into the first of them (findings
/// come sorted, so that is the first place in path order): its message counts the places,
/// and every other place becomes a related location labelled [`Group::also`], after the
/// first finding's own related locations. Ungrouped findings and the order are kept.
pub fn merge_groups(findings: Vec<Diagnostic>) -> Vec<Diagnostic> {
    if findings.iter().all(|d| d.group.is_none()) {
        return findings;
    }
    let mut out: Vec<Diagnostic> = Vec::with_capacity(findings.len());
    let mut first_of: rustc_hash::FxHashMap<(&'static str, String), (usize, usize)> =
        rustc_hash::FxHashMap::default();
    for finding in findings {
        let Some(group) = &finding.group else {
            out.push(finding);
            continue;
        };
        match first_of.entry((finding.rule.code, group.key.clone())) {
            std::collections::hash_map::Entry::Occupied(mut entry) => {
                let (index, count) = entry.get_mut();
                *count += 1;
                let also = group.also;
                out[*index].related.push(Related {
                    file: finding.file,
                    span: finding.span,
                    message: also.to_string(),
                });
            }
            std::collections::hash_map::Entry::Vacant(entry) => {
                entry.insert((out.len(), 1));
                out.push(finding);
            }
        }
    }
    for &(index, count) in first_of.values() {
        let finding = &mut out[index];
        if let (Some(group), true) = (&finding.group, count > 1) {
            finding.message = format!("{} ({} {count} times)", finding.message, group.verb);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::story_utter_not_in_domain::StoryUtterNotInDomain;
    use crate::rules::unused_response::UnusedResponse;

    fn use_of(name: &str, file: u32, at: usize) -> Diagnostic {
        Diagnostic::new(
            &StoryUtterNotInDomain::META,
            FileId(file),
            at..at + 3,
            format!("`{name}` has no response"),
        )
        .in_group(Group {
            key: name.to_string(),
            verb: "used",
            also: "also used here",
        })
    }

    #[test]
    fn grouped_findings_merge_into_the_first_and_others_stay() {
        let other = Diagnostic::new(&UnusedResponse::META, FileId(0), 5..6, "unused");
        let merged = merge_groups(vec![
            use_of("utter_a", 0, 1),
            other.clone(),
            use_of("utter_b", 0, 10),
            use_of("utter_a", 1, 20),
            use_of("utter_a", 2, 30),
        ]);
        assert_eq!(merged.len(), 3);
        assert_eq!(
            merged[0].message,
            "`utter_a` has no response (used 3 times)"
        );
        let places: Vec<(FileId, Span, &str)> = merged[0]
            .related
            .iter()
            .map(|r| (r.file, r.span.clone(), r.message.as_str()))
            .collect();
        assert_eq!(
            places,
            [
                (FileId(1), 20..23, "also used here"),
                (FileId(2), 30..33, "also used here")
            ]
        );
        assert_eq!(merged[1], other);
        // A name used once keeps its message.
        assert_eq!(merged[2].message, "`utter_b` has no response");
        assert!(merged[2].related.is_empty());
    }

    #[test]
    fn a_merged_group_is_shown_at_each_of_its_places() {
        let merged = merge_groups(vec![use_of("utter_a", 0, 1), use_of("utter_a", 1, 20)]);
        let shown = merged[0].at_each_place();
        let places: Vec<(FileId, Span, Span)> = shown
            .iter()
            .map(|d| {
                assert_eq!(d.related.len(), 1);
                (d.file, d.span.clone(), d.related[0].span.clone())
            })
            .collect();
        assert_eq!(
            places,
            [(FileId(0), 1..4, 20..23), (FileId(1), 20..23, 1..4)]
        );
        assert_eq!(shown[1].message, "`utter_a` has no response (used 2 times)");
        let single = use_of("utter_b", 0, 5);
        assert_eq!(single.at_each_place(), std::slice::from_ref(&single));
    }
}
