//! Entity annotations inside NLU examples, found exactly as Rasa's pattern finds them, and
//! read into entities and synonyms the way Rasa reads them.
//!
//! ```text
//! "[" text "]" ( "(" type [ ":" value ] ")" | "{" json-body "}" | "[" list "]" )
//! ```
//!
//! `text` is everything up to the first `]` (it may contain `[`); `type` runs to the first
//! `:` or `)`; `value` to the first `)`; the JSON body to the first `}`. The list form (Rasa
//! 2.8.24 and 3.x, [`Grammar::Rasa2`]) runs to the first `]` on the same line and holds
//! one `{…}` per entity. Where a candidate does not match, the search goes on at the next
//! character, as Python's `re.finditer` does, and the text stays literal.

use std::ops::Range;

use crate::model::json::JsonValue;
use crate::model::nlu::{AnnotationForm, Entity, EntityLabel, Synonym};
use crate::source::{FileId, Span};
use crate::syntax::json_span::{JsonPairs, json_string_value_span, pair_value, python_json_object};
use crate::syntax::nlu::CharSlicer;
use crate::syntax::problem::{Problem, ProblemKind};

/// Which Rasa reads the annotations: they differ in the list form and in what a `{…}`
/// annotation may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grammar {
    /// Rasa 1.10 (Markdown): no list form; a dictionary's `value` must be a string.
    Rasa1,
    /// Rasa 2.8.24+ and 3.x (YAML): `[text][{…}, {…}]` gives several entities one span,
    /// and a dictionary's `value` may be a number.
    Rasa2,
}

/// How an annotation is written, as the scanner found it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RawForm {
    /// `[text](type)`
    Short,
    /// `[text](type:value)`
    ShortWithValue,
    /// `[text]{"entity": …}`
    Dict,
    /// `[text][{"entity": …}, …]`, [`Grammar::Rasa2`] only; with no `{…}` inside (`[x][y]`)
    /// Rasa removes the markup and annotates nothing.
    List,
}

/// One annotation, with byte ranges relative to the example text it was found in.
#[derive(Debug, Clone, PartialEq)]
pub struct RawAnnotation {
    pub form: RawForm,
    /// The whole `[…](…)`, `[…]{…}` or `[…][…]`.
    pub whole: Range<usize>,
    /// The text between the brackets.
    pub text: Range<usize>,
    /// The entity type (short forms), the JSON body without braces (dict form), or the
    /// list without its brackets (list form).
    pub body: Range<usize>,
    /// The value after `:` (short form with value).
    pub value: Option<Range<usize>>,
}

/// Finds every annotation in `example`, left to right, non-overlapping.
///
/// Every delimiter search looks for the first occurrence at or after a position that only
/// grows as the scan moves right, so each is remembered ([`NextOf`]) and the whole scan
/// stays linear even on a line of a million `[`.
pub fn find_annotations(example: &str, grammar: Grammar) -> Vec<RawAnnotation> {
    let mut scan = Scanner {
        s: example,
        grammar,
        close_bracket: NextOf::new(b"]"),
        close_paren: NextOf::new(b")"),
        type_end: NextOf::new(b":)"),
        close_brace: NextOf::new(b"}"),
        list_end: NextOf::new(b"]\n"),
    };
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(offset) = memchr::memchr(b'[', &example.as_bytes()[from..]) {
        let open = from + offset;
        match scan.annotation_at(open) {
            Some(annotation) => {
                from = annotation.whole.end;
                found.push(annotation);
            }
            None => from = open + 1,
        }
    }
    found
}

/// The first position at or after a given one holding one of a few ASCII bytes, with the
/// last answer kept: asked again from a position between the last search's start and its
/// answer, the answer is the same.
struct NextOf {
    bytes: &'static [u8],
    searched_from: usize,
    answer: Option<usize>,
    asked: bool,
}

impl NextOf {
    fn new(bytes: &'static [u8]) -> Self {
        NextOf {
            bytes,
            searched_from: 0,
            answer: None,
            asked: false,
        }
    }

