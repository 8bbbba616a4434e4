//! Filters, date sorts and facets through the public API, on a small wire corpus
//! whose answers are known: every syntax form, the same filters as options, whole
//! names, URLs, date forms, sorts with ties and undated passages, pages, facets and
//! `browse`.

use search_query::{
    DateBucket, DateRange, Facet, FacetCount, FilterField, PassageIndex, SearchError,
    SearchOptions, SearchResults, Sort,
};

use crate::build;

/// (id, title, source, author, date, url, text).
const WIRES: &[(&str, &str, &str, &str, &str, &str, &str)] = &[
    (
        "r1",
        "Brussels talks",
        "Reuters",
        "Olena Kovalenko",
        "2025-12-04T10:00:00Z",
        "https://www.reuters.com/world/europe/frozen-assets-1",
        "Frozen assets talks resumed in Brussels.\n\nThe ministers met again.",
    ),
    (
        "ap1",
        "Envoys meet",
        "Associated Press",
        "Zoë Park",
        "2025-12-02",
        "https://apnews.com/article/assets-2",
        "Frozen assets were discussed by envoys.",
    ),
    (
        "bbc1",
        "An explainer",
        "BBC News",
        "",
        "2025-11-28T08:00:00+02:00",
        "http://bbc.co.uk/news/world-3",
        "Frozen assets: a BBC explainer.",
    ),
    (
        "r2",
        "December report",
        "REUTERS",
        "Marcus Webb",
        "Thu, 04 Dec 2025 12:00:00 +0000",
        "https://www.reuters.com/business/assets-4",
        "Assets frozen in December, the agency reports.",
    ),
    (
        "nodate",
        "Undated",
        "Reuters",
        "",
        "",
        "",
        "Frozen assets with no date at all.",
    ),
    (
        "press",
        "Press review",
        "Press TV",
        "",
        "2025-12-03",
        "",
        "Frozen assets according to a broadcaster.",
    ),
    (
        "t1",
        "Tie one",
        "Tie Wire",
        "",
        "2025-12-05",
        "",
        "Harbor assets assets assets.",
    ),
    (
        "t2",
        "Tie two",
        "Tie Wire",
        "",
        "2025-12-05",
        "",
        "Harbor assets.\n\nHarbor assets.",
    ),
];

struct Wires {
    _dir: tempfile::TempDir,
    index: PassageIndex,
}

fn wires() -> Wires {
    let mut records = Vec::new();
    for (id, title, source, author, date, url, text) in WIRES {
        let mut record =
            serde_json::json!({"id": id, "title": title, "text": text, "source": source});
        for (key, value) in [("author", author), ("date", date), ("url", url)] {
            if !value.is_empty() {
                record[key] = (*value).into();
            }
        }
        records.push(record);
    }
    indexed(&records)
}

/// `records` as one JSONL file, indexed.
fn indexed(records: &[serde_json::Value]) -> Wires {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("wires.jsonl");
    let lines: String = records.iter().map(|r| format!("{r}\n")).collect();
    std::fs::write(&corpus, lines).unwrap();
    let index = dir.path().join("index");
    build(&index, vec![corpus]);
    Wires {
        index: PassageIndex::open(&index).unwrap(),
        _dir: dir,
    }
}

fn all() -> SearchOptions {
    SearchOptions::new().limit(100).typo_tolerance(false)
}

fn search(w: &Wires, query: &str, options: &SearchOptions) -> SearchResults {
    w.index
        .search(query, options)
        .unwrap_or_else(|e| panic!("{query}: {e}"))
}

/// The article ids of the hits, in order.
fn ids(results: &SearchResults) -> Vec<String> {
    results
        .hits
        .iter()
        .map(|h| h.citation.doc_id.clone())
        .collect()
}

/// The article ids of the hits, sorted and deduplicated.
fn id_set(results: &SearchResults) -> Vec<String> {
    let mut ids = ids(results);
    ids.sort();
    ids.dedup();
    ids
}

