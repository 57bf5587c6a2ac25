//! The stories reader of Rasa 2/3 YAML files: the top-level `stories` and `rules` keys,
//! read as Rasa 3.6's `YAMLStoryReader` reads them (spec §5; Rasa 2.8 reads them the same
//! way but for the few differences [`crate::dump`] and the rules apply by version).
//!
//! The file is checked against Rasa's schema first ([`super::stories_schema`]): a file
//! that breaks it is refused whole, which [`StoryFile::rasa_error`] records, and each
//! violation is reported where it is written. The steps are then read in Rasa's order
//! (stories before rules, whatever the order of the keys) with Rasa's dispatch: a step is a
//! user turn if it has `intent` or `user`, else an `or`, an action, a bot text, a
//! checkpoint, slots or an active loop, whatever else it holds. What Rasa skips, misreads
//! or crashes on is reported; what it reads becomes the format-neutral
//! [`crate::model::dialogue`] model (steps Rasa drops are left out of it).

use compact_str::CompactString;
use serde_json::{Map, Value as Json};

use crate::model::dialogue::{
    BlockKind, JsonValue, OrAlternative, RuleHead, SlotSet, Step, StepKind, StoryBlock, StoryFile,
    StorySyntax, TurnEntity, UserAlternative,
};
use crate::rasa::RasaVersion;
use crate::source::{FileId, Span};
use crate::syntax::problem::{Problem, ProblemKind};
use crate::syntax::python::strip;
use crate::syntax::{stories_schema, user_text};
use crate::yaml::{Node, Value};

/// What Rasa raises iterating an empty (null) list.
const NOT_ITERABLE: &str = "TypeError: 'NoneType' object is not iterable";

/// What Rasa does with a file its schema refuses, as the findings' help.
const REFUSED: &str = "Rasa refuses the whole file (YamlValidationException), so training and `rasa data validate` stop";

/// Reads the `stories` and `rules` keys of a file's top-level mapping; `test_stories`
/// for a file whose name starts with `test_` (Rasa keeps full retrieval intents there).
/// `schema` is the tree Rasa's schema pass checks (see
/// [`super::yaml_layer::Layered::schema_root`]), usually `root` itself.
pub fn read_stories(
    file: FileId,
    text: &str,
    root: &Node,
    schema: &Node,
    test_stories: bool,
) -> (Option<StoryFile>, Vec<Problem>) {
    let mut reader = Reader {
        file,
        text,
        test_stories,
        stories: StoryFile {
            syntax: StorySyntax::Yaml,
            ..StoryFile::default()
        },
        problems: Vec::new(),
    };
    reader.check_schema(schema);
    for (key, title) in [("stories", "story"), ("rules", "rule")] {
        let items = root.get(key).and_then(Node::as_seq).unwrap_or_default();
        for item in items {
            reader.read_item(item, title);
        }
    }
    reader.stories.blocks.shrink_to_fit();
    (Some(reader.stories), reader.problems)
}

struct Reader<'t> {
    file: FileId,
    text: &'t str,
    test_stories: bool,
    stories: StoryFile,
    problems: Vec<Problem>,
}

/// What one step gave: a step of the model, and whether it added an event (a checkpoint
/// after one ends the story part, before any starts it).
struct Read {
    step: Option<Step>,
    adds_events: bool,
}

impl Read {
    fn nothing() -> Self {
        Read {
            step: None,
            adds_events: false,
        }
    }

    fn event(step: Step) -> Self {
        Read {
            step: Some(step),
            adds_events: true,
        }
    }
}

