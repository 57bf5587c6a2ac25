use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::model::domain::{Refusal, RefusalOutcome, VersionRefusal};
use crate::model::domain_build::{DomainError, build_files};
use crate::rasa::RasaVersion;
use crate::rule::Rule;
use crate::source::FileId;

declare_rule! {
    /// ## What it does
    /// Reports a domain that Rasa refuses, or reads as empty, in the bot's Rasa version:
    ///
    /// - a domain that declares nothing: no intents, entities, slots, responses, actions
    ///   or forms;
    /// - Rasa 1.10: a domain file that breaks its domain schema, at each place that
    ///   breaks it. Rasa then logs "Loading domain from '…' failed. Using empty domain."
    ///   and goes on with an empty domain. The usual cause is a Rasa 2.x domain in a 1.x
    ///   bot: entities with `roles:` or `groups:`, `forms:` as a mapping of required
    ///   slots. An empty `responses:` or `slots:` key is refused too (a null is no
    ///   mapping), as are names written as numbers or booleans;
    /// - Rasa 2.8 and 3.6: every place that breaks their domain schema (which stops
    ///   `rasa train` and `rasa data validate`), a `version:` newer than the release reads
    ///   (the file is skipped), and the first error building the domain stops at: a
    ///   Python error (which stops Rasa), or an invalid domain (duplicate names, an intent
    ///   or entity followed by `:` and nothing, a slot mapping without its `entity` or
    ///   `value`, …; Rasa then goes on with an empty domain). A Rasa 2 domain read by
    ///   Rasa 3 (slots without `mappings`, forms listing their slots' mappings, `auto_fill`,
    ///   `type: unfeaturized`) and a Rasa 3 domain read by Rasa 2 are told what to change;
    /// - a domain folder (`--domain FOLDER`, or a bot's `domain/` folder) from which the
    ///   bot's Rasa reads no file (Rasa 1.10 reads the files named `domain.yml`, Rasa 2
    ///   and 3 those with a top-level domain key), files of it that Rasa 2 and 3 skip
    ///   because their YAML cannot be read, and the errors of the merged domain (an
    ///   action declared in two files).
    ///
    /// Which shapes each version refuses was checked one by one with Rasa's own loading
    /// code (1.10.26, 2.8.34, 3.6.21). rasalint's other rules still read such a file as
    /// written.
    ///
    /// ## Why is this bad?
    /// With an empty domain `rasa data validate` fails ("empty domain") without saying
    /// why, and `rasa train` trains a bot that knows no intents, actions or responses; a
    /// domain the schema refuses stops both at once.
    ///
    /// ## Example
    /// ```yaml
    /// version: "3.1"
    /// slots:
    ///   city:
    ///     type: text        # Rasa 3 requires `mappings:` here
    /// ```
    pub struct EmptyDomain {
        code: "RL409",
        name: "empty-domain",
        severity: Error,
        summary: "a domain Rasa refuses or reads as empty: it declares nothing, or breaks the Rasa version's domain schema or loading",
    }
}

impl Rule for EmptyDomain {
    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        let version = project.rasa.version;
        for (file, domain) in project.domain_files() {
            if version == RasaVersion::V1 {
                out.extend(domain.rasa_refusals.iter().map(|r| refused(file, r)));
            } else {
                // Names declared twice are duplicate-domain-entry's (RL401).
                out.extend(
                    domain
                        .refusals(version)
                        .filter(|r| !r.duplicate_name)
                        .map(|r| refused_by(file, r)),
                );
            }
        }
        folder_findings(project, out);
        let domains: Vec<_> = project.domain_files().collect();
        // A domain that does not parse is reported as such (RL002), not as empty.
        if domains.is_empty()
            || domains
                .iter()
                .any(|(_, d)| !d.readable || !d.is_empty_for(version))
        {
            return;
        }
        let (file, _) = domains[0];
        let end = project.file(file).text.len().min(1);
        out.push(
            Diagnostic::new(&Self::META, file, 0..end, "the domain declares no intents, entities, slots, responses, actions or forms")
                .with_help("Rasa fails validation on an empty domain: check that this is the bot's domain file"),
        );
    }
}

