//! `search serve` through real HTTP: each test starts the binary on a free loopback
//! port (`--addr 127.0.0.1:0`; the server prints where it listens) and talks to it
//! with ureq, or over a raw socket where a client library would not misbehave.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::util::{hits, http_agent, search_std, seed_questions, Sandbox, UKRAINE_PATH};

/// A running `search serve`, stopped (SIGKILL) when dropped.
struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT`, without a closing slash.
    url: String,
    stderr: Arc<Mutex<String>>,
    reader: Option<JoinHandle<()>>,
}

impl Server {
    /// `search serve --addr 127.0.0.1:0 ARGS` in `sb`, once it listens.
    fn start(sb: &Sandbox, args: &[&str]) -> Server {
        Server::try_start(sb, args, &[]).unwrap_or_else(|(code, stderr)| {
            panic!("search serve {args:?} exited {code:?} before listening:\n{stderr}")
        })
    }

    /// As [`Server::start`], with `env` set; the exit status and stderr of a server
    /// that stopped before listening.
    fn try_start(
        sb: &Sandbox,
        args: &[&str],
        env: &[(&str, &str)],
    ) -> Result<Server, (Option<i32>, String)> {
        let mut cmd = search_std(sb.path());
        cmd.args(["serve", "--addr", "127.0.0.1:0"])
            .args(args)
            .env_remove("SEARCH_API_KEY")
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("spawn search serve");
        let stderr = Arc::new(Mutex::new(String::new()));
        let reader = {
            let stderr = stderr.clone();
            let mut pipe = BufReader::new(child.stderr.take().unwrap());
            std::thread::spawn(move || {
                let mut line = String::new();
                while pipe.read_line(&mut line).unwrap_or(0) > 0 {
                    stderr.lock().unwrap().push_str(&line);
                    line.clear();
                }
            })
        };
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut first = String::new();
        stdout.read_line(&mut first).unwrap();
        let Some(url) = first.trim_end().strip_prefix("listening on ") else {
            let status = child.wait().unwrap();
            reader.join().unwrap();
            let stderr = stderr.lock().unwrap().clone();
            return Err((status.code(), format!("stdout: {first}\nstderr: {stderr}")));
        };
        assert!(url.starts_with("http://127.0.0.1:"), "{first}");
        Ok(Server {
            url: url.trim_end_matches('/').to_string(),
            child,
            stderr,
            reader: Some(reader),
        })
    }

    /// `METHOD PATH` with `headers` and an optional body.
    fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&[u8]>,
    ) -> Answer {
        let mut request = ureq::http::Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.url));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = match body {
            Some(body) => http_agent().run(request.body(body.to_vec()).unwrap()),
            None => http_agent().run(request.body(()).unwrap()),
        }
        .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        Answer::from(response)
    }

    /// `GET PATH`.
    fn get(&self, path: &str) -> Answer {
        self.request("GET", path, &[], None)
    }

    /// `POST PATH` with a JSON body.
    fn post_json(&self, path: &str, body: &str) -> Answer {
        self.request(
            "POST",
            path,
            &[("Content-Type", "application/json")],
            Some(body.as_bytes()),
        )
    }

    /// What the server wrote on stderr so far.
    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Sends SIGTERM; returns the exit status and all of stderr.
    fn terminate(mut self) -> (Option<i32>, String) {
        signal(&self.child, libc::SIGTERM);
        let status = self.child.wait().unwrap();
        self.reader.take().unwrap().join().unwrap();
        (status.code(), self.stderr())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn signal(child: &Child, signal: libc::c_int) {
    // SAFETY: a plain kill(2) of a child this test spawned and has not reaped.
    let rc = unsafe { libc::kill(child.id() as libc::pid_t, signal) };
    assert_eq!(rc, 0, "kill failed");
}

/// One HTTP answer.
struct Answer {
    status: u16,
    headers: ureq::http::HeaderMap,
    body: String,
}

impl From<ureq::http::Response<ureq::Body>> for Answer {
    fn from(mut response: ureq::http::Response<ureq::Body>) -> Answer {
        Answer {
            status: response.status().as_u16(),
            headers: response.headers().clone(),
            body: response
                .body_mut()
                .with_config()
                .limit(64 << 20)
                .read_to_string()
                .unwrap(),
        }
    }
}

impl Answer {
    /// The body as JSON (it must be JSON, with a JSON content type).
    fn json(&self) -> Value {
        let kind = self.header("content-type").unwrap_or_default();
        assert!(
            kind.starts_with("application/json"),
            "content-type {kind:?}: {}",
            self.body
        );
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", self.body))
    }

    fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_string())
    }

    /// Asserts a 200 and returns the JSON body.
    fn ok(&self) -> Value {
        assert_eq!(self.status, 200, "{}", self.body);
        self.json()
    }

    /// Asserts an error answer with `status` and `code` in the documented shape;
    /// returns its message.
    fn error(&self, status: u16, code: &str) -> String {
        assert_eq!(self.status, status, "{}", self.body);
        let body = self.json();
        assert_eq!(body["error"]["code"], code, "{body}");
        assert_eq!(body.as_object().unwrap().len(), 1, "{body}");
        body["error"]["message"]
            .as_str()
            .filter(|m| !m.is_empty())
            .unwrap_or_else(|| panic!("no message: {body}"))
            .to_string()
    }
}

/// Percent-encodes a query-string value.
fn enc(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A search answer without `took_ms` (after checking it is a number of
/// milliseconds), to compare with the CLI's JSON.
fn without_took_ms(mut answer: Value) -> Value {
    let took = answer
        .as_object_mut()
        .unwrap()
        .remove("took_ms")
        .unwrap_or_else(|| panic!("no took_ms in {answer}"));
    assert!(took.as_f64().is_some_and(|ms| ms >= 0.0), "took_ms {took}");
    answer
}

// ---------------------------------------------------------------- search

#[test]
fn search_answers_as_the_cli_does_for_the_seed_questions() {
    let sb = Sandbox::indexed();
    let server = Server::start(&sb, &[]);
    for question in seed_questions() {
        let cli = sb.query_json(&question.query, &[]);
        let get = without_took_ms(
            server
                .get(&format!("/api/search?q={}", enc(&question.query)))
                .ok(),
        );
        assert_eq!(get, cli, "GET {:?}", question.query);
        let body = json!({ "q": question.query }).to_string();
        let post = without_took_ms(server.post_json("/api/search", &body).ok());
        assert_eq!(post, cli, "POST {:?}", question.query);
        assert!(!hits(&get).is_empty(), "{:?} found nothing", question.query);
    }
}

/// A small wire corpus with outlets, dates and authors, for the filters.
fn wire() -> Sandbox {
    let sb = Sandbox::empty();
    let records = [
        (
            "r1",
            "Reuters",
            "2025-12-04",
            "Olena Kovalenko",
            "Frozen assets talks resume in Brussels on Thursday, ministers said.",
        ),
        (
            "r2",
            "Reuters",
            "2025-11-20",
            "John Smith",
            "The frozen assets were the main subject of the summit in November.",
        ),
        (
            "ap1",
            "Associated Press",
            "2025-12-02",
            "Zoë Park",
            "Ministers split over the frozen assets and reparations.",
        ),
        (
            "bbc1",
            "BBC News",
            "2024-06-01",
            "John Smith",
            "A year earlier, talk of frozen assets was only a rumour.",
        ),
    ];
    let lines: Vec<String> = records
        .iter()
        .map(|(id, source, date, author, text)| {
            json!({"id": id, "title": format!("Story {id}"), "source": source, "date": date, "author": author, "text": text})
                .to_string()
        })
        .collect();
    sb.write("wire/news.jsonl", lines.join("\n") + "\n");
    sb.ok(&["index", "wire", "--threads", "1"]);
    sb
}

#[test]
fn every_query_option_passes_through_as_on_the_command_line() {
    let sb = wire();
    let server = Server::start(&sb, &[]);
    // (API parameters as a query string, as a JSON body, the CLI flags).
    let cases: &[(&str, Value, &[&str])] = &[
        (
            "limit=2&offset=1",
            json!({"limit": 2, "offset": 1}),
            &["--limit", "2", "--offset", "1"],
        ),
        (
            "per_article=true",
            json!({"per_article": true}),
            &["--per-article"],
        ),
        ("typos=false", json!({"typos": false}), &["--no-typos"]),
        ("collapse=true", json!({"collapse": true}), &["--collapse"]),
        ("feedback=true", json!({"feedback": true}), &["--feedback"]),
        ("count=true", json!({"count": true}), &["--count"]),
        ("explain=true", json!({"explain": true}), &["--explain"]),
        (
            "sort=newest",
            json!({"sort": "newest"}),
            &["--sort", "newest"],
        ),
        (
            "sort=oldest",
            json!({"sort": "oldest"}),
            &["--sort", "oldest"],
        ),
        (
            "facets=source,author,date:day",
            json!({"facets": ["source", "author", "date:day"]}),
            &["--facets", "source,author,date:day"],
        ),
        (
            "since=2025-12",
            json!({"since": "2025-12"}),
            &["--since", "2025-12"],
        ),
        (
            "until=2025-11&count=true",
            json!({"until": "2025-11", "count": true}),
            &["--until", "2025-11", "--count"],
        ),
        (
            "since=2025&until=2025-11-30",
            json!({"since": "2025", "until": "2025-11-30"}),
            &["--since", "2025", "--until", "2025-11-30"],
        ),
    ];
    for query in [
        "frozen assets",
        "assets source:Reuters",
        "author:\"John Smith\"",
        "frozne asets",
    ] {
        for (params, body, flags) in cases {
            let cli = sb.query_json(query, flags);
            let get = server.get(&format!("/api/search?q={}&{params}", enc(query)));
            assert_eq!(without_took_ms(get.ok()), cli, "GET {query:?} {params}");
            let mut body = body.clone();
            body["q"] = json!(query);
            let post = server.post_json("/api/search", &body.to_string());
            assert_eq!(without_took_ms(post.ok()), cli, "POST {query:?} {body}");
        }
    }
    // The filters did filter: the facets count only what passes.
    let answer = server
        .get("/api/search?q=assets&since=2025-12&facets=source")
        .ok();
    let sources: Vec<&str> = answer["facets"]["source"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["value"].as_str().unwrap())
        .collect();
    assert_eq!(sources, ["Associated Press", "Reuters"], "{answer}");
}

#[test]
fn a_query_that_matches_nothing_is_an_empty_answer_not_an_error() {
    let sb = Sandbox::indexed();
    let server = Server::start(&sb, &[]);
    let answer = server.get("/api/search?q=zanzibarite&typos=false").ok();
    assert_eq!(hits(&answer).len(), 0, "{answer}");
    assert_eq!(answer["query"], "zanzibarite");
}

// ---------------------------------------------------------------- show, stats, verify, health

#[test]
fn show_gives_the_paragraph_in_context_and_sees_an_edited_source() {
    let sb = Sandbox::indexed();
    let server = Server::start(&sb, &[]);
    let citation = format!("{UKRAINE_PATH}:8");
    for context in ["0", "1", "3"] {
        let cli: Value = serde_json::from_str(
            &sb.ok(&["show", &citation, "--context", context, "--format", "json"])
                .stdout,
        )
        .unwrap();
        let api = server
            .get(&format!(
                "/api/show?citation={}&context={context}",
                enc(&citation)
            ))
            .ok();
        assert_eq!(api, cli, "context {context}");
    }
    let shown = server
        .get(&format!("/api/show?citation={}", enc(&citation)))
        .ok();
    assert_eq!(shown["stale"], false);
    let cited: Vec<&Value> = shown["paragraphs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["cited"] == true)
        .collect();
    assert_eq!(cited.len(), 1, "{shown}");
    assert!(cited[0]["text"]
        .as_str()
        .unwrap()
        .contains("frozen Russian assets"));
    assert_eq!(
        shown["paragraphs"].as_array().unwrap().len(),
        3,
        "one on each side"
    );
    assert!(shown["citation"]["title"]
        .as_str()
        .unwrap()
        .starts_with("Ukraine"));
    // By article id too.
    let by_id = server
        .get("/api/show?citation=000_792c1fc0d0c2a89d%236")
        .ok();
    assert_eq!(by_id["paragraphs"], shown["paragraphs"]);

    // Edit the cited words in the source: the citation no longer holds.
    let source = sb.join(UKRAINE_PATH);
    let text = std::fs::read_to_string(&source).unwrap();
    std::fs::write(
        &source,
        text.replace("frozen Russian assets", "frozen Russian ASSETS"),
    )
    .unwrap();
    let stale = server
        .get(&format!("/api/show?citation={}", enc(&citation)))
        .ok();
    assert_eq!(stale["stale"], true, "{stale}");
    assert_eq!(stale["problems"].as_array().unwrap().len(), 1, "{stale}");
    let cli = sb.run(&["show", &citation, "--format", "json"], 7);
    assert_eq!(stale, serde_json::from_str::<Value>(&cli.stdout).unwrap());
    // The audit says so too, as `search verify` does.
    let audit = server.request("POST", "/api/verify", &[], None).ok();
    let cli = sb.run(&["verify", "--format", "json"], 7);
    assert_eq!(audit, serde_json::from_str::<Value>(&cli.stdout).unwrap());
    assert_eq!(audit["stale"].as_array().unwrap().len(), 1, "{audit}");
}

#[test]
fn stats_verify_and_health_answer_as_the_cli_does() {
    let sb = Sandbox::indexed();
    let server = Server::start(&sb, &[]);
    let stats = server.get("/api/stats").ok();
    let cli: Value = serde_json::from_str(&sb.ok(&["stats", "--format", "json"]).stdout).unwrap();
    assert_eq!(stats, cli);
    let audit = server.request("POST", "/api/verify", &[], None).ok();
    let cli: Value = serde_json::from_str(&sb.ok(&["verify", "--format", "json"]).stdout).unwrap();
    assert_eq!(audit, cli);
    let health = server.get("/api/health").ok();
    assert_eq!(health["status"], "ok");
    assert_eq!(health["passages"], stats["passages"]);
}

#[test]
fn a_missing_index_is_503_until_search_index_builds_it() {
    let sb = Sandbox::with_seeds();
    let server = Server::start(&sb, &[]);
    let waited = Instant::now();
    while !server.stderr().contains("503") && waited.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(
        server.stderr().contains("no index in index/"),
        "{}",
        server.stderr()
    );
    server.get("/api/health").error(503, "index_missing");
    server
        .get("/api/search?q=Miami")
        .error(503, "index_missing");
    server.get("/api/stats").error(503, "index_missing");
    server
        .get(&format!("/api/show?citation={UKRAINE_PATH}:8"))
        .error(503, "index_missing");
    server
        .request("POST", "/api/verify", &[], None)
        .error(503, "index_missing");
    // The server never builds it (it is read-only)...
    assert!(!sb.join("index").exists());
    // ...but opens it once `search index` has.
    sb.ok(&["index", "seeds", "--threads", "1"]);
    server.get("/api/health").ok();
    let answer = server.get("/api/search?q=Miami").ok();
    assert!(!hits(&answer).is_empty());
}

#[test]
fn a_damaged_index_is_503() {
    let sb = Sandbox::indexed();
    sb.write("index/meta.json", "this is not JSON {");
    let server = Server::start(&sb, &[]);
    server.get("/api/health").error(503, "index_damaged");
    let message = server
        .get("/api/search?q=Miami")
        .error(503, "index_damaged");
    assert!(message.contains("corrupt"), "{message}");
}

// ---------------------------------------------------------------- errors and limits

#[test]
fn malformed_requests_get_json_errors_never_a_500() {
    let sb = Sandbox::indexed();
    let server = Server::start(&sb, &[]);
    for (path, status, code) in [
        ("/api/search", 400, "bad_parameter"),
        ("/api/search?q=", 400, "empty_query"),
        ("/api/search?q=%20%20", 400, "empty_query"),
        ("/api/search?q=%F0%9F%99%82", 400, "nothing_searchable"),
        ("/api/search?q=x&limit=0", 400, "bad_parameter"),
        ("/api/search?q=x&limit=-1", 400, "bad_parameter"),
        ("/api/search?q=x&limit=ten", 400, "bad_parameter"),
        (
            "/api/search?q=x&limit=99999999999999999999999",
            400,
            "bad_parameter",
        ),
        ("/api/search?q=x&offset=1.5", 400, "bad_parameter"),
        ("/api/search?q=x&per_article=maybe", 400, "bad_parameter"),
        ("/api/search?q=x&sort=sideways", 400, "bad_parameter"),
        ("/api/search?q=x&facets=colour", 400, "bad_parameter"),
        ("/api/search?q=x&since=yesterday", 400, "bad_parameter"),
        ("/api/search?q=x&until=2025-13", 400, "bad_parameter"),
        ("/api/search?q=x&limt=3", 400, "bad_parameter"),
        ("/api/search?q=x&q=y", 400, "bad_parameter"),
        ("/api/search?q=x&limit=10001", 413, "limit_too_large"),
        (
            "/api/search?q=x&limit=10&offset=9995",
            413,
            "limit_too_large",
        ),
        ("/api/show", 400, "bad_parameter"),
        ("/api/show?citation=nonsense", 400, "bad_citation"),
        (
            "/api/show?citation=seeds/000_792c1fc0d0c2a89d.txt:8&context=x",
            400,
            "bad_parameter",
        ),
        (
            "/api/show?citation=seeds/000_792c1fc0d0c2a89d.txt:8&context=1001",
            400,
            "bad_parameter",
        ),
        (
            "/api/show?citation=seeds/000_792c1fc0d0c2a89d.txt:8&colour=red",
            400,
            "bad_parameter",
        ),
        (
            "/api/show?citation=seeds/nope.txt:8",
            404,
            "unknown_citation",
        ),
        (
            "/api/show?citation=seeds/000_792c1fc0d0c2a89d.txt:999",
            404,
            "unknown_citation",
        ),
        (
            "/api/show?citation=000_792c1fc0d0c2a89d%2399",
            404,
            "unknown_citation",
        ),
        ("/api/show?citation=nobody%231", 404, "unknown_citation"),
        ("/api/nope", 404, "not_found"),
        ("/api", 404, "not_found"),
        ("/api/search/extra", 404, "not_found"),
    ] {
        let answer = server.get(path);
        answer.error(status, code);
    }
    for (body, status, code) in [
        ("", 400, "bad_body"),
        ("{", 400, "bad_body"),
        ("[]", 400, "bad_body"),
        ("\"frozen\"", 400, "bad_body"),
        ("{\"q\": \"x\"} trailing", 400, "bad_body"),
        ("{\"q\": 42}", 400, "bad_body"),
        ("{\"q\": \"x\", \"limit\": \"3\"}", 400, "bad_body"),
        ("{\"q\": \"x\", \"limit\": 2.5}", 400, "bad_body"),
        ("{\"q\": \"x\", \"limit\": -1}", 400, "bad_body"),
        ("{\"q\": \"x\", \"count\": \"yes\"}", 400, "bad_body"),
        ("{\"q\": \"x\", \"facets\": 3}", 400, "bad_body"),
        ("{\"q\": \"x\", \"limt\": 3}", 400, "bad_body"),
        ("{\"limit\": 3}", 400, "bad_parameter"),
        ("{\"q\": \"\"}", 400, "empty_query"),
        ("{\"q\": \"x\", \"limit\": 0}", 400, "bad_parameter"),
        ("{\"q\": \"x\", \"sort\": \"up\"}", 400, "bad_parameter"),
        ("{\"q\": \"x\", \"limit\": 20000}", 413, "limit_too_large"),
    ] {
        server.post_json("/api/search", body).error(status, code);
    }
    // Not sent as JSON.
    server
        .request(
            "POST",
            "/api/search",
            &[("Content-Type", "text/plain")],
            Some(b"{\"q\": \"x\"}"),
        )
        .error(415, "unsupported_media_type");
    // Methods a route does not take.
    for (method, path) in [
        ("DELETE", "/api/search"),
        ("PUT", "/api/search"),
        ("POST", "/api/stats"),
        ("GET", "/api/verify"),
        ("POST", "/api/show"),
    ] {
        server
            .request(method, path, &[], None)
            .error(405, "method_not_allowed");
    }
    // Bytes that are not UTF-8 are read as replacement characters, not refused
    // with a 500.
    assert_eq!(server.get("/api/search?q=%FF%FE").status, 400);
    assert!(!server.stderr().contains(" 500 "), "{}", server.stderr());
}

#[test]
fn limits_on_query_length_body_size_and_time_are_413_and_504() {
    let sb = Sandbox::indexed();
    let server = Server::start(&sb, &[]);
    // A query of MAX_QUERY_BYTES is searched; one byte more is refused.
    let longest = "Miami ".repeat(65_536 / 6) + &"x".repeat(65_536 % 6);
    assert_eq!(longest.len(), 65_536);
    let answer = server.post_json("/api/search", &json!({"q": longest}).to_string());
    assert!(!hits(&answer.ok()).is_empty());
    let message = server
        .post_json(
            "/api/search",
            &json!({"q": longest.clone() + "x"}).to_string(),
        )
        .error(413, "query_too_long");
    assert!(message.contains("65536"), "{message}");
    // A body over 1 MiB, however it is sent.
    let big = json!({"q": "Miami", "pad": "x".repeat(1 << 20)}).to_string();
    server
        .post_json("/api/search", &big)
        .error(413, "body_too_large");
    // A URL longer than the HTTP stack takes is refused before it is parsed (the
    // limit for GET is the URL's; POST takes the longest queries).
    let status = raw_status(
        &server,
        &format!(
            "GET /api/search?q={} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
            "a".repeat(70_000)
        ),
    );
    assert!((400..500).contains(&status), "status {status}");
    drop(server);

    // A request that runs past --timeout gets 504 (the audit of a corpus large
    // enough to take longer than a millisecond).
    let sb = Sandbox::with_seeds();
    let text = std::fs::read_to_string(sb.join(UKRAINE_PATH)).unwrap();
    for n in 0..200 {
        sb.write(&format!("seeds/copy-{n}.txt"), &text);
    }
    sb.ok(&["index", "seeds"]);
    let server = Server::start(&sb, &["--timeout", "0.001"]);
    let message = server
        .request("POST", "/api/verify", &[], None)
        .error(504, "timeout");
    assert!(message.contains("0.001"), "{message}");
}

/// Sends `request` over a raw socket and returns the answer's status.
fn raw_status(server: &Server, request: &str) -> u16 {
    let mut stream = TcpStream::connect(server.url.trim_start_matches("http://")).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer);
    answer
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status line: {answer:?}"))
}

#[test]
fn show_resolves_only_indexed_passages_and_never_follows_a_path() {
    let sb = Sandbox::indexed();
    // Files the index does not hold, with text a leak would show.
    sb.write(
        "secret.txt",
        "Title\n\nTOP SECRET paragraph one.\n\nTOP SECRET paragraph two.\n",
    );
    sb.write("seeds-private/secret.txt", "Title\n\nTOP SECRET again.\n");
    let absolute = sb.join("secret.txt").display().to_string();
    let server = Server::start(&sb, &[]);
    let attempts = [
        "../secret.txt:3".to_string(),
        "seeds/../secret.txt:3".to_string(),
        "./../secret.txt:3".to_string(),
        "seeds/../../../../etc/passwd:1".to_string(),
        "/etc/passwd:1".to_string(),
        format!("{absolute}:3"),
        "secret.txt:3".to_string(),
        "seeds-private/secret.txt:3".to_string(),
        format!("{}/{UKRAINE_PATH}:8", sb.path().display()),
    ];
    let mut paths: Vec<String> = attempts
        .iter()
        .map(|c| format!("/api/show?citation={}", enc(c)))
        .collect();
    // Encoded forms, as a browser or a script could send them.
    paths.extend(
        [
            "/api/show?citation=%2e%2e%2fsecret.txt:3",
            "/api/show?citation=%2E%2E/secret.txt:3",
            "/api/show?citation=seeds%2f%2e%2e%2fsecret.txt:3",
            "/api/show?citation=%252e%252e%252fsecret.txt:3",
            "/api/show?citation=..%5csecret.txt:3",
            "/api/show?citation=%2fetc%2fpasswd:1",
            "/api/show?citation=seeds/000_792c1fc0d0c2a89d.txt%00.txt:8",
        ]
        .map(String::from),
    );
    for path in &paths {
        let answer = server.get(path);
        assert!(
            answer.status == 404 || answer.status == 400,
            "{path}: {} {}",
            answer.status,
            answer.body
        );
        answer.json()["error"]["code"].as_str().unwrap();
        assert!(
            !answer.body.contains("TOP SECRET"),
            "{path}: {}",
            answer.body
        );
        assert!(!answer.body.contains("root:"), "{path}: {}", answer.body);
    }
    // Traversal in the route itself.
    for path in [
        "/../secret.txt",
        "/api/../secret.txt",
        "/%2e%2e/secret.txt",
        "/api/show/..%2f..%2fsecret.txt",
    ] {
        let answer = server.get(path);
        assert_eq!(answer.status, 404, "{path}: {}", answer.body);
        assert!(!answer.body.contains("TOP SECRET"), "{path}");
    }
    // The indexed file itself, named as the index records it, resolves.
    server
        .get(&format!("/api/show?citation={UKRAINE_PATH}:8"))
        .ok();
}

// ---------------------------------------------------------------- exposure

#[test]
fn with_a_key_every_api_request_needs_it() {
    let sb = Sandbox::indexed();
    for (args, env) in [
        (&["--api-key", "s3cret-key"][..], &[][..]),
        (&[][..], &[("SEARCH_API_KEY", "s3cret-key")][..]),
    ] {
        let server = Server::try_start(&sb, args, env).unwrap();
        let show = format!("/api/show?citation={UKRAINE_PATH}:8");
        let routes = [
            ("GET", "/api/search?q=Miami"),
            ("POST", "/api/verify"),
            ("GET", "/api/stats"),
            ("GET", "/api/health"),
            ("GET", "/api/openapi.json"),
            ("GET", show.as_str()),
        ];
        for (method, path) in routes {
            let none = server.request(method, path, &[], None);
            none.error(401, "unauthorized");
            assert_eq!(none.header("www-authenticate").as_deref(), Some("Bearer"));
            for wrong in [
                "Bearer s3cret-ke",
                "Bearer s3cret-key2",
                "Bearer ",
                "s3cret-key",
                "Basic czNjcmV0LWtleQ==",
            ] {
                server
                    .request(method, path, &[("Authorization", wrong)], None)
                    .error(401, "unauthorized");
            }
            let right = server.request(
                method,
                path,
                &[("Authorization", "Bearer s3cret-key")],
                None,
            );
            assert_eq!(right.status, 200, "{method} {path}: {}", right.body);
        }
        // The POST body is checked after the key.
        server
            .request(
                "POST",
                "/api/search",
                &[("Content-Type", "application/json")],
                Some(b"{\"q\": \"Miami\"}"),
            )
            .error(401, "unauthorized");
        // The stderr log never shows the key.
        assert!(!server.stderr().contains("s3cret"), "{}", server.stderr());
    }
}

#[test]
fn a_non_loopback_address_without_a_key_refuses_to_start() {
    let sb = Sandbox::indexed();
    for addr in ["0.0.0.0:0", "[::]:0"] {
        let run = sb.run(&["serve", "--addr", addr], 2);
        assert!(run.stderr.contains("API key"), "{run:?}");
        assert!(run.stderr.contains("--api-key"), "{run:?}");
        assert!(run.stdout.is_empty(), "{run:?}");
    }
    let run = sb.run(&["serve", "--api-key", ""], 2);
    assert!(run.stderr.contains("empty"), "{run:?}");
    // With a key it starts.
    let mut cmd = search_std(sb.path());
    cmd.args(["serve", "--addr", "0.0.0.0:0", "--api-key", "k"])
        .env_remove("SEARCH_API_KEY")
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let mut child = cmd.spawn().unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert!(line.starts_with("listening on http://0.0.0.0:"), "{line}");
}

#[test]
fn cors_headers_only_with_cors() {
    let sb = Sandbox::indexed();
    let origin = [("Origin", "https://newsroom.example")];
    let server = Server::start(&sb, &[]);
    let answer = server.request("GET", "/api/health", &origin, None);
    assert_eq!(answer.status, 200);
    assert_eq!(answer.header("access-control-allow-origin"), None);
    drop(server);

    let server = Server::start(&sb, &["--cors", "https://newsroom.example"]);
    let answer = server.request("GET", "/api/health", &origin, None);
    assert_eq!(answer.status, 200);
    assert_eq!(
        answer.header("access-control-allow-origin").as_deref(),
        Some("https://newsroom.example")
    );
    let other = server.request(
        "GET",
        "/api/health",
        &[("Origin", "https://evil.example")],
        None,
    );
    assert_eq!(other.header("access-control-allow-origin"), None);
    let preflight = server.request(
        "OPTIONS",
        "/api/search",
        &[
            ("Origin", "https://newsroom.example"),
            ("Access-Control-Request-Method", "POST"),
            (
                "Access-Control-Request-Headers",
                "authorization, content-type",
            ),
        ],
        None,
    );
    assert!(preflight.status < 300, "{}", preflight.status);
    let methods = preflight.header("access-control-allow-methods").unwrap();
    assert!(methods.contains("POST"), "{methods}");
    let headers = preflight
        .header("access-control-allow-headers")
        .unwrap()
        .to_lowercase();
    assert!(headers.contains("authorization"), "{headers}");
    drop(server);

    let run = sb.run(&["serve", "--cors", "newsroom.example/path"], 2);
    assert!(run.stderr.contains("--cors"), "{run:?}");
}

// ---------------------------------------------------------------- updates, logs, shutdown

#[test]
fn the_server_follows_updates_made_by_search_index() {
    let sb = Sandbox::indexed();
    let server = Server::start(&sb, &[]);
    let before = server.get("/api/stats").ok();
    let none = server.get("/api/search?q=zanzibarite&typos=false").ok();
    assert!(hits(&none).is_empty());
    sb.write(
        "seeds/new.txt",
        "Zanzibarite found\n\nGeologists found zanzibarite, a new mineral, near the coast.\n",
    );
    sb.ok(&["index", "seeds", "--threads", "1"]);
    let found = server.get("/api/search?q=zanzibarite&typos=false").ok();
    assert_eq!(hits(&found).len(), 1, "{found}");
    let citation = found["hits"][0]["citation"]["path"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(citation, "seeds/new.txt");
    server.get("/api/show?citation=seeds/new.txt:3").ok();
    let after = server.get("/api/stats").ok();
    assert_eq!(
        after["files"],
        before["files"].as_u64().unwrap() + 1,
        "{after}"
    );
    assert_eq!(
        server.get("/api/health").ok()["passages"],
        after["passages"]
    );
}

#[test]
fn one_log_line_per_request_and_quiet_turns_it_off() {
    let sb = Sandbox::indexed();
    let server = Server::start(&sb, &[]);
    server.get("/api/search?q=Miami");
    server.get("/api/nope");
    server.post_json("/api/search", "{");
    let (code, stderr) = server.terminate();
    assert_eq!(code, Some(0), "{stderr}");
    let lines: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("GET ") || l.starts_with("POST "))
        .collect();
    assert_eq!(lines.len(), 3, "{stderr}");
    for (line, (method, path, status)) in lines.iter().zip([
        ("GET", "/api/search", "200"),
        ("GET", "/api/nope", "404"),
        ("POST", "/api/search", "400"),
    ]) {
        let fields: Vec<&str> = line.split(' ').collect();
        assert_eq!(&fields[..3], [method, path, status], "{line}");
        assert!(fields[3].ends_with("ms"), "{line}");
    }
    assert!(
        !stderr.contains("Miami"),
        "the log shows no query: {stderr}"
    );

    let server = Server::start(&sb, &["-q"]);
    server.get("/api/search?q=Miami").ok();
    let (code, stderr) = server.terminate();
    assert_eq!(code, Some(0));
    assert_eq!(stderr, "", "nothing on stderr under -q");
}

#[test]
fn sigterm_lets_a_request_in_flight_finish_and_exits_0() {
    let sb = Sandbox::indexed();
    let server = Server::start(&sb, &[]);
    let mut stream = TcpStream::connect(server.url.trim_start_matches("http://")).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    // The request's head and half its body; the server is waiting for the rest.
    let body = br#"{"q": "frozen assets", "limit": 1}"#;
    let (first, rest) = body.split_at(body.len() / 2);
    write!(
        stream,
        "POST /api/search HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .unwrap();
    stream.write_all(first).unwrap();
    stream.flush().unwrap();
    // Once the server has read the head, it is a request in flight.
    std::thread::sleep(Duration::from_millis(300));
    let mut server = server;
    signal(&server.child, libc::SIGTERM);
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        server.child.try_wait().unwrap().is_none(),
        "the server quit with a request in flight:\n{}",
        server.stderr()
    );
    assert!(
        server.stderr().contains("shutting down"),
        "{}",
        server.stderr()
    );
    stream.write_all(rest).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("frozen Russian assets"), "{answer}");
    let (code, stderr) = server.terminate_waited();
    assert_eq!(code, Some(0), "{stderr}");
    let shutting = stderr.find("shutting down").unwrap();
    let logged = stderr
        .find("POST /api/search 200")
        .expect("the request is logged");
    assert!(
        shutting < logged,
        "the request finished after the signal:\n{stderr}"
    );
}

impl Server {
    /// Waits for a server already signalled; its exit status and stderr.
    fn terminate_waited(mut self) -> (Option<i32>, String) {
        let status = self.child.wait().unwrap();
        self.reader.take().unwrap().join().unwrap();
        (status.code(), self.stderr())
    }
}

// ---------------------------------------------------------------- OpenAPI

#[test]
fn the_openapi_description_parses_and_lists_every_route() {
    let sb = Sandbox::indexed();
    let server = Server::start(&sb, &[]);
    let spec = server.get("/api/openapi.json").ok();
    assert!(
        spec["openapi"].as_str().unwrap().starts_with("3."),
        "{spec}"
    );
    let mut listed: Vec<(String, String)> = Vec::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            assert!(operation["responses"]["200"].is_object(), "{method} {path}");
            listed.push((method.to_uppercase(), path.clone()));
        }
    }
    listed.sort();
    let expected = [
        ("GET", "/api/health"),
        ("GET", "/api/openapi.json"),
        ("GET", "/api/search"),
        ("GET", "/api/show"),
        ("GET", "/api/stats"),
        ("POST", "/api/search"),
        ("POST", "/api/verify"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    assert_eq!(listed, expected);
    // Each route it lists answers (with its required parameters).
    for (method, path) in &listed {
        let answer = match (method.as_str(), path.as_str()) {
            ("GET", "/api/search") => server.get("/api/search?q=Miami"),
            ("POST", "/api/search") => server.post_json(path, r#"{"q": "Miami"}"#),
            ("GET", "/api/show") => server.get(&format!("/api/show?citation={UKRAINE_PATH}:8")),
            _ => server.request(method, path, &[], None),
        };
        assert_eq!(answer.status, 200, "{method} {path}: {}", answer.body);
    }
    // Every documented parameter of a search is one the server takes.
    for parameter in spec["paths"]["/api/search"]["get"]["parameters"]
        .as_array()
        .unwrap()
    {
        let name = parameter["name"].as_str().unwrap();
        let value = match parameter["schema"]["type"].as_str().unwrap() {
            "boolean" => "true",
            "integer" => "1",
            _ if name == "sort" => "newest",
            _ if name == "facets" => "source",
            _ if name == "since" || name == "until" => "2025",
            _ => "Miami",
        };
        let q = if name == "q" {
            String::new()
        } else {
            "q=Miami&".to_string()
        };
        server.get(&format!("/api/search?{q}{name}={value}")).ok();
    }
}

// ---------------------------------------------------------------- load

/// Many connections at once are answered by a bounded set of threads (tokio's
/// default would start hundreds, each with its own allocator caches: memory grew
/// with every burst).
#[test]
fn a_burst_of_connections_is_served_by_a_bounded_set_of_threads() {
    let sb = Sandbox::indexed();
    let server = Server::start(&sb, &["-q"]);
    let questions: Vec<String> = seed_questions().into_iter().map(|q| q.query).collect();
    std::thread::scope(|scope| {
        for client in 0..96 {
            let (server, questions) = (&server, &questions);
            scope.spawn(move || {
                for n in 0..4 {
                    let q = &questions[(client + n) % questions.len()];
                    server.get(&format!("/api/search?q={}", enc(q))).ok();
                }
            });
        }
    });
    let threads = std::fs::read_dir(format!("/proc/{}/task", server.child.id()))
        .unwrap()
        .count();
    assert!(
        threads <= 80,
        "{threads} threads after 96 concurrent clients"
    );
}
