//! Which files make up the bot being checked, from the command line and the working folder.
//!
//! - `rasalint check` with nothing else: the project root is the nearest folder upward
//!   with a `domain.yml` (or, without one, a `domain/` folder of YAML files); its domain,
//!   `config.yml` and `data/` (or, without `data/`, the whole folder except `tests/`) are
//!   checked. Without a bot there (a repository whose bots live in `bot/`, `coach/`),
//!   each bot below the working folder is checked as a whole, on its own ([`bots`]).
//! - A domain folder (`--domain FOLDER`, or a bot's `domain/`) is read as Rasa reads it:
//!   every YAML file in it, in Rasa's walk order; which of them make the domain depends on
//!   the bot's Rasa version (Rasa 1.10 reads the files named `domain.yml`, Rasa 2 and 3
//!   those with a top-level domain key).
//! - `rasalint check PATH…`: a folder with a domain is a project root; any other path is
//!   checked in the context of the project found upward from it (so cross-file rules see the
//!   whole bot), and only findings in the given paths are reported.
//! - Rasa's flags (`--domain`, `--data`) and the old validator's (`--intents`, `--stories`)
//!   name the files directly, relative to the working folder.

use std::path::{Path, PathBuf};

use crate::discover::{
    bots_below, data_files, domain_folder_files, domain_folder_in, domain_in, find_project_root,
    is_domain_name, named_domain_files,
};
use crate::load::{Input, Role};

/// The parts of the command line that choose files.
#[derive(Debug, Clone, Default)]
pub struct LayoutOptions {
    pub paths: Vec<PathBuf>,
    pub domain: Vec<PathBuf>,
    pub data: Vec<PathBuf>,
    pub config: Option<PathBuf>,
}

/// The files to read, and (when paths were given inside a project) the paths whose
/// findings are reported.
#[derive(Debug, Clone)]
pub struct Layout {
    pub input: Input,
    pub report_only: Option<Vec<PathBuf>>,
}

/// Folders of a project root that hold no training data.
const NOT_DATA: &[&str] = &["tests", "test", "e2e", "docs"];

/// Markdown files every repository has, which are no training data.
const DOCUMENTATION: &[&str] = &[
    "readme",
    "changelog",
    "contributing",
    "license",
    "code_of_conduct",
    "security",
];

/// Whether a Markdown file of a bot without `data/` (path relative to the bot) is
/// documentation rather than training data: in a test or docs folder, or named like a README.
fn is_documentation(relative: &Path) -> bool {
    let in_other_folder = relative.components().next().is_some_and(|c| {
        relative.components().count() > 1 && NOT_DATA.iter().any(|n| c.as_os_str() == *n)
    });
    let stem = relative
        .file_stem()
        .map(|s| s.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    in_other_folder || DOCUMENTATION.contains(&stem.as_str())
}

/// The files `options` name, from the working folder `cwd`; paths are shown relative to
/// `cwd` (see [`Input::shown_from`]).
pub fn resolve(options: &LayoutOptions, cwd: &Path) -> Result<Layout, String> {
    let mut layout = files_to_read(options, cwd)?;
    layout.input.shown_from = Some(cwd.to_path_buf());
    Ok(layout)
}

fn files_to_read(options: &LayoutOptions, cwd: &Path) -> Result<Layout, String> {
    let absolute = |p: &PathBuf| absolute(cwd, p);
    for path in options
        .paths
        .iter()
        .chain(&options.domain)
        .chain(&options.data)
        .chain(&options.config)
    {
        if !absolute(path).exists() {
            return Err(format!("{}: no such file or folder", path.display()));
        }
    }
    if !options.domain.is_empty() || !options.data.is_empty() {
        return explicit_layout(options, cwd);
    }
    if options.paths.is_empty() {
        let root = find_project_root(cwd).ok_or_else(|| {
            format!(
                "no domain.yml in {} or any folder above it; run rasalint inside a bot, or name the files (`rasalint check --domain domain.yml --data data`)",
                cwd.display()
            )
        })?;
        return Ok(Layout {
            input: project_input(&root, options.config.as_ref().map(&absolute))?,
            report_only: None,
        });
    }
    let paths: Vec<PathBuf> = options.paths.iter().map(&absolute).collect();
    if let [single] = paths.as_slice()
        && single.is_dir()
        && (domain_in(single).is_some() || domain_folder_in(single).is_some())
    {
        return Ok(Layout {
            input: project_input(single, options.config.as_ref().map(&absolute))?,
            report_only: None,
        });
    }
    let start = if paths[0].is_dir() {
        paths[0].clone()
    } else {
        paths[0].parent().unwrap_or(cwd).to_path_buf()
    };
    match find_project_root(&start) {
        Some(root) => {
            let mut input = project_input(&root, options.config.as_ref().map(&absolute))?;
            // A path outside the bot's training data (say `tests/stories.md`) is still read.
            push_data(&mut input.files, &paths)?;
            Ok(Layout {
                input,
                report_only: Some(paths),
            })
        }
        None => Ok(Layout {
            input: data_only_input(cwd, &paths)?,
            report_only: None,
        }),
    }
}

/// The bots a run checks, from the paths of the command line (see [`bots`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bots {
    /// Each bot's paths, for [`LayoutOptions::paths`]: none for the bot around the working
    /// folder, its folder for a whole bot, else the files and folders given inside it (or
    /// outside any bot).
    pub paths: Vec<Vec<PathBuf>>,
    /// The folders of the bots found by searching below the working folder or below a
    /// folder given, when any was: the run says which bots it checked.
    pub found_below: Vec<PathBuf>,
}