fn expect(w: &Wires, query: &str, expected: &[&str]) {
    let mut expected: Vec<String> = expected.iter().map(|s| s.to_string()).collect();
    expected.sort();
    assert_eq!(id_set(&search(w, query, &all())), expected, "{query}");
}

#[test]
fn source_and_author_match_whole_names_without_case_or_diacritics() {
    let w = wires();
    expect(&w, "assets source:reuters", &["nodate", "r1", "r2"]);
    expect(&w, "assets source:\"associated press\"", &["ap1"]);
    expect(&w, "assets source:ASSOCIATED-PRESS", &["ap1"]);
    // A part of a name is another outlet: neither AP nor Press TV.
    expect(&w, "assets source:press", &[]);
    expect(&w, "assets author:\"zoe park\"", &["ap1"]);
    expect(&w, "assets author:Kovalenko", &[]);
}

#[test]
fn values_of_one_field_or_fields_and_signs_exclude_or_require() {
    let w = wires();
    expect(
        &w,
        "assets source:Reuters source:\"BBC News\"",
        &["bbc1", "nodate", "r1", "r2"],
    );
    expect(&w, "assets source:Reuters author:\"Marcus Webb\"", &["r2"]);
    expect(
        &w,
        "assets source:Reuters -author:\"Marcus Webb\"",
        &["nodate", "r1"],
    );
    expect(
        &w,
        "assets -source:reuters -source:\"tie wire\"",
        &["ap1", "bbc1", "press"],
    );
    expect(&w, "assets +source:\"BBC News\"", &["bbc1"]);
    expect(&w, "assets id:ap1", &["ap1"]);
    expect(&w, "assets id:ap1 id:r2", &["ap1", "r2"]);
    expect(&w, "assets -id:ap1 source:\"associated press\"", &[]);
}

#[test]
fn url_filters_match_a_page_a_section_a_host_or_a_domain() {
    let w = wires();
    expect(&w, "assets url:reuters.com", &["r1", "r2"]);
    expect(&w, "assets url:https://reuters.com/world", &["r1"]);
    expect(&w, "assets url:www.reuters.com/world/europe/", &["r1"]);
    expect(
        &w,
        "assets url:https://www.reuters.com/world/europe/frozen-assets-1#top",
        &["r1"],
    );
    expect(&w, "assets url:co.uk", &["bbc1"]);
    expect(&w, "assets url:reuters.com/wor", &[]);
    expect(&w, "assets -url:reuters.com source:reuters", &["nodate"]);
}

#[test]
fn every_date_form_filters_by_utc_period() {
    let w = wires();
    expect(&w, "assets date:2025-12-04", &["r1", "r2"]);
    expect(
        &w,
        "assets date:2025-12",
        &["ap1", "press", "r1", "r2", "t1", "t2"],
    );
    expect(
        &w,
        "assets date:2025",
        &["ap1", "bbc1", "press", "r1", "r2", "t1", "t2"],
    );
    expect(&w, "assets date:2025-12-01..2025-12-03", &["ap1", "press"]);
    expect(&w, "assets date:2025-12-04..", &["r1", "r2", "t1", "t2"]);
    expect(&w, "assets date:..2025-11", &["bbc1"]);
    expect(
        &w,
        "assets date:>=2025-12-03 date:<2025-11-29",
        &["bbc1", "press", "r1", "r2", "t1", "t2"],
    );
    expect(&w, "assets date:>2025-12-04", &["t1", "t2"]);
    expect(&w, "assets date:<=2025-12-02", &["ap1", "bbc1"]);
    // 08:00 at +02:00 is 06:00 UTC on the 28th.
    expect(&w, "assets date:2025-11-28T06:00:00Z", &["bbc1"]);
    expect(&w, "assets -date:2025-12", &["bbc1", "nodate"]);
}

#[test]
fn a_malformed_date_is_a_warning_and_the_clause_is_ignored() {
    let w = wires();
    let plain = search(&w, "assets", &all());
    for bad in [
        "date:2025-13",
        "date:yesterday",
        "date:2025-12-05..2025-12-01",
        "date:..",
    ] {
        let results = search(&w, &format!("assets {bad}"), &all());
        assert_eq!(ids(&results), ids(&plain), "{bad}");
        let value = bad.trim_start_matches("date:");
        assert!(
            results
                .warnings
                .iter()
                .any(|m| m.contains(value) && m.contains("ignored")),
            "{bad}: {:?}",
            results.warnings
        );
    }
}

