//! Helpers shared by the CLI tests: a temp folder per test, the one place that builds
//! a `search` command, JSON accessors and the checks every citation must pass.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::SystemTime;

use assert_cmd::Command;
use serde_json::{json, Value};

/// The seed article with a title (`Ukraine's top security officials ...`).
pub const UKRAINE_DOC: &str = "000_792c1fc0d0c2a89d";
/// The untitled Newsmax seed article.
pub const NEWSMAX_DOC: &str = "003_43941a50b73b53ea";
/// Paths of the seed articles, as the index records them when built from `seeds`.
pub const UKRAINE_PATH: &str = "seeds/000_792c1fc0d0c2a89d.txt";
pub const NEWSMAX_PATH: &str = "seeds/003_43941a50b73b53ea.txt";
/// Title of [`UKRAINE_DOC`].
pub const UKRAINE_TITLE: &str =
    "Ukraine's top security officials meet US negotiators in Miami amid peace push";

pub use search_test_support::{repo_root, seed_questions};

/// The only way tests build a `search` command: the real binary, run in `dir`, with
/// the environment variables that change its behaviour cleared.
pub fn search(dir: &Path) -> Command {
    Command::from_std(search_std(dir))
}

/// [`search`] as a plain `std::process::Command`, for tests that need to spawn the
/// process themselves (a closed pipe, a terminal).
pub fn search_std(dir: &Path) -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_search"));
    cmd.current_dir(dir)
        .env_remove("SEARCH_INDEX")
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("CLICOLOR")
        .env("TERM", "xterm-256color");
    cmd
}

/// A temp folder a test runs the binary in.
pub struct Sandbox {
    dir: tempfile::TempDir,
}

impl Sandbox {
    /// An empty folder: no seeds, no index.
    pub fn empty() -> Sandbox {
        Sandbox {
            dir: tempfile::tempdir().expect("create a temp dir"),
        }
    }

    /// A folder holding a copy of the repository's `seeds/`, not yet indexed.
    pub fn with_seeds() -> Sandbox {
        let sandbox = Sandbox::empty();
        search_test_support::copy_seeds(&sandbox.join("seeds"));
        sandbox
    }

    /// A copy of `seeds/`, indexed into `index/` by `search index seeds`. One
    /// indexing thread gives one segment, so every run sees the same index (with
    /// several threads, passages land in segments differently from run to run).
    pub fn indexed() -> Sandbox {
        let sandbox = Sandbox::with_seeds();
        sandbox.ok(&["index", "seeds", "--threads", "1"]);
        sandbox
    }

    /// The folder.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// A path inside the folder.
    pub fn join(&self, rel: impl AsRef<Path>) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// `search` in this folder.
    pub fn search(&self) -> Command {
        search(self.path())
    }

    /// Runs `search ARGS`, asserting its exit status, and returns what it printed.
    pub fn run(&self, args: &[&str], code: i32) -> Run {
        Run::from(self.search().args(args).assert().code(code).get_output())
    }

    /// Runs `search ARGS`, expecting success.
    pub fn ok(&self, args: &[&str]) -> Run {
        self.run(args, 0)
    }

    /// Runs `search ARGS` whatever its status (asserting only that it did not panic).
    pub fn any(&self, args: &[&str]) -> Run {
        let run = Run::from(&self.search().args(args).output().unwrap());
        assert_ne!(run.code, 101, "`search {args:?}` panicked:\n{}", run.stderr);
        run
    }

    /// `search query --format json EXTRA -- QUERY`: the parsed results. The status
    /// must be 0 (hits) or 1 (no hits).
    pub fn query_json(&self, query: &str, extra: &[&str]) -> Value {
        let run = self.query_run(query, "json", extra);
        serde_json::from_str(&run.stdout)
            .unwrap_or_else(|e| panic!("query {query:?}: stdout is not JSON ({e}):\n{run:?}"))
    }

