//! Inline suppressions, one line each:
//!
//! - Markdown: `<!-- rasalint-disable-next-line RL202 -->` (the next non-blank line) and
//!   `<!-- rasalint-disable-file RL2 -->` (the whole file). Single-line HTML comments are
//!   the only comments Rasa's story reader removes, so no other syntax is offered.
//! - YAML: `# rasalint: disable=RL106` at the end of a line (that line) or alone on a line
//!   (the next non-blank line).
//!
//! Rules are named by code, code prefix or name, separated by commas or spaces. A
//! suppression that names no rule, or that suppresses nothing while its rules ran, is
//! itself a finding (RL901).

use rustc_hash::FxHashMap;

use crate::diagnostic::Diagnostic;
use crate::model::{FileKind, Project};
use crate::rules::ALL;
use crate::rules::unused_suppression::UnusedSuppression;
use crate::selection::selector_matches;
use crate::settings::Settings;
use crate::source::{FileId, SourceFile, Span};
use crate::syntax::comments::comment_end;

/// What a suppression covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Scope {
    /// A 1-based line.
    Line(usize),
    File,
}

/// One rule named in a suppression, and whether it suppressed anything.
#[derive(Debug)]
struct Named {
    selector: String,
    span: Span,
    used: bool,
}

#[derive(Debug)]
struct Suppression {
    file: FileId,
    /// The whole comment.
    span: Span,
    scope: Scope,
    rules: Vec<Named>,
    /// Written as a YAML comment (else as a Markdown one).
    yaml: bool,
}

/// Removes the findings that suppressions cover, and adds RL901 findings for suppressions
/// that are unknown or unused (when RL901 is enabled).
pub fn apply(project: &Project, findings: Vec<Diagnostic>, settings: &Settings) -> Vec<Diagnostic> {
    let (mut suppressions, mut out) = find_all(project);
    if suppressions.is_empty() && out.is_empty() {
        return findings;
    }
    let by_place = by_place(&suppressions);
    let mut kept = Vec::with_capacity(findings.len());
    for finding in findings {
        let line = project.file(finding.file).line_col(finding.span.start).line;
        // A suppression for this very line is credited before a file-wide one.
        let covering = [Scope::Line(line), Scope::File]
            .into_iter()
            .find_map(|scope| naming(&suppressions, &by_place, (finding.file, scope), &finding));
        match covering {
            Some((suppression, rule)) => suppressions[suppression].rules[rule].used = true,
            None => kept.push(protect_suppressed_lines(
                project,
                finding,
                &mut suppressions,
                &by_place,
            )),
        }
    }
    if settings.selection.is_enabled(&UnusedSuppression::META) {
        out.extend(suppressions.iter().flat_map(|s| unused(s, settings)));
        for finding in &mut out {
            finding.severity = settings.severity_of(finding.rule, project.rasa.version);
        }
        kept.extend(out);
    }
    crate::engine::sort(project, &mut kept);
    kept
}

/// The suppressions of each file and scope, by index: a finding looks up only those of its
/// own place (a bot can have thousands of suppressions and findings).
type ByPlace = FxHashMap<(FileId, Scope), Vec<usize>>;

fn by_place(suppressions: &[Suppression]) -> ByPlace {
    let mut by_place = ByPlace::default();
    for (i, s) in suppressions.iter().enumerate() {
        by_place.entry((s.file, s.scope)).or_default().push(i);
    }
    by_place
}

/// The first suppression at `place` that names the finding's rule, and which of its names
/// does.
fn naming(
    suppressions: &[Suppression],
    by_place: &ByPlace,
    place: (FileId, Scope),
    finding: &Diagnostic,
) -> Option<(usize, usize)> {
    by_place.get(&place)?.iter().find_map(|&i| {
        let names = &suppressions[i].rules;
        let rule = names
            .iter()
            .position(|named| selector_matches(&named.selector, finding.rule))?;
        Some((i, rule))
    })
}

/// A finding about a whole file fixes many lines: its edits on a line whose suppression
/// names the rule are dropped (the suppression is then used), so a fix never rewrites a
/// line someone exempted.
fn protect_suppressed_lines(
    project: &Project,
    mut finding: Diagnostic,
    suppressions: &mut [Suppression],
    by_place: &ByPlace,
) -> Diagnostic {
    if finding.fix.len() < 2 {
        return finding;
    }
    let source = project.file(finding.file);
    let mut fix = std::mem::take(&mut finding.fix);
    fix.retain(|edit| {
        let line = source.line_col(edit.span.start).line;
        let place = (finding.file, Scope::Line(line));
        match naming(suppressions, by_place, place, &finding) {
            Some((suppression, rule)) => {
                suppressions[suppression].rules[rule].used = true;
                false
            }
            None => true,
        }
    });
    finding.fix = fix;
    finding
}

/// The rules of a suppression that suppressed nothing although they ran.
fn unused(suppression: &Suppression, settings: &Settings) -> Vec<Diagnostic> {
    suppression
        .rules
        .iter()
        .filter(|named| !named.used)
        .filter(|named| {
            ALL.iter().any(|r| {
                selector_matches(&named.selector, r.meta())
                    && settings.selection.is_enabled(r.meta())
            })
        })
        .map(|named| {
            Diagnostic::new(
                &UnusedSuppression::META,
                suppression.file,
                named.span.clone(),
                format!("`{}` suppresses nothing here", named.selector),
            )
            .with_help("remove it from the suppression: the finding it was written for is gone")
        })
        .collect()
}

