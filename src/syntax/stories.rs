//! Markdown stories (`## story` / `* greet` / `  - utter_greet`), read line by line the way
//! Rasa 1.10's `StoryFileReader` reads them (spec §3): text-mode lines, single-line comments
//! removed, then the first character decides what a line is.

use compact_str::CompactString;
use serde_json::{Map, Value};

use crate::model::dialogue::{
    BlockKind, JsonValue, NameParameters, SkippedLine, SlotSet, Step, StepKind, StoryBlock,
    StoryFile, TurnEntity, UserAlternative,
};
use crate::rasa::RasaVersion;
use crate::source::{FileId, Span};
use crate::syntax::find;
use crate::syntax::json_span::{
    JsonPairs, json_key_span, json_string_value_span, pair_value, python_json_object, turn_entities,
};
use crate::syntax::problem::{Problem, ProblemKind};
use crate::syntax::python::{strip, strip_range, text_mode_lines};

/// Parses one Markdown story file.
pub fn parse_stories(file: FileId, text: &str) -> (StoryFile, Vec<Problem>) {
    let mut reader = StoryReader {
        file,
        text,
        stories: StoryFile::default(),
        problems: Vec::new(),
        pending: Vec::new(),
        has_comments: find::comment_open(text).is_some(),
        has_backticks: memchr::memchr(b'`', text.as_bytes()).is_some(),
    };
    let mut comment_opened: Option<Span> = None;
    for (index, range) in text_mode_lines(text).enumerate() {
        let line = reader.clean_line(text, range, index + 1);
        let Some(line) = line else { continue };
        if line.text.is_empty() {
            continue;
        }
        if line.text.starts_with("<!--") {
            comment_opened.get_or_insert(line.span.start..line.span.start + 4);
            continue;
        }
        if comment_opened.is_some() {
            if line.text.ends_with("-->") {
                comment_opened = None;
            }
            continue;
        }
        reader.read_line(&line);
    }
    reader.finish_block();
    reader.report_empty_blocks();
    reader.shrink_to_fit();
    if let Some(span) = comment_opened {
        reader.problems.push(
            Problem::new(
                ProblemKind::UnterminatedComment,
                file,
                span,
                "this comment is never closed on a line of its own",
            )
            .with_label("opened here")
            .with_help(
                "Rasa skips every line after it until a line ends with `-->`: close the comment",
            ),
        );
    }
    (reader.stories, reader.problems)
}

struct StoryReader<'s> {
    file: FileId,
    text: &'s str,
    stories: StoryFile,
    problems: Vec<Problem>,
    /// The steps of the last block, moved into it with their exact size when the block
    /// ends: one allocation per story instead of a vector grown step by step.
    pending: Vec<Step>,
    /// Whether the file has a `<!--` anywhere, and a back-tick: most have neither, and
    /// then no line is searched for them.
    has_comments: bool,
    has_backticks: bool,
}

/// A story line after comment removal and stripping.
struct Line<'t> {
    number: usize,
    /// The cleaned text Rasa goes on to read (borrowed unless a comment was removed).
    text: std::borrow::Cow<'t, str>,
    /// The stripped line in the source.
    span: Span,
    /// Where `text` starts in the comment-free line.
    strip_start: usize,
    /// Where the line starts in the source.
    base: usize,
    /// Kept pieces of the comment-free line when comments were removed: (offset in it,
    /// offset in the source). Empty when the line had none.
    pieces: Vec<(usize, usize)>,
}

impl Line<'_> {
    /// The source span of a range of `text`.
    fn source(&self, range: std::ops::Range<usize>) -> Span {
        let at = |offset: usize| {
            let offset = offset + self.strip_start;
            if self.pieces.is_empty() {
                return self.base + offset;
            }
            let piece = self.pieces.partition_point(|&(clean, _)| clean <= offset) - 1;
            let (clean, orig) = self.pieces[piece];
            orig + (offset - clean)
        };
        let start = at(range.start);
        let end = if range.end > range.start {
            at(range.end - 1) + 1
        } else {
            start
        };
        start..end
    }
}

