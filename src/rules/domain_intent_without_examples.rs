use rustc_hash::FxHashSet;

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::rasa::{COMMAND_INTENTS, RasaVersion};
use crate::rule::Rule;
use crate::rules::support::Syntax;
use crate::syntax::domain::payload_intent;

declare_rule! {
    /// ## What it does
    /// Reports an intent declared in the domain that has no NLU examples in any NLU file.
    ///
    /// ## Why is this bad?
    /// The NLU model can never predict it, so every story that uses it is dead. Often the
    /// examples' header has a typo. `rasa data validate` reports it without a location:
    /// Rasa 1.10 and 2.8 in their debug log only (yet `--fail-on-warnings` fails on it),
    /// Rasa 3.6 as a warning that never fails the run.
    ///
    /// Intents that a button sends (`payload: /choose_plan`) reach the bot without the NLU
    /// model and need no examples, and so do the commands Rasa handles itself (`restart`,
    /// `back`, `session_start`, typed as `/restart`); the rule stays silent for them, and,
    /// from Rasa 2 on, for `nlu_fallback`, which the `FallbackClassifier` predicts when the
    /// NLU model is unsure. In a Rasa 3 bot, a story or rule turn with both `user:` text
    /// and `intent:` is an example too: Rasa 3 adds it to the NLU data.
    ///
    /// ## Example
    /// ```yaml
    /// intents:
    ///   - greet
    ///   - goodbye     # no `## intent:goodbye` (Rasa 2/3: `- intent: goodbye`) anywhere
    /// ```
    pub struct DomainIntentWithoutExamples {
        code: "RL102",
        name: "domain-intent-without-examples",
        severity: Warning,
        summary: "a domain intent has no NLU examples",
    }
}

impl Rule for DomainIntentWithoutExamples {
    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        if project.nlu_files().next().is_none() {
            return;
        }
        let mut with_examples: FxHashSet<&str> = project
            .nlu_files()
            .flat_map(|(_, nlu)| nlu.examples.iter().map(|e| e.intent.as_str()))
            .collect();
        with_examples.extend(button_intents(project));
        // Rasa 3 trains the NLU on every story turn with both a text and an intent.
        if project.rasa.version == RasaVersion::V3 {
            with_examples.extend(
                project
                    .story_files()
                    .flat_map(|(_, s)| s.user_alternatives())
                    .filter(|a| a.e2e_text().is_some())
                    .filter_map(|a| a.intent.as_deref()),
            );
        }
        with_examples.extend(COMMAND_INTENTS);
        // Rasa 2 and 3's `FallbackClassifier` predicts it, from no examples.
        if project.rasa.version != RasaVersion::V1 {
            with_examples.insert("nlu_fallback");
        }
        let syntax = Syntax::of_data(project);
        for (file, domain) in project.domain_files() {
            for intent in &domain.intents {
                if with_examples.contains(intent.name.name.as_str()) {
                    continue;
                }
                out.push(
                    Diagnostic::new(
                        &Self::META,
                        file,
                        intent.name.span.clone(),
                        format!("intent `{}` has no NLU examples", intent.name.name),
                    )
                    .with_label("declared here")
                    .with_help(format!(
                        "add examples under `{}`, or remove the intent",
                        syntax.intent_examples(&intent.name.name)
                    )),
                );
            }
        }
    }
}

/// Intents sent by the domain's buttons.
fn button_intents(project: &Project) -> impl Iterator<Item = &str> {
    project
        .domain_files()
        .flat_map(|(_, d)| &d.responses)
        .flat_map(|r| &r.button_payloads)
        .filter_map(|p| payload_intent(&p.payload.name))
}
