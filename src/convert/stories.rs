//! Stories (`## story` / `* intent` / `  - action`) to Rasa 3 `stories:` YAML: every turn
//! and event, `OR` as `or:`, checkpoints, `slot{}` as `slot_was_set`, `form{}` as
//! `active_loop`, end-to-end turns as test stories.
//!
//! The input is the story file as rasalint's Rasa 1.10 reader put it into the model; the
//! output is YAML that Rasa 3.6 reads into the same story steps (the same events, the same
//! checkpoints, `or:` expanded as 1.10 expanded `OR`). What 1.10 read and 3.x cannot hold
//! is a [`Note`], and the line is kept as a YAML comment where it was, never dropped
//! silently. Markdown comments (`<!-- -->`), which the model does not keep, are found in
//! the text between the lines the model holds and become YAML comments at the same place.
//!
//! What changes on purpose (each with a note where a person might care):
//!
//! * a story with an end-to-end turn (`* greet: hello there`, as `rasa test --e2e` reads it)
//!   goes to the test stories, as `user:` text with `intent:`;
//! * `action_deactivate_form` becomes `action_deactivate_loop`, and `respond_x` retrieval
//!   actions `utter_x` (their 2.x/3.x names);
//! * `- restart`, `- reset_slots` and the other events without parameters that 3.x still
//!   has become `action: restart`..., which Rasa 3.6 reads as the same event;
//! * explicit `- action_listen` lines are kept (Rasa's own converter dropped them);
//! * what 3.x stories cannot say is left out with a note: a turn's `@0.7` confidence, an
//!   entity's null value (written without a value), an end checkpoint's conditions (which
//!   Rasa ignores anyway); lines Rasa 1.10 skipped (`- form: f`, unknown lines) and events
//!   3.x cannot hold (`- followup{"name": "x"}`, an action named `active_loop`) are kept as
//!   YAML comments with a note.
//!
//! Each Markdown file gives at most one training file and one test-stories file, its
//! stories in their order; the caller names and writes them.

use std::ops::Range;

use serde_json::Value;

use super::{Note, Notes};
use crate::model::Project;
use crate::model::dialogue::{SlotSet, Step, StepKind, StoryBlock, StoryFile, UserAlternative};
use crate::rasa::RasaVersion;
use crate::source::{FileId, Span};
use crate::syntax::entities::{Grammar, RawForm, find_annotations};
use crate::syntax::python::text_mode_lines;

/// One Markdown story file written as Rasa 3 YAML.
#[derive(Debug, Clone, PartialEq)]
pub struct ConvertedStories {
    /// The training stories: a whole YAML file (`version: "3.1"`, `stories:`), `None` when
    /// the file has none (Markdown has no rules, so there is no `rules:`).
    pub training: Option<String>,
    /// The stories with end-to-end turns, as Rasa 3 test stories: a whole YAML file, to be
    /// written where `rasa test` finds it (a name starting with `test_`, e.g.
    /// `tests/test_<stem>.yml`); `None` when there are none.
    pub tests: Option<String>,
    /// How many stories went to `training` and to `tests` (stories without steps, kept
    /// as comments, not counted), for the summary.
    pub stories: usize,
    pub test_stories: usize,
    /// What could not be carried over faithfully (for a person), and what was changed
    /// keeping the meaning, with where.
    pub notes: Notes,
}

/// The version written at the top of every converted file: what Rasa 3.6 reads without a
/// warning.
pub const TRAINING_DATA_VERSION: &str = "3.1";

/// Converts the Markdown story file `file` of `project` (as its Rasa 1.10 reader read it).
/// A file that is no Markdown story file gives nothing; one Rasa 1.10 refuses gives only a
/// note (there is no reading to carry over).
pub fn convert_story_file(project: &Project, file: FileId) -> ConvertedStories {
    let mut out = ConvertedStories {
        training: None,
        tests: None,
        stories: 0,
        test_stories: 0,
        notes: Notes::new(file),
    };
    let (Some(source), Some(parts)) = (
        project.files.get(file.index()),
        project.parts.get(file.index()),
    ) else {
        return out;
    };
    let Some(stories) = parts.stories.as_ref().filter(|s| !s.is_yaml()) else {
        return out;
    };
    if let Some((line, error)) = &stories.rasa_error {
        let lines: Vec<_> = text_mode_lines(&source.text).collect();
        out.notes.push(note(
            file,
            lines.get(line.saturating_sub(1)).cloned(),
            format!("Rasa 1.10 refuses this story file ({error}): it was not converted"),
        ));
        return out;
    }
    let converter = Converter::new(file, &source.text, stories);
    converter.run(&mut out);
    out
}

