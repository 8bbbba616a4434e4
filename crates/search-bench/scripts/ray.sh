#!/usr/bin/env bash
# The sharded index on Ray (issue 14) against one process, in one run, on the
# generated corpus split into daily-file-sized JSONL chunks (sharding goes by
# file, so one big JSONL file would land in one shard):
#
#   (a) build: `search index CHUNKS` (one process) against `search-ray build
#       --shards SHARDS` (Ray tasks, Ray start-up included); goal: at most 1.3x
#   (b) low load, one connection for LOW_DURATION: p50 of `search serve` on the
#       single index and of the Ray router on the shards; goal: the router adds at
#       most 3 ms
#   (c) the load of scripts/serve.sh (CONNS connections for DURATION) on the
#       router; goal: 0 errors (socket errors and statuses >= 400)
#
# Needs wrk, and the Python package with Ray in VENV (`bash .ci/run` makes
# target/py-venv; or `pip install "./crates/search-py[ray]"`). Makes the corpus
# and its queries when missing (reads ../shared/corpora/wiki-vital).
#
# Settings (environment variables): MB (200), SHARDS (4), CHUNKS_N (64 files),
# WORK (<repo>/scratch/bench), OUT ($WORK/ray-$MB), VENV (<repo>/target/py-venv),
# NQUERIES (1000), CONNS (8), DURATION (30s), LOW_DURATION (20s), RAY_CPUS (2).
set -euo pipefail

SCRIPT_DIR=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd -- "$SCRIPT_DIR/../../.." && pwd)
MB=${MB:-200}
SHARDS=${SHARDS:-4}
CHUNKS_N=${CHUNKS_N:-64}
WORK=${WORK:-$REPO/scratch/bench}
VENV=${VENV:-$REPO/target/py-venv}
NQUERIES=${NQUERIES:-1000}
CONNS=${CONNS:-8}
DURATION=${DURATION:-30s}
LOW_DURATION=${LOW_DURATION:-20s}
RAY_CPUS=${RAY_CPUS:-2}

log() { echo "ray.sh: $*" >&2; }
die() { log "$*"; exit 1; }
command -v wrk >/dev/null || die "wrk not found: install it (apt-get install wrk)"
[[ -x $VENV/bin/search-ray ]] || die "no search-ray in $VENV: pip install \"./crates/search-py[ray]\" there (or set VENV)"

mkdir -p "$WORK"
CORPUS_DIR=$WORK/corpus-$MB
CORPUS=$CORPUS_DIR/corpus.jsonl
QUERIES=$CORPUS_DIR/queries-$NQUERIES.txt
OUT=${OUT:-$WORK/ray-$MB}
mkdir -p "$OUT"

log "building the release binaries (search, gen-corpus, gen-queries; no LTO)"
export CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16
cargo build --release --quiet --manifest-path "$REPO/Cargo.toml" -p search-cli -p search-bench --bins >&2
BIN=$(cargo metadata --format-version 1 --no-deps --manifest-path "$REPO/Cargo.toml" |
    sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')/release
SEARCH_BIN=$BIN/search

if [[ ! -f $CORPUS_DIR/corpus.meta.json ]]; then
    log "generating a $MB MB corpus in $CORPUS_DIR"
    (cd "$REPO" && "$BIN/gen-corpus" --mb "$MB" --out "$CORPUS_DIR")
fi
[[ -s $QUERIES ]] || "$BIN/gen-queries" --corpus "$CORPUS" --n "$NQUERIES" --out "$QUERIES"

CHUNKS=$WORK/chunks-$MB-$CHUNKS_N
if [[ ! -f $CHUNKS/.done ]]; then
    log "splitting the corpus into $CHUNKS_N JSONL files in $CHUNKS"
    rm -rf "$CHUNKS"
    mkdir -p "$CHUNKS"
    split -n "l/$CHUNKS_N" -d -a 3 --additional-suffix=.jsonl "$CORPUS" "$CHUNKS/day-"
    touch "$CHUNKS/.done"
fi

seconds() { # seconds CMD...: wall time of CMD, its output in $OUT/last.*
    local start end
    start=$(date +%s.%N)
    "$@" >"$OUT/last.out" 2>"$OUT/last.err" || die "failed: $* (see $OUT/last.err)"
    end=$(date +%s.%N)
    awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }'
}

# --- (a) build ---------------------------------------------------------------
"$VENV/bin/ray" stop --force >/dev/null 2>&1 || true
rm -rf "$OUT/single" "$OUT/sharded"
log "building one index: search index $CHUNKS"
SINGLE_S=$(seconds "$SEARCH_BIN" index "$CHUNKS" --index "$OUT/single")
log "building $SHARDS shards: search-ray build"
SHARDED_S=$(seconds "$VENV/bin/search-ray" build --shards "$SHARDS" --out "$OUT/sharded" --num-cpus "$RAY_CPUS" "$CHUNKS")
BUILD_RATIO=$(awk -v a="$SHARDED_S" -v b="$SINGLE_S" 'BEGIN { printf "%.2f", a / b }')
log "build: one process ${SINGLE_S}s, Ray ${SHARDED_S}s (${BUILD_RATIO}x)"