impl StoryReader<'_> {
    /// Moves the pending steps into the last block, sized exactly.
    fn finish_block(&mut self) {
        if let Some(block) = self.stories.blocks.last_mut() {
            block.steps = self.pending.drain(..).collect();
        }
    }

    /// Gives back the room the list of blocks keeps for more.
    fn shrink_to_fit(&mut self) {
        self.stories.blocks.shrink_to_fit();
    }

    fn report_empty_blocks(&mut self) {
        let blocks = &self.stories.blocks;
        for (index, block) in blocks
            .iter()
            .enumerate()
            .filter(|(_, b)| b.steps.is_empty())
        {
            let next = blocks
                .get(index + 1)
                .filter(|next| self.lines_between(block, next) == 0);
            let diagnostic = match next {
                Some(next) => Problem::new(
                    ProblemKind::EmptySection,
                    self.file,
                    block.header_span.clone(),
                    format!("story `{}` has no steps: the next line starts another story, `{}`", block.name, next.name),
                )
                .with_help("Rasa drops this header; remove it, or use a `<!-- -->` comment for a label"),
                None => Problem::new(ProblemKind::EmptySection, self.file, block.header_span.clone(), format!("story `{}` has no steps", block.name))
                    .with_help("add the story's turns under the header, or remove it: Rasa drops an empty story"),
            };
            self.problems.push(diagnostic);
        }
    }

    /// How many line breaks separate one block's header from the next one's.
    fn lines_between(&self, block: &StoryBlock, next: &StoryBlock) -> usize {
        let between = &self.text[block.header_span.end..next.header_span.start];
        let breaks = between.matches(['\n', '\r']).count() - between.matches("\r\n").count();
        breaks.saturating_sub(1)
    }

    /// Removes complete `<!-- … -->` comments on the line, strips it, and reports back-ticks.
    fn clean_line<'t>(
        &mut self,
        text: &'t str,
        range: std::ops::Range<usize>,
        number: usize,
    ) -> Option<Line<'t>> {
        let raw = &text[range.clone()];
        if !self.has_comments || find::comment_open(raw).is_none() {
            let kept = strip_range(raw);
            let line = Line {
                number,
                text: std::borrow::Cow::Borrowed(&raw[kept.clone()]),
                span: range.start + kept.start..range.start + kept.end,
                strip_start: kept.start,
                base: range.start,
                pieces: Vec::new(),
            };
            return (!self.has_template_variable(&line)).then_some(line);
        }
        let mut cleaned = String::with_capacity(raw.len());
        let mut pieces = Vec::new();
        let mut from = 0;
        while let Some(open) = find::comment_open(&raw[from..]).map(|o| from + o) {
            let Some(close) = find::comment_close(&raw[open + 4..]).map(|c| open + 4 + c + 3)
            else {
                break;
            };
            pieces.push((cleaned.len(), range.start + from));
            cleaned.push_str(&raw[from..open]);
            from = close;
        }
        pieces.push((cleaned.len(), range.start + from));
        cleaned.push_str(&raw[from..]);
        pieces.dedup_by(|later, earlier| {
            later.0 == earlier.0 && {
                *earlier = *later;
                true
            }
        });
        let kept = strip_range(&cleaned);
        let mut line = Line {
            number,
            text: std::borrow::Cow::Owned(cleaned[kept.clone()].to_string()),
            span: 0..0,
            strip_start: kept.start,
            base: range.start,
            pieces,
        };
        line.span = line.source(0..line.text.len());
        if self.has_template_variable(&line) {
            return None;
        }
        Some(line)
    }

    /// Rasa replaces `` `name` `` from an (empty) variable map: any pair is an error.
    fn has_template_variable(&mut self, line: &Line) -> bool {
        if !self.has_backticks {
            return false;
        }
        let Some((open, close)) = template_variable(&line.text) else {
            return false;
        };
        let name = &line.text[open + 1..close];
        self.rasa_error(
            line.number,
            format!("Unknown variable `{name}` in template line '{}'", line.text),
        );
        self.problems.push(
            Problem::new(
                ProblemKind::BacktickInStory,
                self.file,
                line.source(open..close + 1),
                format!("Rasa reads `` `{name}` `` as a template variable"),
            )
            .with_help(
                "remove the back-ticks: Rasa 1.10 refuses the whole story file on this line",
            ),
        );
        true
    }

    fn rasa_error(&mut self, line: usize, message: String) {
        if self.stories.rasa_error.is_none() {
            self.stories.rasa_error = Some((line, format!("Error in line {line}: {message}")));
        }
    }

    fn read_line(&mut self, line: &Line) {
        let text: &str = &line.text;
        if let Some(rest) = text.strip_prefix('#') {
            let name = rest.trim_matches(|c| c == '#' || c == ' ');
            self.finish_block();
            self.stories.blocks.push(StoryBlock {
                name: name.into(),
                header_span: line.span.clone(),
                steps: Vec::new(),
                kind: BlockKind::Story,
                null_name: false,
            });
        } else if let Some(rest) = text.strip_prefix('>') {
            self.read_checkpoint(line, rest);
        } else if is_form_action_line(text) {
            // Lines written by the old FormAction in interactive-learning exports; Rasa skips them.
        } else if text.starts_with("-->") {
            self.report_stray_closer(line);
            self.read_event(line);
        } else if text.starts_with('-') {
            self.read_event(line);
        } else if let Some(rest) = text.strip_prefix('*') {
            self.read_user_turn(line, rest);
        } else {
            self.skip_line(line);
        }
    }

    fn skip_line(&mut self, line: &Line) {
        self.stories.skipped.push(SkippedLine {
            line: line.number,
            span: line.span.clone(),
            text: line.text.to_string(),
        });
        let help = if let Some(rest) = line.text.strip_prefix('\u{feff}') {
            format!(
                "the file starts with a byte-order mark (U+FEFF), so Rasa does not see `{rest}`: save the file as UTF-8 without BOM"
            )
        } else if looks_like_action(&line.text) {
            format!("write it as an action line: `  - {}`", line.text)
        } else {
            "story lines start with `#` (story), `*` (user turn), `-` (action or event) or `>` (checkpoint); use `<!-- -->` for notes".to_string()
        };
        self.problems.push(
            Problem::new(
                ProblemKind::InvalidStoryLine,
                self.file,
                line.span.clone(),
                "Rasa skips this line: it is no story header, user turn, action or checkpoint",
            )
            .with_help(help),
        );
    }

    /// The block a line belongs to; `what` names the line for the finding when there is
    /// none yet (a closure, so the hot path formats nothing).
    fn current_block(&mut self, line: &Line, what: impl FnOnce() -> String) -> Option<usize> {
        if self.stories.blocks.is_empty() {
            let what = what();
            self.rasa_error(
                line.number,
                format!("{what} is at an invalid location. Expected a story start."),
            );
            self.problems.push(
                Problem::new(ProblemKind::InvalidStoryLine, self.file, line.span.clone(), format!("this {what} comes before the first story header"))
                    .with_help("start the story with a `## story name` line; Rasa 1.10 refuses the whole file here"),
            );
            return None;
        }
        Some(self.stories.blocks.len() - 1)
    }

    /// Adds a step to `block`, which is always the last one (see [`Self::current_block`]).
    fn push_step(&mut self, block: usize, step: Step) {
        debug_assert_eq!(block + 1, self.stories.blocks.len());
        self.pending.push(step);
    }

    fn read_checkpoint(&mut self, line: &Line, rest: &str) {
        let offset = 1
            + (rest.len()
                - rest
                    .trim_start_matches(crate::syntax::python::is_space)
                    .len());
        let body = strip(rest);
        let Some((name, conditions)) = self.event_line(line, body, offset) else {
            return;
        };
        let Some(block) = self.current_block(line, || format!("checkpoint `{}`", name.0)) else {
            return;
        };
        self.push_step(
            block,
            Step::new(
                StepKind::Checkpoint {
                    name: name.0.into(),
                    conditions: (!conditions.is_empty()).then(|| Box::new(json_map(conditions))),
                },
                &line.span,
                &line.source(name.1),
            ),
        );
    }

    /// Python's `re.search("^([^{]+)([{].+)?", body)` plus the JSON object: the name (with its
    /// range in the line) and the parameters. `None` after reporting bad JSON.
    fn event_line<'b>(
        &mut self,
        line: &Line,
        body: &'b str,
        offset: usize,
    ) -> Option<(NamedRange<'b>, JsonPairs)> {
        let name_end = body.find('{').unwrap_or(body.len());
        if name_end == 0 {
            // Rasa: "Failed to parse action line" and an event with the empty name.
            self.report_empty_name(line);
            return Some((("", offset..offset), JsonPairs::new()));
        }
        let raw_name = &body[..name_end];
        let kept = strip_range(raw_name);
        let name = (
            &raw_name[kept.clone()],
            offset + kept.start..offset + kept.end,
        );
        if name.0.is_empty() {
            self.report_empty_name(line);
        }
        let json = &body[name_end..];
        if json.chars().count() < 2 {
            return Some((name, JsonPairs::new()));
        }
        match python_json_object(json) {
            Ok(Some(pairs)) => Some((name, pairs)),
            Ok(None) => {
                self.report_bad_event_json(
                    line,
                    offset + name_end..offset + body.len(),
                    "it is not a JSON object",
                );
                None
            }
            Err(e) => {
                self.report_bad_event_json(
                    line,
                    offset + name_end..offset + body.len(),
                    &e.to_string(),
                );
                None
            }
        }
    }

    /// `- utter_x <!-- note` without `-->` on the line: the comment becomes part of the name.
    fn report_open_comment_in_name(
        &mut self,
        line: &Line,
        name_range: &std::ops::Range<usize>,
        at: usize,
        name: &str,
    ) {
        let open = name_range.start + at;
        self.problems.push(
            Problem::new(ProblemKind::UnterminatedComment, self.file, line.source(open..open + 4), "this comment is not closed on its line")
                .with_label("opened here")
                .with_help(format!("Rasa reads the whole `{name}` as the action's name: close the comment with `-->` on the same line")),
        );
    }

    fn report_stray_closer(&mut self, line: &Line) {
        self.problems.push(
            Problem::new(ProblemKind::UnterminatedComment, self.file, line.span.clone(), "this `-->` closes no comment")
                .with_help("Rasa reads the line as an action named `->`: remove it, or open the comment it was meant to close with `<!--` at the start of a line"),
        );
    }

    /// `-`, `>` or `-{…}`: Rasa finds no name and adds an action or checkpoint named "".
    fn report_empty_name(&mut self, line: &Line) {
        let (what, article) = if line.text.starts_with('>') {
            ("checkpoint", "a checkpoint")
        } else {
            ("action", "an action")
        };
        self.problems.push(
            Problem::new(ProblemKind::InvalidStoryLine, self.file, line.span.clone(), format!("this line names no {what}"))
                .with_help(format!("Rasa adds {article} with an empty name here: write the name after `{}`, or remove the line", &line.text[..1])),
        );
    }

    fn report_bad_event_json(&mut self, line: &Line, range: std::ops::Range<usize>, reason: &str) {
        self.rasa_error(line.number, format!("Invalid to parse arguments in line '{}'. Failed to decode parameters as a json object.", line.text));
        self.problems.push(
            Problem::new(ProblemKind::InvalidJson, self.file, line.source(range), format!("the parameters are not one JSON object: {reason}"))
                .with_help("write them as a JSON object such as {\"name\": \"value\"} with nothing after it; Rasa 1.10 refuses the whole story file here"),
        );
    }

    fn read_event(&mut self, line: &Line) {
        let Some(((name, name_range), mut parameters)) = self.event_line(line, &line.text[1..], 1)
        else {
            return;
        };
        if let Some(at) = find::comment_open(name) {
            self.report_open_comment_in_name(line, &name_range, at, name);
        }
        let Some(kind) = self.event_kind(line, name, &name_range, &mut parameters) else {
            return;
        };
        let Some(block) = self.current_block(line, || format!("event `{name}`")) else {
            return;
        };
        self.push_step(block, Step::new(kind, &line.span, &line.source(name_range)));
    }

    /// A slot line's step: one slot per key of its object (whose pairs are moved into a
    /// list of their own size), each pointing at its key.
    fn slot_step(
        &self,
        line: &Line,
        name_range: &std::ops::Range<usize>,
        pairs: JsonPairs,
    ) -> StepKind {
        let object = line.source(name_range.clone()).end..line.span.end;
        let mut slots = Vec::with_capacity(pairs.len());
        slots.extend(pairs.into_iter().map(|(name, value)| {
            let name_span = json_key_span(self.text, object.clone(), &name)
                .unwrap_or_else(|| line.span.clone());
            SlotSet {
                name,
                value,
                name_span,
                by_name: false,
            }
        }));
        StepKind::Slot(slots)
    }

    /// Resolves `- name{…}` as Rasa's `Event.from_story_string` does.
    fn event_kind(
        &mut self,
        line: &Line,
        name: &str,
        name_range: &std::ops::Range<usize>,
        parameters: &mut JsonPairs,
    ) -> Option<StepKind> {
        let has_json = !parameters.is_empty();
        if !has_json && is_plain_action(name) {
            return Some(StepKind::Action {
                name: name.into(),
                parameters: self.name_parameters(line, parameters),
            });
        }
        if name != "slot" && pair_value(parameters, "name").is_none() {
            parameters.push(("name".into(), JsonValue::from(name)));
        }
        match name {
            "slot" if parameters.is_empty() => {
                self.report_unknown_event(
                    line,
                    name_range,
                    "Unknown event 'slot'. It is Neither an event nor an action).",
                    "`- slot` names no slot to set",
                    "write the slots to set: `- slot{\"name\": \"value\"}`",
                );
                None
            }
            // The parameters are not needed after this: moved, not copied.
            "slot" => Some(self.slot_step(line, name_range, std::mem::take(parameters))),
            "topic" => {
                self.report_unknown_event(
                    line,
                    name_range,
                    "Unknown event 'topic'. It is Neither an event nor an action).",
                    "`topic` events no longer exist in Rasa",
                    "remove the line",
                );
                None
            }
            "form" => Some(StepKind::Form {
                name: pair_value(parameters, "name")
                    .and_then(JsonValue::as_str)
                    .map(CompactString::from),
                parameters: self.name_parameters(line, parameters),
            }),
            "action" => Some(StepKind::Action {
                name: self.checked_action_name(line, name_range, parameters),
                parameters: self.name_parameters(line, parameters),
            }),
            "user" => self.user_event(line, name_range, parameters),
            "reminder" if !has_reminder_date(parameters) => {
                self.report_unknown_event(
                    line,
                    name_range,
                    "a reminder needs a `date_time`",
                    "`- reminder` has no valid `date_time`",
                    "give it a date: `- reminder{\"date_time\": \"2020-01-01T10:00:00\"}`",
                );
                None
            }
            _ if RasaVersion::V1.is_event_type(name) => Some(StepKind::Event {
                type_name: name.to_string(),
                parameters: Box::new(json_map(std::mem::take(parameters))),
            }),
            _ => {
                let action = self.checked_action_name(line, name_range, parameters);
                if has_json && let Some(meant) = misspelt_event(name) {
                    self.report_event_read_as_action(line, name, &action, name_range, meant);
                }
                Some(StepKind::Action {
                    name: action,
                    parameters: self.name_parameters(line, parameters),
                })
            }
        }
    }

    /// The `{…}` after an action or form line's name and where its `"name"` string is
    /// written; `None` (nothing allocated) on the common line without one.
    fn name_parameters(&self, line: &Line, parameters: &JsonPairs) -> Option<Box<NameParameters>> {
        // A `{` after the line's first character (memchr: every action line is searched).
        let open = memchr::memchr(b'{', line.text.get(1..)?.as_bytes())? + 1;
        let span = line.source(open..line.text.len());
        let name = pair_value(parameters, "name");
        let name_span = name
            .and_then(JsonValue::as_str)
            .and_then(|n| json_string_value_span(self.text, span.clone(), "name", n));
        Some(Box::new(NameParameters {
            span,
            name_span,
            name_not_text: name.is_some_and(|n| n.as_str().is_none() && !n.is_null()),
        }))
    }

    /// The action a line runs, reporting a `name` parameter that is no string (Rasa keeps
    /// the JSON value as the name, and the action can never exist).
    fn checked_action_name(
        &mut self,
        line: &Line,
        name_range: &std::ops::Range<usize>,
        parameters: &JsonPairs,
    ) -> CompactString {
        let name = action_name(parameters);
        if let Some(value) = pair_value(parameters, "name").filter(|v| v.as_str().is_none()) {
            self.problems.push(
                Problem::new(ProblemKind::UnknownEvent, self.file, line.source(name_range.clone()), format!("the action's `name` is `{value}`, not a string"))
                    .with_help("Rasa runs an action with that value as its name, which cannot exist: give the action's name as text"),
            );
        }
        name
    }

    /// `- user{"text": …, "parse_data": {…}}`: a user turn written as a raw event. Rasa reads
    /// the intent and entities from `parse_data` and fails without it.
    fn user_event(
        &mut self,
        line: &Line,
        name_range: &std::ops::Range<usize>,
        parameters: &JsonPairs,
    ) -> Option<StepKind> {
        let parse_data = pair_value(parameters, "parse_data").map(JsonValue::json);
        let Some(Value::Object(parse_data)) = parse_data.as_deref() else {
            self.report_unknown_event(
                line,
                name_range,
                "'NoneType' object has no attribute 'get'",
                "`- user` needs `parse_data` with the intent",
                "write the turn as `* intent{\"entity\": \"value\"}`",
            );
            return None;
        };
        let intent = parse_data
            .get("intent")
            .and_then(|i| i.get("name"))
            .and_then(Value::as_str)
            .map(CompactString::from);
        let entities = parse_data
            .get("entities")
            .and_then(Value::as_array)
            .map(|list| {
                let turn = line.source(name_range.clone());
                list.iter().filter_map(|e| raw_entity(e, &turn)).collect()
            })
            .unwrap_or_default();
        let text = pair_value(parameters, "text")
            .and_then(JsonValue::as_str)
            .unwrap_or_default();
        let mut alternative =
            UserAlternative::new(text.into(), intent, line.source(name_range.clone()));
        alternative.entities = entities;
        Some(StepKind::User(vec![alternative]))
    }

    /// `- actve_loop{…}`: Rasa quietly reads an unknown name with parameters as an action.
    fn report_event_read_as_action(
        &mut self,
        line: &Line,
        name: &str,
        action: &str,
        name_range: &std::ops::Range<usize>,
        meant: &str,
    ) {
        let help = if name == "active_loop" {
            "`active_loop` is a Rasa 2.x event; Rasa 1.x writes it `- form{\"name\": …}`"
                .to_string()
        } else {
            format!("did you mean `- {meant}{{…}}`?")
        };
        self.problems.push(
            Problem::new(ProblemKind::UnknownEvent, self.file, line.source(name_range.clone()), format!("`{name}` is no Rasa 1.10 event: Rasa runs this line as an action named `{action}`"))
                .with_help(help),
        );
    }

    fn report_unknown_event(
        &mut self,
        line: &Line,
        name_range: &std::ops::Range<usize>,
        rasa: &str,
        message: &str,
        help: &str,
    ) {
        self.rasa_error(line.number, rasa.to_string());
        self.problems.push(
            Problem::new(
                ProblemKind::UnknownEvent,
                self.file,
                line.source(name_range.clone()),
                message,
            )
            .with_help(format!(
                "{help}; Rasa 1.10 refuses the whole story file here"
            )),
        );
    }

    fn read_user_turn(&mut self, line: &Line, rest: &str) {
        // Sized exactly: a vector would grow to 4 on its first push, and most turns have
        // one alternative.
        let mut alternatives = Vec::with_capacity(find::split_or(rest).count());
        let mut offset = 1;
        for part in find::split_or(rest) {
            let kept = strip_range(part);
            alternatives.push(self.user_alternative(
                line,
                &part[kept.clone()],
                offset + kept.start,
            ));
            offset += part.len() + " OR ".len();
        }
        for alternative in &alternatives {
            if alternative
                .intent
                .as_deref()
                .is_some_and(is_end_to_end_turn)
            {
                self.report_end_to_end(alternative);
            }
        }
        let Some(block) = self.current_block(line, || "user turn".to_string()) else {
            return;
        };
        let name_span = alternatives
            .first()
            .map_or(line.span.clone(), |a| a.intent_span());
        self.push_step(
            block,
            Step::new(StepKind::User(alternatives), &line.span, &name_span),
        );
    }

    /// Rasa's `RegexInterpreter`: `^/?([^{@]+)(@[0-9.]+)?([{].+)?`.
    fn user_alternative(&mut self, line: &Line, text: &str, offset: usize) -> UserAlternative {
        // `^/?([^{@]+)`: the optional `/` is given back when nothing else can be the intent.
        let mut slash = usize::from(text.starts_with('/'));
        if slash == 1 && text[1..].find(['{', '@']).unwrap_or(text.len() - 1) == 0 {
            slash = 0;
        }
        let intent_end = slash + text[slash..].find(['{', '@']).unwrap_or(text.len() - slash);
        let mut alternative =
            UserAlternative::new(text.into(), None, line.source(offset..offset + text.len()));
        alternative.set_confidence(0.0);
        if intent_end == slash {
            return alternative;
        }
        let raw_intent = &text[slash..intent_end];
        let kept = strip_range(raw_intent);
        alternative.intent = Some(raw_intent[kept.clone()].into());
        alternative
            .set_intent_span(&line.source(offset + slash + kept.start..offset + slash + kept.end));
        let (confidence, after_confidence) = parse_confidence(text, intent_end);
        alternative.set_confidence(confidence);
        let json = &text[after_confidence..];
        if json.starts_with('{') && json.chars().count() >= 2 {
            let span = line.source(offset + after_confidence..offset + text.len());
            alternative.set_entities_span(Some(&span));
            let start = text[..after_confidence].chars().count();
            let end = start + json.chars().count();
            match python_json_object(json) {
                Ok(Some(pairs)) => {
                    alternative.entities = turn_entities(pairs, start..end, self.text, &span);
                }
                Ok(None) => self.report_bad_turn_json(span, "it is not a JSON object"),
                Err(e) => self.report_bad_turn_json(span, &e.to_string()),
            }
        }
        alternative
    }

    fn report_end_to_end(&mut self, alternative: &UserAlternative) {
        let intent = alternative.intent.as_deref().unwrap_or_default();
        let (name, text) = intent.split_once(':').unwrap_or((intent, ""));
        self.problems.push(
            Problem::new(
                ProblemKind::E2eTurnInTrainingStory,
                self.file,
                alternative.intent_span(),
                format!("Rasa reads `{intent}` as the intent's name"),
            )
            .with_help(format!(
                "end-to-end turns (`* {name}: {}`) only work in `rasa test` stories; in training stories write `* {name}`",
                text.trim()
            )),
        );
    }

    fn report_bad_turn_json(&mut self, span: Span, reason: &str) {
        self.problems.push(
            Problem::new(ProblemKind::InvalidJson, self.file, span, format!("the entities are not one JSON object: {reason}"))
                .with_help("write them as {\"entity\": \"value\"}; Rasa only logs a warning and trains this turn without its entities"),
        );
    }
}

