use rustc_hash::FxHashMap as HashMap;
use std::ops::Range;

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::model::nlu::{Entity, Example, SectionKind};
use crate::rule::Rule;
use crate::source::{FileId, Span};

declare_rule! {
    /// ## What it does
    /// Reports an example that leaves a text plain when another example of the same
    /// intent annotates that text as an entity. The finding is at the plain occurrence,
    /// names the entity, and points at an example where the text is annotated. Each
    /// example is reported once, with every text it leaves plain.
    ///
    /// Matching is deliberately strict, so that every finding is a real inconsistency:
    ///
    /// * **Whole words only.** `pizza` annotated does not match `pizzas`, `pizza-like`
    ///   or `pizza's`, and `gmail` does not match inside `anna@gmail.com`: a word runs
    ///   from whitespace or punctuation to whitespace or punctuation, and `-` `'` `.` `@`
    ///   `/` `:` `&` `+` `#` `_` between two letters or digits (and `,` between two
    ///   digits) stay inside it. A text of several words matches only with the same
    ///   characters between them (`New York`, not `New  York`).
    /// * **Case-sensitive.** `May` annotated as a month says nothing about `may` in
    ///   "may I book", nor `US` as a country about `us`. A lower-case spelling that users
    ///   really type should be annotated in examples of its own.
    /// * **The same intent only.** A word can be an entity in one intent and ordinary
    ///   text in another (`two` as a number of guests in `book_table`, not in
    ///   `chitchat`). Each sub-intent of a retrieval intent (`faq/ask_price`) is compared
    ///   on its own.
    /// * **Outside annotations.** Text inside another annotation of the example
    ///   (`York` in `[New York](city)`) is annotated, not plain.
    /// * **Scripts written without spaces** (Chinese, Japanese, Thai, …): word
    ///   boundaries inside a run of such characters depend on the tokenizer (Jieba for
    ///   Chinese) and cannot be seen in the text, so only whole runs, or runs set off by
    ///   spaces, punctuation or a change of script, are matched: `19820618425` in
    ///   `号码是19820618425`, but not `手机` in `手机号`.
    /// * **Not the word for "one"** when it is also an article or a pronoun (`one`, `a`,
    ///   `an`; `ein`, `eine`, …; `un`, `une`, `una`, `uno`; `um`, `uma`; `een`):
    ///   `[one](people) person` does not make `one` in "how about one that serves
    ///   Thai food" a number of people.
    ///
    /// The annotated text is compared, not the entity value: `[NYC](city:New York)`
    /// makes `NYC` the text to look for.
    ///
    /// ## Why is this bad?
    /// A trainable entity extractor (`CRFEntityExtractor`, `DIETClassifier`) learns from
    /// every example, the plain ones too: an annotated `Berlin` teaches it that `Berlin`
    /// is a `city`, a plain `Berlin` that it is not. Contradicting labels make it extract
    /// the entity unreliably, and the value is then missing from the slots and forms
    /// that need it. Usually the annotation was forgotten, sometimes the other annotation
    /// is the mistake. Where the same word really is an entity in one sentence and not in
    /// the other, say so with `<!-- rasalint-disable-next-line RL210 -->` above the
    /// example. Inside a YAML `examples: |` block a `#` comment would be example text, so
    /// there ignore the rule for the file in the configuration (`per-file-ignores`). Rasa
    /// 2 and 3 train on YAML examples the same way, and no version checks it.
    ///
    /// ## Example
    /// ```md
    /// ## intent:inform
    /// - I live in [Berlin](city)
    /// - I moved to Berlin last year           <- write [Berlin](city)
    /// ```
    pub struct InconsistentEntityAnnotation {
        code: "RL210",
        name: "inconsistent-entity-annotation",
        severity: Warning,
        enabled_by_default: false,
        summary: "the same text annotated as an entity in one example and plain in another",
    }
}

impl Rule for InconsistentEntityAnnotation {
    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        let index = AnnotationIndex::build(project);
        if index.intents.is_empty() {
            return;
        }
        for (file, nlu) in project.nlu_files() {
            for (position, example) in nlu.examples.iter().enumerate() {
                let Some(key) = intent_key(nlu, example) else {
                    continue;
                };
                let Some(annotated) = index.intents.get(&key) else {
                    continue;
                };
                let here = ExampleId { file, position };
                let plain = plain_occurrences(example, annotated);
                if let Some(diagnostic) = report(project, here, example, key, &plain) {
                    out.push(diagnostic);
                }
            }
        }
    }
}

/// An intent as compared: its name and, for a retrieval intent, the response key.
type IntentKey<'p> = (&'p str, Option<&'p str>);

