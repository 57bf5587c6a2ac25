//! The NLU reader of Rasa 2/3 YAML files (`rasa_yaml.py`, spec §4): the top-level `nlu`
//! and `responses` keys, read as Rasa 2.8 and 3.6 read them.
//!
//! First what makes Rasa refuse the whole file: duplicate keys and the schema (§3.2, §3.3;
//! [`super::yaml_schema`]). Then the items of `nlu` in file order, each dispatched by the
//! first of `intent`, `synonym`, `regex`, `lookup` it has; an `examples` string is split
//! into lines, and a line is an example only when it starts with `-` (the rest is
//! dropped, with a warning: blank lines and `#` lines too, since a block scalar has no
//! comments). Every example keeps the bytes it was written at ([`ScalarMap`]), so its
//! annotations' spans point into the file even inside a block scalar.

use compact_str::CompactString;
use rustc_hash::FxHashMap;

use crate::model::nlu::{
    Example, Lookup, LookupElements, Metadata, NluFile, NluWarning, RegexFeature, Section,
    SectionKind, Synonym,
};
use crate::model::responses::{ResponseEntry, ResponsesFile};
use crate::source::{Edit, FileId, Span};
use crate::syntax::entities::{AnnotationReader, Grammar};
use crate::syntax::problem::{Problem, ProblemKind};
use crate::syntax::python::{splitlines, strip};
use crate::syntax::yaml_scalar::{ScalarMap, Style, style};
use crate::syntax::yaml_schema::{NAMING_KEYS, duplicate_keys_below, nlu_file_violations};
use crate::yaml::{Node, Value};

/// What Rasa does with a file its schema refuses, as the findings' help.
const REFUSED: &str = "Rasa refuses the whole file (YamlValidationException), so nothing in it is trained or validated";

/// Reads the `nlu` and `responses` keys of a file's top-level mapping. The NLU part is
/// always given (empty when the file has no `nlu`), as it carries why Rasa refuses the
/// file and what it warns about; the responses only when the file has them. `schema` is
/// the tree Rasa's schema pass checks (see [`super::yaml_layer::Layered::schema_root`]),
/// usually `root` itself.
pub fn read_nlu(
    file: FileId,
    text: &str,
    root: &Node,
    schema: &Node,
) -> (Option<NluFile>, Option<ResponsesFile>, Vec<Problem>) {
    let Some(entries) = root.as_map() else {
        return (None, None, Vec::new());
    };
    let mut reader = Reader {
        file,
        text,
        nlu: NluFile::default(),
        problems: Vec::new(),
        synonym_values: FxHashMap::default(),
    };
    reader.check_schema(schema.as_map().unwrap_or(entries));
    let mut responses = None;
    for (key, value) in entries {
        match key.as_str() {
            Some("nlu") => reader.read_items(value),
            Some("responses") if responses.is_none() => {
                responses = Some(read_responses(text, value));
            }
            _ => {}
        }
    }
    reader.nlu.examples.shrink_to_fit();
    (Some(reader.nlu), responses, reader.problems)
}

struct Reader<'t> {
    file: FileId,
    text: &'t str,
    nlu: NluFile,
    problems: Vec<Problem>,
    /// Each synonym text and the index of the last synonym that mapped it, for Rasa's
    /// conflict warning.
    synonym_values: FxHashMap<String, usize>,
}

/// One example found in an `examples` value: its bytes in the value, and its metadata.
struct Found {
    range: std::ops::Range<usize>,
    metadata: Option<Box<Metadata>>,
}

