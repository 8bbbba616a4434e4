#!/usr/bin/env bash
# Scaling run: scripts/bench.sh at several corpus sizes, then one table of index
# time, throughput, peak RSS, index size and query latency per size, with each
# figure relative to the smallest size (linear indexing means "time ×" tracks
# "size ×"; flat memory means "RSS ×" stays near 1).
#
# Usage:
#   scripts/scaling.sh                          # MB="20 200 1000", ENGINES=ours
#   MB="20 200 1000" ENGINES="ours tantivy" scripts/scaling.sh
#   REUSE=1 MB="20 200" scripts/scaling.sh      # only re-print from earlier bench-*.tsv
#
# Settings: MB (sizes, ascending), ENGINES (default "ours"), WORK and every other
# scripts/bench.sh variable, passed through. With both SEARCH_BIN and BENCH_BIN_DIR
# set, nothing is built and those binaries are used. The seeds timings are skipped
# (SEEDS=0) unless set. Writes $WORK/scaling.md and $WORK/scaling.tsv.
set -euo pipefail

SCRIPT_DIR=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd -- "$SCRIPT_DIR/../../.." && pwd)
SIZES=${MB:-20 200 1000}
export ENGINES=${ENGINES:-ours}
export WORK=${WORK:-$REPO/scratch/bench}
export SEEDS=${SEEDS:-0}
REUSE=${REUSE:-0}

case ${1:-} in
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    "") ;;
    *) echo "scaling.sh: settings are environment variables (try --help)" >&2; exit 2 ;;
esac

mkdir -p "$WORK"
# Build once and snapshot, so that every size runs the same binaries even if
# someone rebuilds the target directory meanwhile.
if [[ $REUSE != 1 && -n ${SEARCH_BIN:-} && -n ${BENCH_BIN_DIR:-} ]]; then
    echo "scaling.sh: using SEARCH_BIN=$SEARCH_BIN and BENCH_BIN_DIR=$BENCH_BIN_DIR" >&2
    export SEARCH_BIN BENCH_BIN_DIR
elif [[ $REUSE != 1 ]]; then
    echo "scaling.sh: building (cargo build --release -p search-cli -p search-bench --bins)" >&2
    cargo build --release --quiet --manifest-path "$REPO/Cargo.toml" -p search-cli -p search-bench --bins >&2
    TARGET=$(cargo metadata --format-version 1 --no-deps --manifest-path "$REPO/Cargo.toml" |
        sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
    SNAP=$WORK/bin-scaling
    mkdir -p "$SNAP"
    for b in search gen-corpus gen-queries txt2jsonl peer-tantivy peer-fts5; do
        cp -f "$TARGET/release/$b" "$SNAP/$b"
    done
    export BENCH_BIN_DIR=$SNAP SEARCH_BIN=$SNAP/search
fi
for mb in $SIZES; do
    if [[ $REUSE == 1 && -s $WORK/bench-$mb.tsv ]]; then
        continue
    fi
    echo "scaling.sh: $mb MB" >&2
    MB=$mb "$SCRIPT_DIR/bench.sh" >"$WORK/scaling-bench-$mb.out" ||
        echo "scaling.sh: bench.sh failed at $mb MB (see $WORK/scaling-bench-$mb.out)" >&2
done

# One row per engine and size, from the bench-$MB.tsv files.
OUT=$WORK/scaling.tsv
printf 'engine\tmb\ttext_bytes\tpassages\tindex_s\tindex_mb_per_s\tindex_rss_mb\tindex_ratio\tqps_loop\tp50_ms\tp99_ms\tquery_rss_mb\tone_query_ms\tindex_cpu_s\n' >"$OUT"
for e in $ENGINES; do
    for mb in $SIZES; do
        tsv=$WORK/bench-$mb.tsv
        [[ -s $tsv ]] || continue
        awk -F'\t' -v e="$e" -v mb="$mb" '
            $1 == "corpus" { c[$2] = $3 }
            $1 == e { v[$2] = $3 }
            END {
                if (v["index_s"] == "") exit
                printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", e, mb, c["text_bytes"], v["passages"] != "" ? v["passages"] : c["passages"],
                    v["index_s"], v["index_mb_per_s"], v["index_rss_mb"], v["index_ratio"], v["qps_loop"],
                    v["p50_ms"], v["p99_ms"], v["query_rss_mb"], v["one_query_ms"], v["index_cpu_s"]
            }' "$tsv" >>"$OUT"
    done
done

MD=$WORK/scaling.md
{
    echo "### Scaling ($(nproc) cores, $(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo | head -n1), $(date -u +%Y-%m-%d))"
    echo
    echo "× columns are relative to the engine's smallest size: linear indexing keeps \"time ×\" ≈ \"size ×\"."
    echo "CPU s/MB (user + system per MB of text) is the steadier linearity check on a shared machine."
    echo
    echo "| engine | MB text | passages | size × | index s | time × | index CPU s | CPU s/MB | MB/s | peak RSS MiB | RSS × | index/raw | loop qps | p50 ms | p50 × | p99 ms | one-query ms |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    awk -F'\t' 'NR > 1 {
        if (!($1 in b)) { b[$1] = 1; bt[$1] = $3; bs[$1] = $5; br[$1] = $7; bp[$1] = $10 }
        printf "| %s | %.1f | %s | %.1f× | %s | %.1f× | %s | %.3f | %s | %s | %.2f× | %s | %s | %s | %.2f× | %s | %s |\n",
            $1, $3 / 1e6, $4, $3 / bt[$1], $5, (bs[$1] > 0 ? $5 / bs[$1] : 0), $14, ($3 > 0 ? $14 / ($3 / 1e6) : 0), $6, $7, (br[$1] > 0 ? $7 / br[$1] : 0),
            $8, $9, $10, (bp[$1] > 0 ? $10 / bp[$1] : 0), $11, $13
    }' "$OUT"
} >"$MD"
cat "$MD"
echo "scaling.sh: $MD, $OUT" >&2
