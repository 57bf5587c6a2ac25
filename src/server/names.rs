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

/// The kinds of names a line can refer to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NameKind {
    Intent,
    /// Actions, responses and forms: what a story's `-` line runs.
    Action,
    Entity,
}

/// What the last check of a bot found declared, with where (Rasa's default actions have no
/// place in the bot).
#[derive(Debug, Default)]
pub struct Declared {
    names: FxHashMap<NameKind, Vec<(String, Option<Location>)>>,
}

impl Declared {
    /// The domain's declarations in `report`, sorted by name.
    pub fn from_report(report: &crate::Report, encoding: Encoding) -> Self {
        let project = &report.project;
        let domain = &project.domain;
        let mut names: FxHashMap<NameKind, Vec<(String, Option<Location>)>> = FxHashMap::default();
        // A response or form listed under `actions:` too leads to where it is defined, not
        // to the list: the first of a name's declarations in this order is kept.
        let groups = [
            (NameKind::Intent, &domain.intents),
            (NameKind::Action, &domain.responses),
            (NameKind::Action, &domain.forms),
            (NameKind::Action, &domain.actions),
            (NameKind::Entity, &domain.entities),
        ];
        for (kind, declarations) in groups {
            for (name, declaration) in declarations {
                let file = project.file(declaration.file);
                let path = crate::load::lexically_normal(&file.disk_path);
                let Ok(uri) = Url::from_file_path(path) else {
                    continue;
                };
                let range = convert::range(file, &declaration.span, encoding);
                let location = Some(Location::new(uri, range));
                names
                    .entry(kind)
                    .or_default()
                    .push((name.clone(), location));
            }
        }
        let actions = names.entry(NameKind::Action).or_default();
        actions.extend(
            project
                .rasa
                .version
                .default_actions()
                .map(|a| (a.to_string(), None)),
        );
        for list in names.values_mut() {
            // Stable: of a name's declarations, the first in the order above stays.
            list.sort_by(|a, b| a.0.cmp(&b.0));
            list.dedup_by(|later, first| later.0 == first.0);
        }
        Declared { names }
    }

    fn of(&self, kind: NameKind) -> &[(String, Option<Location>)] {
        self.names.get(&kind).map_or(&[], Vec::as_slice)
    }
}

/// What the text before the cursor on its line asks for: the kind of name, and where (a
/// byte offset in the line) the name being written starts. `section` is the NLU file's
/// section header the line is under (`## intent:greet`), if any.
pub fn context(before: &str, kind: FileKind, section: Option<&str>) -> Option<(NameKind, usize)> {
    let indent = before.len() - before.trim_start().len();
    let line = &before[indent..];
    let example_marker = line.starts_with(['-', '*', '+']);
    let in_intent = section.is_some_and(|s| s.starts_with("## intent:"));
    if let Some(at) = json_entity(line, kind, example_marker && in_intent) {
        return Some((NameKind::Entity, indent + at));
    }
    let (name_kind, from) = match kind {
        FileKind::Stories if line.starts_with('*') => {
            // The last alternative of `* a OR b`.
            let from = line.rfind(" OR ").map_or(1, |at| at + 4);
            (NameKind::Intent, skip_form_prefix(line, from))
        }
        FileKind::Stories if line.starts_with('-') => (NameKind::Action, skip_form_prefix(line, 1)),
        FileKind::Nlu if line.starts_with("## intent:") => (NameKind::Intent, "## intent:".len()),
        FileKind::Nlu if example_marker && in_intent => {
            // Inside an annotation's `](`, before any `:` (a synonym) or `)`.
            let from = line.rfind("](")? + 2;
            (NameKind::Entity, from)
        }
        _ => return None,
    };
    let rest = &line[from..];
    let start = from + (rest.len() - rest.trim_start().len());
    let word = &line[start..];
    // Past the name: entities `{…}`, a confidence `@0.5`, a synonym `:value`, a retrieval
    // intent's response key `/ask_name`.
    if word.contains(['{', '@', ':', ')', ' ', '/']) {
        return None;
    }
    Some((name_kind, indent + start))
}

/// Where an entity name being written inside JSON starts: the value of `"entity"` in an
/// NLU annotation's `[text]{…}`, or a key of a story turn's `* intent{…}`.
fn json_entity(line: &str, kind: FileKind, nlu_example: bool) -> Option<usize> {
    let open = line.rfind('{')?;
    let json = &line[open..];
    if json.contains('}') {
        return None;
    }
    let at = match kind {
        FileKind::Nlu if nlu_example && line[..open].ends_with(']') => {
            let key = json.rfind("\"entity\"")?;
            let after_key = json[key + 8..].trim_start().strip_prefix(':')?.trim_start();
            let value = after_key.strip_prefix('"')?;
            line.len() - value.len()
        }
        FileKind::Stories if line.starts_with('*') => {
            // After `{` or a `,` that ends the previous pair.
            let from = open + json.rfind(',').unwrap_or(0) + 1;
            let key = line[from..].trim_start().strip_prefix('"')?;
            line.len() - key.len()
        }
        _ => return None,
    };
    (!line[at..].contains(['"', ':', ','])).then_some(at)
}

