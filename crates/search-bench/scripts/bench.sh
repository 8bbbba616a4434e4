#!/usr/bin/env bash
# Whole-process benchmark of our `search` engine against plain tantivy and
# SQLite FTS5, on a generated news-like corpus.
#
# Usage:
#   SEARCH_BIN=target/release/search MB=200 WORK=/tmp/sb scripts/bench.sh
#   scripts/bench.sh --search-bin PATH --mb 20 --work DIR
#
# Settings (flag or environment variable):
#   --search-bin / SEARCH_BIN  our engine's binary; "ours" is skipped when unset or missing
#   --mb / MB                  corpus size in MB of paragraph text (default 200)
#   --work / WORK              scratch directory (default ${TMPDIR:-/tmp}/search-bench)
#   --queries / NQUERIES       queries in the batch (default 1000)
#   --seed / SEED              corpus seed (default 42); the query seed is fixed at 7
#   --engines / ENGINES        subset of "ours tantivy fts5" (default: all three)
#   BENCH_BIN_DIR              directory holding prebuilt gen-corpus, gen-queries,
#                              peer-tantivy, peer-fts5 (default: cargo build --release)
#   BENCH_NO_INSTALL=1         never apt-get install missing tools (GNU time, hyperfine)
#   DROP_CACHES=1              as root, drop the page cache before each query batch
#
# Writes $WORK/corpus-$MB/ (kept and reused), $WORK/idx-$MB/<engine>/ (rebuilt each
# run), logs in $WORK/logs-$MB/, and the raw figures in $WORK/bench-$MB.json; prints a
# markdown table on stdout (progress goes to stderr).
set -euo pipefail

SCRIPT_DIR=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
CRATE_DIR=$(cd -- "$SCRIPT_DIR/.." && pwd)

SEARCH_BIN=${SEARCH_BIN:-}
MB=${MB:-200}
WORK=${WORK:-${TMPDIR:-/tmp}/search-bench}
NQUERIES=${NQUERIES:-1000}
SEED=${SEED:-42}
ENGINES=${ENGINES:-ours tantivy fts5}

while [[ $# -gt 0 ]]; do
    case $1 in
        --search-bin) SEARCH_BIN=$2; shift 2 ;;
        --mb) MB=$2; shift 2 ;;
        --work) WORK=$2; shift 2 ;;
        --queries) NQUERIES=$2; shift 2 ;;
        --seed) SEED=$2; shift 2 ;;
        --engines) ENGINES=$2; shift 2 ;;
        -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "bench.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
    esac
done

log() { echo "bench.sh: $*" >&2; }
die() { log "$*"; exit 1; }

[[ $MB =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "MB must be a number, got '$MB'"
[[ $NQUERIES =~ ^[1-9][0-9]*$ ]] || die "NQUERIES must be a positive integer"
mkdir -p "$WORK"
WORK=$(cd -- "$WORK" && pwd)

# --- tools -------------------------------------------------------------------

can_install() { [[ ${BENCH_NO_INSTALL:-0} != 1 && $(id -u) == 0 ]] && command -v apt-get >/dev/null; }
apt_install() {
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1 ||
        { apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1; }
}

# Peak RSS comes from GNU time (Debian package `time`); without it we poll
# VmHWM in /proc, which can miss a last-moment peak.
TIME_BIN=""
if [[ -x /usr/bin/time ]] && /usr/bin/time -f '%M' true 2>/dev/null; then
    TIME_BIN=/usr/bin/time
elif can_install; then
    log "installing GNU time (apt-get install -y time)"
    apt_install time && TIME_BIN=/usr/bin/time
fi
[[ -n $TIME_BIN ]] || log "GNU time not found (apt-get install time): polling /proc/PID/status VmHWM for peak RSS instead"

HYPERFINE=$(command -v hyperfine || true)
if [[ -z $HYPERFINE ]] && can_install; then
    log "installing hyperfine (apt-get install -y hyperfine)"
    apt_install hyperfine && HYPERFINE=$(command -v hyperfine || true)
fi
[[ -n $HYPERFINE ]] || log "hyperfine not found: timing single-query processes with a 20-run loop"

# --- harness binaries --------------------------------------------------------

if [[ -n ${BENCH_BIN_DIR:-} ]]; then
    BIN=$BENCH_BIN_DIR
else
    log "building the harness (cargo build --release)"
    cargo build --release --quiet --manifest-path "$CRATE_DIR/Cargo.toml" --bins >&2
    TARGET_DIR=$(cargo metadata --format-version 1 --no-deps --manifest-path "$CRATE_DIR/Cargo.toml" |
        sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
    BIN=$TARGET_DIR/release
fi
for b in gen-corpus gen-queries peer-tantivy peer-fts5; do
    [[ -x $BIN/$b ]] || die "missing $BIN/$b"
done

ENGINE_LIST=()
for e in $ENGINES; do
    case $e in
        ours)
            if [[ -z $SEARCH_BIN ]]; then
                log "SEARCH_BIN is unset: skipping our engine"
                continue
            elif [[ ! -x $SEARCH_BIN ]]; then
                log "SEARCH_BIN=$SEARCH_BIN is not an executable: skipping our engine"
                continue
            fi
            ENGINE_LIST+=(ours) ;;
        tantivy | fts5) ENGINE_LIST+=("$e") ;;
        *) die "unknown engine '$e' (ours, tantivy, fts5)" ;;
    esac
