//! A domain button's `payload`, read as Rasa 1.10's `RegexInterpreter` reads the message a
//! click sends: `/intent@0.9{"entity": "value"}`, with where each part is written.

use std::ops::Range;

use serde_json::Value;

use crate::model::domain::{ButtonPayload, Name, PayloadEntity, PayloadJson, PayloadReading};
use crate::source::Span;
use crate::syntax::json_span::json_key_span;
use crate::yaml::Node;

/// A `payload` node as a button payload; `None` when it is not a string.
pub fn button_payload(node: &Node, text: &str) -> Option<ButtonPayload> {
    let payload = Name::from_node(node, text)?;
    let reading = reading(&payload, text);
    Some(ButtonPayload { payload, reading })
}

/// A payload as Rasa's `RegexInterpreter` splits it, as byte ranges into the payload.
#[derive(Debug, PartialEq)]
struct Parts {
    intent: Range<usize>,
    /// The `{…}` part, when Rasa reads one.
    json: Option<Range<usize>>,
}

/// `re.search(r"^[/]?([^{@]+)(@[0-9.]+)?([{].+)?", payload)` for a payload that starts
/// with `/`. `None` when nothing follows the `/` before a `{` or `@`.
fn split_payload(payload: &str) -> Option<Parts> {
    let line = payload.split(['\n', '\r']).next().unwrap_or_default();
    let body = line.strip_prefix('/')?;
    let end = 1 + body.find(['{', '@']).unwrap_or(body.len());
    let written = &line[1..end];
    let intent = written.trim();
    if intent.is_empty() {
        return None;
    }
    let leading = written.len() - written.trim_start().len();
    let mut rest = end;
    if line[rest..].starts_with('@') {
        let digits = line[rest + 1..]
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .map_or(line.len(), |i| rest + 1 + i);
        if digits > rest + 1 {
            rest = digits;
        }
    }
    // `[{].+`: a `{` and at least one more character on the line.
    let json = (line[rest..].starts_with('{') && line.len() > rest + 1).then_some(rest..line.len());
    Some(Parts {
        intent: 1 + leading..1 + leading + intent.len(),
        json,
    })
}

fn reading(payload: &Name, text: &str) -> PayloadReading {
    let written = payload.name.as_str();
    // Rasa reads only messages that start with `/` as intents.
    if !written.starts_with('/') {
        return PayloadReading::Text;
    }
    let Some(parts) = split_payload(written) else {
        return PayloadReading::NoIntent;
    };
    // A part's place in the payload is its place in the file only when the payload is
    // written without escapes.
    let plain = text.get(payload.span.clone()) == Some(written);
    let span_of = |range: Range<usize>| {
        if plain {
            payload.span.start + range.start..payload.span.start + range.end
        } else {
            payload.span.clone()
        }
    };
    let json = parts.json.map(|range| {
        let span = span_of(range.clone());
        let entities = entities(&written[range], text, &span);
        Box::new(PayloadJson { span, entities })
    });
    PayloadReading::Intent {
        intent: Name {
            name: written[parts.intent.clone()].to_owned(),
            span: span_of(parts.intent),
        },
        json,
    }
}

/// The entities the `{…}` part of a payload, written at `span` of `text`, sets. It starts
/// with `{`, so it reads as a JSON object or not at all.
fn entities(json: &str, text: &str, span: &Span) -> Result<Vec<PayloadEntity>, String> {
    match serde_json::from_str::<serde_json::Map<String, Value>>(json) {
        Ok(object) => Ok(object
            .iter()
            .map(|(key, value)| PayloadEntity {
                key: Name {
                    name: key.clone(),
                    span: key_span(text, span, json, key),
                },
                empty_list: value.as_array().is_some_and(Vec::is_empty),
            })
            .collect()),
        Err(error) => {
            // The position is relative to the JSON; the span shows where it is.
            let error = error.to_string();
            let reason = error.split(" at line ").next().unwrap_or(&error);
            Err(reason.to_owned())
        }
    }
}

/// Where `key` of the JSON is written: searched for only where the span is as long as
/// the JSON (it holds the JSON as written), else the whole span.
fn key_span(text: &str, span: &Span, json: &str, key: &str) -> Span {
    if span.len() == json.len() {
        json_key_span(text, span.clone(), key).unwrap_or(span.clone())
    } else {
        span.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(payload: &str) -> Option<(&str, Option<&str>)> {
        split_payload(payload).map(|p| (&payload[p.intent], p.json.map(|j| &payload[j])))
    }

    #[test]
    fn payloads_split_like_the_regex_interpreter() {
        assert_eq!(parts("/affirm"), Some(("affirm", None)));
        assert_eq!(
            parts(r#"/inform{"city": "x"}"#),
            Some(("inform", Some(r#"{"city": "x"}"#)))
        );
        assert_eq!(
            parts(r#"/inform@0.5{"a":1}"#),
            Some(("inform", Some(r#"{"a":1}"#)))
        );
        assert_eq!(parts(r#"/inform@high{"a":1}"#), Some(("inform", None)));
        assert_eq!(parts("/inform{"), Some(("inform", None)));
        assert_eq!(parts("/ greet "), Some(("greet", None)));
        assert_eq!(parts("/"), None);
        assert_eq!(parts(r#"/{"a": 1}"#), None);
    }

    fn read(yaml_value: &str) -> ButtonPayload {
        let text = format!("payload: {yaml_value}\n");
        let node = crate::yaml::parse(&text).expect("YAML");
        let value = node.get("payload").expect("a payload key");
        button_payload(value, &text).expect("a string payload")
    }

    #[test]
    fn records_the_intent_and_entity_keys_where_they_are_written() {
        let payload = read(r#"'/inform{"city": "x", "none": []}'"#);
        let PayloadReading::Intent { intent, json } = payload.reading else {
            panic!("an intent payload");
        };
        assert_eq!((intent.name.as_str(), intent.span), ("inform", 11..17));
        let json = json.expect("a JSON part");
        assert_eq!(json.span, 17..42);
        let entities = json.entities.expect("a JSON object");
        let keys: Vec<_> = entities
            .iter()
            .map(|e| (e.key.name.as_str(), e.key.span.clone(), e.empty_list))
            .collect();
        assert_eq!(keys, [("city", 19..23, false), ("none", 32..36, true)]);
    }

    #[test]
    fn escaped_payloads_point_at_the_whole_payload() {
        let payload = read(r#""/inform{\"town\": 1}""#);
        let PayloadReading::Intent { intent, json } = payload.reading else {
            panic!("an intent payload");
        };
        assert_eq!(intent.span, payload.payload.span);
        let json = json.expect("a JSON part");
        assert_eq!(json.span, payload.payload.span);
        let entities = json.entities.expect("a JSON object");
        assert_eq!(entities[0].key.span, payload.payload.span);
    }

    #[test]
    fn reads_what_the_payload_is() {
        let reason = |payload: &str| match read(payload).reading {
            PayloadReading::Intent { json, .. } => json.map(|j| j.entities.map(|e| e.len())),
            other => panic!("not an intent payload: {other:?}"),
        };
        assert_eq!(reason("'/a[1]'"), None);
        assert_eq!(reason("'/a{1'"), Some(Err("key must be a string".into())));
        assert_eq!(reason("'/a{}x'"), Some(Err("trailing characters".into())));
        assert_eq!(read("hello").reading, PayloadReading::Text);
        assert_eq!(read("'/@1{}'").reading, PayloadReading::NoIntent);
    }
}
