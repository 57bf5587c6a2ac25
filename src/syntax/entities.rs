//! Entity annotations inside NLU examples, found exactly as Rasa 1.10's pattern finds them:
//!
//! ```text
//! "[" text "]" ( "(" type [ ":" value ] ")" | "{" json-body "}" )
//! ```
//!
//! `text` is everything up to the first `]` (it may contain `[`); `type` runs to the first
//! `:` or `)`; `value` to the first `)`; the JSON body to the first `}`. Where a candidate
//! does not match, the search goes on at the next character, as Python's `re.finditer`
//! does, and the text stays literal.

use serde_json::Value;

use crate::model::nlu::AnnotationForm;
use crate::rasa::RasaVersion;
use crate::syntax::json_span::from_python_json;

/// One annotation, with byte ranges relative to the example text it was found in.
#[derive(Debug, Clone, PartialEq)]
pub struct RawAnnotation {
    pub form: AnnotationForm,
    /// The whole `[…](…)` or `[…]{…}`.
    pub whole: std::ops::Range<usize>,
    /// The text between the brackets.
    pub text: std::ops::Range<usize>,
    /// The entity type (short forms) or the JSON body without braces (dict form).
    pub body: std::ops::Range<usize>,
    /// The value after `:` (short form with value).
    pub value: Option<std::ops::Range<usize>>,
}

/// Finds every annotation in `example`, left to right, non-overlapping.
///
/// Every delimiter search looks for the first occurrence at or after a position that only
/// grows as the scan moves right, so each is remembered ([`NextOf`]) and the whole scan
/// stays linear even on a line of a million `[`.
pub fn find_annotations(example: &str) -> Vec<RawAnnotation> {
    let mut scan = Scanner {
        s: example,
        close_bracket: NextOf::new(b"]"),
        close_paren: NextOf::new(b")"),
        type_end: NextOf::new(b":)"),
        close_brace: NextOf::new(b"}"),
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
    close_bracket: NextOf,
    close_paren: NextOf,
    type_end: NextOf,
    close_brace: NextOf,
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
        match self.s.as_bytes().get(after)? {
            b'(' => self.short_form(open, text, after + 1),
            b'{' => {
                let body_start = after + 1;
                let body_end = self.close_brace.at_or_after(self.s, body_start)?;
                (body_end > body_start).then(|| RawAnnotation {
                    form: AnnotationForm::Dict,
                    whole: open..body_end + 1,
                    text,
                    body: body_start..body_end,
                    value: None,
                })
            }
            _ => None,
        }
    }

    fn short_form(
        &mut self,
        open: usize,
        text: std::ops::Range<usize>,
        type_start: usize,
    ) -> Option<RawAnnotation> {
        let type_end = self.type_end.at_or_after(self.s, type_start)?;
        if type_end == type_start {
            return None;
        }
        if self.s.as_bytes()[type_end] == b')' {
            return Some(RawAnnotation {
                form: AnnotationForm::Short,
                whole: open..type_end + 1,
                text,
                body: type_start..type_end,
                value: None,
            });
        }
        let value_start = type_end + 1;
        let value_end = self.close_paren.at_or_after(self.s, value_start)?;
        (value_end > value_start).then(|| RawAnnotation {
            form: AnnotationForm::ShortWithValue,
            whole: open..value_end + 1,
            text,
            body: type_start..type_end,
            value: Some(value_start..value_end),
        })
    }
}

/// What Rasa accepts in the `{…}` form, given with its braces: `entity` a string, `role`,
/// `group` and `value` strings when present (Rasa 2 and 3 also take a number as the
/// `value`); other keys are allowed.
pub fn validate_entity_dict(
    object: &str,
    rasa: RasaVersion,
) -> Result<serde_json::Map<String, Value>, String> {
    let value = from_python_json(object).map_err(|e| format!("invalid JSON: {e}"))?;
    let Value::Object(map) = value else {
        return Err("not a JSON object".into());
    };
    match map.get("entity") {
        Some(Value::String(_)) => {}
        Some(_) => return Err("\"entity\" must be a string".into()),
        None => return Err("the \"entity\" key is missing".into()),
    }
    let release = match rasa {
        RasaVersion::V1 => " in Rasa 1.10",
        _ => "",
    };
    for key in ["role", "group"] {
        if map.get(key).is_some_and(|v| !v.is_string()) {
            return Err(format!("\"{key}\" must be a string{release}"));
        }
    }
    match map.get("value") {
        Some(v) if v.is_number() && rasa != RasaVersion::V1 => {}
        Some(v) if !v.is_string() => {
            return Err(match rasa {
                RasaVersion::V1 => "\"value\" must be a string in Rasa 1.10".to_string(),
                _ => "\"value\" must be a string or a number".to_string(),
            });
        }
        _ => {}
    }
    Ok(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(example: &str) -> Vec<(&str, &str)> {
        find_annotations(example)
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
            assert!(find_annotations(s).is_empty(), "{s}");
        }
    }

    #[test]
    fn partial_matches_behave_like_the_regex() {
        let a = &find_annotations("[x](a:b(c))")[0];
        assert_eq!(a.value.clone().map(|v| &"[x](a:b(c))"[v]), Some("b(c"));
        assert_eq!(texts("[a [b](c)"), [("a [b", "c")]);
        assert_eq!(texts("[x](my entity)"), [("x", "my entity")]);
    }

    #[test]
    fn dict_schema_matches_rasa_1_10() {
        use RasaVersion::{V1, V3};
        assert!(validate_entity_dict(r#"{"entity": "city", "extra": 1}"#, V1).is_ok());
        assert!(validate_entity_dict(r#"{"value": "x"}"#, V1).is_err());
        assert!(validate_entity_dict(r#"{"entity": "city", "value": 3}"#, V1).is_err());
        assert!(validate_entity_dict(r#"{"entity": "city", "value": 3}"#, V3).is_ok());
        assert!(validate_entity_dict(r#"{"entity": "city", "role": 3}"#, V3).is_err());
        assert!(validate_entity_dict(r#"{"entity": "c}"#, V1).is_err());
    }
}
