//! Reading and parsing files, in parallel, into a [`Project`].

use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostic::Diagnostic;
use crate::discover::classify_markdown;
use crate::model::{FileKind, FileParts, Project, Rasa2Markdown, Unreadable};
use crate::source::{FileId, SourceFile};
use crate::syntax::problem::{Problem, ProblemKind};
pub use crate::syntax::yaml_env::Environment;
use crate::syntax::{config, domain, nlu, responses, stories, yaml_data};

/// What a file is expected to be before its content is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Domain,
    /// A YAML file of a domain folder: part of the domain for the Rasa versions whose test
    /// it passes (Rasa 1.10: named `domain.yml`, which `named_domain` says; 2.8 and 3.6: a
    /// top-level domain key). `also_data` when it is under the training-data paths too
    /// (with whether its name makes it test stories): read as data when it is no domain
    /// file.
    DomainInFolder {
        named_domain: bool,
        also_data: Option<bool>,
    },
    /// The domain of a project a `MultiProjectImporter` imports; Rasa merges it into the
    /// bot's domain, overlaps included.
    ImportedDomain,
    Config,
    /// Markdown training data: classified by content, as Rasa does.
    Data,
    /// Rasa 2/3 YAML training data (`.yml`, `.yaml`): classified by its keys, as Rasa
    /// does; a stories file whose name starts with `test_` holds test stories.
    YamlData {
        test_stories: bool,
    },
    /// The bot's custom actions (Python), read only for the response names they use.
    ActionCode,
}

impl Role {
    /// The role of a training-data file, by its name: YAML for the extensions Rasa 2/3
    /// read as YAML (compared case-sensitively, as Rasa does), Markdown otherwise.
    pub fn data(path: &Path) -> Role {
        if crate::discover::is_yaml(path) {
            let name = path.file_name().map(|n| n.to_string_lossy());
            Role::YamlData {
                test_stories: name.is_some_and(|n| n.starts_with("test_")),
            }
        } else {
            Role::Data
        }
    }
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
    /// The environment variables Rasa would expand `${…}` in YAML from: rasalint's own by
    /// default.
    pub environment: Environment,
}

/// Reads and parses every input file (in parallel) and builds the project model.
/// Findings about the files themselves (unreadable, syntax) are returned alongside.
pub fn load(input: &Input) -> (Project, Vec<Diagnostic>) {
    load_observed(input, &crate::progress::Progress::default())
}

