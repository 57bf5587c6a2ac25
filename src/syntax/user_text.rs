//! The end-to-end text of a YAML story's `user:` step, read as Rasa 3.6 reads it
//! (`YAMLStoryReader._parse_raw_user_utterance`, spec §5.3): stripped, entity annotations
//! found as in NLU examples and replaced by their text, and a text that then starts with
//! `/` unpacked as an intent message `/intent@confidence{json}`, whose JSON entities replace
//! the annotations'.

use crate::model::dialogue::{JsonValue, TurnEntity};
use crate::source::Span;
use crate::syntax::entities::{
    Grammar, RawForm, find_annotations, list_objects, replace_annotations, validate_entity_dict,
};
use crate::syntax::json_span::{JsonPairs, pair_value, python_json_object, turn_entities};
use crate::syntax::python::strip_range;

/// What Rasa reads from a `user:` text.
#[derive(Debug, Clone, PartialEq)]
pub struct UserText {
    /// The text without annotations.
    pub plain: String,
    pub entities: Vec<TurnEntity>,
}

/// Why Rasa refuses an annotation of the text (it stops loading the data).
#[derive(Debug, Clone, PartialEq)]
pub struct BadAnnotation {
    pub span: Span,
    pub reason: String,
}

/// Reads `value`, the `user:` string, written at `at` in `source` (the file's text). When
/// the source under `at` is exactly the value (a plain or quoted scalar without escapes),
/// entity keys get their own spans; otherwise (escapes, block scalars) they point at the
/// whole text.
pub fn read(value: &str, at: &Span, source: &str) -> Result<UserText, BadAnnotation> {
    let kept = strip_range(value);
    let text = &value[kept.clone()];
    // Where `text` starts in the source, when the source holds it verbatim.
    let origin = (source.get(at.clone()) == Some(value)).then_some(at.start + kept.start);
    let locate = |range: std::ops::Range<usize>| match origin {
        Some(start) => start + range.start..start + range.end,
        None => at.clone(),
    };
    let annotations = find_annotations(text, Grammar::Rasa2);
    let (plain, offsets) = replace_annotations(text, &annotations);
    let mut entities = Vec::new();
    for (a, at) in annotations.iter().zip(offsets) {
        let shown = &text[a.text.clone()];
        let entity = TurnEntity::new(
            Some(text[a.body.clone()].into()),
            shown.into(),
            (Some(at.start), Some(at.end)),
            locate(a.body.clone()),
        );
        // The `{…}` objects the annotation holds, braces included.
        let objects: Vec<std::ops::Range<usize>> = match a.form {
            RawForm::Short => {
                entities.push(entity);
                continue;
            }
            RawForm::ShortWithValue => {
                let value = a.value.clone().map(|v| &text[v]).unwrap_or_default();
                let mut entity = entity;
                entity.value = value.into();
                entities.push(entity);
                continue;
            }
            RawForm::Dict => std::iter::once(a.body.start - 1..a.body.end + 1).collect(),
            RawForm::List => list_objects(&text[a.body.clone()])
                .into_iter()
                .map(|o| a.body.start + o.start..a.body.start + o.end)
                .collect(),
        };
        for object in objects {
            let pairs =
                validate_entity_dict(&text[object.clone()], Grammar::Rasa2).map_err(|reason| {
                    BadAnnotation {
                        span: locate(a.whole.clone()),
                        reason,
                    }
                })?;
            let mut entity = entity.clone();
            fill_from_dict(&mut entity, &pairs);
            if let Some(origin) = origin {
                let within = origin + object.start..origin + object.end;
                entity.key_span = crate::syntax::json_span::json_string_value_span(
                    source,
                    within.clone(),
                    "entity",
                    entity.name(),
                )
                .unwrap_or(within);
            }
            entities.push(entity);
        }
    }
    if plain.starts_with('/') {
        entities = intent_message_entities(&plain, &locate(0..text.len()), source);
    }
    Ok(UserText { plain, entities })
}

/// The type, value, role and group a valid `{…}` annotation gives (Rasa keeps a role or
/// group only when it is not empty).
fn fill_from_dict(entity: &mut TurnEntity, pairs: &JsonPairs) {
    let text = |key: &str| pair_value(pairs, key).and_then(JsonValue::as_str);
    let label = |key: &str| text(key).filter(|l| !l.is_empty()).map(Into::into);
    entity.entity = text("entity").map(Into::into);
    if let Some(value) = pair_value(pairs, "value") {
        entity.value = value.clone();
    }
    entity.set_role(label("role"));
    entity.set_group(label("group"));
}

