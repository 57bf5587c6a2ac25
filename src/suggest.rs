//! "Did you mean …?": the closest known name to a misspelt one.

/// The candidate closest to `name` by edit distance, if it is close enough to be a typo
/// (at most a third of the name's length, and at most 3 edits). Candidates whose length
/// alone rules them out are skipped, and each distance stops as soon as it exceeds the
/// limit, so a miss among thousands of names stays cheap.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let name: Vec<char> = name.chars().collect();
    let limit = (name.len() / 3).clamp(1, 3);
    let mut best: Option<(usize, &str)> = None;
    let mut rows = (Vec::new(), Vec::new());
    let mut other = Vec::new();
    for candidate in candidates {
        other.clear();
        other.extend(candidate.chars());
        if other == name || other.len().abs_diff(name.len()) > limit {
            continue;
        }
        let bound = best.map_or(limit, |(d, _)| d);
        if let Some(distance) = bounded_distance(&name, &other, bound, &mut rows)
            && best.is_none_or(|(d, c)| (distance, candidate) < (d, c))
        {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// The edit distance of `a` and `b` if it is at most `limit`.
fn bounded_distance(
    a: &[char],
    b: &[char],
    limit: usize,
    rows: &mut (Vec<usize>, Vec<usize>),
) -> Option<usize> {
    let (previous, current) = rows;
    previous.clear();
    previous.extend(0..=b.len());
    for (i, ca) in a.iter().enumerate() {
        current.clear();
        current.push(i + 1);
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != cb);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        if current.iter().min().is_some_and(|&m| m > limit) {
            return None;
        }
        std::mem::swap(previous, current);
    }
    Some(previous[b.len()]).filter(|&d| d <= limit)
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
