use rustc_hash::{FxHashMap, FxHashSet};

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::model::nlu::SectionKind;
use crate::model::responses::ResponseIndex;
use crate::rasa::{RasaVersion, Surface};
use crate::rule::Rule;
use crate::source::{FileId, Span};
use crate::suggest::closest;

declare_rule! {
    /// ## What it does
    /// Reports a retrieval intent (`## intent:faq/ask_name`) whose examples have no
    /// response: no responses file has a `* faq/ask_name` entry with at least one
    /// `- text` line. It reports once per `## intent:` section, at its title.
    ///
    /// In a Rasa 2 or 3 bot (`- intent: faq/ask_name` in a YAML NLU file) the response is
    /// named `utter_faq/ask_name` and may be in the domain's `responses:` or under an NLU
    /// file's `responses:` key, where Rasa looks for it; a Markdown responses file still
    /// counts for a Rasa 2 bot that has one, with its entry named `* utter_faq/ask_name`.
    ///
    /// ## Why is this bad?
    /// Rasa 1.x looks up a response for every retrieval example as soon as it has merged
    /// the NLU files, and stops loading *all* training data at the first one it cannot
    /// find: `ValueError: No response phrases found for faq/ask_name. Check training data
    /// files for a possible wrong intent name in NLU/NLG file`, with no file or line.
    /// `rasa train` and `rasa data validate` both end there with a traceback. An entry
    /// without any `- text` line fails the same way.
    ///
    /// Rasa 2 and 3 load the data and `rasa data validate` says nothing; `rasa train`
    /// warns "Your training data contains an example '…' for the 'faq/ask_name' intent.
    /// You either need to add a response phrase or correct the intent for this example in
    /// your training data", and the bot, once it predicts the intent, has no answer to
    /// give. A response without any variation (`utter_faq/ask_name: []`) is no answer
    /// either.
    ///
    /// The finding is reported also when the bot has no responses at all, since Rasa
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
    /// In YAML:
    /// ```yaml
    /// nlu:
    /// - intent: faq/ask_name       # no `utter_faq/ask_name` under any `responses:`
    ///   examples: |
    ///     - what is your name?
    /// ```
    /// Fix it by adding the response to the domain (or to an NLU file):
    /// ```yaml
    /// responses:
    ///   utter_faq/ask_name:
    ///   - text: I am a bot
    /// ```
    pub struct RetrievalIntentWithoutResponses {
        code: "RL115",
        name: "retrieval-intent-without-responses",
        severity: Error,
        summary: "a retrieval intent has no response",
    }
}

impl Rule for RetrievalIntentWithoutResponses {
    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        let responses = Responses::of(project);
        for (file, nlu) in project.nlu_files() {
            let mut reported = FxHashSet::default();
            for example in &nlu.examples {
                let Some(response_key) = example.response_key() else {
                    continue;
                };
                let section = &nlu.sections[example.section];
                if section.kind != SectionKind::Intent || reported.contains(&example.section) {
                    continue;
                }
                let key = format!("{}/{}", example.intent, response_key);
                if responses.answer(&key) {
                    continue;
                }
                reported.insert(example.section);
                let span = section.title_span.clone();
                // Rasa 2 and 3 name the response `utter_<key>`, in any file.
                out.push(match responses.yaml {
                    None => responses.finding(file, span, &key),
                    Some(_) => responses.yaml_finding(file, span, &key),
                });
            }
        }
    }
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
    /// Rasa 2 and 3: every response, where `utter_faq/ask_name` answers `faq/ask_name`.
    yaml: Option<ResponseIndex<'p>>,
}