/// A Rasa 2.8 or 3.6 refusal of a domain file read alone.
fn refused_by(file: FileId, refusal: &VersionRefusal) -> Diagnostic {
    let release = refusal.version.release();
    let (verb, consequence) = match refusal.outcome {
        RefusalOutcome::Stops => (
            "refuses",
            "`rasa train` and `rasa data validate` stop at this file".to_owned(),
        ),
        RefusalOutcome::EmptyDomain => (
            "refuses",
            "Rasa logs \"Loading domain from '…' failed. Using empty domain.\": validation fails and training knows no intents or actions".to_owned(),
        ),
        RefusalOutcome::Skipped => (
            "skips",
            "the bot is trained and validated without it".to_owned(),
        ),
    };
    let help = match &refusal.help {
        Some(help) => format!("{help}; as it is, {consequence} ({})", refusal.rasa),
        None => format!("as it is, {consequence} ({})", refusal.rasa),
    };
    Diagnostic::new(
        &EmptyDomain::META,
        file,
        refusal.span.clone(),
        format!(
            "Rasa {release} {verb} this domain file: {}",
            refusal.message
        ),
    )
    .with_label(format!("refused by Rasa {release}"))
    .with_help(help)
}

/// A domain folder's findings: no file of it read by the bot's Rasa, files Rasa 2 and 3
/// skip for their YAML, and the errors of the domain its files merge into.
fn folder_findings(project: &Project, out: &mut Vec<Diagnostic>) {
    let version = project.rasa.version;
    let members: Vec<_> = project.domain_folder_files().collect();
    let Some(&(first, _)) = members.first() else {
        return;
    };
    let read: Vec<_> = members
        .iter()
        .filter(|(_, d)| d.is_read_by(version))
        .copied()
        .collect();
    if read.is_empty() {
        let (message, help) = if version == RasaVersion::V1 {
            (
                "no file of the domain folder is named domain.yml or domain.yaml: Rasa 1.10 reads only those, and trains with an empty domain",
                "name the domain file domain.yml, or name it with `--domain`",
            )
        } else {
            (
                "no file of the domain folder is a domain file: Rasa reads only the YAML files with a top-level `intents`, `entities`, `slots`, `responses`, `actions`, `forms`, `e2e_actions` (or, in Rasa 3, `session_config`) key",
                "check that this is the bot's domain folder",
            )
        };
        out.push(
            Diagnostic::new(
                &EmptyDomain::META,
                first,
                0..project.file(first).text.len().min(1),
                message,
            )
            .with_help(help),
        );
        return;
    }
    if version == RasaVersion::V1 {
        return;
    }
    for (file, domain) in &members {
        let Some(member) = domain
            .folder
            .as_ref()
            .filter(|m| m.yaml_error && !m.is_read_by(version))
        else {
            continue;
        };
        // A syntax error is located by the reader; a repeated key by the refusal, which
        // also says what is wrong there.
        let refusal = domain.refusals(version).next();
        let (span, reason) = match (&member.skipped_for, refusal) {
            (Some((span, reason)), _) => (span.clone(), format!(" ({reason})")),
            (None, Some(refusal)) => (refusal.span.clone(), String::new()),
            (None, None) => (0..project.file(*file).text.len().min(1), String::new()),
        };
        let refused_here = refusal.filter(|_| member.skipped_for.is_none());
        // A file named domain.yml with a syntax error is RL002's.
        if member.skipped_for.is_none() && !domain.readable {
            continue;
        }
        let mut finding = Diagnostic::new(
            &EmptyDomain::META,
            *file,
            span,
            format!(
                "Rasa {} skips this file of the domain folder: its YAML cannot be read{reason}{}",
                version.release(),
                lost(domain)
            ),
        )
        .with_help("Rasa warns \"The file … could not be loaded as domain file\" and builds the domain without it; fix the YAML");
        if let Some(refusal) = refused_here {
            finding = finding.with_label(refusal.message.clone());
        }
        out.push(finding);
    }
    // The files refused alone are reported above; what is left is the merged domain.
    if read.iter().any(|(_, d)| {
        d.refusals(version)
            .any(|r| r.outcome != RefusalOutcome::Skipped)
    }) {
        return;
    }
    if let Some(finding) = merged_domain_error(&read, version) {
        out.push(finding);
    }
}

