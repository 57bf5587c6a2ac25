//! What the terminal and the environment allow: colours, box drawing, a progress line.
//! Read once, where the process starts (`Terminal::from_env`), and handed to `run`, so a
//! test gives any environment without touching the process's own.
//!
//! The conventions other command-line tools follow:
//!
//! - `NO_COLOR` (no-color.org): set and not empty, no colour.
//! - `FORCE_COLOR` (force-color.org) and `CLICOLOR_FORCE` (bixense.com/clicolors): set,
//!   not empty and not `0`, colour even where the output is no terminal (a CI log that
//!   shows colours). `NO_COLOR` still wins, as its page asks.
//! - `CLICOLOR=0`: no colour where there would be some by default.
//! - `TERM=dumb`: a terminal that shows neither colours nor box drawing (Emacs' shell
//!   buffers, some CI runners): ASCII frames, no colour unless forced, no progress line.
//! - `--color always|never` wins over all of them; `--color auto` (the default) follows
//!   them.

use std::ffi::OsString;

/// The terminal rasalint writes to, as the environment describes it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Terminal {
    /// Whether stdout is a terminal.
    pub stdout_is_terminal: bool,
    /// Whether stderr is a terminal (where a progress line may be drawn).
    pub stderr_is_terminal: bool,
    /// `NO_COLOR`: no colour, whatever else asks for it (except `--color always`).
    pub no_color: bool,
    /// `FORCE_COLOR` or `CLICOLOR_FORCE`: colour where stdout is no terminal.
    pub force_color: bool,
    /// `CLICOLOR=0`: no colour unless forced.
    pub clicolor_off: bool,
    /// `TERM=dumb`: neither colours nor box drawing, nor a line rewritten in place.
    pub dumb: bool,
}

impl Terminal {
    /// The terminal as the variables `var` gives describe it (`std::env::var_os` in the
    /// binary), with whether stdout and stderr are terminals.
    pub fn from_env(
        var: impl Fn(&str) -> Option<OsString>,
        stdout_is_terminal: bool,
        stderr_is_terminal: bool,
    ) -> Self {
        let not_empty = |name: &str| var(name).is_some_and(|v| !v.is_empty());
        // FORCE_COLOR=0 asks for no forcing.
        let asks = |name: &str| var(name).is_some_and(|v| !v.is_empty() && v != "0");
        Terminal {
            stdout_is_terminal,
            stderr_is_terminal,
            no_color: not_empty("NO_COLOR"),
            force_color: asks("FORCE_COLOR") || asks("CLICOLOR_FORCE"),
            clicolor_off: var("CLICOLOR").is_some_and(|v| v == "0"),
            dumb: var("TERM").is_some_and(|t| t == "dumb"),
        }
    }

    /// Whether stdout gets colours when `--color auto` leaves it to the environment.
    pub fn colors_stdout(&self) -> bool {
        if self.no_color {
            return false;
        }
        self.force_color || (self.stdout_is_terminal && !self.dumb && !self.clicolor_off)
    }

    /// Whether stdout's terminal draws box characters (a dumb one gets ASCII).
    pub fn draws_boxes(&self) -> bool {
        !self.dumb
    }

    /// Whether a line can be drawn and rewritten in place on stderr: a terminal, not a
    /// dumb one.
    pub fn rewrites_stderr(&self) -> bool {
        self.stderr_is_terminal && !self.dumb
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The terminal with the variables `vars` set, stdout and stderr terminals or not.
    fn with(vars: &[(&str, &str)], terminals: bool) -> Terminal {
        let var = |name: &str| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| OsString::from(v))
        };
        Terminal::from_env(var, terminals, terminals)
    }

    #[test]
    fn a_terminal_gets_colour_a_pipe_none() {
        assert!(with(&[], true).colors_stdout());
        assert!(!with(&[], false).colors_stdout());
        assert!(with(&[("TERM", "xterm-256color")], true).colors_stdout());
    }

    #[test]
    fn no_color_turns_colour_off_whatever_asks_for_it() {
        assert!(!with(&[("NO_COLOR", "1")], true).colors_stdout());
        assert!(!with(&[("NO_COLOR", "1"), ("FORCE_COLOR", "1")], false).colors_stdout());
        // Empty, it is as if unset.
        assert!(with(&[("NO_COLOR", "")], true).colors_stdout());
    }

    #[test]
    fn force_color_and_clicolor_force_colour_a_pipe() {
        for name in ["FORCE_COLOR", "CLICOLOR_FORCE"] {
            assert!(with(&[(name, "1")], false).colors_stdout(), "{name}");
            assert!(with(&[(name, "true")], false).colors_stdout(), "{name}");
            assert!(!with(&[(name, "0")], false).colors_stdout(), "{name}");
            assert!(!with(&[(name, "")], false).colors_stdout(), "{name}");
        }
        // Forcing wins over CLICOLOR=0 and a dumb terminal.
        let forced = [("CLICOLOR_FORCE", "1"), ("CLICOLOR", "0"), ("TERM", "dumb")];
        assert!(with(&forced, true).colors_stdout());
    }

    #[test]
    fn clicolor_0_turns_the_default_colour_off() {
        assert!(!with(&[("CLICOLOR", "0")], true).colors_stdout());
        assert!(with(&[("CLICOLOR", "1")], true).colors_stdout());
    }

    #[test]
    fn a_dumb_terminal_gets_no_colour_boxes_or_progress_line() {
        let dumb = with(&[("TERM", "dumb")], true);
        assert!(!dumb.colors_stdout());
        assert!(!dumb.draws_boxes());
        assert!(!dumb.rewrites_stderr());
        let terminal = with(&[], true);
        assert!(terminal.draws_boxes() && terminal.rewrites_stderr());
        assert!(!with(&[], false).rewrites_stderr());
    }
}