/// The first `` `name` `` Rasa's template pattern `` `([^`]+)` `` finds: the positions of
/// its two back-ticks.
fn template_variable(text: &str) -> Option<(usize, usize)> {
    let mut ticks = memchr::memchr_iter(b'`', text.as_bytes()).peekable();
    while let Some(open) = ticks.next() {
        let close = *ticks.peek()?;
        if close > open + 1 {
            return Some((open, close));
        }
    }
    None
}

/// A name as written on a line, with its range in the line.
type NamedRange<'b> = (&'b str, std::ops::Range<usize>);

/// The event a name with parameters was probably meant to be: `active_loop` (2.x only)
/// or a name one or two edits away from an event name.
pub fn misspelt_event(name: &str) -> Option<&'static str> {
    const EVENTS: &[&str] = &[
        "slot",
        "form",
        "followup",
        "restart",
        "reset_slots",
        "rewind",
        "reminder",
        "cancel_reminder",
        "export",
        "pause",
        "resume",
        "undo",
        "action",
    ];
    if name == "active_loop" {
        return Some("form");
    }
    let prefixed = ["utter_", "action_", "respond_"]
        .iter()
        .any(|p| name.starts_with(p));
    // An event's own name is no misspelling of it.
    if prefixed || EVENTS.contains(&name) {
        return None;
    }
    EVENTS.iter().copied().find(|event| {
        name.len() > 2
            && crate::suggest::edit_distance(name, event) <= if event.len() > 5 { 2 } else { 1 }
    })
}

