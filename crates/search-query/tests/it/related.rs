//! `PassageIndex::related`: passages of other articles that state what a cited
//! passage states.

use std::path::Path;

use search_query::{FilterField, LineKind, Lookup, PassageIndex, SearchError, SearchOptions};

use super::{build, seeds_fixture, Fixture};

/// The seed with a title (`Ukraine's top security officials…`).
const KYIV: &str = "000_792c1fc0d0c2a89d.txt";
/// The Newsmax seed.
const NEWSMAX: &str = "003_43941a50b73b53ea.txt";

/// A cited paragraph of one seed and the paragraphs of the other seed that state
/// the same fact (any of them counts), by line.
struct Pair {
    from: &'static str,
    line: u64,
    to: &'static str,
    expected: &'static [u64],
    /// The expected paragraph must rank this high or better.
    within: usize,
    fact: &'static str,
}

const fn pair(
    from: &'static str,
    line: u64,
    to: &'static str,
    expected: &'static [u64],
    fact: &'static str,
) -> Pair {
    Pair {
        from,
        line,
        to,
        expected,
        within: 2,
        fact,
    }
}

/// Every pair of paragraphs of the two seeds that state the same fact, both ways
/// where the other side has one paragraph that says it. The README's table is
/// what `related_ranks_of_the_seed_pairs` prints.
const PAIRS: &[Pair] = &[
    pair(
        KYIV,
        10,
        NEWSMAX,
        &[9],
        "Kremlin: the Moscow talks were \"useful\", \"constructive\", no agreement",
    ),
    pair(
        NEWSMAX,
        9,
        KYIV,
        &[10, 9],
        "the Moscow meeting with Putin: useful, constructive, no agreement",
    ),
    pair(
        KYIV,
        9,
        NEWSMAX,
        &[9, 7],
        "the Miami meeting follows Witkoff and Kushner's Moscow visit",
    ),
    Pair {
        within: 3,
        ..pair(
            NEWSMAX,
            7,
            KYIV,
            &[9],
            "the Miami meeting comes on the heels of the Moscow talks",
        )
    },
    pair(
        KYIV,
        5,
        NEWSMAX,
        &[2],
        "Umerov (security council) and Hnatov (army staff) meet US officials",
    ),
    pair(
        NEWSMAX,
        2,
        KYIV,
        &[5],
        "Umerov (security council) and Hnatov (army staff) meet US officials",
    ),
    pair(
        KYIV,
        4,
        NEWSMAX,
        &[1],
        "Ukraine's officials meet Witkoff and Kushner in Miami",
    ),
    pair(
        NEWSMAX,
        1,
        KYIV,
        &[4],
        "Witkoff and Kushner meet Ukraine's officials in Miami",
    ),
    pair(
        NEWSMAX,
        3,
        KYIV,
        &[5],
        "another of a series of US-Ukrainian meetings",
    ),
    pair(
        KYIV,
        11,
        NEWSMAX,
        &[9, 7],
        "the US envoys' meeting with Putin (productive, useful)",
    ),
    pair(
        KYIV,
        7,
        NEWSMAX,
        &[10],
        "the US plan is seen as favouring Russia",
    ),
    pair(
        NEWSMAX,
        10,
        KYIV,
        &[5, 7],
        "Umerov and Hnatov take part; the US plan is seen as favouring Russia",
    ),
    pair(
        NEWSMAX,
        4,
        KYIV,
        &[4, 6],
        "talks in Miami on Thursday, Dec. 4",
    ),
    pair(
        KYIV,
        6,
        NEWSMAX,
        &[4, 5],
        "talks in Miami on Thursday, Dec. 4",
    ),
    Pair {
        within: 3,
        ..pair(
            NEWSMAX,
            5,
            KYIV,
            &[4, 6],
            "talks in Miami on Thursday, Dec. 4",
        )
    },
];

/// The rank of the first expected paragraph among the hits for `pair` (with up to
/// 20 hits), if it is there.
fn rank_of(index: &PassageIndex, seeds: &Path, pair: &Pair) -> Option<usize> {
    let cited = format!("{}:{}", seeds.join(pair.from).display(), pair.line);
    let related = index
        .related(&cited, &SearchOptions::new().limit(20))
        .unwrap();
    let to = seeds.join(pair.to).display().to_string();
    related
        .hits
        .iter()
        .position(|h| h.citation.path == to && pair.expected.contains(&h.citation.line))
        .map(|at| at + 1)
}

