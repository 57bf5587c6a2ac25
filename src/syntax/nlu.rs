//! Markdown NLU training data (`## intent:greet` / `- hello`), read the way Rasa 1.10's
//! `MarkdownReader` reads it (spec §2): comments removed from the whole text, lines split
//! with Python's `splitlines`, each line stripped, headers *searched* for anywhere in a line,
//! items marked by `-`, `*` or `+`.

use compact_str::CompactString;

use crate::model::nlu::{
    Example, Lookup, LookupElements, NluFile, RegexFeature, Section, SectionKind, Synonym,
};
use crate::source::{FileId, Span};
use crate::syntax::comments::{Uncommented, strip_comments};
use crate::syntax::entities::{AnnotationReader, Grammar};
use crate::syntax::find;
use crate::syntax::problem::{Problem, ProblemKind};
use crate::syntax::python::{is_space, splitlines, strip_range};

/// Parses one Markdown NLU file.
pub fn parse_nlu(file: FileId, text: &str) -> (NluFile, Vec<Problem>) {
    let mut reader = Reader {
        file,
        uncommented: strip_comments(text),
        nlu: NluFile::default(),
        problems: Vec::new(),
        current: None,
        after_unknown_section: false,
    };
    reader.read();
    reader.finish()
}

struct Reader<'a> {
    file: FileId,
    uncommented: Uncommented<'a>,
    nlu: NluFile,
    problems: Vec<Problem>,
    /// The open section; `None` before the first header or after an unknown one.
    current: Option<usize>,
    /// Set after an unknown section header: Rasa stops there, so what follows is not
    /// reported as outside a section.
    after_unknown_section: bool,
}

/// A stripped line: its text and its range in the uncommented text.
struct Line<'t> {
    text: &'t str,
    start: usize,
}