fn intent_key<'p>(nlu: &crate::model::nlu::NluFile, example: &'p Example) -> Option<IntentKey<'p>> {
    let is_intent = nlu.sections[example.section].kind == SectionKind::Intent;
    (is_intent && !example.intent.is_empty())
        .then_some((example.intent.as_str(), example.response_key()))
}

fn intent_label((intent, response_key): IntentKey) -> String {
    match response_key {
        Some(key) => format!("{intent}/{key}"),
        None => intent.to_string(),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ExampleId {
    file: FileId,
    position: usize,
}

/// One place where a text is annotated.
#[derive(Clone, Copy)]
struct Annotation<'p> {
    example: ExampleId,
    entity: &'p Entity,
}

/// Everything known about one annotated text of an intent.
struct Annotated<'p> {
    /// Its first annotation, in file order.
    first: Annotation<'p>,
    /// Its first annotation in another example than `first`'s, if any: an example that
    /// leaves the text plain besides annotating it is pointed at another example.
    elsewhere: Option<Annotation<'p>>,
}

impl<'p> Annotated<'p> {
    /// The annotation to show beside an occurrence in `example`: one in another example
    /// when there is one.
    fn shown_for(&self, example: ExampleId) -> Annotation<'p> {
        match self.elsewhere {
            Some(other) if self.first.example == example => other,
            _ => self.first,
        }
    }
}

/// The annotated texts of one intent, by text.
#[derive(Default)]
struct IntentAnnotations<'p> {
    texts: HashMap<&'p str, Annotated<'p>>,
    /// The most words and bytes of any annotated text: longer stretches of an example
    /// are never looked up.
    max_words: usize,
    max_bytes: usize,
}

/// Every annotated text of every intent: built in one pass over the entities, so that
/// each example is then scanned once, whatever the number of annotations.
#[derive(Default)]
struct AnnotationIndex<'p> {
    intents: HashMap<IntentKey<'p>, IntentAnnotations<'p>>,
}

impl<'p> AnnotationIndex<'p> {
    fn build(project: &'p Project) -> Self {
        let mut index = AnnotationIndex::default();
        for (file, nlu) in project.nlu_files() {
            for (position, example) in nlu.examples.iter().enumerate() {
                let Some(key) = intent_key(nlu, example) else {
                    continue;
                };
                let example_id = ExampleId { file, position };
                for entity in &example.entities {
                    index.add(key, example_id, example, entity);
                }
            }
        }
        index
    }

    fn add(
        &mut self,
        key: IntentKey<'p>,
        example_id: ExampleId,
        example: &'p Example,
        entity: &'p Entity,
    ) {
        let Some(range) = byte_range(&example.text, entity.start, entity.end) else {
            return;
        };
        let words = words(&example.text[range.clone()]);
        let (Some(first), Some(last)) = (words.first(), words.last()) else {
            // Only whitespace or punctuation: nothing a plain example could contain.
            return;
        };
        let text = &example.text[range.start + first.start..range.start + last.end];
        if is_numeral_one(text) {
            return;
        }
        let intent = self.intents.entry(key).or_default();
        intent.max_words = intent.max_words.max(words.len());
        intent.max_bytes = intent.max_bytes.max(text.len());
        let annotation = Annotation {
            example: example_id,
            entity,
        };
        let annotated = intent.texts.entry(text).or_insert(Annotated {
            first: annotation,
            elsewhere: None,
        });
        if annotated.elsewhere.is_none() && annotated.first.example != example_id {
            annotated.elsewhere = Some(annotation);
        }
    }
}

/// Words for "one" that are also an article or a pronoun (`the cheap one`, `ein Tisch`):
/// annotated as a number in one example, they say nothing about the others.
fn is_numeral_one(text: &str) -> bool {
    const ONE: &[&str] = &[
        "one", "a", "an", "ein", "eine", "einen", "einem", "einer", "eines", "un", "une", "una",
        "uno", "um", "uma", "een",
    ];
    ONE.contains(&text.to_lowercase().as_str())
}

/// A stretch of an example's plain text that another example annotates.
struct Occurrence<'p> {
    /// Byte range in the example's plain text.
    range: Range<usize>,
    text: &'p str,
    annotated: &'p Annotated<'p>,
}