done
[[ ${#ENGINE_LIST[@]} -gt 0 ]] || die "no engine to run"

# --- corpus and queries ------------------------------------------------------

CORPUS_DIR=$WORK/corpus-$MB
CORPUS=$CORPUS_DIR/corpus.jsonl
META=$CORPUS_DIR/corpus.meta.json
QUERIES=$CORPUS_DIR/queries-$NQUERIES.txt
ONE_QUERY=$WORK/one-query.txt
IDX=$WORK/idx-$MB
LOGS=$WORK/logs-$MB
mkdir -p "$IDX" "$LOGS"

# corpus.meta.json is written last, so its presence marks a complete corpus.
if [[ -f $META && -f $CORPUS ]] && grep -q "\"seed\": $SEED," "$META"; then
    log "reusing corpus $CORPUS"
else
    log "generating a $MB MB corpus in $CORPUS_DIR"
    "$BIN/gen-corpus" --mb "$MB" --out "$CORPUS_DIR" --seed "$SEED"
fi
if [[ ! -s $QUERIES ]]; then
    "$BIN/gen-queries" --corpus "$CORPUS" --n "$NQUERIES" --out "$QUERIES"
fi
echo "frozen assets" >"$ONE_QUERY"

json_num() { # json_num KEY < one-line JSON: the number after "KEY":
    sed -n "s/.*\"$1\":[[:space:]]*\(-\{0,1\}[0-9][0-9.eE+-]*\).*/\1/p" | head -n1
}
TEXT_BYTES=$(json_num text_bytes <"$META")
ARTICLES=$(json_num articles <"$META")
PARAGRAPHS=$(json_num paragraphs <"$META")

# --- measurement helpers -----------------------------------------------------

now_ns() { date +%s%N; }

# measure OUT ERR CMD...: runs CMD with stdout to OUT and stderr to ERR; sets
# M_RC, M_WALL (seconds, from the wall clock) and M_RSS_MB (peak resident set).
measure() {
    local out=$1 err=$2 start end tf
    shift 2
    tf=$(mktemp)
    start=$(now_ns)
    set +e
    if [[ -n $TIME_BIN ]]; then
        "$TIME_BIN" -f '%e %M' -o "$tf" "$@" >"$out" 2>"$err"
        M_RC=$?
        end=$(now_ns)
        M_RSS_MB=$(tail -n1 "$tf" | awk '{ printf "%.1f", $2 / 1024 }')
    else
        "$@" >"$out" 2>"$err" &
        local pid=$! hwm=0 v
        while kill -0 "$pid" 2>/dev/null; do
            v=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
            [[ -n $v ]] && hwm=$v
            sleep 0.02
        done
        wait "$pid"
        M_RC=$?
        end=$(now_ns)
        M_RSS_MB=$(awk -v k="$hwm" 'BEGIN { printf "%.1f", k / 1024 }')
    fi
    set -e
    rm -f "$tf"
    M_WALL=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
}

# single_query_ms NAME CMD...: median wall time in ms of one short process.
single_query_ms() {
    local name=$1
    shift
    if [[ -n $HYPERFINE ]]; then
        local csv=$LOGS/$name-single.csv cmd
        cmd=$(printf '%q ' "$@")
        if "$HYPERFINE" -N --warmup 3 --runs 20 --export-csv "$csv" -n "$name" "$cmd" >"$LOGS/$name-single.log" 2>&1; then
            awk -F, 'NR == 2 { printf "%.2f", $4 * 1000 }' "$csv"
            return
        fi
        log "$name: hyperfine failed, see $LOGS/$name-single.log; using a loop"
    fi
    local i s e times=()
    "$@" >/dev/null 2>&1 || true # warm-up
    for i in $(seq 20); do
        s=$(now_ns)
        "$@" >/dev/null 2>&1 || true
        e=$(now_ns)
        times+=($(((e - s) / 1000)))
    done
    printf '%s\n' "${times[@]}" | sort -n | awk '{ v[NR] = $1 } END { printf "%.2f", v[int((NR + 1) / 2)] / 1000 }'
}

declare -A R # R[engine.key] = figure

for e in "${ENGINE_LIST[@]}"; do
    dir=$IDX/$e
    rm -rf -- "$dir"
    sync
    log "$e: indexing"
    case $e in
        ours) measure "$LOGS/$e-index.out" "$LOGS/$e-index.err" "$SEARCH_BIN" index "$CORPUS" --index "$dir" ;;
        tantivy) measure "$LOGS/$e-index.out" "$LOGS/$e-index.err" "$BIN/peer-tantivy" index --corpus "$CORPUS" --index "$dir" ;;
        fts5) measure "$LOGS/$e-index.out" "$LOGS/$e-index.err" "$BIN/peer-fts5" index --corpus "$CORPUS" --index "$dir" ;;
    esac
    if [[ $M_RC != 0 ]]; then
        log "$e: indexing failed (exit $M_RC); see $LOGS/$e-index.err"
        tail -n 5 "$LOGS/$e-index.err" >&2 || true
        continue
    fi
    R[$e.index_s]=$M_WALL
    R[$e.index_rss_mb]=$M_RSS_MB
    R[$e.index_bytes]=$(du -sb "$dir" | cut -f1)

    if [[ ${DROP_CACHES:-0} == 1 ]]; then
        sync
        echo 3 >/proc/sys/vm/drop_caches 2>/dev/null || log "cannot drop caches (not root, or not allowed here)"
    fi
    log "$e: running $NQUERIES queries"
    out=$LOGS/$e-query.out
    err=$LOGS/$e-query.err
    case $e in
        ours)
            measure "$out" "$err" "$SEARCH_BIN" query --batch "$QUERIES" --index "$dir" --limit 10 --format jsonl --timings
            if [[ $M_RC != 0 ]]; then
                log "ours: 'query --batch --timings' failed (exit $M_RC); retrying without --timings"
                measure "$out" "$err" "$SEARCH_BIN" query --batch "$QUERIES" --index "$dir" --limit 10 --format jsonl
            fi
            timings=$(grep '^{.*"queries"' "$err" | tail -n1 || true)
            ;;
        tantivy | fts5)
            measure "$out" "$err" "$BIN/peer-$e" query --index "$dir" --queries "$QUERIES" --limit 10
            timings=$(grep '^{.*"queries"' "$out" | tail -n1 || true)
            ;;
    esac
    if [[ $M_RC != 0 ]]; then
        log "$e: query batch failed (exit $M_RC); see $err"
        tail -n 5 "$err" >&2 || true
    else
        R[$e.query_wall_s]=$M_WALL
        R[$e.query_rss_mb]=$M_RSS_MB
        R[$e.qps_process]=$(awk -v n="$NQUERIES" -v s="$M_WALL" 'BEGIN { if (s > 0) printf "%.1f", n / s }')
        if [[ -n $timings ]]; then
            loop_s=$(json_num seconds <<<"$timings")
            R[$e.qps_loop]=$(awk -v n="$NQUERIES" -v s="$loop_s" 'BEGIN { if (s > 0) printf "%.1f", n / s }')
            R[$e.p50_ms]=$(json_num p50_ms <<<"$timings")
            R[$e.p99_ms]=$(json_num p99_ms <<<"$timings")
        fi
        if [[ $e == ours ]]; then
            lines=$(grep -c . "$out" || true)
            [[ $lines == "$NQUERIES" ]] || log "ours: expected $NQUERIES JSON lines on stdout, got $lines"
        else
            R[$e.hits]=$(json_num hits <<<"$timings")
        fi
    fi

    log "$e: timing one-query processes"
    case $e in
        ours) R[$e.one_query_ms]=$(single_query_ms ours "$SEARCH_BIN" query "frozen assets" --index "$dir") ;;
        *) R[$e.one_query_ms]=$(single_query_ms "$e" "$BIN/peer-$e" query --index "$dir" --queries "$ONE_QUERY" --limit 10) ;;
    esac
