//! The conventions people expect of a command-line tool (ripgrep and fd are the
//! reference): quiet broken pipes, typed arguments refused at parse time, honest
//! usage lines, diagnostics on stderr, colour rules, completions, a man page.

use serde_json::Value;

use crate::util::{
    hits, run_into_closed_pipe, search_std, text, Sandbox, UKRAINE_DOC, UKRAINE_PATH,
};

/// Parses output made of one JSON object per line.
fn json_lines(stdout: &str) -> Vec<Value> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l:?}")))
        .collect()
}

// ---------------------------------------------------------------- broken pipes

/// `yes Ukraine | head -3000 | search query --batch - -n 50 | head -1`: the batch
/// writes far more than a pipe holds after the reader is gone.
#[test]
fn a_batch_into_a_closed_pipe_ends_quietly_with_0() {
    let sb = Sandbox::indexed();
    sb.write("queries.txt", "Ukraine\n".repeat(3000));
    let mut cmd = search_std(sb.path());
    cmd.args(["query", "--batch", "queries.txt", "-n", "50"]);
    let (code, stderr) = run_into_closed_pipe(cmd, 100);
    assert_eq!((code, stderr.as_str()), (0, ""), "not a quiet exit");
}

/// `search eval … -v | head -c 10`, in JSON (one long line) and in text.
#[test]
fn eval_into_a_closed_pipe_ends_quietly_with_0() {
    let sb = crate::eval::judged_collection();
    let queries: String = (0..4000)
        .map(|i| format!("q{i}\tswept wing flutter\n"))
        .collect();
    let qrels: String = (0..4000).map(|i| format!("q{i} 0 d1 1\n")).collect();
    sb.write("many.tsv", queries);
    sb.write("many.qrels", qrels);
    for format in ["json", "text"] {
        let mut cmd = search_std(sb.path());
        cmd.args([
            "eval",
            "--queries",
            "many.tsv",
            "--qrels",
            "many.qrels",
            "-v",
        ])
        .args(["--format", format]);
        let (code, stderr) = run_into_closed_pipe(cmd, 10);
        assert_eq!((code, stderr.as_str()), (0, ""), "--format {format}");
    }
}

// ---------------------------------------------------------------- typed values

#[test]
fn limit_zero_is_a_usage_error() {
    let sb = Sandbox::indexed();
    for args in [
        &["query", "-n", "0", "Ukraine"][..],
        &["query", "--limit=0", "Ukraine"],
    ] {
        let run = sb.run(args, 2);
        assert!(run.stderr.contains("--limit"), "{args:?}:\n{run:?}");
        assert!(run.stdout.is_empty(), "{run:?}");
    }
}

#[test]
fn eval_depth_zero_is_a_usage_error() {
    let sb = crate::eval::judged_collection();
    let run = sb.run(
        &[
            "eval",
            "--queries",
            "queries.tsv",
            "--qrels",
            "qrels.txt",
            "--depth",
            "0",
        ],
        2,
    );
    assert!(run.stderr.contains("--depth"), "{run:?}");
}

/// A query that finds none of its relevant articles scores 0, never `-0.0000`.
#[test]
fn eval_never_prints_negative_zero() {
    let sb = crate::eval::judged_collection();
    sb.write("nothing.tsv", "1\tzzzz qqqq\n");
    sb.write("nothing.qrels", "1 0 d1 1\n");
    let args = [
        "eval",
        "--queries",
        "nothing.tsv",
        "--qrels",
        "nothing.qrels",
        "-v",
    ];
    let text_run = sb.ok(&args);
    assert!(!text_run.stdout.contains("-0"), "{text_run:?}");
    let mut json_args = args.to_vec();
    json_args.extend(["--format", "json"]);
    let json_run = sb.ok(&json_args);
    assert!(!json_run.stdout.contains("-0"), "{json_run:?}");
}

