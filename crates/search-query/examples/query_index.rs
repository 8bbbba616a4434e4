//! Queries the index in `index/` (build it with `just index`) and prints each hit
//! with its checkable citation.
//!
//! ```sh
//! cargo run -p search-query --example query_index -- "frozen assets"
//! ```

use search_query::{PassageIndex, SearchOptions};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let query = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "frozen assets".to_string());
    let index_dir = std::env::var("SEARCH_INDEX").unwrap_or_else(|_| "index".to_string());

    // Open once; `search` takes `&self`, so the index can be shared across threads.
    let index = PassageIndex::open(&index_dir)?;
    let results = index.search(&query, &SearchOptions::new().limit(5))?;

    for fix in &results.corrections {
        println!("(also searched `{}` for `{}`)", fix.replacement, fix.word);
    }
    for hit in &results.hits {
        let c = &hit.citation;
        println!(
            "{}. [{:.2}] {}:{} ¶{}",
            hit.rank, hit.score, c.path, c.line, c.paragraph
        );
        println!("   {}", hit.text);
        // The citation is verifiable: these bytes of the source are the passage.
        let bytes = std::fs::read(&c.path)?;
        let cited = &bytes[c.byte_start as usize..c.byte_end as usize];
        println!("   citation holds: {}", cited == hit.text.as_bytes());
    }
    Ok(())
}
