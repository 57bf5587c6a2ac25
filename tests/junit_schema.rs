//! The JUnit report against the constraints of `junit-10.xsd`, the schema Jenkins' xUnit
//! plugin validates reports with (jenkinsci/xunit-plugin,
//! `src/main/resources/org/jenkinsci/plugins/xunit/types/model/xsd/junit-10.xsd`), as read
//! from it: the elements allowed, each one's attributes (required and optional) and
//! children, and which may hold text. The schema itself is not part of the repository.

mod common;

use std::collections::HashMap;
use std::path::Path;

use common::{fixtures, rasalint};
use quick_xml::events::Event;

/// An element of the schema: its required and optional attributes, the elements it may
/// hold, and whether it may hold text (`mixed` or a string type).
struct Element {
    required: &'static [&'static str],
    optional: &'static [&'static str],
    children: &'static [&'static str],
    text: bool,
}

const OUTCOME: Element = Element {
    required: &[],
    optional: &["type", "message"],
    children: &[],
    text: true,
};

const RERUN: Element = Element {
    required: &["type"],
    optional: &["message"],
    children: &["stackTrace", "system-out", "system-err"],
    text: true,
};

const STRING: Element = Element {
    required: &[],
    optional: &[],
    children: &[],
    text: true,
};

fn schema() -> HashMap<&'static str, Element> {
    HashMap::from([
        (
            "testsuites",
            Element {
                required: &[],
                optional: &["name", "time", "tests", "failures", "errors"],
                children: &["testsuite"],
                text: false,
            },
        ),
        (
            "testsuite",
            Element {
                required: &["name", "tests", "failures", "errors"],
                optional: &[
                    "group",
                    "time",
                    "skipped",
                    "timestamp",
                    "hostname",
                    "id",
                    "package",
                    "file",
                    "log",
                    "url",
                ],
                children: &[
                    "testsuite",
                    "properties",
                    "testcase",
                    "system-out",
                    "system-err",
                ],
                text: false,
            },
        ),
        (
            "testcase",
            Element {
                required: &["name"],
                optional: &["time", "classname", "group"],
                children: &[
                    "skipped",
                    "error",
                    "failure",
                    "rerunFailure",
                    "rerunError",
                    "flakyFailure",
                    "flakyError",
                    "system-out",
                    "system-err",
                ],
                text: false,
            },
        ),
        ("failure", OUTCOME),
        ("error", OUTCOME),
        ("skipped", OUTCOME),
        (
            "properties",
            Element {
                required: &[],
                optional: &[],
                children: &["property"],
                text: false,
            },
        ),
        (
            "property",
            Element {
                required: &["name", "value"],
                optional: &[],
                children: &[],
                text: false,
            },
        ),
        ("system-out", STRING),
        ("system-err", STRING),
        ("stackTrace", STRING),
        ("rerunFailure", RERUN),
        ("rerunError", RERUN),
        ("flakyFailure", RERUN),
        ("flakyError", RERUN),
    ])
}

