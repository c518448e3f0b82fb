//! The sample's random numbers: xoshiro256** seeded with SplitMix64, written out here so the
//! output never depends on a crate's version or on the platform.

pub(super) struct Rng {
    s: [u64; 4],
}

impl Rng {
    pub(super) fn new(seed: u64) -> Self {
        let mut sm = seed ^ 0x6875_6966_616e_6721; // "huifang!"
        let mut next = || {
            sm = sm.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = sm;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        };
        Rng {
            s: [next(), next(), next(), next()],
        }
    }

    fn next_u64(&mut self) -> u64 {
        let s = &mut self.s;
        let result = s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// Uniform-enough integer in `0..n` (multiply-shift; `n` > 0).
    pub(super) fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// True with probability `per_mille` / 1000.
    pub(super) fn chance(&mut self, per_mille: u32) -> bool {
        self.below(1000) < u64::from(per_mille)
    }

    /// Index chosen with the given integer weights (at least one weight > 0).
    pub(super) fn weighted(&mut self, weights: &[u32]) -> usize {
        self.weighted_index(weights.len(), |i| weights[i])
    }

    /// A value of `table` chosen with its weight (at least one weight > 0).
    pub(super) fn choose<T: Copy>(&mut self, table: &[(T, u32)]) -> T {
        table[self.weighted_index(table.len(), |i| table[i].1)].0
    }

    fn weighted_index(&mut self, len: usize, weight: impl Fn(usize) -> u32) -> usize {
        let total: u64 = (0..len).map(|i| u64::from(weight(i))).sum();
        let mut r = self.below(total);
        for i in 0..len {
            let w = u64::from(weight(i));
            if r < w {
                return i;
            }
            r -= w;
        }
        len - 1
    }

    /// Index chosen with the weights of `table`: as [`weighted`](Self::weighted) would with
    /// the same weights (the same draw, the same index), in logarithmic time, for the
    /// thousands of departments and sites of the benchmark shapes.
    pub(super) fn weighted_in(&mut self, table: &Cumulative) -> usize {
        let r = self.below(table.total());
        table.ends.partition_point(|&end| end <= r)
    }

    pub(super) fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

/// Integer weights as running totals: entry `i` is the sum of the weights up to and
/// including `i` (every weight > 0).
pub(super) struct Cumulative {
    ends: Vec<u64>,
}

impl Cumulative {
    pub(super) fn new(weights: impl Iterator<Item = u32>) -> Self {
        let ends = weights
            .scan(0u64, |sum, w| {
                *sum += u64::from(w);
                Some(*sum)
            })
            .collect();
        Cumulative { ends }
    }

    fn total(&self) -> u64 {
        self.ends.last().copied().unwrap_or(0)
    }
}
