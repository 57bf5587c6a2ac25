use rustc_hash::FxHashSet;

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::rasa::RESPONSES_OF_DEFAULT_ACTIONS;
use crate::rule::Rule;

declare_rule! {
    /// ## What it does
    /// Reports a response that no story uses as an action.
    ///
    /// ## Why is this bad?
    /// Content nobody will ever see: usually a renamed or forgotten utterance, or a story
    /// that uses a misspelt name. Responses Rasa's default actions utter (`utter_default`,
    /// `utter_ask_rephrase`, `utter_restart`, `utter_back`) count as used, and so do
    /// `utter_ask_*` responses when the domain has forms (forms ask for slots with them).
    /// Responses an intent triggers (`triggers: utter_bye`, MappingPolicy) are used, and
    /// so are responses named in the bot's custom action code (`actions.py` or `actions/*.py`
    /// beside the domain) count as used too.
    ///
    /// ## Example
    /// ```yaml
    /// responses:
    ///   utter_cheer_up:      # no story has `- utter_cheer_up`
    ///   - text: Here is something to cheer you up
    /// ```
    pub struct UnusedResponse {
        code: "RL108",
        name: "unused-response",
        severity: Warning,
        summary: "a response is used by no story",
    }
}

impl Rule for UnusedResponse {
    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        if project.story_files().next().is_none() {
            return;
        }
        let used: FxHashSet<&str> = project
            .story_files()
            .flat_map(|(_, s)| s.actions().map(|(_, name)| name))
            .collect();
        let in_code: FxHashSet<&str> = project.responses_used_in_code().collect();
        let triggered: FxHashSet<&str> = project
            .domain_files()
            .flat_map(|(_, d)| &d.intents)
            .filter_map(|i| i.triggers.as_ref().map(|t| t.name.as_str()))
            .collect();
        let has_forms = !project.domain.forms.is_empty();
        for (file, domain) in project.domain_files() {
            for response in &domain.responses {
                let name = response.name.name.as_str();
                if used.contains(name)
                    || in_code.contains(name)
                    || triggered.contains(name)
                    || RESPONSES_OF_DEFAULT_ACTIONS.contains(&name)
                    || (has_forms && name.starts_with("utter_ask_"))
                {
                    continue;
                }
                out.push(
                    Diagnostic::new(
                        &Self::META,
                        file,
                        response.name.span.clone(),
                        format!("response `{name}` is used by no story"),
                    )
                    .with_label("defined here")
                    .with_help("use it in a story, or remove it if no custom action utters it"),
                );
            }
        }
    }
}
