//! How long each phase of a run took (`rasalint check --timings`), so a slow phase is
//! visible to users and not only to the benchmark.

use std::time::{Duration, Instant};

/// One measured phase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phase {
    pub name: String,
    pub duration: Duration,
    /// What the duration means when it is not wall time (e.g. summed over threads).
    pub note: Option<String>,
}

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