/// Every way `xml` breaks the schema's constraints (none: valid as far as they go), and
/// the names of its test cases.
fn violations(xml: &str) -> (Vec<String>, Vec<String>) {
    let schema = schema();
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut open: Vec<String> = Vec::new();
    let (mut wrong, mut cases) = (Vec::new(), Vec::new());
    let mut roots = 0;
    loop {
        let event = reader.read_event().expect("the report is well-formed XML");
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let name = e.name().as_ref().to_string();
                match open.last() {
                    None => {
                        roots += 1;
                        if name != "testsuites" && name != "testsuite" {
                            wrong.push(format!("root element <{name}>"));
                        }
                    }
                    Some(parent) => {
                        if !schema[parent.as_str()].children.contains(&name.as_str()) {
                            wrong.push(format!("<{name}> in <{parent}>"));
                        }
                    }
                }
                let Some(element) = schema.get(name.as_str()) else {
                    wrong.push(format!("unknown element <{name}>"));
                    break;
                };
                let mut attributes = HashMap::new();
                for attribute in e.attributes() {
                    let attribute = attribute.expect("a well-formed attribute");
                    let key = attribute.key.as_ref().to_string();
                    let value = attribute
                        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .expect("a value")
                        .into_owned();
                    if !element.required.contains(&key.as_str())
                        && !element.optional.contains(&key.as_str())
                    {
                        wrong.push(format!("attribute {key} on <{name}>"));
                    }
                    attributes.insert(key, value);
                }
                for required in element.required {
                    if !attributes.contains_key(*required) {
                        wrong.push(format!("<{name}> without {required}"));
                    }
                }
                if name == "testcase" {
                    cases.push(attributes.remove("name").unwrap_or_default());
                }
                if matches!(event, Event::Start(_)) {
                    open.push(name);
                }
            }
            Event::End(_) => {
                open.pop();
            }
            Event::Text(ref t) => {
                let text = t.xml10_content();
                let parent = open.last().map(String::as_str);
                let holds_text = parent.is_some_and(|p| schema[p].text);
                if !text.trim().is_empty() && !holds_text {
                    wrong.push(format!("text in <{}>", parent.unwrap_or("(none)")));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if roots != 1 {
        wrong.push(format!("{roots} root elements"));
    }
    (wrong, cases)
}

fn junit(dir: &Path, args: &[&str]) -> String {
    let mut all = vec!["check", "--output-format", "junit"];
    all.extend_from_slice(args);
    let output = rasalint(dir, &all);
    String::from_utf8(output.stdout).expect("UTF-8")
}

#[test]
fn the_checker_finds_what_the_schema_refuses() {
    // What rasalint wrote before: `file` and `line` on a case, `skipped` on the suites.
    let old = r#"<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="rasalint" tests="1" failures="1" errors="0" skipped="0">
  <testsuite name="rasalint" tests="1" failures="1" errors="0">
    <testcase name="RL101 a.md:1:1" classname="a.md" file="a.md" line="1">
      <failure type="RL101" message="m">a.md:1:1: error[RL101] m</failure>
    </testcase>
  </testsuite>
</testsuites>
"#;
    let (wrong, _) = violations(old);
    assert_eq!(
        wrong,
        [
            "attribute skipped on <testsuites>",
            "attribute file on <testcase>",
            "attribute line on <testcase>"
        ]
    );
    let (wrong, _) = violations("<testsuite><testcase/>text<failure/></testsuite>");
    assert_eq!(
        wrong,
        [
            "<testsuite> without name",
            "<testsuite> without tests",
            "<testsuite> without failures",
            "<testsuite> without errors",
            "<testcase> without name",
            "text in <testsuite>",
            "<failure> in <testsuite>"
        ]
    );
}

#[test]
fn junit_reports_keep_to_the_schema_jenkins_validates_with() {
    let example = fixtures().join("example-bot");
    let clean = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(clean.path().join("data")).unwrap();
    std::fs::write(clean.path().join("domain.yml"), "intents:\n- greet\n").unwrap();
    std::fs::write(
        clean.path().join("data/nlu.md"),
        "## intent:greet\n- hi\n- hello\n",
    )
    .unwrap();
    for (dir, args) in [
        (example.as_path(), &[][..]),
        (example.as_path(), &["--fail-on-warnings"][..]),
        (clean.path(), &[][..]),
    ] {
        let xml = junit(dir, args);
        let (wrong, cases) = violations(&xml);
        assert_eq!(wrong, Vec::<String>::new(), "{xml}");
        assert!(!cases.is_empty(), "{xml}");
        // GitLab keeps one case of a name: every name is unique.
        let unique: std::collections::HashSet<&String> = cases.iter().collect();
        assert_eq!(unique.len(), cases.len(), "{cases:?}");
    }
}
