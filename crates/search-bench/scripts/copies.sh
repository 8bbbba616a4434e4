#!/usr/bin/env bash
# Whole-process cost of copy groups (issue "Corroboration"), on a generated
# syndication corpus of MB megabytes of paragraph text:
#
#   (a) indexing time with copy groups vs without (SEARCH_NO_COPY_GROUPS=1 in the
#       environment of `search index` turns grouping off); goal <= 1.15x
#   (b) index size with vs without (`du -sb` of the index folder); goal <= 1.05x
#   (c) mean query time of a batch of NQUERIES queries with `--collapse` vs the
#       same batch plain, both on the index with groups; goal <= 1.2x
#
# The corpus is gen-syndication's (not gen-corpus's): ARTICLES originals with
# COPIES syndicated copies each (other outlets, a credit line, ~1 word in 40
# changed), QUOTES quote-only articles, and unrelated articles up to MB, half
# of them ending with their outlet's copyright line. With the defaults (40
# originals and 5 quote-only articles per MB, 0-4 copies) over a quarter of the
# articles belong to a syndicated family (at 200 MB: 8,000 originals, ~16,000
# copies, ~60,000 unrelated articles), so `--collapse` has groups to fold.
# Beyond ~5 MB the generator goes through the wiki-vital sentences more than
# once (it says how many times), in a shuffled order: right for costs, not for
# precision and recall, which `just eval-copies` measures on a corpus within
# one pass.
#
# Indexing: INDEX_RUNS runs of each, alternating (without, with, with, without,
# ...), each into an empty folder; the median wall time is reported (on a
# shared 2-core machine one run of each differed by 1.3x with grouping off on
# both sides: keep INDEX_RUNS >= 3). Queries: `search query
# --batch FILE --index DIR --format jsonl --limit 10 --timings [--collapse]`
# (one process, single-threaded loop, results written to a file), RUNS runs of
# each batch, alternating; the mean per-query time of the loop (seconds /
# queries) of the median run. A plain batch on the index without groups is shown
# too, for information.
#
# Usage:
#   crates/search-bench/scripts/copies.sh          # 200 MB (just bench-copies)
#   MB=20 crates/search-bench/scripts/copies.sh    # a quick run
#
# Settings (environment variables):
#   MB            corpus size in MB of paragraph text (default 200)
#   WORK          scratch directory (default <repo>/scratch/bench, gitignored)
#   ARTICLES      originals (default 40 per MB)
#   QUOTES        quote-only articles (default 5 per MB)
#   COPIES        copies per original, N or A-B (default 0-4)
#   NQUERIES      queries per batch (default 1000)
#   RUNS          runs of each query batch; the median is reported (default 3)
#   INDEX_RUNS    builds of each index; the median is reported (default 3)
#   SEED          corpus seed (default 42)
#   SEARCH_BIN    our binary (default: cargo build --release -p search-cli)
#   BENCH_BIN_DIR prebuilt gen-syndication and gen-queries (default: cargo build
#                 --release -p search-bench --bins)
#
# Uses $WORK/syndication-$MB/ (corpus.jsonl, truth.json and the queries;
# generated when missing or made with other settings or another gen-syndication
# binary) and builds
# $WORK/idx-$MB/copies-with and $WORK/idx-$MB/copies-without on every run (their
# build is what is timed). Writes $WORK/copies-$MB.md and $WORK/copies-$MB.json;
# batch outputs and logs in $WORK/logs-$MB/copies/.
set -euo pipefail

SCRIPT_DIR=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd -- "$SCRIPT_DIR/../../.." && pwd)

MB=${MB:-200}
WORK=${WORK:-$REPO/scratch/bench}
NQUERIES=${NQUERIES:-1000}
RUNS=${RUNS:-3}
INDEX_RUNS=${INDEX_RUNS:-3}
SEED=${SEED:-42}
COPIES=${COPIES:-0-4}

case ${1:-} in
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    "") ;;
    *) echo "copies.sh: settings are environment variables (try --help)" >&2; exit 2 ;;
esac

log() { echo "copies.sh: $*" >&2; }
die() { log "$*"; exit 1; }

