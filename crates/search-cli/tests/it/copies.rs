//! Copy groups through the binary: a wire story republished by two other outlets
//! (a word changed per paragraph, a new title and a credit line) is one hit per
//! paragraph with `--collapse`, carrying its copies' citations (which hold byte for
//! byte) and the group's outlets; an article quoting one paragraph is not a copy;
//! boilerplate never groups; an update that removes a copy answers like a rebuild;
//! `search stats` counts the groups.

use serde_json::Value;

use crate::util::{assert_citation_holds, cited, hits, text, Sandbox};

const PARAGRAPHS: [&str; 3] = [
    "European leaders meeting in Brussels agreed on Thursday to use the frozen Russian assets to fund a loan to Ukraine.",
    "The Belgian clearing house Euroclear holds most of the assets, and Belgium had asked for guarantees against legal risk.",
    "Officials said the first payments could be made early next year if the remaining national parliaments approve the plan.",
];

/// An article of `paragraphs` with a front matter naming `source`.
fn article(title: &str, source: &str, paragraphs: &[String]) -> String {
    format!(
        "---\ntitle: {title}\nsource: {source}\ndate: 2025-12-04\n---\n{}\n",
        paragraphs.join("\n\n")
    )
}

/// `text` with its `nth` word replaced.
fn changed(text: &str, nth: usize) -> String {
    text.split(' ')
        .enumerate()
        .map(|(i, w)| if i == nth { "reportedly" } else { w })
        .collect::<Vec<_>>()
        .join(" ")
}

fn wire(sb: &Sandbox) {
    let original: Vec<String> = PARAGRAPHS.iter().map(|p| p.to_string()).collect();
    let copy = |nth: usize, credit: &str| -> Vec<String> {
        let mut ps: Vec<String> = PARAGRAPHS.iter().map(|p| changed(p, nth)).collect();
        ps.push(credit.to_string());
        ps
    };
    let files = [
        ("corpus/reuters.md", article("EU agrees to tap frozen assets", "Reuters", &original)),
        (
            "corpus/ap.md",
            article("Frozen assets to fund Ukraine loan", "AP", &copy(4, "Reporting by Reuters.")),
        ),
        (
            "corpus/yahoo.md",
            article("EU deal on Russian assets", "Yahoo News", &copy(9, "Source: Reuters.")),
        ),
        (
            "corpus/quote.md",
            article(
                "Markets shrug",
                "Daily Ledger",
                &[
                    format!("As Reuters reported, \"{}\"", PARAGRAPHS[0]),
                    "Traders in London said the decision had been expected for weeks and moved few prices.".to_string(),
                ],
            ),
        ),
    ];
    for (name, content) in files {
        sb.write(name, &content);
    }
}

