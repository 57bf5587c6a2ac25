use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::model::nlu::RegexFeature;
use crate::rasa::RasaVersion;
use crate::rule::Rule;
use crate::source::Span;
use crate::syntax::python_regex::{Exception, RegexError, Verdict, check};

declare_rule! {
    /// ## What it does
    /// Reports a `## regex:` pattern (a `- regex:` item's example in YAML) that Python's
    /// `re` module cannot compile, with Python's own error message, at the character
    /// Python's error points to.
    ///
    /// Patterns are read as Python 3.7's `re.compile` reads them (Rasa 1.10 runs on Python
    /// 3.6 to 3.8, which read patterns alike but for two details below): escapes, classes,
    /// groups, references, quantifiers, lookarounds, conditionals and inline flags. It
    /// finds what Python refuses: escapes Python does not know (`\p{L}`, `\h`, `\z`,
    /// `\k<name>`), a quantifier with nothing to repeat (`*abc`, `^*`) or after another one
    /// (`a++`, `a{2}{3}`), unclosed groups and classes, stray `)`, ranges like `[z-a]` or
    /// `[\d-z]`, `(?<name>…)` (Python writes `(?P<name>…)`), references to groups that are
    /// not closed yet, lookbehinds whose width varies (`(?<=a|bc)`, `(?<=\d+)`: Python
    /// needs a fixed width), counts like `{3,2}`, and bad inline flags.
    ///
    /// Only what Python 3.7 refuses is reported. Valid there, so never reported: `(?i)` in
    /// the middle of a pattern (only a warning), `{,3}`, `\Z`, `a{` (a literal brace), a
    /// conditional on an existing group, `(x)?(?(1)a|b)`, and `(?a:…)` or `(?u:…)`, which
    /// only Python 3.6 refuses. `\N{EURO SIGN}` is reported: Python 3.8 knows it, but 3.6
    /// and 3.7 do not, so the bot trains only on 3.8. Groups nested more than 495 deep
    /// (or conditionals 990 deep: each takes half a group's share of Python's recursion
    /// limit) are reported: Python's parser raises `RecursionError` on them whoever calls
    /// it. When the answer depends on Python's Unicode tables or on how deep in Python's
    /// stack the caller is (a group name with rare non-ASCII characters, groups nested
    /// between 100 and 495 deep), the pattern is left alone: this rule never reports a
    /// pattern Python compiles.
    ///
    /// Rasa 2.8 runs on Python 3.6 to 3.8 too, and is checked the same way. Rasa 3.6 runs
    /// on Python 3.8 to 3.10, which know `\N{…}`: in a Rasa 3 bot a pattern with `\N` is
    /// left alone (whether its name is one depends on Python's Unicode tables).
    ///
    /// ## Why is this bad?
    /// Rasa keeps regex patterns as text when it loads the data, so loading and `rasa data
    /// validate` succeed. The patterns are compiled when the `RegexFeaturizer` trains (and
    /// the `CRFEntityExtractor` reads its regex features from there): `rasa train` stops
    /// with a bare `re.error: bad escape \p at position 0`, naming neither the file nor the
    /// regex, and only after it has trained the dialogue model. Rasa compiles the patterns
    /// in the order of their names, so a bot with several broken ones fails on them one
    /// run at a time; this rule reports them all. Lookup tables cannot break this way: Rasa
    /// escapes their elements. (A pipeline without a `RegexFeaturizer` never compiles the
    /// patterns, and they do nothing.)
    ///
    /// ## Example
    /// ```md
    /// ## regex:zipcode
    /// - \p{N}{5}               <- Python's `re` has no `\p{…}`: write [0-9]{5}
    ///
    /// ## regex:price
    /// - (?<=€|EUR )\d+         <- alternatives of different lengths in a lookbehind
    /// ```
    pub struct InvalidRegex {
        code: "RL206",
        name: "invalid-regex",
        severity: Error,
        summary: "a regex feature that Python's `re` cannot compile",
    }
}

