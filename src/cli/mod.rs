//! Everything that touches the terminal: arguments, commands, output formats. `run` takes
//! its arguments, working folder and output streams as values so tests can drive it.

pub mod convert;
mod diff;
mod excerpt;
mod fix;
pub mod junit;
pub mod progress;
pub mod render;
pub mod sarif;
pub mod terminal;

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand, ValueEnum};

use crate::diagnostic::{Diagnostic, Severity};
use crate::engine::find_rule;
use crate::layout::{LayoutOptions, resolve};
use crate::rules::ALL;
use crate::rules::internal_error::InternalError;
use crate::selection::Selection;
use crate::settings::{Overrides, Settings, find_config, read_config};

/// Exit status: no errors.
pub const EXIT_OK: u8 = 0;
/// Exit status: findings at failing severity.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit status: usage, configuration, I/O or internal error.
pub const EXIT_TROUBLE: u8 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "rasalint",
    version,
    about = "A fast, precise linter for Rasa training data: 1.x Markdown and 2.x/3.x YAML"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check a bot: domain, NLU, stories and responses
    Check(Box<CheckArgs>),
    /// List every rule
    Rules,
    /// Show a rule's documentation
    Rule {
        /// A rule code (RL101) or name (nlu-intent-not-in-domain)
        rule: String,
    },
    /// Print the settings a check would use: the configuration file and the rules
    Config {
        /// The path a check would be run on (default: the working folder)
        paths: Vec<PathBuf>,
        #[command(flatten)]
        settings: SettingsArgs,
    },
    /// Run as a language server (LSP on stdin and stdout), for editors
    Server {
        /// Accepted and ignored: stdin and stdout are the one transport. Language clients
        /// (vscode-languageclient, others) add it to the command they start.
        #[arg(long, hide = true)]
        stdio: bool,
    },
    /// Convert a Rasa 1.x Markdown bot to Rasa 3 YAML (NLU, responses, domain, config.yml)
    Convert(Box<convert::ConvertArgs>),
    /// Print what rasalint parsed, as JSON in the shape of the Rasa oracle's dump.py
    Dump {
        /// Files or folders
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Read the bot as this Rasa version (1, 2 or 3) instead of detecting it
        #[arg(long, value_name = "VERSION", value_parser = parse_rasa_version)]
        rasa_version: Option<crate::rasa::RasaVersion>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Reports with the source line and the span underlined
    Full,
    /// One line per finding: path:line:col: severity[code] message
    Concise,
    /// A JSON array of findings
    Json,
    /// GitHub Actions workflow commands (annotations on pull requests)
    Github,
    /// A GitLab Code Quality report (findings in merge requests)
    Gitlab,
    /// SARIF 2.1.0 (GitHub code scanning and other code-scanning services)
    Sarif,
    /// JUnit XML (test reports in GitLab merge requests, Jenkins)
    Junit,
}

/// `FORMAT=PATH` of `--report`.
fn parse_report(value: &str) -> Result<(OutputFormat, PathBuf), String> {
    let (format, path) = value
        .split_once('=')
        .ok_or_else(|| format!("`{value}` is not FORMAT=PATH, such as junit=rasalint.xml"))?;
    let format = OutputFormat::from_str(format, true).map_err(|_| {
        let names: Vec<String> = OutputFormat::value_variants()
            .iter()
            .filter_map(|v| v.to_possible_value().map(|p| p.get_name().to_string()))
            .collect();
        format!(
            "`{format}` is no format; the formats are {}",
            names.join(", ")
        )
    })?;
    if path.is_empty() {
        return Err("the report needs a file to be written to, after `=`".into());
    }
    Ok((format, PathBuf::from(path)))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Files or folders to check (default: the bot around the working folder or, without
    /// one, each bot below it); paths in several bots check each bot on its own
    pub paths: Vec<PathBuf>,
    /// Domain file or folder (Rasa's flag)
    #[arg(long, short = 'd')]
    pub domain: Vec<PathBuf>,
    /// Training data file or folder (Rasa's flag)
    #[arg(long)]
    pub data: Vec<PathBuf>,
    /// NLU data file or folder (the old validator's flag)
    #[arg(long)]
    pub intents: Vec<PathBuf>,
    /// Story file or folder (the old validator's flag)
    #[arg(long)]
    pub stories: Vec<PathBuf>,
    /// Rasa's config.yml (default: config.yml beside the domain)
    #[arg(long)]
    pub rasa_config: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "full")]
    pub output_format: OutputFormat,
    /// Also write the findings in another format to a file, such as `junit=rasalint.xml`
    /// (repeatable: one run for the log and every CI report)
    #[arg(long, value_name = "FORMAT=PATH", value_parser = parse_report)]
    pub report: Vec<(OutputFormat, PathBuf)>,
    #[command(flatten)]
    pub settings: SettingsArgs,
    /// Print how long each phase took, on stderr: phases in wall time, each rule family
    /// and the slowest rules in the CPU time of the thread that ran them
    #[arg(long)]
    pub timings: bool,
    /// Apply the safe fixes (files are replaced atomically), then report what is left
    #[arg(long)]
    pub fix: bool,
    /// Print the safe fixes as a unified diff and nothing else: no file is written, and the
    /// exit status says only whether there is anything to fix (1) or not (0)
    #[arg(long, conflicts_with_all = ["fix", "report"])]
    pub diff: bool,
    /// Worker threads (default: one per core; at most 4 per core)
    #[arg(long)]
    pub threads: Option<usize>,
    /// Colours in the graphical report (auto: when stdout is a terminal other than
    /// TERM=dumb and CLICOLOR is not 0, or FORCE_COLOR or CLICOLOR_FORCE asks for them;
    /// never with NO_COLOR)
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorChoice,
}

