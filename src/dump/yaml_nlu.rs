//! The `nlu` entry of the Rasa 3.6 oracle's shape.

use serde_json::{Value, json};

use crate::model::nlu::NluFile;
use crate::model::responses::ResponsesFile;

/// What Rasa's YAML NLU reader holds for one file.
pub fn dump_nlu(_nlu: Option<&NluFile>, _responses: Option<&ResponsesFile>) -> Value {
    // Being written (issue 11, part 2).
    json!({})
}
