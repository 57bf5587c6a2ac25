use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Project;
use std::borrow::Cow;

use crate::rasa::RasaVersion;
use crate::rule::Rule;
use crate::source::{FileId, Span};
use crate::suggest::closest;
use rustc_hash::FxHashSet;

declare_rule! {
    /// ## What it does
    /// Reports a `{name}` placeholder in a response text when the domain has no slot of
    /// that name.
    ///
    /// ## Why is this bad?
    /// Rasa fills placeholders from the slots; an unknown one is left in the message as
    /// the literal text `{name}`, which the user then sees. Usually a typo or a renamed
    /// slot.
    ///
    /// Only responses that stories run as actions are checked: those get nothing but the
    /// slots. A response that only custom actions utter may get its values from the action
    /// (`dispatcher.utter_template("utter_x", tracker, total=…)`), which rasalint cannot see.
    /// In a Rasa 2 or 3 bot the responses under an NLU file's `responses:` key are checked
    /// too, and a retrieval response `utter_faq/<key>` when a story or rule runs
    /// `utter_faq`. Rasa itself checks no placeholder, in any version.
    ///
    /// `{{` and `}}` are literal braces and are not placeholders.
    ///
    /// ## Example
    /// ```yaml
    /// responses:
    ///   utter_greet:
    ///   - text: Hello {nmae}!      # the slot is `name`
    /// ```
    pub struct ResponsePlaceholderNotASlot {
        code: "RL120",
        name: "response-placeholder-not-a-slot",
        severity: Warning,
        needs_domain: true,
        summary: "a response placeholder that names no slot",
    }
}

impl Rule for ResponsePlaceholderNotASlot {
    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        let slots = &project.domain.slots;
        let in_stories: FxHashSet<&str> = project
            .story_files()
            .flat_map(|(_, s)| s.actions().map(|(_, name)| name))
            .collect();
        // Rasa 2 and 3: `utter_faq` says one of the retrieval responses `utter_faq/<key>`.
        let yaml_era = project.rasa.version != RasaVersion::V1;
        let run = |name: &str| {
            in_stories.contains(name)
                || (yaml_era
                    && name
                        .split_once('/')
                        .is_some_and(|(action, _)| in_stories.contains(action)))
        };
        for text in response_texts(project).filter(|t| run(t.response)) {
            let source = &project.file(text.file).text;
            for placeholder in placeholders(&text.text) {
                if slots.contains_key(placeholder) {
                    continue;
                }
                let span = find_in(source, &text.span, &format!("{{{placeholder}}}"))
                    .unwrap_or(text.span.clone());
                let help = match closest(placeholder, slots.keys().map(String::as_str)) {
                    Some(slot) => format!("did you mean `{{{slot}}}`?"),
                    None => format!(
                        "declare a slot `{placeholder}`, or remove the placeholder: Rasa sends `{{{placeholder}}}` as it is"
                    ),
                };
                out.push(
                    Diagnostic::new(
                        &Self::META,
                        text.file,
                        span,
                        format!("`{{{placeholder}}}` in `{}` names no slot", text.response),
                    )
                    .with_label("not a slot")
                    .with_help(help),
                );
            }
        }
    }
}

/// One response text: the response's name, the text, and where it is written (the text,
/// or for an NLU file's response the whole variation).
struct ResponseText<'p> {
    file: FileId,
    response: &'p str,
    text: Cow<'p, str>,
    span: Span,
}

/// Every text of the domain's responses, and in Rasa 2 and 3 of the responses under an
/// NLU file's `responses:` key.
fn response_texts(project: &Project) -> impl Iterator<Item = ResponseText<'_>> {
    let domain = project.domain_files().flat_map(|(file, domain)| {
        domain.responses.iter().flat_map(move |response| {
            let texts = response
                .variation_list
                .iter()
                .filter_map(|v| v.text.as_ref());
            texts.map(move |text| ResponseText {
                file,
                response: &response.name.name,
                text: Cow::Borrowed(&text.name),
                span: text.span.clone(),
            })
        })
    });
    let nlu = project.nlu_file_responses().flat_map(|(file, entry)| {
        let variations = entry.json.as_deref().and_then(|json| json.as_array());
        let texts = variations.into_iter().flatten().zip(&entry.variations);
        texts.filter_map(move |(variation, span)| {
            Some(ResponseText {
                file,
                response: &entry.key,
                text: Cow::Owned(variation.get("text")?.as_str()?.to_string()),
                span: span.clone(),
            })
        })
    });
    domain.chain(nlu)
}

/// The names of the `{name}` placeholders in a response text (Python `str.format` fields
/// that are plain identifiers), skipping `{{` and `}}`.
fn placeholders(text: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        if rest[open + 1..].starts_with('{') {
            rest = &rest[open + 2..];
            continue;
        }
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        let name = &after[..close];
        if !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_') {
            found.push(name);
        }
        rest = &after[close + 1..];
    }
    found
}

/// Where `needle` is written inside `span` of the source, if it is written as is.
fn find_in(source: &str, span: &Span, needle: &str) -> Option<Span> {
    let at = source.get(span.clone())?.find(needle)?;
    Some(span.start + at..span.start + at + needle.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_identifiers_in_single_braces() {
        assert_eq!(
            placeholders("Hi {name}, {{not}} {also_1} {x y} {"),
            ["name", "also_1"]
        );
    }
}
