use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::dialogue::{Step, StepKind, StoryFile};
use crate::model::nlu::NluFile;
use crate::model::{Project, Rasa2Markdown};
use crate::rasa::Surface;
use crate::rule::Rule;
use crate::source::{FileId, SourceFile};
use crate::syntax::nlu::known_section_name;

declare_rule! {
    /// ## What it does
    /// Reports Markdown files that Rasa 1.10 classifies by content in a way the author
    /// probably did not intend:
    /// - a file read as stories that has NLU headers (`##intent:greet`) but none written
    ///   exactly `## intent:`, the marker Rasa looks for;
    /// - a file read as stories that contains no story at all (a README or notes file in
    ///   the data folder with a `## Heading`);
    /// - a file read as stories whose turns look like retrieval responses (`* faq/ask` then
    ///   `- some answer text`): the responses marker failed;
    /// - a file read as NLU whose examples are story lines (`utter_…`), because it contains
    ///   the text `## intent:` somewhere;
    /// - in a Rasa 2 bot, a YAML file (`.yml`) that contains `## intent:` (or another NLU
    ///   header) anywhere, even in a comment: Rasa 2.8 asks its Markdown test first,
    ///   whatever the extension, and reads the file's NLU as Markdown, not its `nlu:` and
    ///   `responses:` (Rasa 3 reads it as YAML).
    ///
    /// ## Why is this bad?
    /// Rasa decides what a file is from a few literal markers; when the guess is wrong, every
    /// line is misread and the findings that follow point everywhere but at the cause.
    ///
    /// ## Example
    /// A `data/README.md` with a `## Usage` heading is read as a story file.
    pub struct AmbiguousFileKind {
        code: "RL011",
        name: "ambiguous-file-kind",
        severity: Warning,
        summary: "a file Rasa would classify differently than its content suggests",
    }
}

impl Rule for AmbiguousFileKind {
    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        for (file, stories) in project.markdown_story_files() {
            out.extend(stories_misread(file, project.file(file), stories));
        }
        for (file, nlu) in project.nlu_files() {
            if project.surface(file) == Surface::Markdown {
                out.extend(nlu_misread(file, project.file(file), nlu));
            }
        }
        for (index, parts) in project.parts.iter().enumerate() {
            if let Some(markdown) = parts.rasa2_markdown(project.rasa.version) {
                out.push(yaml_read_as_markdown(FileId(index as u32), markdown));
            }
        }
    }
}

/// A YAML file Rasa 2.8 reads as Markdown.
fn yaml_read_as_markdown(file: FileId, markdown: &Rasa2Markdown) -> Diagnostic {
    let (what, help) = match markdown.nlu {
        Some(_) => (
            "Markdown NLU data, because it contains this text (even a comment counts)",
            "Rasa 2.8 reads the `- ` lines under this header as its examples instead of the file's `nlu:` and `responses:`; reword the text (`##intent:` is not looked for), or move it out of the file",
        ),
        None => (
            "Markdown responses, because it has a `##` line followed by `* name/key` and `- text` lines",
            "Rasa 2.8 reads those lines as retrieval responses instead of the file's `nlu:` and `responses:`; reword them, or move them out of the file",
        ),
    };
    Diagnostic::new(
        &AmbiguousFileKind::META,
        file,
        markdown.marker.clone(),
        format!("Rasa 2.8 reads this YAML file as {what}"),
    )
    .with_help(help)
}

fn stories_misread(file: FileId, source: &SourceFile, stories: &StoryFile) -> Option<Diagnostic> {
    if let Some((offset, line)) = first_nlu_header(&source.text) {
        let name = known_section_name(line).unwrap_or("intent");
        return Some(
            Diagnostic::new(&AmbiguousFileKind::META, file, offset..offset + line.len(), "Rasa reads this file as stories, not NLU data")
                .with_help(format!("no header is written exactly `## {name}:`, which is how Rasa recognises NLU files; fix the header's spacing")),
        );
    }
    let shape = StoriesShape::of(stories);
    let (has_turns, prose_turns) = (shape.has_turns, shape.prose_turns);
    let readme_name = source.path.file_stem().is_some_and(|stem| {
        ["readme", "changelog", "notes", "contributing"]
            .contains(&stem.to_string_lossy().to_lowercase().as_str())
    });
    let starts_with_bom = source.text.starts_with('\u{feff}');
    let prose = readme_name || (!stories.skipped.is_empty() && (!has_turns || prose_turns));
    if prose && !starts_with_bom {
        let header = stories
            .blocks
            .first()
            .map_or(0..0, |b| b.header_span.clone());
        return Some(
            Diagnostic::new(&AmbiguousFileKind::META, file, header, "Rasa reads this file as stories because a line contains `##`")
                .with_help("move notes and READMEs out of the training-data folder, or rename them to something other than .md"),
        );
    }
    match (shape.retrieval_turn, shape.prose_action) {
        (true, Some(step)) => Some(
            Diagnostic::new(&AmbiguousFileKind::META, file, step.span(), "this looks like a retrieval responses file, but Rasa reads it as stories")
                .with_help("Rasa only recognises a responses file when a `## title` line is directly followed by an unindented `* intent/key` line and then a `- text` line"),
        ),
        _ => None,
    }
}