fn note(file: FileId, span: Option<Span>, message: impl Into<String>) -> Note {
    Note {
        file,
        span,
        message: message.into(),
    }
}

/// Which output a piece goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Training,
    Tests,
}

/// A line of output: YAML, or a comment (kept apart so that comments can be made safe for
/// Rasa's `\u` pre-decoding of all-ASCII files when the whole file is known).
enum Out {
    Yaml(String),
    Comment { indent: usize, text: String },
}

#[derive(Default)]
struct Document {
    lines: Vec<Out>,
    stories: usize,
}

impl Document {
    fn yaml(&mut self, indent: usize, line: impl AsRef<str>) {
        self.lines
            .push(Out::Yaml(format!("{:indent$}{}", "", line.as_ref())));
    }

    /// A comment line; characters YAML cannot hold unescaped (a tab, a byte-order mark)
    /// become spaces, as a comment cannot escape them.
    fn comment(&mut self, indent: usize, text: &str) {
        let text: String = text
            .chars()
            .map(|c| if needs_escape(c) { ' ' } else { c })
            .collect();
        self.lines.push(Out::Comment {
            indent,
            text: text.trim().to_string(),
        });
    }

    /// The whole file, or `None` when nothing goes to it.
    fn render(self) -> Option<String> {
        if self.lines.is_empty() {
            return None;
        }
        // Only comments (a file of empty stories): an empty list, which the schema takes.
        let list = if self.stories == 0 { " []" } else { "" };
        let mut text = format!("version: \"{TRAINING_DATA_VERSION}\"\nstories:{list}\n");
        for line in &self.lines {
            match line {
                Out::Yaml(line) => text.push_str(line),
                Out::Comment { indent, text: body } if body.is_empty() => {
                    text.push_str(&format!("{:indent$}#", ""));
                }
                Out::Comment { indent, text: body } => {
                    text.push_str(&format!("{:indent$}# {body}", ""));
                }
            }
            text.push('\n');
        }
        if text.is_ascii() {
            text = safe_for_ascii_decoding(&text);
        }
        Some(text)
    }
}

/// Rasa reads a file of ASCII characters only after decoding every `\uXXXX` in it, even in
/// comments, and crashes on a `\u` without four hex digits (spec rasa-yaml §2.5). The YAML
/// written here has no `\u` outside comments (scalars escape a backslash as `\\`), so in
/// comments a backslash before `u`/`U` is doubled: Rasa then leaves it alone.
fn safe_for_ascii_decoding(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        if !line.trim_start().starts_with('#') || !line.contains('\\') {
            out.push_str(line);
            continue;
        }
        let mut backslashes = 0;
        for c in line.chars() {
            if (c == 'u' || c == 'U') && backslashes % 2 == 1 {
                out.push('\\');
            }
            backslashes = if c == '\\' { backslashes + 1 } else { 0 };
            out.push(c);
        }
    }
    out
}

struct Converter<'a> {
    file: FileId,
    text: &'a str,
    stories: &'a StoryFile,
    /// The file's lines as Rasa reads them (text-mode), as byte ranges.
    lines: Vec<Range<usize>>,
    training: Document,
    tests: Document,
    notes: Notes,
}

impl<'a> Converter<'a> {
    fn new(file: FileId, text: &'a str, stories: &'a StoryFile) -> Self {
        Converter {
            file,
            text,
            stories,
            lines: text_mode_lines(text).collect(),
            training: Document::default(),
            tests: Document::default(),
            notes: Notes::new(file),
        }
    }

    fn run(mut self, out: &mut ConvertedStories) {
        let mut next_line = 0;
        let mut last_target = None;
        let mut last_indent = 0;
        let targets = targets(&self.stories.blocks);
        self.note_end_to_end(&targets);
        for (block, &target) in self.stories.blocks.iter().zip(&targets) {
            let header_line = self.line_of(block.header_span.start);
            self.gap(next_line, header_line, target, 0);
            next_line = header_line + 1;
            if block.steps.is_empty() {
                self.empty_block(block, header_line, target);
            } else {
                next_line = self.block(block, header_line, target);
            }
            last_target = Some(target);
            last_indent = if block.steps.is_empty() { 0 } else { 2 };
        }
        // What follows the last story's steps is written among them.
        self.gap(
            next_line,
            self.lines.len(),
            last_target.unwrap_or(Target::Training),
            last_indent,
        );
        out.stories = self.training.stories;
        out.test_stories = self.tests.stories;
        out.training = self.training.render();
        out.tests = self.tests.render();
        out.notes = self.notes;
    }