#[test]
fn title_filters_and_still_ranks() {
    let w = wires();
    expect(&w, "assets title:brussels", &["r1"]);
    expect(&w, "assets title:\"december report\"", &["r2"]);
    expect(&w, "assets title:brussels title:undated", &["nodate", "r1"]);
    expect(&w, "assets title:\"report december\"", &[]);
    expect(&w, "assets title:\"brussels report\"", &[]);
    expect(
        &w,
        "assets -title:tie -title:brussels source:reuters",
        &["nodate", "r2"],
    );
    let results = search(&w, "assets title:brussels", &all().explain(true));
    let terms = &results.hits[0].explanation.as_ref().unwrap().terms;
    assert!(
        terms.iter().any(|t| t.field == "title" && t.score > 0.0),
        "{terms:?}"
    );
}

#[test]
fn the_options_filter_exactly_like_the_query_syntax() {
    let w = wires();
    let cases: Vec<(&str, SearchOptions)> = vec![
        (
            "assets source:Reuters source:\"BBC News\"",
            all()
                .filter(FilterField::Source, "Reuters")
                .filter(FilterField::Source, "bbc news"),
        ),
        (
            "assets -author:\"Marcus Webb\" source:reuters",
            all()
                .exclude(FilterField::Author, "marcus webb")
                .filter(FilterField::Source, "REUTERS"),
        ),
        (
            "assets url:reuters.com/world",
            all().filter(FilterField::Url, "reuters.com/world"),
        ),
        (
            "assets title:brussels",
            all().filter(FilterField::Title, "Brussels"),
        ),
        ("assets id:t1", all().filter(FilterField::Id, "t1")),
        (
            "assets date:2025-12-04 date:2025-11",
            all()
                .date(DateRange::parse("2025-12-04").unwrap())
                .date(DateRange::parse("2025-11").unwrap()),
        ),
    ];
    for (query, options) in cases {
        let typed = search(&w, query, &all());
        let set = search(&w, "assets", &options);
        assert_eq!(ids(&set), ids(&typed), "{query}");
        let scores = |r: &SearchResults| r.hits.iter().map(|h| h.score).collect::<Vec<_>>();
        assert_eq!(scores(&set), scores(&typed), "{query}");
    }
    // `within` is ANDed with the date clauses, whatever they say.
    let within = all()
        .within(DateRange::since("2025-12-03").unwrap())
        .within(DateRange::until("2025-12-04").unwrap());
    assert_eq!(
        id_set(&search(&w, "assets date:2025-12 date:2025-11", &within)),
        ["press", "r1", "r2"]
    );
    assert!(search(
        &w,
        "assets",
        &all().within(DateRange::parse("2024").unwrap())
    )
    .hits
    .is_empty());
}

#[test]
fn filters_never_change_a_score() {
    let w = wires();
    let plain = search(&w, "frozen assets", &all());
    for query in [
        "frozen assets source:reuters",
        "frozen assets date:2025-12",
        "frozen assets -url:apnews.com",
    ] {
        let filtered = search(&w, query, &all().explain(true));
        assert!(!filtered.hits.is_empty(), "{query}");
        for hit in &filtered.hits {
            let same = plain
                .hits
                .iter()
                .find(|h| h.citation == hit.citation)
                .unwrap();
            assert_eq!(hit.score, same.score, "{query}");
            let e = hit.explanation.as_ref().unwrap();
            assert!(
                e.terms
                    .iter()
                    .all(|t| t.field == "text" || t.field == "title"),
                "{query}: {e:?}"
            );
        }
    }
}