/// The annotated texts of the intent that `example` contains as whole words outside its
/// own annotations, leftmost first, the longest at each place.
fn plain_occurrences<'p>(
    example: &'p Example,
    intent: &'p IntentAnnotations<'p>,
) -> Vec<Occurrence<'p>> {
    let text = example.text.as_str();
    let annotated_ranges: Vec<Range<usize>> = example
        .entities
        .iter()
        .filter_map(|e| byte_range(text, e.start, e.end))
        .collect();
    let words = words(text);
    let mut found = Vec::new();
    let mut next = 0;
    while next < words.len() {
        let start = words[next].start;
        let longest = (1..=intent.max_words.min(words.len() - next))
            .rev()
            .map(|count| (count, start..words[next + count - 1].end))
            .filter(|(_, range)| range.len() <= intent.max_bytes)
            .find_map(|(count, range)| {
                let annotated = intent.texts.get(&text[range.clone()])?;
                let overlaps = annotated_ranges
                    .iter()
                    .any(|a| a.start < range.end && range.start < a.end);
                (!overlaps).then_some((count, range, annotated))
            });
        match longest {
            Some((count, range, annotated)) => {
                found.push(Occurrence {
                    text: &text[range.clone()],
                    range,
                    annotated,
                });
                next += count;
            }
            None => next += 1,
        }
    }
    found
}

/// One finding for an example, at its first plain occurrence, listing the others.
fn report(
    project: &Project,
    here: ExampleId,
    example: &Example,
    key: IntentKey,
    plain: &[Occurrence],
) -> Option<Diagnostic> {
    let (first, others) = plain.split_first()?;
    let shown = first.annotated.shown_for(here);
    let entity = shown.entity.entity.as_str();
    let value = first.text;
    let intent = intent_label(key);
    let where_annotated = if shown.example == here {
        "elsewhere in this example"
    } else {
        "in another example"
    };
    let label = plain_label(here, others);
    let annotated_file = shown.example.file;
    Some(
        Diagnostic::new(
            &InconsistentEntityAnnotation::META,
            here.file,
            plain_span(project, here.file, example, first.range.clone()),
            format!(
                "`{value}` is annotated as entity `{entity}` {where_annotated} of intent `{intent}`, but not here"
            ),
        )
        .with_label(label)
        .with_help(format!(
            "annotate it here too{}: the entity extractor learns from every example, and this one teaches it that `{value}` is no `{entity}`",
            suggestion(value, shown.entity)
        ))
        .with_related(
            annotated_file,
            shown.entity.span.clone(),
            format!("annotated as `{entity}` here"),
        ),
    )
}

/// The label at the first plain text, listing the example's other plain texts.
fn plain_label(here: ExampleId, others: &[Occurrence]) -> String {
    const LISTED: usize = 5;
    if others.is_empty() {
        return "not annotated here".to_string();
    }
    let mut listed: Vec<String> = others
        .iter()
        .take(LISTED)
        .map(|o| {
            let entity = &o.annotated.shown_for(here).entity.entity;
            format!("`{}` ({entity})", o.text)
        })
        .collect();
    if others.len() > LISTED {
        listed.push(format!("{} more", others.len() - LISTED));
    }
    format!("not annotated here; also plain here: {}", listed.join(", "))
}

/// How to annotate `value` like `entity`: the short form, the dict form when the
/// annotation maps the text to another value (a synonym), or in words when it has a role
/// or group (which may differ here).
fn suggestion(value: &str, entity: &Entity) -> String {
    let name = &entity.entity;
    if entity.role.is_some() || entity.group.is_some() {
        return format!(", as entity `{name}` with the role or group it has here");
    }
    match entity.value.as_str() {
        Some(mapped) if mapped != value => format!(
            " (`[{value}]{{\"entity\": {}, \"value\": {}}}`)",
            serde_json::Value::from(name.as_str()),
            serde_json::Value::from(mapped)
        ),
        _ => format!(" (`[{value}]({name})`)"),
    }
}

/// The source span of a stretch of an example's plain text outside its annotations.
/// The plain text between two annotations is the source between them, unless a comment
/// was removed there; then the whole example is shown.
fn plain_span(project: &Project, file: FileId, example: &Example, range: Range<usize>) -> Span {
    let source = &project.file(file).text;
    let mut plain_from = 0;
    let mut source_from = example.span.start;
    for entity in &example.entities {
        let Some(annotated) = byte_range(&example.text, entity.start, entity.end) else {
            break;
        };
        if annotated.start >= range.end {
            break;
        }
        plain_from = annotated.end;
        source_from = entity.span.end;
    }
    let Some(offset) = range.start.checked_sub(plain_from) else {
        return example.span.clone();
    };
    let candidate = source_from + offset..source_from + offset + range.len();
    match (source.get(candidate.clone()), example.text.get(range)) {
        (Some(found), Some(plain)) if found == plain => candidate,
        _ => example.span.clone(),
    }
}

