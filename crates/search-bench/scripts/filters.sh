#!/usr/bin/env bash
# Whole-process figures for filters, date sorting and facets (issue 11), in one run
# and on one index of the generated corpus, each against the plain query it
# restricts, reorders or counts:
#
#   (a) a filtered query vs the same query unfiltered: `Q source:"OUTLET"` (the
#       corpus's outlets in turn) and `Q date:A..B` (half-years in turn); goal <= 1.2x
#   (b) `--sort newest` vs relevance over broad one-word queries; goal <= 2x
#   (c) `--facets source,author` over a query matching ~100,000 passages; goal
#       p50 < 30 ms (on a smaller corpus the target count shrinks in proportion)
#
# Each batch is `search query --batch FILE --index DIR --format jsonl --timings`
# (one process, single-threaded loop, results written to a file); costs are the
# mean per-query time of the loop (seconds / queries) and its p50/p99, the median
# of RUNS runs.
#
# Usage:
#   scripts/filters.sh                      # 200 MB corpus (reused from scripts/bench.sh)
#   MB=20 scripts/filters.sh                # a quick run
#
# Settings (environment variables):
#   MB            corpus size in MB (default 200)
#   WORK          scratch directory (default <repo>/scratch/bench, gitignored)
#   NQUERIES      queries per batch for (a) (default 1000)
#   RUNS          runs of each batch; the median is reported (default 3)
#   FACET_RUNS    repetitions of the facet query in its batch (default 50)
#   SEED          corpus seed (default 42)
#   SEARCH_BIN    our binary (default: cargo build --release -p search-cli)
#   BENCH_BIN_DIR prebuilt gen-corpus and gen-queries (default: cargo build --release -p search-bench)
#   REINDEX=1     rebuild the index even if it is up to date
#
# Uses $WORK/corpus-$MB/ (generated if missing, as scripts/bench.sh does) and the
# index $WORK/idx-$MB/ours (built if missing, older than the corpus, or of another
# index format). Writes $WORK/filters-$MB.md and $WORK/filters-$MB.json; batch
# inputs, outputs and logs in $WORK/logs-$MB/filters/.
set -euo pipefail

SCRIPT_DIR=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd -- "$SCRIPT_DIR/../../.." && pwd)

MB=${MB:-200}
WORK=${WORK:-$REPO/scratch/bench}
NQUERIES=${NQUERIES:-1000}
RUNS=${RUNS:-3}
FACET_RUNS=${FACET_RUNS:-50}
SEED=${SEED:-42}
REINDEX=${REINDEX:-0}

case ${1:-} in
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    "") ;;
    *) echo "filters.sh: settings are environment variables (try --help)" >&2; exit 2 ;;
esac

log() { echo "filters.sh: $*" >&2; }
die() { log "$*"; exit 1; }