done

# Derived figures.
for e in "${ENGINE_LIST[@]}"; do
    if [[ -n ${R[$e.index_s]:-} ]]; then
        R[$e.index_mb_per_s]=$(awk -v b="$TEXT_BYTES" -v s="${R[$e.index_s]}" 'BEGIN { if (s > 0) printf "%.2f", b / 1e6 / s }')
        R[$e.index_mb]=$(awk -v b="${R[$e.index_bytes]}" 'BEGIN { printf "%.1f", b / 1e6 }')
        R[$e.index_ratio]=$(awk -v i="${R[$e.index_bytes]}" -v t="$TEXT_BYTES" 'BEGIN { printf "%.2f", i / t }')
    fi
done

# --- report ------------------------------------------------------------------

val() { echo "${R[$1.$2]:-}"; }
cell() { local v; v=$(val "$1" "$2"); echo "${v:-n/a}"; }
ratio() {
    local a b
    a=$(val ours "$2")
    b=$(val "$1" "$2")
    if [[ -n $a && -n $b ]]; then
        awk -v a="$a" -v b="$b" 'BEGIN { if (b + 0 != 0) printf "%.2f×", a / b; else print "n/a" }'
    else
        echo "n/a"
    fi
}

ROWS=(
    "index_mb_per_s|indexing throughput (MB text/s) ↑"
    "index_s|index wall time (s) ↓"
    "index_rss_mb|index peak RSS (MB) ↓"
    "index_mb|index size (MB) ↓"
    "index_ratio|index size / text ↓"
    "qps_process|query throughput, whole process (qps) ↑"
    "qps_loop|query throughput, in-loop (qps) ↑"
    "p50_ms|query p50 (ms) ↓"
    "p99_ms|query p99 (ms) ↓"
    "query_rss_mb|query peak RSS (MB) ↓"
    "one_query_ms|one-query process, warm cache (ms) ↓"
)

