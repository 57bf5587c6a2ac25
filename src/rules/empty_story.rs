use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::model::dialogue::StepKind;
use crate::rule::Rule;

declare_rule! {
    /// ## What it does
    /// Reports a story whose only lines are checkpoints (`> name`; in YAML, whose only
    /// steps are `- checkpoint:`). A story with no lines at all is reported by
    /// `empty-section` (RL012).
    ///
    /// ## Why is this bad?
    /// Rasa drops a story without turns or actions silently, checkpoints and all, so the
    /// stories that lead to or from those checkpoints are not joined as the author meant.
    ///
    /// ## Example
    /// ```md
    /// ## glue
    /// > ask_name
    /// > ask_city
    /// ```
    pub struct EmptyStory {
        code: "RL303",
        name: "empty-story",
        severity: Warning,
        summary: "a story with only checkpoints",
    }
}

impl Rule for EmptyStory {
    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        for (file, stories) in project.story_files() {
            for block in &stories.blocks {
                let only_checkpoints = !block.steps.is_empty()
                    && block
                        .steps
                        .iter()
                        .all(|s| matches!(s.kind, StepKind::Checkpoint { .. }));
                if only_checkpoints {
                    out.push(
                        Diagnostic::new(&Self::META, file, block.header_span.clone(), format!("story `{}` has only checkpoints", block.name))
                            .with_help("Rasa drops a story without turns or actions, and with it these checkpoints: add the steps, or join the stories directly"),
                    );
                }
            }
        }
    }
}
