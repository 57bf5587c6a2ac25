use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::model::domain::SlotDecl;
use crate::rasa::RasaVersion;
use crate::rule::Rule;
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Reports a slot Rasa 1.10 cannot build or builds wrongly: no `type`, a type that is
    /// neither built in nor a dotted path to a custom class, a categorical slot without
    /// `values`, a float slot whose `min_value` is not below its `max_value`, or whose
    /// numeric `initial_value` lies outside that range.
    ///
    /// ## Why is this bad?
    /// An unknown type or a bad float range stops Rasa with a Python error that names no
    /// file; a slot without a type is built as a generic slot that crashes as soon as it
    /// is featurised; a categorical slot without values can only ever be `__other__`.
    ///
    /// Built-in types: `text`, `bool`, `categorical`, `float`, `list`, `unfeaturized`, and
    /// `any` (Rasa 2.x). A float slot's range defaults to 0.0–1.0.
    ///
    /// In a Rasa 2 or 3 bot only a categorical slot without `values` and an initial value
    /// outside a float slot's range are reported here: Rasa 2 and 3 refuse the domain for
    /// a slot without a type, an unknown type (Rasa 3 also `unfeaturized`) or a bad float
    /// range, which `empty-domain` (RL409) reports with Rasa's reason.
    ///
    /// ## Example
    /// ```yaml
    /// slots:
    ///   cuisine:
    ///     type: categoric      # unknown type
    /// ```
    pub struct InvalidSlotDefinition {
        code: "RL403",
        name: "invalid-slot-definition",
        severity: Error,
        summary: "a slot Rasa cannot build",
    }
}

const SLOT_TYPES: &[&str] = &[
    "text",
    "bool",
    "categorical",
    "float",
    "list",
    "unfeaturized",
    "any",
];

impl Rule for InvalidSlotDefinition {
    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        let rasa_1 = project.rasa.version == RasaVersion::V1;
        for (file, domain) in project.domain_files() {
            for slot in &domain.slots {
                // Rasa 2 and 3 refuse the slots Rasa 1.10 cannot build: RL409's.
                let found = if rasa_1 {
                    problem(slot)
                } else {
                    built_wrongly(slot)
                };
                if let Some((span, message, help)) = found {
                    out.push(Diagnostic::new(&Self::META, file, span, message).with_help(help));
                }
            }
        }
    }
}

/// What is wrong with a slot Rasa 2 and 3 build, if anything: a categorical slot without
/// values, a float slot whose initial value lies outside its range.
fn built_wrongly(slot: &SlotDecl) -> Option<Problem> {
    match slot.slot_type.as_ref()?.name.as_str() {
        "categorical" => categorical_problem(slot),
        "float" => match float_range(slot) {
            (min, max) if min < max => initial_outside(slot, min, max),
            _ => None,
        },
        _ => None,
    }
}

type Problem = (Span, String, String);

fn problem(slot: &SlotDecl) -> Option<Problem> {
    let name = &slot.name.name;
    let Some(slot_type) = &slot.slot_type else {
        return Some((
            slot.name.span.clone(),
            format!("slot `{name}` has no `type`"),
            "give it a type (`text`, `bool`, `categorical`, `float`, `list`, `unfeaturized`): Rasa 1.x builds a generic slot that crashes when it is featurised".into(),
        ));
    };
    let kind = slot_type.name.as_str();
    if !SLOT_TYPES.contains(&kind) && !kind.contains('.') {
        let help = crate::suggest::closest(kind, SLOT_TYPES.iter().copied()).map_or_else(
            || "use a built-in type, or the dotted path of a custom slot class".to_string(),
            |t| format!("did you mean `{t}`?"),
        );
        return Some((
            slot_type.span.clone(),
            format!("`{kind}` is not a slot type"),
            format!("{help} Rasa stops with \"Failed to find slot type\""),
        ));
    }
    match kind {
        "categorical" => categorical_problem(slot),
        "float" => float_problem(slot),
        _ => None,
    }
}

fn categorical_problem(slot: &SlotDecl) -> Option<Problem> {
    let slot_type = slot.slot_type.as_ref()?;
    slot.values.is_empty().then(|| {
        (
            slot_type.span.clone(),
            format!("categorical slot `{}` has no `values`", slot.name.name),
            "list the values it can take under `values:`; without them every value is `__other__`"
                .into(),
        )
    })
}

/// A float slot's `min_value` and `max_value`, 0.0 and 1.0 by default.
fn float_range(slot: &SlotDecl) -> (f64, f64) {
    (slot.min_value.unwrap_or(0.0), slot.max_value.unwrap_or(1.0))
}

fn float_problem(slot: &SlotDecl) -> Option<Problem> {
    let name = &slot.name.name;
    let (min, max) = float_range(slot);
    if min >= max {
        return Some((
            slot.name.span.clone(),
            format!("float slot `{name}` has `min_value` {min} not below `max_value` {max}"),
            "make `min_value` smaller than `max_value` (they default to 0.0 and 1.0): Rasa stops with \"Float slot created with an invalid range\"".into(),
        ));
    }
    initial_outside(slot, min, max)
}

fn initial_outside(slot: &SlotDecl, min: f64, max: f64) -> Option<Problem> {
    let name = &slot.name.name;
    let (initial, span) = slot.initial_number.clone()?;
    (initial < min || initial > max).then(|| {
        (
            span,
            format!("the `initial_value` {initial} of slot `{name}` is outside its range {min}–{max}"),
            "Rasa clips it to the range: set `min_value`/`max_value` (0.0 and 1.0 by default), or an initial value within them".to_string(),
        )
    })
}
