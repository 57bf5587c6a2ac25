//! Output formats: graphical (miette), concise, JSON, GitHub Actions, GitLab Code Quality;
//! and the summary line. SARIF and JUnit have modules of their own.
//!
//! Every function here returns a `String`; printing is the caller's business. Input
//! findings are expected to be sorted already and are rendered in the order given.
//! Positions are 1-based lines and character (Unicode scalar) columns, computed by
//! [`SourceFile::line_col`], which clamps offsets past the end or inside a character.

use std::fmt;
use std::path::{MAIN_SEPARATOR, Path, PathBuf};

use crate::load::lexically_normal;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, SourceCode, SourceSpan,
    SpanContents,
};
use rayon::prelude::*;
use serde::Serialize;

use super::excerpt::{CONTEXT_LINES, Excerpt};
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::{FileId, LineCol, SourceFile, Span, floor_char_boundary};

/// How [`graphical`] draws: colours, box-drawing characters and the wrapping width.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GraphicalStyle {
    /// Emit ANSI colour codes. Decide this from stdout, not from miette's stderr probe.
    pub color: bool,
    /// Draw with Unicode box characters instead of ASCII art.
    pub unicode: bool,
    /// Terminal width that text is wrapped to.
    pub width: usize,
}

/// Renders every finding with miette's graphical handler: code, message, snippet with
/// underlined spans, help, and related places in other files as snippets of their own.
/// Reports are separated by a blank line. Drawn in parallel (a report takes tens of
/// microseconds: a bot with a thousand findings would otherwise wait on one thread).
pub fn graphical(diags: &[Diagnostic], files: &[SourceFile], style: &GraphicalStyle) -> String {
    let handler = graphical_handler(style);
    let reports: Vec<String> = diags
        .par_iter()
        .map(|diag| render_report(&handler, &View::primary(diag, files, ellipsis(style))))
        .collect();
    reports.join("\n")
}

/// A mistake in a configuration file, drawn like a finding: the file, the line with the
/// span underlined, and the help.
pub fn config_error(error: &crate::settings::ConfigError, style: &GraphicalStyle) -> String {
    let path = error.path.clone();
    let files = [SourceFile::new(path.clone(), path, error.text.clone())];
    let message = format!("invalid configuration: {}", error.message);
    let place: Place<'_> = (&error.span, None);
    let (source, labels) = Source::labelled(&files, FileId(0), &[place], true, ellipsis(style));
    let view = View {
        code: None,
        severity: miette::Severity::Error,
        message: &message,
        help: error.help.as_deref(),
        source,
        labels,
        related: Vec::new(),
    };
    render_report(&graphical_handler(style), &view)
}

