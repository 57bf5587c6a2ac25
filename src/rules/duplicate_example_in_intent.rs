use rustc_hash::FxHashMap;

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::rule::Rule;
use crate::source::{FileId, Span};

declare_rule! {
    /// ## What it does
    /// Reports an example that appears twice under the same intent (same text after
    /// annotations are removed), pointing at the first occurrence.
    ///
    /// The same in YAML, where two `- intent:` items of one name, in one file or several,
    /// add up to one intent.
    ///
    /// ## Why is this bad?
    /// Rasa drops exact duplicates silently, so the copy adds nothing but review noise; when
    /// the two copies annotate entities differently, the model is taught both.
    ///
    /// ## Example
    /// ```md
    /// ## intent:greet
    /// - hello
    /// - hi
    /// - hello
    /// ```
    pub struct DuplicateExampleInIntent {
        code: "RL202",
        name: "duplicate-example-in-intent",
        severity: Warning,
        summary: "the same example twice in one intent",
    }
}

impl Rule for DuplicateExampleInIntent {
    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        let examples = project.example_count();
        let mut first: FxHashMap<(&str, Option<&str>, &str), (FileId, Span)> =
            FxHashMap::with_capacity_and_hasher(examples, Default::default());
        for (file, nlu) in project.nlu_files() {
            for example in &nlu.examples {
                let key = (
                    example.intent.as_str(),
                    example.response_key(),
                    example.text.as_str(),
                );
                match first.get(&key) {
                    None => {
                        first.insert(key, (file, example.span.clone()));
                    }
                    Some((first_file, first_span)) => out.push(
                        Diagnostic::new(
                            &Self::META,
                            file,
                            example.span.clone(),
                            format!(
                                "`{}` is already an example of `{}`",
                                project.file(file).slice(&example.span),
                                example.intent
                            ),
                        )
                        .with_label("repeated here")
                        .with_related(*first_file, first_span.clone(), "first written here")
                        .with_help("remove the repeated example"),
                    ),
                }
            }
        }
    }
}
