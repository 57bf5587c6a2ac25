use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::{FileKind, FileParts, Project, YamlData};
use crate::rasa::RasaVersion;
use crate::rule::Rule;
use crate::source::FileId;

declare_rule! {
    /// ## What it does
    /// Reports a training-data file that the bot's Rasa version passes over without a
    /// word, so nothing in it is trained:
    ///
    /// - a Markdown file (`## intent:`, stories) in a bot read as Rasa 3, which reads only
    ///   YAML;
    /// - a YAML file with `nlu:`, `stories:` or `rules:` in a bot read as Rasa 1.x, which
    ///   reads only Markdown;
    /// - a YAML file whose `version:` is newer than the release reads (above `"3.1"` for
    ///   Rasa 3.6, above `"2.0"` for 2.8): Rasa warns and reads it as empty;
    /// - a YAML file whose `nlu:`, `responses:`, `stories:` or `rules:` key is written so
    ///   that Rasa's file test misses it. Rasa decides what a file is by looking for a line
    ///   that starts with the key and a colon, so a quoted key (`"nlu":`), a space before
    ///   the colon, a flow mapping (`{nlu: […]}`), or a byte-order mark before a key on the
    ///   first line makes it ignore the whole file.
    ///
    /// ## Why is this bad?
    /// The examples and stories in the file are missing from the trained bot, and neither
    /// `rasa train` nor `rasa data validate` says so.
    ///
    /// ## Example
    /// ```yaml
    /// "nlu":            # Rasa does not see this key: the file is ignored
    /// - intent: greet
    ///   examples: |
    ///     - hi
    /// ```
    pub struct DataFileNotRead {
        code: "RL016",
        name: "data-file-not-read",
        severity: Warning,
        summary: "a training-data file the bot's Rasa version does not read",
    }
}

impl Rule for DataFileNotRead {
    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        let version = project.rasa.version;
        for (index, parts) in project.parts.iter().enumerate() {
            let file = FileId(index as u32);
            let finding = match (&parts.yaml, parts.kind()) {
                (Some(data), _) => yaml_not_read(file, project, parts, data, version),
                (None, Some(kind)) if kind.is_markdown() && !version.reads_markdown_data() => {
                    Some(markdown_in_rasa_3(file, project))
                }
                _ => None,
            };
            out.extend(finding);
        }
    }
}

/// Why a YAML data file is not read, if it is not.
fn yaml_not_read(
    file: FileId,
    project: &Project,
    parts: &FileParts,
    data: &YamlData,
    version: RasaVersion,
) -> Option<Diagnostic> {
    if let Some(key) = &data.hidden_key {
        return Some(hidden_key(file, project, key));
    }
    let is_data = data.has_nlu_key || data.is_stories;
    if is_data && !version.reads_yaml_data() {
        let at = first_line(project, file);
        return Some(
            Diagnostic::new(&DataFileNotRead::META, file, at, "Rasa 1.x reads no YAML training data: this file is ignored")
                .with_help("if the bot is for Rasa 2 or 3, say so: `version: \"3.1\"` in domain.yml, or `--rasa-version 3`; otherwise write the file in Markdown"),
        );
    }
    let key = data.version.as_ref()?;
    if parts.kind() == Some(FileKind::YamlData) && parts.skipped_by(version) {
        let latest = version.latest_format().unwrap_or_default();
        return Some(
            Diagnostic::new(&DataFileNotRead::META, file, key.span.clone(), format!("Rasa {} reads training-data files up to version \"{latest}\" and skips this one as empty", version.release()))
                .with_help(format!("write `version: \"{latest}\"` if the file is meant for Rasa {}", version.release())),
        );
    }
    None
}

fn hidden_key(file: FileId, project: &Project, key: &crate::model::domain::Name) -> Diagnostic {
    let text = &project.file(file).text;
    let (message, help) = if text.starts_with('\u{feff}') && key.span.start <= 4 {
        (
            format!("Rasa ignores this file: the byte-order mark at its start hides the `{}:` key on the first line from Rasa's file test", key.name),
            "save the file as UTF-8 without a byte-order mark, or put `version: \"3.1\"` on the first line".to_string(),
        )
    } else {
        (
            format!(
                "Rasa ignores this file: it finds `{}` only where a line starts with `{}:`",
                key.name, key.name
            ),
            format!(
                "write the key unquoted at the start of its line, directly followed by the colon: `{}:`",
                key.name
            ),
        )
    };
    Diagnostic::new(&DataFileNotRead::META, file, key.span.clone(), message).with_help(help)
}

fn markdown_in_rasa_3(file: FileId, project: &Project) -> Diagnostic {
    let at = first_line(project, file);
    Diagnostic::new(&DataFileNotRead::META, file, at, "Rasa 3 reads no Markdown training data: this file is ignored")
        .with_help("convert it to YAML (Rasa 2.8's `rasa data convert`), or, if the bot is for Rasa 2, say so with `--rasa-version 2`")
}

/// The file's first line, where a finding about the whole file is shown.
fn first_line(project: &Project, file: FileId) -> std::ops::Range<usize> {
    crate::rules::support::first_line(&project.file(file).text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn findings(files: &[(&str, &str)], version: RasaVersion) -> Vec<Diagnostic> {
        crate::rules::support::findings_on_data(&DataFileNotRead, files, version)
    }

    const YAML_STORIES: &str = "stories:\n- story: a\n  steps:\n  - intent: greet\n";
    const MARKDOWN_NLU: &str = "## intent:greet\n- hi\n";

    #[test]
    fn rasa_1_ignores_yaml_data_and_rasa_3_markdown() {
        let files = [("data/s.yml", YAML_STORIES), ("data/nlu.md", MARKDOWN_NLU)];
        let v1 = findings(&files, RasaVersion::V1);
        assert_eq!(v1.len(), 1);
        assert_eq!(v1[0].file, FileId(0));
        assert!(v1[0].message.starts_with("Rasa 1.x reads no YAML"));
        let v3 = findings(&files, RasaVersion::V3);
        assert_eq!(v3.len(), 1);
        assert_eq!(v3[0].file, FileId(1));
        assert!(v3[0].message.starts_with("Rasa 3 reads no Markdown"));
        assert!(findings(&files, RasaVersion::V2).is_empty());
    }

    #[test]
    fn rasa_2_8_skips_a_file_written_for_3() {
        let text = "version: \"3.1\"\nstories: []\n";
        let found = findings(&[("data/s.yml", text)], RasaVersion::V2);
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("up to version \"2.0\""));
        assert!(findings(&[("data/s.yml", text)], RasaVersion::V3).is_empty());
    }
}
