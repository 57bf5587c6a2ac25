use rustc_hash::{FxHashMap, FxHashSet};

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::model::domain::{DomainFile, EntityDecl, FormDecl, Name, RequiredSlot, SlotMapping};
use crate::model::nlu::{Entity, EntityLabel};
use crate::rule::Rule;
use crate::source::{FileId, Span};
use crate::suggest::closest;

declare_rule! {
    /// ## What it does
    /// Reports a role or group that an NLU annotation gives an entity
    /// (`[Paris]{"entity": "city", "role": "destination"}`) but that the domain does not
    /// declare for that entity (`entities:` then `- city: {roles: [departure,
    /// destination]}`, the Rasa 2.x way).
    ///
    /// One finding per role or group, entity and file, at its first use, with the number
    /// of uses in the message.
    ///
    /// The slot mappings of 2.x forms (`entity: city` with `role: departure`) are checked
    /// too, when no example annotates that role or group either: such a mapping waits
    /// for something the NLU model is never taught to extract. One that examples do
    /// annotate is reported at the annotations, once.
    ///
    /// Roles are only checked in a domain that declares `roles` for at least one entity,
    /// and groups only in one that declares `groups` for at least one entity. A domain
    /// that declares none is written for Rasa 1.x, which cannot declare them at all (Rasa
    /// 1.10 rejects an entity written as a mapping, and its dialogue policies never see
    /// roles or groups), or for a 2.x bot that uses roles only to extract entities and
    /// fill slots, for which declaring them changes nothing. Once the domain declares
    /// roles, an entity declared without them counts as declaring none. Entities the
    /// domain does not declare at all are left to `entity-not-in-domain`.
    ///
    /// ## Why is this bad?
    /// Rasa checks nothing here. In Rasa 2.x the dialogue policies see an entity's role
    /// or group (as `city#destination`) only when the domain declares it for that entity:
    /// an undeclared one is silently dropped from the dialogue state, so stories that
    /// tell departure from destination train as if they were the same. The NLU model
    /// still learns it. Usually a misspelt role (`destinaton`), or one added to the data
    /// but not to the domain.
    ///
    /// ## Example
    /// ```md
    /// ## intent:book_flight
    /// - fly to [Paris]{"entity": "city", "role": "destinaton"}   <- the domain declares `destination`
    /// ```
    /// In YAML (Rasa 3 slot mappings name roles too, and are checked the same way):
    /// ```yaml
    /// nlu:
    /// - intent: book_flight
    ///   examples: |
    ///     - fly to [Paris]{"entity": "city", "role": "destinaton"}
    /// ```
    pub struct RoleOrGroupNotInDomain {
        code: "RL119",
        name: "role-or-group-not-in-domain",
        severity: Warning,
        needs_domain: true,
        summary: "an annotation's role or group is not declared for its entity",
    }
}

/// Roles or groups: the two are declared, annotated and checked alike.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    Role,
    Group,
}

impl Kind {
    fn word(self) -> &'static str {
        match self {
            Kind::Role => "role",
            Kind::Group => "group",
        }
    }

    /// The domain key that declares them.
    fn key(self) -> &'static str {
        match self {
            Kind::Role => "roles",
            Kind::Group => "groups",
        }
    }

    fn declared(self, decl: &EntityDecl) -> Option<&Vec<Name>> {
        match self {
            Kind::Role => decl.roles.as_ref(),
            Kind::Group => decl.groups.as_ref(),
        }
    }

    fn annotated(self, entity: &Entity) -> Option<&EntityLabel> {
        match self {
            Kind::Role => entity.role.as_deref(),
            Kind::Group => entity.group.as_deref(),
        }
    }

    fn mapped(self, mapping: &SlotMapping) -> Option<&Name> {
        match self {
            Kind::Role => mapping.role.as_ref(),
            Kind::Group => mapping.group.as_ref(),
        }
    }
}

/// A name written in a file.
#[derive(Clone, Copy)]
struct Place<'p> {
    file: FileId,
    name: &'p Name,
}

