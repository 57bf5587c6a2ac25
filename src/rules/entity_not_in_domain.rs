use rustc_hash::FxHashMap;

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::rule::Rule;
use crate::source::{FileId, Span};
use crate::suggest::closest;

declare_rule! {
    /// ## What it does
    /// Reports an entity type that is annotated in an NLU example (`[Berlin](city)`) or
    /// given on a story user turn (`* inform{"city": "Berlin"}`; in YAML a step's
    /// `entities:` or an annotation in its `user:` text) but not listed under `entities:`
    /// in the domain.
    ///
    /// One finding per entity and file, at its first use, with the number of uses in the
    /// message: an undeclared entity annotated fifty times is one mistake, not fifty.
    ///
    /// On a bot read as Rasa 3.6 the finding is a warning: Rasa 3 made its checks that a
    /// name is in the domain warnings, and its own examples annotate entities that only
    /// their custom actions read (from the latest message, which keeps every entity).
    ///
    /// ## Why is this bad?
    /// Rasa checks nothing here (nor does `rasa data validate`, in any version). The NLU model learns to extract the entity, but the
    /// dialogue policy only featurises the entities of the domain, so it never sees it,
    /// and the stories that give it train on a state that never occurs. Usually a typo in
    /// the annotation (`[Berlin](ctiy)`) or an entity left out of the domain. When the
    /// undeclared name is a value that examples give a declared entity
    /// (`[breakfast](breakfast-included)` next to `[breakfast](attribute:breakfast-included)`),
    /// the finding says so and points at that annotation.
    ///
    /// ## Example
    /// ```md
    /// ## intent:inform
    /// - I live in [Berlin](ctiy)      <- the domain lists `city`
    /// ```
    pub struct EntityNotInDomain {
        code: "RL112",
        name: "entity-not-in-domain",
        severity: Error,
        needs_domain: true,
        warning_in: [V3],
        summary: "an entity used in NLU data or stories is not declared in the domain",
    }
}

/// The first use of an undeclared entity in a file, and how many uses there are.
struct Uses {
    first: Span,
    count: usize,
}

/// Undeclared entities of one file, in order of first use.
#[derive(Default)]
struct FileUses<'p> {
    order: Vec<&'p str>,
    uses: FxHashMap<&'p str, Uses>,
}

impl<'p> FileUses<'p> {
    fn add(&mut self, entity: &'p str, span: impl FnOnce() -> Span) {
        match self.uses.get_mut(entity) {
            Some(uses) => uses.count += 1,
            None => {
                self.order.push(entity);
                self.uses.insert(
                    entity,
                    Uses {
                        first: span(),
                        count: 1,
                    },
                );
            }
        }
    }
}

impl Rule for EntityNotInDomain {
    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        let values = declared_entity_values(project);
        let declared =
            |entity: &str| entity.is_empty() || project.domain.entities.contains_key(entity);
        for (file, nlu) in project.nlu_files() {
            let mut uses = FileUses::default();
            for entity in nlu.examples.iter().flat_map(|e| &e.entities) {
                if !declared(&entity.entity) {
                    uses.add(&entity.entity, || entity.entity_span.clone());
                }
            }
            report(project, &values, file, &uses, Place::Nlu, out);
        }
        for (file, stories) in project.story_files() {
            let mut uses = FileUses::default();
            for alternative in stories.user_alternatives() {
                let mut seen: Vec<&str> = Vec::new();
                for entity in &alternative.entities {
                    let Some(name) = entity.entity.as_deref() else {
                        continue;
                    };
                    if declared(name) || seen.contains(&name) {
                        continue;
                    }
                    seen.push(name);
                    uses.add(name, || entity.key_span.clone());
                }
            }
            report(project, &values, file, &uses, Place::Stories, out);
        }
    }
}

#[derive(Clone, Copy)]
enum Place {
    Nlu,
    Stories,
}

/// A declared entity annotated with a given value, and where.
struct ValueOf<'p> {
    entity: &'p str,
    file: FileId,
    span: Span,
}

/// The string values NLU annotations give declared entities, with the first place each
/// is given: an undeclared "entity" that is one of them was meant as a value
/// (`[breakfast](breakfast-included)` for `[breakfast](attribute:breakfast-included)`).
fn declared_entity_values(project: &Project) -> FxHashMap<&str, ValueOf<'_>> {
    let mut values = FxHashMap::default();
    for (file, nlu) in project.nlu_files() {
        for entity in nlu.examples.iter().flat_map(|e| &e.entities) {
            let Some(value) = entity.value.as_str() else {
                continue;
            };
            if project.domain.entities.contains_key(entity.entity.as_str()) {
                values.entry(value).or_insert(ValueOf {
                    entity: &entity.entity,
                    file,
                    span: entity.span.clone(),
                });
            }
        }
    }
    values
}

fn report(
    project: &Project,
    values: &FxHashMap<&str, ValueOf>,
    file: FileId,
    uses: &FileUses,
    place: Place,
    out: &mut Vec<Diagnostic>,
) {
    for &entity in &uses.order {
        let Uses { first, count } = &uses.uses[entity];
        let (message, label) = match (place, count) {
            (Place::Nlu, 1) => (
                format!("entity `{entity}` is not in the domain"),
                "annotated here",
            ),
            (Place::Nlu, n) => (
                format!(
                    "entity `{entity}` is not in the domain (annotated {n} times in this file)"
                ),
                "first annotated here",
            ),
            (Place::Stories, 1) => (
                format!("entity `{entity}` is not in the domain"),
                "used here",
            ),
            (Place::Stories, n) => (
                format!("entity `{entity}` is not in the domain (used {n} times in this file)"),
                "first used here",
            ),
        };
        let diagnostic = Diagnostic::new(&EntityNotInDomain::META, file, first.clone(), message)
            .with_label(label);
        let known = closest(entity, project.domain.entities.keys().map(String::as_str));
        let diagnostic = match known {
            Some(known) => {
                let declared = &project.domain.entities[known];
                diagnostic
                    .with_help(format!("did you mean `{known}`?"))
                    .with_related(
                        declared.file,
                        declared.span.clone(),
                        format!("`{known}` is declared here"),
                    )
            }
            None => match values.get(entity) {
                Some(value) => diagnostic
                    .with_help(format!(
                        "`{entity}` is a value of entity `{0}` elsewhere: did you mean `{{\"entity\": \"{0}\", \"value\": \"{entity}\"}}`?",
                        value.entity
                    ))
                    .with_related(
                        value.file,
                        value.span.clone(),
                        format!("`{entity}` is a value of `{}` here", value.entity),
                    ),
                None => diagnostic.with_help(format!(
                    "add `- {entity}` under `entities:` in the domain: the dialogue policy ignores entities the domain does not list"
                )),
            },
        };
        out.push(diagnostic);
    }
}