/// The weights `--weight` accepts are the ones its help names and its error lists.
#[test]
fn eval_weight_help_error_and_parser_agree() {
    let sb = crate::eval::judged_collection();
    let help = sb.ok(&["eval", "--help"]).stdout;
    let base = ["eval", "--queries", "queries.tsv", "--qrels", "qrels.txt"];
    let mut bad = base.to_vec();
    bad.extend(["--weight", "bogus=1"]);
    let error = sb.run(&bad, 2).stderr;
    for (name, value) in [
        ("title", "0.5"),
        ("proximity", "0"),
        ("rerank_depth", "50"),
        ("stop_words", "0"),
    ] {
        assert!(help.contains(name), "--help does not name {name}:\n{help}");
        assert!(
            error.contains(name),
            "the error does not name {name}:\n{error}"
        );
        let mut args = base.to_vec();
        let setting = format!("{name}={value}");
        args.extend(["--weight", &setting]);
        sb.ok(&args);
    }
    for bad_value in ["title=x", "rerank_depth=1.5", "stop_words=maybe", "title"] {
        let mut args = base.to_vec();
        args.extend(["--weight", bad_value]);
        let run = sb.run(&args, 2);
        assert!(run.stderr.contains("--weight"), "{bad_value}:\n{run:?}");
    }
    let mut args = base.to_vec();
    args.extend(["--feedback", "--feedback-param", "docs=many"]);
    let run = sb.run(&args, 2);
    assert!(run.stderr.contains("--feedback-param"), "{run:?}");
    // A value the parser takes but the library refuses (no silent clamp): a usage
    // error naming the option, before any query runs.
    let mut args = base.to_vec();
    args.extend(["--weight", "rerank_depth=0"]);
    let run = sb.run(&args, 2);
    assert!(run.stderr.contains("ranking.rerank_depth"), "{run:?}");
}

// ---------------------------------------------------------------- --count

#[test]
fn count_prints_the_total_in_text_and_jsonl() {
    let sb = Sandbox::indexed();
    let total = sb.query_json("Miami", &["--count"])["total_matches"]
        .as_u64()
        .expect("total_matches in JSON");
    assert!(total > 2);

    let run = sb.ok(&["query", "Miami", "--count", "-n", "2"]);
    let last = run.stdout.trim_end().lines().last().unwrap_or_default();
    assert_eq!(last, format!("{total} matching passages"), "{run:?}");

    let run = sb.ok(&["query", "Miami", "--count", "-n", "2", "--format", "jsonl"]);
    let lines = json_lines(&run.stdout);
    assert_eq!(lines.len(), 2, "{run:?}");
    for line in &lines {
        assert_eq!(line["total_matches"], total, "{line}");
        assert!(line["rank"].is_u64(), "still a hit record: {line}");
    }
    // Without --count, no total anywhere.
    let run = sb.ok(&["query", "Miami", "-n", "2", "--format", "jsonl"]);
    assert!(!run.stdout.contains("total_matches"), "{run:?}");
    let run = sb.ok(&["query", "Miami", "-n", "2"]);
    assert!(!run.stdout.contains("matching passages"), "{run:?}");
}

// ---------------------------------------------------------------- --batch

#[test]
fn batch_refuses_text_format() {
    let sb = Sandbox::indexed();
    sb.write("queries.txt", "Miami\n");
    let run = sb.run(&["query", "--batch", "queries.txt", "--format", "text"], 2);
    assert!(run.stderr.contains("--format"), "{run:?}");
    assert!(run.stdout.is_empty(), "{run:?}");
    // json and jsonl both give one result object per line.
    for format in ["json", "jsonl"] {
        let run = sb.ok(&["query", "--batch", "queries.txt", "--format", format]);
        assert_eq!(json_lines(&run.stdout).len(), 1, "{format}: {run:?}");
    }
}

