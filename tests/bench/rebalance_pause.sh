#!/usr/bin/env bash
# The pause a joining worker causes, under the classic group protocol
# (cooperative-sticky) and Kafka 4's consumer protocol (KIP-848), on the real
# broker.
#
#   tests/bench/rebalance_pause.sh [classic|consumer|both]
#
# Three workers (one thread each, the production defaults: no -X session or
# heartbeat settings) share a 6-partition input topic fed at a steady RATE
# articles/s (synthetic ones, keyed so every partition gets its share);
# after WARM s a fourth worker joins, and the run goes on WINDOW s more.
# Each worker writes to an output topic of its own, so the joiner's first
# output is known. From the outputs' timestamps (CreateTime) and their
# enricher-source-partition headers:
#   partition pause  the longest gap between two consecutive outputs of one
#                    input partition, starting in [join, join + WINDOW), over
#                    all input partitions: how long the partitions that
#                    moved (or were held back) stopped. Beside it the same
#                    figure over the WARM - 15 s before the join (the
#                    noise, once the first three have settled).
#   output gap       the longest gap in all output production in that window.
#   joiner's first   join to the joining worker's first output.
# The input's rate keeps every partition busy (RATE/6 inputs/s each), so a
# gap well above 6/RATE s is a pause.
#
# Environment: ENRICHER (a program whose librdkafka has the consumer
# protocol for `consumer`: build-rdkafka-current/bin/enricher),
# ENR_TEST_BROKERS (without it: exit 77), RATE (100), WARM (30), WINDOW (40).
set -euo pipefail
SRC=$(cd "$(dirname "$0")/../.." && pwd)
: "${ENRICHER:?the enricher program}"
[ -n "${ENR_TEST_BROKERS:-}" ] || { echo "ENR_TEST_BROKERS not set: skipped"; exit 77; }
B=$ENR_TEST_BROKERS
RATE=${RATE:-100}
WARM=${WARM:-30}
WINDOW=${WINDOW:-40}
protos=${1:-both}
[ "$protos" = both ] && protos="classic consumer"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/enr-pause.XXXXXX")
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -n "${KEEP:-}" ] || rm -rf "$TMP"
}
trap cleanup EXIT

# Synthetic articles at RATE per second, "key<TAB>json" lines, for SECS s.
feed() {
  python3 - "$RATE" "$1" <<'PY'
import json, sys, time
rate, secs = int(sys.argv[1]), float(sys.argv[2])
t0, i = time.monotonic(), 0
while time.monotonic() - t0 < secs:
    due = int((time.monotonic() - t0) * rate)
    while i < due:
        art = {"id": "p-%d" % i, "title": "Council of Paris meets %d" % i,
               "body": "Mayor Anna Berg said %d%% of residents in Paris "
                       "backed the plan on Monday." % (i % 90)}
        print("k-%d\t%s" % (i, json.dumps(art)), flush=False)
        i += 1
    sys.stdout.flush()
    time.sleep(0.01)
PY
}

now_ms() { date +%s%3N; }

run_one() {
  local proto=$1 id in g t_join w
  id="pause-$proto-$(date +%s)-$$"
  in=$id.in
  g=$id.g
  bash "$SRC/tests/kafka/broker.sh" topic "$in" 6 >/dev/null
  for w in 1 2 3 4; do
    bash "$SRC/tests/kafka/broker.sh" topic "$id.out$w" 3 >/dev/null
  done
  feed $((WARM + WINDOW + 10)) 2>/dev/null |
    kcat -P -b "$B" -t "$in" -K $'\t' -X linger.ms=5 2>/dev/null &
  pids+=($!)
  for w in 1 2 3; do
    "$ENRICHER" run -b "$B" -i "$in" -o "$id.out$w" -g "$g" -t 1 \
      --group-protocol "$proto" --client-id "w$w" --log-level info \
      >/dev/null 2>"$TMP/$id.w$w.log" &
    pids+=($!)
  done
  sleep "$WARM"
  t_join=$(now_ms)
  "$ENRICHER" run -b "$B" -i "$in" -o "$id.out4" -g "$g" -t 1 \
    --group-protocol "$proto" --client-id w4 --log-level info \
    >/dev/null 2>"$TMP/$id.w4.log" &
  pids+=($!)
  sleep "$WINDOW"
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  pids=()
  for w in 1 2 3 4; do
    kcat -C -b "$B" -t "$id.out$w" -e -q -f "$w\t%T\t%h\n" 2>/dev/null || true
  done >"$TMP/$id.tsv"
  python3 - "$proto" "$t_join" "$WINDOW" "$WARM" "$TMP/$id.tsv" <<'PY'
import re, sys
proto, t_join, window, warm, path = sys.argv[1], int(sys.argv[2]), \
    int(sys.argv[3]) * 1000, int(sys.argv[4]) * 1000, sys.argv[5]
# The noise: the same figure before the join, leaving the first three
# workers' own start (15 s) out.
quiet = max(5000, warm - 15000)
per_part, all_ts, joiner = {}, [], []
for line in open(path):
    w, ts, hdr = line.rstrip("\n").split("\t", 2)
    m = re.search(r"enricher-source-partition=(\d+)", hdr)
    if not m:
        continue
    ts = int(ts)
    per_part.setdefault(int(m.group(1)), []).append(ts)
    all_ts.append(ts)
    if w == "4":
        joiner.append(ts)

def longest(ts, lo, hi):
    """Longest gap between consecutive times whose gap starts in [lo, hi)."""
    ts = sorted(ts)
    best, at = 0, None
    for a, b in zip(ts, ts[1:]):
        if lo <= a < hi and b - a > best:
            best, at = b - a, a
    return best, at

after = max((longest(v, t_join, t_join + window) + (p,)
             for p, v in per_part.items()), default=(0, None, None))
before = max((longest(v, t_join - quiet, t_join)[0]
              for v in per_part.values()), default=0)
gap, _ = longest(all_ts, t_join, t_join + window)
first = (min(joiner) - t_join) if joiner else None
print("%-8s partition pause %6d ms (partition %s, from join +%s ms); "
      "before the join %d ms; output gap %d ms; joiner's first output %s; "
      "outputs %d" % (proto, after[0], after[2],
                      None if after[1] is None else after[1] - t_join, before,
                      gap, "%d ms" % first if first is not None else "none",
                      len(all_ts)))
PY
}

for proto in $protos; do
  run_one "$proto"
done
