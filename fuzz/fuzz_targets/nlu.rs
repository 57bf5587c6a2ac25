//! The Markdown NLU reader (`## intent:`, `## synonym:`, `## regex:`, `## lookup:`).
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use rasalint::source::FileId;

fuzz_target!(|data: &[u8]| {
    let text = common::text(data);
    let (_nlu, problems) = rasalint::syntax::nlu::parse_nlu(FileId(0), &text);
    common::assert_spans(&text, &problems);
    common::load(&text, rasalint::load::Role::Data);
});
