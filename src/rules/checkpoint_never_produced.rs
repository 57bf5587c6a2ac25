use rustc_hash::FxHashMap;

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::model::dialogue::{StepKind, StoryBlock};
use crate::rule::Rule;
use crate::rules::support::Syntax;
use crate::source::{FileId, Span};
use crate::suggest::closest;

declare_rule! {
    /// ## What it does
    /// Reports a start checkpoint (a `> name` line before the first turn or event of a
    /// story; in YAML a `- checkpoint: name` step before the first other step) that no
    /// story produces: no story ends with `> name`, and no story passes through it
    /// (`> name` between its steps).
    ///
    /// ## Why is this bad?
    /// Stories are joined where one ends with the checkpoint another starts from. A story
    /// whose start checkpoints are never reached is never trained; Rasa only logs
    /// "Unsatisfied start checkpoint 'name' in block 'story'. Remove this checkpoint or add
    /// story blocks that end with this checkpoint." while it trains. Usually a misspelt
    /// checkpoint, or the story that led here was removed.
    ///
    /// Checkpoints of a story that has nothing but checkpoints count neither way: Rasa
    /// drops such a story. Checkpoint names Rasa generates itself (`GENR_…`) and
    /// `STORY_START` are ignored. Each start checkpoint line is reported, so a story with
    /// two unsatisfied entry points gets two findings.
    ///
    /// ## Example
    /// ```md
    /// ## ask for the city
    /// * greet
    ///   - utter_ask_city
    /// > city_asked
    ///
    /// ## city given
    /// > city_askd             <- no story ends with this checkpoint
    /// * inform{"city": "Berlin"}
    ///   - utter_weather
    /// ```
    pub struct CheckpointNeverProduced {
        code: "RL117",
        name: "checkpoint-never-produced",
        severity: Warning,
        summary: "a story starts at a checkpoint no story ends with",
    }
}

/// Where a checkpoint is written and in which story.
pub(crate) struct Occurrence<'p> {
    pub name: &'p str,
    pub file: FileId,
    pub span: Span,
    pub block: &'p StoryBlock,
    /// Between two steps of its story: it both ends and starts a part of it.
    pub intermediate: bool,
}

/// Every checkpoint of the stories, by role, as Rasa 1.10's story builder reads them.
#[derive(Default)]
pub(crate) struct Checkpoints<'p> {
    /// Checkpoints before a story's first turn or event: where stories start.
    pub starts: Vec<Occurrence<'p>>,
    /// Checkpoints after a story's last turn or event: where stories end.
    pub ends: Vec<Occurrence<'p>>,
    /// Names some story ends with or passes through, with the first such place.
    pub produced: FxHashMap<&'p str, Occurrence<'p>>,
    /// Names some story starts from or passes through, with the first such place.
    pub consumed: FxHashMap<&'p str, Occurrence<'p>>,
    /// Names used by stories that hold nothing but checkpoints (Rasa drops those).
    pub dropped: FxHashMap<&'p str, Occurrence<'p>>,
}

/// Checkpoint names that no rule should report.
fn ignored(name: &str) -> bool {
    name.is_empty() || name.starts_with("GENR_") || name == "STORY_START"
}

impl<'p> Checkpoints<'p> {
    pub fn collect(project: &'p Project) -> Self {
        let mut all = Checkpoints::default();
        for (file, stories) in project.story_files() {
            for block in &stories.blocks {
                all.add_block(file, block);
            }
        }
        all
    }

    fn add_block(&mut self, file: FileId, block: &'p StoryBlock) {
        let is_step = |kind: &StepKind| !matches!(kind, StepKind::Checkpoint { .. });
        let first_step = block.steps.iter().position(|s| is_step(&s.kind));
        let last_step = block.steps.iter().rposition(|s| is_step(&s.kind));
        for (index, step) in block.steps.iter().enumerate() {
            let StepKind::Checkpoint { name, .. } = &step.kind else {
                continue;
            };
            if ignored(name) {
                continue;
            }
            let intermediate = first_step.is_some_and(|first| index > first)
                && last_step.is_some_and(|last| index < last);
            let at = || Occurrence {
                name,
                file,
                span: step.name_span(),
                block,
                intermediate,
            };
            let (Some(first), Some(last)) = (first_step, last_step) else {
                self.dropped.entry(name).or_insert_with(at);
                continue;
            };
            if index < first {
                self.consumed.entry(name).or_insert_with(at);
                self.starts.push(at());
            } else if index > last {
                self.produced.entry(name).or_insert_with(at);
                self.ends.push(at());
            } else {
                // An intermediate checkpoint ends one part of the story and starts the next.
                self.produced.entry(name).or_insert_with(at);
                self.consumed.entry(name).or_insert_with(at);
            }
        }
    }
}

