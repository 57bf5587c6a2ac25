//! `rasalint convert [PATH] --to 3`: converts a Rasa 1.x Markdown bot to Rasa 3 YAML
//! (`crate::convert` makes the texts) and writes them, beside the sources or under
//! `--out DIR`, each atomically (a new file in the same folder, then renamed into place).
//!
//! What is written where: `data/nlu.md` → `data/nlu.yml`, the test stories of `tests/` (read
//! too when `--data` is not given) to `tests/test_<name>.yml` (the Markdown is kept: a person
//! deletes it once content with the conversion; Rasa 3 does not read it), `domain.yml` and
//! `config.yml` rewritten in place, or everything under `--out DIR` in the bot's own
//! layout. A file that exists is never replaced without `--force` (the sources the command
//! rewrites in place excepted, and only when they are still what was read); nothing is
//! written outside the bot's folder (or `--out DIR`).

use std::io::Write;
use std::path::{Path, PathBuf};

use super::render::{line_path, plural};
use super::{EXIT_FINDINGS, EXIT_OK, EXIT_TROUBLE, Io};
use crate::convert::{Conversion, Note, OutputFile};
use crate::layout::{LayoutOptions, resolve};
use crate::model::Project;

/// The Rasa version `--to` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Target {
    /// Rasa 3 (YAML training data `version: "3.1"`, read as Rasa 3.6 reads it)
    #[value(name = "3")]
    Rasa3,
}

#[derive(Debug, clap::Args)]
pub struct ConvertArgs {
    /// The bot's folder (default: the bot around the working folder)
    pub path: Option<PathBuf>,
    /// The Rasa version to convert to
    #[arg(long, value_enum)]
    pub to: Target,
    /// Domain file or folder (Rasa's flag)
    #[arg(long, short = 'd')]
    pub domain: Vec<PathBuf>,
    /// Training data file or folder (Rasa's flag)
    #[arg(long)]
    pub data: Vec<PathBuf>,
    /// Rasa's config.yml (default: config.yml beside the domain)
    #[arg(long, value_name = "FILE")]
    pub rasa_config: Option<PathBuf>,
    /// Write the converted bot under this folder, in the bot's own layout (domain.yml,
    /// config.yml, data/…), instead of beside the sources
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Print what would be written, as a unified diff, and write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Replace files that exist already
    #[arg(long)]
    pub force: bool,
}

/// A converted file and where it goes on disk.
struct Planned<'a> {
    file: &'a OutputFile,
    target: PathBuf,
    /// The text there now, when there is a file.
    existing: Option<String>,
}

pub fn convert(args: &ConvertArgs, io: &mut Io) -> std::io::Result<u8> {
    let options = LayoutOptions {
        paths: args.path.iter().cloned().collect(),
        domain: args.domain.clone(),
        data: args.data.clone(),
        config: args.rasa_config.clone(),
    };
    let mut layout = match resolve(&options, io.cwd) {
        Ok(layout) => layout,
        Err(message) => {
            writeln!(io.stderr, "rasalint: {message}")?;
            return Ok(EXIT_TROUBLE);
        }
    };
    if args.data.is_empty() {
        add_test_stories(&mut layout.input);
    }
    let (mut project, _) = crate::load::load(&layout.input);
    crate::convert::read_as_written(&mut project);
    if let Some(bad) = project.parts.iter().position(|p| p.unreadable.is_some()) {
        let file = &project.files[bad];
        let reason = project.parts[bad]
            .unreadable
            .as_ref()
            .map(|u| u.reason.clone())
            .unwrap_or_default();
        writeln!(
            io.stderr,
            "rasalint: cannot convert: {} cannot be read ({reason})",
            line_path(&file.path)
        )?;
        return Ok(EXIT_TROUBLE);
    }
    let conversion = crate::convert::convert(&project);
    if let Some(why) = &conversion.refused {
        writeln!(io.stderr, "rasalint: {why}")?;
        return Ok(EXIT_TROUBLE);
    }
    if let Some(why) = &conversion.nothing_to_convert {
        writeln!(io.stdout, "nothing to convert: {why}")?;
        return Ok(EXIT_OK);
    }
    let base = match &args.out {
        Some(out) => crate::load::lexically_normal(&io.cwd.join(out)),
        None => project.root.clone(),
    };
    let planned = match plan(&conversion, &project, &base, args, io)? {
        Ok(planned) => planned,
        Err(status) => return Ok(status),
    };
    if args.dry_run {
        for p in &planned {
            let shown = line_path(&crate::load::display_path(io.cwd, &p.target));
            let (old, a) = match &p.existing {
                Some(text) => (text.as_str(), format!("a/{shown}")),
                None => ("", "/dev/null".to_string()),
            };
            let diff = super::diff::unified(old, &p.file.text, &a, &format!("b/{shown}"));
            write!(io.stdout, "{diff}")?;
        }
        io.stdout.flush()?;
        let summary = summary(&conversion, &project, &planned, io.cwd, true);
        write!(io.stderr, "{summary}")?;
        return Ok(status(&conversion));
    }
    let mut failed = false;
    for p in &planned {
        let overwrite = p.existing.is_some();
        if let Err(e) = write_new(&p.target, &p.file.text, overwrite) {
            let shown = crate::load::display_path(io.cwd, &p.target);
            writeln!(io.stderr, "rasalint: cannot write {}: {e}", shown.display())?;
            failed = true;
        }
    }
    let summary = summary(&conversion, &project, &planned, io.cwd, false);
    write!(io.stdout, "{summary}")?;
    Ok(if failed {
        EXIT_TROUBLE
    } else {
        status(&conversion)
    })
}

