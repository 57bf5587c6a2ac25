//! "Did you mean …?": the closest known name to a misspelt one.

/// The candidate closest to `name` by edit distance, if it is close enough to be a typo
/// (at most a third of the name's length, and at most 3 edits).
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).clamp(1, 3);
    candidates
        .into_iter()
        .filter(|c| *c != name)
        .map(|c| (edit_distance(name, c), c))
        .filter(|(distance, _)| *distance <= limit)
        .min()
        .map(|(_, c)| c)
}

/// Help for an intent the domain lacks: the declared intent it was probably meant to be,
/// or how to declare it.
pub fn add_intent_help(intent: &str, project: &crate::model::Project) -> String {
    match closest(intent, project.domain.intents.keys().map(String::as_str)) {
        Some(known) => {
            format!("did you mean `{known}`? If not, add `- {intent}` to `intents:` in the domain")
        }
        None => format!("add `- {intent}` to `intents:` in the domain"),
    }
}

/// Levenshtein distance in characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = Vec::with_capacity(b.len() + 1);
        current.push(i + 1);
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_only_close_names() {
        let known = ["utter_goodbye", "utter_greet"];
        assert_eq!(closest("utter_goodby", known), Some("utter_goodbye"));
        assert_eq!(closest("utter_thanks", known), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
