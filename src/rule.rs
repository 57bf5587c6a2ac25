//! The rule interface, rule metadata and the macro every rule file uses to declare itself.

use crate::diagnostic::Diagnostic;
use crate::model::Project;
pub use crate::rule_meta::{RuleMeta, Severity};

/// A rule's metadata, implemented by [`declare_rule!`] for every rule type, so no rule
/// spells out its own `meta`.
pub trait Declared {
    fn meta(&self) -> &'static RuleMeta;
}

/// A check over the whole, immutable project model.
///
/// Rules are pure: they read the [`Project`] and push owned findings. Syntax rules
/// (RL0xx) are found while parsing, so their `check` is empty and the parser reports them.
/// Whether a rule runs at all (selected, a domain there when it needs one) is the engine's
/// decision, from the rule's [`RuleMeta`].
pub trait Rule: Declared + Sync {
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
            $(needs_domain: $domain:literal,)?
            $(versions: [$($version:ident),+ $(,)?],)?
            $(warning_in: [$($warning_version:ident),+ $(,)?],)?
            $(surfaces: [$($surface:ident),+ $(,)?],)?
            summary: $summary:literal $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        pub struct $ty;

        impl $ty {
            pub const META: $crate::rule_meta::RuleMeta = $crate::rule_meta::RuleMeta {
                code: $code,
                name: $name,
                severity: $crate::rule_meta::Severity::$sev,
                enabled_by_default: $crate::declare_rule!(@enabled $($enabled)?),
                runs_long: $crate::declare_rule!(@flag $($long)?),
                needs_domain: $crate::declare_rule!(@flag $($domain)?),
                versions: $crate::declare_rule!(@versions $([$($version),+])?),
                warning_in: &[$($($crate::rasa::RasaVersion::$warning_version),+)?],
                surfaces: $crate::declare_rule!(@surfaces $([$($surface),+])?),
                summary: $summary,
                docs: concat!($($doc, "\n"),*),
            };
        }

        impl $crate::rule::Declared for $ty {
            fn meta(&self) -> &'static $crate::rule_meta::RuleMeta {
                &Self::META
            }
        }
    };
    (@enabled) => { true };
    (@enabled $enabled:literal) => { $enabled };
    (@versions) => { &[
        $crate::rasa::RasaVersion::V1,
        $crate::rasa::RasaVersion::V2,
        $crate::rasa::RasaVersion::V3,
    ] };
    (@versions [$($version:ident),+]) => { &[$($crate::rasa::RasaVersion::$version),+] };
    (@surfaces) => { &[$crate::rasa::Surface::Markdown, $crate::rasa::Surface::Yaml] };
    (@surfaces [$($surface:ident),+]) => { &[$($crate::rasa::Surface::$surface),+] };
    (@flag) => { false };
    (@flag $flag:literal) => { $flag };
}

/// Implements [`Rule`] for a syntax rule type, whose findings come from the parsers.
#[macro_export]
macro_rules! impl_syntax_rule {
    ($ty:ident) => {
        impl $crate::rule::Rule for $ty {
            fn check(
                &self,
                _: &$crate::model::Project,
                _: &mut Vec<$crate::diagnostic::Diagnostic>,
            ) {
            }
        }
    };
}