    fn doc(&mut self, target: Target) -> &mut Document {
        match target {
            Target::Training => &mut self.training,
            Target::Tests => &mut self.tests,
        }
    }

    /// The index of the line holding byte `offset`.
    fn line_of(&self, offset: usize) -> usize {
        self.lines
            .partition_point(|l| l.end < offset)
            .min(self.lines.len().saturating_sub(1))
    }

    fn line_text(&self, line: usize) -> &'a str {
        self.lines.get(line).map_or("", |r| &self.text[r.clone()])
    }

    fn line_span(&self, line: usize) -> Option<Span> {
        self.lines.get(line).cloned()
    }

    /// One note for a file that mixes training stories and stories with end-to-end turns:
    /// Rasa 1.10 trains on the latter with `greet: hello` as the intent's name.
    fn note_end_to_end(&mut self, targets: &[Target]) {
        let with_steps = || {
            self.stories
                .blocks
                .iter()
                .zip(targets)
                .filter(|(b, _)| !b.steps.is_empty())
        };
        let tests = with_steps().filter(|(_, t)| **t == Target::Tests).count();
        let all = with_steps().count();
        if tests == 0 {
            return;
        }
        for (block, target) in self.stories.blocks.iter().zip(targets) {
            let mixed = block.steps.iter().any(|s| {
                matches!(&s.kind, StepKind::User(alternatives) if alternatives.iter().any(|a| end_to_end(a).is_none()))
            });
            if *target == Target::Tests && mixed {
                self.notes.push(note(self.file, Some(block.header_span.clone()), format!(
                    "story `{}` mixes end-to-end turns (`* intent: text`) and plain turns: written to the test stories; Rasa 1.10's `rasa test --e2e` refuses a plain turn there", block.name)));
            }
        }
        if tests < all {
            let first = self
                .stories
                .blocks
                .iter()
                .zip(targets)
                .find(|(_, t)| **t == Target::Tests)
                .map(|(b, _)| b.header_span.clone());
            self.notes.push(note(self.file, first, format!(
                "{tests} of the file's {} stories have end-to-end turns (`* greet: hello there`): they are written as test stories; as training data Rasa 1.10 read each such turn's whole text as the intent's name", all)));
        }
    }

    /// A block without steps: Rasa drops it (1.10 and 3.6); kept as a comment.
    fn empty_block(&mut self, block: &StoryBlock, header_line: usize, target: Target) {
        let header = self.line_text(header_line).trim().to_string();
        self.doc(target).comment(0, &header);
        // Rasa 1.10 drops it too: the bot means the same.
        self.notes.push_change(note(
            self.file,
            Some(block.header_span.clone()),
            format!(
                "story `{}` has no steps, so Rasa drops it: kept as a comment",
                block.name
            ),
        ));
    }

    /// Writes a block; returns the line after its last step.
    fn block(&mut self, block: &StoryBlock, header_line: usize, target: Target) -> usize {
        let inline = self.inline_comments(header_line);
        let name = scalar(&block.name);
        let doc = self.doc(target);
        doc.stories += 1;
        doc.yaml(0, format!("- story: {name}{inline}"));
        doc.yaml(0, "  steps:");
        let mut next_line = header_line + 1;
        let mut started = false;
        let mut previous: Option<&Step> = None;
        for step in &block.steps {
            let line = self.line_of(step.span().start);
            self.gap(next_line, line, target, 2);
            self.check_form_action(step, previous);
            previous = Some(step);
            let inline = self.inline_comments(line);
            self.step(step, target, &inline, started);
            started |= !matches!(step.kind, StepKind::Checkpoint { .. });
            next_line = line + 1;
        }
        next_line
    }

    /// Rasa 2 and 3 expect a form's action right before its activation (`- action: f`,
    /// `- active_loop: f`), as 1.x stories usually have it; a story without it is kept as
    /// written (adding the action would change what the tracker sees), with a note.
    fn check_form_action(&mut self, step: &Step, previous: Option<&Step>) {
        let StepKind::Form {
            name: Some(form), ..
        } = &step.kind
        else {
            return;
        };
        let ran = previous
            .is_some_and(|p| matches!(&p.kind, StepKind::Action { name, .. } if name == form));
        if !ran {
            self.notes.push(note(self.file, Some(step.span()), format!(
                "the form `{form}` is activated without its action right before: Rasa 3 stories run `- action: {form}` before `- active_loop: {form}`; kept as written, add the action if the form starts here")));
        }
    }

    /// The comments and the lines Rasa 1.10 skipped between two lines the model holds,
    /// as YAML comments at `indent`, following 1.10's comment rules (spec rasa-markdown
    /// §3.1): `<!-- … -->` on a line removed, a line starting with `<!--` opens a comment
    /// that a line ending with `-->` closes.
    fn gap(&mut self, from: usize, to: usize, target: Target, indent: usize) {
        let mut in_comment = false;
        let mut comments: Vec<String> = Vec::new();
        for line in from..to.min(self.lines.len()) {
            let raw = self.line_text(line);
            let (cleaned, inner) = remove_comments(raw);
            if in_comment {
                let mut body = raw.trim();
                if !cleaned.is_empty() && !cleaned.starts_with("<!--") && cleaned.ends_with("-->") {
                    in_comment = false;
                    body = body.strip_suffix("-->").unwrap_or(body).trim_end();
                    if body.is_empty() {
                        continue;
                    }
                }
                comments.push(body.trim_end().to_string());
                continue;
            }
            comments.extend(inner);
            if cleaned.is_empty() {
                continue;
            }
            if let Some(rest) = cleaned.strip_prefix("<!--") {
                in_comment = true;
                if !rest.trim().is_empty() {
                    comments.push(rest.trim().to_string());
                }
                continue;
            }
            // A line Rasa 1.10 read without making anything of it.
            // A `form:` line is a known leftover, kept with the meaning it had; another
            // line may be a mistake a person should see.
            let form_line = crate::syntax::stories::is_form_action_line(&cleaned);
            let why = if form_line {
                "Rasa 1.10 skips `form:` lines (written by interactive learning for the old FormAction)"
            } else {
                "Rasa 1.10 skips this line (no story header, turn, event or checkpoint)"
            };
            let skipped = note(
                self.file,
                self.line_span(line),
                format!("{why}: kept as a comment"),
            );
            if form_line {
                self.notes.push_change(skipped);
            } else {
                self.notes.push(skipped);
            }
            comments.push(cleaned);
        }
        if in_comment && to >= self.lines.len() {
            self.notes.push(note(self.file, self.line_span(from), "a comment is never closed: Rasa 1.10 skipped every line after it, which are comments in the YAML too"));
        }
        let doc = self.doc(target);
        for comment in comments {
            doc.comment(indent, &comment);
        }
    }

    /// The complete `<!-- … -->` comments of a line the model holds, as a YAML comment to
    /// put after the line's YAML (`""` without any).
    fn inline_comments(&self, line: usize) -> String {
        let (_, inner) = remove_comments(self.line_text(line));
        let inner: Vec<String> = inner.into_iter().filter(|c| !c.is_empty()).collect();
        if inner.is_empty() {
            String::new()
        } else {
            format!("  # {}", inner.join(" / "))
        }
    }

    /// Writes one step; `started`: an event came before it in the block (so a checkpoint
    /// is an end or intermediate one).
    fn step(&mut self, step: &Step, target: Target, inline: &str, started: bool) {
        let file = self.file;
        let mut notes = Notes::new(file);
        let mut lines: Vec<String> = Vec::new();
        match &step.kind {
            StepKind::Checkpoint { name, conditions } => {
                lines.push(format!("- checkpoint: {}", scalar(name)));
                if started && conditions.is_some() {
                    notes.push(note(file, Some(step.span()), "an end or intermediate checkpoint's conditions, which Rasa ignores (1.10 and 3.6, with a warning), are left out"));
                } else if let Some(conditions) = conditions {
                    lines.push("  slot_was_set:".into());
                    for (slot, value) in conditions.iter() {
                        lines.push(format!("  - {}: {}", scalar(slot), flow(value)));
                    }
                }
            }
            StepKind::User(alternatives) => {
                let turns: Vec<Vec<String>> = alternatives
                    .iter()
                    .map(|a| self.user(a, step, &mut notes))
                    .collect();
                if let [turn] = turns.as_slice() {
                    lines.extend(turn.iter().cloned());
                } else {
                    lines.push("- or:".into());
                    for turn in turns {
                        lines.extend(turn.into_iter().map(|l| format!("  {l}")));
                    }
                }
            }
            StepKind::Action { name, .. } => {
                if let Some(action) = self.action(name, step, &mut notes) {
                    lines.push(format!("- action: {}", scalar(&action)));
                }
            }
            StepKind::Slot(slots) => {
                lines.push("- slot_was_set:".into());
                lines.extend(slots.iter().map(slot_item));
            }
            StepKind::Form { name, .. } => {
                let value = name.as_deref().map_or("null".to_string(), scalar);
                lines.push(format!("- active_loop: {value}"));
            }
            StepKind::Event {
                type_name,
                parameters,
            } => {
                if let Some(action) = event_as_action(type_name, parameters) {
                    lines.push(format!("- action: {}", scalar(action)));
                    notes.push_change(note(file, Some(step.span()), format!(
                        "the `{type_name}` event is written `action: {action}`, which Rasa 3.6 reads as the same event (Rasa's own converter dropped it)")));
                } else {
                    notes.push(note(file, Some(step.span()), format!(
                        "Rasa 3 stories cannot hold the `{type_name}` event with these parameters: kept as a comment, a person must decide")));
                }
            }
            // Markdown never has these (YAML only).
            StepKind::Bot(_) | StepKind::Or(_) => {}
        }
        self.notes.append(notes);
        let source = self.text[step.span()].to_string();
        let doc = self.doc(target);
        if lines.is_empty() {
            doc.comment(2, &source);
            return;
        }
        for (index, line) in lines.iter().enumerate() {
            let suffix = if index == 0 { inline } else { "" };
            doc.yaml(2, format!("{line}{suffix}"));
        }
    }

    /// The YAML of one alternative of a user turn, relative to its `- `.
    fn user(&self, alternative: &UserAlternative, step: &Step, notes: &mut Notes) -> Vec<String> {
        let span = Some(step.span());
        if let Some(e2e) = end_to_end(alternative) {
            if find_annotations(e2e.message, Grammar::Rasa2)
                .iter()
                .any(|a| a.form == RawForm::List)
            {
                notes.push(note(self.file, span.clone(), "the text has `[x][…]`, which Rasa 3 reads as an annotation (Rasa 1.10 as text): check the converted `user:` text"));
            }
            if e2e.entities_ignored {
                notes.push(note(self.file, span, "the `{…}` between an end-to-end turn's intent and its text is ignored by Rasa 1.10 and left out: annotate the text instead"));
            }
            return vec![
                format!("- user: {}", quoted(e2e.message)),
                format!("  intent: {}", scalar(e2e.intent.trim())),
            ];
        }
        let intent = alternative.intent.as_deref().unwrap_or_default();
        if alternative.intent.is_none() {
            notes.push(note(
                self.file,
                span.clone(),
                "a user turn without an intent: written `intent: \"\"`, which Rasa 3.6 warns about",
            ));
        } else if alternative.confidence() != 1.0 {
            notes.push(note(
                self.file,
                span.clone(),
                format!(
                    "the confidence `@{}` is dropped: Rasa 3 stories have none",
                    alternative.confidence()
                ),
            ));
        }
        if let Some((base, _)) = intent.split_once('/') {
            notes.push(note(self.file, span.clone(), format!(
                "`{intent}` is a full retrieval intent: in training stories Rasa 3.6 reads only `{base}` (with a warning), where Rasa 1.10 read the whole name")));
        }
        if alternative.entities_span().is_some() && alternative.entities.is_empty() {
            notes.push(note(self.file, span.clone(), "Rasa 1.10 could not read the entities of this turn (not a JSON object) and dropped them: so does the YAML"));
        }
        let mut lines = vec![format!("- intent: {}", scalar(intent))];
        if alternative.entities.is_empty() {
            return lines;
        }
        lines.push("  entities:".into());
        for entity in &alternative.entities {
            let name = entity.name();
            if name == "role" || name == "group" {
                notes.push(note(self.file, span.clone(), format!(
                    "an entity named `{name}`: Rasa 3 reads `- {name}: …` in `entities:` as the role or group of an entity, not as an entity")));
            }
            if entity.value.is_null() {
                notes.push(note(self.file, span.clone(), format!(
                    "the entity `{name}` has the value null, which Rasa 3 stories cannot write: written without a value (Rasa 3.6 reads \"\")")));
                lines.push(format!("  - {}", scalar(name)));
            } else {
                lines.push(format!(
                    "  - {}: {}",
                    scalar(name),
                    flow(&entity.value.json())
                ));
            }
        }
        lines
    }

    /// The action a line runs, by its 3.x name; `None` (with a note) when it cannot be
    /// written.
    fn action(&self, name: &str, step: &Step, notes: &mut Notes) -> Option<String> {
        let span = Some(step.span());
        if name.is_empty() {
            notes.push(note(self.file, span, "an action without a name: Rasa 3.6 skips `action: \"\"`, so it is kept as a comment"));
            return None;
        }
        if RasaVersion::V3.is_event_type(name) || matches!(name, "slot" | "topic" | "form") {
            notes.push(note(self.file, span, format!(
                "Rasa 1.10 runs an action named `{name}` here, but Rasa 3.6 reads `action: {name}` as an event (or refuses it): kept as a comment, a person must decide")));
            return None;
        }
        if name == "action_deactivate_form" {
            notes.push_change(note(
                self.file,
                span,
                "`action_deactivate_form` is `action_deactivate_loop` in Rasa 2 and 3: renamed",
            ));
            return Some("action_deactivate_loop".into());
        }
        if let Some(rest) = name.strip_prefix("respond_") {
            notes.push_change(note(self.file, span, format!(
                "the retrieval action `{name}` is `utter_{rest}` in Rasa 2 and 3: renamed (rename it in the domain too)")));
            return Some(format!("utter_{rest}"));
        }
        Some(name.to_string())
    }
}

