//! rasalint's own configuration: `rasalint.toml`, `.rasalint.toml`, or `[tool.rasalint]`
//! in `pyproject.toml`, the nearest one upward from the checked path (not above the
//! repository root). Read in layers: the raw file (unknown keys are errors with a span),
//! merged with command-line flags, resolved into the [`Settings`] the engine reads.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::diagnostic::Severity;
use crate::options::{MaxHistory, OPTIONS, RuleOptions};
use crate::rasa::RasaVersion;
use crate::rule::RuleMeta;
use crate::rules::ALL;
use crate::selection::{Selection, selector_matches};

/// The names a configuration file may have, in the order they are looked for in a folder.
pub const CONFIG_FILES: &[&str] = &["rasalint.toml", ".rasalint.toml", "pyproject.toml"];

/// The keys of a configuration, as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawConfig {
    /// Only these rules (codes, prefixes or names).
    pub select: Option<Vec<Spanned<String>>>,
    /// These rules on top of the selected ones.
    pub extend_select: Option<Vec<Spanned<String>>>,
    /// Not these rules.
    pub ignore: Option<Vec<Spanned<String>>>,
    /// Glob (relative to the configuration file's folder) → rules not to report there.
    pub per_file_ignores: Option<BTreeMap<Spanned<String>, Vec<Spanned<String>>>>,
    /// Rule → `"error"` or `"warning"`.
    pub severity: Option<BTreeMap<Spanned<String>, Spanned<String>>>,
    /// Exit 1 on warnings too.
    pub fail_on_warnings: Option<bool>,
    /// The bot's domain file(s) or folder, relative to the configuration file's folder.
    pub domain: Option<Vec<String>>,
    /// The bot's training data files or folders, relative to the configuration file's folder.
    pub data: Option<Vec<String>>,
    /// `too-few-examples`: the fewest distinct examples an intent may have.
    pub min_examples: Option<Spanned<i64>>,
    /// `intent-imbalance`: how many times the median an intent's examples may be.
    pub max_ratio: Option<Spanned<f64>>,
    /// `story-structure-conflict`: the `max_history` dialogues are sliced with.
    pub max_history: Option<Spanned<i64>>,
    /// The Rasa version the bot is read as (`"1"`, `"2"`, `"3"`, or a release such as
    /// `"3.6"`), instead of the one its files suggest.
    pub rasa_version: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
struct PyProject {
    tool: Option<PyProjectTool>,
}

#[derive(Debug, Deserialize)]
struct PyProjectTool {
    rasalint: Option<RawConfig>,
}

/// A mistake in a configuration file: where, what, and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub path: PathBuf,
    pub text: String,
    pub span: Range<usize>,
    pub message: String,
    pub help: Option<String>,
}

/// A configuration file as found and read.
#[derive(Debug, Default)]
pub struct ConfigFile {
    /// The file, or `None` when no configuration was found.
    pub path: Option<PathBuf>,
    pub raw: RawConfig,
}

/// Rules not reported in the files a glob matches.
#[derive(Debug, Clone)]
pub struct PerFileIgnore {
    pub pattern: String,
    matcher: globset::GlobMatcher,
    pub rules: Vec<String>,
}

/// Everything the engine and the command line need to know, resolved.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// The configuration file the settings came from, if any.
    pub source: Option<PathBuf>,
    pub selection: Selection,
    /// Folder the per-file globs are relative to.
    pub base: PathBuf,
    pub per_file_ignores: Vec<PerFileIgnore>,
    /// Severity overrides, in file order (a later entry wins for the rules both name).
    pub severities: Vec<(String, Severity)>,
    pub fail_on_warnings: bool,
    pub domain: Vec<PathBuf>,
    pub data: Vec<PathBuf>,
    /// The options of the rules that take some.
    pub options: RuleOptions,
    /// The Rasa version the user gave (`--rasa-version`, `rasa-version`), and where;
    /// `None`: the one the bot's files suggest.
    pub rasa_version: Option<(RasaVersion, String)>,
}

impl Settings {
    /// The severity a rule's findings get on a bot read as `version`: the configured
    /// one, else the rule's default for that version.
    pub fn severity_of(&self, meta: &RuleMeta, version: RasaVersion) -> Severity {
        self.configured_severity(meta)
            .unwrap_or_else(|| meta.default_severity(version))
    }