impl Rule for InvalidRegex {
    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        // Rasa 3 runs on Python 3.8 and later, which know `\N{…}`.
        let knows_named_characters = project.rasa.version == RasaVersion::V3;
        for (file, nlu) in project.nlu_files() {
            let text = &project.file(file).text;
            for regex in &nlu.regexes {
                let Verdict::Invalid(error) = check(&regex.pattern) else {
                    continue;
                };
                if knows_named_characters && error.message == "bad escape \\N" {
                    continue;
                }
                let span = error_span(text, regex, &error);
                let diagnostic = Diagnostic::new(
                    &Self::META,
                    file,
                    span,
                    format!(
                        "pattern of regex `{}` does not compile in Python: {}",
                        regex.name.trim(),
                        exception_text(&error)
                    ),
                )
                .with_label(label(&error))
                .with_help(help(&error));
                out.push(diagnostic);
            }
        }
    }
}

fn label(error: &RegexError) -> String {
    match error.message.as_str() {
        "" => "Python's parser fails here".to_string(),
        message => message.to_string(),
    }
}

/// What Python prints, prefixed by the exception's name unless it is `re.error`.
fn exception_text(error: &RegexError) -> String {
    match error.exception {
        Exception::ReError => error.python_text(),
        Exception::Verbose => Exception::Verbose.python_name().to_string(),
        other => format!("{}: {}", other.python_name(), error.python_text()),
    }
}

/// The characters the error is about, in the source. When the item's text is not the
/// pattern as written (a comment was cut out of it), the whole item.
fn error_span(text: &str, regex: &RegexFeature, error: &RegexError) -> Span {
    if text.get(regex.span.clone()) != Some(regex.pattern.as_str()) {
        return regex.span.clone();
    }
    let byte = |chars: usize| {
        regex
            .pattern
            .char_indices()
            .nth(chars)
            .map_or(regex.pattern.len(), |(b, _)| b)
    };
    regex.span.start + byte(error.at.start)..regex.span.start + byte(error.at.end)
}

fn help(error: &RegexError) -> String {
    let failure = format!(
        "Rasa's RegexFeaturizer fails on it with `{}`",
        exception_text_with_name(error)
    );
    let hint = match error.exception {
        Exception::Verbose => Some(VERBOSE_INSIDE_NON_VERBOSE.to_string()),
        _ => hint(&error.message),
    };
    match hint {
        Some(hint) => format!("{hint}. {failure}"),
        None => failure,
    }
}

fn exception_text_with_name(error: &RegexError) -> String {
    match error.exception {
        Exception::Verbose => Exception::Verbose.python_name().to_string(),
        other => format!("{}: {}", other.python_name(), error.python_text()),
    }
}

const VERBOSE_INSIDE_NON_VERBOSE: &str = "with `(?x)` in the pattern, flags like `(?i)` inside a group that turns verbose mode off, `(?-x:…)`, make Python's parser fail: put all flags at the start";

