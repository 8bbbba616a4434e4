//! Which shard of a sharded index a source file belongs to.
//!
//! A sharded index is several indexes, each built from the files of the corpus
//! whose recorded path hashes to it. The hash is BLAKE3 of the path, so the
//! assignment never changes from one run, machine or version to the next: a
//! re-run of a sharded build updates each shard incrementally.

use serde::{Deserialize, Serialize};

/// Shard `index` of `count` (`index < count`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Shard {
    /// Which shard, from 0.
    pub index: u32,
    /// How many shards there are.
    pub count: u32,
}

/// A shard that names no shard of its count.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "shard {index} of {count} does not exist: shards are numbered from 0 to the count less one"
)]
pub struct NoSuchShard {
    /// The index given.
    pub index: u32,
    /// The count given.
    pub count: u32,
}

impl Shard {
    /// Shard `index` of `count`.
    pub fn new(index: u32, count: u32) -> Result<Shard, NoSuchShard> {
        if index < count {
            Ok(Shard { index, count })
        } else {
            Err(NoSuchShard { index, count })
        }
    }

    /// The shard of `count` that the file recorded as `path` belongs to.
    pub fn of(path: &str, count: u32) -> u32 {
        let hash = blake3::hash(path.as_bytes());
        let mut first = [0u8; 8];
        first.copy_from_slice(&hash.as_bytes()[..8]);
        (u64::from_le_bytes(first) % u64::from(count.max(1))) as u32
    }

    /// Whether the file recorded as `path` belongs to this shard.
    pub fn holds(&self, path: &str) -> bool {
        Shard::of(path, self.count) == self.index
    }
}

#[cfg(test)]
mod tests {
    use super::Shard;

    #[test]
    fn every_path_belongs_to_exactly_one_shard_and_always_the_same() {
        for count in 1..6 {
            for i in 0..200 {
                let path = format!("corpus/{i}.txt");
                let owners: Vec<u32> = (0..count)
                    .filter(|&s| Shard::new(s, count).unwrap().holds(&path))
                    .collect();
                assert_eq!(owners.len(), 1, "{path} of {count}");
            }
        }
        // Pinned: a change of hash would move every file of every sharded index.
        let pinned: Vec<u32> = (0..8)
            .map(|i| Shard::of(&format!("corpus/{i}.txt"), 4))
            .collect();
        assert_eq!(pinned, [0, 2, 1, 3, 2, 2, 1, 1]);
        assert!(Shard::new(4, 4).is_err());
    }
}