/// Where each block goes: a block with an end-to-end turn is a test story; a block
/// without steps (kept as a comment) goes with the next block that has steps, else the
/// one before, so that a file's title comments stay in it.
fn targets(blocks: &[StoryBlock]) -> Vec<Target> {
    let own: Vec<Option<Target>> = blocks
        .iter()
        .map(|b| (!b.steps.is_empty()).then(|| target_of(b)))
        .collect();
    let mut targets = vec![Target::Training; blocks.len()];
    let mut next = None;
    for (index, target) in own.iter().enumerate().rev() {
        next = target.or(next);
        targets[index] = next.unwrap_or(Target::Training);
    }
    let last = own.iter().rposition(Option::is_some);
    let mut previous = None;
    for (index, target) in own.iter().enumerate() {
        previous = target.or(previous);
        if last.is_none_or(|last| index > last) {
            targets[index] = previous.unwrap_or(Target::Training);
        }
    }
    targets
}

/// Where a block with steps goes: with an end-to-end turn, to the test stories.
fn target_of(block: &StoryBlock) -> Target {
    let e2e = block.steps.iter().any(|s| match &s.kind {
        StepKind::User(alternatives) => alternatives.iter().any(|a| end_to_end(a).is_some()),
        _ => false,
    });
    if e2e { Target::Tests } else { Target::Training }
}

