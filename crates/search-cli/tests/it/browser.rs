//! `search serve`'s page, in a real headless browser (Chromium over WebDriver).
//!
//! Each test indexes a copy of the seeds plus a small corpus of its own (a passage
//! full of markup, non-ASCII text, two outlets), starts `search serve` on a free
//! loopback port and `chromedriver` on another, and drives headless Chromium: it
//! types, presses Enter, clicks and reads the page as a person would. Chromium and
//! chromedriver are required: without them the tests fail and say how to install
//! them (`.ci/run` installs Debian's `chromium` and `chromium-driver`).
//!
//! The WebDriver protocol is plain JSON over HTTP, spoken here with `ureq` (the
//! module `webdriver` below), the client the API tests use: a WebDriver crate
//! (fantoccini) would bring a second HTTP stack and, without its TLS features, no
//! connector this crate can name.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::util::{search_std, Sandbox, UKRAINE_PATH};
use webdriver::Session;

/// The wire copy whose passage is full of markup, with non-ASCII text after it.
const MARKUP_MD: &str = "---
title: Markup <img src=x onerror=alert(2)> in a title
source: Test Wire
date: 2025-11-20
url: javascript:alert(3)
authors: [Zoë Park, Olena Kovalenko]
---
Officials said <script>alert(1)</script> and <b>bold</b> appeared in the sanctions wire copy.

Zoë’s café — naïve “Kyiv” 😀 briefing: the hryvnia steadied on Thursday.
";

/// A second outlet, with three passages about sanctions (per_article keeps one).
const COURIER_MD: &str = "---
title: Courier sanctions roundup
source: Kyiv Courier
date: 2025-12-04
url: https://courier.example/sanctions
author: Ivan Petrenko
---
Sanctions on shipping were widened by the council on Monday.

Traders said the sanctions had little effect on grain prices so far.

A third round of sanctions is expected before the end of the year.
";

// ------------------------------------------------------------------ the tests

