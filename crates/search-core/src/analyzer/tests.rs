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
    let mut rng = search_test_support::Rng::new(0x9E37_79B9_7F4A_7C15);
    let mut next = || rng.next_u64();
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

// Unicode normalisation: the analyzer folds canonically and compatibly equivalent
// spellings, case, diacritics and invisible characters to one term.

/// The (text, from, to) of each token, sliced out of the text it was cut from.
fn spans(text: &str) -> Vec<(String, &str)> {
    tokens(text)
        .into_iter()
        .map(|(term, _, _, from, to)| (term, &text[from..to]))
        .collect()
}

#[test]
fn decomposed_and_composed_accents_meet() {
    let nfd = "Zele\u{301}nsky";
    let nfc = "Zel\u{e9}nsky";
    assert_eq!(terms(nfd), terms("Zelensky"));
    assert_eq!(terms(nfd), terms(nfc));
    assert_eq!(terms(nfc), terms("zelensky"));
    assert_eq!(terms("ZELE\u{301}NSKY"), terms("Zelensky"));
}

#[test]
fn dotted_capital_i_folds_to_plain_i() {
    // Rust lower-cases U+0130 to "i\u{307}"; the dot must not stay behind.
    assert_eq!(terms("\u{130}STANBUL"), terms("istanbul"));
    assert_eq!(terms("\u{130}stanbul"), vec!["istanbul".to_string()]);
}

#[test]
fn soft_hyphens_and_other_invisible_characters_vanish() {
    assert_eq!(terms("nego\u{ad}tiations"), terms("negotiations"));
    // zero-width non-joiner and joiner, word joiner, left-to-right mark, BOM,
    // variation selector, combining grapheme joiner
    for invisible in [
        '\u{200c}', '\u{200d}', '\u{2060}', '\u{200e}', '\u{feff}', '\u{fe0f}', '\u{34f}',
    ] {
        let text = format!("Kre{invisible}mlin");
        assert_eq!(terms(&text), terms("Kremlin"), "{text:?}");
    }
}

#[test]
fn hebrew_points_and_arabic_harakat_fold_like_accents() {
    assert_eq!(terms("שָׁלוֹם"), terms("שלום"));
    assert_eq!(terms("שלום"), vec!["שלום".to_string()]);
    // kitab with harakat (fatha, sukun, kasra, fatha) / without
    assert_eq!(
        terms("\u{643}\u{650}\u{62a}\u{64e}\u{627}\u{628}"),
        terms("كتاب")
    );
    // shadda, tanwin and dagger alef too
    assert_eq!(terms("مُحَمَّدٌ"), terms("محمد"));
    assert_eq!(terms("هٰذا"), terms("هذا"));
    // Arabic presentation forms (compatibility characters) fold to the letters.
    assert_eq!(
        terms("\u{fee3}\u{fead}\u{fea3}\u{fe92}\u{fe8e}"),
        terms("مرحبا")
    );
}

#[test]
fn every_hebrew_and_arabic_mark_folds_away() {
    let marks = (0x0591..=0x05CFu32)
        .chain(0x0610..=0x061A)
        .chain(0x064B..=0x065F)
        .chain([0x0670])
        .chain(0x06D6..=0x06ED)
        .filter_map(char::from_u32)
        .filter(|&c| unicode_normalization::char::is_combining_mark(c));
    let mut count = 0;
    for mark in marks {
        let mut folded = String::new();
        fold(&format!("ב{mark}א"), &mut folded);
        assert_eq!(folded, "בא", "U+{:04X}", mark as u32);
        count += 1;
    }
    assert!(count > 80, "{count}");
}

#[test]
fn compatibility_forms_fold_nfkc() {
    // ligature, full-width, roman numeral, half-width katakana
    assert_eq!(terms("\u{fb01}nance"), terms("finance"));
    assert_eq!(terms("ＮＡＴＯ"), terms("NATO"));
    assert_eq!(terms("Louis \u{216b}"), terms("Louis XII"));
    assert_eq!(terms("ｶﾀｶﾅ"), terms("カタカナ"));
    // Greek: accents and the final sigma fold too.
    assert_eq!(terms("ΟΔΟΣ"), terms("οδός"));
}

#[test]
fn scripts_that_compose_stay_composed() {
    // NFKD splits Hangul syllables into jamo; the term is recomposed.
    assert_eq!(terms("서울"), vec!["서울".to_string()]);
    assert_eq!(
        terms("\u{1109}\u{1165}\u{110b}\u{116e}\u{11af}"),
        terms("서울")
    );
    // Devanagari vowel signs and viramas are letters of their script, not accents.
    assert_eq!(terms("दिल्ली"), vec!["दिल्ली".to_string()]);
    assert_ne!(terms("दिल्ली"), terms("दलल"));
}

#[test]
fn a_word_of_fillers_only_is_no_term() {
    // Hangul fillers are letters (so a word) but default-ignorable (so nothing).
    assert!(terms("\u{3164}").is_empty());
    assert_eq!(terms("a \u{3164} b"), terms("a b"));
}

#[test]
fn marks_and_soft_hyphens_stay_inside_the_word_uax29_wb4() {
    let text = "Zele\u{301}nsky met nego\u{ad}tiators in שָׁלוֹם Bay";
    let got = spans(text);
    let sources: Vec<&str> = got.iter().map(|(_, s)| *s).collect();
    assert!(sources.contains(&"Zele\u{301}nsky"), "{sources:?}");
    assert!(sources.contains(&"nego\u{ad}tiators"), "{sources:?}");
    assert!(sources.contains(&"שָׁלוֹם"), "{sources:?}");
    // Offsets cut the original (unnormalised) text; the terms are folded.
    for (term, source) in &got {
        if source.starts_with("Zele") {
            assert_eq!(term, "zelenski");
        }
    }
    assert!(got.iter().any(|(t, _)| t == "negoti"), "{got:?}");
}

