//! The command-line interface: argument definitions only.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use search_query::{DateRange, Facet, Sort};

/// Examples shown by `search -h` and `search --help`.
macro_rules! examples {
    () => {
        "\
Examples:
  search index seeds/                 build or update the index in index/
  search query \"frozen assets\"        ranked passages with citations
  search query '\"peace deal\" -Moscow' --format json
  search query 'assets source:Reuters date:2025-12-01..2025-12-04'   filters
  search query 'author:\"Olena Kovalenko\" date:2025-06'  filters only: newest first
  search query \"frozen assets\" --since 2025-12 --sort newest --facets source,date
  search sources                      outlets in the index, with counts
  search query --batch queries.txt    one JSON line per query line
  search show seeds/000_792c1fc0d0c2a89d.txt:8      a citation as `search query` prints it
  search show corpus/wire.jsonl:12#3              paragraph 3 of the record on line 12
  search show 000_792c1fc0d0c2a89d#6              paragraph 6 of an article, by id
  search related seeds/000_792c1fc0d0c2a89d.txt:10  the same fact, told by other articles
  search verify                                   check every citation against its source
  search serve                        the HTTP API and a search page on http://127.0.0.1:7700/"
    };
}

/// Passage search over news articles, with citations you can check.
#[derive(Debug, Parser)]
#[command(
    name = "search",
    version,
    long_version = long_version(),
    about,
    long_about = None,
    override_usage = "search [OPTIONS] <COMMAND>",
    after_help = concat!(examples!(), "\n\nExit status: 0 success, 1 no match, 2 usage; `search --help` lists them all."),
    after_long_help = concat!(examples!(), "\n\n", exit_status_help!()),
)]
pub struct Cli {
    /// Print only results and errors: no notes, warnings or progress on stderr.
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// `search --version`: the program's version, and the versions of the index format
/// and analyzer it reads and writes (an index of another version is rebuilt).
fn long_version() -> &'static str {
    static VERSION: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    VERSION.get_or_init(|| {
        format!(
            "{} (index format {}, analyzer {})",
            env!("CARGO_PKG_VERSION"),
            search_core::FORMAT_VERSION,
            search_core::ANALYZER_VERSION
        )
    })
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build or update the index from a corpus of .txt, .md and .jsonl articles.
    #[command(override_usage = "search index [OPTIONS] [CORPUS]...")]
    Index(IndexArgs),
    /// Search the index; print ranked passages with citations.
    #[command(
        override_usage = "search query [OPTIONS] <QUERY>\n       search query [OPTIONS] --batch <FILE>"
    )]
    Query(QueryArgs),
    /// Print a cited paragraph from its source, between its neighbours.
    #[command(override_usage = "search show [OPTIONS] <CITATION>")]
    Show(ShowArgs),
    /// The same fact, told by others: passages of other articles that state what a
    /// cited passage states, ranked by similarity.
    #[command(override_usage = "search related [OPTIONS] <CITATION>")]
    Related(RelatedArgs),
    /// Measure ranking on judged queries: nDCG@10, MAP and Recall@100.
    #[command(override_usage = "search eval [OPTIONS] --queries <TSV> --qrels <FILE>")]
    Eval(EvalArgs),
    /// Check every citation against its source as it is now; exit 7 if any is stale.
    #[command(override_usage = "search verify [OPTIONS]")]
    Verify(VerifyArgs),
    /// Show what the index holds and whether it is up to date with its corpus.
    #[command(override_usage = "search stats [OPTIONS]")]
    Stats(ReportArgs),
    /// Count passages and articles by source, author and date: over the whole index,
    /// or over the passages a query matches.
    #[command(override_usage = "search facets [OPTIONS] [QUERY]")]
    Facets(FacetsArgs),
    /// List the outlets the index holds, with their passages and articles.
    #[command(override_usage = "search sources [OPTIONS]")]
    Sources(SourcesArgs),
    /// Serve the index over HTTP: a JSON API for programs and a search page for
    /// people, until SIGINT or SIGTERM.
    #[command(override_usage = "search serve [OPTIONS]")]
    Serve(ServeArgs),
    /// Print a shell completion script (e.g. `search completions bash > ~/.local/share/bash-completion/completions/search`).
    #[command(override_usage = "search completions <SHELL>")]
    Completions(CompletionsArgs),
    /// Print the manual page (roff), e.g. `search man | man -l -`.
    #[command(override_usage = "search man")]
    Man,
}

