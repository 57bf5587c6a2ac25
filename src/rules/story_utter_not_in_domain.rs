use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Group};
use crate::model::Project;
use crate::rasa::RasaVersion;
use crate::rule::Rule;
use crate::suggest::Known;

declare_rule! {
    /// ## What it does
    /// Reports a story or rule action starting with `utter_` that has no response.
    ///
    /// In a Rasa 2 or 3 bot the responses under an NLU file's `responses:` key count, as
    /// Rasa merges them into the domain, and an action `utter_faq` is the answer of the
    /// retrieval intent `faq` when a response `utter_faq/<key>` exists.
    ///
    /// A name is reported once, at its first use (in path order), with the number of
    /// uses and the other uses as related places. A suppression or ignored path drops
    /// only the uses it covers: the finding stays while any use is left.
    ///
    /// On a bot read as Rasa 3.6 the finding is a warning, as `rasa data validate` 3.6
    /// gives it, so the run fails on it only with `--fail-on-warnings`.
    ///
    /// ## Why is this bad?
    /// The policy learns to predict an utterance the bot cannot say. `rasa data validate`
    /// reports it ("is not a valid utterance action") without saying where: an error in
    /// Rasa 1.10 and 2.8, a warning in 3.6 (which fails only with `--fail-on-warnings`);
    /// the bot says nothing at that point of the conversation either way.
    ///
    /// ## Example
    /// ```md
    /// ## greet
    /// * greet
    ///   - utter_hello     <- domain only has utter_greet
    /// ```
    /// ```yaml
    /// stories:
    /// - story: greet
    ///   steps:
    ///   - intent: greet
    ///   - action: utter_hello     # the domain only has utter_greet
    /// ```
    pub struct StoryUtterNotInDomain {
        code: "RL107",
        name: "story-utter-not-in-domain",
        severity: Error,
        needs_domain: true,
        warning_in: [V3],
        summary: "a story uses an utter_ action that has no response",
    }
}

impl Rule for StoryUtterNotInDomain {
    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        let responses = project.responses();
        // Built at the first unknown name: most bots have none.
        let known = std::cell::OnceCell::new();
        for (file, stories) in project.story_files() {
            for (step, name) in stories.actions() {
                // A name holding an unclosed `<!--` is reported as that comment (RL009).
                if !name.starts_with("utter_")
                    || crate::syntax::find::comment_open(name).is_some()
                    || responses.utters(name)
                {
                    continue;
                }
                let message = match project.rasa.version {
                    RasaVersion::V1 => format!("`{name}` has no response in the domain"),
                    _ => format!("`{name}` has no response"),
                };
                // One finding per name, the other uses as its related places: a response
                // missing from a skipped domain file is used dozens of times.
                let diagnostic = Diagnostic::new(&Self::META, file, step.name_span(), message)
                    .with_label("used here")
                    .in_group(Group {
                        key: name.to_string(),
                        verb: "used",
                        also: "also used here",
                    });
                let suggestion = known
                    .get_or_init(|| Known::new(responses.names()))
                    .closest(name);
                let diagnostic =
                    match suggestion.and_then(|known| Some((known, responses.get(known)?))) {
                        Some((known, declared)) => diagnostic
                            .with_help(format!("did you mean `{known}`?"))
                            .with_related(
                                declared.at.file,
                                declared.at.span.clone(),
                                format!("`{known}` is defined here"),
                            ),
                        None => diagnostic.with_help(add_response(project.rasa.version, name)),
                    };
                out.push(diagnostic);
            }
        }
    }
}

/// How to add the response: Rasa 1.x also wants it listed as an action; Rasa 2 and 3 make
/// every response an action by themselves.
fn add_response(version: RasaVersion, name: &str) -> String {
    match version {
        RasaVersion::V1 => {
            format!("add `{name}:` under `responses:` (and `- {name}` under `actions:`)")
        }
        _ => {
            format!("add `{name}:` with at least one `- text: …` under `responses:` in the domain")
        }
    }
}
