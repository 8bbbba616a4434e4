use super::*;

fn citation(path: &str, line: u64, paragraph: u64, part: Option<u64>) -> Citation {
    Citation {
        doc_id: "a".into(),
        title: None,
        source: None,
        path: path.into(),
        paragraph,
        line,
        byte_start: 0,
        byte_end: 1,
        part,
        date: None,
        url: None,
        author: None,
        authors: None,
    }
}

#[test]
fn locations_name_the_paragraph_where_the_line_does_not() {
    assert_eq!(
        citation("seeds/a.txt", 8, 6, None).location(),
        "seeds/a.txt:8"
    );
    assert_eq!(
        citation("seeds/a.md", 8, 6, Some(2)).location(),
        "seeds/a.md:8#6.2"
    );
    assert_eq!(
        citation("w/b.jsonl", 3, 2, None).location(),
        "w/b.jsonl:3#2"
    );
    assert_eq!(
        citation("w/b.NDJSON", 3, 2, Some(1)).location(),
        "w/b.NDJSON:3#2.1"
    );
}

#[test]
fn every_printed_location_reads_back_as_itself() {
    for c in [
        citation("seeds/a.txt", 8, 6, None),
        citation("seeds/a.txt", 8, 6, Some(3)),
        citation("w/b.jsonl", 3, 2, None),
        citation("dir:with:colons/x#1.jsonl", 3, 2, Some(4)),
    ] {
        let printed = c.location();
        assert_eq!(
            printed.parse::<Location>().unwrap(),
            c.to_location(),
            "{printed}"
        );
    }
}

#[test]
fn readings_cover_both_forms_and_reject_the_rest() {
    assert_eq!(
        Location::readings("000_x#5"),
        vec![Location::Article {
            doc_id: "000_x".into(),
            paragraph: 5,
            part: None
        }]
    );
    assert_eq!(
        Location::readings("000_x#5.2"),
        vec![Location::Article {
            doc_id: "000_x".into(),
            paragraph: 5,
            part: Some(2)
        }]
    );
    // An id with colons reads both ways; the file reading comes first.
    assert_eq!(
        Location::readings("urn:x:1#2"),
        vec![
            Location::Line {
                path: "urn:x".into(),
                line: 1,
                paragraph: Some(2),
                part: None
            },
            Location::Article {
                doc_id: "urn:x:1".into(),
                paragraph: 2,
                part: None
            },
        ]
    );
    for bad in [
        "nothing",
        "a.txt:0",
        "a.txt:x",
        "#6",
        ":3",
        "a.txt:3#",
        "a.txt:3#0",
        "a#1.0",
        "a:+3",
        "a# 1",
    ] {
        assert!(Location::readings(bad).is_empty(), "{bad}");
        assert!(bad.parse::<Location>().is_err(), "{bad}");
    }
}
