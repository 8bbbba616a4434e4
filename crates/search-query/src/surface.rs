//! The words corrections show: a correction searches an index term (a stem such as
//! `enclos`), but people read the word as the text spells it (`enclosed`,
//! `Witkoff`). The spelling shown is the most frequent surface form of the term
//! among a few passages that hold it: the hits already read when they hold it,
//! otherwise the best few passages of the term alone.

use std::collections::HashMap;

use search_core::analyze;
use tantivy::collector::TopDocs;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::Term;

use crate::error::Failure;
use crate::pipeline::Context;
use crate::results::Correction;

/// At most this many of the returned hits are read for surface forms (their text
/// is already in memory; only the analyzer runs again).
pub const SURFACE_HITS: usize = 10;

/// When no hit read holds a corrected term, this many passages that hold it are
/// read (one small search and a few stored-text reads per correction).
pub const SURFACE_PASSAGES: usize = 3;

/// Sets each correction's [`Correction::surface`] to the most frequent spelling of
/// its replacement in the `texts` of the hits, best first (or, when none of the
/// first few holds it, in a few passages
/// that do); ties go to the first in byte order, so `Witkoff` before `witkoff`.
/// A correction whose term is found nowhere keeps the term itself.
pub fn spell_corrections<'h>(
    ctx: &mut Context<'_>,
    corrections: &mut [Correction],
    texts: impl IntoIterator<Item = &'h str>,
) -> Result<(), Failure> {
    if corrections.is_empty() {
        return Ok(());
    }
    let texts: Vec<&str> = texts.into_iter().take(SURFACE_HITS).collect();
    let mut found = surfaces(ctx, &texts);
    for correction in corrections.iter_mut() {
        if !found.contains_key(&correction.replacement) {
            let more = passages_with(ctx, &correction.replacement)?;
            let more: Vec<&str> = more.iter().map(String::as_str).collect();
            for (term, counts) in surfaces(ctx, &more) {
                found.entry(term).or_insert(counts);
            }
        }
        if let Some(counts) = found.get(&correction.replacement) {
            let best = counts
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
                .map(|(surface, _)| surface.clone());
            if let Some(best) = best {
                correction.surface = best;
            }
        }
    }
    Ok(())
}

/// For every single-word term of `texts`, how often each spelling of it occurs.
fn surfaces(ctx: &mut Context<'_>, texts: &[&str]) -> HashMap<String, HashMap<String, usize>> {
    let mut found: HashMap<String, HashMap<String, usize>> = HashMap::new();
    for text in texts {
        for token in analyze(ctx.analyzer, text) {
            if token.position_length != 1 {
                continue;
            }
            let spelled = &text[token.offset_from..token.offset_to];
            *found
                .entry(token.text)
                .or_default()
                .entry(spelled.to_string())
                .or_default() += 1;
        }
    }
    found
}

/// The texts of the [`SURFACE_PASSAGES`] best passages holding `term` in their text.
fn passages_with(ctx: &Context<'_>, term: &str) -> Result<Vec<String>, Failure> {
    let query = TermQuery::new(
        Term::from_field_text(ctx.fields.text, term),
        IndexRecordOption::WithFreqs,
    );
    let collector = TopDocs::with_limit(SURFACE_PASSAGES).order_by_score();
    let mut top = ctx
        .searcher
        .search_with_statistics_provider(&query, &collector, ctx.stats)?;
    // In index order, so that equal scores do not depend on the collector.
    top.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    top.into_iter()
        .map(|(_, address)| {
            let columns = &ctx.columns[address.segment_ord as usize];
            Ok(ctx.texts.read(ctx.searcher, columns, address)?.0)
        })
        .collect()
}
