//! The stories reader of Rasa 2/3 YAML files: the top-level `stories` and `rules` keys.

use crate::model::dialogue::StoryFile;
use crate::source::FileId;
use crate::syntax::problem::Problem;
use crate::yaml::Node;

/// Reads the `stories` and `rules` keys of a file's top-level mapping.
pub fn read_stories(_file: FileId, _text: &str, _root: &Node) -> (Option<StoryFile>, Vec<Problem>) {
    // Being written (issue 11, part 2).
    (None, Vec::new())
}
