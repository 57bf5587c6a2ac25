use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::rasa::RasaVersion;
use crate::rule::Rule;

declare_rule! {
    /// ## What it does
    /// Reports a response Rasa 1.10 refuses: one whose value is not a list of variations
    /// (`utter_x:` with nothing under it), or a variation that has neither `text` nor
    /// `custom`.
    ///
    /// ## Why is this bad?
    /// Rasa 1.10 rejects the whole domain ("Utter template 'x' needs to contain either
    /// '- text: ' or '- custom: '", "does not have any defined templates") and goes on with
    /// an *empty* domain, so every other check and the training misfire.
    ///
    /// An image or buttons alone are not enough for Rasa 1.10 (checked against Rasa
    /// itself): they need a `text` (or a `custom` payload) beside them. A variation written
    /// as a plain string is accepted (Rasa converts it, with a warning).
    ///
    /// In a Rasa 2 or 3 bot only an empty list of variations (`utter_x: []`) is reported
    /// here: Rasa 2 and 3 accept it, and the response says nothing. The shapes they refuse
    /// (a response without a value, a variation without `text` or `custom`) stop `rasa
    /// train` and `rasa data validate` at the domain's schema, which `empty-domain` (RL409)
    /// reports with Rasa's reason.
    ///
    /// ## Example
    /// ```yaml
    /// responses:
    ///   utter_show_map:
    ///   - image: https://example.com/map.png     # needs a text too
    /// ```
    pub struct InvalidResponse {
        code: "RL404",
        name: "invalid-response",
        severity: Error,
        summary: "a response Rasa refuses",
    }
}

impl Rule for InvalidResponse {
    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        if project.rasa.version != RasaVersion::V1 {
            return empty_lists(project, out);
        }
        for (file, domain) in project.domain_files() {
            for response in &domain.responses {
                let name = &response.name.name;
                if response.variation_list.is_empty() {
                    out.push(
                        Diagnostic::new(&Self::META, file, response.name.span.clone(), format!("response `{name}` has no variations"))
                            .with_help("list at least one variation under it (`- text: …`); Rasa 1.10 refuses the whole domain"),
                    );
                    continue;
                }
                for variation in &response.variation_list {
                    let has = |key: &str| variation.keys.iter().any(|k| k.name == key);
                    if variation.is_string || has("text") || has("custom") {
                        continue;
                    }
                    out.push(
                        Diagnostic::new(&Self::META, file, variation.span.clone(), format!("a variation of `{name}` has neither `text` nor `custom`"))
                            .with_label("no text")
                            .with_help("add a `text:` (images and buttons need one beside them in Rasa 1.x), or a `custom:` payload; Rasa 1.10 refuses the whole domain"),
                    );
                }
            }
        }
    }
}

/// Rasa 2 and 3: the responses written as an empty list (`utter_x: []`), which their
/// schema accepts. The shapes they refuse (no value, a variation without `text` or
/// `custom`) are `empty-domain`'s (RL409), with Rasa's reason.
fn empty_lists(project: &Project, out: &mut Vec<Diagnostic>) {
    for (file, domain) in project.domain_files() {
        let text = &project.file(file).text;
        for response in &domain.responses {
            let written = text.get(response.value_span.clone()).unwrap_or_default();
            if !response.variation_list.is_empty() || !written.starts_with('[') {
                continue;
            }
            let name = &response.name.name;
            out.push(
                Diagnostic::new(&InvalidResponse::META, file, response.name.span.clone(), format!("response `{name}` has no variations"))
                    .with_help("list at least one variation under it (`- text: …`): Rasa 2 and 3 accept an empty list, and the bot says nothing when it runs the response"),
            );
        }
    }
}
