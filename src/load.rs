//! Reading and parsing files, in parallel, into a [`Project`].

use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostic::Diagnostic;
use crate::discover::classify_markdown;
use crate::model::{FileKind, Parsed, Project};
use crate::rules::unreadable_file::UnreadableFile;
use crate::source::{FileId, SourceFile};
use crate::syntax::{config, domain, nlu, responses, stories};

/// What a file is expected to be before its content is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Domain,
    /// The domain of a project a `MultiProjectImporter` imports; Rasa merges it into the
    /// bot's domain, overlaps included.
    ImportedDomain,
    Config,
    /// Training data: classified by content, as Rasa does.
    Data,
    /// The bot's custom actions (Python), read only for the response names they use.
    ActionCode,
}

/// The files of one run: the bot's root folder, each file with its role, and the folder
/// paths are shown relative to.
#[derive(Debug, Clone, Default)]
pub struct Input {
    pub root: PathBuf,
    pub files: Vec<(PathBuf, Role)>,
    /// Where paths are shown from: the working folder, so that a path in a finding opens
    /// from the terminal, an editor or a CI annotation; `None`: the root. Files outside it
    /// are shown whole.
    pub shown_from: Option<PathBuf>,
    /// Texts read instead of the disk: documents an editor holds open, unsaved edits
    /// included (the language server's view of the bot).
    pub open_documents: std::sync::Arc<rustc_hash::FxHashMap<PathBuf, String>>,
}

/// Reads and parses every input file (in parallel) and builds the project model.
/// Findings about the files themselves (unreadable, syntax) are returned alongside.
pub fn load(input: &Input) -> (Project, Vec<Diagnostic>) {
    let shown_from = input.shown_from.as_deref().unwrap_or(&input.root);
    let results: Vec<(SourceFile, Parsed, Vec<Diagnostic>)> = input
        .files
        .par_iter()
        .enumerate()
        .map(|(index, (path, role))| {
            let open = input.open_documents.get(path);
            load_file(shown_from, FileId(index as u32), path, open, *role)
        })
        .collect();
    let mut files = Vec::with_capacity(results.len());
    let mut parsed = Vec::with_capacity(results.len());
    let mut diagnostics = Vec::new();
    for (file, tree, diags) in results {
        files.push(file);
        parsed.push(tree);
        diagnostics.extend(diags);
    }
    (Project::new(input.root.clone(), files, parsed), diagnostics)
}

/// `a/./b/../c` as `a/c`, by name only; a `..` that starts a relative path stays.
pub fn lexically_normal(path: &Path) -> PathBuf {
    let mut normal = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => match normal.components().next_back() {
                Some(Component::Normal(_)) => {
                    normal.pop();
                }
                // `/..` is `/`.
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => normal.push(".."),
            },
            other => normal.push(other),
        }
    }
    normal
}

/// The path shown to users: relative to `base` when inside it, else whole.
pub fn display_path(base: &Path, path: &Path) -> PathBuf {
    let relative = path.strip_prefix(base).unwrap_or(path);
    relative.strip_prefix(".").unwrap_or(relative).to_path_buf()
}

fn load_file(
    shown_from: &Path,
    id: FileId,
    path: &Path,
    open: Option<&String>,
    role: Role,
) -> (SourceFile, Parsed, Vec<Diagnostic>) {
    let shown = display_path(shown_from, path);
    let read = match open {
        Some(text) if text.len() as u64 > MAX_FILE_BYTES => Err(too_large(text.len() as u64)),
        Some(text) => Ok(text.clone().into_bytes()),
        None => read_bounded(path),
    };
    let bytes = match read {
        Ok(bytes) => bytes,
        Err(e) => {
            let file = SourceFile::new(shown, path.to_path_buf(), String::new());
            let diag = Diagnostic::new(
                &UnreadableFile::META,
                id,
                0..0,
                format!("cannot read this file: {e}"),
            );
            let parsed = Parsed::Unreadable {
                reason: e.to_string(),
                kind: None,
                io_error: true,
            };
            return (file, parsed, vec![diag]);
        }
    };
    match String::from_utf8(bytes) {
        Ok(text) => {
            let read = || parse(id, &text, role);
            let (parsed, diags) = crate::internal::read_contained(id, path, read);
            (
                SourceFile::new(shown, path.to_path_buf(), text),
                parsed,
                diags,
            )
        }
        Err(e) => not_utf8(id, shown, path, role, e),
    }
}