impl Reader<'_> {
    /// The 1-based line of a byte offset.
    fn line_of(&self, at: usize) -> usize {
        let at = at.min(self.text.len());
        1 + memchr::memchr_iter(b'\n', &self.text.as_bytes()[..at]).count()
    }

    /// Records the first reason Rasa stops at this file.
    fn refuse(&mut self, at: &Span, reason: String) {
        if self.stories.rasa_error.is_none() {
            self.stories.rasa_error = Some((self.line_of(at.start), reason));
        }
    }

    /// A problem of `kind` at `span`, with what to do about it.
    fn report(
        &mut self,
        kind: ProblemKind,
        span: Span,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        let problem = Problem::new(kind, self.file, span, message).with_help(help);
        self.problems.push(problem);
    }

    /// A step or item Rasa skips or ignores (RL006).
    fn skipped(&mut self, span: Span, message: impl Into<String>, help: &str) {
        self.report(ProblemKind::InvalidStoryLine, span, message, help);
    }

    /// Something Rasa reads otherwise than it is written (RL019).
    fn misread(&mut self, span: Span, message: impl Into<String>, help: &str) {
        self.report(ProblemKind::MisreadStoryStep, span, message, help);
    }

    /// An empty value of `parent`'s `key` that Rasa iterates and crashes on (RL006), shown
    /// at the key.
    fn null_crash(&mut self, parent: &Node, key: &str, crash: &str) {
        let span = parent
            .as_map()
            .and_then(|entries| entries.iter().find(|(k, _)| k.as_str() == Some(key)))
            .map_or(parent.span.clone(), |(k, _)| k.span.clone());
        let message = match key {
            "user" => "an empty `user:` text: Rasa stops at it".to_string(),
            _ => format!("an empty `{key}:`: Rasa stops at it"),
        };
        self.crash(span, message, crash);
    }

    /// A value Rasa stops loading the data at (RL006): `crash` is what Rasa raises.
    fn crash(&mut self, span: Span, message: impl Into<String>, crash: &str) {
        let message = message.into();
        self.refuse(&span, crash.to_string());
        let help = format!("Rasa stops loading the training data here ({crash})");
        self.report(ProblemKind::StoryRefused, span, message, help);
    }

    // -----------------------------------------------------------------------------------
    // The schema and the YAML reader's own refusals

    fn check_schema(&mut self, root: &Node) {
        let refused = ["stories", "rules"]
            .into_iter()
            .filter_map(|key| root.get(key))
            .flat_map(crate::yaml::duplicate_keys_below)
            .map(|(again, _)| (again.span.clone(), key_text(again)));
        for (span, key) in refused.collect::<Vec<_>>() {
            let message = format!("duplicate key `{key}`: Rasa's YAML reader refuses the file");
            self.refuse(
                &span,
                format!("YamlSyntaxException: found duplicate key \"{key}\""),
            );
            let help = "remove one of them: a mapping may have each key once";
            self.report(ProblemKind::YamlSyntax, span, message, help);
        }
        for violation in stories_schema::violations(root, self.text) {
            let reason = format!("YamlValidationException: {}", violation.message);
            self.refuse(&violation.span, reason);
            let help = match violation.help {
                Some(help) => format!("{help}; {REFUSED}"),
                None => REFUSED.to_string(),
            };
            self.report(
                ProblemKind::StoryRefused,
                violation.span,
                violation.message,
                help,
            );
        }
    }

    // -----------------------------------------------------------------------------------
    // Items

    /// One item of `stories:` (`title` "story") or `rules:` ("rule").
    fn read_item(&mut self, item: &Node, title: &str) {
        let Some(entries) = item.as_map() else {
            return;
        };
        let Some((key, name)) = entries.iter().find(|(k, _)| k.as_str() == Some(title)) else {
            // A key the schema refuses (`rule:` under `stories:`) is reported there.
            let allowed = stories_schema::item_keys(title);
            if !entries
                .iter()
                .all(|(k, _)| k.as_str().is_some_and(|k| allowed.contains(&k)))
            {
                return;
            }
            let first = entries
                .first()
                .map_or(item.span.clone(), |(k, _)| k.span.clone());
            self.skipped(
                first,
                format!("Rasa ignores this item: it has no `{title}:` key"),
                &format!("give it a name with `{title}: …`, or remove it"),
            );
            return;
        };
        let header_span = self.name_span(key, name);
        let block_name: CompactString = name.as_str().unwrap_or_default().into();
        if block_name.is_empty() {
            self.misread(
                header_span.clone(),
                format!("this {title} has no name: Rasa warns that it skips it, but reads it"),
                &format!("name the {title}"),
            );
        }
        let steps = item.get("steps").and_then(Node::as_seq).unwrap_or_default();
        if steps.is_empty() {
            self.report(
                ProblemKind::EmptySection,
                header_span,
                format!("{title} `{block_name}` has no steps: Rasa skips it"),
                format!("write its steps under `steps:`, or remove the {title}"),
            );
            return;
        }
        let mut block = StoryBlock {
            name: block_name,
            header_span,
            steps: Vec::new(),
            kind: BlockKind::Story,
            null_name: name.is_null(),
        };
        block.steps.reserve_exact(steps.len());
        let mut has_events = false;
        if title == "rule" {
            let head = self.read_rule_head(item, &mut block.steps);
            // The conditions, and the `...` Rasa puts before the steps, are events.
            has_events = head.conditions > 0 || !head.conversation_start;
            block.kind = BlockKind::Rule(Box::new(head));
        }
        for step in steps {
            let read = self.read_step(step, title, has_events);
            has_events |= read.adds_events;
            block.steps.extend(read.step);
        }
        // Vectors grown a push at a time hold up to twice their length (four places for
        // one item): the model keeps only what it holds.
        block.steps.shrink_to_fit();
        self.stories.blocks.push(block);
    }

    /// Where a block's name is written: the name, or the key when it has none.
    fn name_span(&self, key: &Node, name: &Node) -> Span {
        match &name.value {
            Value::Str(s) if !s.is_empty() => name.content_span(self.text),
            _ => key.span.clone(),
        }
    }

    /// A rule's conditions (read into `steps`) and the flags around its steps.
    fn read_rule_head(&mut self, item: &Node, steps: &mut Vec<Step>) -> RuleHead {
        match item.get("condition") {
            Some(conditions) if conditions.is_null() => {
                self.null_crash(item, "condition", NOT_ITERABLE);
            }
            Some(conditions) => {
                for condition in conditions.as_seq().unwrap_or_default() {
                    steps.extend(self.read_step(condition, "rule", true).step);
                }
            }
            None => {}
        }
        RuleHead {
            conditions: steps.len(),
            conversation_start: item
                .get("conversation_start")
                .is_some_and(|v| v.as_bool() == Some(true)),
            wait_for_user_input: item
                .get("wait_for_user_input")
                .is_none_or(|v| v.as_bool() != Some(false)),
        }
    }

    // -----------------------------------------------------------------------------------
    // Steps

    /// One step, dispatched as Rasa dispatches it; `has_events` tells a checkpoint whether
    /// it starts or ends the story part.
    fn read_step(&mut self, node: &Node, title: &str, has_events: bool) -> Read {
        let Some(entries) = node.as_map() else {
            return Read::nothing();
        };
        let has = |key: &str| entries.iter().any(|(k, _)| k.as_str() == Some(key));
        if has("intent") || has("user") {
            self.read_user_step(node)
        } else if has("or") {
            self.read_or(node)
        } else if has("action") {
            self.read_action(node)
        } else if has("bot") {
            self.read_bot(node)
        } else if has("checkpoint") {
            self.read_checkpoint(node, has_events)
        } else if has("slot_was_set") {
            self.read_slots(node)
        } else if has("active_loop") {
            self.read_active_loop(node)
        } else if has("metadata") {
            Read::nothing()
        } else {
            self.skipped(
                node.span.clone(),
                format!("Rasa skips this {title} step: it is no user turn, action, bot text, checkpoint, slot or active loop"),
                "write the step as `- intent: …`, `- action: …` or another step Rasa knows, or remove it",
            );
            Read::nothing()
        }
    }

    /// Where the value of a step's `key` is written (without quotes), or the key when
    /// the value is empty.
    fn keyed(&self, node: &Node, key: &str) -> Option<Span> {
        let (k, v) = node
            .as_map()?
            .iter()
            .find(|(k, _)| k.as_str() == Some(key))?;
        Some(match &v.value {
            Value::Null => k.span.clone(),
            Value::Str(s) if s.is_empty() => k.span.clone(),
            _ => v.content_span(self.text),
        })
    }

    /// A step of the model from the step `node`, named by its `key`.
    fn step(&self, node: &Node, key: &str, kind: StepKind) -> Step {
        let name_span = self.keyed(node, key).unwrap_or(node.span.clone());
        Step::new(kind, &node.span, &name_span)
    }

    fn read_user_step(&mut self, node: &Node) -> Read {
        let Some(alternative) = self.user_alternative(node) else {
            return Read::nothing();
        };
        let key = if node.get("intent").is_some() {
            "intent"
        } else {
            "user"
        };
        Read::event(self.step(node, key, StepKind::User(vec![alternative])))
    }

    /// A user step (`_parse_raw_user_utterance`): the intent (stripped, a leading `/`
    /// removed, a retrieval intent split) and the end-to-end text or the entities.
    fn user_alternative(&mut self, node: &Node) -> Option<UserAlternative> {
        let intent_node = node.get("intent");
        let user = node.get("user");
        let (written, intent, full) = match intent_node {
            Some(intent) => self.read_intent(intent, user.is_some())?,
            None => (CompactString::default(), None, None),
        };
        let mut alternative = UserAlternative::new(written, intent, node.span.clone());
        alternative.set_full_retrieval_intent(full);
        if let Some(span) = intent_node.map(|i| self.value_span(i, node, "intent")) {
            alternative.set_intent_span(&span);
        }
        match user {
            Some(user) => {
                let read = self.read_user_text(node, user)?;
                if intent_node.is_none() {
                    alternative.set_intent_span(&user.content_span(self.text));
                }
                alternative.set_e2e_text(Some(read.plain.into_boxed_str()));
                alternative.entities = read.entities;
                if let Some(entities) = node
                    .get("entities")
                    .filter(|e| !e.as_seq().unwrap_or_default().is_empty())
                {
                    self.misread(
                        entities.span.clone(),
                        "Rasa ignores `entities:` on a step with a `user:` text",
                        "annotate the entities in the text instead: `[Berlin](city)`",
                    );
                }
            }
            None => alternative.entities = self.read_entities(node)?,
        }
        Some(alternative)
    }

    /// Where the value of `step`'s `key` is written, or the key when it is empty.
    fn value_span(&self, value: &Node, step: &Node, key: &str) -> Span {
        self.keyed(step, key)
            .unwrap_or_else(|| value.content_span(self.text))
    }

    /// `_user_intent_from_step`: the intent as written (stripped), the intent Rasa uses
    /// (the base of a retrieval intent), and the full retrieval intent. `None` when Rasa
    /// stops at it.
    fn read_intent(
        &mut self,
        node: &Node,
        has_user: bool,
    ) -> Option<(CompactString, Option<CompactString>, Option<CompactString>)> {
        let span = node.content_span(self.text);
        let stripped = match &node.value {
            Value::Str(s) => strip(s),
            // Another type is refused by the schema.
            Value::Null => {
                self.misread(
                    span.clone(),
                    "this user step has no intent: Rasa reads the intent `` (empty)",
                    "write the intent's name",
                );
                ""
            }
            _ => "",
        };
        if stripped.is_empty() && !has_user && node.as_str().is_some() {
            self.misread(
                span.clone(),
                "an empty intent: Rasa warns that it skips the step, but reads a user turn with the intent `` (empty)",
                "write the intent's name",
            );
        }
        let mut intent = stripped;
        if let Some(rest) = intent.strip_prefix('/') {
            self.misread(
                span.clone(),
                format!("Rasa removes the leading `/` of `{intent}`"),
                "write the intent without the `/`",
            );
            intent = rest;
        }
        let parts: Vec<&str> = intent.split('/').collect();
        match parts.as_slice() {
            [_] => Some((stripped.into(), Some(intent.into()), None)),
            [base, key] => {
                let full = (!key.is_empty()).then(|| CompactString::from(intent));
                if full.is_some() && !self.test_stories {
                    self.misread(
                        span,
                        format!("`{intent}` is a full retrieval intent: Rasa trains this story on the base intent `{base}` only"),
                        "write the base intent in training stories; full retrieval intents belong in test stories (files named `test_…`)",
                    );
                }
                Some((stripped.into(), Some((*base).into()), full))
            }
            _ => {
                self.crash(
                    span,
                    format!("the intent `{intent}` has more than one `/`: Rasa stops at it"),
                    &format!("RasaException: Intent name '{intent}' is invalid, it cannot contain more than one '/'."),
                );
                None
            }
        }
    }

    fn read_user_text(&mut self, step: &Node, user: &Node) -> Option<user_text::UserText> {
        let Some(value) = user.as_str() else {
            if user.is_null() {
                let crash = "AttributeError: 'NoneType' object has no attribute 'strip'";
                self.null_crash(step, "user", crash);
            }
            return None;
        };
        match user_text::read(value, &user.content_span(self.text), self.text) {
            Ok(read) => Some(read),
            Err(bad) => {
                self.refuse(&bad.span, format!("entity annotation: {}", bad.reason));
                self.report(
                    ProblemKind::MalformedEntityAnnotation,
                    bad.span,
                    format!("entity annotation is not valid: {}", bad.reason),
                    r#"write it as [text]{"entity": "type", "value": "…"}; Rasa stops loading the data at this annotation"#,
                );
                None
            }
        }
    }

    /// `_parse_raw_entities`: a string is an entity without value; in a mapping `role` and
    /// `group` are the entity's, and every other key is taken as the type with its value
    /// (the last one wins).
    fn read_entities(&mut self, step: &Node) -> Option<Vec<TurnEntity>> {
        let Some(list) = step.get("entities") else {
            return Some(Vec::new());
        };
        if list.is_null() {
            self.null_crash(step, "entities", NOT_ITERABLE);
            return None;
        }
        let items = list.as_seq().unwrap_or_default();
        let mut entities: Vec<TurnEntity> =
            items.iter().filter_map(|item| self.entity(item)).collect();
        // A filtered collect starts at four places: most steps hold one entity.
        entities.shrink_to_fit();
        Some(entities)
    }

    fn entity(&mut self, item: &Node) -> Option<TurnEntity> {
        let mut entity = TurnEntity::new(
            None,
            JsonValue::from(""),
            (None, None),
            item.content_span(self.text),
        );
        match &item.value {
            Value::Str(name) => entity.entity = Some(name.as_str().into()),
            Value::Null => {}
            Value::Map(entries) => {
                entity.value = JsonValue::NULL;
                let mut types = Vec::new();
                for (key, value) in entries {
                    match key.as_str() {
                        Some("role") => entity.set_role(value.as_str().map(Into::into)),
                        Some("group") => entity.set_group(value.as_str().map(Into::into)),
                        _ => {
                            types.push(key);
                            // A null value is dropped from the entity, the type stays.
                            entity.entity = Some(key_text(key).into());
                            entity.value = value.to_json().into();
                            entity.key_span = key.content_span(self.text);
                        }
                    }
                }
                if types.len() > 1 {
                    let names: Vec<String> =
                        types.iter().map(|k| format!("`{}`", key_text(k))).collect();
                    self.misread(
                        item.span.clone(),
                        format!("Rasa reads only the last key of this entity: {} are read as one entity of type `{}`", names.join(", "), entity.name()),
                        "write one entity per item as `- type: value` (with `role:`/`group:` beside it)",
                    );
                }
            }
            _ => return None,
        }
        Some(entity)
    }

    fn read_or(&mut self, node: &Node) -> Read {
        let Some(list) = node.get("or") else {
            return Read::nothing();
        };
        if list.is_null() {
            self.null_crash(node, "or", NOT_ITERABLE);
            return Read::nothing();
        }
        let mut alternatives = Vec::new();
        for item in list.as_seq().unwrap_or_default() {
            if item.get("intent").is_some() {
                match self.user_alternative(item) {
                    Some(user) => alternatives.push(OrAlternative::User(user)),
                    None => return Read::nothing(),
                }
            } else if item.get("slot_was_set").is_some() {
                let (read, complete) = self.read_slot_list(item, "`or` step");
                alternatives.extend(read.into_iter().map(OrAlternative::Slot));
                if !complete {
                    return Read::nothing();
                }
            } else {
                self.skipped(
                    item.span.clone(),
                    "Rasa skips this whole `or` step: this item has neither `intent` nor `slot_was_set`",
                    "give every item of `or` an `intent:` (a `user:` text alone is not enough) or a `slot_was_set:`",
                );
                return Read::nothing();
            }
        }
        if alternatives.is_empty() && list.as_seq().is_some_and(<[Node]>::is_empty) {
            self.skipped(
                self.value_span(list, node, "or"),
                "an empty `or`: Rasa 3 skips it, and Rasa 2.8 drops the steps of the story written before it",
                "give the `or` its alternatives, or remove it",
            );
        }
        if alternatives.is_empty() {
            return Read::nothing();
        }
        alternatives.shrink_to_fit();
        let all_users = alternatives
            .iter()
            .all(|a| matches!(a, OrAlternative::User(_)));
        let kind = if all_users {
            let mut users: Vec<_> = (alternatives.into_iter())
                .filter_map(|a| match a {
                    OrAlternative::User(user) => Some(user),
                    OrAlternative::Slot(_) => None,
                })
                .collect();
            users.shrink_to_fit();
            StepKind::User(users)
        } else {
            StepKind::Or(alternatives)
        };
        let name_span = self.keyed(node, "or").unwrap_or(node.span.clone());
        Read::event(Step::new(kind, &node.span, &name_span))
    }

    /// `_parse_action`: an empty name is skipped; a name that is an event type is that
    /// event, not an action.
    fn read_action(&mut self, node: &Node) -> Read {
        let Some(value) = node.get("action") else {
            return Read::nothing();
        };
        let name = match &value.value {
            Value::Str(s) if !s.is_empty() => s.as_str(),
            Value::Str(_) | Value::Null => {
                self.skipped(
                    self.value_span(value, node, "action"),
                    "an empty action: Rasa skips this step",
                    "write the action's name, or remove the step",
                );
                return Read::nothing();
            }
            _ => return Read::nothing(),
        };
        let span = self.value_span(value, node, "action");
        let kind = match event_reading(name) {
            EventReading::Action => StepKind::Action {
                name: name.into(),
                parameters: None,
            },
            EventReading::Loop => {
                self.event_name(span.clone(), format!("Rasa reads `action: {name}` as activating a loop named `{name}`, not as an action"), "to activate a form write `- active_loop: form_name`");
                StepKind::Form {
                    name: Some(name.into()),
                    parameters: None,
                }
            }
            EventReading::Event => {
                self.event_name(
                    span.clone(),
                    format!("Rasa reads `action: {name}` as its `{name}` event, not as an action"),
                    &event_help(name),
                );
                let mut parameters = Map::new();
                parameters.insert("name".into(), Json::from(name));
                StepKind::Event {
                    type_name: name.into(),
                    parameters: Box::new(parameters),
                }
            }
            EventReading::Crash(crash) => {
                self.refuse(&span, crash.to_string());
                self.event_name(span, format!("`action: {name}` names a Rasa event that Rasa cannot read from a story: it stops loading the data"), &event_help(name));
                return Read::nothing();
            }
        };
        Read::event(self.step(node, "action", kind))
    }

    /// An action named like an event (RL008).
    fn event_name(&mut self, span: Span, message: String, help: &str) {
        self.report(ProblemKind::UnknownEvent, span, message, help);
    }

    /// `_parse_bot_message`: an action with no name and the text (not stripped); an empty
    /// `bot:` is an action with no name and no text.
    fn read_bot(&mut self, node: &Node) -> Read {
        let Some(value) = node.get("bot") else {
            return Read::nothing();
        };
        let kind = match &value.value {
            Value::Str(text) => StepKind::Bot(text.as_str().into()),
            Value::Null => {
                self.skipped(
                    self.value_span(value, node, "bot"),
                    "an empty `bot:` text: Rasa reads an action without a name",
                    "write the bot's text, or remove the step",
                );
                StepKind::Action {
                    name: CompactString::default(),
                    parameters: None,
                }
            }
            _ => return Read::nothing(),
        };
        Read::event(self.step(node, "bot", kind))
    }

    /// `_parse_checkpoint`: the name and the slot conditions (single-key mappings); a
    /// condition that is no mapping drops the checkpoint.
    fn read_checkpoint(&mut self, node: &Node, ends: bool) -> Read {
        let Some(value) = node.get("checkpoint") else {
            return Read::nothing();
        };
        let name = match &value.value {
            Value::Str(s) => s.as_str(),
            Value::Null => {
                self.crash(
                    self.value_span(value, node, "checkpoint"),
                    "a checkpoint without a name: Rasa stops when it joins the stories",
                    "AttributeError: 'NoneType' object has no attribute 'startswith'",
                );
                return Read::nothing();
            }
            _ => return Read::nothing(),
        };
        let mut conditions = Map::new();
        match node.get("slot_was_set") {
            Some(slots) if slots.is_null() => {
                self.null_crash(node, "slot_was_set", NOT_ITERABLE);
                return Read::nothing();
            }
            Some(slots) => {
                for slot in slots.as_seq().unwrap_or_default() {
                    let Some(entries) = slot.as_map() else {
                        self.skipped(
                            slot.span.clone(),
                            format!("Rasa drops checkpoint `{name}`: its conditions must be `slot: value` mappings"),
                            "write the condition as `- slot_name: value`",
                        );
                        return Read::nothing();
                    };
                    for (key, value) in entries {
                        conditions.insert(key_text(key), value.to_json());
                    }
                }
                if ends && !conditions.is_empty() {
                    self.misread(
                        slots.span.clone(),
                        format!("Rasa ignores these conditions: checkpoint `{name}` ends a story part, and only a checkpoint that starts one has conditions"),
                        "move the conditions to where a story starts at this checkpoint",
                    );
                }
            }
            None => {}
        }
        let step = self.step(
            node,
            "checkpoint",
            StepKind::Checkpoint {
                name: name.into(),
                conditions: (!conditions.is_empty()).then(|| Box::new(conditions)),
            },
        );
        Read {
            step: Some(step),
            adds_events: false,
        }
    }

    /// `_parse_slot`: one slot per key of a mapping, one by name for a string; an item
    /// that is neither ends the list.
    fn read_slots(&mut self, node: &Node) -> Read {
        let (slots, _) = self.read_slot_list(node, "`slot_was_set` list");
        if slots.is_empty() {
            return Read::nothing();
        }
        Read::event(self.step(node, "slot_was_set", StepKind::Slot(slots)))
    }

    /// The slots of the `slot_was_set` list of `parent` (a step or an `or` item), and
    /// whether Rasa read all of it (`what` says what it gives up on otherwise).
    fn read_slot_list(&mut self, parent: &Node, what: &str) -> (Vec<SlotSet>, bool) {
        let Some(list) = parent.get("slot_was_set") else {
            return (Vec::new(), true);
        };
        if list.is_null() {
            self.null_crash(parent, "slot_was_set", NOT_ITERABLE);
            return (Vec::new(), false);
        }
        let mut slots = Vec::new();
        for item in list.as_seq().unwrap_or_default() {
            match &item.value {
                Value::Map(entries) => slots.extend(entries.iter().map(|(key, value)| SlotSet {
                    name: key_text(key).into(),
                    value: value.to_json().into(),
                    name_span: key.content_span(self.text),
                    by_name: false,
                })),
                Value::Str(name) => slots.push(SlotSet {
                    name: name.as_str().into(),
                    value: JsonValue::NULL,
                    name_span: item.content_span(self.text),
                    by_name: true,
                }),
                other => {
                    self.skipped(
                        item.span.clone(),
                        format!("Rasa drops the rest of this {what}: a slot must be a name or `name: value`, not {}", other.kind()),
                        "write the slot as `- slot_name: value`",
                    );
                    slots.shrink_to_fit();
                    return (slots, false);
                }
            }
        }
        slots.shrink_to_fit();
        (slots, true)
    }

    fn read_active_loop(&mut self, node: &Node) -> Read {
        let Some(value) = node.get("active_loop") else {
            return Read::nothing();
        };
        let name = match &value.value {
            Value::Str(s) => Some(CompactString::from(s.as_str())),
            _ => None,
        };
        let kind = StepKind::Form {
            name,
            parameters: None,
        };
        Read::event(self.step(node, "active_loop", kind))
    }
}