    /// The severity the configuration gives a rule, if it gives one.
    pub fn configured_severity(&self, meta: &RuleMeta) -> Option<Severity> {
        self.severities
            .iter()
            .rev()
            .find(|(selector, _)| selector_matches(selector, meta))
            .map(|(_, severity)| *severity)
    }

    /// Whether `meta`'s findings are ignored in the file at `path` by `per-file-ignores`.
    pub fn ignored_in(&self, meta: &RuleMeta, path: &Path) -> bool {
        if self.per_file_ignores.is_empty() {
            return false;
        }
        let relative = path.strip_prefix(&self.base).unwrap_or(path);
        self.per_file_ignores.iter().any(|p| {
            p.matcher.is_match(relative) && p.rules.iter().any(|r| selector_matches(r, meta))
        })
    }
}

/// The nearest configuration file upward from `start`, not above the repository root (the
/// first folder with a `.git`). A `pyproject.toml` counts only with a `[tool.rasalint]`.
pub fn find_config(start: &Path) -> Option<PathBuf> {
    for dir in start.ancestors() {
        for name in CONFIG_FILES {
            let candidate = dir.join(name);
            if is_ours(&candidate, name) {
                return Some(candidate);
            }
        }
        if dir.join(".git").exists() {
            return None;
        }
    }
    None
}

/// Whether `candidate` (named `name`) is the configuration to read. A `rasalint.toml`
/// that is anything but a folder counts, so that reading it says why it cannot be read
/// (a pipe, a device, a link loop) instead of the run going on without it; a
/// `pyproject.toml` is another tool's file, and counts only as a regular file with a
/// `[tool.rasalint]` table.
fn is_ours(candidate: &Path, name: &str) -> bool {
    if name == "pyproject.toml" {
        return candidate.is_file() && has_rasalint_table(candidate);
    }
    std::fs::symlink_metadata(candidate).is_ok() && !candidate.is_dir()
}

fn has_rasalint_table(pyproject: &Path) -> bool {
    std::fs::read_to_string(pyproject).is_ok_and(|text| text.contains("[tool.rasalint"))
}

/// Reads and checks a configuration file.
pub fn read_config(path: &Path) -> Result<ConfigFile, ConfigError> {
    // Bounded and regular files only, as data files are read: `--config /dev/zero` or a
    // pipe would never end.
    let text = crate::load::read_bounded(path).and_then(|bytes| {
        String::from_utf8(bytes)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
    });
    let text = text.map_err(|e| ConfigError {
        path: path.to_path_buf(),
        text: String::new(),
        span: 0..0,
        message: format!("cannot read {}: {e}", path.display()),
        help: None,
    })?;
    let error = |span: Range<usize>, message: String, help: Option<String>| ConfigError {
        path: path.to_path_buf(),
        text: text.clone(),
        span,
        message,
        help,
    };
    let parsed = if path.file_name().is_some_and(|n| n == "pyproject.toml") {
        toml::from_str::<PyProject>(&text)
            .map(|p| p.tool.and_then(|t| t.rasalint).unwrap_or_default())
    } else {
        toml::from_str::<RawConfig>(&text)
    };
    let raw = parsed.map_err(|e| {
        let help = e.message().contains("unknown field").then(|| {
            "the keys are select, extend-select, ignore, per-file-ignores, severity, fail-on-warnings, domain, data, min-examples, max-ratio, max-history and rasa-version".to_string()
        });
        error(e.span().unwrap_or(0..0), e.message().trim().to_string(), help)
    })?;
    check_rules(&raw).map_err(|(span, message, help)| error(span, message, Some(help)))?;
    check_options(&raw).map_err(|(span, message, help)| error(span, message, Some(help)))?;
    check_rasa_version(&raw).map_err(|(span, message, help)| error(span, message, Some(help)))?;
    Ok(ConfigFile {
        path: Some(path.to_path_buf()),
        raw,
    })
}

type RuleError = (Range<usize>, String, String);