impl Reader<'_> {
    fn read(&mut self) {
        let text = self.uncommented.text.clone();
        for range in splitlines(&text) {
            let raw = &text[range.clone()];
            let kept = strip_range(raw);
            let line = Line {
                text: &raw[kept.clone()],
                start: range.start + kept.start,
            };
            if line.text.is_empty() {
                continue;
            }
            match find_section_header(line.text) {
                Some(header) => self.open_section(&line, header),
                None => self.read_body_line(&line),
            }
        }
    }

    fn finish(mut self) -> (NluFile, Vec<Problem>) {
        // The model keeps every file's examples for the whole run: no room kept for more.
        self.nlu.examples.shrink_to_fit();
        if let Some(open) = self.uncommented.unterminated {
            self.problems.push(
                Problem::new(ProblemKind::UnterminatedComment, self.file, open..open + 4, "this comment is never closed")
                    .with_label("opened here")
                    .with_help("close it with `-->`; Rasa reads an unclosed `<!--` and everything after it as text"),
            );
        }
        for section in &self.nlu.sections {
            if section.items == 0 {
                self.problems.push(
                    Problem::new(
                        ProblemKind::EmptySection,
                        self.file,
                        section.header_span.clone(),
                        format!("section `{}` has no items", section.title.trim()),
                    )
                    .with_help("add items under the header, or remove it: Rasa reads an empty section as nothing"),
                );
            }
        }
        (self.nlu, self.problems)
    }

    /// The original span of a range of the uncommented text.
    fn span(&self, range: std::ops::Range<usize>) -> Span {
        self.uncommented.original_span(range)
    }

    fn open_section(&mut self, line: &Line, header: Header) {
        let name = &line.text[header.name.clone()];
        let title = &line.text[header.title.clone()];
        let header_span = self.span(line.start..line.start + line.text.len());
        let Some(kind) = SectionKind::from_name(name) else {
            self.report_unknown_section(line, &header, header_span);
            self.current = None;
            self.after_unknown_section = true;
            return;
        };
        self.check_header_spelling(line, &header, header_span.clone());
        self.nlu.sections.push(Section {
            kind,
            title: title.to_string(),
            header_span,
            title_span: self.span(line.start + header.title.start..line.start + header.title.end),
            items: 0,
            metadata: None,
        });
        self.current = Some(self.nlu.sections.len() - 1);
        self.after_unknown_section = false;
    }

    fn report_unknown_section(&mut self, line: &Line, header: &Header, span: Span) {
        let name = &line.text[header.name.clone()];
        let message = format!(
            "`{name}` is not a section Rasa knows: Rasa 1.10 stops loading the training data here"
        );
        self.nlu.rasa_error.get_or_insert_with(|| {
            format!(
                "ValueError: Found markdown section '{name}' which is not in the allowed sections 'intent', 'synonym', 'regex', 'lookup'."
            )
        });
        let help = match canonical_section_name(name) {
            Some(known) => format!("write the header as `## {known}:{}`", &line.text[header.title.clone()]),
            None if !line.text.starts_with("##") => {
                "this line contains `##` and a `:`, so Rasa reads it as a section header; rephrase it".to_string()
            }
            None => "NLU files allow only `## intent:`, `## synonym:`, `## regex:` and `## lookup:` sections".to_string(),
        };
        self.problems.push(
            Problem::new(ProblemKind::UnknownNluSection, self.file, span, message).with_help(help),
        );
    }

    /// `##intent:x` or `##  intent:x` still open a section, but the file is only recognised
    /// as NLU by the exact spelling `## intent:`.
    fn check_header_spelling(&mut self, line: &Line, header: &Header, span: Span) {
        let name = &line.text[header.name.clone()];
        let canonical = format!("## {name}:");
        // A byte-order mark before a first-line header does not hide it from Rasa.
        let written = line.text.trim_start_matches('\u{feff}');
        if written.starts_with(&canonical) {
            return;
        }
        if !written.starts_with('#') {
            let header = &line.text[find::hashes(line.text).unwrap_or(0)..];
            self.problems.push(
                Problem::new(
                    ProblemKind::MisplacedHeader,
                    self.file,
                    span,
                    format!("Rasa reads this whole line as the section header `{header}`"),
                )
                .with_help("a header must be a line of its own: remove what comes before `##`"),
            );
            return;
        }
        self.problems.push(
            Problem::new(
                ProblemKind::MisplacedHeader,
                self.file,
                span,
                format!("section header is not written `{canonical}`"),
            )
            .with_help(format!(
                "Rasa still opens the section, but only the exact spelling `{canonical}` makes Rasa recognise a file as NLU data"
            )),
        );
    }

    fn read_body_line(&mut self, line: &Line) {
        match item_text(line.text) {
            Some(item) => self.read_item(line, item),
            None => self.read_non_item(line),
        }
    }

    fn read_item(&mut self, line: &Line, item: std::ops::Range<usize>) {
        let span = self.span(line.start + item.start..line.start + item.end);
        let Some(index) = self.current else {
            self.report_outside(line, "this list item comes before any section header");
            return;
        };
        let text = &line.text[item.clone()];
        self.nlu.sections[index].items += 1;
        let section = &self.nlu.sections[index];
        if section.kind == SectionKind::Intent {
            // Borrowed out and back rather than cloned: examples are most of the items.
            let title = std::mem::take(&mut self.nlu.sections[index].title);
            self.read_example(index, &title, text, line.start + item.start);
            self.nlu.sections[index].title = title;
            return;
        }
        let title = section.title.clone();
        match section.kind {
            SectionKind::Intent => {}
            SectionKind::Synonym => self.nlu.synonyms.push(Synonym {
                text: text.into(),
                value: title.into(),
                span,
                from_annotation: false,
                numeric: false,
            }),
            SectionKind::Regex => self.nlu.regexes.push(RegexFeature {
                name: title,
                pattern: text.to_string(),
                span,
            }),
            SectionKind::Lookup => self.add_lookup_element(title, text, span),
        }
    }

    fn add_lookup_element(&mut self, name: String, element: &str, span: Span) {
        let existing = self.nlu.lookups.iter_mut().find(|l| l.name == name);
        match existing {
            None => self.nlu.lookups.push(Lookup {
                name,
                elements: LookupElements::List(vec![(element.to_string(), span)]),
            }),
            Some(Lookup {
                elements: LookupElements::List(elements),
                ..
            }) => elements.push((element.to_string(), span)),
            Some(Lookup {
                elements: LookupElements::File(..),
                ..
            }) => {
                self.nlu.rasa_error.get_or_insert_with(|| {
                    "AttributeError: 'str' object has no attribute 'append'".to_string()
                });
                self.problems.push(
                    Problem::new(
                        ProblemKind::TextOutsideSection,
                        self.file,
                        span,
                        format!(
                            "lookup `{}` already names a file, so this item crashes Rasa",
                            name.trim()
                        ),
                    )
                    .with_help(
                        "use either a file path or list items in a lookup section, not both",
                    ),
                );
            }
        }
    }

    fn read_non_item(&mut self, line: &Line) {
        let current_kind = self.current.map(|i| self.nlu.sections[i].kind);
        if current_kind == Some(SectionKind::Lookup) && !line.text.starts_with(['-', '*', '+']) {
            let index = self.current.unwrap_or_default();
            self.nlu.sections[index].items += 1;
            let name = self.nlu.sections[index].title.clone();
            let span = self.span(line.start..line.start + line.text.len());
            self.nlu.lookups.push(Lookup {
                name,
                elements: LookupElements::File(line.text.to_string(), span),
            });
            return;
        }
        if line.text.starts_with(['-', '*', '+']) {
            self.report_outside(line, "this list item is empty, and Rasa 1.x ignores it");
        } else if let Some(name) = untitled_header(line.text) {
            let span = self.span(line.start..line.start + line.text.len());
            self.problems.push(
                Problem::new(ProblemKind::MisplacedHeader, self.file, span, format!("this `{name}` header has no name after `:`"))
                    .with_help("Rasa does not read it as a header, so what follows stays in the previous section: name it, or remove the line"),
            );
        } else if let Some(hint) = single_hash_header(line.text) {
            self.report_misplaced_single_hash(line, hint);
        } else if self.current.is_none() {
            self.report_outside(
                line,
                "this line is outside any section, and Rasa ignores it",
            );
        } else {
            self.report_outside(line, "this line is not a list item, and Rasa ignores it");
        }
    }

    fn report_outside(&mut self, line: &Line, message: &str) {
        if self.after_unknown_section {
            return;
        }
        let span = self.span(line.start..line.start + line.text.len());
        let message = match self.unusual_break_before(line) {
            Some(name) => format!(
                "Rasa breaks the line at the {name} before this text, and ignores the rest of the line"
            ),
            None => message.to_string(),
        };
        self.problems.push(
            Problem::new(ProblemKind::TextOutsideSection, self.file, span, message)
                .with_help("examples must be `- ` list items under a `## intent:` header; use `<!-- -->` for notes"),
        );
    }

    /// The name of the line-break character other than CR or LF that starts this line, if
    /// one does: Python's `splitlines` breaks there, editors do not.
    fn unusual_break_before(&self, line: &Line) -> Option<&'static str> {
        let before = self.uncommented.text[..line.start]
            .trim_end_matches(|c: char| is_space(c) && !crate::syntax::python::is_line_break(c));
        match before.chars().next_back()? {
            '\u{0b}' => Some("vertical tab"),
            '\u{0c}' => Some("form feed"),
            '\u{1c}'..='\u{1e}' => Some("separator control character"),
            '\u{85}' => Some("next-line character (U+0085)"),
            '\u{2028}' => Some("line separator (U+2028)"),
            '\u{2029}' => Some("paragraph separator (U+2029)"),
            _ => None,
        }
    }

    fn report_misplaced_single_hash(&mut self, line: &Line, name: &str) {
        let span = self.span(line.start..line.start + line.text.len());
        self.problems.push(
            Problem::new(
                ProblemKind::MisplacedHeader,
                self.file,
                span,
                "this header needs two `#`: Rasa ignores the line",
            )
            .with_help(format!("write `## {name}:…`")),
        );
    }

    fn read_example(&mut self, section: usize, title: &str, item: &str, item_start: usize) {
        let (base, response_key) = split_retrieval_intent(title);
        if title.matches('/').count() > 1 {
            // Rasa 1.x unpacks the split title into two names and crashes.
            self.nlu.rasa_error.get_or_insert_with(|| {
                "TypeError: cannot unpack non-iterable NoneType object".to_string()
            });
        }
        let uncommented = &self.uncommented;
        let reading = AnnotationReader {
            file: self.file,
            grammar: Grammar::Rasa1,
            span: |r: std::ops::Range<usize>| {
                uncommented.original_span(item_start + r.start..item_start + r.end)
            },
            problems: &mut self.problems,
            rasa_error: &mut self.nlu.rasa_error,
        }
        .read(item);
        self.nlu.synonyms.extend(reading.synonyms);
        let span = self.span(item_start..item_start + item.len());
        // Rasa keeps a response key only when it is not empty (`faq/` has none).
        let response_key = response_key
            .filter(|k| !k.is_empty())
            .map(CompactString::from);
        let intent = crate::syntax::python::strip(base).into();
        self.nlu.examples.push(Example::new(
            (section, intent, response_key),
            reading.text.into(),
            span,
            reading.entities,
            None,
        ));
    }
}