/// What a skipped file of a domain folder takes out of the domain, for its message.
fn lost(domain: &crate::model::domain::DomainFile) -> String {
    let distinct = |names: Vec<&str>| {
        names
            .into_iter()
            .collect::<rustc_hash::FxHashSet<_>>()
            .len()
    };
    let counts = [
        (
            distinct(
                domain
                    .intents
                    .iter()
                    .map(|i| i.name.name.as_str())
                    .collect(),
            ),
            "intent",
        ),
        (
            distinct(domain.entities.iter().map(|e| e.name.as_str()).collect()),
            "entity",
        ),
        (
            distinct(domain.slots.iter().map(|s| s.name.name.as_str()).collect()),
            "slot",
        ),
        (
            distinct(
                domain
                    .responses
                    .iter()
                    .map(|r| r.name.name.as_str())
                    .collect(),
            ),
            "response",
        ),
        (
            distinct(domain.actions.iter().map(|a| a.name.as_str()).collect()),
            "action",
        ),
        (
            distinct(domain.forms.iter().map(|f| f.name.as_str()).collect()),
            "form",
        ),
    ];
    let parts: Vec<String> = counts
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| match (*n, *what) {
            (1, what) => format!("1 {what}"),
            (n, "entity") => format!("{n} entities"),
            (n, what) => format!("{n} {what}s"),
        })
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!(", so the domain lacks its {}", parts.join(", "))
    }
}

/// The error Rasa stops at building the domain a folder's files merge into.
fn merged_domain_error(
    read: &[(FileId, &crate::model::domain::DomainFile)],
    version: RasaVersion,
) -> Option<Diagnostic> {
    let (file, span, message, rasa, empties) = match build_files(read, version, true) {
        Err(DomainError::Build(error)) => (
            error.file,
            error.span.clone(),
            error.message.clone(),
            format!("{}: {}", error.exception, error.rasa),
            error.empties_the_domain(),
        ),
        Err(DomainError::Merge(error)) => (
            error.at.file,
            error.at.node.span.clone(),
            "the files of the domain folder cannot be merged".to_owned(),
            format!("{}: {}", error.exception, error.rasa),
            false,
        ),
        _ => return None,
    };
    let consequence = if empties {
        "Rasa logs \"Loading domain from '…' failed. Using empty domain.\": validation fails and training knows no intents or actions"
    } else {
        "`rasa train` and `rasa data validate` stop"
    };
    Some(
        Diagnostic::new(
            &EmptyDomain::META,
            file,
            span,
            format!(
                "Rasa {} refuses the domain its folder merges into: {message}",
                version.release()
            ),
        )
        .with_label(format!("refused by Rasa {}", version.release()))
        .with_help(format!("as it is, {consequence} ({rasa})")),
    )
}

fn refused(file: FileId, refusal: &Refusal) -> Diagnostic {
    let key = refusal.key.as_str();
    let reason = refusal.reason.as_str();
    let hint = if reason.contains("a mapping") && key == "entities" {
        "list entities by name (`- city`): roles and groups need Rasa 2.1 or later".to_string()
    } else if reason.contains("a mapping") && key == "forms" {
        "list forms by name (`- booking_form`): in Rasa 1.x a form's required slots are returned by its FormAction's `required_slots`".to_string()
    } else if reason.contains("empty (null), not a mapping") {
        "remove the empty key, or give it entries".to_string()
    } else if reason.contains("not a list") {
        format!("write `{key}` as a list of names")
    } else if reason.contains("not a mapping") {
        format!("write `{key}` as a mapping")
    } else if reason.starts_with("an item") {
        format!(
            "write each item of `{key}` as a name (quote names that YAML reads as numbers or booleans)"
        )
    } else {
        "give the setting a value of that kind".to_string()
    };
    Diagnostic::new(
        &EmptyDomain::META,
        file,
        refusal.span.clone(),
        format!("Rasa 1.10 refuses this domain file: {}", refusal.reason),
    )
    .with_label("not allowed by Rasa 1.10's domain schema")
    .with_help(format!(
        "{hint}; as it is, Rasa logs \"Loading domain from '…' failed. Using empty domain.\" and trains and validates with an empty domain"
    ))
}
