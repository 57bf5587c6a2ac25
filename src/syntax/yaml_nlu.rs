//! The NLU reader of Rasa 2/3 YAML files: the top-level `nlu` and `responses` keys.

use crate::model::nlu::NluFile;
use crate::model::responses::ResponsesFile;
use crate::source::FileId;
use crate::syntax::problem::Problem;
use crate::yaml::Node;

/// Reads the `nlu` and `responses` keys of a file's top-level mapping.
pub fn read_nlu(
    _file: FileId,
    _text: &str,
    _root: &Node,
) -> (Option<NluFile>, Option<ResponsesFile>, Vec<Problem>) {
    // Being written (issue 11, part 2).
    (None, None, Vec::new())
}
