use rustc_hash::{FxHashMap, FxHashSet};

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::model::nlu::SectionKind;
use crate::rule::Rule;
use crate::source::{FileId, Span};
use crate::suggest::closest;

declare_rule! {
    /// ## What it does
    /// Reports a retrieval intent (`## intent:faq/ask_name`) whose examples have no
    /// response: no responses file has a `* faq/ask_name` entry with at least one
    /// `- text` line. It reports once per `## intent:` section, at its title.
    ///
    /// ## Why is this bad?
    /// Rasa 1.x looks up a response for every retrieval example as soon as it has merged
    /// the NLU files, and stops loading *all* training data at the first one it cannot
    /// find: `ValueError: No response phrases found for faq/ask_name. Check training data
    /// files for a possible wrong intent name in NLU/NLG file`, with no file or line.
    /// `rasa train` and `rasa data validate` both end there with a traceback. An entry
    /// without any `- text` line fails the same way.
    ///
    /// The finding is reported also when the bot has no responses file at all, since Rasa
    /// fails then too. The help names a key that differs only by a space
    /// (`## intent:faq/ ask_name`: Rasa keeps the space in the key), or else a close key
    /// that no retrieval example uses (a typo on either side). When a key is written twice
    /// in the responses files and only one of the copies has texts, which one Rasa keeps
    /// depends on the order it reads the files in; that case is not reported.
    ///
    /// ## Example
    /// ```md
    /// ## intent:faq/ask_name       <- data/responses.md has `* faq/ask_names`
    /// - what is your name?
    /// ```
    /// Fix it by adding the response (or correcting either name):
    /// ```md
    /// ## ask name
    /// * faq/ask_name
    ///   - I am a bot
    /// ```
    pub struct RetrievalIntentWithoutResponses {
        code: "RL115",
        name: "retrieval-intent-without-responses",
        severity: Error,
        summary: "a retrieval intent has no entry in the responses file",
    }
}

impl Rule for RetrievalIntentWithoutResponses {
    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        let responses = Responses::of(project);
        for (file, nlu) in project.nlu_files() {
            let mut reported = FxHashSet::default();
            for example in &nlu.examples {
                let Some(response_key) = &example.response_key else {
                    continue;
                };
                let section = &nlu.sections[example.section];
                if section.kind != SectionKind::Intent || reported.contains(&example.section) {
                    continue;
                }
                let key = format!("{}/{}", example.intent, response_key);
                if responses.with_texts.contains(key.as_str()) || answered_2x(project, &key) {
                    continue;
                }
                reported.insert(example.section);
                out.push(responses.finding(file, section.title_span.clone(), &key));
            }
        }
    }
}

/// Whether a Rasa 2 or 3 bot has the response of retrieval intent `key`: named
/// `utter_<key>`, in the domain or under an NLU file's `responses:`.
fn answered_2x(project: &Project, key: &str) -> bool {
    if project.rasa.version == crate::rasa::RasaVersion::V1 {
        return false;
    }
    let name = format!("utter_{key}");
    project.domain.responses.contains_key(&name)
        || project.nlg_files().any(|(_, r)| {
            r.entries
                .iter()
                .any(|e| e.key == name && !e.variations.is_empty())
        })
}

/// The retrieval responses of every responses file, by key.
struct Responses<'p> {
    /// Keys with at least one entry that has texts.
    with_texts: FxHashSet<&'p str>,
    /// The first entry of every key, texts or not.
    first: FxHashMap<&'p str, (FileId, &'p Span)>,
    /// Keys that retrieval examples use: no candidate for "did you mean".
    used: FxHashSet<String>,
    any_file: bool,
}

impl<'p> Responses<'p> {
    fn of(project: &'p Project) -> Self {
        let mut responses = Responses {
            with_texts: FxHashSet::default(),
            first: FxHashMap::default(),
            used: project
                .nlu_files()
                .flat_map(|(_, nlu)| &nlu.examples)
                .filter_map(|e| Some(format!("{}/{}", e.intent, e.response_key.as_ref()?)))
                .collect(),
            any_file: false,
        };
        for (file, nlg) in project.nlg_files() {
            responses.any_file = true;
            for entry in &nlg.entries {
                responses
                    .first
                    .entry(entry.key.as_str())
                    .or_insert((file, &entry.key_span));
                if !entry.texts.is_empty() {
                    responses.with_texts.insert(entry.key.as_str());
                }
            }
        }
        responses
    }

    fn finding(&self, file: FileId, span: Span, key: &str) -> Diagnostic {
        // The entry exists but has no `- text` lines.
        if let Some((entry_file, entry_span)) = self.first.get(key) {
            return Diagnostic::new(
                &RetrievalIntentWithoutResponses::META,
                file,
                span,
                format!(
                    "the response of retrieval intent `{key}` has no text: Rasa 1.x stops loading the training data here"
                ),
            )
            .with_label("its response has no text")
            .with_related(*entry_file, (*entry_span).clone(), "this entry has no `- text` lines")
            .with_help(format!(
                "write the answer as an indented `- text` line under `* {key}`"
            ));
        }
        let diagnostic = Diagnostic::new(
            &RetrievalIntentWithoutResponses::META,
            file,
            span,
            format!(
                "retrieval intent `{key}` has no response: Rasa 1.x stops loading the training data here"
            ),
        )
        .with_label(format!("no responses file has `* {key}`"));
        let spaced = key
            .split_once('/')
            .map(|(base, k)| format!("{base}/{}", k.trim()));
        if let Some(trimmed) = spaced.filter(|t| t != key && self.first.contains_key(t.as_str())) {
            let (entry_file, entry_span) = self.first[trimmed.as_str()];
            return diagnostic
                .with_related(entry_file, entry_span.clone(), format!("the response is `{trimmed}`"))
                .with_help(format!(
                    "remove the space after `/` in the header: Rasa keeps it in the key, so `{key}` is not `{trimmed}`"
                ));
        }
        // A response no retrieval example uses is probably the one meant.
        let orphans = self
            .first
            .keys()
            .copied()
            .filter(|k| !self.used.contains(*k));
        match closest(key, orphans) {
            Some(known) => {
                let (entry_file, entry_span) = self.first[known];
                diagnostic
                    .with_related(entry_file, entry_span.clone(), format!("`{known}` is defined here"))
                    .with_help(format!(
                        "did you mean `{known}`? Rename the intent or the response so that they match"
                    ))
            }
            None => {
                let file = if self.any_file {
                    "a responses file"
                } else {
                    "a responses file such as `data/responses.md`"
                };
                diagnostic.with_help(format!(
                    "add its answer to {file}: a `## title` line, then `* {key}`, then `  - the answer`"
                ))
            }
        }
    }
}
