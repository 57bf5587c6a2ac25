use rustc_hash::FxHashMap;
use std::collections::hash_map::Entry;

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::rule::Rule;
use crate::source::{FileId, Span};

declare_rule! {
    /// ## What it does
    /// Reports an example whose text (annotations removed) also appears under another
    /// intent, pointing at both places.
    ///
    /// The examples of a retrieval intent's keys (`faq/ask_name`, `faq/ask_age`) are one
    /// intent here, as Rasa compares base intents. (Rasa 3's check also compares the
    /// `user:` texts of story turns that name an intent, which it adds to the NLU data;
    /// this rule compares the NLU files only.)
    ///
    /// ## Why is this bad?
    /// The model is taught that the same sentence means two different things; one of them
    /// is always wrong at prediction time. `rasa data validate` warns without a location
    /// (in 1.10, 2.8 and 3.6; it fails only with `--fail-on-warnings`).
    ///
    /// ## Example
    /// ```md
    /// ## intent:greet
    /// - hi
    /// ## intent:goodbye
    /// - hi
    /// ```
    /// ```yaml
    /// nlu:
    /// - intent: greet
    ///   examples: |
    ///     - hi
    /// - intent: goodbye
    ///   examples: |
    ///     - hi
    /// ```
    pub struct DuplicateExampleAcrossIntents {
        code: "RL201",
        name: "duplicate-example-across-intents",
        severity: Warning,
        summary: "the same example text under two intents",
    }
}

impl Rule for DuplicateExampleAcrossIntents {
    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        // The first place each (text, intent) pair appears, in file order.
        let examples = project.example_count();
        let mut first_by_text: FxHashMap<&str, Places> =
            FxHashMap::with_capacity_and_hasher(examples, Default::default());
        for (file, nlu) in project.nlu_files() {
            for example in &nlu.examples {
                let place = (example.intent.as_str(), file, example.span.clone());
                let places = match first_by_text.entry(example.text.as_str()) {
                    Entry::Vacant(vacant) => {
                        vacant.insert(Places {
                            first: place,
                            others: Vec::new(),
                        });
                        continue;
                    }
                    Entry::Occupied(occupied) => occupied.into_mut(),
                };
                if places.iter().any(|(intent, ..)| *intent == example.intent) {
                    continue;
                }
                let (first_intent, first_file, first_span) = &places.first;
                out.push(
                    Diagnostic::new(
                        &Self::META,
                        file,
                        example.span.clone(),
                        format!(
                            "`{}` is an example of both `{first_intent}` and `{}`",
                            project.file(file).slice(&example.span),
                            example.intent
                        ),
                    )
                    .with_label(format!("under `{}`", example.intent))
                    .with_related(*first_file, first_span.clone(), format!("also under `{first_intent}` here"))
                    .with_help("keep the example under the one intent it means, and remove or rephrase the other"),
                );
                places.others.push(place);
            }
        }
    }
}

/// Where a text is an example: its first place, and the first place under each other
/// intent. Most texts have one place, kept without a list.
struct Places<'p> {
    first: (&'p str, FileId, Span),
    others: Vec<(&'p str, FileId, Span)>,
}

impl Places<'_> {
    fn iter(&self) -> impl Iterator<Item = &(&str, FileId, Span)> {
        std::iter::once(&self.first).chain(&self.others)
    }
}
