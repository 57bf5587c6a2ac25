use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::options::DEFAULT_MIN_EXAMPLES;
use crate::rule::Rule;

declare_rule! {
    /// ## What it does
    /// Reports an intent with fewer than 2 distinct examples in all NLU files together,
    /// at the title of its first `## intent:` section (YAML: its first `- intent:` item).
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
    /// training examples! Minimum is 2, training may fail.") in a log that is easy to miss;
    /// so do Rasa 2 and 3. `rasa data validate` does not check it.
    ///
    /// ## Example
    /// ```md
    /// ## intent:goodbye
    /// - bye
    /// ```
    ///
    /// ## Options
    /// `min-examples`: the fewest distinct examples an intent may have; 2, Rasa's own
    /// minimum, by default. A team that wants more per intent sets it higher in its
    /// configuration (`min-examples = 5`); the help then quotes Rasa's warning only when
    /// the intent is also below Rasa's minimum.
    pub struct TooFewExamples {
        code: "RL204",
        name: "too-few-examples",
        severity: Warning,
        summary: "an intent with fewer examples than Rasa needs",
    }
}

impl Rule for TooFewExamples {
    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        let minimum = project.options.min_examples;
        for count in project.intent_counts() {
            let (intent, distinct) = (count.intent, count.distinct);
            if distinct >= minimum {
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
                    .with_help(help(intent, distinct, minimum)),
            );
        }
    }
}

fn help(intent: &str, distinct: usize, minimum: usize) -> String {
    let advice =
        format!("add more examples of how users say it, at least {minimum} different ones");
    if distinct < DEFAULT_MIN_EXAMPLES {
        format!(
            "{advice}: `rasa train` warns \"Intent '{intent}' has only {distinct} training examples! Minimum is {DEFAULT_MIN_EXAMPLES}, training may fail.\""
        )
    } else {
        format!("{advice} (`min-examples` in rasalint's configuration)")
    }
}

fn examples(n: usize) -> String {
    match n {
        1 => "1 example".to_string(),
        n => format!("{n} examples"),
    }
}
