use std::collections::HashSet;

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::rule::{Rule, RuleMeta};
use crate::syntax::stories::StepKind;

declare_rule! {
    /// ## What it does
    /// Reports an intent declared in the domain that no story uses.
    ///
    /// ## Why is this bad?
    /// When the user expresses it, the policy has never seen what should follow, so the bot
    /// answers at random. Retrieval intents count as used when a story uses their base name.
    /// Rasa only logs this at debug level.
    ///
    /// ## Example
    /// ```yaml
    /// intents:
    ///   - bot_challenge    # no `* bot_challenge` in any story
    /// ```
    pub struct IntentNotInStories {
        code: "RL104",
        name: "intent-not-in-stories",
        severity: Warning,
        summary: "a domain intent is used by no story",
    }
}

impl Rule for IntentNotInStories {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        if project.story_files().next().is_none() {
            return;
        }
        let used: HashSet<&str> = project
            .story_files()
            .flat_map(|(_, s)| s.blocks.iter().flat_map(|b| &b.steps))
            .filter_map(|step| match &step.kind {
                StepKind::User(alternatives) => Some(alternatives),
                _ => None,
            })
            .flatten()
            .filter_map(|a| a.intent.as_deref())
            .collect();
        for (file, domain) in project.domain_files() {
            for intent in domain
                .intents
                .iter()
                .filter(|i| !used.contains(i.name.name.as_str()))
            {
                out.push(
                    Diagnostic::new(
                        &Self::META,
                        file,
                        intent.name.span.clone(),
                        format!("intent `{}` is used by no story", intent.name.name),
                    )
                    .with_label("declared here")
                    .with_help(
                        "add a story that shows how the bot answers it, or remove the intent",
                    ),
                );
            }
        }
    }
}