/// The flags that choose rasalint's configuration and override it.
#[derive(Debug, Clone, clap::Args)]
pub struct SettingsArgs {
    /// rasalint's configuration file (default: the nearest rasalint.toml, .rasalint.toml, or
    /// pyproject.toml with [tool.rasalint], upward from the checked path)
    #[arg(long, conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Use no configuration file
    #[arg(long)]
    pub no_config: bool,
    /// Exit 1 on warnings too
    #[arg(long)]
    pub fail_on_warnings: bool,
    /// Only these rules, replacing the configuration's (codes, prefixes such as RL1, or
    /// names; comma-separated)
    #[arg(long, value_delimiter = ',')]
    pub select: Option<Vec<String>>,
    /// Also these rules
    #[arg(long, value_delimiter = ',')]
    pub extend_select: Vec<String>,
    /// Not these rules, besides those the configuration ignores
    #[arg(long, value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// The `max_history` story-structure-conflict (RL301) slices dialogues with, instead
    /// of the configuration's, config.yml's policies' or Rasa's default (the longest story)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub max_history: Option<u32>,
    /// The Rasa version the bot is read as: 1 (Markdown, as Rasa 1.10), 2 (as 2.8) or 3
    /// (as 3.6); default: what its files say (a domain's `version:` key, slot mappings)
    #[arg(long, value_name = "VERSION", value_parser = parse_rasa_version)]
    pub rasa_version: Option<crate::rasa::RasaVersion>,
}

/// `--rasa-version`'s value.
fn parse_rasa_version(text: &str) -> Result<crate::rasa::RasaVersion, String> {
    crate::rasa::RasaVersion::parse(text)
        .ok_or_else(|| format!("`{text}` is not a Rasa version rasalint reads: use 1, 2 or 3"))
}

/// Where `run` reads and writes.
pub struct Io<'a> {
    pub cwd: &'a Path,
    pub stdout: &'a mut dyn Write,
    pub stderr: &'a mut dyn Write,
    /// What the terminal and the environment allow (colours, box drawing, progress).
    pub terminal: terminal::Terminal,
}

impl<'a> Io<'a> {
    /// Output to `stdout` and `stderr` that are no terminals, in an environment that
    /// asks for nothing (as in a test).
    pub fn plain(cwd: &'a Path, stdout: &'a mut dyn Write, stderr: &'a mut dyn Write) -> Self {
        Io {
            cwd,
            stdout,
            stderr,
            terminal: terminal::Terminal::default(),
        }
    }

    /// How the graphical report is drawn on stdout: colour as `choice` says (for `auto`,
    /// as the terminal and the environment say), and box drawing unless the terminal is
    /// dumb.
    fn drawing(&self, choice: ColorChoice) -> Drawing {
        let color = match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => self.terminal.colors_stdout(),
        };
        Drawing {
            color,
            unicode: self.terminal.draws_boxes(),
        }
    }
}

/// A `--report` file: no colours, box drawing.
const FILE_DRAWING: Drawing = Drawing {
    color: false,
    unicode: true,
};

/// How a graphical report is drawn: with colours, with box-drawing characters.
#[derive(Debug, Clone, Copy)]
struct Drawing {
    color: bool,
    unicode: bool,
}

/// Runs rasalint with `args` (including the program name) and returns the exit status. A
/// panic that nothing nearer contained is an internal error: said on stderr, exit 2.
pub fn run(args: impl IntoIterator<Item = std::ffi::OsString>, io: &mut Io) -> u8 {
    match crate::internal::contain(|| run_command(args, io)) {
        Ok(status) => status,
        Err(panic) => {
            let _ = writeln!(
                io.stderr,
                "rasalint: internal error: {panic}\n\
                 This is a bug in rasalint: please report it, with the command and the files if you can."
            );
            EXIT_TROUBLE
        }
    }
}

fn run_command(args: impl IntoIterator<Item = std::ffi::OsString>, io: &mut Io) -> u8 {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let status = if e.use_stderr() {
                EXIT_TROUBLE
            } else {
                EXIT_OK
            };
            let target: &mut dyn Write = if e.use_stderr() { io.stderr } else { io.stdout };
            let _ = write!(target, "{}", e.render());
            return status;
        }
    };
    let result = match cli.command {
        Command::Check(args) => check(&args, io),
        Command::Rules => write_rules(io.stdout),
        Command::Rule { rule } => write_rule(&rule, io),
        Command::Dump {
            paths,
            rasa_version,
        } => dump(&paths, rasa_version, io),
        Command::Config { paths, settings } => write_config(&paths, &settings, io),
        Command::Convert(args) => convert::convert(&args, io),
        Command::Server { .. } => serve(io),
    };
    result.unwrap_or_else(|e| {
        say_output_failed(io.stderr, &e);
        EXIT_TROUBLE
    })
}

