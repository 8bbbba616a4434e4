#!/usr/bin/env bash
# Whole-process benchmark of our `search` engine against plain tantivy and
# SQLite FTS5, on a generated news-like corpus (built from
# ../shared/corpora/wiki-vital/en.jsonl, read-only).
#
# Usage:
#   scripts/bench.sh                       # 200 MB, all three engines, builds everything
#   MB=20 scripts/bench.sh                 # quick run
#   scripts/bench.sh --mb 1000 --engines "ours tantivy"
#
# Settings (flag or environment variable):
#   --mb / MB                  corpus size in MB of paragraph text (default 200)
#   --work / WORK              scratch directory (default <repo>/scratch/bench, gitignored)
#   --engines / ENGINES        subset of "ours tantivy fts5" (default: all three)
#   --queries / NQUERIES       queries in the batch (default 1000)
#   --seed / SEED              corpus seed (default 42); the query seed is fixed at 7
#   --runs / QUERY_RUNS        query batch runs per engine; the median run (by loop qps)
#                              is reported (default 3: the machine may be shared)
#   --search-bin / SEARCH_BIN  our engine's binary (default: cargo build --release -p search-cli)
#   BENCH_BIN_DIR              directory holding prebuilt gen-corpus, gen-queries, txt2jsonl,
#                              peer-tantivy, peer-fts5 (default: cargo build --release -p search-bench)
#   TANTIVY_MEMORY             plain tantivy's indexing budget in bytes (default 402653184,
#                              the same 384 MiB our indexer uses)
#   SEEDS=0                    skip the one-query timings over the seeds
#   TXT=1                      also write the corpus as a folder of .txt articles (one file
#                              each), index that folder with our engine and time one query
#                              on it (start-up cost that grows with the number of files)
#   COLD=0|1                   also time one-query processes over the seeds with the page
#                              cache dropped (default 1 when /proc/sys/vm/drop_caches is
#                              writable, i.e. as root outside most containers)
#   DROP_CACHES=1              as root, drop the page cache before each query batch too
#   BENCH_NO_INSTALL=1         never apt-get install missing tools (GNU time, hyperfine)
#
# Writes $WORK/corpus-$MB/ (kept and reused), $WORK/idx-$MB/<engine>/ (rebuilt each
# run), logs and every engine's query output in $WORK/logs-$MB/, and the figures in
# $WORK/bench-$MB.json (and .tsv, .md). Prints the markdown table, the target checks
# and the raw JSON on stdout; progress goes to stderr.
set -euo pipefail

SCRIPT_DIR=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
CRATE_DIR=$(cd -- "$SCRIPT_DIR/.." && pwd)
REPO=$(cd -- "$CRATE_DIR/../.." && pwd)

SEARCH_BIN=${SEARCH_BIN:-}
MB=${MB:-200}
WORK=${WORK:-$REPO/scratch/bench}
NQUERIES=${NQUERIES:-1000}
SEED=${SEED:-42}
ENGINES=${ENGINES:-ours tantivy fts5}
TANTIVY_MEMORY=${TANTIVY_MEMORY:-402653184}
SEEDS=${SEEDS:-1}
TXT=${TXT:-0}
QUERY_RUNS=${QUERY_RUNS:-3}

while [[ $# -gt 0 ]]; do
    case $1 in
        --search-bin) SEARCH_BIN=$2; shift 2 ;;
        --mb) MB=$2; shift 2 ;;
        --work) WORK=$2; shift 2 ;;
        --queries) NQUERIES=$2; shift 2 ;;
        --seed) SEED=$2; shift 2 ;;
        --engines) ENGINES=$2; shift 2 ;;
        --runs) QUERY_RUNS=$2; shift 2 ;;
        -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "bench.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
    esac
done

log() { echo "bench.sh: $*" >&2; }
die() { log "$*"; exit 1; }

