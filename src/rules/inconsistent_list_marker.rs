use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Edit};
use crate::model::Project;
use crate::model::dialogue::{Step, StepKind, StoryFile};
use crate::model::nlu::NluFile;
use crate::model::nlu::{LookupElements, SectionKind};
use crate::rasa::Surface;
use crate::rule::Rule;
use crate::source::{FileId, Span};
use crate::style::{describe_whitespace, is_file_style};
use crate::syntax::python::{is_line_break, is_space, splitlines, strip_range};

declare_rule! {
    /// ## What it does
    /// Reports list items not written the way Rasa's own writer writes them: NLU items
    /// (examples, synonyms, regex patterns, lookup elements) not marked `- `, story user
    /// turns not marked `* ` and story action and event lines not marked `- `, each with
    /// exactly one space after the marker. In retrieval responses files (`responses.md`)
    /// it reports `*` and `-` lines without exactly one space after the marker.
    ///
    /// When most of a file is written another way (more than half of its items, and at
    /// least 4), that is the file's own style rather than a slip: the file is reported
    /// once, at its first such item, with the count, instead of at every line.
    ///
    /// Markdown files only: a YAML file's `-` is YAML's own sequence marker, the one
    /// way to write a list item there, so there is nothing to mix.
    ///
    /// ## Why is this bad?
    /// In NLU and story files it is consistency only: Rasa 1.10 reads `-`, `*` and `+`
    /// NLU items alike and drops any whitespace after the marker (`-hello`, `*  hello` and
    /// `+ hello` all read `hello`), and reads `*greet` and `-utter_greet` as `* greet` and
    /// `- utter_greet`. But Rasa's writer (`rasa interactive`, `rasa data convert`) and
    /// almost every bot write `- ` and `* `, so a file mixing them is harder to read, to
    /// search and to diff. One case is more than style: a `+` or `-` glued to a number is
    /// read as the marker, so `+1 555 1234` is the example `1 555 1234`, without its plus;
    /// and a Markdown rule `---` is an item, the example `--`.
    ///
    /// In responses files the space matters: Rasa's responses reader splits each line at
    /// `- ` and `* ` with the space, so `-I am a bot` is an empty response text, `-  I am a
    /// bot` keeps a leading space, and `*faq/ask_name` has no key at all: Rasa drops that
    /// response, and its texts go to the next response in the file.
    ///
    /// Checkpoint lines (`> name`) are not checked: they are no list items.
    ///
    /// ## Example
    /// ```md
    /// ## intent:greet
    /// - hello
    /// * hi there        <- `*` instead of `-`
    /// -hey              <- no space after `-`
    /// ```
    ///
    /// ## Fix
    /// `rasalint check --fix` writes `- ` (NLU items, actions) and `* ` (user turns) in
    /// NLU and story files, where Rasa reads every marker alike and drops the spaces after
    /// it. Left alone: a Markdown rule `---`, a `+` or `-` glued to a number (the sign
    /// may be text; `- 1 555` would keep Rasa's reading, so check which was meant), and
    /// responses files, where rewriting the marker changes what Rasa reads: it restores
    /// lost text, which should be reviewed, not applied blindly.
    pub struct InconsistentListMarker {
        code: "RL502",
        name: "inconsistent-list-marker",
        severity: Warning,
        surfaces: [Markdown],
        summary: "a list marker other than the one Rasa's format uses",
    }
}

impl Rule for InconsistentListMarker {
    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        // Markdown files only: a YAML file's `-` items are YAML sequences, and the lines of
        // its `examples` blocks are read by other rules.
        let markdown = |file: &FileId| project.surface(*file) == Surface::Markdown;
        for (file, nlu) in project.nlu_files().filter(|(f, _)| markdown(f)) {
            check_nlu(file, &project.file(file).text, nlu, out);
        }
        for (file, stories) in project.markdown_story_files() {
            check_stories(file, &project.file(file).text, stories, out);
        }
        for (file, _) in project.nlg_files().filter(|(f, _)| markdown(f)) {
            check_responses(file, &project.file(file).text, out);
        }
    }
}

