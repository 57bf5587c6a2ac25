//! Helpers several rules share, over the model (the did-you-mean text search itself is in
//! [`crate::suggest`], below the model, so readers can use it too).

use crate::model::Project;
use crate::suggest::Known;

/// Help for intents the domain lacks: the declared intent each was probably meant to be,
/// or how to declare it. The domain's intents are read as [`Known`] names once, on the
/// first finding.
pub struct IntentHelp<'p> {
    project: &'p Project,
    known: std::cell::OnceCell<Known<'p>>,
}

impl<'p> IntentHelp<'p> {
    pub fn new(project: &'p Project) -> Self {
        IntentHelp {
            project,
            known: std::cell::OnceCell::new(),
        }
    }

    pub fn for_intent(&self, intent: &str) -> String {
        let known = self
            .known
            .get_or_init(|| Known::new(self.project.domain.intents.keys().map(String::as_str)));
        match known.closest(intent) {
            Some(known) => format!(
                "did you mean `{known}`? If not, add `- {intent}` to `intents:` in the domain"
            ),
            None => format!("add `- {intent}` to `intents:` in the domain"),
        }
    }
}
