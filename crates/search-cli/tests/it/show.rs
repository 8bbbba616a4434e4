//! `search show`: a cited paragraph between its neighbours, by PATH:LINE or DOC_ID#N.

use crate::util::{cited, cited_u64, doc_id, hits, text, Sandbox, UKRAINE_DOC, UKRAINE_TITLE};

/// The line `search show` marks with `▶`.
fn marked_line(stdout: &str) -> &str {
    let marked: Vec<&str> = stdout.lines().filter(|l| l.starts_with('▶')).collect();
    assert_eq!(marked.len(), 1, "expected one ▶ line:\n{stdout}");
    marked[0]
}

#[test]
fn show_path_line_prints_the_paragraph_between_its_neighbours() {
    let sb = Sandbox::indexed();
    let run = sb.ok(&["show", "seeds/000_792c1fc0d0c2a89d.txt:8"]);
    assert!(run.stdout.starts_with(UKRAINE_TITLE), "{run:?}");
    let marked = marked_line(&run.stdout);
    assert!(marked.contains("¶6"), "{marked}");
    assert!(marked.contains("frozen Russian assets"), "{marked}");
    assert!(run.stdout.contains("28-point plan"), "¶5 missing:\n{run:?}");
    assert!(
        run.stdout.contains("The Miami meeting follows"),
        "¶7 missing:\n{run:?}"
    );
}

#[test]
fn show_doc_id_paragraph_prints_the_same_paragraph() {
    let sb = Sandbox::indexed();
    let by_line = sb.ok(&["show", "seeds/000_792c1fc0d0c2a89d.txt:8"]);
    let by_id = sb.ok(&["show", "000_792c1fc0d0c2a89d#6"]);
    assert_eq!(marked_line(&by_id.stdout), marked_line(&by_line.stdout));
    assert!(by_id.stdout.starts_with(UKRAINE_TITLE), "{by_id:?}");
}

#[test]
fn show_names_the_cited_article() {
    let sb = Sandbox::indexed();
    for citation in ["seeds/000_792c1fc0d0c2a89d.txt:8", "000_792c1fc0d0c2a89d#6"] {
        let run = sb.ok(&["show", citation]);
        assert!(
            run.stdout.contains(&format!("id {UKRAINE_DOC}")),
            "{citation}: the header does not name the article:\n{run:?}"
        );
    }
}

#[test]
fn every_query_hit_can_be_checked_with_show() {
    let sb = Sandbox::indexed();
    let results = sb.query_json("Miami", &["--limit", "50"]);
    assert!(hits(&results).len() > 2);
    for hit in hits(&results) {
        let by_line = format!("{}:{}", cited(hit, "path"), cited_u64(hit, "line"));
        let by_id = format!("{}#{}", doc_id(hit), cited_u64(hit, "paragraph"));
        for citation in [by_line, by_id] {
            let run = sb.ok(&["show", &citation]);
            assert!(
                marked_line(&run.stdout).contains(text(hit)),
                "{citation} does not show {:?}:\n{run:?}",
                text(hit)
            );
        }
    }
}

#[test]
fn show_rejects_a_malformed_citation_with_exit_2() {
    let sb = Sandbox::indexed();
    for citation in ["bogus", "seeds/000_792c1fc0d0c2a89d.txt:0", "#6"] {
        let run = sb.run(&["show", citation], 2);
        assert!(run.stderr.contains("not a citation"), "{run:?}");
    }
}

#[test]
fn show_exits_8_when_the_citation_is_not_found() {
    let sb = Sandbox::indexed();
    for citation in [
        "000_792c1fc0d0c2a89d#999",
        "no_such_article#1",
        "seeds/000_792c1fc0d0c2a89d.txt:2",
        "seeds/missing.txt:3",
    ] {
        let run = sb.run(&["show", citation], 8);
        assert!(!run.stderr.trim().is_empty(), "{citation}: silent");
    }
}

#[test]
fn show_context_sets_how_many_neighbours_are_printed() {
    let sb = Sandbox::indexed();
    let narrow = sb.ok(&["show", "seeds/000_792c1fc0d0c2a89d.txt:8", "--context", "0"]);
    let wide = sb.ok(&["show", "seeds/000_792c1fc0d0c2a89d.txt:8", "--context", "2"]);
    let paragraphs = |out: &str| {
        out.lines()
            .filter(|l| l.contains('¶') && !l.contains(".txt:"))
            .count()
    };
    assert_eq!(paragraphs(&narrow.stdout), 1, "{}", narrow.stdout);
    assert_eq!(paragraphs(&wide.stdout), 5, "{}", wide.stdout);
}
