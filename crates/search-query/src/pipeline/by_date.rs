//! The date sorts: newest or oldest first, ties by relevance, then by place;
//! passages without a date last in both orders.
//!
//! Scores do not decide the order, so nothing is pruned by score. Matches are
//! visited unscored, and only their dates are read (the `date` column). A broad
//! query is swept window by window from the newest date (the oldest for `Oldest`),
//! each window twice as long as the one before ([`swept`]): windows are disjoint
//! stretches of time, so once those swept hold enough matches, no older match can
//! come before them or tie with them, and the rest of the index is never visited.
//! A narrow query, a count, or a sweep that runs out of dates visits every match
//! ([`every_match`]; undated passages come last). The passages
//! that can make the page (the first by date, and every passage tied with the last
//! of them) are then scored by one forward pass of a scorer per segment. The
//! proximity re-rank is skipped: it only reorders passages of equal date, and a
//! hit's score is its BM25 score (its explanation says it was not re-ranked).

use tantivy::query::{EnableScoring, Query};
use tantivy::{DocAddress, DocId, DocSet, TERMINATED};

use search_core::dates::DateRange;

use super::{
    by_score, canonical, collapse_key, order, roll_up, settle_ties_at, Candidate, Context,
    PER_ARTICLE_FANOUT,
};
use crate::dated::{DateFields, DateRangeQuery};
use crate::error::Failure;
use crate::filtered::Filtered;
use crate::filters::Sort;
use crate::options::SearchOptions;
use crate::plan::Plan;

/// A passage's place in a date order: dated first, then by date (latest first for
/// `Newest`: the bitwise not reverses the order of an `i64` without overflow).
pub(super) type DateKey = (bool, i64);

pub(super) fn date_key(date: Option<i64>, sort: Sort) -> DateKey {
    match (date, sort) {
        (None, _) => (true, 0),
        (Some(date), Sort::Oldest) => (false, date),
        (Some(date), _) => (false, !date),
    }
}

/// Every match of `plan` ordered by `sort` (per article when asked), at least as
/// deep as the page; and the number of matching passages (counted when
/// [`SearchOptions::count_matches`] is on). A `shard` scores every candidate the
/// canonical way (see [`super::canonical`]), for a merge.
pub(super) fn ranked(
    ctx: &mut Context<'_>,
    plan: &Plan,
    options: &SearchOptions,
    sort: Sort,
    shard: bool,
) -> Result<(Vec<Candidate>, usize), Failure> {
    let query = plan.search_query();
    let depth = options.offset.saturating_add(options.limit).max(1);
    let mut want = if options.per_article || options.collapse {
        depth.saturating_mul(PER_ARTICLE_FANOUT)
    } else {
        depth
    };
    let mut gathered: Option<Gathered> = None;
    loop {
        // A sweep gathers only as deep as it was asked to: widen it when rolling
        // up needs a deeper page.
        let shallow = gathered.as_ref().is_none_or(|g| !g.every && g.depth < want);
        if shallow {
            gathered = Some(gather(ctx, &*query, sort, want, options.count_matches)?);
        }
        let Some(gathered) = gathered.as_mut() else {
            unreachable!("gathered above");
        };
        let matches = &mut gathered.matches;
        let chosen = first_by_date(matches, want);
        let complete = gathered.every && chosen.len() == matches.len();
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
        // Scores that may tie within a date are made exact (a shard's all).
        canonical::settle(ctx, plan, &mut candidates, shard, |a, b| {
            key(a).0 == key(b).0
        })?;
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
        let total = if gathered.every { matches.len() } else { 0 };
        return Ok((candidates, total));
    }
}

/// The matches a date sort orders.
struct Gathered {
    matches: Vec<(DocAddress, DateKey)>,
    /// Every match of the query, rather than the windows a sweep needed.
    every: bool,
    /// How many matches the sweep was asked for.
    depth: usize,
}

/// The matches that can make a page `want` deep: swept from the newest (or
/// oldest) date when the query is broad and nothing must be counted, otherwise
/// every match.
fn gather(
    ctx: &Context<'_>,
    query: &dyn Query,
    sort: Sort,
    want: usize,
    count: bool,
) -> tantivy::Result<Gathered> {
    if !count {
        if let Some(matches) = swept(ctx, query, sort, want)? {
            return Ok(Gathered {
                matches,
                every: false,
                depth: want,
            });
        }
    }
    Ok(Gathered {
        matches: every_match(ctx, query, sort)?,
        every: true,
        depth: want,
    })
}

