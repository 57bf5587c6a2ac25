//! The bot's custom actions (`actions.py` or an `actions/` package). rasalint does not run
//! or parse Python; it only notes the `utter_…` names the code mentions, so that a response
//! uttered from an action is not reported as unused.

/// Every distinct `utter_…` name in the text, in order of first appearance.
pub fn referenced_responses(text: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for (at, _) in text.match_indices("utter_") {
        let before = text[..at].chars().next_back();
        // A name inside a longer identifier, or a method such as `dispatcher.utter_message`.
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.') {
            continue;
        }
        let end = text[at..]
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .map_or(text.len(), |e| at + e);
        let name = &text[at..end];
        if name.len() > "utter_".len() && !names.iter().any(|n| n == name) {
            names.push(name.to_string());
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_response_names_but_not_methods() {
        let code = r#"dispatcher.utter_message(template="utter_submit")
dispatcher.utter_template("utter_wrong_cuisine", tracker)"#;
        assert_eq!(
            referenced_responses(code),
            ["utter_submit", "utter_wrong_cuisine"]
        );
    }
}