impl<'p> Responses<'p> {
    fn of(project: &'p Project) -> Self {
        let mut responses = Responses {
            with_texts: FxHashSet::default(),
            first: FxHashMap::default(),
            used: project
                .nlu_files()
                .flat_map(|(_, nlu)| &nlu.examples)
                .filter_map(|e| Some(format!("{}/{}", e.intent, e.response_key()?)))
                .collect(),
            any_file: false,
            yaml: (project.rasa.version != RasaVersion::V1).then(|| project.responses()),
        };
        // Markdown responses files (`* faq/ask_name`); YAML ones are in the index.
        let markdown = project
            .nlg_files()
            .filter(|(file, _)| project.surface(*file) == Surface::Markdown);
        for (file, nlg) in markdown {
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

    /// Whether retrieval intent `key` has an answer: in Rasa 1.x a Markdown entry with
    /// texts; in Rasa 2 and 3 a response `utter_<key>` with a variation (or a Markdown
    /// entry of that name with texts, in a Rasa 2 bot).
    fn answer(&self, key: &str) -> bool {
        let Some(index) = &self.yaml else {
            return self.with_texts.contains(key);
        };
        let name = format!("utter_{key}");
        self.with_texts.contains(name.as_str())
            || index
                .get(&name)
                .is_some_and(|response| response.variations > 0)
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

    /// The finding in a Rasa 2/3 YAML NLU file: the response is `utter_<key>`, in the
    /// domain or under an NLU file's `responses:`.
    fn yaml_finding(&self, file: FileId, span: Span, key: &str) -> Diagnostic {
        let name = format!("utter_{key}");
        let index = self.yaml.as_ref();
        let why = "`rasa train` warns \"You either need to add a response phrase or correct the intent for this example\", and the bot has nothing to answer it with";
        if let Some(empty) = index.and_then(|i| i.get(&name)) {
            return Diagnostic::new(
                &RetrievalIntentWithoutResponses::META,
                file,
                span,
                format!("the response `{name}` of retrieval intent `{key}` has no variation"),
            )
            .with_label("its response is empty")
            .with_related(
                empty.at.file,
                empty.at.span.clone(),
                "this response has no variation",
            )
            .with_help(format!("give it at least one `- text: …`: {why}"));
        }
        let diagnostic = Diagnostic::new(
            &RetrievalIntentWithoutResponses::META,
            file,
            span,
            format!("retrieval intent `{key}` has no response `{name}`"),
        )
        .with_label(format!("no response `{name}`"));
        let spaced = name
            .split_once('/')
            .map(|(base, k)| format!("{base}/{}", k.trim()));
        let trimmed = spaced.filter(|t| *t != name).and_then(|t| {
            let at = index?.get(&t)?.at.clone();
            Some((t, at))
        });
        if let Some((trimmed, at)) = trimmed {
            return diagnostic
                .with_related(at.file, at.span, format!("the response is `{trimmed}`"))
                .with_help(format!(
                    "remove the space after `/` in the intent: Rasa keeps it in the key, so `{name}` is not `{trimmed}`"
                ));
        }
        // A Markdown responses file's entry named the Rasa 1.x way.
        if let Some((entry_file, entry_span)) = self.first.get(key) {
            return diagnostic
                .with_related(
                    *entry_file,
                    (*entry_span).clone(),
                    format!("`{key}` is the Rasa 1.x name"),
                )
                .with_help(format!(
                    "write `* {name}`: Rasa 2 looks the response of `{key}` up as `{name}`"
                ));
        }
        // A retrieval response no example uses is probably the one meant.
        let orphans = index.into_iter().flat_map(|i| i.names()).filter(|n| {
            n.strip_prefix("utter_")
                .is_some_and(|k| k.contains('/') && !self.used.contains(k))
        });
        match closest(&name, orphans).and_then(|known| Some((known, index?.get(known)?))) {
            Some((known, at)) => diagnostic
                .with_related(at.at.file, at.at.span.clone(), format!("`{known}` is defined here"))
                .with_help(format!(
                    "did you mean `{known}`? Rename the intent or the response so that they match"
                )),
            None => diagnostic.with_help(format!(
                "add `{name}:` with a `- text: …` under `responses:`, in the domain or an NLU file: {why}"
            )),
        }
    }
}
