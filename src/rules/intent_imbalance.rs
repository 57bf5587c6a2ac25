use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::options::format_number;
use crate::rule::Rule;

declare_rule! {
    /// ## What it does
    /// Reports an intent with more than 10 times the median number of examples per
    /// intent, at the title of its first `## intent:` section (YAML: its first `- intent:`
    /// item). Off by default.
    ///
    /// Examples are counted in all NLU files together, after dropping exact duplicates
    /// as Rasa does. The rule needs at least 3 intents (with two, the median says
    /// nothing). Retrieval intents (`## intent:faq/ask_name`) count as one intent for the
    /// median, as the intent classifier sees them, but are not reported: they are many
    /// small intents under one name by design, and the response selector learns their
    /// keys separately.
    ///
    /// ## Why is this bad?
    /// An intent classifier learns how often each intent occurs from the training data,
    /// so an intent with far more examples than the others is predicted for anything
    /// vaguely like it, and the small intents lose their borderline messages to it. Often
    /// the large intent is generated data (every combination of a template) or a
    /// catch-all that should be split. Rasa 1.10's `DIETClassifier` balances its batches,
    /// which softens but does not remove the effect, hence off by default.
    ///
    /// ## Example
    /// ```md
    /// ## intent:greet          <- 3 examples
    /// ## intent:goodbye        <- 3 examples
    /// ## intent:inform         <- 400 examples: more than 10 × the median of 3
    /// ```
    ///
    /// ## Options
    /// `max-ratio`: how many times the median an intent may have; 10 by default
    /// (`max-ratio = 5` in the configuration reports smaller imbalances).
    pub struct IntentImbalance {
        code: "RL209",
        name: "intent-imbalance",
        severity: Warning,
        enabled_by_default: false,
        summary: "an intent with far more examples than the others",
    }
}

/// The fewest intents for which a median means something.
const MIN_INTENTS: usize = 3;

impl Rule for IntentImbalance {
    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        let intents = project.intent_counts();
        if intents.len() < MIN_INTENTS {
            return;
        }
        let mut sizes: Vec<usize> = intents.iter().map(|c| c.distinct).collect();
        sizes.sort_unstable();
        let median = median(&sizes);
        let max_ratio = project.options.max_ratio;
        for count in &intents {
            let (intent, size) = (count.intent, count.distinct);
            if count.retrieval || (size as f64) <= max_ratio * median {
                continue;
            }
            let ratio = size as f64 / median;
            out.push(
                Diagnostic::new(
                    &Self::META,
                    count.file,
                    count.title.clone(),
                    format!(
                        "intent `{intent}` has {size} examples, more than {} times the median of {} per intent",
                        format_number(max_ratio),
                        format_median(median)
                    ),
                )
                .with_label(format!(
                    "{size} examples in all NLU files, {ratio:.0} × the median"
                ))
                .with_help(format!(
                    "keep the examples that differ in wording, split the intent if it means several things, or give the other {} intents more examples: the classifier favours the intent it sees most",
                    intents.len() - 1
                )),
            );
        }
    }
}

/// The median of sorted sizes: the middle one, or the mean of the two middle ones.
fn median(sorted: &[usize]) -> f64 {
    let n = sorted.len();
    if n % 2 == 1 {
        sorted[n / 2] as f64
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) as f64 / 2.0
    }
}

fn format_median(median: f64) -> String {
    if median.fract() == 0.0 {
        format!("{median:.0}")
    } else {
        format!("{median:.1}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even() {
        assert_eq!(median(&[1, 2, 30]), 2.0);
        assert_eq!(median(&[1, 2, 3, 30]), 2.5);
        assert_eq!(format_median(2.5), "2.5");
        assert_eq!(format_median(3.0), "3");
    }
}
