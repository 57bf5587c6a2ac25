use rustc_hash::{FxHashMap, FxHashSet};

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::rule::Rule;
use crate::source::{FileId, Span};
use crate::suggest::closest;

declare_rule! {
    /// ## What it does
    /// Reports an entry of a responses file (`* faq/ask_name`) that no NLU example uses:
    /// there is no `## intent:faq/ask_name` section with examples in any NLU file.
    ///
    /// ## Why is this bad?
    /// The response selector only learns the responses of retrieval intents that have
    /// examples, so this answer can never be given. Usually the NLU header or the entry
    /// has a typo, or the examples were removed and the answer was forgotten; when the
    /// NLU side has the misspelt twin, Rasa 1.x refuses to load the data
    /// (`retrieval-intent-without-responses`), and the help names it here.
    ///
    /// Nothing is reported when the bot has no Markdown NLU file at all (its NLU data may
    /// be in a format rasalint does not read).
    ///
    /// ## Example
    /// ```md
    /// ## ask age
    /// * faq/ask_age         <- no `## intent:faq/ask_age` in the NLU data
    ///   - I was born in 2020
    /// ```
    pub struct ResponseWithoutRetrievalExamples {
        code: "RL116",
        name: "response-without-retrieval-examples",
        severity: Warning,
        summary: "a retrieval response has no NLU examples",
    }
}

impl Rule for ResponseWithoutRetrievalExamples {
    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        if project.nlu_files().next().is_none() {
            return;
        }
        // Every `intent/key` with examples, and the title of its first section.
        let mut with_examples: FxHashMap<String, (FileId, Span)> = FxHashMap::default();
        for (file, nlu) in project.nlu_files() {
            for example in &nlu.examples {
                let Some(response_key) = &example.response_key else {
                    continue;
                };
                with_examples
                    .entry(format!("{}/{}", example.intent, response_key))
                    .or_insert_with(|| (file, nlu.sections[example.section].title_span.clone()));
            }
        }
        let responses: FxHashSet<&str> = project
            .nlg_files()
            .flat_map(|(_, nlg)| &nlg.entries)
            .map(|e| e.key.as_str())
            .collect();
        for (file, nlg) in project.nlg_files() {
            for entry in &nlg.entries {
                let key = entry.key.as_str();
                if with_examples.contains_key(key) {
                    continue;
                }
                let diagnostic = Diagnostic::new(
                    &Self::META,
                    file,
                    entry.key_span.clone(),
                    format!("response `{key}` has no NLU examples"),
                )
                .with_label("no `## intent:` section has examples for this key");
                // A retrieval intent without a response of its own is probably this one.
                let orphans = with_examples
                    .keys()
                    .map(String::as_str)
                    .filter(|k| !responses.contains(k));
                let diagnostic = match closest(key, orphans) {
                    Some(known) => {
                        let (section_file, section_span) = &with_examples[known];
                        diagnostic
                            .with_related(
                                *section_file,
                                section_span.clone(),
                                format!("`{known}` has examples here"),
                            )
                            .with_help(format!(
                                "did you mean `{known}`? Rename the response or the intent so that they match"
                            ))
                    }
                    None => diagnostic.with_help(match key.split_once('/') {
                        Some(_) => format!(
                            "add examples under `## intent:{key}` to an NLU file, or remove the response: the bot can never give it"
                        ),
                        None => format!(
                            "a response key is a retrieval intent and a key, such as `{key}/ask_name`, with examples under `## intent:{key}/ask_name`"
                        ),
                    }),
                };
                out.push(diagnostic);
            }
        }
    }
}
