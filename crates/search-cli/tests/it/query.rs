//! `search query`: ranking, citations, typo tolerance, analysis, query syntax,
//! boilerplate, output formats and colour.

use serde_json::{json, Value};

use crate::util::{
    assert_citation_holds, assert_json_shape, cited, cited_u64, doc_id, highlighted, hits,
    seed_questions, text, Sandbox, NEWSMAX_DOC, UKRAINE_DOC, UKRAINE_PATH, UKRAINE_TITLE,
};

#[test]
fn frozen_assets_ranks_the_frozen_russian_assets_paragraph_first() {
    let sb = Sandbox::indexed();
    let results = sb.query_json("frozen assets", &[]);
    let top = &hits(&results)[0];
    assert!(
        text(top).contains("the use of frozen Russian assets"),
        "top hit: {top}"
    );
    assert_eq!(cited(top, "path"), UKRAINE_PATH);
    assert_eq!(cited_u64(top, "line"), 8);
    assert_eq!(cited_u64(top, "paragraph"), 6);
}

#[test]
fn every_seed_question_finds_its_passage_within_top_k() {
    let sb = Sandbox::indexed();
    for q in seed_questions() {
        let results = sb.query_json(&q.query, &[]);
        let top_k: Vec<&str> = hits(&results).iter().take(q.k).map(text).collect();
        assert!(
            top_k
                .iter()
                .any(|t| q.accepted.iter().any(|a| t.contains(a.as_str()))),
            "query {:?}: none of the top {} hits contains any of {:?}; got {top_k:#?}",
            q.query,
            q.k,
            q.accepted
        );
    }
}

#[test]
fn every_hit_cites_the_exact_source_bytes_and_valid_highlights() {
    let sb = Sandbox::indexed();
    let mut queries: Vec<String> = seed_questions().into_iter().map(|q| q.query).collect();
    queries.extend(
        [
            "negotiating",
            "Witkof",
            "US-Russia",
            "Kushner’s",
            "Zelénsky",
            "© Newsmax",
            "on us — on our independence",
        ]
        .map(String::from),
    );
    for query in &queries {
        let results = sb.query_json(query, &["--limit", "30"]);
        assert!(!hits(&results).is_empty(), "query {query:?} found nothing");
        for hit in hits(&results) {
            assert_citation_holds(sb.path(), hit);
        }
    }
}

#[test]
fn stemmed_matches_are_highlighted() {
    let sb = Sandbox::indexed();
    let results = sb.query_json("negotiating", &["--limit", "30"]);
    let hit = hits(&results)
        .iter()
        .find(|h| text(h).contains("U.S.-Russia negotiations"))
        .expect("`negotiating` finds the paragraph about U.S.-Russia negotiations");
    let marked = highlighted(hit);
    assert!(
        marked.iter().any(|m| m.contains("negotiations")),
        "`negotiations` is not highlighted: {marked:?}"
    );
}

#[test]
fn a_misspelled_name_finds_the_right_spelling_and_says_so() {
    let sb = Sandbox::indexed();
    let run = sb.ok(&["query", "Witkof"]);
    let note = run
        .stderr
        .lines()
        .find(|l| l.starts_with("note:"))
        .unwrap_or_else(|| panic!("no `note:` line:\n{run:?}"));
    assert!(note.contains("searched also for Witkoff"), "note: {note}");
    assert!(run.stdout.contains("Witkoff"), "{run:?}");

    let results = sb.query_json("Witkof", &[]);
    assert_eq!(
        results["corrections"],
        json!([{"word": "Witkof", "replacement": "witkoff", "surface": "Witkoff"}])
    );
    assert!(!hits(&results).is_empty());
    for hit in hits(&results) {
        assert!(text(hit).contains("Witkoff"), "hit without Witkoff: {hit}");
    }
}

#[test]
fn no_typos_turns_spelling_correction_off() {
    let sb = Sandbox::indexed();
    let run = sb.run(&["query", "Witkof", "--no-typos"], 1);
    assert!(!run.stderr.contains("note:"), "{run:?}");
    let results = sb.query_json("Witkof", &["--no-typos"]);
    assert!(hits(&results).is_empty(), "{results}");
    assert!(results.get("corrections").is_none(), "{results}");
}

/// The citation of a query's best hit, to compare queries by their top answer.
fn top_citation(sb: &Sandbox, query: &str) -> Value {
    let results = sb.query_json(query, &[]);
    let top = hits(&results)
        .first()
        .unwrap_or_else(|| panic!("query {query:?} found nothing"));
    top["citation"].clone()
}

#[test]
fn accents_and_case_do_not_change_the_top_hit() {
    let sb = Sandbox::indexed();
    let plain = top_citation(&sb, "Zelensky");
    for variant in ["Zelénsky", "ZELENSKY", "zelensky"] {
        assert_eq!(top_citation(&sb, variant), plain, "query {variant:?}");
    }
}

