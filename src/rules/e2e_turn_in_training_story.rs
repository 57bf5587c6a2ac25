use crate::{declare_rule, impl_syntax_rule};

declare_rule! {
    /// ## What it does
    /// Reports user turns written in end-to-end test form (`* greet: hello`) in a training story
    /// file.
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
        summary: "`* intent: text` in a training story",
    }
}
impl_syntax_rule!(E2eTurnInTrainingStory);