/// One finding's report, with trailing whitespace removed from every line.
fn render_report(handler: &GraphicalReportHandler, view: &View<'_>) -> String {
    let mut raw = String::new();
    // Writing into a String fails only if a span can't be read; keep what was written.
    let _ = handler.render_report(&mut raw, view);
    let mut out = String::with_capacity(raw.len());
    for line in raw.lines() {
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// One line per finding: `path:line:col: error[RL101] message`, each newline-terminated.
pub fn concise(diags: &[Diagnostic], files: &[SourceFile]) -> String {
    diags
        .iter()
        .map(|d| {
            let file = &files[d.file.index()];
            let LineCol { line, column } = file.line_col(d.span.start);
            let (path, sev, code) = (line_path(&file.path), d.severity.as_str(), d.rule.code);
            let message = one_line(&d.message);
            format!("{path}:{line}:{column}: {sev}[{code}] {message}\n")
        })
        .collect()
}

/// `text` with its control characters (a line break in a message or a file name) written
/// as escapes (`\n`, `\u{1b}`), for the formats of one line per finding.
fn one_line(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return text.into();
    }
    text.chars()
        .map(|c| match c.is_control() {
            true => c.escape_default().to_string(),
            false => c.to_string(),
        })
        .collect::<String>()
        .into()
}

/// A pretty-printed JSON array with one object per finding: `code`, `name`, `severity`,
/// `message`, `path`, `start`, `end` (`{line, column}`), `help` (or null) and `related`
/// (`[{path, start, end, message}]`), in that order. No findings give `[]`.
pub fn json(diags: &[Diagnostic], files: &[SourceFile]) -> String {
    let findings: Vec<JsonFinding<'_>> = diags.iter().map(|d| JsonFinding::new(d, files)).collect();
    serde_json::to_string_pretty(&findings).expect("findings serialize to JSON")
}

/// GitHub Actions workflow commands (`::error file=…::message`), one line per finding.
///
/// `col` and `endColumn` are sent only when the finding starts and ends on the same line,
/// as the Actions toolkit requires. GitHub finds an annotation's file from the repository's
/// root: paths are relative to `workspace` (its `GITHUB_WORKSPACE`) when given.
///
/// GitHub makes an annotation of only the first [`GITHUB_ANNOTATIONS_PER_KIND`] errors
/// and as many warnings of a step, and drops the rest without a word; a notice after the
/// findings then says how many are in the step's log only.
pub fn github(diags: &[Diagnostic], files: &[SourceFile], workspace: Option<&Path>) -> String {
    let mut out: String = diags
        .iter()
        .map(|d| github_line(d, files, workspace))
        .collect();
    out += &github_overflow_notice(diags);
    out
}

/// Annotations of one kind (error, warning, notice) GitHub shows per step: the limit
/// of GitHub Actions' workflow commands (actions/toolkit, docs/problem-matchers.md).
const GITHUB_ANNOTATIONS_PER_KIND: usize = 10;

/// The `::notice` that counts the findings GitHub does not annotate, or nothing.
fn github_overflow_notice(diags: &[Diagnostic]) -> String {
    let count = |severity| diags.iter().filter(|d| d.severity == severity).count();
    let unshown: Vec<(usize, &str)> = [
        (count(Severity::Error), "error"),
        (count(Severity::Warning), "warning"),
    ]
    .into_iter()
    .filter(|(n, _)| *n > GITHUB_ANNOTATIONS_PER_KIND)
    .map(|(n, kind)| (n - GITHUB_ANNOTATIONS_PER_KIND, kind))
    .collect();
    if unshown.is_empty() {
        return String::new();
    }
    let counted: Vec<String> = unshown
        .iter()
        .map(|&(more, kind)| format!("{more} more {kind}{}", if more == 1 { "" } else { "s" }))
        .collect();
    let verb = match unshown.as_slice() {
        [(1, _)] => "is",
        _ => "are",
    };
    let limit = GITHUB_ANNOTATIONS_PER_KIND;
    let message = format!(
        "GitHub annotates only the first {limit} errors and {limit} warnings of a step: {} \
         {verb} listed in this step's log only",
        counted.join(" and ")
    );
    format!("::notice title=rasalint::{}\n", escape_data(&message))
}

/// The places related to a finding, one `path:line:column: label` line each, as the
/// formats that show a finding as text list them (after the finding's own line): the
/// other uses of a grouped finding, the first definition of a duplicate. At most `limit`
/// lines, the last of them then counting the places left out.
pub(crate) fn related_lines(
    d: &Diagnostic,
    files: &[SourceFile],
    base: Option<&Path>,
    limit: usize,
) -> Vec<String> {
    let line = |r: &crate::source::Related| {
        let file = &files[r.file.index()];
        let LineCol { line, column } = file.line_col(r.span.start);
        let path = one_line(&path_from(base, file)).into_owned();
        format!("{path}:{line}:{column}: {}", one_line(&r.message))
    };
    if d.related.len() <= limit {
        return d.related.iter().map(line).collect();
    }
    let shown = limit.saturating_sub(1);
    let mut lines: Vec<String> = d.related[..shown].iter().map(line).collect();
    lines.push(format!("… and {} more places", d.related.len() - shown));
    lines
}

/// A GitLab Code Quality report (`artifacts:reports:codequality`): a JSON array of
/// Code Climate issues. Paths are relative to `project_dir` (GitLab's `CI_PROJECT_DIR`)
/// when given and the file is inside it, else as shown elsewhere.
///
/// GitLab compares the reports of a merge request's base and head by fingerprint, so each
/// is unique in the report and stable while the code moves: the rule, the path and the
/// message, not the line, hashed with a counter that is raised until the fingerprint is
/// new.
pub fn gitlab(diags: &[Diagnostic], files: &[SourceFile], project_dir: Option<&Path>) -> String {
    let mut fingerprints = Fingerprints::default();
    let issues: Vec<GitlabIssue<'_>> = diags
        .iter()
        .map(|d| {
            let file = &files[d.file.index()];
            let path = path_from(project_dir, file);
            let fingerprint = fingerprints.of(d, &path);
            let (begin, end) = (file.line_col(d.span.start), file.line_col(d.span.end));
            GitlabIssue {
                description: format!("{} {}: {}", d.rule.code, d.rule.name, d.message),
                check_name: d.rule.code,
                fingerprint,
                severity: match d.severity {
                    Severity::Error => "major",
                    Severity::Warning => "minor",
                },
                location: GitlabLocation {
                    path,
                    positions: GitlabPositions { begin, end },
                },
            }
        })
        .collect();
    serde_json::to_string_pretty(&issues).expect("issues serialize to JSON")
}

/// A file's path relative to `base` (a CI system's checkout folder) when given and the file
/// is inside it, else as shown elsewhere; with `/` between its parts on every platform,
/// and `.` and `..` parts resolved (CI systems match paths as written: `bot/../shared/x.md`
/// would match nothing).
pub(crate) fn path_from(base: Option<&Path>, file: &SourceFile) -> String {
    display_path(&relative_path(base, file))
}

/// The path of [`path_from`], before it is made text.
pub(crate) fn relative_path(base: Option<&Path>, file: &SourceFile) -> PathBuf {
    base.and_then(|dir| relative_to(dir, &file.disk_path))
        .unwrap_or_else(|| lexically_normal(&file.path))
}

/// `path` relative to `base` when it is inside it: compared by name, then (for a base
/// reached through a symbolic link) as the paths the links lead to.
fn relative_to(base: &Path, path: &Path) -> Option<PathBuf> {
    let by_name = lexically_normal(path);
    if let Ok(relative) = by_name.strip_prefix(lexically_normal(base)) {
        return Some(relative.to_path_buf());
    }
    let (path, base) = (
        std::fs::canonicalize(path).ok()?,
        std::fs::canonicalize(base).ok()?,
    );
    path.strip_prefix(base).ok().map(Path::to_path_buf)
}

/// Fingerprints that are unique within one report: the first not yet given of a
/// finding's [`fingerprint`]s, counter 0, 1, ….
#[derive(Default)]
pub(crate) struct Fingerprints {
    given: std::collections::HashSet<String>,
    /// By a finding's first fingerprint (counter 0), the counter to try next: the findings
    /// before it with the same rule, path and message took the counters below (10,000 of
    /// them tried every counter from 0 again, 50 million hashes).
    next: std::collections::HashMap<String, u64>,
}

impl Fingerprints {
    pub(crate) fn of(&mut self, finding: &Diagnostic, path: &str) -> String {
        let rule = finding.rule.code;
        let first = fingerprint(rule, path, &finding.message, 0);
        let start = self.next.get(&first).copied().unwrap_or(0);
        let (salt, given) = (start..)
            .map(|salt| (salt, fingerprint(rule, path, &finding.message, salt)))
            .find(|(_, f)| !self.given.contains(f))
            .unwrap_or_default();
        self.next.insert(first, salt + 1);
        self.given.insert(given.clone());
        given
    }
}

/// 16 hex digits of a hash of the rule, the path, the message and a counter (FNV-1a, so
/// the same on every platform and build). The message keeps a finding's fingerprint when
/// another finding of the rule appears above it in the file.
fn fingerprint(code: &str, path: &str, message: &str, salt: u64) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let bytes = [code, path, message]
        .into_iter()
        .flat_map(|part| part.bytes().chain([0]));
    for byte in bytes.chain(salt.to_le_bytes()) {
        hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

#[derive(Serialize)]
struct GitlabIssue<'a> {
    description: String,
    check_name: &'a str,
    fingerprint: String,
    severity: &'static str,
    location: GitlabLocation,
}

#[derive(Serialize)]
struct GitlabLocation {
    path: String,
    positions: GitlabPositions,
}

#[derive(Serialize)]
struct GitlabPositions {
    begin: LineCol,
    end: LineCol,
}

/// The human summary line, without a trailing newline: `3 errors, 5 warnings in 12 files`,
/// `1 error in 1 file`, or `No problems found in 12 files`. Zero counts are left out.
pub fn summary(diags: &[Diagnostic], file_count: usize) -> String {
    let errors = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = diags.len() - errors;
    let files = plural(file_count, "file");
    let counts: Vec<String> = [(errors, "error"), (warnings, "warning")]
        .into_iter()
        .filter(|&(n, _)| n > 0)
        .map(|(n, word)| plural(n, word))
        .collect();
    if counts.is_empty() {
        return format!("No problems found in {files}");
    }
    let fixable = diags.iter().filter(|d| !d.fix.is_empty()).count();
    let fixable = if fixable > 0 {
        format!(" ({fixable} fixable with `rasalint check --fix`)")
    } else {
        String::new()
    };
    format!("{} in {files}{fixable}", counts.join(", "))
}

/// `1 error`, `2 errors`.
pub(crate) fn plural(n: usize, word: &str) -> String {
    let s = if n == 1 { "" } else { "s" };
    format!("{n} {word}{s}")
}

/// A user-facing path with `/` separators on every platform. A name that is not UTF-8
/// keeps every byte: a byte that is no part of a character is written `\xNN` (as Python's
/// `backslashreplace` writes it), where a lossy conversion made all of them U+FFFD.
pub(crate) fn display_path(path: &Path) -> String {
    let mut shown = String::new();
    for chunk in path_bytes(path).utf8_chunks() {
        shown.push_str(chunk.valid());
        for byte in chunk.invalid() {
            shown.push_str(&format!("\\x{byte:02X}"));
        }
    }
    shown
}

/// [`display_path`] for the formats of one line per finding: control characters (a line
/// break in a file name) written as escapes (`\n`, `\u{1b}`), so that a finding stays on
/// its line.
pub(crate) fn line_path(path: &Path) -> String {
    one_line(&display_path(path)).into_owned()
}

/// A path's bytes (as the operating system holds them) with `/` separators.
pub(crate) fn path_bytes(path: &Path) -> Vec<u8> {
    let bytes = path.as_os_str().as_encoded_bytes();
    match u8::try_from(MAIN_SEPARATOR) {
        Ok(separator) if separator != b'/' => bytes
            .iter()
            .map(|&b| if b == separator { b'/' } else { b })
            .collect(),
        _ => bytes.to_vec(),
    }
}

// ---------------------------------------------------------------------------------------
// JSON

/// One finding in the `json` format. Field order is part of the format.
#[derive(Serialize)]
struct JsonFinding<'a> {
    code: &'static str,
    name: &'static str,
    severity: Severity,
    message: &'a str,
    path: String,
    start: LineCol,
    end: LineCol,
    help: Option<&'a str>,
    related: Vec<JsonRelated<'a>>,
}

