//! The library's layers import downward only: no two top-level modules import each other,
//! directly or through others; the readers (`syntax`) fill the model's types and know
//! nothing of rules or findings; the model knows no reader. Read from the source (`crate::name` paths outside comments and
//! test modules), so a new upward import fails here, naming the edge.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// What the readers may use: the source files, the spanned YAML tree, the model's types
/// they fill, Rasa's facts and the did-you-mean search.
const SYNTAX_MAY_IMPORT: &[&str] = &["source", "yaml", "model", "rasa", "suggest"];

/// What the model may use: it is read by everything above it and reads nothing but the
/// source files, the YAML tree and Rasa's facts (and, for now, the rules' options).
const MODEL_MAY_IMPORT: &[&str] = &["source", "yaml", "rasa", "options"];

/// Top-level module → the top-level modules it names.
fn import_graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let path_re = regex::Regex::new(r"\$?crate::([a-z_]+)").expect("pattern compiles");
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for entry in walkdir::WalkDir::new(&src)
        .into_iter()
        .filter_map(Result::ok)
    {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let relative = path.strip_prefix(&src).expect("under src");
        let first = relative.components().next().expect("a component");
        let top = first
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_string();
        if top == "lib" || top == "main" {
            continue;
        }
        let text = std::fs::read_to_string(path).expect("source is readable");
        // Test modules may reach anywhere; they come last in a file here.
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        let deps = graph.entry(top.clone()).or_default();
        for line in code.lines() {
            let line = line.split("//").next().unwrap_or_default();
            for found in path_re.captures_iter(line) {
                if found[1] != top {
                    deps.insert(found[1].to_string());
                }
            }
        }
    }
    graph
}

/// A path of imports from `from` back to `from`, if there is one.
fn cycle_through(graph: &BTreeMap<String, BTreeSet<String>>, from: &str) -> Option<Vec<String>> {
    let mut stack = vec![vec![from.to_string()]];
    let mut seen = BTreeSet::new();
    while let Some(path) = stack.pop() {
        let last = path.last().expect("paths are not empty");
        for next in graph.get(last).into_iter().flatten() {
            if next == from {
                let mut cycle = path.clone();
                cycle.push(next.clone());
                return Some(cycle);
            }
            if seen.insert(next.clone()) {
                let mut longer = path.clone();
                longer.push(next.clone());
                stack.push(longer);
            }
        }
    }
    None
}

#[test]
fn no_module_imports_itself_through_others() {
    let graph = import_graph();
    assert!(
        graph.len() > 15,
        "the modules were read: {:?}",
        graph.keys()
    );
    for module in graph.keys() {
        if let Some(cycle) = cycle_through(&graph, module) {
            panic!("import cycle: {}", cycle.join(" -> "));
        }
    }
}

/// The modules `module` imports beyond `allowed`.
fn beyond(module: &str, allowed: &[&str]) -> Vec<String> {
    let graph = import_graph();
    let imports = graph.get(module).expect("the module was read");
    imports
        .iter()
        .filter(|m| !allowed.contains(&m.as_str()))
        .cloned()
        .collect()
}

#[test]
fn readers_import_no_rule_or_finding() {
    assert_eq!(beyond("syntax", SYNTAX_MAY_IMPORT), Vec::<String>::new());
}

#[test]
fn the_model_imports_no_reader() {
    assert_eq!(beyond("model", MODEL_MAY_IMPORT), Vec::<String>::new());
}

#[test]
fn the_cycle_finder_finds_a_cycle() {
    let graph: BTreeMap<String, BTreeSet<String>> = [
        ("a", vec!["b"]),
        ("b", vec!["c"]),
        ("c", vec!["a"]),
        ("d", vec!["a"]),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.into_iter().map(String::from).collect()))
    .collect();
    assert_eq!(
        cycle_through(&graph, "a"),
        Some(
            vec!["a", "b", "c", "a"]
                .into_iter()
                .map(String::from)
                .collect()
        )
    );
    assert_eq!(cycle_through(&graph, "d"), None);
}

/// Rules read the spans the readers recorded: none searches a JSON object's text for a key
/// or a value again (`syntax::json_span` is the readers').
#[test]
fn no_rule_searches_json_text() {
    let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/rules");
    let searching: Vec<String> = walkdir::WalkDir::new(&rules)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| {
            std::fs::read_to_string(e.path()).is_ok_and(|text| text.contains("json_span::"))
        })
        .map(|e| e.path().display().to_string())
        .collect();
    assert_eq!(searching, Vec::<String>::new());
}