impl Reader<'_> {
    /// Duplicate keys below `nlu` and `responses` (those of the top level are
    /// `read_top_level_mapping`'s to report), and the schema.
    fn check_schema(&mut self, entries: &[(Node, Node)]) {
        for (key, value) in entries {
            if !matches!(key.as_str(), Some("nlu" | "responses")) {
                continue;
            }
            for (again, first, name) in duplicate_keys_below(value) {
                self.refuse(format!(
                    "YamlSyntaxException: found duplicate key \"{name}\""
                ));
                self.problems.push(
                    Problem::new(ProblemKind::YamlSyntax, self.file, again, format!("duplicate key `{name}`: this file is not valid YAML for Rasa"))
                        .with_related(self.file, first, "first defined here")
                        .with_help("Rasa refuses the whole file (YamlSyntaxException): remove one of the two, or merge them"),
                );
            }
        }
        for violation in nlu_file_violations(entries, self.text) {
            self.refuse(format!("YamlValidationException: {}", violation.message));
            self.problems.push(
                Problem::new(
                    ProblemKind::YamlSchema,
                    self.file,
                    violation.span,
                    violation.message,
                )
                .with_help(REFUSED),
            );
        }
    }

    /// Notes why Rasa refuses the file, if nothing did before.
    fn refuse(&mut self, why: String) {
        self.nlu.rasa_error.get_or_insert(why);
    }

    fn read_items(&mut self, node: &Node) {
        let Some(items) = node.as_seq() else { return };
        for item in items {
            // Items that are no mapping break the schema, reported above.
            let Some(entries) = item.as_map() else {
                continue;
            };
            let naming = NAMING_KEYS.into_iter().find_map(|name| {
                let (key, value) = entries.iter().find(|(k, _)| k.as_str() == Some(name))?;
                Some((SectionKind::from_name(name)?, key, value))
            });
            match naming {
                Some((kind, key, name)) => self.read_item(kind, key, name, item),
                None => self.no_naming_key(item),
            }
        }
    }

    fn no_naming_key(&mut self, item: &Node) {
        let span = item
            .as_map()
            .and_then(|entries| entries.first())
            .map_or(item.span.clone(), |(key, _)| key.span.clone());
        self.nlu.warnings.push(NluWarning::NoSupportedKey {
            span: span.clone(),
            item: item.to_json(),
        });
        self.problems.push(
            Problem::new(
                ProblemKind::TextOutsideSection,
                self.file,
                span,
                "this item has none of the keys `intent`, `synonym`, `regex` and `lookup`: Rasa skips it, with a warning",
            )
            .with_help("start the item with the name of what it defines, such as `- intent: greet`"),
        );
    }

    fn read_item(&mut self, kind: SectionKind, key: &Node, name: &Node, item: &Node) {
        let title = match &name.value {
            Value::Str(s) if !s.is_empty() => s.to_string(),
            Value::Null | Value::Str(_) => return self.empty_name(kind, key, name),
            // Another type breaks the schema, reported above.
            _ => return,
        };
        let metadata = match kind {
            SectionKind::Intent => item.get("metadata").and_then(metadata),
            _ => None,
        };
        self.nlu.sections.push(Section {
            kind,
            title,
            header_span: key.span.clone(),
            title_span: name.content_span(self.text),
            items: 0,
            metadata,
        });
        let section = self.nlu.sections.len() - 1;
        let examples = item.get("examples");
        match (kind, examples.map(|e| &e.value)) {
            (SectionKind::Intent, None) => self.no_examples(section),
            (SectionKind::Intent, Some(Value::Str(_))) => self.read_string(section, examples),
            (SectionKind::Intent, Some(Value::Seq(items))) => self.read_list(section, items),
            (SectionKind::Intent, Some(_)) => {
                self.unexpected_block(section, examples.unwrap_or(item))
            }
            (_, Some(Value::Str(s))) if !s.is_empty() => self.read_string(section, examples),
            // Other truthy values break the schema, reported above.
            (_, None | Some(Value::Null | Value::Str(_))) => self.no_examples(section),
            _ => {}
        }
    }

    fn empty_name(&mut self, kind: SectionKind, key: &Node, name: &Node) {
        let span = key.span.start..name.span.end.max(key.span.end);
        self.nlu.warnings.push(NluWarning::EmptyName {
            kind,
            key: key.span.clone(),
        });
        let key_name = kind_name(kind);
        self.problems.push(
            Problem::new(
                ProblemKind::TextOutsideSection,
                self.file,
                span,
                format!("this `{key_name}` item has no name: Rasa skips it, with a warning"),
            )
            .with_help(format!("name it, as in `- {key_name}: …`")),
        );
    }

    fn no_examples(&mut self, section: usize) {
        self.nlu.warnings.push(NluWarning::NoExamples { section });
        let s = &self.nlu.sections[section];
        let span = s.header_span.start..s.title_span.end.max(s.header_span.end);
        let message = format!("{} `{}` has no examples", kind_name(s.kind), s.title);
        self.problems.push(
            Problem::new(ProblemKind::EmptySection, self.file, span, message).with_help(
                "add examples under `examples: |`, or remove the item: Rasa warns and reads nothing from it",
            ),
        );
    }

    /// An intent's `examples` that is neither a string nor a list (`examples:` with
    /// nothing after it): Rasa skips the intent.
    fn unexpected_block(&mut self, section: usize, examples: &Node) {
        self.nlu.warnings.push(NluWarning::UnexpectedBlock {
            section,
            value: examples.to_json(),
        });
        let title = &self.nlu.sections[section].title;
        self.problems.push(
            Problem::new(
                ProblemKind::EmptySection,
                self.file,
                examples.span.clone(),
                format!(
                    "`examples` of intent `{title}` is empty: Rasa skips the intent, with a warning"
                ),
            )
            .with_help("write the examples under `examples: |`, one `- ` line each"),
        );
    }

    /// An `examples` string: one example per line that starts with `-`.
    fn read_string(&mut self, section: usize, examples: Option<&Node>) {
        let Some(node) = examples else { return };
        let Some(value) = node.as_str() else { return };
        let map = ScalarMap::new(self.text, node, value);
        self.check_folding(node, value);
        // Each line of a literal block is a line of the file, so a dropped one can go.
        let literal = matches!(style(self.text, node), Style::Literal(_));
        let mut found = Vec::new();
        for line in splitlines(value) {
            if !value[line.clone()].starts_with('-') {
                self.line_dropped(section, &value[line.clone()], map.span(line), literal);
                continue;
            }
            let kept = strip_example(&value[line.start + 1..line.end]);
            found.push(Found {
                range: line.start + 1 + kept.start..line.start + 1 + kept.end,
                metadata: None,
            });
        }
        // Only an intent is checked after the split: a synonym, regex or lookup item whose
        // lines are all dropped passes without a word.
        if found.is_empty() && self.nlu.sections[section].kind == SectionKind::Intent {
            return self.no_examples(section);
        }
        for example in found {
            self.add(section, value, &map, example);
        }
    }

    /// An intent's list of `- text: …` mappings (`{}` skipped, as Rasa skips what is
    /// falsy).
    fn read_list(&mut self, section: usize, items: &[Node]) {
        let mut any = false;
        for item in items {
            let Some(entries) = item.as_map().filter(|e| !e.is_empty()) else {
                continue;
            };
            any = true;
            let text = entries.iter().find(|(k, _)| k.as_str() == Some("text"));
            let metadata = item.get("metadata").and_then(metadata);
            match text.map(|(k, v)| (k, v, &v.value)) {
                Some((_, node, Value::Str(value))) => {
                    let map = ScalarMap::new(self.text, node, value);
                    let kept = strip_example(value);
                    self.add(
                        section,
                        value,
                        &map,
                        Found {
                            range: kept,
                            metadata,
                        },
                    );
                }
                None => {
                    let map = ScalarMap::new(self.text, item, "");
                    self.add(
                        section,
                        "",
                        &map,
                        Found {
                            range: 0..0,
                            metadata,
                        },
                    );
                }
                Some((key, _, Value::Null)) => self.null_text(key),
                // Another type breaks the schema, reported above.
                Some(_) => {}
            }
        }
        if !any {
            self.no_examples(section);
        }
    }

    /// `text:` with nothing after it passes the schema, and Rasa's reader then fails on it.
    fn null_text(&mut self, key: &Node) {
        self.refuse("AttributeError: 'NoneType' object has no attribute 'strip'".to_string());
        self.problems.push(
            Problem::new(ProblemKind::YamlSchema, self.file, key.span.clone(), "`text` has no value: Rasa's reader fails on it (AttributeError) and stops loading the training data")
                .with_help("write the example after `text:`, or remove the item"),
        );
    }

    /// One example (or synonym, regex, lookup element) at `found` of `value`.
    fn add(&mut self, section: usize, value: &str, map: &ScalarMap, found: Found) {
        let raw = &value[found.range.clone()];
        let span = map.span(found.range.clone());
        self.nlu.sections[section].items += 1;
        let name = self.nlu.sections[section].title.clone();
        match self.nlu.sections[section].kind {
            SectionKind::Intent => {
                self.add_example(section, raw, found, map, span);
            }
            SectionKind::Synonym => self.add_synonym(Synonym {
                text: raw.into(),
                value: name.into(),
                span,
                from_annotation: false,
                numeric: false,
            }),
            SectionKind::Regex => self.nlu.regexes.push(RegexFeature {
                name,
                pattern: raw.to_string(),
                span,
            }),
            SectionKind::Lookup => self.add_lookup_element(name, raw, span),
        }
    }

    fn add_example(
        &mut self,
        section: usize,
        raw: &str,
        found: Found,
        map: &ScalarMap,
        span: Span,
    ) {
        let title = &self.nlu.sections[section].title;
        let (base, response_key) = split_retrieval_intent(title);
        let (base, response_key) = (
            CompactString::from(strip(base)),
            response_key
                .filter(|k| !k.is_empty())
                .map(CompactString::from),
        );
        if title.matches('/').count() > 1 {
            self.several_slashes(section);
        }
        let offset = found.range.start;
        let reading = AnnotationReader {
            file: self.file,
            grammar: Grammar::Rasa2,
            span: |r: std::ops::Range<usize>| map.span(offset + r.start..offset + r.end),
            problems: &mut self.problems,
            rasa_error: &mut self.nlu.rasa_error,
        }
        .read(raw);
        for synonym in reading.synonyms {
            self.add_synonym(synonym);
        }
        self.nlu.examples.push(Example::new(
            (section, base, response_key),
            reading.text.into(),
            span,
            reading.entities,
            found.metadata.map(|m| *m),
        ));
    }

    /// Rasa raises on an intent with more than one `/` when it builds its first example,
    /// so one finding for the item.
    fn several_slashes(&mut self, section: usize) {
        if self.nlu.sections[section].items > 1 {
            return;
        }
        let s = &self.nlu.sections[section];
        let error = format!(
            "RasaException: Intent name '{}' is invalid, it cannot contain more than one '/'.",
            s.title
        );
        let span = s.title_span.clone();
        let message = format!(
            "intent `{}` has more than one `/`: Rasa stops loading the training data here",
            s.title
        );
        self.refuse(error);
        self.problems.push(
            Problem::new(ProblemKind::InvalidIntentName, self.file, span, message).with_help(
                "a `/` separates a retrieval intent from its response key (`faq/ask_name`): keep one at most",
            ),
        );
    }

    /// A synonym, and Rasa's warning when it maps its text to another value than before
    /// (the last mapping wins).
    fn add_synonym(&mut self, synonym: Synonym) {
        let index = self.nlu.synonyms.len();
        if let Some(&before) = self.synonym_values.get(synonym.text.as_str()) {
            let previous = &self.nlu.synonyms[before];
            if previous.value != synonym.value || previous.numeric != synonym.numeric {
                self.nlu.warnings.push(NluWarning::SynonymConflict {
                    synonym: index,
                    previous: previous.value.to_string(),
                });
            }
        }
        self.synonym_values.insert(synonym.text.to_string(), index);
        self.nlu.synonyms.push(synonym);
    }

    /// Lookup items of the same name add to the first one's table.
    fn add_lookup_element(&mut self, name: String, element: &str, span: Span) {
        let element = (element.to_string(), span);
        match self.nlu.lookups.iter_mut().find(|l| l.name == name) {
            Some(Lookup {
                elements: LookupElements::List(elements),
                ..
            }) => elements.push(element),
            // YAML lookups never name a file.
            Some(_) => {}
            None => self.nlu.lookups.push(Lookup {
                name,
                elements: LookupElements::List(vec![element]),
            }),
        }
    }

    /// A line of an `examples` string Rasa drops, written at `span`; `literal` when the
    /// string is a literal block (`|`).
    fn line_dropped(&mut self, section: usize, line: &str, span: Span, literal: bool) {
        // An empty line is shown where it starts (its span lies at its line break, after
        // the `\r` of a CRLF).
        let span = match span.is_empty() {
            true => {
                let start = self.text[..span.start].rfind('\n').map_or(0, |i| i + 1);
                start..start
            }
            false => span,
        };
        let written = self.text.get(span.clone()) == Some(line);
        self.nlu.warnings.push(NluWarning::LineDropped {
            section,
            line: span.clone(),
            text: (!written).then(|| line.into()),
        });
        let lookup = self.nlu.sections[section].kind == SectionKind::Lookup;
        let trimmed = line.trim_start_matches([' ', '\t']);
        let (message, help) = if line.trim().is_empty() {
            (
                "Rasa drops this blank line of `examples`, with a warning",
                "remove it: in an `examples` block every line must start with `-`",
            )
        } else if trimmed.starts_with('#') {
            (
                "`#` starts no comment inside a block: Rasa drops this line, with a warning",
                "move the comment out of the block, above `examples:`",
            )
        } else if trimmed.starts_with('-') {
            (
                "this line is indented deeper than the first example: Rasa drops it, with a warning",
                "indent it like the other examples",
            )
        } else if lookup && !line.contains(char::is_whitespace) {
            (
                "Rasa 2 and 3 read no lookup table from a file: this line is dropped, with a warning",
                "list the elements here, one `- ` line each",
            )
        } else {
            (
                "this line does not start with `-`: Rasa drops it, with a warning",
                "write each example as a `- ` line",
            )
        };
        let problem = Problem::new(
            ProblemKind::TextOutsideSection,
            self.file,
            span.clone(),
            message,
        )
        .with_help(help);
        // A blank line of a literal block is a blank line of the file: removing it leaves
        // every example as it is. Not so in a folded or quoted string, where a blank line
        // is a line break between examples.
        let removal = (literal && line.trim().is_empty())
            .then(|| blank_line_at(self.text, span.start))
            .flatten();
        self.problems.push(match removal {
            Some(whole) => problem.with_fix(vec![Edit {
                span: whole,
                text: String::new(),
            }]),
            None => problem,
        });
    }

    /// A folded `examples` string (`>`, or a plain or quoted one over several lines): YAML
    /// joins its lines with spaces, so Rasa reads fewer examples than the lines show.
    fn check_folding(&mut self, node: &Node, value: &str) {
        let source = &self.text[node.content_span(self.text)];
        let style = style(self.text, node);
        if matches!(style, Style::Literal(_) | Style::Alias) || !source.contains(['\n', '\r']) {
            return;
        }
        let dash_lines = |s: &str| {
            s.lines()
                .filter(|l| l.trim_start().starts_with('-'))
                .count()
        };
        let (written, read) = (dash_lines(source), dash_lines(value));
        if read >= written {
            return;
        }
        let (span, what) = match style {
            Style::Folded(at) => (at..at + 1, "this `examples` block is folded (`>`)"),
            // The opening quote, or the first character of a plain string.
            _ => {
                let start = node.span.start;
                let first = self.text[start..].chars().next();
                let end = first.map_or(start, |c| start + c.len_utf8());
                (start..end, "this `examples` string spans several lines")
            }
        };
        let examples = if read == 1 { "example" } else { "examples" };
        self.problems.push(
            Problem::new(
                ProblemKind::FoldedExamples,
                self.file,
                span,
                format!("{what}: YAML joins its lines, so Rasa reads {read} {examples} from these {written} `-` lines"),
            )
            .with_help("write `examples: |` to keep one example per line"),
        );
    }
}