/// What the domain declares of one kind for one entity.
struct EntityLabels<'p> {
    /// The entity's first declaration.
    entity: Place<'p>,
    /// Every label declared in any of its declarations, in file order.
    labels: Vec<Place<'p>>,
}

impl EntityLabels<'_> {
    fn declares(&self, label: &str) -> bool {
        self.labels.iter().any(|l| l.name.name == label)
    }
}

/// The labels of one kind the domain declares, by entity; empty when no entity declares
/// any, which turns the check off.
fn declared_labels(project: &Project, kind: Kind) -> FxHashMap<&str, EntityLabels<'_>> {
    let mut by_entity: FxHashMap<&str, EntityLabels> = FxHashMap::default();
    let mut any_declared = false;
    for (file, domain) in project.domain_files().filter(|(_, d)| d.readable) {
        for decl in &domain.entity_decls {
            let entry = by_entity
                .entry(decl.name.name.as_str())
                .or_insert_with(|| EntityLabels {
                    entity: Place {
                        file,
                        name: &decl.name,
                    },
                    labels: Vec::new(),
                });
            if let Some(labels) = kind.declared(decl) {
                any_declared = true;
                entry
                    .labels
                    .extend(labels.iter().map(|name| Place { file, name }));
            }
        }
    }
    if !any_declared {
        by_entity.clear();
    }
    by_entity
}

/// The undeclared labels used in one file, in order of first use, with their counts.
#[derive(Default)]
struct FileUses<'p> {
    order: Vec<(&'p str, &'p str)>,
    uses: FxHashMap<(&'p str, &'p str), (Span, usize)>,
}

impl<'p> FileUses<'p> {
    fn add(&mut self, entity: &'p str, label: &'p str, span: impl FnOnce() -> Span) {
        self.uses
            .entry((entity, label))
            .and_modify(|(_, count)| *count += 1)
            .or_insert_with(|| {
                self.order.push((entity, label));
                (span(), 1)
            });
    }
}

impl Rule for RoleOrGroupNotInDomain {
    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        for kind in [Kind::Role, Kind::Group] {
            let declared = declared_labels(project, kind);
            if declared.is_empty() {
                continue;
            }
            check_annotations(project, kind, &declared, out);
            check_slot_mappings(project, kind, &declared, out);
        }
    }
}

fn check_annotations(
    project: &Project,
    kind: Kind,
    declared: &FxHashMap<&str, EntityLabels>,
    out: &mut Vec<Diagnostic>,
) {
    for (file, nlu) in project.nlu_files() {
        let mut uses = FileUses::default();
        for entity in nlu.examples.iter().flat_map(|e| &e.entities) {
            let Some(label) = kind.annotated(entity) else {
                continue;
            };
            let Some(labels) = declared.get(entity.entity.as_str()) else {
                continue;
            };
            if !labels.declares(&label.name) {
                uses.add(&entity.entity, &label.name, || label.span.clone());
            }
        }
        report_annotations(file, kind, declared, &uses, out);
    }
}

fn report_annotations(
    file: FileId,
    kind: Kind,
    declared: &FxHashMap<&str, EntityLabels>,
    uses: &FileUses,
    out: &mut Vec<Diagnostic>,
) {
    let word = kind.word();
    let why = format!(
        "Rasa 2.x shows the dialogue policies only the {} the domain declares for an entity",
        kind.key()
    );
    for &(entity, label) in &uses.order {
        let (span, count) = &uses.uses[&(entity, label)];
        let (suffix, where_) = match count {
            1 => (String::new(), "annotated here"),
            n => (
                format!(" (annotated {n} times in this file)"),
                "first annotated here",
            ),
        };
        let message = format!("{word} `{label}` is not declared for entity `{entity}`{suffix}");
        let diagnostic =
            Diagnostic::new(&RoleOrGroupNotInDomain::META, file, span.clone(), message)
                .with_label(where_);
        out.push(explain(diagnostic, kind, label, &declared[entity], &why));
    }
}

