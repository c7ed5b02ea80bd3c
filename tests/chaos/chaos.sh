#!/usr/bin/env bash
# Chaos run on a real broker: N articles (with poison inputs mixed in)
# through WORKERS `enricher run` workers in one group while a random worker
# is killed with SIGKILL every KILL_EVERY seconds and restarted, and the
# broker is restarted BROKER_RESTARTS times (tests/kafka/broker.sh stop,
# start). Afterwards tests/chaos/check.py proves, per input offset, at least
# one output (at-least-once) or exactly one visible to a read_committed
# reader (--exactly-once), every poison input dead-lettered with its reason
# and nothing else dead-lettered, and no output of an unknown input.
#
#   tests/chaos/chaos.sh [alo|eos] [N]
#
# Environment: ENRICHER (the program), ENR_TEST_BROKERS (the broker;
# without it: exit 77), WORKERS (3), KILL_EVERY (5 s), BROKER_RESTARTS (2),
# POISON_EVERY (97: one input in 97 is poison), PARTITIONS (6), BBC (the
# articles; synthetic ones when absent), CHAOS_BROKER_STOP and
# CHAOS_BROKER_START (commands; default tests/kafka/broker.sh stop/start,
# used only when the broker is broker.sh's 127.0.0.1:9092 or the commands
# are given), CHAOS_OUT (keep the logs and dumps there).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
mode=${1:-alo}
N=${2:-${N:-200000}}
: "${ENRICHER:?path of the enricher program}"
if [ -z "${ENR_TEST_BROKERS:-}" ]; then
  echo "ENR_TEST_BROKERS not set (tests/kafka/broker.sh start): skipped"
  exit 77
fi
command -v kcat >/dev/null || { echo "kcat not installed: skipped"; exit 77; }
B=$ENR_TEST_BROKERS
WORKERS=${WORKERS:-3}
KILL_EVERY=${KILL_EVERY:-5}
BROKER_RESTARTS=${BROKER_RESTARTS:-2}
POISON_EVERY=${POISON_EVERY:-97}
PARTITIONS=${PARTITIONS:-6}
BBC=${BBC:-$root/../shared/data/news/bbc.jsonl}
id=chaos-$mode-$(date +%s)-$$
IN=$id.in
OUT=$id.out
DLQ=$IN.dlq
G=$id.g
if [ -n "${CHAOS_OUT:-}" ]; then
  tmp=$CHAOS_OUT
  mkdir -p "$tmp"
else
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/enr-chaos.XXXXXX")
fi
log() { echo "[$(date -u +%H:%M:%S)] chaos $mode: $*" | tee -a "$tmp/chaos.log" >&2; }

# The broker restarts: broker.sh's own broker, or the commands given.
stop_cmd=${CHAOS_BROKER_STOP:-}
start_cmd=${CHAOS_BROKER_START:-}
if [ -z "$stop_cmd" ] && [ "$B" = 127.0.0.1:9092 ] &&
   bash tests/kafka/broker.sh status > /dev/null 2>&1; then
  stop_cmd="bash $root/tests/kafka/broker.sh stop"
  start_cmd="bash $root/tests/kafka/broker.sh start"
fi
if [ -z "$stop_cmd" ] && [ "$BROKER_RESTARTS" -gt 0 ]; then
  log "no way to restart broker $B: no broker restarts"
  BROKER_RESTARTS=0
fi

declare -a pid
cleanup() {
  local p
  for p in "${pid[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -n "${CHAOS_OUT:-}" ] || [ -n "${KEEP:-}" ] || rm -rf "$tmp"
}
trap cleanup EXIT

create_topic() {
  local py=$root/.cache/bench-venv/bin/python
  if [ -x "$py" ] && "$py" -c 'import confluent_kafka' 2>/dev/null; then
    "$py" tests/bench/kafka_tool.py topics -b "$B" create -p "$2" "$1"
  else
    bash tests/kafka/broker.sh topic "$1" "$2" > /dev/null
  fi
}
create_topic "$IN" "$PARTITIONS"
create_topic "$OUT" "$PARTITIONS"
create_topic "$DLQ" 1

# The input: "key<TAB>value" lines; poison inputs are keyed
# poison:<expected reason>:<n>, articles article:<n>.
python3 - "$N" "$POISON_EVERY" "$BBC" > "$tmp/input.tsv" <<'PY'
import json, os, sys
n, every, bbc = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
arts = []
if os.path.exists(bbc):
    arts = [l.rstrip("\n") for l in open(bbc, encoding="utf-8") if l.strip()]
if not arts:
    cities = ["Paris", "Berlin", "Madrid", "Lisbon", "Vienna", "Oslo"]
    for i in range(500):
        c = cities[i % len(cities)]
        arts.append(json.dumps({
            "id": "syn-%d" % i, "title": "Council of %s meets" % c,
            "body": "The council of %s met on Monday to discuss a budget of "
                    "$%d million. Mayor Anna Berg said %d%% of residents "
                    "backed the plan.\n\nThe next meeting is in March."
                    % (c, i % 90 + 10, i % 70 + 5)}))
poison = [
    ("invalid_json", b'{"title": "cut short", "body": '),
    ("invalid_utf8", b'{"title": "bad", "body": "caf\xe9 au lait"}'),
    ("no_body", b'{"title": "a title alone"}'),
    ("invalid_json", b'[1, 2, 3]'),
    ("empty", b''),
    ("invalid_utf8", b'\xff\xfe\x80 binary \x81'),
    ("too_large", ('{"title": "big", "body": "%s"}' % ("word " * 14000)).encode()),
]
out = sys.stdout.buffer
p = 0
for i in range(n):
    if every and i % every == every - 1:
        reason, value = poison[p % len(poison)]
        p += 1
        out.write(b"poison:%s:%d\t%s\n" % (reason.encode(), i, value))
    else:
        out.write(b"article:%d\t%s\n" % (i, arts[i % len(arts)].encode()))
