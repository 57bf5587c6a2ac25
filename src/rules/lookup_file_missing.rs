use std::path::{Component, Path};

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::model::nlu::LookupElements;
use crate::rule::Rule;
use crate::source::FileId;

declare_rule! {
    /// ## What it does
    /// Reports a `## lookup:` section whose body names a file (a line that is not a
    /// `- item`) that does not exist.
    ///
    /// Rasa opens the file relative to the working folder of the Rasa process, which is
    /// the bot's folder when `rasa train` is run there, not relative to the NLU file. So
    /// the path is looked up from the project root (where the domain is):
    ///
    /// * found there: fine;
    /// * found only relative to the NLU file's folder: reported, because Rasa run from
    ///   the project root does not find it; the help gives the path from the root;
    /// * found nowhere: reported as missing. A "path" with spaces and neither `/` nor `.`
    ///   is most likely a line of prose in the section, which Rasa also reads as a file
    ///   name, and the message says so.
    ///
    /// Not reported: a path found from a folder above the project root (the bot is then
    /// evidently trained from there, say `rasa train --data bot/data` in a repository
    /// whose bot lives in `bot/`), and, when rasalint checks loose data files without a
    /// domain (so without a project root), a path found from any folder that contains the
    /// NLU file.
    ///
    /// Markdown only: Rasa 2 and 3 read no lookup files from YAML; a file name in a YAML
    /// lookup's `examples` is a line Rasa drops (`text-outside-section`).
    ///
    /// ## Why is this bad?
    /// Rasa reads lookup files only when it trains: the data loads and `rasa data
    /// validate` passes, and then `rasa train` stops in the `RegexFeaturizer` with "Could
    /// not load lookup table data/lookups/cities.txt. Please make sure you've provided the
    /// correct path", after whatever ran before it. (A pipeline without a
    /// `RegexFeaturizer` never opens the file, and then the lookup table does nothing.)
    ///
    /// ## Example
    /// ```md
    /// ## lookup:city
    /// data/lookups/citys.txt          <- the file is data/lookups/cities.txt
    ///
    /// ## lookup:country
    /// - Germany
    /// Countries we ship to            <- prose: Rasa opens a file of that name
    /// ```
    pub struct LookupFileMissing {
        code: "RL122",
        name: "lookup-file-missing",
        severity: Error,
        surfaces: [Markdown],
        summary: "a lookup table names a file that does not exist",
    }
}

impl Rule for LookupFileMissing {
    fn check(&self, project: &Project, out: &mut Vec<Diagnostic>) {
        for (file, nlu) in project.nlu_files() {
            for lookup in &nlu.lookups {
                let LookupElements::File(path, span) = &lookup.elements else {
                    continue;
                };
                let Some(finding) = resolve(project, file, path) else {
                    continue;
                };
                let name = lookup.name.trim();
                let diagnostic = match finding {
                    Missing::Prose => Diagnostic::new(
                        &Self::META,
                        file,
                        span.clone(),
                        format!("lookup `{name}`: Rasa reads the line `{path}` as the name of a file, which does not exist"),
                    )
                    .with_label("read as a file path")
                    .with_help("this looks like text: make it a comment (`<!-- … -->`) or a `- item`, or name the lookup file here"),
                    Missing::Nowhere => Diagnostic::new(
                        &Self::META,
                        file,
                        span.clone(),
                        format!("lookup file `{path}` of lookup `{name}` does not exist"),
                    )
                    .with_label("not found from the project root")
                    .with_help("fix the path: Rasa opens it relative to the folder it is run in (the project root), and `rasa train` stops with \"Could not load lookup table\""),
                    Missing::FromRoot(from_root) => Diagnostic::new(
                        &Self::META,
                        file,
                        span.clone(),
                        format!("lookup file `{path}` of lookup `{name}` is relative to the NLU file, but Rasa opens it relative to the project root, where it does not exist"),
                    )
                    .with_label("not found from the project root")
                    .with_help(format!("write the path from the project root: `{from_root}`")),
                };
                out.push(diagnostic);
            }
        }
    }
}

/// Why a lookup path is reported.
enum Missing {
    /// Found nowhere, and it looks like prose rather than a path.
    Prose,
    /// Found nowhere.
    Nowhere,
    /// Found relative to the NLU file only; the path from the root.
    FromRoot(String),
}

/// Where Rasa run from the project root would fail to find `path`, if it would.
fn resolve(project: &Project, file: FileId, path: &str) -> Option<Missing> {
    let written = Path::new(path);
    let root = &project.root;
    // The root and every folder above it: Rasa may be run from any of them.
    if root.ancestors().any(|dir| dir.join(written).is_file()) {
        return None;
    }
    let nlu_folder = project
        .file(file)
        .disk_path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let found_below_root = nlu_folder
        .ancestors()
        .map(|dir| dir.join(written))
        .find(|candidate| candidate.is_file());
    match found_below_root {
        // Without a domain there is no project root, only the working folder: any folder
        // holding the NLU file may be where Rasa is run.
        Some(_) if !project.domain.present => None,
        Some(found) => Some(Missing::FromRoot(relative_to(&found, root))),
        None if looks_like_prose(path) => Some(Missing::Prose),
        None => Some(Missing::Nowhere),
    }
}

/// `path` from `root`, with `/` separators and `..` resolved, as it must be written for
/// Rasa run from the root; the path as is when it is not under the root.
fn relative_to(path: &Path, root: &Path) -> String {
    let Ok(relative) = path.strip_prefix(root) else {
        return path.display().to_string();
    };
    let mut parts: Vec<String> = Vec::new();
    for component in relative.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir if parts.last().is_some_and(|p| p != "..") => {
                parts.pop();
            }
            other => parts.push(other.as_os_str().to_string_lossy().into_owned()),
        }
    }
    parts.join("/")
}

/// A line of text rather than a path: words with spaces, and no `/`, `\` or `.`.
fn looks_like_prose(path: &str) -> bool {
    path.contains(char::is_whitespace) && !path.contains(['/', '\\', '.'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_is_told_from_paths() {
        assert!(looks_like_prose("Countries we ship to:"));
        assert!(!looks_like_prose("data/lookups/cities.txt"));
        assert!(!looks_like_prose("my cities.txt"));
        assert!(!looks_like_prose("cities"));
    }
}
