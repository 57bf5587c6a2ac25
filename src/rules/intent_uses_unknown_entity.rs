use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::rule::Rule;
use crate::suggest::closest;

declare_rule! {
    /// ## What it does
    /// Reports an entity named in an intent's `use_entities` or `ignore_entities` that the
    /// domain does not declare under `entities:`.
    ///
    /// ## Why is this bad?
    /// The list silently does nothing for that name, so the intent uses (or ignores)
    /// different entities than the author wrote down. Usually a typo or a renamed entity.
    ///
    /// ## Example
    /// ```yaml
    /// intents:
    ///   - inform:
    ///       use_entities: [cty]      # the domain declares `city`
    /// entities:
    ///   - city
    /// ```
    pub struct IntentUsesUnknownEntity {
        code: "RL410",
        name: "intent-uses-unknown-entity",
        severity: Warning,
        needs_domain: true,
        summary: "use_entities or ignore_entities names an unknown entity",
    }
}

impl Rule for IntentUsesUnknownEntity {
    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        let entities = &project.domain.entities;
        for (file, domain) in project.domain_files() {
            for intent in &domain.intents {
                let named = intent
                    .use_entities
                    .iter()
                    .flatten()
                    .chain(&intent.ignore_entities);
                for entity in named.filter(|e| !entities.contains_key(&e.name)) {
                    let diagnostic = Diagnostic::new(
                        &Self::META,
                        file,
                        entity.span.clone(),
                        format!(
                            "intent `{}` names the entity `{}`, which the domain does not declare",
                            intent.name.name, entity.name
                        ),
                    )
                    .with_label("not under `entities:`");
                    out.push(
                        match closest(&entity.name, entities.keys().map(String::as_str)) {
                            Some(known) => diagnostic
                                .with_help(format!("did you mean `{known}`?"))
                                .with_related(
                                    entities[known].file,
                                    entities[known].span.clone(),
                                    format!("`{known}` is declared here"),
                                ),
                            None => diagnostic.with_help(format!(
                                "declare `{}` under `entities:`, or remove it from the list",
                                entity.name
                            )),
                        },
                    );
                }
            }
        }
    }
}
