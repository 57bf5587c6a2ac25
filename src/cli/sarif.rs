//! SARIF 2.1.0, the format code-scanning services read (GitHub's `upload-sarif` action
//! among them): one run of rasalint, the rules it reported, and one result per finding.
//!
//! Lines are 1-based and columns count Unicode characters from 1 (`columnKind`
//! `unicodeCodePoints`); a region's end column is the column just after its last
//! character, as SARIF defines it. Paths are relative URIs against `%SRCROOT%`: relative to
//! the given checkout folder (GitHub's `GITHUB_WORKSPACE`) when the file is inside it, else
//! to the working folder; a file outside both is named by its absolute `file:` URI.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use super::render::{Fingerprints, display_path, path_bytes, relative_path};
use crate::diagnostic::{Diagnostic, Severity};
use crate::load::lexically_normal;
use crate::rule::RuleMeta;
use crate::source::{SourceFile, Span};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Where rasalint's source is published: Cargo.toml's `repository` (empty while it is
/// not set). The tool's `informationUri` and the rules' `helpUri` are made from it, and
/// left out while there is none: no address is made up. Each rule's whole documentation
/// is in the log as its `help`, readable offline.
const PUBLISHED_AT: &str = env!("CARGO_PKG_REPOSITORY");

/// The tool's `informationUri` and a rule's `helpUri` for rasalint published at `base`:
/// the repository itself, and the rules' list (`docs/rules.md`) in it at this version's
/// tag (the `blob/TAG/PATH` form GitHub and GitLab both serve); none without an address.
fn links(base: &str, version: &str) -> (Option<String>, Option<String>) {
    let base = base.trim_end_matches('/');
    if base.is_empty() {
        return (None, None);
    }
    let rules = format!("{base}/blob/v{version}/docs/rules.md");
    (Some(base.to_string()), Some(rules))
}

/// The SARIF log of `findings`, pretty-printed.
pub fn sarif(findings: &[Diagnostic], files: &[SourceFile], checkout: Option<&Path>) -> String {
    let rules: BTreeMap<&str, &RuleMeta> = findings.iter().map(|d| (d.rule.code, d.rule)).collect();
    let rule_index: BTreeMap<&str, usize> = rules
        .keys()
        .enumerate()
        .map(|(i, code)| (*code, i))
        .collect();
    let mut fingerprints = Fingerprints::default();
    let results = findings
        .iter()
        .map(|d| {
            let file = &files[d.file.index()];
            let relative = relative_path(checkout, file);
            let path = display_path(&relative);
            // Unique in the log, and stable while lines move (as for GitLab).
            let fingerprint = fingerprints.of(d, &path);
            let related = d
                .related
                .iter()
                .map(|r| {
                    let other = &files[r.file.index()];
                    let relative = relative_path(checkout, other);
                    let location = Location::new(&relative, other, &r.span);
                    location.with_message(&r.message)
                })
                .collect();
            let message = match &d.help {
                Some(help) => format!("{}\nhelp: {help}", d.message),
                None => d.message.clone(),
            };
            SarifResult {
                rule_id: d.rule.code,
                rule_index: rule_index[d.rule.code],
                level: level(d.severity),
                message: Text { text: message },
                locations: vec![Location::new(&relative, file, &d.span)],
                related_locations: related,
                partial_fingerprints: BTreeMap::from([("rasalint/v1", fingerprint)]),
            }
        })
        .collect();
    let version = env!("CARGO_PKG_VERSION");
    let (information_uri, help_uri) = links(PUBLISHED_AT, version);
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "rasalint",
                    version,
                    information_uri,
                    rules: rules
                        .values()
                        .map(|meta| Rule::new(meta, help_uri.clone()))
                        .collect(),
                },
            },
            column_kind: "unicodeCodePoints",
            results,
        }],
    };
    serde_json::to_string_pretty(&log).expect("a SARIF log serializes to JSON")
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