#[test]
fn a_shared_link_runs_its_search_and_shows_the_cited_passage() {
    let page = Page::open(Viewport::Desktop);
    page.goto("/?q=frozen+assets");
    let hits = page.wait_for_hits();
    let first = &hits[0];
    assert_eq!(first["rank"], "1");
    assert!(
        first["passage"]
            .as_str()
            .unwrap()
            .contains("the use of frozen Russian assets"),
        "{first}"
    );
    assert_eq!(first["cite"], format!("{UKRAINE_PATH}:8 ¶6"));
    assert_eq!(
        first["title"],
        "Ukraine's top security officials meet US negotiators in Miami amid peace push"
    );
    let marks: Vec<String> = serde_json::from_value(first["marks"].clone()).unwrap();
    assert!(marks.contains(&"frozen".to_string()), "{marks:?}");
    assert!(marks.contains(&"assets".to_string()), "{marks:?}");
    assert_eq!(page.value("#q"), "frozen assets");
    assert!(page.text("#status").contains("matching passage"));

    // The copy button answers (the clipboard API, or the copy command).
    page.click(".hit .copy");
    page.wait("the copy button says it copied", || {
        page.text(".hit .copy") == "Copied"
    });

    // Every control has a label; every button says what it does.
    let unlabelled = page.js("return [...document.querySelectorAll('input, select')]
           .filter(e => e.type !== 'hidden' && e.labels.length === 0).map(e => e.id)
         .concat([...document.querySelectorAll('button')]
           .filter(b => !(b.getAttribute('aria-label') || b.textContent.trim())).map(b => b.id))");
    assert_eq!(unlabelled, json!([]));

    // The README's picture: several hits, a spelling note, the controls.
    page.goto("/?q=Witkof+Miami+talks");
    page.wait("the screenshot's hits", || page.hit_list().len() >= 5);
    page.save_screenshot("page.png");
}

#[test]
fn typing_a_query_and_enter_shows_new_hits_and_puts_the_query_in_the_url() {
    let page = Page::open(Viewport::Desktop);
    page.goto("/?q=frozen+assets");
    page.wait_for_hits();
    let input = page.session.find("#q");
    page.session.clear(&input);
    page.session.send_keys(&input, "hryvnia\u{E007}"); // Enter
    page.wait("the new query's hits", || {
        page.hit_list()
            .first()
            .is_some_and(|h| h["passage"].as_str().unwrap().contains("hryvnia"))
    });
    let url = page.session.url();
    assert!(url.ends_with("/?q=hryvnia"), "{url}");

    // Back returns to the first search (popstate), hits and box alike.
    page.session.back();
    page.wait("the previous search again", || {
        page.value("#q") == "frozen assets"
            && page
                .hit_list()
                .first()
                .is_some_and(|h| h["cite"] == format!("{UKRAINE_PATH}:8 ¶6"))
    });
}

#[test]
fn clicking_a_citation_opens_it_in_context_with_the_cited_passage_marked() {
    let page = Page::open(Viewport::Desktop);
    page.goto("/?q=frozen+assets");
    page.wait_for_hits();
    page.click(".hit .citation");
    let context = page.wait_for_context();
    assert_eq!(context["open"], true);
    assert_eq!(context["stale"], false);
    let cited: Vec<String> = serde_json::from_value(context["cited"].clone()).unwrap();
    assert_eq!(cited.len(), 1, "{context}");
    assert!(cited[0].contains("the use of frozen Russian assets"));
    // Neighbours on both sides, in order, around the cited paragraph.
    assert_eq!(context["numbers"], json!(["¶4", "¶5", "¶6", "¶7", "¶8"]));
    assert!(context["cite"]
        .as_str()
        .unwrap()
        .starts_with(&format!("{UKRAINE_PATH}:8 ¶6")));
    let url = page.session.url();
    assert!(
        url.contains("show=seeds%2F000_792c1fc0d0c2a89d.txt%3A8"),
        "{url}"
    );

    // Escape closes it, and the URL forgets it; the link opens it again.
    page.session
        .send_keys(&page.session.find("#context-close"), "\u{E00C}");
    page.wait("the context view closed and gone from the URL", || {
        page.js("return document.getElementById('context').open") == json!(false)
            && !page.session.url().contains("show=")
    });
    page.goto(&url.replace(&page.base, ""));
    let again = page.wait_for_context();
    assert_eq!(again["cited"], context["cited"]);
}

#[test]
fn markup_in_the_corpus_renders_as_text_never_as_html() {
    let page = Page::open(Viewport::Desktop);
    page.goto("/?q=alert+bold");
    let hits = page.wait_for_hits();
    let hit = &hits[0];
    assert!(
        hit["passage"]
            .as_str()
            .unwrap()
            .contains("Officials said <script>alert(1)</script> and <b>bold</b> appeared"),
        "{hit}"
    );
    assert_eq!(
        hit["title"],
        "Markup <img src=x onerror=alert(2)> in a title"
    );
    // The literal characters are what a person sees, too.
    assert!(page.text("#hits").contains("<script>alert(1)</script>"));
    page.click(".hit .citation");
    page.wait_for_context();
    assert!(page
        .text("#context-body")
        .contains("<script>alert(1)</script> and <b>bold</b>"));
    // No element was made from the text, no script ran, no javascript: link.
    let made = page.js(
        "return document.querySelectorAll('main script, main b, main img, dialog script, dialog b, dialog img, a[href^=\"javascript\"]').length",
    );
    assert_eq!(made, json!(0));
    assert_eq!(page.session.alert_text(), None, "an alert opened");
}

#[test]
fn highlights_fall_on_the_matched_words_in_non_ascii_text() {
    let page = Page::open(Viewport::Desktop);
    page.goto("/?q=hryvnia+thursday");
    let hits = page.wait_for_hits();
    let hit = hits
        .iter()
        .find(|h| h["passage"].as_str().unwrap().contains("café"))
        .expect("the non-ASCII passage");
    // Byte offsets counted as UTF-16 indices would land ~9 characters late.
    assert_eq!(hit["marks"], json!(["hryvnia", "Thursday"]), "{hit}");
    assert_eq!(
        hit["passage"],
        "Zoë’s café — naïve “Kyiv” 😀 briefing: the hryvnia steadied on Thursday."
    );
    let meta = hit["meta"].as_str().unwrap();
    assert!(
        meta.starts_with("2025-11-20 · Test Wire · Zoë Park, Olena Kovalenko"),
        "{meta}"
    );
}

#[test]
fn a_stale_citation_is_marked_in_the_hits_and_in_the_context() {
    let page = Page::open(Viewport::Desktop);
    page.goto("/?q=grain+prices");
    let before = page.wait_for_hits();
    assert_eq!(before[0]["stale"], false);
    assert!(page.js("return document.querySelector('.stale-badge') === null") == json!(true));

    // The cited paragraph changes (and the file's size with it).
    let path = page.sandbox.join("corpus/courier.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("little effect", "no visible effect")).unwrap();

    page.goto("/?q=grain+prices&sort=relevance");
    page.wait("the hit marked stale", || {
        page.hit_list().first().is_some_and(|h| h["stale"] == true)
    });
    assert!(page.text(".hit.stale .stale-badge").contains("STALE"));
    page.click(".hit.stale .citation");
    let context = page.wait_for_context();
    assert_eq!(context["stale"], true, "{context}");
    assert!(page.text("#context-stale").contains("STALE"));
    assert_eq!(page.text(".para.cited .cited-label"), "CITED, STALE");
}

#[test]
fn per_article_and_the_source_filter_change_the_hits() {
    let page = Page::open(Viewport::Desktop);
    page.goto("/?q=sanctions");
    let all = page.wait_for_hits();
    let courier = |hits: &[Value]| {
        hits.iter()
            .filter(|h| h["meta"].as_str().unwrap().contains("Kyiv Courier"))
            .count()
    };
    assert_eq!(courier(&all), 3, "{all:?}");
    assert_eq!(all.len(), 4, "{all:?}");

    // The source facet, with its counts, is the filter's list.
    let options =
        page.js("return [...document.querySelectorAll('#source option')].map(o => o.textContent)");
    assert_eq!(
        options,
        json!([
            "All sources",
            "Kyiv Courier — 3 passages (1 article)",
            "Test Wire — 1 passage (1 article)"
        ])
    );

    page.click("#per_article");
    page.wait("one hit per article", || {
        let hits = page.hit_list();
        hits.len() == 2 && courier(&hits) == 1
    });
    assert!(page.session.url().contains("per_article=1"));

    page.click("#per_article");
    page.wait("every passage again", || page.hit_list().len() == 4);
    page.select("#source", "Kyiv Courier");
    page.wait("only the Kyiv Courier's hits", || {
        let hits = page.hit_list();
        hits.len() == 3 && courier(&hits) == 3
    });
    let url = page.session.url();
    assert!(url.contains("source=Kyiv+Courier"), "{url}");
    // The other sources stay on offer, with the counts of the unfiltered search.
    assert_eq!(
        page.js("return document.querySelectorAll('#source option').length"),
        json!(3)
    );

    // A date range: the Courier is dated December, the markup copy November.
    page.goto("/?q=sanctions&until=2025-11-30");
    page.wait("only November's hit", || {
        let hits = page.hit_list();
        hits.len() == 1 && hits[0]["meta"].as_str().unwrap().contains("Test Wire")
    });
    assert_eq!(page.value("#until"), "2025-11-30");
}

#[test]
fn notes_warnings_and_errors_are_shown_as_the_cli_shows_them() {
    let page = Page::open(Viewport::Desktop);
    page.goto("/?q=Witkof+%22peace");
    page.wait_for_hits();
    let notes = page.text("#notes");
    assert!(
        notes.contains("note: few or no passages contain `Witkof`; searched also for Witkoff"),
        "{notes}"
    );
    assert!(notes.contains("warning: unclosed quote"), "{notes}");

    // An API error (nothing searchable in the query) is a message, not a blank page.
    page.goto("/?q=%F0%9F%98%80");
    page.wait("the error message", || {
        page.js("return !document.getElementById('error').hidden") == json!(true)
    });
    assert!(!page.text("#error").is_empty());
    assert_eq!(page.hit_list().len(), 0);
}

#[test]
fn the_page_fits_a_phone_screen() {
    let page = Page::open(Viewport::Phone);
    page.goto("/?q=frozen+assets");
    page.wait_for_hits();
    assert_eq!(page.js("return window.innerWidth"), json!(375));
    let widths = page
        .js("return [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
    assert!(
        widths[0].as_u64() <= widths[1].as_u64(),
        "the page scrolls sideways at 375 px: {widths}"
    );
    page.click(".hit .citation");
    page.wait_for_context();
    let widths = page.js(
        "return [document.documentElement.scrollWidth, document.documentElement.clientWidth,
                 document.getElementById('context').getBoundingClientRect().right]",
    );
    assert!(widths[0].as_u64() <= widths[1].as_u64(), "{widths}");
    assert!(widths[2].as_f64().unwrap() <= 375.0, "{widths}");
    page.save_screenshot("page-phone-context.png");
}

#[test]
fn with_an_api_key_the_page_asks_for_it_and_then_searches() {
    let page = Page::open_serving(Viewport::Desktop, &["--api-key", "s3cret words"]);
    page.goto("/?q=frozen+assets");
    page.wait("the key form", || {
        page.js("return !document.getElementById('key-form').hidden") == json!(true)
    });
    assert!(!page.text("#error").is_empty());
    assert_eq!(page.hit_list().len(), 0);
    // A wrong key is refused again; the right one (typed, then Enter) searches.
    let key = page.session.find("#api-key");
    page.session.send_keys(&key, "wrong\u{E007}");
    page.wait("the key form again", || {
        page.js("return !document.getElementById('key-form').hidden") == json!(true)
    });
    page.session
        .send_keys(&page.session.find("#api-key"), "s3cret words\u{E007}");
    let hits = page.wait_for_hits();
    assert_eq!(hits[0]["cite"], format!("{UKRAINE_PATH}:8 ¶6"));
    assert!(page.js("return document.getElementById('key-form').hidden") == json!(true));
}

// ------------------------------------------------------------------ the harness

/// The browser window: a desktop one, or a phone's 375 px (Chromium's mobile
/// emulation, since a desktop window cannot be made that narrow).
#[derive(Clone, Copy)]
enum Viewport {
    Desktop,
    Phone,
}

/// A test's world: the indexed sandbox, the server, chromedriver and a session.
struct Page {
    sandbox: Sandbox,
    /// `http://127.0.0.1:PORT` of the server.
    base: String,
    session: Session,
    _driver: Process,
    _server: Process,
}

impl Page {
    fn open(viewport: Viewport) -> Page {
        Page::open_serving(viewport, &[])
    }

    /// As [`Page::open`], with more `search serve` arguments.
    fn open_serving(viewport: Viewport, serve_args: &[&str]) -> Page {
        let (chromium, chromedriver) = browser_binaries();
        let sandbox = Sandbox::with_seeds();
        std::fs::create_dir_all(sandbox.join("corpus")).unwrap();
        std::fs::write(sandbox.join("corpus/markup.md"), MARKUP_MD).unwrap();
        std::fs::write(sandbox.join("corpus/courier.md"), COURIER_MD).unwrap();
        sandbox.ok(&["index", "seeds", "corpus", "--threads", "1"]);
        let (server, base) = start_server(&sandbox, serve_args);
        let (driver, driver_url) = start_chromedriver(&chromedriver, &sandbox);
        let session = Session::new(&driver_url, &chromium, &sandbox.join("profile"), viewport);
        Page {
            sandbox,
            base,
            session,
            _driver: driver,
            _server: server,
        }
    }

    fn goto(&self, path: &str) {
        self.session.goto(&format!("{}{path}", self.base));
    }

    fn js(&self, script: &str) -> Value {
        self.session.execute(script)
    }

    fn text(&self, css: &str) -> String {
        self.session.text(&self.session.find(css))
    }

    fn value(&self, css: &str) -> String {
        self.js(&format!(
            "return document.querySelector({}).value",
            json!(css)
        ))
        .as_str()
        .unwrap()
        .to_string()
    }

    fn click(&self, css: &str) {
        self.session.click(&self.session.find(css));
    }

    /// Chooses the option of `<select>` `css` whose value is `value`.
    fn select(&self, css: &str, value: &str) {
        let option = self
            .session
            .find(&format!("{css} option[value={}]", json!(value)));
        self.session.click(&option);
    }

    /// The hits as the page shows them: rank, title, meta line, passage, the
    /// highlighted words, the citation text, and whether it is marked stale.
    fn hit_list(&self) -> Vec<Value> {
        let hits = self.js(
            "return [...document.querySelectorAll('#hits > li.hit')].map(h => {
               const text = (css) => { const e = h.querySelector(css); return e ? e.textContent : null; };
               return { rank: text('.rank'), title: text('.title'), meta: text('.meta'),
                        passage: text('.passage'), cite: text('.citation'),
                        marks: [...h.querySelectorAll('.passage mark')].map(m => m.textContent),
                        stale: h.classList.contains('stale') && h.querySelector('.stale-badge') !== null };
             })",
        );
        serde_json::from_value(hits).unwrap()
    }

    fn wait_for_hits(&self) -> Vec<Value> {
        self.wait("hits", || !self.hit_list().is_empty());
        self.hit_list()
    }

    /// Waits for the context view to show a citation; returns what it shows.
    fn wait_for_context(&self) -> Value {
        self.wait("the context view", || {
            self.js("return document.querySelectorAll('#context-body .para').length > 0")
                == json!(true)
        });
        self.js(
            "const d = document.getElementById('context');
             return { open: d.open, stale: d.classList.contains('stale'),
                      cite: document.getElementById('context-cite').textContent,
                      numbers: [...d.querySelectorAll('.para-num')].map(e => e.textContent),
                      cited: [...d.querySelectorAll('.para.cited .para-text')].map(e => e.textContent) }",
        )
    }

    /// Polls `ready` until it holds (the page answers asynchronously).
    fn wait(&self, what: &str, mut ready: impl FnMut() -> bool) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while !ready() {
            if Instant::now() > deadline {
                let body = self.js("return document.body.innerText");
                panic!(
                    "timed out waiting for {what}; the page shows:\n{}",
                    body.as_str().unwrap_or("")
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Saves a screenshot (PNG) under `target/browser-artifacts/`; with
    /// `SEARCH_UPDATE_SCREENSHOT=1`, `page.png` also replaces `docs/serve-page.png`.
    fn save_screenshot(&self, name: &str) {
        let png = self.session.screenshot();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
        let dir = artifacts_dir();
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(name), &png).unwrap();
        if name == "page.png" && std::env::var_os("SEARCH_UPDATE_SCREENSHOT").is_some() {
            std::fs::write(crate::util::repo_root().join("docs/serve-page.png"), &png).unwrap();
        }
    }
}

/// `target/browser-artifacts` (under `CARGO_TARGET_DIR` when set).
fn artifacts_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| crate::util::repo_root().join("target"))
        .join("browser-artifacts")
}

