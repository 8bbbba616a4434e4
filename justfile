# Recipes for the `search` workspace. `just --list` shows them all.

set shell := ["bash", "-euo", "pipefail", "-c"]

search := "cargo run --release --quiet -p search-cli --"

# List the recipes.
default:
    @just --list

# Bring index/ up to date with seeds/ (only changed files are re-read; add --rebuild to force).
index *FLAGS:
    {{search}} index seeds --index index {{FLAGS}}

# Run a query over index/ (built on first use).
query Q *FLAGS:
    {{search}} query "{{Q}}" --index index {{FLAGS}}

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

# Ranking figures on the Cranfield dev queries. Reads ../shared/eval/cranfield
# (the one recipe that reads ../shared): indexes it into scratch/cranfield, then
# prints nDCG@10, MAP and R@100 for the default ranking and with --feedback, and
# writes TREC run files to scratch/ (check them with pytrec_eval, see README).
eval:
    cargo build --release --quiet -p search-cli
    ./target/release/search index ../shared/eval/cranfield/docs.jsonl --index scratch/cranfield --rebuild || test $? -eq 5
    @echo "== default ranking"
    ./target/release/search eval --queries ../shared/eval/cranfield/queries-dev.tsv --qrels ../shared/eval/cranfield/qrels-dev.txt --index scratch/cranfield --run scratch/cranfield-default.run
    @echo "== with --feedback (idf-weighted RM3)"
    ./target/release/search eval --queries ../shared/eval/cranfield/queries-dev.tsv --qrels ../shared/eval/cranfield/qrels-dev.txt --index scratch/cranfield --feedback --run scratch/cranfield-feedback.run

# Kill `search index` at random moments ROUNDS times; check the index after each kill.
kill-test ROUNDS="300":
    KILL_ROUNDS={{ROUNDS}} cargo test -p search-cli --test it concurrency::updates_killed -- --nocapture

# More cases of the incremental-equals-rebuild property.
prop-test CASES="200":
    PROP_CASES={{CASES}} cargo test -p search-indexer --test it incremental_updates_answer_like_a_rebuild -- --nocapture
