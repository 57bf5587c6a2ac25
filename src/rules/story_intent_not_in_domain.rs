use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::rule::Rule;
use crate::rules::lowercase_or::has_lowercase_or;
use crate::rules::support::{DomainIntents, IntentHelp};
use crate::syntax::stories::is_end_to_end_turn;

declare_rule! {
    /// ## What it does
    /// Reports a story user turn whose intent (each alternative of `* a OR b`) is not
    /// listed under `intents:` in the domain, and a user turn with no intent at all. In
    /// YAML stories and rules: every `intent:` (of `or:` items too; a retrieval intent
    /// by its base name, as Rasa checks it); a `user:` text without `intent:` names none
    /// and is not checked, and an empty `intent:` is left to `misread-story-step`. Rasa 2
    /// and 3 add the default intents (`nlu_fallback`, `out_of_scope`, `restart`, `back`,
    /// `session_start`) to every domain, and Rasa 3 the retrieval intents of the NLU data:
    /// those count as declared.
    ///
    /// On a bot read as Rasa 3.6 the finding is a warning, as `rasa data validate` 3.6
    /// gives it, so the run fails on it only with `--fail-on-warnings`.
    ///
    /// ## Why is this bad?
    /// The policy trains on a dialogue state the bot can never reach. `rasa data validate`
    /// reports it ("The intent '…' is used in your stories, but it is not listed in the
    /// domain file"): an error in Rasa 1.10 and 2.8, a warning in 3.6 (which fails only
    /// with `--fail-on-warnings`). In stories, a retrieval intent is written by its base
    /// name (`* faq`).
    ///
    /// ## Example
    /// ```md
    /// ## greet
    /// * greeet          <- typo: not in the domain
    ///   - utter_greet
    /// ```
    /// ```yaml
    /// stories:
    /// - story: greet
    ///   steps:
    ///   - intent: greeet   # typo: not in the domain
    ///   - action: utter_greet
    /// ```
    pub struct StoryIntentNotInDomain {
        code: "RL103",
        name: "story-intent-not-in-domain",
        severity: Error,
        needs_domain: true,
        warning_in: [V3],
        summary: "a story uses an intent not declared in the domain",
    }
}

impl Rule for StoryIntentNotInDomain {
    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        let intent_help = IntentHelp::new(project);
        let intents = DomainIntents::of(project);
        for (file, stories) in project.story_files() {
            let markdown = !stories.is_yaml();
            for alternative in stories.user_alternatives() {
                let message = match &alternative.intent {
                    Some(intent) if intents.contains(intent) => continue,
                    // An empty YAML `intent:` is reported as misread (RL019).
                    Some(intent) if !markdown && intent.is_empty() => continue,
                    // Reported as an end-to-end turn (RL014) or as `a or b` (RL305) instead.
                    Some(intent)
                        if markdown && (is_end_to_end_turn(intent) || has_lowercase_or(intent)) =>
                    {
                        continue;
                    }
                    // A YAML `user:` text without `intent:`: Rasa checks no intent there.
                    None if alternative.e2e_text().is_some() => continue,
                    Some(intent) => format!("intent `{intent}` is not in the domain"),
                    None => "this user turn names no intent".to_string(),
                };
                let help = match &alternative.intent {
                    Some(intent) if markdown && intent.contains('/') => format!(
                        "stories use a retrieval intent by its base name: write `* {}`",
                        intent.split('/').next().unwrap_or_default()
                    ),
                    Some(intent) => intent_help.for_intent(intent),
                    None => "write the intent after `*`, e.g. `* greet`".to_string(),
                };
                out.push(
                    Diagnostic::new(&Self::META, file, alternative.intent_span(), message)
                        .with_label("not declared in the domain")
                        .with_help(help),
                );
            }
        }
    }
}