/// An end-to-end turn as Rasa 1.10's `EndToEndReader` reads it.
struct EndToEnd<'t> {
    intent: &'t str,
    message: &'t str,
    /// A `{…}` written between the intent and the colon, which 1.10 ignores.
    entities_ignored: bool,
}

/// Rasa 1.10's `\s*(form: \s*)*([^{}]+?)({.*})*:\s*(.*)`, matched against the turn's text
/// (the `form: ` prefix cannot occur: 1.10 skips those lines before).
fn end_to_end(alternative: &UserAlternative) -> Option<EndToEnd<'_>> {
    static PATTERN: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"^\s*(?:form: \s*)*([^{}]+?)(\{.*\})*:\s*(.*)").expect("valid regex")
    });
    // Only turns 1.10 read with a colon in the intent's name: others cannot be one.
    if !alternative.text.contains(':') {
        return None;
    }
    let captures = PATTERN.captures(&alternative.text)?;
    Some(EndToEnd {
        intent: captures.get(1)?.as_str(),
        message: captures.get(3).map_or("", |m| m.as_str()),
        entities_ignored: captures.get(2).is_some(),
    })
}

/// `line` without its complete `<!-- … -->` comments (non-greedy, as 1.10's
/// `re.sub(r"<!--.*?-->", "", line)`), stripped, and the comments' inner texts.
fn remove_comments(line: &str) -> (String, Vec<String>) {
    let mut cleaned = String::with_capacity(line.len());
    let mut inner = Vec::new();
    let mut from = 0;
    while let Some(open) = crate::syntax::find::comment_open(&line[from..]).map(|o| from + o) {
        let Some(close) = crate::syntax::find::comment_close(&line[open + 4..]) else {
            break;
        };
        cleaned.push_str(&line[from..open]);
        inner.push(line[open + 4..open + 4 + close].trim().to_string());
        from = open + 4 + close + 3;
    }
    cleaned.push_str(&line[from..]);
    (crate::syntax::python::strip(&cleaned).to_string(), inner)
}

