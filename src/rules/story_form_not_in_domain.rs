use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::model::dialogue::StepKind;
use crate::rasa::RasaVersion;
use crate::rule::Rule;
use crate::suggest::closest;

declare_rule! {
    /// ## What it does
    /// Reports a `- form{"name": "x"}` story line that activates a form the domain does
    /// not list under `forms:`. A bare `- form` line activates a form literally named
    /// `form` and is reported too. `- form{"name": null}` (deactivation) is not.
    ///
    /// In YAML stories and rules (Rasa 2 and 3): an `active_loop: x` step or rule
    /// condition whose loop is no form of the domain. `action_two_stage_fallback`, the
    /// loop Rasa 2 and 3 have by themselves, is accepted; `active_loop: null` deactivates.
    ///
    /// ## Why is this bad?
    /// Rasa 1.10 does not check it: the story trains with an active form the bot does not
    /// have, so the states learnt inside it never occur in a conversation. Usually a typo,
    /// or a form declared under `actions:` instead of `forms:`. `rasa data validate` 3.6
    /// fails on it ("The form '…' is used in the '…' block, but it is not listed in the
    /// domain file"), though it accepts any action name there; 2.8 does not check it.
    ///
    /// Not reported here: `- active_loop{…}` (a Rasa 2.x event, which Rasa 1.x runs as an
    /// action: see RL008 and RL109), and the form's own action line (`- restaurant_form`),
    /// which is an action (RL109).
    ///
    /// ## Example
    /// ```md
    /// ## search
    /// * request_restaurant
    ///   - restaurant_form
    ///   - form{"name": "restaurnt_form"}     <- the domain lists restaurant_form
    /// ```
    /// ```yaml
    /// rules:
    /// - rule: search
    ///   steps:
    ///   - intent: request_restaurant
    ///   - action: restaurant_form
    ///   - active_loop: restaurnt_form        # the domain lists restaurant_form
    /// ```
    pub struct StoryFormNotInDomain {
        code: "RL110",
        name: "story-form-not-in-domain",
        severity: Error,
        needs_domain: true,
        summary: "a story activates a form not declared in the domain",
    }
}

impl Rule for StoryFormNotInDomain {
    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        let domain = &project.domain;
        // Rasa 2 and 3 write forms as mappings with their required slots, and have the
        // two-stage fallback loop by themselves.
        let rasa_1 = project.rasa.version == RasaVersion::V1;
        for (file, stories) in project.story_files() {
            for step in stories.steps() {
                let StepKind::Form {
                    name: Some(form),
                    parameters,
                } = &step.kind
                else {
                    continue;
                };
                if form.is_empty()
                    || domain.forms.contains_key(form.as_str())
                    || (!rasa_1 && form == "action_two_stage_fallback")
                {
                    continue;
                }
                // A bare Markdown `- form` line (YAML names the loop in `active_loop:`).
                let bare = parameters.is_none() && !stories.is_yaml();
                let span = parameters
                    .as_ref()
                    .and_then(|p| p.name_span.clone())
                    .unwrap_or_else(|| step.name_span());
                let diagnostic = Diagnostic::new(
                    &Self::META,
                    file,
                    span,
                    format!("form `{form}` is not in the domain"),
                )
                .with_label("activated here");
                let diagnostic = if bare {
                    diagnostic.with_help(
                        "a bare `- form` line activates a form named `form`: name the form, \
                         `- form{\"name\": \"my_form\"}`, or write `- form{\"name\": null}` \
                         to deactivate the active one",
                    )
                } else if let Some(declared) = domain.actions.get(form.as_str()) {
                    let help = if rasa_1 {
                        format!(
                            "`{form}` is listed under `actions:`, so Rasa does not know it is a \
                             form: move it to `forms:` (Rasa 1.x rejects a name listed under both)"
                        )
                    } else {
                        format!(
                            "`{form}` is listed under `actions:`, so Rasa does not know it is a \
                             form: declare it under `forms:`, with its `required_slots`"
                        )
                    };
                    diagnostic.with_help(help).with_related(
                        declared.file,
                        declared.span.clone(),
                        "listed as an action here",
                    )
                } else if let Some(known) = closest(form, domain.forms.keys().map(String::as_str)) {
                    let declared = &domain.forms[known];
                    diagnostic
                        .with_help(format!("did you mean `{known}`?"))
                        .with_related(
                            declared.file,
                            declared.span.clone(),
                            format!("`{known}` is declared here"),
                        )
                } else if rasa_1 {
                    diagnostic.with_help(format!("add `- {form}` under `forms:` in the domain"))
                } else {
                    diagnostic.with_help(format!(
                        "add `{form}:` with its `required_slots` under `forms:` in the domain"
                    ))
                };
                out.push(diagnostic);
            }
        }
    }
}
