use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports a domain that declares nothing: no intents, entities, slots, responses,
    /// actions or forms.
    ///
    /// ## Why is this bad?
    /// `rasa data validate` fails on an empty domain with no explanation; usually the file
    /// is the wrong one, or its content is commented out.
    ///
    /// ## Example
    /// A `domain.yml` holding only `session_config:`.
    pub struct EmptyDomain {
        code: "RL409",
        name: "empty-domain",
        severity: Error,
        summary: "the domain declares nothing",
    }
}

impl Rule for EmptyDomain {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
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
