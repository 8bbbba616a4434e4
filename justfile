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