    fn at_or_after(&mut self, s: &str, from: usize) -> Option<usize> {
        let still_valid =
            self.asked && from >= self.searched_from && self.answer.is_none_or(|a| from <= a);
        if !still_valid {
            let rest = &s.as_bytes()[from.min(s.len())..];
            let hit = match self.bytes {
                [one] => memchr::memchr(*one, rest),
                [a, b] => memchr::memchr2(*a, *b, rest),
                _ => rest.iter().position(|c| self.bytes.contains(c)),
            };
            self.answer = hit.map(|i| from + i);
            self.searched_from = from;
            self.asked = true;
        }
        self.answer
    }
}

struct Scanner<'s> {
    s: &'s str,
    grammar: Grammar,
    close_bracket: NextOf,
    close_paren: NextOf,
    type_end: NextOf,
    close_brace: NextOf,
    /// `]` or a line break: the list form's `.*?\]` does not cross lines.
    list_end: NextOf,
}

impl Scanner<'_> {
    fn annotation_at(&mut self, open: usize) -> Option<RawAnnotation> {
        let text_start = open + 1;
        let close = self.close_bracket.at_or_after(self.s, text_start)?;
        if close == text_start {
            return None;
        }
        let after = close + 1;
        let text = text_start..close;
        let annotation = |form, whole_end: usize, body: Range<usize>| RawAnnotation {
            form,
            whole: open..whole_end,
            text: text.clone(),
            body,
            value: None,
        };
        match self.s.as_bytes().get(after)? {
            b'(' => self.short_form(open, text.clone(), after + 1),
            b'{' => {
                let body_start = after + 1;
                let body_end = self.close_brace.at_or_after(self.s, body_start)?;
                (body_end > body_start)
                    .then(|| annotation(RawForm::Dict, body_end + 1, body_start..body_end))
            }
            b'[' if self.grammar == Grammar::Rasa2 => {
                let body_start = after + 1;
                let end = self.list_end.at_or_after(self.s, body_start)?;
                (self.s.as_bytes()[end] == b']')
                    .then(|| annotation(RawForm::List, end + 1, body_start..end))
            }
            _ => None,
        }
    }

    fn short_form(
        &mut self,
        open: usize,
        text: Range<usize>,
        type_start: usize,
    ) -> Option<RawAnnotation> {
        let type_end = self.type_end.at_or_after(self.s, type_start)?;
        if type_end == type_start {
            return None;
        }
        if self.s.as_bytes()[type_end] == b')' {
            return Some(RawAnnotation {
                form: RawForm::Short,
                whole: open..type_end + 1,
                text,
                body: type_start..type_end,
                value: None,
            });
        }
        let value_start = type_end + 1;
        let value_end = self.close_paren.at_or_after(self.s, value_start)?;
        (value_end > value_start).then(|| RawAnnotation {
            form: RawForm::ShortWithValue,
            whole: open..value_end + 1,
            text,
            body: type_start..type_end,
            value: Some(value_start..value_end),
        })
    }
}

/// The `{…}` objects (braces included) of a list annotation's body, as Rasa's
/// `\{[^}]+?\}` finds them: from a `{` to the next `}`, never empty.
pub fn list_objects(body: &str) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(offset) = memchr::memchr(b'{', &body.as_bytes()[from..]) {
        let open = from + offset;
        match memchr::memchr(b'}', &body.as_bytes()[open + 1..]) {
            Some(0) => from = open + 1,
            Some(len) => {
                found.push(open..open + 1 + len + 1);
                from = open + len + 2;
            }
            None => break,
        }
    }
    found
}

