//! Code actions: a finding's safe fix, a suppression comment for it, and every safe fix of
//! a document at once.

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, TextEdit, Url, WorkspaceEdit,
};

use super::convert::{self, Encoding};
use super::{Document, FIX_ALL, Finding};
use crate::diagnostic::Edit;
use crate::source::SourceFile;

/// The actions for a request: for each finding under the cursor (or among the
/// diagnostics the editor sent) its fix and a comment that disables it; "fix all" when
/// the editor asks for source actions. None while the document differs from the text it
/// was checked in: the findings' positions refer to that text.
pub fn code_actions(
    document: &Document,
    params: &CodeActionParams,
    encoding: Encoding,
) -> Vec<CodeActionOrCommand> {
    if document.checked_version != Some(document.version) {
        return Vec::new();
    }
    let context = Context {
        uri: &params.text_document.uri,
        file: SourceFile::new(
            document.path.clone(),
            document.path.clone(),
            document.text.clone(),
        ),
        encoding,
    };
    let wanted = |kind: &CodeActionKind| match &params.context.only {
        None => true,
        Some(only) => only.iter().any(|o| kind.as_str().starts_with(o.as_str())),
    };
    let mut actions = Vec::new();
    if wanted(&CodeActionKind::QUICKFIX) {
        for finding in document.findings.iter().filter(|f| asked_for(f, params)) {
            actions.extend(context.quick_fix(finding));
            actions.extend(context.disable(finding));
        }
    }
    if params.context.only.is_some() && wanted(&CodeActionKind::from(FIX_ALL)) {
        actions.extend(context.fix_all(document));
    }
    actions
}

/// The document the actions edit.
struct Context<'a> {
    uri: &'a Url,
    file: SourceFile,
    encoding: Encoding,
}

impl Context<'_> {
    fn quick_fix(&self, finding: &Finding) -> Option<CodeActionOrCommand> {
        if finding.fix.is_empty() {
            return None;
        }
        let edits = convert::text_edits(&finding.fix, &self.file, self.encoding);
        let title = format!("Fix {} ({})", finding.code, finding.name);
        Some(self.quick_action(title, finding, edits, true))
    }

    /// `<!-- rasalint-disable-next-line CODE -->` on a line of its own above the finding's,
    /// indented like it; for a finding that points at a line break (which the comment's
    /// own line would then hold), `<!-- rasalint-disable-file CODE -->` at the top.
    fn disable(&self, finding: &Finding) -> Option<CodeActionOrCommand> {
        if !crate::discover::is_markdown(&self.file.disk_path) {
            return None;
        }
        let text = &self.file.text;
        let line_break = if text.contains("\r\n") { "\r\n" } else { "\n" };
        let flagged = text.get(finding.span.clone())?;
        let line = self.file.line_col(finding.span.start).line;
        let at = self.file.line_start(line);
        let rest = &text[at..];
        let line_text = &rest[..rest.find(['\n', '\r']).unwrap_or(rest.len())];
        let about_a_line_break = flagged.starts_with(['\r', '\n']);
        if !about_a_line_break && line_text.trim().is_empty() {
            // A suppression covers the next line that is not blank, not this one.
            return None;
        }
        let (title, at, comment) = if about_a_line_break {
            let comment = format!(
                "<!-- rasalint-disable-file {} -->{line_break}",
                finding.code
            );
            (format!("Disable {} in this file", finding.code), 0, comment)
        } else {
            let indent = &rest[..rest.len() - rest.trim_start_matches([' ', '\t']).len()];
            let comment = format!(
                "{indent}<!-- rasalint-disable-next-line {} -->{line_break}",
                finding.code
            );
            (
                format!("Disable {} for this line", finding.code),
                at,
                comment,
            )
        };
        if !comment_is_safe(text, at, &comment) {
            return None;
        }
        let insert = Edit {
            span: at..at,
            text: comment,
        };
        let edits = convert::text_edits(&[insert], &self.file, self.encoding);
        Some(self.quick_action(title, finding, edits, false))
    }

    /// Every safe fix of the document at once, as `rasalint check --fix` applies them in
    /// one round (of two fixes of the same text, the first).
    fn fix_all(&self, document: &Document) -> Option<CodeActionOrCommand> {
        let fixes: Vec<&[Edit]> = document
            .findings
            .iter()
            .map(|f| f.fix.as_slice())
            .filter(|f| !f.is_empty())
            .collect();
        let (text, fixed) = crate::fix::apply_to_text(&document.text, &fixes);
        (fixed > 0).then(|| {
            let edit = TextEdit::new(convert::whole(&self.file, self.encoding), text);
            CodeActionOrCommand::CodeAction(CodeAction {
                title: format!("Fix all rasalint findings that have a safe fix ({fixed})"),
                kind: Some(CodeActionKind::from(FIX_ALL)),
                edit: Some(self.workspace_edit(vec![edit])),
                ..CodeAction::default()
            })
        })
    }

    /// A quick fix of one finding; the preferred one is what the editor applies when asked
    /// to "fix" without choosing.
    fn quick_action(
        &self,
        title: String,
        finding: &Finding,
        edits: Vec<TextEdit>,
        preferred: bool,
    ) -> CodeActionOrCommand {
        CodeActionOrCommand::CodeAction(CodeAction {
            title,
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![finding.diagnostic.clone()]),
            edit: Some(self.workspace_edit(edits)),
            is_preferred: Some(preferred),
            ..CodeAction::default()
        })
    }

    fn workspace_edit(&self, edits: Vec<TextEdit>) -> WorkspaceEdit {
        let mut changes = std::collections::HashMap::new();
        changes.insert(self.uri.clone(), edits);
        WorkspaceEdit::new(changes)
    }
}