/// Says on `stderr` that the output could not be written (a full disk, a closed pipe).
pub fn say_output_failed(stderr: &mut dyn Write, error: &std::io::Error) {
    let _ = writeln!(stderr, "rasalint: cannot write output: {error}");
}

/// One bot of a run: the settings it is checked with (its own configuration file) and
/// its files.
struct Bot {
    settings: Settings,
    layout: crate::layout::Layout,
}

/// The bots of a run, and those of them found by searching below a folder.
struct Planned {
    bots: Vec<Bot>,
    found_below: Vec<PathBuf>,
}

fn check(args: &CheckArgs, io: &mut Io) -> std::io::Result<u8> {
    let started = std::time::Instant::now();
    let settings = match load_settings(&args.settings, args.paths.first(), io)? {
        Ok(settings) => settings,
        Err(status) => return Ok(status),
    };
    let Planned { bots, found_below } = match plan_bots(args, settings, io)? {
        Ok(planned) => planned,
        Err(status) => return Ok(status),
    };
    let discovered = started.elapsed();
    let threads = args.threads.map(bounded_threads);
    if let (Some(asked), Some((used, cores))) = (args.threads, threads)
        && used < asked
    {
        writeln!(
            io.stderr,
            "rasalint: --threads {asked} is more than {THREADS_PER_CORE} per core ({cores} here): using {used}"
        )?;
    }
    let workers = Workers::new(threads.map(|(used, _)| used));
    let counts = crate::progress::Progress::default();
    let check_with = |layout: &crate::layout::Layout, settings: &Settings| {
        workers.run(|| crate::check_observed(layout, settings, &counts))
    };
    let check_bot = |bot: &Bot| check_with(&bot.layout, &bot.settings);
    let show = io.terminal.rewrites_stderr();
    if args.diff {
        say_bots(&bots, &found_below, io)?;
        let (preview, internal) =
            progress::while_working(io.stderr, show, &counts, progress::DELAY, || {
                preview_fixes(&bots, &check_with)
            });
        return write_diff(&preview, &internal, io);
    }
    let mut reports: Vec<crate::Report> =
        progress::while_working(io.stderr, show, &counts, progress::DELAY, || {
            bots.iter().map(check_bot).collect()
        });
    let mut write_failed = false;
    if args.fix {
        // Fixes that touch the same text wait for the next round, on the fixed files.
        let mut fixed = fix::Fixed::default();
        for (bot, report) in bots.iter().zip(&mut reports) {
            for _ in 0..fix::ROUNDS {
                if fix::write_fixes(report, &mut fixed, io)? == 0 {
                    break;
                }
                // What is left is what the fixed files hold now.
                *report =
                    progress::while_working(io.stderr, show, &counts, progress::DELAY, || {
                        check_bot(bot)
                    });
            }
        }
        writeln!(io.stderr, "{}", fixed.summary())?;
        write_failed = !fixed.failed.is_empty();
    }
    if matches!(
        args.output_format,
        OutputFormat::Full | OutputFormat::Concise | OutputFormat::Github
    ) {
        say_bots(&bots, &found_below, io)?;
    }
    let checked = Checked::merge(reports, &bots);
    let drawing = io.drawing(args.color);
    let rendering = std::time::Instant::now();
    let outcome = Outcome {
        findings: &checked.findings,
        files: &checked.files,
        bots: &checked.bots,
        workers: &workers,
    };
    outcome.write(args.output_format, drawing, io)?;
    write_failed |= !outcome.write_reports(&args.report, io)?;
    if args.timings {
        // Timings go to stderr, after the report.
        io.stdout.flush()?;
        let mut all = crate::timings::Timings::default();
        all.record(
            "configuration, discovery",
            discovered,
            Some(format!("{} files", checked.files.len())),
        );
        all.phases.extend(checked.timings.phases);
        all.record(
            "render",
            rendering.elapsed(),
            Some(format!("{} findings", checked.findings.len())),
        );
        write!(io.stderr, "{}", all.render(started.elapsed()))?;
    }
    // Asked to fix, a file that could not be written is an I/O error, as is one that
    // could not be read.
    Ok(if write_failed {
        EXIT_TROUBLE
    } else {
        checked.status
    })
}

