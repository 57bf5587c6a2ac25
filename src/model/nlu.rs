//! NLU training data as Rasa holds it, whatever file format it was written in: examples
//! with their intents and entity annotations, synonyms, regex and lookup tables, each with
//! the spans the readers recorded.

use compact_str::CompactString;
use serde_json::Value;

use crate::model::json::JsonValue;
use crate::source::Span;

/// How an annotation was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnnotationForm {
    /// `[text](type)`
    Short,
    /// `[text](type:value)`, deprecated in 1.10.
    ShortWithValue,
    /// `[text]{"entity": …}`
    Dict,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SectionKind {
    Intent,
    Synonym,
    Regex,
    Lookup,
}

impl SectionKind {
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "intent" => Some(SectionKind::Intent),
            "synonym" => Some(SectionKind::Synonym),
            "regex" => Some(SectionKind::Regex),
            "lookup" => Some(SectionKind::Lookup),
            _ => None,
        }
    }
}

/// A `## kind:title` header (Markdown) or a `- intent: title` item (YAML), and how many
/// items followed it.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub kind: SectionKind,
    /// The title exactly as Rasa keeps it (a leading space survives).
    pub title: String,
    /// The `## kind:title` line, or the YAML item's key (`intent`).
    pub header_span: Span,
    pub title_span: Span,
    pub items: usize,
    /// An intent item's `metadata` (YAML), which Rasa gives each of its examples.
    pub metadata: Option<Box<Metadata>>,
}

/// A `metadata` value of the YAML NLU format, as Rasa holds it (JSON-like), and where it
/// is written.
#[derive(Debug, Clone, PartialEq)]
pub struct Metadata {
    pub value: Value,
    pub span: Span,
}

/// An entity annotated in an example.
#[derive(Debug, Clone, PartialEq)]
pub struct Entity {
    pub entity: CompactString,
    /// The value Rasa records: the annotated text unless a value was given.
    pub value: JsonValue,
    /// Boxed, as few annotations give one.
    pub role: Option<Box<EntityLabel>>,
    pub group: Option<Box<EntityLabel>>,
    /// Character offsets in the example's plain text, as Rasa reports them.
    pub start: usize,
    pub end: usize,
    pub form: AnnotationForm,
    /// The whole annotation in the source.
    pub span: Span,
    /// The entity type as written (short forms), or the JSON body (dict form).
    pub entity_span: Span,
}

impl Entity {
    pub fn role(&self) -> Option<&str> {
        self.role.as_ref().map(|r| r.name.as_str())
    }

    pub fn group(&self) -> Option<&str> {
        self.group.as_ref().map(|g| g.name.as_str())
    }
}

/// A role or group a `{…}` annotation gives its entity.
#[derive(Debug, Clone, PartialEq)]
pub struct EntityLabel {
    pub name: CompactString,
    /// Where its string is written (without quotes), else (written with escapes) the
    /// whole annotation.
    pub span: Span,
}

/// One training example (a list item in an intent section).
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// Index into [`NluFile::sections`].
    pub section: usize,
    /// The intent, trimmed; for a retrieval intent `faq/ask_name` the base `faq`.
    pub intent: CompactString,
    /// The text with annotations replaced by their entity text (inline up to 24 bytes,
    /// as most examples are).
    pub text: CompactString,
    /// The item text (after the marker) in the source; for a YAML `text:` its value.
    pub span: Span,
    pub entities: Vec<Entity>,
    /// What few examples have, boxed: a bot has many examples.
    extras: Option<Box<ExampleExtras>>,
}

/// The retrieval response key and the metadata of an [`Example`].
#[derive(Debug, Clone, PartialEq)]
struct ExampleExtras {
    response_key: Option<CompactString>,
    metadata: Option<Metadata>,
}

// An example is stored for every example line of the bot: keep it small.
const _: () = assert!(std::mem::size_of::<Example>() <= 104);

impl Example {
    pub fn new(
        (section, intent, response_key): (usize, CompactString, Option<CompactString>),
        text: CompactString,
        span: Span,
        entities: Vec<Entity>,
        metadata: Option<Metadata>,
    ) -> Self {
        let extras = (response_key.is_some() || metadata.is_some()).then(|| {
            Box::new(ExampleExtras {
                response_key,
                metadata,
            })
        });
        Example {
            section,
            intent,
            text,
            span,
            entities,
            extras,
        }
    }

    /// The retrieval response key (`ask_name`), untrimmed as Rasa keeps it.
    pub fn response_key(&self) -> Option<&str> {
        self.extras.as_ref()?.response_key.as_deref()
    }

    /// The example's own `metadata` (YAML `- text: … metadata: …`).
    pub fn metadata(&self) -> Option<&Metadata> {
        self.extras.as_ref()?.metadata.as_ref()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Synonym {
    /// The text that is mapped (inline up to 24 bytes, as most are).
    pub text: CompactString,
    /// The value it is mapped to.
    pub value: CompactString,
    pub span: Span,
    /// True for `[text](entity:value)` / dict `value` annotations, false for sections.
    pub from_annotation: bool,
    /// The value is a JSON number (`{"value": 5}`, Rasa 2 and 3), which Rasa keeps as a
    /// number; `value` holds its JSON text.
    pub numeric: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RegexFeature {
    pub name: String,
    pub pattern: String,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum LookupElements {
    /// Inline `- element` items.
    List(Vec<(String, Span)>),
    /// A line naming a file, resolved by Rasa against its working directory.
    File(String, Span),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Lookup {
    pub name: String,
    pub elements: LookupElements,
}

/// What Rasa 2/3's YAML NLU reader warns about as it reads a file (it goes on, without
/// what it names), in its order, for comparing with Rasa's own reading.
#[derive(Debug, Clone, PartialEq)]
pub enum NluWarning {
    /// A line of an `examples` string that does not start with `-` (blank lines and `#`
    /// lines included), in the item of this section, written at `line`; `text` is the line
    /// as Rasa reads it when that is not what is written there (a folded or escaped one).
    LineDropped {
        section: usize,
        line: Span,
        text: Option<Box<str>>,
    },
    /// An item of this section with no examples.
    NoExamples { section: usize },
    /// An item of this kind whose name is empty (or missing).
    EmptyName { kind: SectionKind, key: Span },
    /// An item with none of the keys `intent`, `synonym`, `regex`, `lookup`, as Rasa
    /// holds it.
    NoSupportedKey { span: Span, item: Value },
    /// An intent's `examples` that is neither a string nor a list (`examples:` with
    /// nothing after it).
    UnexpectedBlock { section: usize, value: Value },
    /// Synonym `synonym` maps its text to another value than an earlier one did.
    SynonymConflict { synonym: usize, previous: String },
}

/// What one NLU file holds, in file order, duplicates kept.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NluFile {
    pub sections: Vec<Section>,
    pub examples: Vec<Example>,
    pub synonyms: Vec<Synonym>,
    pub regexes: Vec<RegexFeature>,
    pub lookups: Vec<Lookup>,
    /// Why Rasa would refuse to load this file (1.10 for Markdown, 2.8/3.6 for YAML), if
    /// it would.
    pub rasa_error: Option<String>,
    /// Rasa's warnings while reading the file (YAML only).
    pub warnings: Vec<NluWarning>,
}

impl NluFile {
    /// Where the lines Rasa drops from `examples` strings are written, one span each (an
    /// empty line's at its start).
    pub fn dropped_lines(&self) -> impl Iterator<Item = &Span> + '_ {
        self.warnings.iter().filter_map(|warning| match warning {
            NluWarning::LineDropped { line, .. } => Some(line),
            _ => None,
        })
    }
}
