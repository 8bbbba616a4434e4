//! What both corpus generators (`gen-corpus`, `gen-syndication`) name their
//! articles with: outlets, by-line names, headline templates and URL slugs, and
//! where the Wikipedia summaries they are made from are found.

use std::path::{Path, PathBuf};

use anyhow::{bail, Result};

/// Fictional outlets, most popular first;
/// drawn with a Zipf(1.1) law.
pub const OUTLETS: &[&str] = &[
    "The Daily Ledger",
    "Global Wire",
    "Metro Herald",
    "The Evening Post",
    "Northern Courier",
    "Capital Tribune",
    "The Morning Star Gazette",
    "Coastal Times",
    "Union Dispatch",
    "The Valley Observer",
    "Harbor Chronicle",
    "Summit Press",
    "The Prairie Journal",
    "Riverside Bulletin",
    "Lakeside Record",
    "The Civic Monitor",
    "Frontier News",
    "Highland Register",
    "The Open Review",
    "Granite State Sentinel",
];

/// By-line first names.
pub const FIRST_NAMES: &[&str] = &[
    "Anna", "David", "Maria", "James", "Sofia", "Michael", "Laura", "Daniel", "Elena", "Robert",
    "Priya", "Thomas", "Aisha", "Lucas", "Hannah", "Omar", "Claire", "Marco", "Julia", "Samuel",
    "Nadia", "Peter", "Grace", "Kenji", "Isabel", "Victor", "Leila", "Andrew", "Chloe", "Rafael",
];

/// By-line last names.
pub const LAST_NAMES: &[&str] = &[
    "Smith",
    "Garcia",
    "Müller",
    "Johnson",
    "Rossi",
    "Chen",
    "Okafor",
    "Dubois",
    "Kowalski",
    "Nguyen",
    "Brown",
    "Silva",
    "Ivanova",
    "Patel",
    "Andersson",
    "Kim",
    "Haddad",
    "O'Brien",
    "Fischer",
    "Moreau",
    "Tanaka",
    "Lopez",
    "Novak",
    "Walker",
    "Costa",
    "Schmidt",
    "Ali",
    "Reyes",
    "Murphy",
    "Bauer",
];

/// Headline templates: `{}` is the topic's title.
pub const TITLE_TEMPLATES: &[&str] = &[
    "{}: what we know so far",
    "New study sheds light on {}",
    "{} returns to the spotlight",
    "Inside the debate over {}",
    "Why {} still matters",
    "Experts weigh in on {}",
    "A closer look at {}",
    "{} explained",
    "The surprising history of {}",
    "What {} tells us about the future",
    "Five things to know about {}",
    "Scholars revisit {}",
    "How {} shaped the modern world",
    "{} draws renewed attention",
    "Officials respond to questions about {}",
    "{}",
];

/// `../shared/corpora/wiki-vital/en.jsonl` as seen from the repository root:
/// tried from the working directory, then from every ancestor of it and of this
/// crate's source directory (as `gen-corpus` finds it).
pub fn default_source() -> Result<PathBuf> {
    const REL: &str = "shared/corpora/wiki-vital/en.jsonl";
    let direct = Path::new("..").join(REL);
    if direct.is_file() {
        return Ok(direct);
    }
    let cwd = std::env::current_dir()?;
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    for base in [cwd.as_path(), manifest.as_path()] {
        for dir in base.ancestors() {
            let candidate = dir.join(REL);
            if candidate.is_file() {
                return Ok(candidate);
            }
        }
    }
    bail!("cannot find ../{REL}; pass --source PATH")
}

/// The first eight ASCII words of `s`, lower-cased and joined by hyphens.
pub fn slug(s: &str) -> String {
    s.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(8)
        .map(str::to_ascii_lowercase)
        .collect::<Vec<_>>()
        .join("-")
}