/// Slot mappings name a role or group for the NLU model to extract: one that examples
/// annotate is reported there (once), so only the ones no example annotates are
/// reported here.
fn check_slot_mappings(
    project: &Project,
    kind: Kind,
    declared: &FxHashMap<&str, EntityLabels>,
    out: &mut Vec<Diagnostic>,
) {
    let annotated: FxHashSet<(&str, &str)> = project
        .nlu_files()
        .flat_map(|(_, nlu)| nlu.examples.iter().flat_map(|e| &e.entities))
        .filter_map(|e| Some((e.entity.as_str(), kind.annotated(e)?.name.as_str())))
        .collect();
    for (file, domain) in project.domain_files().filter(|(_, d)| d.readable) {
        for (form, slot, mapping) in slot_mappings(domain) {
            let (Some(entity), Some(label)) = (&mapping.entity, kind.mapped(mapping)) else {
                continue;
            };
            let Some(labels) = declared.get(entity.name.as_str()) else {
                continue;
            };
            if labels.declares(&label.name)
                || annotated.contains(&(entity.name.as_str(), label.name.as_str()))
            {
                continue;
            }
            let (slot, word) = (&slot.name.name, kind.word());
            let message = format!(
                "slot `{slot}` of form `{}` is filled from {word} `{}` of entity `{}`, which the domain does not declare and no example annotates",
                form.name.name, label.name, entity.name
            );
            let diagnostic = Diagnostic::new(
                &RoleOrGroupNotInDomain::META,
                file,
                label.span.clone(),
                message,
            )
            .with_label(format!("undeclared {word}"));
            let why = format!(
                "`{slot}` is filled only when the NLU model extracts a `{}` with this {word}",
                entity.name
            );
            out.push(explain(diagnostic, kind, &label.name, labels, &why));
        }
    }
}

/// Every slot mapping of every form of a domain file, with its form and slot.
fn slot_mappings(
    domain: &DomainFile,
) -> impl Iterator<Item = (&FormDecl, &RequiredSlot, &SlotMapping)> {
    domain.form_decls.iter().flat_map(|form| {
        form.required_slots
            .iter()
            .flat_map(move |slot| slot.mappings.iter().map(move |m| (form, slot, m)))
    })
}

/// Help and a second label: the declared label it was probably meant to be, or the
/// entity's declaration and how to extend it.
fn explain(
    diagnostic: Diagnostic,
    kind: Kind,
    label: &str,
    labels: &EntityLabels,
    why: &str,
) -> Diagnostic {
    let (word, key) = (kind.word(), kind.key());
    let entity = labels.entity;
    let entity_name = &entity.name.name;
    // Labels of one or two characters (`1`, `A`) are each one edit from any other: no
    // guess there.
    let known = (label.chars().count() > 2)
        .then(|| closest(label, labels.labels.iter().map(|l| l.name.name.as_str())))
        .flatten();
    if let Some(known) = known {
        let there = labels.labels.iter().find(|l| l.name.name == known);
        let diagnostic = diagnostic.with_help(format!("did you mean `{known}`? {why}"));
        return match there {
            Some(there) => diagnostic.with_related(
                there.file,
                there.name.span.clone(),
                format!("{word} `{known}` of `{entity_name}` is declared here"),
            ),
            None => diagnostic,
        };
    }
    let (help, note) = if labels.labels.is_empty() {
        (
            format!(
                "declare it, as `- {entity_name}: {{{key}: [{label}]}}` under `entities:`: {why}"
            ),
            format!("`{entity_name}` is declared here, without {key}"),
        )
    } else {
        let mut listed: Vec<String> = Vec::new();
        for l in &labels.labels {
            let quoted = format!("`{}`", l.name.name);
            if !listed.contains(&quoted) {
                listed.push(quoted);
            }
        }
        (
            format!(
                "add `{label}` to the {key} of `{entity_name}` in the domain, or fix the name: {why}"
            ),
            format!("`{entity_name}` declares {key} {}", listed.join(", ")),
        )
    };
    diagnostic
        .with_help(help)
        .with_related(entity.file, entity.name.span.clone(), note)
}
