//! Terminal safety: what a corpus holds never reaches a terminal as control
//! sequences; JSON keeps the exact text.

use crate::util::{cited, hits, text, Sandbox};

const OSC_TITLE: &str = "\x1b]0;pwned\x07";
const CLEAR: &str = "\x1b[2J";

/// A corpus whose titles, text, ids and file names carry escape sequences, C1
/// controls and bidi overrides.
fn hostile_corpus() -> Sandbox {
    let sb = Sandbox::empty();
    sb.write(
        &format!("corpus/evil{CLEAR}.txt"),
        format!(
            "Evil {OSC_TITLE} headline {CLEAR}\n\nThe mango harvest {OSC_TITLE} was cleared {CLEAR} away.\rBack\x08space.\n"
        ),
    );
    let record = serde_json::json!({
        "id": format!("rec{CLEAR}"),
        "title": "C1 \u{9b}31m and bidi \u{202e}txt.exe",
        "text": format!("A mango record with \u{202e}reversed\u{202c} text and {OSC_TITLE} in it."),
    });
    sb.write("corpus/wire.jsonl", format!("{record}\n"));
    sb.ok(&["index", "corpus", "--threads", "1"]);
    sb
}

/// What must never reach the terminal raw.
fn assert_inert(what: &str, output: &str) {
    for (name, bad) in [
        ("OSC", "\x1b]"),
        ("clear screen", "\x1b[2J"),
        ("BEL", "\x07"),
        ("carriage return", "\r"),
        ("backspace", "\x08"),
        ("C1 CSI", "\u{9b}"),
        ("bidi override", "\u{202e}"),
    ] {
        assert!(
            !output.contains(bad),
            "{what}: raw {name} in output:\n{output:?}"
        );
    }
}

#[test]
fn query_and_show_never_print_control_sequences_from_the_corpus() {
    let sb = hostile_corpus();
    for color in ["never", "always"] {
        let run = sb.ok(&["query", "mango", "--color", color]);
        assert_inert("query", &run.stdout);
        assert_inert("query (stderr)", &run.stderr);
        if color == "never" {
            assert!(!run.stdout.contains('\x1b'), "{run:?}");
        }
        // Shown visibly instead.
        assert!(run.stdout.contains("\\x1b]0;pwned\\x07"), "{run:?}");
        assert!(run.stdout.contains("\\x1b[2J"), "{run:?}");
        assert!(run.stdout.contains("\\u{202e}"), "{run:?}");
        assert!(run.stdout.contains("\\x9b31m"), "{run:?}");
    }
    let results = sb.query_json("mango", &[]);
    for hit in hits(&results) {
        let c: search_core::Citation = serde_json::from_value(hit["citation"].clone()).unwrap();
        let run = sb.ok(&["show", &c.location()]);
        assert_inert("show", &run.stdout);
        assert_inert("show (stderr)", &run.stderr);
        assert!(!run.stdout.contains('\x1b'), "{run:?}");
        assert!(run.stdout.contains("\\x1b"), "{run:?}");
    }
    // Errors that quote a hostile citation are inert too.
    let run = sb.run(&["show", &format!("rec{CLEAR}#9")], 8);
    assert_inert("show error", &run.stderr);
    let run = sb.run(&["show", &format!("corpus/evil{CLEAR}.txt:2")], 8);
    assert_inert("show error", &run.stderr);
}

#[test]
fn json_output_keeps_the_exact_text() {
    let sb = hostile_corpus();
    let results = sb.query_json("mango", &[]);
    let hit = hits(&results)
        .iter()
        .find(|h| cited(h, "path").ends_with(".txt"))
        .expect("the .txt hit");
    assert_eq!(
        cited(hit, "title"),
        format!("Evil {OSC_TITLE} headline {CLEAR}")
    );
    assert!(text(hit).contains(OSC_TITLE), "{hit}");
    assert_eq!(cited(hit, "path"), format!("corpus/evil{CLEAR}.txt"));
    let run = sb.ok(&["query", "mango", "--format", "jsonl"]);
    assert!(run.stdout.contains("\\u001b]0;pwned\\u0007"), "{run:?}");
}
