//! The Markdown responses (NLG) reader.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use rasalint::source::FileId;

fuzz_target!(|data: &[u8]| {
    let text = common::text(data);
    let (_responses, problems) = rasalint::syntax::responses::parse_responses(FileId(0), &text);
    common::assert_spans(&text, &problems);
});