/// One related place of a finding in the `json` format.
#[derive(Serialize)]
struct JsonRelated<'a> {
    path: String,
    start: LineCol,
    end: LineCol,
    message: &'a str,
}

impl<'a> JsonFinding<'a> {
    fn new(d: &'a Diagnostic, files: &[SourceFile]) -> Self {
        let file = &files[d.file.index()];
        JsonFinding {
            code: d.rule.code,
            name: d.rule.name,
            severity: d.severity,
            message: &d.message,
            path: display_path(&file.path),
            start: file.line_col(d.span.start),
            end: file.line_col(d.span.end),
            help: d.help.as_deref(),
            related: d
                .related
                .iter()
                .map(|r| {
                    let file = &files[r.file.index()];
                    JsonRelated {
                        path: display_path(&file.path),
                        start: file.line_col(r.span.start),
                        end: file.line_col(r.span.end),
                        message: &r.message,
                    }
                })
                .collect(),
        }
    }
}

// ---------------------------------------------------------------------------------------
// GitHub Actions

/// Related places an annotation lists before it counts the rest.
const GITHUB_RELATED_LINES: usize = 10;

/// `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message\n`.
fn github_line(d: &Diagnostic, files: &[SourceFile], workspace: Option<&Path>) -> String {
    let file = &files[d.file.index()];
    let (start, end) = (file.line_col(d.span.start), file.line_col(d.span.end));
    let path = path_from(workspace, file);
    let mut props = format!("file={},line={}", escape_property(&path), start.line);
    if start.line == end.line {
        props += &format!(
            ",col={},endLine={},endColumn={}",
            start.column, end.line, end.column
        );
    } else {
        props += &format!(",endLine={}", end.line);
    }
    let title = escape_property(&format!("{} {}", d.rule.code, d.rule.name));
    // The annotation is all a pull request shows of a finding: the related places go
    // on lines of their own under the message.
    let mut message = d.message.clone();
    for line in related_lines(d, files, workspace, GITHUB_RELATED_LINES) {
        message.push('\n');
        message += &line;
    }
    let message = escape_data(&message);
    format!(
        "::{} {props},title={title}::{message}\n",
        d.severity.as_str()
    )
}