/// The metadata Rasa attaches, when it is not null.
fn metadata(node: &Node) -> Option<Box<Metadata>> {
    (!node.is_null()).then(|| {
        Box::new(Metadata {
            value: node.to_json(),
            span: node.span.clone(),
        })
    })
}

/// Rasa's `strip("\n\r ")`: only those three characters, at both ends.
fn strip_example(s: &str) -> std::ops::Range<usize> {
    let strip = |c: char| matches!(c, '\n' | '\r' | ' ');
    let start = s.len() - s.trim_start_matches(strip).len();
    let end = s.trim_end_matches(strip).len().max(start);
    start..end
}

/// `faq/ask_name` → (`faq`, `ask_name`); a name with more than one `/` (which Rasa
/// refuses) stays whole.
fn split_retrieval_intent(title: &str) -> (&str, Option<&str>) {
    let mut parts = title.split('/');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(base), Some(key), None) => (base, Some(key)),
        _ => (title, None),
    }
}

fn kind_name(kind: SectionKind) -> &'static str {
    match kind {
        SectionKind::Intent => "intent",
        SectionKind::Synonym => "synonym",
        SectionKind::Regex => "regex",
        SectionKind::Lookup => "lookup",
    }
}

/// A `responses` mapping as the responses part: each response with the texts of its
/// variations, and the variations as Rasa holds them.
fn read_responses(text: &str, node: &Node) -> ResponsesFile {
    let entries = node
        .as_map()
        .unwrap_or_default()
        .iter()
        .map(|(key, value)| {
            let variations = value.as_seq().unwrap_or_default();
            ResponseEntry {
                key: crate::syntax::yaml_schema::scalar_text(key),
                key_span: key.content_span(text),
                texts: variations
                    .iter()
                    .filter_map(|v| v.get("text")?.as_str().map(str::to_string))
                    .collect(),
                variations: variations.iter().map(|v| v.span.clone()).collect(),
                json: Some(Box::new(value.to_json())),
            }
        })
        .collect();
    ResponsesFile {
        entries,
        skipped: Vec::new(),
    }
}