#[test]
fn a_query_of_filters_alone_lists_newest_first_undated_last() {
    let w = wires();
    let results = search(&w, "source:Reuters", &all());
    assert_eq!(results.sort, Sort::Newest);
    // r2 (12:00 UTC) before r1 (10:00 UTC), the undated one last.
    assert_eq!(ids(&results), ["r2", "r1", "r1", "nodate"]);
    let results = search(&w, "", &all().filter(FilterField::Source, "reuters"));
    assert_eq!(ids(&results), ["r2", "r1", "r1", "nodate"]);
    let oldest = search(&w, "source:Reuters", &all().sort(Sort::Oldest));
    assert_eq!(ids(&oldest), ["r1", "r1", "r2", "nodate"]);
    // Words rank by default.
    assert_eq!(
        search(&w, "assets source:Reuters", &all()).sort,
        Sort::Relevance
    );
    // Nothing to search and no filter stays an error.
    assert!(matches!(
        w.index.search("  ", &all()),
        Err(SearchError::EmptyQuery)
    ));
    assert!(matches!(
        w.index.search("date:garbage", &all()),
        Err(SearchError::NothingSearchable(_))
    ));
}

/// Checks that `results` are in date order (`newest` or oldest first), undated
/// last, equal dates by score, then by place.
fn assert_date_order(results: &SearchResults, newest: bool) {
    use search_core::dates::parse_article_date;
    let key = |h: &search_query::Hit| {
        let date = h
            .citation
            .date
            .as_deref()
            .map(|d| parse_article_date(d).unwrap().timestamp);
        (date.is_none(), date.map(|d| if newest { -d } else { d }))
    };
    for pair in results.hits.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        assert!(key(a) <= key(b), "{:?} before {:?}", a.citation, b.citation);
        if key(a) == key(b) {
            assert!(
                a.score >= b.score,
                "{:?} before {:?}",
                a.citation,
                b.citation
            );
            if a.score == b.score {
                let place = |h: &search_query::Hit| {
                    (
                        h.citation.path.clone(),
                        h.citation.line,
                        h.citation.byte_start,
                    )
                };
                assert!(
                    place(a) < place(b),
                    "{:?} before {:?}",
                    a.citation,
                    b.citation
                );
            }
        }
    }
}

#[test]
fn date_sorts_break_ties_by_relevance_then_place() {
    let w = wires();
    let newest = search(&w, "harbor assets", &all().sort(Sort::Newest));
    assert_eq!(newest.sort, Sort::Newest);
    assert_date_order(&newest, true);
    // The three passages of the 5th come first: two of them tie (same text).
    let mut first: Vec<(&str, u64)> = newest.hits[..3]
        .iter()
        .map(|h| (h.citation.doc_id.as_str(), h.citation.paragraph))
        .collect();
    let t2 = first.iter().position(|p| p.0 == "t2").unwrap();
    assert_eq!(&first[t2..t2 + 2], [("t2", 1), ("t2", 2)]);
    first.sort();
    assert_eq!(first, [("t1", 1), ("t2", 1), ("t2", 2)]);
    assert_eq!(newest.hits.last().unwrap().citation.doc_id, "nodate");
    let oldest = search(&w, "harbor assets", &all().sort(Sort::Oldest));
    assert_date_order(&oldest, false);
    assert_eq!(oldest.hits[0].citation.doc_id, "bbc1");
    assert_eq!(oldest.hits.last().unwrap().citation.doc_id, "nodate");
    let mut a = ids(&newest);
    let mut b = ids(&oldest);
    a.sort();
    b.sort();
    assert_eq!(a, b);
    // No proximity re-rank under a date sort: the score is the BM25 score.
    let explained = search(&w, "harbor assets", &all().sort(Sort::Oldest).explain(true));
    for hit in &explained.hits {
        let e = hit.explanation.as_ref().unwrap();
        assert!(!e.reranked);
        assert_eq!(e.score, e.bm25);
    }
    let browse = w.index.browse(&all().sort(Sort::Oldest)).unwrap();
    assert_date_order(&browse, false);
}