fn query(sb: &Sandbox, words: &str, extra: &[&str]) -> Value {
    let out = sb
        .search()
        .args(["query", words, "--format", "json", "--limit", "10"])
        .args(extra)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn index(sb: &Sandbox, extra: &[&str]) {
    sb.search()
        .args(["index", "corpus"])
        .args(extra)
        .assert()
        .success();
}

#[test]
fn collapse_folds_syndicated_copies_into_one_hit_with_their_citations() {
    let sb = Sandbox::empty();
    wire(&sb);
    index(&sb, &[]);
    let plain = query(&sb, "Euroclear Belgian clearing house guarantees", &[]);
    let euroclear = |r: &Value| {
        hits(r)
            .iter()
            .filter(|h| text(h).contains("clearing house"))
            .count()
    };
    assert_eq!(euroclear(&plain), 3, "{plain}");
    assert!(hits(&plain)[0].get("copies").is_none());

    let folded = query(
        &sb,
        "Euroclear Belgian clearing house guarantees",
        &["--collapse"],
    );
    assert_eq!(euroclear(&folded), 1, "{folded}");
    let hit = &hits(&folded)[0];
    assert!(text(hit).contains("clearing house"));
    let copies = hit["copies"].as_array().unwrap();
    assert_eq!(copies.len(), 2, "{hit}");
    let mut sources: Vec<&str> = hit["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert_eq!(sources[0], cited(hit, "source"));
    sources.sort();
    assert_eq!(sources, ["AP", "Reuters", "Yahoo News"]);
    // Every copy's citation holds: its bytes are a passage that says the same.
    for copy in copies {
        let path = sb.join(copy["path"].as_str().unwrap());
        let bytes = std::fs::read(path).unwrap();
        let range = copy["byte_start"].as_u64().unwrap() as usize
            ..copy["byte_end"].as_u64().unwrap() as usize;
        let cited = String::from_utf8_lossy(&bytes[range]);
        assert!(cited.contains("clearing house"), "{cited}");
        assert_ne!(copy["path"], hit["citation"]["path"]);
    }
    assert_citation_holds(sb.path(), hit);
    // Hits without copies carry empty lists when collapsing.
    let quote = query(&sb, "Traders London decision expected", &["--collapse"]);
    assert_eq!(hits(&quote)[0]["copies"], serde_json::json!([]));

    // Text output names the other outlets.
    let out = sb
        .search()
        .args(["query", "Euroclear Belgian clearing house", "--collapse"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let shown = String::from_utf8(out.stdout).unwrap();
    assert!(shown.contains("also in: "), "{shown}");
    assert_eq!(shown.matches("clearing house").count(), 1, "{shown}");
}

#[test]
fn a_quoted_paragraph_and_credit_lines_are_not_copies() {
    let sb = Sandbox::empty();
    wire(&sb);
    index(&sb, &[]);
    let folded = query(
        &sb,
        "European leaders Brussels frozen Russian assets loan",
        &["--collapse"],
    );
    let quote = hits(&folded)
        .iter()
        .find(|h| cited(h, "path").ends_with("quote.md"))
        .unwrap_or_else(|| panic!("the quoting article is its own hit: {folded}"));
    assert_eq!(quote["copies"], serde_json::json!([]));
    let stats: Value = serde_json::from_slice(
        &sb.search()
            .args(["stats", "--format", "json"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    // Three paragraphs, each in three articles; the credit lines and the quote
    // stay out.
    assert_eq!(stats["copy_groups"], 3, "{stats}");
    assert_eq!(stats["largest_copy_group"], 3, "{stats}");
    assert_eq!(stats["copy_group_passages"], 9, "{stats}");
}

#[test]
fn removing_a_copy_updates_the_groups_like_a_rebuild() {
    let sb = Sandbox::empty();
    wire(&sb);
    index(&sb, &[]);
    std::fs::remove_file(sb.join("corpus/yahoo.md")).unwrap();
    index(&sb, &[]);
    let updated = query(&sb, "Euroclear Belgian clearing house", &["--collapse"]);
    index(&sb, &["--rebuild"]);
    let rebuilt = query(&sb, "Euroclear Belgian clearing house", &["--collapse"]);
    assert_eq!(hits(&updated)[0]["copies"], hits(&rebuilt)[0]["copies"]);
    assert_eq!(hits(&updated)[0]["sources"].as_array().unwrap().len(), 2);
    assert_eq!(hits(&updated)[0]["copies"].as_array().unwrap().len(), 1);
}

#[test]
fn without_groups_collapse_folds_nothing() {
    let sb = Sandbox::empty();
    wire(&sb);
    sb.search()
        .args(["index", "corpus"])
        .env("SEARCH_NO_COPY_GROUPS", "1")
        .assert()
        .success();
    let folded = query(
        &sb,
        "Euroclear Belgian clearing house guarantees",
        &["--collapse"],
    );
    assert_eq!(
        hits(&folded)
            .iter()
            .filter(|h| text(h).contains("clearing house"))
            .count(),
        3
    );
}

#[test]
fn related_shows_copies_as_copies_not_as_corroboration() {
    let sb = Sandbox::empty();
    wire(&sb);
    index(&sb, &[]);
    let out = sb
        .search()
        .args(["related", "corpus/reuters.md:8", "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let related: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(text(&related["passage"]).contains("clearing house"));
    let copies: Vec<&str> = related["copies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["path"].as_str().unwrap())
        .collect();
    assert_eq!(copies.len(), 2, "{related}");
    assert!(copies.contains(&"corpus/ap.md") && copies.contains(&"corpus/yahoo.md"));
    for hit in hits(&related) {
        assert!(
            !text(hit).contains("clearing house"),
            "a copy is listed as corroboration: {hit}"
        );
        assert_ne!(cited(hit, "path"), "corpus/reuters.md");
    }
}
