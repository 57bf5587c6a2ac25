use crate::{declare_rule, impl_syntax_rule};

declare_rule! {
    /// ## What it does
    /// Reports user turns written in end-to-end test form (`* greet: hello`) in a training story
    /// file.
    ///
    /// Markdown only: in YAML an end-to-end turn is a `user:` step (with or without
    /// `intent:`), which Rasa 2 and 3 read in training stories too.
    ///
    /// ## Why is this bad?
    /// Outside `rasa test` end-to-end stories, Rasa reads `greet: hello` as the intent name, which
    /// no NLU data or domain declares.
    ///
    /// ## Example
    /// ```md
    /// * greet: hello there
    ///   - utter_greet
    /// ```
    pub struct E2eTurnInTrainingStory {
        code: "RL014",
        name: "e2e-turn-in-training-story",
        severity: Warning,
        surfaces: [Markdown],
        summary: "`* intent: text` in a training story",
    }
}
impl_syntax_rule!(E2eTurnInTrainingStory);
