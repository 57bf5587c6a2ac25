//! rasalint: a linter and dataset validator for Rasa 1.x Markdown training data.
//!
//! The library reads a bot (discover → parse → model), runs the rules over the immutable
//! model and returns sorted findings. It never prints and never exits: `src/cli` does that.

pub mod cli;
pub mod diagnostic;
pub mod discover;
pub mod dump;
pub mod engine;
pub mod layout;
pub mod load;
pub mod model;
pub mod rule;
pub mod rules;
pub mod source;
pub mod syntax;

/// What one run found: the project as read and the findings, sorted.
#[derive(Debug)]
pub struct Report {
    pub project: model::Project,
    pub findings: Vec<diagnostic::Diagnostic>,
}

/// Reads the files of `layout`, runs the rules `settings` select, applies inline
/// suppressions and returns the sorted findings (only those in `layout.report_only`, when
/// set).
pub fn check(layout: &layout::Layout, settings: &settings::Settings) -> Report {
    let (project, parse_findings) = load::load(&layout.input);
    let findings = engine::check(&project, parse_findings, settings);
    let mut findings = suppress::apply(&project, findings, settings);
    if let Some(paths) = &layout.report_only {
        findings.retain(|d| {
            let disk = &project.file(d.file).disk_path;
            paths.iter().any(|p| disk.starts_with(p))
        });
    }
    Report { project, findings }
}
pub mod rasa;
pub mod settings;
pub mod suggest;
pub mod suppress;
