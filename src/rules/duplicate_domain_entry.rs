use rustc_hash::FxHashMap;

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::model::domain::Name;
use crate::rule::Rule;
use crate::source::{FileId, Span};

declare_rule! {
    /// ## What it does
    /// Reports an intent, entity, slot, response, action or form declared twice, within one
    /// domain file or across the files of a split domain, and a form that is also listed
    /// under `actions:` (Rasa 1.x counts it twice).
    ///
    /// ## Why is this bad?
    /// Rasa 1.10 refuses such a domain ("Duplicate actions in domain", a YAML duplicate-key
    /// error) and then validates against an *empty* domain, so every other check misfires.
    /// Across files, one of the two definitions silently wins. (The domains of projects a
    /// `MultiProjectImporter` imports are merged by design; only repeats within each of
    /// them count.)
    ///
    /// ## Example
    /// ```yaml
    /// intents:
    ///   - greet
    ///   - greet
    /// ```
    pub struct DuplicateDomainEntry {
        code: "RL401",
        name: "duplicate-domain-entry",
        severity: Error,
        summary: "a name declared twice in the domain",
    }
}

impl Rule for DuplicateDomainEntry {
    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        let mut seen = Seen::default();
        for (file, domain) in project.domain_files() {
            // An imported project's domain is merged by design: only its own repeats count.
            let mut own = Seen::default();
            let seen = if domain.imported { &mut own } else { &mut seen };
            seen.kind("intent", file, domain.intents.iter().map(|i| &i.name), out);
            seen.kind("entity", file, domain.entities.iter(), out);
            seen.kind("slot", file, domain.slots.iter().map(|s| &s.name), out);
            seen.kind(
                "response",
                file,
                domain.responses.iter().map(|r| &r.name),
                out,
            );
            seen.kind("action", file, domain.actions.iter(), out);
            seen.kind("form", file, domain.forms.iter(), out);
        }
        for (file, domain) in project.domain_files() {
            for form in &domain.forms {
                if let Some(action) = project.domain.actions.get(&form.name) {
                    out.push(
                        Diagnostic::new(&Self::META, file, form.span.clone(), format!("form `{}` is also listed under `actions:`", form.name))
                            .with_label("declared as a form here")
                            .with_related(action.file, action.span.clone(), "and as an action here")
                            .with_help("remove it from `actions:`: Rasa 1.x reports the form as a duplicate action"),
                    );
                }
            }
        }
    }
}

/// The first declaration of each (kind, name).
#[derive(Default)]
struct Seen<'a> {
    first: FxHashMap<(&'static str, &'a str), (FileId, Span)>,
}

impl<'a> Seen<'a> {
    fn kind(
        &mut self,
        kind: &'static str,
        file: FileId,
        names: impl Iterator<Item = &'a Name>,
        out: &mut Vec<Diagnostic>,
    ) {
        for name in names {
            match self.first.get(&(kind, name.name.as_str())) {
                None => {
                    self.first
                        .insert((kind, name.name.as_str()), (file, name.span.clone()));
                }
                Some((first_file, first_span)) => out.push(
                    Diagnostic::new(
                        &DuplicateDomainEntry::META,
                        file,
                        name.span.clone(),
                        format!("{kind} `{}` is declared twice", name.name),
                    )
                    .with_label("declared again here")
                    .with_related(*first_file, first_span.clone(), "first declared here")
                    .with_help("remove one of the two declarations"),
                ),
            }
        }
    }
}
