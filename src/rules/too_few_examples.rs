use std::collections::{HashMap, HashSet};

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::rule::{Rule, RuleMeta};
use crate::source::{FileId, Span};
use crate::syntax::nlu::{Example, SectionKind};

declare_rule! {
    /// ## What it does
    /// Reports an intent with fewer than 2 distinct examples in all NLU files together,
    /// at the title of its first `## intent:` section.
    ///
    /// Examples are counted as Rasa 1.10 counts them: exact duplicates (same text, same
    /// entities) are dropped first, and a retrieval intent is counted as a whole, so
    /// `## intent:faq/ask_name` and `## intent:faq/ask_age` with one example each make two
    /// examples of `faq` (Rasa's check counts the base intent; the response selector's
    /// keys are not checked).
    ///
    /// Intents without any example are left to `domain-intent-without-examples` and
    /// `empty-section`, and the empty intent name (`## intent: `) is not counted.
    ///
    /// ## Why is this bad?
    /// An intent classifier cannot learn an intent from one sentence: it recognises that
    /// sentence and little else. `rasa train` warns about it ("Intent 'goodbye' has only 1
    /// training examples! Minimum is 2, training may fail.") in a log that is easy to miss.
    ///
    /// ## Example
    /// ```md
    /// ## intent:goodbye
    /// - bye
    /// ```
    ///
    /// ## Options
    /// `min-examples`: the fewest distinct examples an intent may have; 2, Rasa's own
    /// minimum. (Not configurable yet: the rule uses Rasa's value.)
    pub struct TooFewExamples {
        code: "RL204",
        name: "too-few-examples",
        severity: Warning,
        summary: "an intent with fewer examples than Rasa needs",
    }
}

/// The fewest distinct examples an intent may have: Rasa 1.10's
/// `TrainingData.MIN_EXAMPLES_PER_INTENT`.
pub const MIN_EXAMPLES: usize = 2;

impl Rule for TooFewExamples {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        let mut intents: HashMap<&str, Count> = HashMap::new();
        let mut order = Vec::new();
        for (file, nlu) in project.nlu_files() {
            for example in &nlu.examples {
                let section = &nlu.sections[example.section];
                if section.kind != SectionKind::Intent || example.intent.is_empty() {
                    continue;
                }
                let count = intents.entry(&example.intent).or_insert_with(|| {
                    order.push(example.intent.as_str());
                    Count {
                        file,
                        title: section.title_span.clone(),
                        written: 0,
                        distinct: HashSet::new(),
                    }
                });
                count.written += 1;
                count.distinct.insert(identity(example));
            }
        }
        for intent in order {
            let count = &intents[intent];
            let distinct = count.distinct.len();
            if distinct >= MIN_EXAMPLES {
                continue;
            }
            let message = if count.written > distinct {
                format!(
                    "intent `{intent}` has only {} once exact duplicates are dropped ({} written)",
                    examples(distinct),
                    count.written
                )
            } else {
                format!("intent `{intent}` has only {}", examples(distinct))
            };
            out.push(
                Diagnostic::new(&Self::META, count.file, count.title.clone(), message)
                    .with_label(format!("{} in all NLU files", examples(distinct)))
                    .with_help(format!(
                        "add more examples of how users say it, at least {MIN_EXAMPLES} different ones: `rasa train` warns \"Intent '{intent}' has only {distinct} training examples! Minimum is {MIN_EXAMPLES}, training may fail.\""
                    )),
            );
        }
    }
}

/// One intent's examples.
struct Count<'p> {
    /// The title of the intent's first section.
    file: FileId,
    title: Span,
    written: usize,
    distinct: HashSet<(Option<&'p str>, &'p str, String)>,
}

/// What makes two examples the same to Rasa (it drops exact duplicates): the response
/// key, the text and the entities.
fn identity(example: &Example) -> (Option<&str>, &str, String) {
    // Most examples have no entities, and then no allocation.
    let mut entities = String::new();
    for e in &example.entities {
        entities.push_str(&format!(
            "{}\u{1}{}\u{1}{:?}\u{1}{:?}\u{1}{}\u{1}{}\u{0}",
            e.entity, e.value, e.role, e.group, e.start, e.end
        ));
    }
    (
        example.response_key.as_deref(),
        example.text.as_str(),
        entities,
    )
}

fn examples(n: usize) -> String {
    match n {
        1 => "1 example".to_string(),
        n => format!("{n} examples"),
    }
}
