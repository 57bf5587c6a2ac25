//! Finding a bot's files and telling what each one is.
//!
//! Rasa 1.10 decides by content what a Markdown file is (spec §1.1): NLU when it contains a
//! literal `## intent:` (or synonym, regex, lookup) marker, retrieval responses when it has the
//! "NLG marker" shape, stories when any line has `##` and something after it, else nothing.
//! Domains are files named `domain.yml`/`domain.yaml` (or given with `--domain`), or a
//! folder of domain files (`--domain FOLDER`, or a bot's `domain/` folder), walked as
//! Rasa walks it.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use crate::model::FileKind;

/// Names Rasa looks for as a project's domain.
pub const DOMAIN_NAMES: &[&str] = &["domain.yml", "domain.yaml"];

/// Folders never holding training data: build output, caches, virtualenvs, VCS metadata.
const SKIPPED_DIRS: &[&str] = &[
    "models",
    "results",
    "node_modules",
    "__pycache__",
    "venv",
    "env",
];

/// How many folder levels below the working folder [`bots_below`] looks: `bot/`,
/// `bots/en/`, `services/chat/bot/` and one more.
pub const BOT_SEARCH_DEPTH: usize = 4;

/// How many folders [`bots_below`] looks into at most: the search is a convenience, and a
/// large repository must not make it a walk of the whole disk.
pub const BOT_SEARCH_FOLDERS: usize = 20_000;

/// Folders no bot lives in, besides hidden ones and [`SKIPPED_DIRS`]: build output of
/// other tools.
const NO_BOT_DIRS: &[&str] = &["target", "site-packages", "dist", "build"];

/// The bots in the folders below `dir` (not `dir` itself), sorted: folders with a domain
/// (see [`find_project_root`]) and training data of their own (a `data/` folder, or a
/// Markdown or YAML file beside the domain besides Rasa's other settings files). A bot's
/// own folders are not searched further (an imported project is read through its
/// config), nor are hidden folders, virtual environments, [`SKIPPED_DIRS`] and build
/// output; the search goes [`BOT_SEARCH_DEPTH`] levels down and into at most
/// [`BOT_SEARCH_FOLDERS`] folders. Links are not followed, and a folder that cannot be
/// listed is passed over: this is a search, not the reading of a bot's files.
pub fn bots_below(dir: &Path) -> Vec<PathBuf> {
    let mut bots = Vec::new();
    let mut walk = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .max_depth(BOT_SEARCH_DEPTH)
        .sort_by_file_name()
        .into_iter();
    let mut folders = 0;
    while let Some(entry) = walk.next() {
        let Ok(entry) = entry else { continue };
        if !entry.file_type().is_dir() {
            continue;
        }
        folders += 1;
        if folders > BOT_SEARCH_FOLDERS {
            break;
        }
        if is_skipped_dir(&entry) || is_not_for_bots(entry.path()) {
            walk.skip_current_dir();
            continue;
        }
        if is_bot(entry.path()) {
            bots.push(entry.into_path());
            walk.skip_current_dir();
        }
    }
    bots
}

/// Whether a folder is build output or a virtual environment (named anyhow: it has the
/// `pyvenv.cfg` every virtual environment has).
fn is_not_for_bots(dir: &Path) -> bool {
    let name = dir.file_name().unwrap_or_default();
    NO_BOT_DIRS.iter().any(|n| name == *n) || dir.join("pyvenv.cfg").is_file()
}

/// Rasa's settings files that sit beside a domain and are no training data.
const SETTINGS_FILES: &[&str] = &["config.yml", "endpoints.yml", "credentials.yml"];

