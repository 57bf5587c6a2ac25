//! Which rules run: the selectors of the configuration and the command line.

use crate::rule::RuleMeta;
use crate::rules::ALL;

/// Which rules run: a rule runs when it is selected (or on by default and nothing is
/// selected explicitly) and not ignored. Selectors are codes (`RL101`), code prefixes
/// (`RL1`, `RL10`) or names (`nlu-intent-not-in-domain`).
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub select: Option<Vec<String>>,
    pub extend_select: Vec<String>,
    pub ignore: Vec<String>,
}

impl Selection {
    pub fn is_enabled(&self, meta: &RuleMeta) -> bool {
        let matches = |selectors: &[String]| selectors.iter().any(|s| selector_matches(s, meta));
        let selected = match &self.select {
            Some(select) => matches(select),
            None => meta.enabled_by_default,
        } || matches(&self.extend_select);
        selected && !matches(&self.ignore)
    }

    /// Selectors that name no rule: a usage error worth reporting.
    pub fn unknown_selectors(&self) -> Vec<&str> {
        let all = self
            .select
            .iter()
            .flatten()
            .chain(&self.extend_select)
            .chain(&self.ignore);
        all.filter(|s| !ALL.iter().any(|r| selector_matches(s, r.meta())))
            .map(String::as_str)
            .collect()
    }
}

/// Whether `selector` names `meta`: its code, a prefix of its code, or its name.
pub fn selector_matches(selector: &str, meta: &RuleMeta) -> bool {
    let selector = selector.trim();
    selector == meta.name
        || (selector.len() >= 2 && meta.code.starts_with(&selector.to_ascii_uppercase()))
}
