#!/usr/bin/env bash
# Load test of `search serve` (issue 12), in one run, on the index of the generated
# corpus that scripts/bench.sh builds, beside the single-threaded batch throughput
# of the same binary on the same index:
#
#   (a) `search query --batch` over the benchmark queries: one process, one
#       thread; its queries per second are the baseline
#   (b) wrk against `search serve` at CONNS connections for DURATION, cycling
#       through the same queries as GET /api/search?q=…; goals: 0 errors,
#       requests/s >= 1.5 x the batch's queries/s (both cores used), p99 < 20 ms
#   (c) wrk at LONG_CONNS connections for LONG_DURATION; goals: 0 errors, and the
#       server's memory flat (RSS and its anonymous part, the heap, sampled every
#       second: its mean over the last 20 seconds at most 10% above its mean from
#       10 to 30 seconds)
#
# Errors are wrk's socket errors (connect, read, write, timeout) plus every
# answer with a status >= 400.
#
# Needs wrk (Debian: `apt-get install wrk`); installs nothing. The corpus, its
# queries and the index must exist: run `just bench` (scripts/bench.sh) first.
#
# Usage:
#   scripts/serve.sh                               # 200 MB corpus
#   WORK=/elsewhere/scratch/bench scripts/serve.sh  # corpus and index made elsewhere
#   DURATION=10s LONG_DURATION=20s scripts/serve.sh # a quick run
#
# Settings (environment variables):
#   MB             corpus size in MB (default 200)
#   WORK           scratch directory holding corpus-$MB/ and idx-$MB/ours
#                  (default <repo>/scratch/bench, gitignored); only read
#   OUT            where the report goes (default $WORK/serve-$MB)
#   NQUERIES       the query file, corpus-$MB/queries-$NQUERIES.txt (default 1000)
#   CONNS          connections of (b) (default 8)
#   DURATION       length of (b) (default 30s)
#   LONG_CONNS     connections of (c) (default 64)
#   LONG_DURATION  length of (c) (default 60s)
#   WRK_THREADS    wrk's threads (default 2)
#   BATCH_RUNS     runs of the batch; the median by queries/s is reported (default 3)
#   THREADS        the server's --threads (searches at once; default: its own, two per core)
#   SEARCH_BIN     our binary (default: a release build without LTO,
#                  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16)
#
# Writes $OUT/serve.md (the table) and $OUT/serve.json; wrk's output, the
# server's log and the RSS samples in $OUT/.
set -euo pipefail

SCRIPT_DIR=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd -- "$SCRIPT_DIR/../../.." && pwd)

MB=${MB:-200}
WORK=${WORK:-$REPO/scratch/bench}
NQUERIES=${NQUERIES:-1000}
CONNS=${CONNS:-8}
DURATION=${DURATION:-30s}
LONG_CONNS=${LONG_CONNS:-64}
LONG_DURATION=${LONG_DURATION:-60s}
WRK_THREADS=${WRK_THREADS:-2}
BATCH_RUNS=${BATCH_RUNS:-3}

case ${1:-} in
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    "") ;;
    *) echo "serve.sh: settings are environment variables (try --help)" >&2; exit 2 ;;
esac

log() { echo "serve.sh: $*" >&2; }
die() { log "$*"; exit 1; }

for v in NQUERIES CONNS LONG_CONNS WRK_THREADS BATCH_RUNS; do
    [[ ${!v} =~ ^[1-9][0-9]*$ ]] || die "$v must be a positive integer"
done
for v in DURATION LONG_DURATION; do
    [[ ${!v} =~ ^[1-9][0-9]*[smh]?$ ]] || die "$v must be a duration such as 30s"
done
command -v wrk >/dev/null || die "wrk not found: install it (Debian/Ubuntu: apt-get install wrk)"
WORK=$(cd -- "$WORK" 2>/dev/null && pwd) || die "no folder $WORK: run \`just bench $MB\` first, or set WORK"
QUERIES=$WORK/corpus-$MB/queries-$NQUERIES.txt
IDX=$WORK/idx-$MB/ours
[[ -s $QUERIES ]] || die "no queries at $QUERIES: run \`just bench $MB\` first"
[[ -d $IDX ]] || die "no index at $IDX: run \`just bench $MB\` first"
OUT=${OUT:-$WORK/serve-$MB}
mkdir -p "$OUT"
OUT=$(cd -- "$OUT" && pwd)

