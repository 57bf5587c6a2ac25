use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::rule::Rule;
use crate::syntax::nlu::CharSlicer;
use crate::syntax::python::is_space;

declare_rule! {
    /// ## What it does
    /// Reports an entity annotation whose text (between the brackets) starts or ends with
    /// whitespace or punctuation: `[ Berlin](city)`, `[Berlin,](city)`, `["Titanic"](movie)`.
    /// The help shows the annotation with those characters moved outside the brackets.
    ///
    /// Punctuation here means sentence punctuation, quotes, brackets and dashes. Not
    /// reported, because they are usually meant as part of the value:
    ///
    /// * symbols such as `%`, `€`, `+`, `#`, `@`, `&`, `°` (`[100%](percentage)`);
    /// * a leading sign or bracket before a digit (`[$35](amount)`, `[-5](temperature)`,
    ///   `[(030) 1234](phone)`);
    /// * a closing bracket or quote whose opening one is inside the text, and the
    ///   reverse (`[Berlin (Mitte)](district)`); text wrapped in a pair at both ends is
    ///   reported;
    /// * a final `.` after a digit (`[10.](day)`, a German ordinal), after a word of at
    ///   most three characters (`[Dr.](title)`, `[Str.](street)`) or after a word with a
    ///   dot inside (`[U.S.](country)`): abbreviations;
    /// * text that is nothing but punctuation (`[?](symbol)`): there is nothing to move.
    ///
    /// Text that is only whitespace (`[ ](city)`) is reported as such.
    ///
    /// ## Why is this bad?
    /// Rasa's tokenizers split whitespace and punctuation off words, so the entity no
    /// longer starts and ends on a token boundary. Rasa 1.10 only warns while training
    /// ("Misaligned entity annotation in message '…'. Make sure the start and end values
    /// of entities in the training data match the token boundaries (e.g. entities don't
    /// include trailing whitespaces or punctuation)"), without saying which annotation,
    /// and the extractor learns from a misaligned label; the value the bot receives is
    /// never the text that was annotated, so synonyms and slot values keyed on it fail.
    /// Rasa 2 and 3 warn the same way, as they read the same annotations in YAML.
    ///
    /// ## Example
    /// ```md
    /// ## intent:inform
    /// - I live in [Berlin,](city) near the park      <- write [Berlin](city),
    /// - to [ Hamburg](city)                          <- write to [Hamburg](city)
    /// ```
    pub struct EntitySpanWhitespace {
        code: "RL207",
        name: "entity-span-whitespace",
        severity: Warning,
        summary: "annotated text starts or ends with whitespace or punctuation",
    }
}

impl Rule for EntitySpanWhitespace {
    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        for (file, nlu) in project.nlu_files() {
            let source = &project.file(file).text;
            for example in &nlu.examples {
                let slicer = CharSlicer::new(&example.text);
                for entity in &example.entities {
                    let text = slicer.slice(entity.start, entity.end);
                    let Some(edges) = edges(text) else {
                        continue;
                    };
                    let annotation = &source[entity.span.clone()];
                    let diagnostic = if edges.core.is_empty() {
                        Diagnostic::new(
                            &Self::META,
                            file,
                            entity.span.clone(),
                            format!(
                                "the annotated text of entity `{}` is only whitespace",
                                entity.entity
                            ),
                        )
                        .with_label("no word to extract")
                        .with_help("annotate the word the entity is, or remove the annotation")
                    } else {
                        let what = describe(&edges);
                        let help = match rewrite(annotation, text, &edges) {
                            Some(fixed) => {
                                format!("move {} outside the brackets: `{fixed}`", edges.moved())
                            }
                            None => format!("move {} outside the brackets", edges.moved()),
                        };
                        Diagnostic::new(
                            &Self::META,
                            file,
                            entity.span.clone(),
                            format!("annotated text `{text}` {what}"),
                        )
                        .with_label(format!("entity `{}`", entity.entity))
                        .with_help(help)
                    };
                    out.push(diagnostic);
                }
            }
        }
    }
}

/// An annotated text split into what should be outside the brackets and the word(s).
struct Edges<'a> {
    lead: &'a str,
    core: &'a str,
    trail: &'a str,
}