/// How a finding about an unmatched checkpoint explains itself (the two checkpoint rules
/// share it): what it means, Rasa's log line, and the fix.
pub(crate) struct Unmatched<'a> {
    /// What it means, as a sentence: "Rasa never trains this story".
    pub consequence: &'a str,
    /// The same where it opens the help text.
    pub consequence_first: &'a str,
    /// Rasa's log line: "Unsatisfied start checkpoint".
    pub rasa_says: &'a str,
    /// The fix when no similar name exists.
    pub fix: String,
    /// What a story with the matching name does with it: "ends with".
    pub counterpart_does: &'a str,
    /// What a dropped story does with the name: "names".
    pub dropped_does: &'a str,
}

impl<'p> Checkpoints<'p> {
    /// Adds the help, the closest name among `counterparts` with where it stands, and a
    /// story with this name that Rasa drops.
    pub fn explain(
        &self,
        diagnostic: Diagnostic,
        name: &str,
        counterparts: &FxHashMap<&'p str, Occurrence<'p>>,
        how: &Unmatched,
    ) -> Diagnostic {
        let rasa_says = how.rasa_says;
        let mut diagnostic = match closest(name, counterparts.keys().copied()) {
            Some(known) => {
                let there = &counterparts[known];
                let does = if there.intermediate {
                    "passes through"
                } else {
                    how.counterpart_does
                };
                diagnostic
                    .with_help(format!(
                        "did you mean `{known}`? {} (\"{rasa_says}\")",
                        how.consequence
                    ))
                    .with_related(
                        there.file,
                        there.span.clone(),
                        format!("{} {does} `{known}` here", story_label(there.block)),
                    )
            }
            None => diagnostic.with_help(format!(
                "{} (\"{rasa_says}\"): {}",
                how.consequence_first, how.fix
            )),
        };
        if let Some(dropped) = self.dropped.get(name) {
            diagnostic = diagnostic.with_related(
                dropped.file,
                dropped.block.header_span.clone(),
                format!(
                    "{} {} `{name}` but has no turns or actions, so Rasa drops it",
                    story_label(dropped.block),
                    how.dropped_does
                ),
            );
        }
        diagnostic
    }
}

/// `story `name``, or a description of an untitled one.
pub(crate) fn story_label(block: &StoryBlock) -> String {
    if block.name.is_empty() {
        "an untitled story".to_string()
    } else {
        format!("story `{}`", block.name)
    }
}

/// The start checkpoint names of a block.
fn start_names(block: &StoryBlock) -> impl Iterator<Item = &str> {
    block.steps.iter().map_while(|step| match &step.kind {
        StepKind::Checkpoint { name, .. } => Some(name.as_str()),
        _ => None,
    })
}

impl Rule for CheckpointNeverProduced {
    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        let checkpoints = Checkpoints::collect(project);
        for start in &checkpoints.starts {
            let name = start.name;
            if checkpoints.produced.contains_key(name) {
                continue;
            }
            let story = story_label(start.block);
            let reachable = start_names(start.block)
                .any(|other| ignored(other) || checkpoints.produced.contains_key(other));
            let consequence = if reachable {
                "Rasa never enters the story this way"
            } else {
                "Rasa never trains this story"
            };
            let diagnostic = Diagnostic::new(
                &Self::META,
                start.file,
                start.span.clone(),
                format!("{story} starts from checkpoint `{name}`, but no story ends with it"),
            )
            .with_label("start checkpoint");
            let how = Unmatched {
                consequence,
                consequence_first: consequence,
                rasa_says: "Unsatisfied start checkpoint",
                fix: format!(
                    "end the story this one continues with `{}`, or remove the checkpoint",
                    Syntax::of(project, start.file).checkpoint(name)
                ),
                counterpart_does: "ends with",
                dropped_does: "names",
            };
            let diagnostic = checkpoints.explain(diagnostic, name, &checkpoints.produced, &how);
            out.push(diagnostic);
        }
    }
}
