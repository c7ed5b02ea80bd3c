# Shared helpers of the integration tests (sourced, not run). Each test gets
# ENRICHER (the program), ENR_SOURCE_DIR, ENR_BUILD_DIR and, for a real
# broker, ENR_TEST_BROKERS; exit 77 means skipped.
set -euo pipefail

: "${ENRICHER:?ENRICHER must name the enricher program}"
: "${ENR_SOURCE_DIR:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
ENR_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ENR_TMP=$(mktemp -d "${TMPDIR:-/tmp}/enr-it.XXXXXX")
ENR_PIDS=()
# A suffix that makes topic and group names unique to this run.
ENR_RUN_ID="$(basename "$0" .sh)-$(date +%s)-$$"
# Consumer settings that make group joins and leaves fast in tests.
ENR_FAST=(-X session.timeout.ms=6000 -X heartbeat.interval.ms=500
          --shutdown-timeout-ms 20000 --log-level warn)

command -v kcat >/dev/null || { echo "kcat not installed: skipped"; exit 77; }
command -v python3 >/dev/null || { echo "python3 not installed: skipped"; exit 77; }

enr_cleanup() {
    local pid
    for pid in "${ENR_PIDS[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${ENR_PIDS[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    [ -n "${ENR_KEEP_TMP:-}" ] || rm -rf "$ENR_TMP"
}
trap enr_cleanup EXIT

enr_fail() { echo "FAIL: $*" >&2; exit 1; }

# Whether the program's librdkafka (ENR_RDKAFKA_VERSION, from the build) is
# older than the version given; an unknown one counts as older.
enr_rdkafka_before() {
    local have=${ENR_RDKAFKA_VERSION:-0}
    [ "$have" != "$1" ] &&
        [ "$(printf '%s\n%s\n' "$have" "$1" | sort -V | head -1)" = "$have" ]
}
enr_log() { echo "--- $*" >&2; }

# Skips unless a real broker is given.
enr_need_broker() {
    if [ -z "${ENR_TEST_BROKERS:-}" ]; then
        echo "ENR_TEST_BROKERS not set (tests/kafka/broker.sh start): skipped"
        exit 77
    fi
    BROKERS=$ENR_TEST_BROKERS
    kcat -b "$BROKERS" -L -m 5 >/dev/null 2>&1 ||
        enr_fail "broker $BROKERS does not answer"
}

# Starts `enricher dev-broker` with the given --topic arguments; sets BROKERS.
enr_dev_broker() {
    local args=() t
    for t in "$@"; do args+=(--topic "$t"); done
    "$ENRICHER" dev-broker "${args[@]}" --bootstrap-file "$ENR_TMP/bootstrap" \
        >"$ENR_TMP/dev-broker.log" 2>&1 &
    ENR_PIDS+=($!)
    local i
    for i in $(seq 1 100); do
        [ -s "$ENR_TMP/bootstrap" ] && break
        sleep 0.1
    done
    BROKERS=$(cat "$ENR_TMP/bootstrap") || enr_fail "no dev broker"
}

# Creates a topic with N partitions on the real broker (Kafka's own tool,
# through tests/kafka/broker.sh).
enr_create_topic() {
    bash "$ENR_SOURCE_DIR/tests/kafka/broker.sh" topic "$1" "$2" >/dev/null ||
        enr_fail "cannot create topic $1"
}

# Starts a worker in the background: enr_worker NAME ARGS...; its pid goes
# to WORKER_PID and ENR_PIDS, its log to $ENR_TMP/NAME.log.
enr_worker() {
    local name=$1
    shift
    "$ENRICHER" run -b "$BROKERS" "${ENR_FAST[@]}" "$@" \
        >"$ENR_TMP/$name.out" 2>"$ENR_TMP/$name.log" &
    WORKER_PID=$!
    ENR_PIDS+=("$WORKER_PID")
}

# Stops a worker with SIGTERM and checks it exits 0 in time.
enr_stop_worker() {
    local pid=$1 name=$2 rc=0 i
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 1 300); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -0 "$pid" 2>/dev/null && { tail -20 "$ENR_TMP/$name.log" >&2; enr_fail "$name did not stop in 30 s"; }
    wait "$pid" || rc=$?
    [ "$rc" = 0 ] || { tail -20 "$ENR_TMP/$name.log" >&2; enr_fail "$name exited $rc"; }
}