/// `search serve`.
#[derive(Debug, Args)]
#[command(after_help = "\
The server opens the index read-only and follows updates that `search index` makes
in another process. It binds loopback only by default; binding any other address
needs an API key, which every /api request must then send as
`Authorization: Bearer KEY`. The page is at /, the API under /api/ (described at
/api/openapi.json). One line per request goes to stderr (-q turns it off). The
address it listens on is printed on stdout (`--addr 127.0.0.1:0` picks a free port).")]
pub struct ServeArgs {
    #[command(flatten)]
    pub location: IndexLocation,
    /// The address and port to listen on (IP:PORT, or localhost:PORT).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:7700")]
    pub addr: String,
    /// The key every API request must carry as `Authorization: Bearer KEY`;
    /// required to listen on an address other than loopback.
    #[arg(
        long,
        value_name = "KEY",
        env = "SEARCH_API_KEY",
        hide_env_values = true
    )]
    pub api_key: Option<String>,
    /// Allow pages from ORIGIN (e.g. https://newsroom.example) to call the API
    /// from a browser (CORS); off by default. `*` allows any origin.
    #[arg(long, value_name = "ORIGIN")]
    pub cors: Option<String>,
    /// Answer 504 to a request still running after SECONDS (a search, a show or
    /// a verify).
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0, value_parser = parse_timeout)]
    pub timeout: f64,
    /// Searches run at once, at least 1 (default: two per core); more wait their
    /// turn, first come, first served.
    #[arg(long, value_name = "N", value_parser = at_least_one)]
    pub threads: Option<usize>,
}

/// `--timeout`: a positive number of seconds.
fn parse_timeout(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(s) if s.is_finite() && s > 0.0 && s <= 86_400.0 => Ok(s),
        _ => Err("give a number of seconds above 0 (at most 86400)".to_string()),
    }
}

/// `search completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: clap_complete::Shell,
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
    #[arg(long, value_name = "N", value_parser = at_least_one)]
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
    /// When CLICOLOR_FORCE is set (not 0); else on a terminal, unless NO_COLOR is
    /// set or TERM is dumb.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// `--sort`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SortOrder {
    /// Best score first (the default for a query with words to rank).
    Relevance,
    /// Latest date first (the default for a query of filters only); undated last.
    Newest,
    /// Earliest date first; undated last.
    Oldest,
}

impl From<SortOrder> for Sort {
    fn from(order: SortOrder) -> Sort {
        match order {
            SortOrder::Relevance => Sort::Relevance,
            SortOrder::Newest => Sort::Newest,
            SortOrder::Oldest => Sort::Oldest,
        }
    }
}

/// `--since` and `--until`: a date range every hit must be in, for the commands
/// that search.
#[derive(Debug, Args)]
pub struct DateArgs {
    /// Only articles dated on or after DATE (the start of its year, month or day),
    /// as `date:>=DATE`: 2025, 2025-12, 2025-12-04 or 2025-12-04T10:30:00Z (UTC).
    #[arg(long, value_name = "DATE", value_parser = parse_since)]
    pub since: Option<DateRange>,
    /// Only articles dated on or before DATE (to the end of its year, month or
    /// day), as `date:<=DATE`.
    #[arg(long, value_name = "DATE", value_parser = parse_until)]
    pub until: Option<DateRange>,
}

impl DateArgs {
    /// The range both flags allow (any date when neither is given).
    pub fn range(&self) -> DateRange {
        let any = DateRange::default();
        self.since
            .unwrap_or(any)
            .intersect(&self.until.unwrap_or(any))
    }
}

fn parse_since(value: &str) -> Result<DateRange, String> {
    DateRange::since(value).map_err(|e| e.to_string())
}

fn parse_until(value: &str) -> Result<DateRange, String> {
    DateRange::until(value).map_err(|e| e.to_string())
}

/// One name of a `--facets` list (`source`, `author`, `date`, `date:day`).
fn parse_facet(name: &str) -> Result<Facet, String> {
    name.parse()
}

/// The facets of a `--facets` list, each once (the first spelling wins).
pub fn distinct_facets(facets: &[Facet]) -> Vec<Facet> {
    let mut distinct: Vec<Facet> = Vec::new();
    for facet in facets {
        if !distinct.iter().any(|f| f.name() == facet.name()) {
            distinct.push(*facet);
        }
    }
    distinct
}

/// `search query`.
#[derive(Debug, Args)]
#[command(after_long_help = "\
Query syntax:
  frozen assets               free text, ranked (BM25 and proximity)
  \"peace deal\"  +Umerov  -Moscow    phrase, required word, excluded word
  source:Reuters  author:\"Olena Kovalenko\"   whole names; case and accents ignored
  title:Ukraine  id:DOC_ID  url:reuters.com/world
  date:2025-12-04  date:2025-12  date:2025  date:2025-12-01..2025-12-04
  date:>=2025-12-01  date:<2025-12-05  date:2025-12-01..
  -source:\"BBC News\"            exclude a value
