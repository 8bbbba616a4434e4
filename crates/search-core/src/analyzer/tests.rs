use super::*;

fn terms(text: &str) -> Vec<String> {
    let mut analyzer = news_analyzer(StemLanguage::English);
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while let Some(token) = stream.next() {
        out.push(token.text.clone());
    }
    out
}

fn tokens(text: &str) -> Vec<(String, usize, usize, usize, usize)> {
    let mut analyzer = news_analyzer(StemLanguage::English);
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while let Some(t) = stream.next() {
        out.push((
            t.text.clone(),
            t.position,
            t.position_length,
            t.offset_from,
            t.offset_to,
        ));
    }
    out
}

#[test]
fn case_and_diacritics_fold_alike() {
    assert_eq!(terms("Zelensky"), terms("ZELENSKY"));
    assert_eq!(terms("Zelensky"), terms("Zelénsky"));
}

#[test]
fn possessives_match_the_bare_word_with_either_apostrophe() {
    assert_eq!(terms("Kushner's"), terms("Kushner"));
    assert_eq!(terms("Ukraine’s"), terms("Ukraine"));
    assert_eq!(terms("Ukraine's"), terms("Ukraine’s"));
}

#[test]
fn dotted_acronym_matches_plain() {
    assert_eq!(terms("U.S."), terms("US"));
    assert_eq!(terms("the U.S. envoy"), terms("the US envoy"));
}

#[test]
fn numbers_keep_their_dots() {
    assert_eq!(terms("3.5 percent")[0], "3.5");
}

#[test]
fn hyphenated_compounds_yield_parts_and_whole() {
    let t = tokens("U.S.-Russia talks");
    // whole first, spanning both positions, then the parts.
    assert_eq!(t[0], ("usrussia".into(), 0, 2, 0, 11));
    assert_eq!(t[1], ("us".into(), 0, 1, 0, 4));
    assert_eq!(t[2], ("russia".into(), 1, 1, 5, 11));
    assert_eq!(t[3].0, "talk");
    assert_eq!(t[3].1, 2);
    let t = terms("a 28-point plan");
    assert!(t.contains(&"28point".to_string()), "{t:?}");
    assert!(t.contains(&"28".to_string()));
    assert!(t.contains(&"point".to_string()));
}

#[test]
fn stemming_joins_inflections() {
    assert_eq!(terms("negotiating"), terms("negotiations"));
}

#[test]
fn french_words_stay_whole_and_fold() {
    let t = terms("écrivaine britannique née à Walton-on-Thames");
    assert!(t.iter().any(|w| w.starts_with("ecrivain")), "{t:?}");
    assert!(t.contains(&"nee".to_string()), "{t:?}");
    assert!(t.contains(&"a".to_string()), "{t:?}");
    // no token is cut inside a word at an accent
    assert!(!t.iter().any(|w| w == "crivain" || w == "e"), "{t:?}");
}

#[test]
fn elision_yields_the_word() {
    let t = terms("l'homme");
    assert!(
        t.contains(&"homm".to_string()) || t.contains(&"homme".to_string()),
        "{t:?}"
    );
}

#[test]
fn offsets_point_at_the_source_words() {
    let text = "Witkoff and Kushner’s visit";
    for (_, _, _, from, to) in tokens(text) {
        assert!(text.is_char_boundary(from) && text.is_char_boundary(to));
    }
    let t = tokens(text);
    let kushner = t.iter().find(|t| t.0 == "kushner").unwrap();
    assert_eq!(&text[kushner.3..kushner.4], "Kushner");
}

#[test]
fn punctuation_only_text_has_no_tokens() {
    assert!(terms(" -- ... !!").is_empty());
    assert!(terms("").is_empty());
}

#[test]
fn cached_stems_equal_tantivy_stemmer_output() {
    use tantivy::tokenizer::{Language, SimpleTokenizer, Stemmer};
    let text = "negotiations negotiating negotiators negotiations assets asset's running runs ran \
                généralement nationalisation nationalisation";
    let mut ours = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(CachedStemmer::new(Algorithm::English))
        .build();
    let mut reference = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(Stemmer::new(Language::English))
        .build();
    let collect = |a: &mut TextAnalyzer| {
        let mut stream = a.token_stream(text);
        let mut out = Vec::new();
        while let Some(t) = stream.next() {
            out.push(t.text.clone());
        }
        out
    };
    // Twice: the second pass is served from the cache.
    assert_eq!(collect(&mut ours), collect(&mut reference));
    assert_eq!(collect(&mut ours), collect(&mut reference));
}

/// The reference: the same tokenizer over unicode-segmentation's segments only.
fn reference_tokens(text: &str) -> Vec<Token> {
    let segments: Vec<(usize, usize)> = text
        .split_word_bound_indices()
        .map(|(i, s)| (i, i + s.len()))
        .collect();
    let mut buffer = TokenBuffer::default();
    tokenize_segments(text, &segments, &mut Vec::new(), &mut buffer);
    buffer.slots.truncate(buffer.len);
    buffer.slots
}

fn fast_tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    tokenize_into(text, &mut out);
    out
}

#[test]
fn ascii_fast_path_agrees_with_unicode_segmentation() {
    const ALPHABET: &[&str] = &[
        "a", "b", "Z", "q", "1", "9", "0", "_", ".", ",", ":", ";", "'", "-", "\"", " ", " ", "\n",
        "\t", "\r\n", "é", "’", "—", "\u{301}", "中", "(", "$", "U.S.", "e.g.", "3.5", "1,000",
        "don't", "k:a", "--",
    ];
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        // splitmix64
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    for case in 0..20_000 {
        let len = (next() % 24) as usize;
        let text: String = (0..len)
            .map(|_| ALPHABET[(next() % ALPHABET.len() as u64) as usize])
            .collect();
        assert_eq!(
            fast_tokens(&text),
            reference_tokens(&text),
            "case {case}: {text:?}"
        );
    }
}

#[test]
fn ascii_segments_match_uax29_exactly() {
    for text in [
        "U.S.-Russia talks",
        "k:a 3.5 1,000;2 don't _x_ a_1 rock'n'roll",
        "a.b. c..d ''x 9'9",
    ] {
        let mut fast = Vec::new();
        ascii_word_bounds(text.as_bytes(), 0, &mut fast);
        // Compare within white-space-free chunks only: the fast path groups white space.
        let reference: Vec<(usize, usize)> = text
            .split_word_bound_indices()
            .map(|(i, s)| (i, i + s.len()))
            .collect();
        let words = |v: &[(usize, usize)]| -> Vec<(usize, usize)> {
            v.iter()
                .copied()
                .filter(|&(a, b)| !text[a..b].trim().is_empty())
                .collect()
        };
        assert_eq!(words(&fast), words(&reference), "{text}");
    }
}

#[test]
fn a_reused_analyzer_gives_the_same_tokens_as_a_fresh_one() {
    let texts = [
        "U.S.-Russia talks on the 28-point plan",
        "a",
        "",
        "Kushner’s visit, l'homme, rock'n'roll and négociations",
        "short",
    ];
    let mut reused = news_analyzer(StemLanguage::English);
    for text in texts {
        let collect = |a: &mut TextAnalyzer| {
            let mut stream = a.token_stream(text);
            let mut out = Vec::new();
            while let Some(t) = stream.next() {
                out.push(t.clone());
            }
            out
        };
        let fresh = collect(&mut news_analyzer(StemLanguage::English));
        assert_eq!(collect(&mut reused), fresh, "{text}");
    }
}
