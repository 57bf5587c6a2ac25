use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::model::domain::DomainFile;
use crate::rasa::RasaVersion;
use crate::rule::Rule;
use crate::source::FileId;
use crate::yaml::Node;

declare_rule! {
    /// ## What it does
    /// Reports what Rasa 2.8 reads from a domain with a deprecation warning (a
    /// `FutureWarning`, once per place): a form whose slots are its own keys instead of
    /// being under `required_slots` (the Rasa 2.0–2.5 shape; an empty form `{}` too), a
    /// `forms:` list of names (Rasa 1's format: 2.8 runs the forms as the Rasa SDK's
    /// deprecated `FormAction` classes), and a slot of type `unfeaturized`.
    ///
    /// ## Why is this bad?
    /// Rasa 2.8 prints these warnings on every run without saying where, and Rasa 3
    /// refuses all three, so a bot written this way cannot move to Rasa 3 as it is. The
    /// rule runs on Rasa 2 bots; a Rasa 3 bot gets these places as errors (RL409), and a
    /// file Rasa 2.8 refuses gets that refusal instead.
    ///
    /// ## Example
    /// ```yaml
    /// slots:
    ///   seen:
    ///     type: unfeaturized    # write `type: any`
    /// forms:
    ///   name_form:              # its slot under `required_slots:`
    ///     name:
    ///     - type: from_text
    /// ```
    pub struct DeprecatedDomainSyntax {
        code: "RL414",
        name: "deprecated-domain-syntax",
        severity: Warning,
        versions: [V2],
        summary: "a form or slot written in a shape Rasa 2.8 deprecates and Rasa 3 refuses",
    }
}

impl Rule for DeprecatedDomainSyntax {
    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        for (file, domain) in project.domain_files() {
            // Rasa 2.8 warns while it builds the domain: not for a file it skips or
            // refuses before (that is reported as such).
            if domain.refusals(RasaVersion::V2).next().is_some() {
                continue;
            }
            out.extend(unfeaturized_slots(file, domain));
            if let Some((key, forms)) = domain.tree.as_deref().and_then(forms_entry) {
                out.extend(deprecated_forms(file, key, forms));
            }
        }
    }
}

/// Slots whose `type` is `unfeaturized` (by name or by class path), at the type.
fn unfeaturized_slots(file: FileId, domain: &DomainFile) -> impl Iterator<Item = Diagnostic> + '_ {
    domain.slots.iter().filter_map(move |slot| {
        let kind = slot.slot_type.as_ref()?;
        if !matches!(
            kind.name.as_str(),
            "unfeaturized" | "rasa.shared.core.slots.UnfeaturizedSlot"
        ) {
            return None;
        }
        Some(
            Diagnostic::new(
                &DeprecatedDomainSyntax::META,
                file,
                kind.span.clone(),
                format!(
                    "slot `{}` has type `unfeaturized`, which Rasa 2.8 deprecates (with a warning) and Rasa 3 no longer has",
                    slot.name.name
                ),
            )
            .with_label("deprecated slot type")
            .with_help("write `type: any`, which is never featurised either, or the type of the slot's values with `influence_conversation: false`"),
        )
    })
}

/// The `forms` key and its value in the domain's top-level mapping.
fn forms_entry(root: &Node) -> Option<(&Node, &Node)> {
    root.as_map()?
        .iter()
        .find(|(key, _)| key.as_str() == Some("forms"))
        .map(|(key, value)| (key, value))
}

/// A list of form names (at the `forms` key), or each form written without
/// `required_slots` (at its name).
fn deprecated_forms(file: FileId, key: &Node, forms: &Node) -> Vec<Diagnostic> {
    if forms.as_seq().is_some() {
        return vec![
            Diagnostic::new(
                &DeprecatedDomainSyntax::META,
                file,
                key.span.clone(),
                "`forms` is a list of names, Rasa 1's format: Rasa 2.8 warns and runs each form as the Rasa SDK's deprecated `FormAction`, which Rasa 3 no longer has",
            )
            .with_label("Rasa 1 forms")
            .with_help("write `forms:` as a mapping: each form's name, and under it `required_slots:` with each slot and its slot mappings (`name_form: {required_slots: {name: [{type: from_text}]}}`)"),
        ];
    }
    let Some(entries) = forms.as_map() else {
        return Vec::new();
    };
    entries
        .iter()
        .filter(|(_, body)| body.as_map().is_some() && body.get("required_slots").is_none())
        .map(|(name, body)| {
            let name_text = name.python_str().unwrap_or_default();
            let empty = body.as_map().is_some_and(<[_]>::is_empty);
            let (message, help) = if empty {
                (
                    format!("form `{name_text}` has no `required_slots`: Rasa 2.8 warns about a form without the key"),
                    "write `required_slots:` in it, with the slots the form asks for (`{required_slots: {}}` for none)",
                )
            } else {
                (
                    format!("the slots of form `{name_text}` are its own keys, the Rasa 2.0–2.5 shape: Rasa 2.8 warns, and Rasa 3 refuses it"),
                    "put the slots under a `required_slots:` key of the form, indented one level more",
                )
            };
            Diagnostic::new(&DeprecatedDomainSyntax::META, file, name.span.clone(), message)
                .with_label("no `required_slots`")
                .with_help(help)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::findings_on_data;

    fn spans(domain: &str) -> Vec<&str> {
        findings_on_data(
            &DeprecatedDomainSyntax,
            &[("domain.yml", domain)],
            RasaVersion::V2,
        )
        .iter()
        .map(|d| &domain[d.span.clone()])
        .collect()
    }

    #[test]
    fn each_deprecated_place_is_reported_at_its_node() {
        let domain = "version: \"2.0\"\nslots:\n  a:\n    type: unfeaturized\n  b:\n    type: rasa.shared.core.slots.UnfeaturizedSlot\n  c:\n    type: any\nforms:\n  old:\n    a:\n    - type: from_text\n  empty: {}\n  new:\n    required_slots:\n      c:\n      - type: from_text\n  none:\n";
        assert_eq!(
            spans(domain),
            [
                "unfeaturized",
                "rasa.shared.core.slots.UnfeaturizedSlot",
                "old",
                "empty"
            ]
        );
    }

    #[test]
    fn a_list_of_forms_is_reported_once_at_the_key() {
        assert_eq!(spans("intents: [hi]\nforms: [f1, f2]\n"), ["forms"]);
        assert_eq!(spans("intents: [hi]\nforms: []\n"), ["forms"]);
        assert!(spans("intents: [hi]\nforms: {}\n").is_empty());
    }

    /// A file Rasa 2.8 skips (newer `version`) or refuses warns about nothing.
    #[test]
    fn a_skipped_or_refused_file_is_not_reported() {
        assert!(spans("version: \"3.1\"\nforms: [f]\n").is_empty());
        let refused = "slots:\n  a:\n    type: unfeaturized\n    influence_conversation: true\n";
        assert!(spans(refused).is_empty());
    }
}