[[ $MB =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "MB must be a number, got '$MB'"
[[ $NQUERIES =~ ^[1-9][0-9]*$ ]] || die "NQUERIES must be a positive integer"
[[ $TANTIVY_MEMORY =~ ^[0-9]+$ ]] || die "TANTIVY_MEMORY must be a number of bytes"
[[ $QUERY_RUNS =~ ^[1-9][0-9]*$ ]] || die "QUERY_RUNS must be a positive integer"
mkdir -p "$WORK"
WORK=$(cd -- "$WORK" && pwd)

ENGINE_LIST=()
for e in $ENGINES; do
    case $e in
        ours | tantivy | fts5) ENGINE_LIST+=("$e") ;;
        *) die "unknown engine '$e' (ours, tantivy, fts5)" ;;
    esac
done
[[ ${#ENGINE_LIST[@]} -gt 0 ]] || die "no engine to run"
has_engine() { [[ " ${ENGINE_LIST[*]} " == *" $1 "* ]]; }

# --- tools -------------------------------------------------------------------

can_install() { [[ ${BENCH_NO_INSTALL:-0} != 1 && $(id -u) == 0 ]] && command -v apt-get >/dev/null; }
apt_install() {
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1 ||
        { apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1; }
}

command -v cargo >/dev/null || die "cargo not found: install Rust (https://rustup.rs) first"

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

if [[ -z ${COLD:-} ]]; then
    if [[ -w /proc/sys/vm/drop_caches ]] && (echo 1 >/proc/sys/vm/drop_caches) 2>/dev/null; then COLD=1; else COLD=0; fi
fi

# --- binaries ----------------------------------------------------------------

target_dir() {
    cargo metadata --format-version 1 --no-deps --manifest-path "$REPO/Cargo.toml" |
        sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p'
}

if [[ -n ${BENCH_BIN_DIR:-} ]]; then
    BIN=$BENCH_BIN_DIR
else
    log "building the harness (cargo build --release -p search-bench --bins)"
    cargo build --release --quiet --manifest-path "$REPO/Cargo.toml" -p search-bench --bins >&2
    BIN=$(target_dir)/release
fi
for b in gen-corpus gen-queries txt2jsonl peer-tantivy peer-fts5; do
    [[ -x $BIN/$b ]] || die "missing $BIN/$b"
done
# Snapshot the binaries: other people may rebuild the target directory mid-run.
SNAP=$WORK/bin
mkdir -p "$SNAP"
for b in gen-corpus gen-queries txt2jsonl peer-tantivy peer-fts5; do
    cp -f "$BIN/$b" "$SNAP/$b.tmp" && mv -f "$SNAP/$b.tmp" "$SNAP/$b"
done
BIN=$SNAP

if has_engine ours; then
    if [[ -z $SEARCH_BIN ]]; then
        log "building our engine (cargo build --release -p search-cli)"
        cargo build --release --quiet --manifest-path "$REPO/Cargo.toml" -p search-cli >&2
        SEARCH_BIN=$(target_dir)/release/search
    fi
    [[ -x $SEARCH_BIN ]] || die "SEARCH_BIN=$SEARCH_BIN is not an executable"
    cp -f "$SEARCH_BIN" "$SNAP/search.tmp" && mv -f "$SNAP/search.tmp" "$SNAP/search"
    SEARCH_BIN=$SNAP/search
fi

# --- machine -----------------------------------------------------------------

CPU_MODEL=$(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo | head -n1)
CPU_MODEL=${CPU_MODEL:-unknown}
NPROC=$(nproc)
MEM_KIB=$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)
DISK=$(df -h "$WORK" | awk 'NR == 2 { print $1 " " $2 " size, " $4 " free (" $6 ")" }')
KERNEL=$(uname -r)
RUSTC=$(rustc -V 2>/dev/null || echo unknown)
GIT_REV=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)
if [[ $GIT_REV != unknown ]] && [[ -n $(git -C "$REPO" status --porcelain --untracked-files=no 2>/dev/null) ]]; then
    GIT_REV="$GIT_REV+dirty"
fi
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
log "machine: $NPROC x $CPU_MODEL, $((MEM_KIB / 1048576)) GiB RAM, disk $DISK, load $LOAD_START"

# --- corpus and queries ------------------------------------------------------

CORPUS_DIR=$WORK/corpus-$MB
CORPUS=$CORPUS_DIR/corpus.jsonl
META=$CORPUS_DIR/corpus.meta.json
QUERIES=$CORPUS_DIR/queries-$NQUERIES.txt
IDX=$WORK/idx-$MB
LOGS=$WORK/logs-$MB
mkdir -p "$IDX" "$LOGS"

# corpus.meta.json is written last, so its presence marks a complete corpus.
TXT_FLAG=()
[[ $TXT == 1 ]] && TXT_FLAG=(--txt)
if [[ -f $META && -f $CORPUS ]] && grep -q "\"seed\": $SEED," "$META" && [[ $TXT != 1 || -f $CORPUS_DIR/txt.done ]]; then
    log "reusing corpus $CORPUS"
else
    log "generating a $MB MB corpus in $CORPUS_DIR (from ../shared/corpora/wiki-vital/en.jsonl)"
    rm -f "$QUERIES" "$CORPUS_DIR/txt.done"
    (cd "$REPO" && "$BIN/gen-corpus" --mb "$MB" --out "$CORPUS_DIR" --seed "$SEED" "${TXT_FLAG[@]}")
    [[ $TXT != 1 ]] || touch "$CORPUS_DIR/txt.done"
fi
if [[ ! -s $QUERIES || $QUERIES -ot $META ]]; then
    "$BIN/gen-queries" --corpus "$CORPUS" --n "$NQUERIES" --out "$QUERIES"
fi

json_num() { # json_num KEY < JSON: the first number after "KEY":
    grep -o "\"$1\":[[:space:]]*-\{0,1\}[0-9][0-9.eE+-]*" | head -n1 | sed 's/.*:[[:space:]]*//'
}
TEXT_BYTES=$(json_num text_bytes <"$META")
ARTICLES=$(json_num articles <"$META")
PARAGRAPHS=$(json_num paragraphs <"$META")
FILE_BYTES=$(stat -c %s "$CORPUS")

# --- measurement helpers -----------------------------------------------------

now_ns() { date +%s%N; }

# measure OUT ERR CMD...: runs CMD with stdout to OUT and stderr to ERR; sets
# M_RC, M_WALL (seconds, from the wall clock), M_RSS_MB (peak resident set, MiB)
# and M_CPU (user + system CPU seconds; empty without GNU time).
measure() {
    local out=$1 err=$2 start end tf
    shift 2
    tf=$(mktemp)
    start=$(now_ns)
    set +e
    if [[ -n $TIME_BIN ]]; then
        "$TIME_BIN" -f '%e %M %U %S' -o "$tf" "$@" >"$out" 2>"$err"
        M_RC=$?
        end=$(now_ns)
        M_RSS_MB=$(tail -n1 "$tf" | awk '{ printf "%.1f", $2 / 1024 }')
        M_CPU=$(tail -n1 "$tf" | awk '{ printf "%.2f", $3 + $4 }')
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
        M_CPU=""
    fi
    set -e
    rm -f "$tf"
    M_WALL=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
}

# process_ms NAME CMD...: median wall time in ms of one short process, page cache warm.
process_ms() {
    local name=$1
    shift
    if [[ -n $HYPERFINE ]]; then
        local csv=$LOGS/$name.csv cmd
        cmd=$(printf '%q ' "$@")
        # -i: a query with no match exits 1 and is still a valid timing.
        if "$HYPERFINE" -N -i --warmup 3 --runs 30 --export-csv "$csv" -n "$name" "$cmd" >"$LOGS/$name.log" 2>&1; then
            awk -F, 'NR == 2 { printf "%.2f", $4 * 1000 }' "$csv"
            return
        fi
        log "$name: hyperfine failed, see $LOGS/$name.log; using a loop"
    fi
    local i s e times=()
    "$@" >/dev/null 2>&1 || true # warm-up
    for i in $(seq 30); do
        s=$(now_ns)
        "$@" >/dev/null 2>&1 || true
        e=$(now_ns)
        times+=($(((e - s) / 1000)))
    done
    printf '%s\n' "${times[@]}" | sort -n | awk '{ v[NR] = $1 } END { printf "%.2f", v[int((NR + 1) / 2)] / 1000 }'
}

# cold_ms CMD...: median wall time in ms of one process after dropping the page cache.
cold_ms() {
    local i s e times=()
    for i in 1 2 3 4 5; do
        sync
        echo 3 >/proc/sys/vm/drop_caches
        s=$(now_ns)
        "$@" >/dev/null 2>&1 || true
        e=$(now_ns)
        times+=($(((e - s) / 1000)))
    done
    printf '%s\n' "${times[@]}" | sort -n | awk '{ v[NR] = $1 } END { printf "%.2f", v[int((NR + 1) / 2)] / 1000 }'
}

declare -A R # R[engine.key] = figure

# --- the big corpus ----------------------------------------------------------

ONE_QUERY_FILE=$WORK/one-query.txt
echo "frozen assets" >"$ONE_QUERY_FILE"
cd "$WORK" # our engine records the working directory; keep it fixed

for e in "${ENGINE_LIST[@]}"; do
    dir=$IDX/$e
    rm -rf -- "$dir"
    sync
    log "$e: indexing $CORPUS"
    case $e in
        ours) measure "$LOGS/$e-index.out" "$LOGS/$e-index.err" "$SEARCH_BIN" index "$CORPUS" --index "$dir" ;;
        tantivy) measure "$LOGS/$e-index.out" "$LOGS/$e-index.err" "$BIN/peer-tantivy" index --corpus "$CORPUS" --index "$dir" --memory "$TANTIVY_MEMORY" ;;
        fts5) measure "$LOGS/$e-index.out" "$LOGS/$e-index.err" "$BIN/peer-fts5" index --corpus "$CORPUS" --index "$dir" ;;
    esac
    if [[ $M_RC != 0 ]]; then
        log "$e: indexing failed (exit $M_RC); see $LOGS/$e-index.err"
        tail -n 5 "$LOGS/$e-index.err" >&2 || true
        R[$e.errors]="index exit $M_RC"
        continue
    fi
    R[$e.index_s]=$M_WALL
    R[$e.index_rss_mb]=$M_RSS_MB
    R[$e.index_cpu_s]=$M_CPU
    R[$e.index_bytes]=$(du -sb "$dir" | cut -f1)
    if [[ $e == ours ]]; then
        R[$e.passages]=$(sed -n 's/.*index holds [0-9]* files, \([0-9]*\) passages.*/\1/p' "$LOGS/$e-index.err" | tail -n1)
    else
        R[$e.passages]=$(json_num passages <"$LOGS/$e-index.out")
    fi

    if [[ ${DROP_CACHES:-0} == 1 ]]; then
        sync
        echo 3 >/proc/sys/vm/drop_caches 2>/dev/null || log "cannot drop caches (not root, or not allowed here)"
    fi
    # Let the index's dirty pages reach the disk before timing queries.
    sync
    hits_file=$LOGS/$e-hits.jsonl
    runs=()
    for run in $(seq "$QUERY_RUNS"); do
        log "$e: running $NQUERIES queries (run $run of $QUERY_RUNS)"
        out=$LOGS/$e-query-$run.out
        err=$LOGS/$e-query-$run.err
        case $e in
            ours)
                measure "$out" "$err" "$SEARCH_BIN" query --batch "$QUERIES" --index "$dir" --limit 10 --format jsonl --timings
                timings=$(grep '^{.*"queries"' "$err" | tail -n1 || true)
                ;;
            tantivy | fts5)
                # Every engine writes its hits, as ours does on stdout.
                measure "$out" "$err" "$BIN/peer-$e" query --index "$dir" --queries "$QUERIES" --limit 10 --jsonl-out "$LOGS/$e-hits-$run.jsonl"
                timings=$(grep '^{.*"queries"' "$out" | tail -n1 || true)
                ;;
        esac
        if [[ $M_RC != 0 || -z $timings ]]; then
            log "$e: query batch failed (exit $M_RC); see $err"
            tail -n 5 "$err" >&2 || true
            R[$e.errors]="query exit $M_RC"
            break
        fi
        loop_s=$(json_num seconds <<<"$timings")
        # run: loop qps, whole-process wall, peak RSS, p50, p99
        runs+=("$(awk -v n="$NQUERIES" -v s="$loop_s" 'BEGIN { if (s > 0) printf "%.1f", n / s; else print 0 }') $M_WALL $M_RSS_MB $(json_num p50_ms <<<"$timings") $(json_num p99_ms <<<"$timings") $run")
    done
    if [[ -z ${R[$e.errors]:-} && ${#runs[@]} -gt 0 ]]; then
        # The median run by loop qps; peak RSS is the largest of all runs.
        read -r qps wall _ p50 p99 run < <(printf '%s\n' "${runs[@]}" | sort -n -k1,1 | awk -v m=$(((${#runs[@]} + 1) / 2)) 'NR == m')
        R[$e.qps_loop]=$qps
        R[$e.query_wall_s]=$wall
        R[$e.qps_process]=$(awk -v n="$NQUERIES" -v s="$wall" 'BEGIN { if (s > 0) printf "%.1f", n / s }')
        R[$e.query_rss_mb]=$(printf '%s\n' "${runs[@]}" | awk '$3 > m { m = $3 } END { printf "%.1f", m }')
        R[$e.p50_ms]=$(awk -v v="$p50" 'BEGIN { printf "%.3f", v }')
        R[$e.p99_ms]=$(awk -v v="$p99" 'BEGIN { printf "%.3f", v }')
        R[$e.query_runs_qps]=$(printf '%s\n' "${runs[@]}" | awk '{ printf "%s%s", (NR > 1 ? "/" : ""), $1 }')
        if [[ $e == ours ]]; then
            cp "$LOGS/$e-query-$run.out" "$hits_file"
        else
            cp "$LOGS/$e-hits-$run.jsonl" "$hits_file"
        fi
        lines=$(grep -c . "$hits_file" || true)
        [[ $lines == "$NQUERIES" ]] || log "$e: expected $NQUERIES result lines, got $lines"
        R[$e.result_lines]=$lines
        R[$e.hits]=$(grep -o '"score":' "$hits_file" | wc -l)
        if [[ $e == ours ]]; then
            errors=$(grep -c '"error":' "$hits_file" || true)
            [[ $errors == 0 ]] || { log "ours: $errors queries answered with an error (see $hits_file)"; R[$e.errors]="$errors query errors"; }
        fi
    fi

    log "$e: timing one-query processes on the $MB MB index"
    case $e in
        ours) R[$e.one_query_ms]=$(process_ms "$e-one-query-$MB" "$SEARCH_BIN" query "frozen assets" --index "$dir" --format json) ;;
        *) R[$e.one_query_ms]=$(process_ms "$e-one-query-$MB" "$BIN/peer-$e" query --index "$dir" --queries "$ONE_QUERY_FILE" --limit 10) ;;
    esac
done

# --- the same corpus as a folder of .txt files (ours only) -------------------

if [[ $TXT == 1 ]] && has_engine ours; then
    dir=$IDX/ours-txt
    rm -rf -- "$dir"
    sync
    log "ours: indexing $CORPUS_DIR/txt ($ARTICLES files)"
    measure "$LOGS/ours-txt-index.out" "$LOGS/ours-txt-index.err" "$SEARCH_BIN" index "$CORPUS_DIR/txt" --index "$dir"
    if [[ $M_RC == 0 ]]; then
        R[ours.txt_index_s]=$M_WALL
        R[ours.txt_index_rss_mb]=$M_RSS_MB
        log "ours: timing one-query processes on the .txt-folder index"
        R[ours.txt_one_query_ms]=$(process_ms "ours-txt-one-query-$MB" "$SEARCH_BIN" query "frozen assets" --index "$dir" --format json)
    else
        log "ours: indexing the .txt folder failed (exit $M_RC); see $LOGS/ours-txt-index.err"
        R[ours.errors]="txt index exit $M_RC"
    fi
fi

# --- the seeds: start-up cost of one query process ---------------------------

if [[ $SEEDS == 1 ]]; then
    SEEDS_DIR=$REPO/seeds
    SIDX=$WORK/idx-seeds
    mkdir -p "$SIDX"
    "$BIN/txt2jsonl" --dir "$SEEDS_DIR" --out "$SIDX/seeds.jsonl" 2>/dev/null
    for e in "${ENGINE_LIST[@]}"; do
        dir=$SIDX/$e
        rm -rf -- "$dir"
        case $e in
            # As the issue says: search index seeds --index DIR, from the repository root.
            ours) (cd "$REPO" && "$SEARCH_BIN" index seeds --index "$dir" >/dev/null 2>"$LOGS/$e-seeds-index.err") ;;
            *) "$BIN/peer-$e" index --corpus "$SIDX/seeds.jsonl" --index "$dir" >/dev/null 2>"$LOGS/$e-seeds-index.err" ;;
        esac || { log "$e: indexing the seeds failed, see $LOGS/$e-seeds-index.err"; continue; }
        log "$e: timing one-query processes over the seeds"
        case $e in
            ours) cmd=("$SEARCH_BIN" query "frozen assets" --index "$dir" --format json) ;;
            *) cmd=("$BIN/peer-$e" query --index "$dir" --queries "$ONE_QUERY_FILE" --limit 10) ;;
        esac
        R[$e.seeds_query_ms]=$(cd "$REPO" && process_ms "$e-one-query-seeds" "${cmd[@]}")
        if [[ $COLD == 1 ]]; then
            R[$e.seeds_cold_ms]=$(cd "$REPO" && cold_ms "${cmd[@]}")
        fi
    done
fi

# --- derived figures ---------------------------------------------------------

for e in "${ENGINE_LIST[@]}"; do
    if [[ -n ${R[$e.index_s]:-} ]]; then
        R[$e.index_mb_per_s]=$(awk -v b="$TEXT_BYTES" -v s="${R[$e.index_s]}" 'BEGIN { if (s > 0) printf "%.2f", b / 1e6 / s }')
        R[$e.index_mb]=$(awk -v b="${R[$e.index_bytes]}" 'BEGIN { printf "%.1f", b / 1e6 }')
        R[$e.index_ratio]=$(awk -v i="${R[$e.index_bytes]}" -v t="$TEXT_BYTES" 'BEGIN { printf "%.3f", i / t }')
    fi
done
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)

# --- report ------------------------------------------------------------------

val() { echo "${R[$1.$2]:-}"; }
cell() { local v; v=$(val "$1" "$2"); echo "${v:-n/a}"; }
ratio() {
    local a b
    a=$(val ours "$2")
    b=$(val "$1" "$2")
    if [[ $a =~ ^[0-9.]+$ && $b =~ ^[0-9.]+$ ]]; then
        awk -v a="$a" -v b="$b" 'BEGIN { if (b + 0 != 0) printf "%.2f×", a / b; else print "n/a" }'
    else
        echo "n/a"
    fi
}

ROWS=(
    "index_mb_per_s|indexing throughput (MB text/s) ↑"
    "index_s|index wall time (s) ↓"
    "index_cpu_s|index CPU time, user + system (s) ↓"
    "index_rss_mb|index peak RSS (MiB) ↓"
    "index_mb|index size (MB) ↓"
    "index_ratio|index size / raw text ↓"
    "qps_loop|query throughput, $NQUERIES-query loop (qps) ↑"
    "query_runs_qps|loop qps of each run (median reported)"
    "qps_process|query throughput, whole process (qps) ↑"
    "p50_ms|query latency p50 (ms) ↓"
    "p99_ms|query latency p99 (ms) ↓"
    "query_rss_mb|query process peak RSS (MiB) ↓"
    "hits|hits returned (of $((NQUERIES * 10))) "
    "one_query_ms|one-query process on this index, warm cache (ms) ↓"
    "txt_index_s|index wall time, same corpus as $ARTICLES .txt files (s) ↓"
    "txt_one_query_ms|one-query process on the .txt-folder index, warm cache (ms) ↓"
    "seeds_query_ms|one-query process over the seeds, warm cache (ms) ↓"
    "seeds_cold_ms|one-query process over the seeds, page cache dropped (ms) ↓"
)

TEXT_MB=$(awk -v b="$TEXT_BYTES" 'BEGIN { printf "%.1f", b / 1e6 }')
MEM_GIB=$(awk -v k="$MEM_KIB" 'BEGIN { printf "%.1f", k / 1048576 }')
DATE=$(date -u +%Y-%m-%dT%H:%M:%SZ)
TABLE=$WORK/bench-$MB.md
{
    echo "### search benchmark: $TEXT_MB MB text, $ARTICLES articles, $PARAGRAPHS passages, $NQUERIES queries"
    echo
    echo "Machine: $NPROC × $CPU_MODEL, $MEM_GIB GiB RAM, disk $DISK; Linux $KERNEL; $RUSTC; commit $GIT_REV; load average $LOAD_START at start, $LOAD_END at end; $DATE."
    echo "Single-threaded query loops, top 10 passages with snippets/highlights (ours: also citations); 2 indexing threads for ours and tantivy (budgets: ours 384 MiB, tantivy $((TANTIVY_MEMORY / 1048576)) MiB)."
    echo
    echo "| figure | ours | plain tantivy | FTS5 | ours/tantivy | ours/FTS5 |"
    echo "|---|---:|---:|---:|---:|---:|"
    for row in "${ROWS[@]}"; do
        key=${row%%|*}
        label=${row#*|}
        echo "| $label | $(cell ours "$key") | $(cell tantivy "$key") | $(cell fts5 "$key") | $(ratio tantivy "$key") | $(ratio fts5 "$key") |"
    done
    echo
    echo "Query figures: the median of $QUERY_RUNS runs of the batch (by loop qps)."
    echo "Loop qps and p50/p99 come from each engine's own timer around its single-threaded batch loop"
    echo "(results written to a file in the loop; latencies exclude the writing); whole-process qps"
    echo "= queries / wall time of the query process (start-up and index open included)."
    echo "↑ higher is better, ↓ lower is better. Ratios are ours ÷ peer."
    for e in "${ENGINE_LIST[@]}"; do
        [[ -z ${R[$e.errors]:-} ]] || echo "**$e: ${R[$e.errors]}**"
    done
} >"$TABLE"

# Target checks (issue 4). A check needs both figures; "n/a" otherwise.
check() { # check LABEL VALUE OP LIMIT
    local label=$1 v=$2 op=$3 limit=$4 verdict
    if [[ -z $v ]]; then
        verdict="n/a"
    elif awk -v v="$v" -v l="$limit" -v op="$op" 'BEGIN { exit !((op == ">=" && v >= l) || (op == "<" && v < l) || (op == "<=" && v <= l)) }'; then
        verdict="met"
    else
        verdict="MISSED"
    fi
    echo "| $label | ${v:-n/a} | $op $limit | $verdict |"
}
rat() { # rat KEY PEER: ours / peer, plain number
    local a b
    a=$(val ours "$1")
    b=$(val "$2" "$1")
    [[ -n $a && -n $b ]] && awk -v a="$a" -v b="$b" 'BEGIN { if (b + 0 != 0) printf "%.3f", a / b }' || true
}
inv_rat() { # inv_rat KEY PEER: peer / ours (for "lower is better" figures)
    local a b
    a=$(val ours "$1")
    b=$(val "$2" "$1")
    [[ -n $a && -n $b ]] && awk -v a="$a" -v b="$b" 'BEGIN { if (a + 0 != 0) printf "%.3f", b / a }' || true
}
TARGETS=$WORK/bench-$MB-targets.md
{
    echo "| target (ours) | measured | goal | verdict |"
    echo "|---|---:|---:|---|"
    check "indexing throughput ÷ plain tantivy" "$(rat index_mb_per_s tantivy)" ">=" 0.8
    check "indexing throughput ÷ FTS5" "$(rat index_mb_per_s fts5)" ">=" 2
    check "query throughput (loop) ÷ plain tantivy" "$(rat qps_loop tantivy)" ">=" 0.8
    check "query throughput (loop) ÷ FTS5" "$(rat qps_loop fts5)" ">=" 10
    check "p50 latency, ms ($PARAGRAPHS passages)" "$(val ours p50_ms)" "<" 1
    check "p99 latency, ms ($PARAGRAPHS passages)" "$(val ours p99_ms)" "<" 10
    check "indexing peak RSS, MiB" "$(val ours index_rss_mb)" "<" 1024
    check "index size ÷ raw text" "$(val ours index_ratio)" "<=" 1.0
    check "one query over the seeds, warm cache, ms" "$(val ours seeds_query_ms)" "<" 20
    check "one query over the seeds, cold cache, ms" "$(val ours seeds_cold_ms)" "<" 20
} >"$TARGETS"

# Raw figures: JSON (and a flat TSV for scripts/scaling.sh).
JSON=$WORK/bench-$MB.json
TSV=$WORK/bench-$MB.tsv
num_or_null() { if [[ $1 =~ ^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$ ]]; then echo "$1"; elif [[ -n $1 ]]; then echo "\"$1\""; else echo null; fi; }
KEYS=(index_s index_cpu_s index_rss_mb index_bytes index_mb_per_s index_ratio passages query_wall_s query_rss_mb qps_process qps_loop query_runs_qps p50_ms p99_ms result_lines hits one_query_ms txt_index_s txt_index_rss_mb txt_one_query_ms seeds_query_ms seeds_cold_ms errors)
{
    echo "{"
    echo "  \"mb\": $MB,"
    echo "  \"text_bytes\": $TEXT_BYTES,"
    echo "  \"corpus_file_bytes\": $FILE_BYTES,"
    echo "  \"articles\": $ARTICLES,"
    echo "  \"passages\": $PARAGRAPHS,"
    echo "  \"queries\": $NQUERIES,"
    echo "  \"seed\": $SEED,"
    echo "  \"date\": \"$DATE\","
    echo "  \"commit\": \"$GIT_REV\","
    echo "  \"machine\": {\"cores\": $NPROC, \"cpu\": \"$CPU_MODEL\", \"mem_kib\": $MEM_KIB, \"kernel\": \"$KERNEL\", \"disk\": \"$DISK\", \"rustc\": \"$RUSTC\", \"load_start\": \"$LOAD_START\", \"load_end\": \"$LOAD_END\"},"
    echo "  \"settings\": {\"tantivy_memory\": $TANTIVY_MEMORY, \"peak_rss_source\": \"$([[ -n $TIME_BIN ]] && echo gnu-time || echo proc-vmhwm-poll)\", \"one_query_timer\": \"$([[ -n $HYPERFINE ]] && echo hyperfine-median-30 || echo loop-median-30)\", \"cold\": $COLD},"
    echo "  \"engines\": {"
    first=1
    for e in ours tantivy fts5; do
        has_engine "$e" || continue
        [[ $first == 1 ]] || echo ","
        first=0
        printf '    "%s": {' "$e"
        sep=""
        for key in "${KEYS[@]}"; do
            printf '%s"%s": %s' "$sep" "$key" "$(num_or_null "$(val "$e" "$key")")"
            sep=", "
        done
        printf '}'
    done
    echo
    echo "  }"
    echo "}"
} >"$JSON"
{
    printf 'corpus\ttext_bytes\t%s\ncorpus\tpassages\t%s\n' "$TEXT_BYTES" "$PARAGRAPHS"
    for e in "${ENGINE_LIST[@]}"; do
        for key in "${KEYS[@]}"; do
            printf '%s\t%s\t%s\n' "$e" "$key" "$(val "$e" "$key")"
        done
    done
} >"$TSV"

echo
cat "$TABLE"
echo
echo "#### Targets"
echo
cat "$TARGETS"
echo
echo "#### Raw figures ($JSON)"
echo
echo '```json'
cat "$JSON"
echo '```'
log "table in $TABLE, raw figures in $JSON"
