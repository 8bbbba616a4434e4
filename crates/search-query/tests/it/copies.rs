//! Copy groups through the library: `copy_groups`, `copies_of`, `copy_stats` and
//! `SearchOptions::collapse` agree, and every copy's citation holds.

use search_query::{PassageIndex, SearchOptions};

use crate::build;

const PARAGRAPHS: [&str; 3] = [
    "The central bank raised its main interest rate by half a point on Wednesday to curb inflation.",
    "Economists had expected a smaller increase after prices rose more slowly in the autumn months.",
    "The governor said further rises were possible if wages kept growing faster than productivity.",
];

fn changed(text: &str, nth: usize) -> String {
    text.split(' ')
        .enumerate()
        .map(|(i, w)| if i == nth { "notably" } else { w })
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn collapse_copies_of_and_copy_groups_agree() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    let mut lines = String::new();
    for (i, (id, source)) in [("w1", "Wire"), ("p1", "Paper One"), ("p2", "Paper Two")]
        .iter()
        .enumerate()
    {
        let text: Vec<String> = PARAGRAPHS
            .iter()
            .map(|p| {
                if i == 0 {
                    p.to_string()
                } else {
                    changed(p, 2 + 3 * i)
                }
            })
            .collect();
        let record = serde_json::json!({"id": id, "source": source, "text": text.join("\n\n")});
        lines.push_str(&format!("{record}\n"));
    }
    let unrelated = serde_json::json!({"id": "u", "source": "Other", "text": "Rain is expected over the hills on Sunday with strong winds along the coast."});
    lines.push_str(&format!("{unrelated}\n"));
    std::fs::write(corpus.join("news.jsonl"), lines).unwrap();
    let index_dir = dir.path().join("index");
    build(&index_dir, vec![corpus]);
    let index = PassageIndex::open(&index_dir).unwrap();

    let groups = index.copy_groups().unwrap();
    assert_eq!(groups.len(), 3);
    assert!(groups.iter().all(|g| g.members.len() == 3));
    let stats = index.copy_stats();
    assert_eq!((stats.groups, stats.largest, stats.passages), (3, 3, 9));

    let options = SearchOptions::new().check_stale(false);
    let plain = index
        .search("governor wages productivity", &options)
        .unwrap();
    assert_eq!(plain.hits.len(), 3);
    assert!(plain.hits[0].copies.is_none());
    let folded = index
        .search(
            "governor wages productivity",
            &options.clone().collapse(true),
        )
        .unwrap();
    assert_eq!(folded.hits.len(), 1);
    let hit = &folded.hits[0];
    let copies = hit.copies.as_ref().unwrap();
    assert_eq!(copies, &index.copies_of(&hit.citation).unwrap());
    assert_eq!(copies.len(), 2);
    let mut sources = hit.sources.clone().unwrap();
    sources.sort();
    assert_eq!(sources, ["Paper One", "Paper Two", "Wire"]);
    // Each copy's citation holds: its range of its record's text is a passage of
    // the same group.
    for copy in copies {
        let text = index.source_text(copy).unwrap();
        assert!(text.contains("governor said further rises"), "{text}");
    }
}

#[test]
fn collapse_finishes_when_the_query_matches_every_passage() {
    // Regression: when every passage matched, the candidates filled the whole
    // index without looking exhausted, and collapse widened them forever.
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("news.jsonl");
    let lines: String = ["Harbor cranes stood idle.", "The harbor reopened today."]
        .iter()
        .enumerate()
        .map(|(i, text)| {
            format!(
                "{}\n",
                serde_json::json!({"id": format!("a{i}"), "text": text})
            )
        })
        .collect();
    std::fs::write(&corpus, lines).unwrap();
    let index_dir = dir.path().join("index");
    build(&index_dir, vec![corpus]);
    let (done, finished) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let index = PassageIndex::open(&index_dir).unwrap();
        for sort in [None, Some(search_query::Sort::Newest)] {
            let mut options = SearchOptions::new().collapse(true);
            if let Some(sort) = sort {
                options = options.sort(sort);
            }
            let hits = index.search("harbor", &options).unwrap().hits;
            done.send(hits.len()).unwrap();
        }
    });
    for _ in 0..2 {
        let hits = finished
            .recv_timeout(std::time::Duration::from_secs(120))
            .expect("a collapsed search of every passage finishes");
        assert_eq!(hits, 2);
    }
}
