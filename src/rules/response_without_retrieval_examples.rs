use rustc_hash::{FxHashMap, FxHashSet};

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::rasa::{RasaVersion, Surface};
use crate::rule::Rule;
use crate::rules::support::Syntax;
use crate::source::{FileId, Span};
use crate::suggest::closest;

declare_rule! {
    /// ## What it does
    /// Reports an entry of a responses file (`* faq/ask_name`) that no NLU example uses:
    /// there is no `## intent:faq/ask_name` section with examples in any NLU file.
    ///
    /// In a Rasa 2 or 3 bot: a retrieval response (`utter_faq/ask_name:`, in the domain
    /// or under an NLU file's `responses:`) without examples under `- intent:
    /// faq/ask_name`. Responses without a `/` are no retrieval responses and are not
    /// checked here (see `unused-response`).
    ///
    /// ## Why is this bad?
    /// The response selector only learns the responses of retrieval intents that have
    /// examples, so this answer can never be given. Usually the NLU header or the entry
    /// has a typo, or the examples were removed and the answer was forgotten; when the
    /// NLU side has the misspelt twin, Rasa 1.x refuses to load the data
    /// (`retrieval-intent-without-responses`), and the help names it here. Rasa 2 and 3
    /// say nothing about it.
    ///
    /// Nothing is reported when the bot has no NLU file at all (its NLU data may be in a
    /// format rasalint does not read).
    ///
    /// ## Example
    /// ```md
    /// ## ask age
    /// * faq/ask_age         <- no `## intent:faq/ask_age` in the NLU data
    ///   - I was born in 2020
    /// ```
    /// ```yaml
    /// responses:
    ///   utter_faq/ask_age:  # no `- intent: faq/ask_age` in the NLU data
    ///   - text: I was born in 2020
    /// ```
    pub struct ResponseWithoutRetrievalExamples {
        code: "RL116",
        name: "response-without-retrieval-examples",
        severity: Warning,
        summary: "a retrieval response has no NLU examples",
    }
}

impl Rule for ResponseWithoutRetrievalExamples {
    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        if project.nlu_files().next().is_none() {
            return;
        }
        // Every `intent/key` with examples, and the title of its first section.
        let mut with_examples: FxHashMap<String, (FileId, Span)> = FxHashMap::default();
        for (file, nlu) in project.nlu_files() {
            for example in &nlu.examples {
                let Some(response_key) = example.response_key() else {
                    continue;
                };
                with_examples
                    .entry(format!("{}/{}", example.intent, response_key))
                    .or_insert_with(|| (file, nlu.sections[example.section].title_span.clone()));
            }
        }
        let responses = retrieval_responses(project);
        let keys: FxHashSet<&str> = responses.iter().map(|r| r.key).collect();
        for response in &responses {
            if with_examples.contains_key(response.key) {
                continue;
            }
            // A retrieval intent without a response of its own is probably this one.
            let orphans = with_examples
                .keys()
                .map(String::as_str)
                .filter(|k| !keys.contains(k));
            out.push(report(
                response,
                closest(response.key, orphans),
                &with_examples,
            ));
        }
    }
}

/// A retrieval response as written: `* faq/ask_name` in a Markdown responses file, or
/// `utter_faq/ask_name:` in Rasa 2 and 3.
struct RetrievalResponse<'p> {
    file: FileId,
    span: &'p Span,
    /// The name as written.
    name: &'p str,
    /// The retrieval intent it answers: `faq/ask_name`.
    key: &'p str,
    syntax: Syntax,
}

/// Every retrieval response: the entries of Markdown responses files, and in Rasa 2 and
/// 3 every response named `utter_<intent>/<key>` (each name once, where first written).
fn retrieval_responses(project: &Project) -> Vec<RetrievalResponse<'_>> {
    let rasa_1 = project.rasa.version == RasaVersion::V1;
    let markdown = project
        .nlg_files()
        .filter(|(file, _)| project.surface(*file) == Surface::Markdown)
        .flat_map(|(file, nlg)| nlg.entries.iter().map(move |e| (file, e)))
        .map(|(file, entry)| RetrievalResponse {
            file,
            span: &entry.key_span,
            name: &entry.key,
            // Rasa 2 names it `* utter_faq/ask_name` (RL115 tells of the 1.x name).
            key: if rasa_1 {
                &entry.key
            } else {
                entry.key.strip_prefix("utter_").unwrap_or(&entry.key)
            },
            syntax: Syntax::Markdown,
        });
    let mut all: Vec<RetrievalResponse> = markdown.collect();
    if rasa_1 {
        return all;
    }
    let domain = project
        .domain_files()
        .filter(|(_, d)| d.readable)
        .flat_map(|(file, d)| {
            d.responses
                .iter()
                .map(move |r| (file, &r.name.name, &r.name.span))
        });
    // Markdown responses files are read above.
    let nlu = project
        .nlu_file_responses()
        .filter(|(file, _)| project.surface(*file) == Surface::Yaml)
        .map(|(file, e)| (file, &e.key, &e.key_span));
    let mut seen = FxHashSet::default();
    for (file, name, span) in domain.chain(nlu) {
        let Some(key) = name.strip_prefix("utter_").filter(|k| k.contains('/')) else {
            continue;
        };
        if seen.insert(name.as_str()) {
            all.push(RetrievalResponse {
                file,
                span,
                name,
                key,
                syntax: Syntax::Yaml,
            });
        }
    }
    all
}

fn report(
    response: &RetrievalResponse,
    known: Option<&str>,
    with_examples: &FxHashMap<String, (FileId, Span)>,
) -> Diagnostic {
    let (name, key, syntax) = (response.name, response.key, response.syntax);
    let label = match syntax {
        Syntax::Markdown => "no `## intent:` section has examples for this key".to_string(),
        Syntax::Yaml => format!("no `- intent: {key}` has examples"),
    };
    let diagnostic = Diagnostic::new(
        &ResponseWithoutRetrievalExamples::META,
        response.file,
        response.span.clone(),
        format!("response `{name}` has no NLU examples"),
    )
    .with_label(label);
    if let Some(known) = known {
        let (section_file, section_span) = &with_examples[known];
        let meant = match syntax {
            Syntax::Markdown => known.to_string(),
            Syntax::Yaml => format!("utter_{known}"),
        };
        return diagnostic
            .with_related(
                *section_file,
                section_span.clone(),
                format!("`{known}` has examples here"),
            )
            .with_help(format!(
                "did you mean `{meant}`? Rename the response or the intent so that they match"
            ));
    }
    diagnostic.with_help(match (syntax, key.split_once('/')) {
        (Syntax::Markdown, Some(_)) => format!(
            "add examples under `## intent:{key}` to an NLU file, or remove the response: the bot can never give it"
        ),
        (Syntax::Markdown, None) => format!(
            "a response key is a retrieval intent and a key, such as `{key}/ask_name`, with examples under `## intent:{key}/ask_name`"
        ),
        (Syntax::Yaml, _) => format!(
            "add examples under `- intent: {key}` to an NLU file, or remove the response: the bot can never give it"
        ),
    })
}
