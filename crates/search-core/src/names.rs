//! Keys for the fields a query names as a whole: outlets, authors and URLs.
//!
//! `source:` and `author:` match a *whole name*, without regard to case, diacritics
//! or punctuation: `source:"associated press"` finds "Associated Press" and
//! `author:"zoe park"` finds "Zoë Park", but `source:press` does not find
//! "Associated Press" (a part of a name is a different outlet or person far too
//! often: "Press", "News", "Times"). The indexer stores [`name_key`] of each value
//! and the query side looks up [`name_key`] of the value asked for.
//!
//! `url:` matches a whole URL or any prefix of it at a path boundary, and a host or
//! any domain above it: `url:reuters.com` finds every URL on `www.reuters.com`,
//! `url:reuters.com/world` every URL under that section, and a full URL finds that
//! page. Scheme, `www.`, case of the host, a trailing slash and the fragment do not
//! matter ([`url_keys`], [`url_key`]).

use std::cell::RefCell;

use tantivy::tokenizer::{AsciiFoldingFilter, SimpleTokenizer, TextAnalyzer};

use crate::analyzer::UnicodeFold;

thread_local! {
    static NAMES: RefCell<TextAnalyzer> = RefCell::new(
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(UnicodeFold)
            .filter(AsciiFoldingFilter)
            .build(),
    );
}

/// The key a name is matched by: its words (runs of letters and digits), folded
/// (lower case, no diacritics), joined by single spaces. Empty for a name without
/// a word.
pub fn name_key(name: &str) -> String {
    NAMES.with(|analyzer| {
        let mut analyzer = analyzer.borrow_mut();
        let mut stream = analyzer.token_stream(name);
        let mut key = String::new();
        while let Some(token) = stream.next() {
            if !key.is_empty() {
                key.push(' ');
            }
            key.push_str(&token.text);
        }
        key
    })
}

/// The keys an article's URL is found by: the normalised URL, each shorter path
/// prefix of it, its host and each domain above the host (down to two labels).
pub fn url_keys(url: &str) -> Vec<String> {
    let full = url_key(url);
    if full.is_empty() {
        return Vec::new();
    }
    let mut keys = vec![full.clone()];
    let path_start = full.find(['/', '?']).unwrap_or(full.len());
    let host = &full[..path_start];
    // Path prefixes at `/` boundaries.
    let without_query = full.split('?').next().unwrap_or(&full);
    let path = &without_query[path_start.min(without_query.len())..];
    for (i, _) in path.match_indices('/').skip(1) {
        keys.push(format!("{host}{}", &path[..i]));
    }
    if !path.is_empty() {
        keys.push(without_query.to_string());
    }
    // The host (without a port), then each domain above it.
    let host = host.split(':').next().unwrap_or(host);
    let mut domain = host;
    loop {
        keys.push(domain.to_string());
        match domain.split_once('.') {
            Some((_, parent)) if parent.contains('.') => domain = parent,
            _ => break,
        }
    }
    keys.sort();
    keys.dedup();
    keys
}

/// The normalised form of a URL or of a part of one, as a query names it: no scheme,
/// no user info, host in lower case without `www.`, no fragment, no trailing `/`.
pub fn url_key(url: &str) -> String {
    let url = url.trim();
    let rest = match url.find("://") {
        Some(i)
            if url[..i]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)) =>
        {
            &url[i + 3..]
        }
        _ => url,
    };
    let rest = rest.split('#').next().unwrap_or(rest);
    let host_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (host, path) = rest.split_at(host_end);
    let host = host.rsplit('@').next().unwrap_or(host).to_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    let mut key = format!("{host}{path}");
    while key.ends_with('/') {
        key.pop();
    }
    key
}

#[cfg(test)]
mod tests;