#[test]
fn pages_of_every_sort_neither_repeat_nor_skip() {
    let w = wires();
    for sort in [Sort::Relevance, Sort::Newest, Sort::Oldest] {
        for per_article in [false, true] {
            let options = all()
                .sort(sort)
                .per_article(per_article)
                .count_matches(true);
            let whole = search(&w, "assets", &options);
            let mut paged = Vec::new();
            for page in 0..6 {
                let results = search(&w, "assets", &options.clone().offset(page * 2).limit(2));
                assert_eq!(results.total_matches, whole.total_matches);
                for hit in &results.hits {
                    assert_eq!(hit.rank, paged.len() + 1, "{sort} {per_article}");
                    paged.push(hit.citation.clone());
                }
            }
            let all_hits: Vec<_> = whole.hits.iter().map(|h| h.citation.clone()).collect();
            assert_eq!(paged, all_hits, "{sort} per_article={per_article}");
            if per_article {
                let mut docs: Vec<_> = all_hits.iter().map(|c| &c.doc_id).collect();
                docs.dedup();
                assert_eq!(docs.len(), all_hits.len(), "{sort}");
            }
        }
    }
}

fn facet<'r>(results: &'r SearchResults, name: &str) -> &'r [FacetCount] {
    results.facets.as_ref().unwrap().get(name).unwrap()
}

fn count(value: &str, passages: usize, articles: usize) -> FacetCount {
    FacetCount {
        value: value.into(),
        passages,
        articles,
    }
}

#[test]
fn facets_count_every_match_by_name_and_month_or_day() {
    let w = wires();
    let options = SearchOptions::new().limit(1).facets(vec![
        Facet::Source,
        Facet::Author,
        Facet::Date(DateBucket::Month),
    ]);
    let results = search(&w, "assets", &options);
    assert_eq!(results.hits.len(), 1);
    // Reuters and REUTERS are one outlet, shown as the more frequent spelling.
    assert_eq!(
        facet(&results, "source"),
        [
            count("Reuters", 3, 3),
            count("Tie Wire", 3, 2),
            count("Associated Press", 1, 1),
            count("BBC News", 1, 1),
            count("Press TV", 1, 1),
        ]
    );
    assert_eq!(
        facet(&results, "author"),
        [
            count("Marcus Webb", 1, 1),
            count("Olena Kovalenko", 1, 1),
            count("Zoë Park", 1, 1),
        ]
    );
    assert_eq!(
        facet(&results, "date"),
        [count("2025-12", 7, 6), count("2025-11", 1, 1)]
    );
    let days = search(
        &w,
        "assets source:reuters",
        &SearchOptions::new()
            .limit(0)
            .facets(vec![Facet::Date(DateBucket::Day)]),
    );
    assert!(days.hits.is_empty());
    assert_eq!(facet(&days, "date"), [count("2025-12-04", 2, 2)]);
    assert!(search(&w, "assets", &SearchOptions::new()).facets.is_none());
}

/// A search for no hits (`limit(0)`) still counts: the same count and facets as
/// any page (it used to leave `total_matches` empty).
#[test]
fn a_search_for_no_hits_counts_like_any_page() {
    let w = wires();
    let facets = vec![Facet::Source, Facet::Date(DateBucket::Month)];
    for query in [
        "assets",
        "assets source:reuters",
        "source:reuters",
        "assets -date:2025-11",
    ] {
        let page = search(
            &w,
            query,
            &SearchOptions::new()
                .count_matches(true)
                .facets(facets.clone()),
        );
        let none = search(
            &w,
            query,
            &SearchOptions::new()
                .limit(0)
                .count_matches(true)
                .facets(facets.clone()),
        );
        assert!(none.hits.is_empty(), "{query}");
        assert!(page.total_matches.is_some_and(|n| n > 0), "{query}");
        assert_eq!(none.total_matches, page.total_matches, "{query}");
        assert_eq!(none.facets, page.facets, "{query}");
    }
}

