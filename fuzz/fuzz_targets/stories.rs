//! The Markdown stories reader, and the story steps Rasa's reader would make of them.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use rasalint::source::FileId;

fuzz_target!(|data: &[u8]| {
    let text = common::text(data);
    let (stories, problems) = rasalint::syntax::stories::parse_stories(FileId(0), &text);
    common::assert_spans(&text, &problems);
    let _steps = rasalint::syntax::rasa_steps::story_steps(&stories);
});
