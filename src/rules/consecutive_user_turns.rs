use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::model::dialogue::StepKind;
use crate::rule::Rule;
use crate::rules::support::Syntax;

declare_rule! {
    /// ## What it does
    /// Reports a user turn that directly follows another user turn in a story, with no
    /// action between them.
    ///
    /// ## Why is this bad?
    /// Rasa reads it as the bot listening again without answering, and trains the policy
    /// to stay silent after the first turn. Usually the bot's answer was forgotten.
    ///
    /// In YAML stories and rules, two `intent:` (or `user:`) steps in a row; an `or:` is
    /// one turn.
    ///
    /// ## Example
    /// ```md
    /// ## greet
    /// * greet
    /// * ask_name          <- the bot never answered the greeting
    ///   - utter_name
    /// ```
    /// ```yaml
    /// stories:
    /// - story: greet
    ///   steps:
    ///   - intent: greet
    ///   - intent: ask_name   # the bot never answered the greeting
    ///   - action: utter_name
    /// ```
    pub struct ConsecutiveUserTurns {
        code: "RL307",
        name: "consecutive-user-turns",
        severity: Warning,
        summary: "two user turns with no action between them",
    }
}

impl Rule for ConsecutiveUserTurns {
    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        for (file, stories) in project.story_files() {
            let syntax = Syntax::of(project, file);
            for block in &stories.blocks {
                for pair in block.steps.windows(2) {
                    let (StepKind::User(_), StepKind::User(_)) = (&pair[0].kind, &pair[1].kind)
                    else {
                        continue;
                    };
                    let help = format!(
                        "add the action the bot takes after the first turn (`{}`), or `{}` if it really only listens",
                        syntax.action_step("utter_…"),
                        syntax.action_step("action_listen"),
                    );
                    out.push(
                        Diagnostic::new(
                            &Self::META,
                            file,
                            pair[1].span(),
                            "a second user turn with no action after the first",
                        )
                        .with_label("no bot action before this turn")
                        .with_related(file, pair[0].span(), "the previous user turn")
                        .with_help(help),
                    );
                }
            }
        }
    }
}