if [[ -z ${SEARCH_BIN:-} ]]; then
    command -v cargo >/dev/null || die "cargo not found: install Rust, or set SEARCH_BIN"
    log "building our engine (cargo build --release -p search-cli, without LTO)"
    CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
        cargo build --release --quiet --manifest-path "$REPO/Cargo.toml" -p search-cli >&2
    SEARCH_BIN=$(cargo metadata --format-version 1 --no-deps --manifest-path "$REPO/Cargo.toml" |
        sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')/release/search
fi
[[ -x $SEARCH_BIN ]] || die "missing $SEARCH_BIN"
"$SEARCH_BIN" stats --index "$IDX" --format json >/dev/null 2>"$OUT/stats.err" ||
    die "the index at $IDX does not open with $SEARCH_BIN (see $OUT/stats.err): rebuild it with \`REINDEX=1 just bench $MB\`"

json_num() { # json_num KEY < JSON: the first number after "KEY":
    grep -o "\"$1\":[[:space:]]*-\{0,1\}[0-9][0-9.eE+-]*" | head -n1 | sed 's/.*:[[:space:]]*//'
}

# --- (a) the single-threaded batch -------------------------------------------

# BATCH_RUNS runs; the median by queries/s is reported.
log "batch: $SEARCH_BIN query --batch $QUERIES --index $IDX ($BATCH_RUNS runs)"
for run in $(seq "$BATCH_RUNS"); do
    "$SEARCH_BIN" query --batch "$QUERIES" --index "$IDX" --format jsonl --timings >/dev/null 2>"$OUT/batch-$run.err" ||
        die "the batch failed, see $OUT/batch-$run.err"
    grep '^{.*"queries"' "$OUT/batch-$run.err" | tail -n1
done >"$OUT/batch-runs.jsonl"
TIMINGS=$(while read -r line; do echo "$(json_num qps <<<"$line") $line"; done <"$OUT/batch-runs.jsonl" |
    sort -n -k1,1 | awk -v m=$(((BATCH_RUNS + 1) / 2)) 'NR == m' | cut -d' ' -f2-)
round() { awk -v x="$1" -v d="$2" 'BEGIN { printf "%.*f", d, x }'; }
BATCH_QPS=$(round "$(json_num qps <<<"$TIMINGS")" 1)
BATCH_P50=$(round "$(json_num p50_ms <<<"$TIMINGS")" 3)
BATCH_P99=$(round "$(json_num p99_ms <<<"$TIMINGS")" 3)
log "batch: $BATCH_QPS queries/s (p50 $BATCH_P50 ms, p99 $BATCH_P99 ms)"

# --- the server --------------------------------------------------------------

"$SEARCH_BIN" serve --index "$IDX" --addr 127.0.0.1:0 -q ${THREADS:+--threads "$THREADS"} >"$OUT/server.out" 2>"$OUT/server.err" &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true' EXIT
URL=""
for _ in $(seq 100); do
    URL=$(sed -n 's/^listening on \(http:[^ ]*\)$/\1/p' "$OUT/server.out")
    [[ -n $URL ]] && break
    kill -0 "$SERVER" 2>/dev/null || die "the server stopped, see $OUT/server.err"
    sleep 0.1
done
[[ -n $URL ]] || die "the server did not say where it listens, see $OUT/server.out"
URL=${URL%/}
log "server $SERVER at $URL"

# The Lua script: each wrk thread walks the queries from its own starting point;
# done() prints the figures as one JSON line.
LUA=$OUT/queries.lua
cat >"$LUA" <<EOF
local queries = {}
for line in io.lines("$QUERIES") do
  if line:match("%S") then
    queries[#queries + 1] = "/api/search?q=" .. line:gsub("[^%w%-%._~]", function(c)
      return string.format("%%%02X", string.byte(c))
    end)
  end
end
local threads = {}
local next_id = 0
function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end
local i = 0
function init(args)
  i = (id or 0) * 997
end
function request()
  i = i + 1
  return wrk.format("GET", queries[(i % #queries) + 1])
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('{"requests": %d, "seconds": %.3f, "rps": %.1f, "p50_ms": %.3f, "p90_ms": %.3f, "p99_ms": %.3f, "max_ms": %.3f, "errors": %d, "status_errors": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000,
    e.connect + e.read + e.write + e.timeout + e.status, e.status,
    e.connect + e.read + e.write + e.timeout))
end
EOF

# run_wrk NAME CONNS DURATION: one wrk run; its JSON line in $OUT/NAME.json.
run_wrk() {
    local name=$1 conns=$2 duration=$3 threads=$WRK_THREADS
    ((threads > conns)) && threads=$conns
    log "$name: wrk -t$threads -c$conns -d$duration --latency (GET /api/search, cycling $NQUERIES queries)"
    wrk -t"$threads" -c"$conns" -d"$duration" --timeout 10s --latency -s "$LUA" "$URL" >"$OUT/$name.txt" 2>&1 ||
        die "wrk failed, see $OUT/$name.txt"
    grep '^{"requests"' "$OUT/$name.txt" | tail -n1 >"$OUT/$name.json"
    log "$name: $(cat "$OUT/$name.json")"
}

# A short warm-up at the measured concurrency (its figures are kept, not reported).
run_wrk warmup "$CONNS" 5s
run_wrk load "$CONNS" "$DURATION"

# --- (c) the long run, with the server's RSS sampled every second ------------

RSS=$OUT/rss.tsv
: >"$RSS"
(
    t=0
    while kill -0 "$SERVER" 2>/dev/null; do
        printf '%s\t%s\t%s\n' "$t" "$(awk '/^VmRSS:/ { print $2 }' "/proc/$SERVER/status" 2>/dev/null)" "$(awk '/^RssAnon:/ { print $2 }' "/proc/$SERVER/status" 2>/dev/null)" >>"$RSS"
        sleep 1
        t=$((t + 1))
    done
) &
SAMPLER=$!
run_wrk long "$LONG_CONNS" "$LONG_DURATION"
kill "$SAMPLER" 2>/dev/null || true
wait "$SAMPLER" 2>/dev/null || true

# Every request was answered: the server stops cleanly on SIGTERM.
kill -TERM "$SERVER"
rc=0
wait "$SERVER" || rc=$?
trap - EXIT
[[ $rc == 0 ]] || log "WARNING: the server exited $rc on SIGTERM, see $OUT/server.err"

# --- report ------------------------------------------------------------------

fig() { json_num "$2" <"$OUT/$1.json"; }
RPS=$(fig load rps)
P50=$(fig load p50_ms)
P99=$(fig load p99_ms)
ERRORS=$(fig load errors)
LONG_RPS=$(fig long rps)
LONG_P99=$(fig long p99_ms)
LONG_ERRORS=$(fig long errors)
SPEEDUP=$(awk -v a="$RPS" -v b="$BATCH_QPS" 'BEGIN { if (b > 0) printf "%.2f", a / b }')
# RSS (KiB): after 10 s, the most, and the last sample of the long run; column 2
# is all of it (with the pages of the memory-mapped index the searches touched),
# column 3 the anonymous part (the heap: what a leak would grow).
# Single samples jitter by 10-20% (allocator caches, the pages in use): the
# figures are means over 20-second windows, from 10 s (after the warm-up of
# the 64 connections) and the last 20 s, with the most of any sample.
rss_figures() { # rss_figures COLUMN
    awk -F'\t' -v c="$1" '$c != "" { t[NR] = $1; v[NR] = $c; n = NR; if ($c > m) m = $c }
        END {
            end = t[n]
            for (i = 1; i <= n; i++) {
                if (t[i] >= 10 && t[i] < 30) { a += v[i]; na++ }
                if (t[i] > end - 20) { b += v[i]; nb++ }
            }
            printf "%d %d %d\n", (na ? a / na : v[1]), m, (nb ? b / nb : v[n])
        }' "$RSS"
}
read -r RSS_10 RSS_MAX RSS_END < <(rss_figures 2)
read -r ANON_10 ANON_MAX ANON_END < <(rss_figures 3)
GROWTH=$(awk -v a="$RSS_10" -v b="$RSS_END" 'BEGIN { if (a > 0) printf "%.3f", b / a }')
ANON_GROWTH=$(awk -v a="$ANON_10" -v b="$ANON_END" 'BEGIN { if (a > 0) printf "%.3f", b / a }')
verdict() { # verdict VALUE OP LIMIT
    [[ -n $1 ]] || { echo "n/a"; return; }
    if awk -v v="$1" -v l="$3" -v op="$2" 'BEGIN { exit !((op == ">=" && v >= l) || (op == "<" && v < l) || (op == "<=" && v <= l) || (op == "==" && v == l)) }'; then echo met; else echo MISSED; fi
}
PASSAGES=$("$SEARCH_BIN" stats --index "$IDX" --format json | json_num passages)
GIT_REV=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)
MACHINE="$(nproc) × $(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo | head -n1); load $(cut -d' ' -f1-3 /proc/loadavg)"
TABLE=$OUT/serve.md
{
    echo "### search serve under load: $MB MB corpus, $PASSAGES passages, $NQUERIES queries, --threads ${THREADS:-default} (commit $GIT_REV; $MACHINE)"
    echo
    echo "| run | requests | requests/s | p50 ms | p99 ms | errors |"
    echo "|---|---:|---:|---:|---:|---:|"
    echo "| \`search query --batch\` (1 thread) | $(json_num queries <<<"$TIMINGS") | $BATCH_QPS | $BATCH_P50 | $BATCH_P99 | 0 |"
    echo "| serve, $CONNS connections, $DURATION | $(fig load requests) | $RPS | $P50 | $P99 | $ERRORS |"
    echo "| serve, $LONG_CONNS connections, $LONG_DURATION | $(fig long requests) | $LONG_RPS | $(fig long p50_ms) | $LONG_P99 | $LONG_ERRORS |"
    echo
    echo "| target | measured | goal | verdict |"
    echo "|---|---:|---:|---|"
    echo "| errors at $CONNS connections | $ERRORS | 0 | $(verdict "$ERRORS" == 0) |"
    echo "| requests/s ÷ batch queries/s | $SPEEDUP | >= 1.5 | $(verdict "$SPEEDUP" ">=" 1.5) |"
    echo "| p99 at $CONNS connections, ms | $P99 | < 20 | $(verdict "$P99" "<" 20) |"
    echo "| errors at $LONG_CONNS connections | $LONG_ERRORS | 0 | $(verdict "$LONG_ERRORS" == 0) |"
    echo "| RSS, last 20 s ÷ 10-30 s ($((RSS_10 / 1024)) → $((RSS_END / 1024)) MiB, most $((RSS_MAX / 1024)) MiB) | $GROWTH | <= 1.1 | $(verdict "$GROWTH" "<=" 1.1) |"
    echo "| heap (RssAnon), last 20 s ÷ 10-30 s ($((ANON_10 / 1024)) → $((ANON_END / 1024)) MiB, most $((ANON_MAX / 1024)) MiB) | $ANON_GROWTH | <= 1.1 | $(verdict "$ANON_GROWTH" "<=" 1.1) |"
} >"$TABLE"
{
    printf '{"mb": %s, "passages": %s, "commit": "%s", "batch_qps": %s, "batch_p50_ms": %s, "batch_p99_ms": %s' "$MB" "$PASSAGES" "$GIT_REV" "$BATCH_QPS" "$BATCH_P50" "$BATCH_P99"
    printf ', "load": %s, "long": %s, "speedup": %s, "rss_kib": {"after_10s": %s, "max": %s, "end": %s}, "anon_kib": {"after_10s": %s, "max": %s, "end": %s}}\n' "$(cat "$OUT/load.json")" "$(cat "$OUT/long.json")" "${SPEEDUP:-null}" "$RSS_10" "$RSS_MAX" "$RSS_END" "$ANON_10" "$ANON_MAX" "$ANON_END"
} >"$OUT/serve.json"
cat "$TABLE"
log "table in $TABLE, raw figures in $OUT/serve.json"
