use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::rule::Rule;
use crate::source::Span;
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
        for (file, domain) in project.domain_files() {
            let source = &project.file(file).text;
            for response in domain
                .responses
                .iter()
                .filter(|r| in_stories.contains(r.name.name.as_str()))
            {
                for text in response
                    .variation_list
                    .iter()
                    .filter_map(|v| v.text.as_ref())
                {
                    for placeholder in placeholders(&text.name) {
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
                                file,
                                span,
                                format!(
                                    "`{{{placeholder}}}` in `{}` names no slot",
                                    response.name.name
                                ),
                            )
                            .with_label("not a slot")
                            .with_help(help),
                        );
                    }
                }
            }
        }
    }
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