/// Every rule a configuration names must exist, and severities must be known words.
fn check_rules(raw: &RawConfig) -> Result<(), RuleError> {
    let lists = [&raw.select, &raw.extend_select, &raw.ignore];
    let per_file = raw.per_file_ignores.iter().flat_map(|m| m.values());
    for selector in lists.into_iter().flatten().chain(per_file).flatten() {
        known_rule(selector)?;
    }
    for (selector, severity) in raw.severity.iter().flatten() {
        known_rule(selector)?;
        if parse_severity(severity.get_ref()).is_none() {
            return Err((
                severity.span(),
                format!("`{}` is not a severity", severity.get_ref()),
                "use \"error\" or \"warning\"".into(),
            ));
        }
    }
    for pattern in raw.per_file_ignores.iter().flat_map(|m| m.keys()) {
        if let Err(e) = globset::Glob::new(pattern.get_ref()) {
            return Err((
                pattern.span(),
                format!("`{}` is not a valid glob: {e}", pattern.get_ref()),
                "write a glob such as \"data/legacy/*.md\"".into(),
            ));
        }
    }
    Ok(())
}

/// A `rasa-version` must name a Rasa line rasalint reads.
fn check_rasa_version(raw: &RawConfig) -> Result<(), RuleError> {
    match &raw.rasa_version {
        Some(version) if RasaVersion::parse(version.get_ref()).is_none() => Err((
            version.span(),
            format!("`{}` is not a Rasa version rasalint reads", version.get_ref()),
            "use \"1\" (Markdown, as Rasa 1.10 reads it), \"2\" (as Rasa 2.8) or \"3\" (as Rasa 3.6)"
                .into(),
        )),
        _ => Ok(()),
    }
}

/// Rule options must be in range: a `max-history` of 0 or a ratio below 1 means nothing.
fn check_options(raw: &RawConfig) -> Result<(), RuleError> {
    let whole_at_least_one = [
        ("min-examples", &raw.min_examples),
        ("max-history", &raw.max_history),
    ];
    for (key, value) in whole_at_least_one {
        if let Some(value) = value.as_ref().filter(|v| *v.get_ref() < 1) {
            return Err(out_of_range(key, value.span(), value.get_ref().to_string()));
        }
    }
    if let Some(ratio) = raw
        .max_ratio
        .as_ref()
        .filter(|r| r.get_ref().is_nan() || *r.get_ref() <= 1.0)
    {
        return Err(out_of_range(
            "max-ratio",
            ratio.span(),
            ratio.get_ref().to_string(),
        ));
    }
    Ok(())
}

fn out_of_range(key: &str, span: Range<usize>, value: String) -> RuleError {
    let info = OPTIONS.iter().find(|o| o.key == key);
    let (rule, accepts) = info.map_or(("", ""), |o| (o.rule, o.accepts));
    (
        span,
        format!("`{key}` cannot be {value}"),
        format!("`{key}` (an option of {rule}) takes {accepts}"),
    )
}

fn known_rule(selector: &Spanned<String>) -> Result<(), RuleError> {
    if ALL
        .iter()
        .any(|r| selector_matches(selector.get_ref(), r.meta()))
    {
        return Ok(());
    }
    Err((
        selector.span(),
        format!("`{}` names no rule", selector.get_ref()),
        "use a rule code (RL101), a code prefix (RL1) or a rule name; `rasalint rules` lists them"
            .into(),
    ))
}

fn parse_severity(word: &str) -> Option<Severity> {
    match word {
        "error" => Some(Severity::Error),
        "warning" => Some(Severity::Warning),
        _ => None,
    }
}

/// What the command line says about rules; it overrides the file: `select` replaces the
/// file's, `ignore` and `extend-select` add to it.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub select: Option<Vec<String>>,
    pub extend_select: Vec<String>,
    pub ignore: Vec<String>,
    pub fail_on_warnings: bool,
    /// `--max-history`.
    pub max_history: Option<usize>,
    /// `--rasa-version`.
    pub rasa_version: Option<RasaVersion>,
}

/// The settings of a configuration file with the command line's overrides applied.
pub fn resolve(config: &ConfigFile, overrides: &Overrides) -> Settings {
    let raw = &config.raw;
    let strings = |list: &Option<Vec<Spanned<String>>>| -> Vec<String> {
        list.iter().flatten().map(|s| s.get_ref().clone()).collect()
    };
    let base = config
        .path
        .as_ref()
        .and_then(|p| p.parent())
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let mut selection = Selection {
        select: raw.select.as_ref().map(|_| strings(&raw.select)),
        extend_select: strings(&raw.extend_select),
        ignore: strings(&raw.ignore),
    };
    if let Some(select) = &overrides.select {
        selection.select = Some(select.clone());
    }
    selection
        .extend_select
        .extend(overrides.extend_select.iter().cloned());
    selection.ignore.extend(overrides.ignore.iter().cloned());
    Settings {
        source: config.path.clone(),
        selection,
        per_file_ignores: per_file_ignores(raw),
        severities: raw
            .severity
            .iter()
            .flatten()
            .filter_map(|(rule, word)| {
                Some((rule.get_ref().clone(), parse_severity(word.get_ref())?))
            })
            .collect(),
        fail_on_warnings: overrides.fail_on_warnings || raw.fail_on_warnings.unwrap_or(false),
        domain: raw.domain.iter().flatten().map(|p| base.join(p)).collect(),
        data: raw.data.iter().flatten().map(|p| base.join(p)).collect(),
        options: rule_options(config, overrides),
        rasa_version: rasa_version(config, overrides),
        base,
    }
}

