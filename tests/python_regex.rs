//! rasalint's reading of Python `re` patterns against Python 3.7 itself: the verdicts in
//! fixtures/invalid-regex/verdicts.jsonl were recorded with the oracle venv's Python by
//! make-verdicts.py beside it. RL206 is an error, so a pattern Python compiles must never
//! be called invalid; a pattern Python refuses must be reported with Python's exception,
//! message and position, or not at all (undecided or missed).

use rasalint::syntax::python_regex::{Verdict, check};
use serde_json::Value;

struct Recorded {
    pattern: String,
    /// `None` when Python compiles the pattern.
    error: Option<(String, String, Option<usize>)>,
}

/// The committed verdicts, or those of a larger run named by `RASALINT_REGEX_VERDICTS`
/// (see make-verdicts.py).
fn recorded() -> Vec<Recorded> {
    let committed = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/invalid-regex/verdicts.jsonl"
    );
    let path = std::env::var("RASALINT_REGEX_VERDICTS").unwrap_or(committed.to_string());
    let text = std::fs::read_to_string(&path).expect("the verdict file is readable");
    text.lines()
        .filter(|line| !line.starts_with('#'))
        .map(|line| {
            let row: Vec<Value> = serde_json::from_str(line).expect("a JSON array");
            let text = |i: usize| row[i].as_str().expect("a string").to_string();
            let error = (row.len() > 1).then(|| {
                let position = row[3].as_u64().map(|p| p as usize);
                (text(1), text(2), position)
            });
            Recorded {
                pattern: text(0),
                error,
            }
        })
        .collect()
}

#[test]
fn agrees_with_python_3_7() {
    let rows = recorded();
    assert!(rows.len() > 1000, "the verdict file was read");
    let (mut valid, mut invalid, mut detected, mut undecided, mut missed) = (0, 0, 0, 0, 0);
    let mut disagreements = Vec::new();
    for row in &rows {
        let ours = check(&row.pattern);
        match (&row.error, &ours) {
            (None, Verdict::Invalid(error)) => disagreements.push(format!(
                "{:?}: Python compiles it, rasalint says {:?}",
                row.pattern, error
            )),
            (None, _) => valid += 1,
            (Some(_), Verdict::Undecided(_)) => {
                invalid += 1;
                undecided += 1;
            }
            (Some(_), Verdict::Valid) => {
                invalid += 1;
                missed += 1;
            }
            (Some((exception, message, position)), Verdict::Invalid(error)) => {
                invalid += 1;
                let same = error.exception.python_name() == exception
                    && &error.message == message
                    && error.position == *position;
                if same {
                    detected += 1;
                } else {
                    disagreements.push(format!(
                        "{:?}: Python raises {exception} {message:?} at {position:?}, rasalint says {} {:?} at {:?}",
                        row.pattern,
                        error.exception.python_name(),
                        error.message,
                        error.position
                    ));
                }
            }
        }
    }
    eprintln!(
        "{} patterns: {valid} valid; {invalid} invalid: {detected} detected exactly, {undecided} undecided, {missed} missed",
        rows.len(),
    );
    assert!(
        disagreements.is_empty(),
        "{} disagreements with Python:\n{}",
        disagreements.len(),
        disagreements.join("\n")
    );
}

/// Any text at all, including multi-byte characters and lone backslashes, gets a verdict
/// without a panic.
#[test]
fn never_panics() {
    const PIECES: &[&str] = &[
        "(",
        ")",
        "[",
        "]",
        "{",
        "}",
        "?",
        "*",
        "+",
        "|",
        "\\",
        "^",
        "$",
        "-",
        ",",
        ":",
        "=",
        "!",
        "<",
        ">",
        "#",
        "P",
        "x",
        "i",
        "a",
        "u",
        "L",
        "t",
        "0",
        "1",
        "9",
        " ",
        "\t",
        "é",
        "中",
        "\u{a0}",
        "😀",
        "\u{301}",
        "(?",
        "(?P<",
        "(?(",
        "\\x",
        "\\U",
        "{4294967296}",
    ];
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for _ in 0..200_000 {
        let length = next() % 16;
        let pattern: String = (0..length)
            .map(|_| PIECES[(next() % PIECES.len() as u64) as usize])
            .collect();
        let _ = check(&pattern);
    }
}
