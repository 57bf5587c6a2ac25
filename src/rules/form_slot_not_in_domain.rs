use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::model::domain::{FormDecl, Name};
use crate::rasa::KNOWLEDGE_BASE_SLOTS;
use crate::rule::Rule;
use crate::source::FileId;
use crate::suggest::closest;

declare_rule! {
    /// ## What it does
    /// Reports a slot that a form requires, in a domain written for Rasa 2.x (`forms:` as
    /// a mapping from form names to their slots), but that is not declared under `slots:`.
    ///
    /// Required slots are read as Rasa reads them: the keys under `required_slots:`
    /// (2.6 and later; in 3.x a list of names), or the form's own keys when it has no `required_slots:` (2.0–2.5;
    /// `ignored_intents` is not a slot). Slots declared in any domain file count, and so
    /// do the slots Rasa adds by itself: `requested_slot`, and the knowledge-base slots
    /// when the domain lists `action_query_knowledge_base`.
    ///
    /// Forms written the Rasa 1.x way, as a list of names (`forms:` then `- booking_form`),
    /// are not checked: their required slots are whatever the FormAction's
    /// `required_slots()` returns in the action server's code, which the domain does not
    /// show. Note that Rasa 1.10 itself only reads that list: it rejects a domain whose
    /// `forms:` is a mapping ("Failed to validate yaml file", then it uses an empty
    /// domain), so a mapping is only right for a bot that runs on Rasa 2.
    ///
    /// ## Why is this bad?
    /// A form asks for each required slot until it is set, and a slot the domain does not
    /// declare can never be set (Rasa logs "Tried to set non existent slot" and drops the
    /// value), so the form asks for it again and again and never completes. Rasa 2.x's
    /// `rasa data validate` fails on it ("The form slot 'dat' in form 'booking_form' is
    /// not present in the domain slots."), and so does Rasa 3.6's, both as an error.
    /// Usually a typo, or a slot renamed under `slots:` only.
    ///
    /// ## Example
    /// ```yaml
    /// slots:
    ///   date:
    ///     type: text
    /// forms:
    ///   booking_form:
    ///     required_slots:
    ///       dat:              # the slot is called `date`
    ///       - type: from_entity
    ///         entity: date
    /// ```
    pub struct FormSlotNotInDomain {
        code: "RL114",
        name: "form-slot-not-in-domain",
        severity: Error,
        needs_domain: true,
        summary: "a form's required slot is not a domain slot",
    }
}

impl Rule for FormSlotNotInDomain {
    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        for (file, domain) in project.domain_files().filter(|(_, d)| d.readable) {
            for form in &domain.form_decls {
                for slot in &form.required_slots {
                    if !is_domain_slot(project, &slot.name.name) {
                        out.push(report(project, file, form, &slot.name));
                    }
                }
            }
        }
    }
}

/// A slot the domain declares, or one Rasa adds to it: `requested_slot` to every domain
/// with forms (this one has), the knowledge-base slots with the knowledge-base action.
fn is_domain_slot(project: &Project, slot: &str) -> bool {
    let domain = &project.domain;
    domain.slots.contains_key(slot)
        || slot == "requested_slot"
        || (domain.actions.contains_key("action_query_knowledge_base")
            && KNOWLEDGE_BASE_SLOTS.contains(&slot))
}

fn report(project: &Project, file: FileId, form: &FormDecl, slot: &Name) -> Diagnostic {
    let (form_name, slot_name) = (&form.name.name, &slot.name);
    let diagnostic = Diagnostic::new(
        &FormSlotNotInDomain::META,
        file,
        slot.span.clone(),
        format!("form `{form_name}` requires slot `{slot_name}`, which is not in the domain"),
    )
    .with_label(format!("required by `{form_name}`"));
    let slots = &project.domain.slots;
    match closest(slot_name, slots.keys().map(String::as_str)) {
        Some(known) => {
            let declared = &slots[known];
            diagnostic
                .with_help(format!(
                    "did you mean `{known}`? The form can never fill a slot the domain does not declare, so it would ask for `{slot_name}` forever"
                ))
                .with_related(
                    declared.file,
                    declared.span.clone(),
                    format!("slot `{known}` is declared here"),
                )
        }
        None => diagnostic
            .with_help(format!(
                "declare `{slot_name}` under `slots:`, or fix the name: the form can never fill a slot the domain does not declare, so it would ask for it forever"
            ))
            .with_related(
                file,
                form.name.span.clone(),
                format!("form `{form_name}` is declared here"),
            ),
    }
}