/// Past `form: ` after a story line's marker: the prefix of the lines interactive learning
/// exports (`* form: affirm`, `- form: restaurant_form`), which Rasa reads past.
fn skip_form_prefix(line: &str, from: usize) -> usize {
    let rest = &line[from..];
    let text = rest.trim_start();
    match text.strip_prefix("form:") {
        Some(after) if after.starts_with(' ') => line.len() - after.len(),
        _ => from,
    }
}

/// Whether `c` can be part of a name where completion and definition look for one.
fn is_name_char(c: char) -> bool {
    !c.is_whitespace() && !"{}()[]:@,/\"".contains(c)
}

/// The NLU section header above `line_start` in `text`: the last line starting with `##`.
fn section_above(text: &str, line_start: usize) -> Option<&str> {
    text[..line_start]
        .lines()
        .rev()
        .find(|l| l.trim_start().starts_with("##"))
        .map(str::trim)
}

/// The declared names that can complete the one at `position`, each replacing what is
/// written of it.
pub fn completions(
    document: &Document,
    position: Position,
    declared: &Declared,
    encoding: Encoding,
) -> Vec<CompletionItem> {
    let (Some(kind), Some(at)) = (document.kind, document.at(position, encoding)) else {
        return Vec::new();
    };
    let text = &at.file.text;
    let section = section_above(text, at.line_start);
    let Some((name_kind, start)) = context(&text[at.line_start..at.cursor], kind, section) else {
        return Vec::new();
    };
    // The whole name under the cursor is replaced, not only what is before it.
    let end = at.line_start + at.word(is_name_char).end;
    let range = convert::range(&at.file, &(at.line_start + start..end), encoding);
    // Every name of the kind: the editor filters them by what is written in the range (a
    // list filtered here would miss names once the user deletes a character).
    declared
        .of(name_kind)
        .iter()
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
    let kind = document.kind?;
    let at = document.at(position, encoding)?;
    let text = &at.file.text;
    let line = at.line();
    let word = at.word(is_name_char);
    let (start, name) = (word.start, &line[word]);
    let section = section_above(text, at.line_start);
    let (name_kind, name_start) = context(&line[..start], kind, section)?;
    if name_start != start || name.is_empty() {
        return None;
    }
    let found = declared.of(name_kind).iter().find(|(n, _)| n == name);
    found.and_then(|(_, location)| location.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_before_the_cursor_says_which_name_is_written_and_from_where() {
        let stories = |line| context(line, FileKind::Stories, None);
        assert_eq!(stories("* gre"), Some((NameKind::Intent, 2)));
        assert_eq!(stories("*"), Some((NameKind::Intent, 1)));
        assert_eq!(stories("* greet OR goo"), Some((NameKind::Intent, 11)));
        assert_eq!(stories("  - utter_"), Some((NameKind::Action, 4)));
        assert_eq!(stories("* form: aff"), Some((NameKind::Intent, 8)));
        assert_eq!(
            stories("    - form: restaurant_f"),
            Some((NameKind::Action, 12))
        );
        assert_eq!(stories("  - slot{"), None);
        assert_eq!(stories("## story"), None);
        let intent = Some("## intent:greet");
        let nlu = |line| context(line, FileKind::Nlu, intent);
        assert_eq!(nlu("## intent:gr"), Some((NameKind::Intent, 10)));
        assert_eq!(nlu("## intent:faq/ask"), None);
        assert_eq!(nlu("- fly to [Berlin](ci"), Some((NameKind::Entity, 18)));
        assert_eq!(nlu("* fly to [Berlin](ci"), Some((NameKind::Entity, 18)));
        assert_eq!(nlu("- fly to [Berlin](city:"), None);
        assert_eq!(nlu("- fly to [Berlin](city) and"), None);
        assert_eq!(nlu("- hello"), None);
        assert_eq!(
            nlu("- I am [Ann]{\"entity\": \"na"),
            Some((NameKind::Entity, 24))
        );
        assert_eq!(
            nlu("- I am [Ann]{\"entity\":\"na"),
            Some((NameKind::Entity, 23))
        );
        assert_eq!(
            nlu("- I am [Ann]{\"entity\": \"name\", \"value\": \"x"),
            None
        );
        assert_eq!(nlu("- I am [Ann]{\"entity\": \"name\"} and"), None);
        assert_eq!(stories("* greet{\"ci"), Some((NameKind::Entity, 9)));
        assert_eq!(
            stories("* greet{\"city\": \"Berlin\", \"da"),
            Some((NameKind::Entity, 27))
        );
        assert_eq!(stories("* greet{\"city\": \"Ber"), None);
        let regex = Some("## regex:zip");
        assert_eq!(context("- [0-9](n", FileKind::Nlu, regex), None);
        assert_eq!(context("* greet", FileKind::Domain, None), None);
    }
}
