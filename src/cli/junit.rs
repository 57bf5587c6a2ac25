//! JUnit XML, the test report format GitLab (`artifacts:reports:junit`, shown in merge
//! requests) and Jenkins read.
//!
//! A check is not a test run, so the mapping is this: each file read is a test case that
//! passes when it has no finding; each finding is a test case of its own, named by rule and
//! place, that fails when the finding fails the run (an error, or a warning with
//! `--fail-on-warnings`) and is skipped otherwise, so warnings are listed without turning
//! the report red. Clean files are listed, so a clean bot shows as passing tests, not as
//! none.
//!
//! One report serves both consumers, as neither needs more than the other allows:
//!
//! - Jenkins' xUnit plugin validates reports against its strictest schema, `junit-10.xsd`:
//!   a `testcase` may have only `name`, `classname`, `time` and `group`, and `testsuites`
//!   no `skipped` count (`testsuite` has one). So the place of a finding is in the case's
//!   name (`RL101 data/nlu.md:12:3`), its file in `classname`, and no `file` or `line`
//!   attribute is written.
//! - GitLab keys a case by `classname` and `name` (a repeated name is dropped, so names
//!   are made unique), shows `classname` as the suite and the failure's text as the
//!   details; it would show a case's `file` too, but needs none, since the name and the
//!   suite already say where the finding is.

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};

use super::render::{path_from, related_lines};
use crate::diagnostic::Diagnostic;
use crate::source::{FileId, SourceFile};

/// The JUnit report of `findings` on `files`; `fails` says which findings fail the run.
pub fn junit(
    findings: &[Diagnostic],
    files: &[SourceFile],
    fails: &dyn Fn(&Diagnostic) -> bool,
) -> String {
    let with_findings: std::collections::HashSet<FileId> =
        findings.iter().map(|d| d.file).collect();
    let clean: Vec<&SourceFile> = files
        .iter()
        .enumerate()
        .filter(|(i, _)| !with_findings.contains(&FileId(*i as u32)))
        .map(|(_, f)| f)
        .collect();
    let failures = findings.iter().filter(|d| fails(d)).count();
    let counts = [
        ("tests", (clean.len() + findings.len()).to_string()),
        ("failures", failures.to_string()),
        ("errors", "0".to_string()),
    ];
    // Only a suite has a count of skipped cases in junit-10.xsd.
    let skipped = (findings.len() - failures).to_string();
    let mut names = Names::default();
    let mut writer = Writer::new_with_indent(Vec::new(), b' ', 2);
    let written: std::io::Result<()> = (|| {
        writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        let attributes = || counts.iter().map(|(k, v)| (*k, v.as_str()));
        writer
            .create_element("testsuites")
            .with_attribute(("name", "rasalint"))
            .with_attributes(attributes())
            .write_inner_content(|w| {
                w.create_element("testsuite")
                    .with_attribute(("name", "rasalint"))
                    .with_attributes(attributes())
                    .with_attribute(("skipped", skipped.as_str()))
                    .write_inner_content(|w| {
                        for file in &clean {
                            let path = xml_safe(&path_from(None, file));
                            w.create_element("testcase")
                                .with_attribute(("name", names.unique(path.clone()).as_str()))
                                .with_attribute(("classname", path.as_str()))
                                .write_empty()?;
                        }
                        for finding in findings {
                            write_finding(w, finding, files, fails(finding), &mut names)?;
                        }
                        Ok(())
                    })?;
                Ok(())
            })?;
        Ok(())
    })();
    written.expect("writing to memory cannot fail");
    let mut xml = String::from_utf8(writer.into_inner()).expect("the report is UTF-8");
    xml.push('\n');
    xml
}

/// One finding's test case: `RL101 data/nlu.md:12:3`, failed or skipped, with the finding
/// as the concise format shows it, the places related to it (one line each), and its help.
fn write_finding(
    w: &mut Writer<Vec<u8>>,
    finding: &Diagnostic,
    files: &[SourceFile],
    fails: bool,
    names: &mut Names,
) -> std::io::Result<()> {
    let file = &files[finding.file.index()];
    let path = xml_safe(&path_from(None, file));
    let at = file.line_col(finding.span.start);
    let name = format!("{} {path}:{}:{}", finding.rule.code, at.line, at.column);
    let mut details = format!(
        "{path}:{}:{}: {}[{}] {}",
        at.line,
        at.column,
        finding.severity.as_str(),
        finding.rule.code,
        finding.message
    );
    for line in related_lines(finding, files, None, usize::MAX) {
        details.push('\n');
        details += &line;
    }
    if let Some(help) = &finding.help {
        details.push_str(&format!("\nhelp: {help}"));
    }
    let (name, details) = (names.unique(xml_safe(&name)), xml_safe(&details));
    let message = xml_safe(&finding.message);
    let outcome = if fails { "failure" } else { "skipped" };
    w.create_element("testcase")
        .with_attribute(("name", name.as_str()))
        .with_attribute(("classname", path.as_str()))
        .write_inner_content(|w| {
            w.create_element(outcome)
                .with_attribute(("type", finding.rule.code))
                .with_attribute(("message", message.as_str()))
                .write_text_content(BytesText::new(&details))?;
            Ok(())
        })?;
    Ok(())
}

/// The test case names given so far, to keep each unique: GitLab keeps only the first
/// case of a name (two findings of one rule at one place would be one).
#[derive(Default)]
struct Names(std::collections::HashMap<String, usize>);

impl Names {
    /// `name`, or `name (2)`, `name (3)`… when it was given before.
    fn unique(&mut self, name: String) -> String {
        // By name, how many cases were named after it so far.
        let mut repeats = self.0.get(&name).copied().unwrap_or(0);
        let mut given = name.clone();
        while self.0.contains_key(&given) {
            repeats += 1;
            given = format!("{name} ({})", repeats + 1);
        }
        self.0.insert(name.clone(), repeats);
        self.0.entry(given.clone()).or_insert(0);
        given
    }
}

/// `text` with every character XML 1.0 cannot hold (even escaped: most C0 controls,
/// U+FFFE, U+FFFF, lone surrogates cannot occur in Rust strings) shown as `\u{…}`, as
/// findings show other invisible characters. A file name or a quoted line can hold them.
fn xml_safe(text: &str) -> String {
    let allowed = |c: char| {
        matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}')
            || c >= '\u{10000}'
    };
    text.chars()
        .map(|c| {
            if allowed(c) {
                c.to_string()
            } else {
                c.escape_unicode().to_string()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_names_are_numbered() {
        let mut names = Names::default();
        let given: Vec<String> = ["a", "b", "a", "a (2)", "a"]
            .into_iter()
            .map(|n| names.unique(n.to_string()))
            .collect();
        assert_eq!(given, ["a", "b", "a (2)", "a (2) (2)", "a (3)"]);
    }

    #[test]
    fn characters_xml_cannot_hold_are_escaped_visibly() {
        assert_eq!(
            xml_safe("a\u{1}b\u{FFFF}c\u{FFFE}"),
            "a\\u{1}b\\u{ffff}c\\u{fffe}"
        );
        let kept = "tab\t é 😀 \u{FFFD} <&\"";
        assert_eq!(xml_safe(kept), kept);
    }
}
