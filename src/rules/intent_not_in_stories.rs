use rustc_hash::FxHashSet;

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::model::domain::SlotMapping;
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
    /// Likewise an intent named by the `intent:` of a slot mapping a form fills its slot
    /// with (a mapping of a Rasa 2 form's required slot; in Rasa 3 a mapping with a
    /// condition naming an `active_loop`, or of a slot some form requires) counts as
    /// used: the user says it to answer the form, which goes on by itself. Rasa 3.6's
    /// validator counts only story and rule steps and reports it; see docs/compat.md.
    /// Not counted: `not_intent:` (it only keeps the intent from filling the slot), and
    /// `from_trigger_intent` mappings, whose intent starts the form and so needs a story
    /// or rule, nor a mapping of a slot no form fills, which Rasa applies at any turn.
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

/// The `intent:` names of a mapping, unless it is a `from_trigger_intent` one.
fn answers(mapping: &SlotMapping) -> impl Iterator<Item = &str> {
    let trigger = mapping
        .mapping_type
        .as_ref()
        .is_some_and(|t| t.name == "from_trigger_intent");
    let intents = if trigger {
        &[][..]
    } else {
        &mapping.intents[..]
    };
    intents.iter().map(|i| i.name.as_str())
}

/// The intents that fill a slot while a form asks for it (see the rule's docs).
fn form_mapping_intents(project: &Project) -> FxHashSet<&str> {
    let mut intents = FxHashSet::default();
    for (_, domain) in project.domain_files() {
        let required: FxHashSet<&str> = domain
            .form_decls
            .iter()
            .flat_map(|form| &form.required_slots)
            .map(|slot| slot.name.name.as_str())
            .collect();
        let form_mappings = domain
            .form_decls
            .iter()
            .flat_map(|form| &form.required_slots)
            .flat_map(|slot| &slot.mappings);
        intents.extend(form_mappings.flat_map(answers));
        for slot in &domain.slots {
            let required = required.contains(slot.name.name.as_str());
            let mappings = slot.mappings.iter().flatten();
            let in_a_form = mappings
                .filter(|m| required || m.conditions.iter().any(|c| c.active_loop.is_some()));
            intents.extend(in_a_form.flat_map(answers));
        }
    }
    intents
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
        let form_mappings = std::cell::OnceCell::new();
        for (file, domain) in project.domain_files() {
            for intent in domain.intents.iter().filter(|i| {
                let name = i.name.name.as_str();
                !used.contains(name)
                    && i.triggers.is_none()
                    && !COMMAND_INTENTS.contains(&name)
                    && !form_answers
                        .get_or_init(|| form_answer_intents(project))
                        .contains(name)
                    && !form_mappings
                        .get_or_init(|| form_mapping_intents(project))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::domain::Name;

    fn mapping(kind: &str, intents: &[&str]) -> SlotMapping {
        let name = |n: &str| Name {
            name: n.to_string(),
            span: 0..0,
        };
        SlotMapping {
            span: 0..0,
            mapping_type: Some(name(kind)),
            entity: None,
            role: None,
            group: None,
            intents: intents.iter().map(|i| name(i)).collect(),
            not_intents: vec![name("chitchat")],
            action: None,
            conditions: Vec::new(),
        }
    }

    #[test]
    fn a_mapping_answers_with_its_intents_unless_they_trigger_the_form() {
        fn intents(m: &SlotMapping) -> Vec<&str> {
            answers(m).collect()
        }
        assert_eq!(intents(&mapping("from_intent", &["affirm"])), ["affirm"]);
        assert_eq!(intents(&mapping("from_text", &["a", "b"])), ["a", "b"]);
        assert!(intents(&mapping("from_trigger_intent", &["book"])).is_empty());
    }
}
