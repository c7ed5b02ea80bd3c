#!/usr/bin/env bash
# Memory soak: one `enricher run` worker over SOAK_MESSAGES (default
# 1,000,000) BBC articles on a real broker, its resident memory sampled
# every 2 seconds against the number of records it has produced. The
# target: RSS after 1,000,000 messages within 10 % of RSS after 100,000.
#
#   tests/bench/soak.sh [RAW_DIR]     (RAW_DIR: where run.sh keeps its raw
#                                      data; default a new tests/bench/out/)
#
# Environment: ENR_TEST_BROKERS (required), ENRICHER, BBC, SOAK_MESSAGES,
# SOAK_ARGS (extra worker options, e.g. "--model none" for a faster run).
# Writes soak.tsv (seconds, records, rss_kb) and soak.json, and copies them
# with the plot soak.png to tests/bench/results/.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
bench=$root/tests/bench
: "${ENR_TEST_BROKERS:?a real broker (tests/kafka/broker.sh start)}"
B=$ENR_TEST_BROKERS
ENRICHER=${ENRICHER:-$root/build-bench/bin/enricher}
BBC=${BBC:-$root/../shared/data/news/bbc.jsonl}
N=${SOAK_MESSAGES:-1000000}
out=${1:-$bench/out/soak-$(date -u +%Y%m%dT%H%M%SZ)}
res=$bench/results
mkdir -p "$out" "$res"
PY=$root/.cache/bench-venv/bin/python
KT="$PY $bench/kafka_tool.py"
id=soak$(date +%s)
parts=4

$KT topics -b "$B" create -p $parts "$id.in" "$id.in.dlq" "$id.out"
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true
      $KT topics -b "$B" delete "$id.in" "$id.in.dlq" "$id.out" >/dev/null 2>&1 || true' EXIT

# The loader runs beside the worker (it is many times faster). It loads 5 %
# more than N, so that the input has not run dry when the worker reaches N:
# with the input at its end, the consumer's prefetch queue empties and the
# memory at N would be lower than in steady state, flattering the result.
$KT load -b "$B" -t "$id.in" -f "$BBC" -n "$((N + N / 20))" > "$out/soak_load.json" &
pids+=($!)
# shellcheck disable=SC2086
"$ENRICHER" run -b "$B" -i "$id.in" -o "$id.out" -g "$id" --log-level warn \
  --from earliest ${SOAK_ARGS:-} > "$out/soak_worker.log" 2>&1 &
wpid=$!
pids+=($wpid)

hwm() {
  local args=() p
  for p in $(seq 0 $((parts - 1))); do args+=(-t "$1:$p:-1"); done
  kcat -Q -b "$B" "${args[@]}" 2>/dev/null | awk '{n += $NF} END {print n + 0}'
}
t0=$(date +%s.%N)
: > "$out/soak.tsv"
while kill -0 "$wpid" 2>/dev/null; do
  rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$wpid/status" 2>/dev/null || echo 0)
  done_n=$(($(hwm "$id.out") + $(hwm "$id.in.dlq")))
  printf '%.1f\t%d\t%d\n' "$(echo "$(date +%s.%N) - $t0" | bc)" \
    "$done_n" "$rss" >> "$out/soak.tsv"
  [ "$done_n" -ge "$N" ] && break
  sleep 2
done
kill -0 "$wpid" 2>/dev/null || { echo "the worker died:"; tail "$out/soak_worker.log"; exit 1; }
kill -TERM "$wpid"
wait "$wpid" || { echo "the worker exited non-zero"; tail "$out/soak_worker.log"; exit 1; }

python3 - "$out" "$N" "$res" "${SOAK_ARGS:-}" <<'PY'
import json, statistics, sys
out, n, res, args = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
rows = [tuple(float(x) for x in l.split()) for l in open(f"{out}/soak.tsv")]
def rss_near(count, width):
    v = [r for t, c, r in rows if abs(c - count) <= width and r > 0]
    return statistics.median(v) if v else None
# RSS is sampled every 2 s and moves with the prefetch queue and the
# allocator: each figure is the median of the samples within 20,000
# messages of the count.
at_100k = rss_near(100000, 20000)
at_end = rss_near(n, 20000)
peak = max(r for t, c, r in rows)
peak_after = max((r for t, c, r in rows if c >= 100000), default=0)
secs = rows[-1][0]
windows = {}
for k in range(100000, n + 1, 100000):
    v = rss_near(k, 20000)
    if v:
        windows[str(k)] = round(v / 1024, 1)
j = {"messages": n, "worker_args": args, "seconds": secs,
     "messages_per_second": round(rows[-1][1] / secs, 1) if secs else None,
     "rss_mb_at_100k": round(at_100k / 1024, 1) if at_100k else None,
     "rss_mb_at_end": round(at_end / 1024, 1) if at_end else None,
     "growth_100k_to_end": round(at_end / at_100k - 1, 4)
                           if at_100k and at_end else None,
     "peak_rss_mb": round(peak / 1024, 1),
     "peak_rss_mb_after_100k": round(peak_after / 1024, 1),
     "rss_mb_by_100k": windows}
json.dump(j, open(f"{out}/soak.json", "w"))
print(json.dumps(j))
with open(f"{out}/soak.gp", "w") as fp:
    fp.write(f'''set terminal pngcairo size 900,420 font ",10"
set output "{res}/soak.png"
set title "enricher run: resident memory over {n:,} messages"
set xlabel "records produced"
set ylabel "RSS (MiB)"
set yrange [0:*]
set grid
set format x "%.0s%c"
unset key
plot "{out}/soak.tsv" using 2:($3/1024) with lines lw 2
''')
PY
gnuplot "$out/soak.gp"
cp "$out/soak.json" "$res/soak.json"
cp "$out/soak.tsv" "$res/soak.tsv"
