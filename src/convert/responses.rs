//! Retrieval responses Markdown (`responses.md`: `* faq/ask_name` / `  - text`) to a Rasa 3
//! YAML file with a top-level `responses:` key, which Rasa 3 reads as NLU data and merges
//! into the domain (spec rasa-yaml §4.8): each key `faq/ask_name` becomes the response
//! `utter_faq/ask_name`, each text a `- text:` variation, as Rasa 1.10 read them (its line
//! quirks included: they are what the bot answered).

use crate::convert::Notes;
use crate::convert::yaml_out::double_quoted;
use crate::model::responses::ResponsesFile;
use crate::source::FileId;

/// What converting one responses file gave.
#[derive(Debug)]
pub struct ResponsesConversion {
    pub text: String,
    pub notes: Notes,
    /// Responses written.
    pub responses: usize,
}

/// Converts one Markdown responses file. A key written twice is written once, with the
/// texts of its last block, as Rasa 1.10 kept it.
pub fn convert_responses(file: FileId, responses: &ResponsesFile) -> ResponsesConversion {
    let mut out = ResponsesConversion {
        text: String::new(),
        notes: Notes::new(file),
        responses: 0,
    };
    let mut text = String::from("version: \"3.1\"\nresponses:\n");
    for (index, entry) in responses.entries.iter().enumerate() {
        let last = responses
            .entries
            .iter()
            .rposition(|e| e.key == entry.key)
            .unwrap_or(index);
        if last != index {
            out.notes.decide(Some(entry.key_span.clone()), format!(
                    "retrieval response `{}` is written again later; Rasa 1.10 kept the later block's texts, and so does the conversion: merge them if both were meant",
                    entry.key
                ));
            continue;
        }
        out.responses += 1;
        text.push_str(&format!(
            "  {}:\n",
            double_quoted(&format!("utter_{}", entry.key))
        ));
        if entry.texts.is_empty() {
            out.notes.decide(Some(entry.key_span.clone()), format!(
                    "retrieval response `{}` has no text; Rasa 3 needs at least one variation with a text",
                    entry.key
                ));
            text.push_str("  - text: \"\"\n");
        }
        for variation in &entry.texts {
            text.push_str(&format!("  - text: {}\n", double_quoted(variation)));
        }
    }
    if out.responses == 0 {
        text = "version: \"3.1\"\nresponses: {}\n".into();
    }
    out.text = text;
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_get_the_utter_prefix_and_texts_keep_their_line_breaks() {
        let md = "## ask name\n* faq/ask_name\n  - I am a bot\\nnice to meet you\n";
        let (responses, _) = crate::syntax::responses::parse_responses(FileId(0), md);
        let out = convert_responses(FileId(0), &responses);
        assert_eq!(
            out.text,
            "version: \"3.1\"\nresponses:\n  \"utter_faq/ask_name\":\n  - text: \"I am a bot\\nnice to meet you\"\n"
        );
    }
}