    /// `search query --format FORMAT EXTRA -- QUERY`, status 0 or 1.
    pub fn query_run(&self, query: &str, format: &str, extra: &[&str]) -> Run {
        let mut args = vec!["query", "--format", format];
        args.extend_from_slice(extra);
        args.extend_from_slice(&["--", query]);
        let run = self.any(&args);
        assert!(
            run.code == 0 || run.code == 1,
            "query {query:?} exited {}:\n{run:?}",
            run.code
        );
        run
    }

    /// Writes a file (creating its folder).
    pub fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) {
        let path = self.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }

    /// Appends `text` to a file.
    pub fn append(&self, rel: &str, text: &str) {
        use std::io::Write;
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .open(self.join(rel))
            .unwrap();
        file.write_all(text.as_bytes()).unwrap();
    }

    /// Every file under `rel` (recursively), with its size and modification time.
    pub fn snapshot(&self, rel: &str) -> BTreeMap<String, (u64, SystemTime)> {
        fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, (u64, SystemTime)>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let entry = entry.unwrap();
                let meta = entry.metadata().unwrap();
                if meta.is_dir() {
                    walk(root, &entry.path(), out);
                } else {
                    let name = entry
                        .path()
                        .strip_prefix(root)
                        .unwrap()
                        .display()
                        .to_string();
                    out.insert(name, (meta.len(), meta.modified().unwrap()));
                }
            }
        }
        let mut out = BTreeMap::new();
        walk(&self.join(rel), &self.join(rel), &mut out);
        assert!(!out.is_empty(), "{rel} holds no files");
        out
    }
}

/// What one run printed.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<&Output> for Run {
    fn from(output: &Output) -> Run {
        Run {
            code: output
                .status
                .code()
                .expect("exited, not killed by a signal"),
            stdout: String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8"),
            stderr: String::from_utf8(output.stderr.clone()).expect("stderr is UTF-8"),
        }
    }
}

impl std::fmt::Debug for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit {}\n--- stdout\n{}\n--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

/// The `hits` array of a JSON result.
pub fn hits(results: &Value) -> &[Value] {
    results["hits"]
        .as_array()
        .unwrap_or_else(|| panic!("no `hits` array in {results}"))
}

/// A hit's passage text.
pub fn text(hit: &Value) -> &str {
    hit["text"].as_str().expect("hit text is a string")
}

/// A hit's `citation.doc_id`.
pub fn doc_id(hit: &Value) -> &str {
    hit["citation"]["doc_id"]
        .as_str()
        .expect("doc_id is a string")
}

/// A string field of a hit's citation.
pub fn cited<'a>(hit: &'a Value, field: &str) -> &'a str {
    hit["citation"][field]
        .as_str()
        .unwrap_or_else(|| panic!("citation.{field} is not a string in {hit}"))
}

/// A number field of a hit's citation.
pub fn cited_u64(hit: &Value, field: &str) -> u64 {
    hit["citation"][field]
        .as_u64()
        .unwrap_or_else(|| panic!("citation.{field} is not a number in {hit}"))
}

/// The `[start, end)` byte range of a citation.
pub fn cited_range(hit: &Value) -> std::ops::Range<usize> {
    cited_u64(hit, "byte_start") as usize..cited_u64(hit, "byte_end") as usize
}

/// The pieces of a hit's text that its highlights cover, after checking each range
/// lies within the text, on char boundaries.
pub fn highlighted(hit: &Value) -> Vec<&str> {
    let text = text(hit);
    hit["highlights"]
        .as_array()
        .expect("highlights is an array")
        .iter()
        .map(|pair| {
            let start = pair[0].as_u64().expect("highlight start") as usize;
            let end = pair[1].as_u64().expect("highlight end") as usize;
            assert!(
                start < end && end <= text.len(),
                "highlight {start}..{end} is outside the {}-byte text {text:?}",
                text.len()
            );
            assert!(
                text.is_char_boundary(start) && text.is_char_boundary(end),
                "highlight {start}..{end} splits a character of {text:?}"
            );
            &text[start..end]
        })
        .collect()
}

