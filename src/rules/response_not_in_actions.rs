use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::rule::Rule;

declare_rule! {
    /// ## What it does
    /// Reports a response (under `responses:` or `templates:`) whose name is not listed
    /// under `actions:`.
    ///
    /// ## Why is this bad?
    /// Rasa 1.x silently adds every response to the actions, so the bot works, but the
    /// domain no longer says what the bot can do and the old validator of many pipelines
    /// fails on it. Listing it keeps the domain explicit.
    ///
    /// Domains that list no `utter_` action at all (like the one `rasa init` writes) follow
    /// the other convention, relying on Rasa to add every response; the rule stays silent
    /// for them. So it does for Rasa 2 and 3 bots, whose documentation lists responses
    /// under `responses:` only.
    ///
    /// ## Example
    /// ```yaml
    /// responses:
    ///   utter_greet:
    ///   - text: Hi!
    /// actions: []          # utter_greet missing
    /// ```
    pub struct ResponseNotInActions {
        code: "RL106",
        name: "response-not-in-actions",
        severity: Warning,
        versions: [V1],
        summary: "a response is not listed under actions",
    }
}

impl Rule for ResponseNotInActions {
    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        if !project
            .domain
            .actions
            .keys()
            .any(|a| a.starts_with("utter_"))
        {
            return;
        }
        for (file, domain) in project.domain_files() {
            for response in &domain.responses {
                if project.domain.actions.contains_key(&response.name.name) {
                    continue;
                }
                out.push(
                    Diagnostic::new(
                        &Self::META,
                        file,
                        response.name.span.clone(),
                        format!(
                            "response `{}` is not listed under `actions:`",
                            response.name.name
                        ),
                    )
                    .with_label("defined here")
                    .with_help(format!(
                        "add `- {}` to `actions:`: Rasa adds it by itself, but then the domain no longer lists everything the bot can do",
                        response.name.name
                    )),
                );
            }
        }
    }
}
