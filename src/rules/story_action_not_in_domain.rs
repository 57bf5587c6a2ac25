use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::model::dialogue::{NameParameters, StepKind};
use crate::rasa::RasaVersion;
use crate::rule::Rule;
use crate::source::Span;
use crate::suggest::closest;
use crate::syntax::stories::misspelt_event;

declare_rule! {
    /// ## What it does
    /// Reports an action in a story (`- action_check_weather`, `- restaurant_form`, any
    /// name that is not an `utter_` response) that the domain does not know: it is not
    /// listed under `actions:`, is no response and no form, and is not one of the default
    /// actions of the bot's Rasa version: 1.10's `action_listen`, `action_restart`,
    /// `action_session_start`, `action_default_fallback`, `action_deactivate_form`,
    /// `action_revert_fallback_events`, `action_default_ask_affirmation`,
    /// `action_default_ask_rephrase`, `action_back`; Rasa 2.8 renames
    /// `action_deactivate_form` to `action_deactivate_loop` and adds
    /// `action_two_stage_fallback`, `action_unlikely_intent` and `...`; Rasa 3.6 adds
    /// `action_extract_slots`.
    ///
    /// ## Why is this bad?
    /// `rasa data validate` 1.10 only checks `utter_` actions, so the mistake shows up
    /// later: `rasa train` stops while it encodes the stories, with "NameError: Cannot
    /// access action 'x', as that name is not a registered action for this domain", and
    /// no file or line. Usually a typo, or an action implemented in the action server but
    /// not added to the domain.
    ///
    /// Not reported here: `utter_` actions without a response (RL107), names that hold an
    /// unclosed `<!--` (RL009), lines that name no action (RL006), a stray `-->` (RL009),
    /// misspelt events such as `- slots{…}` that Rasa runs as actions, and an action whose
    /// `name` parameter is no string (both RL008). `- action{"name": "x"}` is the action
    /// `x` and is checked like `- x`.
    /// A retrieval action (`respond_faq`) must be listed under `actions:` in 1.x, so it is
    /// reported like any other action; Rasa 2 and 3 name it `utter_faq` instead, and the
    /// help says so.
    ///
    /// In YAML stories and rules every `action:` is checked the same way; in a Rasa 2 or 3
    /// bot the responses under an NLU file's `responses:` key are actions too (Rasa merges
    /// them into the domain). `rasa data validate` 2.8 and 3.6 check only names starting
    /// with `action_` ("The action '…' is used in the '…' block, but it is not listed in
    /// the domain file", an error), 1.10 none.
    ///
    /// ## Example
    /// ```md
    /// ## weather
    /// * ask_weather
    ///   - action_check_wether     <- the domain lists action_check_weather
    /// ```
    /// ```yaml
    /// rules:
    /// - rule: weather
    ///   steps:
    ///   - intent: ask_weather
    ///   - action: action_check_wether   # the domain lists action_check_weather
    /// ```
    pub struct StoryActionNotInDomain {
        code: "RL109",
        name: "story-action-not-in-domain",
        severity: Error,
        needs_domain: true,
        summary: "a story uses an action not declared in the domain",
    }
}

/// Whether the parser already reported this action line (RL008): a name with parameters
/// that is `active_loop` or one or two edits away from an event name (Rasa runs the line
/// as an action), or a `name` parameter that is no string.
fn reported_as_unknown_event(written: &str, parameters: Option<&NameParameters>) -> bool {
    let Some(parameters) = parameters else {
        return false;
    };
    parameters.name_not_text || written == "active_loop" || misspelt_event(written).is_some()
}

impl Rule for StoryActionNotInDomain {
    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        let domain = &project.domain;
        let rasa = project.rasa.version;
        let responses = project.responses();
        for (file, stories) in project.story_files() {
            let text = &project.file(file).text;
            for (step, name) in stories.actions() {
                if name.is_empty()
                    || name.starts_with("utter_")
                    || name.starts_with("->")
                    || crate::syntax::find::comment_open(name).is_some()
                    || domain.actions.contains_key(name)
                    || responses.contains(name)
                    || domain.forms.contains_key(name)
                    || rasa.is_default_action(name)
                    // Rasa 2.8 renames it to its default `action_deactivate_loop`.
                    || (rasa == RasaVersion::V2 && name == "action_deactivate_form")
                {
                    continue;
                }
                let StepKind::Action { parameters, .. } = &step.kind else {
                    continue;
                };
                let parameters = parameters.as_deref();
                let written = text.get(step.name_span()).unwrap_or(name);
                // YAML actions have no parameters, and names close to events are actions.
                if !stories.is_yaml() && reported_as_unknown_event(written, parameters) {
                    continue;
                }
                // `- action{"name": "x"}`: point at `x`.
                let span = parameters
                    .filter(|_| written != name)
                    .and_then(|p| p.name_span.clone())
                    .unwrap_or_else(|| step.name_span());
                out.push(report(project, file, span, name));
            }
        }
    }
}

fn report(project: &Project, file: crate::source::FileId, span: Span, name: &str) -> Diagnostic {
    let domain = &project.domain;
    let diagnostic = Diagnostic::new(
        &StoryActionNotInDomain::META,
        file,
        span,
        format!("action `{name}` is not in the domain"),
    )
    .with_label("used here");
    let known = domain
        .actions
        .keys()
        .chain(domain.responses.keys())
        .chain(domain.forms.keys())
        .map(String::as_str)
        .chain(
            project
                .rasa
                .version
                .default_actions()
                .map(|a| -> &str { a }),
        );
    if let Some(known) = closest(name, known) {
        let declared = domain
            .actions
            .get(known)
            .or_else(|| domain.forms.get(known))
            .or_else(|| domain.responses.get(known));
        let diagnostic = diagnostic.with_help(format!("did you mean `{known}`?"));
        return match declared {
            Some(declared) => diagnostic.with_related(
                declared.file,
                declared.span.clone(),
                format!("`{known}` is declared here"),
            ),
            None => diagnostic,
        };
    }
    let rasa_1 = project.rasa.version == RasaVersion::V1;
    let help = if name.ends_with("_form") && rasa_1 {
        format!(
            "if it is a form, add `- {name}` under `forms:` in the domain; otherwise under `actions:`"
        )
    } else if name.ends_with("_form") {
        format!(
            "if it is a form, add `{name}:` with its `required_slots` under `forms:` in the domain; otherwise `- {name}` under `actions:`"
        )
    } else if name.starts_with("respond_") && rasa_1 {
        format!(
            "Rasa 1.x runs a retrieval action only when the domain lists it: add `- {name}` under `actions:`"
        )
    } else if let Some(intent) = name.strip_prefix("respond_") {
        format!(
            "Rasa 2 and 3 answer the retrieval intent `{intent}` with the action `utter_{intent}`: write that (its responses are `utter_{intent}/<key>`)"
        )
    } else {
        format!(
            "add `- {name}` under `actions:` in the domain; without it `rasa train` stops (\"Cannot access action '{name}'\")"
        )
    };
    diagnostic.with_help(help)
}
