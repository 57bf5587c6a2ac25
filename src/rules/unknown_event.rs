use crate::{declare_rule, impl_syntax_rule};

declare_rule! {
    /// ## What it does
    /// Reports `- name{…}` lines whose name is no event Rasa 1.10 knows, where the name looks
    /// like an event (`actve_loop`, `slots`, `active_loop` in 1.x) or is one Rasa rejects
    /// (`- slot` with no object, `- topic`).
    ///
    /// ## Why is this bad?
    /// Rasa either refuses the file ("Unknown event 'slot'") or, for unknown names, treats the
    /// line as an *action* with that name, which then fails at training or run time.
    ///
    /// ## Example
    /// ```md
    /// - slot
    /// - slots{"city": "Berlin"}
    /// ```
    pub struct UnknownEvent {
        code: "RL008",
        name: "unknown-event",
        severity: Error,
        summary: "an event name Rasa rejects or misreads",
    }
}
impl_syntax_rule!(UnknownEvent);
