use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Edit};
use crate::model::Project;
use crate::model::domain::Name;
use crate::rasa::RasaVersion;
use crate::rule::Rule;
use crate::source::FileId;

declare_rule! {
    /// ## What it does
    /// Reports a domain whose responses are under the old `templates:` key.
    ///
    /// ## Why is this bad?
    /// Rasa renamed `templates:` to `responses:` in 1.7 and still reads the old key in
    /// 1.x, but Rasa 2.x ignores `templates:` entirely: after an upgrade the bot has no
    /// responses at all, and every `utter_` action says nothing. When a domain has both
    /// keys, Rasa 1.7–1.10 read only `templates:` and silently drop everything under
    /// `responses:`; the finding then says so.
    ///
    /// In a Rasa 2 or 3 bot the finding says what has already happened: Rasa reads only
    /// `responses:` and drops everything under `templates:` without a word.
    ///
    /// A bot that still runs Rasa 1.6 or older needs `templates:` (those versions do not
    /// know `responses:`): ignore the rule there.
    ///
    /// ## Example
    /// ```yaml
    /// templates:            # write `responses:`
    ///   utter_greet:
    ///   - text: Hello!
    /// ```
    ///
    /// ## Fix
    /// `rasalint check --fix` renames the key when the domain has no `responses:` key
    /// too (for Rasa 1.7 and later, which rasalint reads as, and Rasa 2 and 3).
    pub struct DeprecatedTemplatesKey {
        code: "RL405",
        name: "deprecated-templates-key",
        severity: Warning,
        summary: "the domain uses `templates:` instead of `responses:`",
    }
}

impl Rule for DeprecatedTemplatesKey {
    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        for (file, domain) in project.domain_files() {
            let Some(key) = domain
                .responses_key
                .as_ref()
                .filter(|k| k.name == "templates")
            else {
                continue;
            };
            let responses = domain.top_level_keys.iter().find(|k| k.name == "responses");
            if project.rasa.version != RasaVersion::V1 {
                out.push(ignored_by_rasa_2(file, key, responses));
                continue;
            }
            let diagnostic = match responses {
                None => Diagnostic::new(
                    &Self::META,
                    file,
                    key.span.clone(),
                    "`templates:` is the old name of `responses:`",
                )
                .with_label("deprecated since Rasa 1.7")
                .with_help(
                    "rename the key to `responses:`: Rasa 2.x ignores `templates:`, so after an upgrade the bot would have no responses",
                )
                // Rasa 1.7 and later read `responses:` as they read `templates:`.
                .with_fix(vec![Edit {
                    span: key.span.clone(),
                    text: "responses".to_string(),
                }]),
                Some(responses) => Diagnostic::new(
                    &Self::META,
                    file,
                    key.span.clone(),
                    "the domain has both `templates:` and `responses:`: Rasa 1.x reads only `templates:`",
                )
                .with_label("Rasa reads the responses from here")
                .with_related(file, responses.span.clone(), "Rasa 1.x ignores everything under this key")
                .with_help(
                    "move the responses of both keys under one `responses:` key: Rasa 2.x reads only `responses:`",
                ),
            };
            out.push(diagnostic);
        }
    }
}

/// The finding in a Rasa 2 or 3 bot, which ignores `templates:`: its responses are
/// missing from the bot.
fn ignored_by_rasa_2(file: FileId, key: &Name, responses: Option<&Name>) -> Diagnostic {
    let diagnostic = Diagnostic::new(
        &DeprecatedTemplatesKey::META,
        file,
        key.span.clone(),
        "Rasa 2 and 3 ignore `templates:`: the bot has none of the responses under it",
    )
    .with_label("ignored since Rasa 2.0");
    match responses {
        // No automatic fix: renaming the key adds responses to what Rasa reads, and
        // `--fix` changes only what Rasa reads alike.
        None => diagnostic.with_help(
            "rename the key to `responses:`, the name Rasa 2 and 3 read (not done by `--fix`, as it changes what Rasa reads)",
        ),
        Some(responses) => diagnostic
            .with_related(
                file,
                responses.span.clone(),
                "Rasa reads the responses from here",
            )
            .with_help("move the responses under `templates:` to the `responses:` key"),
    }
}
