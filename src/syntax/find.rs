//! Searches for the few fixed strings the readers look for on every line. `str::find` with
//! a string pattern sets up a new two-way searcher on each call, which costs more than the
//! search itself on the short lines of training data; these searchers are built once
//! (memchr's `memmem`).

use std::sync::LazyLock;

use memchr::memmem::Finder;

static COMMENT_OPEN: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("<!--"));
static COMMENT_CLOSE: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("-->"));
static OR_SEPARATOR: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(" OR "));
static HASHES: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("##"));

/// The first `<!--` in `text`.
pub fn comment_open(text: &str) -> Option<usize> {
    find(&COMMENT_OPEN, text)
}

/// The first `-->` in `text`.
pub fn comment_close(text: &str) -> Option<usize> {
    find(&COMMENT_CLOSE, text)
}

/// The first `##` in `text`.
pub fn hashes(text: &str) -> Option<usize> {
    find(&HASHES, text)
}

/// Most lines do not contain the needle's first byte at all: a `memchr` for it answers
/// those in a few instructions, and the searcher runs only from there.
fn find(finder: &Finder<'static>, text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let first = memchr::memchr(finder.needle()[0], bytes)?;
    finder.find(&bytes[first..]).map(|at| first + at)
}

/// `text.split(" OR ")`: the alternatives of a story's user turn.
pub fn split_or(text: &str) -> impl Iterator<Item = &str> {
    let mut from = 0;
    let mut done = false;
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        let rest = &text[from..];
        match find(&OR_SEPARATOR, rest) {
            Some(at) => {
                from += at + 4;
                Some(&rest[..at])
            }
            None => {
                done = true;
                Some(rest)
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_what_str_finds() {
        for text in [
            "",
            "a",
            "<!--",
            "x <!-- y --> z -->",
            "## a ## b",
            "-- >",
            "<!-<!--",
        ] {
            assert_eq!(comment_open(text), text.find("<!--"), "{text:?}");
            assert_eq!(comment_close(text), text.find("-->"), "{text:?}");
            assert_eq!(hashes(text), text.find("##"), "{text:?}");
        }
    }

    #[test]
    fn splits_as_str_split() {
        for text in [
            "",
            "a",
            "a OR b",
            " OR ",
            "a OR  OR b OR",
            "a OROR b",
            "a OR OR b",
        ] {
            let ours: Vec<&str> = split_or(text).collect();
            let std: Vec<&str> = text.split(" OR ").collect();
            assert_eq!(ours, std, "{text:?}");
        }
    }
}