/// Output line N answers input line N: blank lines get an empty result, a line
/// that is not UTF-8 gets an error object naming its line, and the rest go on.
#[test]
fn batch_output_line_n_answers_input_line_n() {
    let sb = Sandbox::indexed();
    let mut input = b"frozen assets\n\nUshakov\n   \n".to_vec();
    input.extend_from_slice(b"caf\xe9 latin-1\n");
    input.extend_from_slice(b"zzzzqqqq\r\nWitkof");
    sb.write("queries.txt", &input);
    let run = sb.run(&["query", "--batch", "queries.txt", "--no-typos"], 2);
    let lines = json_lines(&run.stdout);
    assert_eq!(lines.len(), 7, "one line per input line:\n{run:?}");
    assert!(text(&hits(&lines[0])[0]).contains("frozen Russian assets"));
    for blank in [&lines[1], &lines[3]] {
        assert!(hits(blank).is_empty(), "{blank}");
        assert!(blank.get("error").is_none(), "{blank}");
    }
    assert!(text(&hits(&lines[2])[0]).contains("Yuri Ushakov"));
    assert_eq!(lines[4]["line"], 5, "{}", lines[4]);
    assert!(
        lines[4]["error"].as_str().unwrap().contains("UTF-8"),
        "{}",
        lines[4]
    );
    assert!(lines[4].get("hits").is_none(), "{}", lines[4]);
    assert_eq!(lines[5]["query"], "zzzzqqqq");
    assert!(hits(&lines[5]).is_empty());
    assert_eq!(lines[6]["query"], "Witkof");
    assert!(run.stderr.contains("line 5"), "{run:?}");
}

/// A batch in which every line was answered exits 0, even if some matched nothing.
#[test]
fn a_batch_with_queries_that_match_nothing_exits_0() {
    let sb = Sandbox::indexed();
    let run = sb
        .search()
        .args(["query", "--batch", "-", "--no-typos"])
        .write_stdin("zzzzqqqq\n\nMiami\n")
        .assert()
        .code(0);
    let lines = json_lines(&String::from_utf8_lossy(&run.get_output().stdout));
    assert_eq!(lines.len(), 3);
}

#[test]
fn query_dash_reads_one_query_from_stdin() {
    let sb = Sandbox::indexed();
    let out = sb
        .search()
        .args(["query", "--format", "json", "-"])
        .write_stdin("frozen assets\n")
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let results: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(results["query"], "frozen assets");
    assert!(text(&hits(&results)[0]).contains("frozen Russian assets"));
    // Nothing on stdin is an empty query.
    sb.search()
        .args(["query", "-"])
        .write_stdin("\n")
        .assert()
        .code(2);
}

// ---------------------------------------------------------------- diagnostics

/// Notes and warnings go to stderr in every format; stdout holds only results.
#[test]
fn corrections_and_warnings_go_to_stderr_in_every_format() {
    let sb = Sandbox::indexed();
    for format in ["text", "json", "jsonl"] {
        let run = sb.ok(&["query", "Witkof", "--format", format]);
        assert!(!run.stdout.contains("note:"), "{format}: {run:?}");
        let note = run
            .stderr
            .lines()
            .find(|l| l.starts_with("note:"))
            .unwrap_or_else(|| panic!("{format}: no note on stderr:\n{run:?}"));
        assert!(
            note.contains("Witkof") && note.contains("searched also for Witkoff"),
            "{note}"
        );

        let run = sb.ok(&["query", "Miami \"peace", "--format", format]);
        assert!(!run.stdout.contains("warning:"), "{format}: {run:?}");
        assert!(
            run.stderr.lines().any(|l| l.starts_with("warning:")),
            "{format}: no warning on stderr:\n{run:?}"
        );
    }
    let run = sb.ok(&["query", "Witkof", "--format", "jsonl"]);
    for line in json_lines(&run.stdout) {
        assert!(line["rank"].is_u64(), "only hit records on stdout: {line}");
    }
}

#[test]
fn quiet_silences_notes_warnings_and_progress_but_not_errors() {
    let sb = Sandbox::with_seeds();
    // A first query builds the index: a note and a progress summary, unless -q.
    let run = sb.ok(&["query", "-q", "Witkof"]);
    assert_eq!(run.stderr, "", "{run:?}");
    assert!(run.stdout.contains("Witkoff"), "{run:?}");
    let run = sb.ok(&["-q", "query", "Miami \"peace"]);
    assert_eq!(run.stderr, "", "{run:?}");
    sb.append(UKRAINE_PATH, "A new paragraph.\n");
    let run = sb.ok(&["--quiet", "index"]);
    assert_eq!(run.stderr, "", "{run:?}");
    let loud = sb.ok(&["index", "--rebuild"]);
    assert!(!loud.stderr.is_empty(), "the summary without -q: {loud:?}");
    // Errors stay.
    let run = Sandbox::empty().run(&["query", "-q", "Miami"], 3);
    assert!(run.stderr.contains("no index"), "{run:?}");
}

