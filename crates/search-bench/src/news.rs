//! Synthetic news copy for the criterion benches: deterministic, self-contained
//! (no source file needed), and shaped like wire text where it matters to the
//! analyzer and the passage splitter: function words, a Zipfian vocabulary,
//! names, possessives (`Ukraine's`), dotted acronyms (`U.S.`), hyphenated
//! compounds (`28-point`, `U.S.-Russia`), numbers (`3.5`, `1,200`), curly
//! quotes, diacritics, and the odd editor's note or copyright line.
//!
//! The whole-process benchmark uses `gen-corpus` (real Wikipedia sentences)
//! instead; this module exists so that `cargo bench` runs anywhere.

use crate::{Rng, Zipf};

/// Function words, drawn uniformly: about 40% of running text.
const FUNCTION_WORDS: &[&str] = &[
    "the", "of", "and", "to", "in", "a", "on", "for", "with", "said", "that", "was", "by", "at",
    "as", "is", "from", "after", "has", "its", "their", "will", "would", "an", "but", "have",
];

/// Real content words; they take the most frequent ranks of the vocabulary.
const HEAD_WORDS: &[&str] = &[
    "government",
    "officials",
    "president",
    "minister",
    "talks",
    "peace",
    "deal",
    "security",
    "military",
    "economy",
    "market",
    "prices",
    "energy",
    "election",
    "court",
    "police",
    "report",
    "statement",
    "week",
    "year",
    "country",
    "region",
    "city",
    "capital",
    "border",
    "forces",
    "negotiators",
    "envoys",
    "sanctions",
    "assets",
    "frozen",
    "plan",
    "proposal",
    "agreement",
    "support",
    "aid",
    "troops",
    "attack",
    "ceasefire",
    "parliament",
    "vote",
    "budget",
    "tax",
    "inflation",
    "bank",
    "central",
    "rates",
    "growth",
    "companies",
    "workers",
    "union",
    "strike",
    "health",
    "hospital",
    "climate",
    "storm",
    "flooding",
    "drought",
    "wildfire",
    "emissions",
    "research",
    "scientists",
    "study",
    "university",
    "students",
    "schools",
    "technology",
    "software",
    "data",
    "privacy",
    "regulators",
    "investigation",
    "charges",
    "trial",
    "judge",
    "lawyers",
    "witnesses",
    "protest",
    "crowds",
    "leaders",
    "summit",
    "delegation",
    "meeting",
    "spokesperson",
    "ministry",
    "defense",
    "council",
    "committee",
    "senators",
    "lawmakers",
    "campaign",
    "candidates",
    "polls",
    "voters",
    "turnout",
    "results",
    "coalition",
    "opposition",
];

/// Names and places, with the spellings the analyzer has to handle.
const NAMES: &[&str] = &[
    "Witkoff",
    "Kushner",
    "Umerov",
    "Hnatov",
    "Zelenskyy",
    "Müller",
    "O'Brien",
    "Lagarde",
    "Nguyễn",
    "Kowalski",
    "Dubois",
    "Okafor",
    "Tanaka",
    "Ivanova",
    "Haddad",
    "Rossi",
];
const PLACES: &[&str] = &[
    "Ukraine",
    "Russia",
    "Miami",
    "Geneva",
    "Brussels",
    "Kyiv",
    "Moscow",
    "Florida",
    "Beijing",
    "São Paulo",
    "Zürich",
    "Istanbul",
    "Nairobi",
    "Jakarta",
    "Ottawa",
    "Canberra",
];
const ACRONYMS: &[&str] = &["U.S.", "U.N.", "E.U.", "U.K.", "NATO", "IMF", "WHO", "G7"];
const MONTHS: &[&str] = &[
    "Jan.", "Feb.", "March", "April", "Aug.", "Sept.", "Oct.", "Dec.",
];
const OUTLETS: &[&str] = &[
    "Global Wire",
    "Metro Herald",
    "The Daily Ledger",
    "Summit Press",
];

const SYLLABLES: &[&str] = &[
    "ka", "lor", "mit", "sen", "dra", "vul", "pes", "tor", "mon", "gri", "bel", "quan", "ster",
    "ip", "ran", "cho", "lu", "vex", "nar", "ol", "tes", "im", "bra", "zo",
];

/// A deterministic generator of news-like text.
#[derive(Debug, Clone)]
pub struct NewsGen {
    rng: Rng,
    vocab: Vec<String>,
    zipf: Zipf,
}

/// One generated article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewsArticle {
    /// Headline (no final period).
    pub title: String,
    /// Paragraphs, in order.
    pub paragraphs: Vec<String>,
}

impl NewsArticle {
    /// The article as a `.txt` file: title line, blank line, one paragraph per line.
    pub fn to_txt(&self) -> String {
        format!("{}\n\n{}\n", self.title, self.paragraphs.join("\n"))
    }
}

impl NewsGen {
    /// A generator with a vocabulary of `vocab_size` content words (at least the
    /// built-in head words), drawn with a Zipf(1.05) law.
    pub fn new(seed: u64, vocab_size: usize) -> NewsGen {
        let mut vocab: Vec<String> = HEAD_WORDS.iter().map(|w| w.to_string()).collect();
        let n = SYLLABLES.len();
        let mut k = 0usize;
        while vocab.len() < vocab_size.max(HEAD_WORDS.len()) {
            // Two to four syllables; the index walks every combination once.
            let syllables = 2 + k % 3;
            let mut word = String::new();
            let mut x = k / 3 + 1;
            for _ in 0..syllables {
                word.push_str(SYLLABLES[x % n]);
                x /= n;
                x += 7;
            }
            k += 1;
            if !vocab.contains(&word) {
                vocab.push(word);
            }
        }
        let zipf = Zipf::new(vocab.len(), 1.05);
        NewsGen {
            rng: Rng::new(seed),
            vocab,
            zipf,
        }
    }

