//! Markdown NLU (`## intent:greet` / `- hello`) to Rasa 3 `nlu:` YAML, written from what
//! Rasa 1.10 read (the model), in file order: each run of items of one section becomes one
//! `- intent:` (or `synonym`, `regex`, `lookup`) item, and Rasa 3 merges items of the same
//! name as 1.10 merged sections of the same title. A Markdown comment ends the item it
//! falls in and is written as YAML comment lines there (a `|` block cannot hold comments).
//!
//! Examples are written in `examples: |` blocks, each line `- ` and the example with its
//! annotations as 3.x reads them: `[text](entity)` when the value is the text and there is
//! no role or group, else `[text]{"entity": …, "role": …, "group": …, "value": …}` (the
//! deprecated `[text](entity:value)` included, which 3.x reads with the same value and
//! synonym). An example YAML cannot hold as it is in a block (a character outside YAML's
//! printable set) is written in the list form, `- text: "…"` with escapes. File lookup
//! tables, which 3.x cannot read (spec rasa-yaml §4.4), are inlined from the file Rasa 1.10
//! would open (relative to the bot's folder, where `rasa train` runs).

use std::path::Path;

use crate::convert::Notes;
use crate::convert::yaml_out::{comment_lines, double_quoted, is_printable, scalar};
use crate::model::nlu::{AnnotationForm, Entity, Example, LookupElements, NluFile, SectionKind};
use crate::source::{FileId, Span};
use crate::syntax::comments::strip_comments;

/// What converting one NLU file gave: its YAML text and what a person must know.
#[derive(Debug)]
pub struct NluConversion {
    pub text: String,
    pub notes: Notes,
    /// Examples written (before Rasa drops exact duplicates).
    pub examples: usize,
}

/// One thing of the Markdown file, at its offset: what it becomes in YAML.
enum Piece<'a> {
    Comment(&'a str),
    /// An item line of a section, `kind` and title naming the YAML item it goes in.
    Line {
        kind: SectionKind,
        title: String,
        line: Line,
    },
}

/// How an item line is written.
enum Line {
    /// A line of an `examples: |` block, without the `- `.
    Block(String),
    /// An example the block cannot hold: written `- text: "…"`.
    Listed(String),
}

/// Converts one Markdown NLU file (`text`, read as `nlu`); file lookups are read from
/// `bot_root`.
pub fn convert_nlu(file: FileId, text: &str, nlu: &NluFile, bot_root: &Path) -> NluConversion {
    let mut out = NluConversion {
        text: String::new(),
        notes: Notes::new(file),
        examples: 0,
    };
    if let Some(error) = &nlu.rasa_error {
        out.notes.decide(None, format!(
                "Rasa 1.10 refuses this file ({error}); it was converted as rasalint reads it, which may not be what was meant"
            ));
    }
    let mut pieces: Vec<(usize, Piece)> = Vec::new();
    for comment in strip_comments(text).comments {
        pieces.push((comment.start, Piece::Comment(comment_body(&text[comment]))));
    }
    for example in &nlu.examples {
        let section = &nlu.sections[example.section];
        if section.kind != SectionKind::Intent {
            continue;
        }
        out.examples += 1;
        let written = annotated(example, &mut out);
        let line = if written.chars().all(|c| is_printable(c) && c != '\r') {
            Line::Block(written)
        } else {
            Line::Listed(written)
        };
        pieces.push((
            example.span.start,
            Piece::Line {
                kind: SectionKind::Intent,
                title: intent_title(example),
                line,
            },
        ));
    }
    for synonym in nlu.synonyms.iter().filter(|s| !s.from_annotation) {
        pieces.push((
            synonym.span.start,
            block_or_listed(SectionKind::Synonym, &synonym.value, &synonym.text),
        ));
    }
    for regex in &nlu.regexes {
        pieces.push((
            regex.span.start,
            block_or_listed(SectionKind::Regex, &regex.name, &regex.pattern),
        ));
    }
    for lookup in &nlu.lookups {
        match &lookup.elements {
            LookupElements::List(items) => {
                for (element, span) in items {
                    pieces.push((
                        span.start,
                        block_or_listed(SectionKind::Lookup, &lookup.name, element),
                    ));
                }
            }
            LookupElements::File(path, span) => {
                inline_lookup_file(&lookup.name, path, span, bot_root, &mut pieces, &mut out)
            }
        }
    }
    // Sorted by offset, stably: a file lookup's lines keep their order.
    pieces.sort_by_key(|(at, _)| *at);
    out.text = write(&pieces);
    out
}