Field clauses filter: several on one field OR together, different fields AND
together. A query of filters only lists the matching passages, newest first.

Output:
  text    ranked passages; with --count, a last line `N matching passages`
  json    one object: {\"query\", \"hits\": [...], \"total_matches\" (--count), ...}
  jsonl   one hit object per line; with --count each carries \"total_matches\"
Notes and warnings (close spellings searched, query syntax recovered from, a stale
index) go to stderr in every format; json results also carry them as
\"corrections\" and \"warnings\".

--batch FILE (or - for stdin) reads one query per line and prints one JSON result
object per line: output line N answers input line N. A blank line gets an empty
result ({\"query\": \"\", \"hits\": []}); a line that cannot be answered (not UTF-8,
say) gets {\"line\": N, \"query\": ..., \"error\": ...} and the batch goes on.

Exit status:
  0   hits (with --batch: every line got a result, even one with no hits)
  1   no passage matches (single query only)
  2   bad usage; with --batch, some line got an error object (e.g. not UTF-8)
  3, 4, 9, 10   no index, corrupt index, permission, other failure (search --help)")]
pub struct QueryArgs {
    /// The query: words, "exact phrases", +required, -excluded, and the filters
    /// source:, author:, title:, id:, url:, date: (see below). `-` reads the query
    /// from stdin.
    #[arg(value_name = "QUERY", required_unless_present = "batch")]
    pub query: Option<String>,
    #[command(flatten)]
    pub location: IndexLocation,
    /// Maximum number of hits (at least 1).
    #[arg(
        long,
        short = 'n',
        default_value_t = 10,
        value_name = "N",
        value_parser = at_least_one
    )]
    pub limit: usize,
    /// Skip the first N hits (pagination): `--offset 10 --limit 10` is the second
    /// page of ten, ranked from 11. Keep --limit fixed while paging; offset plus
    /// limit may not exceed the most a search returns (10000).
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub offset: usize,
    /// Show how each hit's score was made: BM25 per term and field, the title
    /// and boilerplate weights, the proximity factor, the feedback terms' share
    /// (indented under each hit; `explanation` in JSON).
    #[arg(long)]
    pub explain: bool,
    /// Output format [default: text; with --batch: jsonl]
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<Format>,
    /// Only the best passage of each article.
    #[arg(long)]
    pub per_article: bool,
    /// Fold syndicated copies into one hit: each copy group once, as its best
    /// passage, with "also in: …" (text) or `copies` and `sources` (JSON).
    #[arg(long)]
    pub collapse: bool,
    /// Do not try close spellings of rare words.
    #[arg(long)]
    pub no_typos: bool,
    /// Pseudo-relevance feedback: expand the query with words from its best passages.
    #[arg(long)]
    pub feedback: bool,
    /// Count every matching passage (costs a full pass): a last line in text,
    /// `total_matches` in JSON and on every JSONL record.
    #[arg(long)]
    pub count: bool,
    /// Read one query per line from FILE (or - for stdin); write one JSON line per query.
    #[arg(long, value_name = "FILE", conflicts_with = "query")]
    pub batch: Option<PathBuf>,
    /// With --batch: print latency figures (JSON) to stderr at the end.
    #[arg(long, requires = "batch")]
    pub timings: bool,
    /// Order of the hits [default: relevance; newest for a query of filters only].
    /// Ties go by relevance, then by the stable tie order.
    #[arg(long, value_enum, value_name = "ORDER")]
    pub sort: Option<SortOrder>,
    #[command(flatten)]
    pub dates: DateArgs,
    /// Count all matching passages (and their articles) by these fields, printed
    /// before the hits (`facets` in JSON): a comma-separated list of source,
    /// author, date (per month) or date:day.
    #[arg(long, value_name = "LIST", value_delimiter = ',', value_parser = parse_facet)]
    pub facets: Vec<Facet>,
    #[command(flatten)]
    pub color: ColorArg,
}

/// `search facets`.
#[derive(Debug, Args)]
#[command(after_help = "\
Without a query, counts every passage of the index (within --since/--until); with
one, the passages it matches (filters only, such as 'source:Reuters date:2025', are
a query too). Each value shows its passages and distinct articles, most first.")]
pub struct FacetsArgs {
    /// The query whose matching passages are counted (default: the whole index).
    /// `-` reads it from stdin.
    #[arg(value_name = "QUERY")]
    pub query: Option<String>,
    #[command(flatten)]
    pub location: IndexLocation,
    /// What to count by: a comma-separated list of source, author, date (per
    /// month) or date:day.
    #[arg(
        long,
        value_name = "LIST",
        value_delimiter = ',',
        value_parser = parse_facet,
        default_value = "source,author,date"
    )]
    pub facets: Vec<Facet>,
    #[command(flatten)]
    pub dates: DateArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = EvalFormat::Text)]
    pub format: EvalFormat,
}