/// Escapes a workflow command's message: `%`, `\r`, `\n`.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command's property value: the message escapes plus `:` and `,`.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

// ---------------------------------------------------------------------------------------
// Graphical (miette)

/// What stands for the part of a long line that is not shown.
fn ellipsis(style: &GraphicalStyle) -> &'static str {
    if style.unicode { "…" } else { "..." }
}

/// The handler shared by every finding of one [`graphical`] call.
fn graphical_handler(style: &GraphicalStyle) -> GraphicalReportHandler {
    let theme = match (style.unicode, style.color) {
        (true, true) => GraphicalTheme::unicode(),
        (true, false) => GraphicalTheme::unicode_nocolor(),
        (false, true) => GraphicalTheme::ascii(),
        // `GraphicalTheme::ascii()` is coloured; `none()` is plain ASCII.
        (false, false) => GraphicalTheme::none(),
    };
    GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_context_lines(CONTEXT_LINES)
        .with_links(false)
        .without_syntax_highlighting()
}

/// A finding, or a group of its related places in another file, as miette sees it.
#[derive(Debug)]
struct View<'a> {
    code: Option<&'static str>,
    severity: miette::Severity,
    message: &'a str,
    help: Option<&'a str>,
    source: Source<'a>,
    labels: Vec<LabeledSpan>,
    related: Vec<View<'a>>,
}

/// A place in a file and its label.
type Place<'a> = (&'a Span, Option<&'a str>);

impl<'a> View<'a> {
    /// The finding itself: its span is the primary label; related places in the same file
    /// become extra labels, those in other files related views (one per file).
    fn primary(d: &'a Diagnostic, files: &'a [SourceFile], ellipsis: &'static str) -> Self {
        let mut own: Vec<Place<'a>> = vec![(&d.span, d.label.as_deref())];
        let mut others: Vec<(FileId, Vec<Place<'a>>)> = Vec::new();
        for r in &d.related {
            let place = (&r.span, Some(r.message.as_str()));
            if r.file == d.file {
                own.push(place);
            } else if let Some((_, places)) = others.iter_mut().find(|(f, _)| *f == r.file) {
                places.push(place);
            } else {
                others.push((r.file, vec![place]));
            }
        }
        let (source, labels) = Source::labelled(files, d.file, &own, true, ellipsis);
        View {
            code: Some(d.rule.code),
            severity: match d.severity {
                Severity::Error => miette::Severity::Error,
                Severity::Warning => miette::Severity::Warning,
            },
            message: &d.message,
            help: d.help.as_deref(),
            source,
            labels,
            related: others
                .iter()
                .map(|(file, places)| View::related(*file, files, places, ellipsis))
                .collect(),
        }
    }

    /// Related places in another file, headed by the first one's message.
    fn related(
        file: FileId,
        files: &'a [SourceFile],
        places: &[Place<'a>],
        ellipsis: &'static str,
    ) -> Self {
        let (source, labels) = Source::labelled(files, file, places, false, ellipsis);
        View {
            code: None,
            severity: miette::Severity::Advice,
            message: places.first().and_then(|p| p.1).unwrap_or_default(),
            help: None,
            source,
            labels,
            related: Vec::new(),
        }
    }
}

impl fmt::Display for View<'_> {
    /// The headline reads like a compiler's: `error[RL101]: message`, so the code sits next
    /// to the message instead of on a line of its own.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.code {
            Some(code) => {
                let severity = match self.severity {
                    miette::Severity::Error => "error",
                    _ => "warning",
                };
                write!(f, "{severity}[{code}]: {}", self.message)
            }
            None => f.write_str(self.message),
        }
    }
}

impl std::error::Error for View<'_> {}

impl miette::Diagnostic for View<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help.map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }

    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn miette::Diagnostic> + 'b>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(
            self.related.iter().map(|v| v as &dyn miette::Diagnostic),
        ))
    }
}

/// The lines of a [`SourceFile`] that a view shows, as miette reads them: an [`Excerpt`]
/// (long lines cut down), named by the file's display path.
#[derive(Debug)]
struct Source<'a> {
    file: &'a SourceFile,
    name: String,
    excerpt: Excerpt,
}