/// What Rasa accepts in the `{…}` form, given with its braces: `entity` a string, `role`
/// and `group` strings when present, `value` a string (Rasa 1.10) or a string or number
/// (Rasa 2 and 3); other keys are allowed.
pub fn validate_entity_dict(object: &str, grammar: Grammar) -> Result<JsonPairs, String> {
    let pairs = python_json_object(object)
        .map_err(|e| format!("invalid JSON: {e}"))?
        .ok_or("not a JSON object")?;
    match pair_value(&pairs, "entity") {
        Some(v) if v.as_str().is_some() => {}
        Some(_) => return Err("\"entity\" must be a string".into()),
        None => return Err("the \"entity\" key is missing".into()),
    }
    for key in ["role", "group", "value"] {
        let Some(v) = pair_value(&pairs, key) else {
            continue;
        };
        let is_string = v.as_str().is_some();
        match grammar {
            Grammar::Rasa1 if !is_string => {
                return Err(format!("\"{key}\" must be a string in Rasa 1.10"));
            }
            Grammar::Rasa2 if key == "value" && !is_string && !v.is_number() => {
                return Err("\"value\" must be a string or a number".into());
            }
            Grammar::Rasa2 if key != "value" && !is_string => {
                return Err(format!("\"{key}\" must be a string"));
            }
            _ => {}
        }
    }
    Ok(pairs)
}

/// `item` with each of its `annotations` replaced by the annotated text, as Rasa keeps an
/// example, and the character offsets (not bytes, as Rasa counts) of each annotated text
/// in it.
pub fn replace_annotations(
    item: &str,
    annotations: &[RawAnnotation],
) -> (String, Vec<Range<usize>>) {
    let mut plain = String::with_capacity(item.len());
    let mut plain_chars = 0;
    let mut offsets = Vec::with_capacity(annotations.len());
    let mut copied = 0;
    for a in annotations {
        let before = &item[copied..a.whole.start];
        plain.push_str(before);
        plain_chars += before.chars().count();
        let text = &item[a.text.clone()];
        let start = plain_chars;
        plain.push_str(text);
        plain_chars += text.chars().count();
        offsets.push(start..plain_chars);
        copied = a.whole.end;
    }
    plain.push_str(&item[copied..]);
    (plain, offsets)
}

/// One example read: its plain text (annotations replaced by their text), its entities
/// with Rasa's character offsets, and the synonyms its annotations imply.
#[derive(Debug, Default)]
pub struct ExampleReading {
    pub text: String,
    pub entities: Vec<Entity>,
    pub synonyms: Vec<Synonym>,
}

/// Reads the annotations of examples, reporting what Rasa refuses or misreads.
pub struct AnnotationReader<'a, F: Fn(Range<usize>) -> Span> {
    pub file: FileId,
    pub grammar: Grammar,
    /// The source span of a byte range of the example being read.
    pub span: F,
    pub problems: &'a mut Vec<Problem>,
    /// Why Rasa refuses the file: set by the first annotation it cannot load.
    pub rasa_error: &'a mut Option<String>,
}