/// A name without parameters that Rasa can only read as an action (the common
/// `- utter_greet` line), which needs no event resolution.
fn is_plain_action(name: &str) -> bool {
    !matches!(
        name,
        "slot" | "topic" | "form" | "action" | "user" | "reminder"
    ) && !RasaVersion::V1.is_event_type(name)
}

/// An entity of a raw `- user` event's `parse_data`, shown at `turn`.
fn raw_entity(entity: &Value, turn: &Span) -> Option<TurnEntity> {
    let offset = |key: &str| {
        entity
            .get(key)
            .and_then(Value::as_u64)
            .map_or(0, |n| n as usize)
    };
    Some(TurnEntity::new(
        Some(entity.get("entity")?.as_str()?.into()),
        entity.get("value").map_or(JsonValue::NULL, JsonValue::from),
        (Some(offset("start")), Some(offset("end"))),
        turn.clone(),
    ))
}

/// Whether a reminder's `date_time` is something Rasa's date parser (dateutil) can read:
/// a string with at least a digit in it. (dateutil accepts far more shapes than this
/// checks; the common mistakes, a missing date or a word, are caught.)
fn has_reminder_date(parameters: &JsonPairs) -> bool {
    pair_value(parameters, "date_time")
        .and_then(JsonValue::as_str)
        .is_some_and(|d| d.chars().any(|c| c.is_ascii_digit()))
}

