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
echo "PASS"