/// The checks every hit from a `.txt`/`.md` source must pass: the cited file's bytes
/// at the cited range are exactly the text, and the highlights are valid ranges.
pub fn assert_citation_holds(root: &Path, hit: &Value) {
    let path = root.join(cited(hit, "path"));
    let bytes = std::fs::read(&path)
        .unwrap_or_else(|e| panic!("cannot read cited {}: {e}", path.display()));
    let range = cited_range(hit);
    assert!(
        range.end <= bytes.len(),
        "cited range {range:?} is past the end of {}",
        path.display()
    );
    assert_eq!(
        String::from_utf8_lossy(&bytes[range.clone()]),
        text(hit),
        "the bytes at {}[{range:?}] are not the hit text",
        path.display()
    );
    highlighted(hit);
}

/// Snapshots the shape of a JSON result with insta. Scores vary with ranking
/// tweaks, so each is checked to be a positive number and then redacted.
pub fn assert_json_shape(name: &str, mut results: Value) {
    for hit in results["hits"].as_array_mut().expect("hits array") {
        let score = hit["score"].as_f64().expect("score is a number");
        assert!(
            score.is_finite() && score > 0.0,
            "score {score} is not positive"
        );
        hit["score"] = json!("[score]");
    }
    insta::assert_json_snapshot!(name, results);
}

/// Runs `cmd` with its stdout on a pseudo-terminal (so that it sees a TTY) and its
/// stderr piped; returns the exit status, what reached the terminal and stderr.
#[cfg(unix)]
pub fn run_on_terminal(mut cmd: std::process::Command) -> (i32, String, String) {
    use std::ffi::CStr;
    use std::io::Read;
    use std::os::unix::fs::OpenOptionsExt;
    use std::os::unix::io::FromRawFd;
    use std::process::Stdio;

    // SAFETY: plain libc calls on a descriptor this function owns; the name buffer
    // is NUL-terminated by ptsname_r on success.
    let (mut master, slave_path) = unsafe {
        let fd = libc::posix_openpt(libc::O_RDWR | libc::O_NOCTTY);
        assert!(fd >= 0, "posix_openpt failed");
        assert_eq!(libc::grantpt(fd), 0, "grantpt failed");
        assert_eq!(libc::unlockpt(fd), 0, "unlockpt failed");
        let mut name = [0 as libc::c_char; 256];
        assert_eq!(libc::ptsname_r(fd, name.as_mut_ptr(), name.len()), 0);
        let path = CStr::from_ptr(name.as_ptr()).to_str().unwrap().to_owned();
        (std::fs::File::from_raw_fd(fd), path)
    };
    let slave = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .custom_flags(libc::O_NOCTTY)
        .open(slave_path)
        .expect("open the terminal's slave side");
    cmd.stdin(Stdio::null())
        .stdout(slave)
        .stderr(Stdio::piped());
    let child = cmd.spawn().expect("spawn search");
    // The parent's copy of the slave side must be closed, or reading the master
    // never ends.
    drop(cmd);
    let mut terminal = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match master.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => terminal.extend_from_slice(&buf[..n]),
            // EIO: every slave descriptor is closed (the child exited).
            Err(_) => break,
        }
    }
    let output = child.wait_with_output().expect("wait for search");
    (
        output.status.code().expect("exited, not killed"),
        String::from_utf8_lossy(&terminal).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Runs `cmd`, reads at most `keep` bytes of its stdout and closes the pipe, as
/// `search … | head -c KEEP` does; returns the exit status and stderr.
pub fn run_into_closed_pipe(mut cmd: std::process::Command, keep: usize) -> (i32, String) {
    use std::io::Read;
    use std::process::Stdio;
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn search");
    let mut stdout = child.stdout.take().unwrap();
    let mut head = vec![0u8; keep];
    stdout
        .read_exact(&mut head)
        .expect("the first bytes of output");
    drop(stdout);
    let output = child.wait_with_output().expect("wait for search");
    (
        output
            .status
            .code()
            .expect("exited, not killed by a signal"),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// An HTTP client (for `search serve` and for WebDriver) that returns every status
/// as an answer, not as an error.
pub fn http_agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(std::time::Duration::from_secs(120)))
        .build()
        .into()
}
