//! What users see on every parser edge case in `fixtures/syntax` (the same files the
//! oracle test compares with Rasa): the syntax findings, one snapshot per folder.

mod common;

use rasalint::cli::render::concise;
use rasalint::load::{Input, Role};
use rasalint::selection::Selection;
use rasalint::settings::Settings;

fn findings_in(folder: &str) -> String {
    let root = common::fixtures().join("syntax");
    let files = rasalint::discover::data_files(&root.join(folder))
        .expect("the fixtures can be listed")
        .into_iter()
        .map(|f| {
            let role = Role::data(&f);
            (f, role)
        })
        .collect();
    let (project, parse_findings) = rasalint::load::load(&Input {
        root,
        files,
        ..Input::default()
    });
    let settings = Settings {
        selection: Selection {
            select: Some(vec!["RL0".to_string()]),
            ..Selection::default()
        },
        ..Settings::default()
    };
    let findings = rasalint::engine::check(&project, parse_findings, &settings);
    concise(&findings, &project.files)
}

#[test]
fn nlu_edge_cases() {
    let out = findings_in("nlu");
    assert!(
        out.contains("error[RL003]")
            && out.contains("error[RL005]")
            && out.contains("warning[RL004]"),
        "{out}"
    );
    insta::assert_snapshot!(out);
}

#[test]
fn story_edge_cases() {
    let out = findings_in("stories");
    assert!(
        out.contains("error[RL006]")
            && out.contains("error[RL007]")
            && out.contains("error[RL013]"),
        "{out}"
    );
    insta::assert_snapshot!(out);
}

#[test]
fn responses_edge_cases() {
    let out = findings_in("responses");
    assert!(out.contains("[RL006]"), "{out}");
    insta::assert_snapshot!(out);
}
