use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::model::dialogue::StepKind;
use crate::rasa::RasaVersion;
use crate::rule::Rule;

declare_rule! {
    /// ## What it does
    /// Reports lines in a story file that are no story header, user turn (`*`), action or event
    /// (`-`), checkpoint (`>`) or comment, and user turns, events or checkpoints that appear before
    /// the first story header.
    ///
    /// In YAML stories and rules (Rasa 2.x/3.x): everything Rasa's schema refuses (an
    /// unknown key, a step with two kinds such as `intent` and `action`, a number where a
    /// name goes, `bot` or `checkpoint` in a rule, `intent` in a rule's condition, a
    /// `conversation_start` that is no boolean), a value Rasa crashes on (an empty
    /// `entities:`, `slot_was_set:`, `or:`, `condition:` or `user:`, a checkpoint without a
    /// name, an intent with two `/`), and what Rasa skips: an item without `story:`/`rule:`,
    /// a step with no key Rasa knows (`{}`), an empty action, an `or` item without `intent`
    /// or `slot_was_set` (the whole `or` is dropped), a slot that is neither a name nor a
    /// mapping (the rest of the list is dropped), a checkpoint condition that is no mapping
    /// (the checkpoint is dropped). In a Rasa 2.x bot also a `slot_was_set` item of an `or:`
    /// step, which Rasa 2.8's schema refuses (Rasa 3 reads it).
    ///
    /// ## Why is this bad?
    /// Rasa logs "Skipping line N. No valid command found" and drops the line, so the story
    /// means something other than what was written; turns before any header stop the file from
    /// loading. A YAML file its schema refuses is not read at all: `rasa train` and `rasa data
    /// validate` stop with a YamlValidationException that names no step.
    ///
    /// ## Example
    /// ```md
    /// ## greet
    /// * greet
    /// utter_greet        <- missing "- ": skipped
    /// ```
    pub struct InvalidStoryLine {
        code: "RL006",
        name: "invalid-story-line",
        severity: Error,
        summary: "a story line or step Rasa skips or rejects",
    }
}
/// The findings that depend on the bot's Rasa version (the readers' come with the files).
impl Rule for InvalidStoryLine {
    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        if project.rasa.version != RasaVersion::V2 {
            return;
        }
        for (file, stories) in project.story_files().filter(|(_, s)| s.is_yaml()) {
            for step in stories.steps() {
                if matches!(step.kind, StepKind::Or(_)) {
                    out.push(
                        Diagnostic::new(&Self::META, file, step.span(), "Rasa 2.8 refuses this file: its schema allows only user steps (`intent`) in `or`, not `slot_was_set`")
                            .with_help("write one story per alternative (Rasa 3 reads slots in `or`); Rasa 2.8 stops with a YamlValidationException"),
                    );
                }
            }
        }
    }
}