/// The line of `text` holding offset `at`, line break included, when it holds nothing but
/// spaces and TABs.
fn blank_line_at(text: &str, at: usize) -> Option<Span> {
    let start = text.get(..at)?.rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let end = text[at..].find(['\n', '\r']).map_or(text.len(), |i| at + i);
    if !text[start..end].bytes().all(|b| b == b' ' || b == b'\t') {
        return None;
    }
    let rest = &text[end..];
    let line_break = if rest.starts_with("\r\n") {
        2
    } else {
        usize::from(!rest.is_empty())
    };
    Some(start..end + line_break)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> (NluFile, Option<ResponsesFile>, Vec<Problem>) {
        let root = crate::yaml::parse(text).expect("valid YAML");
        let (nlu, responses, problems) = read_nlu(FileId(0), text, &root, &root);
        (nlu.expect("an NLU part"), responses, problems)
    }

    /// The examples Rasa reads from one `examples: |` block of `lines`.
    fn examples_of(lines: &[&str]) -> Vec<String> {
        let body: String = lines.iter().map(|l| format!("    {l}\n")).collect();
        let text = format!("nlu:\n- intent: i\n  examples: |+\n{body}");
        read(&text)
            .0
            .examples
            .into_iter()
            .map(|e| e.text.into())
            .collect()
    }

    #[test]
    fn examples_are_split_as_rasa_splits_them() {
        let cases: &[(&str, Option<&str>)] = &[
            ("- hello", Some("hello")),
            ("-hello", Some("hello")),
            ("--x", Some("-x")),
            ("- ", Some("")),
            ("-", Some("")),
            ("- hello   ", Some("hello")),
            ("-\thello", Some("\thello")),
            ("- \u{a0}x\u{a0}", Some("\u{a0}x\u{a0}")),
            ("- hi # not a comment", Some("hi # not a comment")),
            ("  - nested", None),
            ("* star", None),
            ("1. x", None),
            ("# comment", None),
            ("", None),
        ];
        for &(line, expected) in cases {
            let read = examples_of(&["- first", line]);
            let want: Vec<String> = std::iter::once("first")
                .chain(expected)
                .map(str::to_string)
                .collect();
            assert_eq!(read, want, "{line:?}");
        }
    }

    #[test]
    fn dropped_lines_are_warned_about_where_they_are_written() {
        let text = "nlu:\n- intent: greet\n  examples: |\n    - hi\n\n    # note\n      - nested\n    - ho\n";
        let (nlu, _, problems) = read(text);
        assert_eq!(nlu.examples.len(), 2);
        let dropped: Vec<&str> = nlu
            .warnings
            .iter()
            .filter_map(|w| match w {
                NluWarning::LineDropped {
                    line, text: None, ..
                } => Some(&text[line.clone()]),
                _ => None,
            })
            .collect();
        assert_eq!(dropped, ["", "# note", "  - nested"]);
        let blank = text.find("\n\n").map(|i| i + 1);
        assert_eq!(Some(problems[0].span.start), blank);
        assert!(
            problems
                .iter()
                .all(|p| p.kind == ProblemKind::TextOutsideSection)
        );
        assert_eq!(problems.len(), 3);
    }

    /// A blank line of a literal block (spaces only, CRLF, or kept at the end by `|+`) is
    /// fixed by removing it, and the examples read from the fixed text are the same; in a
    /// folded block a blank line splits examples, so it is only reported.
    #[test]
    fn blank_lines_of_a_literal_block_are_removed_whole() {
        let fixed = |text: &str| -> String {
            let (_, _, problems) = read(text);
            let fixes: Vec<&[Edit]> = problems.iter().map(|p| p.fix.as_slice()).collect();
            let (after, _) = crate::fix::apply_to_text(text, &fixes);
            let texts = |t: &str| -> Vec<String> {
                read(t)
                    .0
                    .examples
                    .into_iter()
                    .map(|e| e.text.into())
                    .collect()
            };
            assert_eq!(texts(text), texts(&after), "{text:?}");
            after
        };
        for (text, want) in [
            (
                "nlu:\n- intent: a\n  examples: |\n    - hi\n  \n    - ho\n      \n    - hey\n",
                "nlu:\n- intent: a\n  examples: |\n    - hi\n    - ho\n    - hey\n",
            ),
            (
                "nlu:\r\n- intent: a\r\n  examples: |\r\n    - hi\r\n\r\n    - ho\r\n",
                "nlu:\r\n- intent: a\r\n  examples: |\r\n    - hi\r\n    - ho\r\n",
            ),
            (
                "nlu:\n- intent: a\n  examples: |+\n    - hi\n\n- intent: b\n  examples: |\n    - ho\n",
                "nlu:\n- intent: a\n  examples: |+\n    - hi\n- intent: b\n  examples: |\n    - ho\n",
            ),
            (
                "nlu:\n- intent: a\n  examples: >\n    - hi\n\n    - ho\n",
                "nlu:\n- intent: a\n  examples: >\n    - hi\n\n    - ho\n",
            ),
            (
                "nlu:\n- intent: a\n  examples: |\n    - hi\n    # note\n    - ho\n",
                "nlu:\n- intent: a\n  examples: |\n    - hi\n    # note\n    - ho\n",
            ),
        ] {
            assert_eq!(fixed(text), want);
        }
        assert_eq!(
            blank_line_at("a\n \t\nb", 2),
            Some(2..5),
            "spaces and TABs, then the line break"
        );
        assert_eq!(blank_line_at("a\n  ", 4), Some(2..4), "the last line");
        assert_eq!(blank_line_at("a\n x\n", 2), None);
    }

    #[test]
    fn a_folded_block_is_one_example_and_a_finding() {
        let text = "nlu:\n- intent: greet\n  examples: >\n    - hi\n    - hello\n\n    - hey\n";
        let (nlu, _, problems) = read(text);
        let texts: Vec<&str> = nlu.examples.iter().map(|e| e.text.as_str()).collect();
        assert_eq!(texts, ["hi - hello", "hey"]);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].kind, ProblemKind::FoldedExamples);
        assert_eq!(&text[problems[0].span.clone()], ">");
        assert!(problems[0].message.contains("2 examples from these 3"));
    }

    #[test]
    fn entity_offsets_are_characters_and_spans_are_source_bytes() {
        let text = "nlu:\n- intent: inform\n  examples: |\n    - fly [München](city) to [LA]{\"entity\": \"city\", \"role\": \"to\"} 😀 [NYC](city:New York)\n";
        let (nlu, _, problems) = read(text);
        assert_eq!(problems, []);
        let example = &nlu.examples[0];
        assert_eq!(example.text, "fly München to LA 😀 NYC");
        assert_eq!(
            &text[example.span.clone()],
            &text[text.find("fly").unwrap_or(0)..text.len() - 1]
        );
        let found: Vec<(usize, usize, &str, &str)> = example
            .entities
            .iter()
            .map(|e| {
                (
                    e.start,
                    e.end,
                    &text[e.span.clone()],
                    &text[e.entity_span.clone()],
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                (4, 11, "[München](city)", "city"),
                (
                    15,
                    17,
                    "[LA]{\"entity\": \"city\", \"role\": \"to\"}",
                    "\"entity\": \"city\", \"role\": \"to\""
                ),
                (20, 23, "[NYC](city:New York)", "city"),
            ]
        );
        let role = example.entities[1].role.as_ref().expect("a role");
        assert_eq!(&text[role.span.clone()], "to");
        let synonyms: Vec<(&str, &str)> = nlu
            .synonyms
            .iter()
            .map(|s| (s.text.as_str(), s.value.as_str()))
            .collect();
        assert_eq!(synonyms, [("NYC", "New York")]);
    }

    #[test]
    fn the_list_form_gives_several_entities_one_span() {
        let text = "nlu:\n- intent: i\n  examples: |\n    - [a][{\"entity\": \"e1\"}, {\"entity\": \"e2\", \"value\": 5}] and [x][ref] z\n";
        let (nlu, _, problems) = read(text);
        let example = &nlu.examples[0];
        assert_eq!(example.text, "a and x z");
        let entities: Vec<(&str, usize, usize, serde_json::Value)> = example
            .entities
            .iter()
            .map(|e| (e.entity.as_str(), e.start, e.end, e.value.to_json()))
            .collect();
        assert_eq!(
            entities,
            [
                ("e1", 0, 1, serde_json::json!("a")),
                ("e2", 0, 1, serde_json::json!(5))
            ]
        );
        assert!(nlu.synonyms[0].numeric);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(&text[problems[0].span.clone()], "[x][ref]");
    }

    #[test]
    fn list_examples_keep_their_text_span_and_metadata() {
        let text = "nlu:\n- intent: faq/ask_name\n  metadata: {m: 1}\n  examples:\n  - text: \"  who [are](x) you \"\n    metadata: e\n  - {}\n";
        let (nlu, _, problems) = read(text);
        assert_eq!(problems, []);
        let example = &nlu.examples[0];
        assert_eq!(
            (example.intent.as_str(), example.response_key()),
            ("faq", Some("ask_name"))
        );
        assert_eq!(example.text, "who are you");
        assert_eq!(&text[example.span.clone()], "who [are](x) you");
        assert_eq!(&text[example.entities[0].span.clone()], "[are](x)");
        assert_eq!(
            example.metadata().map(|m| &m.value),
            Some(&serde_json::json!("e"))
        );
        let intent_metadata = nlu.sections[0].metadata.as_ref().map(|m| &m.value);
        assert_eq!(intent_metadata, Some(&serde_json::json!({"m": 1})));
    }

    #[test]
    fn items_hold_their_key_and_name_spans() {
        let text = "nlu:\n- synonym: \"New York\"\n  examples: |\n    - NYC\n- regex: zip\n  examples: |\n    - \\d{5}\n- lookup: city\n  examples: |\n    - Paris\n- lookup: city\n  examples: |\n    - Rome\n";
        let (nlu, _, problems) = read(text);
        assert_eq!(problems, []);
        let spans: Vec<(&str, &str)> = nlu
            .sections
            .iter()
            .map(|s| (&text[s.header_span.clone()], &text[s.title_span.clone()]))
            .collect();
        assert_eq!(
            spans,
            [
                ("synonym", "New York"),
                ("regex", "zip"),
                ("lookup", "city"),
                ("lookup", "city")
            ]
        );
        assert_eq!(&text[nlu.synonyms[0].span.clone()], "NYC");
        assert_eq!(
            (
                nlu.regexes[0].pattern.as_str(),
                &text[nlu.regexes[0].span.clone()]
            ),
            ("\\d{5}", "\\d{5}")
        );
        assert_eq!(nlu.lookups.len(), 1);
        let LookupElements::List(elements) = &nlu.lookups[0].elements else {
            panic!("a list");
        };
        assert_eq!(
            elements.iter().map(|(e, _)| e.as_str()).collect::<Vec<_>>(),
            ["Paris", "Rome"]
        );
    }

    #[test]
    fn refusals_set_the_reason_and_point_at_the_node() {
        let text = "nlu:\n- intent: greet\n  exmaples: |\n    - hi\n";
        let (nlu, _, problems) = read(text);
        // Read on, the intent has no examples.
        assert_eq!(problems.len(), 2);
        assert_eq!(problems[0].kind, ProblemKind::YamlSchema);
        assert_eq!(&text[problems[0].span.clone()], "exmaples");
        assert!(
            nlu.rasa_error
                .as_deref()
                .is_some_and(|e| e.starts_with("YamlValidationException"))
        );

        let text = "nlu:\n- intent: a/b/c\n  examples: |\n    - x\n    - y\n";
        let (nlu, _, problems) = read(text);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].kind, ProblemKind::InvalidIntentName);
        assert_eq!(&text[problems[0].span.clone()], "a/b/c");
        assert!(nlu.rasa_error.is_some());

        let text = "nlu:\n- intent: a\n  examples: |\n    - [x]{\"entity\": }\n";
        let (nlu, _, problems) = read(text);
        assert_eq!(problems[0].kind, ProblemKind::MalformedEntityAnnotation);
        assert!(
            nlu.rasa_error
                .as_deref()
                .is_some_and(|e| e.starts_with("InvalidEntityFormatException"))
        );
    }

    #[test]
    fn skipped_items_are_warned_about() {
        let text = "nlu:\n- intent:\n  examples: |\n    - x\n- examples: |\n    - y\n- intent: none\n- intent: null_examples\n  examples:\n- synonym: s\n";
        let (nlu, _, problems) = read(text);
        assert!(nlu.examples.is_empty());
        let kinds: Vec<ProblemKind> = problems.iter().map(|p| p.kind).collect();
        assert_eq!(
            kinds,
            [
                ProblemKind::TextOutsideSection,
                ProblemKind::TextOutsideSection,
                ProblemKind::EmptySection,
                ProblemKind::EmptySection,
                ProblemKind::EmptySection,
            ]
        );
        assert_eq!(nlu.warnings.len(), 5);
    }

    #[test]
    fn responses_keep_names_texts_and_variations() {
        let text = "responses:\n  utter_faq/ask:\n  - text: I am a bot\n  - custom: {a: 1}\n";
        let (nlu, responses, problems) = read(text);
        assert_eq!(problems, []);
        assert!(nlu.examples.is_empty());
        let responses = responses.expect("responses");
        let entry = &responses.entries[0];
        assert_eq!(
            (entry.key.as_str(), &text[entry.key_span.clone()]),
            ("utter_faq/ask", "utter_faq/ask")
        );
        assert_eq!(entry.texts, ["I am a bot"]);
        assert_eq!(entry.variations.len(), 2);
        assert_eq!(&text[entry.variations[1].clone()], "custom: {a: 1}");
    }
}