/// `search sources`.
#[derive(Debug, Args)]
pub struct SourcesArgs {
    #[command(flatten)]
    pub location: IndexLocation,
    /// Output format.
    #[arg(long, value_enum, default_value_t = EvalFormat::Text)]
    pub format: EvalFormat,
}

/// `--color`, for the commands that print text for people.
#[derive(Debug, Args)]
pub struct ColorArg {
    /// When to use colour in text output.
    #[arg(long = "color", value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub choice: ColorChoice,
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
    /// Output format: text, or one JSON object (the article's fields, the cited
    /// passages and their neighbours, and whether the source still holds them).
    #[arg(long, value_enum, default_value_t = EvalFormat::Text)]
    pub format: EvalFormat,
    #[command(flatten)]
    pub color: ColorArg,
}

/// `search related`.
#[derive(Debug, Args)]
#[command(after_help = "\
CITATION is what `search query` prints (PATH:LINE, PATH:LINE#N, PATH:LINE#N.P) or
DOC_ID#N[.P], as for `search show`. The cited passage is the query: its words
(weighted by rarity, names and quoted words more) and their order. Passages of the
cited article are never hits; copies of the passage in other articles are listed
as copies, not as hits. Text output prints the cited passage, its copies, then the
hits as `search query` prints them; JSON is one object:
{\"passage\": HIT, \"copies\": [CITATION...], \"hits\": [HIT...]}.
Exit status: 0 hits, 1 none, 2 not a citation, 8 the citation names no passage.")]
pub struct RelatedArgs {
    /// PATH:LINE, PATH:LINE#N, PATH:LINE#N.P (as printed by `search query`) or DOC_ID#N.
    #[arg(value_name = "CITATION")]
    pub citation: String,
    #[command(flatten)]
    pub location: IndexLocation,
    /// Maximum number of hits (at least 1).
    #[arg(
        long,
        short = 'n',
        default_value_t = 10,
        value_name = "N",
        value_parser = at_least_one
    )]
    pub limit: usize,
    /// Output format: text, or one JSON object (the passage, its copies, the hits).
    #[arg(long, value_enum, default_value_t = EvalFormat::Text)]
    pub format: EvalFormat,
    #[command(flatten)]
    pub dates: DateArgs,
    #[command(flatten)]
    pub color: ColorArg,
}

/// Output formats of `search eval`, `verify`, `stats`, `show`, `related`, `facets`
/// and `sources`.
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
    /// Articles ranked per query, at least 1 (MAP and recall are computed to this depth).
    #[arg(
        long,
        default_value_t = 1000,
        value_name = "N",
        value_parser = at_least_one
    )]
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
    /// Feedback settings for experiments: `docs=N` (first-pass passages, default 10),
    /// `terms=N` (expansion words, default 20), `weight=X` (share of the typed
    /// query, in [0.05, 1], default 0.5).
    #[arg(
        long = "feedback-param",
        value_name = "NAME=VALUE",
        requires = "feedback",
        value_parser = parse_feedback_param
    )]
    pub feedback_param: Vec<FeedbackParam>,
    /// Override a ranking weight for an experiment: `title=X` (title BM25 weight),
    /// `proximity=X` (proximity boost), `rerank_depth=N` (candidates re-ranked),
    /// `stop_words=0|1` (drop English function words).
    #[arg(long, value_name = "NAME=VALUE", value_parser = parse_weight)]
    pub weight: Vec<Weight>,
}

/// One `--weight NAME=VALUE`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Weight {
    /// `title=X`.
    Title(f32),
    /// `proximity=X`.
    Proximity(f32),
    /// `rerank_depth=N`.
    RerankDepth(usize),
    /// `stop_words=0|1`.
    StopWords(bool),
}

/// The names `--weight` takes, as its help and its errors list them.
const WEIGHTS: &str = "title=X, proximity=X, rerank_depth=N or stop_words=0|1";

