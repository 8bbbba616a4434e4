//! The date sorts: newest or oldest first, ties by relevance, then by place;
//! passages without a date last in both orders.
//!
//! Scores do not decide the order, so nothing is pruned by score: every match is
//! visited, unscored, and only its date is read (the `date` column). The passages
//! that can make the page (the first by date, and every passage tied with the last
//! of them) are then scored by one forward pass of a scorer per segment. The
//! proximity re-rank is skipped: it only reorders passages of equal date, and a
//! hit's score is its BM25 score (its explanation says it was not re-ranked).

use tantivy::query::{EnableScoring, Query};
use tantivy::{DocAddress, DocId, DocSet, TERMINATED};

use super::{
    by_score, collapse_key, order, roll_up, settle_ties_at, Candidate, Context, PER_ARTICLE_FANOUT,
};
use crate::error::Failure;
use crate::filters::Sort;
use crate::options::SearchOptions;
use crate::plan::Plan;

/// A passage's place in a date order: dated first, then by date (latest first for
/// `Newest`: the bitwise not reverses the order of an `i64` without overflow).
type DateKey = (bool, i64);

fn date_key(date: Option<i64>, sort: Sort) -> DateKey {
    match (date, sort) {
        (None, _) => (true, 0),
        (Some(date), Sort::Oldest) => (false, date),
        (Some(date), _) => (false, !date),
    }
}

/// Every match of `plan` ordered by `sort` (per article when asked), at least as
/// deep as the page; and the number of matching passages.
pub(super) fn ranked(
    ctx: &mut Context<'_>,
    plan: &Plan,
    options: &SearchOptions,
    sort: Sort,
) -> Result<(Vec<Candidate>, usize), Failure> {
    let query = plan.search_query();
    let mut matches = dated_matches(ctx, &*query, sort)?;
    let total = matches.len();
    let depth = options.offset.saturating_add(options.limit).max(1);
    let mut want = if options.per_article || options.collapse {
        depth.saturating_mul(PER_ARTICLE_FANOUT)
    } else {
        depth
    };
    loop {
        let chosen = first_by_date(&mut matches, want);
        let complete = chosen.len() == matches.len();
        let mut candidates = scored(ctx, &*query, chosen)?;
        // The chosen matches' date keys, by address.
        let mut dates: Vec<(DocAddress, DateKey)> = matches[..candidates.len()].to_vec();
        dates.sort_unstable_by_key(|(a, _)| *a);
        let key = |c: &Candidate| {
            let date = dates
                .binary_search_by_key(&c.address, |(a, _)| *a)
                .map_or((true, 0), |i| dates[i].1);
            (date, by_score(c))
        };
        candidates.sort_by_key(|c| key(c));
        settle_ties_at(&mut candidates, want, ctx.columns, key);
        candidates.truncate(want);
        order(&mut candidates, ctx.columns, key);
        if options.per_article {
            let columns = ctx.columns;
            candidates = roll_up(candidates, |c| {
                columns[c.address.segment_ord as usize].doc_id(c.address.doc_id)
            });
        }
        if options.collapse {
            candidates = roll_up(candidates, |c| collapse_key(ctx, c));
        }
        if (options.per_article || options.collapse) && candidates.len() < depth && !complete {
            want = want.saturating_mul(2);
            continue;
        }
        return Ok((candidates, total));
    }
}

/// Every live passage `query` matches, with its date key; no score is computed.
fn dated_matches(
    ctx: &Context<'_>,
    query: &dyn Query,
    sort: Sort,
) -> tantivy::Result<Vec<(DocAddress, DateKey)>> {
    let weight = query.weight(EnableScoring::disabled_from_searcher(ctx.searcher))?;
    let mut matches = Vec::new();
    for (ord, reader) in ctx.searcher.segment_readers().iter().enumerate() {
        let ord = ord as u32;
        let dates = reader.fast_fields().i64("date").ok();
        let alive = reader.alive_bitset();
        weight.for_each_no_score(reader, &mut |docs: &[DocId]| {
            for &doc in docs {
                if alive.is_some_and(|a| a.is_deleted(doc)) {
                    continue;
                }
                let date = dates.as_ref().and_then(|column| column.first(doc));
                matches.push((DocAddress::new(ord, doc), date_key(date, sort)));
            }
        })?;
    }
    Ok(matches)
}

/// Moves the first `want` matches by date key, and every match tied with the last
/// of them, to the front of `matches`; returns their addresses.
fn first_by_date(matches: &mut [(DocAddress, DateKey)], want: usize) -> Vec<DocAddress> {
    if want < matches.len() {
        matches.select_nth_unstable_by_key(want - 1, |(_, key)| *key);
        let cut = matches[want - 1].1;
        // Ties with the cut may sit past it: bring them forward.
        let mut end = want;
        for i in want..matches.len() {
            if matches[i].1 == cut {
                matches.swap(i, end);
                end += 1;
            }
        }
        matches[..end].iter().map(|(a, _)| *a).collect()
    } else {
        matches.iter().map(|(a, _)| *a).collect()
    }
}

/// `addresses` as candidates with their BM25 scores: one scorer per segment, moved
/// forward from passage to passage.
fn scored(
    ctx: &Context<'_>,
    query: &dyn Query,
    mut addresses: Vec<DocAddress>,
) -> tantivy::Result<Vec<Candidate>> {
    addresses.sort_unstable();
    let scoring = EnableScoring::enabled_from_statistics_provider(ctx.stats, ctx.searcher);
    let weight = query.weight(scoring)?;
    let mut candidates = Vec::with_capacity(addresses.len());
    let mut current: Option<(u32, Box<dyn tantivy::query::Scorer>)> = None;
    for address in addresses {
        let scorer = match &mut current {
            Some((ord, scorer)) if *ord == address.segment_ord => scorer,
            _ => {
                let reader = ctx.searcher.segment_reader(address.segment_ord);
                &mut current
                    .insert((address.segment_ord, weight.scorer(reader, 1.0)?))
                    .1
            }
        };
        let mut doc = scorer.doc();
        if doc < address.doc_id {
            doc = scorer.seek(address.doc_id);
        }
        let score = if doc == address.doc_id && doc != TERMINATED {
            scorer.score()
        } else {
            0.0
        };
        candidates.push(Candidate::new(address, score, ctx.columns));
    }
    Ok(candidates)
}
