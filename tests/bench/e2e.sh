#!/usr/bin/env bash
# End-to-end throughput of one worker on a real broker, beside `enricher
# pipe` on the same data in the same run.
#
# Loads /work/shared/data/news/bbc.jsonl (2,225 BBC articles) repeatedly into
# a fresh input topic until it holds at least ENR_BENCH_MESSAGES (default
# 100,000) messages, then times `enricher run --exit-at-end` (one worker,
# --threads ENR_BENCH_THREADS, default the number of CPUs) from start to
# clean exit, and `enricher pipe` on the same lines. Prints articles/s for
# both, plus the worker's steady rate (first to last output timestamp).
#
# Needs ENR_TEST_BROKERS (tests/kafka/broker.sh start) and the shared data:
# exits 77 (skipped) without them. ENRICHER names the program (default
# build-rel/bin/enricher, else build/bin/enricher).
set -euo pipefail
SRC=$(cd "$(dirname "$0")/../.." && pwd)
DATA=${ENR_SHARED_DIR:-$SRC/../shared}/data/news/bbc.jsonl
N=${ENR_BENCH_MESSAGES:-100000}
THREADS=${ENR_BENCH_THREADS:-$(nproc)}
if [ -z "${ENRICHER:-}" ]; then
    for c in "$SRC/build-rel/bin/enricher" "$SRC/build/bin/enricher"; do
        [ -x "$c" ] && { ENRICHER=$c; break; }
    done
fi
[ -x "${ENRICHER:-}" ] || { echo "no enricher program (set ENRICHER)" >&2; exit 1; }
[ -f "$DATA" ] || { echo "$DATA absent: skipped"; exit 77; }
[ -n "${ENR_TEST_BROKERS:-}" ] || { echo "ENR_TEST_BROKERS not set: skipped"; exit 77; }
B=$ENR_TEST_BROKERS
TMP=$(mktemp -d "${TMPDIR:-/tmp}/enr-bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
ID="bench-$(date +%s)-$$"
IN="$ID-in"
OUT="$ID-out"
PARTS=${ENR_BENCH_PARTITIONS:-6}

now() { date +%s.%N; }

reps=$(( (N + $(wc -l <"$DATA") - 1) / $(wc -l <"$DATA") ))
for _ in $(seq 1 "$reps"); do cat "$DATA"; done >"$TMP/input.jsonl"
total=$(wc -l <"$TMP/input.jsonl")
bytes=$(wc -c <"$TMP/input.jsonl")
echo "input: $total articles ($((bytes / 1048576)) MiB), $reps x $(basename "$DATA")"

bash "$SRC/tests/kafka/broker.sh" topic "$IN" "$PARTS" >/dev/null 2>&1 ||
    echo "(could not create $IN with broker.sh; relying on auto-creation)" >&2
bash "$SRC/tests/kafka/broker.sh" topic "$OUT" "$PARTS" >/dev/null 2>&1 || true
t0=$(now)
kcat -P -b "$B" -t "$IN" -z lz4 -X linger.ms=50 -X batch.num.messages=10000 \
    -X queue.buffering.max.messages=200000 <"$TMP/input.jsonl"
t1=$(now)
echo "loaded into $IN ($PARTS partitions) in $(echo "$t1 - $t0" | bc) s"

# enricher pipe on the same lines (no Kafka).
t0=$(now)
"$ENRICHER" pipe -q -t "$THREADS" --log-level warn "$TMP/input.jsonl" >/dev/null
t1=$(now)
pipe_s=$(echo "$t1 - $t0" | bc -l)

# One worker, from the beginning to the end seen at start-up.
t0=$(now)
"$ENRICHER" run -b "$B" -i "$IN" -o "$OUT" -g "$ID-g" -t "$THREADS" \
    --exit-at-end --log-level warn --stats-interval-ms 0 2>"$TMP/run.log" ||
    { tail -20 "$TMP/run.log" >&2; echo "the worker failed" >&2; exit 1; }
t1=$(now)
run_s=$(echo "$t1 - $t0" | bc -l)

kcat -C -b "$B" -t "$OUT" -e -q -f '%T\n' >"$TMP/ts"
got=$(wc -l <"$TMP/ts")
span_ms=$(sort -n "$TMP/ts" | sed -n '1p;$p' | paste -sd' ' | awk '{print $2 - $1}')
[ "$got" -ge "$total" ] || { echo "only $got of $total records produced" >&2; exit 1; }

printf '%-34s %10s %12s\n' "" "seconds" "articles/s"
printf '%-34s %10.2f %12.0f\n' "enricher pipe (-t $THREADS)" "$pipe_s" "$(echo "$total / $pipe_s" | bc -l)"
printf '%-34s %10.2f %12.0f\n' "enricher run, start to exit" "$run_s" "$(echo "$total / $run_s" | bc -l)"
if [ "${span_ms:-0}" -gt 0 ]; then
    printf '%-34s %10.2f %12.0f\n' "enricher run, first to last output" \
        "$(echo "$span_ms / 1000" | bc -l)" "$(echo "$got * 1000 / $span_ms" | bc -l)"
fi
echo "threads $THREADS, $PARTS partitions, broker $B, $(nproc) CPUs; $got records in $OUT"
