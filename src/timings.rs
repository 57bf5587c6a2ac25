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

/// Which clock measured a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    /// The CPU time of the thread that did the work: what it cost, whatever else ran.
    ThreadCpu,
    /// Wall time, where the system gives no thread CPU time: it grows when other work
    /// takes the CPU.
    Wall,
}

impl Clock {
    /// How `--timings` names the clock.
    pub fn label(self) -> &'static str {
        match self {
            Clock::ThreadCpu => "CPU time",
            Clock::Wall => "wall time",
        }
    }
}

/// A stopwatch for work done on the calling thread alone: started and stopped on the
/// same thread, it reads that thread's CPU time, so other threads and processes on a
/// busy machine do not inflate it; the wall time where the system gives no thread CPU
/// time.
#[derive(Debug)]
pub struct ThreadStopwatch {
    cpu: Option<cpu_time::ThreadTime>,
    wall: Instant,
}

impl ThreadStopwatch {
    pub fn start() -> Self {
        ThreadStopwatch {
            cpu: cpu_time::ThreadTime::try_now().ok(),
            wall: Instant::now(),
        }
    }

    /// The time since [`ThreadStopwatch::start`], and the clock that measured it.
    pub fn stop(self) -> (Duration, Clock) {
        let now = cpu_time::ThreadTime::try_now().ok();
        match (self.cpu, now) {
            (Some(start), Some(now)) => (
                now.as_duration().saturating_sub(start.as_duration()),
                Clock::ThreadCpu,
            ),
            _ => (self.wall.elapsed(), Clock::Wall),
        }
    }
}

/// The time one rule took, by `clock`.
#[derive(Debug, Clone, Copy)]
pub struct RuleTime {
    pub meta: &'static RuleMeta,
    pub duration: Duration,
    pub clock: Clock,
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

    /// Each rule family's time and the slowest rules, each labelled with its clock (a
    /// family's is wall time if any of its rules' is).
    pub fn record_rules(&mut self, times: &[RuleTime]) {
        for family in ["RL0", "RL1", "RL2", "RL3", "RL4", "RL5", "RL9"] {
            let in_family: Vec<&RuleTime> = times
                .iter()
                .filter(|t| t.meta.code.starts_with(family))
                .collect();
            if in_family.is_empty() {
                continue;
            }
            let total = in_family.iter().map(|t| t.duration).sum();
            let clock = match in_family.iter().all(|t| t.clock == Clock::ThreadCpu) {
                true => Clock::ThreadCpu,
                false => Clock::Wall,
            };
            let count = in_family.len();
            let rules = if count == 1 { "rule" } else { "rules" };
            self.record(
                &format!("  {family}xx"),
                total,
                Some(format!("{count} {rules}, {}", clock.label())),
            );
        }
        let mut slowest: Vec<&RuleTime> = times.iter().collect();
        slowest.sort_by_key(|t| std::cmp::Reverse(t.duration));
        for time in slowest.into_iter().take(SLOWEST_RULES_SHOWN) {
            self.record(
                &format!("  slowest: {} {}", time.meta.code, time.meta.name),
                time.duration,
                Some(time.clock.label().to_string()),
            );
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A sleeping thread uses no CPU: the stopwatch does not count the sleep where the
    /// system gives thread CPU time (Linux, macOS, Windows), as a wall clock would.
    #[test]
    fn a_sleep_is_not_counted_as_cpu_time() {
        let stopwatch = ThreadStopwatch::start();
        std::thread::sleep(Duration::from_millis(200));
        let (duration, clock) = stopwatch.stop();
        if clock == Clock::Wall {
            assert!(duration >= Duration::from_millis(200));
            return;
        }
        assert!(duration < Duration::from_millis(100), "{duration:?}");
    }

    /// Work the thread does is counted.
    #[test]
    fn busy_work_is_counted() {
        let stopwatch = ThreadStopwatch::start();
        let started = Instant::now();
        let mut spins = 0u64;
        while started.elapsed() < Duration::from_millis(30) {
            spins = std::hint::black_box(spins + 1);
        }
        let (duration, _) = stopwatch.stop();
        assert!(duration > Duration::ZERO, "{spins} spins");
    }

    /// Each line says which clock measured it: a family is in wall time when one of its
    /// rules was.
    #[test]
    fn rule_lines_name_their_clock() {
        let meta = |code: &str| {
            crate::rules::ALL
                .iter()
                .map(|r| r.meta())
                .find(|m| m.code == code)
                .expect("a rule")
        };
        let time = |code, clock| RuleTime {
            meta: meta(code),
            duration: Duration::from_millis(1),
            clock,
        };
        let mut timings = Timings::default();
        timings.record_rules(&[
            time("RL101", Clock::ThreadCpu),
            time("RL102", Clock::ThreadCpu),
            time("RL201", Clock::ThreadCpu),
            time("RL202", Clock::Wall),
        ]);
        let notes: Vec<(&str, &str)> = timings
            .phases
            .iter()
            .map(|p| (p.name.trim(), p.note.as_deref().unwrap_or_default()))
            .collect();
        assert_eq!(notes[0], ("RL1xx", "2 rules, CPU time"));
        assert_eq!(notes[1], ("RL2xx", "2 rules, wall time"));
        assert!(notes[2..].contains(&("slowest: RL202 duplicate-example-in-intent", "wall time")));
    }
}