/// A list marker as written: the marker character and the whitespace after it.
#[derive(Clone, Copy)]
struct Marker<'t> {
    /// Byte offset of the marker character (always ASCII).
    at: usize,
    marker: char,
    gap: &'t str,
}

impl Marker<'_> {
    fn is_canonical(&self, expected: char) -> bool {
        self.marker == expected && self.gap == " "
    }

    /// The marker and the whitespace after it.
    fn span(&self) -> Span {
        self.at..self.at + 1 + self.gap.len()
    }

    /// How the marker differs from `expected` followed by one space, as the end of a
    /// sentence about the item ("is marked `*` instead of `-`").
    fn deviation(&self, expected: char) -> String {
        let marker = self.marker;
        let gap = match self.gap {
            "" => "no space".to_string(),
            gap => describe_whitespace(gap),
        };
        match (marker == expected, self.gap == " ") {
            (false, true) => format!("is marked `{marker}` instead of `{expected}`"),
            (false, false) => {
                format!("is marked `{marker}` with {gap} after it, instead of `{expected} `")
            }
            (true, _) => format!("has {gap} after its `{marker}`"),
        }
    }

    /// The edit that writes the marker `expected` followed by one space: safe wherever
    /// Rasa reads any marker and drops the whitespace after it (NLU and story files).
    fn fix(&self, expected: char) -> Edit {
        Edit {
            span: self.span(),
            text: format!("{expected} "),
        }
    }

    /// A short label for the marker.
    fn label(&self, expected: char) -> String {
        if self.marker != expected {
            format!("`{}` marker", self.marker)
        } else if self.gap.is_empty() {
            "no space".to_string()
        } else {
            describe_whitespace(self.gap)
        }
    }
}

/// How many places a file has, how many deviate, and the first that does.
struct Tally<'t> {
    checked: usize,
    deviations: usize,
    /// The first deviating marker, and the marker expected there.
    first: Option<(Marker<'t>, char)>,
}

fn tally<'t>(markers: impl Iterator<Item = (Marker<'t>, char)>) -> Tally<'t> {
    let mut tally = Tally {
        checked: 0,
        deviations: 0,
        first: None,
    };
    for (marker, expected) in markers {
        tally.checked += 1;
        if marker.is_canonical(expected) {
            continue;
        }
        tally.deviations += 1;
        if tally.first.is_none_or(|(first, _)| marker.at < first.at) {
            tally.first = Some((marker, expected));
        }
    }
    tally
}

/// The finding for a file most of whose items are written another way.
fn file_style_finding(
    file: FileId,
    tally: &Tally,
    items: &str,
    canonical: &str,
) -> Option<Diagnostic> {
    let (first, expected) = tally.first?;
    let message = if tally.deviations == tally.checked {
        format!(
            "none of the {} {items} in this file is written `{canonical}`",
            tally.checked
        )
    } else {
        format!(
            "{} of the {} {items} in this file are not written `{canonical}`",
            tally.deviations, tally.checked
        )
    };
    Some(
        Diagnostic::new(&InconsistentListMarker::META, file, first.span(), message)
        .with_label(format!("the first: {}", first.label(expected)))
        .with_help(format!(
            "Rasa reads them the same, but its own writer and almost every bot write `{canonical}`: rewrite the line starts (Rasa reads the file the same), or keep this file's style with `<!-- rasalint-disable-file RL502 -->`"
        )),
    )
}

// ---------------------------------------------------------------------------------------
// NLU files

/// What an NLU list item is, for the message.
#[derive(Clone, Copy)]
enum NluItem<'n> {
    Example(&'n str),
    Synonym(&'n str),
    Regex(&'n str),
    LookupElement(&'n str),
}

impl std::fmt::Display for NluItem<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NluItem::Example(intent) => write!(f, "example of `{intent}`"),
            NluItem::Synonym(value) => write!(f, "synonym of `{value}`"),
            NluItem::Regex(name) => write!(f, "pattern of regex `{name}`"),
            NluItem::LookupElement(name) => write!(f, "element of lookup `{name}`"),
        }
    }
}