/// Whether `dir` holds a bot: a domain, and training data of its own.
fn is_bot(dir: &Path) -> bool {
    if domain_in(dir).is_none() && domain_folder_in(dir).is_none() {
        return false;
    }
    if dir.join("data").is_dir() {
        return true;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    entries.filter_map(Result::ok).any(|e| {
        let path = e.path();
        let name = e.file_name();
        is_data(&path)
            && path.is_file()
            && !is_domain_name(&path)
            && !SETTINGS_FILES.iter().any(|n| name == *n)
    })
}

/// The folder holding a bot: the nearest one upward from `start` that has a domain file,
/// or a `domain/` folder of YAML files.
pub fn find_project_root(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|dir| domain_in(dir).is_some() || domain_folder_in(dir).is_some())
        .map(Path::to_path_buf)
}

/// A bot's `domain/` folder, when it has no domain file but that folder holds YAML
/// files: Rasa 2 and 3 bots split their domain so, and are run with `--domain domain`
/// (Rasa's default, `domain.yml`, does not find it).
pub fn domain_folder_in(dir: &Path) -> Option<PathBuf> {
    let folder = dir.join("domain");
    let has_yaml =
        folder.is_dir() && domain_folder_files(&folder).is_ok_and(|files| !files.is_empty());
    has_yaml.then_some(folder)
}

/// The YAML files (`.yml`, `.yaml`, case-sensitive) of a domain folder, in the order
/// Rasa 2 and 3 visit them (`os.walk(followlinks=True)`, not sorted: the file system's
/// order, a folder's files before its subfolders). Hidden files and folders are not
/// skipped. Which of them Rasa reads is decided by their content (see
/// [`crate::model::domain::FolderMember`]); Rasa 1.10 reads those named `domain.yml`.
pub fn domain_folder_files(folder: &Path) -> Result<Vec<PathBuf>, String> {
    let mut files = Vec::new();
    let mut seen = Vec::new();
    python_walk(folder, &mut files, &mut seen)?;
    Ok(files)
}

/// `os.walk` with links followed, keeping the YAML files; a folder reached twice (a link
/// loop) is walked once.
fn python_walk(
    dir: &Path,
    files: &mut Vec<PathBuf>,
    seen: &mut Vec<PathBuf>,
) -> Result<(), String> {
    let real = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    if seen.contains(&real) {
        return Ok(());
    }
    if real.parent().is_none() {
        return Err(filesystem_root(dir, &real));
    }
    seen.push(real);
    let entries = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: cannot list this folder: {e}", dir.display()))?;
    let mut folders = Vec::new();
    for entry in entries {
        let entry =
            entry.map_err(|e| format!("{}: cannot list this folder: {e}", dir.display()))?;
        let path = entry.path();
        if path.is_dir() {
            folders.push(path);
        } else if is_yaml(&path) {
            files.push(path);
        }
    }
    for folder in folders {
        python_walk(&folder, files, seen)?;
    }
    Ok(())
}

/// The domain file in a project folder, if it has one. Anything but a folder counts: a
/// pipe or a device named `domain.yml` is then reported as unreadable, not passed over.
pub fn domain_in(dir: &Path) -> Option<PathBuf> {
    DOMAIN_NAMES
        .iter()
        .map(|name| dir.join(name))
        .find(|p| is_file_like(p))
}

/// Whether `path` (its links followed) exists and is not a folder: a regular file, or a
/// special one (pipe, device, socket) that the loader refuses with a finding. A link that
/// leads nowhere (to nothing, or round in a loop) counts too, for the loader to say so:
/// a `domain.yml` linked to itself is not "no domain.yml".
pub fn is_file_like(path: &Path) -> bool {
    match std::fs::metadata(path) {
        Ok(metadata) => !metadata.is_dir(),
        Err(_) => is_broken_link(path),
    }
}

/// Whether `path` is a link that cannot be followed.
fn is_broken_link(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
        && std::fs::metadata(path).is_err()
}

/// Every candidate training-data file (`.md`, `.yml`, `.yaml`) under `path`, sorted; a
/// file path is returned as is. Hidden folders and [`SKIPPED_DIRS`] are not entered.
pub fn data_files(path: &Path) -> Result<Vec<PathBuf>, String> {
    walk(path, true, is_data)
}

