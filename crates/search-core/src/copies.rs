//! Copy groups: passages that are near-duplicates of each other in different
//! articles (a wire story republished by other outlets with a word changed here and
//! there), found at index time and kept in a table the commit payload names.
//!
//! A passage's *shingles* are its consecutive word pairs (words as runs of letters
//! and digits, lower-cased). Two passages are copies when
//!
//! - both are eligible: not boilerplate (credits, copyright lines; the indexer
//!   marks them) and at least [`MIN_WORDS`] words long;
//! - they belong to different articles;
//! - the Jaccard similarity of their shingle sets is at least [`THRESHOLD`]
//!   (computed exactly on the candidates; a one-word change in a 20-word passage
//!   leaves 0.81, in a 10-word one 0.64);
//! - their articles share at least two such pairs, or one of the two articles has
//!   a single eligible passage. An article that quotes one sentence (or even one
//!   whole paragraph) of another is not a copy of it; a republished article
//!   repeats paragraph after paragraph.
//!
//! Copy groups are the connected components of that relation (a copy of a copy is
//! in the group of the original even where its own edits push it under the
//! threshold against another copy).
//!
//! Candidates come from MinHash with LSH banding: [`HASHES`] minimums per passage,
//! in [`BANDS`] bands of [`ROWS`]; passages sharing a band are compared. With these
//! settings a pair at similarity 0.5 becomes a candidate with probability 0.88,
//! at 0.6 with 0.97, at 0.7 with 0.996. A band shared by more than
//! [`MAX_BUCKET`] passages is text repeated across the corpus that the boilerplate
//! rules did not catch, and is not compared.
//!
//! The groups are computed from every passage of a commit, so an update answers
//! exactly like a rebuild.

use std::collections::{HashMap, HashSet};

/// Passages of fewer words are never copies (credit lines, datelines).
pub const MIN_WORDS: usize = 8;
/// The least Jaccard similarity of two passages' word-pair sets for copies.
pub const THRESHOLD: f64 = 0.5;
/// MinHash values per passage.
pub const HASHES: usize = BANDS * ROWS;
/// LSH bands.
pub const BANDS: usize = 16;
/// MinHash values per band.
pub const ROWS: usize = 3;
/// A band bucket holding more passages than this is not compared.
pub const MAX_BUCKET: usize = 256;

/// What grouping needs of one passage.
#[derive(Debug, Clone)]
pub struct Sketch {
    /// The distinct shingle hashes, sorted.
    shingles: Vec<u32>,
    /// One key per band.
    bands: [u64; BANDS],
}

impl Sketch {
    /// The sketch of `text`; `None` when it has fewer than [`MIN_WORDS`] words.
    pub fn of(text: &str) -> Option<Sketch> {
        let words = word_hashes(text);
        if words.len() < MIN_WORDS {
            return None;
        }
        let mut minimums = [u32::MAX; HASHES];
        let mut shingles = Vec::with_capacity(words.len());
        for pair in words.windows(2) {
            let shingle =
                mix(pair[0].rotate_left(23) ^ pair[1].wrapping_mul(0x9E37_79B9_7F4A_7C15));
            shingles.push(shingle as u32);
            for (minimum, (a, b)) in minimums.iter_mut().zip(PERMUTATIONS.iter()) {
                let value = (a.wrapping_mul(shingle).wrapping_add(*b) >> 32) as u32;
                *minimum = (*minimum).min(value);
            }
        }
        shingles.sort_unstable();
        shingles.dedup();
        let mut bands = [0u64; BANDS];
        for (band, key) in bands.iter_mut().enumerate() {
            let rows = &minimums[band * ROWS..(band + 1) * ROWS];
            let mut h = band as u64;
            for row in rows {
                h = mix(h ^ u64::from(*row)).wrapping_add(0x632B_E59B_D9B4_E019);
            }
            *key = h;
        }
        Some(Sketch { shingles, bands })
    }

    /// The Jaccard similarity of the two shingle sets.
    pub fn similarity(&self, other: &Sketch) -> f64 {
        let (a, b) = (&self.shingles, &other.shingles);
        let (mut i, mut j, mut shared) = (0, 0, 0usize);
        while i < a.len() && j < b.len() {
            match a[i].cmp(&b[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    shared += 1;
                    i += 1;
                    j += 1;
                }
            }
        }
        let union = a.len() + b.len() - shared;
        if union == 0 {
            0.0
        } else {
            shared as f64 / union as f64
        }
    }
}