/// A synonym, regex or lookup line: in the block, or listed when the block cannot hold it.
fn block_or_listed<'a>(kind: SectionKind, title: &str, text: &str) -> Piece<'a> {
    let block = text.chars().all(|c| is_printable(c) && c != '\r');
    Piece::Line {
        kind,
        title: title.to_string(),
        line: if block {
            Line::Block(text.to_string())
        } else {
            Line::Listed(text.to_string())
        },
    }
}

/// The elements of a file lookup table as Rasa 1.10's featurizer reads them at training
/// (one per line, stripped, empty lines skipped), inlined; a file that cannot be read is
/// a note.
fn inline_lookup_file<'a>(
    name: &str,
    path: &str,
    span: &Span,
    bot_root: &Path,
    pieces: &mut Vec<(usize, Piece<'a>)>,
    out: &mut NluConversion,
) {
    let on_disk = bot_root.join(path);
    let read = crate::load::read_bounded(&on_disk)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok());
    let Some(content) = read else {
        out.notes.decide(Some(span.clone()), format!(
                "lookup table `{name}` names the file `{path}`, which cannot be read from the bot's folder; Rasa 3 reads no lookup files, so its elements must be listed under `- lookup: {name}`: the table was left out"
            ));
        return;
    };
    let mut count = 0;
    for element in content.lines().map(str::trim).filter(|e| !e.is_empty()) {
        pieces.push((
            span.start,
            block_or_listed(SectionKind::Lookup, name, element),
        ));
        count += 1;
    }
    out.notes.change(Some(span.clone()), format!(
            "lookup table `{name}`: the {count} elements of `{path}` are written inline, as Rasa 3 reads no lookup files"
        ));
}

/// The text inside `<!-- … -->`, trimmed.
fn comment_body(comment: &str) -> &str {
    let inner = comment.strip_prefix("<!--").unwrap_or(comment);
    let inner = inner.trim_end_matches('>').trim_end_matches('!');
    let inner = inner.strip_suffix("--").unwrap_or(inner);
    inner.trim()
}

/// The YAML `intent:` of an example: the trimmed intent (1.10 trims it; 3.x strips it),
/// and the response key as 1.10 keeps it.
fn intent_title(example: &Example) -> String {
    match example.response_key() {
        Some(key) => format!("{}/{key}", example.intent),
        None => example.intent.to_string(),
    }
}

/// The example with its annotations written as Rasa 3 reads them.
fn annotated(example: &Example, out: &mut NluConversion) -> String {
    let chars: Vec<char> = example.text.chars().collect();
    let mut entities: Vec<&Entity> = example.entities.iter().collect();
    entities.sort_by_key(|e| e.start);
    let mut written = String::with_capacity(example.text.len() + 32 * entities.len());
    let mut at = 0;
    for entity in entities {
        if entity.start < at || entity.end > chars.len() || entity.start > entity.end {
            out.notes.decide(
                Some(entity.span.clone()),
                format!(
                    "entity `{}` overlaps another annotation of its example: written without it",
                    entity.entity
                ),
            );
            continue;
        }
        written.extend(&chars[at..entity.start]);
        let text: String = chars[entity.start..entity.end].iter().collect();
        written.push('[');
        written.push_str(&text);
        written.push(']');
        written.push_str(&annotation_suffix(entity, &text, out));
        at = entity.end;
    }
    written.extend(&chars[at..]);
    written
}

/// `(entity)` or the `{…}` dictionary of an annotation.
fn annotation_suffix(entity: &Entity, text: &str, out: &mut NluConversion) -> String {
    let value_is_text = entity.value.as_str() == Some(text);
    // `(entity)` needs an entity type without `:` and `)`, as every short form has.
    let short_type = !entity.entity.contains([':', ')']) && !entity.entity.is_empty();
    if value_is_text && entity.role.is_none() && entity.group.is_none() && short_type {
        return format!("({})", entity.entity);
    }
    let mut dict = serde_json::Map::new();
    dict.insert("entity".into(), entity.entity.as_str().into());
    if let Some(role) = entity.role() {
        dict.insert("role".into(), role.into());
    }
    if let Some(group) = entity.group() {
        dict.insert("group".into(), group.into());
    }
    if !value_is_text {
        dict.insert("value".into(), entity.value.to_json());
    }
    let body = json_with_spaces(&serde_json::Value::Object(dict));
    if !body[1..body.len() - 1].contains('}') {
        return body;
    }
    // A `}` inside the dictionary would end it early; the short form holds the value.
    match (entity.form, entity.value.as_str()) {
        (AnnotationForm::ShortWithValue, Some(value)) if entity.role.is_none() => {
            format!("({}:{value})", entity.entity)
        }
        _ => {
            out.notes.decide(Some(entity.span.clone()), format!(
                    "entity `{}`: its dictionary holds a `}}`, which Rasa's annotation reader takes for its end; rewrite the annotation",
                    entity.entity
                ));
            body
        }
    }
}