// ---------------------------------------------------------------- messages

/// Remedies name `search` commands, never `just` (wrong after `cargo install`).
#[test]
fn remedies_name_search_commands_not_just() {
    let sb = Sandbox::indexed();
    // ¶1 (line 3) changes, keeping its length.
    let article = std::fs::read_to_string(sb.join(UKRAINE_PATH)).unwrap();
    sb.write(
        UKRAINE_PATH,
        article.replace("Editor's note", "Editors' note"),
    );
    let run = sb.ok(&["query", "Miami"]);
    assert!(run.stderr.contains("run `search index`"), "{run:?}");
    let show = sb.run(&["show", &format!("{UKRAINE_PATH}:3")], 7);
    let verify = sb.run(&["verify"], 7);
    let stats = sb.ok(&["stats"]);
    let empty = Sandbox::empty();
    let missing = empty.run(&["query", "Miami", "--index", "nowhere"], 3);
    assert!(
        missing
            .stderr
            .contains("`search index CORPUS --index nowhere`"),
        "{missing:?}"
    );
    let empty_query = sb.run(&["query", " "], 2);
    for run in [&run, &show, &verify, &stats, &missing, &empty_query] {
        let all = format!("{}{}", run.stdout, run.stderr);
        assert!(!all.contains("just"), "`just` named:\n{run:?}");
    }
    // One remedy line, not the library's advice and then ours.
    assert_eq!(
        missing.stderr.matches("search index").count(),
        1,
        "{missing:?}"
    );
}

// ---------------------------------------------------------------- show

#[test]
fn show_a_paragraph_zero_is_a_usage_error() {
    let sb = Sandbox::indexed();
    for citation in [
        format!("{UKRAINE_DOC}#0"),
        format!("{UKRAINE_PATH}:8#0"),
        format!("{UKRAINE_DOC}#6.0"),
    ] {
        let run = sb.run(&["show", &citation], 2);
        assert!(run.stderr.contains("not a citation"), "{run:?}");
    }
}

#[test]
fn show_with_the_largest_context_keeps_the_cited_paragraph() {
    let sb = Sandbox::indexed();
    let max = usize::MAX.to_string();
    let run = sb.ok(&["show", &format!("{UKRAINE_DOC}#6"), "--context", &max]);
    let marked: Vec<&str> = run.stdout.lines().filter(|l| l.starts_with('▶')).collect();
    assert_eq!(marked.len(), 1, "{run:?}");
    assert!(marked[0].contains("frozen Russian assets"), "{run:?}");
    // Every paragraph of the article, the first and the last.
    assert!(
        run.stdout.contains("▶ ¶6") || run.stdout.contains("¶1 "),
        "{run:?}"
    );
}

#[test]
fn show_accepts_color_like_query() {
    let sb = Sandbox::indexed();
    let cite = format!("{UKRAINE_DOC}#6");
    let always = sb.ok(&["show", &cite, "--color", "always"]);
    assert!(always.stdout.contains('\x1b'), "{always:?}");
    let never = sb.ok(&["show", &cite, "--color", "never"]);
    assert!(!never.stdout.contains('\x1b'), "{never:?}");
    let auto = sb.ok(&["show", &cite]);
    assert!(!auto.stdout.contains('\x1b'), "piped: {auto:?}");
    sb.run(&["show", &cite, "--color", "sometimes"], 2);
}

// ---------------------------------------------------------------- usage and help

