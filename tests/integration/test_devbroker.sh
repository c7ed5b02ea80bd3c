#!/usr/bin/env bash
# The end-to-end scenario on `enricher dev-broker` (librdkafka's mock
# cluster): needs no real broker, never skips. Then two workers in one group
# share six partitions and SIGTERM stops both with exit status 0.
source "$(dirname "$0")/lib.sh"
command -v jq >/dev/null || { echo "jq not installed: skipped"; exit 77; }

enr_dev_broker in:3 out:3 in.dlq:1 big:6 big.out:3 big.out.dlq:1
enr_log "end to end on the dev broker $BROKERS"
enr_e2e_body in out in.dlq

enr_log "two workers, six partitions"
enr_articles 600 | enr_produce big
enr_worker w1 -i big -o big.out -g "g2-$ENR_RUN_ID" -t 2
W1=$WORKER_PID
enr_worker w2 -i big -o big.out -g "g2-$ENR_RUN_ID"
W2=$WORKER_PID
ENR_WAIT=60 enr_wait_count 600 big.out big.out.dlq
enr_stop_worker "$W1" w1
enr_stop_worker "$W2" w2
enr_check alo big big.out big.out.dlq

enr_log "backpressure (--max-inflight 4) and the metrics endpoint"
PORT=$((20000 + $$ % 20000))
enr_worker w3 -i big -o small.out -g "g3-$ENR_RUN_ID" -t 2 --max-inflight 4 \
    --metrics-addr "127.0.0.1:$PORT" --stats-interval-ms 1000 --log-level debug
W3=$WORKER_PID
ENR_WAIT=60 enr_wait_count 600 small.out big.out.dlq
if command -v curl >/dev/null; then
    curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null || enr_fail "/readyz is not ready"
    curl -fsS "http://127.0.0.1:$PORT/metrics" >"$ENR_TMP/metrics"
    grep -q '^enricher_messages_consumed_total 600' "$ENR_TMP/metrics" ||
        enr_fail "metrics: consumed is not 600: $(grep consumed "$ENR_TMP/metrics")"
    grep -q '^enricher_records_produced_total 600' "$ENR_TMP/metrics" ||
        enr_fail "metrics: produced is not 600"
fi
grep -q "paused consumption" "$ENR_TMP/w3.log" || enr_fail "the consumer never paused"
enr_stop_worker "$W3" w3
enr_check alo big small.out big.out.dlq

# A worker restarted in the same group (the README's restart and replay
# flows) gets its partitions within seconds, as on a real broker. The mock
# cluster holds a rebalance for the session timeout of the last join (45 s
# by default), so `run` shortens it on the dev broker: these workers run
# without ENR_FAST's -X session settings to prove that default.
restart_worker() {
    local name=$1 t0 i
    t0=$(date +%s%N)
    "$ENRICHER" run -b "$BROKERS" -i big -o restart.out -g "g4-$ENR_RUN_ID" \
        --log-level info >"$ENR_TMP/$name.out" 2>"$ENR_TMP/$name.log" &
    WORKER_PID=$!
    ENR_PIDS+=("$WORKER_PID")
    for i in $(seq 1 600); do
        grep -q 'assigned [1-9][0-9]* partition' "$ENR_TMP/$name.log" && break
        sleep 0.1
    done
    ASSIGN_MS=$((($(date +%s%N) - t0) / 1000000))
    grep -q 'assigned [1-9][0-9]* partition' "$ENR_TMP/$name.log" ||
        { tail -5 "$ENR_TMP/$name.log" >&2; enr_fail "$name got no partitions in 60 s"; }
    enr_log "$name assigned after $ASSIGN_MS ms"
}
enr_log "restart in the same group"
restart_worker r1
ENR_WAIT=60 enr_wait_count 600 restart.out big.out.dlq
enr_stop_worker "$WORKER_PID" r1
restart_worker r2
[ "$ASSIGN_MS" -le 8000 ] || enr_fail "restarted worker waited $ASSIGN_MS ms for its partitions"
grep -q 'dev-broker: short group session timeout' "$ENR_TMP/r2.log" ||
    enr_fail "the dev broker was not recognised"
enr_log "restart after kill -9 (no LeaveGroup: the old member times out)"
kill -9 "$WORKER_PID"
wait "$WORKER_PID" 2>/dev/null || true
restart_worker r3
[ "$ASSIGN_MS" -le 15000 ] || enr_fail "worker after kill -9 waited $ASSIGN_MS ms for its partitions"
enr_stop_worker "$WORKER_PID" r3
echo "PASS"
