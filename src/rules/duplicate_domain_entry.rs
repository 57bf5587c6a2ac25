use rustc_hash::FxHashMap;

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::model::domain::Name;
use crate::rasa::RasaVersion;
use crate::rule::Rule;
use crate::source::{FileId, Span};

declare_rule! {
    /// ## What it does
    /// Reports an intent, entity, slot, response, action or form declared twice, within one
    /// domain file or across the files of a split domain, and a form that is also listed
    /// under `actions:` (Rasa 1.x counts it twice).
    ///
    /// Across the files of a Rasa 2 or 3 domain folder, names are merged: an action or an
    /// entity listed in two files is one name, and so is an intent in Rasa 3; those are not
    /// reported. Slots, responses and forms defined in two files are (and intents in Rasa
    /// 2.8, whose `rasa data validate` fails on them). A form listed under `actions:` is
    /// fine in Rasa 2 and 3, unless Rasa 2 reads the forms as a Rasa 1 list of names.
    ///
    /// ## Why is this bad?
    /// Rasa refuses such a domain ("Duplicate actions in domain", a YAML duplicate-key
    /// error) and then validates against an *empty* domain, so every other check misfires.
    /// Across files, one of the two definitions wins (in Rasa 3, the file the folder walk
    /// visits first: the order of the file system). (The domains of projects a
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
        let version = project.rasa.version;
        let mut seen = Seen::default();
        for (file, domain) in project.domain_files() {
            // An imported project's domain is merged by design: only its own repeats count.
            let mut own = Seen::default();
            let lists: [(&'static str, Vec<&Name>); 6] = [
                ("intent", domain.intents.iter().map(|i| &i.name).collect()),
                ("entity", domain.entities.iter().collect()),
                ("slot", domain.slots.iter().map(|s| &s.name).collect()),
                (
                    "response",
                    domain.responses.iter().map(|r| &r.name).collect(),
                ),
                ("action", domain.actions.iter().collect()),
                ("form", domain.forms.iter().collect()),
            ];
            for (kind, names) in lists {
                let across = !domain.imported && reported_across_files(kind, version);
                for name in names {
                    // Within the file first: a repeat there is reported once, as such.
                    if own.check(kind, file, name, true, out) {
                        seen.check(kind, file, name, across, out);
                    }
                }
            }
        }
        for (file, domain) in project.domain_files() {
            if !counts_forms_as_actions(domain, version) {
                continue;
            }
            for form in &domain.forms {
                if let Some(action) = project.domain.actions.get(&form.name) {
                    out.push(
                        Diagnostic::new(
                            &Self::META,
                            file,
                            form.span.clone(),
                            format!("form `{}` is also listed under `actions:`", form.name),
                        )
                        .with_label("declared as a form here")
                        .with_related(action.file, action.span.clone(), "and as an action here")
                        .with_help(if version == RasaVersion::V1 {
                            "remove it from `actions:`: Rasa 1.x reports the form as a duplicate action"
                        } else {
                            "remove it from `actions:`: Rasa 2 makes each form of a list of names an action, and reports the form as a duplicate action"
                        }),
                    );
                }
            }
        }
    }
}

/// Whether a name declared in two domain files is reported: Rasa 1.10 keeps one silently;
/// Rasa 2.8 merges actions and entities by name and fails validation on the rest; Rasa 3.6
/// merges actions, entities and intents by name and keeps the first file's slots,
/// responses and forms.
fn reported_across_files(kind: &str, version: RasaVersion) -> bool {
    match version {
        RasaVersion::V1 => true,
        RasaVersion::V2 => !matches!(kind, "action" | "entity"),
        RasaVersion::V3 => !matches!(kind, "action" | "entity" | "intent"),
    }
}

/// Whether Rasa counts the domain's forms as actions too: Rasa 1.x, and Rasa 2 reading
/// forms written as a Rasa 1 list of names.
fn counts_forms_as_actions(
    domain: &crate::model::domain::DomainFile,
    version: RasaVersion,
) -> bool {
    match version {
        RasaVersion::V1 => true,
        RasaVersion::V2 => domain
            .tree
            .as_deref()
            .and_then(|root| root.get("forms"))
            .is_some_and(|forms| forms.as_seq().is_some()),
        RasaVersion::V3 => false,
    }
}

/// The first declaration of each (kind, name).
#[derive(Default)]
struct Seen<'a> {
    first: FxHashMap<(&'static str, &'a str), (FileId, Span)>,
}

impl<'a> Seen<'a> {
    /// Records `name`, reporting it when seen before (and `report`); whether it is new.
    fn check(
        &mut self,
        kind: &'static str,
        file: FileId,
        name: &'a Name,
        report: bool,
        out: &mut Vec<Diagnostic>,
    ) -> bool {
        match self.first.get(&(kind, name.name.as_str())) {
            None => {
                self.first
                    .insert((kind, name.name.as_str()), (file, name.span.clone()));
                true
            }
            Some(_) if !report => false,
            Some((first_file, first_span)) => {
                out.push(
                    Diagnostic::new(
                        &DuplicateDomainEntry::META,
                        file,
                        name.span.clone(),
                        format!("{kind} `{}` is declared twice", name.name),
                    )
                    .with_label("declared again here")
                    .with_related(*first_file, first_span.clone(), "first declared here")
                    .with_help("remove one of the two declarations"),
                );
                false
            }
        }
    }
}
