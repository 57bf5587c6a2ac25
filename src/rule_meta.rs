//! What users see of a rule: its code, name, default severity and documentation. Findings
//! carry a reference to it; the rule interface itself is in [`crate::rule`].

/// How much a finding matters: errors fail the run, warnings only with
/// `--fail-on-warnings`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// What users see of a rule: its public code and name, default severity and documentation.
#[derive(Debug, PartialEq, Eq)]
pub struct RuleMeta {
    /// `RL101`: stable, used in config files, suppressions and CI logs.
    pub code: &'static str,
    /// `nlu-intent-not-in-domain`: accepted wherever a code is.
    pub name: &'static str,
    pub severity: Severity,
    /// Off-by-default rules run only when selected.
    pub enabled_by_default: bool,
    /// Whether the rule takes much longer than the others on a large bot (it analyses the
    /// whole story graph): the engine starts such rules first, so the others fill the
    /// remaining threads around them instead of waiting at the end.
    pub runs_long: bool,
    /// Whether the rule compares the bot against its domain: the engine runs it only when
    /// a domain file could be read (against a missing or broken domain it would report
    /// every name).
    pub needs_domain: bool,
    /// The Rasa versions whose bots the rule checks (all, unless the rule is about a fact
    /// of some versions only); the engine runs it only on a bot read as one of them.
    pub versions: &'static [crate::rasa::RasaVersion],
    /// The Rasa versions whose `rasa data validate` only warns about what an error rule
    /// reports (it fails there only with `--fail-on-warnings`): on a bot read as one of
    /// them the rule's findings are warnings by default, so the exit status agrees with
    /// that version's verdict.
    pub warning_in: &'static [crate::rasa::RasaVersion],
    /// The syntaxes the rule's idea belongs to (both, unless it is about how one is laid
    /// out); the engine keeps only its findings in files written in one of them.
    pub surfaces: &'static [crate::rasa::Surface],
    /// One line for `rasalint rules`.
    pub summary: &'static str,
    /// The rule file's doc comment: What it does / Why is this bad? / Example.
    pub docs: &'static str,
}

impl RuleMeta {
    /// The severity of the rule's findings on a bot read as `version`, unless the
    /// configuration says otherwise.
    pub fn default_severity(&self, version: crate::rasa::RasaVersion) -> Severity {
        if self.warning_in.contains(&version) {
            Severity::Warning
        } else {
            self.severity
        }
    }

    /// "an error; a warning on bots read as Rasa 3.6": the default severity as the rule's
    /// help states it.
    pub fn severity_text(&self) -> String {
        let releases: Vec<&str> = self.warning_in.iter().map(|v| v.release()).collect();
        match releases.is_empty() {
            true => self.severity.as_str().to_string(),
            false => format!(
                "{}; warning on bots read as Rasa {}",
                self.severity.as_str(),
                releases.join(" or ")
            ),
        }
    }

    /// When the engine runs the rule, if not on every bot: "only on bots read as Rasa 1.10;
    /// only when a domain could be read".
    pub fn scope(&self) -> Option<String> {
        let mut limits = Vec::new();
        if self.versions.len() < 3 {
            let releases: Vec<&str> = self.versions.iter().map(|v| v.release()).collect();
            limits.push(format!(
                "only on bots read as Rasa {}",
                releases.join(" or ")
            ));
        }
        if self.surfaces.len() < 2 {
            let names: Vec<&str> = self
                .surfaces
                .iter()
                .map(|s| match s {
                    crate::rasa::Surface::Markdown => "Markdown",
                    crate::rasa::Surface::Yaml => "YAML",
                })
                .collect();
            limits.push(format!("only on {} files", names.join(" or ")));
        }
        if self.needs_domain {
            limits.push("only when a domain could be read".to_string());
        }
        (!limits.is_empty()).then(|| format!("Runs {}.", limits.join("; ")))
    }

    /// The rule's documentation as Markdown: its doc comment without the space each line
    /// of it starts with.
    pub fn documentation(&self) -> String {
        self.docs
            .lines()
            .map(|line| line.strip_prefix(' ').unwrap_or(line))
            .map(|line| format!("{line}\n"))
            .collect()
    }
}
