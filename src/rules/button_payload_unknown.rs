use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::model::domain::{Name, PayloadJson, PayloadReading};
use crate::rasa::RasaVersion;
use crate::rule::Rule;
use crate::rules::support::interpolated_payload_json;
use crate::source::{FileId, Span};
use crate::suggest::closest;

declare_rule! {
    /// ## What it does
    /// Reports a button payload in a domain response that sends an intent the domain does
    /// not declare (`payload: /afirm`), sets an entity the domain does not declare
    /// (`payload: '/inform{"ctiy": "Berlin"}'`), or whose `{…}` part is not a JSON object.
    ///
    /// Payloads are read as Rasa 1.10's `RegexInterpreter` reads a message that starts
    /// with `/`: the intent runs up to the first `{` or `@`, an optional `@0.9` confidence
    /// follows, and the rest of the line is a JSON object whose keys are entity names (a
    /// list value gives one entity per element); Rasa 2 and 3 read them the same way. The
    /// intents Rasa knows without declaring them (`restart`, `back`, `out_of_scope`,
    /// `session_start`, and from Rasa 2 on `nlu_fallback`) are accepted.
    ///
    /// Rasa 2 and 3 fill a response's `{placeholders}` in its buttons too, so there a
    /// payload's `{{` and `}}` are sent as `{` and `}`: `/inform{{"city": "Berlin"}}`, as
    /// Rasa's documentation writes it, sets the entity `city`. (Rasa 1.10 sends it as
    /// written, which is no JSON.)
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

impl Rule for ButtonPayloadUnknown {
    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        if project.domain.intents.is_empty() {
            return;
        }
        for (file, domain) in project.domain_files().filter(|(_, d)| d.readable) {
            for response in &domain.responses {
                for payload in &response.button_payloads {
                    let place = Place {
                        project,
                        file,
                        response: &response.name.name,
                        payload: &payload.payload,
                    };
                    place.check(&payload.reading, out);
                }
            }
        }
    }
}

/// One button payload of one response.
struct Place<'p> {
    project: &'p Project,
    file: FileId,
    response: &'p str,
    payload: &'p Name,
}

impl Place<'_> {
    fn check(&self, reading: &PayloadReading, out: &mut Vec<Diagnostic>) {
        let payload = self.payload.name.as_str();
        match reading {
            // Rasa sends payloads that do not start with `/` to the NLU model.
            PayloadReading::Text => {}
            PayloadReading::NoIntent => out.push(
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
            ),
            PayloadReading::Intent { intent, json } => {
                self.check_intent(intent, out);
                if let Some(json) = json {
                    self.check_entities(json, out);
                }
            }
        }
    }

    fn check_intent(&self, intent: &Name, out: &mut Vec<Diagnostic>) {
        let intents = &self.project.domain.intents;
        let span = intent.span.clone();
        let intent = intent.name.as_str();
        // The intents every domain has (Rasa 1.10's `MessageProcessor` accepts them
        // without a declaration).
        let defaults = self.project.rasa.version.default_intents();
        if intents.contains_key(intent) || defaults.contains(&intent) {
            return;
        }
        let diagnostic = Diagnostic::new(
            &ButtonPayloadUnknown::META,
            self.file,
            span,
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

    fn check_entities(&self, json: &PayloadJson, out: &mut Vec<Diagnostic>) {
        match &json.entities {
            Ok(found) => {
                for entity in found {
                    self.check_entity(&entity.key.name, &entity.key.span, entity.empty_list, out);
                }
            }
            Err(reason) => match self.interpolated_entities() {
                Some(found) => {
                    for (key, empty_list) in found {
                        self.check_entity(&key, &json.span, empty_list, out);
                    }
                }
                None => self.report_bad_json(
                    json.span.clone(),
                    &format!("that are not valid JSON ({reason})"),
                    out,
                ),
            },
        }
    }

    /// Rasa 2 and 3 fill a response's placeholders in its buttons too, and there a
    /// payload's `{{` and `}}` come out as `{` and `}` (Rasa's documentation writes the
    /// entities of a payload so): the entities of the payload read that way, each with
    /// whether its value is an empty list. `None` in Rasa 1.x, whose buttons keep their
    /// braces, and when the payload has no `{{` or is no JSON object either way.
    fn interpolated_entities(&self) -> Option<Vec<(String, bool)>> {
        if self.project.rasa.version == RasaVersion::V1 {
            return None;
        }
        let line = self.payload.name.split(['\n', '\r']).next()?;
        let object = interpolated_payload_json(line)?;
        let empty_list = |v: &serde_json::Value| v.as_array().is_some_and(Vec::is_empty);
        Some(
            object
                .iter()
                .map(|(k, v)| (k.clone(), empty_list(v)))
                .collect(),
        )
    }

    /// Reports `key`, an entity the payload sets, at `span` unless the domain has it.
    fn check_entity(&self, key: &str, span: &Span, empty_list: bool, out: &mut Vec<Diagnostic>) {
        let entities = &self.project.domain.entities;
        // Rasa makes one entity per list element, so an empty list sets nothing.
        if key.is_empty() || empty_list || entities.contains_key(key) {
            return;
        }
        let slot = self.project.domain.slots.contains_key(key);
        let diagnostic = Diagnostic::new(
            &ButtonPayloadUnknown::META,
            self.file,
            span.clone(),
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
