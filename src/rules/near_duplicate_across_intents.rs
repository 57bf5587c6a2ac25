use rustc_hash::FxHashMap;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::rule::{Rule, RuleMeta};
use crate::source::{FileId, Span};

declare_rule! {
    /// ## What it does
    /// Reports an example that differs from an example of *another* intent only in case,
    /// accents, punctuation or spacing (`análise técnica` / `Analise tecnica!`), pointing
    /// at both. Exact repeats are reported by `duplicate-example-across-intents` (RL201).
    ///
    /// ## Why is this bad?
    /// Users type without accents and capitals; the tokens the model sees are nearly the
    /// same, so the two intents compete for the same sentence and one of them loses.
    ///
    /// ## Example
    /// ```md
    /// ## intent:technical_review
    /// - análise técnica
    /// ## intent:review_deadline
    /// - analise tecnica
    /// ```
    pub struct NearDuplicateAcrossIntents {
        code: "RL203",
        name: "near-duplicate-across-intents",
        severity: Warning,
        summary: "examples of two intents that differ only in case, accents or punctuation",
    }
}

impl Rule for NearDuplicateAcrossIntents {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        // The first example of each intent per normalised text, in file order.
        let mut seen: FxHashMap<String, Vec<(&str, &str, FileId, Span)>> = FxHashMap::default();
        for (file, nlu) in project.nlu_files() {
            for example in &nlu.examples {
                let places = seen.entry(normalise(&example.text)).or_default();
                if places.iter().any(|(intent, ..)| *intent == example.intent) {
                    continue;
                }
                // Exact repeats across intents are RL201's.
                let near = places.iter().find(|(_, text, ..)| *text != example.text);
                if let Some((other_intent, _, other_file, other_span)) = near {
                    let written = project.file(file).slice(&example.span);
                    let other = project.file(*other_file).slice(other_span);
                    out.push(
                        Diagnostic::new(
                            &Self::META,
                            file,
                            example.span.clone(),
                            format!("`{written}` (intent `{}`) is nearly the same as `{other}` (intent `{other_intent}`)", example.intent),
                        )
                        .with_label(format!("under `{}`", example.intent))
                        .with_related(*other_file, other_span.clone(), format!("under `{other_intent}` here"))
                        .with_help("they differ only in case, accents, punctuation or spacing: keep the sentence under the one intent it means"),
                    );
                }
                places.push((
                    example.intent.as_str(),
                    example.text.as_str(),
                    file,
                    example.span.clone(),
                ));
            }
        }
    }
}

/// Lower case, accents removed (NFD, combining marks dropped), punctuation dropped and
/// spaces collapsed.
fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
    {
        if c.is_alphanumeric() {
            out.push(c);
        } else if c.is_whitespace() && !out.ends_with(' ') && !out.is_empty() {
            out.push(' ');
        }
    }
    out.truncate(out.trim_end().len());
    out.nfc().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_case_accents_punctuation_and_spaces() {
        assert_eq!(normalise("Análise  técnica!"), normalise("analise tecnica"));
        assert_ne!(normalise("análise técnica"), normalise("análise"));
        assert_eq!(normalise("Ça va?"), "ca va");
    }
}
