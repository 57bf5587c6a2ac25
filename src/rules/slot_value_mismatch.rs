use serde_json::Value;

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::model::dialogue::SlotSet;
use crate::model::domain::SlotDecl;
use crate::rule::Rule;
use crate::syntax::domain::python_float_str;

declare_rule! {
    /// ## What it does
    /// Reports a `- slot{"name": value}` story line whose value the slot's type does not
    /// allow: a categorical slot set to a value not among its `values`, a `bool` slot set
    /// to something other than `true`/`false`, a `float` slot set to something that is no
    /// number.
    ///
    /// ## Why is this bad?
    /// Rasa featurises the value as the slot's type dictates: an unknown categorical value
    /// becomes `__other__` (with a warning at training time), and the policy learns from a
    /// state no real conversation produces. Usually a typo, or a value added to the story
    /// but not to the domain.
    ///
    /// Setting a slot to `null` (unsetting it) is always allowed. Categorical values are
    /// compared as Rasa compares them: `str(value).lower()`.
    ///
    /// In YAML stories, rules and `or:` steps, a `slot_was_set` item that is only the slot's
    /// name (`- confirmed`) gives a `bool`, `categorical` or `float` slot no value at all
    /// (Rasa warns "Slot … was referenced by its name only"): it is reported too.
    ///
    /// ## Example
    /// ```yaml
    /// slots:
    ///   cuisine:
    ///     type: categorical
    ///     values: [thai, italian]
    /// ```
    /// ```md
    ///   - slot{"cuisine": "chinese"}
    /// ```
    /// ```yaml
    ///   - slot_was_set:
    ///     - cuisine: chinese
    /// ```
    pub struct SlotValueMismatch {
        code: "RL306",
        name: "slot-value-mismatch",
        severity: Warning,
        needs_domain: true,
        summary: "a story sets a slot to a value its type does not allow",
    }
}

impl Rule for SlotValueMismatch {
    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        let slots: Vec<&SlotDecl> = project.domain_files().flat_map(|(_, d)| &d.slots).collect();
        for (file, stories) in project.story_files() {
            for set in stories.slot_sets() {
                let SlotSet {
                    name,
                    value,
                    name_span,
                    by_name,
                } = set;
                {
                    let Some(slot) = slots.iter().find(|s| s.name.name == *name) else {
                        continue;
                    };
                    let found = if *by_name {
                        named_only(slot)
                    } else {
                        mismatch(slot, &value.json())
                            .map(|p| format!("slot `{name}` is set to {value}, but {p}"))
                    };
                    let Some(message) = found else {
                        continue;
                    };
                    let span = name_span.clone();
                    let declared = project
                        .domain
                        .slots
                        .get(name.as_str())
                        .map(|d| (d.file, d.span.clone()));
                    let mut diagnostic = Diagnostic::new(
                        &Self::META,
                        file,
                        span,
                        message,
                    )
                    .with_label("set here")
                    .with_help(if *by_name {
                        "write the value the story means (`- name: value`); a name alone gives only text and list slots a value"
                    } else {
                        "set a value the slot's type allows, or change the slot in the domain"
                    });
                    if let Some((declared_file, declared_span)) = declared {
                        diagnostic = diagnostic.with_related(
                            declared_file,
                            declared_span,
                            format!("`{name}` is declared here"),
                        );
                    }
                    out.push(diagnostic);
                }
            }
        }
    }
}

/// What is wrong with a YAML `slot_was_set` item that names `slot` only: Rasa gives a
/// text slot `filled` and a list slot `[filled]`, and every other slot no value at all
/// (warning that it needs one for the featurised types), so the story says the slot was
/// emptied rather than set.
fn named_only(slot: &SlotDecl) -> Option<String> {
    let kind = slot.slot_type.as_ref()?.name.as_str();
    matches!(kind, "bool" | "categorical" | "float").then(|| {
        format!(
            "slot `{}` is given by its name only, which Rasa reads as no value for a `{kind}` slot",
            slot.name.name
        )
    })
}

/// What is wrong with `value` for `slot`, if anything.
fn mismatch(slot: &SlotDecl, value: &Value) -> Option<String> {
    if value.is_null() {
        return None;
    }
    match slot.slot_type.as_ref()?.name.as_str() {
        "categorical" => {
            let written = python_str(value)?.to_lowercase();
            let allowed: Vec<&str> = slot.values.iter().map(|v| v.name.as_str()).collect();
            (!allowed.contains(&written.as_str())).then(|| {
                format!(
                    "its values are {}",
                    allowed
                        .iter()
                        .map(|v| format!("`{v}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })
        }
        "bool" => {
            (!value.is_boolean()).then(|| "it is a `bool` slot: use true or false".to_string())
        }
        "float" => {
            let numeric = value.is_number()
                || value
                    .as_str()
                    .is_some_and(|s| s.trim().parse::<f64>().is_ok());
            (!numeric).then(|| "it is a `float` slot: use a number".to_string())
        }
        _ => None,
    }
}

/// Python's `str()` of a JSON scalar; `None` for lists and objects.
fn python_str(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Bool(true) => Some("True".into()),
        Value::Bool(false) => Some("False".into()),
        Value::Number(n) => Some(match n.as_i64() {
            Some(i) => i.to_string(),
            None => python_float_str(n.as_f64().unwrap_or_default()),
        }),
        _ => None,
    }
}