/// The bots `check` checks, each with its settings, and the bots found by searching
/// below a folder (see [`crate::layout::bots`]); `settings` are those found from the first
/// path (or the working folder). Files named with `--domain`/`--data` (or the
/// configuration's `domain`/`data`) make one bot. A mistake is said on stderr: exit 2.
fn plan_bots(
    args: &CheckArgs,
    settings: Settings,
    io: &mut Io,
) -> std::io::Result<Result<Planned, u8>> {
    let named = !args.domain.is_empty()
        || data_flags(args).next().is_some()
        || !settings.domain.is_empty()
        || !settings.data.is_empty();
    let split = if named {
        crate::layout::Bots {
            paths: vec![args.paths.clone()],
            found_below: Vec::new(),
        }
    } else {
        match crate::layout::bots(&args.paths, io.cwd) {
            Ok(split) => split,
            Err(message) => {
                writeln!(io.stderr, "rasalint: {message}")?;
                return Ok(Err(EXIT_TROUBLE));
            }
        }
    };
    // One bot where the settings were looked for: those settings. Several: each its own.
    let alone = split.paths.len() == 1 && split.found_below.is_empty();
    let mut first = Some(settings);
    let mut bots = Vec::with_capacity(split.paths.len());
    for paths in split.paths {
        let settings = match first.take().filter(|_| alone) {
            Some(settings) => settings,
            None => match load_settings(&args.settings, paths.first(), io)? {
                Ok(settings) => settings,
                Err(status) => return Ok(Err(status)),
            },
        };
        match resolve(&layout_options(args, &settings, paths), io.cwd) {
            Ok(layout) => bots.push(Bot { settings, layout }),
            Err(message) => {
                writeln!(io.stderr, "rasalint: {message}")?;
                return Ok(Err(EXIT_TROUBLE));
            }
        }
    }
    Ok(Ok(Planned {
        bots,
        found_below: split.found_below,
    }))
}

/// The training data flags: Rasa's `--data`, the old validator's `--intents`, `--stories`.
fn data_flags(args: &CheckArgs) -> impl Iterator<Item = &PathBuf> {
    args.data.iter().chain(&args.intents).chain(&args.stories)
}

/// The files of one bot: `paths`, and the domain and data the command line names (or,
/// without such flags, the configuration).
fn layout_options(args: &CheckArgs, settings: &Settings, paths: Vec<PathBuf>) -> LayoutOptions {
    let data: Vec<PathBuf> = data_flags(args).cloned().collect();
    let from_config = args.domain.is_empty() && data.is_empty();
    LayoutOptions {
        paths,
        domain: if from_config {
            settings.domain.clone()
        } else {
            args.domain.clone()
        },
        data: if from_config {
            settings.data.clone()
        } else {
            data
        },
        config: args.rasa_config.clone(),
    }
}

/// Says on stderr which bots a run checks, when it checks several or found them by
/// searching below a folder: `checked 2 bots: bot/, coach/`.
fn say_bots(bots: &[Bot], found_below: &[PathBuf], io: &mut Io) -> std::io::Result<()> {
    if bots.len() < 2 && found_below.is_empty() {
        return Ok(());
    }
    let names: Vec<String> = bots
        .iter()
        .map(|bot| {
            let shown = crate::load::display_path(io.cwd, &bot.layout.input.root);
            match render::display_path(&shown) {
                name if name.is_empty() || name == "." => "./".to_string(),
                name => format!("{}/", name.trim_end_matches('/')),
            }
        })
        .collect();
    let count = render::plural(bots.len(), "bot");
    writeln!(io.stderr, "checked {count}: {}", names.join(", "))
}

/// What `check --diff` shows: the safe fixes of every bot (fixed in memory, round after
/// round), and the internal errors of the checks, in the concise format.
fn preview_fixes(
    bots: &[Bot],
    check: &(dyn Fn(&crate::layout::Layout, &Settings) -> crate::Report + Sync),
) -> (fix::Preview, String) {
    let mut preview = fix::Preview::default();
    let mut internal = String::new();
    for bot in bots {
        let report = check(&bot.layout, &bot.settings);
        // The diff lists no findings: an internal error is said on stderr.
        let failed: Vec<Diagnostic> = report
            .findings
            .iter()
            .filter(|d| InternalError::is(d))
            .cloned()
            .collect();
        internal += &render::concise(&failed, &report.project.files);
        preview.add(report, &bot.layout, |layout| check(layout, &bot.settings));
    }
    (preview, internal)
}

/// `check --diff`: the fixes as one unified diff on stdout, their count on stderr; exit 1
/// when there is anything to fix (2 on an internal error).
fn write_diff(preview: &fix::Preview, internal: &str, io: &mut Io) -> std::io::Result<u8> {
    write!(io.stdout, "{}", preview.diff())?;
    io.stdout.flush()?;
    writeln!(io.stderr, "{}", preview.summary())?;
    write!(io.stderr, "{internal}")?;
    Ok(if !internal.is_empty() {
        EXIT_TROUBLE
    } else if preview.findings > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    })
}

/// What the bots of a run found, as one report: their files one after another, and the
/// findings pointing into them.
struct Checked {
    files: Vec<crate::source::SourceFile>,
    findings: Vec<Diagnostic>,
    /// Each bot's files (as indexes of `files`) and whether its warnings fail the run.
    bots: Vec<(std::ops::Range<usize>, bool)>,
    timings: crate::timings::Timings,
    /// The worst exit status of the bots.
    status: u8,
}

