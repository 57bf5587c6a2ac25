//! What the reader targets share: the input as text, and the promise every reader makes
//! about the places it reports.

// Each target uses only some of these.
#![allow(dead_code)]

use rasalint::load::Role;
use rasalint::source::FileId;
use rasalint::syntax::problem::Problem;

/// The fuzzer's bytes as the text a reader is given: a file that is not UTF-8 never
/// reaches a reader (the loader reports it), so invalid bytes become U+FFFD.
pub fn text(data: &[u8]) -> String {
    String::from_utf8_lossy(data).into_owned()
}

/// Every span a reader reports lies inside its file and on character boundaries: the
/// renderers slice the text there and `--fix` edits it.
pub fn assert_spans(text: &str, problems: &[Problem]) {
    for problem in problems {
        assert_span(text, &problem.span, &problem.message);
        for related in problem.related.iter().filter(|r| r.file == problem.file) {
            assert_span(text, &related.span, &related.message);
        }
        for edit in &problem.fix {
            assert_span(text, &edit.span, &problem.message);
        }
    }
}

fn assert_span(text: &str, span: &std::ops::Range<usize>, message: &str) {
    assert!(
        span.start <= span.end && span.end <= text.len(),
        "span {span:?} outside a text of {} bytes: {message}",
        text.len()
    );
    assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "span {span:?} splits a character: {message}"
    );
}

/// The loader's way in: the reader its role (and, for data, the content) chooses, and its
/// problems as findings.
pub fn load(text: &str, role: Role) {
    let (_parts, findings) = rasalint::load::parse(FileId(0), text, role);
    for finding in &findings {
        assert_span(text, &finding.span, &finding.message);
    }
}
