//! Colours and box drawing of the full report as the environment asks for them, each
//! variable given to `cli::run` as an input (the process's own environment untouched):
//! `NO_COLOR`, `FORCE_COLOR`, `CLICOLOR_FORCE`, `CLICOLOR`, `TERM=dumb`, and `--color`.

mod common;

use std::ffi::OsString;

use rasalint::cli::terminal::Terminal;

/// The full report of the example bot, with the variables `vars`, stdout a terminal or
/// not, and more arguments.
fn report(vars: &[(&str, &str)], stdout_is_terminal: bool, args: &[&str]) -> String {
    let var = |name: &str| {
        vars.iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| OsString::from(v))
    };
    let bot = common::fixtures().join("example-bot");
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    let mut io = rasalint::cli::Io::plain(&bot, &mut stdout, &mut stderr);
    io.terminal = Terminal::from_env(var, stdout_is_terminal, false);
    let args = ["rasalint", "check"].iter().chain(args).map(OsString::from);
    assert_eq!(rasalint::cli::run(args, &mut io), 1);
    String::from_utf8(stdout).expect("UTF-8")
}

fn coloured(text: &str) -> bool {
    text.contains('\x1b')
}

/// Box drawing (`╭─[`) rather than ASCII frames (`,-[`).
fn boxed(text: &str) -> bool {
    assert_ne!(text.contains("╭─["), text.contains(",-["), "{text}");
    text.contains("╭─[")
}

#[test]
fn a_terminal_gets_colour_and_boxes_a_pipe_boxes_only() {
    let terminal = report(&[], true, &[]);
    assert!(coloured(&terminal) && boxed(&terminal));
    let pipe = report(&[], false, &[]);
    assert!(!coloured(&pipe) && boxed(&pipe));
}

#[test]
fn no_color() {
    assert!(!coloured(&report(&[("NO_COLOR", "1")], true, &[])));
    assert!(!coloured(&report(
        &[("NO_COLOR", "1"), ("FORCE_COLOR", "1")],
        false,
        &[]
    )));
}

#[test]
fn force_color() {
    assert!(coloured(&report(&[("FORCE_COLOR", "1")], false, &[])));
    assert!(!coloured(&report(&[("FORCE_COLOR", "0")], false, &[])));
}

#[test]
fn clicolor_force() {
    assert!(coloured(&report(&[("CLICOLOR_FORCE", "1")], false, &[])));
    // It wins over CLICOLOR=0.
    let both = [("CLICOLOR_FORCE", "1"), ("CLICOLOR", "0")];
    assert!(coloured(&report(&both, true, &[])));
}

#[test]
fn clicolor() {
    assert!(!coloured(&report(&[("CLICOLOR", "0")], true, &[])));
    assert!(coloured(&report(&[("CLICOLOR", "1")], true, &[])));
}

#[test]
fn term_dumb() {
    let dumb = report(&[("TERM", "dumb")], true, &[]);
    assert!(!coloured(&dumb) && !boxed(&dumb), "{dumb}");
    assert!(!dumb.chars().any(|c| ('\u{2500}'..='\u{257F}').contains(&c)));
    // Forced colours on a dumb terminal: colours, still ASCII frames.
    let forced = report(&[("TERM", "dumb"), ("FORCE_COLOR", "1")], true, &[]);
    assert!(coloured(&forced) && !boxed(&forced));
}

#[test]
fn the_color_flag_wins_over_the_environment() {
    let always = report(
        &[("NO_COLOR", "1"), ("CLICOLOR", "0")],
        false,
        &["--color", "always"],
    );
    assert!(coloured(&always));
    let never = report(&[("FORCE_COLOR", "1")], true, &["--color", "never"]);
    assert!(!coloured(&never));
    let auto = report(&[("FORCE_COLOR", "1")], false, &["--color", "auto"]);
    assert!(coloured(&auto));
}