/// The byte range of a character range of `text`, if it lies inside it.
fn byte_range(text: &str, start: usize, end: usize) -> Option<Range<usize>> {
    let mut boundaries = text
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()));
    let from = boundaries.nth(start)?;
    let to = if end > start {
        boundaries.nth(end - start - 1)?
    } else {
        from
    };
    Some(from..to)
}

/// The words of a text, as byte ranges (see the rule's documentation for what a word is).
fn words(text: &str) -> Vec<Range<usize>> {
    let mut words: Vec<Range<usize>> = Vec::new();
    let mut open: Option<Range<usize>> = None;
    let mut chars = text.char_indices().peekable();
    let mut previous: Option<char> = None;
    while let Some((at, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        if is_word_char(c) {
            // An open word goes on after a letter of the same kind of script, or after
            // punctuation that joined (the word was not closed there).
            let breaks = previous.is_some_and(|p| is_word_char(p) && script_break(p, c));
            match &mut open {
                Some(word) if !breaks => word.end = at + c.len_utf8(),
                _ => {
                    words.extend(open.take());
                    open = Some(at..at + c.len_utf8());
                }
            }
        } else if !joins(previous, c, next) {
            words.extend(open.take());
        }
        previous = Some(c);
    }
    words.extend(open);
    words
}

/// Whether `c` is part of a word: not whitespace, a control character, punctuation or a
/// typographic symbol.
fn is_word_char(c: char) -> bool {
    !(c.is_whitespace() || c.is_control() || is_punctuation(c))
}

fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(c as u32,
            0x00A1..=0x00BF      // Latin-1 punctuation and symbols: ¡ « » ¿ …
            | 0x00D7 | 0x00F7    // × ÷
            | 0x2000..=0x206F    // general punctuation: dashes, quotes, …
            | 0x3000..=0x303F    // CJK punctuation: 、。「」
            | 0xFE30..=0xFE4F    // CJK compatibility forms
            | 0xFF01..=0xFF0F    // fullwidth ！＂＃…／
            | 0xFF1A..=0xFF20    // fullwidth ：；＜＝＞？＠
            | 0xFF3B..=0xFF40
            | 0xFF5B..=0xFF65)
}

/// Whether the punctuation `c`, between `previous` and `next`, stays inside a word:
/// `e-mail`, `don't`, `3.5`, `anna@gmail.com`, `10,000`.
fn joins(previous: Option<char>, c: char, next: Option<char>) -> bool {
    let (Some(p), Some(n)) = (previous, next) else {
        return false;
    };
    if !is_word_char(p) || !is_word_char(n) || script_break(p, n) {
        return false;
    }
    match c {
        '-' | '\'' | '’' | '.' | '@' | '/' | ':' | '&' | '+' | '#' | '_' | '\u{2010}'
        | '\u{2011}' => true,
        ',' => p.is_ascii_digit() && n.is_ascii_digit(),
        _ => false,
    }
}

/// Where a script written without spaces meets another one, a word ends (`号码是` and
/// `19820618425` in `号码是19820618425`).
fn script_break(a: char, b: char) -> bool {
    unspaced_script(a) != unspaced_script(b)
}

/// Scripts whose words are not separated by spaces: Thai, Lao, Myanmar, Khmer, kana and
/// CJK ideographs.
fn unspaced_script(c: char) -> bool {
    matches!(c as u32,
        0x0E00..=0x0EFF
        | 0x1000..=0x109F
        | 0x1780..=0x17FF
        | 0x3040..=0x30FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xF900..=0xFAFF
        | 0x20000..=0x2FFFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<&str> {
        words(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn words_split_on_whitespace_and_edge_punctuation() {
        assert_eq!(
            texts("I live in Berlin, (Mitte)!"),
            ["I", "live", "in", "Berlin", "Mitte"]
        );
    }

    #[test]
    fn joining_punctuation_stays_inside_words() {
        assert_eq!(
            texts("e-mail anna@gmail.com don't 3.5 10,000 a, b"),
            [
                "e-mail",
                "anna@gmail.com",
                "don't",
                "3.5",
                "10,000",
                "a",
                "b"
            ]
        );
    }

    #[test]
    fn unspaced_scripts_break_at_script_changes_and_punctuation() {
        assert_eq!(
            texts("号码是19820618425，谢谢 帮我查一个手机号"),
            ["号码是", "19820618425", "谢谢", "帮我查一个手机号"]
        );
    }

    #[test]
    fn byte_ranges_count_characters() {
        assert_eq!(byte_range("für Köln", 4, 8), Some(5..10));
        assert_eq!(byte_range("abc", 2, 9), None);
    }
}
