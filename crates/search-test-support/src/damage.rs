//! Damaging an index's document store on purpose, to test that damage is reported
//! as damage.

use std::ops::Range;
use std::path::{Path, PathBuf};

/// The document store file of the (one-segment) index in `index`.
pub fn store_file(index: &Path) -> PathBuf {
    std::fs::read_dir(index)
        .expect("read the index folder")
        .map(|e| e.expect("read the index folder").path())
        .find(|p| p.extension().is_some_and(|e| e == "store"))
        .expect("a .store file")
}

/// Where the store's skip index starts and ends. The file is the blocks, the skip
/// index, the doc store footer (version u32, skip index offset u64, compressor u8,
/// 15 reserved bytes) and tantivy's file footer (JSON, its length, a magic number).
/// The 13 bytes after the range are the footer's version, offset and compressor.
pub fn skip_index(store: &[u8]) -> Range<usize> {
    let json = store
        .windows(10)
        .rposition(|w| w == b"{\"version\"")
        .expect("tantivy's file footer");
    let footer = json - 28;
    let offset = u64::from_le_bytes(store[footer + 4..footer + 12].try_into().unwrap());
    offset as usize..footer
}

/// Flips a byte a few bytes into every zstd frame (they start with `28 b5 2f fd`)
/// of the store file at `store`: the passage text no longer decompresses.
pub fn damage_zstd_frames(store: &Path) {
    let mut bytes = std::fs::read(store).expect("read the store");
    let frames: Vec<usize> = bytes
        .windows(4)
        .enumerate()
        .filter(|(_, w)| *w == [0x28, 0xb5, 0x2f, 0xfd])
        .map(|(at, _)| at)
        .collect();
    assert!(!frames.is_empty(), "no zstd frame in the store");
    for at in frames {
        bytes[at + 12] ^= 0x5a;
    }
    std::fs::write(store, bytes).expect("write the store");
}
