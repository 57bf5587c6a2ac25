use rustc_hash::{FxHashMap, FxHashSet};

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::model::nlu::LookupElements;
use crate::rule::Rule;
use crate::source::{FileId, Span};
use crate::syntax::nlu::CharSlicer;

declare_rule! {
    /// ## What it does
    /// Reports a text listed in a `## synonym:` section (a `- synonym:` item's examples
    /// in YAML) that no example annotates, so the entity extractor is never taught to
    /// extract it. Off by default.
    ///
    /// A synonym maps a text to a value: after the extractor has extracted an entity,
    /// Rasa's `EntitySynonymMapper` replaces its text, compared in lower case, by the
    /// value. So the synonym does something only when the extractor extracts exactly that
    /// text, which it reliably does only for texts it was trained on: texts annotated in
    /// some example. The rule compares lower case, as the mapper does, and ignores
    /// whitespace around annotated texts. The help names the entity the synonym's value is
    /// annotated with elsewhere, when it is, so the annotation to add is one copy away.
    ///
    /// Deliberately not reported (the rule stays quiet where the text may still be
    /// extracted):
    ///
    /// * synonyms written as annotations (`[NYC](city:New York)`): they are annotated;
    /// * a text mapped to itself, which the mapper drops anyway;
    /// * a text that is an element of an inline `## lookup:` table: lookup tables exist
    ///   to get unannotated values extracted;
    /// * everything, when the pipeline runs a pretrained extractor (`SpacyEntityExtractor`,
    ///   `DucklingHTTPExtractor`) before the `EntitySynonymMapper`: the mapper also maps
    ///   the entities those find, which need no annotation.
    ///
    /// One finding per synonym value and NLU file, at its first unannotated text, listing
    /// the others (each also marked), and pointing at an example where a text is written
    /// without an annotation: the place to annotate it.
    ///
    /// When `config.yml` lists a pipeline without an `EntitySynonymMapper`, no synonym is
    /// ever applied, and the rule says so once, at the first synonym.
    ///
    /// ## Why is this bad?
    /// A synonym for a text the model never extracts is dead data that looks like a
    /// feature: the author believes `Mudder` becomes `Mutter`, but the bot receives
    /// nothing, or a partial text, and the slot stays empty. The extractor may generalise
    /// from context to an unseen text, which is why the rule is off by default; one
    /// annotated example makes it reliable.
    ///
    /// ## Example
    /// ```md
    /// ## intent:inform
    /// - I live in [New York](city)
    ///
    /// ## synonym:New York
    /// - NYC                 <- no example annotates `NYC`
    /// ```
    pub struct SynonymNeverUsed {
        code: "RL123",
        name: "synonym-never-used",
        severity: Warning,
        enabled_by_default: false,
        summary: "a synonym text that no example annotates",
    }
}

/// Extractors whose entities need no annotations, and go through the synonym mapper when
/// they run before it.
const PRETRAINED_EXTRACTORS: &[&str] = &["SpacyEntityExtractor", "DucklingHTTPExtractor"];

const SYNONYM_MAPPER: &str = "EntitySynonymMapper";

/// What the bot's pipeline means for synonyms.
enum SynonymMapping {
    /// No pipeline list (absent, a template name, or unreadable): assume a mapper.
    Unknown,
    /// A list without the mapper: the `pipeline:` key's place.
    WithoutMapper(FileId, Span),
    /// A pretrained extractor runs before the mapper.
    PretrainedBeforeMapper,
    /// A mapper, after trained extractors only.
    Mapper,
}

impl Rule for SynonymNeverUsed {
    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        match synonym_mapping(project) {
            SynonymMapping::PretrainedBeforeMapper => {}
            SynonymMapping::WithoutMapper(config, span) => {
                report_no_mapper(project, config, span, out)
            }
            SynonymMapping::Unknown | SynonymMapping::Mapper => report_unannotated(project, out),
        }
    }
}

fn synonym_mapping(project: &Project) -> SynonymMapping {
    let Some((file, config)) = project.config_files().next() else {
        return SynonymMapping::Unknown;
    };
    let Some(pipeline) = &config.pipeline else {
        return SynonymMapping::Unknown;
    };
    // A component may be named by its class path (`rasa.nlu....EntitySynonymMapper`).
    let names: Vec<&str> = pipeline
        .components
        .iter()
        .map(|c| c.name.rsplit('.').next().unwrap_or(&c.name))
        .collect();
    match names.iter().position(|n| *n == SYNONYM_MAPPER) {
        None => SynonymMapping::WithoutMapper(file, pipeline.key.clone()),
        Some(mapper)
            if names[..mapper]
                .iter()
                .any(|n| PRETRAINED_EXTRACTORS.contains(n)) =>
        {
            SynonymMapping::PretrainedBeforeMapper
        }
        Some(_) => SynonymMapping::Mapper,
    }
}

