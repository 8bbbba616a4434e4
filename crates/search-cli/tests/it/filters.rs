//! Field filters, date filters, sorting by date and facets, through the binary, on a
//! small wire corpus the tests write (JSONL records with title, source, date, url
//! and author).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Value};

use crate::util::{doc_id, hits, Run, Sandbox};

/// One record of the test corpus.
struct Article {
    id: &'static str,
    title: &'static str,
    source: Option<&'static str>,
    /// As the record writes it (ISO date, date-time with an offset, RFC 2822).
    date: Option<&'static str>,
    /// The normalised form citations show.
    iso: Option<&'static str>,
    url: Option<&'static str>,
    author: Option<&'static str>,
    /// Paragraphs, one passage each.
    text: &'static [&'static str],
}

const WIRE: &[Article] = &[
    Article {
        id: "r1",
        title: "Frozen assets talks resume in Brussels",
        source: Some("Reuters"),
        date: Some("2025-12-04"),
        iso: Some("2025-12-04"),
        url: Some("https://www.reuters.com/world/europe/frozen-assets-talks"),
        author: Some("Olena Kovalenko"),
        text: &[
            "EU ministers discussed the frozen assets in Brussels on Thursday.",
            "The talks on the assets continue next week, officials said.",
        ],
    },
    Article {
        id: "r2",
        title: "Summit opens with a dispute",
        source: Some("Reuters"),
        date: Some("2025-12-01T09:30:00+02:00"),
        iso: Some("2025-12-01T07:30:00Z"),
        url: None,
        author: Some("John Smith"),
        text: &["Frozen assets were the main subject of the summit."],
    },
    Article {
        id: "ap1",
        title: "Ministers split over reparations",
        source: Some("Associated Press"),
        date: Some("Thu, 04 Dec 2025 08:30:00 +0000"),
        iso: Some("2025-12-04T08:30:00Z"),
        url: Some("https://apnews.com/article/assets-2"),
        author: Some("Zoë Park"),
        text: &[
            "The frozen assets debate split the ministers.",
            "A vote on the assets is expected in January.",
            "Diplomats declined to comment on the assets.",
        ],
    },
    Article {
        id: "bbc1",
        title: "A summer of sanctions",
        source: Some("BBC News"),
        date: Some("2025-06-15"),
        iso: Some("2025-06-15"),
        url: None,
        author: Some("Olena Kovalenko"),
        text: &["In June the frozen assets were still a distant idea."],
    },
    Article {
        id: "bbc2",
        title: "Autumn budget",
        source: Some("BBC News"),
        date: Some("2025-11-30"),
        iso: Some("2025-11-30"),
        url: None,
        author: Some("Mary Press"),
        text: &["The budget set aside nothing for frozen assets."],
    },
    Article {
        id: "sz1",
        title: "Vermögen bleibt eingefroren",
        source: Some("Süddeutsche Zeitung"),
        date: Some("2025-12-03"),
        iso: Some("2025-12-03"),
        url: Some("https://www.sueddeutsche.de/politik/assets"),
        author: Some("Jürgen Weiß"),
        text: &["Berlin wants the frozen assets used for Ukraine."],
    },
    Article {
        id: "old1",
        title: "An older story",
        source: Some("Reuters"),
        date: Some("2024-03-10"),
        iso: Some("2024-03-10"),
        url: None,
        author: Some("John Smith"),
        text: &["Frozen assets were first mentioned in 2024."],
    },
    Article {
        id: "nodate",
        title: "An undated note",
        source: Some("Reuters"),
        date: None,
        iso: None,
        url: None,
        author: Some("John Smith"),
        text: &["An undated note on frozen assets."],
    },
    Article {
        id: "anon",
        title: "Unsigned and unsourced",
        source: None,
        date: Some("2025-12-02"),
        iso: Some("2025-12-02"),
        url: None,
        author: None,
        text: &["Nobody signed this piece on frozen assets."],
    },
];