/// A usage line shows what is optional as optional, even in an error about
/// arguments that were given.
#[test]
fn usage_lines_show_optional_flags_as_optional() {
    let sb = Sandbox::indexed();
    let run = sb.run(
        &["query", "-n", "3", "--index", "index", "Q", "--batch", "f"],
        2,
    );
    let usage = run
        .stderr
        .lines()
        .find(|l| l.starts_with("Usage:"))
        .unwrap_or_else(|| panic!("no usage line:\n{run:?}"));
    assert!(!usage.contains("--limit <N>"), "{usage}");
    assert!(!usage.contains("--index <DIR>"), "{usage}");
    assert!(usage.contains("[OPTIONS]"), "{usage}");
    for args in [
        &["show"][..],
        &["eval", "--queries", "q.tsv"],
        &["completions"],
    ] {
        let run = sb.run(args, 2);
        assert!(run.stderr.contains("Usage: search "), "{args:?}:\n{run:?}");
    }
}

#[test]
fn help_documents_the_exit_codes() {
    let sb = Sandbox::empty();
    let help = sb.ok(&["--help"]).stdout;
    assert!(help.contains("Exit status"), "{help}");
    for (code, words) in [
        (0, "success"),
        (1, "matched nothing"),
        (2, "usage"),
        (3, "no index"),
        (4, "corrupt"),
        (5, "skipped"),
        (6, "another process"),
        (7, "no longer hold"),
        (8, "names no"),
        (9, "read or written"),
        (10, "other failure"),
    ] {
        let line = help
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{code} ")))
            .unwrap_or_else(|| panic!("exit {code} not listed:\n{help}"));
        assert!(line.contains(words), "exit {code}: {line}");
    }
    let query_help = sb.ok(&["query", "--help"]).stdout;
    assert!(query_help.contains("--batch"), "{query_help}");
    assert!(query_help.contains("Exit status"), "{query_help}");
}

#[test]
fn version_names_the_index_format_and_analyzer() {
    let sb = Sandbox::empty();
    let run = sb.ok(&["--version"]);
    assert!(run.stdout.starts_with("search "), "{run:?}");
    assert!(
        run.stdout
            .contains(&format!("index format {}", search_core::FORMAT_VERSION)),
        "{run:?}"
    );
    assert!(
        run.stdout
            .contains(&format!("analyzer {}", search_core::ANALYZER_VERSION)),
        "{run:?}"
    );
}

#[test]
fn completions_are_generated_for_each_shell() {
    let sb = Sandbox::empty();
    let bash = sb.ok(&["completions", "bash"]).stdout;
    assert!(bash.contains("query") && bash.contains("--index"), "{bash}");
    assert!(bash.contains("complete "), "{bash}");
    for shell in ["zsh", "fish", "powershell"] {
        let script = sb.ok(&["completions", shell]).stdout;
        assert!(script.contains("query"), "{shell}:\n{script}");
        assert!(script.contains("index"), "{shell}:\n{script}");
    }
    sb.run(&["completions", "tcsh"], 2);
}

#[test]
fn man_prints_a_roff_page() {
    let sb = Sandbox::empty();
    let page = sb.ok(&["man"]).stdout;
    assert!(
        page.lines().take(5).any(|l| l.starts_with(".TH search 1")),
        "{page}"
    );
    assert!(page.contains("query"), "{page}");
    assert!(
        page.contains("Exit status") || page.contains("EXIT"),
        "{page}"
    );
}

// ---------------------------------------------------------------- colour

/// Whether `search query` coloured its output, given the environment and where
/// stdout goes.
fn coloured(sb: &Sandbox, env: &[(&str, &str)], color: &str, on_terminal: bool) -> bool {
    let mut cmd = search_std(sb.path());
    cmd.args(["query", "frozen assets", "--color", color]);
    for (name, value) in env {
        cmd.env(name, value);
    }
    let stdout = if on_terminal {
        let (code, terminal, stderr) = crate::util::run_on_terminal(cmd);
        assert_eq!(code, 0, "{stderr}");
        terminal
    } else {
        let out = cmd.output().unwrap();
        assert_eq!(out.status.code(), Some(0));
        String::from_utf8(out.stdout).unwrap()
    };
    assert!(stdout.contains("frozen"), "{stdout}");
    stdout.contains("\x1b[")
}

