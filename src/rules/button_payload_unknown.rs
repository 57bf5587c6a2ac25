use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::model::domain::Name;
use crate::rule::Rule;
use crate::source::{FileId, Span};
use crate::suggest::closest;
use crate::syntax::json_span::json_key_span;

declare_rule! {
    /// ## What it does
    /// Reports a button payload in a domain response that sends an intent the domain does
    /// not declare (`payload: /afirm`), sets an entity the domain does not declare
    /// (`payload: '/inform{"ctiy": "Berlin"}'`), or whose `{…}` part is not a JSON object.
    ///
    /// Payloads are read as Rasa 1.10's `RegexInterpreter` reads a message that starts
    /// with `/`: the intent runs up to the first `{` or `@`, an optional `@0.9` confidence
    /// follows, and the rest of the line is a JSON object whose keys are entity names (a
    /// list value gives one entity per element). The intents Rasa 1.10 knows without
    /// declaring them (`restart`, `back`, `out_of_scope`, `session_start`) are accepted.
    ///
    /// Not reported: payloads that do not start with `/` (they are sent to the NLU model
    /// as text, like anything a user types), payloads in a domain without intents (other
    /// rules report the domain), and a JSON part Rasa itself never reads (after an `@`
    /// that is not followed by a number).
    ///
    /// ## Why is this bad?
    /// A button is the one place where the bot tells the user exactly what to send, and
    /// Rasa checks none of it when it loads the domain. When the user clicks, Rasa only
    /// logs a warning ("Interpreter parsed an intent 'afirm' which is not defined in the
    /// domain", "Failed to parse arguments in line …") and goes on: the policies receive
    /// an intent they were never trained on, or lose the entities of a payload whose JSON
    /// is broken, so the conversation takes a wrong turn that no test story shows.
    ///
    /// ## Example
    /// ```yaml
    /// intents:
    ///   - affirm
    /// entities:
    ///   - city
    /// responses:
    ///   utter_ask_city:
    ///   - text: Berlin?
    ///     buttons:
    ///     - title: Yes
    ///       payload: '/afirm{"ctiy": "Berlin"}'   # `afirm` and `ctiy` are not declared
    /// ```
    pub struct ButtonPayloadUnknown {
        code: "RL121",
        name: "button-payload-unknown",
        severity: Error,
        needs_domain: true,
        summary: "a button payload names an unknown intent or entity",
    }
}

/// The intents Rasa 1.10's `MessageProcessor` accepts without a declaration
/// (`rasa.core.processor.DEFAULT_INTENTS`).
const DEFAULT_INTENTS: &[&str] = &["restart", "back", "out_of_scope", "session_start"];

impl Rule for ButtonPayloadUnknown {
    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        if project.domain.intents.is_empty() {
            return;
        }
        for (file, domain) in project.domain_files().filter(|(_, d)| d.readable) {
            let text = &project.file(file).text;
            for response in &domain.responses {
                for payload in &response.button_payloads {
                    let place = Place {
                        project,
                        file,
                        text,
                        response: &response.name.name,
                        payload,
                    };
                    place.check(out);
                }
            }
        }
    }
}

/// A payload as Rasa's `RegexInterpreter` splits it, with byte ranges into the payload.
struct Parts<'a> {
    intent: &'a str,
    intent_range: std::ops::Range<usize>,
    /// The `{…}` part and where it starts, when Rasa reads one.
    json: Option<(&'a str, usize)>,
}

/// `re.search(r"^[/]?([^{@]+)(@[0-9.]+)?([{].+)?", payload)` for a payload that starts
/// with `/`. `None` when nothing follows the `/` before a `{` or `@`.
fn split_payload(payload: &str) -> Option<Parts<'_>> {
    let line = payload.split(['\n', '\r']).next().unwrap_or_default();
    let body = line.strip_prefix('/')?;
    let end = 1 + body.find(['{', '@']).unwrap_or(body.len());
    let written = &line[1..end];
    let intent = written.trim();
    if intent.is_empty() {
        return None;
    }
    let leading = written.len() - written.trim_start().len();
    let intent_range = 1 + leading..1 + leading + intent.len();
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
    let json =
        (line[rest..].starts_with('{') && line.len() > rest + 1).then(|| (&line[rest..], rest));
    Some(Parts {
        intent,
        intent_range,
        json,
    })
}

/// One button payload of one response.
struct Place<'p> {
    project: &'p Project,
    file: FileId,
    text: &'p str,
    response: &'p str,
    payload: &'p Name,
}

