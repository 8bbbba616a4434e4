//! Facet counts: how many matching passages, and how many distinct articles, have
//! each source, author or date.
//!
//! Every match is visited once, unscored, and counted by column *ordinals*, segment
//! by segment: a source or an author is the ordinal of its spelling in the
//! segment's column dictionary (one array slot each), a date its timestamp. Strings
//! are read once per distinct value and segment, at the end; spellings whose
//! [`name_key`] is equal are one value, shown as its most frequent spelling.
//!
//! Articles are counted without a set of ids: an article's passages are consecutive
//! documents of one segment (ARCHITECTURE's invariants), and matches are visited in
//! document order, so an article is new when its (path, id) ordinals differ from
//! the previous match's; each value remembers the last article it counted.

use std::collections::HashMap;

use search_core::dates::{day_label, month_label};
use search_core::names::name_key;
use tantivy::columnar::{Column, StrColumn};
use tantivy::query::{EnableScoring, Query};
use tantivy::{DocId, Searcher, SegmentReader};

use crate::filters::{DateBucket, Facet, FacetCount, Facets};

/// Counts for one value.
#[derive(Debug, Clone, Copy, Default)]
struct Tally {
    passages: usize,
    articles: usize,
    /// The serial number of the last article counted, plus one (0: none yet).
    last_article: u64,
}

impl Tally {
    fn add(&mut self, article: u64) {
        self.passages += 1;
        if self.last_article != article + 1 {
            self.last_article = article + 1;
            self.articles += 1;
        }
    }
}

/// Counts `facets` over every live passage `query` matches.
pub fn count(searcher: &Searcher, query: &dyn Query, facets: &[Facet]) -> tantivy::Result<Facets> {
    let weight = query.weight(EnableScoring::disabled_from_searcher(searcher))?;
    let mut sources = Merged::default();
    let mut authors = Merged::default();
    let mut dates: HashMap<i64, (usize, usize)> = HashMap::new();
    let wants = |facet: Facet| facets.iter().any(|f| f.name() == facet.name());
    let bucket = facets.iter().find_map(|f| match f {
        Facet::Date(bucket) => Some(*bucket),
        _ => None,
    });
    for reader in searcher.segment_readers() {
        let mut segment = SegmentTally::open(reader, wants(Facet::Source), wants(Facet::Author));
        let alive = reader.alive_bitset();
        weight.for_each_no_score(reader, &mut |docs: &[DocId]| {
            for &doc in docs {
                if !alive.is_some_and(|a| a.is_deleted(doc)) {
                    segment.add(doc, bucket.is_some());
                }
            }
        })?;
        segment.source.merge_into(&mut sources);
        segment.author.merge_into(&mut authors);
        for (timestamp, tally) in segment.dates {
            let entry = dates.entry(timestamp).or_default();
            entry.0 += tally.passages;
            entry.1 += tally.articles;
        }
    }
    let mut out = Facets::new();
    for facet in facets {
        let counts = match facet {
            Facet::Source => std::mem::take(&mut sources).counts(),
            Facet::Author => std::mem::take(&mut authors).counts(),
            Facet::Date(bucket) => date_counts(&dates, *bucket),
        };
        out.insert(facet.name().to_string(), counts);
    }
    Ok(out)
}

/// One segment's counts.
struct SegmentTally {
    doc_id: Option<Column<u64>>,
    path: Option<Column<u64>>,
    source: ByOrdinal,
    author: ByOrdinal,
    date: Option<Column<i64>>,
    dates: HashMap<i64, Tally>,
    /// The last article's (path, id) ordinals and its serial number.
    article: Option<((u64, u64), u64)>,
}

impl SegmentTally {
    fn open(reader: &SegmentReader, source: bool, author: bool) -> SegmentTally {
        let fast = reader.fast_fields();
        let ords = |name: &str| fast.str(name).ok().flatten().map(|c| c.ords().clone());
        let strings = |name: &str, wanted: bool| {
            ByOrdinal::new(wanted.then(|| fast.str(name).ok().flatten()).flatten())
        };
        SegmentTally {
            doc_id: ords("doc_id"),
            path: ords("path"),
            source: strings("source", source),
            author: strings("author", author),
            date: fast.i64("date").ok(),
            dates: HashMap::new(),
            article: None,
        }
    }