/// The files named `domain.yml` or `domain.yaml` under a folder (sorted), or the file
/// itself: the domains of a project a `MultiProjectImporter` imports.
pub fn named_domain_files(path: &Path) -> Result<Vec<PathBuf>, String> {
    files_under(path, is_domain_name)
}

/// Whether a file is named like a domain.
pub fn is_domain_name(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| DOMAIN_NAMES.contains(&n))
}

/// The files under `path` that `keep` accepts, sorted; a file path is returned as is.
pub fn files_under(path: &Path, keep: impl Fn(&Path) -> bool) -> Result<Vec<PathBuf>, String> {
    walk(path, false, keep)
}

/// The files under `path` (links followed) whose path `keep` accepts, sorted, skipping
/// hidden and [`SKIPPED_DIRS`] folders when `skip_dirs`. Special files (pipes, devices)
/// are kept, for the loader to report. A folder that cannot be listed and a link loop are
/// errors, not skipped without a word; so is a folder that is a filesystem's root, as
/// nobody means to read a whole disk as training data.
fn walk(
    path: &Path,
    skip_dirs: bool,
    keep: impl Fn(&Path) -> bool,
) -> Result<Vec<PathBuf>, String> {
    if is_file_like(path) {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files = Vec::new();
    let entries = walkdir::WalkDir::new(path)
        .follow_links(true)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !skip_dirs || !is_skipped_dir(e));
    for entry in entries {
        match entry {
            Ok(entry) if entry.file_type().is_dir() => refuse_filesystem_root(&entry)?,
            Ok(entry) => {
                if keep(entry.path()) {
                    files.push(entry.into_path());
                }
            }
            // A link to nothing, or a loop of links between files: listed, so that reading
            // it reports it, as Rasa fails there.
            Err(e) if is_dangling_link(&e) => {
                files.extend(e.path().filter(|p| keep(p)).map(Path::to_path_buf));
            }
            Err(e) => return Err(walk_error(&e)),
        }
    }
    files.sort();
    Ok(files)
}

/// An error for a folder the walk reaches (the one given, or one a link leads to) that
/// is the root of a filesystem.
fn refuse_filesystem_root(entry: &walkdir::DirEntry) -> Result<(), String> {
    if entry.depth() > 0 && !entry.path_is_symlink() {
        return Ok(());
    }
    let real = std::fs::canonicalize(entry.path()).unwrap_or_else(|_| entry.path().into());
    if real.parent().is_some() {
        return Ok(());
    }
    Err(filesystem_root(entry.path(), &real))
}

fn filesystem_root(path: &Path, real: &Path) -> String {
    format!(
        "{} is the root of the filesystem ({}): rasalint does not read a whole disk as training data; name the bot's data folder",
        path.display(),
        real.display()
    )
}

/// Whether the walk stopped at a link that cannot be followed (not a folder loop, which
/// walkdir tells by its ancestor).
fn is_dangling_link(e: &walkdir::Error) -> bool {
    e.loop_ancestor().is_none() && e.io_error().is_some() && e.path().is_some_and(is_broken_link)
}

/// What went wrong while listing a folder, naming the path.
fn walk_error(e: &walkdir::Error) -> String {
    let path = e.path().map_or(String::new(), |p| p.display().to_string());
    match (e.loop_ancestor(), e.io_error()) {
        // A link to `/` from inside it is a loop too; the root is the better reason.
        (Some(ancestor), _) if ancestor.parent().is_none() => {
            filesystem_root(e.path().unwrap_or(ancestor), ancestor)
        }
        (Some(ancestor), _) => format!(
            "{path}: a symbolic link loop: it leads back to {}",
            ancestor.display()
        ),
        (None, Some(io)) if io.kind() == std::io::ErrorKind::PermissionDenied => {
            format!("{path}: cannot list this folder ({io}), so its files would go unchecked")
        }
        (None, Some(io)) => format!("{path}: cannot list this folder: {io}"),
        (None, None) => format!("{path}: {e}"),
    }
}