/// The title split the way Rasa 1.x splits a retrieval intent: `faq/ask_name` → (`faq`,
/// `ask_name`). Titles with more than one `/` are kept whole (Rasa 1.x crashes on them).
fn split_retrieval_intent(title: &str) -> (&str, Option<&str>) {
    let mut parts = title.split('/');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(base), Some(key), None) => (base, Some(key)),
        _ => (title, None),
    }
}

/// The characters `start..end` of `s`. For several slices of one text, use a
/// [`CharSlicer`].
pub fn char_slice(s: &str, start: usize, end: usize) -> &str {
    CharSlicer::new(s).slice(start, end)
}

/// Slices of one text by character offsets (Rasa's entity `start`/`end`). Made once per
/// example: whether the text is ASCII is checked once, and a non-ASCII text's character
/// starts are listed once, on the first slice, so a line with many annotations is not
/// scanned again for each.
pub struct CharSlicer<'a> {
    text: &'a str,
    ascii: bool,
    /// Byte offset of each character, then the text's length.
    starts: std::cell::OnceCell<Vec<usize>>,
}

impl<'a> CharSlicer<'a> {
    pub fn new(text: &'a str) -> Self {
        CharSlicer {
            text,
            ascii: text.is_ascii(),
            starts: std::cell::OnceCell::new(),
        }
    }

