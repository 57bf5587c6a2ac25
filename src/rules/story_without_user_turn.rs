use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::model::dialogue::StepKind;
use crate::rule::Rule;
use crate::rules::support::Syntax;

declare_rule! {
    /// ## What it does
    /// Reports a story that starts with an action although it continues no checkpoint: it
    /// begins at the start of a conversation, before the user said anything.
    ///
    /// In YAML, stories are checked the same way; rules are not, as Rasa puts a `...`
    /// (any conversation so far) before a rule that starts with an action.
    ///
    /// ## Why is this bad?
    /// Rasa trains the policy to run that action as soon as a conversation starts, on every
    /// conversation. Usually the first user turn was forgotten, or the story was meant to
    /// continue another one through a checkpoint.
    ///
    /// ## Example
    /// ```md
    /// ## thanks
    ///   - utter_you_are_welcome     <- no `* thank` before it
    /// ```
    /// ```yaml
    /// stories:
    /// - story: thanks
    ///   steps:
    ///   - action: utter_you_are_welcome   # no `- intent: thank` before it
    /// ```
    pub struct StoryWithoutUserTurn {
        code: "RL304",
        name: "story-without-user-turn",
        severity: Warning,
        summary: "a story that starts with an action",
    }
}

impl Rule for StoryWithoutUserTurn {
    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        for (file, stories) in project.story_files() {
            // A rule may start with an action: Rasa puts `...` before it.
            for block in stories.blocks.iter().filter(|b| !b.is_rule()) {
                // A story that starts at a checkpoint continues another one.
                let Some(first) = block.steps.first() else {
                    continue;
                };
                let StepKind::Action { name, .. } = &first.kind else {
                    continue;
                };
                let help = match Syntax::of(project, file) {
                    Syntax::Markdown => {
                        "add the user turn that leads to it (`* intent`), or start the story with the checkpoint of the story it continues (`> name`)"
                    }
                    Syntax::Yaml => {
                        "add the user turn that leads to it (`- intent: …`), or start the story with the checkpoint of the story it continues (`- checkpoint: …`)"
                    }
                };
                out.push(
                    Diagnostic::new(
                        &Self::META,
                        file,
                        first.name_span(),
                        format!("story `{}` starts with the action `{name}`", block.name),
                    )
                    .with_label("before any user turn")
                    .with_help(help),
                );
            }
        }
    }
}
