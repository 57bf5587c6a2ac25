//! Running the rules: selection, parallel execution, sorting.

use rayon::prelude::*;

use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::rule::{Rule, RuleMeta};
use crate::rules::ALL;
use crate::rules::internal_error::InternalError;
use crate::settings::Settings;
use crate::timings::{RuleTime, ThreadStopwatch};

/// Finds a rule by exact code or name.
pub fn find_rule(code_or_name: &str) -> Option<&'static dyn Rule> {
    ALL.iter()
        .copied()
        .find(|r| r.meta().code.eq_ignore_ascii_case(code_or_name) || r.meta().name == code_or_name)
}

/// Runs the selected rules over the project (in parallel) and merges their findings with
/// the parsers', keeping only selected rules and files they are not ignored in, at their
/// configured severity, sorted by file, position and code. A rule that panics gives an
/// internal error (RL902) instead of its findings; internal errors are kept whatever the
/// selection and the ignores say.
pub fn check(
    project: &Project,
    parse_findings: Vec<Diagnostic>,
    settings: &Settings,
) -> Vec<Diagnostic> {
    check_timed(project, parse_findings, settings).0
}

/// [`check`], also returning how long each rule took (the CPU time of its thread, where
/// the system gives it).
pub fn check_timed(
    project: &Project,
    parse_findings: Vec<Diagnostic>,
    settings: &Settings,
) -> (Vec<Diagnostic>, Vec<RuleTime>) {
    let selection = &settings.selection;
    let mut rules: Vec<&dyn Rule> = ALL
        .iter()
        .copied()
        .filter(|rule| selection.is_enabled(rule.meta()) && applies(rule.meta(), project))
        .collect();
    // The long rules first, one rule per task: the first thread starts on them at once and
    // the others take the short rules, rather than a long rule starting last.
    rules.sort_by_key(|rule| !rule.meta().runs_long);
    let results: Vec<(Vec<Diagnostic>, RuleTime)> = rules
        .par_iter()
        .with_max_len(1)
        .map(|rule| {
            // A rule runs on one thread, start to end (rules start no parallel work), so
            // that thread's CPU time is the rule's.
            let stopwatch = ThreadStopwatch::start();
            let mut findings = run_contained(*rule, project);
            let surfaces = rule.meta().surfaces;
            findings.retain(|d| surfaces.contains(&project.surface(d.file)));
            let (duration, clock) = stopwatch.stop();
            let time = RuleTime {
                meta: rule.meta(),
                duration,
                clock,
            };
            (findings, time)
        })
        .collect();
    let mut times = Vec::with_capacity(results.len());
    let mut findings = Vec::new();
    for (out, time) in results {
        findings.extend(out);
        times.push(time);
    }
    findings.extend(
        parse_findings
            .into_iter()
            .filter(|d| InternalError::is(d) || selection.is_enabled(d.rule)),
    );
    // Internal errors, of a rule or a reader, are kept whatever the settings say.
    let (internal, mut findings): (Vec<_>, Vec<_>) =
        findings.into_iter().partition(InternalError::is);
    findings.retain(|d| !settings.ignored_in(d.rule, &project.file(d.file).disk_path));
    for finding in &mut findings {
        finding.severity = settings.severity_of(finding.rule, project.rasa.version);
    }
    findings.extend(internal);
    sort(project, &mut findings);
    (findings, times)
}

/// Whether a rule has something to check in this project: rules that compare the bot
/// against its domain need one that could be read, and a rule about some Rasa versions
/// runs only on a bot read as one of them.
fn applies(meta: &RuleMeta, project: &Project) -> bool {
    (!meta.needs_domain || project.domain.present) && meta.versions.contains(&project.rasa.version)
}

/// A rule's findings, or the internal error it panicked with (shown at the domain, or
/// the first file: a rule reads the whole bot). A bot without files has nowhere to show
/// it: the panic goes on, to the caller's containment.
fn run_contained(rule: &dyn Rule, project: &Project) -> Vec<Diagnostic> {
    let meta = rule.meta();
    let mut out = Vec::new();
    let ran = crate::internal::contain(|| {
        #[cfg(test)]
        crate::internal::panic_if_injected(&format!(
            "rule {} in {}",
            meta.code,
            project.root.display()
        ));
        rule.check(project, &mut out);
    });
    let Err(panic) = ran else {
        return out;
    };
    let shown_at = project.domain_files().next().map(|(id, _)| id);
    match shown_at.or((!project.files.is_empty()).then_some(crate::source::FileId(0))) {
        Some(file) => vec![InternalError::in_rule(meta, file, &panic)],
        None => std::panic::resume_unwind(Box::new(format!(
            "rule {} {}: {panic}",
            meta.code, meta.name
        ))),
    }
}

/// Sorts findings by path, position and code, and drops exact repeats.
pub fn sort(project: &Project, findings: &mut Vec<Diagnostic>) {
    findings.sort_by(|a, b| {
        let path = |d: &Diagnostic| &project.file(d.file).path;
        path(a)
            .cmp(path(b))
            .then_with(|| a.sort_key().cmp(&b.sort_key()))
    });
    findings.dedup();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{Role, parse};
    use crate::source::{FileId, SourceFile};

    fn project(files: &[(&str, &str, Role)]) -> (Project, Vec<Diagnostic>) {
        let mut sources = Vec::new();
        let mut parsed = Vec::new();
        let mut findings = Vec::new();
        for (i, (path, text, role)) in files.iter().enumerate() {
            let (tree, found) = parse(FileId(i as u32), text, *role);
            sources.push(SourceFile::new(path.into(), path.into(), text.to_string()));
            parsed.push(tree);
            findings.extend(found);
        }
        (Project::new(".".into(), sources, parsed), findings)
    }

    fn codes(files: &[(&str, &str, Role)]) -> Vec<&'static str> {
        let (project, found) = project(files);
        let settings = Settings {
            selection: crate::selection::Selection {
                select: Some(vec!["RL101".to_string()]),
                ..Default::default()
            },
            ..Settings::default()
        };
        check(&project, found, &settings)
            .iter()
            .map(|d| d.rule.code)
            .collect()
    }

    #[test]
    fn rules_that_need_a_domain_run_only_with_one() {
        let nlu = ("data/nlu.md", "## intent:greet\n- hi\n", Role::Data);
        let domain = ("domain.yml", "intents:\n  - bye\n", Role::Domain);
        assert_eq!(codes(&[nlu, domain]), ["RL101"]);
        assert!(codes(&[nlu]).is_empty());
    }
}