/// The Rasa version the user gave, and where: `--rasa-version` wins over the file's key.
fn rasa_version(config: &ConfigFile, overrides: &Overrides) -> Option<(RasaVersion, String)> {
    if let Some(version) = overrides.rasa_version {
        return Some((version, "--rasa-version".to_string()));
    }
    let written = config.raw.rasa_version.as_ref()?;
    let file_name = config.path.as_ref()?.file_name()?.to_string_lossy();
    Some((
        RasaVersion::parse(written.get_ref())?,
        format!("rasa-version in {file_name}"),
    ))
}

/// The configuration's options, with `--max-history` winning over the file's.
fn rule_options(config: &ConfigFile, overrides: &Overrides) -> RuleOptions {
    let raw = &config.raw;
    let defaults = RuleOptions::default();
    let file_name = config
        .path
        .as_ref()
        .and_then(|p| p.file_name())
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let from_file = raw.max_history.as_ref().map(|h| MaxHistory {
        value: *h.get_ref() as usize,
        source: format!("max-history in {file_name}"),
    });
    let from_flag = overrides.max_history.map(|value| MaxHistory {
        value,
        source: "--max-history".to_string(),
    });
    RuleOptions {
        min_examples: raw
            .min_examples
            .as_ref()
            .map_or(defaults.min_examples, |m| *m.get_ref() as usize),
        max_ratio: raw
            .max_ratio
            .as_ref()
            .map_or(defaults.max_ratio, |r| *r.get_ref()),
        max_history: from_flag.or(from_file),
    }
}