impl Edges<'_> {
    /// What is to be moved, for the help: "`,`", "`\"` and `\"`", "the whitespace".
    fn moved(&self) -> String {
        let mut parts: Vec<String> = [self.lead, self.trail]
            .iter()
            .map(|edge| visible(edge))
            .filter(|v| !v.is_empty())
            .map(|v| format!("`{v}`"))
            .collect();
        if format!("{}{}", self.lead, self.trail)
            .chars()
            .any(is_whitespace)
        {
            parts.push("the whitespace".to_string());
        }
        parts.join(" and ")
    }
}

/// An edge without its whitespace.
fn visible(edge: &str) -> String {
    edge.chars().filter(|c| !is_whitespace(*c)).collect()
}

/// How whitespace is named in a message: "a space", "a tab", "whitespace".
fn whitespace_name(edge: &str) -> String {
    let spaces: Vec<char> = edge.chars().filter(|c| is_whitespace(*c)).collect();
    match spaces.as_slice() {
        [' '] => "a space".to_string(),
        ['\t'] => "a tab".to_string(),
        [c] => format!("whitespace (U+{:04X})", u32::from(*c)),
        _ => "whitespace".to_string(),
    }
}

/// What is wrong at the edges, for the message: "starts with a space", "ends with `,`".
fn describe(edges: &Edges) -> String {
    let part = |edge: &str, side: &str| -> Option<String> {
        if edge.is_empty() {
            return None;
        }
        let shown = visible(edge);
        let what = match (shown.is_empty(), edge.chars().any(is_whitespace)) {
            (true, _) => whitespace_name(edge),
            (false, false) => format!("`{shown}`"),
            (false, true) => format!("`{shown}` and {}", whitespace_name(edge)),
        };
        Some(format!("{side} with {what}"))
    };
    let parts: Vec<String> = [part(edges.lead, "starts"), part(edges.trail, "ends")]
        .into_iter()
        .flatten()
        .collect();
    parts.join(" and ")
}

/// The annotation rewritten with the punctuation outside the brackets and the whitespace
/// dropped (the words around it keep their own), when the source holds the annotated text
/// as written (no comment inside).
fn rewrite(annotation: &str, text: &str, edges: &Edges) -> Option<String> {
    let after = annotation.strip_prefix('[')?.strip_prefix(text)?;
    after.starts_with(']').then(|| {
        let lead = edges.lead.trim_matches(is_whitespace);
        let trail = edges.trail.trim_matches(is_whitespace);
        format!("{lead}[{}]{}{trail}", edges.core, &after[1..])
    })
}

fn is_whitespace(c: char) -> bool {
    is_space(c) || c.is_whitespace()
}

/// Opening punctuation and its closing counterpart (straight quotes close themselves).
const PAIRS: &[(char, char)] = &[
    ('(', ')'),
    ('[', ']'),
    ('{', '}'),
    ('"', '"'),
    ('\'', '\''),
    ('“', '”'),
    ('„', '“'),
    ('‘', '’'),
    ('«', '»'),
    ('»', '«'),
    ('‹', '›'),
    ('（', '）'),
    ('【', '】'),
    ('「', '」'),
    ('『', '』'),
    ('《', '》'),
];

/// Sentence punctuation and dashes, in any script, that never belong at an entity's edge.
const PUNCTUATION: &[char] = &[
    ',', '.', ';', ':', '!', '?', '¿', '¡', '…', '-', '–', '—', '，', '。', '！', '？', '；', '：',
    '、',
];

fn is_opener(c: char) -> bool {
    PAIRS.iter().any(|&(open, _)| open == c)
}

fn is_closer(c: char) -> bool {
    PAIRS.iter().any(|&(_, close)| close == c)
}

fn closers_of(c: char) -> impl Iterator<Item = char> {
    PAIRS
        .iter()
        .filter(move |(o, _)| *o == c)
        .map(|&(_, close)| close)
}

fn openers_of(c: char) -> impl Iterator<Item = char> {
    PAIRS
        .iter()
        .filter(move |(_, cl)| *cl == c)
        .map(|&(open, _)| open)
}