# Writes N synthetic articles as "key<TAB>json" lines (ids art-FROM..).
enr_articles() {
    local n=$1 from=${2:-0}
    python3 - "$n" "$from" <<'PY'
import json, sys
n, start = int(sys.argv[1]), int(sys.argv[2])
cities = ["Paris", "Berlin", "Madrid", "Lisbon", "Vienna", "Oslo", "Dublin"]
for i in range(start, start + n):
    c = cities[i % len(cities)]
    art = {"id": "art-%d" % i,
           "title": "Report %d: council of %s meets" % (i, c),
           "body": "The council of %s met on Monday to discuss a budget of "
                   "$%d million. Mayor Anna Berg said %d%% of residents "
                   "backed the plan.\n\nThe next meeting is in March." %
                   (c, i % 90 + 10, i % 70 + 5)}
    print("k-%d\t%s" % (i, json.dumps(art)))
PY
}

# Produces stdin ("key<TAB>value" lines) to a topic.
enr_produce() {
    kcat -P -b "$BROKERS" -t "$1" -K $'\t' -z lz4 -X linger.ms=20 ||
        enr_fail "kcat -P to $1 failed"
}

# Dumps a topic (read_committed) as "partition offset headers" lines of
# JSON: {"p":…,"o":…,"k":…,"h":…,"v":…}.
enr_dump() {
    kcat -C -b "$BROKERS" -t "$1" -e -q -X isolation.level=read_committed \
        -f '%p\t%o\t%k\t%h\t%s\n' 2>/dev/null || true
}

# Counts the records of a topic (read_committed).
enr_count() {
    { kcat -C -b "$BROKERS" -t "$1" -e -q -X isolation.level=read_committed \
        -f 'x\n' 2>/dev/null || true; } | wc -l
}

# The sum of a topic's high watermarks (cheap progress probe): enr_hwm T P.
enr_hwm() {
    local args=() p
    for p in $(seq 0 $(($2 - 1))); do args+=(-t "$1:$p:-1"); done
    kcat -Q -b "$BROKERS" "${args[@]}" 2>/dev/null |
        awk '{n += $NF} END {print n + 0}'
}

# Waits until topics $2.. hold at least $1 records in total (timeout $ENR_WAIT s).
enr_wait_count() {
    local want=$1 i n t
    shift
    for i in $(seq 1 "${ENR_WAIT:-120}"); do
        n=0
        for t in "$@"; do n=$((n + $(enr_count "$t"))); done
        [ "$n" -ge "$want" ] && return 0
        sleep 1
    done
    enr_fail "only $n of $want records in $* after ${ENR_WAIT:-120} s"
}

# Checks that every input of topic $2 appears in outputs $3 (and DLQ $4):
# enr_check alo|eos INPUT OUTPUT DLQ.
enr_check() {
    enr_dump "$2" >"$ENR_TMP/in.tsv"
    enr_dump "$3" >"$ENR_TMP/out.tsv"
    enr_dump "$4" >"$ENR_TMP/dlq.tsv"
    python3 "$ENR_LIB_DIR/check.py" "$1" "$2" "$ENR_TMP/in.tsv" \
        "$ENR_TMP/out.tsv" "$ENR_TMP/dlq.tsv" || enr_fail "accounting ($1)"
}