/// One passage to group.
#[derive(Debug, Clone)]
pub struct Passage {
    /// Its article, as a number shared by the article's passages.
    pub article: u32,
    /// Its sketch; `None` for a passage that is never a copy (boilerplate, short).
    pub sketch: Option<Sketch>,
}

/// The copy groups of `passages`: each a sorted list of two or more indices into
/// `passages`, the groups ordered by their first index.
///
/// Passages with the same shingles (the same words) form a *class*, compared once
/// through a representative: a text repeated in many articles costs one sketch
/// comparison, not one per pair. A member is linked to each of the first
/// [`TRUNK`] members of its own class and of each similar class (in the order of
/// `passages`) with which it is a supported pair; pass them in a canonical order
/// (by place) and the groups do not depend on how the index is laid out.
pub fn groups(passages: &[Passage]) -> Vec<Vec<u32>> {
    // Classes of identical shingle sets, members in input order.
    let mut class_of: Vec<u32> = vec![u32::MAX; passages.len()];
    let mut classes: Vec<Vec<u32>> = Vec::new();
    let mut by_shingles: HashMap<&[u32], u32> = HashMap::new();
    for (i, p) in passages.iter().enumerate() {
        let Some(sketch) = &p.sketch else { continue };
        let next = classes.len() as u32;
        let class = *by_shingles.entry(&sketch.shingles).or_insert(next);
        if class == next {
            classes.push(Vec::new());
        }
        classes[class as usize].push(i as u32);
        class_of[i] = class;
    }
    let sketch_of = |class: u32| {
        passages[classes[class as usize][0] as usize]
            .sketch
            .as_ref()
            .expect("a class has sketched members")
    };
    // Similar classes: representatives sharing a band, then compared exactly.
    let mut candidates: HashSet<(u32, u32)> = HashSet::new();
    let mut keyed: Vec<(u64, u32)> = Vec::with_capacity(classes.len());
    for band in 0..BANDS {
        keyed.clear();
        keyed.extend((0..classes.len() as u32).map(|c| (sketch_of(c).bands[band], c)));
        keyed.sort_unstable();
        for run in keyed.chunk_by(|a, b| a.0 == b.0) {
            if run.len() < 2 || run.len() > MAX_BUCKET {
                continue;
            }
            for (x, &(_, a)) in run.iter().enumerate() {
                for &(_, b) in &run[x + 1..] {
                    candidates.insert((a.min(b), a.max(b)));
                }
            }
        }
    }
    let mut similar: Vec<Vec<u32>> = vec![Vec::new(); classes.len()];
    let mut pairs: Vec<(u32, u32)> = candidates
        .into_iter()
        .filter(|&(a, b)| sketch_of(a).similarity(sketch_of(b)) >= THRESHOLD)
        .collect();
    pairs.sort_unstable();
    for &(a, b) in &pairs {
        similar[a as usize].push(b);
        similar[b as usize].push(a);
    }
    for list in &mut similar {
        list.sort_unstable();
    }
    // Each article's eligible passages' classes.
    let mut article_classes: HashMap<u32, Vec<u32>> = HashMap::new();
    for (i, p) in passages.iter().enumerate() {
        if p.sketch.is_some() {
            article_classes
                .entry(p.article)
                .or_default()
                .push(class_of[i]);
        }
    }
    let mut support_of: HashMap<(u32, u32), bool> = HashMap::new();
    let mut supported = |a: u32, b: u32| -> bool {
        let key = (a.min(b), a.max(b));
        *support_of.entry(key).or_insert_with(|| {
            let (ca, cb) = (&article_classes[&a], &article_classes[&b]);
            let needed = 2.min(ca.len()).min(cb.len());
            let mut shared = 0;
            for &x in ca {
                for &y in cb {
                    if x == y || similar[x as usize].binary_search(&y).is_ok() {
                        shared += 1;
                    }
                }
            }
            shared >= needed
        })
    };
    let mut sets = DisjointSets::new(passages.len());
    let article = |i: u32| passages[i as usize].article;
    // A member is linked to each trunk member it is a supported copy of (a link
    // within one component already changes nothing, so its support is not needed).
    let mut join_to_trunk = |trunk: &[u32], member: u32, sets: &mut DisjointSets| {
        for &t in trunk.iter().take(TRUNK) {
            if t == member || article(t) == article(member) || sets.root(t) == sets.root(member) {
                continue;
            }
            if supported(article(t), article(member)) {
                sets.join(t, member);
            }
        }
    };
    for class in &classes {
        for &member in class.iter().skip(1) {
            join_to_trunk(class, member, &mut sets);
        }
    }
    for &(a, b) in &pairs {
        let (ca, cb) = (&classes[a as usize], &classes[b as usize]);
        for &member in cb {
            join_to_trunk(ca, member, &mut sets);
        }
        for &member in ca {
            join_to_trunk(cb, member, &mut sets);
        }
    }
    let mut by_root: HashMap<u32, Vec<u32>> = HashMap::new();
    for class in &classes {
        for &i in class {
            by_root.entry(sets.root(i)).or_default().push(i);
        }
    }
    let mut groups: Vec<Vec<u32>> = by_root.into_values().filter(|g| g.len() > 1).collect();
    for group in &mut groups {
        group.sort_unstable();
    }
    groups.sort_unstable();
    groups
}

