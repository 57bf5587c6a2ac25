use rustc_hash::FxHashMap;

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::model::dialogue::{StepKind, StoryBlock};
use crate::rule::Rule;
use crate::source::FileId;

declare_rule! {
    /// ## What it does
    /// Reports a story header (`## happy path`; in YAML `- story: happy path`) whose name
    /// an earlier story already has, in the same story file or another one, pointing at
    /// the first. YAML rules (`- rule:`) are compared with rules only: a rule may share a
    /// story's name.
    ///
    /// Names are compared exactly as Rasa reads them (the header without its `#` and
    /// surrounding spaces), so `## Happy path` and `## happy path` are different names.
    /// `OR` turns and checkpoints continue a story without a header of their own and are
    /// not stories here; an empty name (`##` alone) is left to the rules about headers.
    /// A block that Rasa drops (no steps, or only checkpoints) is not compared: its name
    /// appears in no report. Interactive learning's exports often leave such a block,
    /// `## interactive_story_1` directly above the author's own header, once per session;
    /// `empty-section` reports those.
    ///
    /// ## Why is this bad?
    /// Rasa accepts it (no version checks it), but everything that reports on stories
    /// names them: `rasa data validate`'s story-structure conflicts, `rasa test`'s failed
    /// stories, `rasa train`'s rule contradictions, the story graph. With two stories of one name, nobody can tell which one a report means.
    /// Often the second is a copy that was meant to be renamed and changed; when it has
    /// exactly the same steps as the first, the help says to remove it.
    ///
    /// ## Example
    /// ```md
    /// ## happy path
    /// * greet
    ///   - utter_greet
    ///
    /// ## happy path          <- rename: "happy path with goodbye"
    /// * greet
    ///   - utter_greet
    /// * goodbye
    ///   - utter_goodbye
    /// ```
    pub struct DuplicateStoryName {
        code: "RL302",
        name: "duplicate-story-name",
        severity: Warning,
        summary: "two stories with the same name",
    }
}

impl Rule for DuplicateStoryName {
    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        // Stories and rules are named apart: a rule may share a story's name.
        // Sized once: nearly every block has a name of its own, and a map grown by
        // doubling would be rehashed a dozen times on a large bot.
        let mut first: FxHashMap<(bool, &str), (FileId, &StoryBlock)> =
            FxHashMap::with_capacity_and_hasher(project.block_count(), Default::default());
        for (file, stories) in project.story_files() {
            for block in &stories.blocks {
                // Rasa drops a block without turns or events: its name is nowhere.
                let kept = block
                    .steps
                    .iter()
                    .any(|s| !matches!(s.kind, StepKind::Checkpoint { .. }));
                if block.name.is_empty() || !kept {
                    continue;
                }
                let key = (block.is_rule(), block.name.as_str());
                let Some((first_file, first_block)) = first.get(&key) else {
                    first.insert(key, (file, block));
                    continue;
                };
                let what = if block.is_rule() { "rule" } else { "story" };
                let same_steps = first_block.steps.len() == block.steps.len()
                    && first_block
                        .steps
                        .iter()
                        .zip(&block.steps)
                        .all(|(a, b)| same_step(&a.kind, &b.kind));
                let help = match (same_steps, block.is_rule()) {
                    (true, false) => "the two stories have the same steps: remove this copy",
                    (true, true) => "the two rules have the same steps: remove this copy",
                    (false, false) => {
                        "give each story its own name: Rasa's reports (story conflicts, failed test stories) name stories, and two with one name cannot be told apart"
                    }
                    (false, true) => {
                        "give each rule its own name: Rasa's reports (rule contradictions) name rules, and two with one name cannot be told apart"
                    }
                };
                out.push(
                    Diagnostic::new(
                        &Self::META,
                        file,
                        block.header_span.clone(),
                        format!("{what} name `{}` is already used", block.name),
                    )
                    .with_label("used again here")
                    .with_related(
                        *first_file,
                        first_block.header_span.clone(),
                        "first used here",
                    )
                    .with_help(help),
                );
            }
        }
    }
}

/// Whether two steps mean the same to Rasa, wherever they are written.
fn same_step(a: &StepKind, b: &StepKind) -> bool {
    match (a, b) {
        (StepKind::User(a), StepKind::User(b)) => {
            a.len() == b.len()
                && a.iter().zip(b).all(|(a, b)| {
                    a.text == b.text
                        && a.intent == b.intent
                        && a.e2e_text() == b.e2e_text()
                        && a.entities.len() == b.entities.len()
                        && a.entities
                            .iter()
                            .zip(&b.entities)
                            .all(|(a, b)| a.same_as(b))
                })
        }
        (StepKind::Slot(a), StepKind::Slot(b)) => {
            a.len() == b.len()
                && a.iter()
                    .zip(b)
                    .all(|(a, b)| a.name == b.name && a.value == b.value && a.by_name == b.by_name)
        }
        _ => a == b,
    }
}
