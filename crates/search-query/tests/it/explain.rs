//! Score explanations, pages (`offset`) and the spelling corrections show, through
//! the public API.

use search_query::{Feedback, Hit, PassageIndex, SearchError, SearchOptions, MAX_LIMIT};

use crate::seeds_fixture;

/// Queries of several shapes: free words, a phrase, a required word, a title
/// field, a repeated word, a correction, an exclusion only.
const QUERIES: &[&str] = &[
    "frozen assets",
    "Witkoff Umerov Miami talks",
    "\"peace plan\" Ukraine",
    "+Kushner talks Miami",
    "title:Miami security guarantees",
    "talks talks Moscow",
    "Witkof Miami",
    "-Moscow",
];

fn close(a: f32, b: f32) -> bool {
    (a - b).abs() <= 1e-4 * a.abs().max(b.abs()).max(1.0)
}

fn assert_adds_up(query: &str, hit: &Hit) {
    let e = hit
        .explanation
        .as_ref()
        .unwrap_or_else(|| panic!("{query}: hit {} has no explanation", hit.rank));
    assert_eq!(e.score, hit.score, "{query}: hit {}", hit.rank);
    let parts: f32 = e.terms.iter().map(|t| t.score).sum();
    assert!(
        close(parts, e.bm25),
        "{query}: hit {}: parts {parts} != bm25 {} ({:?})",
        hit.rank,
        e.bm25,
        e.terms
    );
    for t in &e.terms {
        assert!(close(t.bm25 * t.weight, t.score), "{query}: {t:?}");
    }
    assert_eq!(e.bm25 * e.proximity_factor, e.score, "{query}: {e:?}");
    if e.reranked {
        assert_eq!(
            e.proximity_factor,
            1.0 + e.proximity_weight * e.proximity,
            "{query}"
        );
    } else {
        assert_eq!(e.proximity_factor, 1.0, "{query}");
    }
    assert_eq!(e.boilerplate_demoted, hit.boilerplate);
}

#[test]
fn explanations_add_up_to_the_score() {
    let f = seeds_fixture();
    let index = PassageIndex::open(&f.index).unwrap();
    for query in QUERIES {
        let plain = index
            .search(query, &SearchOptions::new().limit(20))
            .unwrap();
        let explained = index
            .search(query, &SearchOptions::new().limit(20).explain(true))
            .unwrap();
        assert!(!explained.hits.is_empty(), "{query}");
        // Explaining changes nothing else.
        let mut stripped = explained.clone();
        for hit in &mut stripped.hits {
            assert!(hit.explanation.take().is_some());
        }
        assert_eq!(plain, stripped, "{query}");
        for hit in &explained.hits {
            assert_adds_up(query, hit);
        }
    }
}

#[test]
fn explanations_name_fields_weights_and_proximity() {
    let f = seeds_fixture();
    let index = PassageIndex::open(&f.index).unwrap();
    let results = index
        .search("frozen assets", &SearchOptions::new().explain(true))
        .unwrap();
    let e = results.hits[0].explanation.as_ref().unwrap();
    let terms: Vec<(&str, &str)> = e
        .terms
        .iter()
        .map(|t| (t.term.as_str(), t.field.as_str()))
        .collect();
    assert!(terms.contains(&("frozen", "text")), "{terms:?}");
    assert!(terms.contains(&("asset", "text")), "{terms:?}");
    assert!(e.reranked && e.proximity > 0.0, "{e:?}");
    assert_eq!(e.title_weight, 1.0);
    assert!(e.feedback_share.is_none());

    // A title match carries the title weight.
    let ranking = search_query::RankingWeights {
        title: 2.5,
        ..search_query::RankingWeights::default()
    };
    let options = SearchOptions::new()
        .explain(true)
        .limit(50)
        .ranking(ranking);
    let results = index.search("Miami", &options).unwrap();
    let title_part = results
        .hits
        .iter()
        .flat_map(|h| &h.explanation.as_ref().unwrap().terms)
        .find(|t| t.field == "title")
        .expect("some hit matches Miami in its title");
    assert_eq!(title_part.weight, 2.5);
}

#[test]
fn explanations_with_feedback_give_the_expansion_share() {
    let f = seeds_fixture();
    let index = PassageIndex::open(&f.index).unwrap();
    let options = SearchOptions::new()
        .limit(20)
        .explain(true)
        .feedback(Some(Feedback::default()));
    let mut some_share = false;
    for query in &QUERIES[..4] {
        let results = index.search(query, &options).unwrap();
        for hit in &results.hits {
            assert_adds_up(query, hit);
            let e = hit.explanation.as_ref().unwrap();
            let share = e.feedback_share.expect("feedback share with --feedback");
            assert!((0.0..=1.0 + 1e-6).contains(&share), "{share}");
            let from_feedback: f32 = e.terms.iter().filter(|t| t.feedback).map(|t| t.score).sum();
            assert!(close(share * e.bm25, from_feedback), "{e:?}");
            some_share |= share > 0.0;
        }
    }
    assert!(some_share, "no hit got anything from its feedback terms");
}

/// What identifies a hit in a comparison of pages.
fn key(hit: &Hit) -> (usize, String, usize, u32) {
    (
        hit.rank,
        hit.citation.path.clone(),
        hit.citation.byte_start,
        hit.score.to_bits(),
    )
}