/// Below this many matching passages (an upper bound from the query's scorers), a
/// date sort visits every match rather than sweeping windows.
const SWEPT: u64 = 4_096;

/// The first window of a sweep, in days; each next one is twice as long.
const FIRST_WINDOW_DAYS: i64 = 32;

const DAY: i64 = 86_400;

/// The matches of `query` in the windows swept from the newest date (the oldest
/// for `Oldest`) until they hold at least `want`; every match dated in a window is
/// there, and every match outside them comes after all of them. `None` when the
/// query is narrow or the dates run out first: the caller visits every match.
fn swept(
    ctx: &Context<'_>,
    query: &dyn Query,
    sort: Sort,
    want: usize,
) -> tantivy::Result<Option<Vec<(DocAddress, DateKey)>>> {
    let weight = query.weight(EnableScoring::disabled_from_searcher(ctx.searcher))?;
    let fields = DateFields::of(&ctx.fields);
    let mut cost = 0u64;
    let mut bounds: Option<(i64, i64)> = None;
    for reader in ctx.searcher.segment_readers() {
        cost = cost.saturating_add(weight.scorer(reader, 1.0)?.cost());
        if let Some(column) = fields.column(reader) {
            let (first, last) = (column.min_value(), column.max_value());
            bounds = Some(match bounds {
                Some((a, b)) => (a.min(first), b.max(last)),
                None => (first, last),
            });
        }
    }
    let Some((first, last)) = bounds else {
        return Ok(None);
    };
    if cost < SWEPT || cost < want as u64 {
        return Ok(None);
    }
    // Whole UTC days: [floor, ceiling) holds every date.
    let floor = first.div_euclid(DAY).saturating_mul(DAY);
    let ceiling = last.div_euclid(DAY).saturating_add(1).saturating_mul(DAY);
    let mut matches = Vec::new();
    let mut days = FIRST_WINDOW_DAYS;
    let mut edge = if sort == Sort::Oldest { floor } else { ceiling };
    loop {
        let width = days.saturating_mul(DAY);
        let window = if sort == Sort::Oldest {
            DateRange {
                start: Some(edge),
                end: Some(edge.saturating_add(width)),
            }
        } else {
            DateRange {
                start: Some(edge.saturating_sub(width)),
                end: Some(edge),
            }
        };
        let within = Filtered::new(
            query.box_clone(),
            Box::new(DateRangeQuery::new(fields, window)),
        );
        collect_matches(ctx, &within, sort, &mut matches)?;
        if matches.len() >= want {
            return Ok(Some(matches));
        }
        // Past the last date in the direction of the sweep: every dated match was
        // swept and there are still too few.
        edge = match (sort, window.start, window.end) {
            (Sort::Oldest, _, Some(end)) if end < ceiling => end,
            (Sort::Newest | Sort::Relevance, Some(start), _) if start > floor => start,
            _ => return Ok(None),
        };
        days = days.saturating_mul(2);
    }
}

/// Every live passage `query` matches, with its date key; no score is computed.
fn every_match(
    ctx: &Context<'_>,
    query: &dyn Query,
    sort: Sort,
) -> tantivy::Result<Vec<(DocAddress, DateKey)>> {
    let mut matches = Vec::new();
    collect_matches(ctx, query, sort, &mut matches)?;
    Ok(matches)
}

/// Adds every live passage `query` matches to `matches`, with its date key.
fn collect_matches(
    ctx: &Context<'_>,
    query: &dyn Query,
    sort: Sort,
    matches: &mut Vec<(DocAddress, DateKey)>,
) -> tantivy::Result<()> {
    let weight = query.weight(EnableScoring::disabled_from_searcher(ctx.searcher))?;
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
    Ok(())
}

/// The date of the passage at `address` (seconds since the epoch), if it has one.
pub(super) fn date_of(ctx: &Context<'_>, address: DocAddress) -> Option<i64> {
    let reader = ctx.searcher.segment_reader(address.segment_ord);
    let dates = reader.fast_fields().i64("date").ok()?;
    dates.first(address.doc_id)
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
