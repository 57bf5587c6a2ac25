use rustc_hash::FxHashSet;

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::model::nlu::SectionKind;
use crate::rule::Rule;
use crate::rules::support::{DomainIntents, IntentHelp};

declare_rule! {
    /// ## What it does
    /// Reports an intent that has NLU examples but is not listed under `intents:` in the
    /// domain. For a retrieval intent `faq/ask_name` the domain must list the base `faq`,
    /// except in a Rasa 3 bot: Rasa 3 adds the retrieval intents of the NLU data to the
    /// domain by itself. Rasa 2 and 3 also add their default intents (`out_of_scope`,
    /// `nlu_fallback`, …) to every domain, so those need no declaration.
    ///
    /// On a bot read as Rasa 3.6 the finding is a warning, as `rasa data validate` 3.6
    /// gives it, so the run fails on it only with `--fail-on-warnings`.
    ///
    /// ## Why is this bad?
    /// The bot's NLU model learns to predict an intent the dialogue policy has never heard
    /// of. `rasa data validate` reports it without a line number ("There is a message in
    /// the training data labeled with intent …"): an error in Rasa 1.10 and 2.8, a warning
    /// in 3.6 (which fails only with `--fail-on-warnings`).
    ///
    /// ## Example
    /// ```md
    /// ## intent:ask_weather     <- domain.yml has no `- ask_weather`
    /// - how is the weather?
    /// ```
    /// ```yaml
    /// nlu:
    /// - intent: ask_weather     # domain.yml has no `- ask_weather`
    ///   examples: |
    ///     - how is the weather?
    /// ```
    pub struct NluIntentNotInDomain {
        code: "RL101",
        name: "nlu-intent-not-in-domain",
        severity: Error,
        needs_domain: true,
        warning_in: [V3],
        summary: "an intent with NLU examples is not declared in the domain",
    }
}

impl Rule for NluIntentNotInDomain {
    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        let intent_help = IntentHelp::new(project);
        let intents = DomainIntents::of(project);
        for (file, nlu) in project.nlu_files() {
            let mut reported = FxHashSet::default();
            for example in &nlu.examples {
                let section = &nlu.sections[example.section];
                if section.kind != SectionKind::Intent
                    || intents.contains(&example.intent)
                    || !reported.insert(example.section)
                {
                    continue;
                }
                out.push(
                    Diagnostic::new(
                        &Self::META,
                        file,
                        section.title_span.clone(),
                        format!(
                            "intent `{}` has NLU examples but is not in the domain",
                            example.intent
                        ),
                    )
                    .with_label("not declared in the domain")
                    .with_help(intent_help.for_intent(&example.intent)),
                );
            }
        }
    }
}
