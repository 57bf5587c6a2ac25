use rustc_hash::FxHashSet;

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::rasa::{RESPONSES_OF_DEFAULT_ACTIONS, RasaVersion};
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
    /// In a Rasa 2 or 3 bot the responses under an NLU file's `responses:` key are checked
    /// too (Rasa merges them into the domain), and a retrieval response `utter_faq/<key>`
    /// is used when a story or rule runs `utter_faq`, the action that chooses among them.
    ///
    /// `rasa data validate` reports unused responses too, without a location: Rasa 1.10
    /// and 2.8 in their debug log only (yet `--fail-on-warnings` fails on it), Rasa 3.6 as
    /// a warning that never fails the run.
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
        // Rasa 2 and 3: `utter_faq` answers with the retrieval responses `utter_faq/<key>`.
        let yaml_era = project.rasa.version != RasaVersion::V1;

        let is_used = |name: &str| {
            used.contains(name)
                || in_code.contains(name)
                || triggered.contains(name)
                || RESPONSES_OF_DEFAULT_ACTIONS.contains(&name)
                || (has_forms && name.starts_with("utter_ask_"))
                || (yaml_era
                    && name
                        .split_once('/')
                        .is_some_and(|(action, _)| used.contains(action)))
        };
        let domain_responses = project
            .domain_files()
            .flat_map(|(file, d)| d.responses.iter().map(move |r| (file, &r.name)));
        let nlu_responses = project
            .nlu_file_responses()
            .map(|(file, e)| (file, &e.key, &e.key_span));
        let all = domain_responses
            .map(|(file, name)| (file, &name.name, &name.span))
            .chain(nlu_responses);
        for (file, name, span) in all {
            if is_used(name) {
                continue;
            }
            // Rasa 2 and 3 have rules besides stories.
            let (message, help) = if yaml_era {
                (
                    format!("response `{name}` is used by no story or rule"),
                    "use it in a story or rule, or remove it if no custom action utters it",
                )
            } else {
                (
                    format!("response `{name}` is used by no story"),
                    "use it in a story, or remove it if no custom action utters it",
                )
            };
            out.push(
                Diagnostic::new(&Self::META, file, span.clone(), message)
                    .with_label("defined here")
                    .with_help(help),
            );
        }
    }
}
