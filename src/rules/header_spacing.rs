use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::rule::{Rule, RuleMeta};
use crate::syntax::nlu::SectionKind;

declare_rule! {
    /// ## What it does
    /// Reports a space after the `:` of an NLU section header (`## synonym: NYC`), and a
    /// story header not written as `## name` with one space (`##story`, `##   story`).
    ///
    /// ## Why is this bad?
    /// Rasa trims the space for intents but keeps it for synonyms, regex and lookup
    /// names: `## synonym: NYC` maps to the value " NYC" with a leading space, which no
    /// extracted entity equals. For story headers it is only consistency.
    ///
    /// ## Example
    /// ```md
    /// ## synonym: New York
    /// - NYC
    /// ```
    pub struct HeaderSpacing {
        code: "RL507",
        name: "header-spacing",
        severity: Warning,
        summary: "spacing around a section or story header",
    }
}

impl Rule for HeaderSpacing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        for (file, nlu) in project.nlu_files() {
            for section in nlu
                .sections
                .iter()
                .filter(|s| s.title.starts_with(char::is_whitespace))
            {
                let kept = if section.kind == SectionKind::Intent {
                    "Rasa trims it from intent names, but it is easy to copy into synonym, regex and lookup headers, where it is kept"
                } else {
                    "Rasa keeps it: the name starts with a space, which no extracted entity or feature matches"
                };
                out.push(
                    Diagnostic::new(
                        &Self::META,
                        file,
                        section.title_span.clone(),
                        format!(
                            "space after `:` in the header of `{}`",
                            section.title.trim()
                        ),
                    )
                    .with_help(format!("write the header without the space; {kept}")),
                );
            }
        }
        for (file, stories) in project.story_files() {
            let text = &project.file(file).text;
            for block in &stories.blocks {
                let header = &text[block.header_span.clone()];
                let after_hashes = header.trim_start_matches('#');
                let one_space = after_hashes
                    .strip_prefix(' ')
                    .is_some_and(|rest| !rest.starts_with(char::is_whitespace));
                if after_hashes.is_empty() || one_space {
                    continue;
                }
                out.push(
                    Diagnostic::new(
                        &Self::META,
                        file,
                        block.header_span.clone(),
                        format!(
                            "story header `{}` is not written `## {}`",
                            header.trim(),
                            block.name
                        ),
                    )
                    .with_help("put one space between the `#` signs and the story name"),
                );
            }
        }
    }
}
