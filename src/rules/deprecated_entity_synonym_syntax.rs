use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::model::nlu::AnnotationForm;
use crate::model::nlu::{Entity, Example};
use crate::rule::Rule;
use crate::syntax::nlu::char_slice;

declare_rule! {
    /// ## What it does
    /// Reports the `[text](entity:value)` annotation, which gives an entity a value (and,
    /// when it differs from the text, maps the text to it as a synonym), once per NLU
    /// file: at the first such annotation, with the number in the file in the message,
    /// and the help showing that annotation rewritten in the dictionary form
    /// `[text]{"entity": "entity", "value": "value"}`.
    ///
    /// One finding per file because Rasa warns once per file, and because a file with
    /// fifty of them is one thing to convert, best done at once with search and replace.
    ///
    /// ## Why is this bad?
    /// Rasa 1.10 deprecates the form: every `rasa train` prints a FutureWarning ("You are
    /// using the deprecated training data format to declare synonyms …") for each file
    /// that uses it, with a `sed` command that rewrites the file, and the form may go
    /// away. The dictionary form means the same and also takes a `role` and a `group`.
    ///
    /// Runs on Rasa 1.x bots only: Rasa 2 and 3 no longer deprecate the short form and
    /// read it without a warning, in Markdown and in YAML, so it is fine there.
    ///
    /// ## Example
    /// ```md
    /// ## intent:inform
    /// - I live in [NYC](city:New York)
    /// <!-- write: I live in [NYC]{"entity": "city", "value": "New York"} -->
    /// ```
    pub struct DeprecatedEntitySynonymSyntax {
        code: "RL208",
        name: "deprecated-entity-synonym-syntax",
        severity: Warning,
        versions: [V1],
        summary: "the deprecated `[text](entity:value)` annotation",
    }
}

impl Rule for DeprecatedEntitySynonymSyntax {
    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        for (file, nlu) in project.nlu_files() {
            let mut uses = nlu.examples.iter().flat_map(|example| {
                example
                    .entities
                    .iter()
                    .filter(|e| e.form == AnnotationForm::ShortWithValue)
                    .map(move |e| (example, e))
            });
            let Some((example, first)) = uses.next() else {
                continue;
            };
            let count = 1 + uses.count();
            let written = project.file(file).slice(&first.span);
            let message = match count {
                1 => format!(
                    "`{written}` uses the `[text](entity:value)` form, deprecated in Rasa 1.10"
                ),
                n => format!(
                    "`{written}` uses the `[text](entity:value)` form, deprecated in Rasa 1.10 ({n} such annotations in this file)"
                ),
            };
            let label = match count {
                1 => "deprecated form",
                _ => "first one here",
            };
            let also = if count > 1 {
                ", and the others alike"
            } else {
                ""
            };
            let warning = "Rasa 1.10 warns \"You are using the deprecated training data format to declare synonyms\" for this file";
            let help = match dict_form(example, first) {
                Some(dict) => format!("write it as `{dict}`{also}; {warning}"),
                None => format!(
                    "write it as `[text]{{\"entity\": \"…\", \"value\": \"…\"}}`{also} (this one has a `}}` in it, which the dictionary form cannot hold: change the value); {warning}"
                ),
            };
            out.push(
                Diagnostic::new(&Self::META, file, first.span.clone(), message)
                    .with_label(label)
                    .with_help(help),
            );
        }
    }
}

/// The annotation in the dictionary form: `[NYC]{"entity": "city", "value": "New York"}`;
/// `None` when the body would hold a `}`, where Rasa ends the dictionary.
fn dict_form(example: &Example, entity: &Entity) -> Option<String> {
    let text = char_slice(&example.text, entity.start, entity.end);
    let json = |s: &str| serde_json::to_string(s).unwrap_or_else(|_| format!("\"{s}\""));
    let value = match entity.value.as_str() {
        Some(s) => json(s),
        None => entity.value.to_string(),
    };
    let body = format!("\"entity\": {}, \"value\": {value}", json(&entity.entity));
    (!body.contains('}')).then(|| format!("[{text}]{{{body}}}"))
}