/// The most Markdown files taken from a bot's `tests/` folder.
const MAX_TEST_FILES: usize = 10_000;

/// A 1.x bot keeps its end-to-end test stories in `tests/` (`rasa test` reads them there),
/// outside the training data `check` reads: the whole bot is converted with them (to
/// `tests/test_<name>.yml`), unless `--data` names the data.
fn add_test_stories(input: &mut crate::load::Input) {
    let tests = input.root.join("tests");
    let found: Vec<PathBuf> = walkdir::WalkDir::new(&tests)
        .max_depth(4)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(walkdir::DirEntry::into_path)
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .take(MAX_TEST_FILES)
        .collect();
    for path in found {
        if !input.files.iter().any(|(p, _)| *p == path) {
            input.files.push((path, crate::load::Role::Data));
        }
    }
}

/// 1 when a person must look at something, else 0.
fn status(conversion: &Conversion) -> u8 {
    if conversion.needs_person.is_empty() {
        EXIT_OK
    } else {
        EXIT_FINDINGS
    }
}

/// Where each converted file goes, refusing (exit 2, said on stderr) files that exist
/// (without `--force`), sources changed since they were read, and targets outside `base`.
fn plan<'c>(
    conversion: &'c Conversion,
    project: &Project,
    base: &Path,
    args: &ConvertArgs,
    io: &mut Io,
) -> std::io::Result<Result<Vec<Planned<'c>>, u8>> {
    let in_place = args.out.is_none();
    let mut planned = Vec::new();
    let mut existing_files = Vec::new();
    let fence = std::fs::canonicalize(base).unwrap_or_else(|_| base.to_path_buf());
    for file in &conversion.files {
        let target = base.join(&file.relative);
        let source = project.file(file.source);
        let own_source = in_place && file.rewrites_source;
        if own_source && file.text == source.text {
            continue;
        }
        if escapes(&target, &fence) {
            writeln!(
                io.stderr,
                "rasalint: not writing {}: it leads outside {}",
                target.display(),
                base.display()
            )?;
            return Ok(Err(EXIT_TROUBLE));
        }
        let existing = match std::fs::symlink_metadata(&target) {
            Ok(_) => Some(std::fs::read_to_string(&target).unwrap_or_default()),
            Err(_) => None,
        };
        if let Some(text) = &existing {
            if own_source && *text != source.text {
                writeln!(
                    io.stderr,
                    "rasalint: {} changed while rasalint read it: not converted; run again",
                    line_path(&source.path)
                )?;
                return Ok(Err(EXIT_TROUBLE));
            }
            if !own_source && !args.force {
                existing_files.push(crate::load::display_path(io.cwd, &target));
            }
        }
        planned.push(Planned {
            file,
            target,
            existing,
        });
    }
    if !existing_files.is_empty() && !args.dry_run {
        let names: Vec<String> = existing_files.iter().map(|p| line_path(p)).collect();
        writeln!(
            io.stderr,
            "rasalint: convert would replace {}: {}; nothing was written (use --force to replace them, or --out DIR to write elsewhere)",
            plural(names.len(), "existing file"),
            names.join(", ")
        )?;
        return Ok(Err(EXIT_TROUBLE));
    }
    Ok(Ok(planned))
}

