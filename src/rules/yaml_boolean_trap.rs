use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::model::domain::Name;
use crate::rule::Rule;
use crate::source::FileId;

declare_rule! {
    /// ## What it does
    /// Reports an unquoted `yes`, `no`, `on`, `off`, `y` or `n` (in any case) used as an
    /// intent, entity, slot, action, form or response name, or as a categorical slot value.
    ///
    /// ## Why is this bad?
    /// Rasa reads YAML 1.2, where these are strings; YAML 1.1 readers (PyYAML, many editor
    /// plugins, CI tools, older Rasa helpers) read `yes`/`on`/`y` as `true` and `no`/`off`/
    /// `n` as `false`. The same domain then means different things to different tools, and
    /// a script that rewrites it can silently turn the intent `yes` into `true`.
    ///
    /// ## Example
    /// ```yaml
    /// intents:
    ///   - yes          # write "yes"
    /// ```
    pub struct YamlBooleanTrap {
        code: "RL407",
        name: "yaml-boolean-trap",
        severity: Warning,
        summary: "an unquoted yes/no/on/off/y/n that YAML 1.1 reads as a boolean",
    }
}

const YAML_1_1_BOOLEANS: &[&str] = &["yes", "no", "on", "off", "y", "n"];

impl Rule for YamlBooleanTrap {
    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        for (file, domain) in project.domain_files() {
            let text = &project.file(file).text;
            let names = domain
                .intents
                .iter()
                .map(|i| &i.name)
                .chain(&domain.entities)
                .chain(domain.slots.iter().map(|s| &s.name))
                .chain(domain.slots.iter().flat_map(|s| &s.values))
                .chain(&domain.actions)
                .chain(&domain.forms)
                .chain(domain.responses.iter().map(|r| &r.name));
            for name in names.filter(|n| is_trap(text, n)) {
                out.push(report(file, name, text));
            }
        }
    }
}

/// Whether `name` is written unquoted and is one of YAML 1.1's boolean words.
fn is_trap(text: &str, name: &Name) -> bool {
    let written = text.get(name.span.clone()).unwrap_or_default();
    let quoted =
        name.span.start > 0 && matches!(text.as_bytes()[name.span.start - 1], b'"' | b'\'');
    !quoted
        && YAML_1_1_BOOLEANS
            .iter()
            .any(|b| written.eq_ignore_ascii_case(b))
}

fn report(file: FileId, name: &Name, text: &str) -> Diagnostic {
    let written = &text[name.span.clone()];
    Diagnostic::new(
        &YamlBooleanTrap::META,
        file,
        name.span.clone(),
        format!("unquoted `{written}` is a boolean to YAML 1.1 readers"),
    )
    .with_label("quote it")
    .with_help(format!(
        "write \"{written}\": Rasa reads the string either way, other YAML tools then agree"
    ))
}
