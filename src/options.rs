//! The options some rules take. Each is documented in its rule's `## Options`, defaults to
//! Rasa's own value, and is set in rasalint's configuration (`min-examples = 3`);
//! `max-history` also on the command line (`--max-history 5`), which wins.

/// The options rules read, resolved from the configuration and the command line.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleOptions {
    /// `too-few-examples` (RL204): the fewest distinct examples an intent may have.
    pub min_examples: usize,
    /// `intent-imbalance` (RL209): how many times the median number of examples per
    /// intent an intent may have.
    pub max_ratio: f64,
    /// `story-structure-conflict` (RL301): the `max_history` to slice dialogues with,
    /// when set; otherwise the rule takes config.yml's policies, else Rasa's default.
    pub max_history: Option<MaxHistory>,
}

/// A `max_history` set for rasalint, and where it was set (shown in the rule's help).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaxHistory {
    pub value: usize,
    /// `--max-history`, or `max-history in <config file>`.
    pub source: String,
}

/// Rasa 1.10's `TrainingData.MIN_EXAMPLES_PER_INTENT`.
pub const DEFAULT_MIN_EXAMPLES: usize = 2;

/// Ten times the median: far enough that only a clearly skewed intent is reported.
pub const DEFAULT_MAX_RATIO: f64 = 10.0;

impl Default for RuleOptions {
    fn default() -> Self {
        RuleOptions {
            min_examples: DEFAULT_MIN_EXAMPLES,
            max_ratio: DEFAULT_MAX_RATIO,
            max_history: None,
        }
    }
}

/// An option's key, the rule it belongs to, and what it accepts: for `rasalint config`
/// and for the messages of a configuration mistake.
pub struct OptionInfo {
    pub key: &'static str,
    pub rule: &'static str,
    pub accepts: &'static str,
}

/// Every option, in the order `rasalint config` prints them.
pub const OPTIONS: &[OptionInfo] = &[
    OptionInfo {
        key: "min-examples",
        rule: "too-few-examples",
        accepts: "a whole number of examples, 1 or more",
    },
    OptionInfo {
        key: "max-ratio",
        rule: "intent-imbalance",
        accepts: "a number greater than 1",
    },
    OptionInfo {
        key: "max-history",
        rule: "story-structure-conflict",
        accepts: "a whole number of dialogue states, 1 or more",
    },
];

impl RuleOptions {
    /// Each option's key and value as written in a configuration file (`max-history` is
    /// absent unless set).
    pub fn entries(&self) -> Vec<(&'static str, String)> {
        let mut entries = vec![
            ("min-examples", self.min_examples.to_string()),
            ("max-ratio", format_number(self.max_ratio)),
        ];
        if let Some(h) = &self.max_history {
            entries.push(("max-history", format!("{} ({})", h.value, h.source)));
        }
        entries
    }
}

/// `10` rather than `10.0`, `2.5` as it is.
pub fn format_number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        value.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_rasas_values() {
        let options = RuleOptions::default();
        assert_eq!(options.min_examples, 2);
        assert_eq!(
            options.entries(),
            [
                ("min-examples", "2".to_string()),
                ("max-ratio", "10".to_string())
            ]
        );
    }

    #[test]
    fn numbers_print_as_written() {
        assert_eq!(format_number(2.5), "2.5");
        assert_eq!(format_number(3.0), "3");
    }
}