    /// The content-word vocabulary, most frequent first.
    pub fn vocabulary(&self) -> &[String] {
        &self.vocab
    }

    fn content_word(&mut self) -> String {
        self.vocab[self.zipf.sample(&mut self.rng)].clone()
    }

    /// One token of running text, usually a plain word.
    fn token(&mut self, out: &mut String) {
        let r = self.rng.f64();
        if r < 0.40 {
            out.push_str(self.rng.pick::<&str>(FUNCTION_WORDS));
        } else if r < 0.85 {
            out.push_str(&self.content_word());
        } else if r < 0.88 {
            out.push_str(self.rng.pick::<&str>(NAMES));
        } else if r < 0.91 {
            let place = *self.rng.pick(PLACES);
            out.push_str(place);
            if self.rng.chance(0.5) {
                out.push_str(if self.rng.chance(0.7) { "'s" } else { "’s" });
            }
        } else if r < 0.93 {
            out.push_str(self.rng.pick::<&str>(ACRONYMS));
        } else if r < 0.95 {
            // Compounds: "28-point", "long-term", "U.S.-Russia".
            match self.rng.below(3) {
                0 => {
                    let n = self.rng.range(2, 99);
                    out.push_str(&format!("{n}-{}", self.content_word()));
                }
                1 => {
                    let (a, b) = (self.content_word(), self.content_word());
                    out.push_str(&format!("{a}-{b}"));
                }
                _ => {
                    let (a, b) = (*self.rng.pick(ACRONYMS), *self.rng.pick(PLACES));
                    out.push_str(&format!("{a}-{b}"));
                }
            }
        } else if r < 0.97 {
            match self.rng.below(3) {
                0 => out.push_str(&format!("{}.{}", self.rng.range(1, 99), self.rng.below(10))),
                1 => out.push_str(&format!(
                    "{},{:03}",
                    self.rng.range(1, 999),
                    self.rng.below(1000)
                )),
                _ => out.push_str(&format!("{}", self.rng.range(1990, 2026))),
            }
        } else if r < 0.98 {
            let (m, d) = (*self.rng.pick(MONTHS), self.rng.range(1, 28));
            out.push_str(&format!("{m} {d}"));
        } else {
            // A quoted word or two, with curly quotes.
            let (a, b) = (self.content_word(), self.content_word());
            out.push_str(&format!("“{a} {b}”"));
        }
    }

    /// One sentence of 8 to 30 tokens.
    pub fn sentence(&mut self) -> String {
        let len = self.rng.range(8, 30);
        let mut s = String::with_capacity(len * 8);
        for i in 0..len {
            if i > 0 {
                s.push_str(if self.rng.chance(0.04) { ", " } else { " " });
            }
            self.token(&mut s);
        }
        // Capitalise the first letter.
        if let Some(first) = s.chars().next() {
            let upper: String = first.to_uppercase().collect();
            s.replace_range(..first.len_utf8(), &upper);
        }
        s.push(if self.rng.chance(0.05) { '?' } else { '.' });
        s
    }

    /// One paragraph of 1 to 4 sentences, sometimes a boilerplate line instead.
    pub fn paragraph(&mut self) -> String {
        if self.rng.chance(0.02) {
            return match self.rng.below(3) {
                0 => "Editor's note: This story is being updated.".to_string(),
                1 => format!("{} contributed to this report.", self.rng.pick(OUTLETS)),
                _ => format!("© 2025 {}. All rights reserved.", self.rng.pick(OUTLETS)),
            };
        }
        let n = self.rng.range(1, 4);
        (0..n)
            .map(|_| self.sentence())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// A headline of 4 to 10 words.
    pub fn title(&mut self) -> String {
        let n = self.rng.range(4, 10);
        let mut words: Vec<String> = Vec::with_capacity(n);
        for i in 0..n {
            let w = if i % 3 == 1 {
                self.rng.pick(FUNCTION_WORDS).to_string()
            } else if self.rng.chance(0.2) {
                self.rng.pick(PLACES).to_string()
            } else {
                self.content_word()
            };
            words.push(w);
        }
        let mut t = words.join(" ");
        if let Some(first) = t.chars().next() {
            let upper: String = first.to_uppercase().collect();
            t.replace_range(..first.len_utf8(), &upper);
        }
        t
    }

    /// An article of 6 to 14 paragraphs.
    pub fn article(&mut self) -> NewsArticle {
        let title = self.title();
        let n = self.rng.range(6, 14);
        let paragraphs = (0..n).map(|_| self.paragraph()).collect();
        NewsArticle { title, paragraphs }
    }

    /// Paragraphs joined by `\n`, at least `bytes` long.
    pub fn text(&mut self, bytes: usize) -> String {
        let mut out = String::with_capacity(bytes + 1024);
        while out.len() < bytes {
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(&self.paragraph());
        }
        out
    }

    /// `n` queries of 2 or 3 content words, from the mid-frequency band of the
    /// vocabulary (ranks 10 to 2,000), sometimes with a name.
    pub fn queries(&mut self, n: usize) -> Vec<String> {
        let top = self.vocab.len().min(2000);
        (0..n)
            .map(|_| {
                let k = self.rng.range(2, 3);
                let mut words: Vec<String> = (0..k)
                    .map(|_| self.vocab[self.rng.range(10.min(top - 1), top - 1)].clone())
                    .collect();
                if self.rng.chance(0.2) {
                    words[0] = self.rng.pick(NAMES).to_string();
                }
                words.join(" ")
            })
            .collect()
    }
}