    /// The characters `start..end` (clamped to the text; empty when `end <= start`).
    pub fn slice(&self, start: usize, end: usize) -> &'a str {
        let s = self.text;
        if self.ascii {
            // Characters are bytes: no counting.
            let (from, to) = (start.min(s.len()), end.min(s.len()));
            return &s[from..to.max(from)];
        }
        let starts = self.starts.get_or_init(|| {
            s.char_indices()
                .map(|(i, _)| i)
                .chain(std::iter::once(s.len()))
                .collect()
        });
        let at = |n: usize| starts.get(n).copied().unwrap_or(s.len());
        let from = at(start);
        let to = if end > start { at(end) } else { from };
        &s[from..to]
    }
}

/// The section name of a line Rasa would read as a known NLU header (`intent`, …).
pub fn known_section_name(line: &str) -> Option<&str> {
    let header = find_section_header(line)?;
    let name = &line[header.name];
    SectionKind::from_name(name).map(|_| name)
}

/// A header as Rasa finds it: `##`, optional whitespace, a name up to the first usable
/// `:`, and a non-empty title. Ranges are relative to the line.
struct Header {
    name: std::ops::Range<usize>,
    title: std::ops::Range<usize>,
}

/// Python's `re.search(r"##\s*(.+?):(.+)", line)`.
fn find_section_header(line: &str) -> Option<Header> {
    let hashes = find::hashes(line)?;
    let after = hashes + 2;
    let spaces_end =
        after + (line[after..].len() - line[after..].trim_start_matches(is_space).len());
    let header = |name_start: usize, colon: usize| Header {
        name: name_start..colon,
        title: colon + 1..line.len(),
    };
    // `\s*` is greedy: the longest run of spaces is tried first.
    if let Some(colon) = first_usable_colon(line, spaces_end) {
        return Some(header(spaces_end, colon));
    }
    // Giving spaces back only helps when a `:` follows them directly: then the last space
    // becomes the name (`## :x` has the name " "). Any later colon was already refused.
    let gives_back =
        spaces_end > after && line[spaces_end..].starts_with(':') && spaces_end + 1 < line.len();
    gives_back.then(|| {
        let last_space = line[..spaces_end]
            .char_indices()
            .next_back()
            .map_or(after, |(i, _)| i);
        header(last_space, spaces_end)
    })
}