impl<F: Fn(Range<usize>) -> Span> AnnotationReader<'_, F> {
    /// Replaces each annotation of `item` by its text, and records the entities with
    /// character offsets and the synonyms of those whose value differs from their text.
    pub fn read(&mut self, item: &str) -> ExampleReading {
        let annotations = find_annotations(item, self.grammar);
        let (plain, at) = replace_annotations(item, &annotations);
        let mut entities = Vec::with_capacity(annotations.len());
        for (a, at) in annotations.iter().zip(at) {
            self.entities_of(item, a, at, &mut entities);
        }
        if item.contains(']') {
            self.check_near_misses(item, &annotations);
        }
        // Sized for every annotation; one Rasa refuses leaves a slot to give back.
        entities.shrink_to_fit();
        let synonyms = annotation_synonyms(&plain, &entities);
        ExampleReading {
            text: plain,
            entities,
            synonyms,
        }
    }

    /// The entities annotation `a` gives (none, one, or one per object of a list), at
    /// character offsets `at` of the plain text.
    fn entities_of(
        &mut self,
        item: &str,
        a: &RawAnnotation,
        at: Range<usize>,
        out: &mut Vec<Entity>,
    ) {
        let span = (self.span)(a.whole.clone());
        let text = &item[a.text.clone()];
        let entity = |form, body: &Range<usize>, value: &str, entity_span| Entity {
            entity: item[body.clone()].into(),
            value: value.into(),
            role: None,
            group: None,
            start: at.start,
            end: at.end,
            form,
            span: span.clone(),
            entity_span,
        };
        let body_span = (self.span)(a.body.clone());
        match a.form {
            RawForm::Short => out.push(entity(AnnotationForm::Short, &a.body, text, body_span)),
            RawForm::ShortWithValue => {
                let value = a.value.clone().map(|v| &item[v]).unwrap_or_default();
                out.push(entity(
                    AnnotationForm::ShortWithValue,
                    &a.body,
                    value,
                    body_span,
                ));
            }
            // The object with its braces, as written around the body.
            RawForm::Dict => {
                let object = a.body.start - 1..a.body.end + 1;
                let e = entity(AnnotationForm::Dict, &a.body, text, body_span);
                out.extend(self.dict_entity(item, object, e));
            }
            RawForm::List => {
                let objects = list_objects(&item[a.body.clone()]);
                if objects.is_empty() {
                    self.report_empty_list(item, a, span.clone());
                }
                for object in objects {
                    let object = a.body.start + object.start..a.body.start + object.end;
                    let body = object.start + 1..object.end - 1;
                    let e = entity(AnnotationForm::Dict, &body, text, (self.span)(body.clone()));
                    out.extend(self.dict_entity(item, object, e));
                }
            }
        }
    }

    /// `entity` completed from the `{…}` at `object` of `item`, or `None` (reported) when
    /// Rasa refuses the object.
    fn dict_entity(
        &mut self,
        item: &str,
        object: Range<usize>,
        mut entity: Entity,
    ) -> Option<Entity> {
        match validate_entity_dict(&item[object.clone()], self.grammar) {
            Ok(pairs) => {
                entity.entity = pair_value(&pairs, "entity")
                    .and_then(JsonValue::as_str)
                    .unwrap_or_default()
                    .into();
                if let Some(value) = pair_value(&pairs, "value") {
                    entity.value = value.clone();
                }
                entity.role = self.label(&pairs, "role", item, object.clone(), &entity.span);
                entity.group = self.label(&pairs, "group", item, object, &entity.span);
                Some(entity)
            }
            Err(reason) => {
                self.report_bad_dict(entity.span, &item[object], &reason);
                None
            }
        }
    }

    /// The role or group (`key`) an object at `object` of `item` gives, with where its
    /// string is written (`whole`, the annotation, when it cannot be found). Rasa keeps
    /// one only when it is not empty.
    fn label(
        &self,
        pairs: &JsonPairs,
        key: &str,
        item: &str,
        object: Range<usize>,
        whole: &Span,
    ) -> Option<Box<EntityLabel>> {
        let name = pair_value(pairs, key)
            .and_then(JsonValue::as_str)
            .filter(|l| !l.is_empty())?;
        let span = json_string_value_span(item, object, key, name)
            .map_or_else(|| whole.clone(), |at| (self.span)(at));
        Some(Box::new(EntityLabel {
            name: name.into(),
            span,
        }))
    }

    fn report_bad_dict(&mut self, span: Span, object: &str, reason: &str) {
        let (error, stops) = match self.grammar {
            Grammar::Rasa1 => (
                format!("entity annotation: {reason}"),
                "Rasa 1.10 stops loading the data at this annotation",
            ),
            Grammar::Rasa2 if reason.starts_with("invalid JSON") => (
                format!(
                    "InvalidEntityFormatException: Incorrect training data format ('{object}'): {reason}"
                ),
                "Rasa stops loading the training data at this annotation, without saying where",
            ),
            Grammar::Rasa2 => (
                format!("SchemaValidationError: {reason} in '{object}'"),
                "Rasa stops loading the training data at this annotation, without saying where",
            ),
        };
        self.rasa_error.get_or_insert(error);
        self.problems.push(
            Problem::new(
                ProblemKind::MalformedEntityAnnotation,
                self.file,
                span,
                format!("entity annotation is not valid: {reason}"),
            )
            .with_help(format!(
                r#"write it as [text]{{"entity": "type", "value": "…"}}; {stops}"#
            )),
        );
    }

    /// `[text][…]` without any `{…}`: Rasa 2 and 3 remove the brackets and keep no entity.
    fn report_empty_list(&mut self, item: &str, a: &RawAnnotation, span: Span) {
        let text = &item[a.text.clone()];
        self.problems.push(
            Problem::new(
                ProblemKind::MalformedEntityAnnotation,
                self.file,
                span,
                format!("Rasa reads this as a list of entity annotations, finds none, and keeps only `{text}`"),
            )
            .with_help("`[text][…]` is Rasa's form for several `{\"entity\": …}` objects on one text: annotate with `[text](entity)`, or rephrase to keep the brackets"),
        );
    }

    /// Annotation look-alikes that Rasa silently keeps as plain text.
    /// Reports at most [`NEAR_MISSES_PER_EXAMPLE`] per example, and looks only
    /// [`NEAR_MISS_REACH`] bytes around each `]`: annotations are short, and a line of
    /// brackets must not turn into thousands of findings or quadratic work.
    fn check_near_misses(&mut self, item: &str, annotations: &[RawAnnotation]) {
        let mut covered = annotations.iter().map(|a| a.whole.clone()).peekable();
        let mut reported = 0;
        for close in memchr::memchr_iter(b']', item.as_bytes()) {
            while covered.next_if(|w| w.end <= close).is_some() {}
            if covered.peek().is_some_and(|w| w.start <= close) {
                continue;
            }
            let window = near(item, close);
            let Some(reason) = near_miss_reason(window.text, close - window.start, self.grammar)
            else {
                continue;
            };
            let open = window.start
                + window.text[..close - window.start]
                    .rfind('[')
                    .unwrap_or(close - window.start);
            let end = window.text[close - window.start..]
                .find([')', '}'])
                .map_or(window.start + window.text.len(), |e| close + e + 1);
            let span = (self.span)(open..end);
            self.problems.push(
                Problem::new(
                    ProblemKind::MalformedEntityAnnotation,
                    self.file,
                    span,
                    format!("this looks like an entity annotation, but {reason}"),
                )
                .with_help("Rasa keeps it as plain text: write `[text](entity)` or `[text]{\"entity\": \"entity\"}`"),
            );
            reported += 1;
            if reported == NEAR_MISSES_PER_EXAMPLE {
                return;
            }
        }
    }
}