impl Checked {
    fn merge(reports: Vec<crate::Report>, bots: &[Bot]) -> Self {
        let mut checked = Checked {
            files: Vec::new(),
            findings: Vec::new(),
            bots: Vec::new(),
            timings: crate::timings::Timings::default(),
            status: EXIT_OK,
        };
        for (report, bot) in reports.into_iter().zip(bots) {
            let crate::Report {
                mut project,
                mut findings,
                timings,
            } = report;
            let fail_on_warnings = bot.settings.fail_on_warnings;
            // A file that could not be read leaves the run incomplete: its findings are
            // shown (RL001 says which file and why), but the run does not pass or fail as
            // if whole.
            let status = if project.misses_a_file() || has_internal_error(&findings) {
                EXIT_TROUBLE
            } else {
                exit_status(&findings, fail_on_warnings)
            };
            checked.status = checked.status.max(status);
            let offset = checked.files.len();
            if offset > 0 {
                let shift = |file: &mut crate::source::FileId| file.0 += offset as u32;
                for finding in &mut findings {
                    shift(&mut finding.file);
                    finding.related.iter_mut().for_each(|r| shift(&mut r.file));
                }
            }
            checked.files.append(&mut project.files);
            checked.findings.append(&mut findings);
            let files = offset..checked.files.len();
            checked.bots.push((files, fail_on_warnings));
            checked.timings.phases.extend(timings.phases);
            // The process ends right after this command: freeing every node of every
            // syntax tree one by one would cost more than a tenth of a run on a large
            // bot, for nothing.
            std::mem::forget(project);
        }
        checked
    }
}

/// The settings of a run: the configuration file (found upward from `start`, or named, or
/// none) with the command line's overrides. A configuration mistake is reported on stderr
/// and gives exit status 2.
fn load_settings(
    args: &SettingsArgs,
    start: Option<&PathBuf>,
    io: &mut Io,
) -> std::io::Result<Result<Settings, u8>> {
    let overrides = Overrides {
        select: args.select.clone(),
        extend_select: args.extend_select.clone(),
        ignore: args.ignore.clone(),
        fail_on_warnings: args.fail_on_warnings,
        max_history: args.max_history.map(|h| h as usize),
        rasa_version: args.rasa_version,
    };
    let cli_selection = Selection {
        select: overrides.select.clone(),
        extend_select: overrides.extend_select.clone(),
        ignore: overrides.ignore.clone(),
    };
    if let Some(unknown) = cli_selection.unknown_selectors().first() {
        writeln!(
            io.stderr,
            "rasalint: `{unknown}` names no rule (see `rasalint rules`)"
        )?;
        return Ok(Err(EXIT_TROUBLE));
    }
    let start = start.map_or_else(|| io.cwd.to_path_buf(), |p| io.cwd.join(p));
    let path = match (&args.config, args.no_config) {
        (_, true) => None,
        (Some(path), _) => Some(io.cwd.join(path)),
        (None, false) => find_config(&start),
    };
    let config = match path.as_deref().map(read_config).transpose() {
        Ok(config) => config.unwrap_or_default(),
        Err(error) => {
            let style = render::GraphicalStyle {
                color: false,
                unicode: io.terminal.draws_boxes(),
                width: 100,
            };
            write!(io.stderr, "{}", render::config_error(&error, &style))?;
            if error
                .path
                .extension()
                .is_some_and(|e| e == "yml" || e == "yaml")
            {
                writeln!(
                    io.stderr,
                    "  note: `--config` names rasalint's own configuration; Rasa's config.yml goes with `--rasa-config`"
                )?;
            }
            return Ok(Err(EXIT_TROUBLE));
        }
    };
    Ok(Ok(crate::settings::resolve(&config, &overrides)))
}

/// `rasalint config`: where the settings come from and what they select.
fn write_config(paths: &[PathBuf], args: &SettingsArgs, io: &mut Io) -> std::io::Result<u8> {
    let settings = match load_settings(args, paths.first(), io)? {
        Ok(settings) => settings,
        Err(status) => return Ok(status),
    };
    let out = &mut *io.stdout;
    let source = settings
        .source
        .as_ref()
        .map_or("none (defaults)".to_string(), |p| p.display().to_string());
    writeln!(out, "configuration: {source}")?;
    let list = |v: &[String]| {
        if v.is_empty() {
            "[]".to_string()
        } else {
            format!("[{}]", v.join(", "))
        }
    };
    let select = settings
        .selection
        .select
        .as_deref()
        .map_or("the default rules".to_string(), list);
    writeln!(out, "select: {select}")?;
    writeln!(
        out,
        "extend-select: {}",
        list(&settings.selection.extend_select)
    )?;
    writeln!(out, "ignore: {}", list(&settings.selection.ignore))?;
    for ignore in &settings.per_file_ignores {
        writeln!(
            out,
            "per-file-ignores: {} = {}",
            ignore.pattern,
            list(&ignore.rules)
        )?;
    }
    for (rule, severity) in &settings.severities {
        writeln!(out, "severity: {rule} = {}", severity.as_str())?;
    }
    writeln!(out, "fail-on-warnings: {}", settings.fail_on_warnings)?;
    let paths = |v: &[PathBuf]| {
        v.iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
    };
    writeln!(out, "domain: {}", list(&paths(&settings.domain)))?;
    writeln!(out, "data: {}", list(&paths(&settings.data)))?;
    for (key, value) in settings.options.entries() {
        writeln!(out, "{key}: {value}")?;
    }
    let rasa_version = settings.rasa_version.as_ref().map_or_else(
        || {
            "what the bot's files say (a domain's version: key, slots with mappings; else 1)"
                .to_string()
        },
        |(version, source)| format!("{} ({source})", version.release()),
    );
    writeln!(out, "rasa-version: {rasa_version}")?;
    writeln!(out, "rules:")?;
    for rule in ALL
        .iter()
        .filter(|r| settings.selection.is_enabled(r.meta()))
    {
        let meta = rule.meta();
        let severity = match &settings.rasa_version {
            Some((version, _)) => settings.severity_of(meta, *version).as_str().to_string(),
            None => settings
                .configured_severity(meta)
                .map_or_else(|| meta.severity_text(), |s| s.as_str().to_string()),
        };
        writeln!(out, "  {}  {:<38} {severity}", meta.code, meta.name)?;
    }
    Ok(EXIT_OK)
}