#[test]
fn browse_lists_every_passage_or_the_filtered_ones_newest_first() {
    let w = wires();
    let everything = w
        .index
        .browse(&all().count_matches(true).facets(vec![Facet::Source]))
        .unwrap();
    assert_eq!(everything.sort, Sort::Newest);
    assert_eq!(everything.query, "");
    assert_eq!(
        everything.total_matches,
        Some(w.index.passage_count() as usize)
    );
    assert_eq!(everything.hits.len(), w.index.passage_count() as usize);
    assert_eq!(everything.hits[0].citation.doc_id, "t1");
    assert_eq!(everything.hits.last().unwrap().citation.doc_id, "nodate");
    let total: usize = facet(&everything, "source")
        .iter()
        .map(|c| c.passages)
        .sum();
    assert_eq!(total, everything.hits.len());
    let bbc = w
        .index
        .browse(&all().filter(FilterField::Source, "BBC news"))
        .unwrap();
    assert_eq!(ids(&bbc), ["bbc1"]);
}

#[test]
fn feedback_keeps_to_the_filters_in_both_passes() {
    let w = wires();
    let feedback = search_query::Feedback {
        docs: 3,
        ..search_query::Feedback::default()
    };
    for sort in [Sort::Relevance, Sort::Newest] {
        let results = search(
            &w,
            "frozen source:reuters",
            &all().feedback(Some(feedback)).sort(sort),
        );
        assert!(!results.hits.is_empty());
        for hit in &results.hits {
            let source = hit.citation.source.as_deref().unwrap_or_default();
            assert_eq!(
                source.to_lowercase(),
                "reuters",
                "{sort}: {:?}",
                hit.citation
            );
        }
    }
}

/// A wire of `articles` three-paragraph articles whose every passage holds
/// "harbor": dated over seven years (many sharing an instant, some undated).
fn broad_wire(articles: usize) -> Wires {
    let mut records = Vec::new();
    for i in 0..articles {
        // A spread that revisits the same instants (ties), and every 20th undated.
        let day = ((i * 7919) % 2_400) as i64;
        // 2019-01-01, plus the day, at one of three hours.
        let date = 1_546_300_800 + day * 86_400 + (i % 3) as i64 * 3_600;
        let source = ["Reuters", "AP", "BBC"][i % 3];
        let mut record = serde_json::json!({
            "id": format!("a{i}"),
            "source": source,
            "text": format!(
                "Harbor note {i}.\n\nThe harbor {} again.\n\nHarbor harbor {}.",
                ["opened", "closed", "flooded"][i % 3],
                i % 11
            ),
        });
        if i % 20 != 0 {
            record["date"] = search_core::dates::iso_of_timestamp(date).into();
        }
        records.push(record);
    }
    indexed(&records)
}

/// (article, paragraph, score) of each hit, in order.
fn places(results: &SearchResults) -> Vec<(String, u64, f32)> {
    results
        .hits
        .iter()
        .map(|h| (h.citation.doc_id.clone(), h.citation.paragraph, h.score))
        .collect()
}

#[test]
fn a_date_sort_of_a_broad_query_answers_as_if_it_visited_every_match() {
    // A broad query sorted by date is swept from the newest (oldest) dates and
    // stops early; counting the matches visits every one. Both must agree.
    let w = broad_wire(1_700);
    for sort in [Sort::Newest, Sort::Oldest] {
        for query in [
            "harbor",
            "harbor flooded",
            "harbor -closed",
            "harbor source:AP",
        ] {
            for (offset, limit, per_article, collapse) in [
                (0, 10, false, false),
                (0, 1, false, false),
                (37, 25, false, false),
                (0, 20, true, false),
                (5, 30, true, true),
                (0, 5_000, false, false),
            ] {
                let options = SearchOptions::new()
                    .sort(sort)
                    .offset(offset)
                    .limit(limit)
                    .per_article(per_article)
                    .collapse(collapse);
                let swept = search(&w, query, &options);
                let counted = search(&w, query, &options.clone().count_matches(true));
                let case = format!(
                    "{query} {sort:?} offset {offset} limit {limit} per_article {per_article}"
                );
                assert_eq!(places(&swept), places(&counted), "{case}");
                assert!(!swept.hits.is_empty(), "{case}");
                assert_date_order(&swept, sort == Sort::Newest);
            }
        }
    }
}