fn parse_weight(item: &str) -> Result<Weight, String> {
    let bad = |why: &str| format!("{why}: use {WEIGHTS}");
    let (name, value) = item
        .split_once('=')
        .ok_or_else(|| bad("expected NAME=VALUE"))?;
    let number = || {
        value
            .parse::<f32>()
            .ok()
            .filter(|x| x.is_finite() && *x >= 0.0)
            .ok_or_else(|| bad(&format!("`{value}` is not a number >= 0")))
    };
    Ok(match name {
        "title" => Weight::Title(number()?),
        "proximity" => Weight::Proximity(number()?),
        "rerank_depth" => Weight::RerankDepth(
            value
                .parse()
                .map_err(|_| bad(&format!("`{value}` is not a whole number")))?,
        ),
        "stop_words" => Weight::StopWords(match value {
            "1" | "true" => true,
            "0" | "false" => false,
            _ => return Err(bad(&format!("`{value}` is not 0 or 1"))),
        }),
        _ => return Err(bad(&format!("unknown weight `{name}`"))),
    })
}

/// One `--feedback-param NAME=VALUE`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FeedbackParam {
    /// `docs=N`.
    Docs(usize),
    /// `terms=N`.
    Terms(usize),
    /// `weight=X`.
    Weight(f32),
}

fn parse_feedback_param(item: &str) -> Result<FeedbackParam, String> {
    const NAMES: &str = "docs=N, terms=N or weight=X (0.05 <= X <= 1)";
    let bad = |why: &str| format!("{why}: use {NAMES}");
    let (name, value) = item
        .split_once('=')
        .ok_or_else(|| bad("expected NAME=VALUE"))?;
    let count = || {
        value
            .parse::<usize>()
            .ok()
            .filter(|&n| n >= 1)
            .ok_or_else(|| bad(&format!("`{value}` is not a whole number >= 1")))
    };
    Ok(match name {
        "docs" => FeedbackParam::Docs(count()?),
        "terms" => FeedbackParam::Terms(count()?),
        "weight" => FeedbackParam::Weight(
            value
                .parse::<f32>()
                .ok()
                .filter(|x| (0.05..=1.0).contains(x))
                .ok_or_else(|| bad(&format!("`{value}` is not a number in [0.05, 1]")))?,
        ),
        _ => return Err(bad(&format!("unknown setting `{name}`"))),
    })
}

/// A count that must be 1 or more (`--limit`, `--depth`).
fn at_least_one(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(0) => Err("give 1 or more".to_string()),
        Ok(n) => Ok(n),
        Err(_) => Err("not a whole number".to_string()),
    }
}

/// `--language`: a stemming language by code or name.
fn parse_language(name: &str) -> Result<search_indexer::StemLanguage, String> {
    search_indexer::StemLanguage::parse(name)
        .ok_or_else(|| format!("unknown language `{name}`: use en, fr, es, de, it, pt or none"))
}

impl Cli {
    /// What the declarations above cannot say: `--batch` with `--format text`. The
    /// error is clap's own usage error (exit 2), with the subcommand's usage line.
    pub fn check(&self) -> Result<(), clap::Error> {
        if let Command::Query(args) = &self.command {
            if args.batch.is_some() && args.format == Some(Format::Text) {
                let mut cli = <Cli as clap::CommandFactory>::command();
                let query = cli
                    .find_subcommand_mut("query")
                    .expect("query is a subcommand");
                return Err(query.error(
                    clap::error::ErrorKind::ArgumentConflict,
                    "--format text cannot be used with --batch, which prints one JSON object per line (--format jsonl)",
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_definition_is_consistent() {
        <Cli as clap::CommandFactory>::command().debug_assert();
    }

    #[test]
    fn weights_parse_by_name() {
        assert_eq!(parse_weight("title=0.5"), Ok(Weight::Title(0.5)));
        assert_eq!(parse_weight("rerank_depth=50"), Ok(Weight::RerankDepth(50)));
        assert_eq!(parse_weight("stop_words=0"), Ok(Weight::StopWords(false)));
        for bad in [
            "title",
            "title=x",
            "title=-1",
            "title=inf",
            "rerank_depth=1.5",
            "x=1",
        ] {
            let err = parse_weight(bad).unwrap_err();
            assert!(err.contains("stop_words=0|1"), "{bad}: {err}");
        }
    }

    #[test]
    fn feedback_params_parse_by_name() {
        assert_eq!(parse_feedback_param("docs=5"), Ok(FeedbackParam::Docs(5)));
        assert_eq!(
            parse_feedback_param("weight=1"),
            Ok(FeedbackParam::Weight(1.0))
        );
        for bad in [
            "docs=0",
            "docs=2.5",
            "weight=0",
            "weight=0.01",
            "weight=2",
            "nope=1",
        ] {
            assert!(parse_feedback_param(bad).is_err(), "{bad}");
        }
    }
}
