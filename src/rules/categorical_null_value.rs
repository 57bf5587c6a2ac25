use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::rule::Rule;

declare_rule! {
    /// ## What it does
    /// Reports an unquoted `null` (or `~`, or an empty item) among the `values` of a
    /// categorical slot.
    ///
    /// ## Why is this bad?
    /// YAML reads it as no value at all, which Rasa reserves for a slot that is not set:
    /// Rasa 2.8 and 3.6 warn ("Categorical slot 'size' has `null` listed as a possible
    /// value in the domain file …") and drop it, so a user's "null" or "none" falls to
    /// `__other__`. Rasa 1.10 kept it as the value "none".
    ///
    /// ## Example
    /// ```yaml
    /// slots:
    ///   size:
    ///     type: categorical
    ///     values:
    ///       - small
    ///       - null     # dropped: write "null" (quoted), or a name such as `unset`
    /// ```
    pub struct CategoricalNullValue {
        code: "RL412",
        name: "categorical-null-value",
        severity: Warning,
        versions: [V2, V3],
        summary: "a categorical slot lists `null`, which Rasa drops",
    }
}

/// How YAML 1.2 writes null (the empty item included). `None` is a string there.
const NULLS: &[&str] = &["null", "Null", "NULL", "~", ""];

impl Rule for CategoricalNullValue {
    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        for (file, domain) in project.domain_files() {
            let text = &project.file(file).text;
            for slot in &domain.slots {
                // Rasa stores `str(None).lower()`; a quoted "None" reads the same.
                let nulls = slot.values.iter().filter(|v| {
                    v.name == "none" && text.get(v.span.clone()).is_some_and(|t| NULLS.contains(&t))
                });
                for value in nulls {
                    out.push(
                        Diagnostic::new(
                            &Self::META,
                            file,
                            value.span.clone(),
                            format!(
                                "a null value among the values of slot `{}`: Rasa drops it",
                                slot.name.name
                            ),
                        )
                        .with_label("YAML reads no value here")
                        .with_help("null means the slot is not set: remove it, or write a value users can say, quoted if it is \"null\""),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rasa::RasaVersion;
    use crate::rules::support::findings_on_data;

    #[test]
    fn only_yaml_nulls_are_reported_and_only_for_rasa_2_and_3() {
        let domain = "version: \"3.1\"\nslots:\n  s:\n    type: categorical\n    values: [a, NULL, \"null\", None, 'none', ~]\n";
        let spans = |version| {
            let found = findings_on_data(&CategoricalNullValue, &[("domain.yml", domain)], version);
            found
                .iter()
                .map(|d| &domain[d.span.clone()])
                .collect::<Vec<_>>()
        };
        assert_eq!(spans(RasaVersion::V3), ["NULL", "~"]);
        assert_eq!(spans(RasaVersion::V2), ["NULL", "~"]);
    }
}
