use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::rule::Rule;

declare_rule! {
    /// ## What it does
    /// Reports a domain without `session_config` (off by default).
    ///
    /// ## Why is this bad?
    /// Rasa 1.x then never ends a session (expiration time 0) and warns about it at every
    /// load; Rasa 2.x silently switches to 60 minutes. Writing it down keeps the behaviour
    /// the same across versions.
    ///
    /// ## Example
    /// ```yaml
    /// session_config:
    ///   session_expiration_time: 60
    ///   carry_over_slots_to_new_session: true
    /// ```
    pub struct MissingSessionConfig {
        code: "RL406",
        name: "missing-session-config",
        severity: Warning,
        enabled_by_default: false,
        summary: "the domain has no session_config",
    }
}

impl Rule for MissingSessionConfig {
    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        let domains: Vec<_> = project
            .domain_files()
            .filter(|(_, d)| d.readable && !d.imported)
            .collect();
        let Some((file, _)) = domains.first() else {
            return;
        };
        if domains.iter().any(|(_, d)| d.session_config.is_some()) {
            return;
        }
        let end = project.file(*file).text.len().min(1);
        out.push(
            Diagnostic::new(&Self::META, *file, 0..end, "the domain has no `session_config`")
                .with_help("add `session_config:` with `session_expiration_time` (minutes) and `carry_over_slots_to_new_session`"),
        );
    }
}