#[test]
fn a_curly_apostrophe_possessive_finds_the_name() {
    let sb = Sandbox::indexed();
    let results = sb.query_json("Kushner’s", &[]);
    assert!(!hits(&results).is_empty(), "{results}");
    for hit in hits(&results) {
        assert!(text(hit).contains("Kushner"), "hit without Kushner: {hit}");
        assert!(
            highlighted(hit).iter().any(|m| m.starts_with("Kushner")),
            "Kushner not highlighted in {hit}"
        );
    }
}

#[test]
fn hyphenated_and_dotted_compounds_find_their_paragraph() {
    let sb = Sandbox::indexed();
    for query in ["US-Russia", "U.S.-Russia", "us-russia"] {
        let results = sb.query_json(query, &[]);
        let top = &hits(&results)[0];
        assert!(
            text(top).contains("U.S.-Russia negotiations"),
            "query {query:?}: top hit is {top}"
        );
        assert!(
            highlighted(top).contains(&"U.S.-Russia"),
            "query {query:?}: the compound is not highlighted whole in {top}"
        );
    }
}

#[test]
fn a_number_compound_finds_its_paragraph() {
    let sb = Sandbox::indexed();
    let results = sb.query_json("28-point", &[]);
    assert!(
        text(&hits(&results)[0]).contains("28-point plan"),
        "{results}"
    );
}

#[test]
fn a_quoted_phrase_only_matches_the_phrase() {
    let sb = Sandbox::indexed();
    let results = sb.query_json("\"peace deal\"", &[]);
    assert!(
        text(&hits(&results)[0]).contains("a peace deal"),
        "{results}"
    );
    for hit in hits(&results) {
        assert!(
            text(hit).to_lowercase().contains("peace deal"),
            "hit without the phrase: {hit}"
        );
    }
}

#[test]
fn an_excluded_word_never_appears_in_hits() {
    let sb = Sandbox::indexed();
    let with = sb.query_json("Miami", &["--limit", "50"]);
    assert!(
        hits(&with).iter().any(|h| text(h).contains("Moscow")),
        "the test needs a Miami passage that mentions Moscow"
    );
    let without = sb.query_json("Miami -Moscow", &["--limit", "50"]);
    assert!(!hits(&without).is_empty(), "{without}");
    for hit in hits(&without) {
        assert!(!text(hit).contains("Moscow"), "excluded word in {hit}");
    }
}

#[test]
fn an_excluded_phrase_never_appears_in_hits() {
    let sb = Sandbox::indexed();
    for query in ["Miami -\"peace deal\"", "-\"peace deal\""] {
        let results = sb.query_json(query, &["--limit", "50"]);
        assert!(!hits(&results).is_empty(), "query {query:?}: {results}");
        for hit in hits(&results) {
            assert!(
                !text(hit).contains("peace deal"),
                "query {query:?}: excluded phrase in {hit}"
            );
        }
    }
}

#[test]
fn a_required_word_appears_in_every_hit() {
    let sb = Sandbox::indexed();
    let results = sb.query_json("+Umerov Miami", &["--limit", "50"]);
    assert!(!hits(&results).is_empty(), "{results}");
    for hit in hits(&results) {
        assert!(text(hit).contains("Umerov"), "hit without Umerov: {hit}");
    }
}

/// The set of articles a query's hits come from.
fn articles_of(sb: &Sandbox, query: &str) -> Vec<String> {
    let results = sb.query_json(query, &["--limit", "50"]);
    let mut ids: Vec<String> = hits(&results).iter().map(|h| doc_id(h).into()).collect();
    ids.sort();
    ids.dedup();
    ids
}

#[test]
fn field_queries_restrict_hits_to_matching_articles() {
    let sb = Sandbox::indexed();
    assert_eq!(articles_of(&sb, "title:Ukraine"), [UKRAINE_DOC]);
    assert_eq!(articles_of(&sb, "source:Newsmax"), [NEWSMAX_DOC]);
    assert_eq!(
        articles_of(&sb, &format!("id:{NEWSMAX_DOC}")),
        [NEWSMAX_DOC]
    );
    assert_eq!(
        articles_of(&sb, &format!("id:{UKRAINE_DOC}")),
        [UKRAINE_DOC]
    );
}

#[test]
fn malformed_queries_degrade_with_a_warning_instead_of_failing() {
    let sb = Sandbox::indexed();
    for query in ["peace \"deal", "byline:Smith Miami"] {
        let run = sb.query_run(query, "text", &[]);
        assert!(
            run.stderr.lines().any(|l| l.starts_with("warning:")),
            "query {query:?}: no warning:\n{run:?}"
        );
        let results = sb.query_json(query, &[]);
        assert!(
            results["warnings"]
                .as_array()
                .is_some_and(|w| !w.is_empty()),
            "query {query:?}: no warnings in JSON: {results}"
        );
    }
}