# The end-to-end scenario shared by test_devbroker.sh (mock cluster) and
# test_e2e.sh (real broker): sample articles with keys and headers, one
# without a key, poison inputs of every kind; one worker with --exit-at-end.
# Checks keys, headers, meta.source, dead-letter reasons and headers, and
# the per-offset accounting. Topics IN, OUT, DLQ must exist or auto-create.
enr_e2e_body() {
    local in=$1 out=$2 dlq=$3 f i=0 rc=0
    {
        for f in "$ENR_SOURCE_DIR"/tests/data/samples/*.json; do
            i=$((i + 1))
            printf 'sample-key-%d\t%s\n' "$i" "$(jq -c . "$f" 2>/dev/null || tr -d '\n' <"$f")"
        done
        printf 'poison-json\t{"id": "broken", "title": "no end\n'
        printf 'poison-utf8\t{"id": "bad-utf8", "title": "x", "body": "caf\xc3\x28 au lait"}\n'
        printf 'poison-nobody\t{"id": "nobody", "title": "A title alone"}\n'
        printf 'poison-large\t{"id": "big", "title": "big", "body": "%s"}\n' "$(head -c 9000 /dev/zero | tr '\0' 'a')"
    } | kcat -P -b "$BROKERS" -t "$in" -K $'\t' -H origin=it-test -H trace=abc123 ||
        enr_fail "producing samples"
    # The seed article (when the lead's copy is there) without a key, and an
    # empty message.
    if [ -f "$ENR_SOURCE_DIR/tests/data/seed_article.json" ]; then
        jq -c . "$ENR_SOURCE_DIR/tests/data/seed_article.json" |
            kcat -P -b "$BROKERS" -t "$in" || enr_fail "producing the seed"
    fi
    printf 'poison-empty\t\n' | kcat -P -b "$BROKERS" -t "$in" -K $'\t' -Z ||
        enr_fail "producing an empty message"

    timeout 120 "$ENRICHER" run -b "$BROKERS" "${ENR_FAST[@]}" -i "$in" -o "$out" \
        -g "g-$ENR_RUN_ID" --exit-at-end --input-format json \
        --max-article-bytes 8k -t 2 >"$ENR_TMP/e2e.out" 2>"$ENR_TMP/e2e.log" || rc=$?
    [ "$rc" = 0 ] || { cat "$ENR_TMP/e2e.log" >&2; enr_fail "worker exited $rc"; }

    enr_dump "$out" >"$ENR_TMP/out.tsv"
    enr_dump "$dlq" >"$ENR_TMP/dlq.tsv"
    enr_dump "$in" >"$ENR_TMP/in.tsv"
    python3 - "$in" "$ENR_TMP" <<'PY' || enr_fail "end-to-end checks"
import json, sys
topic, tmp = sys.argv[1], sys.argv[2]
def rows(name):
    out = []
    for line in open(tmp + "/" + name, encoding="utf-8", errors="replace"):
        line = line.rstrip("\n")
        if line:
            p, o, k, h, v = (line.split("\t", 4) + [""] * 5)[:5]
            hd = dict(kv.split("=", 1) for kv in h.split(",") if "=" in kv)
            out.append((int(p), int(o), k, hd, v))
    return out
ins = {(p, o): (k, h, v) for p, o, k, h, v in rows("in.tsv")}
outs, dlqs = rows("out.tsv"), rows("dlq.tsv")
bad = []
def need(cond, msg):
    if not cond:
        bad.append(msg)
samples = [k for k, _h, _v in ins.values() if k.startswith("sample-key-")]
need(len(outs) == len(samples) + (1 if any(k == "" for k, _h, _v in ins.values()) else 0),
     "expected %d records, got %d" % (len(samples), len(outs)))
for p, o, k, hd, v in outs:
    src = (int(hd.get("enricher-source-partition", -1)), int(hd.get("enricher-source-offset", -1)))
    ik, ih, iv = ins.get(src, (None, {}, None))
    rec = json.loads(v)
    meta = rec.get("meta", {}).get("source", {})
    need(meta.get("topic") == topic and (meta.get("partition"), meta.get("offset")) == src,
         "meta.source %r does not name %s %r" % (meta, topic, src))
    need(isinstance(meta.get("timestamp"), (int, float)) and meta["timestamp"] > 0,
         "meta.source.timestamp missing: %r" % meta)
    need(hd.get("enricher-schema") and hd.get("enricher-version"), "own headers missing: %r" % hd)
    if ik:
        need(k == ik, "key %r != input key %r" % (k, ik))
        need(hd.get("origin") == "it-test" and hd.get("trace") == "abc123",
             "input headers not carried: %r" % hd)
    else:
        need(k and k == str(rec.get("id", "")), "unkeyed input: key %r != article id %r" % (k, rec.get("id")))
want = {"poison-json": "invalid_json", "poison-utf8": "invalid_utf8",
        "poison-nobody": "no_body", "poison-large": "too_large", "poison-empty": "empty"}
got = {}
for p, o, k, hd, v in dlqs:
    got[k] = hd.get("enricher-error")
    src = (int(hd.get("enricher-source-partition", -1)), int(hd.get("enricher-source-offset", -1)))
    need(src in ins and ins[src][2] == v, "dead letter %s: payload differs from input %r" % (k, src))
    need(hd.get("enricher-source-topic") == topic, "dead letter %s: source topic %r" % (k, hd.get("enricher-source-topic")))
    need(hd.get("enricher-error-message") and hd.get("enricher-failed-at", "").endswith("Z"),
         "dead letter %s: headers %r" % (k, hd))
    if k != "poison-empty":
        need(hd.get("origin") == "it-test", "dead letter %s lost the input headers" % k)
need(got == want, "dead-letter reasons %r, want %r" % (got, want))
for b in bad:
    print("  " + b, file=sys.stderr)
print("e2e: %d records, %d dead letters, %d problems" % (len(outs), len(dlqs), len(bad)))
sys.exit(1 if bad else 0)
PY
    enr_check alo "$in" "$out" "$dlq"
}

# The join-and-leave scenario of the rebalance tests: two workers share
# topic IN (6 partitions), a third joins mid-stream, the first leaves; every
# input must be accounted for (MODE alo or eos) and every worker exit 0.
# enr_join_leave MODE IN OUT GROUP [WORKER ARGS...]; with ENR_JL_STATIC set,
# each worker also gets --instance-id wN.
enr_join_leave() {
    local mode=$1 in=$2 out=$3 g=$4 w1 w2 w3 n
    shift 4
    enr__jl_static() { [ -z "${ENR_JL_STATIC:-}" ] || echo "--instance-id w$1"; }
    enr_articles 3000 | enr_produce "$in"
    # shellcheck disable=SC2046
    enr_worker w1 -i "$in" -o "$out" -g "$g" -t 2 "$@" $(enr__jl_static 1)
    w1=$WORKER_PID
    # shellcheck disable=SC2046
    enr_worker w2 -i "$in" -o "$out" -g "$g" "$@" $(enr__jl_static 2)
    w2=$WORKER_PID
    enr_wait_count 300 "$out"
    enr_log "a third worker joins"
    # shellcheck disable=SC2046
    enr_worker w3 -i "$in" -o "$out" -g "$g" "$@" --log-level info $(enr__jl_static 3)
    w3=$WORKER_PID
    # Give the joiner its partitions before the rest of the input (under
    # the consumer protocol the broker hands them over a few heartbeats).
    for n in $(seq 1 90); do
        grep -Eq "assigned [1-9][0-9]* partition" "$ENR_TMP/w3.log" && break
        sleep 1
    done
    enr_articles 3000 3000 | enr_produce "$in"
    enr_wait_count 4000 "$out"
    enr_log "the first worker leaves"
    enr_stop_worker "$w1" w1
    enr_articles 1000 6000 | enr_produce "$in"
    enr_wait_count 7000 "$out" "$in.dlq"
    # Repeated outputs count towards 7000 too: wait until every input has
    # one before stopping the workers.
    for n in $(seq 1 60); do
        enr_dump "$in" >"$ENR_TMP/in.tsv"
        enr_dump "$out" >"$ENR_TMP/out.tsv"
        enr_dump "$in.dlq" >"$ENR_TMP/dlq.tsv"
        python3 "$ENR_LIB_DIR/check.py" "$mode" "$in" "$ENR_TMP/in.tsv" \
            "$ENR_TMP/out.tsv" "$ENR_TMP/dlq.tsv" >/dev/null 2>&1 && break
        sleep 1
    done
    sleep 2
    enr_stop_worker "$w2" w2
    enr_stop_worker "$w3" w3
    # The joining worker took part: it was given partitions at some point.
    grep -Eq "assigned [1-9][0-9]* partition" "$ENR_TMP/w3.log" ||
        enr_fail "the joining worker was never assigned a partition"
    enr_check "$mode" "$in" "$out" "$in.dlq"
}