#[test]
fn pages_concatenated_equal_one_big_page() {
    let f = seeds_fixture();
    let index = PassageIndex::open(&f.index).unwrap();
    for per_article in [false, true] {
        for query in QUERIES {
            for (size, pages) in [(3, 3), (1, 10), (2, 5)] {
                let base = SearchOptions::new().per_article(per_article);
                let big = index
                    .search(query, &base.clone().limit(size * pages))
                    .unwrap();
                let mut paged = Vec::new();
                for page in 0..pages {
                    let options = base.clone().limit(size).offset(page * size);
                    let results = index.search(query, &options).unwrap();
                    assert!(results.hits.len() <= size);
                    paged.extend(results.hits);
                }
                let big: Vec<_> = big.hits.iter().map(key).collect();
                let paged: Vec<_> = paged.iter().map(key).collect();
                assert_eq!(
                    big, paged,
                    "{query} (pages of {size}, per article: {per_article})"
                );
            }
        }
    }
}

#[test]
fn pages_of_one_size_never_repeat_or_skip_a_passage() {
    // Pages of 20 re-rank a wider window than a single search of 20 × 4 hits
    // would: what is checked is that the pages are cuts of one order.
    let f = seeds_fixture();
    let index = PassageIndex::open(&f.index).unwrap();
    let all = index
        .search("talks", &SearchOptions::new().limit(20).count_matches(true))
        .unwrap();
    let total = all.total_matches.unwrap();
    let mut seen = std::collections::HashSet::new();
    let mut offset = 0;
    loop {
        let options = SearchOptions::new()
            .limit(20)
            .offset(offset)
            .count_matches(true);
        let page = index.search("talks", &options).unwrap();
        // The count does not depend on the page.
        assert_eq!(page.total_matches, Some(total));
        if page.hits.is_empty() {
            break;
        }
        for (i, hit) in page.hits.iter().enumerate() {
            assert_eq!(hit.rank, offset + i + 1);
            assert!(seen.insert((hit.citation.path.clone(), hit.citation.byte_start)));
        }
        offset += 20;
    }
    assert_eq!(seen.len(), total);
    // The first page is the search without an offset.
    let first = index
        .search("talks", &SearchOptions::new().limit(20).offset(0))
        .unwrap();
    let plain = index
        .search("talks", &SearchOptions::new().limit(20))
        .unwrap();
    assert_eq!(first, plain);
}

#[test]
fn an_offset_past_the_maximum_is_refused() {
    let f = seeds_fixture();
    let index = PassageIndex::open(&f.index).unwrap();
    let options = SearchOptions::new().limit(10).offset(MAX_LIMIT - 9);
    match index.search("talks", &options) {
        Err(SearchError::LimitTooLarge { limit, max }) => {
            assert_eq!((limit, max), (MAX_LIMIT + 1, MAX_LIMIT));
        }
        other => panic!("expected LimitTooLarge, got {other:?}"),
    }
    let deepest = SearchOptions::new().limit(10).offset(MAX_LIMIT - 10);
    assert!(index.search("talks", &deepest).unwrap().hits.is_empty());
    let huge = SearchOptions::new().limit(10).offset(usize::MAX);
    assert!(matches!(
        index.search("talks", &huge),
        Err(SearchError::LimitTooLarge { .. })
    ));
}

#[test]
fn corrections_show_the_word_as_the_text_spells_it() {
    let f = seeds_fixture();
    let index = PassageIndex::open(&f.index).unwrap();
    // The index term is a stem (`zelenski`); the text says `Zelensky`.
    let results = index.search("Zelenksy", &SearchOptions::new()).unwrap();
    let fix = &results.corrections[0];
    assert_eq!(fix.word, "Zelenksy");
    assert_eq!(fix.replacement, "zelenski");
    assert_eq!(fix.surface, "Zelensky");
    // A misspelled name: the capitalised spelling of the text.
    let results = index.search("Witkof", &SearchOptions::new()).unwrap();
    assert_eq!(results.corrections[0].surface, "Witkoff");
    // Also when no hit is returned to read it from.
    let results = index
        .search("Witkof", &SearchOptions::new().limit(0))
        .unwrap();
    assert_eq!(results.corrections[0].surface, "Witkoff");
    // And when the hits shown hold other words only.
    let results = index
        .search("guarantes", &SearchOptions::new().limit(1).offset(3))
        .unwrap();
    assert_eq!(results.corrections[0].surface, "guarantees");
}

#[test]
fn a_phrase_whose_other_field_matches_only_later_passages_is_explained() {
    // The phrase matches passage 1's text and, in the title field, only an
    // article indexed after it: explaining passage 1's title part once asked
    // tantivy's phrase scorer to seek backwards, which it asserts against (the
    // search failed as a damaged index).
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    std::fs::write(
        corpus.join("a.txt"),
        "Morning report\n\nThe territory Umerov named was discussed.\n",
    )
    .unwrap();
    std::fs::write(
        corpus.join("b.txt"),
        "Territory Umerov named\n\nA later article about other things.\n",
    )
    .unwrap();
    let index_dir = dir.path().join("index");
    crate::build(&index_dir, vec![corpus]);
    let index = PassageIndex::open(&index_dir).unwrap();
    let query = "\"territory umerov\"";
    let results = index
        .search(query, &SearchOptions::new().explain(true))
        .unwrap();
    assert_eq!(results.hits.len(), 2, "{results:#?}");
    for hit in &results.hits {
        assert_adds_up(query, hit);
    }
}
