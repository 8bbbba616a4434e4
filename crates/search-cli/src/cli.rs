//! The command-line interface: argument definitions only.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Passage search over news articles, with citations you can check.
#[derive(Debug, Parser)]
#[command(name = "search", version, about, long_about = None, after_help = "\
Examples:
  search index seeds/                 build or update the index in index/
  search query \"frozen assets\"        ranked passages with citations
  search query '\"peace deal\" -Moscow' --format json
  search show seeds/000_792c1fc0d0c2a89d.txt:8      a citation as `search query` prints it
  search show corpus/wire.jsonl:12#3              paragraph 3 of the record on line 12
  search show 000_792c1fc0d0c2a89d#6              paragraph 6 of an article, by id
  search verify                                   check every citation against its source")]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build or update the index from a corpus of .txt, .md and .jsonl articles.
    Index(IndexArgs),
    /// Search the index; print ranked passages with citations.
    Query(QueryArgs),
    /// Print a cited paragraph from its source, between its neighbours.
    Show(ShowArgs),
    /// Measure ranking on judged queries: nDCG@10, MAP and Recall@100.
    Eval(EvalArgs),
    /// Check every citation against its source as it is now; exit 7 if any is stale.
    Verify(VerifyArgs),
    /// Show what the index holds and whether it is up to date with its corpus.
    Stats(ReportArgs),
}

/// `search verify` and `search stats`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub location: IndexLocation,
    /// Output format.
    #[arg(long, value_enum, default_value_t = EvalFormat::Text)]
    pub format: EvalFormat,
}

/// `search verify`.
#[derive(Debug, Args)]
#[command(after_help = "\
By default every source file is read and hashed and every cited range is checked,
every time: an edit that keeps a file's size and modification time is caught.
--quick trusts size and time instead, as `search query` does for its STALE marks.")]
pub struct VerifyArgs {
    #[command(flatten)]
    pub location: IndexLocation,
    /// Output format.
    #[arg(long, value_enum, default_value_t = EvalFormat::Text)]
    pub format: EvalFormat,
    /// Trust size and modification time: read only the files whose size or time
    /// differs from the index (fast; misses an edit that keeps both).
    #[arg(long)]
    pub quick: bool,
}

/// Where the index lives.
#[derive(Debug, Args)]
pub struct IndexLocation {
    /// Index folder [default: $SEARCH_INDEX, else index/]
    #[arg(long, value_name = "DIR", env = "SEARCH_INDEX", hide_env = true)]
    pub index: Option<PathBuf>,
}

impl IndexLocation {
    /// The folder to use: --index, then $SEARCH_INDEX, then `index/`.
    pub fn dir(&self) -> PathBuf {
        self.index.clone().unwrap_or_else(|| PathBuf::from("index"))
    }
}

/// `search index`.
#[derive(Debug, Args)]
pub struct IndexArgs {
    /// Folders or files to index. Default: the corpus the index was built from, or seeds/.
    #[arg(value_name = "CORPUS")]
    pub corpus: Vec<PathBuf>,
    #[command(flatten)]
    pub location: IndexLocation,
    /// Re-read every file instead of only those that changed.
    #[arg(long)]
    pub rebuild: bool,
    /// Stemming language: en, fr, es, de, it, pt or none (default: the index's, else en).
    #[arg(long, value_name = "LANG", value_parser = parse_language)]
    pub language: Option<search_indexer::StemLanguage>,
    /// Indexing threads, at least 1 (default: one per core, at most 8).
    #[arg(long, value_name = "N", value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
    pub threads: Option<usize>,
    /// Follow symbolic links that lead out of a corpus folder (by default they are
    /// reported and passed over). The index remembers the choice.
    #[arg(long)]
    pub follow_links: bool,
}

/// Output formats of `search query`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people: ranked passages with highlights.
    Text,
    /// One JSON object with all hits (the documented contract).
    Json,
    /// One JSON object per hit, one per line.
    Jsonl,
}