impl Place<'_> {
    fn check(&self, out: &mut Vec<Diagnostic>) {
        let payload = self.payload.name.as_str();
        // Rasa reads only messages that start with `/` as intents; others go to the NLU model.
        if !payload.starts_with('/') {
            return;
        }
        let Some(parts) = split_payload(payload) else {
            out.push(
                Diagnostic::new(
                    &ButtonPayloadUnknown::META,
                    self.file,
                    self.payload.span.clone(),
                    format!(
                        "button payload `{payload}` of `{}` names no intent",
                        self.response
                    ),
                )
                .with_label("no intent after `/`")
                .with_help("write the intent right after the slash: `/affirm` or `/inform{\"city\": \"Berlin\"}`"),
            );
            return;
        };
        self.check_intent(&parts, out);
        if let Some((json, at)) = parts.json {
            self.check_entities(json, at, out);
        }
    }

    /// The span of `range` of the payload, when the payload is written without escapes;
    /// the whole payload otherwise.
    fn span_of(&self, range: std::ops::Range<usize>) -> Span {
        let span = &self.payload.span;
        if self.text.get(span.clone()) == Some(self.payload.name.as_str()) {
            span.start + range.start..span.start + range.end
        } else {
            span.clone()
        }
    }

    fn check_intent(&self, parts: &Parts, out: &mut Vec<Diagnostic>) {
        let intents = &self.project.domain.intents;
        let intent = parts.intent;
        if intents.contains_key(intent) || DEFAULT_INTENTS.contains(&intent) {
            return;
        }
        let diagnostic = Diagnostic::new(
            &ButtonPayloadUnknown::META,
            self.file,
            self.span_of(parts.intent_range.clone()),
            format!(
                "button of `{}` sends intent `{intent}`, which is not in the domain",
                self.response
            ),
        )
        .with_label("not under `intents:`");
        out.push(
            match closest(intent, intents.keys().map(String::as_str)) {
                Some(known) => diagnostic
                    .with_help(format!("did you mean `/{known}`?"))
                    .with_related(
                        intents[known].file,
                        intents[known].span.clone(),
                        format!("`{known}` is declared here"),
                    ),
                None => diagnostic.with_help(format!(
                    "add `- {intent}` under `intents:` in the domain, or send a declared intent: the policies were never trained on `{intent}`"
                )),
            },
        );
    }

    fn check_entities(&self, json: &str, at: usize, out: &mut Vec<Diagnostic>) {
        let json_span = self.span_of(at..at + json.len());
        let object = match serde_json::from_str::<serde_json::Value>(json) {
            Ok(serde_json::Value::Object(object)) => object,
            Ok(other) => {
                let kind = match other {
                    serde_json::Value::Array(_) => "a list",
                    serde_json::Value::String(_) => "a string",
                    serde_json::Value::Number(_) => "a number",
                    _ => "a single value",
                };
                self.report_bad_json(json_span, &format!("as {kind}, not a JSON object"), out);
                return;
            }
            Err(error) => {
                // The position is relative to the JSON; the span shows where it is.
                let error = error.to_string();
                let reason = error.split(" at line ").next().unwrap_or(&error);
                self.report_bad_json(
                    json_span,
                    &format!("that are not valid JSON ({reason})"),
                    out,
                );
                return;
            }
        };
        let entities = &self.project.domain.entities;
        for (key, value) in &object {
            // Rasa makes one entity per list element, so an empty list sets nothing.
            let sets_nothing = value.as_array().is_some_and(Vec::is_empty);
            if key.is_empty() || sets_nothing || entities.contains_key(key) {
                continue;
            }
            let span = if json_span.len() == json.len() {
                json_key_span(self.text, json_span.clone(), key).unwrap_or(json_span.clone())
            } else {
                json_span.clone()
            };
            let slot = self.project.domain.slots.contains_key(key);
            let diagnostic = Diagnostic::new(
                &ButtonPayloadUnknown::META,
                self.file,
                span,
                format!(
                    "button of `{}` sets entity `{key}`, which is not in the domain",
                    self.response
                ),
            )
            .with_label("not under `entities:`");
            let known = closest(key, entities.keys().map(String::as_str));
            out.push(match known {
                Some(known) if !slot => diagnostic
                    .with_help(format!("did you mean `{known}`?"))
                    .with_related(
                        entities[known].file,
                        entities[known].span.clone(),
                        format!("`{known}` is declared here"),
                    ),
                _ if slot => diagnostic.with_help(format!(
                    "`{key}` is a slot: add `- {key}` under `entities:` too. Rasa still fills the slot from the entity of the same name, but warns \"Interpreter parsed an entity '{key}' which is not defined in the domain\" and the policies never see the entity"
                )),
                _ => diagnostic.with_help(format!(
                    "add `- {key}` under `entities:` in the domain, or fix the key: Rasa warns \"Interpreter parsed an entity '{key}' which is not defined in the domain\" and the policies never see it"
                )),
            });
        }
    }

    fn report_bad_json(&self, span: Span, reason: &str, out: &mut Vec<Diagnostic>) {
        out.push(
            Diagnostic::new(
                &ButtonPayloadUnknown::META,
                self.file,
                span,
                format!("button of `{}` sends entities {reason}", self.response),
            )
            .with_label("Rasa drops these entities")
            .with_help(
                "write the entities as one JSON object after the intent, with double quotes: `/inform{\"city\": \"Berlin\"}`; Rasa only warns \"Failed to parse arguments\" and sends the intent without them",
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(payload: &str) -> Option<(&str, Option<&str>)> {
        split_payload(payload).map(|p| (p.intent, p.json.map(|(j, _)| j)))
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
        let p = split_payload("/ greet").unwrap();
        assert_eq!(&"/ greet"[p.intent_range], "greet");
    }
}