/// A child process killed when dropped.
struct Process(Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Chromium and chromedriver: `$CHROME`/`$CHROMEDRIVER`, else from `PATH`. Missing
/// ones fail the test, saying how to install them: these tests never skip.
fn browser_binaries() -> (PathBuf, PathBuf) {
    let find = |env: &str, names: &[&str]| -> Option<PathBuf> {
        if let Some(path) = std::env::var_os(env) {
            return Some(PathBuf::from(path)).filter(|p| p.is_file());
        }
        let path = std::env::var_os("PATH")?;
        std::env::split_paths(&path)
            .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
            .find(|p| p.is_file())
    };
    let chromium = find("CHROME", &["chromium", "chromium-browser", "google-chrome"]);
    let driver = find("CHROMEDRIVER", &["chromedriver"]);
    match (chromium, driver) {
        (Some(chromium), Some(driver)) => (chromium, driver),
        (chromium, driver) => panic!(
            "the browser tests need Chromium and chromedriver ({} missing): install them with \
             `apt-get install chromium chromium-driver` (Debian; .ci/run does this), or set \
             CHROME and CHROMEDRIVER to their paths",
            [
                ("chromium", chromium.is_none()),
                ("chromedriver", driver.is_none())
            ]
            .iter()
            .filter(|(_, missing)| *missing)
            .map(|(name, _)| *name)
            .collect::<Vec<_>>()
            .join(" and ")
        ),
    }
}

/// `search serve --addr 127.0.0.1:0 -q` in the sandbox; its process and base URL
/// (from the `listening on http://…/` line it prints).
fn start_server(sandbox: &Sandbox, args: &[&str]) -> (Process, String) {
    let log = std::fs::File::create(sandbox.join("serve.log")).unwrap();
    let mut child = search_std(sandbox.path())
        .args(["serve", "--addr", "127.0.0.1:0", "-q"])
        .args(args)
        .env_remove("SEARCH_API_KEY")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(log)
        .spawn()
        .expect("spawn search serve");
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let process = Process(child);
    let Some(url) = first.trim_end().strip_prefix("listening on ") else {
        let log = std::fs::read_to_string(sandbox.join("serve.log")).unwrap_or_default();
        panic!("search serve did not start: {first:?}\n{log}");
    };
    (process, url.trim_end_matches('/').to_string())
}

/// `chromedriver --port=N` on a free loopback port, once it answers `/status`.
fn start_chromedriver(chromedriver: &Path, sandbox: &Sandbox) -> (Process, String) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let log = std::fs::File::create(sandbox.join("chromedriver.log")).unwrap();
    let child = Command::new(chromedriver)
        .arg(format!("--port={port}"))
        .stdin(Stdio::null())
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", chromedriver.display()));
    let process = Process(child);
    let url = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if webdriver::ready(&url) {
            return (process, url);
        }
        if Instant::now() > deadline {
            let log = std::fs::read_to_string(sandbox.join("chromedriver.log")).unwrap_or_default();
            panic!("chromedriver did not answer on port {port}:\n{log}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The few WebDriver (W3C) commands the tests use, as JSON over HTTP.
mod webdriver {
    use std::path::Path;

    use serde_json::{json, Value};

    use super::Viewport;
    use crate::util::http_agent;

    /// The key under which WebDriver returns an element reference.
    const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

    /// True once the driver at `url` accepts new sessions.
    pub fn ready(url: &str) -> bool {
        http_agent()
            .get(format!("{url}/status"))
            .call()
            .ok()
            .and_then(|mut r| r.body_mut().read_json::<Value>().ok())
            .is_some_and(|v| v["value"]["ready"] == true)
    }

    /// One browser session, deleted (the browser closed) when dropped.
    pub struct Session {
        agent: ureq::Agent,
        /// `http://127.0.0.1:PORT/session/ID`.
        url: String,
    }

    /// A found element's reference.
    pub struct Element(String);

    impl Session {
        /// Starts headless Chromium (`chromium`, with its own profile folder).
        pub fn new(driver: &str, chromium: &Path, profile: &Path, viewport: Viewport) -> Session {
            let mut options = json!({
                "binary": chromium,
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                         "--disable-dev-shm-usage", "--hide-scrollbars", "--lang=en-US",
                         "--window-size=1200,1000",
                         format!("--user-data-dir={}", profile.display())],
            });
            if let Viewport::Phone = viewport {
                options["mobileEmulation"] =
                    json!({"deviceMetrics": {"width": 375, "height": 812, "pixelRatio": 2.0}});
            }
            let capabilities = json!({"capabilities": {"alwaysMatch": {
                "browserName": "chrome",
                "goog:chromeOptions": options,
            }}});
            let agent = http_agent();
            let answer = call(
                &agent,
                "POST",
                &format!("{driver}/session"),
                Some(capabilities),
            );
            let id = answer["sessionId"]
                .as_str()
                .unwrap_or_else(|| panic!("no session: {answer}"));
            Session {
                agent,
                url: format!("{driver}/session/{id}"),
            }
        }

        fn cmd(&self, method: &str, path: &str, body: Option<Value>) -> Value {
            call(&self.agent, method, &format!("{}{path}", self.url), body)
        }

        pub fn goto(&self, url: &str) {
            self.cmd("POST", "/url", Some(json!({ "url": url })));
        }

        pub fn url(&self) -> String {
            self.cmd("GET", "/url", None).as_str().unwrap().to_string()
        }

        pub fn back(&self) {
            self.cmd("POST", "/back", Some(json!({})));
        }

        pub fn execute(&self, script: &str) -> Value {
            self.cmd(
                "POST",
                "/execute/sync",
                Some(json!({"script": script, "args": []})),
            )
        }

        pub fn find(&self, css: &str) -> Element {
            let found = self.cmd(
                "POST",
                "/element",
                Some(json!({"using": "css selector", "value": css})),
            );
            Element(found[ELEMENT].as_str().unwrap().to_string())
        }

        pub fn text(&self, element: &Element) -> String {
            let text = self.cmd("GET", &format!("/element/{}/text", element.0), None);
            text.as_str().unwrap().to_string()
        }

        pub fn click(&self, element: &Element) {
            self.cmd(
                "POST",
                &format!("/element/{}/click", element.0),
                Some(json!({})),
            );
        }

        pub fn clear(&self, element: &Element) {
            self.cmd(
                "POST",
                &format!("/element/{}/clear", element.0),
                Some(json!({})),
            );
        }

        /// Types `text` into the element (WebDriver key codes such as `\u{E007}`,
        /// Enter, included).
        pub fn send_keys(&self, element: &Element, text: &str) {
            self.cmd(
                "POST",
                &format!("/element/{}/value", element.0),
                Some(json!({ "text": text })),
            );
        }

        /// The text of an open alert, prompt or confirm, if one is open.
        pub fn alert_text(&self) -> Option<String> {
            let answer = raw(
                &self.agent,
                "GET",
                &format!("{}/alert/text", self.url),
                None,
            );
            answer["value"].as_str().map(str::to_string)
        }

        /// A PNG of the viewport.
        pub fn screenshot(&self) -> Vec<u8> {
            let encoded = self.cmd("GET", "/screenshot", None);
            base64_decode(encoded.as_str().unwrap())
        }
    }

    impl Drop for Session {
        fn drop(&mut self) {
            let _ = raw(&self.agent, "DELETE", &self.url, None);
        }
    }

    /// A command's answer (`value`); a WebDriver error fails the test.
    fn call(agent: &ureq::Agent, method: &str, url: &str, body: Option<Value>) -> Value {
        let answer = raw(agent, method, url, body.clone());
        let value = answer["value"].clone();
        if let Some(error) = value.get("error") {
            panic!(
                "WebDriver {method} {url} {body:?}: {error}: {}",
                value["message"]
            );
        }
        value
    }

    fn raw(agent: &ureq::Agent, method: &str, url: &str, body: Option<Value>) -> Value {
        let request = ureq::http::Request::builder().method(method).uri(url);
        let response = match body {
            Some(body) => agent.run(
                request
                    .header("Content-Type", "application/json")
                    .body(body.to_string())
                    .unwrap(),
            ),
            None => agent.run(request.body(()).unwrap()),
        };
        let mut response = response.unwrap_or_else(|e| panic!("WebDriver {method} {url}: {e}"));
        response
            .body_mut()
            .with_config()
            .limit(64 << 20)
            .read_json::<Value>()
            .unwrap_or_else(|e| panic!("WebDriver {method} {url}: not JSON: {e}"))
    }

    /// Standard base64 (the screenshot's encoding).
    fn base64_decode(text: &str) -> Vec<u8> {
        let value = |c: u8| match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => panic!("not base64: {c}"),
        };
        let digits: Vec<u8> = text
            .bytes()
            .filter(|c| !c.is_ascii_whitespace() && *c != b'=')
            .map(value)
            .collect();
        let mut out = Vec::with_capacity(digits.len() * 3 / 4);
        for chunk in digits.chunks(4) {
            let n = chunk
                .iter()
                .enumerate()
                .fold(0u32, |n, (i, d)| n | (u32::from(*d) << (18 - 6 * i)));
            let bytes = n.to_be_bytes();
            out.extend_from_slice(&bytes[1..chunk.len()]);
        }
        out
    }
}