/// Splits the paths of the command line (relative to `cwd`) into bots, each checked as a
/// whole with its own settings:
///
/// - No path: the bot around `cwd` (the nearest domain upward); without one, every bot
///   below `cwd` ([`bots_below`]), unless `cwd` is the filesystem's root. None anywhere
///   is an error that says where it looked.
/// - A folder with a domain: that bot, whole.
/// - Another path inside a bot: that bot, only the findings in the paths given.
/// - A folder outside any bot (other than the filesystem's root) with bots below it:
///   those bots, whole.
/// - Anything else: training data without a domain, all such paths together.
///
/// Bots come in the order their first path was given (found ones sorted), each once.
pub fn bots(paths: &[PathBuf], cwd: &Path) -> Result<Bots, String> {
    let mut bots = Bots {
        paths: Vec::new(),
        found_below: Vec::new(),
    };
    if paths.is_empty() {
        if find_project_root(cwd).is_some() {
            bots.paths.push(Vec::new());
            return Ok(bots);
        }
        // The whole disk is not searched for bots, as it is not read as training data.
        let searched = cwd.parent().is_some();
        if searched {
            bots.found_below = bots_below(cwd);
        }
        if bots.found_below.is_empty() {
            let below = if searched {
                format!(
                    ", nor in a bot in its subfolders ({} levels down)",
                    crate::discover::BOT_SEARCH_DEPTH
                )
            } else {
                String::new()
            };
            return Err(format!(
                "no domain.yml in {} or any folder above it{below}; run rasalint inside a bot, or name the files (`rasalint check --domain domain.yml --data data`)",
                cwd.display(),
            ));
        }
        bots.paths = bots.found_below.iter().map(|b| vec![b.clone()]).collect();
        return Ok(bots);
    }
    // By bot folder (none: outside any bot): the paths given in it, and whether it is
    // checked whole.
    let mut groups: Vec<(Option<PathBuf>, Vec<PathBuf>, bool)> = Vec::new();
    let mut add = |root: Option<PathBuf>, path: Option<PathBuf>| {
        let at = match groups.iter().position(|(r, ..)| *r == root) {
            Some(at) => at,
            None => {
                groups.push((root, Vec::new(), false));
                groups.len() - 1
            }
        };
        match path {
            Some(path) => groups[at].1.push(path),
            None => groups[at].2 = true,
        }
    };
    for given in paths {
        let path = absolute(cwd, given);
        if path.is_dir() && (domain_in(&path).is_some() || domain_folder_in(&path).is_some()) {
            add(Some(path), None);
            continue;
        }
        let start = if path.is_dir() {
            path.clone()
        } else {
            path.parent().unwrap_or(cwd).to_path_buf()
        };
        if let Some(root) = find_project_root(&start) {
            add(Some(root), Some(given.clone()));
            continue;
        }
        let searched = path.is_dir() && path.canonicalize().is_ok_and(|p| p.parent().is_some());
        let below = if searched {
            bots_below(&path)
        } else {
            Vec::new()
        };
        if below.is_empty() {
            add(None, Some(given.clone()));
        }
        for bot in below {
            bots.found_below.push(bot.clone());
            add(Some(bot), None);
        }
    }
    bots.paths = groups
        .into_iter()
        .map(|(root, given, whole)| match root {
            Some(root) if whole => vec![root],
            _ => given,
        })
        .collect();
    Ok(bots)
}