/// A mapping key as the text Rasa uses for it (a key that is no string, written as
/// YAML wrote it).
fn key_text(key: &Node) -> String {
    match &key.value {
        Value::Str(s) => s.to_string(),
        _ => key.to_json().to_string(),
    }
}

/// What Rasa makes of `action: <name>` (spec §5.4): its event registry is searched first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EventReading {
    Action,
    /// `form`, `active_loop`: a loop of that name is activated.
    Loop,
    /// Another event type.
    Event,
    /// Rasa cannot build the event from a story step and stops: what it raises.
    Crash(&'static str),
}

fn event_reading(name: &str) -> EventReading {
    match name {
        "slot" | "topic" => EventReading::Crash("StoryParseError: "),
        "user" => EventReading::Crash("AttributeError: 'NoneType' object has no attribute 'get'"),
        "reminder" => EventReading::Crash(
            "TypeError: Parser must be a string or character stream, not NoneType",
        ),
        "form" | "active_loop" => EventReading::Loop,
        // The same in Rasa 2.8 and 3.6.
        _ if RasaVersion::V3.is_event_type(name) => EventReading::Event,
        _ => EventReading::Action,
    }
}

/// What to write instead of an event name as an action.
fn event_help(name: &str) -> String {
    match name {
        "restart" => "to restart the conversation write `- action: action_restart`".to_string(),
        "session_started" => {
            "to start a session write `- action: action_session_start`".to_string()
        }
        "slot" => "to set a slot write `- slot_was_set: [slot_name: value]`".to_string(),
        "user" => "write a user turn as `- intent: …`".to_string(),
        "bot" => "write a bot text as `- bot: …`".to_string(),
        _ => format!("rename the action: Rasa reserves `{name}` for its `{name}` event"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> (StoryFile, Vec<Problem>) {
        read_as(text, false)
    }

    fn read_as(text: &str, test_stories: bool) -> (StoryFile, Vec<Problem>) {
        let root = crate::yaml::parse(text).expect("valid YAML");
        let (stories, problems) = read_stories(FileId(0), text, &root, &root, test_stories);
        (stories.expect("a stories part"), problems)
    }

    fn kinds(problems: &[Problem]) -> Vec<ProblemKind> {
        problems.iter().map(|p| p.kind).collect()
    }

    /// A rule's conditions, `conversation_start` and `wait_for_user_input`.
    fn head(block: &StoryBlock) -> (usize, bool, bool) {
        let BlockKind::Rule(head) = &block.kind else {
            panic!("not a rule: {}", block.name)
        };
        let RuleHead {
            conditions,
            conversation_start,
            wait_for_user_input,
        } = **head;
        (conditions, conversation_start, wait_for_user_input)
    }

    fn only_step(stories: &StoryFile) -> &Step {
        &stories.blocks[0].steps[0]
    }

    fn user(step: &Step) -> &UserAlternative {
        match &step.kind {
            StepKind::User(alternatives) => &alternatives[0],
            other => panic!("not a user step: {other:?}"),
        }
    }

    #[test]
    fn stories_are_read_before_rules_with_spans() {
        let text = "rules:\n- rule: r\n  steps:\n  - intent: greet\nstories:\n- story: \"s\"\n  steps:\n  - action: utter_hi\n";
        let (stories, problems) = read(text);
        assert_eq!(problems, []);
        assert_eq!(stories.syntax, StorySyntax::Yaml);
        assert_eq!(stories.blocks[0].name, "s");
        assert!(!stories.blocks[0].is_rule());
        assert_eq!(&text[stories.blocks[0].header_span.clone()], "s");
        let step = only_step(&stories);
        assert_eq!(&text[step.name_span()], "utter_hi");
        assert_eq!(&text[step.span()], "action: utter_hi");
        let rule = &stories.blocks[1];
        assert_eq!(head(rule), (0, false, true));
        assert_eq!(&text[user(&rule.steps[0]).intent_span()], "greet");
    }

    #[test]
    fn a_step_is_what_its_first_known_key_says() {
        // Refused by the schema, read by Rasa's dispatch: `intent` wins over `action`,
        // `or` over `action`, `checkpoint` over `slot_was_set`.
        let text = "stories:\n- story: s\n  steps:\n  - action: a\n    intent: greet\n  - action: b\n    or: [{intent: x}]\n  - slot_was_set: []\n    checkpoint: c\n";
        let (stories, problems) = read(text);
        assert!(
            kinds(&problems)
                .iter()
                .all(|k| *k == ProblemKind::StoryRefused)
        );
        let steps = &stories.blocks[0].steps;
        assert_eq!(user(&steps[0]).intent.as_deref(), Some("greet"));
        assert_eq!(user(&steps[1]).intent.as_deref(), Some("x"));
        assert!(matches!(&steps[2].kind, StepKind::Checkpoint { name, .. } if name == "c"));
        assert!(stories.rasa_error.is_some());
    }

    #[test]
    fn intents_are_stripped_unslashed_and_split() {
        let (stories, problems) =
            read("stories:\n- story: s\n  steps:\n  - intent: \" /faq/ask \"\n");
        let turn = user(only_step(&stories));
        assert_eq!(turn.intent.as_deref(), Some("faq"));
        assert_eq!(turn.full_retrieval_intent(), Some("faq/ask"));
        assert_eq!(kinds(&problems), [ProblemKind::MisreadStoryStep; 2]);
        // Test stories keep full retrieval intents silently.
        let (_, problems) = read_as(
            "stories:\n- story: s\n  steps:\n  - intent: faq/ask\n",
            true,
        );
        assert_eq!(problems, []);
        let (stories, problems) = read("stories:\n- story: s\n  steps:\n  - intent:\n");
        assert_eq!(user(only_step(&stories)).intent.as_deref(), Some(""));
        assert_eq!(kinds(&problems), [ProblemKind::MisreadStoryStep]);
        let (stories, problems) = read("stories:\n- story: s\n  steps:\n  - intent: a/b/c\n");
        assert!(stories.blocks[0].steps.is_empty());
        assert_eq!(kinds(&problems), [ProblemKind::StoryRefused]);
        assert!(
            stories
                .rasa_error
                .is_some_and(|(line, e)| line == 4 && e.starts_with("RasaException"))
        );
    }

    #[test]
    fn entities_are_read_as_rasa_reads_them() {
        let text = "stories:\n- story: s\n  steps:\n  - intent: i\n    entities:\n    - city\n    - {city: Berlin, role: to}\n    - {entity: city, value: Rome}\n    - {role: r}\n";
        let (stories, problems) = read(text);
        let entities = &user(only_step(&stories)).entities;
        let read: Vec<_> = entities
            .iter()
            .map(|e| (e.entity.as_deref(), e.value.to_json(), e.role()))
            .collect();
        assert_eq!(
            read,
            [
                (Some("city"), Json::from(""), None),
                (Some("city"), Json::from("Berlin"), Some("to")),
                (Some("value"), Json::from("Rome"), None),
                (None, Json::Null, Some("r")),
            ]
        );
        assert_eq!(&text[entities[1].key_span.clone()], "city");
        assert_eq!(entities[0].start, None);
        assert_eq!(kinds(&problems), [ProblemKind::MisreadStoryStep]);
    }

    #[test]
    fn user_texts_are_end_to_end_turns() {
        let text = "stories:\n- story: s\n  steps:\n  - user: hi [Berlin](city)\n  - user: hello\n    intent: greet\n    entities: [city]\n";
        let (stories, problems) = read(text);
        let steps = &stories.blocks[0].steps;
        let first = user(&steps[0]);
        assert_eq!(first.intent, None);
        assert_eq!(first.e2e_text(), Some("hi Berlin"));
        assert_eq!(&text[first.entities[0].key_span.clone()], "city");
        assert_eq!(&text[first.intent_span()], "hi [Berlin](city)");
        let second = user(&steps[1]);
        assert_eq!(second.intent.as_deref(), Some("greet"));
        assert!(second.entities.is_empty());
        assert_eq!(kinds(&problems), [ProblemKind::MisreadStoryStep]);
    }

    #[test]
    fn action_names_go_through_the_event_registry() {
        let text = "stories:\n- story: s\n  steps:\n  - action: restart\n  - action: form\n  - action: action\n  - action: \"\"\n  - action: slot\n";
        let (stories, problems) = read(text);
        let steps = &stories.blocks[0].steps;
        assert!(
            matches!(&steps[0].kind, StepKind::Event { type_name, .. } if type_name == "restart")
        );
        assert!(matches!(&steps[1].kind, StepKind::Form { name: Some(n), .. } if n == "form"));
        assert!(matches!(&steps[2].kind, StepKind::Action { name, .. } if name == "action"));
        assert_eq!(steps.len(), 3);
        assert_eq!(
            kinds(&problems),
            [
                ProblemKind::UnknownEvent,
                ProblemKind::UnknownEvent,
                ProblemKind::InvalidStoryLine,
                ProblemKind::UnknownEvent,
            ]
        );
        assert!(
            stories
                .rasa_error
                .is_some_and(|(_, e)| e.starts_with("StoryParseError"))
        );
    }

    #[test]
    fn slots_by_name_and_by_value_and_the_end_of_a_list() {
        let text = "stories:\n- story: s\n  steps:\n  - action: a\n  - slot_was_set:\n    - name\n    - {x: 1, y: [2]}\n    - 5\n    - z\n";
        let (stories, problems) = read(text);
        let StepKind::Slot(slots) = &stories.blocks[0].steps[1].kind else {
            panic!("slots")
        };
        let read: Vec<_> = slots.iter().map(|s| (s.name.as_str(), s.by_name)).collect();
        assert_eq!(read, [("name", true), ("x", false), ("y", false)]);
        assert_eq!(slots[2].value, serde_json::json!([2]));
        assert_eq!(&text[slots[0].name_span.clone()], "name");
        assert_eq!(kinds(&problems), [ProblemKind::InvalidStoryLine]);
    }

    #[test]
    fn checkpoints_start_or_end_a_story_part() {
        let text = "stories:\n- story: s\n  steps:\n  - checkpoint: a\n    slot_was_set: [{x: 1}]\n  - intent: i\n  - checkpoint: b\n    slot_was_set: [{y: 2}]\n  - checkpoint: c\n    slot_was_set: [y]\n";
        let (stories, problems) = read(text);
        let steps = &stories.blocks[0].steps;
        let StepKind::Checkpoint { name, conditions } = &steps[0].kind else {
            panic!("a checkpoint")
        };
        assert_eq!(
            (name.as_str(), conditions.as_ref().map(|c| c.len())),
            ("a", Some(1))
        );
        assert_eq!(steps.len(), 3);
        assert_eq!(
            kinds(&problems),
            [ProblemKind::MisreadStoryStep, ProblemKind::InvalidStoryLine]
        );
    }

    #[test]
    fn or_steps_of_intents_are_turns_and_with_slots_are_or() {
        let text = "stories:\n- story: s\n  steps:\n  - or: [{intent: a}, {intent: b}]\n  - or: [{intent: a}, {slot_was_set: [{x: 1, y: 2}]}]\n  - or: [{user: hi}, {intent: a}]\n";
        let (stories, problems) = read(text);
        let steps = &stories.blocks[0].steps;
        assert!(matches!(&steps[0].kind, StepKind::User(a) if a.len() == 2));
        assert!(matches!(&steps[1].kind, StepKind::Or(a) if a.len() == 3));
        assert_eq!(steps.len(), 2);
        assert_eq!(kinds(&problems), [ProblemKind::InvalidStoryLine]);
        assert_eq!(stories.slot_sets().count(), 2);
        assert_eq!(stories.user_alternatives().count(), 3);
    }

    #[test]
    fn rules_keep_conditions_first_and_their_flags() {
        let text = "rules:\n- rule: r\n  condition:\n  - active_loop: f\n  - slot_was_set: [x]\n  conversation_start: true\n  wait_for_user_input: false\n  steps:\n  - intent: i\n- rule: no steps\n  condition: [{active_loop: f}]\n";
        let (stories, problems) = read(text);
        assert_eq!(stories.blocks.len(), 1);
        let rule = &stories.blocks[0];
        assert_eq!(head(rule), (2, true, false));
        assert_eq!(rule.story_steps().len(), 1);
        assert_eq!(kinds(&problems), [ProblemKind::EmptySection]);
    }

    #[test]
    fn items_without_names_or_steps() {
        let text =
            "stories:\n- story:\n  steps: [{action: a}]\n- steps: [{action: b}]\n- story: empty\n";
        let (stories, problems) = read(text);
        assert_eq!(stories.blocks.len(), 1);
        assert!(stories.blocks[0].null_name);
        assert_eq!(
            kinds(&problems),
            [
                ProblemKind::MisreadStoryStep,
                ProblemKind::InvalidStoryLine,
                ProblemKind::EmptySection
            ]
        );
    }

    #[test]
    fn nulls_rasa_iterates_stop_it() {
        for text in [
            "stories:\n- story: s\n  steps:\n  - intent: i\n    entities:\n",
            "stories:\n- story: s\n  steps:\n  - slot_was_set:\n",
            "stories:\n- story: s\n  steps:\n  - or:\n",
            "stories:\n- story: s\n  steps:\n  - user:\n",
            "stories:\n- story: s\n  steps:\n  - checkpoint:\n",
            "rules:\n- rule: r\n  condition:\n  steps:\n  - intent: i\n",
        ] {
            let (stories, problems) = read(text);
            assert_eq!(kinds(&problems), [ProblemKind::StoryRefused], "{text}");
            assert!(stories.rasa_error.is_some(), "{text}");
        }
    }

    #[test]
    fn nested_duplicate_keys_are_refused() {
        let (stories, problems) =
            read("stories:\n- story: s\n  steps:\n  - intent: a\n    intent: b\n");
        assert_eq!(kinds(&problems), [ProblemKind::YamlSyntax]);
        assert!(stories.rasa_error.is_some());
    }
}