#[test]
fn boilerplate_is_flagged_and_ranked_after_real_paragraphs() {
    let sb = Sandbox::indexed();
    for query in ["report", "contributed", "updated", "Newsmax"] {
        let results = sb.query_json(query, &["--limit", "50"]);
        let flags: Vec<bool> = hits(&results)
            .iter()
            .map(|h| h["boilerplate"].as_bool().expect("boilerplate is a bool"))
            .collect();
        assert!(
            flags.windows(2).all(|w| w[0] <= w[1]),
            "query {query:?}: boilerplate ranks above a real paragraph: {flags:?}"
        );
        for hit in hits(&results) {
            let t = text(hit);
            if t == "Reuters contributed to this report."
                || t.starts_with("Editor's note")
                || t.starts_with('©')
            {
                assert_eq!(hit["boilerplate"], json!(true), "not flagged: {hit}");
            }
        }
    }
    let report = sb.query_json("report", &[]);
    assert!(
        hits(&report)
            .iter()
            .any(|h| h["boilerplate"] == json!(false)),
        "`report` should find real paragraphs too: {report}"
    );
}

#[test]
fn per_article_returns_at_most_one_hit_per_article() {
    let sb = Sandbox::indexed();
    let results = sb.query_json("Miami", &["--per-article"]);
    let ids: Vec<&str> = hits(&results).iter().map(doc_id).collect();
    assert_eq!(ids.len(), 2, "both seed articles mention Miami: {ids:?}");
    assert_ne!(ids[0], ids[1]);
}

#[test]
fn limit_caps_the_number_of_hits() {
    let sb = Sandbox::indexed();
    let results = sb.query_json("Miami", &["--limit", "3"]);
    let ranks: Vec<u64> = hits(&results)
        .iter()
        .map(|h| h["rank"].as_u64().unwrap())
        .collect();
    assert_eq!(ranks, [1, 2, 3]);
    assert!(
        results.get("total_matches").is_none(),
        "counted without --count"
    );
    let counted = sb.query_json("Miami", &["--limit", "3", "--count"]);
    assert!(counted["total_matches"].as_u64().unwrap() > 3, "{counted}");
}

#[test]
fn jsonl_prints_the_same_hits_as_json_one_per_line() {
    let sb = Sandbox::indexed();
    let json = sb.query_json("Miami", &[]);
    let run = sb.query_run("Miami", "jsonl", &[]);
    let lines: Vec<Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is one JSON object"))
        .collect();
    assert_eq!(lines, hits(&json));
}

#[test]
fn json_output_has_the_documented_shape() {
    let sb = Sandbox::indexed();
    assert_json_shape("frozen_assets", sb.query_json("frozen assets", &[]));
    // One passage matches, so the hit shown does not depend on ranking weights.
    assert_json_shape("misspelled_name", sb.query_json("Ushakow", &[]));
}

#[test]
fn text_output_shows_rank_title_location_and_paragraph() {
    let sb = Sandbox::indexed();
    let run = sb.ok(&["query", "frozen assets"]);
    let first = run.stdout.lines().next().unwrap_or_default();
    assert!(
        first.starts_with(&format!("1. {UKRAINE_TITLE}")),
        "first line: {first:?}"
    );
    assert!(run.stdout.contains(&format!("{UKRAINE_PATH}:8")), "{run:?}");
    assert!(run.stdout.contains("¶6"), "{run:?}");
    assert!(
        run.stdout.contains("the use of frozen Russian assets"),
        "{run:?}"
    );
}

#[test]
fn text_output_is_plain_when_not_a_terminal() {
    let sb = Sandbox::indexed();
    let run = sb.ok(&["query", "frozen assets"]);
    assert!(!run.stdout.contains('\x1b'), "{run:?}");
}

#[test]
fn color_always_adds_ansi_styles() {
    let sb = Sandbox::indexed();
    let run = sb.ok(&["query", "frozen assets", "--color", "always"]);
    assert!(run.stdout.contains('\x1b'), "{run:?}");
    let never = sb.ok(&["query", "frozen assets", "--color", "never"]);
    assert!(!never.stdout.contains('\x1b'), "{never:?}");
}

#[test]
fn no_color_env_turns_auto_colour_off() {
    let sb = Sandbox::indexed();
    let out = sb
        .search()
        .env("NO_COLOR", "1")
        .args(["query", "frozen assets", "--color", "auto"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    assert!(!out.contains(&0x1b), "{}", String::from_utf8_lossy(&out));
}
