//! `search related`: passages of other articles that state what a cited passage
//! states, through the real binary.

use serde_json::Value;

use crate::util::{
    assert_citation_holds, doc_id, hits, text, Sandbox, NEWSMAX_DOC, UKRAINE_DOC, UKRAINE_PATH,
    UKRAINE_TITLE,
};

/// The Ushakov paragraph: "Top Kremlin aide Yuri Ushakov … 'very useful,
/// constructive'".
const USHAKOV: &str = "seeds/000_792c1fc0d0c2a89d.txt:10";
/// What the Newsmax article's paragraph that states the same says.
const KREMLIN_OFFICIALS: &str =
    "described by Kremlin officials as \"useful\" and \"constructive,\"";

/// `search related --format json EXTRA CITATION`, expecting success.
fn related_json(sb: &Sandbox, citation: &str, extra: &[&str]) -> Value {
    let mut args = vec!["related", "--format", "json"];
    args.extend_from_slice(extra);
    args.push(citation);
    let run = sb.ok(&args);
    serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("{citation}: stdout is not JSON ({e}):\n{run:?}"))
}

#[test]
fn the_ushakov_paragraph_finds_the_kremlin_officials_paragraph_first_or_second() {
    let sb = Sandbox::indexed();
    let run = sb.ok(&["related", USHAKOV]);
    let blocks: Vec<&str> = run.stdout.split("\n\n").collect();
    // The cited passage first: title, citation, text.
    let cited: Vec<&str> = blocks[0].lines().collect();
    assert_eq!(cited[0], UKRAINE_TITLE, "{run:?}");
    assert_eq!(cited[1], format!("   {USHAKOV} ¶8  id {UKRAINE_DOC}"));
    assert!(
        cited[2].starts_with("   Top Kremlin aide Yuri Ushakov"),
        "{run:?}"
    );
    // Then the hits, as `search query` prints them.
    let first_two = &blocks[1..3];
    assert!(
        first_two[0].starts_with("1. (untitled)  [score "),
        "{run:?}"
    );
    assert!(first_two[1].starts_with("2. "), "{run:?}");
    assert!(
        first_two.iter().any(|b| b.contains(KREMLIN_OFFICIALS)),
        "the Kremlin officials' paragraph is not first or second:\n{run:?}"
    );
    assert!(
        first_two.iter().any(|b| b.contains(&format!(
            "seeds/003_43941a50b73b53ea.txt:9 ¶9  id {NEWSMAX_DOC}"
        ))),
        "{run:?}"
    );
    assert!(!run.stdout.contains("copies:"), "{run:?}");
}

#[test]
fn json_has_the_passage_its_copies_and_the_hits_in_the_query_contract() {
    let sb = Sandbox::indexed();
    let related = related_json(&sb, USHAKOV, &[]);
    let object = related.as_object().expect("one JSON object");
    let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, vec!["copies", "hits", "passage"]);
    assert_eq!(related["copies"], serde_json::json!([]));
    let passage = &related["passage"];
    assert_eq!(passage["citation"]["path"], UKRAINE_PATH);
    assert_eq!(passage["citation"]["line"], 10);
    assert_eq!(passage["rank"], 0);
    assert_citation_holds(sb.path(), passage);
    let hits = hits(&related);
    assert!(!hits.is_empty() && hits.len() <= 10, "{related}");
    let at = hits
        .iter()
        .position(|h| text(h).contains(KREMLIN_OFFICIALS))
        .expect("the Kremlin officials' paragraph is a hit");
    assert!(at < 2, "rank {}", at + 1);
    // Hits are `search query`'s hits: the same fields.
    let query = sb.query_json("Kremlin", &[]);
    let fields = |hit: &Value| {
        let mut keys: Vec<String> = hit.as_object().unwrap().keys().cloned().collect();
        keys.sort();
        keys
    };
    let query_hit = &crate::util::hits(&query)[0];
    for (rank, hit) in hits.iter().enumerate() {
        assert_eq!(fields(hit), fields(query_hit));
        assert_eq!(hit["rank"], rank + 1);
        assert_ne!(doc_id(hit), UKRAINE_DOC, "a passage of the cited article");
        assert_citation_holds(sb.path(), hit);
    }
    // The same passage by article id and paragraph: the same answer.
    let by_id = related_json(&sb, &format!("{UKRAINE_DOC}#8"), &[]);
    assert_eq!(by_id, related);
    let one = related_json(&sb, USHAKOV, &["--limit", "1"]);
    assert_eq!(crate::util::hits(&one), &hits[..1]);
}

#[test]
fn a_bad_citation_is_refused_as_show_refuses_it() {
    let sb = Sandbox::indexed();
    for bogus in ["bogus", "seeds/000_792c1fc0d0c2a89d.txt:0"] {
        let run = sb.run(&["related", bogus], 2);
        assert!(run.stderr.contains("not a citation"), "{run:?}");
        assert!(run.stdout.is_empty(), "{run:?}");
    }
    for missing in [
        "000_792c1fc0d0c2a89d#999",
        "no_such_article#1",
        "seeds/000_792c1fc0d0c2a89d.txt:1",
        "seeds/missing.txt:3",
    ] {
        let related = sb.run(&["related", missing], 8);
        let show = sb.run(&["show", missing], 8);
        assert_eq!(related.stderr, show.stderr, "{missing}");
        assert!(related.stderr.starts_with("search: "), "{related:?}");
        assert!(related.stdout.is_empty(), "{related:?}");
    }
}

#[test]
fn help_explains_the_command() {
    let sb = Sandbox::empty();
    let run = sb.ok(&["related", "--help"]);
    for wanted in [
        "search related [OPTIONS] <CITATION>",
        "--index <DIR>",
        "--limit <N>",
        "--format <FORMAT>",
        "copies",
    ] {
        assert!(run.stdout.contains(wanted), "{wanted}:\n{}", run.stdout);
    }
    let top = sb.ok(&["--help"]);
    assert!(top.stdout.contains("related"), "{}", top.stdout);
}

#[test]
fn related_builds_the_seed_index_on_first_use_and_never_writes_to_it_after() {
    let sb = Sandbox::with_seeds();
    sb.ok(&["related", USHAKOV]);
    let before = sb.snapshot("index");
    sb.ok(&["related", USHAKOV, "--format", "json"]);
    sb.ok(&["related", &format!("{NEWSMAX_DOC}#9")]);
    assert_eq!(sb.snapshot("index"), before);
}