fn report_no_mapper(project: &Project, config: FileId, key: Span, out: &mut Vec<Diagnostic>) {
    let first = project.nlu_files().find_map(|(file, nlu)| {
        nlu.synonyms
            .iter()
            .find(|s| !s.from_annotation)
            .or_else(|| nlu.synonyms.first())
            .map(|s| (file, s))
    });
    let Some((file, synonym)) = first else {
        return;
    };
    out.push(
        Diagnostic::new(
            &SynonymNeverUsed::META,
            file,
            synonym.span.clone(),
            format!(
                "no synonym is ever applied (`{}` is not mapped to `{}`): the pipeline has no `{SYNONYM_MAPPER}`",
                synonym.text,
                synonym.value.trim()
            ),
        )
        .with_label("first synonym")
        .with_related(config, key, "this pipeline has no `EntitySynonymMapper`")
        .with_help(format!(
            "add `- name: {SYNONYM_MAPPER}` to the pipeline, after the entity extractors"
        )),
    );
}

/// An annotation, for the help: which entity to annotate a synonym as.
struct Annotation<'p> {
    entity: &'p str,
    file: FileId,
    span: &'p Span,
}

/// What the examples and lookup tables hold, in lower case.
#[derive(Default)]
struct Annotated<'p> {
    /// Annotated text -> its first annotation.
    texts: FxHashMap<String, Annotation<'p>>,
    /// Annotated value -> its first annotation.
    values: FxHashMap<String, Annotation<'p>>,
    /// Elements of inline lookup tables.
    listed: FxHashSet<String>,
}

/// The synonyms of one value in one file, and those of them never annotated.
struct Group<'p> {
    file: FileId,
    value: &'p str,
    all: Vec<&'p str>,
    unannotated: Vec<(&'p str, &'p Span)>,
}

/// The most texts a message lists; the others are counted.
const LISTED: usize = 5;

fn key(text: &str) -> String {
    text.trim().to_lowercase()
}

fn annotated(project: &Project) -> Annotated<'_> {
    let mut found = Annotated::default();
    for (file, nlu) in project.nlu_files() {
        for example in &nlu.examples {
            let slicer = CharSlicer::new(&example.text);
            for entity in &example.entities {
                let annotation = || Annotation {
                    entity: &entity.entity,
                    file,
                    span: &entity.span,
                };
                let text = slicer.slice(entity.start, entity.end);
                found.texts.entry(key(text)).or_insert_with(annotation);
                let value = match entity.value.as_str() {
                    Some(s) => key(s),
                    None => entity.value.to_string(),
                };
                found.values.entry(value).or_insert_with(annotation);
            }
        }
        for lookup in &nlu.lookups {
            if let LookupElements::List(elements) = &lookup.elements {
                found.listed.extend(elements.iter().map(|(e, _)| key(e)));
            }
        }
    }
    found
}

fn report_unannotated(project: &Project, out: &mut Vec<Diagnostic>) {
    let annotated = annotated(project);
    let mut groups: Vec<Group> = Vec::new();
    for (file, nlu) in project.nlu_files() {
        let mut by_value: FxHashMap<&str, usize> = FxHashMap::default();
        for synonym in nlu.synonyms.iter().filter(|s| !s.from_annotation) {
            let index = *by_value.entry(&synonym.value).or_insert_with(|| {
                groups.push(Group {
                    file,
                    value: synonym.value.trim(),
                    all: Vec::new(),
                    unannotated: Vec::new(),
                });
                groups.len() - 1
            });
            let text = synonym.text.as_str();
            groups[index].all.push(text);
            let k = key(text);
            if text != synonym.value
                && !annotated.texts.contains_key(&k)
                && !annotated.listed.contains(&k)
            {
                groups[index].unannotated.push((text, &synonym.span));
            }
        }
    }
    groups.retain(|g| !g.unannotated.is_empty());
    if groups.is_empty() {
        return;
    }
    let written = unannotated_uses(project, &groups);
    for group in &groups {
        out.push(group_diagnostic(group, &annotated, &written));
    }
}

