//! rasalint: a linter and dataset validator for Rasa chatbot training data.
//!
//! The library reads a bot (discover → parse → model), runs the rules over the immutable
//! model and returns sorted findings. It never prints and never exits: `src/cli` does that.

pub mod cli;
pub mod convert;
pub mod diagnostic;
pub mod discover;
pub mod dump;
pub mod engine;
pub mod fix;
pub mod internal;
pub mod layout;
pub mod load;
pub mod model;
pub mod options;
pub mod progress;
pub mod rasa;
pub mod rule;
pub mod rule_meta;
pub mod rules;
pub mod selection;
pub mod server;
pub mod settings;
pub mod source;
pub mod story_graph;
pub mod style;
pub mod suggest;
pub mod suppress;
pub mod syntax;
#[cfg(test)]
mod test_rng;
pub mod timings;
pub mod yaml;

/// What one run found: the project as read and the findings, sorted.
#[derive(Debug)]
pub struct Report {
    pub project: model::Project,
    pub findings: Vec<diagnostic::Diagnostic>,
    pub timings: timings::Timings,
}

/// Reads the files of `layout`, runs the rules `settings` select, applies inline
/// suppressions and returns the sorted findings (only those in `layout.report_only`, when
/// set).
pub fn check(layout: &layout::Layout, settings: &settings::Settings) -> Report {
    check_observed(layout, settings, &progress::Progress::default())
}

/// [`check`], counting in `progress` how far it has got (for a caller that shows it).
pub fn check_observed(
    layout: &layout::Layout,
    settings: &settings::Settings,
    progress: &progress::Progress,
) -> Report {
    #[cfg(test)]
    internal::panic_if_injected(&format!("check {}", layout.input.root.display()));
    let mut timings = timings::Timings::default();
    let (mut project, parse_findings) = timings.time("read, parse, model", || {
        load::load_observed(&layout.input, progress)
    });
    progress.checking();
    project.options = settings.options.clone();
    if let Some(given) = &settings.rasa_version {
        project.set_rasa(model::version::RasaChoice::detect(
            &project.parts,
            Some(given.clone()),
        ));
    }
    let start = std::time::Instant::now();
    let (findings, rule_times) = engine::check_timed(&project, parse_findings, settings);
    timings.record(
        "rules",
        start.elapsed(),
        Some(format!(
            "{} rules on {} threads",
            rule_times.len(),
            rayon::current_num_threads()
        )),
    );
    timings.record_rules(&rule_times);
    // Internal errors say the run is incomplete: no suppression or path hides them.
    let (internal, findings): (Vec<_>, Vec<_>) = findings
        .into_iter()
        .partition(rules::internal_error::InternalError::is);
    let mut findings = timings.time("suppressions", || {
        suppress::apply(&project, findings, settings)
    });
    if let Some(paths) = &layout.report_only {
        findings.retain(|d| {
            let disk = &project.file(d.file).disk_path;
            paths.iter().any(|p| disk.starts_with(p))
        });
    }
    // After every filter, so that a suppressed or ignored place never hides the others.
    let mut findings = diagnostic::merge_groups(findings);
    if !internal.is_empty() {
        findings.extend(internal);
        engine::sort(&project, &mut findings);
    }
    Report {
        project,
        findings,
        timings,
    }
}
