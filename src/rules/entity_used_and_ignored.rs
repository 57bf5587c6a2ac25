use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::rule::Rule;

declare_rule! {
    /// ## What it does
    /// Reports an entity an intent lists both under `use_entities` and under
    /// `ignore_entities`.
    ///
    /// ## Why is this bad?
    /// The two lists contradict each other. Rasa 2.8 and 3.6 warn ("Entities: '{'city'}'
    /// are explicitly included and excluded for intent 'greet'. Excluding takes
    /// precedence in this case.") without a line, and ignore the entity: the dialogue
    /// policy never sees it after that intent, although `use_entities` says it should.
    ///
    /// ## Example
    /// ```yaml
    /// intents:
    ///   - inform:
    ///       use_entities: [city]
    ///       ignore_entities: [city]    # ignored: remove it from one of the lists
    /// ```
    pub struct EntityUsedAndIgnored {
        code: "RL413",
        name: "entity-used-and-ignored",
        severity: Warning,
        versions: [V2, V3],
        summary: "an intent both uses and ignores an entity",
    }
}

impl Rule for EntityUsedAndIgnored {
    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        for (file, domain) in project.domain_files() {
            for intent in &domain.intents {
                let Some(used) = &intent.use_entities else {
                    continue;
                };
                for ignored in &intent.ignore_entities {
                    let Some(also_used) = used.iter().find(|u| u.name == ignored.name) else {
                        continue;
                    };
                    out.push(
                        Diagnostic::new(
                            &Self::META,
                            file,
                            ignored.span.clone(),
                            format!(
                                "intent `{}` both uses and ignores the entity `{}`: Rasa ignores it",
                                intent.name.name, ignored.name
                            ),
                        )
                        .with_label("ignored here")
                        .with_related(file, also_used.span.clone(), "used here")
                        .with_help("keep the entity in one of the two lists"),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rasa::RasaVersion;
    use crate::rules::support::findings_on_data;

    #[test]
    fn an_entity_in_both_lists_is_reported_at_its_ignore_entry() {
        let domain = "version: \"3.1\"\nintents:\n- a:\n    use_entities: [x, y]\n    ignore_entities: [y, z]\n- b:\n    ignore_entities: [x]\n";
        let found = findings_on_data(
            &EntityUsedAndIgnored,
            &[("domain.yml", domain)],
            RasaVersion::V3,
        );
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].span.start, domain.find("[y, z]").unwrap() + 1);
        assert_eq!(found[0].related[0].span.start, domain.find("y]").unwrap());
    }
}