/// The first `:` after at least one name character with at least one character after it.
fn first_usable_colon(line: &str, name_start: usize) -> Option<usize> {
    let first_char_len = line[name_start..].chars().next()?.len_utf8();
    let from = name_start + first_char_len;
    let colon = from + line[from..].find(':')?;
    (colon + 1 < line.len()).then_some(colon)
}

/// Python's `re.match(r"\s*[-*+]\s*(.+)", line)`: the item text after the marker.
fn item_text(line: &str) -> Option<std::ops::Range<usize>> {
    let first = line.chars().next()?;
    if !matches!(first, '-' | '*' | '+') {
        return None;
    }
    let rest = &line[1..];
    let start = 1 + (rest.len() - rest.trim_start_matches(is_space).len());
    (start < line.len()).then_some(start..line.len())
}

/// The section name of a one-hash header such as `# intent:greet`, which Rasa ignores.
fn single_hash_header(line: &str) -> Option<&str> {
    let rest = line.strip_prefix('#')?.trim_start();
    let (name, title) = rest.split_once(':')?;
    (!title.is_empty() && find::hashes(line).is_none()).then_some(())?;
    crate::rasa::NLU_SECTIONS
        .iter()
        .copied()
        .find(|known| name.trim() == *known)
}

/// The section name of a header with nothing after its colon (`## synonym:`), which Rasa
/// does not read as a header.
fn untitled_header(line: &str) -> Option<&str> {
    let rest = line.strip_prefix("##")?.trim_start_matches(is_space);
    let name = rest.strip_suffix(':')?.trim_end_matches(is_space);
    SectionKind::from_name(name).map(|_| name)
}

/// The known section a misspelt name was probably meant to be (`# intent`, `Intent `).
fn canonical_section_name(name: &str) -> Option<&'static str> {
    let cleaned = name
        .trim_matches(|c: char| c == '#' || is_space(c))
        .to_lowercase();
    crate::rasa::NLU_SECTIONS
        .iter()
        .copied()
        .find(|known| *known == cleaned)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(line: &str) -> Option<(&str, &str)> {
        find_section_header(line).map(|h| (&line[h.name], &line[h.title]))
    }

    #[test]
    fn headers_are_found_like_the_python_regex() {
        assert_eq!(header("## intent:greet"), Some(("intent", "greet")));
        assert_eq!(header("##intent:greet"), Some(("intent", "greet")));
        assert_eq!(header("### intent:greet"), Some(("# intent", "greet")));
        assert_eq!(header("## intent: greet"), Some(("intent", " greet")));
        assert_eq!(header("- what does ## mean: x"), Some(("mean", " x")));
        assert_eq!(header("## :x"), Some((" ", "x")));
        assert_eq!(header("## intent:"), None);
        assert_eq!(header("## story"), None);
    }

    #[test]
    fn items_follow_the_python_regex() {
        let item = |l: &'static str| item_text(l).map(|r| &l[r]);
        assert_eq!(item("- hello"), Some("hello"));
        assert_eq!(item("-hello"), Some("hello"));
        assert_eq!(item("+1 555"), Some("1 555"));
        assert_eq!(item("---"), Some("--"));
        assert_eq!(item("-"), None);
        assert_eq!(item("1. x"), None);
    }

    #[test]
    fn char_slice_uses_character_offsets() {
        assert_eq!(char_slice("çaé b", 1, 3), "aé");
        assert_eq!(char_slice("abc", 3, 3), "");
        assert_eq!(char_slice("abcd", 1, 3), "bc");
        assert_eq!(char_slice("abc", 2, 9), "c");
        assert_eq!(char_slice("abc", 2, 1), "");
    }

    /// One slicer, many slices: the same as taking the characters one slice at a time,
    /// for ASCII and non-ASCII texts and offsets past the end.
    #[test]
    fn a_slicer_agrees_with_counting_characters() {
        let by_characters = |s: &str, start: usize, end: usize| -> String {
            s.chars()
                .skip(start)
                .take(end.saturating_sub(start))
                .collect()
        };
        for text in ["hello world", "çaé b ü 中文 x", "", "a\u{1F600}b"] {
            let slicer = CharSlicer::new(text);
            let len = text.chars().count();
            for start in 0..=len + 2 {
                for end in 0..=len + 2 {
                    assert_eq!(
                        slicer.slice(start, end),
                        by_characters(text, start, end),
                        "{text:?} {start}..{end}"
                    );
                }
            }
        }
    }
}