/// The `action:` name under which Rasa 3.6 reads the same event as 1.10's `- type_name`
/// line (spec rasa-yaml §5.4: an `action:` value that names an event type is that event,
/// with no parameters but its name): only for events whose parameters change nothing.
fn event_as_action<'n>(
    type_name: &'n str,
    parameters: &serde_json::Map<String, Value>,
) -> Option<&'n str> {
    let only_name = parameters
        .iter()
        .all(|(k, v)| k == "name" && v.as_str() == Some(type_name));
    match type_name {
        // They read no parameters at all.
        "restart" | "rewind" | "reset_slots" | "undo" | "pause" | "resume" | "session_started" => {
            Some(type_name)
        }
        // Their parameters name an action or a path that `action:` cannot give.
        "followup" | "export" if only_name => Some(type_name),
        _ => None,
    }
}

fn slot_item(slot: &SlotSet) -> String {
    format!("  - {}: {}", scalar(&slot.name), flow(&slot.value.json()))
}

/// A string as a YAML scalar Rasa 3.6 reads back as that string: plain when nothing in it
/// can be misread (a name such as `utter_greet` or `happy path`), else double-quoted.
pub fn scalar(text: &str) -> String {
    if is_safe_plain(text) {
        text.to_string()
    } else {
        quoted(text)
    }
}

