use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::rasa::{KNOWLEDGE_BASE_SLOTS, RasaVersion};
use crate::rule::Rule;
use crate::source::Span;
use crate::suggest::closest;

declare_rule! {
    /// ## What it does
    /// Reports a `- slot{"name": value}` story line that sets a slot the domain does not
    /// declare under `slots:` (one finding per unknown key); in YAML stories and rules,
    /// each such slot of a `slot_was_set` step, rule condition or `or:` item.
    ///
    /// A YAML `slot_was_set` item that gives an unknown slot by its name only (`- city`)
    /// is worse: Rasa 2.8 and 3.6 crash reading the file (`StopIteration`), looking up the
    /// slot's type for its value.
    ///
    /// ## Why is this bad?
    /// Rasa does not check it when it reads the stories (nor does `rasa data validate`,
    /// in 1.10, 2.8 or 3.6): while it generates the
    /// training conversations it only logs "Tried to set non existent slot 'x'. Make sure
    /// you added all your slots to your domain file." and sets nothing, so the policy
    /// learns from a story without that slot, which is seldom what was meant. Usually a
    /// typo, or a slot renamed in the domain only.
    ///
    /// Slots Rasa adds by itself are accepted: `requested_slot` when the domain has forms,
    /// and `knowledge_base_listed_objects`, `knowledge_base_last_object`,
    /// `knowledge_base_last_object_type` when the domain lists
    /// `action_query_knowledge_base`. `requested_slot` in a bot *without* forms is
    /// reported: Rasa does not add it there and logs the error above.
    ///
    /// ## Example
    /// ```md
    /// ## search
    /// * search_restaurant{"cuisine": "thai"}
    ///   - slot{"cusine": "thai"}     <- the domain declares the slot `cuisine`
    /// ```
    /// ```yaml
    /// stories:
    /// - story: search
    ///   steps:
    ///   - intent: search_restaurant
    ///   - slot_was_set:
    ///     - cusine: thai             # the domain declares the slot `cuisine`
    /// ```
    pub struct StorySlotNotInDomain {
        code: "RL111",
        name: "story-slot-not-in-domain",
        severity: Error,
        needs_domain: true,
        summary: "a story sets a slot not declared in the domain",
    }
}

impl Rule for StorySlotNotInDomain {
    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        let domain = &project.domain;
        let has_forms = !domain.forms.is_empty();
        let has_knowledge_base = domain.actions.contains_key("action_query_knowledge_base");
        // Rasa 3 adds this slot to every domain.
        let has_metadata_slot = project.rasa.version == RasaVersion::V3;
        for (file, stories) in project.story_files() {
            for set in stories.slot_sets() {
                let slot = set.name.as_str();
                if domain.slots.contains_key(slot)
                    || (has_forms && slot == "requested_slot")
                    || (has_knowledge_base && KNOWLEDGE_BASE_SLOTS.contains(&slot))
                    || (has_metadata_slot && slot == "session_started_metadata")
                {
                    continue;
                }
                let mut diagnostic = report(project, file, set.name_span.clone(), slot);
                if set.by_name {
                    diagnostic.message.push_str(
                        ": Rasa stops reading the stories at it (StopIteration), as it looks the slot's type up for a slot given by its name only",
                    );
                }
                out.push(diagnostic);
            }
        }
    }
}

fn report(project: &Project, file: crate::source::FileId, span: Span, slot: &str) -> Diagnostic {
    let domain = &project.domain;
    if slot == "requested_slot" {
        return Diagnostic::new(
            &StorySlotNotInDomain::META,
            file,
            span,
            "slot `requested_slot` is not in the domain: Rasa adds it only to domains with forms",
        )
        .with_label("set here")
        .with_help(
            "this domain has no `forms:`, so Rasa logs \"Tried to set non existent slot \
             'requested_slot'\" and sets nothing: declare the form under `forms:`, or \
             remove the line",
        );
    }
    let diagnostic = Diagnostic::new(
        &StorySlotNotInDomain::META,
        file,
        span,
        format!("slot `{slot}` is not in the domain"),
    )
    .with_label("set here");
    match closest(slot, domain.slots.keys().map(String::as_str)) {
        Some(known) => {
            let declared = &domain.slots[known];
            diagnostic
                .with_help(format!("did you mean `{known}`?"))
                .with_related(
                    declared.file,
                    declared.span.clone(),
                    format!("`{known}` is declared here"),
                )
        }
        None => {
            // Rasa 3 slots also need their `mappings`.
            let what = match project.rasa.version {
                RasaVersion::V3 => "its `type` and `mappings`",
                _ => "its `type`",
            };
            diagnostic.with_help(format!(
                "declare `{slot}:` with {what} under `slots:` in the domain; while training, Rasa only logs \"Tried to set non existent slot\" and sets nothing"
            ))
        }
    }
}
