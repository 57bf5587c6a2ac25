//! The editor setups of `editors/` and the README, tried in the real editors where they
//! are installed: each Neovim setup headless (`editors/neovim/test/run.sh`), Helix in a
//! tmux terminal (`editors/helix/test/run.sh`), the VS Code extension in code-server
//! driven by headless Chromium (`editors/vscode/test/e2e.mjs`).
//! Where an editor (or Node.js, or the extension's `node_modules`) is missing, as on CI,
//! the test says `SKIPPED <test>: <why>` on stderr and passes.

#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repository() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn neovim_setups() -> [(&'static str, PathBuf); 2] {
    let folder = repository().join("editors/neovim");
    [
        ("0.11", folder.join("rasalint-0.11.lua")),
        ("0.8", folder.join("rasalint-0.8.lua")),
    ]
}

fn said(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// The README shows the very setups the tests below run.
#[test]
fn the_readme_shows_the_tested_editor_setups() {
    let readme = std::fs::read_to_string(repository().join("README.md")).expect("README");
    let helix = ("toml", repository().join("editors/helix/languages.toml"));
    let neovim = neovim_setups().map(|(_, setup)| ("lua", setup));
    for (language, setup) in neovim.into_iter().chain([helix]) {
        let text = std::fs::read_to_string(&setup).expect("setup file");
        let block = format!("```{language}\n{text}```\n");
        assert!(
            readme.contains(&block),
            "README.md does not show {} as it is",
            setup.display()
        );
    }
}

/// The editors to try: those `variable` names (paths separated by `:`), else `name` on the
/// PATH.
fn editors(variable: &str, name: &str) -> Vec<PathBuf> {
    match std::env::var_os(variable) {
        Some(list) => std::env::split_paths(&list).collect(),
        None => {
            let path = std::env::var_os("PATH").unwrap_or_default();
            let mut candidates = std::env::split_paths(&path).map(|d| d.join(name));
            candidates.find(|c| c.is_file()).into_iter().collect()
        }
    }
}

/// `(major, minor)` of a Neovim, from `nvim --version`'s first line (`NVIM v0.11.4`).
fn neovim_version(nvim: &Path) -> Option<(u32, u32)> {
    let output = Command::new(nvim).arg("--version").output().ok()?;
    let text = String::from_utf8_lossy(&output.stdout);
    let version = text.lines().next()?.strip_prefix("NVIM v")?;
    let mut parts = version.split(['.', '-']);
    Some((parts.next()?.parse().ok()?, parts.next()?.parse().ok()?))
}

/// Each setup for the Neovims it is for: the 0.11 one on 0.11 and later, the 0.8 one on
/// 0.8 and later. A `:write` of a file with a fixable finding writes the fixed text.
#[test]
fn neovim_setups_write_the_fixed_text_on_save() {
    let test = "neovim_setups_write_the_fixed_text_on_save";
    let mut tried = 0;
    for nvim in editors("RASALINT_NVIM", "nvim") {
        let Some(version) = neovim_version(&nvim) else {
            eprintln!("SKIPPED {test}: {} gives no version", nvim.display());
            continue;
        };
        for (needs, setup) in neovim_setups() {
            let (major, minor) = needs.split_once('.').expect("a version");
            let needs = (major.parse().unwrap(), minor.parse().unwrap());
            if version < needs {
                eprintln!(
                    "SKIPPED {test}: {} is {}.{}, {} needs {}.{}",
                    nvim.display(),
                    version.0,
                    version.1,
                    setup.display(),
                    needs.0,
                    needs.1
                );
                continue;
            }
            let output = Command::new("sh")
                .arg(repository().join("editors/neovim/test/run.sh"))
                .arg(&nvim)
                .arg(&setup)
                .arg(env!("CARGO_BIN_EXE_rasalint"))
                .output()
                .expect("sh runs");
            assert!(
                output.status.success(),
                "{} with {}:\n{}",
                nvim.display(),
                setup.display(),
                said(&output)
            );
            tried += 1;
        }
    }
    if tried == 0 {
        eprintln!("SKIPPED {test}: no Neovim 0.8 or later (nvim on the PATH, or RASALINT_NVIM)");
    }
}

/// Helix with the README's `languages.toml`: the finding shows, its quick fix is applied
/// and written.
#[test]
fn helix_shows_the_finding_and_applies_its_quick_fix() {
    let test = "helix_shows_the_finding_and_applies_its_quick_fix";
    let helixes = editors("RASALINT_HX", "hx");
    if helixes.is_empty() {
        eprintln!("SKIPPED {test}: no hx on the PATH (or RASALINT_HX)");
        return;
    }
    if Command::new("tmux").arg("-V").output().is_err() {
        eprintln!("SKIPPED {test}: no tmux, which gives Helix its terminal");
        return;
    }
    for hx in helixes {
        let output = Command::new("sh")
            .arg(repository().join("editors/helix/test/run.sh"))
            .arg(&hx)
            .arg(env!("CARGO_BIN_EXE_rasalint"))
            .output()
            .expect("sh runs");
        assert!(
            output.status.success(),
            "{}:\n{}",
            hx.display(),
            said(&output)
        );
    }
}

/// The extension, packaged anew, in code-server: a diagnostic, a quick fix, fix-all on save.
#[test]
fn the_vscode_extension_works_in_code_server() {
    let test = "the_vscode_extension_works_in_code_server";
    let extension = repository().join("editors/vscode");
    if !extension.join("node_modules/playwright-core").is_dir() {
        eprintln!("SKIPPED {test}: no editors/vscode/node_modules (npm ci there)");
        return;
    }
    let e2e = extension.join("test/e2e.mjs");
    // What the script needs, before the packaging (seconds) that only it needs.
    let check = Command::new("node").arg(&e2e).arg("--check").output();
    match check {
        Err(e) => {
            eprintln!("SKIPPED {test}: node does not run: {e}");
            return;
        }
        Ok(output) if !output.status.success() => {
            eprintln!("SKIPPED {test}: {}", said(&output).trim());
            return;
        }
        Ok(_) => {}
    }
    let package = Command::new("npm")
        .args(["run", "--silent", "package"])
        .current_dir(&extension)
        .output()
        .expect("npm runs");
    assert!(
        package.status.success(),
        "npm run package:\n{}",
        said(&package)
    );
    let output = Command::new("node")
        .arg(&e2e)
        .env("RASALINT", env!("CARGO_BIN_EXE_rasalint"))
        .output()
        .expect("node runs");
    assert!(output.status.success(), "e2e.mjs:\n{}", said(&output));
}
