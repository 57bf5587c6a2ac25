use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::rule::Rule;

declare_rule! {
    /// ## What it does
    /// Reports an `utter_` action listed under `actions:` that has no response (no entry
    /// under `responses:`, or `templates:` in older domains). A response written in a file
    /// of the domain folder that Rasa skips (its YAML cannot be read) is missing too, but
    /// reported once, at that file (RL409), rather than at each action.
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
        let in_skipped_files: rustc_hash::FxHashSet<&str> = project
            .domain_folder_files()
            .filter(|(_, d)| !d.is_read_by(project.rasa.version))
            .flat_map(|(_, d)| d.responses.iter().map(|r| r.name.name.as_str()))
            .collect();
        for (file, domain) in project.domain_files() {
            for action in &domain.actions {
                if !action.name.starts_with("utter_")
                    || project.domain.responses.contains_key(&action.name)
                    || in_skipped_files.contains(action.name.as_str())
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
