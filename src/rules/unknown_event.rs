use crate::{declare_rule, impl_syntax_rule};

declare_rule! {
    /// ## What it does
    /// Reports `- name{…}` lines whose name is no event Rasa 1.10 knows, where the name looks
    /// like an event (`actve_loop`, `slots`, `active_loop` in 1.x) or is one Rasa rejects
    /// (`- slot` with no object, `- topic`).
    ///
    /// In YAML stories and rules (Rasa 2.x/3.x), an `action:` whose name is an event type:
    /// Rasa looks the name up among its events first, so `action: restart` is the
    /// `restart` event (not `action_restart`), `action: form` activates a loop named `form`,
    /// and `action: slot`, `topic`, `user` or `reminder` stop Rasa loading the data.
    ///
    /// ## Why is this bad?
    /// Rasa either refuses the file ("Unknown event 'slot'") or, for unknown names, treats the
    /// line as an *action* with that name, which then fails at training or run time. In
    /// YAML it silently reads an event where an action was meant.
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
