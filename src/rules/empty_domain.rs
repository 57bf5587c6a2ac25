use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::model::domain::Refusal;
use crate::rasa::RasaVersion;
use crate::rule::Rule;
use crate::source::FileId;

declare_rule! {
    /// ## What it does
    /// Reports a domain that Rasa 1.10 reads as empty:
    ///
    /// - a domain that declares nothing: no intents, entities, slots, responses, actions
    ///   or forms;
    /// - a domain file that breaks Rasa 1.10's domain schema, at each place that breaks
    ///   it. Rasa then refuses the file, logs "Loading domain from '…' failed. Using empty
    ///   domain." and goes on with an empty domain. The usual cause is a Rasa 2.x domain
    ///   in a 1.x bot: entities with `roles:` or `groups:`, `forms:` as a mapping of
    ///   required slots. An empty `responses:` or `slots:` key is refused too (a null is
    ///   no mapping), as are names written as numbers or booleans. Which shapes the schema
    ///   refuses was checked one by one with Rasa 1.10.26's own validation.
    ///
    /// rasalint's other rules still read such a file as written. A bot read as Rasa 2 or 3
    /// (its domain's `version:` key, slots with `mappings`, `--rasa-version`) is not held
    /// to Rasa 1.10's schema.
    ///
    /// ## Why is this bad?
    /// With an empty domain `rasa data validate` fails ("empty domain") without saying
    /// why, and `rasa train` trains a bot that knows no intents, actions or responses.
    /// Usually the file is the wrong one, its content is commented out, or it was written
    /// for another Rasa version.
    ///
    /// ## Example
    /// ```yaml
    /// entities:
    ///   - city:
    ///       roles: [departure, destination]   # Rasa 2.1+ only: 1.10 refuses the domain
    /// ```
    pub struct EmptyDomain {
        code: "RL409",
        name: "empty-domain",
        severity: Error,
        summary: "a domain Rasa reads as empty: it declares nothing, or Rasa 1.10 refuses it",
    }
}

impl Rule for EmptyDomain {
    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        // The refusals are Rasa 1.10's schema; Rasa 2 and 3 read those shapes (roles,
        // forms as mappings) as their own.
        if project.rasa.version == RasaVersion::V1 {
            for (file, domain) in project.domain_files() {
                for refusal in &domain.rasa_refusals {
                    out.push(refused(file, refusal));
                }
            }
        }
        let domains: Vec<_> = project.domain_files().collect();
        // A domain that does not parse is reported as such (RL002), not as empty.
        if domains.is_empty() || domains.iter().any(|(_, d)| !d.readable || !d.is_empty()) {
            return;
        }
        let (file, _) = domains[0];
        let end = project.file(file).text.len().min(1);
        out.push(
            Diagnostic::new(&Self::META, file, 0..end, "the domain declares no intents, entities, slots, responses, actions or forms")
                .with_help("Rasa fails validation on an empty domain: check that this is the bot's domain file"),
        );
    }
}

fn refused(file: FileId, refusal: &Refusal) -> Diagnostic {
    let key = refusal.key.as_str();
    let reason = refusal.reason.as_str();
    let hint = if reason.contains("a mapping") && key == "entities" {
        "list entities by name (`- city`): roles and groups need Rasa 2.1 or later".to_string()
    } else if reason.contains("a mapping") && key == "forms" {
        "list forms by name (`- booking_form`): in Rasa 1.x a form's required slots are returned by its FormAction's `required_slots`".to_string()
    } else if reason.contains("empty (null), not a mapping") {
        "remove the empty key, or give it entries".to_string()
    } else if reason.contains("not a list") {
        format!("write `{key}` as a list of names")
    } else if reason.contains("not a mapping") {
        format!("write `{key}` as a mapping")
    } else if reason.starts_with("an item") {
        format!(
            "write each item of `{key}` as a name (quote names that YAML reads as numbers or booleans)"
        )
    } else {
        "give the setting a value of that kind".to_string()
    };
    Diagnostic::new(
        &EmptyDomain::META,
        file,
        refusal.span.clone(),
        format!("Rasa 1.10 refuses this domain file: {}", refusal.reason),
    )
    .with_label("not allowed by Rasa 1.10's domain schema")
    .with_help(format!(
        "{hint}; as it is, Rasa logs \"Loading domain from '…' failed. Using empty domain.\" and trains and validates with an empty domain"
    ))
}
