use rustc_hash::FxHashMap;

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::rasa::RasaVersion;
use crate::rule::Rule;
use crate::source::{FileId, Span};

declare_rule! {
    /// ## What it does
    /// Reports a domain response whose name does not start with `utter_`.
    ///
    /// A response the bot's custom action code names in quotes
    /// (`dispatcher.utter_message(template="greeting_text")`, in `actions.py` or
    /// `actions/*.py` beside the domain) is not reported: uttered that way, it works
    /// under any name.
    ///
    /// ## Why is this bad?
    /// Rasa 1.x turns every response into an action of the same name, and decides what an
    /// action does by its prefix: only `utter_` actions say their response. Any other
    /// name is run as a custom action on the action server, which has no such action, so
    /// the bot fails where a story uses it instead of answering. When a story uses the
    /// response, the finding points at the first such step. Rasa 2 and 3 do the same (and
    /// `rasa data validate` 3.6 always calls such a response unused, even when a story
    /// uses it).
    ///
    /// ## Example
    /// ```yaml
    /// responses:
    ///   greeting:           # write `utter_greeting`
    ///   - text: Hello!
    /// ```
    pub struct ResponseNameWithoutUtterPrefix {
        code: "RL408",
        name: "response-name-without-utter-prefix",
        severity: Warning,
        summary: "a response whose name does not start with `utter_`",
    }
}

impl Rule for ResponseNameWithoutUtterPrefix {
    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        let code: Vec<&str> = project
            .parts
            .iter()
            .zip(&project.files)
            .filter(|(parts, _)| parts.action_code.is_some())
            .map(|(_, file)| file.text.as_str())
            .collect();
        let mut used_in_stories: FxHashMap<&str, (FileId, Span)> = FxHashMap::default();
        for (file, stories) in project.story_files() {
            for (step, name) in stories.actions() {
                used_in_stories
                    .entry(name)
                    .or_insert_with(|| (file, step.name_span()));
            }
        }
        let release = match project.rasa.version {
            RasaVersion::V1 => "Rasa 1.x",
            _ => "Rasa",
        };
        for (file, domain) in project.domain_files() {
            for response in &domain.responses {
                let name = response.name.name.as_str();
                if name.starts_with("utter_") || quoted_in(&code, name) {
                    continue;
                }
                let diagnostic = Diagnostic::new(
                    &Self::META,
                    file,
                    response.name.span.clone(),
                    format!("response `{name}` does not start with `utter_`"),
                )
                .with_label("Rasa runs this as a custom action")
                .with_help(format!(
                    "rename it `utter_{name}`, here and wherever it is used: {release} only utters responses named `utter_…`, and calls the action server for any other name"
                ));
                let diagnostic = match used_in_stories.get(name) {
                    Some((story_file, span)) => diagnostic.with_related(
                        *story_file,
                        (*span).clone(),
                        "this story step calls the action server instead of answering",
                    ),
                    None => diagnostic,
                };
                out.push(diagnostic);
            }
        }
    }
}

/// Whether any of the code texts has `name` in single or double quotes.
fn quoted_in(code: &[&str], name: &str) -> bool {
    let double = format!("\"{name}\"");
    let single = format!("'{name}'");
    code.iter()
        .any(|text| text.contains(&double) || text.contains(&single))
}
