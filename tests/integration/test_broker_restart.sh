#!/usr/bin/env bash
# The broker (tests/kafka/broker.sh's) stops and restarts mid-run: an
# at-least-once and an exactly-once worker (own groups, own outputs) ride it
# out, every input is accounted for (exactly once for the second), and both
# still exit 0.
# Skips unless the broker under test is the one broker.sh manages.
source "$(dirname "$0")/lib.sh"
enr_need_broker
BROKER_SH="$ENR_SOURCE_DIR/tests/kafka/broker.sh"
if [ "$BROKERS" != "127.0.0.1:9092" ] || ! bash "$BROKER_SH" status >/dev/null 2>&1; then
    echo "the broker is not managed by tests/kafka/broker.sh: skipped"
    exit 77
fi
# Whatever happens, leave a running broker behind for the next tests.
trap 'bash "$BROKER_SH" start >/dev/null 2>&1 || true; enr_cleanup' EXIT

IN="rst-in-$ENR_RUN_ID"
OUT="rst-out-$ENR_RUN_ID"
enr_create_topic "$IN" 3
enr_articles 2000 | enr_produce "$IN"
enr_worker w -i "$IN" -o "$OUT" -g "rst-g-$ENR_RUN_ID" -t 2
W=$WORKER_PID
enr_worker we -i "$IN" -o "$OUT-eos" -g "rst-ge-$ENR_RUN_ID" --exactly-once \
    --instance-id rst-eos --dlq-topic "$IN.eos.dlq"
WE=$WORKER_PID
enr_wait_count 300 "$OUT"
enr_log "stopping the broker"
bash "$BROKER_SH" stop
sleep 5
kill -0 "$W" || enr_fail "the worker died while the broker was down"
kill -0 "$WE" || enr_fail "the exactly-once worker died while the broker was down"
enr_log "starting the broker"
bash "$BROKER_SH" start >/dev/null
enr_articles 1000 2000 | enr_produce "$IN"
ENR_WAIT=180 enr_wait_count 3000 "$OUT" "$IN.dlq"
ENR_WAIT=180 enr_wait_count 3000 "$OUT-eos" "$IN.eos.dlq"
sleep 2
enr_stop_worker "$W" w
enr_stop_worker "$WE" we
enr_check alo "$IN" "$OUT" "$IN.dlq"
enr_check eos "$IN" "$OUT-eos" "$IN.eos.dlq"
echo "PASS"