/// Every list item of an NLU file: where its text starts, and what it is.
fn nlu_items(nlu: &NluFile) -> impl Iterator<Item = (usize, NluItem<'_>)> {
    let examples = nlu.examples.iter().filter_map(|example| {
        let section = nlu.sections.get(example.section)?;
        (section.kind == SectionKind::Intent)
            .then(|| (example.span.start, NluItem::Example(section.title.trim())))
    });
    let synonyms = nlu
        .synonyms
        .iter()
        .filter(|synonym| !synonym.from_annotation)
        .map(|synonym| (synonym.span.start, NluItem::Synonym(synonym.value.trim())));
    let regexes = nlu
        .regexes
        .iter()
        .map(|regex| (regex.span.start, NluItem::Regex(regex.name.trim())));
    let lookups = nlu.lookups.iter().flat_map(|lookup| {
        let elements = match &lookup.elements {
            LookupElements::List(elements) => elements.as_slice(),
            LookupElements::File(..) => &[],
        };
        elements
            .iter()
            .map(|(_, span)| (span.start, NluItem::LookupElement(lookup.name.trim())))
    });
    examples.chain(synonyms).chain(regexes).chain(lookups)
}

/// The marker before an item's text, read backwards over the whitespace Rasa's
/// `\s*[-*+]\s*` drops. `None` when something else stands there (a removed comment).
fn nlu_marker(text: &str, item_start: usize) -> Option<Marker<'_>> {
    let before = text.get(..item_start)?;
    let gap_start = before
        .trim_end_matches(|c: char| is_space(c) && !is_line_break(c))
        .len();
    let marker = before[..gap_start].chars().next_back()?;
    matches!(marker, '-' | '*' | '+').then(|| Marker {
        at: gap_start - 1,
        marker,
        gap: &text[gap_start..item_start],
    })
}

fn check_nlu(file: FileId, text: &str, nlu: &NluFile, out: &mut Vec<Diagnostic>) {
    let markers = || {
        nlu_items(nlu)
            .filter_map(|(start, item)| nlu_marker(text, start).map(|marker| (marker, item)))
    };
    let tally = tally(markers().map(|(marker, _)| (marker, '-')));
    if tally.deviations == 0 {
        return;
    }
    if is_file_style(tally.deviations, tally.checked) {
        let fix = markers()
            .filter(|(marker, _)| !marker.is_canonical('-') && odd_item(text, marker).is_none())
            .map(|(marker, _)| marker.fix('-'))
            .collect();
        out.extend(file_style_finding(file, &tally, "items", "- item").map(|d| d.with_fix(fix)));
        return;
    }
    for (marker, item) in markers().filter(|(marker, _)| !marker.is_canonical('-')) {
        out.push(nlu_finding(file, text, marker, item));
    }
}

/// An item whose marker is probably not a marker, so writing `- ` would keep Rasa's
/// reading but perhaps not the writer's meaning.
enum OddItem {
    /// `---`: a Markdown rule, which Rasa reads as the item `--`.
    MarkdownRule,
    /// `+1 555 1234`: the sign was probably meant as part of the text.
    SignedNumber,
}

fn odd_item(text: &str, marker: &Marker) -> Option<OddItem> {
    let item_text = line_rest(text, marker.span().end);
    if item_text.chars().all(|c| c == marker.marker) {
        Some(OddItem::MarkdownRule)
    } else if marker.gap.is_empty()
        && marker.marker != '*'
        && item_text.starts_with(|c: char| c.is_ascii_digit())
    {
        Some(OddItem::SignedNumber)
    } else {
        None
    }
}

