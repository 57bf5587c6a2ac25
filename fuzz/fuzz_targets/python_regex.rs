//! The model of Python 3.7's regex parser (RL206, invalid-regex) that NLU `## regex:`
//! patterns are read with: it must decide every pattern, and point inside it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rasalint::syntax::python_regex::{Verdict, check};

fuzz_target!(|data: &[u8]| {
    let pattern = String::from_utf8_lossy(data);
    if let Verdict::Invalid(error) = check(&pattern) {
        let chars = pattern.chars().count();
        assert!(
            error.at.start <= error.at.end && error.at.end <= chars,
            "characters {:?} outside a pattern of {chars}: {}",
            error.at,
            error.python_text()
        );
        assert!(error.position.is_none_or(|p| p <= chars));
    }
});
