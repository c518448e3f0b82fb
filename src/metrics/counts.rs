//! Counts per key, as the month partials keep them: per visit type, channel, complaint
//! category, severity, status, and days to close.

use smallvec::SmallVec;
use std::ops::RangeInclusive;

/// Counts per key in a vector sorted by key. A partial's maps hold a handful of keys and are
/// bumped on every row, where a binary search over one or two cache lines beats walking a
/// tree; and iteration, so output, follows the keys, never hashing. One entry is held inline,
/// in the room a `Vec` takes: with thousands of sites most partials count a single visit, and
/// a heap block per map was most of their memory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Counts<K> {
    entries: SmallVec<[(K, u64); 1]>,
}

impl<K> Counts<K> {
    /// No counts (a `const` for the empty partials shared by reference).
    pub const fn new() -> Self {
        Counts {
            entries: SmallVec::new_const(),
        }
    }
}

impl<K> Default for Counts<K> {
    fn default() -> Self {
        Counts::new()
    }
}

impl<K: Ord + Copy> Counts<K> {
    pub fn add(&mut self, key: K, n: u64) {
        match self.entries.binary_search_by(|(k, _)| k.cmp(&key)) {
            Ok(i) => self.entries[i].1 += n,
            Err(i) => self.entries.insert(i, (key, n)),
        }
    }

    /// The same counts with every key passed through `f` (keys `f` makes equal add up).
    pub fn map_keys(mut self, f: impl Fn(K) -> K) -> Counts<K> {
        for entry in &mut self.entries {
            entry.0 = f(entry.0);
        }
        self.entries.sort_unstable_by_key(|e| e.0);
        self.entries.dedup_by(|later, kept| {
            let same = later.0 == kept.0;
            if same {
                kept.1 += later.1;
            }
            same
        });
        self
    }

    /// Adds every count of `other`: one walk along both sorted lists, in place while every
    /// key is already here (as after the first few merges into a sum), else a merge of the two.
    pub fn add_all(&mut self, other: &Counts<K>) {
        let mut i = 0;
        for (at, &(k, n)) in other.entries.iter().enumerate() {
            while self.entries.get(i).is_some_and(|e| e.0 < k) {
                i += 1;
            }
            match self.entries.get_mut(i) {
                Some(e) if e.0 == k => {
                    e.1 += n;
                    i += 1;
                }
                _ => return self.merge_rest(&other.entries[at..]),
            }
        }
    }

    fn merge_rest(&mut self, rest: &[(K, u64)]) {
        let (a, b) = (&self.entries, rest);
        let mut merged = SmallVec::with_capacity(a.len() + b.len());
        let (mut i, mut j) = (0, 0);
        while i < a.len() && j < b.len() {
            match a[i].0.cmp(&b[j].0) {
                std::cmp::Ordering::Less => {
                    merged.push(a[i]);
                    i += 1;
                }
                std::cmp::Ordering::Greater => {
                    merged.push(b[j]);
                    j += 1;
                }
                std::cmp::Ordering::Equal => {
                    merged.push((a[i].0, a[i].1 + b[j].1));
                    i += 1;
                    j += 1;
                }
            }
        }
        merged.extend_from_slice(&a[i..]);
        merged.extend_from_slice(&b[j..]);
        self.entries = merged;
    }

    pub fn get(&self, key: &K) -> Option<&u64> {
        self.entries
            .binary_search_by(|(k, _)| k.cmp(key))
            .ok()
            .map(|i| &self.entries[i].1)
    }

    /// Entries in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&K, &u64)> {
        self.entries.iter().map(|(k, n)| (k, n))
    }

    pub fn values(&self) -> impl Iterator<Item = &u64> {
        self.entries.iter().map(|(_, n)| n)
    }

    /// Entries whose key lies in `keys`, in key order.
    pub fn range(&self, keys: RangeInclusive<K>) -> impl Iterator<Item = (&K, &u64)> {
        self.iter().filter(move |(k, _)| keys.contains(k))
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl<'a, K: Ord + Copy> IntoIterator for &'a Counts<K> {
    type Item = (&'a K, &'a u64);
    type IntoIter =
        std::iter::Map<std::slice::Iter<'a, (K, u64)>, fn(&'a (K, u64)) -> (&'a K, &'a u64)>;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.iter().map(|(k, n)| (k, n))
    }
}

impl<K: Ord + Copy, const N: usize> From<[(K, u64); N]> for Counts<K> {
    fn from(entries: [(K, u64); N]) -> Self {
        let mut counts = Counts::default();
        for (k, n) in entries {
            counts.add(k, n);
        }
        counts
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    proptest::proptest! {
        /// The same counts, in the same order, as a BTreeMap given the same additions.
        #[test]
        fn counts_like_a_btreemap(adds in proptest::collection::vec((0u8..12, 1u64..5), 0..60)) {
            let mut counts = Counts::default();
            let mut tree: BTreeMap<u8, u64> = BTreeMap::new();
            for &(k, n) in &adds {
                counts.add(k, n);
                *tree.entry(k).or_default() += n;
            }
            let got: Vec<(u8, u64)> = counts.iter().map(|(&k, &n)| (k, n)).collect();
            let want: Vec<(u8, u64)> = tree.iter().map(|(&k, &n)| (k, n)).collect();
            proptest::prop_assert_eq!(&got, &want);
            let in_range: Vec<(u8, u64)> = counts.range(3..=7).map(|(&k, &n)| (k, n)).collect();
            let want_range: Vec<(u8, u64)> = tree.range(3..=7).map(|(&k, &n)| (k, n)).collect();
            proptest::prop_assert_eq!(in_range, want_range);
            for k in 0..12 {
                proptest::prop_assert_eq!(counts.get(&k), tree.get(&k));
            }
            // Adding all of another: split the additions in two, sum each, add one to the other.
            let (first, second) = adds.split_at(adds.len() / 3);
            let sum = |part: &[(u8, u64)]| {
                let mut c = Counts::default();
                for &(k, n) in part {
                    c.add(k, n);
                }
                c
            };
            let mut joined = sum(first);
            joined.add_all(&sum(second));
            proptest::prop_assert_eq!(&joined, &counts);
            let mut joined = sum(second);
            joined.add_all(&sum(first));
            proptest::prop_assert_eq!(&joined, &counts);
            // Keys mapped (here folded three to one) add up as a map rebuilt from them does.
            let mut folded: BTreeMap<u8, u64> = BTreeMap::new();
            for (&k, &n) in &tree {
                *folded.entry(k / 3).or_default() += n;
            }
            let mapped: Vec<(u8, u64)> = counts.map_keys(|k| k / 3).iter().map(|(&k, &n)| (k, n)).collect();
            proptest::prop_assert_eq!(mapped, folded.into_iter().collect::<Vec<_>>());
        }
    }
}