fn per_file_ignores(raw: &RawConfig) -> Vec<PerFileIgnore> {
    raw.per_file_ignores
        .iter()
        .flatten()
        .filter_map(|(pattern, rules)| {
            Some(PerFileIgnore {
                pattern: pattern.get_ref().clone(),
                matcher: globset::Glob::new(pattern.get_ref())
                    .ok()?
                    .compile_matcher(),
                rules: rules.iter().map(|r| r.get_ref().clone()).collect(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(name: &str, text: &str) -> Result<ConfigFile, ConfigError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        read_config(&path)
    }

    #[test]
    fn reads_every_key() {
        let config = read(
            "rasalint.toml",
            "select = [\"RL1\", \"duplicate-example-in-intent\"]\nignore = [\"RL108\"]\nfail-on-warnings = true\n\
             domain = [\"domain.yml\"]\ndata = [\"data\"]\n[per-file-ignores]\n\"data/legacy/*.md\" = [\"RL2\"]\n\
             [severity]\nRL202 = \"error\"\n",
        )
        .unwrap();
        let settings = resolve(&config, &Overrides::default());
        assert_eq!(
            settings.selection.select.as_deref(),
            Some(&["RL1".to_string(), "duplicate-example-in-intent".to_string()][..])
        );
        assert!(settings.fail_on_warnings);
        let rl202 = crate::rules::duplicate_example_in_intent::DuplicateExampleInIntent::META;
        assert_eq!(
            settings.severity_of(&rl202, RasaVersion::V3),
            Severity::Error
        );
        assert!(settings.ignored_in(&rl202, &settings.base.join("data/legacy/old.md")));
        assert!(!settings.ignored_in(&rl202, &settings.base.join("data/nlu.md")));
    }

    #[test]
    fn a_rule_rasa_3_only_warns_about_is_a_warning_there_unless_configured() {
        let rl101 = crate::rules::nlu_intent_not_in_domain::NluIntentNotInDomain::META;
        let defaults = resolve(&ConfigFile::default(), &Overrides::default());
        assert_eq!(
            defaults.severity_of(&rl101, RasaVersion::V1),
            Severity::Error
        );
        assert_eq!(
            defaults.severity_of(&rl101, RasaVersion::V2),
            Severity::Error
        );
        assert_eq!(
            defaults.severity_of(&rl101, RasaVersion::V3),
            Severity::Warning
        );
        let config = read("rasalint.toml", "[severity]\nRL101 = \"error\"\n").unwrap();
        let configured = resolve(&config, &Overrides::default());
        assert_eq!(
            configured.severity_of(&rl101, RasaVersion::V3),
            Severity::Error
        );
    }

    #[test]
    fn mistakes_point_into_the_file() {
        let text = "select = [\"RL1\"]\nignroe = [\"RL2\"]\n";
        let error = read("rasalint.toml", text).unwrap_err();
        assert_eq!(&text[error.span.clone()], "ignroe");
        assert!(error.message.contains("unknown field"), "{}", error.message);

        let text = "ignore = [\"RL999\"]\n";
        let error = read("rasalint.toml", text).unwrap_err();
        assert_eq!(&text[error.span.clone()], "\"RL999\"");

        let text = "fail-on-warnings = \"yes\"\n";
        let error = read("rasalint.toml", text).unwrap_err();
        assert_eq!(&text[error.span.clone()], "\"yes\"");

        let text = "[severity]\nRL202 = \"fatal\"\n";
        let error = read("rasalint.toml", text).unwrap_err();
        assert_eq!(&text[error.span.clone()], "\"fatal\"");

        let text = "min-examples = \"three\"\n";
        let error = read("rasalint.toml", text).unwrap_err();
        assert_eq!(&text[error.span.clone()], "\"three\"");

        let text = "max-ratio = 0.5\n";
        let error = read("rasalint.toml", text).unwrap_err();
        assert_eq!(&text[error.span.clone()], "0.5");
        assert!(error.help.unwrap().contains("greater than 1"));
    }

    #[test]
    fn options_default_to_rasas_values_and_the_flag_wins() {
        let config = read(
            "rasalint.toml",
            "min-examples = 4\nmax-ratio = 2.5\nmax-history = 3\n",
        )
        .unwrap();
        let options = resolve(&config, &Overrides::default()).options;
        assert_eq!((options.min_examples, options.max_ratio), (4, 2.5));
        let from_file = options.max_history.unwrap();
        assert_eq!(from_file.value, 3);
        assert_eq!(from_file.source, "max-history in rasalint.toml");
        let overrides = Overrides {
            max_history: Some(7),
            ..Overrides::default()
        };
        let from_flag = resolve(&config, &overrides).options.max_history.unwrap();
        assert_eq!(
            (from_flag.value, from_flag.source.as_str()),
            (7, "--max-history")
        );
        let none = resolve(&ConfigFile::default(), &Overrides::default()).options;
        assert_eq!(none, RuleOptions::default());
    }

    #[test]
    fn pyproject_counts_with_a_tool_table() {
        let config = read(
            "pyproject.toml",
            "[project]\nname = \"bot\"\n[tool.rasalint]\nignore = [\"RL2\"]\n",
        )
        .unwrap();
        assert_eq!(config.raw.ignore.unwrap()[0].get_ref(), "RL2");
    }

    #[test]
    fn the_command_line_overrides_the_file() {
        let config = read(
            "rasalint.toml",
            "select = [\"RL1\"]\nignore = [\"RL108\"]\n",
        )
        .unwrap();
        let overrides = Overrides {
            select: Some(vec!["RL2".into()]),
            ignore: vec!["RL201".into()],
            ..Overrides::default()
        };
        let settings = resolve(&config, &overrides);
        assert_eq!(settings.selection.select, Some(vec!["RL2".to_string()]));
        assert_eq!(settings.selection.ignore, ["RL108", "RL201"]);
    }

    #[test]
    fn the_search_stops_at_the_repository_root() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("rasalint.toml"), "").unwrap();
        let repo = dir.path().join("repo");
        std::fs::create_dir_all(repo.join(".git")).unwrap();
        std::fs::create_dir_all(repo.join("bot/data")).unwrap();
        assert_eq!(find_config(&repo.join("bot/data")), None);
        std::fs::write(repo.join("bot/.rasalint.toml"), "").unwrap();
        assert_eq!(
            find_config(&repo.join("bot/data")),
            Some(repo.join("bot/.rasalint.toml"))
        );
    }
}