fn article(id: &str) -> &'static Article {
    WIRE.iter()
        .find(|a| a.id == id)
        .unwrap_or_else(|| panic!("no article {id}"))
}

fn record(a: &Article) -> Value {
    let mut record = json!({"id": a.id, "title": a.title, "text": a.text.join("\n")});
    for (key, value) in [
        ("source", a.source),
        ("date", a.date),
        ("url", a.url),
        ("author", a.author),
    ] {
        if let Some(value) = value {
            record[key] = json!(value);
        }
    }
    record
}

/// The wire corpus, indexed into `index/`.
fn wire() -> Sandbox {
    let sb = Sandbox::empty();
    let lines: Vec<String> = WIRE.iter().map(|a| record(a).to_string()).collect();
    sb.write("corpus/wire.jsonl", lines.join("\n") + "\n");
    sb.ok(&["index", "corpus", "--threads", "1"]);
    sb
}

/// The distinct article ids of a query's hits (limit 100), and the parsed results.
fn ids_of(sb: &Sandbox, query: &str, extra: &[&str]) -> BTreeSet<String> {
    let mut args = vec!["--limit", "100"];
    args.extend_from_slice(extra);
    let results = sb.query_json(query, &args);
    hits(&results)
        .iter()
        .map(|h| doc_id(h).to_string())
        .collect()
}

fn set(ids: &[&str]) -> BTreeSet<String> {
    ids.iter().map(|s| s.to_string()).collect()
}

/// Every article whose paragraphs mention frozen assets: what `assets` finds.
fn all_ids() -> BTreeSet<String> {
    WIRE.iter().map(|a| a.id.to_string()).collect()
}

/// The articles of `all_ids` that `keep` accepts.
fn ids_where(keep: impl Fn(&Article) -> bool) -> BTreeSet<String> {
    WIRE.iter()
        .filter(|a| keep(a))
        .map(|a| a.id.to_string())
        .collect()
}

// ---------------------------------------------------------------- field filters

#[test]
fn a_source_clause_filters_instead_of_only_boosting() {
    let sb = wire();
    assert_eq!(ids_of(&sb, "assets", &[]), all_ids());
    assert_eq!(
        ids_of(&sb, "assets source:Reuters", &[]),
        set(&["r1", "r2", "old1", "nodate"])
    );
    let results = sb.query_json("assets source:Reuters", &["--limit", "100"]);
    for hit in hits(&results) {
        assert_eq!(hit["citation"]["source"], "Reuters", "{hit}");
    }
}

