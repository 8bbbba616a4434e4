# Recipes for the `search` workspace. `just --list` shows them all.

set shell := ["bash", "-euo", "pipefail", "-c"]
# Recipe arguments reach the shell as "$@", each one whole: `just query '"peace deal" -Moscow'`.
set positional-arguments

search := "cargo run --release --quiet -p search-cli --"

# List the recipes.
default:
    @just --list

# Bring index/ up to date with seeds/ (only changed files are re-read; add --rebuild to force).
index *FLAGS:
    {{search}} index seeds --index index "$@"

# Run a query over index/ (built on first use): `just query '"peace deal" -Moscow' --format json`.
query QUERY *FLAGS:
    {{search}} query --index index "$@"

# Run every test: unit, integration, CLI and doc tests.
test:
    cargo test --workspace

# Format check and clippy with warnings denied.
lint:
    cargo fmt --all --check
    cargo clippy --workspace --all-targets -- -D warnings

# What CI runs (.ci/run): lint, then the tests.
ci:
    bash .ci/run

# Indexes it into scratch/cranfield, prints nDCG@10, MAP and R@100 for the default
# ranking and with --feedback, and writes TREC run files to scratch/ (README: pytrec_eval).
# Ranking figures on the Cranfield dev queries (the one test recipe that reads ../shared/eval).
eval:
    cargo build --release --quiet -p search-cli
    ./target/release/search index ../shared/eval/cranfield/docs.jsonl --index scratch/cranfield --rebuild || test $? -eq 5
    @echo "== default ranking"
    ./target/release/search eval --queries ../shared/eval/cranfield/queries-dev.tsv --qrels ../shared/eval/cranfield/qrels-dev.txt --index scratch/cranfield --run scratch/cranfield-default.run
    @echo "== with --feedback (idf-weighted RM3)"
    ./target/release/search eval --queries ../shared/eval/cranfield/queries-dev.tsv --qrels ../shared/eval/cranfield/qrels-dev.txt --index scratch/cranfield --feedback --run scratch/cranfield-feedback.run

# The `title:` experiment (README, "Why title: filters"): Cranfield dev queries as they are, and with `title:WORD` appended (WORD: the query's longest content word). Reads ../shared.
eval-title:
    cargo build --release --quiet -p search-cli
    ./target/release/search index ../shared/eval/cranfield/docs.jsonl --index scratch/cranfield --rebuild || test $? -eq 5
    mkdir -p scratch/title-eval
    python3 crates/search-bench/scripts/title-eval.py ../shared/eval/cranfield/queries-dev.tsv scratch/title-eval
    for set in base filter; do echo "== $set"; ./target/release/search eval --queries scratch/title-eval/$set.tsv --qrels ../shared/eval/cranfield/qrels-dev.txt --index scratch/cranfield; done

# Kill `search index` at random moments ROUNDS times (updates, then ROUNDS/2 first builds); check the folder after each kill.
kill-test ROUNDS="300":
    KILL_ROUNDS={{ROUNDS}} cargo test -p search-cli --test it concurrency::updates_killed -- --nocapture
    KILL_ROUNDS={{ROUNDS}} cargo test -p search-cli --test it concurrency::first_builds_killed -- --nocapture

# More cases of the incremental-equals-rebuild property.
prop-test CASES="200":
    PROP_CASES={{CASES}} cargo test -p search-indexer --test it incremental_updates_answer_like_a_rebuild -- --nocapture

# Generated news corpus of MB megabytes in scratch/bench/corpus-MB (reads ../shared/corpora/wiki-vital; TXT=1 adds .txt files).
corpus MB:
    cargo run --release --quiet -p search-bench --bin gen-corpus -- --mb {{MB}} --out scratch/bench/corpus-{{MB}} ${TXT:+--txt}

# Builds what it needs; see crates/search-bench/scripts/bench.sh --help.
# Side-by-side benchmark vs plain tantivy and SQLite FTS5 on an MB-megabyte corpus (reads ../shared).
bench MB="200":
    MB={{MB}} crates/search-bench/scripts/bench.sh

# Scaling: index time, peak RSS, p50/p99 per corpus size (ENGINES="ours tantivy" adds the peer).
bench-scaling SIZES="20 200 1000" ENGINES="ours":
    MB="{{SIZES}}" ENGINES="{{ENGINES}}" crates/search-bench/scripts/scaling.sh

# Filters, `--sort newest` and `--facets` against the plain query, on the index `just bench MB` built
# (made if missing): crates/search-bench/scripts/filters.sh (see its --help).
bench-filters MB="200":
    MB={{MB}} crates/search-bench/scripts/filters.sh

# `search serve` under load with wrk (apt-get install wrk): requests/s, p50, p99 at 8 connections beside
# the single-thread `--batch` throughput, then 60 s at 64 connections with RSS sampled, on the index
# `just bench MB` built: crates/search-bench/scripts/serve.sh (see its --help; WORK=DIR reads them elsewhere).
bench-serve MB="200":
    MB={{MB}} crates/search-bench/scripts/serve.sh

# The sharded index on Ray against one process (reads ../shared): build time, router p50 overhead at one
# connection, errors under the serve benchmark's load; needs wrk and target/py-venv (bash .ci/run makes it).
bench-ray MB="200":
    MB={{MB}} crates/search-bench/scripts/ray.sh

# Criterion benches of the hot paths: analyzer, passage splitting, query with highlights, filters/sorts/facets.
bench-micro *ARGS:
    cargo bench -p search-bench {{ARGS}}

# Where a query's time goes, stage by stage, on the index `just bench MB` built.
bench-stages MB="200":
    cargo run --release --quiet -p search-bench --example query_stages -- --index scratch/bench/idx-{{MB}}/ours --queries scratch/bench/corpus-{{MB}}/queries-1000.txt

# Copy groups against the truth of a generated syndication corpus (originals, syndicated copies, quote-only and
# unrelated articles; reads ../shared) indexed into scratch/copies: pairwise precision and recall, quotes and
# boilerplate grouped. FLAGS go to eval-copies (--check: exit 1 on a missed target; --json).
eval-copies *FLAGS:
    cargo build --release --quiet -p search-cli
    cargo build --release --quiet -p search-bench --bin gen-syndication --bin eval-copies
    ./target/release/gen-syndication --out scratch/copies
    ./target/release/search index scratch/copies/corpus.jsonl --index scratch/copies/index --rebuild || test $? -eq 5
    ./target/release/eval-copies --index scratch/copies/index --truth scratch/copies/truth.json "$@"

# Cost of copy groups on an MB-megabyte syndication corpus: index time and size with and without
# (SEARCH_NO_COPY_GROUPS=1), `--collapse` vs plain query time: crates/search-bench/scripts/copies.sh (see its --help).
bench-copies MB="200":
    MB={{MB}} crates/search-bench/scripts/copies.sh