/// JSON on one line with a space after `:` and `,`, as Rasa's own writer spaces it.
fn json_with_spaces(value: &serde_json::Value) -> String {
    let serde_json::Value::Object(map) = value else {
        return value.to_string();
    };
    let fields: Vec<String> = map
        .iter()
        .map(|(k, v)| format!("{}: {}", serde_json::Value::from(k.as_str()), v))
        .collect();
    format!("{{{}}}", fields.join(", "))
}

/// The YAML text of the pieces, in order.
fn write(pieces: &[(usize, Piece)]) -> String {
    let mut out = String::from("version: \"3.1\"\nnlu:\n");
    // The open item: kind, title, and whether its examples are listed.
    let mut open: Option<(SectionKind, &str, bool)> = None;
    for (_, piece) in pieces {
        match piece {
            Piece::Comment(body) => {
                open = None;
                out.push_str(&comment_lines(body, ""));
            }
            Piece::Line { kind, title, line } => {
                let listed = matches!(line, Line::Listed(_));
                if open != Some((*kind, title.as_str(), listed)) {
                    out.push_str(&format!("- {}: {}\n", kind_key(*kind), scalar(title)));
                    out.push_str(if listed {
                        "  examples:\n"
                    } else {
                        "  examples: |\n"
                    });
                    open = Some((*kind, title.as_str(), listed));
                }
                match line {
                    Line::Block(text) => out.push_str(&format!("    - {text}\n")),
                    Line::Listed(text) => {
                        out.push_str(&format!("  - text: {}\n", double_quoted(text)))
                    }
                }
            }
        }
    }
    if !pieces.iter().any(|(_, p)| matches!(p, Piece::Line { .. })) {
        out = out.replacen("nlu:\n", "nlu: []\n", 1);
    }
    out
}

fn kind_key(kind: SectionKind) -> &'static str {
    match kind {
        SectionKind::Intent => "intent",
        SectionKind::Synonym => "synonym",
        SectionKind::Regex => "regex",
        SectionKind::Lookup => "lookup",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn convert(md: &str) -> NluConversion {
        let (nlu, _) = crate::syntax::nlu::parse_nlu(FileId(0), md);
        convert_nlu(FileId(0), md, &nlu, Path::new("/nonexistent"))
    }

    #[test]
    fn every_annotation_form_is_written_as_3x_reads_it() {
        let md = "## intent:inform\n- fly to [Berlin](city)\n- [NYC](city:New York) please\n- [LA]{\"entity\": \"city\", \"role\": \"to\", \"value\": \"Los Angeles\"}\n";
        let yaml = convert(md).text;
        assert!(yaml.contains("    - fly to [Berlin](city)\n"), "{yaml}");
        assert!(
            yaml.contains("    - [NYC]{\"entity\": \"city\", \"value\": \"New York\"} please\n"),
            "{yaml}"
        );
        assert!(
            yaml.contains(
                "    - [LA]{\"entity\": \"city\", \"role\": \"to\", \"value\": \"Los Angeles\"}\n"
            ),
            "{yaml}"
        );
    }

    #[test]
    fn a_comment_splits_the_item_and_is_kept() {
        let md = "## intent:greet\n- hi\n<!-- more greetings -->\n- hello\n";
        let yaml = convert(md).text;
        assert_eq!(
            yaml,
            "version: \"3.1\"\nnlu:\n- intent: greet\n  examples: |\n    - hi\n# more greetings\n- intent: greet\n  examples: |\n    - hello\n"
        );
    }

    #[test]
    fn sections_of_every_kind_keep_their_order() {
        let md = "## synonym: NYC\n- New York\n## regex:zip\n- \\d{5}\n## lookup:city\n- Berlin\n## intent:faq/ask_name\n- who are you\n";
        let yaml = convert(md).text;
        assert_eq!(
            yaml,
            "version: \"3.1\"\nnlu:\n- synonym: \" NYC\"\n  examples: |\n    - New York\n- regex: zip\n  examples: |\n    - \\d{5}\n- lookup: city\n  examples: |\n    - Berlin\n- intent: faq/ask_name\n  examples: |\n    - who are you\n"
        );
    }

    #[test]
    fn a_missing_lookup_file_is_a_note() {
        let md = "## lookup:city\ndata/cities.txt\n";
        let conversion = convert(md);
        assert_eq!(conversion.notes.needs_person.len(), 1);
        assert_eq!(conversion.text, "version: \"3.1\"\nnlu: []\n");
    }
}
