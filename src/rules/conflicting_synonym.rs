use rustc_hash::{FxHashMap, FxHashSet};

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::rule::Rule;
use crate::rules::support::Syntax;
use crate::source::{FileId, Span};

declare_rule! {
    /// ## What it does
    /// Reports a text mapped to two different synonym values, by `## synonym:` sections
    /// (`- synonym:` items in YAML) or by annotations (`[NYC](city:New York)` maps `NYC` to
    /// `New York`), in one NLU file or across files. It reports the later mapping, with the earlier one as the related
    /// place, once per text and value.
    ///
    /// Texts that differ only in case count as the same text when neither mapping is an
    /// identity (`- Berlin` under `## synonym:Berlin`): Rasa's `EntitySynonymMapper` looks
    /// texts up in lower case, and warns about them when it is trained.
    ///
    /// ## Why is this bad?
    /// An extracted entity can only be replaced by one value: Rasa keeps the mapping it
    /// reads last ("Found inconsistent entity synonyms while reading markdown, overwriting
    /// NYC->New York with NYC->NY"), so which value the bot's actions receive depends on
    /// the order of the lines and files.
    ///
    /// ## Example
    /// ```md
    /// ## intent:inform
    /// - I live in [NYC](city:New York)
    ///
    /// ## synonym:NY
    /// - NYC
    /// ```
    pub struct ConflictingSynonym {
        code: "RL205",
        name: "conflicting-synonym",
        severity: Error,
        summary: "one synonym text mapped to two different values",
    }
}

/// One distinct (text, value) mapping and where it is first written.
#[derive(Debug, Clone, Copy)]
struct Mapping<'p> {
    text: &'p str,
    value: &'p str,
    file: FileId,
    span: &'p Span,
    /// Its place in reading order.
    order: usize,
}

impl Mapping<'_> {
    fn is_identity(&self) -> bool {
        self.text == self.value
    }
}

/// The first mapping of a set, and the first one with another value: of the set's
/// mappings before a new one, the first whose value differs from the new one's is one of
/// these two.
#[derive(Debug, Clone, Copy)]
struct FirstTwo<'p> {
    first: Mapping<'p>,
    other: Option<Mapping<'p>>,
}

impl<'p> FirstTwo<'p> {
    fn add(slot: &mut Option<Self>, mapping: Mapping<'p>) {
        match slot {
            None => {
                *slot = Some(FirstTwo {
                    first: mapping,
                    other: None,
                })
            }
            Some(two) if two.other.is_none() && two.first.value != mapping.value => {
                two.other = Some(mapping);
            }
            Some(_) => {}
        }
    }

    /// The first mapping of the set to a value other than `value`.
    fn first_not(slot: Option<&Self>, value: &str) -> Option<Mapping<'p>> {
        let two = slot?;
        if two.first.value != value {
            Some(two.first)
        } else {
            two.other
        }
    }
}

/// Each conflicting mapping (the first for each lower-case text and value) with the
/// first mapping read before it that Rasa would see as the same text mapped to another
/// value: the same text when the training data is read, the same lower-case text when
/// the synonym mapper is trained (which skips identity mappings). Mappings written
/// again are skipped. Linear: the earlier mapping is found from the first two values of
/// the text and of its lower-case form.
fn conflicts<'p>(mappings: impl Iterator<Item = Mapping<'p>>) -> Vec<(Mapping<'p>, Mapping<'p>)> {
    let mut written: FxHashSet<(&str, &str)> = FxHashSet::default();
    let mut by_text: FxHashMap<&str, FirstTwo> = FxHashMap::default();
    // Non-identity mappings by lower-case text.
    let mut by_folded: FxHashMap<String, FirstTwo> = FxHashMap::default();
    let mut reported: FxHashSet<(String, &str)> = FxHashSet::default();
    let mut found = Vec::new();
    for mapping in mappings {
        if !written.insert((mapping.text, mapping.value)) {
            continue;
        }
        let folded = mapping.text.to_lowercase();
        let same_text = FirstTwo::first_not(by_text.get(mapping.text), mapping.value);
        let same_folded = if mapping.is_identity() {
            None
        } else {
            FirstTwo::first_not(by_folded.get(&folded), mapping.value)
        };
        let earlier = same_text
            .into_iter()
            .chain(same_folded)
            .min_by_key(|m| m.order);
        let mut slot = by_text.remove(mapping.text);
        FirstTwo::add(&mut slot, mapping);
        by_text.extend(slot.map(|two| (mapping.text, two)));
        if !mapping.is_identity() {
            let mut slot = by_folded.remove(&folded);
            FirstTwo::add(&mut slot, mapping);
            by_folded.extend(slot.map(|two| (folded.clone(), two)));
        }
        if let Some(earlier) = earlier
            && reported.insert((folded, mapping.value))
        {
            found.push((mapping, earlier));
        }
    }
    found
}

