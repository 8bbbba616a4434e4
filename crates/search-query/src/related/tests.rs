use super::*;

fn word(term: &str) -> Word {
    Word {
        term: term.to_string(),
        simple: true,
        stop: false,
        quoted: false,
        name: false,
    }
}

#[test]
fn quotes_are_found_straight_curly_and_as_guillemets() {
    let text = r#"described as "very useful" and “constructive” or «utile»"#;
    let spans: Vec<&str> = quoted_spans(text).into_iter().map(|r| &text[r]).collect();
    assert_eq!(spans, vec!["very useful", "constructive", "utile"]);
    // An unclosed quote quotes nothing.
    assert!(quoted_spans(r#"he said "nothing"#).is_empty());
}

#[test]
fn a_name_is_a_capital_inside_a_sentence() {
    let mut analyzer = search_core::news_analyzer(search_core::StemLanguage::English);
    // A sentence opens after a full stop, and after an opening quote there.
    let text = "Top Kremlin aide Yuri Ushakov spoke. \"Talks went well.\" (Then) no.";
    let names: Vec<String> = words(&mut analyzer, text)
        .into_iter()
        .filter(|w| w.name)
        .map(|w| w.term)
        .collect();
    assert_eq!(names, vec!["kremlin", "yuri", "ushakov"]);
}

#[test]
fn terms_no_other_passage_holds_are_left_out_and_quotes_and_names_weigh_more() {
    let words = vec![
        Word {
            quoted: true,
            ..word("useful")
        },
        Word {
            name: true,
            ..word("ushakov")
        },
        word("meet"),
        word("meet"),
        word("alone"),
        Word {
            stop: true,
            ..word("the")
        },
    ];
    let df = |term: &str| Ok(if term == "alone" { 1 } else { 3 });
    let terms = select_terms(&[(words, false)], 100, df).unwrap();
    let weight = |t: &str| terms.iter().find(|q| q.term == t).map(|q| q.weight);
    assert_eq!(weight("alone"), None);
    assert_eq!(weight("the"), None);
    assert_eq!(weight("useful"), Some(QUOTED));
    assert_eq!(weight("ushakov"), Some(NAME));
    assert_eq!(weight("meet"), Some(1.0 + 2f32.ln()));
    // Most informative first (the same idf here: by weight).
    let order: Vec<&str> = terms.iter().map(|t| t.term.as_str()).collect();
    assert_eq!(order, vec!["ushakov", "meet", "useful"]);
}

#[test]
fn at_most_max_terms_are_kept_first_by_weight_then_by_place() {
    let words: Vec<Word> = (0..MAX_TERMS + 5).map(|i| word(&format!("w{i}"))).collect();
    let terms = select_terms(&[(words, false)], 100, |_| Ok(2)).unwrap();
    assert_eq!(terms.len(), MAX_TERMS);
    assert_eq!(terms[0].term, "w0");
    assert_eq!(terms[MAX_TERMS - 1].term, format!("w{}", MAX_TERMS - 1));
}

fn citation(path: &str, doc_id: &str, line: u64) -> Citation {
    Citation {
        doc_id: doc_id.to_string(),
        title: None,
        source: None,
        path: path.to_string(),
        paragraph: line,
        line,
        byte_start: line as usize * 100,
        byte_end: line as usize * 100 + 50,
        part: None,
        date: None,
        url: None,
        author: None,
        authors: None,
    }
}

fn hit(citation: Citation) -> Hit {
    Hit {
        rank: 0,
        score: 1.0,
        text: String::new(),
        highlights: Vec::new(),
        citation,
        boilerplate: false,
        stale: false,
        explanation: None,
        copies: None,
        sources: None,
    }
}

#[test]
fn the_cited_article_and_the_copies_are_never_hits() {
    let cited = citation("a.txt", "a", 3);
    let copy = citation("c.jsonl", "c1", 1);
    let hits = vec![
        hit(citation("a.txt", "a", 5)),
        hit(copy.clone()),
        hit(citation("b.txt", "b", 2)),
        // The same id in another file is another article.
        hit(citation("b/a.txt", "a", 4)),
        // Another passage of the copy's article is not a copy.
        hit(citation("c.jsonl", "c1", 2)),
    ];
    let kept = others(hits.clone(), &cited, &[copy], 0, 10);
    let places: Vec<(&str, u64, usize)> = kept
        .iter()
        .map(|h| (h.citation.path.as_str(), h.citation.line, h.rank))
        .collect();
    assert_eq!(
        places,
        vec![("b.txt", 2, 1), ("b/a.txt", 4, 2), ("c.jsonl", 2, 3)]
    );
    // A page: ranked from offset + 1.
    let page = others(hits, &cited, &[], 1, 2);
    let places: Vec<(&str, usize)> = page
        .iter()
        .map(|h| (h.citation.path.as_str(), h.rank))
        .collect();
    assert_eq!(places, vec![("b.txt", 2), ("b/a.txt", 3)]);
}
