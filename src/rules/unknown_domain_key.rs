use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::model::domain::Name;
use crate::rasa::RasaVersion;
use crate::rule::Rule;
use crate::source::FileId;
use crate::suggest::closest;

declare_rule! {
    /// ## What it does
    /// Reports a key the domain format does not have: at the top level (`respones:`), in
    /// a slot (`intial_value:`) or in a response variation (`buttns:`).
    ///
    /// ## Why is this bad?
    /// Rasa accepts unknown top-level keys and response keys silently, so a typo makes a
    /// whole section or a part of a response vanish without a word; an unknown slot key
    /// makes Rasa 1.x crash with a Python `TypeError` naming no file.
    ///
    /// Keys of Rasa 1.x and 2.x domains are known (`version`, `e2e_actions`,
    /// `influence_conversation`, `mappings`, `condition`, …), so a domain written for
    /// either reads without findings.
    ///
    /// In a Rasa 2 or 3 bot only the top-level keys are checked here: those Rasa 2 and 3
    /// still ignore silently. An unknown key in a slot or a response variation makes them
    /// refuse the domain (a schema error, or a `TypeError` when the slot is built), which
    /// `empty-domain` (RL409) reports with Rasa's reason.
    ///
    /// ## Example
    /// ```yaml
    /// respones:          # responses: is meant; the bot has no responses
    ///   utter_greet:
    ///   - text: Hi
    /// ```
    pub struct UnknownDomainKey {
        code: "RL402",
        name: "unknown-domain-key",
        severity: Warning,
        summary: "an unknown key in the domain",
    }
}

const TOP_LEVEL_KEYS: &[&str] = &[
    "version",
    "intents",
    "entities",
    "slots",
    "templates",
    "responses",
    "actions",
    "forms",
    "e2e_actions",
    "session_config",
    "config",
];

const SLOT_KEYS: &[&str] = &[
    "type",
    "initial_value",
    "values",
    "min_value",
    "max_value",
    "auto_fill",
    "value_reset_delay",
    "influence_conversation",
    "mappings",
];

const RESPONSE_KEYS: &[&str] = &[
    "text",
    "image",
    "buttons",
    "button_type",
    "quick_replies",
    "attachment",
    "elements",
    "custom",
    "channel",
    "metadata",
    "condition",
];

impl Rule for UnknownDomainKey {
    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        for (file, domain) in project.domain_files() {
            report_unknown(
                out,
                file,
                &domain.top_level_keys,
                TOP_LEVEL_KEYS,
                "top-level key",
                "Rasa ignores it and everything under it",
            );
            // Rasa 2 and 3 refuse an unknown slot or response key while they load the
            // domain: `empty-domain` (RL409) reports that, with Rasa's reason.
            if project.rasa.version != RasaVersion::V1 {
                continue;
            }
            for slot in &domain.slots {
                let what = format!("key of slot `{}`", slot.name.name);
                report_unknown(
                    out,
                    file,
                    &slot.properties,
                    SLOT_KEYS,
                    &what,
                    "Rasa 1.x stops with a TypeError when it builds the slot",
                );
            }
            for response in &domain.responses {
                let what = format!("key of response `{}`", response.name.name);
                let keys: Vec<Name> = response
                    .variation_list
                    .iter()
                    .flat_map(|v| v.keys.iter().cloned())
                    .collect();
                report_unknown(
                    out,
                    file,
                    &keys,
                    RESPONSE_KEYS,
                    &what,
                    "Rasa ignores it, so that part of the response is never sent",
                );
            }
        }
    }
}

fn report_unknown(
    out: &mut Vec<Diagnostic>,
    file: FileId,
    keys: &[Name],
    known: &[&str],
    what: &str,
    consequence: &str,
) {
    for key in keys.iter().filter(|k| !known.contains(&k.name.as_str())) {
        let help = match closest(&key.name, known.iter().copied()) {
            Some(meant) => format!("did you mean `{meant}`? {consequence}"),
            None => format!("{consequence}; the known keys are {}", known.join(", ")),
        };
        out.push(
            Diagnostic::new(
                &UnknownDomainKey::META,
                file,
                key.span.clone(),
                format!("`{}` is not a {what}", key.name),
            )
            .with_label("unknown key")
            .with_help(help),
        );
    }
}
