//! A tiny seeded random source for the property tests (xorshift64): the same cases on
//! every run and machine, no dependency.

/// A function giving numbers below `n`, from `seed` (which must not be 0).
pub fn below(seed: u64) -> impl FnMut(usize) -> usize {
    let mut state = seed;
    move |n| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    }
}
