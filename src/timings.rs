//! How long each phase of a run took (`rasalint check --timings`), so a slow phase is
//! visible to users and not only to the benchmark.

use std::time::{Duration, Instant};

use crate::rule_meta::RuleMeta;

/// One measured phase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phase {
    pub name: String,
    pub duration: Duration,
    /// What the duration means when it is not wall time (e.g. summed over threads).
    pub note: Option<String>,
}

/// How many of the slowest rules `--timings` names.
const SLOWEST_RULES_SHOWN: usize = 5;

/// Phases in the order they ran.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Timings {
    pub phases: Vec<Phase>,
}

impl Timings {
    /// Runs `work` and records its wall time as `name`.
    pub fn time<T>(&mut self, name: &str, work: impl FnOnce() -> T) -> T {
        let start = Instant::now();
        let result = work();
        self.record(name, start.elapsed(), None);
        result
    }

    pub fn record(&mut self, name: &str, duration: Duration, note: Option<String>) {
        self.phases.push(Phase {
            name: name.to_string(),
            duration,
            note,
        });
    }

    /// The phases as a small table, one per line.
    /// Each rule family's CPU time and the slowest rules (`durations`: each rule's CPU
    /// time on its thread).
    pub fn record_rules(&mut self, durations: &[(&'static RuleMeta, Duration)]) {
        for family in ["RL0", "RL1", "RL2", "RL3", "RL4", "RL5", "RL9"] {
            let in_family = durations
                .iter()
                .filter(|(meta, _)| meta.code.starts_with(family));
            let (count, total) =
                in_family.fold((0, Duration::ZERO), |(n, t), (_, d)| (n + 1, t + *d));
            if count > 0 {
                let rules = if count == 1 { "rule" } else { "rules" };
                self.record(
                    &format!("  {family}xx"),
                    total,
                    Some(format!("{count} {rules}, CPU time")),
                );
            }
        }
        let mut slowest: Vec<_> = durations.iter().collect();
        slowest.sort_by_key(|(_, duration)| std::cmp::Reverse(*duration));
        for (meta, duration) in slowest.into_iter().take(SLOWEST_RULES_SHOWN) {
            self.record(
                &format!("  slowest: {} {}", meta.code, meta.name),
                *duration,
                Some("CPU time".to_string()),
            );
        }
    }

    pub fn render(&self, total: Duration) -> String {
        let mut out = String::from("timings:\n");
        let width = self
            .phases
            .iter()
            .map(|p| p.name.chars().count())
            .max()
            .unwrap_or(0)
            .max(22);
        for phase in &self.phases {
            let note = phase
                .note
                .as_deref()
                .map(|n| format!("  ({n})"))
                .unwrap_or_default();
            out.push_str(&format!(
                "  {:<width$} {:>9.3} ms{note}\n",
                phase.name,
                ms(phase.duration)
            ));
        }
        out.push_str(&format!("  {:<width$} {:>9.3} ms\n", "total", ms(total)));
        out
    }
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e3
}