#[test]
fn the_ushakov_paragraph_finds_the_kremlin_officials_paragraph_first_or_second() {
    let f = seeds_fixture();
    let index = PassageIndex::open(&f.index).unwrap();
    let by_line = format!("{}:10", f.seeds.join(KYIV).display());
    // ¶8 of the article is line 10.
    for cited in [by_line.as_str(), "000_792c1fc0d0c2a89d#8"] {
        let related = index.related(cited, &SearchOptions::new()).unwrap();
        assert!(
            related
                .passage
                .text
                .starts_with("Top Kremlin aide Yuri Ushakov"),
            "{:?}",
            related.passage
        );
        let kremlin = related
            .hits
            .iter()
            .position(|h| {
                h.text
                    .contains("described by Kremlin officials as \"useful\" and \"constructive,\"")
            })
            .expect("the Kremlin officials' paragraph is a hit");
        assert!(kremlin < 2, "{cited}: rank {}", kremlin + 1);
    }
}

#[test]
fn related_ranks_of_the_seed_pairs() {
    let f = seeds_fixture();
    let index = PassageIndex::open(&f.index).unwrap();
    let mut table = String::from("| cited | expected | rank | fact |\n|---|---|---|---|\n");
    let mut missed = Vec::new();
    for pair in PAIRS {
        let rank = rank_of(&index, &f.seeds, pair);
        let shown = rank.map_or("-".to_string(), |r| r.to_string());
        let expected: Vec<String> = pair
            .expected
            .iter()
            .map(|l| format!("{}:{l}", &pair.to[..3]))
            .collect();
        table.push_str(&format!(
            "| {}:{} | {} | {shown} | {} |\n",
            &pair.from[..3],
            pair.line,
            expected.join(", "),
            pair.fact
        ));
        if rank.is_none_or(|r| r > pair.within) {
            missed.push(format!("{}:{} ranks {shown}", pair.from, pair.line));
        }
    }
    eprintln!("{table}");
    assert!(missed.is_empty(), "{missed:?}\n{table}");
}

#[test]
fn no_hit_is_a_passage_of_the_cited_article() {
    let f = seeds_fixture();
    let index = PassageIndex::open(&f.index).unwrap();
    for name in [KYIV, NEWSMAX] {
        let path = f.seeds.join(name).display().to_string();
        let id = name.trim_end_matches(".txt");
        for cited in index.article(id).unwrap() {
            let related = index
                .related(&cited.location(), &SearchOptions::new().limit(50))
                .unwrap();
            assert_eq!(related.passage.citation, cited);
            assert!(related.copies.is_empty());
            for hit in &related.hits {
                assert_ne!(hit.citation.path, path, "{}", cited.location());
                assert_ne!(hit.citation.doc_id, id);
            }
            let ranks: Vec<usize> = related.hits.iter().map(|h| h.rank).collect();
            assert_eq!(ranks, (1..=related.hits.len()).collect::<Vec<_>>());
        }
    }
}

#[test]
fn the_same_id_in_another_file_is_another_article() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir_all(corpus.join("b")).unwrap();
    let text = "Story\n\nThe harbour crane collapsed in Rotterdam on Monday, port officials said.\nTraffic resumed.\n";
    std::fs::write(corpus.join("story.txt"), text).unwrap();
    // Another article with the same id (the file stem), saying the same.
    std::fs::write(
        corpus.join("b/story.txt"),
        "Crane\n\nPort officials said a harbour crane collapsed in Rotterdam on Monday.\n",
    )
    .unwrap();
    let index_dir = dir.path().join("index");
    build(&index_dir, vec![corpus.clone()]);
    let index = PassageIndex::open(&index_dir).unwrap();
    let cited = format!("{}:3", corpus.join("story.txt").display());
    let related = index.related(&cited, &SearchOptions::new()).unwrap();
    assert_eq!(related.hits.len(), 1, "{:?}", related.hits);
    assert_eq!(
        related.hits[0].citation.path,
        corpus.join("b/story.txt").display().to_string()
    );
}

#[test]
fn the_cited_passage_shows_the_words_it_was_searched_with() {
    let f = seeds_fixture();
    let index = PassageIndex::open(&f.index).unwrap();
    let related = index
        .related("000_792c1fc0d0c2a89d#8", &SearchOptions::new())
        .unwrap();
    let p = &related.passage;
    assert_eq!(
        (p.rank, p.score, p.stale, p.boilerplate),
        (0, 0.0, false, false)
    );
    assert_eq!(
        p.text.as_bytes(),
        &std::fs::read(f.seeds.join(KYIV)).unwrap()[p.citation.byte_range()]
    );
    let words: Vec<&str> = p.highlights.iter().map(|r| &p.text[r.clone()]).collect();
    for word in ["Kremlin", "useful", "constructive"] {
        assert!(words.contains(&word), "{word}: {words:?}");
    }
    // Words no other passage has are not searched.
    assert!(!words.contains(&"Ushakov"), "{words:?}");
}

