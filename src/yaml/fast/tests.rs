//! The fast reader against the full one: wherever it answers, the same tree, spans
//! included; and it answers for the files Rasa bots are made of.

use std::path::Path;

use super::build as fast;
use crate::test_rng;
use crate::yaml::build::build as full;

/// The fast reader's answer, checked against the full parser's; whether it answered.
fn agrees(text: &str) -> bool {
    let Some(tree) = fast(text) else {
        return false;
    };
    match full(text) {
        Ok(expected) => assert_eq!(tree, expected, "the fast reader differs on {text:?}"),
        Err(error) => {
            panic!("the fast reader read {text:?}, which the full parser refuses: {error}")
        }
    }
    true
}

#[test]
fn reads_the_files_bots_are_made_of() {
    let files = [
        "version: \"3.1\"\nnlu:\n- intent: greet\n  examples: |\n    - hi\n    - hello [Berlin](city)\n\n- intent: bye\n  examples: |\n    - bye\n",
        "version: \"3.1\"\nstories:\n- story: happy path\n  steps:\n  - intent: greet\n    entities:\n    - city: Berlin\n  - slot_was_set:\n    - city: Berlin\n  - action: utter_greet\n  - active_loop: null\n",
        "version: '3.1'\nintents:\n  - greet\n  - bye\nslots:\n  city:\n    type: text\n    influence_conversation: false\n    mappings:\n    - type: from_entity\n      entity: city\nresponses:\n  utter_greet:\n  - text: \"Hi! # not a comment\"\n  - text: Hello there # a comment\nsession_config:\n  session_expiration_time: 60\n  carry_over_slots_to_new_session: true\n",
        "# a comment first\n\nrules:\n- rule: greet\n  steps:\n  - intent: greet\n  - action: utter_greet\n",
    ];
    for text in files {
        assert!(agrees(text), "the fast reader gave up on {text:?}");
    }
}

#[test]
fn leaves_everything_outside_its_subset_to_the_full_parser() {
    let outside = [
        "a: [1, 2]\n",
        "a: {b: 1}\n",
        "a: &x 1\nb: *x\n",
        "a: !!str 1\n",
        "a: >\n  folded\n",
        "a: |2\n   x\n",
        "a: |+\n  x\n\n",
        "a: \"x\\ty\"\n",
        "a: 'it''s'\n",
        "a: b\n  c\n",
        "a:\tb\n",
        "a: b\r\n",
        "a: b",
        "--- \na: b\n",
        "%YAML 1.2\n---\na: b\n",
        "<<: {a: 1}\n",
        "? a\n: b\n",
        "\u{feff}a: b\n",
        "a: b\u{85}c\n",
        "\"a\": b\n",
        "a : b\n",
        "- - a\n",
        "-\n  a: b\n",
        "a:\n  just text\n",
        "a: |\nb: c\n",
        "a: |\n    x\n      \n",
        "a: b: c\n",
        "  a: b\n",
        "",
        "# only a comment\n",
    ];
    for text in outside {
        assert!(
            !agrees(text),
            "the fast reader should leave {text:?} to the full parser"
        );
    }
}

#[test]
fn agrees_with_the_full_parser_on_the_subsets_edges() {
    let cases = [
        "a:\nb: 1\n",
        "a:   \n  # c\nb: 1\n",
        "a: # c\nb:\n",
        "k:\n- x: 1\n  y: \"q\" # c\n-  z\n",
        "k:\n-   x\n-  y: 1\n   z: 2\nl: 3\n",
        "e: |\n    l1\n\n    l2\n\n\nf: |-\n  x\n  y\n\n",
        "e: |\n    l1\n  \n     l2\n# c\nf: 'a b'\n",
        "e: |\n\n  \n    l1\n",
        "e: |-\n    l1\n    # not a comment\n  # a comment\n",
        "- |\n  x\n- |-\n y\n",
        "e:\n  - x\n  -   y\n",
        "- a\n- b: c\n",
        "a: 1_000\nb: 0x1f\nc: -.5\nd: .5e3\ne: true\nf: ~\ng: null\nh: 1e3\ni: 017\n",
        "1: a\ntrue: b\nnull: c\n",
        "a: x:y\nb: http://x.org/a#b\nc: a #b\nd: a#b\ne: [x\n",
        "a: x, y\nb: a]b\nc: a}\n",
        "a: ''\nb: \"\"\nc: \"a 'b'\"\nd: 'a \"b\"'\n",
        "a: -1\nb: -x\nc: ?x\nd: :x\ne: x-\n",
        "über: naïve ✓\n",
        "a:\n  b:\n    c:\n      d: 1\n  e: 2\nf: 3\n",
        "a: 1\na: 2\n",
        "a:\n\n\n  - x\n\n  - y\n\n",
    ];
    for text in cases {
        agrees(text);
    }
}

/// Random documents made of the subset's pieces and of pieces just outside it.
#[test]
fn agrees_with_the_full_parser_on_generated_documents() {
    let mut answered = 0;
    for seed in 1..=4000u64 {
        let text = document(seed);
        if agrees(&text) {
            answered += 1;
        }
    }
    assert!(
        answered > 800,
        "only {answered} of 4000 generated documents were read by the fast reader"
    );
}

