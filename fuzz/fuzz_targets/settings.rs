//! rasalint's own configuration (`rasalint.toml`, `.rasalint.toml`, `[tool.rasalint]` in
//! `pyproject.toml`): read, resolved, asked about every rule, and its mistakes drawn.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use rasalint::cli::render::{GraphicalStyle, config_error};
use rasalint::settings::{CONFIG_FILES, Overrides, read_config, resolve};

/// One folder for the whole run: the reader takes a path, so each input is written there.
fn folder() -> &'static tempfile::TempDir {
    static FOLDER: OnceLock<tempfile::TempDir> = OnceLock::new();
    FOLDER.get_or_init(|| tempfile::tempdir().expect("a temporary folder"))
}

fuzz_target!(|data: &[u8]| {
    // The first byte picks the file's name (which decides how it is read), the rest is it.
    let Some((&pick, content)) = data.split_first() else {
        return;
    };
    let name = CONFIG_FILES[usize::from(pick) % CONFIG_FILES.len()];
    let path: PathBuf = folder().path().join(name);
    if std::fs::write(&path, content).is_err() {
        return;
    }
    match read_config(&path) {
        Ok(config) => {
            let settings = resolve(&config, &Overrides::default());
            let in_data = settings.base.join("data/nlu.md");
            for rule in rasalint::rules::ALL {
                let meta = rule.meta();
                let _ = settings.selection.is_enabled(meta);
                let _ = settings.severity_of(meta);
                let _ = settings.ignored_in(meta, &in_data);
            }
        }
        Err(error) => {
            let style = GraphicalStyle {
                color: pick & 0x80 != 0,
                unicode: pick & 0x40 != 0,
                width: 100,
            };
            let _ = config_error(&error, &style);
        }
    }
});