/// Splits off the whitespace and punctuation that should be outside the brackets;
/// `None` when there is none (or nothing but punctuation).
fn edges(text: &str) -> Option<Edges<'_>> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let n = chars.len();
    let mut lead = 0;
    while lead < n {
        let (_, c) = chars[lead];
        let next = chars.get(lead + 1).map(|&(_, c)| c);
        let reportable = is_whitespace(c)
            || ((PUNCTUATION.contains(&c) || is_opener(c))
                && !next.is_some_and(|n| n.is_ascii_digit())
                && !(is_opener(c) && closes_inside(&chars, lead, c)));
        if !reportable {
            break;
        }
        lead += 1;
    }
    let mut trail = n;
    while trail > lead {
        let (_, c) = chars[trail - 1];
        let reportable = is_whitespace(c)
            || ((PUNCTUATION.contains(&c) || is_closer(c))
                && !(is_closer(c) && opens_inside(&chars, trail - 1, c))
                && !(c == '.' && is_abbreviation(&chars[..trail - 1])));
        if !reportable {
            break;
        }
        trail -= 1;
    }
    if lead == 0 && trail == n {
        return None;
    }
    let byte = |i: usize| chars.get(i).map_or(text.len(), |&(b, _)| b);
    let edges = Edges {
        lead: &text[..byte(lead)],
        core: &text[byte(lead)..byte(trail)],
        trail: &text[byte(trail)..],
    };
    // Nothing but punctuation: nothing to move. Only whitespace: reported as empty.
    let only_punctuation = edges.core.is_empty() && !text.chars().all(is_whitespace);
    (!only_punctuation).then_some(edges)
}

/// Whether the opener at `at` is closed inside the text, before its last character
/// (`(Mitte) Berlin`); text wrapped in a pair (`"Titanic"`) is not.
fn closes_inside(chars: &[(usize, char)], at: usize, open: char) -> bool {
    let last = chars.len().saturating_sub(1);
    chars[at + 1..last.max(at + 1)]
        .iter()
        .any(|&(_, c)| closers_of(open).any(|close| close == c))
}

/// Whether the closer at `at` is opened inside the text, after its first character
/// (`Berlin (Mitte)`).
fn opens_inside(chars: &[(usize, char)], at: usize, close: char) -> bool {
    chars[1.min(at)..at]
        .iter()
        .any(|&(_, c)| openers_of(close).any(|open| open == c))
}

/// Whether a final `.` after `before` ends an abbreviation or a number: after a digit,
/// after a word of at most three characters, or after a word with a dot inside.
fn is_abbreviation(before: &[(usize, char)]) -> bool {
    let word: Vec<char> = before
        .iter()
        .rev()
        .map(|&(_, c)| c)
        .take_while(|c| !is_whitespace(*c))
        .collect();
    match word.first() {
        None | Some('.') => false,
        Some(c) if c.is_ascii_digit() => true,
        Some(_) => word.len() <= 3 || word.contains(&'.'),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Option<(&str, &str, &str)> {
        edges(text).map(|e| (e.lead, e.core, e.trail))
    }

    #[test]
    fn edges_are_split_off() {
        assert_eq!(split(" Berlin"), Some((" ", "Berlin", "")));
        assert_eq!(split("Berlin, "), Some(("", "Berlin", ", ")));
        assert_eq!(split("\"Titanic\""), Some(("\"", "Titanic", "\"")));
        assert_eq!(split("Berlin..."), Some(("", "Berlin", "...")));
        assert_eq!(split("  "), Some(("  ", "", "")));
    }

    #[test]
    fn values_and_abbreviations_are_kept() {
        for text in [
            "Berlin",
            "$35",
            "-5",
            "(030) 1234",
            "100%",
            "C#",
            "Berlin (Mitte)",
            "10.",
            "Dr.",
            "U.S.",
            "New York Str.",
            "?",
            ":)",
        ] {
            assert_eq!(split(text), None, "{text}");
        }
    }

    #[test]
    fn rewrites_keep_the_entity() {
        let e = edges("Berlin, ").unwrap();
        assert_eq!(
            rewrite("[Berlin, ](city)", "Berlin, ", &e).as_deref(),
            Some("[Berlin](city),")
        );
        let e = edges(" Berlin").unwrap();
        assert_eq!(
            rewrite("[ Berlin](city)", " Berlin", &e).as_deref(),
            Some("[Berlin](city)")
        );
    }
}