#[test]
fn limit_offset_and_filters_apply() {
    let f = seeds_fixture();
    let index = PassageIndex::open(&f.index).unwrap();
    let cited = "000_792c1fc0d0c2a89d#8";
    let all = index
        .related(cited, &SearchOptions::new().limit(50))
        .unwrap()
        .hits;
    assert!(all.len() > 3, "{all:?}");
    let first = index
        .related(cited, &SearchOptions::new().limit(2))
        .unwrap();
    assert_eq!(first.hits, all[..2]);
    let second = index
        .related(cited, &SearchOptions::new().limit(2).offset(2))
        .unwrap();
    assert_eq!(second.hits, all[2..4]);
    let none = index
        .related(cited, &SearchOptions::new().limit(0))
        .unwrap();
    assert!(none.hits.is_empty());
    // The only other article filtered out: nothing left.
    let filtered = index
        .related(
            cited,
            &SearchOptions::new().exclude(FilterField::Id, "003_43941a50b73b53ea"),
        )
        .unwrap();
    assert!(filtered.hits.is_empty(), "{:?}", filtered.hits);
    let kept = index
        .related(
            cited,
            &SearchOptions::new().filter(FilterField::Id, "003_43941a50b73b53ea"),
        )
        .unwrap();
    // The same hits, with the same scores (to float rounding: a filtered union
    // adds its terms' scores in another order).
    assert_eq!(kept.hits.len(), all.len().min(10));
    for (k, a) in kept.hits.iter().zip(&all) {
        assert_eq!(k.citation, a.citation);
        assert!((k.score - a.score).abs() <= 1e-4 * a.score, "{k:?} {a:?}");
    }
    assert!(matches!(
        index.related(cited, &SearchOptions::new().limit(1_000_000)),
        Err(SearchError::LimitTooLarge { .. })
    ));
}

#[test]
fn a_bad_citation_is_a_typed_error() {
    let f = seeds_fixture();
    let index = PassageIndex::open(&f.index).unwrap();
    let options = SearchOptions::new();
    for bogus in ["bogus", "", "#6", "seeds/x.txt:0"] {
        assert!(
            matches!(
                index.related(bogus, &options),
                Err(SearchError::NotACitation(ref c)) if c == bogus
            ),
            "{bogus:?}"
        );
    }
    let not_found = |cited: &str| match index.related(cited, &options) {
        Err(SearchError::CitationNotFound { citation, lookup }) => {
            assert_eq!(citation, cited);
            *lookup
        }
        other => panic!("{cited}: {other:?}"),
    };
    assert!(matches!(
        not_found("000_792c1fc0d0c2a89d#99"),
        Lookup::NoParagraph { paragraph: 99, .. }
    ));
    assert!(matches!(
        not_found("nope_article#1"),
        Lookup::UnknownArticle { .. }
    ));
    assert!(matches!(
        not_found("elsewhere/a.txt:3"),
        Lookup::UnknownFile { .. }
    ));
    let title = format!("{}:1", f.seeds.join(KYIV).display());
    assert!(matches!(
        not_found(&title),
        Lookup::NotAParagraph {
            kind: LineKind::Title,
            ..
        }
    ));
    let message = index
        .related("000_792c1fc0d0c2a89d#99", &options)
        .unwrap_err()
        .to_string();
    assert!(message.contains("no paragraph 99"), "{message}");
}

#[test]
fn related_never_writes_to_the_index() {
    let f: Fixture = seeds_fixture();
    let listing = |dir: &Path| {
        let mut files: Vec<(String, u64, std::time::SystemTime)> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                let m = e.metadata().unwrap();
                (
                    e.file_name().to_string_lossy().into_owned(),
                    m.len(),
                    m.modified().unwrap(),
                )
            })
            .collect();
        files.sort();
        files
    };
    let before = listing(&f.index);
    let index = PassageIndex::open(&f.index).unwrap();
    for cited in ["000_792c1fc0d0c2a89d#8", "003_43941a50b73b53ea#9"] {
        index.related(cited, &SearchOptions::new()).unwrap();
    }
    drop(index);
    assert_eq!(listing(&f.index), before);
}