impl<'a> Source<'a> {
    /// The source of `places` in file `id`, and their labels in it (the first one primary
    /// if `primary`).
    fn labelled(
        files: &'a [SourceFile],
        id: FileId,
        places: &[Place<'_>],
        primary: bool,
        ellipsis: &'static str,
    ) -> (Self, Vec<LabeledSpan>) {
        let file = &files[id.index()];
        let shown: Vec<(Span, Option<String>)> = places
            .iter()
            .map(|(span, label)| first_lines(file, clamp(file, span), *label))
            .collect();
        let spans: Vec<Span> = shown.iter().map(|(span, _)| span.clone()).collect();
        let source = Source {
            file,
            name: line_path(&file.path),
            excerpt: Excerpt::new(file, &spans, ellipsis),
        };
        let labels = shown
            .into_iter()
            .enumerate()
            .map(|(i, (span, label))| {
                let span = source.excerpt.span(&span);
                if primary && i == 0 {
                    LabeledSpan::new_primary_with_span(label, span)
                } else {
                    LabeledSpan::new_with_span(label, span)
                }
            })
            .collect();
        (source, labels)
    }
}

/// The most lines a span is drawn over: a longer one (a whole `forms:` mapping of a large
/// domain, say) is drawn over its first line, its label saying where it ends, so one
/// finding cannot print thousands of lines.
const MOST_LINES_SHOWN: usize = 12;

/// `span` and its label as drawn: whole when it covers at most [`MOST_LINES_SHOWN`] lines,
/// else its first line, the label naming its last.
fn first_lines(file: &SourceFile, span: Span, label: Option<&str>) -> (Span, Option<String>) {
    let (first, last) = (file.line_of(span.start), file.line_of(span.end));
    if last - first < MOST_LINES_SHOWN {
        return (span, label.map(str::to_owned));
    }
    let first_line_end = file.line_start(first + 1).max(span.start);
    let text = &file.text[span.start..first_line_end];
    let end = span.start + text.trim_end_matches(['\n', '\r']).len();
    let through = format!("(through line {last})");
    let label = match label {
        Some(label) => format!("{label} {through}"),
        None => through,
    };
    (span.start..end, Some(label))
}

/// `span` clamped to the text and to character boundaries, so miette never slices out of
/// bounds. A span starting at the very end of the file becomes a point at the end of the
/// last non-empty line, so that the caret has a line to sit under.
fn clamp(file: &SourceFile, span: &Span) -> Span {
    let text = file.text.as_str();
    let start = floor_char_boundary(text, span.start);
    if start == text.len() {
        let end = text.trim_end_matches(['\n', '\r']).len();
        return end..end;
    }
    start..floor_char_boundary(text, span.end).max(start)
}

impl SourceCode for Source<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        self.excerpt.read_span(
            self.file,
            &self.name,
            span,
            context_lines_before,
            context_lines_after,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rule::RuleMeta;

    #[test]
    fn paths_are_normalised_by_name() {
        let normal = |p: &str| display_path(&lexically_normal(Path::new(p)));
        assert_eq!(normal("bot/../shared/./data/nlu.md"), "shared/data/nlu.md");
        assert_eq!(normal("../shared/nlu.md"), "../shared/nlu.md");
        assert_eq!(normal("a/../../b"), "../b");
        assert_eq!(normal("/../x"), "/x");
        assert_eq!(normal("./domain.yml"), "domain.yml");
    }

    static TEST_RULE: RuleMeta = RuleMeta {
        code: "RL101",
        name: "nlu-intent-not-in-domain",
        severity: Severity::Error,
        enabled_by_default: true,
        runs_long: false,
        needs_domain: true,
        versions: &[],
        warning_in: &[],
        surfaces: &[],
        summary: "An intent with NLU examples is not declared in the domain",
        docs: "",
    };

    const NLU: &str = "## intent:greet\n- hello\n- hi\n\n## intent:goodbye\n- bye\n";
    const DOMAIN: &str = "intents:\n  - greet\n  - goodbye, please\n";

    fn files() -> Vec<SourceFile> {
        let file = |path: &str, text: &str| SourceFile::new(path.into(), path.into(), text.into());
        vec![file("data/nlu.md", NLU), file("domain.yml", DOMAIN)]
    }

    /// Byte range of the first `needle` in `text`.
    fn find(text: &str, needle: &str) -> Span {
        let start = text.find(needle).expect("needle in text");
        start..start + needle.len()
    }

    fn diags() -> Vec<Diagnostic> {
        let error = Diagnostic::new(
            &TEST_RULE,
            FileId(0),
            find(NLU, "goodbye"),
            "Intent `goodbye` is not in the domain",
        )
        .with_label("not declared")
        .with_help("Add `goodbye` to `intents:` in domain.yml")
        .with_related(
            FileId(1),
            find(DOMAIN, "intents"),
            "intents are declared here",
        )
        .with_related(FileId(0), find(NLU, "greet"), "first intent here");
        let mut warning = Diagnostic::new(
            &TEST_RULE,
            FileId(1),
            find(DOMAIN, "goodbye"),
            "50% done, see:\nnext",
        );
        warning.severity = Severity::Warning;
        vec![error, warning]
    }

    fn plain(width: usize) -> GraphicalStyle {
        GraphicalStyle {
            color: false,
            unicode: true,
            width,
        }
    }

    #[test]
    fn a_span_over_many_lines_is_drawn_over_its_first() {
        let text: String = (1..=1000).map(|i| format!("  item_{i}:\n")).collect();
        let path = PathBuf::from("domain.yml");
        let files = vec![SourceFile::new(path.clone(), path, text.clone())];
        let diag = Diagnostic::new(&TEST_RULE, FileId(0), 2..text.len() - 1, "a mapping")
            .with_label("not allowed");
        let out = graphical(std::slice::from_ref(&diag), &files, &plain(80));
        assert!(out.lines().count() < 12, "{out}");
        assert!(out.contains("not allowed (through line 1000)"), "{out}");
        let short = Diagnostic::new(&TEST_RULE, FileId(0), 2..40, "a mapping");
        let out = graphical(&[short], &files, &plain(80));
        assert!(
            out.contains("item_3") && !out.contains("through line"),
            "{out}"
        );
    }

    #[test]
    fn a_line_break_in_a_file_name_keeps_a_finding_on_its_line() {
        let path = PathBuf::from("data/a\nb\x1b.md");
        let files = vec![SourceFile::new(path.clone(), path, "x\n".into())];
        let diag = Diagnostic::new(&TEST_RULE, FileId(0), 0..1, "here");
        let concise = concise(std::slice::from_ref(&diag), &files);
        assert_eq!(concise, "data/a\\nb\\u{1b}.md:1:1: error[RL101] here\n");
        let out = graphical(std::slice::from_ref(&diag), &files, &plain(80));
        assert!(out.contains("╭─[data/a\\nb\\u{1b}.md:1:1]\n"), "{out}");
        // JSON holds the name as it is.
        assert!(json(&[diag], &files).contains(r#""path": "data/a\nb\u001b.md""#));
    }

    #[cfg(unix)]
    #[test]
    fn a_file_name_that_is_not_utf8_keeps_every_byte() {
        use std::os::unix::ffi::OsStrExt;
        let name = |bytes: &[u8]| PathBuf::from(std::ffi::OsStr::from_bytes(bytes));
        let (e9, ff) = (name(b"data/caf\xE9.md"), name(b"data/caf\xFF.md"));
        let files = vec![
            SourceFile::new(e9.clone(), e9, "x\n".into()),
            SourceFile::new(ff.clone(), ff, "x\n".into()),
        ];
        let at = |file| Diagnostic::new(&TEST_RULE, FileId(file), 0..1, "here");
        let diags = [at(0), at(1)];
        let json = json(&diags, &files);
        assert!(json.contains(r#""path": "data/caf\\xE9.md""#), "{json}");
        assert!(json.contains(r#""path": "data/caf\\xFF.md""#), "{json}");
        let gitlab = gitlab(&diags, &files, None);
        assert!(gitlab.contains(r#""path": "data/caf\\xE9.md""#), "{gitlab}");
        assert!(gitlab.contains(r#""path": "data/caf\\xFF.md""#), "{gitlab}");
        let sarif = super::super::sarif::sarif(&diags, &files, None);
        assert!(sarif.contains(r#""uri": "data/caf%E9.md""#), "{sarif}");
        assert!(sarif.contains(r#""uri": "data/caf%FF.md""#), "{sarif}");
    }

    #[test]
    fn fingerprints_of_many_findings_alike_are_unique_and_found_in_linear_time() {
        let same = Diagnostic::new(&TEST_RULE, FileId(0), 0..1, "the same message");
        let many = vec![same; 10_000];
        let report = gitlab(&many, &files(), None);
        let issues: Vec<serde_json::Value> = serde_json::from_str(&report).expect("JSON");
        // Linear: the n-th finding alike takes counter n at once, where trying every
        // counter from 0 again took 50 million hashes (157 s in a debug build).
        for (n, issue) in issues.iter().enumerate() {
            let expected = fingerprint("RL101", "data/nlu.md", "the same message", n as u64);
            assert_eq!(issue["fingerprint"], expected, "finding {n}");
        }
        let unique: std::collections::HashSet<&str> = issues
            .iter()
            .filter_map(|i| i["fingerprint"].as_str())
            .collect();
        assert_eq!(unique.len(), 10_000);
        // The first stays what it was: the hash with counter 0.
        assert_eq!(
            issues[0]["fingerprint"],
            fingerprint("RL101", "data/nlu.md", "the same message", 0)
        );
    }

    #[test]
    fn concise_is_one_line_per_finding() {
        assert_eq!(
            concise(&diags(), &files()),
            "data/nlu.md:5:11: error[RL101] Intent `goodbye` is not in the domain\n\
             domain.yml:3:5: warning[RL101] 50% done, see:\\nnext\n"
        );
    }

    #[test]
    fn json_has_the_documented_fields_in_order() {
        let expected = r#"[
  {
    "code": "RL101",
    "name": "nlu-intent-not-in-domain",
    "severity": "error",
    "message": "Intent `goodbye` is not in the domain",
    "path": "data/nlu.md",
    "start": {
      "line": 5,
      "column": 11
    },
    "end": {
      "line": 5,
      "column": 18
    },
    "help": "Add `goodbye` to `intents:` in domain.yml",
    "related": [
      {
        "path": "domain.yml",
        "start": {
          "line": 1,
          "column": 1
        },
        "end": {
          "line": 1,
          "column": 8
        },
        "message": "intents are declared here"
      },
      {
        "path": "data/nlu.md",
        "start": {
          "line": 1,
          "column": 11
        },
        "end": {
          "line": 1,
          "column": 16
        },
        "message": "first intent here"
      }
    ]
  },
  {
    "code": "RL101",
    "name": "nlu-intent-not-in-domain",
    "severity": "warning",
    "message": "50% done, see:\nnext",
    "path": "domain.yml",
    "start": {
      "line": 3,
      "column": 5
    },
    "end": {
      "line": 3,
      "column": 12
    },
    "help": null,
    "related": []
  }
]"#;
        assert_eq!(json(&diags(), &files()), expected);
        assert_eq!(json(&[], &files()), "[]");
    }

    #[test]
    fn github_escapes_messages_and_properties() {
        let files = vec![SourceFile::new(
            "a:b,c.md".into(),
            "x".into(),
            "one\ntwo\n".into(),
        )];
        let multi_line = Diagnostic::new(&TEST_RULE, FileId(0), 0..6, "spans lines");
        let mut out = diags();
        out.truncate(1);
        assert_eq!(
            github(&out, &self::files(), None),
            "::error file=data/nlu.md,line=5,col=11,endLine=5,endColumn=18,\
             title=RL101 nlu-intent-not-in-domain::Intent `goodbye` is not in the domain\
             %0Adomain.yml:1:1: intents are declared here%0Adata/nlu.md:1:11: first intent here\n"
        );
        let warning = diags().pop().unwrap();
        assert_eq!(
            github(&[warning], &self::files(), None),
            "::warning file=domain.yml,line=3,col=5,endLine=3,endColumn=12,\
             title=RL101 nlu-intent-not-in-domain::50%25 done, see:%0Anext\n"
        );
        assert_eq!(
            github(&[multi_line], &files, None),
            "::error file=a%3Ab%2Cc.md,line=1,endLine=2,\
             title=RL101 nlu-intent-not-in-domain::spans lines\n"
        );
    }

    #[test]
    fn github_names_related_places_from_the_workspace_as_the_annotation_does() {
        let out = github(&diags()[..1], &files(), Some(Path::new("data")));
        assert_eq!(
            out,
            "::error file=nlu.md,line=5,col=11,endLine=5,endColumn=18,\
             title=RL101 nlu-intent-not-in-domain::Intent `goodbye` is not in the domain\
             %0Adomain.yml:1:1: intents are declared here%0Anlu.md:1:11: first intent here\n"
        );
    }

    #[test]
    fn github_counts_the_findings_past_its_annotation_limit() {
        let [error, warning] = <[Diagnostic; 2]>::try_from(diags()).unwrap();
        let many = |d: &Diagnostic, n: usize| vec![d.clone(); n];
        let notices = |findings: &[Diagnostic]| -> Vec<String> {
            github(findings, &files(), None)
                .lines()
                .filter(|l| l.starts_with("::notice"))
                .map(str::to_owned)
                .collect()
        };
        let at_the_limit = [many(&error, 10), many(&warning, 10)].concat();
        assert_eq!(notices(&at_the_limit), Vec::<String>::new());
        let past_it = [many(&error, 12), many(&warning, 11)].concat();
        assert_eq!(
            notices(&past_it),
            [
                "::notice title=rasalint::GitHub annotates only the first 10 errors and 10 \
              warnings of a step: 2 more errors and 1 more warning are listed in this \
              step's log only"
            ]
        );
        assert_eq!(
            notices(&many(&warning, 11)),
            [
                "::notice title=rasalint::GitHub annotates only the first 10 errors and 10 \
              warnings of a step: 1 more warning is listed in this step's log only"
            ]
        );
        let warnings_only = many(&warning, 13);
        assert_eq!(
            notices(&warnings_only),
            [
                "::notice title=rasalint::GitHub annotates only the first 10 errors and 10 \
              warnings of a step: 3 more warnings are listed in this step's log only"
            ]
        );
        // The notice comes after every finding.
        let out = github(&past_it, &files(), None);
        assert!(out.trim_end().ends_with("log only"), "{out}");
        assert_eq!(out.lines().count(), 24);
    }

    #[test]
    fn related_lines_count_the_places_left_out() {
        let mut finding = diags().remove(1);
        assert_eq!(
            related_lines(&finding, &files(), None, 10),
            Vec::<String>::new()
        );
        for i in 0..12 {
            finding = finding.with_related(FileId(0), i..i + 1, "also used here");
        }
        let all = related_lines(&finding, &files(), None, usize::MAX);
        assert_eq!(all.len(), 12);
        assert_eq!(all[0], "data/nlu.md:1:1: also used here");
        assert_eq!(all[11], "data/nlu.md:1:12: also used here");
        let cut = related_lines(&finding, &files(), None, 10);
        assert_eq!(cut.len(), 10);
        assert_eq!(cut[..9], all[..9]);
        assert_eq!(cut[9], "… and 3 more places");
        assert_eq!(related_lines(&finding, &files(), None, 12), all);
    }

    #[test]
    fn summary_counts_with_singular_forms() {
        let d = diags();
        assert_eq!(summary(&d, 12), "1 error, 1 warning in 12 files");
        assert_eq!(
            summary(&[d[0].clone(), d[0].clone()], 1),
            "2 errors in 1 file"
        );
        assert_eq!(summary(&d[1..], 2), "1 warning in 2 files");
        assert_eq!(summary(&[], 12), "No problems found in 12 files");
        let fixable = d[1].clone().with_fix(vec![crate::diagnostic::Edit {
            span: 0..1,
            text: String::new(),
        }]);
        assert_eq!(
            summary(&[d[0].clone(), fixable], 2),
            "1 error, 1 warning in 2 files (1 fixable with `rasalint check --fix`)"
        );
    }

    #[test]
    fn graphical_shows_code_snippet_labels_and_related_file() {
        let out = graphical(&diags()[..1], &files(), &plain(80));
        assert!(!out.contains('\x1b'), "{out}");
        let expected = "  × error[RL101]: Intent `goodbye` is not in the domain
   ╭─[data/nlu.md:1:11]
 1 │ ## intent:greet
   ·           ──┬──
   ·             ╰── first intent here
 2 │ - hello
   ╰────
   ╭─[data/nlu.md:5:11]
 4 │
 5 │ ## intent:goodbye
   ·           ───┬───
   ·              ╰── not declared
 6 │ - bye
   ╰────
  help: Add `goodbye` to `intents:` in domain.yml

Advice:
  ☞ intents are declared here
   ╭─[domain.yml:1:1]
 1 │ intents:
   · ───┬───
   ·    ╰── intents are declared here
 2 │   - greet
   ╰────
";
        assert_eq!(out, expected);
    }

    #[test]
    fn graphical_separates_findings_with_a_blank_line() {
        let out = graphical(&diags(), &files(), &plain(80));
        assert!(
            out.contains("   ╰────\n\n  ⚠ warning[RL101]: 50% done, see:\n  │ next\n"),
            "{out}"
        );
        assert!(
            out.contains(" 3 │   - goodbye, please\n   ·     ───────\n"),
            "{out}"
        );
        assert!(!out.contains('\x1b'), "{out}");
    }

    #[test]
    fn graphical_warning_and_ascii_without_colour() {
        let style = GraphicalStyle {
            color: false,
            unicode: false,
            width: 80,
        };
        let out = graphical(&diags()[1..], &files(), &style);
        assert!(!out.contains('\x1b'), "{out}");
        assert!(out.contains("! warning[RL101]: 50% done, see:"), "{out}");
        assert!(out.contains(",-[domain.yml:3:5]"), "{out}");
    }

    #[test]
    fn graphical_survives_odd_spans() {
        let files = vec![
            SourceFile::new("é.md".into(), "é.md".into(), "- é\n".into()),
            SourceFile::new("empty.md".into(), "empty.md".into(), String::new()),
        ];
        let at = |file, span: Span| Diagnostic::new(&TEST_RULE, FileId(file), span, "odd");
        let diags = [
            at(0, 3..3),   // inside the two-byte `é`: clamped back onto it
            at(0, 2..2),   // zero-length, before `é`
            at(0, 5..5),   // end of file, after the final line break
            at(0, 40..90), // past the end
            at(1, 0..0),   // empty file
            #[allow(clippy::reversed_empty_ranges)]
            at(1, 3..1), // reversed and past the end
        ];
        let out = graphical(&diags, &files, &plain(80));
        assert_eq!(
            out.matches("╭─[é.md:1:3]\n 1 │ - é\n   ·   ▲\n").count(),
            2,
            "{out}"
        );
        // Points at the end of the file sit at the end of the last line.
        assert_eq!(
            out.matches("╭─[é.md:1:4]\n 1 │ - é\n   ·    ▲\n").count(),
            2,
            "{out}"
        );
        assert_eq!(out.matches("╭─[empty.md:1:1]").count(), 2, "{out}");
        assert!(!out.contains("Failed to read"), "{out}");
        assert_eq!(
            out.matches("× error[RL101]: odd").count(),
            diags.len(),
            "{out}"
        );
    }

    #[test]
    fn graphical_groups_related_places_per_file_and_handles_crlf() {
        let files = vec![
            SourceFile::new("a.md".into(), "a.md".into(), "x\r\ny\r\n".into()),
            SourceFile::new("b.md".into(), "b.md".into(), "one\r\ntwo\r\n".into()),
        ];
        let diag = Diagnostic::new(&TEST_RULE, FileId(0), 3..4, "dup")
            .with_related(FileId(1), 0..3, "first")
            .with_related(FileId(1), 5..8, "second");
        let out = graphical(&[diag], &files, &plain(80));
        assert!(out.contains("╭─[a.md:2:1]\n 1 │ x\n 2 │ y\n"), "{out}");
        assert_eq!(out.matches("Advice:").count(), 1, "{out}");
        assert!(
            out.contains(" 1 │ one\n   · ─┬─\n   ·  ╰── first\n 2 │ two\n"),
            "{out}"
        );
        assert!(out.contains("╰── second"), "{out}");
    }

    /// A one-file bot with `text`, and a finding at each span.
    fn findings_in(text: &str, spans: &[Span]) -> (Vec<SourceFile>, Vec<Diagnostic>) {
        let files = vec![SourceFile::new("l.md".into(), "l.md".into(), text.into())];
        let at = |span: &Span| Diagnostic::new(&TEST_RULE, FileId(0), span.clone(), "here");
        (files, spans.iter().map(at).collect())
    }

    #[test]
    fn graphical_shows_a_window_of_a_long_line_around_the_span() {
        // Column 70,003: miette panicked padding the underline past 65,535.
        let text = format!("## intent:greet\n- {}end  \n- hi\n", "a".repeat(70_000));
        let start = text.find("end").unwrap();
        let (files, diags) = findings_in(&text, std::slice::from_ref(&(start..start + 3)));
        let out = graphical(&diags, &files, &plain(80));
        let window = format!(" 2 │ …{}end\n", "a".repeat(60));
        assert!(out.contains("╭─[l.md:2:70003]\n"), "{out}");
        assert!(out.contains(&window), "{out}");
        assert!(
            out.contains(&format!("   · {}───\n", " ".repeat(61))),
            "{out}"
        );
        assert!(out.contains(" 3 │ - hi\n"), "{out}");
        let ascii = GraphicalStyle {
            unicode: false,
            ..plain(80)
        };
        let out = graphical(&diags, &files, &ascii);
        assert!(
            out.contains(&format!(" 2 | ...{}end\n", "a".repeat(60))),
            "{out}"
        );
    }

    #[test]
    fn graphical_windows_each_place_on_a_long_line_and_the_lines_around() {
        let long = "x".repeat(100_000);
        let text = format!("{long}\n- {long} a {long}\n");
        let line = long.len() + 1;
        let (near, far) = (line + 10, line + 2 + long.len() + 1);
        let diag = findings_in(&text, std::slice::from_ref(&(near..near + 1))).1[0]
            .clone()
            .with_related(FileId(0), far..far + 1, "far");
        let (files, _) = findings_in(&text, &[]);
        let out = graphical(&[diag], &files, &plain(80));
        // The context line: its first 120 characters; the line with both places: around each.
        assert!(out.contains(&format!(" 1 │ {}…\n", &long[..120])), "{out}");
        let line_two = format!(" 2 │ - {}…{x59} a {x59}…\n", &long[..69], x59 = &long[..59]);
        assert!(out.contains(&line_two), "{out}");
        assert!(out.contains("╰── far"), "{out}");
    }

    #[test]
    fn graphical_shows_a_bounded_part_of_a_huge_line_however_many_findings_point_beside_it() {
        let text = format!("- hi\n{}\n", "y".repeat(8 << 20));
        let spans: Vec<Span> = (0..100).map(|i| i % 4..i % 4 + 1).collect();
        let (files, diags) = findings_in(&text, &spans);
        let out = graphical(&diags, &files, &plain(80));
        assert_eq!(out.matches("× error[RL101]: here").count(), 100);
        assert!(out.len() < 100 * 1000, "{} bytes", out.len());
    }

    #[test]
    fn a_configuration_mistake_far_into_a_line_is_shown_in_a_window() {
        let text = format!("select = [\"{}\", 3]\n", "R".repeat(70_000));
        let error = crate::settings::ConfigError {
            path: "rasalint.toml".into(),
            span: text.len() - 3..text.len() - 2,
            text,
            message: "expected a string".into(),
            help: None,
        };
        let out = config_error(&error, &plain(80));
        assert!(out.contains("╭─[rasalint.toml:1:70015]\n"), "{out}");
        assert!(
            out.contains(&format!(" 1 │ …{}\", 3]\n", "R".repeat(57))),
            "{out}"
        );
    }

    #[test]
    fn graphical_colours_only_when_asked() {
        let style = GraphicalStyle {
            color: true,
            unicode: true,
            width: 80,
        };
        assert!(graphical(&diags(), &files(), &style).contains('\x1b'));
    }
}