#[test]
fn clauses_on_one_field_or_together_and_fields_and_together() {
    let sb = wire();
    assert_eq!(
        ids_of(
            &sb,
            r#"assets source:Reuters source:"Associated Press""#,
            &[]
        ),
        set(&["r1", "r2", "old1", "nodate", "ap1"])
    );
    assert_eq!(
        ids_of(&sb, r#"assets source:Reuters author:"John Smith""#, &[]),
        set(&["r2", "old1", "nodate"])
    );
    assert_eq!(
        ids_of(
            &sb,
            r#"assets source:Reuters source:"BBC News" author:"Olena Kovalenko""#,
            &[]
        ),
        set(&["r1", "bbc1"])
    );
}

#[test]
fn a_minus_clause_excludes_a_value() {
    let sb = wire();
    assert_eq!(
        ids_of(&sb, "assets -source:Reuters", &[]),
        ids_where(|a| a.source != Some("Reuters"))
    );
    assert_eq!(
        ids_of(
            &sb,
            r#"assets -author:"John Smith" -source:"BBC News""#,
            &[]
        ),
        set(&["r1", "ap1", "sz1", "anon"])
    );
}

#[test]
fn the_filtered_hits_are_the_unfiltered_hits_that_pass_the_filter() {
    let sb = wire();
    let all = sb.query_json("frozen assets", &["--limit", "1000"]);
    let reuters: Vec<String> = hits(&all)
        .iter()
        .filter(|h| h["citation"]["source"] == "Reuters")
        .map(|h| h["citation"]["byte_start"].to_string() + doc_id(h))
        .collect();
    let filtered = sb.query_json("frozen assets source:reuters", &["--limit", "1000"]);
    let got: Vec<String> = hits(&filtered)
        .iter()
        .map(|h| h["citation"]["byte_start"].to_string() + doc_id(h))
        .collect();
    assert_eq!(
        got.iter().collect::<BTreeSet<_>>(),
        reuters.iter().collect::<BTreeSet<_>>()
    );
}

#[test]
fn names_match_whole_without_regard_to_case_or_diacritics() {
    let sb = wire();
    for query in [
        r#"assets source:"associated press""#,
        "assets source:ASSOCIATED-PRESS",
        r#"assets author:"zoe park""#,
        r#"assets author:"ZOË PARK""#,
    ] {
        assert_eq!(ids_of(&sb, query, &[]), set(&["ap1"]), "{query}");
    }
    assert_eq!(
        ids_of(&sb, r#"assets source:"suddeutsche zeitung""#, &[]),
        set(&["sz1"])
    );
    // ß folds to ss, as in ASCII folding.
    for query in [r#"author:"jürgen weiß""#, r#"author:"JURGEN WEISS""#] {
        assert_eq!(ids_of(&sb, query, &[]), set(&["sz1"]), "{query}");
    }
    // A part of a name is not the name: `press` is neither "Associated Press" nor
    // the author "Mary Press".
    for query in [
        "assets source:press",
        "assets source:associated",
        "assets author:Olena",
    ] {
        let run = sb.query_run(query, "json", &[]);
        assert_eq!(run.code, 1, "{query} matched:\n{run:?}");
    }
}

#[test]
fn title_id_and_url_clauses() {
    let sb = wire();
    let results = sb.query_json("title:sanctions", &[]);
    assert!(!hits(&results).is_empty(), "{results}");
    for hit in hits(&results) {
        assert_eq!(doc_id(hit), "bbc1", "{hit}");
    }
    assert_eq!(ids_of(&sb, "assets id:ap1", &[]), set(&["ap1"]));
    assert_eq!(ids_of(&sb, "id:ap1 id:r2", &[]), set(&["ap1", "r2"]));
    assert!(!ids_of(&sb, "assets -id:ap1", &[]).contains("ap1"));
    assert_eq!(ids_of(&sb, "assets url:reuters.com", &[]), set(&["r1"]));
    assert_eq!(
        ids_of(&sb, "assets url:https://www.reuters.com/world", &[]),
        set(&["r1"])
    );
    assert_eq!(
        ids_of(&sb, "url:apnews.com/article/assets-2", &[]),
        set(&["ap1"])
    );
    assert_eq!(
        ids_of(&sb, "assets url:reuters.com/sports", &[]),
        BTreeSet::new()
    );
}

// ---------------------------------------------------------------- dates

#[test]
fn date_clauses_take_a_day_a_month_a_year_and_ranges() {
    let sb = wire();
    let cases: &[(&str, &[&str])] = &[
        ("date:2025-12-04", &["r1", "ap1"]),
        ("date:2025-12", &["r1", "r2", "ap1", "sz1", "anon"]),
        ("date:2024", &["old1"]),
        ("date:2025-12-01..2025-12-03", &["r2", "sz1", "anon"]),
        ("date:2025-12-03..", &["r1", "ap1", "sz1"]),
        ("date:..2025-06-30", &["bbc1", "old1"]),
        ("date:>=2025-12-02", &["r1", "ap1", "sz1", "anon"]),
        ("date:>2025-12-03", &["r1", "ap1"]),
        ("date:<2025-12-01", &["bbc1", "bbc2", "old1"]),
        ("date:<=2024", &["old1"]),
        // Two date clauses OR together, as for any field.
        ("date:2024 date:2025-06", &["old1", "bbc1"]),
        // The instant of a date-time: 2025-12-01T09:30:00+02:00 is 07:30 UTC.
        ("date:2025-12-01T07:30:00Z", &["r2"]),
    ];
    for (clause, expected) in cases {
        assert_eq!(
            ids_of(&sb, &format!("assets {clause}"), &[]),
            set(expected),
            "{clause}"
        );
    }
}

#[test]
fn since_and_until_mean_what_the_date_clauses_mean() {
    let sb = wire();
    assert_eq!(
        ids_of(
            &sb,
            "assets",
            &["--since", "2025-12-01", "--until", "2025-12-03"]
        ),
        ids_of(&sb, "assets date:2025-12-01..2025-12-03", &[])
    );
    assert_eq!(
        ids_of(&sb, "assets", &["--since", "2025-12-03"]),
        set(&["r1", "ap1", "sz1"])
    );
    assert_eq!(ids_of(&sb, "assets", &["--until", "2024"]), set(&["old1"]));
    // The flags narrow what the query's own date clauses allow.
    assert_eq!(
        ids_of(&sb, "assets date:2025-12", &["--until", "2025-12-02"]),
        set(&["r2", "anon"])
    );
}

#[test]
fn a_bad_date_in_a_query_is_a_warning_and_the_clause_is_ignored() {
    let sb = wire();
    let run = sb.query_run("assets date:2025-13", "json", &["--limit", "100"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stderr.contains("warning:") && run.stderr.contains("2025-13"),
        "{run:?}"
    );
    let results: Value = serde_json::from_str(&run.stdout).unwrap();
    let warnings = results["warnings"].to_string();
    assert!(warnings.contains("2025-13"), "{results}");
    let ids: BTreeSet<String> = hits(&results)
        .iter()
        .map(|h| doc_id(h).to_string())
        .collect();
    assert_eq!(ids, all_ids());
}

#[test]
fn a_bad_since_or_until_is_a_usage_error_naming_the_value_and_the_forms() {
    let sb = wire();
    for (flag, value) in [("--since", "yesterday"), ("--until", "2025-02-30")] {
        let run = sb.run(&["query", "assets", flag, value], 2);
        assert!(run.stderr.contains(value), "{run:?}");
        assert!(run.stderr.contains(flag), "{run:?}");
        assert!(run.stderr.contains("2025-12-04"), "{run:?}");
        assert!(run.stdout.is_empty(), "{run:?}");
    }
}

// ---------------------------------------------------------------- sorting

/// The citation dates of a result's hits, in order (`None` for an undated hit).
fn dates(results: &Value) -> Vec<Option<String>> {
    hits(results)
        .iter()
        .map(|h| h["citation"]["date"].as_str().map(str::to_string))
        .collect()
}

/// The instant of a normalised citation date, comparable as text once a date alone
/// is read as its midnight.
fn instant(date: &str) -> String {
    if date.len() == 10 {
        format!("{date}T00:00:00Z")
    } else {
        date.to_string()
    }
}

fn assert_ordered(results: &Value, newest_first: bool) {
    let dates = dates(results);
    let dated: Vec<String> = dates.iter().flatten().map(|d| instant(d)).collect();
    let undated_from = dates
        .iter()
        .position(Option::is_none)
        .unwrap_or(dates.len());
    assert!(
        dates[undated_from..].iter().all(Option::is_none),
        "undated hits are not last: {dates:?}"
    );
    let mut sorted = dated.clone();
    sorted.sort();
    if newest_first {
        sorted.reverse();
    }
    assert_eq!(dated, sorted, "{dates:?}");
}

#[test]
fn a_query_of_filters_only_lists_its_passages_newest_first() {
    let sb = wire();
    let results = sb.query_json("source:Reuters", &["--limit", "100"]);
    assert_eq!(results["sort"], "newest", "{results}");
    let order: Vec<&str> = hits(&results).iter().map(doc_id).collect();
    assert_eq!(order, ["r1", "r1", "r2", "old1", "nodate"], "{results}");
    assert_ordered(&results, true);
    // Filters only, on dates: every passage of the month.
    let month = sb.query_json("date:2025-12", &["--limit", "100"]);
    let passages: usize = ["r1", "r2", "ap1", "sz1", "anon"]
        .iter()
        .map(|id| article(id).text.len())
        .sum();
    assert_eq!(hits(&month).len(), passages, "{month}");
    assert_ordered(&month, true);
}

#[test]
fn sort_newest_and_oldest_put_undated_passages_last() {
    let sb = wire();
    let relevance = sb.query_json("frozen assets", &["--limit", "100"]);
    assert_eq!(relevance["sort"], "relevance");
    let newest = sb.query_json("frozen assets", &["--limit", "100", "--sort", "newest"]);
    assert_eq!(newest["sort"], "newest");
    assert_ordered(&newest, true);
    let oldest = sb.query_json("frozen assets", &["--limit", "100", "--sort", "oldest"]);
    assert_eq!(oldest["sort"], "oldest");
    assert_ordered(&oldest, false);
    assert_eq!(
        dates(&oldest).last().cloned().flatten(),
        None,
        "the undated note comes last either way"
    );
    // The same passages in every order.
    let key = |r: &Value| -> BTreeSet<String> {
        hits(r)
            .iter()
            .map(|h| format!("{}#{}", doc_id(h), h["citation"]["paragraph"]))
            .collect()
    };
    assert_eq!(key(&newest), key(&relevance));
    assert_eq!(key(&oldest), key(&relevance));
    // A filter-only query may still ask for relevance or oldest first.
    let oldest_reuters = sb.query_json("source:Reuters", &["--sort", "oldest"]);
    let order: Vec<&str> = hits(&oldest_reuters).iter().map(doc_id).collect();
    assert_eq!(order, ["old1", "r2", "r1", "r1", "nodate"]);
    sb.run(&["query", "assets", "--sort", "date"], 2);
}

// ---------------------------------------------------------------- facets

/// `{value: (passages, articles)}` of one facet in a JSON result.
fn facet(results: &Value, name: &str) -> BTreeMap<String, (u64, u64)> {
    results["facets"][name]
        .as_array()
        .unwrap_or_else(|| panic!("no facet {name} in {results}"))
        .iter()
        .map(|c| {
            (
                c["value"].as_str().unwrap().to_string(),
                (
                    c["passages"].as_u64().unwrap(),
                    c["articles"].as_u64().unwrap(),
                ),
            )
        })
        .collect()
}

/// Facet counts computed from a result's hits, by `value_of` each hit.
fn counted(
    results: &Value,
    value_of: impl Fn(&Value) -> Vec<String>,
) -> BTreeMap<String, (u64, u64)> {
    let mut passages: BTreeMap<String, u64> = BTreeMap::new();
    let mut articles: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for hit in hits(results) {
        for value in value_of(hit) {
            *passages.entry(value.clone()).or_default() += 1;
            articles
                .entry(value)
                .or_default()
                .insert(doc_id(hit).to_string());
        }
    }
    passages
        .into_iter()
        .map(|(v, p)| {
            let a = articles[&v].len() as u64;
            (v, (p, a))
        })
        .collect()
}

fn source_of(hit: &Value) -> Vec<String> {
    hit["citation"]["source"]
        .as_str()
        .map(str::to_string)
        .into_iter()
        .collect()
}

fn author_of(hit: &Value) -> Vec<String> {
    match hit["citation"]["authors"].as_array() {
        Some(list) => list
            .iter()
            .map(|a| a.as_str().unwrap().to_string())
            .collect(),
        None => hit["citation"]["author"]
            .as_str()
            .map(str::to_string)
            .into_iter()
            .collect(),
    }
}

fn month_of(hit: &Value) -> Vec<String> {
    hit["citation"]["date"]
        .as_str()
        .map(|d| d[..7].to_string())
        .into_iter()
        .collect()
}

#[test]
fn facets_count_every_matching_passage_not_only_the_page() {
    let sb = wire();
    let all = sb.query_json("frozen assets", &["--limit", "1000"]);
    let page = sb.query_json(
        "frozen assets",
        &["--limit", "2", "--facets", "source,author,date"],
    );
    assert_eq!(hits(&page).len(), 2);
    assert_eq!(facet(&page, "source"), counted(&all, source_of));
    assert_eq!(facet(&page, "author"), counted(&all, author_of));
    assert_eq!(facet(&page, "date"), counted(&all, month_of));
    // Sorted by passages, most first.
    let passages: Vec<u64> = page["facets"]["source"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["passages"].as_u64().unwrap())
        .collect();
    assert!(passages.windows(2).all(|w| w[0] >= w[1]), "{passages:?}");
    // Per day, and over a filtered query.
    let days = sb.query_json(
        "assets source:Reuters",
        &["--limit", "1", "--facets", "date:day"],
    );
    let expected: BTreeMap<String, (u64, u64)> = [
        ("2025-12-04", (2, 1)),
        ("2025-12-01", (1, 1)),
        ("2024-03-10", (1, 1)),
    ]
    .into_iter()
    .map(|(d, c)| (d.to_string(), c))
    .collect();
    assert_eq!(facet(&days, "date"), expected, "{days}");
    // Not asked for: no `facets` key.
    assert!(all.get("facets").is_none(), "{all}");
    sb.run(&["query", "assets", "--facets", "source,outlet"], 2);
}

#[test]
fn facets_are_summarised_before_the_hits_in_text() {
    let sb = wire();
    let run = sb.ok(&["query", "frozen assets", "--facets", "source,author"]);
    let first_hit = run.stdout.find("1. ").expect("a first hit");
    let summary = &run.stdout[..first_hit];
    let source_line = summary
        .lines()
        .find(|l| l.starts_with("source: "))
        .unwrap_or_else(|| panic!("no source summary:\n{run:?}"));
    assert!(
        source_line.starts_with("source: Reuters 5 (4 articles), "),
        "{source_line}"
    );
    assert!(
        source_line.contains("Associated Press 3 (1)"),
        "{source_line}"
    );
    assert!(
        summary
            .lines()
            .any(|l| l.starts_with("author: ") && l.contains("John Smith 3 (3")),
        "{run:?}"
    );
}

#[test]
fn the_facets_command_counts_the_whole_index_or_a_query() {
    let sb = wire();
    let run = sb.ok(&["facets", "--format", "json"]);
    let whole: Value = serde_json::from_str(&run.stdout).unwrap();
    let mut sources: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    for a in WIRE {
        if let Some(source) = a.source {
            let entry = sources.entry(source.to_string()).or_default();
            entry.0 += a.text.len() as u64;
            entry.1 += 1;
        }
    }
    assert_eq!(facet(&whole, "source"), sources, "{whole}");
    assert_eq!(facet(&whole, "author")["Olena Kovalenko"], (3, 2));
    assert_eq!(facet(&whole, "date")["2025-12"], (8, 5));
    // With a query: the facets of `search query --facets`.
    let run = sb.ok(&[
        "facets",
        "assets source:Reuters",
        "--facets",
        "author",
        "--format",
        "json",
    ]);
    let matched: Value = serde_json::from_str(&run.stdout).unwrap();
    let query = sb.query_json("assets source:Reuters", &["--facets", "author"]);
    assert_eq!(matched["facets"], query["facets"]);
    assert!(matched["facets"].get("source").is_none(), "{matched}");
    // Text: one table per facet.
    let text = sb.ok(&["facets", "--facets", "source"]).stdout;
    assert!(text.contains("source (4 values)"), "{text}");
    let reuters = text
        .lines()
        .find(|l| l.trim_start().starts_with("Reuters"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        reuters.contains("5 passages") && reuters.contains("4 articles"),
        "{reuters}"
    );
    // A query that matches nothing: exit 1, like `search query`.
    sb.run(&["facets", "source:Nobody"], 1);
    sb.run(&["facets", "--facets", "colour"], 2);
}

#[test]
fn sources_lists_every_outlet_with_passages_and_articles() {
    let sb = wire();
    let run = sb.ok(&["sources", "--format", "json"]);
    let listed: Value = serde_json::from_str(&run.stdout).unwrap();
    let got: BTreeMap<String, (u64, u64)> = listed["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["value"].as_str().unwrap().to_string(),
                (
                    c["passages"].as_u64().unwrap(),
                    c["articles"].as_u64().unwrap(),
                ),
            )
        })
        .collect();
    let expected: BTreeMap<String, (u64, u64)> = [
        ("Reuters", (5, 4)),
        ("Associated Press", (3, 1)),
        ("BBC News", (2, 2)),
        ("Süddeutsche Zeitung", (1, 1)),
    ]
    .into_iter()
    .map(|(s, c)| (s.to_string(), c))
    .collect();
    assert_eq!(got, expected, "{listed}");
    assert_eq!(listed["passages"], 12);
    assert_eq!(listed["passages_without_source"], 1);
    let text = sb.ok(&["sources"]).stdout;
    assert!(text.starts_with("4 sources\n"), "{text}");
    let first = text.lines().nth(1).unwrap_or_default();
    assert!(first.trim_start().starts_with("Reuters"), "{text}");
    assert!(text.contains("1 passage without a source"), "{text}");
}

// ---------------------------------------------------------------- output

#[test]
fn text_hits_show_date_source_author_and_url() {
    let sb = wire();
    let run = sb.ok(&["query", "assets id:r1"]);
    assert!(
        run.stdout.contains(
            "   2025-12-04 · Reuters · Olena Kovalenko  https://www.reuters.com/world/europe/frozen-assets-talks\n"
        ),
        "{run:?}"
    );
    let run = sb.ok(&["query", "assets id:anon"]);
    assert!(!run.stdout.contains(" · "), "{run:?}");
    assert!(run.stdout.contains("   2025-12-02\n"), "{run:?}");
}

#[test]
fn json_citations_carry_the_normalised_date_and_the_author() {
    let sb = wire();
    for a in WIRE {
        let results = sb.query_json(&format!("id:{}", a.id), &[]);
        let hit = &hits(&results)[0];
        let citation = &hit["citation"];
        assert_eq!(citation["date"].as_str(), a.iso, "{hit}");
        assert_eq!(citation["source"].as_str(), a.source, "{hit}");
        assert_eq!(citation["author"].as_str(), a.author, "{hit}");
        assert_eq!(citation["url"].as_str(), a.url, "{hit}");
        assert!(citation.get("authors").is_none(), "one author: {hit}");
    }
}

#[test]
fn several_authors_are_listed_and_each_is_searchable() {
    let sb = Sandbox::empty();
    sb.write(
        "corpus/pair.jsonl",
        json!({
            "id": "duo", "title": "Two by-lines", "source": "Reuters",
            "date": "2025-12-04", "author": ["Olena Kovalenko", "Zoë Park"],
            "text": "Frozen assets, reported by two."
        })
        .to_string()
            + "\n",
    );
    sb.ok(&["index", "corpus"]);
    let results = sb.query_json(r#"author:"zoe park""#, &[]);
    let citation = &hits(&results)[0]["citation"];
    assert_eq!(citation["authors"], json!(["Olena Kovalenko", "Zoë Park"]));
    assert_eq!(citation["author"], "Olena Kovalenko, Zoë Park");
    let run = sb.ok(&["query", "author:\"Olena Kovalenko\""]);
    assert!(
        run.stdout
            .contains("2025-12-04 · Reuters · Olena Kovalenko, Zoë Park"),
        "{run:?}"
    );
    let facets = sb.query_json("assets", &["--facets", "author"]);
    assert_eq!(facet(&facets, "author")["Zoë Park"], (1, 1));
    assert_eq!(facet(&facets, "author")["Olena Kovalenko"], (1, 1));
}

#[test]
fn show_prints_the_articles_date_source_author_and_url() {
    let sb = wire();
    let run = sb.ok(&["show", "ap1#2"]);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines[0], "Ministers split over reparations", "{run:?}");
    assert!(lines[1].starts_with("corpus/wire.jsonl:3#2 ¶2"), "{run:?}");
    assert_eq!(
        lines[2],
        "2025-12-04T08:30:00Z · Associated Press · Zoë Park  https://apnews.com/article/assets-2"
    );
    let run = sb.ok(&["show", "corpus/wire.jsonl:3#2", "--format", "json"]);
    let shown: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(shown["location"], "corpus/wire.jsonl:3#2");
    assert_eq!(shown["citation"]["date"], "2025-12-04T08:30:00Z");
    assert_eq!(shown["citation"]["source"], "Associated Press");
    assert_eq!(shown["citation"]["author"], "Zoë Park");
    assert_eq!(
        shown["citation"]["url"],
        "https://apnews.com/article/assets-2"
    );
    assert_eq!(shown["stale"], false);
    let paragraphs = shown["paragraphs"].as_array().unwrap();
    let cited: Vec<&Value> = paragraphs.iter().filter(|p| p["cited"] == true).collect();
    assert_eq!(cited.len(), 1, "{shown}");
    assert_eq!(cited[0]["text"], article("ap1").text[1]);
    assert_eq!(paragraphs.len(), 3, "one neighbour on each side: {shown}");
}

#[test]
fn batch_and_stdin_queries_take_sort_dates_and_facets() {
    let sb = wire();
    sb.write("queries.txt", "frozen assets\nsource:Reuters\n");
    let run = sb.ok(&[
        "query",
        "--batch",
        "queries.txt",
        "--sort",
        "oldest",
        "--since",
        "2025",
        "--facets",
        "source",
        "--limit",
        "100",
    ]);
    let lines: Vec<Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "{run:?}");
    for results in &lines {
        assert_eq!(results["sort"], "oldest", "{results}");
        assert_ordered(results, false);
        assert!(
            dates(results)
                .iter()
                .flatten()
                .all(|d| d.as_str() >= "2025"),
            "{results}"
        );
        assert!(results["facets"]["source"].is_array(), "{results}");
    }
    assert_eq!(facet(&lines[1], "source").len(), 1, "{}", lines[1]);
    let piped = sb
        .search()
        .args(["query", "-", "--format", "json", "--until", "2024"])
        .write_stdin("frozen\nassets\n")
        .assert()
        .code(0)
        .get_output()
        .clone();
    let results: Value = serde_json::from_slice(&piped.stdout).unwrap();
    let ids: BTreeSet<String> = hits(&results)
        .iter()
        .map(|h| doc_id(h).to_string())
        .collect();
    assert_eq!(ids, set(&["old1"]));
}

#[test]
fn completions_and_the_manual_list_the_new_flags_and_commands() {
    let sb = Sandbox::empty();
    let bash = sb.ok(&["completions", "bash"]).stdout;
    for word in [
        "--sort", "--since", "--until", "--facets", "facets", "sources",
    ] {
        assert!(bash.contains(word), "bash completions lack {word}");
    }
    let man = sb.ok(&["man"]).stdout;
    for word in ["since", "until", "facets", "sources", "relevance"] {
        assert!(man.contains(word), "the manual lacks {word}");
    }
    let help: Run = sb.ok(&["query", "--help"]);
    assert!(
        help.stdout.contains("date:2025-12-01..2025-12-04"),
        "{help:?}"
    );
}