impl Rule for ConflictingSynonym {
    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        let mappings = project
            .nlu_files()
            .flat_map(|(file, nlu)| nlu.synonyms.iter().map(move |s| (file, s)))
            .enumerate()
            .map(|(order, (file, synonym))| Mapping {
                text: &synonym.text,
                value: &synonym.value,
                file,
                span: &synonym.span,
                order,
            });
        for (later, earlier) in conflicts(mappings) {
            out.push(finding(&later, &earlier, Syntax::of(project, later.file)));
        }
    }
}

fn finding(later: &Mapping, earlier: &Mapping, syntax: Syntax) -> Diagnostic {
    let (text, value) = (later.text, later.value);
    let message = if later.text == earlier.text {
        format!(
            "synonym `{text}` is mapped to `{value}`, but it is already mapped to `{}`",
            earlier.value
        )
    } else {
        format!(
            "synonym `{text}` is mapped to `{value}`, but `{}` is already mapped to `{}`",
            earlier.text, earlier.value
        )
    };
    let mut help = if later.text == earlier.text {
        format!(
            "map `{text}` to one value: Rasa keeps the mapping it reads last and warns \"Found inconsistent entity synonyms\""
        )
    } else {
        format!(
            "map both to one value: Rasa's synonym mapper ignores case, so `{text}` and `{}` are one text to it, and it keeps the value it reads last",
            earlier.text
        )
    };
    if value.trim() == earlier.value.trim() {
        help.push_str(match syntax {
            Syntax::Markdown => {
                "; the two values differ only in spaces (`## synonym: x` keeps the space after `:`)"
            }
            Syntax::Yaml => "; the two values differ only in spaces",
        });
    }
    Diagnostic::new(
        &ConflictingSynonym::META,
        later.file,
        later.span.clone(),
        message,
    )
    .with_label(format!("mapped to `{value}` here"))
    .with_related(
        earlier.file,
        earlier.span.clone(),
        format!("mapped to `{}` here", earlier.value),
    )
    .with_help(help)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rule's definition, pairwise: each distinct mapping against every distinct one
    /// before it.
    fn pairwise<'p>(mappings: &[Mapping<'p>]) -> Vec<(usize, usize)> {
        let mut distinct: Vec<Mapping> = Vec::new();
        let mut reported: Vec<(String, &str)> = Vec::new();
        let mut found = Vec::new();
        for m in mappings {
            if distinct
                .iter()
                .any(|d| d.text == m.text && d.value == m.value)
            {
                continue;
            }
            let conflicts = |d: &&Mapping| {
                d.value != m.value
                    && (d.text == m.text
                        || (d.text.to_lowercase() == m.text.to_lowercase()
                            && !d.is_identity()
                            && !m.is_identity()))
            };
            if let Some(earlier) = distinct.iter().find(conflicts) {
                let key = (m.text.to_lowercase(), m.value);
                if !reported.contains(&key) {
                    reported.push(key);
                    found.push((m.order, earlier.order));
                }
            }
            distinct.push(*m);
        }
        found
    }

    #[test]
    fn finds_what_comparing_every_pair_finds() {
        const WORDS: &[&str] = &["a", "A", "b", "B", "ab", "aB"];
        let span = 0..0;
        let mut next = crate::test_rng::below(0x2545_f491_4f6c_dd1d);
        for _ in 0..2000 {
            let len = next(12);
            let mappings: Vec<Mapping> = (0..len)
                .map(|order| Mapping {
                    text: WORDS[next(WORDS.len())],
                    value: WORDS[next(WORDS.len())],
                    file: FileId(0),
                    span: &span,
                    order,
                })
                .collect();
            let linear: Vec<(usize, usize)> = conflicts(mappings.iter().copied())
                .iter()
                .map(|(later, earlier)| (later.order, earlier.order))
                .collect();
            assert_eq!(linear, pairwise(&mappings), "{mappings:?}");
        }
    }
}
