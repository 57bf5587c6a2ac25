use rustc_hash::{FxHashMap, FxHashSet};

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::rule::Rule;
use crate::source::{FileId, Span};

declare_rule! {
    /// ## What it does
    /// Reports a text mapped to two different synonym values, by `## synonym:` sections or
    /// by annotations (`[NYC](city:New York)` maps `NYC` to `New York`), in one NLU file or
    /// across files. It reports the later mapping, with the earlier one as the related
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
struct Mapping<'p> {
    text: &'p str,
    value: &'p str,
    file: FileId,
    span: &'p Span,
}

impl Mapping<'_> {
    fn is_identity(&self) -> bool {
        self.text == self.value
    }

    /// Whether Rasa would see the two as one text mapped to two values: the same text
    /// when the training data is read, the same lower-case text when the synonym mapper
    /// is trained (which skips identity mappings).
    fn conflicts_with(&self, other: &Mapping) -> bool {
        self.value != other.value
            && (self.text == other.text || !(self.is_identity() || other.is_identity()))
    }
}

impl Rule for ConflictingSynonym {
    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        // The distinct mappings of each lower-case text, in reading order.
        let mut mappings: FxHashMap<String, Vec<Mapping>> = FxHashMap::default();
        let mut reported: FxHashSet<(String, &str)> = FxHashSet::default();
        for (file, nlu) in project.nlu_files() {
            for synonym in &nlu.synonyms {
                let folded = synonym.text.to_lowercase();
                let known = mappings.entry(folded.clone()).or_default();
                if known
                    .iter()
                    .any(|m| m.text == synonym.text && m.value == synonym.value)
                {
                    continue;
                }
                let mapping = Mapping {
                    text: &synonym.text,
                    value: &synonym.value,
                    file,
                    span: &synonym.span,
                };
                let earlier = known.iter().find(|m| m.conflicts_with(&mapping));
                if let Some(earlier) = earlier
                    && reported.insert((folded, mapping.value))
                {
                    out.push(finding(&mapping, earlier));
                }
                known.push(mapping);
            }
        }
    }
}

fn finding(later: &Mapping, earlier: &Mapping) -> Diagnostic {
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
        help.push_str(
            "; the two values differ only in spaces (`## synonym: x` keeps the space after `:`)",
        );
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