fn group_diagnostic(
    group: &Group,
    annotated: &Annotated,
    written: &FxHashMap<String, (FileId, Span)>,
) -> Diagnostic {
    let value = group.value;
    let (first, first_span) = group.unannotated[0];
    let quoted: Vec<String> = group
        .unannotated
        .iter()
        .map(|(t, _)| format!("`{t}`"))
        .collect();
    let message = match quoted.len() {
        1 => format!(
            "synonym {} of `{value}` is never annotated in an example",
            quoted[0]
        ),
        2 => format!(
            "synonyms {} and {} of `{value}` are never annotated in an example",
            quoted[0], quoted[1]
        ),
        n if n <= LISTED => format!(
            "{n} synonyms of `{value}` are never annotated in an example: {}",
            quoted.join(", ")
        ),
        n => format!(
            "{n} synonyms of `{value}` are never annotated in an example: {} and {} more",
            quoted[..LISTED].join(", "),
            n - LISTED
        ),
    };
    let mut diagnostic = Diagnostic::new(
        &SynonymNeverUsed::META,
        group.file,
        first_span.clone(),
        message,
    )
    .with_label("never extracted as an entity");
    for (text, span) in &group.unannotated[1..] {
        diagnostic = diagnostic.with_related(
            group.file,
            (*span).clone(),
            format!("`{text}` is not annotated either"),
        );
    }
    let mut hinted: FxHashSet<String> = FxHashSet::default();
    for (text, _) in &group.unannotated {
        let k = key(text);
        if let Some((file, span)) = written.get(&k)
            && hinted.insert(k)
        {
            diagnostic = diagnostic.with_related(
                *file,
                span.clone(),
                format!("`{text}` is written here without an annotation"),
            );
        }
    }
    let (them, remove) = match group.unannotated.len() {
        1 => ("it", "remove it if users do not write it"),
        _ => ("each", "remove those users do not write"),
    };
    let why = format!(
        "the mapper replaces a text by `{value}` only when the extractor extracts exactly that text"
    );
    // The entity to annotate with: the one the value, or another text of the value, is
    // annotated as.
    let by_value = annotated
        .values
        .get(&key(value))
        .map(|a| (a, format!("`{value}` is annotated as `{}` here", a.entity)));
    let by_sibling = || {
        group.all.iter().find_map(|text| {
            annotated.texts.get(&key(text)).map(|a| {
                (
                    a,
                    format!(
                        "`{text}`, also a synonym of `{value}`, is annotated as `{}` here",
                        a.entity
                    ),
                )
            })
        })
    };
    match by_value.or_else(by_sibling) {
        Some((known, related)) => diagnostic
            .with_help(format!(
                "{why}: annotate {them} in an example, as `[{first}]({})`, or {remove}",
                known.entity
            ))
            .with_related(known.file, known.span.clone(), related),
        None => diagnostic.with_help(format!("{why}: annotate {them} in an example, or {remove}")),
    }
}

/// For each unannotated synonym text (lower case), the first example that contains it as
/// words outside any annotation: the place to annotate it. One regular expression over
/// every example, so the search stays linear in the size of the data.
fn unannotated_uses(project: &Project, groups: &[Group]) -> FxHashMap<String, (FileId, Span)> {
    let mut texts: Vec<String> = groups
        .iter()
        .flat_map(|g| g.unannotated.iter().map(|(t, _)| key(t)))
        .filter(|t| !t.is_empty())
        .collect();
    // Longest first, so that `baden württemberg` wins over `baden`.
    texts.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    texts.dedup();
    let alternatives: Vec<String> = texts.iter().map(|t| regex::escape(t)).collect();
    let pattern = format!(r"(?i)\b(?:{})\b", alternatives.join("|"));
    let Ok(search) = regex::Regex::new(&pattern) else {
        return FxHashMap::default();
    };
    let mut found: FxHashMap<String, (FileId, Span)> = FxHashMap::default();
    for (file, nlu) in project.nlu_files() {
        for example in &nlu.examples {
            for m in search.find_iter(&example.text) {
                let start = example.text[..m.start()].chars().count();
                let end = start + m.as_str().chars().count();
                let inside_annotation = example
                    .entities
                    .iter()
                    .any(|e| e.start < end && start < e.end);
                if !inside_annotation {
                    // The words themselves when the source holds the plain text as is.
                    let source = project.file(file).slice(&example.span);
                    let span = if source == example.text {
                        example.span.start + m.start()..example.span.start + m.end()
                    } else {
                        example.span.clone()
                    };
                    found
                        .entry(m.as_str().to_lowercase())
                        .or_insert((file, span));
                }
            }
        }
    }
    found
}
