use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::rule::Rule;

declare_rule! {
    /// ## What it does
    /// Reports an `utter_` action listed under `actions:` that has no response (no entry
    /// under `responses:`, or `templates:` in older domains).
    ///
    /// ## Why is this bad?
    /// When the policy predicts the action, the bot has nothing to say and the conversation
    /// fails at run time. `rasa data validate` (1.x) fails on it.
    ///
    /// ## Example
    /// ```yaml
    /// actions:
    ///   - utter_goodbye     # no `utter_goodbye:` under responses
    /// ```
    pub struct UtterActionWithoutResponse {
        code: "RL105",
        name: "utter-action-without-response",
        severity: Error,
        summary: "an utter_ action in the domain has no response",
    }
}

impl Rule for UtterActionWithoutResponse {
    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        for (file, domain) in project.domain_files() {
            for action in &domain.actions {
                if !action.name.starts_with("utter_")
                    || project.domain.responses.contains_key(&action.name)
                {
                    continue;
                }
                out.push(
                    Diagnostic::new(
                        &Self::META,
                        file,
                        action.span.clone(),
                        format!("action `{}` has no response", action.name),
                    )
                    .with_label("listed as an action here")
                    .with_help(format!(
                        "add `{}:` with at least one `- text:` under `responses:`",
                        action.name
                    )),
                );
            }
        }
    }
}