fn nlu_finding(file: FileId, text: &str, marker: Marker, item: NluItem) -> Diagnostic {
    let m = marker.marker;
    let item_text = line_rest(text, marker.span().end);
    let finding = |message: String| {
        Diagnostic::new(&InconsistentListMarker::META, file, marker.span(), message)
    };
    let reads = format!("Rasa reads `{item_text}`");
    match odd_item(text, &marker) {
        Some(OddItem::MarkdownRule) => {
            let line = format!("{m}{}{item_text}", marker.gap);
            return finding(format!("the Markdown rule `{line}` is read as an item"))
                .with_label(reads)
                .with_help(format!(
                    "Rasa adds `{item_text}` as an item ({item}): remove the line, or separate items with a blank line or a `<!-- -->` comment"
                ));
        }
        Some(OddItem::SignedNumber) => {
            return finding(format!("{item} {}", marker.deviation('-')))
                .with_label(reads)
                .with_help(format!(
                    "Rasa takes the `{m}` for the list marker and drops it: write `- {m}{item_text}` if it belongs to the text, or `- {item_text}`"
                ));
        }
        None => {}
    }
    let label = if marker.gap.is_empty() {
        reads
    } else {
        marker.label('-')
    };
    finding(format!("{item} {}", marker.deviation('-')))
        .with_label(label)
        .with_help(
            "start the line with `- `: Rasa reads `-`, `*` and `+` items alike and drops the spaces after them, but its own writer and almost every bot write `- `",
        )
        .with_fix(vec![marker.fix('-')])
}

/// The rest of the line from `start`, without its line break and trailing whitespace.
fn line_rest(text: &str, start: usize) -> &str {
    let rest = text.get(start..).unwrap_or_default();
    let end = rest.find(is_line_break).unwrap_or(rest.len());
    rest[..end].trim_end_matches(is_space)
}

// ---------------------------------------------------------------------------------------
// Story files

/// The marker of a user turn (`*`) or action or event line (`-`), with the name the line
/// gives and what the line is. Checkpoints, bare markers and stray `-->` are skipped.
fn story_marker<'t>(text: &'t str, step: &Step) -> Option<(Marker<'t>, char, &'static str)> {
    let (expected, what) = match step.kind {
        StepKind::User(_) => ('*', "user turn"),
        StepKind::Checkpoint { .. } => return None,
        StepKind::Action { .. } => ('-', "action"),
        StepKind::Slot(_) | StepKind::Form { .. } | StepKind::Event { .. } => ('-', "event"),
        // YAML steps have no markers (and YAML files are not checked here).
        StepKind::Bot(_) | StepKind::Or(_) => return None,
    };
    let line = text.get(step.span())?;
    let after = line.strip_prefix(expected)?;
    if after.starts_with("->") || after.starts_with("<!--") {
        return None;
    }
    let gap = &after[..after.len() - after.trim_start_matches(is_space).len()];
    if gap.len() == after.len() {
        return None;
    }
    let marker = Marker {
        at: step.span().start,
        marker: expected,
        gap,
    };
    Some((marker, expected, what))
}

/// Whether one space after the marker would change the turn Rasa reads: it splits the
/// line after the `*` at ` OR ` before stripping, so `*\tOR greet` is the intent
/// `OR greet`, and `* OR greet` two alternatives.
fn story_fix_renames(text: &str, marker: &Marker) -> bool {
    marker.marker == '*' && text[marker.span().end..].starts_with("OR ")
}

fn check_stories(file: FileId, text: &str, stories: &StoryFile, out: &mut Vec<Diagnostic>) {
    let markers = || {
        stories
            .steps()
            .filter_map(|step| story_marker(text, step).map(|m| (m, step)))
    };
    let tally = tally(markers().map(|((marker, expected, _), _)| (marker, expected)));
    if tally.deviations == 0 {
        return;
    }
    if is_file_style(tally.deviations, tally.checked) {
        let fix = markers()
            .filter(|((marker, expected, _), _)| {
                !marker.is_canonical(*expected) && !story_fix_renames(text, marker)
            })
            .map(|((marker, expected, _), _)| marker.fix(expected))
            .collect();
        out.extend(
            file_style_finding(
                file,
                &tally,
                "user turns and action lines",
                "* intent` and `- action",
            )
            .map(|d| d.with_fix(fix)),
        );
        return;
    }
    for ((marker, expected, what), step) in markers() {
        if marker.is_canonical(expected) {
            continue;
        }
        let name = text.get(step.name_span()).unwrap_or_default();
        out.push(
            Diagnostic::new(
                &InconsistentListMarker::META,
                file,
                marker.span(),
                format!("{what} `{name}` {}", marker.deviation(expected)),
            )
            .with_label(marker.label(expected))
            .with_help(format!(
                "write `{expected} {name}`: Rasa reads it the same, but its own writer and almost every bot put one space after the `{expected}`"
            ))
            .with_fix(if story_fix_renames(text, &marker) {
                Vec::new()
            } else {
                vec![marker.fix(expected)]
            }),
        );
    }
}