fn is_skipped_dir(entry: &walkdir::DirEntry) -> bool {
    let name = entry.file_name().to_string_lossy();
    entry.file_type().is_dir() && (name.starts_with('.') || SKIPPED_DIRS.contains(&name.as_ref()))
}

pub fn is_markdown(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "md")
}

/// Whether Rasa 2/3 read a data file as YAML: `.yml` or `.yaml`, compared case-sensitively
/// as Rasa does (`NLU.YML` is passed over).
pub fn is_yaml(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "yml" || e == "yaml")
}

/// Whether a file is training data of some Rasa version: Markdown (1.x, 2.x) or YAML
/// (2.x, 3.x).
pub fn is_data(path: &Path) -> bool {
    is_markdown(path) || is_yaml(path)
}

/// Markers whose literal presence makes Rasa read a file as Markdown NLU: `## ` and one
/// of these.
const NLU_MARKER_NAMES: &[&str] = &["intent:", "synonym:", "regex:", "lookup:"];

/// Whether the text holds one of the headers that make Rasa read a file as NLU data.
pub fn has_nlu_marker(text: &str) -> bool {
    nlu_marker(text).is_some()
}

/// Where the first NLU header that makes Rasa read a file as Markdown NLU data is
/// written, if there is one. One pass over the text (every YAML file is asked).
pub fn nlu_marker(text: &str) -> Option<std::ops::Range<usize>> {
    memchr::memmem::find_iter(text.as_bytes(), "## ").find_map(|at| {
        let rest = &text.as_bytes()[at + 3..];
        let name = NLU_MARKER_NAMES
            .iter()
            .find(|name| rest.starts_with(name.as_bytes()))?;
        Some(at..at + 3 + name.len())
    })
}

/// How Rasa 1.10 classifies a Markdown file's text; `None` when it ignores the file.
pub fn classify_markdown(text: &str) -> Option<FileKind> {
    if has_nlu_marker(text) {
        Some(FileKind::Nlu)
    } else if has_nlg_marker(text) {
        Some(FileKind::Nlg)
    } else if has_story_pattern(text) {
        Some(FileKind::Stories)
    } else {
        None
    }
}

/// Rasa's NLG marker `##\s*.*\n\*[^:]*\/.*\n\s*\t*\-`, searched in the text as Python's
/// universal-newline reading presents it.
pub fn has_nlg_marker(text: &str) -> bool {
    static MARKER: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(r"##\s*.*\n\*[^:]*/.*\n\s*\t*-").expect("the NLG marker pattern is valid")
    });
    // Cheap necessary conditions first: the regular expression tries a match at every
    // `##`, and a story file has one per story.
    if !text.contains("##") || !text.contains('*') || !text.contains('/') {
        return false;
    }
    if text.contains('\r') {
        MARKER.is_match(&text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        MARKER.is_match(text)
    }
}

/// Rasa's story pattern `.*##.+` on any line: `##` with at least one character after it.
pub fn has_story_pattern(text: &str) -> bool {
    text.split(['\n', '\r'])
        .any(|line| line.find("##").is_some_and(|at| line.len() > at + 2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_like_rasa() {
        assert_eq!(
            classify_markdown("## intent:greet\n- hi"),
            Some(FileKind::Nlu)
        );
        assert_eq!(
            classify_markdown("##intent:greet\n- hi"),
            Some(FileKind::Stories)
        );
        assert_eq!(
            classify_markdown("## q\n* faq/ask\n  - answer"),
            Some(FileKind::Nlg)
        );
        assert_eq!(
            classify_markdown("## q\n\n* faq/ask\n  - answer"),
            Some(FileKind::Stories)
        );
        assert_eq!(
            classify_markdown("##\n\n* faq/ask\n  - answer"),
            Some(FileKind::Nlg)
        );
        assert_eq!(
            classify_markdown("## s\n* greet\n  - utter_hi"),
            Some(FileKind::Stories)
        );
        assert_eq!(classify_markdown("# title\ntext"), None);
        assert_eq!(classify_markdown("##"), None);
    }
}