/// Why a `--domain` folder without any YAML file stops the run: Rasa would train with
/// an empty domain, and every check against the domain would be skipped without a word.
fn no_domain_in(folder: &Path, cwd: &Path) -> String {
    let shown = crate::load::display_path(cwd, folder);
    format!(
        "{}: no YAML file (.yml, .yaml) in this domain folder: Rasa would train with an empty domain; name the domain file or folder",
        shown.display()
    )
}

/// The files of a domain given as a path: the file itself, or a folder's YAML files in
/// Rasa's walk order, each with its role.
fn domain_at(path: &Path) -> Result<Vec<(PathBuf, Role)>, String> {
    if crate::discover::is_file_like(path) {
        return Ok(vec![(path.to_path_buf(), Role::Domain)]);
    }
    Ok(domain_folder_files(path)?
        .into_iter()
        .map(|file| {
            let named_domain = is_domain_name(&file);
            let role = Role::DomainInFolder {
                named_domain,
                also_data: None,
            };
            (file, role)
        })
        .collect())
}

/// `--domain`/`--data` given: exactly those files, shown relative to the working folder.
fn explicit_layout(options: &LayoutOptions, cwd: &Path) -> Result<Layout, String> {
    let absolute = |p: &PathBuf| absolute(cwd, p);
    let mut files = Vec::new();
    let domains: Vec<PathBuf> = if options.domain.is_empty() {
        domain_in(cwd).into_iter().collect()
    } else {
        options.domain.iter().map(absolute).collect()
    };
    for domain in &domains {
        let found = domain_at(domain)?;
        if found.is_empty() {
            return Err(no_domain_in(domain, cwd));
        }
        files.extend(found);
    }
    let config = options
        .config
        .as_ref()
        .map(absolute)
        .or_else(|| existing(cwd.join("config.yml")));
    files.extend(config.map(|p| (p, Role::Config)));
    // Without `--data`, Rasa reads `data/`; paths given besides are checked against all of
    // it, and only their findings are shown.
    let mut data: Vec<PathBuf> = if options.data.is_empty() {
        existing_dir(cwd.join("data")).into_iter().collect()
    } else {
        options.data.iter().map(absolute).collect()
    };
    let paths: Vec<PathBuf> = options.paths.iter().map(absolute).collect();
    data.extend(paths.iter().cloned());
    push_data(&mut files, &data)?;
    Ok(Layout {
        input: Input {
            root: cwd.to_path_buf(),
            files,
            ..Input::default()
        },
        report_only: (!paths.is_empty()).then_some(paths),
    })
}

/// A whole project: its domain, config and training data.
fn project_input(root: &Path, config: Option<PathBuf>) -> Result<Input, String> {
    let mut files: Vec<(PathBuf, Role)> = match domain_in(root).or_else(|| domain_folder_in(root)) {
        Some(domain) => domain_at(&domain)?,
        None => Vec::new(),
    };
    files.extend(
        config
            .or_else(|| existing(root.join("config.yml")))
            .map(|p| (p, Role::Config)),
    );
    let data_dir = root.join("data");
    // A `data` that is a pipe or a device is the bot's data Rasa would try to read: the
    // loader reports it, rather than the bot being read without it.
    let special = std::fs::metadata(&data_dir).is_ok_and(|m| !m.is_file() && !m.is_dir());
    let data: Vec<PathBuf> = if data_dir.is_dir() || special {
        vec![data_dir]
    } else {
        data_files(root)?
            .into_iter()
            .filter(|p| !is_documentation(p.strip_prefix(root).unwrap_or(p)))
            .collect()
    };
    push_data(&mut files, &data)?;
    add_imported_projects(&mut files, root)?;
    files.extend(
        action_code(root)?
            .into_iter()
            .map(|p| (p, Role::ActionCode)),
    );
    Ok(Input {
        root: root.to_path_buf(),
        files,
        ..Input::default()
    })
}

