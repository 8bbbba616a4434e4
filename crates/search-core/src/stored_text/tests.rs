use super::*;

/// News-like paragraphs with enough repetition for a dictionary to learn from.
fn corpus(paragraphs: usize) -> Vec<String> {
    let subjects = [
        "The minister",
        "A spokesperson",
        "Officials in Kyiv",
        "The central bank",
    ];
    let verbs = [
        "said on Tuesday",
        "warned",
        "told reporters",
        "confirmed in a statement",
    ];
    let objects = [
        "that frozen Russian assets could fund reconstruction.",
        "that talks would resume after the summit in Brussels.",
        "that interest rates would stay unchanged until spring.",
        "that the ceasefire proposal was still under review.",
    ];
    (0..paragraphs)
        .map(|i| {
            format!(
                "{} {} {} Paragraph {i} adds détails, “quotes” and numbers like {}.",
                subjects[i % 4],
                verbs[(i / 4) % 4],
                objects[(i / 16) % 4],
                i * 7919 % 10007
            )
        })
        .collect()
}

fn trained() -> TextDictionary {
    let paragraphs = corpus(8000);
    let samples: String = paragraphs.concat();
    let sizes: Vec<usize> = paragraphs.iter().map(String::len).collect();
    TextDictionary::train(samples.as_bytes(), &sizes).expect("enough text to train")
}

fn article() -> ArticleFields {
    ArticleFields {
        doc_id: "2026-11-23-frozen-assets".into(),
        title: Some("EU agrees on frozen assets".into()),
        date: None,
        url: Some("https://example.org/a?b=1".into()),
        authors: vec!["A".into(), "Zoë".into()],
    }
}

fn group(start: u64, text: &str) -> StoredGroup {
    StoredGroup {
        start,
        article: article(),
        text: text.to_string(),
    }
}

#[test]
fn round_trips_with_and_without_a_dictionary() {
    let dictionary = trained();
    for dictionary in [None, Some(&dictionary)] {
        let mut encoder = TextEncoder::new(dictionary);
        let decoder = TextDecoder::new(dictionary);
        let mut stored = Vec::new();
        for (start, text) in [(0u64, ""), (3, "é"), (1 << 40, "a longer text, ünïcode ✓")] {
            encoder.encode(&article(), start, text, &mut stored);
            assert_eq!(decoder.decode(&stored), Ok(group(start, text)));
        }
        let bare = ArticleFields::default();
        encoder.encode(&bare, 0, "x", &mut stored);
        assert_eq!(decoder.decode(&stored).unwrap().article, bare);
    }
}

#[test]
fn a_dictionary_shrinks_short_passages() {
    let dictionary = trained();
    let text = &corpus(9000)[8500];
    let mut stored = Vec::new();
    TextEncoder::new(None).encode(&ArticleFields::default(), 0, text, &mut stored);
    let plain = stored.len();
    TextEncoder::new(Some(&dictionary)).encode(&ArticleFields::default(), 0, text, &mut stored);
    assert!(stored.len() * 2 < plain, "{} vs {plain}", stored.len());
}

#[test]
fn text_without_a_dictionary_reads_with_one() {
    // An index that gains a dictionary keeps the groups it wrote before.
    let dictionary = trained();
    let mut stored = Vec::new();
    TextEncoder::new(None).encode(&article(), 7, "older text", &mut stored);
    let decoder = TextDecoder::new(Some(&dictionary));
    assert_eq!(decoder.decode(&stored), Ok(group(7, "older text")));
}

#[test]
fn damage_is_an_error_not_a_panic() {
    let dictionary = trained();
    let mut stored = Vec::new();
    TextEncoder::new(Some(&dictionary)).encode(&article(), 0, "some passage text", &mut stored);
    // The dictionary the frame names is not the decoder's.
    let error = TextDecoder::new(None).decode(&stored).unwrap_err();
    assert!(error.to_string().contains("dictionary"), "{error}");
    for damaged in [
        &[][..],
        &[0x80][..],
        &stored[..stored.len() / 2],
        &[0, 1, 2, 3][..],
    ] {
        assert!(TextDecoder::new(Some(&dictionary)).decode(damaged).is_err());
    }
    // Article fields that claim more bytes than the frame holds.
    let mut lying = stored.clone();
    lying[1] = 0x7f;
    assert!(TextDecoder::new(Some(&dictionary)).decode(&lying).is_err());
}

/// Frames carry a content checksum: a flipped byte anywhere in a frame is an
/// error, even where it would decompress (the article fields have no hash of
/// their own).
#[test]
fn every_flipped_byte_of_a_frame_is_caught() {
    let dictionary = trained();
    for dictionary in [None, Some(&dictionary)] {
        let mut stored = Vec::new();
        let mut encoder = TextEncoder::new(dictionary);
        encoder.encode(&article(), 0, "Envoys met in Miami on Friday.", &mut stored);
        let decoder = TextDecoder::new(dictionary);
        assert!(decoder.decode(&stored).is_ok());
        // Two one-byte LEB128 prefixes (start 0, a short fields length), then the frame.
        for at in 2..stored.len() {
            for flip in [0x01u8, 0x80, 0xff] {
                let mut damaged = stored.clone();
                damaged[at] ^= flip;
                assert!(
                    decoder.decode(&damaged).is_err(),
                    "byte {at} ^ {flip:#x} of {} went unnoticed",
                    stored.len()
                );
            }
        }
    }
}

#[test]
fn too_little_text_trains_no_dictionary() {
    let paragraphs = corpus(20);
    let sizes: Vec<usize> = paragraphs.iter().map(String::len).collect();
    assert!(TextDictionary::train(paragraphs.concat().as_bytes(), &sizes).is_none());
}

#[test]
fn dictionary_files_are_named_by_content() {
    let dictionary = trained();
    let name = dictionary.file_name();
    assert!(name.starts_with(DICTIONARY_PREFIX) && name.ends_with(".zdict"));
    let again = TextDictionary::from_bytes(dictionary.bytes().to_vec()).unwrap();
    assert_eq!(again.file_name(), name);
    assert!(TextDictionary::from_bytes(b"not a dictionary".to_vec()).is_none());
}

#[test]
fn a_passage_is_cut_out_of_its_group_by_its_article_offsets() {
    let group = group(100, "Hé said: yes.");
    assert_eq!(group.passage(100, 103), Some("Hé"));
    assert_eq!(group.passage(110, 114), Some("yes."));
    assert_eq!(group.passage(100, 100), Some(""));
    // Before the group, past its end, reversed, or inside a character.
    for (start, end) in [(99, 103), (110, 115), (103, 100), (100, 102)] {
        assert_eq!(group.passage(start, end), None, "{start}..{end}");
    }
}

#[test]
fn leb128_round_trips() {
    for value in [0u64, 1, 127, 128, 300, u32::MAX as u64, u64::MAX] {
        let mut out = Vec::new();
        write_leb128(value, &mut out);
        out.push(0xAB);
        assert_eq!(read_leb128(&out), Some((value, &[0xAB][..])));
    }
}
