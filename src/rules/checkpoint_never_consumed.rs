use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::rule::Rule;
use crate::rules::checkpoint_never_produced::{Checkpoints, Unmatched, story_label};
use crate::rules::support::Syntax;

declare_rule! {
    /// ## What it does
    /// Reports an end checkpoint (a `> name` line after a story's last turn or event; in
    /// YAML a `- checkpoint: name` step after the last other step) that no story starts
    /// from.
    ///
    /// ## Why is this bad?
    /// The checkpoint promises that the conversation goes on in another story, but none
    /// continues it, so the policy never learns what follows. Rasa only logs "Unsatisfied
    /// end checkpoint 'name' in block 'story'. Remove this checkpoint or add story blocks
    /// that start with this checkpoint." while it trains. Usually a misspelt checkpoint,
    /// or the story that continued it was removed.
    ///
    /// A checkpoint between two steps of a story (an intermediate checkpoint) starts the
    /// story's next part itself, so it is never reported. Checkpoints of a story that has
    /// nothing but checkpoints count neither way: Rasa drops such a story. Checkpoint names
    /// Rasa generates itself (`GENR_…`) and `STORY_START` are ignored.
    ///
    /// ## Example
    /// ```md
    /// ## ask for the city
    /// * greet
    ///   - utter_ask_city
    /// > city_asked            <- no story starts from this checkpoint
    ///
    /// ## city given
    /// > city_askd
    /// * inform{"city": "Berlin"}
    ///   - utter_weather
    /// ```
    pub struct CheckpointNeverConsumed {
        code: "RL118",
        name: "checkpoint-never-consumed",
        severity: Warning,
        summary: "a story ends with a checkpoint no story starts from",
    }
}

impl Rule for CheckpointNeverConsumed {
    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        let checkpoints = Checkpoints::collect(project);
        for end in &checkpoints.ends {
            let name = end.name;
            if checkpoints.consumed.contains_key(name) {
                continue;
            }
            let story = story_label(end.block);
            let diagnostic = Diagnostic::new(
                &Self::META,
                end.file,
                end.span.clone(),
                format!("{story} ends with checkpoint `{name}`, but no story starts from it"),
            )
            .with_label("end checkpoint");
            let how = Unmatched {
                consequence: "No story continues from here",
                consequence_first: "no story continues from here",
                rasa_says: "Unsatisfied end checkpoint",
                fix: format!(
                    "start the story that follows with `{}`, or remove the checkpoint",
                    Syntax::of(project, end.file).checkpoint(name)
                ),
                counterpart_does: "starts from",
                dropped_does: "starts from",
            };
            let diagnostic = checkpoints.explain(diagnostic, name, &checkpoints.consumed, &how);
            out.push(diagnostic);
        }
    }
}
