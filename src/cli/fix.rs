//! `rasalint check --fix`: writes the texts `crate::fix` computes, each file replaced
//! atomically (a new file beside it, then renamed over it), so an interrupted run leaves
//! every file either as it was or fixed, never half written.

use std::io::Write;
use std::path::Path;

use super::Io;
use crate::Report;

/// What `--fix` did.
#[derive(Debug, Default)]
pub struct Fixed {
    pub findings: usize,
    pub files: usize,
    /// Files left alone because they changed on disk since they were read.
    pub changed_meanwhile: usize,
    /// Files that could not be written (each was reported on stderr).
    pub failed: usize,
}

impl Fixed {
    /// The line `--fix` prints on stderr.
    pub fn summary(&self) -> String {
        let findings = if self.findings == 1 {
            "1 finding".to_string()
        } else {
            format!("{} findings", self.findings)
        };
        let files = if self.files == 1 { "file" } else { "files" };
        let mut line = format!("fixed {findings} in {} {files}", self.files);
        if self.changed_meanwhile > 0 {
            line += &format!(
                "; {} changed while rasalint ran and were left alone",
                self.changed_meanwhile
            );
        }
        line
    }
}

/// Applies the fixes of `report`'s findings to their files. A file whose content is no
/// longer what was checked (edited meanwhile) is not written.
pub fn write_fixes(report: &Report, io: &mut Io) -> std::io::Result<Fixed> {
    let project = &report.project;
    let fixed_files = crate::fix::apply(&report.findings, |file| project.file(file).text.clone());
    let mut fixed = Fixed::default();
    for file in fixed_files {
        let source = project.file(file.file);
        match std::fs::read(&source.disk_path) {
            Ok(bytes) if bytes == source.text.as_bytes() => {}
            _ => {
                fixed.changed_meanwhile += 1;
                continue;
            }
        }
        if let Err(e) = replace_atomically(&source.disk_path, &file.text) {
            writeln!(
                io.stderr,
                "rasalint: cannot write {}: {e}",
                source.path.display()
            )?;
            fixed.failed += 1;
            continue;
        }
        fixed.findings += file.fixed;
        fixed.files += 1;
    }
    Ok(fixed)
}

/// Writes `text` to a new file beside `path` (beside the file a symbolic link points to,
/// so the link stays a link), with the same permissions, and renames it over the old one.
/// A read-only file is refused: someone does not want it changed.
fn replace_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let target = std::fs::canonicalize(path)?;
    let permissions = std::fs::metadata(&target)?.permissions();
    if permissions.readonly() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::PermissionDenied,
            "the file is read-only",
        ));
    }
    let folder = target.parent().unwrap_or(Path::new("."));
    let mut new = tempfile::NamedTempFile::new_in(folder)?;
    new.write_all(text.as_bytes())?;
    new.as_file().sync_all()?;
    new.as_file().set_permissions(permissions)?;
    new.persist(&target).map_err(|e| e.error)?;
    Ok(())
}
