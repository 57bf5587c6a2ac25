use rustc_hash::FxHashSet;

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::model::dialogue::StepKind;
use crate::rule::Rule;
use crate::syntax::stories::is_end_to_end_turn;

declare_rule! {
    /// ## What it does
    /// Reports a user turn whose intent contains ` or ` (or `Or`, `oR`) between words:
    /// `* greet or goodbye`. The whole intent is underlined.
    ///
    /// Not reported: an intent that really has that name (declared in the domain or
    /// given NLU examples), and end-to-end turns (`* ask: tea or coffee?`), which
    /// `e2e-turn-in-training-story` reports.
    ///
    /// ## Why is this bad?
    /// Rasa splits alternatives only on ` OR ` in capitals, so `* greet or goodbye` is one
    /// intent named `greet or goodbye`, which does not exist: the story never matches a
    /// real conversation, and neither `greet` nor `goodbye` is trained by it.
    ///
    /// ## Example
    /// ```md
    /// ## greet or leave
    /// * greet or goodbye     <- write `* greet OR goodbye`
    ///   - utter_hello
    /// ```
    pub struct LowercaseOr {
        code: "RL305",
        name: "lowercase-or",
        severity: Error,
        surfaces: [Markdown],
        summary: "`or` between intents where Rasa needs `OR`",
    }
}

impl Rule for LowercaseOr {
    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        // Built at the first suspicious turn only: most bots have none.
        let nlu_intents = std::cell::OnceCell::new();
        let nlu_intents = || {
            nlu_intents.get_or_init(|| {
                project
                    .nlu_files()
                    .flat_map(|(_, nlu)| &nlu.examples)
                    .map(|e| e.intent.as_str())
                    .collect::<FxHashSet<&str>>()
            })
        };
        for (file, stories) in project.markdown_story_files() {
            for step in stories.steps() {
                let StepKind::User(alternatives) = &step.kind else {
                    continue;
                };
                for alternative in alternatives {
                    let Some(intent) = alternative.intent.as_deref() else {
                        continue;
                    };
                    if !has_lowercase_or(intent)
                        || is_end_to_end_turn(intent)
                        || project.domain.intents.contains_key(intent)
                        || nlu_intents().contains(intent)
                    {
                        continue;
                    }
                    // The whole turn when it has no other alternative, else this one.
                    let fixed = match alternatives.len() {
                        1 => format!("* {}", alternative.text.replacen(intent, &fix(intent), 1)),
                        _ => fix(intent),
                    };
                    out.push(
                        Diagnostic::new(
                            &Self::META,
                            file,
                            alternative.intent_span(),
                            format!(
                                "Rasa reads `{intent}` as one intent: it splits alternatives only on ` OR `"
                            ),
                        )
                        .with_label("one intent with this name")
                        .with_help(format!(
                            "write `{fixed}` to make them alternatives"
                        )),
                    );
                }
            }
        }
    }
}

/// Whether an intent name holds ` or ` in any case but ` OR ` (Rasa reads it as one
/// intent). `story-intent-not-in-domain` may use it to leave such turns to this rule.
pub fn has_lowercase_or(intent: &str) -> bool {
    or_positions(intent).next().is_some()
}

/// The byte offsets of every ` or ` (any case but ` OR `).
fn or_positions(intent: &str) -> impl Iterator<Item = usize> + '_ {
    let bytes = intent.as_bytes();
    (0..bytes.len().saturating_sub(3)).filter(move |&i| {
        bytes[i] == b' '
            && bytes[i + 3] == b' '
            && bytes[i + 1].eq_ignore_ascii_case(&b'o')
            && bytes[i + 2].eq_ignore_ascii_case(&b'r')
            && &bytes[i + 1..i + 3] != b"OR"
    })
}

/// The intent with every ` or ` written ` OR `.
fn fix(intent: &str) -> String {
    let mut fixed = intent.as_bytes().to_vec();
    for i in or_positions(intent).collect::<Vec<_>>() {
        fixed[i + 1] = b'O';
        fixed[i + 2] = b'R';
    }
    // Only ASCII letters were replaced by ASCII letters.
    String::from_utf8(fixed).unwrap_or_else(|_| intent.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_or_in_any_case_but_capitals() {
        assert!(has_lowercase_or("greet or goodbye"));
        assert!(has_lowercase_or("greet Or goodbye"));
        assert!(!has_lowercase_or("greet OR goodbye"));
        assert!(!has_lowercase_or("order"));
        assert!(!has_lowercase_or("greet_or_goodbye"));
        assert_eq!(fix("a or b Or c"), "a OR b OR c");
    }
}