/// When to colour text output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// `search query`.
#[derive(Debug, Args)]
pub struct QueryArgs {
    /// The query: words, "exact phrases", +required, -excluded, title:, source:, id:.
    #[arg(value_name = "QUERY", required_unless_present = "batch")]
    pub query: Option<String>,
    #[command(flatten)]
    pub location: IndexLocation,
    /// Maximum number of hits.
    #[arg(long, short = 'n', default_value_t = 10, value_name = "N")]
    pub limit: usize,
    /// Output format (default: text).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Only the best passage of each article.
    #[arg(long)]
    pub per_article: bool,
    /// Do not try close spellings of rare words.
    #[arg(long)]
    pub no_typos: bool,
    /// Pseudo-relevance feedback: expand the query with words from its best passages.
    #[arg(long)]
    pub feedback: bool,
    /// Count every matching passage (adds `total_matches`; costs a full pass).
    #[arg(long)]
    pub count: bool,
    /// Read one query per line from FILE (or - for stdin); write one JSON line per query.
    #[arg(long, value_name = "FILE", conflicts_with = "query")]
    pub batch: Option<PathBuf>,
    /// With --batch: print latency figures (JSON) to stderr at the end.
    #[arg(long, requires = "batch")]
    pub timings: bool,
    /// When to use colour in text output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

/// `search show`.
#[derive(Debug, Args)]
#[command(after_help = "\
Citations, as `search query` prints them:
  PATH:LINE        the paragraph on LINE of a .txt or .md file
  PATH:LINE#N      paragraph N of the JSONL record on LINE (or of the article in PATH)
  PATH:LINE#N.P    part P of paragraph N, when a long paragraph was split
  DOC_ID#N[.P]     paragraph N (part P) of the article with that id
PATH must be a file of the index. The paragraph is printed as the index holds it,
and checked against the source: if the source no longer holds it, `show` says so
and exits 7.")]
pub struct ShowArgs {
    /// PATH:LINE, PATH:LINE#N, PATH:LINE#N.P (as printed by `search query`) or DOC_ID#N.
    #[arg(value_name = "CITATION")]
    pub citation: String,
    #[command(flatten)]
    pub location: IndexLocation,
    /// How many neighbouring paragraphs to print on each side.
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub context: usize,
}

/// Output formats of `search eval`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EvalFormat {
    /// A small table.
    Text,
    /// One JSON object.
    Json,
}

/// `search eval`.
#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Queries: one `qid<TAB>question` per line.
    #[arg(long, value_name = "TSV")]
    pub queries: PathBuf,
    /// TREC qrels: `qid 0 docid gain` per line (gain >= 1 is relevant).
    #[arg(long, value_name = "FILE")]
    pub qrels: PathBuf,
    #[command(flatten)]
    pub location: IndexLocation,
    /// Write a TREC run file (`qid Q0 docid rank score tag`) for trec_eval.
    #[arg(long, value_name = "OUT")]
    pub run: Option<PathBuf>,
    /// Rank articles by their best passage. Judgements are per article, so this is
    /// always how passages roll up in eval; the flag is accepted for symmetry with
    /// `search query --per-article`.
    #[arg(long)]
    pub per_article: bool,
    /// Articles ranked per query (MAP and recall are computed to this depth).
    #[arg(long, default_value_t = 1000, value_name = "N")]
    pub depth: usize,
    /// Print per-query figures too.
    #[arg(long, short)]
    pub verbose: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = EvalFormat::Text)]
    pub format: EvalFormat,
    /// Pseudo-relevance feedback: expand each query with words from its best passages.
    #[arg(long)]
    pub feedback: bool,
    /// Feedback settings for experiments: `docs=10`, `terms=10`, `weight=0.5`.
    #[arg(
        long = "feedback-param",
        value_name = "NAME=VALUE",
        requires = "feedback"
    )]
    pub feedback_param: Vec<String>,
    /// Override a ranking weight for an experiment, e.g. `--weight title=0.8`
    /// (title, proximity, rerank_depth).
    #[arg(long, value_name = "NAME=VALUE")]
    pub weight: Vec<String>,
}

/// `--language`: a stemming language by code or name.
fn parse_language(name: &str) -> Result<search_indexer::StemLanguage, String> {
    search_indexer::StemLanguage::parse(name)
        .ok_or_else(|| format!("unknown language `{name}`: use en, fr, es, de, it, pt or none"))
}
