use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::rule::Rule;
use crate::suggest::Known;

declare_rule! {
    /// ## What it does
    /// Reports a story action starting with `utter_` that has no response in the domain.
    ///
    /// ## Why is this bad?
    /// The policy learns to predict an utterance the bot cannot say; `rasa data validate`
    /// fails on it ("is not a valid utterance action") without saying where.
    ///
    /// ## Example
    /// ```md
    /// ## greet
    /// * greet
    ///   - utter_hello     <- domain only has utter_greet
    /// ```
    pub struct StoryUtterNotInDomain {
        code: "RL107",
        name: "story-utter-not-in-domain",
        severity: Error,
        needs_domain: true,
        summary: "a story uses an utter_ action that has no response",
    }
}

impl Rule for StoryUtterNotInDomain {
    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        // Built at the first unknown name: most bots have none.
        let known = std::cell::OnceCell::new();
        for (file, stories) in project.story_files() {
            for (step, name) in stories.actions() {
                // A name holding an unclosed `<!--` is reported as that comment (RL009).
                if !name.starts_with("utter_")
                    || crate::syntax::find::comment_open(name).is_some()
                    || project.domain.responses.contains_key(name)
                {
                    continue;
                }
                let diagnostic = Diagnostic::new(
                    &Self::META,
                    file,
                    step.name_span.clone(),
                    format!("`{name}` has no response in the domain"),
                )
                .with_label("used here");
                let suggestion = known
                    .get_or_init(|| Known::new(project.domain.responses.keys().map(String::as_str)))
                    .closest(name);
                let diagnostic = match suggestion {
                    Some(known) => {
                        let declared = &project.domain.responses[known];
                        diagnostic
                            .with_help(format!("did you mean `{known}`?"))
                            .with_related(
                                declared.file,
                                declared.span.clone(),
                                format!("`{known}` is defined here"),
                            )
                    }
                    None => diagnostic.with_help(format!(
                        "add `{name}:` under `responses:` (and `- {name}` under `actions:`)"
                    )),
                };
                out.push(diagnostic);
            }
        }
    }
}
