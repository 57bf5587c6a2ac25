use crate::{declare_rule, impl_syntax_rule};

declare_rule! {
    /// ## What it does
    /// Reports YAML story and rule steps (Rasa 2.x/3.x) that Rasa reads, but otherwise than
    /// they are written:
    ///
    /// - a story or rule without a name (Rasa warns that it skips it, and reads it);
    /// - an empty intent (Rasa warns that it skips the step, and reads a user turn with the
    ///   intent `""`), and an intent with a leading `/` (removed);
    /// - a full retrieval intent `faq/ask_name` in a training story (only the base intent
    ///   `faq` is trained on; test stories, in files named `test_…`, keep it);
    /// - an `entities:` item with several keys besides `role` and `group`: the last key is
    ///   the entity type (`{entity: city, value: Rome}` is an entity of type `value`);
    /// - `entities:` on a step with a `user:` text (ignored: the text's annotations count);
    /// - slot conditions on a checkpoint that ends a story part (ignored).
    ///
    /// ## Why is this bad?
    /// The bot learns from what Rasa read, not from what the story says; Rasa's warnings
    /// about these scroll past among many others, and some of them say the opposite of
    /// what Rasa does.
    ///
    /// ## Example
    /// ```yaml
    /// stories:
    /// - story: book a flight
    ///   steps:
    ///   - intent: /inform
    ///     entities:
    ///     - entity: city      # an entity of type `value`
    ///       value: Rome
    /// ```
    pub struct MisreadStoryStep {
        code: "RL019",
        name: "misread-story-step",
        severity: Warning,
        versions: [V2, V3],
        summary: "a YAML story step Rasa reads otherwise than it is written",
    }
}
impl_syntax_rule!(MisreadStoryStep);
