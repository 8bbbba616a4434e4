//! The scores and ranges the pipeline needs from a passage's positions and tokens:
//! the proximity of the query's words (for the re-rank) and the highlight ranges.
//! Ordering, boilerplate placement and the per-article roll-up are the pipeline's
//! (`pipeline.rs`).

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use tantivy::tokenizer::Token;

/// How close (in positions) two query words must be to count as near each other.
const NEAR_WINDOW: usize = 8;

/// Proximity of the query's consecutive word pairs in a passage, in `[0, 1]`:
/// 1 when every pair occurs as an exact bigram, decaying with distance, 0 when no
/// pair occurs within [`NEAR_WINDOW`]. `positions` maps each query term to its
/// positions in the passage.
pub fn proximity(ordered_terms: &[String], positions: &HashMap<&str, Vec<u32>>) -> f32 {
    let pairs: Vec<(&String, &String)> = ordered_terms
        .windows(2)
        .filter(|w| w[0] != w[1])
        .map(|w| (&w[0], &w[1]))
        .collect();
    if pairs.is_empty() {
        return 0.0;
    }
    let total: f32 = pairs
        .iter()
        .map(|(a, b)| {
            let (Some(pa), Some(pb)) = (positions.get(a.as_str()), positions.get(b.as_str()))
            else {
                return 0.0;
            };
            let mut best = 0.0f32;
            for &x in pa {
                for &y in pb {
                    let score = if y > x {
                        // In order: distance 1 is the bigram itself.
                        let d = (y - x) as usize;
                        if d <= NEAR_WINDOW {
                            1.0 / d as f32
                        } else {
                            0.0
                        }
                    } else {
                        // Reversed order counts a quarter.
                        let d = (x - y) as usize;
                        if (1..=NEAR_WINDOW).contains(&d) {
                            0.25 / d as f32
                        } else {
                            0.0
                        }
                    };
                    best = best.max(score);
                }
            }
            best
        })
        .sum();
    total / pairs.len() as f32
}

/// Byte ranges of the tokens whose analyzed text is a query term, merged where they
/// touch or overlap.
pub fn highlights(terms: &HashSet<String>, tokens: &[Token]) -> Vec<Range<usize>> {
    let mut ranges: Vec<Range<usize>> = tokens
        .iter()
        .filter(|t| terms.contains(&t.text))
        .map(|t| t.offset_from..t.offset_to)
        .collect();
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for r in ranges {
        match merged.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(words: &[&str]) -> Vec<Token> {
        let mut offset = 0;
        words
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let t = Token {
                    offset_from: offset,
                    offset_to: offset + w.len(),
                    position: i,
                    text: w.to_string(),
                    position_length: 1,
                };
                offset += w.len() + 1;
                t
            })
            .collect()
    }

    fn terms(ws: &[&str]) -> Vec<String> {
        ws.iter().map(|w| w.to_string()).collect()
    }

    /// Term -> positions of a passage made of `words`.
    fn positions<'a>(words: &[&'a str]) -> HashMap<&'a str, Vec<u32>> {
        let mut map: HashMap<&str, Vec<u32>> = HashMap::new();
        for (i, w) in words.iter().enumerate() {
            map.entry(*w).or_default().push(i as u32);
        }
        map
    }

    #[test]
    fn bigram_beats_distance_beats_absence() {
        let q = terms(&["frozen", "asset"]);
        let exact = proximity(&q, &positions(&["the", "frozen", "asset"]));
        let near = proximity(&q, &positions(&["frozen", "russian", "asset"]));
        let reversed = proximity(&q, &positions(&["asset", "frozen"]));
        let far = proximity(
            &q,
            &positions(&["frozen", "a", "b", "c", "d", "e", "f", "g", "h", "asset"]),
        );
        assert_eq!(exact, 1.0);
        assert!(exact > near && near > reversed && reversed > far);
        assert_eq!(far, 0.0);
        assert_eq!(proximity(&terms(&["one"]), &positions(&["one"])), 0.0);
    }

    #[test]
    fn highlights_merge_overlaps() {
        let mut tokens = toks(&["us", "russia", "talk"]);
        tokens.push(Token {
            offset_from: 0,
            offset_to: 9,
            position: 0,
            text: "usrussia".into(),
            position_length: 2,
        });
        let set: HashSet<String> = ["usrussia".to_string(), "us".to_string()].into();
        assert_eq!(highlights(&set, &tokens), vec![0..9]);
    }
}
