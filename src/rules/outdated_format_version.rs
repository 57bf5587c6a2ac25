use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Edit};
use crate::model::domain::Name;
use crate::model::{FileKind, Project};
use crate::rasa::FormatVersion;
use crate::rule::Rule;
use crate::source::FileId;

declare_rule! {
    /// ## What it does
    /// Reports a training-data or domain file whose `version:` is lower than the format
    /// of the bot's Rasa release (`"3.1"` for Rasa 3.x), at the value, with a fix that
    /// writes the current one.
    ///
    /// ## Why is this bad?
    /// Rasa 3.6 warns on every run ("Training data file … has a lower format version
    /// than your Rasa Open Source installation: 2.0 < 3.1. Rasa Open Source will read the
    /// file as a version 3.1 file. Please update your version key to 3.1."), without
    /// saying which line, and it reads the file as the current format anyway: the old
    /// number only says the file was written for a release it is no longer read by.
    /// Rasa 2.8 reads older files silently, so the rule runs on Rasa 3 bots only. The
    /// fix changes nothing Rasa 3 reads (a file Rasa cannot read at all is left alone).
    ///
    /// ## Example
    /// ```yaml
    /// version: "2.0"    # Rasa 3.6 reads it as "3.1" and warns: write `version: "3.1"`
    /// nlu:
    /// - intent: greet
    ///   examples: |
    ///     - hi
    /// ```
    pub struct OutdatedFormatVersion {
        code: "RL021",
        name: "outdated-format-version",
        severity: Warning,
        versions: [V3],
        surfaces: [Yaml],
        summary: "a YAML file's `version:` is older than the bot's Rasa release reads it as",
    }
}

impl Rule for OutdatedFormatVersion {
    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        for (file, key) in checked_versions(project) {
            out.extend(report(project, file, key));
        }
    }
}

/// The `version:` of every file Rasa checks it in: each domain file it reads, and each
/// training-data file it reads that gets past its YAML, schema and loading passes
/// (Rasa checks the version after them).
fn checked_versions(project: &Project) -> impl Iterator<Item = (FileId, &Name)> {
    let domains = project
        .domain_files()
        .filter_map(|(file, domain)| Some((file, domain.version.as_ref()?)));
    let data = project
        .parts
        .iter()
        .enumerate()
        .filter_map(|(index, parts)| {
            let file = FileId(index as u32);
            let data = parts.yaml.as_deref()?;
            let read = parts.kind() == Some(FileKind::YamlData)
                && project.reads(file)
                && (data.is_nlu || data.is_stories)
                && data.hidden_key.is_none()
                && data.rasa_error.is_none()
                && data.crash.is_none()
                && data.late_error.is_none();
            Some((file, data.version.as_ref().filter(|_| read)?))
        });
    domains.chain(data)
}

fn report(project: &Project, file: FileId, key: &Name) -> Option<Diagnostic> {
    let rasa = project.rasa.version;
    let latest = rasa.latest_format()?;
    if rasa.format_version(&key.name) != FormatVersion::Lower {
        return None;
    }
    let release = rasa.release();
    let written = key.name.trim_matches(['"', '\'']);
    let message = format!(
        "format version \"{written}\" is lower than Rasa {release}'s \"{latest}\": Rasa warns and reads the file as \"{latest}\""
    );
    // The span is the value inside the YAML quotes; an unquoted `2.0` is a float, which
    // Rasa's schema refuses, so it never gets here.
    let fix = Edit {
        span: key.span.clone(),
        text: latest.to_string(),
    };
    let finding = Diagnostic::new(
        &OutdatedFormatVersion::META,
        file,
        key.span.clone(),
        message,
    )
    .with_label("older format")
    .with_help(format!(
        "write `version: \"{latest}\"`: the file means the same to Rasa {release}"
    ));
    let safe = project
        .file(file)
        .text
        .get(key.span.clone())
        .is_some_and(|text| text == key.name);
    Some(if safe {
        finding.with_fix(vec![fix])
    } else {
        finding
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rasa::RasaVersion;
    use crate::rules::support::findings_on_data;

    /// The findings on one data file, for a bot read as `version`.
    fn findings(text: &str, version: RasaVersion) -> Vec<Diagnostic> {
        findings_on_data(&OutdatedFormatVersion, &[("data/nlu.yml", text)], version)
    }

    const NLU: &str = "nlu:\n- intent: greet\n  examples: |\n    - hi\n";

    #[test]
    fn a_lower_version_is_reported_at_its_value_with_a_fix() {
        let text = format!("version: \"2.0\"\n{NLU}");
        let found = findings(&text, RasaVersion::V3);
        assert_eq!(found.len(), 1);
        assert_eq!(&text[found[0].span.clone()], "2.0");
        assert_eq!(found[0].fix[0].text, "3.1");
        // Rasa 2.8 reads it silently.
        assert!(findings(&text, RasaVersion::V2).is_empty());
    }

    #[test]
    fn current_newer_and_unreadable_versions_are_not_outdated() {
        for version in ["3.1", "3.1.0", "3.6", "abc"] {
            let text = format!("version: \"{version}\"\n{NLU}");
            assert!(findings(&text, RasaVersion::V3).is_empty(), "{version}");
        }
    }

    #[test]
    fn a_value_written_with_escapes_gets_no_fix() {
        let text = format!("version: \"\\x32.0\"\n{NLU}");
        let found = findings(&text, RasaVersion::V3);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].fix.is_empty());
    }
}
