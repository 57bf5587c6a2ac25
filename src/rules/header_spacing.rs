use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Edit};
use crate::discover::has_nlu_marker;
use crate::model::Project;
use crate::model::nlu::SectionKind;
use crate::rule::Rule;

declare_rule! {
    /// ## What it does
    /// Reports a space after the `:` of an NLU section header (`## synonym: NYC`), and a
    /// story header not written as `## name` with one space (`##story`, `##   story`).
    ///
    /// Markdown files only: YAML files have no `##` headers.
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
    ///
    /// ## Fix
    /// `rasalint check --fix` removes the space in intent headers (Rasa trims it there)
    /// and writes one space after the `#` signs of story headers whose gap is spaces
    /// only. Synonym, regex and lookup headers are only reported: removing the space
    /// changes the name Rasa reads, so review it. A TAB in a story header is part of the
    /// name to Rasa. Neither is `##intent:x` in a story file: with the space, Rasa would
    /// read the whole file as NLU data.
    pub struct HeaderSpacing {
        code: "RL507",
        name: "header-spacing",
        severity: Warning,
        surfaces: [Markdown],
        summary: "spacing around a section or story header",
    }
}

impl Rule for HeaderSpacing {
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
                let diagnostic = Diagnostic::new(
                    &Self::META,
                    file,
                    section.title_span.clone(),
                    format!(
                        "space after `:` in the header of `{}`",
                        section.title.trim()
                    ),
                )
                .with_help(format!("write the header without the space; {kept}"));
                // Only intent names are trimmed by Rasa: elsewhere removing the space
                // changes the name it reads (which is the point, but not a safe fix).
                out.push(if section.kind == SectionKind::Intent {
                    let space = section.title.len() - section.title.trim_start().len();
                    let start = section.title_span.start;
                    diagnostic.with_fix(vec![Edit {
                        span: start..start + space,
                        text: String::new(),
                    }])
                } else {
                    diagnostic
                });
            }
        }
        for (file, stories) in project.markdown_story_files() {
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
                let diagnostic = Diagnostic::new(
                    &Self::META,
                    file,
                    block.header_span.clone(),
                    format!(
                        "story header `{}` is not written `## {}`",
                        header.trim(),
                        block.name
                    ),
                )
                .with_help("put one space between the `#` signs and the story name");
                // Rasa strips `#` and spaces around the name, not TABs: only a gap of
                // spaces can become one space without renaming the story. And `##intent:x`
                // must stay as it is: `## intent:x` would make Rasa read the whole file
                // as NLU data.
                let gap = &after_hashes[..after_hashes.len() - after_hashes.trim_start().len()];
                let hashes = header.len() - after_hashes.len();
                let fixed = format!("{} {}", &header[..hashes], after_hashes.trim_start());
                let start = block.header_span.start + hashes;
                out.push(
                    if gap.bytes().all(|b| b == b' ') && !has_nlu_marker(&fixed) {
                        diagnostic.with_fix(vec![Edit {
                            span: start..start + gap.len(),
                            text: " ".to_string(),
                        }])
                    } else {
                        diagnostic
                    },
                );
            }
        }
    }
}
