use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::model::domain::{Name, SlotMapping};
use crate::rule::Rule;
use crate::rules::support::DomainIntents;
use crate::source::FileId;
use crate::suggest::closest;

declare_rule! {
    /// ## What it does
    /// Reports an entity or intent named in a slot mapping (a Rasa 3 slot's `mappings`,
    /// a Rasa 2 form's required slot) that the domain does not declare: the `entity` of
    /// a mapping, its `intent` and its `not_intent`.
    ///
    /// ## Why is this bad?
    /// Rasa loads and trains without a word; only the running bot warns, at every user
    /// message: "Slot 'city' uses a 'from_entity' mapping for a non-existent entity
    /// 'cty'. Skipping slot extraction because of invalid mapping." (and the same for the
    /// intent of a `from_intent` mapping). The slot is never filled from that mapping,
    /// so a form asks again and again. An unknown `intent` of another mapping never
    /// matches either, and an unknown `not_intent` excludes nothing. `rasa data validate`
    /// checks none of them.
    ///
    /// ## Example
    /// ```yaml
    /// entities:
    ///   - city
    /// slots:
    ///   destination:
    ///     type: text
    ///     mappings:
    ///     - type: from_entity
    ///       entity: cty          # the domain declares `city`
    /// ```
    pub struct SlotMappingUnknownName {
        code: "RL411",
        name: "slot-mapping-unknown-name",
        severity: Warning,
        needs_domain: true,
        versions: [V2, V3],
        summary: "a slot mapping names an entity or intent the domain does not declare",
    }
}

impl Rule for SlotMappingUnknownName {
    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        let intents = DomainIntents::of(project);
        for (file, domain) in project.domain_files() {
            let slot_mappings = domain.slots.iter().flat_map(|slot| {
                let mappings = slot.mappings.iter().flatten();
                mappings.map(move |m| (&slot.name.name, m))
            });
            let form_mappings = domain
                .form_decls
                .iter()
                .flat_map(|form| &form.required_slots)
                .flat_map(|slot| slot.mappings.iter().map(move |m| (&slot.name.name, m)));
            for (slot, mapping) in slot_mappings.chain(form_mappings) {
                check_mapping(project, &intents, file, slot, mapping, out);
            }
        }
    }
}

fn check_mapping(
    project: &Project,
    intents: &DomainIntents,
    file: FileId,
    slot: &str,
    mapping: &SlotMapping,
    out: &mut Vec<Diagnostic>,
) {
    let kind = mapping.mapping_type.as_ref().map(|t| t.name.as_str());
    let entities = &project.domain.entities;
    let unknown_entity = mapping
        .entity
        .as_ref()
        .filter(|e| !e.name.is_empty() && !entities.contains_key(&e.name));
    if let Some(entity) = unknown_entity {
        let effect = match kind {
            Some("from_entity") => "Rasa skips the mapping: the slot is never filled from it",
            _ => "no entity of that name is ever extracted",
        };
        let known = entities.keys().map(String::as_str);
        out.push(report(project, file, slot, entity, "entity", effect, known));
    }
    let unknown = |i: &&Name| !i.name.is_empty() && !intents.contains(&i.name);
    for intent in mapping.intents.iter().filter(unknown) {
        let effect = match kind {
            Some("from_intent") => "Rasa skips the mapping: the slot is never filled from it",
            _ => "the mapping applies only after that intent, so never",
        };
        let known = project.domain.intents.keys().map(String::as_str);
        out.push(report(project, file, slot, intent, "intent", effect, known));
    }
    for intent in mapping.not_intents.iter().filter(unknown) {
        let effect = "`not_intent` excludes nothing with it";
        let known = project.domain.intents.keys().map(String::as_str);
        out.push(report(project, file, slot, intent, "intent", effect, known));
    }
}

fn report<'p>(
    project: &'p Project,
    file: FileId,
    slot: &str,
    name: &Name,
    what: &str,
    effect: &str,
    known: impl Iterator<Item = &'p str>,
) -> Diagnostic {
    let diagnostic = Diagnostic::new(
        &SlotMappingUnknownName::META,
        file,
        name.span.clone(),
        format!(
            "a mapping of slot `{slot}` names the {what} `{}`, which the domain does not declare",
            name.name
        ),
    )
    .with_label(format!("not under `{}:`", section(what)));
    let declared = |known: &str| match what {
        "entity" => project.domain.entities.get(known),
        _ => project.domain.intents.get(known),
    };
    match closest(&name.name, known).and_then(|k| Some((k, declared(k)?))) {
        Some((known, at)) => diagnostic
            .with_help(format!("did you mean `{known}`? ({effect})"))
            .with_related(
                at.file,
                at.span.clone(),
                format!("`{known}` is declared here"),
            ),
        None => diagnostic.with_help(format!(
            "declare `{}` under `{}:`, or fix the name ({effect})",
            name.name,
            section(what)
        )),
    }
}

/// The domain key that declares names of kind `what`.
fn section(what: &str) -> &'static str {
    match what {
        "entity" => "entities",
        _ => "intents",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rasa::RasaVersion;
    use crate::rules::support::findings_on_data;

    fn messages(domain: &str) -> Vec<String> {
        let found = findings_on_data(
            &SlotMappingUnknownName,
            &[("domain.yml", domain)],
            RasaVersion::V3,
        );
        found.into_iter().map(|d| d.message).collect()
    }

    #[test]
    fn default_intents_are_known_and_empty_names_left_to_the_schema() {
        let domain = "version: \"3.1\"\nintents:\n- greet\nslots:\n  s:\n    type: text\n    mappings:\n    - type: from_text\n      not_intent: [nlu_fallback, out_of_scope, \"\"]\n";
        assert!(messages(domain).is_empty(), "{:?}", messages(domain));
    }

    #[test]
    fn every_unknown_name_of_a_mapping_is_reported() {
        let domain = "version: \"3.1\"\nintents:\n- greet\nentities:\n- city\nslots:\n  s:\n    type: text\n    mappings:\n    - type: from_entity\n      entity: town\n      intent: hello\n      not_intent: bye\n";
        assert_eq!(
            messages(domain),
            [
                "a mapping of slot `s` names the entity `town`, which the domain does not declare",
                "a mapping of slot `s` names the intent `hello`, which the domain does not declare",
                "a mapping of slot `s` names the intent `bye`, which the domain does not declare",
            ]
        );
    }
}
