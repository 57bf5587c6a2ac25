use rustc_hash::FxHashSet;

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::rasa::{COMMAND_INTENTS, RasaVersion};
use crate::rule::Rule;

declare_rule! {
    /// ## What it does
    /// Reports an intent declared in the domain that no story uses (in a Rasa 2 or 3 bot:
    /// no story or rule).
    ///
    /// ## Why is this bad?
    /// When the user expresses it, the policy has never seen what should follow, so the bot
    /// answers at random. `rasa data validate` reports it without a location: Rasa 1.10 and
    /// 2.8 in their debug log only (yet `--fail-on-warnings` fails on it), Rasa 3.6 as a
    /// warning that never fails the run.
    ///
    /// Not reported: intents mapped to an action with `triggers:` (the MappingPolicy
    /// answers them, not stories), the commands Rasa handles itself (`restart`, `back`,
    /// `session_start`), and, in a bot with forms, intents whose examples annotate
    /// entities: a form asks for them and the answers never appear in stories.
    ///
    /// ## Example
    /// ```yaml
    /// intents:
    ///   - bot_challenge    # no `* bot_challenge` (`- intent: bot_challenge`) in any story
    /// ```
    pub struct IntentNotInStories {
        code: "RL104",
        name: "intent-not-in-stories",
        severity: Warning,
        summary: "a domain intent is used by no story",
    }
}

/// In a bot with forms: the intents whose NLU examples annotate entities, which forms
/// use to fill their slots.
fn form_answer_intents(project: &Project) -> FxHashSet<&str> {
    if project.domain.forms.is_empty() {
        return FxHashSet::default();
    }
    project
        .nlu_files()
        .flat_map(|(_, nlu)| &nlu.examples)
        .filter(|e| !e.entities.is_empty())
        .map(|e| e.intent.as_str())
        .collect()
}

impl Rule for IntentNotInStories {
    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        if project.story_files().next().is_none() {
            return;
        }
        let used: FxHashSet<&str> = project
            .story_files()
            .flat_map(|(_, s)| s.user_alternatives())
            .filter_map(|a| a.intent.as_deref())
            .collect();
        // Needed only for intents no story uses: usually none.
        let form_answers = std::cell::OnceCell::new();
        for (file, domain) in project.domain_files() {
            for intent in domain.intents.iter().filter(|i| {
                let name = i.name.name.as_str();
                !used.contains(name)
                    && i.triggers.is_none()
                    && !COMMAND_INTENTS.contains(&name)
                    && !form_answers
                        .get_or_init(|| form_answer_intents(project))
                        .contains(name)
            }) {
                // Rasa 2 and 3 have rules besides stories.
                let (message, help) = match project.rasa.version {
                    RasaVersion::V1 => (
                        format!("intent `{}` is used by no story", intent.name.name),
                        "add a story that shows how the bot answers it, or remove the intent",
                    ),
                    _ => (
                        format!("intent `{}` is used by no story or rule", intent.name.name),
                        "add a story or rule that shows how the bot answers it, or remove the intent",
                    ),
                };
                out.push(
                    Diagnostic::new(&Self::META, file, intent.name.span.clone(), message)
                        .with_label("declared here")
                        .with_help(help),
                );
            }
        }
    }
}