/// The synonyms Rasa records from the annotations of one example: each entity whose value
/// differs from the text it covers maps that text to the value.
fn annotation_synonyms(plain: &str, entities: &[Entity]) -> Vec<Synonym> {
    let slicer = CharSlicer::new(plain);
    entities
        .iter()
        .filter_map(|e| {
            let annotated = slicer.slice(e.start, e.end);
            (e.value.as_str() != Some(annotated)).then(|| Synonym {
                text: annotated.into(),
                value: value_text(&e.value).into(),
                span: e.span.clone(),
                from_annotation: true,
                numeric: e.value.is_number(),
            })
        })
        .collect()
}

/// An entity value as the text of a synonym (a number as Python writes it in JSON).
fn value_text(value: &JsonValue) -> String {
    match value.as_str() {
        Some(s) => s.to_string(),
        None => value.to_string(),
    }
}

const NEAR_MISSES_PER_EXAMPLE: usize = 3;
const NEAR_MISS_REACH: usize = 200;

/// A slice of `item` around byte `at`, at most [`NEAR_MISS_REACH`] bytes each way, cut at
/// character boundaries.
struct Window<'a> {
    text: &'a str,
    start: usize,
}

fn near(item: &str, at: usize) -> Window<'_> {
    let mut start = at.saturating_sub(NEAR_MISS_REACH);
    while !item.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (at + NEAR_MISS_REACH).min(item.len());
    while !item.is_char_boundary(end) {
        end += 1;
    }
    Window {
        text: &item[start..end],
        start,
    }
}

