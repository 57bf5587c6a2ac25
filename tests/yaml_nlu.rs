//! The YAML NLU reader's spans on real bots: every example's span holds the example as
//! written, and every entity's span its annotation, so findings point at the right bytes
//! (the readings themselves are compared with Rasa's by `rasalint dump`, see
//! docs/compat.md).

mod common;

use rasalint::syntax::nlu::char_slice;

/// The Rasa 2/3 bots of ../shared/corpora.
const YAML_BOTS: &[&str] = &[
    "rasa-examples-3.7",
    "form-examples-3x",
    "zh-book-ch07",
    "esn-buddy",
    "rh-recrutement-fr",
    "assistenz-de",
    "scry-bot",
];

#[test]
fn spans_hold_the_examples_of_the_yaml_corpora_skipped_without_shared() {
    let Some(corpora) = common::shared(
        "spans_hold_the_examples_of_the_yaml_corpora_skipped_without_shared",
        "corpora",
    ) else {
        return;
    };
    let (mut examples, mut entities) = (0, 0);
    for bot in YAML_BOTS {
        let report = common::check_bot(&corpora.join(bot), &["RL004"]);
        let project = &report.project;
        for (file, nlu) in project.nlu_files() {
            let source = project.file(file);
            let text = &source.text;
            let path = source.path.display();
            for example in &nlu.examples {
                let written = &text[example.span.clone()];
                if !written.contains('[') {
                    assert_eq!(written, example.text, "{path}: an example's span");
                }
                for entity in &example.entities {
                    let annotation = &text[entity.span.clone()];
                    let annotated = char_slice(&example.text, entity.start, entity.end);
                    assert!(
                        annotation.starts_with('[')
                            && annotation.ends_with([')', '}', ']'])
                            && annotation.contains(annotated)
                            && written.contains(annotation),
                        "{path}: `{annotation}` for `{annotated}` in `{written}`"
                    );
                    entities += 1;
                }
                examples += 1;
            }
        }
        for finding in &report.findings {
            let line = &project.file(finding.file).text[finding.span.clone()];
            assert!(
                !line.contains('\n') && !line.starts_with('-'),
                "{bot}: a dropped line's span: {line:?}"
            );
        }
    }
    assert!(
        examples > 3000 && entities > 500,
        "the corpora were read ({examples} examples, {entities} entities)"
    );
}