/// Threads allowed per core: the work is CPU-bound, so more only wait, and a pool of
/// thousands takes minutes to start and stop.
const THREADS_PER_CORE: usize = 4;

/// The worker threads to start for `--threads asked`, and the cores they are bounded by.
fn bounded_threads(asked: usize) -> (usize, usize) {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    (asked.min(cores.saturating_mul(THREADS_PER_CORE)), cores)
}

/// The worker threads of a run: a pool of `--threads` workers, or rayon's global pool.
/// Checking and drawing reports both run on it, so `--threads` bounds the whole run.
struct Workers(Option<rayon::ThreadPool>);

impl Workers {
    fn new(threads: Option<usize>) -> Self {
        Workers(threads.and_then(|n| rayon::ThreadPoolBuilder::new().num_threads(n).build().ok()))
    }

    fn run<T: Send>(&self, work: impl FnOnce() -> T + Send) -> T {
        match &self.0 {
            Some(pool) => pool.install(work),
            None => work(),
        }
    }
}

/// What the reports of a run are made from.
struct Outcome<'a> {
    findings: &'a [Diagnostic],
    files: &'a [crate::source::SourceFile],
    /// Each bot's files (indexes of `files`) and whether its warnings fail the run.
    bots: &'a [(std::ops::Range<usize>, bool)],
    workers: &'a Workers,
}

impl Outcome<'_> {
    /// Writes the findings to stdout in `format` (the concise format's summary to stderr).
    fn write(&self, format: OutputFormat, drawing: Drawing, io: &mut Io) -> std::io::Result<()> {
        if format != OutputFormat::Concise {
            return write!(io.stdout, "{}", self.report(format, drawing));
        }
        let files = self.files;
        write!(io.stdout, "{}", render::concise(self.findings, files))?;
        // Stdout is buffered: on a terminal (or one pipe for both) the summary must not
        // overtake the findings.
        io.stdout.flush()?;
        writeln!(io.stderr, "{}", render::summary(self.findings, files.len()))
    }

    /// The findings in `format`, as written to stdout or to a `--report` file (the
    /// concise format's summary line included, which stdout's sends to stderr).
    fn report(&self, format: OutputFormat, drawing: Drawing) -> String {
        let (findings, files) = (self.findings, self.files);
        let summary = || render::summary(findings, files.len());
        let ci_folder = |variable: &str| std::env::var_os(variable).map(PathBuf::from);
        match format {
            OutputFormat::Full => {
                let style = render::GraphicalStyle {
                    color: drawing.color,
                    unicode: drawing.unicode,
                    width: 100,
                };
                let reports = self
                    .workers
                    .run(|| render::graphical(findings, files, &style));
                format!("{reports}{}\n", summary())
            }
            OutputFormat::Concise => {
                format!("{}{}\n", render::concise(findings, files), summary())
            }
            OutputFormat::Json => format!("{}\n", render::json(findings, files)),
            // GitHub annotates at most 10 findings of each kind per step: a notice then
            // counts the rest, and the summary line counts them all.
            OutputFormat::Github => {
                let workspace = ci_folder("GITHUB_WORKSPACE");
                let annotations = render::github(findings, files, workspace.as_deref());
                format!("{annotations}{}\n", summary())
            }
            OutputFormat::Gitlab => {
                let project_dir = ci_folder("CI_PROJECT_DIR");
                format!(
                    "{}\n",
                    render::gitlab(findings, files, project_dir.as_deref())
                )
            }
            OutputFormat::Sarif => {
                let checkout = ci_folder("GITHUB_WORKSPACE");
                format!("{}\n", sarif::sarif(findings, files, checkout.as_deref()))
            }
            OutputFormat::Junit => junit::junit(findings, files, &|d| self.fails(d)),
        }
    }

    /// Whether a finding fails the run: an error, or a warning in a bot whose settings
    /// say warnings fail.
    fn fails(&self, finding: &Diagnostic) -> bool {
        let file = finding.file.index();
        finding.severity == Severity::Error
            || self
                .bots
                .iter()
                .any(|(files, on_warnings)| *on_warnings && files.contains(&file))
    }

    /// Writes each `--report` file, replacing it atomically; says on stderr which could
    /// not be written, and whether all were.
    fn write_reports(
        &self,
        reports: &[(OutputFormat, PathBuf)],
        io: &mut Io,
    ) -> std::io::Result<bool> {
        let paths: Vec<PathBuf> = reports
            .iter()
            .map(|(_, path)| crate::load::lexically_normal(&io.cwd.join(path)))
            .collect();
        if let Some(twice) = paths
            .iter()
            .find(|p| paths.iter().filter(|q| q == p).count() > 1)
        {
            let twice = twice.display();
            writeln!(
                io.stderr,
                "rasalint: two reports would be written to {twice}"
            )?;
            return Ok(false);
        }
        let mut all_written = true;
        for ((format, _), path) in reports.iter().zip(paths) {
            if let Err(e) = write_report(&path, &self.report(*format, FILE_DRAWING)) {
                writeln!(io.stderr, "rasalint: cannot write {}: {e}", path.display())?;
                all_written = false;
            }
        }
        Ok(all_written)
    }
}

