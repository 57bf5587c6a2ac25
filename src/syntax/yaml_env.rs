//! Rasa's expansion of environment variables in YAML (spec rasa-yaml §2.4).
//!
//! Rasa registers an implicit resolver for plain (unquoted) scalars matching
//! `^(.*)\$\{(.*)\}(.*)$`, keys included. Its loading pass replaces such a scalar by
//! `os.path.expandvars(value)` (which also expands `$NAME` beside the `${NAME}`), and
//! raises a `RasaException` when a whitespace-separated word of the result still starts
//! with `$` and was in the value: an unset variable, but also a `$5` or a lone `$`. Its
//! schema pass sees such a scalar as a tagged value, no string (see
//! [`super::yaml_schema`]).
//!
//! Which variables are set is the environment of the process Rasa runs in. rasalint reads
//! its own by default ([`Environment::Process`]); tests and callers that know better give
//! fixed ones ([`Environment::Fixed`]).

use std::collections::BTreeMap;
use std::sync::Arc;

/// The environment variables Rasa's YAML reader expands from.
#[derive(Debug, Clone, Default)]
pub enum Environment {
    /// rasalint's own process environment, as Rasa started from the same shell sees it.
    #[default]
    Process,
    /// These variables and no others.
    Fixed(Arc<BTreeMap<String, String>>),
}

impl Environment {
    /// An environment of exactly these variables.
    pub fn fixed<'a>(variables: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let map = variables
            .into_iter()
            .map(|(name, value)| (name.to_owned(), value.to_owned()))
            .collect();
        Environment::Fixed(Arc::new(map))
    }

    /// The value of variable `name`, as Python's `os.environ[name]` gives it.
    pub fn var(&self, name: &str) -> Option<String> {
        match self {
            // Names the platform cannot hold are never set (and `var_os` may panic on them).
            Environment::Process if name.is_empty() || name.contains(['=', '\0']) => None,
            Environment::Process => {
                std::env::var_os(name).map(|v| v.to_string_lossy().into_owned())
            }
            Environment::Fixed(map) => map.get(name).cloned(),
        }
    }
}

/// Whether Rasa's resolver tags a plain scalar of this value as an environment variable:
/// `^(.*)\$\{(.*)\}(.*)$` as Python's `re.match` reads it (one line, which may end with
/// a line break).
pub fn is_env_scalar(value: &str) -> bool {
    // Almost no scalar holds a `$`: one byte search settles most.
    if memchr::memchr(b'$', value.as_bytes()).is_none() {
        return false;
    }
    let line = value.strip_suffix('\n').unwrap_or(value);
    !line.contains('\n') && line.find("${").is_some_and(|at| line[at..].contains('}'))
}

/// Python's `os.path.expandvars` (POSIX): every `$name` (ASCII word characters) and
/// `${name}` whose variable is set is replaced by its value; the others stay, and values
/// put in are not expanded again.
pub fn expandvars(value: &str, env: &Environment) -> String {
    if !value.contains('$') {
        return value.to_owned();
    }
    let bytes = value.as_bytes();
    let mut out = String::with_capacity(value.len());
    let mut copied = 0;
    let mut at = 0;
    while let Some(offset) = memchr::memchr(b'$', &bytes[at..]) {
        let dollar = at + offset;
        let (name, end) = match bytes.get(dollar + 1) {
            Some(b'{') => match memchr::memchr(b'}', &bytes[dollar + 2..]) {
                Some(close) => (&value[dollar + 2..dollar + 2 + close], dollar + 3 + close),
                None => {
                    at = dollar + 1;
                    continue;
                }
            },
            Some(b) if is_word(*b) => {
                let len = bytes[dollar + 1..]
                    .iter()
                    .take_while(|b| is_word(**b))
                    .count();
                (&value[dollar + 1..dollar + 1 + len], dollar + 1 + len)
            }
            _ => {
                at = dollar + 1;
                continue;
            }
        };
        if let Some(set) = env.var(name) {
            out.push_str(&value[copied..dollar]);
            out.push_str(&set);
            copied = end;
        }
        at = end;
    }
    out.push_str(&value[copied..]);
    out
}

/// `\w` under `re.ASCII`.
fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// What Rasa's loading pass makes of a plain scalar tagged as an environment variable:
/// the expanded text, or the words it stops at (unset variables, stray `$`).
pub fn expand(value: &str, env: &Environment) -> Result<String, Vec<String>> {
    let expanded = expandvars(value, env);
    let left: Vec<String> = expanded
        .split(crate::syntax::python::is_space)
        .filter(|word| word.starts_with('$') && value.contains(*word))
        .map(str::to_owned)
        .collect();
    if left.is_empty() {
        Ok(expanded)
    } else {
        Err(left)
    }
}

/// Rasa's exception for a value whose expansion left `words`.
pub fn rasa_error(value: &str, words: &[String]) -> String {
    let listed: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    format!(
        "RasaException: Error when trying to expand the environment variables in '{value}'. Please make sure to also set these environment variables: '[{}]'.",
        listed.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env() -> Environment {
        Environment::fixed([("NAME", "Ada"), ("EMPTY", ""), ("LOOP", "$NAME")])
    }

    #[test]
    fn the_resolver_takes_one_line_with_braces() {
        for yes in ["${X}", "a ${X} b", "${}", "$${x}y}", "${X}\n"] {
            assert!(is_env_scalar(yes), "{yes:?}");
        }
        for no in ["$X", "${X", "}${", "a\n${X}", "${X}\n\n"] {
            assert!(!is_env_scalar(no), "{no:?}");
        }
    }

    #[test]
    fn expandvars_is_pythons() {
        let env = env();
        assert_eq!(expandvars("${NAME} and $NAME!", &env), "Ada and Ada!");
        assert_eq!(
            expandvars("${UNSET} $UNSET ${} $ $5", &env),
            "${UNSET} $UNSET ${} $ $5"
        );
        assert_eq!(expandvars("[${EMPTY}]", &env), "[]");
        assert_eq!(expandvars("${LOOP}", &env), "$NAME", "not expanded twice");
        assert_eq!(expandvars("${NAME", &env), "${NAME");
        assert_eq!(expandvars("$NAMEx ${NAME}x", &env), "$NAMEx Adax");
        assert_eq!(
            expandvars("caf\u{e9} $\u{e9} ${NAME}", &env),
            "caf\u{e9} $\u{e9} Ada"
        );
    }

    #[test]
    fn rasa_stops_at_words_left_with_a_dollar() {
        let env = env();
        assert_eq!(expand("hi ${NAME}", &env), Ok("hi Ada".to_owned()));
        assert_eq!(
            expand("${UNSET} ${NAME}", &env),
            Err(vec!["${UNSET}".to_owned()])
        );
        assert_eq!(
            expand("costs $5 for ${NAME}", &env),
            Err(vec!["$5".to_owned()])
        );
        assert_eq!(
            rasa_error("${X}", &["${X}".to_owned()]),
            "RasaException: Error when trying to expand the environment variables in '${X}'. Please make sure to also set these environment variables: '['${X}']'."
        );
    }

    #[test]
    fn the_process_environment_never_panics_on_odd_names() {
        for name in ["", "A=B", "A\0B"] {
            assert_eq!(Environment::Process.var(name), None);
        }
    }
}
