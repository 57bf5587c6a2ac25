//! "Did you mean …?": the closest known name to a misspelt one.

/// The candidate closest to `name` by edit distance, if it is close enough to be a typo
/// (at most a third of the name's length, and at most 3 edits). Candidates whose length or
/// characters alone rule them out are skipped (see [`Profile`]), and each distance stops
/// as soon as it exceeds the limit, so a miss among thousands of names stays cheap.
/// A rule that looks up many names among the same candidates builds a [`Known`] once.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let candidates = candidates.into_iter().map(|c| (c, Profile::of(c)));
    closest_among(name, candidates)
}

/// Candidate names with their [`Profile`] computed once, for rules that may look up many
/// unknown names (one per story line that uses one).
pub struct Known<'a> {
    names: Vec<(&'a str, Profile)>,
}

impl<'a> Known<'a> {
    pub fn new(names: impl IntoIterator<Item = &'a str>) -> Self {
        Known {
            names: names.into_iter().map(|n| (n, Profile::of(n))).collect(),
        }
    }

    /// [`closest`] among these names.
    pub fn closest(&self, name: &str) -> Option<&'a str> {
        closest_among(name, self.names.iter().copied())
    }
}

fn closest_among<'a>(
    name: &str,
    candidates: impl Iterator<Item = (&'a str, Profile)>,
) -> Option<&'a str> {
    let profile = Profile::of(name);
    let name: Vec<char> = name.chars().collect();
    let limit = (name.len() / 3).clamp(1, 3);
    let mut best: Option<(usize, &str)> = None;
    let mut rows = (Vec::new(), Vec::new());
    let mut other = Vec::new();
    for (candidate, candidate_profile) in candidates {
        // Once a candidate is found, only one as close (or closer) can replace it.
        let bound = best.map_or(limit, |(d, _)| d);
        if profile.fewest_edits_to(&candidate_profile) > bound {
            continue;
        }
        other.clear();
        other.extend(candidate.chars());
        if other == name {
            continue;
        }
        if let Some(distance) = bounded_distance(&name, &other, bound, &mut rows)
            && best.is_none_or(|(d, c)| (distance, candidate) < (d, c))
        {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// What a name's length and characters alone say about its distance to another: lower
/// bounds, cheap enough to rule out almost every candidate before the edit distance.
#[derive(Debug, Clone, Copy)]
struct Profile {
    length: usize,
    /// Which characters the name contains, hashed into 64 bits.
    signature: u64,
    /// How many of its characters fall in each of 32 hashed buckets (saturating).
    counts: [u8; BUCKETS],
}

const BUCKETS: usize = 32;

impl Profile {
    fn of(text: &str) -> Self {
        let mut profile = Profile {
            length: 0,
            signature: 0,
            counts: [0; BUCKETS],
        };
        for c in text.chars() {
            let hash = u32::from(c).wrapping_mul(0x9E37_79B1);
            profile.length += 1;
            profile.signature |= 1 << (hash >> 26);
            let bucket = &mut profile.counts[(hash >> 27) as usize];
            *bucket = bucket.saturating_add(1);
        }
        profile
    }

    /// A lower bound on the edit distance between the two names, from three facts about
    /// one edit: it changes the length by at most one; it removes at most one character
    /// and adds at most one, so two names `k` edits apart have character sets (hashed to
    /// bits) differing in at most `2k` bits; and the same holds for the multisets of
    /// characters (hashed to buckets), so neither has more than `k` characters the other
    /// lacks (the bag distance). Hashing merges characters, which can only hide a
    /// difference, never add one; so can saturated counts.
    fn fewest_edits_to(&self, other: &Profile) -> usize {
        let by_length = self.length.abs_diff(other.length);
        let by_set = ((self.signature ^ other.signature).count_ones() as usize).div_ceil(2);
        let (mut extra, mut missing) = (0usize, 0usize);
        for (a, b) in self.counts.iter().zip(&other.counts) {
            extra += usize::from(a.saturating_sub(*b));
            missing += usize::from(b.saturating_sub(*a));
        }
        by_length.max(by_set).max(extra).max(missing)
    }
}

/// The edit distance of `a` and `b` if it is at most `limit`. Only the diagonal band of
/// the table within `limit` of the main diagonal can hold such a distance, so only that
/// band is computed (cells outside it count as over the limit), and the search stops as
/// soon as a whole row of the band is over the limit.
fn bounded_distance(
    a: &[char],
    b: &[char],
    limit: usize,
    rows: &mut (Vec<usize>, Vec<usize>),
) -> Option<usize> {
    let over = limit + 1;
    let (previous, current) = rows;
    previous.clear();
    previous.extend((0..=b.len()).map(|j| j.min(over)));
    for (i, ca) in a.iter().enumerate() {
        let row = i + 1;
        let from = row.saturating_sub(limit).max(1);
        let to = (row + limit).min(b.len());
        current.clear();
        current.resize(b.len() + 1, over);
        current[0] = row.min(over);
        let mut row_min = current[0];
        for j in from..=to {
            let substitution = previous[j - 1] + usize::from(*ca != b[j - 1]);
            let cell = substitution
                .min(previous[j] + 1)
                .min(current[j - 1] + 1)
                .min(over);
            current[j] = cell;
            row_min = row_min.min(cell);
        }
        if row_min > limit {
            return None;
        }
        std::mem::swap(previous, current);
    }
    Some(previous[b.len()]).filter(|&d| d <= limit)
}

/// Levenshtein distance in characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = Vec::with_capacity(b.len() + 1);
        current.push(i + 1);
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_only_close_names() {
        let known = ["utter_goodbye", "utter_greet"];
        assert_eq!(closest("utter_goodby", known), Some("utter_goodbye"));
        assert_eq!(closest("utter_thanks", known), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    /// The profile filter only skips what the edit distance would refuse: on random pairs
    /// of names (with accents and CJK), `closest` agrees with the plain distance.
    #[test]
    fn the_character_filter_never_hides_a_close_name() {
        let alphabet: Vec<char> = "abcdeé_1ü中文".chars().collect();
        let mut next = crate::test_rng::below(0x2545_f491_4f6c_dd1d);
        let random_name = |next: &mut dyn FnMut(usize) -> usize| -> String {
            (0..1 + next(9))
                .map(|_| alphabet[next(alphabet.len())])
                .collect()
        };
        for _ in 0..20_000 {
            let a = random_name(&mut next);
            let mut b: Vec<char> = a.chars().collect();
            for _ in 0..next(4) {
                match next(3) {
                    0 if !b.is_empty() => {
                        let at = next(b.len());
                        b.remove(at);
                    }
                    1 => b.insert(next(b.len() + 1), alphabet[next(alphabet.len())]),
                    _ if !b.is_empty() => {
                        let at = next(b.len());
                        b[at] = alphabet[next(alphabet.len())];
                    }
                    _ => {}
                }
            }
            let b: String = b.into_iter().collect();
            let limit = (a.chars().count() / 3).clamp(1, 3);
            let expected = (a != b && edit_distance(&a, &b) <= limit).then_some(b.as_str());
            assert_eq!(closest(&a, [b.as_str()]), expected, "{a:?} / {b:?}");
        }
    }

    /// Among many candidates, the closest (the first by name among equally close ones) is
    /// the one the plain distance picks, whatever the order they come in: the bounds that
    /// tighten as closer candidates are found skip none that could win.
    #[test]
    fn among_many_candidates_the_closest_is_found() {
        let alphabet: Vec<char> = "abcé_1中".chars().collect();
        let mut next = crate::test_rng::below(0x1234_5678_9abc_def1);
        for _ in 0..2_000 {
            let name: String = (0..2 + next(8))
                .map(|_| alphabet[next(alphabet.len())])
                .collect();
            let candidates: Vec<String> = (0..1 + next(30))
                .map(|_| {
                    let mut c: Vec<char> = name.chars().collect();
                    for _ in 0..next(5) {
                        let at = next(c.len() + 1);
                        match next(3) {
                            0 if at < c.len() => {
                                c.remove(at);
                            }
                            1 if at < c.len() => c[at] = alphabet[next(alphabet.len())],
                            _ => c.insert(at, alphabet[next(alphabet.len())]),
                        }
                    }
                    c.into_iter().collect()
                })
                .collect();
            let limit = (name.chars().count() / 3).clamp(1, 3);
            let expected = candidates
                .iter()
                .filter(|c| **c != name)
                .map(|c| (edit_distance(&name, c), c.as_str()))
                .filter(|(d, _)| *d <= limit)
                .min()
                .map(|(_, c)| c);
            let known = Known::new(candidates.iter().map(String::as_str));
            assert_eq!(
                known.closest(&name),
                expected,
                "{name:?} among {candidates:?}"
            );
        }
    }
}
