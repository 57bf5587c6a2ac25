//! Completion and go-to-definition of the names a bot declares in its domain: intents after
//! `*` (and `OR`) in stories and in `## intent:` headers, actions and responses after `-`
//! in stories, entities in an annotation's `](…)`.

use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionTextEdit, Location, Position, TextEdit, Url,
};
use rustc_hash::FxHashMap;

use super::Document;
use super::convert::{self, Encoding};
use crate::model::FileKind;
use crate::source::SourceFile;

/// The kinds of names a line can refer to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NameKind {
    Intent,
    /// Actions, responses and forms: what a story's `-` line runs.
    Action,
    Entity,
}

/// What the last check of a bot found declared, with where.
#[derive(Debug, Default)]
pub struct Declared {
    names: FxHashMap<NameKind, Vec<(String, Location)>>,
}

impl Declared {
    /// The domain's declarations in `report`, sorted by name.
    pub fn from_report(report: &crate::Report, encoding: Encoding) -> Self {
        let project = &report.project;
        let domain = &project.domain;
        let mut names: FxHashMap<NameKind, Vec<(String, Location)>> = FxHashMap::default();
        let groups = [
            (NameKind::Intent, &domain.intents),
            (NameKind::Action, &domain.actions),
            (NameKind::Action, &domain.responses),
            (NameKind::Action, &domain.forms),
            (NameKind::Entity, &domain.entities),
        ];
        for (kind, declarations) in groups {
            for (name, declaration) in declarations {
                let file = project.file(declaration.file);
                let Ok(uri) = Url::from_file_path(&file.disk_path) else {
                    continue;
                };
                let range = convert::range(file, &declaration.span, encoding);
                names
                    .entry(kind)
                    .or_default()
                    .push((name.clone(), Location::new(uri, range)));
            }
        }
        for list in names.values_mut() {
            list.sort_by(|a, b| a.0.cmp(&b.0));
            // An action that is also a response is one name.
            list.dedup_by(|a, b| a.0 == b.0);
        }
        Declared { names }
    }

    fn of(&self, kind: NameKind) -> &[(String, Location)] {
        self.names.get(&kind).map_or(&[], Vec::as_slice)
    }
}

/// What the text before the cursor on its line asks for: the kind of name, and where (a
/// byte offset in the line) the name being written starts.
pub fn context(before: &str, kind: FileKind) -> Option<(NameKind, usize)> {
    let indent = before.len() - before.trim_start().len();
    let line = &before[indent..];
    let (name_kind, from) = match kind {
        FileKind::Stories if line.starts_with('*') => {
            // The last alternative of `* a OR b`.
            let from = line.rfind(" OR ").map_or(1, |at| at + 4);
            (NameKind::Intent, from)
        }
        FileKind::Stories if line.starts_with('-') => (NameKind::Action, 1),
        FileKind::Nlu if line.starts_with("## intent:") => (NameKind::Intent, "## intent:".len()),
        FileKind::Nlu if line.starts_with('-') => {
            // Inside an annotation's `](`, before any `:` (a synonym) or `)`.
            let from = line.rfind("](")? + 2;
            (NameKind::Entity, from)
        }
        _ => return None,
    };
    let rest = &line[from..];
    let start = from + (rest.len() - rest.trim_start().len());
    let word = &line[start..];
    // Past the name: entities `{…}`, a confidence `@0.5`, a synonym `:value`.
    if word.contains(['{', '@', ':', ')', ' ']) {
        return None;
    }
    Some((name_kind, indent + start))
}

/// The declared names that can complete the one at `position`, each replacing what is
/// written of it.
pub fn completions(
    document: &Document,
    position: Position,
    declared: &Declared,
    encoding: Encoding,
) -> Vec<CompletionItem> {
    let Some((kind, file, line_start, cursor)) = at_cursor(document, position, encoding) else {
        return Vec::new();
    };
    let Some((name_kind, start)) = context(&file.text[line_start..cursor], kind) else {
        return Vec::new();
    };
    let written = &file.text[line_start + start..cursor];
    let range = convert::range(&file, &(line_start + start..cursor), encoding);
    declared
        .of(name_kind)
        .iter()
        .filter(|(name, _)| name.starts_with(written))
        .map(|(name, _)| CompletionItem {
            label: name.clone(),
            kind: Some(match name_kind {
                NameKind::Intent => CompletionItemKind::EVENT,
                NameKind::Action => CompletionItemKind::FUNCTION,
                NameKind::Entity => CompletionItemKind::FIELD,
            }),
            text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(range, name.clone()))),
            ..CompletionItem::default()
        })
        .collect()
}

/// Where the name under the cursor is declared in the domain.
pub fn definition(
    document: &Document,
    position: Position,
    declared: &Declared,
    encoding: Encoding,
) -> Option<Location> {
    let (kind, file, line_start, cursor) = at_cursor(document, position, encoding)?;
    let line_end = file.text[cursor..]
        .find(['\n', '\r'])
        .map_or(file.text.len(), |e| cursor + e);
    let line = &file.text[line_start..line_end];
    let is_name = |c: char| !c.is_whitespace() && !"{}()[]:@,".contains(c);
    let in_line = cursor - line_start;
    let start = line[..in_line]
        .rfind(|c: char| !is_name(c))
        .map_or(0, |at| {
            at + line[at..].chars().next().map_or(1, char::len_utf8)
        });
    let end = line[in_line..]
        .find(|c: char| !is_name(c))
        .map_or(line.len(), |at| in_line + at);
    let name = &line[start..end];
    let (name_kind, name_start) = context(&line[..start], kind)?;
    if name_start != start || name.is_empty() {
        return None;
    }
    let found = declared.of(name_kind).iter().find(|(n, _)| n == name);
    found.map(|(_, location)| location.clone())
}

/// The document as a source file, its kind, and the byte offsets of the cursor's line and
/// of the cursor; only while the document is the text its kind was read from.
fn at_cursor(
    document: &Document,
    position: Position,
    encoding: Encoding,
) -> Option<(FileKind, SourceFile, usize, usize)> {
    let kind = document.kind?;
    let file = SourceFile::new(
        document.path.clone(),
        document.path.clone(),
        document.text.clone(),
    );
    let cursor = convert::offset(&file, position, encoding)?;
    let line_start = file.line_start(file.line_col(cursor).line);
    Some((kind, file, line_start, cursor))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_before_the_cursor_says_which_name_is_written_and_from_where() {
        let stories = FileKind::Stories;
        assert_eq!(context("* gre", stories), Some((NameKind::Intent, 2)));
        assert_eq!(context("*", stories), Some((NameKind::Intent, 1)));
        assert_eq!(
            context("* greet OR goo", stories),
            Some((NameKind::Intent, 11))
        );
        assert_eq!(context("  - utter_", stories), Some((NameKind::Action, 4)));
        assert_eq!(context("* greet{\"na", stories), None);
        assert_eq!(context("  - slot{", stories), None);
        assert_eq!(context("## story", stories), None);
        let nlu = FileKind::Nlu;
        assert_eq!(context("## intent:gr", nlu), Some((NameKind::Intent, 10)));
        assert_eq!(
            context("- fly to [Berlin](ci", nlu),
            Some((NameKind::Entity, 18))
        );
        assert_eq!(context("- fly to [Berlin](city:", nlu), None);
        assert_eq!(context("- fly to [Berlin](city) and", nlu), None);
        assert_eq!(context("- hello", nlu), None);
        assert_eq!(context("* greet", FileKind::Domain), None);
    }
}
