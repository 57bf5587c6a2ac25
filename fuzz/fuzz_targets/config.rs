//! The reader of Rasa's `config.yml` (pipeline and policies).
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use rasalint::source::FileId;

fuzz_target!(|data: &[u8]| {
    let text = common::text(data);
    let (_config, problems) = rasalint::syntax::config::parse_config(FileId(0), &text);
    common::assert_spans(&text, &problems);
});
