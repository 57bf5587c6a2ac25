//! The domain reader (YAML), for a bot's own domain and an imported one.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use rasalint::load::Role;
use rasalint::source::FileId;

fuzz_target!(|data: &[u8]| {
    let text = common::text(data);
    let (_domain, problems) = rasalint::syntax::domain::parse_domain(FileId(0), &text);
    common::assert_spans(&text, &problems);
    common::load(&text, Role::ImportedDomain);
});