PY
log "producing $N inputs to $IN ($PARTITIONS partitions)"
kcat -P -b "$B" -t "$IN" -K $'\t' -X linger.ms=50 -X batch.num.messages=10000 \
  -X queue.buffering.max.messages=500000 < "$tmp/input.tsv"
rm -f "$tmp/input.tsv"

wopts=(-b "$B" -i "$IN" -o "$OUT" -g "$G" --from earliest --log-level warn
       --max-article-bytes 64k -X session.timeout.ms=6000
       -X heartbeat.interval.ms=500 --shutdown-timeout-ms 20000)
start_worker() {
  local i=$1 extra=()
  [ "$mode" = eos ] && extra=(--exactly-once --instance-id "chaos-w$i"
                              --txn-max-messages 200 --txn-max-ms 200)
  "$ENRICHER" run "${wopts[@]}" "${extra[@]}" >> "$tmp/worker$i.log" 2>&1 &
  pid[$i]=$!
}
hwm() {
  local args=() p parts=$2
  for p in $(seq 0 $((parts - 1))); do args+=(-t "$1:$p:-1"); done
  kcat -Q -b "$B" "${args[@]}" 2>/dev/null | awk '{n += $NF} END {print n + 0}'
}
progress() { echo $(($(hwm "$OUT" "$PARTITIONS") + $(hwm "$DLQ" 1))); }

for i in $(seq 1 "$WORKERS"); do start_worker "$i"; done
log "$WORKERS workers started; killing one every $KILL_EVERY s, $BROKER_RESTARTS broker restarts"
kills=0 self_exits=0 restarts=0
next_kill=$(($(date +%s) + KILL_EVERY))
last=0
while :; do
  sleep 1
  for i in $(seq 1 "$WORKERS"); do
    if ! kill -0 "${pid[$i]}" 2>/dev/null; then
      rc=0
      wait "${pid[$i]}" || rc=$?
      self_exits=$((self_exits + 1))
      log "worker $i exited by itself (status $rc): restarted"
      start_worker "$i"
    fi
  done
  now=$(date +%s)
  p=$(progress)
  # (While the broker is down the probe says 0: keep the last figure.)
  if [ "$p" -gt "$last" ]; then last=$p; fi
  if [ "$now" -ge "$next_kill" ]; then
    i=$((RANDOM % WORKERS + 1))
    kill -KILL "${pid[$i]}" 2>/dev/null || true
    wait "${pid[$i]}" 2>/dev/null || true
    kills=$((kills + 1))
    start_worker "$i"
    next_kill=$((now + KILL_EVERY))
  fi
  if [ "$restarts" -lt "$BROKER_RESTARTS" ] &&
     [ "$last" -ge $(((restarts + 1) * N / (BROKER_RESTARTS + 1))) ]; then
    restarts=$((restarts + 1))
    log "broker restart $restarts at $last outputs"
    $stop_cmd >> "$tmp/broker.log" 2>&1
    sleep 2
    $start_cmd >> "$tmp/broker.log" 2>&1
  fi
  [ "$last" -ge "$N" ] && [ "$restarts" -ge "$BROKER_RESTARTS" ] && break
done
log "chaos over: $kills kills, $self_exits exits on their own, $restarts broker restarts; $last outputs so far"

# Quiesce: no kills any more; wait until nothing new appears for 15 s.
stable=0 prev=-1
for _ in $(seq 1 600); do
  p=$(progress)
  if [ "$p" = "$prev" ]; then stable=$((stable + 1)); else stable=0; fi
  prev=$p
  [ "$stable" -ge 15 ] && break
  for i in $(seq 1 "$WORKERS"); do
    if ! kill -0 "${pid[$i]}" 2>/dev/null; then
      wait "${pid[$i]}" || true
      self_exits=$((self_exits + 1))
      log "worker $i exited by itself: restarted"
      start_worker "$i"
    fi
  done
  sleep 1
done
bad_stop=0
for i in $(seq 1 "$WORKERS"); do
  kill -TERM "${pid[$i]}" 2>/dev/null || true
done
for i in $(seq 1 "$WORKERS"); do
  rc=0
  wait "${pid[$i]}" || rc=$?
  [ "$rc" = 0 ] || { bad_stop=1; log "worker $i: exit status $rc at shutdown"; }
done
pid=()

iso=read_committed
log "dumping $IN, $OUT, $DLQ ($iso)"
kcat -C -b "$B" -t "$IN" -e -q -f '%p\t%o\t%k\n' > "$tmp/in.tsv"
kcat -C -b "$B" -t "$OUT" -e -q -X isolation.level=$iso \
  -f '%p\t%o\t%h\n' > "$tmp/out.tsv"
kcat -C -b "$B" -t "$DLQ" -e -q -X isolation.level=$iso \
  -f '%p\t%o\t%k\t%h\n' > "$tmp/dlq.tsv"
raw_out=$(hwm "$OUT" "$PARTITIONS")
rc=0
python3 tests/chaos/check.py "$mode" "$IN" "$tmp/in.tsv" "$tmp/out.tsv" \
  "$tmp/dlq.tsv" --expect "$N" | tee -a "$tmp/chaos.log" || rc=$?
log "kills $kills, broker restarts $restarts, worker exits on their own $self_exits, output log entries (incl. aborted and markers) $raw_out"
[ "$bad_stop" = 0 ] || log "note: a worker did not stop cleanly at the end"
exit "$rc"