/// Advice for the mistakes people make, keyed by Python's message.
fn hint(message: &str) -> Option<String> {
    if let Some(escape) = message.strip_prefix("bad escape ") {
        return Some(escape_hint(escape));
    }
    const HINTS: &[(&str, &str)] = &[
        (
            "maximum recursion depth exceeded",
            "Python's parser calls itself for every group this pattern nests, more times than its recursion limit allows: nest fewer groups",
        ),
        (
            "incomplete escape",
            "`\\x` takes exactly 2 hex digits, `\\u` 4 and `\\U` 8",
        ),
        ("octal escape value", "an octal escape goes up to `\\377`"),
        (
            "nothing to repeat",
            "nothing before this quantifier can be repeated: escape it (`\\*`, `\\+`, `\\?`, `\\{`) to match the character itself",
        ),
        (
            "multiple repeat",
            "two quantifiers in a row: Python 3.7 has no possessive quantifiers such as `a++`; group the first one, `(?:a+)+`, or escape the second to match the character",
        ),
        (
            "look-behind requires fixed-width pattern",
            "a lookbehind must always match the same number of characters in Python: no `*`, `+`, `?` or `{m,n}` inside, and alternatives of equal length; split it into several, as in `(?:(?<=a)|(?<=bc))`",
        ),
        (
            "unknown extension ?<",
            "Python 3.7 writes a named group `(?P<name>…)`, a lookbehind `(?<=…)` or `(?<!…)`",
        ),
        (
            "unknown extension",
            "after `(?` Python expects `:`, `P<name>`, `P=name`, `=`, `!`, `<=`, `<!`, `#`, `(` or inline flags",
        ),
        (
            "missing ), unterminated subpattern",
            "this group is never closed: add its `)`, or write `\\(` to match a parenthesis",
        ),
        (
            "missing ), unterminated comment",
            "this comment is never closed: add its `)`",
        ),
        (
            "unbalanced parenthesis",
            "this `)` closes no group: remove it, or write `\\)` to match a parenthesis",
        ),
        (
            "unterminated character set",
            "this class is never closed: add its `]`, or write `\\[` to match a bracket",
        ),
        (
            "bad character range",
            "a range runs from a lower to a higher character (`a-z`) and cannot start or end at a class such as `\\d`: put `-` first or last, or write `\\-`, to match a hyphen",
        ),
        (
            "min repeat greater than max repeat",
            "write the smaller count first, as in `{2,5}`",
        ),
        (
            "the repetition number is too large",
            "a count must be below 4294967295",
        ),
        (
            "invalid group reference",
            "no group has this number before this point; groups are numbered by their `(` from the left",
        ),
        (
            "cannot refer to an open group",
            "a group cannot refer to itself from inside",
        ),
        (
            "cannot refer to group defined in the same lookbehind",
            "a lookbehind can only refer to groups closed before it",
        ),
        (
            "unknown group name",
            "no group of this name is defined before this point",
        ),
        (
            "redefinition of group name",
            "give each named group its own name",
        ),
        (
            "bad character in group name",
            "a group name is a Python identifier: letters, digits and `_`, not starting with a digit",
        ),
        ("missing group name", "give the group a name"),
        (
            "bad group number",
            "groups are numbered from 1; a conditional names a group, `(?(1)yes|no)`",
        ),
        (
            "conditional backref with more than two branches",
            "a conditional has a yes and a no branch only: group the alternatives, as in `(?(1)a|(?:b|c))`",
        ),
        (
            "ASCII and UNICODE flags are incompatible",
            "use only one of `(?a)` and `(?u)`",
        ),
        (
            "invalid SRE code",
            "a conditional `(?(n)…)` names a group the pattern does not have (or a lookbehind is 2³¹ characters wide), and Python's engine refuses the compiled pattern",
        ),
    ];
    const FLAG_MESSAGES: &[&str] = &[
        "bad inline flags",
        "unknown flag",
        "missing flag",
        "missing :",
        "missing -, : or )",
    ];
    if FLAG_MESSAGES.iter().any(|m| message.starts_with(m)) {
        return Some(
            "inline flags are written `(?aimsux)` for the whole pattern or `(?i-s:…)` for a group"
                .to_string(),
        );
    }
    HINTS
        .iter()
        .find(|(start, _)| message.starts_with(start))
        .map(|(_, hint)| hint.to_string())
}

fn escape_hint(escape: &str) -> String {
    let hint = match escape {
        "(end of pattern)" => {
            "a pattern cannot end with a lone backslash: write `\\\\` to match a backslash"
        }
        "\\p" | "\\P" => {
            "Python's `re` has no Unicode property classes such as `\\p{L}`: use a class, for example `[^\\W\\d_]` for letters or `\\d` for digits"
        }
        "\\N" => {
            "`\\N{…}` needs Python 3.8, and Rasa 1.10 also runs on Python 3.6 and 3.7: write the character itself"
        }
        "\\z" => "Python writes the end of the text `\\Z`",
        "\\h" => "Python has no `\\h`: write `[ \\t]` for a space or tab",
        "\\R" => "Python has no `\\R`: write `(?:\\r\\n|\\n|\\r)` for a line break",
        "\\e" => "Python has no `\\e`: write `\\x1b` for the escape character",
        "\\k" => "Python refers to a named group with `(?P=name)`",
        _ if escape.starts_with("\\U") && escape.len() > 2 => {
            "`\\U` names a character up to `\\U0010FFFF`"
        }
        _ => {
            return format!(
                "`{escape}` is not one of Python's escapes (`\\d \\w \\s \\b \\A \\Z`, their capitals, `\\n \\t \\x41`…): write `\\{escape}` to match a backslash and what follows it"
            );
        }
    };
    hint.to_string()
}
