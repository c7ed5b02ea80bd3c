#!/usr/bin/env bash
# First drives the endpoint alone (worker/http.c through
# metrics_http_harness.c, compiled here against the build's library when a
# C compiler is around): /readyz follows ready(), /healthz fails once the
# heartbeat is older than the liveness timeout and recovers, bad addresses
# are refused. Then scrapes a running worker: `enricher run --metrics-addr` against the
# broker in ENR_TEST_BROKERS, or else against `enricher dev-broker` (an
# in-memory mock cluster, so the test runs anywhere). Checks that /healthz
# and /readyz answer, that unknown paths and methods are refused, that the
# exposition parses (promtool check metrics, when installed), and that every
# metric moves: consumed, produced, dead letters by reason, bytes in and
# out, each stage's histogram, entities by type, rebalances, commits, lag
# per partition, the queue gauges, and (in a second, exactly-once run)
# transactions.
set -euo pipefail
: "${ENRICHER:?path of the enricher binary}" "${ENR_SOURCE_DIR:?}"
data=$ENR_SOURCE_DIR/tests/data

command -v kcat >/dev/null || { echo "SKIP: kcat not installed"; exit 77; }
command -v curl >/dev/null || { echo "SKIP: curl not installed"; exit 77; }

tmp=$(mktemp -d)
pids=()
cleanup() {
        for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
        for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
        rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; for f in "$tmp"/*.log; do echo "--- $f"; tail -20 "$f"; done; exit 1; }

# --- The endpoint alone. ----------------------------------------------------
build=${ENR_BUILD_DIR:-}
cc=$(command -v cc || command -v gcc || command -v clang || true)
if [ -n "$cc" ] && [ -f "$build/libenricher_core.a" ] &&
   pkg-config --exists libmicrohttpd jansson libpcre2-8 2>/dev/null; then
        san=()
        grep -q '^ENR_ASAN:BOOL=ON' "$build/CMakeCache.txt" 2>/dev/null && san+=(-fsanitize=address)
        grep -q '^ENR_UBSAN:BOOL=ON' "$build/CMakeCache.txt" 2>/dev/null && san+=(-fsanitize=undefined)
        # shellcheck disable=SC2046
        "$cc" -std=c11 -D_GNU_SOURCE -g "${san[@]}" -I"$ENR_SOURCE_DIR/include" \
                -I"$ENR_SOURCE_DIR/worker" -o "$tmp/harness" \
                "$ENR_SOURCE_DIR/tests/integration/metrics_http_harness.c" \
                "$ENR_SOURCE_DIR/worker/http.c" "$build/libenricher_core.a" \
                $(pkg-config --libs libmicrohttpd jansson libpcre2-8) -lpthread -lm ||
                fail "cannot build the HTTP harness"
        coproc H { "$tmp/harness" 127.0.0.1:0 2> "$tmp/harness.log"; }
        pids+=($H_PID)
        read -r word hport <&"${H[0]}" || fail "the harness did not start"
        [ "$word" = port ] && [ "$hport" -gt 0 ] || fail "harness: $word $hport"
        hb="http://127.0.0.1:$hport"
        cmd() {
                local reply=
                echo "$1" >&"${H[1]}"
                read -r reply <&"${H[0]}" || true
                [ "$reply" = ok ] || fail "harness: '$1' answered '$reply'"
        }
        code() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
        [ "$(code "$hb/healthz")" = 200 ] || fail "harness /healthz not 200 at start"
        [ "$(code "$hb/readyz")" = 503 ] || fail "harness /readyz not 503 while not ready"
        cmd "ready 1"
        [ "$(code "$hb/readyz")" = 200 ] || fail "harness /readyz not 200 once ready"
        curl -fsS "$hb/metrics" | grep -x 'enricher_messages_consumed_total 0' > /dev/null || fail "harness metrics"
        cmd add
        curl -fsS "$hb/metrics" | grep -x 'enricher_messages_consumed_total 1' > /dev/null || fail "harness metrics did not move"
        cmd "timeout 1"
        sleep 2.2
        [ "$(code "$hb/healthz")" = 503 ] || fail "harness /healthz not 503 without heartbeat"
        curl -s "$hb/healthz" | grep -q 'no main loop heartbeat' || fail "harness /healthz body"
        cmd beat
        [ "$(code "$hb/healthz")" = 200 ] || fail "harness /healthz not 200 after a heartbeat"
        [ "$(code "$hb/nope")" = 404 ] || fail "harness unknown path not 404"
        [ "$(code -X POST -d x=1 "$hb/metrics")" = 405 ] || fail "harness POST not 405"
        [ "$(code -I "$hb/metrics")" = 200 ] || fail "harness HEAD not 200"
        hpid=$H_PID
        echo quit >&"${H[1]}"
        wait "$hpid" || fail "harness exited with $?"
        for bad in nohost:99999 "[::1" 127.0.0.1:x "" 203.0.113.1:0; do
                if echo quit | "$tmp/harness" "$bad" > "$tmp/bad.out" 2>&1; then
                        fail "harness accepted address '$bad'"
                fi
                grep -q '^error' "$tmp/bad.out" || fail "no error for address '$bad': $(cat "$tmp/bad.out")"
        done
        for good in :0 0 "localhost:0"; do
                echo quit | "$tmp/harness" "$good" > "$tmp/good.out" 2>&1 ||
                        fail "harness refused address '$good': $(cat "$tmp/good.out")"
        done
        echo "ok: endpoint alone (readiness, liveness timeout, errors, addresses)"
else
        echo "note: no C compiler or no $build/libenricher_core.a: endpoint harness skipped"
fi

suffix=$$-$RANDOM
in=scrape-in-$suffix out=scrape-out-$suffix dlq=scrape-in-$suffix.dlq
if [ -n "${ENR_TEST_BROKERS:-}" ]; then
        brokers=$ENR_TEST_BROKERS
        for t in "$in:2" "$out:2" "$dlq:1"; do
                bash "$ENR_SOURCE_DIR/tests/kafka/broker.sh" topic "${t%:*}" "${t##*:}" >/dev/null ||
                        fail "cannot create topic ${t%:*}"
        done
else
        "$ENRICHER" dev-broker --topic "$in:2" --topic "$out:2" --topic "$dlq:1" \
                --bootstrap-file "$tmp/bootstrap" > "$tmp/broker.log" 2>&1 &
        pids+=($!)
        for _ in $(seq 100); do [ -s "$tmp/bootstrap" ] && break; sleep 0.1; done
        [ -s "$tmp/bootstrap" ] || fail "dev-broker did not start"
        brokers=$(head -n1 "$tmp/bootstrap")
fi

free_port() {
        python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# The sample articles as one JSON line each, plus one that is not JSON.
python3 - "$tmp/articles.jsonl" "$data"/samples/*.json "$data"/*.json <<'PY'
import json, sys
with open(sys.argv[1], "w", encoding="utf-8") as out:
    for path in sys.argv[2:]:
        doc = json.load(open(path, encoding="utf-8"))
        if isinstance(doc, dict) and doc.get("body"):
            out.write(json.dumps(doc, ensure_ascii=False) + "\n")
PY
ngood=$(wc -l < "$tmp/articles.jsonl")
echo '{"id": "broken", "title": "unterminated' > "$tmp/bad.jsonl"
# Both partitions get inputs, so both get a committed offset and a known lag:
# without keys, librdkafka's sticky partitioner may put a whole batch on one.
[ "$ngood" -ge 2 ] || fail "need at least two sample articles, have $ngood"
awk 'NR % 2 == 1' "$tmp/articles.jsonl" > "$tmp/p0.jsonl"
awk 'NR % 2 == 0' "$tmp/articles.jsonl" > "$tmp/p1.jsonl"
kcat -P -b "$brokers" -t "$in" -p 0 -l "$tmp/p0.jsonl"
kcat -P -b "$brokers" -t "$in" -p 1 -l "$tmp/p1.jsonl"
kcat -P -b "$brokers" -t "$in" -p 1 -l "$tmp/bad.jsonl"
ninputs=$((ngood + 1))

# metric NAME-WITH-LABELS: the value of one sample of the last scrape.
metric() {
        awk -v k="$1" '$1 == k { print $2; found = 1 } END { if (!found) print "absent" }' "$tmp/scrape"
}
scrape() { curl -fsS "http://127.0.0.1:$port/metrics" > "$tmp/scrape"; }
status() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
positive() { # NAME-WITH-LABELS
        local v; v=$(metric "$1")
        awk -v v="$v" 'BEGIN { exit !(v != "absent" && v + 0 > 0) }' ||
                fail "$1 did not move (value $v)"
}
present() {
        [ "$(metric "$1")" != absent ] || fail "$1 is absent"
}
start_worker() { # LOG GROUP ARGS...
        local log=$1 group=$2; shift 2
        port=$(free_port)
        "$ENRICHER" run -b "$brokers" -i "$in" -o "$out" --dlq-topic "$dlq" -g "$group" \
                --from earliest --metrics-addr "127.0.0.1:$port" --stats-interval-ms 200 \
                --client-id scrape-test -X session.timeout.ms=6000 "$@" > "$tmp/$log.log" 2>&1 &
        worker=$!
        pids+=($worker)
        for _ in $(seq 100); do
                [ "$(status "http://127.0.0.1:$port/healthz")" = 200 ] && return 0
                kill -0 "$worker" 2>/dev/null || fail "the worker exited"
                sleep 0.1
        done
        fail "/healthz never answered 200"
}
wait_done() { # COUNT: until produced + dead-lettered reaches COUNT
        local want=$1 got
        for _ in $(seq 300); do
                scrape
                got=$(awk '/^enricher_records_produced_total |^enricher_dead_letters_total\{/ { s += $2 } END { print s + 0 }' "$tmp/scrape")
                [ "$got" -ge "$want" ] && return 0
                sleep 0.1
        done
        fail "only $got of $want inputs were acknowledged"
}
stop_worker() {
        kill -TERM "$worker"
        wait "$worker" || fail "the worker exited with status $? after SIGTERM"
}

# --- At-least-once. ---------------------------------------------------------
start_worker alo "scrape-$suffix"
base="http://127.0.0.1:$port"
# Nothing consumed yet, or very little: the counters exist from the start.
scrape
present enricher_messages_consumed_total
# Labelled series with a known label set are exported at 0 from the start.
present 'enricher_dead_letters_total{reason="too_large"}'
present 'enricher_failures_total{reason="invalid_utf8"}'
present 'enricher_transactions_total{result="aborted"}'
grep -q '^enricher_build_info{version="[0-9.]*",schema="1"} 1$' "$tmp/scrape" || fail "no build info"

[ "$(status "$base/nope")" = 404 ] || fail "unknown path is not 404"
[ "$(status -X POST "$base/metrics")" = 405 ] || fail "POST is not 405"
ctype=$(curl -fsS -o /dev/null -w '%{content_type}' "$base/metrics")
case $ctype in "text/plain; version=0.0.4"*) ;; *) fail "content type $ctype";; esac

for _ in $(seq 100); do [ "$(status "$base/readyz")" = 200 ] && break; sleep 0.1; done
[ "$(status "$base/readyz")" = 200 ] || fail "/readyz never became ready"

wait_done "$ninputs"
# Lag is known once the group's committed offsets are (librdkafka reports
# -1 before, and the series stays hidden): wait for it to reach 0.
lag_zero() {
        local p
        for p in 0 1; do
                [ "$(metric "enricher_consumer_lag{topic=\"$in\",partition=\"$p\"}")" = 0 ] || return 1
        done
}
for _ in $(seq 150); do
        scrape
        lag_zero && break
        sleep 0.2
done
for name in enricher_messages_consumed_total enricher_records_produced_total \
            enricher_input_bytes_total enricher_output_bytes_total \
            enricher_rebalances_total enricher_offsets_committed_total \
            'enricher_dead_letters_total{reason="invalid_json"}'; do
        positive "$name"
done
[ "$(metric enricher_messages_consumed_total)" = "$ninputs" ] ||
        fail "consumed $(metric enricher_messages_consumed_total), want $ninputs"
[ "$(metric enricher_records_produced_total)" = "$ngood" ] ||
        fail "produced $(metric enricher_records_produced_total), want $ngood"
for stage in parse tokenize names numbers entities stats serialize; do
        count=$(metric "enricher_stage_duration_seconds_count{stage=\"$stage\"}")
        [ "$count" = "$ngood" ] || fail "stage $stage observed $count times, want $ngood"
        inf=$(metric "enricher_stage_duration_seconds_bucket{stage=\"$stage\",le=\"+Inf\"}")
        [ "$inf" = "$count" ] || fail "stage $stage: +Inf bucket $inf != count $count"
done
for type in PERSON GPE ORG; do positive "enricher_entities_total{type=\"$type\"}"; done
for p in 0 1; do
        lag=$(metric "enricher_consumer_lag{topic=\"$in\",partition=\"$p\"}")
        [ "$lag" = 0 ] || fail "lag of $in/$p is $lag, want 0 once caught up"
done
present enricher_producer_queue_messages
present enricher_inflight_messages
grep -q '^# TYPE enricher_failures_total counter$' "$tmp/scrape" || fail "no failures family"
if command -v promtool >/dev/null; then
        promtool check metrics < "$tmp/scrape" || fail "promtool check metrics"
fi
[ "$(status "$base/healthz")" = 200 ] || fail "/healthz not 200 while running"
stop_worker

# --- Exactly-once: transactions move. -------------------------------------
start_worker eos "scrape-eos-$suffix" --exactly-once --txn-max-ms 100
wait_done "$ninputs"
# Records are acknowledged before their transaction commits.
for _ in $(seq 100); do
        scrape
        case $(metric 'enricher_transactions_total{result="committed"}') in
        absent | 0) ;;
        *) break ;;
        esac
        sleep 0.2
done
positive 'enricher_transactions_total{result="committed"}'
positive enricher_offsets_committed_total
stop_worker
echo "ok: every metric moved ($ninputs inputs)"
