//! A whole check of a bot held in memory: domain, config.yml and training data files read
//! from the input, every rule on (those off by default too), inline suppressions, the safe
//! fixes applied, and the findings drawn in every output format.
//!
//! Input: one byte of drawing options, then the files separated by 0xFF (a byte UTF-8
//! never has): the domain, `config.yml`, then up to eight data files.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use libfuzzer_sys::fuzz_target;
use rasalint::cli::render::{self, GraphicalStyle};
use rasalint::cli::{junit, sarif};
use rasalint::diagnostic::Diagnostic;
use rasalint::layout::Layout;
use rasalint::load::{Input, Role};
use rasalint::selection::Selection;
use rasalint::settings::Settings;
use rasalint::source::SourceFile;

/// At most this many data files: more adds nothing two or three files do not.
const MAX_DATA_FILES: usize = 8;

/// The files of the bot the input describes, read from memory (none of them exists).
fn layout(parts: &[&[u8]]) -> Layout {
    let root = PathBuf::from("/nonexistent-fuzz-bot");
    let mut files = vec![
        (root.join("domain.yml"), Role::Domain),
        (root.join("config.yml"), Role::Config),
    ];
    let data = (0..parts.len().saturating_sub(2).min(MAX_DATA_FILES))
        .map(|i| (root.join(format!("data/file{i}.md")), Role::Data));
    files.extend(data);
    let texts = files
        .iter()
        .zip(parts)
        .map(|((path, _), bytes)| (path.clone(), String::from_utf8_lossy(bytes).into_owned()));
    let input = Input {
        open_documents: Arc::new(texts.collect()),
        root: root.clone(),
        files,
        shown_from: Some(root),
    };
    Layout {
        input,
        report_only: None,
    }
}

/// Every rule, default options.
fn settings(root: &Path) -> Settings {
    Settings {
        selection: Selection {
            select: Some(vec!["RL".to_string()]),
            ..Selection::default()
        },
        base: root.to_path_buf(),
        ..Settings::default()
    }
}

/// The findings in every format the command line writes.
fn render_all(findings: &[Diagnostic], files: &[SourceFile], flags: u8) {
    let style = GraphicalStyle {
        color: flags & 1 != 0,
        unicode: flags & 2 != 0,
        width: usize::from(flags >> 2).max(1) * 4,
    };
    let checkout = (flags & 0x80 != 0).then(|| Path::new("/nonexistent-fuzz-bot"));
    let _ = render::graphical(findings, files, &style);
    let _ = render::concise(findings, files);
    let _ = render::summary(findings, files.len());
    let json = render::json(findings, files);
    assert!(rasalint_json_is_valid(&json), "JSON output is not JSON");
    let _ = render::github(findings, files, checkout);
    let _ = render::gitlab(findings, files, checkout);
    let _ = sarif::sarif(findings, files, checkout);
    let _ = junit::junit(findings, files, flags & 4 != 0);
}

fn rasalint_json_is_valid(text: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(text).is_ok()
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let parts: Vec<&[u8]> = rest.split(|&b| b == 0xFF).collect();
    let layout = layout(&parts);
    let settings = settings(&layout.input.root);
    let report = rasalint::check(&layout, &settings);
    let files = &report.project.files;
    render_all(&report.findings, files, flags);
    let _fixed = rasalint::fix::apply(&report.findings, |file| &report.project.file(file).text);
});