/// Writes a report file. A regular file (or a new one) is replaced atomically: a reader
/// never sees half a report. Through a symbolic link, the file it leads to is replaced and
/// the link stays; a pipe or a device (`/dev/stdout`) is written as it is.
fn write_report(path: &Path, text: &str) -> std::io::Result<()> {
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    let target = if is_link {
        match std::fs::canonicalize(path) {
            Ok(target) => target,
            // A link to nothing yet: the file is created where it leads.
            Err(_) => return std::fs::write(path, text),
        }
    } else {
        path.to_path_buf()
    };
    match std::fs::metadata(&target) {
        Ok(existing) if !existing.is_file() => std::fs::write(&target, text),
        Ok(existing) => replace_atomically(&target, text, Some(existing.permissions())),
        Err(_) => replace_atomically(&target, text, None),
    }
}

/// Writes a new file beside `path` and renames it over `path`, with the permissions of
/// the file it replaces, or (a new file) those any new file gets (the umask applies).
fn replace_atomically(
    path: &Path,
    text: &str,
    permissions: Option<std::fs::Permissions>,
) -> std::io::Result<()> {
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty());
    let mut builder = tempfile::Builder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // A temporary file is made readable by its owner only; a report is an ordinary file.
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut file = builder.tempfile_in(folder.unwrap_or(Path::new(".")))?;
    file.write_all(text.as_bytes())?;
    if let Some(permissions) = permissions {
        file.as_file().set_permissions(permissions)?;
    }
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Whether a rule or a reader failed on a bug (RL902): the run is incomplete, exit 2.
fn has_internal_error(findings: &[Diagnostic]) -> bool {
    findings.iter().any(InternalError::is)
}

