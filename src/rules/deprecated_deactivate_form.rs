use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Edit};
use crate::model::Project;
use crate::model::dialogue::StepKind;
use crate::rule::Rule;

/// The name Rasa 2.8 renames, and what it renames it to.
const OLD_NAME: &str = "action_deactivate_form";
const NEW_NAME: &str = "action_deactivate_loop";

declare_rule! {
    /// ## What it does
    /// Reports the action `action_deactivate_form` in the stories, rules and test
    /// stories of a Rasa 2 bot, with a fix that writes `action_deactivate_loop`.
    ///
    /// ## Why is this bad?
    /// Rasa 2.8 reads it as `action_deactivate_loop`, with a warning on every run that
    /// does not say where ("Using action 'action_deactivate_form' is deprecated. Please
    /// use 'action_deactivate_loop' instead. …"). Rasa 3 no longer renames it: there it is
    /// an action the domain does not have (RL109), and the form is never deactivated. The
    /// fix changes nothing Rasa 2.8 reads.
    ///
    /// ## Example
    /// ```yaml
    /// - rule: stop the form
    ///   condition:
    ///   - active_loop: restaurant_form
    ///   steps:
    ///   - intent: stop
    ///   - action: action_deactivate_form    # write action_deactivate_loop
    ///   - active_loop: null
    /// ```
    pub struct DeprecatedDeactivateForm {
        code: "RL309",
        name: "deprecated-deactivate-form",
        severity: Warning,
        versions: [V2],
        summary: "`action_deactivate_form`, which Rasa 2.8 renames with a warning and Rasa 3 does not know",
    }
}

impl Rule for DeprecatedDeactivateForm {
    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        for (file, stories) in project.story_files() {
            // A file Rasa does not read, or refuses, warns about nothing.
            if !project.reads(file) || stories.rasa_error.is_some() {
                continue;
            }
            let text = &project.file(file).text;
            for step in stories.steps() {
                if !matches!(&step.kind, StepKind::Action { name, .. } if name == OLD_NAME) {
                    continue;
                }
                let finding = Diagnostic::new(
                    &Self::META,
                    file,
                    step.name_span(),
                    format!("Rasa 2.8 reads `{OLD_NAME}` as `{NEW_NAME}`, with a deprecation warning; Rasa 3 does not know it"),
                )
                .with_label("deprecated name")
                .with_help(format!("write `{NEW_NAME}`"));
                // Only where the name is written as it is read (not behind escapes).
                let written = text.get(step.name_span()) == Some(OLD_NAME);
                out.push(match written {
                    true => finding.with_fix(vec![Edit {
                        span: step.name_span(),
                        text: NEW_NAME.to_string(),
                    }]),
                    false => finding,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rasa::RasaVersion;
    use crate::rules::support::findings_on_data;

    #[test]
    fn the_old_name_is_reported_at_the_step_with_a_fix() {
        let stories = "version: \"2.0\"\nrules:\n- rule: stop\n  condition:\n  - active_loop: f\n  steps:\n  - intent: stop\n  - action: action_deactivate_form\n  - active_loop: null\n- rule: other\n  steps:\n  - intent: stop\n  - action: action_deactivate_loop\n";
        let found = findings_on_data(
            &DeprecatedDeactivateForm,
            &[("data/rules.yml", stories)],
            RasaVersion::V2,
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(&stories[found[0].span.clone()], OLD_NAME);
        assert_eq!(found[0].fix[0].text, NEW_NAME);
    }

    #[test]
    fn a_quoted_name_with_escapes_gets_no_fix() {
        let stories = "version: \"2.0\"\nstories:\n- story: s\n  steps:\n  - intent: stop\n  - action: \"action_deactivate_\\x66orm\"\n";
        let found = findings_on_data(
            &DeprecatedDeactivateForm,
            &[("data/stories.yml", stories)],
            RasaVersion::V2,
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].fix.is_empty());
    }
}