[[ $MB =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "MB must be a number, got '$MB'"
ARTICLES=${ARTICLES:-$(awk -v mb="$MB" 'BEGIN { printf "%d", mb * 40 }')}
QUOTES=${QUOTES:-$(awk -v mb="$MB" 'BEGIN { printf "%d", mb * 5 }')}
for v in NQUERIES RUNS INDEX_RUNS; do
    [[ ${!v} =~ ^[1-9][0-9]*$ ]] || die "$v must be a positive integer"
done
for v in ARTICLES QUOTES SEED; do
    [[ ${!v} =~ ^[0-9]+$ ]] || die "$v must be a whole number"
done
[[ $COPIES =~ ^[0-9]+(-[0-9]+)?$ ]] || die "COPIES must be N or A-B, got '$COPIES'"
mkdir -p "$WORK"
WORK=$(cd -- "$WORK" && pwd)
command -v cargo >/dev/null || die "cargo not found: install Rust (https://rustup.rs) first"

target_dir() {
    cargo metadata --format-version 1 --no-deps --manifest-path "$REPO/Cargo.toml" |
        sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p'
}

# --- binaries (snapshotted, as scripts/bench.sh does) -------------------------

SNAP=$WORK/bin-copies
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
for b in "$BIN/gen-syndication" "$BIN/gen-queries" "$SEARCH_BIN"; do
    [[ -x $b ]] || die "missing $b"
    cp -f "$b" "$SNAP/$(basename "$b").tmp" && mv -f "$SNAP/$(basename "$b").tmp" "$SNAP/$(basename "$b")"
done
SEARCH=$SNAP/search
GEN_SYNDICATION=$SNAP/gen-syndication
GEN_QUERIES=$SNAP/gen-queries

# --- corpus and queries ------------------------------------------------------

CORPUS_DIR=$WORK/syndication-$MB
CORPUS=$CORPUS_DIR/corpus.jsonl
TRUTH=$CORPUS_DIR/truth.json
STAMP=$CORPUS_DIR/settings.txt
QUERIES=$CORPUS_DIR/queries-$NQUERIES.txt
IDX_WITH=$WORK/idx-$MB/copies-with
IDX_WITHOUT=$WORK/idx-$MB/copies-without
LOGS=$WORK/logs-$MB/copies
mkdir -p "$LOGS" "$WORK/idx-$MB"

# The generator's checksum too: generating is quick (seconds for 200 MB), and a
# changed generator makes another corpus.
SETTINGS="mb=$MB articles=$ARTICLES quotes=$QUOTES copies=$COPIES seed=$SEED generator=$(cksum <"$GEN_SYNDICATION" | cut -d' ' -f1)"
# truth.json is written last: without it the corpus is unfinished.
if [[ -s $TRUTH && -s $CORPUS && -f $STAMP && $(cat "$STAMP") == "$SETTINGS" ]]; then
    log "reusing corpus $CORPUS"
else
    log "generating a $MB MB syndication corpus in $CORPUS_DIR ($SETTINGS; reads ../shared/corpora/wiki-vital/en.jsonl)"
    rm -f "$STAMP" "$QUERIES"
    (cd "$REPO" && "$GEN_SYNDICATION" --mb "$MB" --articles "$ARTICLES" --quote-articles "$QUOTES" \
        --copies-per-original "$COPIES" --seed "$SEED" --out "$CORPUS_DIR") 2>&1 | tee "$LOGS/generate.log" >&2
    echo "$SETTINGS" >"$STAMP"
fi
if [[ ! -s $QUERIES || $QUERIES -ot $TRUTH ]]; then
    "$GEN_QUERIES" --corpus "$CORPUS" --n "$NQUERIES" --out "$QUERIES"
fi

json_num() { # json_num KEY < JSON: the first number after "KEY":
    grep -o "\"$1\":[[:space:]]*-\{0,1\}[0-9][0-9.eE+-]*" | head -n1 | sed 's/.*:[[:space:]]*//'
}
read -r ARTICLES_ALL COPIES_ALL PASSES < <(head -c 400 "$TRUTH" | tr ',' '\n' | awk -F: '
    /"articles"/ { a = $2 } /"copies"/ { c = $2 } /"sentence_passes"/ { p = $2 }
    END { print a, c, p }')

# --- indexing ----------------------------------------------------------------

now_ns() { date +%s%N; }

declare -A R # R[name.key] = figure

cd "$WORK" # the engine records the working directory; keep it fixed, as bench.sh does
unset SEARCH_NO_COPY_GROUPS # set only for the builds without groups

# build NAME DIR RUN [ENV=VALUE...]: one build of the corpus into an empty DIR; its
# wall time is appended to R[NAME.runs].
build() {
    local name=$1 dir=$2 run=$3 start end rc=0
    shift 3
    rm -rf -- "$dir"
    sync
    start=$(now_ns)
    env "$@" "$SEARCH" index "$CORPUS" --index "$dir" >"$LOGS/index-$name-$run.out" 2>"$LOGS/index-$name-$run.err" || rc=$?
    end=$(now_ns)
    # 5: indexed, with records skipped.
    [[ $rc == 0 || $rc == 5 ]] || die "indexing ($name) failed (exit $rc), see $LOGS/index-$name-$run.err"
    R[$name.runs]+="$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", (b - a) / 1e9 }') "
    log "index $name, run $run: $(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", (b - a) / 1e9 }') s"
}

median() { tr ' ' '\n' | sed '/^$/d' | sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'; }

# In ABBA order (without, with, with, without, ...), so that a drift of the
# machine's load does not favour one side. The last builds of each are kept.
for run in $(seq "$INDEX_RUNS"); do
    if ((run % 2)); then
        build without "$IDX_WITHOUT" "$run" SEARCH_NO_COPY_GROUPS=1
        build with "$IDX_WITH" "$run"
    else
        build with "$IDX_WITH" "$run"
        build without "$IDX_WITHOUT" "$run" SEARCH_NO_COPY_GROUPS=1
    fi
done
for name in with without; do
    R[$name.seconds]=$(median <<<"${R[$name.runs]}")
done
R[with.bytes]=$(du -sb "$IDX_WITH" | cut -f1)
R[without.bytes]=$(du -sb "$IDX_WITHOUT" | cut -f1)
PASSAGES=$("$SEARCH" stats --index "$IDX_WITH" --format json | json_num passages)
[[ ${R[with.bytes]} != "${R[without.bytes]}" ]] ||
    log "note: both indexes have the same size; does this build read SEARCH_NO_COPY_GROUPS?"

# --- queries -----------------------------------------------------------------

# batch NAME INDEX RUN FLAGS...: one run of the query batch; its mean, p50, p99
# and query count are appended to R[NAME.list] as one line.
batch() {
    local name=$1 idx=$2 run=$3 timings mean
    shift 3
    [[ -z ${R[$name.error]:-} ]] || return 0
    if ! "$SEARCH" query --batch "$QUERIES" --index "$idx" --format jsonl --limit 10 --timings "$@" \
        >"$LOGS/$name-$run.out" 2>"$LOGS/$name-$run.err"; then
        log "$name: batch failed, see $LOGS/$name-$run.err"
        R[$name.error]=1
        return 0
    fi
    timings=$(grep '^{.*"queries"' "$LOGS/$name-$run.err" | tail -n1)
    mean=$(awk -v s="$(json_num seconds <<<"$timings")" -v n="$(json_num queries <<<"$timings")" 'BEGIN { printf "%.3f", s * 1000 / n }')
    R[$name.list]+="$mean $(awk -v p="$(json_num p50_ms <<<"$timings")" -v q="$(json_num p99_ms <<<"$timings")" 'BEGIN { printf "%.3f %.3f", p, q }') $(json_num queries <<<"$timings")"$'\n'
}

# Interleaved, so that a change of load on a shared machine hits both sides alike.
for run in $(seq "$RUNS"); do
    batch plain "$IDX_WITH" "$run"
    batch collapse "$IDX_WITH" "$run" --collapse
    batch plain_without "$IDX_WITHOUT" "$run"
done
for name in plain collapse plain_without; do
    [[ -n ${R[$name.list]:-} ]] || continue
    read -r R[$name.mean] R[$name.p50] R[$name.p99] R[$name.queries] < <(printf '%s' "${R[$name.list]}" | sort -n -k1,1 | awk -v n="$(printf '%s' "${R[$name.list]}" | wc -l)" 'NR == int((n + 1) / 2)')
    R[$name.runs]=$(printf '%s' "${R[$name.list]}" | awk '{ printf "%s%s", (NR > 1 ? "/" : ""), $1 }')
    log "$name: mean ${R[$name.mean]} ms, p50 ${R[$name.p50]} ms"
done

# --- report ------------------------------------------------------------------

ratio() { awk -v a="${1:-}" -v b="${2:-}" 'BEGIN { if (a != "" && b + 0 > 0) printf "%.3f", a / b }'; }
verdict() { # verdict VALUE LIMIT: met when VALUE <= LIMIT
    [[ -n $1 ]] || { echo "n/a"; return; }
    if awk -v v="$1" -v l="$2" 'BEGIN { exit !(v <= l) }'; then echo met; else echo MISSED; fi
}
row() { # row LABEL NAME
    echo "| $1 | ${R[$2.queries]:-n/a} | ${R[$2.mean]:-n/a} | ${R[$2.p50]:-n/a} | ${R[$2.p99]:-n/a} | ${R[$2.runs]:-n/a} |"
}
TIME_RATIO=$(ratio "${R[with.seconds]}" "${R[without.seconds]}")
SIZE_RATIO=$(ratio "${R[with.bytes]}" "${R[without.bytes]}")
COLLAPSE_RATIO=$(ratio "${R[collapse.mean]:-}" "${R[plain.mean]:-}")
MIB() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }
GIT_REV=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)
MACHINE="$(nproc) × $(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo | head -n1); load $(cut -d' ' -f1-3 /proc/loadavg)"
TABLE=$WORK/copies-$MB.md
{
    echo "### Copy groups: $MB MB syndication corpus, $ARTICLES_ALL articles ($ARTICLES originals, $COPIES_ALL copies, $QUOTES quote-only), $PASSAGES passages (commit $GIT_REV; $MACHINE)"
    echo
    echo "| index | build s (median) | each run, s | size MiB |"
    echo "|---|---:|---|---:|"
    echo "| with copy groups | ${R[with.seconds]} | ${R[with.runs]% } | $(MIB "${R[with.bytes]}") |"
    echo "| without (\`SEARCH_NO_COPY_GROUPS=1\`) | ${R[without.seconds]} | ${R[without.runs]% } | $(MIB "${R[without.bytes]}") |"
    echo
    echo "| batch | queries | mean ms | p50 ms | p99 ms | mean ms of each run |"
    echo "|---|---:|---:|---:|---:|---|"
    row "plain, index with groups" plain
    row "\`--collapse\`, index with groups" collapse
    row "plain, index without groups" plain_without
    echo
    echo "| target | measured | goal | verdict |"
    echo "|---|---:|---:|---|"
    echo "| index time, with ÷ without | ${TIME_RATIO:-n/a} | <= 1.15 | $(verdict "$TIME_RATIO" 1.15) |"
    echo "| index size, with ÷ without | ${SIZE_RATIO:-n/a} | <= 1.05 | $(verdict "$SIZE_RATIO" 1.05) |"
    echo "| query time, \`--collapse\` ÷ plain (mean) | ${COLLAPSE_RATIO:-n/a} | <= 1.2 | $(verdict "$COLLAPSE_RATIO" 1.2) |"
    if [[ ${PASSES:-1} -gt 1 ]]; then
        echo
        echo "The generator went through the source sentences $PASSES times (shuffled after the first pass)."
    fi
} >"$TABLE"
JSON=$WORK/copies-$MB.json
{
    printf '{"mb": %s, "articles": %s, "originals": %s, "copies": %s, "quote_articles": %s, "passages": %s, "sentence_passes": %s, "commit": "%s"' \
        "$MB" "${ARTICLES_ALL:-null}" "$ARTICLES" "${COPIES_ALL:-null}" "$QUOTES" "${PASSAGES:-null}" "${PASSES:-null}" "$GIT_REV"
    printf ', "index_time_ratio": %s, "index_size_ratio": %s, "collapse_ratio": %s' "${TIME_RATIO:-null}" "${SIZE_RATIO:-null}" "${COLLAPSE_RATIO:-null}"
    printf ', "index": {"with": {"seconds": %s, "bytes": %s}, "without": {"seconds": %s, "bytes": %s}}' \
        "${R[with.seconds]}" "${R[with.bytes]}" "${R[without.seconds]}" "${R[without.bytes]}"
    printf ', "batches": {'
    sep=""
    for name in plain collapse plain_without; do
        printf '%s"%s": {"queries": %s, "mean_ms": %s, "p50_ms": %s, "p99_ms": %s}' "$sep" "$name" "${R[$name.queries]:-null}" "${R[$name.mean]:-null}" "${R[$name.p50]:-null}" "${R[$name.p99]:-null}"
        sep=", "
    done
    printf '}}\n'
} >"$JSON"
cat "$TABLE"
log "table in $TABLE, raw figures in $JSON"