/// The entities Rasa 3 unpacks from a text written as an intent message:
/// `^/(?P<intent>[^{@]+)(?P<confidence>@[0-9.]+)?(?P<entities>{.+})?(?P<rest>.*)`; each key
/// of the JSON object is an entity (one per item of a list value) spanning the object's
/// characters. A text the pattern does not match, or JSON that is no object, gives none.
/// (Rasa 2.8's pattern takes the JSON to the end of the line, so it gives none where
/// text follows the last `}`; rasalint reads as Rasa 3 does.)
fn intent_message_entities(text: &str, written: &Span, source: &str) -> Vec<TurnEntity> {
    let Some(json) = intent_message_json(text) else {
        return Vec::new();
    };
    let Ok(Some(pairs)) = python_json_object(&text[json.clone()]) else {
        return Vec::new();
    };
    let start = text[..json.start].chars().count();
    let end = start + text[json.clone()].chars().count();
    turn_entities(pairs, start..end, source, written)
}

/// The byte range of the `{…}` group of Rasa 3's intent-message pattern in `text`, when
/// the pattern matches and the group takes part.
fn intent_message_json(text: &str) -> Option<std::ops::Range<usize>> {
    let rest = text.strip_prefix('/')?;
    let intent_len = rest.find(['{', '@']).unwrap_or(rest.len());
    if intent_len == 0 {
        return None;
    }
    let mut at = 1 + intent_len;
    if let Some(after) = text[at..].strip_prefix('@') {
        let digits = after.len()
            - after
                .trim_start_matches(|c: char| c.is_ascii_digit() || c == '.')
                .len();
        if digits > 0 {
            at += 1 + digits;
        }
    }
    // `{.+}`: `.` stops at a line break, and `.+` needs a character between the braces.
    let line = &text[at..text[at..].find('\n').map_or(text.len(), |n| at + n)];
    if !line.starts_with('{') {
        return None;
    }
    let close = line.rfind('}').filter(|&c| c >= 2)?;
    Some(at..at + close + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn read_plain(value: &str) -> UserText {
        read(value, &(0..value.len()), value).expect("readable")
    }

    type Offsets<'t> = (Option<&'t str>, Value, Option<usize>, Option<usize>);

    fn offsets(t: &UserText) -> Vec<Offsets<'_>> {
        t.entities
            .iter()
            .map(|e| (e.entity.as_deref(), e.value.to_json(), e.start, e.end))
            .collect()
    }

    #[test]
    fn annotations_become_plain_text_and_entities() {
        let t = read_plain(r#" hi [Berlin](city) and [x]{"entity": "e", "role": "r"} "#);
        assert_eq!(t.plain, "hi Berlin and x");
        assert_eq!(
            offsets(&t),
            [
                (Some("city"), Value::from("Berlin"), Some(3), Some(9)),
                (Some("e"), Value::from("x"), Some(14), Some(15)),
            ]
        );
        assert_eq!(t.entities[1].role(), Some("r"));
        let value = r#"[b](c:d) [e]{"entity": "n", "value": 5}"#;
        let t = read_plain(value);
        assert_eq!(t.plain, "b e");
        assert_eq!(t.entities[1].value, Value::from(5));
        assert_eq!(&value[t.entities[0].key_span.clone()], "c");
        assert_eq!(&value[t.entities[1].key_span.clone()], "n");
    }

    #[test]
    fn an_intent_message_gives_its_json_entities() {
        let t = read_plain(r#"/greet{"city": "b"}"#);
        assert_eq!(
            offsets(&t),
            [(Some("city"), Value::from("b"), Some(6), Some(19))]
        );
        let t = read_plain(r#"/greet@0.5{"city": ["b", "c"]}x"#);
        assert_eq!(t.entities.len(), 2);
        assert_eq!(
            (t.entities[1].start, t.entities[1].end),
            (Some(10), Some(30))
        );
        for text in [
            "/",
            "/{\"a\": 1}",
            "/greet{}",
            "/greet {not json}",
            "/greet[1]",
        ] {
            assert_eq!(read_plain(text).entities, Vec::new(), "{text}");
        }
    }

    #[test]
    fn an_invalid_dict_annotation_is_refused() {
        let error =
            read("[x]{\"value\": 1}", &(0..15), "[x]{\"value\": 1}").expect_err("no entity");
        assert!(error.reason.contains("missing"), "{}", error.reason);
    }

    #[test]
    fn escaped_text_points_at_the_whole_value() {
        let source = "user: \"a [b](c)\\t\"";
        let at = 6..source.len();
        let t = read("a [b](c)\t", &at, source).expect("readable");
        assert_eq!(t.plain, "a b");
        assert_eq!(t.entities[0].key_span, at);
    }
}