# --- the two servers ---------------------------------------------------------
"$SEARCH_BIN" serve --index "$OUT/single" --addr 127.0.0.1:0 -q >"$OUT/serve.out" 2>"$OUT/serve.err" &
SERVE=$!
PORT=$((20000 + RANDOM % 20000))
"$VENV/bin/search-ray" serve "$OUT/sharded" --port "$PORT" --num-cpus "$RAY_CPUS" >"$OUT/ray.out" 2>&1 &
ROUTER=$!
trap 'kill "$SERVE" 2>/dev/null || true; kill -INT "$ROUTER" 2>/dev/null || true; sleep 3; "$VENV/bin/ray" stop --force >/dev/null 2>&1 || true' EXIT
SERVE_URL=""
for _ in $(seq 100); do
    SERVE_URL=$(sed -n 's/^listening on \(http:[^ ]*\)$/\1/p' "$OUT/serve.out")
    [[ -n $SERVE_URL ]] && break
    sleep 0.1
done
[[ -n $SERVE_URL ]] || die "search serve did not start (see $OUT/serve.err)"
SERVE_URL=${SERVE_URL%/}
RAY_URL=http://127.0.0.1:$PORT
for _ in $(seq 300); do
    curl -sf "$RAY_URL/api/health" | grep -q "\"answered\":$SHARDS" && break
    kill -0 "$ROUTER" 2>/dev/null || die "search-ray serve stopped (see $OUT/ray.out)"
    sleep 1
done
curl -sf "$RAY_URL/api/health" >/dev/null || die "the router is not healthy (see $OUT/ray.out)"

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
local i = 0
function request()
  i = i + 1
  return wrk.format("GET", queries[(i % #queries) + 1])
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('{"requests": %d, "rps": %.1f, "p50_ms": %.3f, "p99_ms": %.3f, "errors": %d}\n',
    summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    e.connect + e.read + e.write + e.timeout + e.status))
end
EOF
wrk_json() { # wrk_json NAME URL THREADS CONNS DURATION
    wrk -t"$3" -c"$4" -d"$5" --timeout 10s --latency -s "$LUA" "$2" >"$OUT/$1.txt" 2>&1 || die "wrk failed ($OUT/$1.txt)"
    grep '^{"requests"' "$OUT/$1.txt" | tail -n1
}
num() { grep -o "\"$1\": [0-9.]*" | sed 's/.*: //'; }

# --- (b) low load ------------------------------------------------------------
wrk_json warm-serve "$SERVE_URL" 1 1 5s >/dev/null
wrk_json warm-ray "$RAY_URL" 1 1 5s >/dev/null
LOW_SERVE=$(wrk_json low-serve "$SERVE_URL" 1 1 "$LOW_DURATION")
LOW_RAY=$(wrk_json low-ray "$RAY_URL" 1 1 "$LOW_DURATION")
P50_SERVE=$(num p50_ms <<<"$LOW_SERVE")
P50_RAY=$(num p50_ms <<<"$LOW_RAY")
OVERHEAD=$(awk -v a="$P50_RAY" -v b="$P50_SERVE" 'BEGIN { printf "%.2f", a - b }')
log "low load p50: search serve $P50_SERVE ms, Ray router $P50_RAY ms (+$OVERHEAD ms)"

# --- (c) the serve benchmark's load on the router ------------------------------
LOAD_RAY=$(wrk_json load-ray "$RAY_URL" 2 "$CONNS" "$DURATION")
LOAD_SERVE=$(wrk_json load-serve "$SERVE_URL" 2 "$CONNS" "$DURATION")
log "load ($CONNS connections, $DURATION): router $LOAD_RAY; search serve $LOAD_SERVE"

cat >"$OUT/ray.md" <<EOF
| $MB MB corpus in $CHUNKS_N files, $SHARDS shards, $(nproc) cores | one process | Ray | goal |
|---|---:|---:|---|
| build (s), Ray start-up included | $SINGLE_S | $SHARDED_S (${BUILD_RATIO}x) | <= 1.3x |
| p50 at 1 connection (ms) | $P50_SERVE | $P50_RAY (+$OVERHEAD) | <= +3 ms |
| $CONNS connections, $DURATION: requests/s | $(num rps <<<"$LOAD_SERVE") | $(num rps <<<"$LOAD_RAY") | |
| $CONNS connections: p99 (ms) | $(num p99_ms <<<"$LOAD_SERVE") | $(num p99_ms <<<"$LOAD_RAY") | |
| $CONNS connections: errors | $(num errors <<<"$LOAD_SERVE") | $(num errors <<<"$LOAD_RAY") | 0 |
EOF
cat "$OUT/ray.md"