fn document(seed: u64) -> String {
    let mut below = test_rng::below(seed);
    let mut out = String::new();
    block(&mut below, &mut out, 0, 3);
    out
}

const KEYS: [&str; 10] = [
    "intent", "examples", "steps", "a b", "x-y", "1", "true", "k:v", "a,b", "ä",
];
/// Scalars the fast reader reads.
const SCALARS: [&str; 17] = [
    "greet",
    "utter_greet",
    "story 1",
    "\"3.1\"",
    "'x'",
    "1",
    "1.5",
    "true",
    "null",
    "~",
    "x # comment",
    "a#b",
    "http://a.b/c",
    "a, b",
    "-1",
    "ü ✓",
    "a ",
];
/// Scalars it leaves to the full parser, or which end its subset nearby.
const ODD_SCALARS: [&str; 8] = [
    "[x]",
    "x: y",
    "- x",
    "\"a\\\"b\"",
    "'it''s'",
    "&a x",
    "{a",
    "x\n  y",
];

/// One of `usual` mostly, one of `odd` once in `one_in`.
fn pick<'a>(
    below: &mut impl FnMut(usize) -> usize,
    usual: &[&'a str],
    odd: &[&'a str],
    one_in: usize,
) -> &'a str {
    if below(one_in) == 0 {
        odd[below(odd.len())]
    } else {
        usual[below(usual.len())]
    }
}

fn block(below: &mut impl FnMut(usize) -> usize, out: &mut String, indent: usize, depth: usize) {
    let pad = " ".repeat(indent);
    let sequence = below(3) == 0;
    for _ in 0..1 + below(4) {
        if below(8) == 0 {
            out.push_str(["\n", "# note\n", "  \n"][below(3)]);
        }
        out.push_str(&pad);
        if sequence {
            out.push_str(["- ", "-  "][below(2)]);
        } else {
            out.push_str(KEYS[below(KEYS.len())]);
            out.push(':');
        }
        value(below, out, indent, depth, sequence);
    }
}

fn value(
    below: &mut impl FnMut(usize) -> usize,
    out: &mut String,
    indent: usize,
    depth: usize,
    in_sequence: bool,
) {
    let lead = if in_sequence { "" } else { " " };
    match below(if depth == 0 { 3 } else { 6 }) {
        0 | 1 => {
            out.push_str(lead);
            out.push_str(pick(below, &SCALARS, &ODD_SCALARS, 12));
            out.push('\n');
        }
        2 => {
            out.push_str(lead);
            out.push_str(pick(below, &["|", "|-"], &["|+", ">", "|2", "| # c"], 12));
            out.push('\n');
            let content = indent + 1 + below(3);
            for _ in 0..1 + below(4) {
                let spaces = match below(16) {
                    0 => 0,
                    1 => content + 1,
                    2 => content + 3,
                    _ => content,
                };
                out.push_str(&" ".repeat(spaces));
                out.push_str(["- hi [x](e)", "", "# hash", "text  "][below(4)]);
                out.push('\n');
            }
        }
        3 if in_sequence => {
            out.push_str("k: v\n");
            out.push_str(&" ".repeat(indent + 2));
            out.push_str("l: w\n");
        }
        _ => {
            out.push('\n');
            let deeper = match below(4) {
                0 if !in_sequence => indent,
                1 => indent + 1,
                _ => indent + 2,
            };
            block(below, out, deeper, depth - 1);
        }
    }
}

/// Every YAML file of the fixtures, and of the corpora beside the project when present.
#[test]
fn agrees_with_the_full_parser_on_every_yaml_file_at_hand() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (read, answered) = check_below(&root.join("fixtures"));
    assert!(
        read > 100 && answered * 2 > read,
        "{answered} of {read} fixture files read fast"
    );
    let corpora = root.join("../shared/corpora");
    if corpora.is_dir() {
        let (read, answered) = check_below(&corpora);
        assert!(
            answered * 2 > read,
            "{answered} of {read} corpus files read fast"
        );
    } else if std::env::var_os("RASALINT_REQUIRE_SHARED").is_some() {
        panic!("../shared/corpora is required (RASALINT_REQUIRE_SHARED) but missing");
    } else {
        // Straight to stderr: the harness hides what `eprintln!` prints in a passing test.
        let _ = std::io::Write::write_all(
            &mut std::io::stderr(),
            b"\nSKIPPED the fast YAML reader on the corpora: ../shared/corpora is not beside the project\n",
        );
    }
}

/// The YAML files below `dir` checked, and how many the fast reader answered for.
fn check_below(dir: &Path) -> (usize, usize) {
    let (mut read, mut answered) = (0, 0);
    for entry in walkdir::WalkDir::new(dir).into_iter().flatten() {
        let path = entry.path();
        let yaml = path.extension().is_some_and(|e| e == "yml" || e == "yaml");
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        if yaml && entry.file_type().is_file() {
            read += 1;
            answered += usize::from(agrees(&text));
        }
    }
    (read, answered)
}
