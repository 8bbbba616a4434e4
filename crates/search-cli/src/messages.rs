//! Diagnostics: notes and warnings always go to stderr, never stdout, in every
//! command and format, and `-q` silences them. Errors (and the `search: …` lines
//! that explain a non-zero exit status) are printed whatever `-q` says. Like
//! ripgrep's `messages.rs`, the switch is one process-wide flag.

use std::fmt::Display;
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

static QUIET: AtomicBool = AtomicBool::new(false);

/// Silences notes, warnings and progress (`-q`).
pub fn set_quiet(quiet: bool) {
    QUIET.store(quiet, Ordering::Relaxed);
}

/// True under `-q`.
pub fn quiet() -> bool {
    QUIET.load(Ordering::Relaxed)
}

/// `note: …`: something worth knowing that changes nothing (a close spelling was
/// searched too, the index is being built).
pub fn note(message: impl Display) {
    if !quiet() {
        line("note", message);
    }
}

/// `warning: …`: something that may make the answer wrong or stale.
pub fn warning(message: impl Display) {
    if !quiet() {
        line("warning", message);
    }
}

/// `search: …`: why the exit status is not 0 (no passage matched, citations no
/// longer hold). Printed even under `-q`, as errors are.
pub fn outcome(message: impl Display) {
    line("search", message);
}

fn line(prefix: &str, message: impl Display) {
    // A closed stderr must not turn into a panic (eprintln! would).
    let _ = writeln!(std::io::stderr().lock(), "{prefix}: {message}");
}