#[derive(Serialize)]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    column_kind: &'static str,
    results: Vec<SarifResult>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    information_uri: Option<String>,
    rules: Vec<Rule>,
}

/// A rule as code-scanning services show it: the one-line summary, and the rule's
/// documentation as `rasalint rule CODE` prints it (What it does / Why is this bad? /
/// Example) as its help, in text and Markdown (it is both).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: &'static str,
    name: &'static str,
    short_description: Text,
    /// Required by GitHub's code scanning (its SARIF checks, GH2012).
    full_description: Text,
    #[serde(skip_serializing_if = "Option::is_none")]
    help_uri: Option<String>,
    help: Help,
    default_configuration: Configuration,
}

impl Rule {
    fn new(meta: &RuleMeta, help_uri: Option<String>) -> Self {
        let page = super::rule_page(meta);
        Rule {
            id: meta.code,
            name: meta.name,
            short_description: Text {
                text: meta.summary.to_string(),
            },
            full_description: Text {
                text: meta.summary.to_string(),
            },
            help_uri,
            help: Help {
                text: page.clone(),
                markdown: page,
            },
            default_configuration: Configuration {
                level: level(meta.severity),
            },
        }
    }
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location>,
    partial_fingerprints: BTreeMap<&'static str, String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

impl Location {
    fn new(path: &Path, file: &SourceFile, span: &Span) -> Self {
        let (start, end) = (file.line_col(span.start), file.line_col(span.end));
        Location {
            physical_location: PhysicalLocation {
                artifact_location: ArtifactLocation::new(path, &file.disk_path),
                region: Region {
                    start_line: start.line,
                    start_column: start.column,
                    end_line: end.line,
                    end_column: end.column,
                },
            },
            message: None,
        }
    }

    fn with_message(mut self, message: &str) -> Self {
        self.message = Some(Text {
            text: message.to_string(),
        });
        self
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

impl ArtifactLocation {
    /// Relative to the checkout (`%SRCROOT%`); a file outside it (its path absolute, or
    /// leading out with `..`) by its absolute `file:` URI.
    fn new(path: &Path, disk_path: &Path) -> Self {
        let path = path_bytes(path);
        if path.starts_with(b"/") || path.starts_with(b"../") {
            let absolute = path_bytes(&lexically_normal(disk_path));
            return ArtifactLocation {
                uri: format!("file://{}", relative_uri(&absolute)),
                uri_base_id: None,
            };
        }
        ArtifactLocation {
            uri: relative_uri(&path),
            uri_base_id: Some("%SRCROOT%"),
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

/// A `/`-separated path as a URI reference: characters a URI cannot hold (spaces, `%`,
/// `#`, non-ASCII) percent-encoded byte by byte (a name that is not UTF-8 too), the
/// separators kept.
fn relative_uri(path: &[u8]) -> String {
    const KEEP: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'/')
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');
    percent_encoding::percent_encode(path, KEEP).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_made_only_from_a_published_address() {
        assert_eq!(links("", "0.1.0"), (None, None));
        assert_eq!(
            links("https://example.org/rasalint/", "0.2.0"),
            (
                Some("https://example.org/rasalint".into()),
                Some("https://example.org/rasalint/blob/v0.2.0/docs/rules.md".into())
            )
        );
        // None is set in Cargo.toml yet: the log holds no address.
        let log = sarif(&[], &[], None);
        assert_eq!(
            log.contains("informationUri"),
            !PUBLISHED_AT.is_empty(),
            "{log}"
        );
    }

    #[test]
    fn uris_encode_what_a_uri_cannot_hold_and_keep_separators() {
        assert_eq!(relative_uri(b"data/nlu.md"), "data/nlu.md");
        assert_eq!(
            relative_uri("data/my stories #2/é.md".as_bytes()),
            "data/my%20stories%20%232/%C3%A9.md"
        );
        assert_eq!(relative_uri(b"data/caf\xE9.md"), "data/caf%E9.md");
    }
}