/// Projects a `MultiProjectImporter` config imports (`imports:` in `config.yml`, followed
/// through the imported projects' own configs): their domain files and training data join
/// the bot, as `rasa train` merges them.
fn add_imported_projects(files: &mut Vec<(PathBuf, Role)>, root: &Path) -> Result<(), String> {
    // Read as the loader reads: a pipe or a device named `config.yml` is not opened (it
    // would block or never end); the loader reports the root's.
    let config_of = |project: &Path| {
        let bytes = crate::load::read_bounded(&project.join("config.yml")).ok()?;
        let text = String::from_utf8(bytes).ok()?;
        Some(crate::syntax::config::parse_config(crate::source::FileId(0), &text).0)
    };
    // The root's config chooses the importer; imported projects' configs add imports.
    if !config_of(root).is_some_and(|c| c.uses_multi_project_importer()) {
        return Ok(());
    }
    let mut pending = vec![root.to_path_buf()];
    let mut seen: Vec<PathBuf> = Vec::new();
    // The files already read, by the path links lead to: a file reached twice is read once.
    let mut known: rustc_hash::FxHashSet<PathBuf> = files.iter().map(|(f, _)| real(f)).collect();
    while let Some(project) = pending.pop() {
        let Some(config) = config_of(&project) else {
            continue;
        };
        for import in config.imports.iter().map(|i| i.name.as_str()) {
            let imported = project.join(import);
            let Ok(imported) = imported.canonicalize() else {
                continue;
            };
            if seen.contains(&imported) || !imported.is_dir() {
                continue;
            }
            seen.push(imported.clone());
            for domain in named_domain_files(&imported)? {
                if known.insert(real(&domain)) {
                    files.push((domain, Role::ImportedDomain));
                } else {
                    // An imported project inside the data folder: its domain was listed
                    // as a data file, but the importer reads it as a domain.
                    let listed = files.iter_mut().find(|(f, _)| real(f) == real(&domain));
                    if let Some((_, role @ Role::YamlData { .. })) = listed {
                        *role = Role::ImportedDomain;
                    }
                }
            }
            let data: Vec<PathBuf> = data_files(&imported)?
                .into_iter()
                .filter(|f| known.insert(real(f)))
                .collect();
            push_data(files, &data)?;
            pending.push(imported);
        }
    }
    Ok(())
}

/// The path `path`'s links lead to, or `path` itself when that cannot be found out.
fn real(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
}

/// The bot's custom action code: `actions.py`, or the Python files of `actions/`.
fn action_code(root: &Path) -> Result<Vec<PathBuf>, String> {
    let package = root.join("actions");
    if package.is_dir() {
        return crate::discover::files_under(&package, |p| {
            p.extension().is_some_and(|e| e == "py")
        });
    }
    Ok(existing(root.join("actions.py")).into_iter().collect())
}

/// Paths outside any project: only their training data, without a domain.
fn data_only_input(cwd: &Path, paths: &[PathBuf]) -> Result<Input, String> {
    let mut files = Vec::new();
    for path in paths {
        if is_domain_name(path) {
            files.push((path.clone(), Role::Domain));
        }
    }
    push_data(&mut files, paths)?;
    Ok(Input {
        root: cwd.to_path_buf(),
        files,
        ..Input::default()
    })
}

/// Adds the training data files under `paths`, each once (a file already listed, in any
/// role, is not added again).
fn push_data(files: &mut Vec<(PathBuf, Role)>, paths: &[PathBuf]) -> Result<(), String> {
    // A map, not a scan of the list per file: a bot can have thousands of files.
    let mut listed: rustc_hash::FxHashMap<PathBuf, usize> = files
        .iter()
        .enumerate()
        .map(|(i, (f, _))| (f.clone(), i))
        .collect();
    for path in paths {
        for file in data_files(path)? {
            match listed.get(&file) {
                // A file of a domain folder under the data paths is data too, when it is
                // no domain file.
                Some(&at) => {
                    if let (
                        Role::DomainInFolder { also_data, .. },
                        Role::YamlData { test_stories },
                    ) = (&mut files[at].1, Role::data(&file))
                    {
                        *also_data = Some(test_stories);
                    }
                }
                None => {
                    listed.insert(file.clone(), files.len());
                    let role = Role::data(&file);
                    files.push((file, role));
                }
            }
        }
    }
    Ok(())
}

fn existing_dir(path: PathBuf) -> Option<PathBuf> {
    path.is_dir().then_some(path)
}

/// `path` as an absolute path, relative paths taken from `cwd`.
fn absolute(cwd: &Path, path: &Path) -> PathBuf {
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        cwd.join(path)
    }
}

/// `path` when there is a file there; a pipe or a device counts, for the loader to refuse
/// with a finding rather than be passed over.
fn existing(path: PathBuf) -> Option<PathBuf> {
    crate::discover::is_file_like(&path).then_some(path)
}