    fn add(&mut self, doc: DocId, count_dates: bool) {
        let first = |column: &Option<Column<u64>>| column.as_ref().and_then(|c| c.first(doc));
        let key = (
            first(&self.path).unwrap_or(0),
            first(&self.doc_id).unwrap_or(0),
        );
        let article = match self.article {
            Some((last, serial)) if last == key => serial,
            Some((_, serial)) => serial + 1,
            None => 0,
        };
        self.article = Some((key, article));
        self.source.add(doc, article);
        self.author.add(doc, article);
        if count_dates {
            if let Some(timestamp) = self.date.as_ref().and_then(|c| c.first(doc)) {
                self.dates.entry(timestamp).or_default().add(article);
            }
        }
    }
}

/// Counts of a string column by dictionary ordinal.
struct ByOrdinal {
    column: Option<StrColumn>,
    tallies: Vec<Tally>,
}

impl ByOrdinal {
    fn new(column: Option<StrColumn>) -> ByOrdinal {
        let tallies = vec![Tally::default(); column.as_ref().map_or(0, |c| c.num_terms())];
        ByOrdinal { column, tallies }
    }

    fn add(&mut self, doc: DocId, article: u64) {
        if let Some(column) = &self.column {
            for ord in column.term_ords(doc) {
                if let Some(tally) = self.tallies.get_mut(ord as usize) {
                    tally.add(article);
                }
            }
        }
    }

    /// Adds the counted values' spellings to `merged`.
    fn merge_into(&self, merged: &mut Merged) {
        let Some(column) = &self.column else {
            return;
        };
        let mut spelling = String::new();
        for (ord, tally) in self.tallies.iter().enumerate() {
            if tally.passages == 0 {
                continue;
            }
            spelling.clear();
            if column
                .ord_to_str(ord as u64, &mut spelling)
                .unwrap_or(false)
            {
                let entry = merged.spellings.entry(spelling.clone()).or_default();
                entry.0 += tally.passages;
                entry.1 += tally.articles;
            }
        }
    }
}

/// Counts by spelling, over all segments.
#[derive(Default)]
struct Merged {
    spellings: HashMap<String, (usize, usize)>,
}

impl Merged {
    /// One count per name: spellings with the same key added up, shown as the one
    /// with the most passages (then the first in byte order).
    fn counts(self) -> Vec<FacetCount> {
        let mut by_key: HashMap<String, (FacetCount, usize)> = HashMap::new();
        for (spelling, (passages, articles)) in self.spellings {
            let key = name_key(&spelling);
            let key = if key.is_empty() {
                spelling.clone()
            } else {
                key
            };
            let entry = by_key.entry(key).or_insert_with(|| {
                (
                    FacetCount {
                        value: spelling.clone(),
                        passages: 0,
                        articles: 0,
                    },
                    0,
                )
            });
            let (count, best) = entry;
            count.passages += passages;
            count.articles += articles;
            if passages > *best || (passages == *best && spelling < count.value) {
                *best = passages;
                count.value = spelling;
            }
        }
        sorted(by_key.into_values().map(|(count, _)| count).collect())
    }
}

/// The counts of shards added up, as one index over all of them would count:
/// a value's passages and articles are summed (an article lives on one shard),
/// and shown as the spelling the most passages use.
pub fn merge(parts: impl IntoIterator<Item = Facets>) -> Facets {
    let mut by_facet: std::collections::BTreeMap<String, Merged> = Default::default();
    for part in parts {
        for (facet, counts) in part {
            let merged = by_facet.entry(facet).or_default();
            for count in counts {
                let entry = merged.spellings.entry(count.value).or_default();
                entry.0 += count.passages;
                entry.1 += count.articles;
            }
        }
    }
    by_facet
        .into_iter()
        .map(|(facet, merged)| (facet, merged.counts()))
        .collect()
}

/// Counts by month or day label.
fn date_counts(dates: &HashMap<i64, (usize, usize)>, bucket: DateBucket) -> Vec<FacetCount> {
    let mut by_label: HashMap<String, (usize, usize)> = HashMap::new();
    for (&timestamp, &(passages, articles)) in dates {
        let label = match bucket {
            DateBucket::Month => month_label(timestamp),
            DateBucket::Day => day_label(timestamp),
        };
        let entry = by_label.entry(label).or_default();
        entry.0 += passages;
        entry.1 += articles;
    }
    sorted(
        by_label
            .into_iter()
            .map(|(value, (passages, articles))| FacetCount {
                value,
                passages,
                articles,
            })
            .collect(),
    )
}

/// Most passages first, then most articles, then by value.
fn sorted(mut counts: Vec<FacetCount>) -> Vec<FacetCount> {
    counts.sort_by(|a, b| {
        b.passages
            .cmp(&a.passages)
            .then(b.articles.cmp(&a.articles))
            .then_with(|| a.value.cmp(&b.value))
    });
    counts
}
