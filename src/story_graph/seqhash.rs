//! 128-bit polynomial hashes of state sequences: `H(s₁…sₙ) = Σ code(sᵢ)·Bⁿ⁻ⁱ` (wrapping).
//!
//! The hash of a concatenation is computed from its parts' hashes
//! (`H(p·s) = H(p)·B^|s| + H(s)`), so a dialogue kept as a history in the state trie followed
//! by a shared segment (see [`super::segment`]) is identified as if its states were
//! written out, and a slice of it from two prefix hashes. Equal sequences
//! get equal hashes however they were split; two different sequences of the same length
//! share one with probability about 2⁻¹²⁸ (the codes are mixed, not small integers).

/// The base of the polynomial (odd, so no power of it is 0).
pub const BASE: u128 = 0x2545_f491_4f6c_dd1d_9e37_79b9_7f4a_7c15;

/// A state's coefficient: its id mixed into 128 bits (odd, so never 0).
fn code(state: u32) -> u128 {
    let mut x = u64::from(state).wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^= x >> 31;
    (u128::from(x) << 64) | u128::from(x.rotate_left(17) ^ 0xa076_1d64_78bd_642f) | 1
}

/// The hash of a sequence with hash `hash` followed by `state`.
pub fn extend(hash: u128, state: u32) -> u128 {
    hash.wrapping_mul(BASE).wrapping_add(code(state))
}

/// A state sequence as its length and hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Seq {
    pub len: u32,
    pub hash: u128,
}

impl Seq {
    pub const EMPTY: Seq = Seq { len: 0, hash: 0 };

    /// The sequence followed by one more state.
    pub fn push(self, state: u32) -> Seq {
        Seq {
            len: self.len.saturating_add(1),
            hash: extend(self.hash, state),
        }
    }

    /// The sequence followed by `next`.
    pub fn then(self, next: Seq) -> Seq {
        Seq {
            len: self.len.saturating_add(next.len),
            hash: self
                .hash
                .wrapping_mul(BASE.wrapping_pow(next.len))
                .wrapping_add(next.hash),
        }
    }

    /// One number for the sequence: its hash with its length folded into the top bits
    /// (two sequences share it about as rarely as a hash).
    pub fn key(self) -> u128 {
        self.hash ^ (u128::from(self.len) << 96)
    }

    /// The sequence of `states`.
    pub fn of(states: &[u32]) -> Seq {
        states.iter().fold(Seq::EMPTY, |s, &x| s.push(x))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_split_sequence_hashes_as_the_whole() {
        let whole = Seq::of(&[3, 1, 4, 1, 5]);
        let (left, right) = (Seq::of(&[3, 1]), Seq::of(&[4, 1, 5]));
        assert_eq!(left.then(right), whole);
        assert_ne!(right.then(left), whole);
    }
}
