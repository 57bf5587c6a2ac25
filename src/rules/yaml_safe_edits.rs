//! Which whitespace edits of a YAML file keep what YAML reads from it, for the layout
//! rules' fixes (RL501, RL504). Not a rule: shared by rules.

use crate::diagnostic::Edit;
use crate::yaml::{Node, Value};

/// The `edits` (removing trailing blanks, adding a last line break) that keep every value
/// of the YAML `text`: none that falls inside a string written over several lines (a
/// block scalar's text keeps its blanks, a quoted one may end a line with an escaped
/// space), and then all of them only if the edited text reads to the same values as the
/// text; otherwise none. A text that does not parse gets none. An edit right at the end
/// of such a string counts as inside: a last line break added after a block scalar at the
/// end of the file becomes its text's, which rasalint's own reading does not show (it
/// reads that text with the line break already) but Rasa's does.
pub fn keeping_values(text: &str, edits: Vec<Edit>) -> Vec<Edit> {
    let Ok(tree) = crate::yaml::parse(text) else {
        return Vec::new();
    };
    let mut multi_line = Vec::new();
    multi_line_strings(&tree, text, &mut multi_line);
    let outside: Vec<Edit> = edits
        .into_iter()
        .filter(|e| {
            !multi_line
                .iter()
                .any(|s| s.start <= e.span.start && e.span.start <= s.end)
        })
        .collect();
    if outside.is_empty() {
        return outside;
    }
    let fixes: Vec<&[Edit]> = outside.iter().map(std::slice::from_ref).collect();
    let (edited, _) = crate::fix::apply_to_text(text, &fixes);
    match crate::yaml::parse(&edited) {
        Ok(after) if same_values(&tree, &after) => outside,
        _ => Vec::new(),
    }
}

/// The spans of the string scalars written over several lines or holding a line break:
/// every block scalar but a `|-` one on one line, whose span is its text alone.
fn multi_line_strings(node: &Node, text: &str, out: &mut Vec<std::ops::Range<usize>>) {
    match &node.value {
        Value::Str(value) => {
            let written = text.get(node.span.clone()).unwrap_or_default();
            if value.contains('\n') || written.contains('\n') {
                out.push(node.span.clone());
            }
        }
        Value::Seq(items) => items.iter().for_each(|n| multi_line_strings(n, text, out)),
        Value::Map(entries) => entries.iter().for_each(|(k, v)| {
            multi_line_strings(k, text, out);
            multi_line_strings(v, text, out);
        }),
        _ => {}
    }
}

/// Whether two trees hold the same values, wherever they were written.
fn same_values(a: &Node, b: &Node) -> bool {
    match (&a.value, &b.value) {
        (Value::Seq(x), Value::Seq(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same_values(a, b))
        }
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((ka, va), (kb, vb))| same_values(ka, kb) && same_values(va, vb))
        }
        (x, y) => x == y,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The edits that remove every line's trailing blanks.
    fn strip_all(text: &str) -> Vec<Edit> {
        let mut edits = Vec::new();
        let mut start = 0;
        for line in text.split_inclusive('\n') {
            let content = line.trim_end_matches('\n');
            let kept = content.trim_end_matches(' ').len();
            if kept < content.len() {
                edits.push(Edit {
                    span: start + kept..start + content.len(),
                    text: String::new(),
                });
            }
            start += line.len();
        }
        edits
    }

    fn lines_kept_fixable(text: &str) -> Vec<usize> {
        keeping_values(text, strip_all(text))
            .iter()
            .map(|e| text[..e.span.start].matches('\n').count() + 1)
            .collect()
    }

    #[test]
    fn blanks_after_plain_values_keys_and_comments_are_removed() {
        let text =
            "version: \"3.1\"  \nnlu:   \n- intent: greet # hi  \n  examples: |  \n    - hi\n";
        assert_eq!(lines_kept_fixable(text), [1, 2, 3, 4]);
    }

    #[test]
    fn blanks_inside_a_block_scalar_or_a_multi_line_quote_are_kept() {
        let text = "responses:\n  utter_a:\n  - text: |\n      two spaces  \n      end\n  - text: \"a \\  \n      b\"\n  - text: plain  \n";
        assert_eq!(lines_kept_fixable(text), [8]);
        // A one-line `|-` text is its span alone: the reading tells its blanks are text.
        let stripped = "a: |-\n  b  \nc: d  \n";
        assert_eq!(lines_kept_fixable(stripped), [3]);
    }

    #[test]
    fn a_last_line_break_is_added_only_where_no_text_gets_it() {
        let end = |text: &str| Edit {
            span: text.len()..text.len(),
            text: "\n".to_string(),
        };
        let plain = "a: b";
        assert_eq!(keeping_values(plain, vec![end(plain)]).len(), 1);
        let block = "a: |\n  b";
        assert!(keeping_values(block, vec![end(block)]).is_empty());
        let broken = "a: [";
        assert!(keeping_values(broken, vec![end(broken)]).is_empty());
    }
}
