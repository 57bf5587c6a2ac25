//! The rule interface, rule metadata and the macro every rule file uses to declare itself.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Project;

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
    /// One line for `rasalint rules`.
    pub summary: &'static str,
    /// The rule file's doc comment: What it does / Why is this bad? / Example.
    pub docs: &'static str,
}

impl RuleMeta {
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

/// A check over the whole, immutable project model.
///
/// Rules are pure: they read the [`Project`] and push owned findings. Syntax rules
/// (RL0xx) are found while parsing, so their `check` is empty and the parser reports them.
pub trait Rule: Sync {
    fn meta(&self) -> &'static RuleMeta;
    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>);
}

/// Declares a rule type with its metadata; the doc comment becomes the rule's documentation.
///
/// ```ignore
/// declare_rule! {
///     /// ## What it does
///     /// ...
///     pub struct NluIntentNotInDomain {
///         code: "RL101", name: "nlu-intent-not-in-domain", severity: Error,
///         summary: "An intent with NLU examples is not declared in the domain",
///     }
/// }
/// ```
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        pub struct $ty:ident {
            code: $code:literal,
            name: $name:literal,
            severity: $sev:ident,
            $(enabled_by_default: $enabled:literal,)?
            $(runs_long: $long:literal,)?
            summary: $summary:literal $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        pub struct $ty;

        impl $ty {
            pub const META: $crate::rule::RuleMeta = $crate::rule::RuleMeta {
                code: $code,
                name: $name,
                severity: $crate::diagnostic::Severity::$sev,
                enabled_by_default: $crate::declare_rule!(@enabled $($enabled)?),
                runs_long: $crate::declare_rule!(@long $($long)?),
                summary: $summary,
                docs: concat!($($doc, "\n"),*),
            };
        }
    };
    (@enabled) => { true };
    (@enabled $enabled:literal) => { $enabled };
    (@long) => { false };
    (@long $long:literal) => { $long };
}

/// Implements [`Rule`] for a syntax rule type, whose findings come from the parsers.
#[macro_export]
macro_rules! impl_syntax_rule {
    ($ty:ident) => {
        impl $crate::rule::Rule for $ty {
            fn meta(&self) -> &'static $crate::rule::RuleMeta {
                &Self::META
            }
            fn check(
                &self,
                _: &$crate::model::Project,
                _: &mut Vec<$crate::diagnostic::Diagnostic>,
            ) {
            }
        }
    };
}
