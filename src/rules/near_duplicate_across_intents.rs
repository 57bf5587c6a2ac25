use rustc_hash::FxHashMap;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::model::nlu::Example;
use crate::rule::Rule;
use crate::source::{FileId, Span};
use std::ops::Range;

declare_rule! {
    /// ## What it does
    /// Reports an example that differs from an example of *another* intent only in case,
    /// accents, punctuation or spacing (`análise técnica` / `Analise tecnica!`), pointing
    /// at both, in Markdown and YAML NLU files alike. Exact repeats are reported by `duplicate-example-across-intents` (RL201).
    ///
    /// ## Why is this bad?
    /// Users type without accents and capitals; the tokens the model sees are nearly the
    /// same, so the two intents compete for the same sentence and one of them loses.
    /// `rasa data validate` compares exact texts only, in every version.
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
    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        let text_bytes = project
            .nlu_files()
            .flat_map(|(_, nlu)| &nlu.examples)
            .map(|e| e.text.len())
            .sum();
        let mut seen = Seen::with_capacity(project.example_count(), text_bytes);
        let mut key = String::new();
        for (file, nlu) in project.nlu_files() {
            for example in &nlu.examples {
                normalise_into(&example.text, &mut key);
                let hash = fx_hash(&key);
                let finding = {
                    let mut same_key = seen.with_key(hash, &key);
                    if same_key.clone().any(|p| p.intent == example.intent) {
                        continue;
                    }
                    // Exact repeats across intents are RL201's.
                    same_key
                        .find(|p| p.text != example.text)
                        .map(|other| report(project, file, example, other))
                };
                out.extend(finding);
                seen.push(
                    hash,
                    &key,
                    Place {
                        intent: &example.intent,
                        text: &example.text,
                        file,
                        span: example.span.clone(),
                    },
                );
            }
        }
    }
}

fn report(project: &Project, file: FileId, example: &Example, other: &Place) -> Diagnostic {
    let written = project.file(file).slice(&example.span);
    let shown = project.file(other.file).slice(&other.span);
    Diagnostic::new(
        &NearDuplicateAcrossIntents::META,
        file,
        example.span.clone(),
        format!(
            "`{written}` (intent `{}`) is nearly the same as `{shown}` (intent `{}`)",
            example.intent, other.intent
        ),
    )
    .with_label(format!("under `{}`", example.intent))
    .with_related(other.file, other.span.clone(), format!("under `{}` here", other.intent))
    .with_help("they differ only in case, accents, punctuation or spacing: keep the sentence under the one intent it means")
}

/// An example kept under its normalised text.
struct Place<'p> {
    intent: &'p str,
    text: &'p str,
    file: FileId,
    span: Span,
}

/// The examples seen so far, grouped by normalised text in file order, without a string
/// or a vector allocated per example: the normalised texts live in one arena, and the
/// examples with the same hash are chained.
#[derive(Default)]
struct Seen<'p> {
    places: Vec<(Place<'p>, Range<usize>, u32)>,
    arena: String,
    /// Hash of a normalised text → its first and last place.
    chains: FxHashMap<u64, (u32, u32)>,
}

const END: u32 = u32::MAX;

impl<'p> Seen<'p> {
    /// Room for `examples` examples whose texts have `bytes` bytes in all: normalised
    /// texts are about as long as their originals, and only a hint is needed.
    fn with_capacity(examples: usize, bytes: usize) -> Self {
        Seen {
            places: Vec::with_capacity(examples),
            arena: String::with_capacity(bytes),
            chains: FxHashMap::with_capacity_and_hasher(examples, Default::default()),
        }
    }

    /// The places whose normalised text is `key`, in the order they were seen.
    fn with_key<'s>(
        &'s self,
        hash: u64,
        key: &'s str,
    ) -> impl Iterator<Item = &'s Place<'p>> + Clone {
        let mut next = self.chains.get(&hash).map_or(END, |&(first, _)| first);
        std::iter::from_fn(move || {
            while next != END {
                let (place, text, following) = &self.places[next as usize];
                next = *following;
                if &self.arena[text.clone()] == key {
                    return Some(place);
                }
            }
            None
        })
    }

    fn push(&mut self, hash: u64, key: &str, place: Place<'p>) {
        let at = self.places.len() as u32;
        let text = self.arena.len()..self.arena.len() + key.len();
        self.arena.push_str(key);
        self.places.push((place, text, END));
        match self.chains.get_mut(&hash) {
            Some((_, last)) => {
                self.places[*last as usize].2 = at;
                *last = at;
            }
            None => {
                self.chains.insert(hash, (at, at));
            }
        }
    }
}

fn fx_hash(text: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = rustc_hash::FxHasher::default();
    text.hash(&mut hasher);
    hasher.finish()
}

/// Lower case, accents removed (NFD, combining marks dropped), punctuation dropped and
/// spaces collapsed, written into `out`. ASCII text, most examples, takes a short path
/// with the same result.
fn normalise_into(text: &str, out: &mut String) {
    out.clear();
    if text.is_ascii() {
        for b in text.bytes() {
            if b.is_ascii_alphanumeric() {
                out.push(char::from(b.to_ascii_lowercase()));
            } else if char::from(b).is_whitespace() && !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
        }
        out.truncate(out.trim_end().len());
        return;
    }
    let mut decomposed = String::with_capacity(text.len());
    for c in text
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
    {
        push_normalised(c, &mut decomposed);
    }
    decomposed.truncate(decomposed.trim_end().len());
    out.extend(decomposed.nfc());
}

/// Keeps letters and digits, and one space for a run of whitespace (none at the start).
fn push_normalised(c: char, out: &mut String) {
    if c.is_alphanumeric() {
        out.push(c);
    } else if c.is_whitespace() && !out.is_empty() && !out.ends_with(' ') {
        out.push(' ');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normalise(text: &str) -> String {
        let mut out = String::new();
        normalise_into(text, &mut out);
        out
    }

    #[test]
    fn normalises_case_accents_punctuation_and_spaces() {
        assert_eq!(normalise("Análise  técnica!"), normalise("analise tecnica"));
        assert_ne!(normalise("análise técnica"), normalise("análise"));
        assert_eq!(normalise("Ça va?"), "ca va");
    }

    #[test]
    fn the_ascii_path_agrees_with_the_unicode_path() {
        // The same ASCII text with a non-ASCII character appended takes the Unicode path;
        // the appended `é` normalises to `e`.
        for text in [
            "  Hello,\tWorld!! ",
            "a\x0bb",
            "It's 5 o'clock?",
            "",
            "--",
            "x  y\r\n",
        ] {
            let ascii = normalise(text);
            let unicode = normalise(&format!("{text} é"));
            let expected = if ascii.is_empty() {
                "e".to_string()
            } else {
                format!("{ascii} e")
            };
            assert_eq!(unicode, expected, "{text:?}");
        }
    }
}