fn exit_status(findings: &[Diagnostic], fail_on_warnings: bool) -> u8 {
    let failing = |d: &Diagnostic| d.severity == Severity::Error || fail_on_warnings;
    if findings.iter().any(failing) {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

fn write_rules(out: &mut dyn Write) -> std::io::Result<u8> {
    for rule in ALL {
        let meta = rule.meta();
        let severity = if meta.enabled_by_default {
            meta.severity.as_str()
        } else {
            "off"
        };
        writeln!(
            out,
            "{}  {:<38} {:<8} {}",
            meta.code, meta.name, severity, meta.summary
        )?;
    }
    Ok(EXIT_OK)
}

fn write_rule(code_or_name: &str, io: &mut Io) -> std::io::Result<u8> {
    let Some(rule) = find_rule(code_or_name) else {
        writeln!(
            io.stderr,
            "rasalint: no rule `{code_or_name}` (see `rasalint rules`)"
        )?;
        return Ok(EXIT_TROUBLE);
    };
    write!(io.stdout, "{}", rule_page(rule.meta()))?;
    Ok(EXIT_OK)
}

/// A rule's documentation as `rasalint rule CODE` prints it (Markdown): code, name and
/// default severity, summary, when it runs, and what it does, why, and examples. SARIF
/// logs carry the same text, to be read offline.
pub(crate) fn rule_page(meta: &crate::rule::RuleMeta) -> String {
    let severity = if meta.enabled_by_default {
        meta.severity_text()
    } else {
        "off by default".to_string()
    };
    let mut page = format!(
        "# {} {} ({severity})\n\n{}\n\n",
        meta.code, meta.name, meta.summary
    );
    if let Some(scope) = meta.scope() {
        page += &format!("{scope}\n\n");
    }
    page + &meta.documentation()
}

/// `rasalint server`: the language server on stdin and stdout, until the editor says exit.
/// It writes stdout from a thread of its own, so `io.stdout` must not hold stdout's lock.
fn serve(io: &mut Io) -> std::io::Result<u8> {
    let (connection, threads) = crate::server::transport::connect(
        std::io::BufReader::new(std::io::stdin()),
        std::io::stdout(),
    )?;
    let served = crate::server::run(&connection);
    // Closing the channel lets the writer thread finish.
    drop(connection);
    let joined = threads.join();
    let joined = joined.map_err(|e| e.to_string());
    match served
        .map_err(|e| e.to_string())
        .and_then(|e| joined.map(|()| e))
    {
        Ok(crate::server::Ending::Clean) => Ok(EXIT_OK),
        // The protocol's exit code for an `exit` without `shutdown`.
        Ok(crate::server::Ending::Abrupt) => Ok(1),
        Err(message) => {
            writeln!(io.stderr, "rasalint server: {message}")?;
            Ok(EXIT_TROUBLE)
        }
    }
}

fn dump(
    paths: &[PathBuf],
    rasa_version: Option<crate::rasa::RasaVersion>,
    io: &mut Io,
) -> std::io::Result<u8> {
    let mut input = crate::load::Input {
        root: io.cwd.to_path_buf(),
        files: Vec::new(),
        ..crate::load::Input::default()
    };
    // Domain folders: the path as given, and where their files start and end in `input`.
    let mut folders: Vec<(String, std::ops::Range<usize>)> = Vec::new();
    for given in paths {
        let path = if given.is_absolute() {
            given.clone()
        } else {
            io.cwd.join(given)
        };
        if !path.exists() {
            writeln!(
                io.stderr,
                "rasalint: {}: no such file or folder",
                path.display()
            )?;
            return Ok(EXIT_TROUBLE);
        }
        let listed = if path.is_dir() && is_domain_folder(&path) {
            crate::discover::domain_folder_files(&path).map(|files| {
                let start = input.files.len();
                folders.push((given.display().to_string(), start..start + files.len()));
                files
                    .into_iter()
                    .map(|file| {
                        let named_domain = crate::discover::is_domain_name(&file);
                        let role = crate::load::Role::DomainInFolder {
                            named_domain,
                            also_data: None,
                        };
                        (file, role)
                    })
                    .collect()
            })
        } else {
            dump_candidates(&path).map(|files| {
                files
                    .into_iter()
                    .map(|file| {
                        let role = dump_role(&file);
                        (file, role)
                    })
                    .collect::<Vec<_>>()
            })
        };
        match listed {
            Ok(files) => input.files.extend(files),
            Err(message) => {
                writeln!(io.stderr, "rasalint: {message}")?;
                return Ok(EXIT_TROUBLE);
            }
        }
    }
    let (mut project, _) = crate::load::load(&input);
    if let Some(version) = rasa_version {
        project.set_rasa(crate::model::version::RasaChoice::detect(
            &project.parts,
            Some((version, "--rasa-version".to_owned())),
        ));
    }
    let mut json = crate::dump::dump(&project);
    // The oracle of Rasa 2.8 and 3.6 writes an entry for a domain folder; Rasa 1.10's does
    // not.
    if project.rasa.version == crate::rasa::RasaVersion::V1 {
        folders.clear();
    }
    for (name, range) in folders {
        let files: Vec<_> = range
            .map(|i| crate::source::FileId(i as u32))
            .filter_map(|id| Some((id, project.parts[id.index()].domain.as_deref()?)))
            .filter(|(_, d)| d.is_read_by(project.rasa.version))
            .collect();
        json[name] = crate::dump::dump_domain_folder(&project, &files);
    }
    let json = serde_json::to_string_pretty(&json).unwrap_or_default();
    writeln!(io.stdout, "{json}")?;
    Ok(EXIT_OK)
}

/// dump.py's test for a domain folder: a YAML file with a top-level domain key, and no
/// file of NLU, stories or rules (by Rasa's line test).
fn is_domain_folder(path: &Path) -> bool {
    let Ok(files) = crate::discover::files_under(path, crate::discover::is_yaml) else {
        return false;
    };
    let mut found = false;
    for file in files {
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        if crate::syntax::yaml_data::is_key_in_yaml(&text, &["nlu", "stories", "rules"]) {
            return false;
        }
        found = found || has_domain_key(&text);
    }
    found
}

use crate::syntax::domain::DOMAIN_KEYS;

/// The top-level string keys of a YAML text (none when it does not parse).
fn top_level_keys(text: &str) -> Vec<String> {
    crate::yaml::parse(text).map_or_else(
        |_| Vec::new(),
        |root| {
            root.as_map()
                .unwrap_or_default()
                .iter()
                .filter_map(|(k, _)| k.as_str().map(str::to_owned))
                .collect()
        },
    )
}

/// Whether a YAML text has a top-level domain key.
fn has_domain_key(text: &str) -> bool {
    top_level_keys(text)
        .iter()
        .any(|k| DOMAIN_KEYS.contains(&k.as_str()))
}

/// How dump.py reads a file outside a domain folder: a domain when named so, or when it
/// passes Rasa's domain-file test, has a top-level key besides `responses` and `version`,
/// and no stories, rules or `nlu:` line.
fn dump_role(file: &Path) -> crate::load::Role {
    if crate::discover::is_domain_name(file) {
        return crate::load::Role::Domain;
    }
    let role = crate::load::Role::data(file);
    if !matches!(role, crate::load::Role::YamlData { .. }) {
        return role;
    }
    let Ok(text) = std::fs::read_to_string(file) else {
        return role;
    };
    let is_data = crate::syntax::yaml_data::is_key_in_yaml(&text, &["nlu", "stories", "rules"]);
    let keys = top_level_keys(&text);
    let is_domain = keys.iter().any(|k| DOMAIN_KEYS.contains(&k.as_str()));
    let beyond_responses = keys.iter().any(|k| k != "responses" && k != "version");
    if !is_data && is_domain && beyond_responses {
        crate::load::Role::Domain
    } else {
        role
    }
}

/// Files dump.py looks at: training data (Markdown and YAML) and files named like a domain.
fn dump_candidates(path: &Path) -> Result<Vec<PathBuf>, String> {
    crate::discover::files_under(path, crate::discover::is_data)
}