TEXT_MB=$(awk -v b="$TEXT_BYTES" 'BEGIN { printf "%.1f", b / 1e6 }')
echo
echo "### search benchmark: $TEXT_MB MB text, $ARTICLES articles, $PARAGRAPHS passages, $NQUERIES queries"
echo
echo "$(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(uname -sr), $(date -u +%Y-%m-%dT%H:%MZ); single-threaded query loops, top 10 with snippets."
echo
echo "| figure | ours | plain tantivy | FTS5 | ours/tantivy | ours/FTS5 |"
echo "|---|---:|---:|---:|---:|---:|"
for row in "${ROWS[@]}"; do
    key=${row%%|*}
    label=${row#*|}
    echo "| $label | $(cell ours "$key") | $(cell tantivy "$key") | $(cell fts5 "$key") | $(ratio tantivy "$key") | $(ratio fts5 "$key") |"
done
echo
echo "Whole-process qps = queries / wall time of the query process (startup and index open included);"
echo "in-loop qps and p50/p99 come from the engine's own timings. ↑ higher is better, ↓ lower is better."

# Raw figures as JSON.
JSON=$WORK/bench-$MB.json
num_or_null() { if [[ -n $1 ]]; then echo "$1"; else echo null; fi; }
{
    echo "{"
    echo "  \"mb\": $MB,"
    echo "  \"text_bytes\": $TEXT_BYTES,"
    echo "  \"articles\": $ARTICLES,"
    echo "  \"passages\": $PARAGRAPHS,"
    echo "  \"queries\": $NQUERIES,"
    echo "  \"seed\": $SEED,"
    echo "  \"date\": \"$(date -u +%Y-%m-%dT%H:%M:%SZ)\","
    echo "  \"machine\": {\"cores\": $(nproc), \"mem_kib\": $(awk '/MemTotal/ { print $2 }' /proc/meminfo), \"kernel\": \"$(uname -r)\"},"
    echo "  \"peak_rss_source\": \"$([[ -n $TIME_BIN ]] && echo gnu-time || echo proc-vmhwm-poll)\","
    echo "  \"one_query_timer\": \"$([[ -n $HYPERFINE ]] && echo hyperfine-median || echo loop-median)\","
    echo "  \"engines\": {"
    first=1
    for e in ours tantivy fts5; do
        [[ " ${ENGINE_LIST[*]} " == *" $e "* ]] || continue
        [[ $first == 1 ]] || echo ","
        first=0
        printf '    "%s": {' "$e"
        sep=""
        for key in index_s index_rss_mb index_bytes index_mb_per_s index_ratio query_wall_s query_rss_mb qps_process qps_loop p50_ms p99_ms hits one_query_ms; do
            printf '%s"%s": %s' "$sep" "$key" "$(num_or_null "$(val "$e" "$key")")"
            sep=", "
        done
        printf '}'
    done
    echo
    echo "  }"
    echo "}"
} >"$JSON"
log "raw figures in $JSON"
