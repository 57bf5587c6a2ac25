//! Helpers the style rules (RL5xx) share: when a file's own convention is reported once
//! instead of line by line, and how whitespace is put in words.

/// The fewest deviating items for which a file may be reported once as a whole: with
/// fewer, a finding per line is as short as a summary and says exactly where they are.
pub const FILE_STYLE_MIN: usize = 4;

/// Whether `deviations` out of `checked` places are the file's own style (most of the
/// file, and enough of them), to be reported once instead of at every place.
pub fn is_file_style(deviations: usize, checked: usize) -> bool {
    deviations >= FILE_STYLE_MIN && deviations * 2 > checked
}

/// `ws` in words: "2 spaces", "a TAB", "a space and a TAB".
pub fn describe_whitespace(ws: &str) -> String {
    let (mut spaces, mut tabs, mut other) = (0, 0, 0);
    for c in ws.chars() {
        match c {
            ' ' => spaces += 1,
            '\t' => tabs += 1,
            _ => other += 1,
        }
    }
    let count = |n: usize, one: &str, many: &str| match n {
        1 => one.to_string(),
        n => format!("{n} {many}"),
    };
    match (spaces, tabs, other) {
        (_, 0, 0) => count(spaces, "1 space", "spaces"),
        (0, _, 0) => count(tabs, "a TAB", "TABs"),
        (_, _, 0) => format!(
            "{} and {}",
            count(spaces, "1 space", "spaces"),
            count(tabs, "a TAB", "TABs")
        ),
        _ => count(
            spaces + tabs + other,
            "1 whitespace character",
            "whitespace characters",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describes_whitespace() {
        assert_eq!(describe_whitespace(" "), "1 space");
        assert_eq!(describe_whitespace("    "), "4 spaces");
        assert_eq!(describe_whitespace("\t"), "a TAB");
        assert_eq!(describe_whitespace("  \t"), "2 spaces and a TAB");
        assert_eq!(describe_whitespace("\u{a0}"), "1 whitespace character");
    }

    #[test]
    fn a_file_style_is_most_of_the_file_and_enough_places() {
        assert!(is_file_style(4, 7));
        assert!(!is_file_style(3, 3));
        assert!(!is_file_style(5, 10));
    }
}
