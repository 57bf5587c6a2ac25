//! Searches for the few fixed strings the readers look for on every line. `str::find` with
//! a string pattern sets up a new two-way searcher on each call, which costs more than the
//! search itself on the short lines of training data; these searchers are built once
//! (memchr's `memmem`).

use std::sync::OnceLock;

use memchr::memmem::Finder;

/// A fixed string and its byte least likely to be in a line of training data, with its
/// place in the string.
struct Needle {
    text: &'static str,
    finder: OnceLock<Finder<'static>>,
    rare: (u8, usize),
}

impl Needle {
    const fn new(text: &'static str, rare: usize) -> Self {
        Needle {
            text,
            finder: OnceLock::new(),
            rare: (text.as_bytes()[rare], rare),
        }
    }

    /// The searcher, built once.
    fn finder(&self) -> &Finder<'static> {
        self.finder.get_or_init(|| Finder::new(self.text))
    }
}

static COMMENT_OPEN: Needle = Needle::new("<!--", 0);
static COMMENT_CLOSE: Needle = Needle::new("-->", 2);
// Not the space: turns with entities have spaces in their JSON.
static OR_SEPARATOR: Needle = Needle::new(" OR ", 1);
static HASHES: Needle = Needle::new("##", 0);

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

/// Most lines do not contain the needle's rare byte at all: a `memchr` for it answers
/// those in a few instructions, and the searcher runs only from where a match could
/// start.
fn find(needle: &Needle, text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let (byte, at) = needle.rare;
    let from = memchr::memchr(byte, bytes)?.saturating_sub(at);
    needle
        .finder()
        .find(&bytes[from..])
        .map(|found| from + found)
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
            "a OR b",
            " OR  OR ",
            "OR a OR",
            "x{\"a\": \"b c\"} OR y",
        ] {
            assert_eq!(
                split_or(text).collect::<Vec<_>>(),
                text.split(" OR ").collect::<Vec<_>>()
            );
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