[[ $MB =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "MB must be a number, got '$MB'"
for v in NQUERIES RUNS FACET_RUNS; do
    [[ ${!v} =~ ^[1-9][0-9]*$ ]] || die "$v must be a positive integer"
done
mkdir -p "$WORK"
WORK=$(cd -- "$WORK" && pwd)
command -v cargo >/dev/null || die "cargo not found: install Rust (https://rustup.rs) first"

target_dir() {
    cargo metadata --format-version 1 --no-deps --manifest-path "$REPO/Cargo.toml" |
        sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p'
}

# --- binaries (snapshotted, as scripts/bench.sh does) -------------------------

SNAP=$WORK/bin-filters
mkdir -p "$SNAP"
if [[ -n ${BENCH_BIN_DIR:-} ]]; then
    BIN=$BENCH_BIN_DIR
else
    log "building the harness (cargo build --release -p search-bench --bins)"
    cargo build --release --quiet --manifest-path "$REPO/Cargo.toml" -p search-bench --bins >&2
    BIN=$(target_dir)/release
fi
if [[ -z ${SEARCH_BIN:-} ]]; then
    log "building our engine (cargo build --release -p search-cli)"
    cargo build --release --quiet --manifest-path "$REPO/Cargo.toml" -p search-cli >&2
    SEARCH_BIN=$(target_dir)/release/search
fi
for b in "$BIN/gen-corpus" "$BIN/gen-queries" "$SEARCH_BIN"; do
    [[ -x $b ]] || die "missing $b"
    cp -f "$b" "$SNAP/$(basename "$b").tmp" && mv -f "$SNAP/$(basename "$b").tmp" "$SNAP/$(basename "$b")"
done
SEARCH=$SNAP/search
GEN_CORPUS=$SNAP/gen-corpus
GEN_QUERIES=$SNAP/gen-queries

# --- corpus, queries, index --------------------------------------------------

CORPUS_DIR=$WORK/corpus-$MB
CORPUS=$CORPUS_DIR/corpus.jsonl
META=$CORPUS_DIR/corpus.meta.json
QUERIES=$CORPUS_DIR/queries-$NQUERIES.txt
IDX=$WORK/idx-$MB/ours
LOGS=$WORK/logs-$MB/filters
mkdir -p "$LOGS"

# A corpus made before the generator wrote author lists is made again.
if [[ -f $META && -f $CORPUS ]] && grep -q "\"seed\": $SEED," "$META" && head -c 1000000 "$CORPUS" | grep -q '"author":\['; then
    log "reusing corpus $CORPUS"
else
    log "generating a $MB MB corpus in $CORPUS_DIR (from ../shared/corpora/wiki-vital/en.jsonl)"
    rm -f "$QUERIES"
    (cd "$REPO" && "$GEN_CORPUS" --mb "$MB" --out "$CORPUS_DIR" --seed "$SEED")
fi
if [[ ! -s $QUERIES || $QUERIES -ot $META ]]; then
    "$GEN_QUERIES" --corpus "$CORPUS" --n "$NQUERIES" --out "$QUERIES"
fi

cd "$WORK" # the engine records the working directory; keep it fixed, as bench.sh does
if [[ $REINDEX == 1 || ! -d $IDX || $IDX -ot $META ]] || ! "$SEARCH" stats --index "$IDX" --format json >/dev/null 2>&1; then
    log "indexing $CORPUS into $IDX"
    rm -rf -- "$IDX"
    mkdir -p "$(dirname "$IDX")"
    rc=0
    "$SEARCH" index "$CORPUS" --index "$IDX" 2>"$LOGS/index.err" || rc=$?
    # 5: indexed, with records skipped (an indexer that does not read author lists).
    [[ $rc == 0 || $rc == 5 ]] || die "indexing failed (exit $rc), see $LOGS/index.err"
    [[ $rc == 0 ]] || log "WARNING: $(grep -c '^skipped ' "$LOGS/index.err") records skipped, see $LOGS/index.err"
    touch "$IDX"
else
    log "reusing index $IDX"
fi
sync

json_num() { # json_num KEY < JSON: the first number after "KEY":
    grep -o "\"$1\":[[:space:]]*-\{0,1\}[0-9][0-9.eE+-]*" | head -n1 | sed 's/.*:[[:space:]]*//'
}
PASSAGES=$("$SEARCH" stats --index "$IDX" --format json | json_num passages)

# --- query sets --------------------------------------------------------------

# The outlets, most passages first, from `search sources`.
mapfile -t OUTLETS < <("$SEARCH" sources --index "$IDX" --format json | grep -o '"value":"[^"]*"' | sed 's/^"value":"//; s/"$//')
[[ ${#OUTLETS[@]} -gt 0 ]] || die "the index holds no sources ($SEARCH sources --index $IDX)"

BASE=$LOGS/base.txt
SOURCE=$LOGS/source.txt
DATES=$LOGS/date.txt
cp "$QUERIES" "$BASE"
awk -v list="$(printf '%s\n' "${OUTLETS[@]}")" 'BEGIN { n = split(list, o, "\n") } { printf "%s source:\"%s\"\n", $0, o[(NR - 1) % n + 1] }' "$QUERIES" >"$SOURCE"
awk '{ y = 2020 + int((NR - 1) / 2) % 6; if (NR % 2) printf "%s date:%d-01..%d-06\n", $0, y, y; else printf "%s date:%d-07..%d-12\n", $0, y, y }' "$QUERIES" >"$DATES"

# Broad queries for the sort: common words, one per query.
BROAD_WORDS="known world first century city state part united time people called used later including major national large became began history government country number area form based group war family"
# Match counts of candidate words; the facet query is the one closest to the target.
FACET_TARGET=$(awk -v p="$PASSAGES" 'BEGIN { t = 100000; if (p < 683012) t = int(100000 * p / 683012); print t }')
COUNTS=$LOGS/word-counts.tsv
: >"$COUNTS"
for w in $BROAD_WORDS; do
    n=$("$SEARCH" query "$w" --index "$IDX" --limit 1 --count --format json 2>/dev/null | json_num total_matches || true)
    printf '%s\t%s\n' "$w" "${n:-0}" >>"$COUNTS"
done
BROAD=$LOGS/broad.txt
# Each word ten times over, for enough samples.
for _ in $(seq 10); do awk -F'\t' '$2 > 0 { print $1 }' "$COUNTS" | sort -u; done >"$BROAD"
[[ -s $BROAD ]] || die "none of the broad words matches anything"
read -r FACET_WORD FACET_MATCHES < <(awk -F'\t' -v t="$FACET_TARGET" '$2 > 0 { d = $2 - t; if (d < 0) d = -d; print d "\t" $1 "\t" $2 }' "$COUNTS" | sort -n | head -n1 | cut -f2,3)
FACET=$LOGS/facet.txt
for _ in $(seq "$FACET_RUNS"); do echo "$FACET_WORD"; done >"$FACET"
log "$PASSAGES passages; facet query \`$FACET_WORD\` matches $FACET_MATCHES (target $FACET_TARGET)"

# --- measurement -------------------------------------------------------------

declare -A R # R[name.key] = figure

# batch NAME FILE FLAGS...: RUNS runs of one batch; the median run by mean time.
batch() {
    local name=$1 file=$2 run timings mean runs=()
    shift 2
    for run in $(seq "$RUNS"); do
        if ! "$SEARCH" query --batch "$file" --index "$IDX" --format jsonl --timings "$@" >"$LOGS/$name-$run.out" 2>"$LOGS/$name-$run.err"; then
            log "$name: batch failed, see $LOGS/$name-$run.err"
            R[$name.error]=1
            return
        fi
        timings=$(grep '^{.*"queries"' "$LOGS/$name-$run.err" | tail -n1)
        mean=$(awk -v s="$(json_num seconds <<<"$timings")" -v n="$(json_num queries <<<"$timings")" 'BEGIN { printf "%.3f", s * 1000 / n }')
        runs+=("$mean $(awk -v p="$(json_num p50_ms <<<"$timings")" -v q="$(json_num p99_ms <<<"$timings")" 'BEGIN { printf "%.3f %.3f", p, q }') $(json_num queries <<<"$timings")")
    done
    read -r R[$name.mean] R[$name.p50] R[$name.p99] R[$name.queries] < <(printf '%s\n' "${runs[@]}" | sort -n -k1,1 | awk -v m=$(((${#runs[@]} + 1) / 2)) 'NR == m')
    R[$name.runs]=$(printf '%s\n' "${runs[@]}" | awk '{ printf "%s%s", (NR > 1 ? "/" : ""), $1 }')
    log "$name: mean $(printf '%s' "${R[$name.mean]}") ms, p50 ${R[$name.p50]} ms"
}

# Interleaved, so that a change of load on a shared machine hits both sides alike.
batch unfiltered "$BASE" --limit 10
batch source "$SOURCE" --limit 10
batch date "$DATES" --limit 10
batch relevance "$BROAD" --limit 10 --sort relevance
batch newest "$BROAD" --limit 10 --sort newest
batch facets_none "$FACET" --limit 10
batch facets "$FACET" --limit 10 --facets source,author

# --- report ------------------------------------------------------------------

ratio() { awk -v a="${R[$1.mean]:-}" -v b="${R[$2.mean]:-}" 'BEGIN { if (a != "" && b + 0 > 0) printf "%.3f", a / b }'; }
verdict() { # verdict VALUE OP LIMIT
    [[ -n $1 ]] || { echo "n/a"; return; }
    if awk -v v="$1" -v l="$3" -v op="$2" 'BEGIN { exit !((op == "<=" && v <= l) || (op == "<" && v < l)) }'; then echo met; else echo MISSED; fi
}
row() { # row LABEL NAME
    echo "| $1 | ${R[$2.queries]:-n/a} | ${R[$2.mean]:-n/a} | ${R[$2.p50]:-n/a} | ${R[$2.p99]:-n/a} | ${R[$2.runs]:-n/a} |"
}
SOURCE_RATIO=$(ratio source unfiltered)
DATE_RATIO=$(ratio date unfiltered)
SORT_RATIO=$(ratio newest relevance)
FACET_P50=${R[facets.p50]:-}
GIT_REV=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)
MACHINE="$(nproc) × $(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo | head -n1); load $(cut -d' ' -f1-3 /proc/loadavg)"
TABLE=$WORK/filters-$MB.md
{
    echo "### Filters, sorts and facets: $MB MB corpus, $PASSAGES passages (commit $GIT_REV; $MACHINE)"
    echo
    echo "| batch | queries | mean ms | p50 ms | p99 ms | mean ms of each run |"
    echo "|---|---:|---:|---:|---:|---|"
    row "unfiltered (\`Q\`)" unfiltered
    row "source filter (\`Q source:\"OUTLET\"\`, ${#OUTLETS[@]} outlets in turn)" source
    row "date filter (\`Q date:YYYY-01..YYYY-06\`, half-years in turn)" date
    row "broad words, relevance" relevance
    row "broad words, \`--sort newest\`" newest
    row "\`$FACET_WORD\` ($FACET_MATCHES matches), no facets" facets_none
    row "\`$FACET_WORD\` ($FACET_MATCHES matches), \`--facets source,author\`" facets
    echo
    echo "| target | measured | goal | verdict |"
    echo "|---|---:|---:|---|"
    echo "| source-filtered ÷ unfiltered (mean) | ${SOURCE_RATIO:-n/a} | <= 1.2 | $(verdict "$SOURCE_RATIO" "<=" 1.2) |"
    echo "| date-filtered ÷ unfiltered (mean) | ${DATE_RATIO:-n/a} | <= 1.2 | $(verdict "$DATE_RATIO" "<=" 1.2) |"
    echo "| \`--sort newest\` ÷ relevance, broad words (mean) | ${SORT_RATIO:-n/a} | <= 2 | $(verdict "$SORT_RATIO" "<=" 2) |"
    echo "| \`--facets source,author\` p50, ms ($FACET_MATCHES matches) | ${FACET_P50:-n/a} | < 30 | $(verdict "$FACET_P50" "<" 30) |"
} >"$TABLE"
JSON=$WORK/filters-$MB.json
{
    printf '{"mb": %s, "passages": %s, "commit": "%s", "facet_query": "%s", "facet_matches": %s' "$MB" "$PASSAGES" "$GIT_REV" "$FACET_WORD" "$FACET_MATCHES"
    printf ', "source_ratio": %s, "date_ratio": %s, "sort_newest_ratio": %s, "facets_p50_ms": %s' "${SOURCE_RATIO:-null}" "${DATE_RATIO:-null}" "${SORT_RATIO:-null}" "${FACET_P50:-null}"
    printf ', "batches": {'
    sep=""
    for name in unfiltered source date relevance newest facets_none facets; do
        printf '%s"%s": {"queries": %s, "mean_ms": %s, "p50_ms": %s, "p99_ms": %s}' "$sep" "$name" "${R[$name.queries]:-null}" "${R[$name.mean]:-null}" "${R[$name.p50]:-null}" "${R[$name.p99]:-null}"
        sep=", "
    done
    printf '}}\n'
} >"$JSON"
cat "$TABLE"
log "table in $TABLE, raw figures in $JSON"