/// Why the `]` at `close` and what follows look like a broken annotation, if they do.
fn near_miss_reason(item: &str, close: usize, grammar: Grammar) -> Option<&'static str> {
    let rest = &item[close + 1..];
    let open = item[..close].rfind('[');
    let text = open.map(|o| &item[o + 1..close]);
    if rest.starts_with("[{") {
        // Rasa 2 and 3 read the list form; one left here crosses a line.
        return (grammar == Grammar::Rasa1)
            .then_some("the list form `[text][{…}]` needs Rasa 2.8.24 or later");
    }
    if let Some(spaced) = rest.strip_prefix(' ') {
        // `(city)` right after a space: an entity name has no spaces, prose in brackets has.
        let entity_name = spaced
            .strip_prefix('(')
            .and_then(|r| r.split_once(')'))
            .is_some_and(|(name, _)| !name.is_empty() && !name.contains(char::is_whitespace));
        let annotation_like = entity_name || spaced.starts_with("{\"entity\"");
        return (annotation_like && text.is_some_and(|t| !t.is_empty()))
            .then_some("there is a space between `]` and the entity");
    }
    if !rest.starts_with(['(', '{']) {
        return None;
    }
    let Some(text) = text else {
        return Some("there is no `[` before the `]`");
    };
    if text.is_empty() {
        return Some("the annotated text is empty");
    }
    if text.contains(']') {
        return Some("the annotated text contains `]`");
    }
    if rest.starts_with("()") {
        return Some("the entity name is empty");
    }
    if rest.starts_with("{}") {
        return Some("the entity dictionary is empty");
    }
    let closer = if rest.starts_with('(') { ')' } else { '}' };
    let Some(end) = rest.find(closer) else {
        return Some(if closer == ')' {
            "the `(` is never closed"
        } else {
            "the `{` is never closed"
        });
    };
    let inner = &rest[1..end];
    if inner.starts_with(':') {
        return Some("the entity name before `:` is empty");
    }
    if inner.ends_with(':') {
        return Some("the value after `:` is empty");
    }
    Some("it does not match Rasa's annotation pattern")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(example: &str) -> Vec<(&str, &str)> {
        find_annotations(example, Grammar::Rasa1)
            .into_iter()
            .map(|a| (&example[a.text], &example[a.body]))
            .collect()
    }

    #[test]
    fn finds_every_form() {
        assert_eq!(
            texts(r#"fly [NYC](city:New York) to [LA]{"entity": "city"} at [9](time)"#),
            [
                ("NYC", "city"),
                ("LA", r#""entity": "city""#),
                ("9", "time")
            ]
        );
    }

    #[test]
    fn near_misses_stay_literal() {
        for s in [
            "[x]()",
            "[x] (city)",
            "[x](city:)",
            "[x]{}",
            "[a [b]](c)",
            "[[x]](a)",
            "[]()",
        ] {
            assert!(find_annotations(s, Grammar::Rasa1).is_empty(), "{s}");
        }
    }

    #[test]
    fn partial_matches_behave_like_the_regex() {
        let a = &find_annotations("[x](a:b(c))", Grammar::Rasa1)[0];
        assert_eq!(a.value.clone().map(|v| &"[x](a:b(c))"[v]), Some("b(c"));
        assert_eq!(texts("[a [b](c)"), [("a [b", "c")]);
        assert_eq!(texts("[x](my entity)"), [("x", "my entity")]);
    }

    #[test]
    fn dict_schema_matches_rasa_1_10() {
        assert!(validate_entity_dict(r#"{"entity": "city", "extra": 1}"#, Grammar::Rasa1).is_ok());
        assert!(validate_entity_dict(r#"{"value": "x"}"#, Grammar::Rasa1).is_err());
        assert!(validate_entity_dict(r#"{"entity": "city", "value": 3}"#, Grammar::Rasa1).is_err());
        assert!(validate_entity_dict(r#"{"entity": "c}"#, Grammar::Rasa1).is_err());
    }
}