/// Whether `text` can be a plain scalar, in block and flow context, that YAML 1.2 (and
/// 1.1, for other readers) reads as this very string: it starts with a letter or `_`, holds
/// only letters, digits, `_`, `-`, `.`, `/` and single inner spaces, and is no word YAML
/// gives another meaning.
fn is_safe_plain(text: &str) -> bool {
    // YAML 1.1's booleans too, for readers other than Rasa's.
    const WORDS: &[&str] = &["null", "true", "false", "yes", "no", "on", "off", "y", "n"];
    super::yaml_out::is_name_like(text) && !WORDS.contains(&text.to_ascii_lowercase().as_str())
}

/// `text` as a quoted YAML scalar: single-quoted when that needs no escape and saves some
/// (a text with `"` in it, such as a JSON annotation), else double-quoted with YAML's own
/// escapes, never `\u` for a printable character, so that the text survives Rasa's `\u`
/// pre-decoding of ASCII files (a single-quoted scalar has no escapes, so one with a `\`
/// is double-quoted, its backslash doubled).
pub fn quoted(text: &str) -> String {
    if text.contains('"') && !text.contains(['\'', '\\']) && !text.chars().any(needs_escape) {
        return format!("'{text}'");
    }
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\0' => out.push_str("\\0"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\u{85}' => out.push_str("\\N"),
            '\u{2028}' => out.push_str("\\L"),
            '\u{2029}' => out.push_str("\\P"),
            '\u{feff}' | '\u{fffe}' | '\u{ffff}' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c if needs_escape(c) => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Characters a YAML scalar cannot hold as they are: control characters (tab included,
/// which Rasa's first YAML pass refuses outside quotes), line and paragraph separators,
/// and the non-characters YAML refuses.
fn needs_escape(c: char) -> bool {
    let code = c as u32;
    code < 0x20
        || (0x7f..0xa0).contains(&code)
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
        )
}

/// A JSON value as a YAML flow value that Rasa 3.6 reads back as the same value (strings
/// stay strings, numbers numbers, `null`, booleans, lists and objects as they are).
pub fn flow(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => scalar(s),
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(flow).collect();
            format!("[{}]", items.join(", "))
        }
        Value::Object(map) => {
            let items: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{}: {}", scalar(k), flow(v)))
                .collect();
            format!("{{{}}}", items.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::FileParts;
    use crate::source::SourceFile;

    fn convert(text: &str) -> ConvertedStories {
        let (stories, _) = crate::syntax::stories::parse_stories(FileId(0), text);
        let file = SourceFile::new("stories.md".into(), "stories.md".into(), text.into());
        let project = Project::new(
            std::path::PathBuf::new(),
            vec![file],
            vec![FileParts::stories(stories)],
        );
        convert_story_file(&project, FileId(0))
    }

    #[test]
    fn a_training_file_with_end_to_end_stories_is_split_with_a_note() {
        let out = convert(
            "## train\n* greet\n  - utter_hi\n\n## test\n* greet: hello\n  - utter_hi\n* bye\n",
        );
        assert_eq!((out.stories, out.test_stories), (1, 1));
        let training = out.training.expect("training stories");
        let tests = out.tests.expect("test stories");
        assert!(training.contains("- story: train") && !training.contains("test"));
        assert!(
            tests.contains("- user: \"hello\"\n    intent: greet"),
            "{tests}"
        );
        assert!(tests.contains("  - intent: bye"), "{tests}");
        let notes: Vec<&str> = out.notes.iter().map(|n| n.message.as_str()).collect();
        assert_eq!(notes.len(), 2, "{notes:?}");
        assert!(notes[0].contains("mixes end-to-end turns"));
        assert!(notes[1].starts_with("1 of the file's 2 stories"));
    }

    #[test]
    fn comments_stay_where_they_were() {
        let text = "<!-- top -->\n## s <!-- name -->\n* greet\n<!--\n  two\n  lines\n-->\n  - utter_hi <!-- why -->\n";
        let training = convert(text).training.expect("stories");
        assert_eq!(
            training,
            "version: \"3.1\"\nstories:\n# top\n- story: s  # name\n  steps:\n  - intent: greet\n  # two\n  # lines\n  - action: utter_hi  # why\n"
        );
    }

    #[test]
    fn an_unclosed_comment_swallows_the_rest_as_comments_with_a_note() {
        let out = convert("## s\n* greet\n<!-- open\n  - utter_hi\n");
        let training = out.training.expect("stories");
        assert!(
            training.ends_with("  - intent: greet\n  # open\n  # - utter_hi\n"),
            "{training}"
        );
        assert!(out.notes.needs_person[0].message.contains("never closed"));
    }

    #[test]
    fn a_yaml_story_file_is_left_alone() {
        let stories = StoryFile {
            syntax: crate::model::dialogue::StorySyntax::Yaml,
            ..StoryFile::default()
        };
        let file = SourceFile::new("s.yml".into(), "s.yml".into(), "stories: []\n".into());
        let project = Project::new(
            std::path::PathBuf::new(),
            vec![file],
            vec![FileParts::stories(stories)],
        );
        let out = convert_story_file(&project, FileId(0));
        assert_eq!((out.training, out.tests, out.stories), (None, None, 0));
        assert!(out.notes.is_empty());
    }

    #[test]
    fn a_file_rasa_refuses_is_not_converted() {
        let out = convert("* greet\n## s\n");
        assert_eq!((out.training, out.tests), (None, None));
        assert!(
            out.notes.needs_person[0]
                .message
                .starts_with("Rasa 1.10 refuses this story file")
        );
        assert_eq!(out.notes.needs_person[0].span, Some(0..7));
    }

    #[test]
    fn checkpoints_keep_their_place_and_start_conditions() {
        let out = convert("## s\n> a{\"x\": 1}\n> b\n* greet OR bye{\"e\": [1, 2]}\n> c\n");
        let training = out.training.expect("stories");
        assert!(training.contains(
            "  - checkpoint: a\n    slot_was_set:\n    - x: 1\n  - checkpoint: b\n  - or:\n    - intent: greet\n    - intent: bye\n      entities:\n      - e: 1\n      - e: 2\n  - checkpoint: c\n"
        ), "{training}");
        assert!(out.notes.is_empty());
    }

    #[test]
    fn scalars_are_quoted_when_yaml_would_misread_them() {
        assert_eq!(scalar("utter_greet"), "utter_greet");
        assert_eq!(scalar("happy path"), "happy path");
        for misread in [
            "yes", "null", "1", "", " x", "a: b", "x #y", "${X}", "[a]", "-x",
        ] {
            assert!(scalar(misread).starts_with('"'), "{misread}");
        }
        assert_eq!(quoted("a\"b\\c\td"), r#""a\"b\\c\td""#);
        assert_eq!(quoted(r#"[x]{"entity": "e"}"#), r#"'[x]{"entity": "e"}'"#);
    }

    #[test]
    fn values_keep_their_types() {
        let value: Value = serde_json::from_str(r#"{"a": [1, 2.5, true, null, "no"]}"#).unwrap();
        assert_eq!(flow(&value), r#"{a: [1, 2.5, true, null, "no"]}"#);
    }

    #[test]
    fn comments_of_ascii_files_keep_backslash_u_literal() {
        assert_eq!(
            safe_for_ascii_decoding("# C:\\users\nx: 1\n"),
            "# C:\\\\users\nx: 1\n"
        );
    }
}
