use super::*;

const PARAGRAPHS: [&str; 3] = [
    "Top Kremlin aide Yuri Ushakov told reporters after the talks in Moscow that the meeting had been very useful and constructive for both sides.",
    "European leaders meeting in Brussels agreed to use the frozen Russian assets to fund a loan of ninety billion euros to Ukraine over two years.",
    "The envoys arrived late on Tuesday evening and left the capital early the next morning without making any further statement to the press.",
];

/// `text` with its `nth` word replaced.
fn change_word(text: &str, nth: usize) -> String {
    text.split(' ')
        .enumerate()
        .map(|(i, w)| if i == nth { "altered" } else { w })
        .collect::<Vec<_>>()
        .join(" ")
}

fn passage(article: u32, text: &str) -> Passage {
    Passage {
        article,
        sketch: Sketch::of(text),
    }
}

#[test]
fn a_one_word_change_keeps_a_passage_similar() {
    let a = Sketch::of(PARAGRAPHS[0]).unwrap();
    let b = Sketch::of(&change_word(PARAGRAPHS[0], 7)).unwrap();
    let s = a.similarity(&b);
    assert!(s > 0.8 && s < 1.0, "{s}");
    assert_eq!(a.similarity(&a), 1.0);
    let other = Sketch::of(PARAGRAPHS[1]).unwrap();
    assert!(a.similarity(&other) < 0.1);
}

#[test]
fn short_passages_have_no_sketch() {
    assert!(Sketch::of("Reporting by Jane Doe; editing by Roe").is_none());
    assert!(Sketch::of("").is_none());
}

#[test]
fn a_republished_article_groups_paragraph_by_paragraph() {
    let mut passages: Vec<Passage> = PARAGRAPHS.iter().map(|p| passage(0, p)).collect();
    // The copy: each paragraph with a word changed, plus a credit line.
    for (i, p) in PARAGRAPHS.iter().enumerate() {
        passages.push(passage(1, &change_word(p, 3 + i)));
    }
    passages.push(passage(1, "Credit: Wire"));
    // An unrelated article.
    passages.push(passage(
        2,
        "Farmers in the south reported a record harvest of wheat and barley this year after months of rain.",
    ));
    assert_eq!(groups(&passages), vec![vec![0, 3], vec![1, 4], vec![2, 5]]);
}

#[test]
fn a_copy_of_a_copy_joins_the_group_of_the_original() {
    let mut passages: Vec<Passage> = PARAGRAPHS.iter().map(|p| passage(0, p)).collect();
    for (article, nth) in [(1u32, 2usize), (2, 12)] {
        for p in PARAGRAPHS {
            passages.push(passage(article, &change_word(p, nth)));
        }
    }
    let found = groups(&passages);
    assert_eq!(found, vec![vec![0, 3, 6], vec![1, 4, 7], vec![2, 5, 8]]);
}

#[test]
fn an_article_quoting_one_paragraph_is_not_a_copy() {
    let mut passages: Vec<Passage> = PARAGRAPHS.iter().map(|p| passage(0, p)).collect();
    // Quotes the first paragraph whole, then writes its own.
    passages.push(passage(1, &format!("As reported, \"{}\"", PARAGRAPHS[0])));
    passages.push(passage(
        1,
        "Analysts said the statement changed little and that markets were waiting for details of the plan.",
    ));
    assert!(groups(&passages).is_empty());
}

#[test]
fn passages_of_one_article_are_never_copies_of_each_other() {
    let passages = vec![passage(0, PARAGRAPHS[0]), passage(0, PARAGRAPHS[0])];
    assert!(groups(&passages).is_empty());
}

#[test]
fn single_passage_articles_group_on_their_one_passage() {
    let passages = vec![
        passage(0, PARAGRAPHS[1]),
        passage(1, &change_word(PARAGRAPHS[1], 5)),
    ];
    assert_eq!(groups(&passages), vec![vec![0, 1]]);
}

#[test]
fn the_table_reads_back_what_was_written() {
    let member = |path: &str, id: &str, line| Member {
        path: path.into(),
        doc_id: id.into(),
        line,
        byte_start: line * 10,
    };
    let groups = vec![
        vec![member("a\tb.txt", "x", 1), member("c.jsonl", "id \"1\"", 2)],
        vec![member("d.md", "d", 3), member("e.md", "e", 4)],
    ];
    let encoded = encode(&groups);
    let table = Table::decode(&encoded).unwrap();
    let decoded: Vec<Vec<Member>> = (0..table.len())
        .map(|g| table.group(g).map(MemberRef::to_member).collect())
        .collect();
    assert_eq!(decoded, groups);
    assert!(Table::decode(b"0\t\"a\"\n").is_err());
    assert_eq!(table.len(), 2);
    assert_eq!(table.group_of("a\tb.txt", 1, 10), Some(0));
    assert_eq!(table.group_of("c.jsonl", 2, 20), Some(0));
    assert_eq!(table.group_of("e.md", 4, 40), Some(1));
    assert_eq!(table.group_of("e.md", 4, 41), None);
    assert_eq!(table.group_of("f.md", 4, 40), None);
    assert!(table_name(&encoded).starts_with(TABLE_PREFIX));
}