// ---------------------------------------------------------------------------------------
// Responses files

/// Checks the `*` and `-` lines of a responses file, read as Rasa's responses reader reads
/// them: lines split as Python's `splitlines`, stripped, no comments.
fn check_responses(file: FileId, text: &str, out: &mut Vec<Diagnostic>) {
    for range in splitlines(text) {
        let kept = strip_range(&text[range.clone()]);
        let start = range.start + kept.start;
        let line = &text[start..range.start + kept.end];
        let Some(marker) = line.chars().next().filter(|c| matches!(c, '-' | '*')) else {
            continue;
        };
        let after = &line[1..];
        let gap = &after[..after.len() - after.trim_start_matches(is_space).len()];
        if gap == " " || gap.len() == after.len() {
            continue;
        }
        let marker = Marker {
            at: start,
            marker,
            gap,
        };
        out.push(response_finding(file, line, marker));
    }
}

/// Rasa's `joiner.join(line.split(separator)[1:])`: what its responses reader keeps of a
/// line (`-text` keeps nothing, `- a - b` keeps `a -b`).
fn rasa_response_reading(line: &str, separator: &str, joiner: &str) -> String {
    let mut pieces = line.split(separator).skip(1);
    let mut kept = pieces.next().unwrap_or_default().to_string();
    for piece in pieces {
        kept.push_str(joiner);
        kept.push_str(piece);
    }
    kept
}

fn response_finding(file: FileId, line: &str, marker: Marker) -> Diagnostic {
    let m = marker.marker;
    let name = if m == '-' { "a dash" } else { "a star" };
    let written = line[1..].trim_start_matches(is_space);
    let read = rasa_response_reading(line, &format!("{m} "), &m.to_string());
    let (what, consequence) = if m == '-' {
        let consequence = if read.is_empty() {
            "Rasa reads this response text as empty".to_string()
        } else {
            format!("Rasa reads this response text as `{read}`")
        };
        ("response text", consequence)
    } else {
        let consequence = if read.is_empty() {
            "Rasa reads no key here, so it drops this response, and its texts go to the next response in the file".to_string()
        } else {
            format!("Rasa reads the key as `{read}`, which matches no retrieval intent")
        };
        ("response key", consequence)
    };
    Diagnostic::new(
        &InconsistentListMarker::META,
        file,
        marker.span(),
        format!("{what} {}: {consequence}", marker.deviation(m)),
    )
    .with_label(marker.label(m))
    .with_help(format!(
        "write `{m} {written}`: Rasa's responses reader keeps what follows the first `{m} ` on the line ({name} and one space)"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_marker_before_an_item() {
        let text = "- a\n*  b\n+c\n<!-- x -->d\n";
        let marker = |at: usize| nlu_marker(text, at).map(|m| (m.at, m.marker, m.gap));
        assert_eq!(marker(2), Some((0, '-', " ")));
        assert_eq!(marker(7), Some((4, '*', "  ")));
        assert_eq!(marker(10), Some((9, '+', "")));
        assert_eq!(marker(22), None);
    }

    #[test]
    fn reads_response_lines_as_rasa_does() {
        assert_eq!(rasa_response_reading("-text", "- ", "-"), "");
        assert_eq!(rasa_response_reading("-  two", "- ", "-"), " two");
        assert_eq!(rasa_response_reading("- a - b", "- ", "-"), "a -b");
        assert_eq!(rasa_response_reading("*faq/x", "* ", "*"), "");
    }

    #[test]
    fn a_file_style_needs_most_items_and_a_few_of_them() {
        assert!(!is_file_style(3, 3));
        assert!(is_file_style(4, 7));
        assert!(!is_file_style(4, 8));
    }
}
