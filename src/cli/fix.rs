//! `rasalint check --fix`: writes the texts `crate::fix` computes, each file replaced
//! atomically (a new file beside it, then renamed over it), so an interrupted run leaves
//! every file either as it was or fixed, never half written.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::Io;
use super::render::plural;
use crate::Report;

/// What `--fix` did, over all its rounds.
#[derive(Debug, Default)]
pub struct Fixed {
    pub findings: usize,
    /// The files written.
    pub files: BTreeSet<PathBuf>,
    /// Files left alone because they changed on disk since they were read.
    pub changed_meanwhile: BTreeSet<PathBuf>,
    /// Files that could not be written (each was reported on stderr once).
    pub failed: BTreeSet<PathBuf>,
}

/// How many times `--fix` fixes and checks again at most: fixes of the same text (a line's
/// indentation and its marker, say) are applied one round after another.
pub const ROUNDS: usize = 4;

impl Fixed {
    /// The line `--fix` prints on stderr.
    pub fn summary(&self) -> String {
        let findings = plural(self.findings, "finding");
        let files = plural(self.files.len(), "file");
        let mut line = format!("fixed {findings} in {files}");
        if !self.changed_meanwhile.is_empty() {
            line += &format!(
                "; {} changed while rasalint ran and were left alone",
                self.changed_meanwhile.len()
            );
        }
        line
    }
}

/// Applies the fixes of `report`'s findings to their files, adding to `fixed`, and says
/// how many findings this round fixed. A file whose content is no longer what was
/// checked (edited meanwhile), or that could not be written before, is left alone.
pub fn write_fixes(report: &Report, fixed: &mut Fixed, io: &mut Io) -> std::io::Result<usize> {
    let project = &report.project;
    let fixed_files = crate::fix::apply(&report.findings, |file| &project.file(file).text);
    let mut findings = 0;
    // The same file can be read twice (through a link, say): it is written once a round.
    let mut written = BTreeSet::new();
    let fence = writable_tree(&project.root);
    for file in fixed_files {
        let source = project.file(file.file);
        let path = &source.disk_path;
        let target = std::fs::canonicalize(path).unwrap_or_else(|_| path.clone());
        if fixed.failed.contains(path) || fixed.changed_meanwhile.contains(path) {
            continue;
        }
        if !target.starts_with(&fence) {
            writeln!(
                io.stderr,
                "rasalint: not fixing {}: it leads to {}, outside {}; fix it there",
                source.path.display(),
                target.display(),
                fence.display()
            )?;
            fixed.failed.insert(path.clone());
            continue;
        }
        if !written.insert(target) {
            continue;
        }
        match std::fs::read(path) {
            Ok(bytes) if bytes == source.text.as_bytes() => {}
            _ => {
                fixed.changed_meanwhile.insert(path.clone());
                continue;
            }
        }
        if let Err(e) = replace_atomically(path, &file.text) {
            writeln!(
                io.stderr,
                "rasalint: cannot write {}: {e}",
                source.path.display()
            )?;
            fixed.failed.insert(path.clone());
            continue;
        }
        findings += file.fixed;
        fixed.files.insert(path.clone());
    }
    fixed.findings += findings;
    Ok(findings)
}

/// The folder `--fix` writes in: the repository the bot is in (the nearest folder upward
/// with a `.git`), else the bot's folder, links resolved. A link in an untrusted
/// repository that leads out of it must not make `--fix` edit whatever file it names.
fn writable_tree(root: &Path) -> PathBuf {
    let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let repository = root.ancestors().find(|dir| dir.join(".git").exists());
    repository.map_or_else(|| root.clone(), Path::to_path_buf)
}

/// Writes `text` to a new file beside `path` (beside the file a symbolic link points to,
/// so the link stays a link), with the same permissions and owner, and renames it over
/// the old one. Refused: a file this user may not write (someone does not want it
/// changed), and a file with other hard links (replacing it would split them).
fn replace_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let target = std::fs::canonicalize(path)?;
    let metadata = std::fs::metadata(&target)?;
    let refuse = |why: &str| {
        Err(std::io::Error::new(
            std::io::ErrorKind::PermissionDenied,
            why,
        ))
    };
    if metadata.permissions().readonly()
        || std::fs::OpenOptions::new()
            .write(true)
            .open(&target)
            .is_err()
    {
        return refuse("the file is read-only");
    }
    #[cfg(unix)]
    if std::os::unix::fs::MetadataExt::nlink(&metadata) > 1 {
        return refuse("the file has other hard links");
    }
    let folder = target.parent().unwrap_or(Path::new("."));
    let mut new = tempfile::NamedTempFile::new_in(folder)?;
    new.write_all(text.as_bytes())?;
    new.as_file().sync_all()?;
    new.as_file().set_permissions(metadata.permissions())?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        // The fixed file keeps its owner (rasalint run by root in a container, say).
        if let Err(e) =
            std::os::unix::fs::fchown(new.as_file(), Some(metadata.uid()), Some(metadata.gid()))
        {
            return Err(std::io::Error::new(
                e.kind(),
                format!("cannot give the fixed file the same owner: {e}"),
            ));
        }
    }
    new.persist(&target).map_err(|e| e.error)?;
    Ok(())
}

/// What `--fix` would change, for `--diff`: each file's text before and after, fixed in
/// memory round after round as `--fix` fixes on disk (each round checks the fixed texts,
/// given to the loader as open documents), and how many findings were fixed.
#[derive(Debug, Default)]
pub struct Preview {
    /// By the path a file was read from: the path shown, the text read, the fixed text.
    pub files: std::collections::BTreeMap<PathBuf, (PathBuf, String, String)>,
    pub findings: usize,
}

impl Preview {
    /// Adds the fixes of one bot, `report` being its findings as checked with `layout`.
    pub fn add(
        &mut self,
        mut report: Report,
        layout: &crate::layout::Layout,
        check: impl Fn(&crate::layout::Layout) -> Report,
    ) {
        let preview = self;
        let mut layout = layout.clone();
        for _ in 0..ROUNDS {
            let project = &report.project;
            let fixed_files = crate::fix::apply(&report.findings, |file| &project.file(file).text);
            if fixed_files.is_empty() {
                break;
            }
            for fixed in fixed_files {
                let source = project.file(fixed.file);
                let entry = preview.files.entry(source.disk_path.clone());
                let (_, _, text) = entry
                    .or_insert_with(|| (source.path.clone(), source.text.clone(), String::new()));
                *text = fixed.text;
                preview.findings += fixed.fixed;
            }
            let texts = preview
                .files
                .iter()
                .map(|(p, (_, _, t))| (p.clone(), t.clone()));
            layout.input.open_documents = std::sync::Arc::new(texts.collect());
            report = check(&layout);
        }
    }

    /// The changes as unified diffs, one per file, paths as shown (`a/…`, `b/…`).
    pub fn diff(&self) -> String {
        let mut out = String::new();
        for (shown, before, after) in self.files.values() {
            let shown = super::render::line_path(shown);
            let (a, b) = (format!("a/{shown}"), format!("b/{shown}"));
            out.push_str(&super::diff::unified(before, after, &a, &b));
        }
        out
    }

    /// The line `--diff` prints on stderr.
    pub fn summary(&self) -> String {
        let findings = plural(self.findings, "finding");
        let files = plural(self.files.len(), "file");
        format!("{findings} in {files} would be fixed by `rasalint check --fix`")
    }
}