fn action_name(parameters: &JsonPairs) -> CompactString {
    match pair_value(parameters, "name") {
        Some(value) if value.is_null() => CompactString::default(),
        Some(value) => value
            .as_str()
            .map_or_else(|| value.to_string().into(), Into::into),
        None => CompactString::default(),
    }
}

/// An object's pairs as the JSON map the model keeps for rare parameters (an event's,
/// a checkpoint's conditions).
fn json_map(pairs: JsonPairs) -> Map<String, Value> {
    pairs
        .into_iter()
        .map(|(key, value)| (key.into(), value.to_json()))
        .collect()
}

/// `@0.5` after the intent: the confidence and where the text after it starts. Without a
/// valid `@[0-9.]+`, the confidence is 1.0 and nothing is consumed.
fn parse_confidence(text: &str, at: usize) -> (f64, usize) {
    let Some(rest) = text[at..].strip_prefix('@') else {
        return (1.0, at);
    };
    let digits = rest.len()
        - rest
            .trim_start_matches(|c: char| c.is_ascii_digit() || c == '.')
            .len();
    if digits == 0 {
        return (1.0, at);
    }
    let value = rest[..digits].parse().unwrap_or(0.0);
    (value, at + 1 + digits)
}

/// Whether a user turn's intent is really an end-to-end turn `intent: user text`: a name
/// without spaces, a colon, a space and some text.
pub fn is_end_to_end_turn(intent: &str) -> bool {
    // `memchr` for the colon first: most intents have none.
    memchr::memchr(b':', intent.as_bytes()).is_some()
        && intent.split_once(": ").is_some_and(|(name, text)| {
            !name.is_empty() && !name.contains(char::is_whitespace) && !text.trim().is_empty()
        })
}