/// --color always/never win; else CLICOLOR_FORCE (non-empty, not 0) forces colour;
/// else NO_COLOR turns it off; else TERM=dumb turns it off; else only on a TTY.
#[cfg(unix)]
#[test]
fn colour_follows_the_documented_rule() {
    let sb = Sandbox::indexed();
    // (environment, --color, on a terminal, coloured)
    type Case = (
        &'static [(&'static str, &'static str)],
        &'static str,
        bool,
        bool,
    );
    let cases: &[Case] = &[
        (&[], "auto", true, true),
        (&[], "auto", false, false),
        (&[("TERM", "dumb")], "auto", true, false),
        (&[("NO_COLOR", "1")], "auto", true, false),
        (&[("NO_COLOR", "")], "auto", true, true),
        (&[("CLICOLOR_FORCE", "1")], "auto", false, true),
        (&[("CLICOLOR_FORCE", "0")], "auto", false, false),
        (&[("CLICOLOR_FORCE", "")], "auto", false, false),
        (
            &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")],
            "auto",
            false,
            true,
        ),
        (
            &[("CLICOLOR_FORCE", "1"), ("TERM", "dumb")],
            "auto",
            false,
            true,
        ),
        (&[("CLICOLOR_FORCE", "1")], "never", true, false),
        (
            &[("NO_COLOR", "1"), ("TERM", "dumb")],
            "always",
            false,
            true,
        ),
    ];
    for &(env, color, on_terminal, expected) in cases {
        assert_eq!(
            coloured(&sb, env, color, on_terminal),
            expected,
            "env {env:?}, --color {color}, on a terminal: {on_terminal}"
        );
    }
}

// ---------------------------------------------------------------- justfile

/// `just query '"peace deal" -Moscow'` passes the query as one argument. `just` may
/// not be installed, so the recipe is run as just runs it: its parameters
/// interpolated into the line, and (with `set positional-arguments`) passed to the
/// shell as `$1`….
#[test]
fn the_just_query_recipe_keeps_the_query_whole() {
    let justfile = std::fs::read_to_string(crate::util::repo_root().join("justfile")).unwrap();
    let positional = justfile.lines().any(|l| {
        l.trim() == "set positional-arguments" || l.trim() == "set positional-arguments := true"
    });
    let header_at = justfile
        .lines()
        .position(|l| l.starts_with("query ") || l.starts_with("query:"))
        .expect("a query recipe");
    let lines: Vec<&str> = justfile.lines().collect();
    let params: Vec<&str> = lines[header_at]
        .trim_end_matches(':')
        .split_whitespace()
        .skip(1)
        .collect();
    let body = lines[header_at + 1].trim();
    let sb = Sandbox::indexed();
    let args = ["\"peace deal\" -Moscow", "--format", "json"];
    // Interpolate {{search}} and the recipe's parameters as just does (raw text;
    // a variadic parameter gets the rest, joined by spaces).
    let mut line = body.replace("{{search}}", env!("CARGO_BIN_EXE_search"));
    let mut rest = &args[..];
    for param in &params {
        let name = param.trim_start_matches(['*', '+']);
        let name = name.split('=').next().unwrap();
        let value = if param.starts_with(['*', '+']) {
            let v = rest.join(" ");
            rest = &[];
            v
        } else {
            let v = rest.first().copied().unwrap_or_default().to_string();
            rest = rest.get(1..).unwrap_or_default();
            v
        };
        line = line.replace(&format!("{{{{{name}}}}}"), &value);
    }
    let mut cmd = std::process::Command::new("bash");
    cmd.current_dir(sb.path())
        .env_remove("SEARCH_INDEX")
        .args(["-euo", "pipefail", "-c", &line]);
    if positional {
        cmd.arg("query").args(args);
    }
    let out = cmd.output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{line}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let results: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(results["query"], "\"peace deal\" -Moscow");
    for hit in hits(&results) {
        assert!(text(hit).contains("peace deal"), "{hit}");
        assert!(!text(hit).contains("Moscow"), "{hit}");
    }
}

#[test]
fn threads_zero_is_a_usage_error_that_builds_nothing() {
    let sb = Sandbox::with_seeds();
    let run = sb.run(&["index", "seeds", "--threads", "0"], 2);
    assert!(run.stderr.contains("--threads"), "{run:?}");
    assert!(run.stderr.contains("give 1 or more"), "{run:?}");
    assert!(!sb.join("index").exists());
}