#[test]
fn offsets_of_folded_compounds_point_at_the_source() {
    let text = "the \u{130}stanbul-Ankara ﬂight";
    let t = tokens(text);
    assert_eq!(&text[t[1].3..t[1].4], "\u{130}stanbul-Ankara");
    assert_eq!(t[1].0, "istanbulankara");
    assert_eq!(&text[t[2].3..t[2].4], "\u{130}stanbul");
    assert_eq!(&text[t[4].3..t[4].4], "ﬂight");
    assert_eq!(t[4].0, "flight");
}

#[test]
fn folding_is_idempotent_for_every_character() {
    // One decomposition pass before lower-casing is enough: lower-casing never
    // makes a character that decomposes again, so the folded form folds to itself.
    let mut once = String::new();
    let mut twice = String::new();
    let assigned = (0x80..=0x10FFFFu32)
        .filter_map(char::from_u32)
        .filter(|&c| unicode_normalization::char::is_public_assigned(c));
    for c in assigned {
        let source = c.encode_utf8(&mut [0; 4]).to_string();
        fold(&source, &mut once);
        if once == source {
            continue;
        }
        fold(&once, &mut twice);
        assert_eq!(once, twice, "U+{:04X}", c as u32);
    }
}

#[test]
fn ascii_tokens_are_only_lower_cased() {
    let mut folded = String::new();
    for word in ["Kremlin", "U2", "x_y", "ABC"] {
        fold(word, &mut folded);
        assert_eq!(folded, word.to_ascii_lowercase());
    }
}

/// The fold as its definition reads: NFKD of the whole word, lower-case, drop,
/// then NFC.
fn reference_fold(word: &str) -> String {
    word.nfkd()
        .flat_map(char::to_lowercase)
        .filter(|&c| !folds_away(c))
        .map(|c| if c == 'ς' { 'σ' } else { c })
        .nfc()
        .collect()
}

#[test]
fn per_char_fold_equals_whole_word_normalisation() {
    let mut folded = String::new();
    let assigned = (0x80..=0x10FFFFu32)
        .filter_map(char::from_u32)
        .filter(|&c| unicode_normalization::char::is_public_assigned(c));
    for c in assigned {
        let word = c.encode_utf8(&mut [0; 4]).to_string();
        fold(&word, &mut folded);
        assert_eq!(folded, reference_fold(&word), "U+{:04X}", c as u32);
    }
    // Words mixing letters, marks in any order, viramas, jamo and syllables.
    const ALPHABET: &[&str] = &[
        "a", "E", "\u{130}", "ß", "é", "\u{301}", "\u{323}", "\u{307}", "ק", "\u{5b8}", "\u{5c1}",
        "ب", "\u{651}", "\u{64e}", "क", "\u{94d}", "\u{93c}", "\u{93f}", "ஒ", "\u{bca}", "\u{bc6}",
        "\u{bbe}", "\u{1100}", "\u{1161}", "\u{11a8}", "각", "ﬁ", "Ｎ", "Σ", "ς", "\u{ad}",
        "\u{200d}", "\u{3164}", "ǅ", "Å", "\u{212b}",
    ];
    let mut rng = search_test_support::Rng::new(7);
    let mut next = || rng.next_u64();
    for case in 0..20_000 {
        let len = 1 + (next() % 8) as usize;
        let word: String = (0..len)
            .map(|_| ALPHABET[(next() % ALPHABET.len() as u64) as usize])
            .collect();
        fold(&word, &mut folded);
        assert_eq!(folded, reference_fold(&word), "case {case}: {word:?}");
    }
}

#[test]
fn marks_that_write_vowels_tones_or_voicing_are_kept() {
    // Japanese voicing marks tell gasu (gas) from kasu; half-width forms still fold.
    assert_ne!(terms("ガス"), terms("カス"));
    assert_eq!(terms("ｶﾞｽ"), terms("ガス"));
    assert_eq!(terms("\u{30ab}\u{3099}\u{30b9}"), vec!["ガス".to_string()]);
    // Thai vowel signs and tone marks are letters, not accents.
    assert_ne!(terms("ดู"), terms("ด"));
    assert_ne!(terms("ไม่"), terms("ไม"));
    // Telugu ai (U+0C48 = e U+0C46 + ai length mark U+0C56) is not e.
    assert_ne!(terms("పై"), terms("పె"));
    // Tibetan vowel signs
    assert_ne!(terms("ཀི"), terms("ཀ"));
}

#[test]
fn below_u0700_what_the_fold_keeps_never_composes() {
    // Why fold() may skip the composition check for words written below U+0700
    // (Latin, Greek, Cyrillic, Armenian, Hebrew and Arabic letters): once their
    // marks are gone, every char left is a starter that nothing composes with.
    for c in (0x80..0x700u32).filter_map(char::from_u32) {
        if folds_away(c) {
            continue;
        }
        let alone = c.encode_utf8(&mut [0; 4]).to_string();
        if alone.nfkd().ne(alone.chars()) {
            continue; // never emitted: decomposed first
        }
        assert_eq!(
            unicode_normalization::char::canonical_combining_class(c),
            0,
            "U+{:04X}",
            c as u32
        );
        assert_eq!(
            unicode_normalization::is_nfc_quick(alone.chars()),
            unicode_normalization::IsNormalized::Yes,
            "U+{:04X}",
            c as u32
        );
    }
}