/// [`load`], counting the files read in `progress`.
pub fn load_observed(
    input: &Input,
    progress: &crate::progress::Progress,
) -> (Project, Vec<Diagnostic>) {
    progress.reading(input.files.len());
    let shown_from = input.shown_from.as_deref().unwrap_or(&input.root);
    let results: Vec<(SourceFile, FileParts, Vec<Diagnostic>)> = input
        .files
        .par_iter()
        .enumerate()
        .map(|(index, (path, role))| {
            let open = input.open_documents.get(path);
            let id = FileId(index as u32);
            let loaded = load_file(shown_from, id, path, open, *role, &input.environment);
            progress.file_read();
            loaded
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
    env: &Environment,
) -> (SourceFile, FileParts, Vec<Diagnostic>) {
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
            let diag = finding(Problem::new(
                ProblemKind::UnreadableFile,
                id,
                0..0,
                format!("cannot read this file: {e}"),
            ));
            let parsed = FileParts::unreadable(Unreadable {
                reason: e.to_string(),
                kind: None,
                io_error: true,
            });
            return (file, parsed, vec![diag]);
        }
    };
    match String::from_utf8(bytes) {
        Ok(text) => {
            let read = || parse_in(id, &text, role, env);
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
/// [`MAX_FILE_BYTES`] or is no regular file: a pipe blocks until someone writes to it and
/// a device such as `/dev/zero` never ends, so their size says nothing.
pub fn read_bounded(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    // Looked at before opening, as opening a pipe already blocks; links are followed.
    regular(&std::fs::metadata(path)?)?;
    let file = std::fs::File::open(path)?;
    // Again for what was opened, in case the path was replaced in between.
    let metadata = file.metadata()?;
    regular(&metadata)?;
    let len = metadata.len();
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

/// An error naming what a path is when it is no regular file.
fn regular(metadata: &std::fs::Metadata) -> std::io::Result<()> {
    let kind = metadata.file_type();
    if kind.is_file() {
        return Ok(());
    }
    let what = special_kind(kind);
    Err(std::io::Error::new(
        std::io::ErrorKind::InvalidInput,
        format!("it is {what}, not a regular file; rasalint reads only regular files"),
    ))
}

fn special_kind(kind: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    if kind.is_dir() {
        "a folder"
    } else {
        "a special file"
    }
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
) -> (SourceFile, FileParts, Vec<Diagnostic>) {
    let valid_up_to = e.utf8_error().valid_up_to();
    let bytes = e.into_bytes();
    let bad = bytes[valid_up_to];
    let text = String::from_utf8_lossy(&bytes).into_owned();
    // Rasa never reads an undecodable file as NLU, but its story check opens files
    // leniently, so such a file with a `##` line is read as stories and fails there.
    let kind = (role == Role::Data && crate::discover::has_story_pattern(&text))
        .then_some(FileKind::Stories);
    let reason = format!("UnicodeDecodeError: byte 0x{bad:02X} in position {valid_up_to}");
    let diag = finding(
        Problem::new(
            ProblemKind::UnreadableFile,
            id,
            valid_up_to..valid_up_to,
            format!(
                "this file is not UTF-8: byte 0x{bad:02X} at offset {valid_up_to} is not valid"
            ),
        )
        .with_help(
            "save the file as UTF-8; Rasa 1.10 stops with a UnicodeDecodeError that names no file",
        ),
    );
    (
        SourceFile::new(shown, path.to_path_buf(), text),
        FileParts::unreadable(Unreadable {
            reason,
            kind,
            io_error: false,
        }),
        vec![diag],
    )
}

/// Parses a file's text according to its role (and, for data, its content); the readers'
/// problems become findings of the rules they belong to.
pub fn parse(id: FileId, text: &str, role: Role) -> (FileParts, Vec<Diagnostic>) {
    parse_in(id, text, role, &Environment::Process)
}

/// [`parse`], with Rasa's `${…}` expanded from `env`.
pub fn parse_in(
    id: FileId,
    text: &str,
    role: Role,
    env: &Environment,
) -> (FileParts, Vec<Diagnostic>) {
    let (parsed, problems) = read(id, text, role, env);
    (parsed, problems.into_iter().map(finding).collect())
}

/// A Rasa 2/3 YAML training-data file, with Rasa 2.8's Markdown reading of it when there
/// is one.
fn read_yaml_data(
    id: FileId,
    text: &str,
    test_stories: bool,
    env: &Environment,
) -> (FileParts, Vec<Problem>) {
    let (mut parts, problems) = yaml_data::read_data(id, text, test_stories, env);
    if let Some(data) = parts.yaml.as_mut() {
        data.rasa2_markdown = rasa2_markdown(id, text).map(Box::new);
    }
    (parts, problems)
}

/// How Rasa 2.8 reads a YAML data file its format guessing takes for Markdown (see
/// [`Rasa2Markdown`]), if it does. What the Markdown readers report is left out: only a
/// Rasa 2 bot reads the file so, and ambiguous-file-kind (RL011) says it.
fn rasa2_markdown(id: FileId, text: &str) -> Option<Rasa2Markdown> {
    if yaml_data::is_json(text) {
        return None;
    }
    if let Some(marker) = crate::discover::nlu_marker(text) {
        let (nlu, _) = nlu::parse_nlu(id, text);
        return Some(Rasa2Markdown {
            nlu: Some(nlu),
            responses: None,
            marker,
        });
    }
    if !crate::discover::has_nlg_marker(text) {
        return None;
    }
    let (responses, _) = responses::parse_responses(id, text);
    let marker = text.find("##").map_or(0..0, |at| at..at + 2);
    Some(Rasa2Markdown {
        nlu: None,
        responses: Some(responses),
        marker,
    })
}

/// A reader's problem as the finding of the rule it belongs to.
fn finding(problem: Problem) -> Diagnostic {
    Diagnostic::from_problem(crate::rules::rule_of(problem.kind), problem)
}

/// What the reader of the file's role (and, for data, content) makes of its text.
fn read(id: FileId, text: &str, role: Role, env: &Environment) -> (FileParts, Vec<Problem>) {
    match role {
        Role::Domain | Role::ImportedDomain => {
            let (mut d, problems) = domain::parse_domain(id, text);
            d.imported = role == Role::ImportedDomain;
            (FileParts::domain(d), problems)
        }
        Role::DomainInFolder {
            named_domain,
            also_data,
        } => {
            let (parts, problems) = domain::parse_folder_member(id, text, named_domain);
            match also_data {
                Some(test_stories) if parts.domain.is_none() => {
                    read_yaml_data(id, text, test_stories, env)
                }
                _ => (parts, problems),
            }
        }
        Role::Config => {
            let (c, problems) = config::parse_config(id, text);
            (FileParts::config(c), problems)
        }
        Role::ActionCode => (
            FileParts::action_code(crate::syntax::action_code::referenced_responses(text)),
            Vec::new(),
        ),
        Role::YamlData { test_stories } => read_yaml_data(id, text, test_stories, env),
        Role::Data => match classify_markdown(text) {
            Some(FileKind::Nlu) => {
                let (n, problems) = nlu::parse_nlu(id, text);
                (FileParts::nlu(n), problems)
            }
            Some(FileKind::Stories) => {
                let (s, problems) = stories::parse_stories(id, text);
                (FileParts::stories(s), problems)
            }
            Some(FileKind::Nlg) => {
                let (r, problems) = responses::parse_responses(id, text);
                (FileParts::responses(r), problems)
            }
            _ => (FileParts::ignored(), Vec::new()),
        },
    }
}