/// The largest file rasalint reads: offsets into a file are kept as `u32`
/// (see [`crate::source::SourceFile`]).
pub const MAX_FILE_BYTES: u64 = u32::MAX as u64;

/// The file's bytes, refused without reading them when the file is larger than
/// [`MAX_FILE_BYTES`].
fn read_bounded(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let file = std::fs::File::open(path)?;
    let len = file.metadata()?.len();
    if len > MAX_FILE_BYTES {
        return Err(too_large(len));
    }
    let mut bytes = Vec::with_capacity(len as usize);
    // A file that grows while it is read is still read only up to the limit.
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(std::io::Error::other(
            "the file grew past 4 GiB while it was read; rasalint reads files of up to 4 GiB",
        ));
    }
    Ok(bytes)
}

/// Why a file of `len` bytes is not read (the same for a file on disk and an editor's
/// text).
fn too_large(len: u64) -> std::io::Error {
    std::io::Error::other(format!(
        "the file has {len} bytes; rasalint reads files of up to 4 GiB"
    ))
}

/// A file that is not UTF-8: shown lossily so the finding can point at the first bad byte.
fn not_utf8(
    id: FileId,
    shown: PathBuf,
    path: &Path,
    role: Role,
    e: std::string::FromUtf8Error,
) -> (SourceFile, Parsed, Vec<Diagnostic>) {
    let valid_up_to = e.utf8_error().valid_up_to();
    let bytes = e.into_bytes();
    let bad = bytes[valid_up_to];
    let text = String::from_utf8_lossy(&bytes).into_owned();
    // Rasa never reads an undecodable file as NLU, but its story check opens files
    // leniently, so such a file with a `##` line is read as stories and fails there.
    let kind = (role == Role::Data && crate::discover::has_story_pattern(&text))
        .then_some(FileKind::Stories);
    let reason = format!("UnicodeDecodeError: byte 0x{bad:02X} in position {valid_up_to}");
    let diag = Diagnostic::new(
        &UnreadableFile::META,
        id,
        valid_up_to..valid_up_to,
        format!("this file is not UTF-8: byte 0x{bad:02X} at offset {valid_up_to} is not valid"),
    )
    .with_help(
        "save the file as UTF-8; Rasa 1.10 stops with a UnicodeDecodeError that names no file",
    );
    (
        SourceFile::new(shown, path.to_path_buf(), text),
        Parsed::Unreadable {
            reason,
            kind,
            io_error: false,
        },
        vec![diag],
    )
}

/// Parses a file's text according to its role (and, for data, its content).
pub fn parse(id: FileId, text: &str, role: Role) -> (Parsed, Vec<Diagnostic>) {
    match role {
        Role::Domain | Role::ImportedDomain => {
            let (mut d, diags) = domain::parse_domain(id, text);
            d.imported = role == Role::ImportedDomain;
            (Parsed::Domain(d), diags)
        }
        Role::Config => {
            let (c, diags) = config::parse_config(id, text);
            (Parsed::Config(c), diags)
        }
        Role::ActionCode => (
            Parsed::ActionCode(crate::syntax::action_code::referenced_responses(text)),
            Vec::new(),
        ),
        Role::Data => match classify_markdown(text) {
            Some(FileKind::Nlu) => {
                let (n, diags) = nlu::parse_nlu(id, text);
                (Parsed::Nlu(n), diags)
            }
            Some(FileKind::Stories) => {
                let (s, diags) = stories::parse_stories(id, text);
                (Parsed::Stories(s), diags)
            }
            Some(FileKind::Nlg) => {
                let (r, diags) = responses::parse_responses(id, text);
                (Parsed::Nlg(r), diags)
            }
            _ => (Parsed::Ignored, Vec::new()),
        },
    }
}
