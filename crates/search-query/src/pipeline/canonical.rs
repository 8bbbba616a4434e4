//! Scores that do not depend on how the index is laid out.
//!
//! tantivy adds a passage's term scores in an order that depends on the index:
//! block-max WAND in the order its scorers happen to sit, an intersection from
//! its rarest clause in each segment. Floating-point addition is not associative,
//! so two copies of one paragraph may score an ulp apart, and one passage may
//! score an ulp differently in a shard than in one index over every shard. The
//! difference is far below any real difference in relevance, but it decides the
//! order of passages that should tie, which must go by place.
//!
//! So passages whose scores are within [`NEAR`] of each other are scored again,
//! the canonical way: each scored part of the plan on its own, added up in plan
//! order. Copies then tie exactly, and every index gives them the same score.

use std::collections::HashMap;

use tantivy::query::{EnableScoring, Weight};
use tantivy::{DocSet, Score, TERMINATED};

use super::{Candidate, Context};
use crate::plan::Plan;

/// Scores within this relative distance may differ only by the order of their
/// additions (a sum of n terms in another order moves by at most about n × 6e-8
/// of itself).
pub const NEAR: f32 = 1e-5;

/// Whether `a` and `b` may be the same score added in different orders.
pub fn near(a: Score, b: Score) -> bool {
    (a - b).abs() <= NEAR * a.abs().max(b.abs())
}

/// Scores again, the canonical way, every candidate that `group` puts beside
/// a neighbour whose score is [`near`] its own (neighbours in `candidates`'
/// order, which must be by score within each group); or every candidate when
/// `all`. Sets both the BM25 score and the score (no boost is applied yet).
pub fn settle(
    ctx: &Context<'_>,
    plan: &Plan,
    candidates: &mut [Candidate],
    all: bool,
    same_group: impl Fn(&Candidate, &Candidate) -> bool,
) -> tantivy::Result<()> {
    let mut chosen = vec![all; candidates.len()];
    for i in 1..candidates.len() {
        let (a, b) = (&candidates[i - 1], &candidates[i]);
        if same_group(a, b) && near(a.score, b.score) {
            chosen[i - 1] = true;
            chosen[i] = true;
        }
    }
    if !chosen.contains(&true) {
        return Ok(());
    }
    if plan.parts.is_empty() {
        return Ok(());
    }
    let scoring = EnableScoring::enabled_from_statistics_provider(ctx.stats, ctx.searcher);
    let weights = plan
        .parts
        .iter()
        .map(|part| part.query.weight(scoring))
        .collect::<tantivy::Result<Vec<Box<dyn Weight>>>>()?;
    // The chosen candidates of each segment, in passage order.
    let mut by_segment: HashMap<u32, Vec<usize>> = HashMap::new();
    for (i, candidate) in candidates.iter().enumerate() {
        if chosen[i] {
            by_segment
                .entry(candidate.address.segment_ord)
                .or_default()
                .push(i);
        }
    }
    let mut parts = vec![vec![0.0 as Score; weights.len()]; candidates.len()];
    for (segment_ord, mut members) in by_segment {
        members.sort_by_key(|&i| candidates[i].address.doc_id);
        let reader = ctx.searcher.segment_reader(segment_ord);
        for (p, weight) in weights.iter().enumerate() {
            let mut scorer = weight.scorer(reader, 1.0)?;
            for &i in &members {
                let doc = candidates[i].address.doc_id;
                let mut at = scorer.doc();
                if at == TERMINATED {
                    break;
                }
                if at < doc {
                    at = scorer.seek(doc);
                }
                if at == doc {
                    parts[i][p] = scorer.score();
                }
            }
        }
    }
    for (i, candidate) in candidates.iter_mut().enumerate() {
        let score = parts[i].iter().fold(0.0, |sum, s| sum + s);
        // Only a sum that is the same score: a plan whose parts do not make up
        // its score (none does today) keeps tantivy's.
        if chosen[i] && near(score, candidate.bm25) {
            candidate.score = score;
            candidate.bm25 = score;
        }
    }
    Ok(())
}
