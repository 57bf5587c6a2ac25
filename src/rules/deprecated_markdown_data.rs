use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::{FileKind, Project};
use crate::rule::Rule;
use crate::rules::support::first_line;
use crate::source::FileId;

declare_rule! {
    /// ## What it does
    /// Reports each Markdown training-data file (NLU, stories, retrieval responses) of a
    /// Rasa 2 bot, once, at its first line.
    ///
    /// ## Why is this bad?
    /// Rasa 2.8 reads it, with a deprecation warning for each file that does not say which
    /// ("NLU data in Markdown format is deprecated and will be removed in Rasa Open Source
    /// 3.0.0. …", "Stories in Markdown format are deprecated …"), and Rasa 3 reads no
    /// Markdown at all (RL016): the bot cannot move on until the file is YAML.
    ///
    /// ## Example
    /// `data/nlu.md` in a bot whose domain says `version: "2.0"`: convert it with
    /// `rasa data convert nlu -f yaml --data data/nlu.md --out data` (Rasa 2.8, which
    /// writes `data/nlu_converted.yml`), then remove it.
    pub struct DeprecatedMarkdownData {
        code: "RL022",
        name: "deprecated-markdown-data",
        severity: Warning,
        versions: [V2],
        surfaces: [Markdown],
        summary: "a Markdown training-data file, which Rasa 2.8 reads with a deprecation warning and Rasa 3 does not read",
    }
}

impl Rule for DeprecatedMarkdownData {
    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        for (index, parts) in project.parts.iter().enumerate() {
            let file = FileId(index as u32);
            let Some(kind) = parts.kind().filter(|k| k.is_markdown()) else {
                continue;
            };
            if !project.reads(file) {
                continue;
            }
            let (what, command) = match kind {
                FileKind::Stories => ("stories", "core"),
                FileKind::Nlg => ("retrieval responses", "nlg"),
                _ => ("NLU data", "nlu"),
            };
            let path = project.file(file).path.to_string_lossy().replace('\\', "/");
            out.push(
                Diagnostic::new(
                    &Self::META,
                    file,
                    first_line(&project.file(file).text),
                    format!("Rasa 2.8 reads {what} in Markdown with a deprecation warning, and Rasa 3 reads no Markdown"),
                )
                .with_help(format!("convert it with Rasa 2.8: `rasa data convert {command} -f yaml --data {path} --out <folder>` writes it as YAML; then remove the Markdown file")),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rasa::RasaVersion;
    use crate::rules::support::findings_on_data;

    #[test]
    fn each_markdown_data_file_is_reported_once_at_its_first_line() {
        let files = [
            ("data/nlu.md", "## intent:greet\n- hi\n- hello\n"),
            ("data/stories.md", "## s\n* greet\n  - utter_hi\n"),
            (
                "data/rules.yml",
                "version: \"2.0\"\nrules:\n- rule: r\n  steps:\n  - intent: greet\n  - action: utter_hi\n",
            ),
        ];
        let found = findings_on_data(&DeprecatedMarkdownData, &files, RasaVersion::V2);
        let at: Vec<(u32, &str)> = found
            .iter()
            .map(|d| (d.file.0, &files[d.file.index()].1[d.span.clone()]))
            .collect();
        assert_eq!(at, [(0, "## intent:greet"), (1, "## s")]);
        assert!(found[1].message.contains("stories in Markdown"));
        assert!(
            found[1]
                .help
                .as_deref()
                .unwrap_or_default()
                .contains("rasa data convert core")
        );
    }
}