/// Whether inserting a comment line changes nothing Rasa reads. Rasa removes such comments
/// from NLU and story files, but the comment can still change the reading: its `-->` can
/// close a comment opened above, and a comment between a responses file's lines makes it
/// a story file; and a `#` line in YAML can be text of a multi-line string. So only NLU and
/// story files qualify, and only when they read the same with the comment as without.
fn comment_is_safe(text: &str, at: usize, comment: &str) -> bool {
    use crate::load::{Role, parse};
    use crate::model::FileKind;
    let file = crate::source::FileId(0);
    let (before, _) = parse(file, text, Role::Data);
    if !matches!(before.kind(), Some(FileKind::Nlu | FileKind::Stories)) {
        return false;
    }
    let mut commented = String::with_capacity(text.len() + comment.len());
    commented.push_str(&text[..at]);
    commented.push_str(comment);
    commented.push_str(&text[at..]);
    let (after, _) = parse(file, &commented, Role::Data);
    let read = |parsed| crate::dump::dump_file(parsed).map(|dump| without_line_numbers(&dump));
    read(&before).is_some() && read(&before) == read(&after)
}

/// The dump as text with the line numbers of Rasa's messages (`Skipping line 14`, `Error
/// in line 3`) taken out: the comment moves the lines below it down by one, and that
/// changes nothing Rasa trains on.
fn without_line_numbers(dump: &serde_json::Value) -> String {
    static LINE: std::sync::LazyLock<regex::Regex> =
        std::sync::LazyLock::new(|| regex::Regex::new(r"line \d+").expect("the pattern is valid"));
    LINE.replace_all(&dump.to_string(), "line N").into_owned()
}

/// Whether a code action request is about a finding: the finding is under the cursor or
/// selection, or among the diagnostics the editor sent (editors send those of the whole
/// line).
fn asked_for(finding: &Finding, params: &CodeActionParams) -> bool {
    let shown = &finding.diagnostic;
    overlaps(&shown.range, &params.range)
        || params
            .context
            .diagnostics
            .iter()
            .any(|d| d.range == shown.range && d.code == shown.code)
}

/// Whether two ranges share a position (touching counts: a cursor at a finding's end is on
/// it).
fn overlaps(a: &lsp_types::Range, b: &lsp_types::Range) -> bool {
    a.start <= b.end && b.start <= a.end
}
