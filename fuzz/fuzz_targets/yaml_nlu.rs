//! The Rasa 2/3 YAML data reader (classification, one parse, the NLU reader of `nlu` and
//! `responses`); asserts that the spans of the NLU model lie in the file, too.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use rasalint::model::nlu::{LookupElements, NluWarning};
use rasalint::source::FileId;

fuzz_target!(|data: &[u8]| {
    let text = common::text(data);
    let (parts, problems) = rasalint::syntax::yaml_data::read_data(FileId(0), &text, false);
    common::assert_spans(&text, &problems);
    let mut spans = Vec::new();
    if let Some(nlu) = &parts.nlu {
        for s in &nlu.sections {
            spans.extend([&s.header_span, &s.title_span]);
        }
        for e in &nlu.examples {
            spans.push(&e.span);
            for entity in &e.entities {
                spans.extend([&entity.span, &entity.entity_span]);
            }
        }
        spans.extend(nlu.synonyms.iter().map(|s| &s.span));
        spans.extend(nlu.regexes.iter().map(|r| &r.span));
        for l in &nlu.lookups {
            if let LookupElements::List(items) = &l.elements {
                spans.extend(items.iter().map(|(_, s)| s));
            }
        }
        for w in &nlu.warnings {
            if let NluWarning::LineDropped { line, .. } = w {
                spans.push(line);
            }
        }
    }
    for span in spans {
        assert!(
            span.start <= span.end
                && text.is_char_boundary(span.start)
                && text.is_char_boundary(span.end),
            "model span {span:?} outside or inside a character of a {}-byte text",
            text.len()
        );
    }
    common::load(&text, rasalint::load::Role::YamlData { test_stories: false });
});