/// What a story file's steps look like, read in one pass.
#[derive(Default)]
struct StoriesShape<'s> {
    has_turns: bool,
    /// A user turn whose "intent" holds a space: bullet points of prose (`* Install it`).
    prose_turns: bool,
    /// A user turn naming a retrieval intent (`* faq/ask_name`).
    retrieval_turn: bool,
    /// The first action whose name holds a space: a response text read as an action.
    prose_action: Option<&'s Step>,
}

impl<'s> StoriesShape<'s> {
    fn of(stories: &'s StoryFile) -> Self {
        let mut shape = StoriesShape::default();
        for step in stories.blocks.iter().flat_map(|b| &b.steps) {
            match &step.kind {
                StepKind::User(alternatives) => {
                    shape.has_turns = true;
                    for intent in alternatives.iter().filter_map(|a| a.intent.as_deref()) {
                        shape.prose_turns |= intent.trim().contains(' ');
                        shape.retrieval_turn |= intent.contains('/');
                    }
                }
                StepKind::Action { name, .. } => {
                    shape.has_turns = true;
                    if shape.prose_action.is_none() && name.contains(' ') {
                        shape.prose_action = Some(step);
                    }
                }
                _ => {}
            }
        }
        shape
    }
}

fn nlu_misread(file: FileId, source: &SourceFile, nlu: &NluFile) -> Option<Diagnostic> {
    if nlu.sections.is_empty() && nlu.rasa_error.is_none() {
        let marker = ["## intent:", "## synonym:", "## regex:", "## lookup:"]
            .iter()
            .filter_map(|m| source.text.find(m).map(|at| (at, m.len())))
            .min()?;
        return Some(
            Diagnostic::new(&AmbiguousFileKind::META, file, marker.0..marker.0 + marker.1, "Rasa reads this file as NLU data because it contains this text, but it has no NLU section")
                .with_help("Rasa looks for the literal text anywhere in the file, comments included; reword it if this is not an NLU file"),
        );
    }
    let example = nlu
        .examples
        .iter()
        .find(|e| e.text.starts_with("utter_") || e.text.starts_with("action_"))?;
    Some(
        Diagnostic::new(&AmbiguousFileKind::META, file, example.span.clone(), format!("`{}` reads like a story action, but Rasa reads this file as NLU data", example.text))
            .with_help("the file contains `## intent:` (or another NLU marker), so Rasa reads its story lines as training examples; keep stories and NLU data in separate files"),
    )
}

/// The first line that Rasa would read as an NLU header, with its offset. Only lines
/// holding `##` can be headers, so only those are looked at.
fn first_nlu_header(text: &str) -> Option<(usize, &str)> {
    let bytes = text.as_bytes();
    // Every `##`, overlapping ones included, as `re.search` tries every position.
    let pairs = memchr::memchr_iter(b'#', bytes).filter(|&at| bytes.get(at + 1) == Some(&b'#'));
    pairs
        .filter(|&at| names_a_section(&text[at + 2..]))
        .find_map(|at| {
            let start = text[..at].rfind(['\n', '\r']).map_or(0, |i| i + 1);
            let end = text[at..].find(['\n', '\r']).map_or(text.len(), |i| at + i);
            let line = &text[start..end];
            known_section_name(line).is_some().then_some((start, line))
        })
}

/// Whether the text after `##` starts, past any spaces, with a section name and its colon:
/// a cheap test that rules out story headers before the exact header reading.
fn names_a_section(after_hashes: &str) -> bool {
    let rest = after_hashes.trim_start_matches(crate::syntax::python::is_space);
    ["intent:", "synonym:", "regex:", "lookup:"]
        .iter()
        .any(|name| rest.starts_with(name))
}
