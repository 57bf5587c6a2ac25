use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Project;
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
