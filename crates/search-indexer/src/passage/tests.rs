use super::*;

#[test]
fn lines_are_trimmed_and_numbered() {
    let text = "Title\n\n  first para  \r\nsecond\n\n\nthird";
    let lines = non_empty_lines(text, 0);
    let got: Vec<(&str, u64)> = lines
        .iter()
        .map(|l| (&text[l.range.clone()], l.number))
        .collect();
    assert_eq!(
        got,
        vec![("Title", 1), ("first para", 3), ("second", 4), ("third", 7)]
    );
}

#[test]
fn lines_from_an_offset_skip_the_head() {
    let text = "Title\nbody";
    let lines = non_empty_lines(text, 6);
    assert_eq!(lines.len(), 1);
    assert_eq!(&text[lines[0].range.clone()], "body");
    assert_eq!(lines[0].number, 2);
}

#[test]
fn short_paragraphs_are_one_passage_each() {
    let text = "one.\ntwo.\nReuters contributed to this report.";
    let passages = passages_of(text, &non_empty_lines(text, 0));
    assert_eq!(passages.len(), 3);
    assert_eq!(passages[2].paragraph, 3);
    assert!(passages[2].boilerplate);
    assert!(!passages[0].boilerplate);
}

#[test]
fn long_paragraph_splits_at_sentences_with_exact_spans() {
    let sentence = "The committee met again on Tuesday to weigh the proposal in detail. ";
    let para = sentence.repeat(80);
    let text = format!("Intro line.\n{para}\nAfter.");
    let passages = passages_of(&text, &non_empty_lines(&text, 0));
    let pieces: Vec<_> = passages.iter().filter(|p| p.paragraph == 2).collect();
    assert!(pieces.len() > 1);
    for (i, p) in pieces.iter().enumerate() {
        let body = &text[p.range.clone()];
        assert!(
            body.len() <= PIECE_BYTES,
            "piece {i} is {} bytes",
            body.len()
        );
        assert!(
            body.starts_with("The committee"),
            "cut mid-sentence: {body:?}"
        );
        assert!(body.ends_with("detail."));
        assert_eq!(p.part, Some(i as u64 + 1));
        assert_eq!(p.line, 2);
    }
    assert_eq!(passages.last().unwrap().paragraph, 3);
}

#[test]
fn one_huge_word_is_cut_at_char_boundaries() {
    let word = "é".repeat(3000);
    let pieces = split_long(&word);
    assert!(pieces.len() >= 6);
    let mut covered = 0;
    for p in &pieces {
        assert!(word.is_char_boundary(p.start) && word.is_char_boundary(p.end));
        covered += p.len();
    }
    assert_eq!(covered, word.len());
}

/// (text at the range, line number) of each non-empty line.
fn numbered_lines(text: &str) -> Vec<(&str, u64)> {
    non_empty_lines(text, 0)
        .into_iter()
        .map(|l| (&text[l.range], l.number))
        .collect()
}

#[test]
fn cr_only_line_endings_break_lines_like_lf() {
    // Classic Mac OS files end lines with a lone CR.
    let text = "Title\r\r  first para  \rsecond\r\r\rthird";
    assert_eq!(
        numbered_lines(text),
        vec![("Title", 1), ("first para", 3), ("second", 4), ("third", 7)]
    );
}

#[test]
fn crlf_counts_as_one_line_break() {
    let text = "Title\r\n\r\nfirst para\r\nsecond\r\n\r\n\r\nthird\r\n";
    assert_eq!(
        numbered_lines(text),
        vec![("Title", 1), ("first para", 3), ("second", 4), ("third", 7)]
    );
}

#[test]
fn mixed_line_endings_number_lines_like_an_editor() {
    // LF, CRLF, CR, then LF CR (two breaks: a line end, then an empty line's end).
    let text = "one\ntwo\r\nthree\rfour\n\rsix\r";
    assert_eq!(
        numbered_lines(text),
        vec![
            ("one", 1),
            ("two", 2),
            ("three", 3),
            ("four", 4),
            ("six", 6)
        ]
    );
}

#[test]
fn lines_from_an_offset_with_cr_only_endings() {
    let text = "Title\rbody\rmore";
    let lines = non_empty_lines(text, 6);
    let got: Vec<(&str, u64)> = lines
        .iter()
        .map(|l| (&text[l.range.clone()], l.number))
        .collect();
    assert_eq!(got, vec![("body", 2), ("more", 3)]);
}

/// Line ranges as the definition reads: a byte loop over LF, CRLF and CR.
fn reference_line_ranges(text: &str) -> Vec<std::ops::Range<usize>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'\r' if bytes.get(at + 1) == Some(&b'\n') => {
                out.push(start..at + 2);
                at += 2;
                start = at;
            }
            b'\r' | b'\n' => {
                out.push(start..at + 1);
                at += 1;
                start = at;
            }
            _ => at += 1,
        }
    }
    if start < bytes.len() {
        out.push(start..bytes.len());
    }
    out
}

#[test]
fn line_ranges_agree_with_a_byte_loop_on_random_text() {
    const ALPHABET: &[&str] = &["a", "é", " ", "\n", "\r", "\r\n", "\n\r", "\t", "x y"];
    let mut rng = search_test_support::Rng::new(0x5EED);
    let mut next = || rng.next_u64();
    for case in 0..20_000 {
        let len = (next() % 16) as usize;
        let text: String = (0..len)
            .map(|_| ALPHABET[(next() % ALPHABET.len() as u64) as usize])
            .collect();
        let got: Vec<_> = line_ranges(&text).collect();
        assert_eq!(got, reference_line_ranges(&text), "case {case}: {text:?}");
    }
}