/// How many of a class's first members another passage tries to join through.
pub const TRUNK: usize = 4;

/// Union-find over passage indices.
struct DisjointSets {
    parent: Vec<u32>,
}

impl DisjointSets {
    fn new(n: usize) -> DisjointSets {
        DisjointSets {
            parent: (0..n as u32).collect(),
        }
    }

    fn root(&mut self, mut i: u32) -> u32 {
        while self.parent[i as usize] != i {
            let up = self.parent[self.parent[i as usize] as usize];
            self.parent[i as usize] = up;
            i = up;
        }
        i
    }

    fn join(&mut self, a: u32, b: u32) {
        let (ra, rb) = (self.root(a), self.root(b));
        if ra != rb {
            self.parent[ra.max(rb) as usize] = ra.min(rb);
        }
    }
}

/// The words of `text` (runs of letters and digits, lower-cased), hashed.
fn word_hashes(text: &str) -> Vec<u64> {
    let mut words = Vec::new();
    let mut h: u64 = FNV_OFFSET;
    let mut in_word = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            in_word = true;
            if c.is_ascii() {
                h = fnv(h, c.to_ascii_lowercase() as u32);
            } else {
                for l in c.to_lowercase() {
                    h = fnv(h, l as u32);
                }
            }
        } else if in_word {
            words.push(mix(h));
            h = FNV_OFFSET;
            in_word = false;
        }
    }
    if in_word {
        words.push(mix(h));
    }
    words
}

const FNV_OFFSET: u64 = 0xCBF2_9CE4_8422_2325;

fn fnv(h: u64, c: u32) -> u64 {
    (h ^ u64::from(c)).wrapping_mul(0x0000_0100_0000_01B3)
}

/// SplitMix64's finalizer.
const fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The MinHash permutations `a·x + b` (a odd), fixed so that every build of an
/// index sketches alike.
const PERMUTATIONS: [(u64, u64); HASHES] = {
    let mut out = [(0u64, 0u64); HASHES];
    let mut i = 0;
    while i < HASHES {
        out[i] = (
            mix(0x5EED_0000 + 2 * i as u64) | 1,
            mix(0xB1A5_0000 + 2 * i as u64 + 1),
        );
        i += 1;
    }
    out
};

/// Table files are named `search-copies-<hash>.zst`.
pub const TABLE_PREFIX: &str = "search-copies-";

/// Where a member of a copy group is: its citation's path, article id, line and
/// byte start (a passage's unique place).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Member {
    /// The source path as given at index time.
    pub path: String,
    /// The article id.
    pub doc_id: String,
    /// The line the passage starts on.
    pub line: u64,
    /// The passage's first byte in the file.
    pub byte_start: u64,
}

mod table;

pub use table::{encode, table_name, MemberRef, Table};

#[cfg(test)]
mod tests;
