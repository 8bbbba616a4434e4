//! The feedback step of a search: a first pass over the plan, then the plan widened
//! with the words its best passages use (see [`crate::feedback`] for the model).

use tantivy::query::Bm25StatisticsProvider;
use tantivy::Term;

use crate::error::Failure;
use crate::feedback::{expanded_query, expansion_terms, Feedback, Seed};
use crate::filters::Sort;
use crate::options::{SearchOptions, MAX_LIMIT};
use crate::pipeline::{self, Context};
use crate::plan::{Part, Plan};

/// The options of feedback's first pass: the best `feedback.docs` passages by
/// relevance, under the same filters, whatever the sort.
pub(crate) fn first_pass(options: &SearchOptions, feedback: &Feedback) -> SearchOptions {
    SearchOptions {
        limit: feedback.docs.min(MAX_LIMIT),
        per_article: false,
        highlights: false,
        check_stale: false,
        feedback: None,
        feedback_seeds: None,
        offset: 0,
        explain: false,
        count_matches: false,
        facets: Vec::new(),
        sort: Some(Sort::Relevance),
        ..options.clone()
    }
}

/// Runs a first pass of `plan` under `options` and adds the expansion terms its
/// best `feedback.docs` passages suggest to `plan`'s query (and to its parts).
/// Leaves `plan` as it is when the first pass finds nothing to add.
pub fn expand(
    ctx: &mut Context<'_>,
    plan: &mut Plan,
    options: &SearchOptions,
    feedback: &Feedback,
) -> Result<(), Failure> {
    let seeds = match &options.feedback_seeds {
        // A shard: the first pass ran over every shard.
        Some(seeds) => seeds.to_vec(),
        None => {
            let first_pass = first_pass(options, feedback);
            let (seed_hits, _) = pipeline::run(ctx, plan, &first_pass, Sort::Relevance, true)?;
            Seed::of(&seed_hits)
        }
    };
    let text = ctx.fields.text;
    let stats = ctx.stats;
    let docs = stats.total_num_docs()? as f32;
    let idf = |term: &str| {
        let n = stats
            .doc_freq(&Term::from_field_text(text, term))
            .unwrap_or(0) as f32;
        (1.0 + (docs - n + 0.5) / (n + 0.5)).ln()
    };
    let expansion = expansion_terms(&seeds, ctx.analyzer, feedback, &plan.ordered_terms, idf);
    if expansion.is_empty() {
        return Ok(());
    }
    let original = std::mem::replace(&mut plan.query, Box::new(tantivy::query::EmptyQuery));
    let expanded = expanded_query(
        original,
        &expansion,
        text,
        feedback,
        plan.ordered_terms.len(),
    );
    plan.query = expanded.query;
    plan.parts.extend(
        expanded
            .terms
            .into_iter()
            .map(|(label, weight, query)| Part {
                label,
                field: "text",
                weight,
                feedback: true,
                query,
            }),
    );
    Ok(())
}