/// Whether `target` would land outside `fence`: its nearest existing folder (links
/// resolved) is not inside it.
fn escapes(target: &Path, fence: &Path) -> bool {
    let mut folder = target.parent();
    while let Some(dir) = folder {
        if let Ok(real) = std::fs::canonicalize(dir) {
            let rest = target.strip_prefix(dir).unwrap_or(target);
            let leads_out = std::fs::symlink_metadata(target)
                .is_ok_and(|m| m.file_type().is_symlink())
                && std::fs::canonicalize(target).is_ok_and(|t| !t.starts_with(fence));
            return !real.join(rest).starts_with(fence) || leads_out;
        }
        folder = dir.parent();
    }
    true
}

/// Writes `text` to `path` atomically: a new file in the same folder (created, with the
/// folders above it, when missing), renamed over `path`. Without `overwrite`, a file that
/// appeared at `path` meanwhile is not replaced.
fn write_new(path: &Path, text: &str, overwrite: bool) -> std::io::Result<()> {
    let folder = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(folder)?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(".rasalint-convert-");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut file = builder.tempfile_in(folder)?;
    file.write_all(text.as_bytes())?;
    file.as_file().sync_all()?;
    if overwrite {
        if let Ok(metadata) = std::fs::metadata(path) {
            file.as_file().set_permissions(metadata.permissions())?;
        }
        file.persist(path).map_err(|e| e.error)?;
    } else {
        file.persist_noclobber(path).map_err(|e| e.error)?;
    }
    Ok(())
}

/// The summary: files written, counts, and the notes.
fn summary(
    conversion: &Conversion,
    project: &Project,
    planned: &[Planned],
    cwd: &Path,
    dry_run: bool,
) -> String {
    let mut out = String::new();
    let verb = if dry_run { "would write" } else { "wrote" };
    out.push_str(&format!("{verb} {}:\n", plural(planned.len(), "file")));
    for p in planned {
        let source = line_path(&project.file(p.file.source).path);
        let target = line_path(&crate::load::display_path(cwd, &p.target));
        if source == target {
            out.push_str(&format!("  {target} (rewritten)\n"));
        } else {
            out.push_str(&format!("  {source} -> {target}\n"));
        }
    }
    let c = &conversion.counts;
    out.push_str(&format!(
        "converted {} ({}), {}, {}, {}, {}\n",
        plural(c.intents, "intent"),
        plural(c.examples, "example"),
        plural(c.stories, "story file"),
        plural(c.responses, "response"),
        plural(c.slots, "slot"),
        plural(c.forms, "form"),
    ));
    if !conversion.changed.is_empty() {
        out.push_str(&format!(
            "{} (the bot means the same):\n",
            plural(conversion.changed.len(), "change")
        ));
        for note in &conversion.changed {
            out.push_str(&format!("  {}\n", note_line(note, project)));
        }
    }
    if conversion.needs_person.is_empty() {
        out.push_str("nothing needs a person\n");
    } else {
        out.push_str(&format!(
            "{} a person must look at:\n",
            plural(conversion.needs_person.len(), "note")
        ));
        for note in &conversion.needs_person {
            out.push_str(&format!("  {}\n", note_line(note, project)));
        }
    }
    out
}

/// `path:line:col: message` (or `path: message` for a note about the whole file).
fn note_line(note: &Note, project: &Project) -> String {
    let file = project.file(note.file);
    let path = line_path(&file.path);
    let message = note.message.replace('\n', " ");
    match &note.span {
        Some(span) => {
            let at = file.line_col(span.start);
            format!("{path}:{}:{}: {message}", at.line, at.column)
        }
        None => format!("{path}: {message}"),
    }
}