/// Every suppression in the project, and RL901 findings for those naming no rule.
fn find_all(project: &Project) -> (Vec<Suppression>, Vec<Diagnostic>) {
    let mut suppressions = Vec::new();
    let mut unknown = Vec::new();
    for (index, (file, parsed)) in project.files.iter().zip(&project.parts).enumerate() {
        let id = FileId(index as u32);
        let found = match parsed.kind() {
            Some(FileKind::Nlu | FileKind::Stories | FileKind::Nlg) => markdown(id, file),
            Some(FileKind::Domain | FileKind::Config | FileKind::YamlData) => yaml(id, file),
            None => Vec::new(),
        };
        for mut suppression in found {
            unknown.extend(take_unknown(&mut suppression));
            suppressions.push(suppression);
        }
    }
    (suppressions, unknown)
}

/// Removes the names that match no rule, as RL901 findings.
fn take_unknown(suppression: &mut Suppression) -> Vec<Diagnostic> {
    let (known, unknown): (Vec<Named>, Vec<Named>) = std::mem::take(&mut suppression.rules)
        .into_iter()
        .partition(|named| {
            ALL.iter()
                .any(|r| selector_matches(&named.selector, r.meta()))
        });
    suppression.rules = known;
    let mut findings: Vec<Diagnostic> = unknown
        .into_iter()
        .map(|named| {
            Diagnostic::new(&UnusedSuppression::META, suppression.file, named.span, format!("`{}` names no rule", named.selector))
                .with_help("name rules by code (RL202), code prefix (RL2) or name; `rasalint rules` lists them")
        })
        .collect();
    if suppression.rules.is_empty() && findings.is_empty() {
        let example = if suppression.yaml {
            "`# rasalint: disable=RL106`"
        } else {
            "`<!-- rasalint-disable-next-line RL202 -->`"
        };
        findings.push(
            Diagnostic::new(
                &UnusedSuppression::META,
                suppression.file,
                suppression.span.clone(),
                "this suppression names no rule",
            )
            .with_help(format!("add the rules to suppress, e.g. {example}")),
        );
    }
    findings
}

const NEXT_LINE: &str = "rasalint-disable-next-line";
const WHOLE_FILE: &str = "rasalint-disable-file";

/// `<!-- rasalint-disable-… -->` comments.
fn markdown(file: FileId, source: &SourceFile) -> Vec<Suppression> {
    let text = &source.text;
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(open) = crate::syntax::find::comment_open(&text[from..]).map(|o| from + o) {
        let Some(end) = comment_end(text, open) else {
            break;
        };
        from = end;
        let inner_start = open + 4;
        let inner_end = text[..end].rfind("--").unwrap_or(end).max(inner_start);
        let inner = &text[inner_start..inner_end];
        let trimmed = inner.trim_start();
        let offset = inner_start + (inner.len() - trimmed.len());
        let (scope, rest) = if let Some(rest) = trimmed.strip_prefix(NEXT_LINE) {
            (Scope::Line(next_line(source, end)), rest)
        } else if let Some(rest) = trimmed.strip_prefix(WHOLE_FILE) {
            (Scope::File, rest)
        } else {
            continue;
        };
        let rules_start = offset + (trimmed.len() - rest.len());
        found.push(Suppression {
            file,
            span: open..end,
            scope,
            rules: names(rest, rules_start),
            yaml: false,
        });
    }
    found
}

/// `# rasalint: disable=…` comments.
fn yaml(file: FileId, source: &SourceFile) -> Vec<Suppression> {
    let text = &source.text;
    let mut found = Vec::new();
    for (at, _) in text.match_indices("rasalint:") {
        let line_start = text[..at].rfind(['\n', '\r']).map_or(0, |i| i + 1);
        let before = &text[line_start..at];
        let Some(hash) = before.rfind('#') else {
            continue;
        };
        // A YAML comment starts a line or follows a space, and holds only spaces before us.
        let comment_starts = hash == 0 || before[..hash].ends_with([' ', '\t']);
        if !comment_starts || !before[hash + 1..].trim().is_empty() {
            continue;
        }
        let line_end = text[at..].find(['\n', '\r']).map_or(text.len(), |i| at + i);
        let Some(rest) = text[at + "rasalint:".len()..line_end]
            .trim_start()
            .strip_prefix("disable=")
        else {
            continue;
        };
        let rules_start = line_end - rest.len();
        let alone = before[..hash].trim().is_empty();
        let line = source.line_col(at).line;
        found.push(Suppression {
            file,
            span: line_start + hash..line_end,
            scope: Scope::Line(if alone {
                next_line(source, line_end)
            } else {
                line
            }),
            rules: names(rest, rules_start),
            yaml: true,
        });
    }
    found
}

/// The 1-based number of the first non-blank line after the one holding `offset`.
fn next_line(source: &SourceFile, offset: usize) -> usize {
    let mut line = source.line_col(offset).line + 1;
    loop {
        let start = source.line_start(line);
        let rest = &source.text[start..];
        let end = rest.find(['\n', '\r']).map_or(rest.len(), |e| e);
        if !rest[..end].trim().is_empty()
            || start + end >= source.text.len()
            || source.line_start(line + 1) == start
        {
            return line;
        }
        line += 1;
    }
}

/// The rule names in `list` (separated by commas or spaces), with their spans.
fn names(list: &str, start: usize) -> Vec<Named> {
    let mut named = Vec::new();
    let mut offset = 0;
    for piece in list.split([',', ' ', '\t']) {
        if !piece.is_empty() {
            named.push(Named {
                selector: piece.to_string(),
                span: start + offset..start + offset + piece.len(),
                used: false,
            });
        }
        offset += piece.len() + 1;
    }
    named
}