/// `^[*\-]\s+form: `: lines the old FormAction wrote into exported stories.
pub fn is_form_action_line(text: &str) -> bool {
    // Asked of every line: most have no colon at all.
    if memchr::memchr(b':', text.as_bytes()).is_none() {
        return false;
    }
    let Some(rest) = text.strip_prefix(['*', '-']) else {
        return false;
    };
    let trimmed = rest.trim_start_matches(crate::syntax::python::is_space);
    trimmed.len() < rest.len() && trimmed.starts_with("form: ")
}

fn looks_like_action(text: &str) -> bool {
    text.starts_with("utter_") || text.starts_with("action_") || text.starts_with("respond_")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (StoryFile, Vec<Problem>) {
        parse_stories(FileId(0), text)
    }

    #[test]
    fn reads_turns_actions_and_events() {
        let (stories, diags) = parse(
            "## s\n* greet{\"name\": \"x\"} OR bye\n  - utter_hi\n  - slot{\"a\": 1}\n  - form{\"name\": null}\n> end\n",
        );
        assert!(diags.is_empty(), "{diags:?}");
        let steps = &stories.blocks[0].steps;
        let StepKind::User(alts) = &steps[0].kind else {
            panic!()
        };
        assert_eq!(alts[0].intent.as_deref(), Some("greet"));
        assert_eq!(alts[0].entities[0].value, Value::String("x".into()));
        assert_eq!(
            (alts[0].entities[0].start, alts[0].entities[0].end),
            (Some(5), Some(18))
        );
        assert_eq!(alts[1].intent.as_deref(), Some("bye"));
        assert!(
            matches!(&steps[1].kind, StepKind::Action { name, parameters: None } if name == "utter_hi")
        );
        assert!(matches!(steps[2].kind, StepKind::Slot(_)));
        assert!(matches!(&steps[3].kind, StepKind::Form { name: None, .. }));
        assert!(matches!(&steps[4].kind, StepKind::Checkpoint { name, .. } if name == "end"));
    }

    #[test]
    fn spans_point_at_names_after_comments() {
        let text = "## s\n* greet\n  - <!-- c --> utter_hi\n";
        let (stories, _) = parse(text);
        let step = &stories.blocks[0].steps[1];
        assert_eq!(&text[step.name_span()], "utter_hi");
    }

    #[test]
    fn unknown_lines_and_early_turns_are_reported() {
        let (stories, diags) = parse("* greet\n## s\nutter_x\n");
        assert_eq!(stories.skipped.len(), 1);
        let kinds: Vec<ProblemKind> = diags.iter().map(|d| d.kind).collect();
        use ProblemKind::{EmptySection, InvalidStoryLine};
        assert_eq!(kinds, [InvalidStoryLine, InvalidStoryLine, EmptySection]);
        assert!(stories.rasa_error.is_some());
    }
}
